"""CSRF (issue 2 §4, issue 5 §7, R1): every page POST route refuses a missing or wrong token
with 403 and changes nothing; the right token works. The routes are found in the app itself,
so a new form is covered as soon as it exists (its kind needs a row in RECORD_FORMS)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from almanac.server.db.tables import preferences, records, tokens, users
from almanac.server.web import csrf

from .conflict_support import make_conflict
from .support import PASSWORD, csrf_from, owner_id

# One meaningful form per page POST route: with a valid token each one changes something.
FORMS: dict[str, dict[str, str]] = {
    "/login": {"username": "wang", "password": PASSWORD},
    "/register": {"username": "newcomer", "password": PASSWORD, "password2": PASSWORD},
    "/logout": {},
    # The person's settings (R3): tests/web/test_settings_pages.py shows these change them.
    "/settings": {"language": "en", "week_start": "7", "time_zone": "Asia/Tokyo"},
    "/settings/language": {"lang": "en", "next": "/contacts"},
    # The calendar's clock (R7): tests/web/test_calendar_pages.py shows what it changes.
    "/calendar/clock": {"clock_format": "12h", "next": "/calendar"},
}


def page_post_routes(app: FastAPI) -> list[str]:
    """Every POST route outside /api, found in the app itself (included routers too)."""
    return sorted(
        {
            route.path
            for route in iter_route_contexts(app.routes)
            if route.path
            and route.methods
            and {"POST", "PUT", "PATCH", "DELETE"} & set(route.methods)
            and not route.path.startswith("/api")
        }
    )


# The record pages: route prefix → (kind, a stored record, a form that changes it).
RECORD_FORMS: dict[str, tuple[str, dict[str, object], dict[str, str]]] = {
    "/contacts": ("contact", {"name": "张三"}, {"name": "李四"}),
    "/groups": ("group", {"name": "家人"}, {"name": "同学"}),
    "/memos": ("memo", {"title": "买菜"}, {"title": "交水费", "pinned": "1"}),
    "/birthdays": (
        "birthday",
        {"name": "妈妈", "date": {"calendar": "lunar", "month": 3, "day": 8}},
        {"name": "爸爸", "date.calendar": "solar", "date.month": "6", "date.day": "1"},
    ),
    "/holidays": (
        "holiday",
        {"name": "结婚纪念日", "date": {"month": 10, "day": 1}},
        {"name": "春游", "date.month": "4", "date.day": "5", "yearly": "1"},
    ),
    "/events": (
        "event",
        {"title": "周会", "start": "2026-12-01T09:00", "end": "2026-12-01T10:00"},
        {"title": "看牙", "start_date": "2026-12-02", "start_time": "15:00"},
    ),
}
ID_PART = "{record_id:uuid}"
# The sync-conflict buttons (issue 5 §1): "keep the other version" of a seeded conflict.
CONFLICT_PART, CONFLICT_CHOICE = "{conflict_id:uuid}", "{which}"


def seed_records(app: FastAPI, client: TestClient) -> dict[str, str]:
    """One record of each kind for the person on ``client``: route prefix → its id."""
    owner = owner_id(app, client)
    store = app.state.ctx.records
    ids = {
        prefix: str(store.create(owner, kind, data).id)
        for prefix, (kind, data, _form) in RECORD_FORMS.items()
    }
    made = make_conflict(app, owner, "contact", {"name": "王五"}, "company", "腾讯", "百度")
    ids["/conflicts"] = str(made[1].id)
    return ids


def form_for(path: str, ids: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """The address to post to (record ids filled in) and a form that changes something."""
    if path in FORMS:
        return path, FORMS[path]
    prefix = "/" + path.split("/")[1]
    if prefix == "/conflicts":
        conflict = (ids or {}).get(prefix, "0" * 32)
        return path.replace(CONFLICT_PART, conflict).replace(CONFLICT_CHOICE, "other"), {}
    assert prefix in RECORD_FORMS, f"{path}: add its kind to RECORD_FORMS"
    form = {} if path.endswith("/delete") else RECORD_FORMS[prefix][2]
    if path.endswith("/pin"):
        form = {"pinned": "0"}  # the edit form before it pinned the memo
    if path.endswith("/edit"):  # not the name "new" gave: names of groups are unique
        form = {k: v + "（改）" if k in ("name", "title") else v for k, v in form.items()}
    return path.replace(ID_PART, (ids or {}).get(prefix, "0" * 32)), form


def state(app: FastAPI) -> tuple[object, ...]:
    """Counts of people, tokens and records, the sum of the records' versions, and the
    settings rows with their last change."""
    with app.state.ctx.engine.connect() as conn:
        counts = [
            conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (users, tokens, records)
        ]
        versions = conn.execute(sa.select(sa.func.sum(records.c.version))).scalar_one()
        settings = conn.execute(
            sa.select(sa.func.count(), sa.func.max(preferences.c.updated_at))
        ).one()
        return (*counts, int(versions or 0), *settings)


def still_logged_in(client: TestClient) -> bool:
    return client.get("/contacts").status_code == 200


def test_every_page_post_route_has_a_form_here(app: FastAPI) -> None:
    routes = page_post_routes(app)
    expected = {"/login", "/register", "/logout", "/contacts/new", "/memos/new", "/events/new"}
    assert expected <= set(routes)
    for path in routes:
        form_for(path)  # every route is known: static FORMS or a RECORD_FORMS kind


def _bad_tokens(
    client: TestClient, other: TestClient
) -> list[tuple[str, Callable[[], dict[str, str]]]]:
    def own() -> str:
        return csrf_from(client.get("/contacts").text)

    def foreign() -> str:  # valid, but for another browser's cookie
        return csrf_from(other.get("/login").text)

    return [
        ("missing", lambda: {}),
        ("empty", lambda: {"csrf_token": ""}),
        ("garbage", lambda: {"csrf_token": "0" * 64}),
        ("own token, one character changed", lambda: {"csrf_token": own()[:-1] + "x"}),
        ("another browser's token", lambda: {"csrf_token": foreign()}),
        ("non-ascii", lambda: {"csrf_token": "令牌" * 20}),
    ]


@pytest.mark.parametrize("case", range(6))
def test_page_posts_without_the_right_token_are_refused(
    app: FastAPI,
    logged_in: TestClient,
    client_factory: Callable[..., TestClient],
    case: int,
) -> None:
    """R1: a forged form (any page POST route) gets 403 and nothing changes."""
    other = client_factory()
    name, make_token = _bad_tokens(logged_in, other)[case]
    ids = seed_records(app, logged_in)
    for route in page_post_routes(app):
        path, form = form_for(route, ids)
        before = state(app)
        response = logged_in.post(path, data={**form, **make_token()})
        assert response.status_code == 403, (path, name)
        assert "禁止访问" in response.text
        assert "almanac_session" not in response.headers.get("set-cookie", "")
        assert state(app) == before, (path, name)
        assert still_logged_in(logged_in), (path, name)


def test_a_right_token_without_its_cookie_is_refused(app: FastAPI, logged_in: TestClient) -> None:
    ids = seed_records(app, logged_in)
    for route in page_post_routes(app):
        path, form = form_for(route, ids)
        token = csrf_from(logged_in.get("/contacts").text)
        saved = logged_in.cookies.get(csrf.CSRF_COOKIE)
        assert saved
        logged_in.cookies.delete(csrf.CSRF_COOKIE)
        before = state(app)
        response = logged_in.post(path, data={**form, "csrf_token": token})
        assert response.status_code == 403, path
        assert state(app) == before, path
        assert still_logged_in(logged_in), path


def test_json_posts_to_pages_are_refused(app: FastAPI, logged_in: TestClient) -> None:
    ids = seed_records(app, logged_in)
    for route in page_post_routes(app):
        path, form = form_for(route, ids)
        before = state(app)
        response = logged_in.post(path, json=form)
        assert response.status_code == 403, path
        assert state(app) == before


def test_the_right_token_changes_something_on_every_route(
    app: FastAPI, logged_in: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    """Positive control: the same forms with the page's own token do work."""
    fresh = client_factory()
    for path, page in (("/register", "/register"), ("/login", "/login")):
        before = state(app)
        token = csrf_from(fresh.get(page).text)
        response = fresh.post(path, data={**FORMS[path], "csrf_token": token})
        assert response.status_code == 303, path
        assert state(app) != before, path
    ids = seed_records(app, logged_in)
    record_routes = [r for r in page_post_routes(app) if r not in FORMS]
    for route in sorted(record_routes, key=lambda r: r.endswith("/delete")):  # deletes last
        path, form = form_for(route, ids)
        before = state(app)
        token = csrf_from(logged_in.get("/contacts").text)
        response = logged_in.post(path, data={**form, "csrf_token": token})
        assert response.status_code == 303, (path, response.text[-800:])
        assert state(app) != before, path
    token = csrf_from(logged_in.get("/contacts").text)
    assert logged_in.post("/logout", data={"csrf_token": token}).status_code == 303
    assert not still_logged_in(logged_in)


def test_token_is_the_hmac_of_the_cookie(logged_in: TestClient, app: FastAPI) -> None:
    token = csrf_from(logged_in.get("/contacts").text)
    cookie = logged_in.cookies.get(csrf.CSRF_COOKIE)
    assert cookie and len(cookie) >= 32
    assert token == csrf.token_for(app.state.ctx.secret_key, cookie)
    assert token != csrf.token_for(app.state.ctx.secret_key + "x", cookie)
