"""The operations others call: registry, filters, PATCH merge, dump/load, references, unique
terms (R4–R7; issue 2 §2 and §5), and the core's purity (issue 2 §7)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from almanac.errors import InvalidInput
from almanac.model import (
    KINDS,
    Contact,
    Event,
    Reference,
    apply_patch,
    dump_content,
    kind_for_plural,
    load_content,
    references,
    unique_terms,
    validate_changed,
    validate_content,
)

# --- registry ------------------------------------------------------------------------------


def test_six_kinds_with_plurals_and_labels() -> None:
    assert list(KINDS) == ["group", "contact", "memo", "birthday", "holiday", "event"]
    assert {k: s.plural for k, s in KINDS.items()} == {
        "group": "groups",
        "contact": "contacts",
        "memo": "memos",
        "birthday": "birthdays",
        "holiday": "holidays",
        "event": "events",
    }
    assert KINDS["contact"].label_zh == "联系人" and KINDS["contact"].label_en == "contact"
    assert kind_for_plural("memos") is KINDS["memo"]
    with pytest.raises(KeyError):
        kind_for_plural("stocks")


@pytest.mark.parametrize("kind", list(KINDS))
def test_update_models_have_every_field_optional(kind) -> None:
    spec = KINDS[kind]
    assert set(spec.update.model_fields) == set(spec.content.model_fields)
    assert spec.update.model_validate({}).model_dump(exclude_unset=True) == {}
    schema = spec.update.model_json_schema()
    assert "required" not in schema


def test_filters_per_kind() -> None:
    assert {k: sorted(s.filters) for k, s in KINDS.items()} == {
        "group": [],
        "contact": ["group", "has_birthday"],
        "memo": ["has_due", "pinned"],
        "birthday": ["calendar", "contact"],
        "holiday": ["calendar", "yearly"],
        "event": ["all_day", "recurring"],
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("false", False), ("0", False)],
)
def test_boolean_filters(raw, expected) -> None:
    assert KINDS["contact"].filters["has_birthday"].terms(raw) == ("f:has_birthday", expected)
    assert KINDS["memo"].filters["pinned"].terms(raw) == ("f:pinned", expected)


@pytest.mark.parametrize("raw", ["yes", "", "2", "真"])
def test_bad_boolean_filter_names_the_parameter(raw) -> None:
    with pytest.raises(InvalidInput) as caught:
        KINDS["holiday"].filters["yearly"].terms(raw)
    assert caught.value.field == "yearly"
    assert "yearly" in caught.value.message


def test_link_and_calendar_filters() -> None:
    gid = uuid4()
    assert KINDS["contact"].filters["group"].terms(str(gid).upper()) == (f"g:{gid}", True)
    assert KINDS["birthday"].filters["contact"].terms(str(gid)) == (f"c:{gid}", True)
    assert KINDS["birthday"].filters["calendar"].terms("lunar") == ("f:lunar", True)
    assert KINDS["holiday"].filters["calendar"].terms("solar") == ("f:lunar", False)
    with pytest.raises(InvalidInput) as caught:
        KINDS["contact"].filters["group"].terms("family")
    assert caught.value.field == "group"
    with pytest.raises(InvalidInput) as caught:
        KINDS["holiday"].filters["calendar"].terms("julian")
    assert caught.value.field == "calendar"


# --- references, unique terms ----------------------------------------------------------------


def test_references() -> None:
    g1, g2, cid = uuid4(), uuid4(), uuid4()
    contact = validate_content("contact", {"name": "a", "groups": [str(g1), str(g2)]})
    assert references("contact", contact) == [
        Reference("groups.0", "group", g1),
        Reference("groups.1", "group", g2),
    ]
    birthday = validate_content(
        "birthday", {"name": "a", "contact_id": str(cid), "date": {"month": 1, "day": 1}}
    )
    assert references("birthday", birthday) == [Reference("contact_id", "contact", cid)]
    assert references("memo", validate_content("memo", {"title": "t"})) == []


def test_group_name_is_unique_case_insensitively() -> None:
    a = unique_terms("group", validate_content("group", {"name": "Family"}))
    b = unique_terms("group", validate_content("group", {"name": " FAMILY "}))
    c = unique_terms("group", validate_content("group", {"name": "ＦＡＭＩＬＹ"}))
    assert a == b == c == {"u:family": "name"}
    assert unique_terms("contact", validate_content("contact", {"name": "a"})) == {}


# --- PATCH -----------------------------------------------------------------------------------


@pytest.fixture
def contact() -> Contact:
    content = validate_content(
        "contact",
        {"name": "张三", "phones": [{"value": "13800138000"}], "company": "阿里巴巴", "notes": "n"},
    )
    assert isinstance(content, Contact)
    return content


def test_patch_replaces_only_given_fields(contact) -> None:
    patched = apply_patch("contact", contact, {"company": "腾讯", "phones": []})
    assert isinstance(patched, Contact)
    assert (patched.name, patched.company, patched.phones, patched.notes) == (
        "张三",
        "腾讯",
        [],
        "n",
    )
    assert contact.company == "阿里巴巴"  # the current content is untouched


def test_patch_null_clears_optional_fields_to_their_default(contact) -> None:
    patched = apply_patch("contact", contact, {"notes": None, "phones": None, "birthday": None})
    assert isinstance(patched, Contact)
    assert (patched.notes, patched.phones, patched.birthday) == ("", [], None)


def test_patch_unknown_field_is_refused(contact) -> None:
    with pytest.raises(InvalidInput) as caught:
        apply_patch("contact", contact, {"nickname": "小张"})
    assert (caught.value.field, caught.value.code) == ("nickname", "unknown_field")


def test_patch_null_on_required_field_is_refused(contact) -> None:
    with pytest.raises(InvalidInput) as caught:
        apply_patch("contact", contact, {"name": None})
    assert (caught.value.field, caught.value.code) == ("name", "required")


def test_patch_result_is_validated_whole(contact) -> None:
    with pytest.raises(InvalidInput) as caught:
        apply_patch("contact", contact, {"phones": [{"value": "x"}]})
    assert caught.value.field == "phones.0.value"
    holiday = validate_content("holiday", {"name": "h", "date": {"month": 1, "day": 1}})
    with pytest.raises(InvalidInput) as caught:
        apply_patch("holiday", holiday, {"yearly": False})
    assert caught.value.field == "date.year"


def test_patch_moving_an_instant_event_moves_its_end() -> None:
    event = validate_content("event", {"title": "t", "start": "2026-05-01T09:00"})
    moved = apply_patch("event", event, {"start": "2026-05-02T09:00"})
    assert isinstance(moved, Event)
    assert moved.end == datetime(2026, 5, 2, 9, 0)
    long = validate_content(
        "event", {"title": "t", "start": "2026-05-01T09:00", "end": "2026-05-01T10:00"}
    )
    with pytest.raises(InvalidInput) as caught:
        apply_patch("event", long, {"start": "2026-05-02T09:00"})
    assert caught.value.field == "end"


def test_patch_must_be_an_object(contact) -> None:
    with pytest.raises(InvalidInput):
        apply_patch("contact", contact, ["name"])  # type: ignore[arg-type]


# --- dump → load round trip, every kind -----------------------------------------------------

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30
).map(str.strip)
name = text.filter(bool)
uuids = st.uuids().map(str)
solar = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(
    lambda d: {"year": d.year, "month": d.month, "day": d.day}
)
yearless = st.builds(
    lambda m, d, lunar: {"calendar": "lunar" if lunar else "solar", "month": m, "day": d},
    st.integers(1, 12),
    st.integers(1, 28),
    st.booleans(),
)
date_specs = st.one_of(solar, yearless)
phones = st.from_regex(r"\+?[0-9]{3,11}( [0-9]{1,4})?", fullmatch=True)
emails = st.from_regex(r"[A-Za-z0-9._]{1,10}@[a-z]{1,10}\.(com|cn|org)", fullmatch=True).filter(
    lambda e: not e.startswith(".") and ".." not in e and ".@" not in e
)
offsets = st.sampled_from([None, UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))])
moments = st.builds(
    lambda dt, tz: dt.replace(tzinfo=tz).isoformat(),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    offsets,
)

KIND_DATA = {
    "group": st.fixed_dictionaries({"name": name}),
    "contact": st.fixed_dictionaries(
        {
            "name": name,
            "phones": st.lists(st.fixed_dictionaries({"value": phones}), max_size=3),
            "emails": st.lists(st.fixed_dictionaries({"value": emails}), max_size=3),
            "company": text,
            "groups": st.lists(uuids, max_size=3, unique=True),
            "birthday": st.none() | date_specs,
            "notes": text,
        }
    ),
    "memo": st.fixed_dictionaries(
        {"title": name, "body": text, "pinned": st.booleans(), "due": st.none() | moments}
    ),
    "birthday": st.fixed_dictionaries(
        {"name": name, "contact_id": st.none() | uuids, "date": date_specs}
    ),
    "holiday": st.fixed_dictionaries({"name": name, "date": solar, "yearly": st.booleans()}),
    "event": st.fixed_dictionaries(
        {
            "title": name,
            "start": moments,
            "timezone": st.sampled_from(["Asia/Shanghai", "UTC", "America/New_York"]),
            "rrule": st.sampled_from([None, "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=5"]),
        }
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_dump_load_round_trip(kind, data) -> None:
    raw = data.draw(KIND_DATA[kind])
    content = validate_content(kind, raw)
    dumped = dump_content(content)
    loaded = load_content(kind, dumped)
    assert loaded == content
    assert dump_content(loaded) == dumped


def test_dump_is_json_ready() -> None:
    event = validate_content("event", {"title": "t", "start": "2026-05-01T09:00:00+08:00"})
    assert dump_content(event)["start"] == "2026-05-01T09:00:00+08:00"
    gid = uuid4()
    contact = validate_content("contact", {"name": "a", "groups": [str(gid)]})
    assert dump_content(contact)["groups"] == [str(gid)]
    assert isinstance(
        load_content("contact", dump_content(contact)).model_dump()["groups"][0], UUID
    )


# --- the core stays pure ---------------------------------------------------------------------


def test_model_imports_no_face() -> None:
    code = (
        "import sys, almanac.model; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'fastapi','starlette','typer','sqlalchemy','PySide6','PyQt6','rich','uvicorn'} "
        "or m.startswith('almanac.server') or m.startswith('almanac.cli')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kind", list(KINDS))
def test_json_schemas_generate_for_openapi(kind) -> None:
    spec = KINDS[kind]
    for model in (spec.content, spec.update):
        for mode in ("validation", "serialization"):
            schema = model.model_json_schema(mode=mode)
            assert schema["type"] == "object"
            assert schema.get("additionalProperties") is False


# --- validate_changed: the checks of fields still as stored are not run again ----------------

STORED_CONTACT = dump_content(
    validate_content(
        "contact",
        {"name": "王芳", "title": "会计", "emails": [{"label": "work", "value": "wf@例子.中国"}]},
    )
)


def test_validate_changed_gives_what_validate_content_gives() -> None:
    changed = {**STORED_CONTACT, "title": "主管"}
    assert validate_changed("contact", changed, STORED_CONTACT) == validate_content(
        "contact", changed
    )
    event = dump_content(
        validate_content(
            "event", {"title": "周会", "start": "2026-03-02T09:00", "rrule": "FREQ=WEEKLY"}
        )
    )
    moved = {**event, "location": "三楼"}
    assert validate_changed("event", moved, event) == validate_content("event", moved)


def test_validate_changed_checks_a_changed_email_and_rrule() -> None:
    bad = {**STORED_CONTACT, "emails": [{"label": "work", "value": "不是邮箱"}]}
    with pytest.raises(InvalidInput) as refused:
        validate_changed("contact", bad, STORED_CONTACT)
    assert refused.value.problems[0].field.startswith("emails")
    event = dump_content(validate_content("event", {"title": "周会", "start": "2026-03-02T09:00"}))
    with pytest.raises(InvalidInput):  # the shape is right; dateutil refuses the rule
        validate_changed("event", {**event, "rrule": "FREQ=WEEKLY;BYDAY=XX"}, event)
