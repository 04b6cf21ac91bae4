"""Security headers on every response (issue 2 §6): a strict CSP without 'unsafe-inline',
nosniff and a same-origin referrer policy — on pages, error pages, static files, /docs and
the API alike."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from almanac.server.web.headers import CSP

PATHS = [
    "/",
    "/login",
    "/register",
    "/contacts",
    "/no-such-page",
    "/static/almanac.css",
    "/static/missing.css",
    "/docs",
    "/healthz",
    "/api/v1/account",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert csp == CSP
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert len(response.headers.get_list("content-security-policy")) == 1


def test_logged_in_pages_carry_them_too(logged_in: TestClient) -> None:
    response = logged_in.get("/contacts")
    assert response.status_code == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


def test_pages_have_no_inline_script_or_style(logged_in: TestClient) -> None:
    """The CSP would block them anyway (issue 5 §7): the only scripts are our own files from
    /static (the phone menu, delete confirmations, the offline banner…); the pages work
    without them (R2)."""
    for path in ("/contacts", "/memos", "/birthdays", "/events", "/upcoming", "/no-such-page"):
        html = logged_in.get(path).text.lower()
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
        assert scripts and set(scripts) == {""}, path  # only our files from /static
        tags = re.findall(r"<script[^>]*>", html)
        assert '<script src="/static/almanac.js" defer>' in tags, path
        assert all(re.fullmatch(r'<script src="/static/[a-z_-]+\.js" defer>', t) for t in tags)
        assert "<style" not in html and "style=" not in html
        assert " on" + "click=" not in html and " on" + "submit=" not in html


def test_our_script_is_served_from_static(client: TestClient) -> None:
    """Issue 5 §8: every asset comes from the server itself (no CDN)."""
    for name in ("almanac.js", "offline.js"):
        response = client.get("/static/" + name)
        assert response.status_code == 200
        assert "javascript" in response.headers["content-type"]
        assert "http" not in response.text


def test_our_stylesheet_is_served_as_css(client: TestClient) -> None:
    response = client.get("/static/almanac.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "min-height: 44px" in response.text
