"""Record routes for every kind (R4–R7): CRUD, client-made ids, PATCH semantics, If-Match,
pagination, search (pinyin too) and filters, all through HTTP."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .support import PLURALS, Person, sample
from .test_auth import assert_envelope

CHANGES: dict[str, dict[str, Any]] = {
    "groups": {"name": "同事"},
    "contacts": {"company": "腾讯"},
    "memos": {"pinned": False},
    "birthdays": {"notes": "送花"},
    "holidays": {"name": "中秋节", "date": {"calendar": "lunar", "month": 8, "day": 15}},
    "events": {"location": "三楼会议室"},
}
KIND = {p: p[:-1] for p in PLURALS}


@pytest.mark.parametrize("plural", PLURALS)
def test_create_read_update_delete(person: Person, plural: str) -> None:
    data = sample(plural)
    created = person.post(f"/{plural}", data)
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["kind"] == KIND[plural]
    assert record["version"] == 1
    assert record["deleted"] is False
    uuid.UUID(record["id"])
    for key in ("name", "title"):
        if key in data:
            assert record[key] == data[key]
    location = created.headers["location"]
    assert location == f"/api/v1/{plural}/{record['id']}"
    assert person.client.get(location, headers=person.headers).json() == record

    changed = person.patch(f"/{plural}/{record['id']}", CHANGES[plural])
    assert changed.status_code == 200, changed.text
    after = changed.json()
    assert after["version"] == 2
    for key, value in CHANGES[plural].items():
        if isinstance(value, dict):  # a date: the defaults (year, leap) are filled in
            assert after[key] == {"year": None, "leap": False, **value}
        else:
            assert after[key] == value
    unchanged = {k: v for k, v in record.items() if k not in {*CHANGES[plural], "version"}}
    assert {k: after[k] for k in unchanged if k != "updated_at"} == {
        k: v for k, v in unchanged.items() if k != "updated_at"
    }

    deleted = person.delete(f"/{plural}/{record['id']}")
    assert deleted.status_code == 200, deleted.text
    tomb = deleted.json()
    assert tomb["deleted"] is True
    assert tomb["id"] == record["id"] and tomb["kind"] == KIND[plural]
    assert tomb["version"] == 3
    assert_envelope(person.get(f"/{plural}/{record['id']}"), 404, "not_found")
    assert_envelope(person.patch(f"/{plural}/{record['id']}", CHANGES[plural]), 404)
    assert record["id"] not in {r["id"] for r in person.get(f"/{plural}").json()["items"]}


def test_client_made_id_is_kept_and_cannot_be_reused(person: Person) -> None:
    chosen = str(uuid.uuid4())
    created = person.post("/memos", {**sample("memos"), "id": chosen})
    assert created.status_code == 201
    assert created.json()["id"] == chosen
    again = person.post("/memos", {**sample("memos"), "id": chosen})
    assert_envelope(again, 409)


def test_patch_null_clears_and_unknown_fields_are_refused(person: Person) -> None:
    contact = person.create("contacts", sample("contacts"))
    cleared = person.patch(f"/contacts/{contact['id']}", {"birthday": None, "company": None})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["birthday"] is None
    assert cleared.json()["company"] == ""
    assert_envelope(person.patch(f"/contacts/{contact['id']}", {"name": None}), 422, field="name")
    unknown = person.patch(f"/contacts/{contact['id']}", {"nickname": "小张"})
    assert_envelope(unknown, 422, "unknown_field", "nickname")
    assert person.get(f"/contacts/{contact['id']}").json()["version"] == 2


def test_if_match_makes_changes_conditional(person: Person) -> None:
    memo = person.create("memos", sample("memos"))
    path = f"/memos/{memo['id']}"
    assert person.patch(path, {"title": "v2"}, headers={"If-Match": "1"}).status_code == 200
    stale = person.patch(path, {"title": "lost"}, headers={"If-Match": "1"})
    assert_envelope(stale, 409, "version_conflict")
    assert person.get(path).json()["title"] == "v2"
    assert person.patch(path, {"title": "v3"}, headers={"If-Match": '"2"'}).status_code == 200
    assert_envelope(person.delete(path, headers={"If-Match": "2"}), 409, "version_conflict")
    bad = person.delete(path, headers={"If-Match": "soon"})
    assert_envelope(bad, 422, "invalid", "If-Match")
    assert person.delete(path, headers={"If-Match": "3"}).json()["version"] == 4


def test_pagination_walks_every_record_once(person: Person) -> None:
    made = {person.create("memos", {"title": f"备忘 {i}"})["id"] for i in range(7)}
    seen: list[str] = []
    cursor = None
    sizes = []
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = person.get("/memos", params=params).json()
        sizes.append(len(page["items"]))
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sizes == [3, 3, 1]
    assert sorted(seen) == sorted(made)
    assert len(person.get("/memos").json()["items"]) == 7  # default limit 50
    assert_envelope(person.get("/memos", params={"limit": 0}), 422, field="limit")
    assert_envelope(person.get("/memos", params={"limit": 501}), 422, field="limit")
    assert len(person.get("/memos", params={"limit": 500}).json()["items"]) == 7
    tampered = person.get("/memos", params={"cursor": "not-a-cursor"})
    assert_envelope(tampered, 422, field="cursor")


def test_contacts_are_found_by_pinyin_initials_phone_and_company(person: Person) -> None:
    ids = {}
    for name, phone, company in [
        ("张三", "13800138000", "阿里巴巴"),
        ("李四", "13912345678", "腾讯"),
        ("曾小贤", "+86 10 6552 9988", "电台"),
    ]:
        body = {"name": name, "phones": [{"value": phone}], "company": company}
        ids[name] = person.create("contacts", body)["id"]

    def found(q: str) -> set[str]:
        response = person.get("/contacts", params={"q": q})
        assert response.status_code == 200, response.text
        return {item["name"] for item in response.json()["items"]}

    assert found("zs") == {"张三"}
    assert found("zhangsan") == {"张三"}
    assert found("张") == {"张三"}
    assert found("zeng") == {"曾小贤"}  # 曾 read as a surname
    assert found("1391") == {"李四"}
    assert found("腾讯") == {"李四"}
    assert found("nobody-like-this") == set()


def test_filters_combine_with_search(person: Person) -> None:
    family = person.create("groups", {"name": "家人"})["id"]
    person.create("contacts", {"name": "张三", "groups": [family]})
    person.create("contacts", {"name": "张伟", "birthday": {"month": 5, "day": 1}})
    person.create(
        "contacts", {"name": "李四", "groups": [family], "birthday": {"month": 1, "day": 2}}
    )

    def names(**params: Any) -> set[str]:
        response = person.get("/contacts", params=params)
        assert response.status_code == 200, response.text
        return {item["name"] for item in response.json()["items"]}

    assert names(group=family) == {"张三", "李四"}
    assert names(has_birthday="true") == {"张伟", "李四"}
    assert names(has_birthday="false") == {"张三"}
    assert names(group=family, has_birthday="true") == {"李四"}
    assert names(q="zhang", group=family) == {"张三"}
    assert_envelope(person.get("/contacts", params={"group": "家人"}), 422, field="group")
    assert_envelope(person.get("/contacts", params={"has_birthday": "maybe"}), 422)

    person.create("memos", {"title": "置顶", "pinned": True})
    person.create("memos", {"title": "普通"})
    pinned = person.get("/memos", params={"pinned": "true"}).json()["items"]
    assert [m["title"] for m in pinned] == ["置顶"]
    lunar = person.create("holidays", sample("holidays"))["id"]
    solar = person.create("holidays", {"name": "国庆节", "date": {"month": 10, "day": 1}})["id"]
    found = person.get("/holidays", params={"calendar": "lunar"}).json()["items"]
    assert [h["id"] for h in found] == [lunar]
    assert solar not in {h["id"] for h in found}


@pytest.mark.parametrize(
    ("plural", "body", "field"),
    [
        ("birthdays", {"name": "王五", "date": {"year": 2026, "month": 2, "day": 30}}, "date.day"),
        ("groups", {"name": "   "}, "name"),
        ("contacts", {"name": ""}, "name"),
        ("contacts", {"name": "王五", "emails": [{"value": "not-an-email"}]}, "emails.0.value"),
        ("contacts", {"name": "王五", "phones": [{"value": "abc"}]}, "phones.0.value"),
        ("contacts", {"name": "王五", "groups": [str(uuid.uuid4())]}, "groups.0"),
        (
            "holidays",
            {
                "name": "闰六月",
                "date": {"calendar": "lunar", "year": 2026, "month": 6, "day": 1, "leap": True},
            },
            "date.leap",
        ),
        (
            "holidays",
            {"name": "一次", "date": {"month": 3, "day": 3}, "yearly": False},
            "date.year",
        ),
        ("events", {"title": "会", "start": "2026-01-01T10:00", "rrule": "FREQ=NEVER"}, "rrule"),
        ("memos", {"title": "x", "colour": "red"}, "colour"),
    ],
)
def test_invalid_input_is_a_422_naming_the_field_and_stores_nothing(
    person: Person, plural: str, body: dict[str, Any], field: str
) -> None:
    before = person.get(f"/{plural}").json()["items"]
    error = assert_envelope(person.post(f"/{plural}", body), 422, field=field)
    assert field in {d["field"] for d in error["details"]}
    assert error["message"]
    assert person.get(f"/{plural}").json()["items"] == before


def test_bad_ids_and_bodies(person: Person) -> None:
    assert_envelope(person.get("/contacts/not-a-uuid"), 422, field="id")
    assert_envelope(person.get(f"/contacts/{uuid.uuid4()}"), 404, "not_found")
    raw = person.client.post(
        "/api/v1/memos",
        content=b'{"title": ',
        headers={**person.headers, "content-type": "application/json"},
    )
    assert_envelope(raw, 422)
    assert_envelope(person.post("/memos", ["not", "an", "object"]), 422)
