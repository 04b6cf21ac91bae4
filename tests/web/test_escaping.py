"""Whatever a person stores is shown as text, never run as HTML (R1 confidentiality: no
script from stored data can read the page)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .support import add_contact

SCRIPT = "<script>alert(1)</script>"


def test_a_contact_named_script_renders_escaped(app: FastAPI, logged_in: TestClient) -> None:
    add_contact(
        app,
        logged_in,
        SCRIPT,
        company='"><img src=x onerror=alert(2)>',
        emails=[{"label": "<b>x</b>", "value": "a@example.cn"}],
    )
    html = logged_in.get("/contacts").text
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_search_words_and_user_names_are_escaped(logged_in: TestClient) -> None:
    html = logged_in.get("/contacts", params={"q": SCRIPT}).text
    assert SCRIPT not in html and "&lt;script&gt;" in html
    login_page = logged_in.get("/contacts", params={"q": '" autofocus onfocus="x'}).text
    assert 'onfocus="x' not in login_page


def test_a_typed_user_name_is_escaped_on_the_login_form(client: TestClient) -> None:
    html = client.get("/login", params={"username": '"><script>x()</script>'}).text
    assert "<script>x()" not in html and "&lt;script&gt;" in html
