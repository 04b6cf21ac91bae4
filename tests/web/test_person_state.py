"""A page's person state (``web.person_state``): the settings and the conflicts badge are kept
per app and person, read again only when the stored settings or the person's change number
moved — and every change shows on the next page, also on a second app on the same database
(two worker processes), which learns of it only through the database (issue 5 "Numbers")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.sync.settle import settle

from .conflict_support import make_conflict
from .support import csrf_from, login, owner_id, register, statements


@contextmanager
def two_workers(app_factory: Callable[..., FastAPI]) -> Iterator[tuple[FastAPI, TestClient, ...]]:
    """Two apps on one database, ``wang`` logged in on each: (app 1, its browser, app 2, its
    browser)."""
    first, second = app_factory(), app_factory()
    with (
        TestClient(first, follow_redirects=False) as one,
        TestClient(second, follow_redirects=False) as two,
    ):
        assert register(one, "wang").status_code == 303
        assert login(one, "wang").status_code == 303
        assert login(two, "wang").status_code == 303
        yield first, one, second, two


def badge(client: TestClient) -> str | None:
    html = client.get("/memos").text
    if 'class="nav-conflicts"' not in html:
        return None
    start = html.index('class="nav-conflicts"')
    part = html[start : html.index("</a>", start)]
    return part.split('class="count-badge"')[1].split(">")[1].split("<")[0]


def test_no_settings_or_count_read_after_no_change(app: FastAPI, logged_in: TestClient) -> None:
    logged_in.get("/memos")
    with statements(app.state.ctx.engine) as seen:
        assert logged_in.get("/memos").status_code == 200
    assert not [s for s in seen if "record_conflicts" in s]
    assert len([s for s in seen if "preferences" in s]) == 1  # the one person-state read
    assert not [s for s in seen if "last_change_no" in s and "preferences" not in s]


def test_a_conflict_and_its_settling_show_on_both_workers(
    app_factory: Callable[..., FastAPI],
) -> None:
    with two_workers(app_factory) as (first, one, _second, two):
        assert badge(one) is None and badge(two) is None
        owner = owner_id(first, one)
        _record, conflict = make_conflict(
            first, owner, "contact", {"name": "张三", "company": "阿里"}, "company", "腾讯", "百度"
        )
        assert badge(two) == "1" and badge(one) == "1"
        settle(first.state.ctx.engine, owner, conflict.id, "kept")
        assert badge(two) is None and badge(one) is None


def body_tag(client: TestClient) -> str:
    html = client.get("/memos").text
    start = html.index("<body")
    return html[start : html.index(">", start)]


def test_settings_changes_show_on_both_workers(app_factory: Callable[..., FastAPI]) -> None:
    with two_workers(app_factory) as (first, one, _second, two):
        assert 'lang="zh' in two.get("/memos").text
        owner = owner_id(first, one)
        first.state.ctx.preferences.update(owner, {"language": "en"})  # the API's PATCH
        assert 'lang="en' in two.get("/memos").text and 'lang="en' in one.get("/memos").text
        token = csrf_from(one.get("/memos").text)
        form = {"lang": "zh", "next": "/memos", "csrf_token": token}
        assert one.post("/settings/language", data=form).status_code == 303  # the web page
        assert 'lang="zh' in two.get("/memos").text
        assert 'data-clock-visible="1"' in body_tag(two)
        form = {"clock_visible": "false", "js": "1", "csrf_token": token}
        assert one.post("/calendar/clock", data=form).status_code == 204  # the clock's POST
        assert 'data-clock-visible="0"' in body_tag(two)
        assert 'data-clock-visible="0"' in body_tag(one)
