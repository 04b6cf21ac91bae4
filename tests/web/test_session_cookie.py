"""The browser session cookie and the CSRF cookie (issue 2 §4, R1): flags, lifetime, Secure
over https (and behind a trusted proxy only), logout revokes the session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from .support import PASSWORD, csrf_from, login, register

ONE_DAY = 86400


def cookie_attrs(response: Any, name: str) -> dict[str, str]:
    """The attributes of the Set-Cookie header for ``name`` (lower-cased keys; flags → "")."""
    for header in response.headers.get_list("set-cookie"):
        first, *rest = [part.strip() for part in header.split(";")]
        if first.split("=", 1)[0] == name:
            attrs = {"value": first.split("=", 1)[1]}
            for part in rest:
                key, _, value = part.partition("=")
                attrs[key.lower()] = value
            return attrs
    raise AssertionError(f"no Set-Cookie for {name}")


def test_login_sets_an_httponly_lax_session_cookie(client: TestClient) -> None:
    register(client, "wang")
    response = login(client, "wang")
    assert response.status_code == 303
    assert response.headers["location"] == "/contacts"
    attrs = cookie_attrs(response, "almanac_session")
    assert "httponly" in attrs
    assert attrs["samesite"].lower() == "lax"
    assert attrs["path"] == "/"
    assert attrs["max-age"] == str(30 * ONE_DAY)  # settings.session_days default
    assert "secure" not in attrs  # plain http on loopback
    assert len(attrs["value"]) >= 32


def test_csrf_cookie_is_httponly_and_strict(client: TestClient) -> None:
    response = client.get("/login")
    attrs = cookie_attrs(response, "almanac_csrf")
    assert "httponly" in attrs
    assert attrs["samesite"].lower() == "strict"
    assert attrs["path"] == "/"
    # The same browser keeps its cookie: no new one on the next page.
    again = client.get("/register")
    assert "almanac_csrf" not in again.headers.get("set-cookie", "")


def test_session_lifetime_follows_the_settings(
    app_factory: Callable[..., FastAPI],
) -> None:
    with TestClient(app_factory(session_days=2), follow_redirects=False) as client:
        register(client, "wang")
        assert cookie_attrs(login(client, "wang"), "almanac_session")["max-age"] == str(2 * ONE_DAY)


def test_cookies_are_secure_over_https(app: FastAPI) -> None:
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        assert "secure" in cookie_attrs(client.get("/login"), "almanac_csrf")
        register(client, "wang")
        response = login(client, "wang")
        assert "secure" in cookie_attrs(response, "almanac_session")
        assert client.get("/contacts").status_code == 200


@pytest.mark.parametrize("trust", [True, False])
def test_forwarded_proto_counts_only_from_a_trusted_proxy(
    app_factory: Callable[..., FastAPI], trust: bool
) -> None:
    """Behind a TLS proxy (trust_proxy_headers) X-Forwarded-Proto: https makes cookies Secure;
    from an untrusted client the same header changes nothing."""
    headers = {"x-forwarded-proto": "https"}
    with TestClient(
        app_factory(trust_proxy_headers=trust), headers=headers, follow_redirects=False
    ) as client:
        page = client.get("/register")
        csrf_attrs = cookie_attrs(page, "almanac_csrf")
        # The test client speaks plain http, so hand it the (maybe Secure) cookie by hand.
        client.cookies.clear()
        client.cookies.set("almanac_csrf", csrf_attrs["value"])
        token = csrf_from(page.text)
        form = {"username": "wang", "password": PASSWORD, "password2": PASSWORD}
        assert client.post("/register", data={**form, "csrf_token": token}).status_code == 303
        del form["password2"]
        response = client.post("/login", data={**form, "csrf_token": token})
        session_attrs = cookie_attrs(response, "almanac_session")
    assert ("secure" in session_attrs) is trust
    assert ("secure" in csrf_attrs) is trust


def test_logout_revokes_the_session_and_clears_the_cookie(
    logged_in: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    secret = logged_in.cookies.get("almanac_session")
    assert secret
    page = logged_in.get("/contacts")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = logged_in.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    cleared = cookie_attrs(response, "almanac_session")
    assert cleared["max-age"] == "0" or "expires" in cleared
    assert cleared["value"] in ("", '""')
    # The old cookie value is dead on the server too (a stolen copy is useless).
    thief = client_factory()
    thief.cookies.set("almanac_session", secret)
    assert thief.get("/contacts").status_code == 303
    assert logged_in.get("/contacts").headers["location"] == "/login"


def test_logging_in_again_replaces_the_old_session(
    logged_in: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    """No session fixation: a session planted before login does not survive it."""
    old = logged_in.cookies.get("almanac_session")
    token = csrf_from(logged_in.get("/contacts").text)
    form = {"username": "wang", "password": PASSWORD, "csrf_token": token}
    response = logged_in.post("/login", data=form)
    assert response.status_code == 303
    new = cookie_attrs(response, "almanac_session")["value"]
    assert new and new != old
    thief = client_factory()
    thief.cookies.set("almanac_session", old or "")
    assert thief.get("/contacts").headers["location"] == "/login"
    assert logged_in.get("/contacts").status_code == 200
