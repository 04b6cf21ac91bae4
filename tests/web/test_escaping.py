"""Whatever a person stores is shown as text, never run as HTML (R1 confidentiality, issue 5
§7: no script from stored data can read the page). The same payloads are shown in Chromium
by test_browser.py, which checks that no page sets ``window.__pwned``."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .payloads import IMG, RAW_MARKERS, SCRIPT, pages_for, payload_records
from .support import add_contact, owner_id, post_form

ALERT = "<script>alert(1)</script>"


def test_a_contact_named_script_renders_escaped(app: FastAPI, logged_in: TestClient) -> None:
    add_contact(
        app,
        logged_in,
        ALERT,
        company='"><img src=x onerror=alert(2)>',
        emails=[{"label": "<b>x</b>", "value": "a@example.cn"}],
    )
    html = logged_in.get("/contacts").text
    assert ALERT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_search_words_and_user_names_are_escaped(logged_in: TestClient) -> None:
    html = logged_in.get("/contacts", params={"q": ALERT}).text
    assert ALERT not in html and "&lt;script&gt;" in html
    login_page = logged_in.get("/contacts", params={"q": '" autofocus onfocus="x'}).text
    assert 'onfocus="x' not in login_page


def test_a_typed_user_name_is_escaped_on_the_login_form(client: TestClient) -> None:
    html = client.get("/login", params={"username": '"><script>x()</script>'}).text
    assert "<script>x()" not in html and "&lt;script&gt;" in html


def _store_payloads(app: FastAPI, client: TestClient) -> dict[str, str]:
    owner = owner_id(app, client)
    store = app.state.ctx.records
    ids: dict[str, str] = {}
    for kind, data in payload_records(date.today()):
        if kind == "contact":
            data = {**data, "groups": [ids["group"]]}
        ids[kind] = str(store.create(owner, kind, data).id)
    return ids


def test_every_field_of_every_kind_renders_escaped(app: FastAPI, logged_in: TestClient) -> None:
    """Issue 5 §7: payloads in every text field of every kind, on every page that shows
    them (lists, views, forms, the group delete page), never come out as markup."""
    ids = _store_payloads(app, logged_in)
    for path in pages_for(ids):
        response = logged_in.get(path)
        assert response.status_code == 200, path
        html = response.text
        for marker in RAW_MARKERS:
            assert marker not in html, (path, marker)
    view = logged_in.get(f"/contacts/{ids['contact']}").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in view
    assert "&#34;&gt;&lt;img src=x onerror=&#34;window.__pwned=2&#34;&gt;" in view


def test_conflict_and_refused_forms_escape_what_was_typed(
    app: FastAPI, logged_in: TestClient
) -> None:
    """The typed values shown again (a refused form, both sides of a conflict) are text."""
    ids = _store_payloads(app, logged_in)
    edit = f"/memos/{ids['memo']}/edit"
    post_form(logged_in, edit, edit, {"title": "先改一次", "version": "1"})
    stale = post_form(logged_in, edit, edit, {"title": SCRIPT, "body": IMG, "version": "1"})
    assert stale.status_code == 409
    refused = post_form(logged_in, "/contacts/new", "/contacts/new",
                        {"name": SCRIPT, "company": IMG, "phones.0.value": IMG})  # fmt: skip
    assert refused.status_code == 422
    for html in (stale.text, refused.text):
        for marker in RAW_MARKERS:
            assert marker not in html, marker
