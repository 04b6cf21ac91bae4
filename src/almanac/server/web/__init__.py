"""The web pages (R1, R2): server-rendered HTML for browsers, phones included.

Owns the page routes (start page, register, log in, log out; contacts and groups, memos,
birthdays and holidays, events, the calendar month and day views with the live clock,
the upcoming list, the due reminders (``reminder_due``), the sync conflicts
(``conflict_pages``: both versions, keep one), the person's settings,
the help page and the web-app manifest,
the operators' error-report pages — see docs/web.md), the browser session
cookie (``session``), CSRF protection of every form (``csrf``), the security headers on every
response (``headers``), one database connection for a page's reads (``shared_reads``), the
error pages for non-API paths (``errors``), the page language and its message catalog
(``i18n``), the Jinja2 templates and our own CSS under ``static/``.

``install(app)`` is the one entry point: ``create_app`` calls it once.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from almanac.server.web import (
    auth_pages,
    calendar_clock,
    calendar_pages,
    conflict_pages,
    contact_pages,
    date_pages,
    event_pages,
    group_pages,
    help_pages,
    memo_pages,
    operator_pages,
    reminder_due,
    settings_pages,
    upcoming_page,
)
from almanac.server.web.headers import SecurityHeaders
from almanac.server.web.shared_reads import SharedReadsMiddleware

STATIC_DIR = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Add the pages, ``/static`` and the security-header middleware to ``app``."""
    app.include_router(auth_pages.router)
    app.include_router(contact_pages.router)
    app.include_router(calendar_pages.router)
    app.include_router(calendar_clock.router)
    for pages in (group_pages, memo_pages, date_pages, event_pages, upcoming_page, help_pages):
        app.include_router(pages.router)
    app.include_router(settings_pages.router)
    app.include_router(conflict_pages.router)
    app.include_router(operator_pages.router)
    app.include_router(reminder_due.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SharedReadsMiddleware)
    app.add_middleware(SecurityHeaders)
