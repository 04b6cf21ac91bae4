"""Helpers shared by the web tests: settings for a throw-away server, and the browser steps
(read a form's CSRF token, register, log in) done with a TestClient."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from almanac.server.settings import ServerSettings

PASSWORD = "correct-horse-battery"
_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')


def make_settings(tmp: Path, **overrides: Any) -> ServerSettings:
    values: dict[str, Any] = {
        "db": f"sqlite:///{tmp}/a.db",
        "data_dir": tmp,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8,
        "argon2_parallelism": 1,
    }
    values.update(overrides)
    return ServerSettings(**values)


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF_INPUT.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def register(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    token = csrf_from(client.get("/register").text)
    form = {"username": username, "password": password, "password2": password}
    return client.post("/register", data={**form, "csrf_token": token})


def login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    token = csrf_from(client.get("/login").text)
    form = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=form)


def owner_id(app: Any, client: TestClient) -> int:
    """The id of the person logged in on ``client``."""
    secret = client.cookies.get("almanac_session")
    assert secret, "not logged in"
    user, _token_id = app.state.ctx.accounts.user_for_token(secret, kind="session")
    return int(user.id)


def add_contact(app: Any, client: TestClient, name: str, **data: Any) -> None:
    """Store a contact for the person logged in on ``client`` (straight into the RecordStore)."""
    app.state.ctx.records.create(owner_id(app, client), "contact", {"name": name, **data})


def post_form(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    """Send ``data`` to ``action`` with the CSRF token of ``page`` (as the browser would)."""
    token = csrf_from(client.get(page).text)
    return client.post(action, data={**data, "csrf_token": token})


def records_of(app: Any, client: TestClient, kind: str) -> list[Any]:
    """The logged-in person's live records of ``kind`` (straight from the RecordStore)."""
    return list(app.state.ctx.records.list(owner_id(app, client), kind, limit=500).items)


@contextmanager
def statements(
    engine: sa.Engine, keep: Callable[[str, Any], bool] = lambda _statement, _params: True
) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` in the block (those ``keep(statement, params)``
    accepts)."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        if keep(statement, params):
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
