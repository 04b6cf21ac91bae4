"""Sync conflicts in the browser (issue 5 §1 "conflicts from sync (see both versions, keep
one)"; issue 3 §3; R8, R14; docs/web.md "Conflicts"): real conflicts made by two pushes
through the server's sync code, listed with both values, settled by a button through the
push path — a device pulling afterwards sees the settlement and the value."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import get_args

from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.model.registry import KINDS
from almanac.server.sync.conflicts import listed
from almanac.server.web import conflict_words
from almanac.sync.protocol import FieldConflict

from .conflict_support import make_conflict, pulled, send, update
from .payloads import IMG, RAW_MARKERS, SCRIPT
from .support import csrf_from, login, owner_id, post_form, register

BADGE = re.compile(r'class="count-badge"[^>]*>(\d+)<')


def company_conflict(app: FastAPI, client: TestClient) -> tuple[str, str]:
    """张三's company: 腾讯 on the phone, 百度 on the laptop (kept): (record id, conflict id)."""
    owner = owner_id(app, client)
    rid, conflict = make_conflict(
        app, owner, "contact", {"name": "张三", "company": "阿里巴巴"}, "company", "腾讯", "百度"
    )
    return rid, str(conflict.id)


def badge(html: str) -> int | None:
    found = BADGE.search(html)
    return int(found.group(1)) if found else None


def keep(client: TestClient, conflict_id: str, which: str) -> object:
    return post_form(client, "/conflicts", f"/conflicts/{conflict_id}/keep/{which}", {})


def test_the_list_shows_both_values_and_the_badge_counts(
    app: FastAPI, logged_in: TestClient
) -> None:
    assert badge(logged_in.get("/contacts").text) is None
    assert "/conflicts" not in logged_in.get("/contacts").text  # no link while none are open
    rid, cid = company_conflict(app, logged_in)
    assert badge(logged_in.get("/contacts").text) == 1
    html = logged_in.get("/conflicts").text
    card = html[html.index(f'id="cf-{cid}"') :]
    assert f'href="/contacts/{rid}">张三</a>' in card
    assert "字段：单位" in card and "联系人" in card
    kept, other = card.index("保留的版本"), card.index("另一版本")
    assert kept < card.index("百度") < other < card.index("腾讯")
    assert f'action="/conflicts/{cid}/keep/kept"' in card
    assert f'action="/conflicts/{cid}/keep/other"' in card
    company_conflict(app, logged_in)
    assert badge(logged_in.get("/memos").text) == 2


def test_keep_other_changes_the_record_and_a_device_pulls_it(
    app: FastAPI, logged_in: TestClient
) -> None:
    rid, cid = company_conflict(app, logged_in)
    owner = owner_id(app, logged_in)
    device_at = pulled(app, owner, 0).next_cursor  # a device that has pulled everything
    response = keep(logged_in, cid, "other")
    assert response.status_code == 303
    assert response.headers["location"] == "/conflicts?done=other"
    page = logged_in.get("/conflicts?done=other").text
    assert "已改用另一版本" in page and "没有待处理的冲突" in page
    assert badge(page) is None
    record = app.state.ctx.records.get(owner, "contact", rid)
    assert record.data["company"] == "腾讯"
    news = pulled(app, owner, device_at)
    [change] = news.changes
    assert (str(change.id), change.content["company"]) == (rid, "腾讯")
    assert [(str(c.id), c.resolved) for c in news.conflicts] == [(cid, True)]


def test_keep_kept_changes_nothing_but_settles_it_for_every_device(
    app: FastAPI, logged_in: TestClient
) -> None:
    rid, cid = company_conflict(app, logged_in)
    owner = owner_id(app, logged_in)
    before = app.state.ctx.records.get(owner, "contact", rid)
    device_at = pulled(app, owner, 0).next_cursor
    assert keep(logged_in, cid, "kept").headers["location"] == "/conflicts?done=kept"
    after = app.state.ctx.records.get(owner, "contact", rid)
    assert (after.version, after.data["company"]) == (before.version, "百度")
    news = pulled(app, owner, device_at)
    assert news.changes == []
    assert [(str(c.id), c.resolved) for c in news.conflicts] == [(cid, True)]
    assert news.next_cursor > device_at
    settled = logged_in.get("/conflicts/settled").text
    assert f'id="cf-{cid}"' in settled and "现在的内容" in settled
    assert "keep/kept" not in settled  # no buttons on settled ones


def test_a_settled_conflict_says_so(app: FastAPI, logged_in: TestClient) -> None:
    _rid, cid = company_conflict(app, logged_in)
    assert keep(logged_in, cid, "other").status_code == 303
    again = keep(logged_in, cid, "kept")
    assert again.status_code == 409
    assert "这个冲突已经处理过了" in again.text


def test_a_wrong_choice_changes_nothing(app: FastAPI, logged_in: TestClient) -> None:
    _rid, cid = company_conflict(app, logged_in)
    assert keep(logged_in, cid, "both").status_code == 400
    assert len(listed(app.state.ctx.engine, owner_id(app, logged_in))) == 1


def test_another_person_cannot_see_or_settle_them(
    app: FastAPI, logged_in: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    rid, cid = company_conflict(app, logged_in)
    other = client_factory()
    assert register(other, "lisi").status_code == 303
    assert login(other, "lisi").status_code == 303
    html = other.get("/conflicts").text
    assert cid not in html and "张三" not in html and badge(html) is None
    for which in ("kept", "other"):
        assert keep(other, cid, which).status_code == 404
    owner = owner_id(app, logged_in)
    assert [str(c.id) for c in listed(app.state.ctx.engine, owner)] == [cid]
    assert app.state.ctx.records.get(owner, "contact", rid).data["company"] == "百度"


def test_a_field_changed_since_follows_the_merge_rules(app: FastAPI, logged_in: TestClient) -> None:
    """The person keeps the other version of a field someone changed again since the
    conflict: the later arrival (this choice) wins and the value it replaces is a new stored
    conflict — nothing typed is lost. Keeping the kept one then leaves the newest value."""
    rid, cid = company_conflict(app, logged_in)
    owner = owner_id(app, logged_in)
    now = app.state.ctx.records.get(owner, "contact", rid)
    send(app, owner, update(now.id, "contact", now.version, {"company": "华为"}))
    assert keep(logged_in, cid, "other").status_code == 303
    assert app.state.ctx.records.get(owner, "contact", rid).data["company"] == "腾讯"
    [new] = listed(app.state.ctx.engine, owner)
    assert (new.kept_value, new.other_value) == ("腾讯", "华为")
    assert keep(logged_in, str(new.id), "kept").status_code == 303
    assert app.state.ctx.records.get(owner, "contact", rid).data["company"] == "腾讯"
    assert listed(app.state.ctx.engine, owner) == []


def test_another_field_changed_since_stays(app: FastAPI, logged_in: TestClient) -> None:
    rid, cid = company_conflict(app, logged_in)
    owner = owner_id(app, logged_in)
    now = app.state.ctx.records.get(owner, "contact", rid)
    send(app, owner, update(now.id, "contact", now.version, {"title": "经理"}))
    assert keep(logged_in, cid, "other").status_code == 303
    data = app.state.ctx.records.get(owner, "contact", rid).data
    assert (data["company"], data["title"]) == ("腾讯", "经理")
    assert listed(app.state.ctx.engine, owner) == []


def test_a_memo_body_shows_the_text_before_both_changes(
    app: FastAPI, logged_in: TestClient
) -> None:
    owner = owner_id(app, logged_in)
    base = "买菜\n交水费\n" + "第三行\n" * 60
    phone = base.replace("交水费", "交电费")
    laptop = base.replace("交水费", "交燃气费")
    rid, conflict = make_conflict(
        app, owner, "memo", {"title": "周末", "body": base}, "body", phone, laptop
    )
    assert conflict.reason == "text_overlap"
    html = logged_in.get("/conflicts").text
    assert "修改前的内容" in html and html.count('class="cf-value long') == 3
    assert "交燃气费" in html and "交电费" in html and "交水费" in html
    assert f'href="/memos/{rid}/edit">周末</a>' in html
    assert keep(logged_in, str(conflict.id), "other").status_code == 303
    assert app.state.ctx.records.get(owner, "memo", rid).data["body"] == conflict.other_value
    assert "交电费" in conflict.other_value


def test_values_render_escaped(app: FastAPI, logged_in: TestClient) -> None:
    owner = owner_id(app, logged_in)
    make_conflict(app, owner, "contact", {"name": SCRIPT}, "company", IMG, SCRIPT)
    make_conflict(app, owner, "memo", {"title": IMG, "body": "a"}, "body", IMG, SCRIPT)
    for path in ("/conflicts", "/conflicts/settled"):
        html = logged_in.get(path).text
        for marker in RAW_MARKERS:
            assert marker not in html, (path, marker)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in logged_in.get("/conflicts").text


def test_english_words_and_a_deleted_record(app: FastAPI, logged_in: TestClient) -> None:
    rid, _cid = company_conflict(app, logged_in)
    app.state.ctx.records.delete(owner_id(app, logged_in), "contact", rid)
    token = csrf_from(logged_in.get("/conflicts").text)
    data = {"lang": "en", "next": "/conflicts", "csrf_token": token}
    assert logged_in.post("/settings/language", data=data).status_code == 303
    html = logged_in.get("/conflicts").text
    assert "Kept version" in html and "Other version" in html and "Field: Company" in html
    assert "(this record was deleted)" in html and f"/contacts/{rid}" not in html
    assert badge(html) == 1


def test_both_word_lists_name_every_field_kind_and_reason() -> None:
    """Both languages get every key; every field of every kind and every reason has words."""
    assert set(conflict_words.ZH) == set(conflict_words.EN)
    for kind, spec in KINDS.items():
        assert f"cf_kind_{kind}" in conflict_words.ZH
        for field in spec.content.model_fields:
            assert {f"cf_field_{field}", f"cf_field_{kind}_{field}"} & set(conflict_words.ZH)
    for reason in get_args(FieldConflict.model_fields["reason"].annotation):
        assert f"cf_reason_{reason}" in conflict_words.ZH
