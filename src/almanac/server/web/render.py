"""Rendering a page: one Jinja2 environment (autoescape always on) and ``render``, which hands
every template the person's language, the translator ``t``, the CSRF form token, the
logged-in person and their settings (``prefs``, R3), how many sync conflicts they have open
(``open_conflicts``, the navigation's badge), the message after a save (``flash``), and
sends the cookies those need."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from almanac.model.preferences import START_PAGES
from almanac.server.web import csrf, date_labels, flash, i18n, person_state
from almanac.server.web.calendar_clock import clock_view
from almanac.server.web.escaping import PageEnvironment
from almanac.server.web.pages import person_now

NAV_ITEMS = (
    ("contacts", "/contacts"),
    ("memos", "/memos"),
    ("dates", "/birthdays"),
    ("events", "/events"),
    ("calendar", "/calendar"),
    ("upcoming", "/upcoming"),
    ("settings", "/settings"),
    ("help", "/help"),
)
# Where each ``Preferences.start_page`` choice lands (``/`` and after login, R3): its
# navigation item's address.
START_URLS = {name: url for name, url in NAV_ITEMS if name in START_PAGES}
TEMPLATE_DIR = Path(__file__).parent / "templates"
# The words the scripts show, handed to them as ``data-*`` attributes of every page: the
# network banner's (offline.js, ``net_*`` messages) and the due-reminder panel's
# (reminders.js, ``due_*``).
DATA_WORDS = {
    "net": (
        "offline", "failed", "back", "back_pending", "resend", "sending", "draft", "pending",
        "restore", "discard", "close",
    ),
    "due": (
        "title", "missed", "today", "in_days", "days_ago", "age", "years", "open", "dismiss",
        "dismiss_all", "allow",
    ),
}  # fmt: skip

_env = PageEnvironment(
    loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates are part of the release: no stat() of each on every page
)
templates = Jinja2Templates(env=_env)


@lru_cache(maxsize=8)
def data_words(group: str, lang: str) -> Markup:
    """`` data-offline="…" data-failed="…"…``: the ``DATA_WORDS[group]`` messages in
    ``lang`` as attributes — the same on every page in a language, so made once per language
    instead of looped and escaped on each page."""
    t = i18n.translator(lang)
    return Markup("").join(
        Markup(' data-{}="{}"').format(key.replace("_", "-"), escape(t(f"{group}_{key}")))
        for key in DATA_WORDS[group]
    )


_env.globals["data_words"] = data_words
_env.globals["date_labels"] = date_labels.labels  # a date form's 正月 … / 初一 … choices


def start_url(prefs: Any) -> str:
    """The address of the person's start page (contacts when not set)."""
    return START_URLS.get(getattr(prefs, "start_page", ""), "/contacts")


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    user: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Render template ``name`` as the page for ``request``."""
    lang = i18n.lang_of(request)
    other_lang = "en" if lang == "zh" else "zh"
    page: dict[str, Any] = {
        "lang": lang,
        "html_lang": i18n.HTML_LANG[lang],
        "other_lang": other_lang,
        "other_lang_url": i18n.switch_url(request, other_lang),
        "t": i18n.translator(lang),
        "user": user,
        "prefs": i18n.person_prefs(request) if user is not None else None,
        "return_to": i18n.this_page(request),
        "nav_items": NAV_ITEMS,
        "section": None,
        "csrf_field": csrf.CSRF_FIELD,
        "csrf_token": csrf.form_token(request),
    }
    page.update(context or {})
    shown = flash.message_key(request)  # "已保存。" after a save's redirect
    page["flash"] = page["t"](shown) if shown else None
    if user is not None:  # the navigation's badge, counted again after a change
        page["open_conflicts"] = person_state.open_conflicts(request, user.id)
    if page["prefs"] is not None and "clock" not in page:  # the live clock in the top bar (R7)
        page["clock"] = clock_view(page["prefs"], person_now(request), lang, page["return_to"])
    response = templates.TemplateResponse(
        request, name, page, status_code=status_code, headers=headers
    )
    response.headers["cache-control"] = "no-store"
    csrf.set_cookie(request, response)
    flash.clear(request, response)
    i18n.remember_lang(request, response)
    return response
