"""A new record's form sent twice makes one record (issue 5 §5; R11, R14), in process.

Every add form carries a hidden record id made when the form is rendered. When the first send
reached the server but its answer was lost, offline.js (or the browser's own "resubmit")
sends the same form again: the person's own record with that id and the same content is
answered as a fresh save; a different content shows the conflict page; an id that is not the
person's (another person's record, a deleted one) brings the form back with a new id and
tells nothing about the record (isolation)."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .support import csrf_from, login, records_of, register

ID_INPUT = re.compile(r'<input type="hidden" name="id" value="([^"]*)">')

# One filled add form of every kind (the fields the form names), and its list of records.
FORMS: dict[str, tuple[str, dict[str, str]]] = {
    "contact": (
        "/contacts/new",
        {
            "name": "李娜",
            "phones.0.label": "mobile",
            "phones.0.value": "+86 139 1000 2000",
            "company": "苏州园林设计院",
            "notes": "周三下午见面\n带上合同",
        },
    ),
    "memo": ("/memos/new", {"title": "房租", "body": "每月5号前转账", "pinned": "1"}),
    "birthday": (
        "/birthdays/new",
        {"name": "外婆", "date.calendar": "lunar", "date.month": "8", "date.day": "15"},
    ),
    "holiday": (
        "/holidays/new",
        {"name": "结婚纪念日", "date.month": "5", "date.day": "20", "yearly": "1"},
    ),
    "event": (
        "/events/new",
        {
            "title": "牙医复诊",
            "start_date": "2026-12-03",
            "start_time": "09:30",
            "end_time": "10:00",
            "location": "口腔医院",
        },
    ),
    "group": ("/groups/new", {"name": "同学"}),
}


def _new_id(html: str) -> str:
    found = ID_INPUT.findall(html)
    assert len(found) == 1, "an add form carries exactly one record id"
    return found[0]


def _send(client: TestClient, action: str, data: dict[str, str], token_page: str) -> Any:
    """Post ``data`` with a fresh CSRF token, as offline.js's resend does."""
    token = csrf_from(client.get(token_page).text)
    return client.post(action, data={**data, "csrf_token": token})


@pytest.mark.parametrize("kind", list(FORMS))
def test_the_same_add_form_sent_twice_makes_one_record(
    app: FastAPI, logged_in: TestClient, kind: str
) -> None:
    action, filled = FORMS[kind]
    page = logged_in.get(action).text
    record_id = _new_id(page)
    assert UUID(record_id).version == 4
    assert _new_id(logged_in.get(action).text) != record_id  # each rendering its own id
    sent = {**filled, "id": record_id}
    first = _send(logged_in, action, sent, action)
    assert first.status_code == 303, first.text
    again = _send(logged_in, action, sent, action)
    assert again.status_code == 303, again.text
    assert again.headers["location"] == first.headers["location"]
    stored = records_of(app, logged_in, kind)
    assert [str(r.id) for r in stored] == [record_id]
    assert stored[0].version == 1  # answered, not written again


def test_the_add_group_form_beside_the_contacts_list_carries_an_id(
    app: FastAPI, logged_in: TestClient
) -> None:
    page = logged_in.get("/contacts").text
    group_id = _new_id(page)
    for _ in range(2):
        sent = _send(logged_in, "/groups/new", {"name": "家人", "id": group_id}, "/contacts")
        assert sent.status_code == 303
        assert sent.headers["location"] == f"/contacts?group={group_id}"
    assert [str(g.id) for g in records_of(app, logged_in, "group")] == [group_id]


def test_a_resend_with_other_content_shows_the_conflict_and_keep_mine_saves_it(
    app: FastAPI, logged_in: TestClient
) -> None:
    """The first send was saved; the person changed the kept form before sending again."""
    record_id = _new_id(logged_in.get("/memos/new").text)
    base = {"title": "体检", "body": "空腹", "id": record_id}
    assert _send(logged_in, "/memos/new", base, "/memos/new").status_code == 303
    changed = _send(logged_in, "/memos/new", {**base, "body": "空腹，带上医保卡"}, "/memos/new")
    assert changed.status_code == 409
    assert "保存冲突" in changed.text and "上次已经保存" in changed.text
    assert "空腹，带上医保卡" in changed.text  # mine
    keep = re.search(r'<form method="post" action="([^"]+)"', changed.text)
    assert keep is not None and keep.group(1) == f"/memos/{record_id}/edit"
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', changed.text))
    assert hidden["version"] == "1" and "id" not in hidden
    (memo,) = records_of(app, logged_in, "memo")
    assert memo.data["body"] == "空腹"  # nothing overwritten until the person chooses
    kept = logged_in.post(keep.group(1), data=hidden)
    assert kept.status_code == 303
    (memo,) = records_of(app, logged_in, "memo")
    assert (memo.data["body"], memo.version) == ("空腹，带上医保卡", 2)


def test_the_english_page_explains_it_too(logged_in: TestClient) -> None:
    record_id = _new_id(logged_in.get("/memos/new").text)
    base = {"title": "Dentist", "body": "9:30", "id": record_id}
    _send(logged_in, "/memos/new?lang=en", base, "/memos/new?lang=en")
    changed = _send(logged_in, "/memos/new?lang=en", {**base, "body": "10:00"}, "/memos/new")
    assert changed.status_code == 409 and "only the answer was" in changed.text


def test_another_persons_id_tells_nothing_and_takes_nothing(
    app: FastAPI, logged_in: TestClient, client_factory: Any
) -> None:
    """Isolation: an id of wang's used by li is refused as taken (409), with a new id in the
    form and li's typing kept; wang's record is neither shown nor changed."""
    record_id = _new_id(logged_in.get("/contacts/new").text)
    secret = {"name": "王秘", "company": "机密公司", "id": record_id}
    assert _send(logged_in, "/contacts/new", secret, "/contacts/new").status_code == 303

    other = client_factory()
    assert register(other, "lisi").status_code == 303
    assert login(other, "lisi").status_code == 303
    taken = _send(other, "/contacts/new", {"name": "李四", "id": record_id}, "/contacts/new")
    assert taken.status_code == 409
    assert "记录编号已被占用" in taken.text
    assert "王秘" not in taken.text and "机密公司" not in taken.text
    assert 'value="李四"' in taken.text  # li's typing kept
    fresh = _new_id(taken.text)
    assert fresh != record_id
    assert records_of(app, other, "contact") == []
    assert other.get(f"/contacts/{record_id}").status_code == 404
    (wang,) = records_of(app, logged_in, "contact")
    assert (wang.data["name"], wang.version) == ("王秘", 1)
    # Saved again with the new id, li's contact is made.
    again = _send(other, "/contacts/new", {"name": "李四", "id": fresh}, "/contacts/new")
    assert again.status_code == 303
    assert [str(c.id) for c in records_of(app, other, "contact")] == [fresh]


def test_a_deleted_records_id_brings_the_form_back_with_a_new_one(
    app: FastAPI, logged_in: TestClient
) -> None:
    record_id = _new_id(logged_in.get("/memos/new").text)
    sent = {"title": "退订杂志", "body": "", "id": record_id}
    assert _send(logged_in, "/memos/new", sent, "/memos/new").status_code == 303
    deleted = _send(logged_in, f"/memos/{record_id}/delete", {"version": "1"}, "/memos")
    assert deleted.status_code == 303
    again = _send(logged_in, "/memos/new", sent, "/memos/new")
    assert again.status_code == 409 and "记录编号已被占用" in again.text
    assert _new_id(again.text) != record_id
    assert records_of(app, logged_in, "memo") == []


def test_bad_ids_are_refused_by_name_and_a_missing_one_is_made(
    app: FastAPI, logged_in: TestClient
) -> None:
    bad = _send(logged_in, "/memos/new", {"title": "买菜", "id": "not-a-uuid"}, "/memos/new")
    assert bad.status_code == 422
    assert "记录编号" in bad.text and 'value="买菜"' in bad.text
    assert UUID(_new_id(bad.text))  # the form comes back with a good id
    assert records_of(app, logged_in, "memo") == []
    older_page = _send(logged_in, "/memos/new", {"title": "买菜"}, "/memos/new")
    assert older_page.status_code == 303
    assert len(records_of(app, logged_in, "memo")) == 1


def test_a_form_with_problems_keeps_its_id(logged_in: TestClient) -> None:
    record_id = _new_id(logged_in.get("/events/new").text)
    refused = _send(logged_in, "/events/new", {"title": "会", "id": record_id}, "/events/new")
    assert refused.status_code == 422
    assert _new_id(refused.text) == record_id  # nothing was stored: the same form, same id


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40),
    body=st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
    pinned=st.booleans(),
)
def test_any_memo_sent_twice_is_one_memo(
    app: FastAPI, logged_in: TestClient, title: str, body: str, pinned: bool
) -> None:
    """Whatever is typed (as the store keeps it: trimmed, newlines normalised), the second
    send is recognised as the same content."""
    record_id = _new_id(logged_in.get("/memos/new").text)
    sent = {"title": title, "body": body, "id": record_id, **({"pinned": "1"} if pinned else {})}
    first = _send(logged_in, "/memos/new", sent, "/memos/new")
    if first.status_code != 303:  # e.g. only spaces: refused with its problem, nothing stored
        assert first.status_code == 422
        assert record_id not in {str(m.id) for m in records_of(app, logged_in, "memo")}
        return
    again = _send(logged_in, "/memos/new", sent, "/memos/new")
    assert again.status_code == 303, again.text
    assert [str(m.id) for m in records_of(app, logged_in, "memo")].count(record_id) == 1
