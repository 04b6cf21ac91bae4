"""CSRF (issue 2 §4, R1): every page POST route refuses a missing or wrong token with 403 and
changes nothing; the right token works."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from almanac.server.db.tables import records, tokens, users
from almanac.server.web import csrf

from .support import PASSWORD, csrf_from

# One meaningful form per page POST route: with a valid token each one changes something.
FORMS: dict[str, dict[str, str]] = {
    "/login": {"username": "wang", "password": PASSWORD},
    "/register": {"username": "newcomer", "password": PASSWORD, "password2": PASSWORD},
    "/logout": {},
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


def state(app: FastAPI) -> tuple[int, int, int]:
    with app.state.ctx.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (users, tokens, records)
        )


def still_logged_in(client: TestClient) -> bool:
    return client.get("/contacts").status_code == 200


def test_every_page_post_route_has_a_form_here(app: FastAPI) -> None:
    routes = page_post_routes(app)
    assert {"/login", "/register", "/logout"} <= set(routes)
    assert set(routes) <= set(FORMS), "a new page POST route needs a CSRF test form in FORMS"


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
    for path in page_post_routes(app):
        before = state(app)
        response = logged_in.post(path, data={**FORMS[path], **make_token()})
        assert response.status_code == 403, (path, name)
        assert "禁止访问" in response.text
        assert "almanac_session" not in response.headers.get("set-cookie", "")
        assert state(app) == before, (path, name)
        assert still_logged_in(logged_in), (path, name)


def test_a_right_token_without_its_cookie_is_refused(app: FastAPI, logged_in: TestClient) -> None:
    for path in page_post_routes(app):
        token = csrf_from(logged_in.get("/contacts").text)
        saved = logged_in.cookies.get(csrf.CSRF_COOKIE)
        assert saved
        logged_in.cookies.delete(csrf.CSRF_COOKIE)
        before = state(app)
        response = logged_in.post(path, data={**FORMS[path], "csrf_token": token})
        assert response.status_code == 403, path
        assert state(app) == before, path
        assert still_logged_in(logged_in), path


def test_json_posts_to_pages_are_refused(app: FastAPI, logged_in: TestClient) -> None:
    for path in page_post_routes(app):
        before = state(app)
        response = logged_in.post(path, json=FORMS[path])
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
    token = csrf_from(logged_in.get("/contacts").text)
    assert logged_in.post("/logout", data={"csrf_token": token}).status_code == 303
    assert not still_logged_in(logged_in)


def test_token_is_the_hmac_of_the_cookie(logged_in: TestClient, app: FastAPI) -> None:
    token = csrf_from(logged_in.get("/contacts").text)
    cookie = logged_in.cookies.get(csrf.CSRF_COOKIE)
    assert cookie and len(cookie) >= 32
    assert token == csrf.token_for(app.state.ctx.secret_key, cookie)
    assert token != csrf.token_for(app.state.ctx.secret_key + "x", cookie)
