"""The option tables of the CLI (issue 3 §6: ``add``/``edit`` take one option per field, e.g.
``--phone`` repeated with a label, ``--lunar 8-15``, ``--lunar 闰4-15``; R4–R7): what the
options become, checked against the real content models, and errors that name the option."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from almanac.cli import fields
from almanac.errors import InvalidInput
from almanac.model import KINDS, validate_content


class NoLinks:
    """These tests give no --group/--contact: linked names are resolved by the store and are
    tested end to end in test_client_cli.py."""

    def group_id(self, text: str) -> str:
        raise AssertionError(text)

    def contact_id(self, text: str) -> str:
        raise AssertionError(text)


def content(kind: str, **raw: Any) -> dict[str, Any]:
    return fields.changes_from(kind, raw, None, NoLinks())


def test_every_field_of_every_model_has_an_option() -> None:
    """One option (or option group) per field of each kind's model (issue 3 §6)."""
    for kind, spec in KINDS.items():
        covered = {f.field for f in fields.TABLES[kind]}
        assert covered == set(spec.content.model_fields), kind


def test_contact_options_become_valid_content() -> None:
    data = content(
        "contact",
        name="张伟",
        phone=["13800138000", "工作:010-6552 9988"],
        email=["zhang.wei@example.cn"],
        company="北京星辰科技有限公司",
        birthday="农历闰4-15",
        notes="大学同学",
    )
    assert data["phones"] == [
        {"value": "13800138000"},
        {"label": "工作", "value": "010-6552 9988"},
    ]
    assert data["birthday"] == {"calendar": "lunar", "month": 4, "day": 15, "leap": True}
    model = validate_content("contact", data)
    assert model.phones[0].label == "mobile"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("option", "text", "expected"),
    [
        ("lunar", "8-15", {"calendar": "lunar", "month": 8, "day": 15, "leap": False}),
        ("lunar", "闰4-15", {"calendar": "lunar", "month": 4, "day": 15, "leap": True}),
        ("lunar", "L4-15", {"calendar": "lunar", "month": 4, "day": 15, "leap": True}),
        ("solar", "5-20", {"calendar": "solar", "month": 5, "day": 20, "leap": False}),
        ("solar", "1990-5-20", {"calendar": "solar", "month": 5, "day": 20, "leap": False,
                                "year": 1990}),
    ],
)  # fmt: skip
def test_birthday_dates(option: str, text: str, expected: dict[str, Any]) -> None:
    data = content("birthday", name="李娜", **{option: text})
    assert data["date"] == expected
    validate_content("birthday", data)


def test_year_option_joins_the_date() -> None:
    data = content("birthday", name="王芳", lunar="8-15", year=1990)
    assert data["date"]["year"] == 1990
    assert validate_content("birthday", data).date.year == 1990  # type: ignore[attr-defined]


def test_edit_keeps_what_is_not_given() -> None:
    current = {"calendar": "lunar", "month": 8, "day": 15, "leap": False, "year": 1990}
    changed = fields.changes_from("birthday", {"lunar": "9-9"}, {"date": current}, NoLinks())
    assert changed == {"date": {"calendar": "lunar", "month": 9, "day": 9, "leap": False,
                                "year": 1990}}  # fmt: skip
    only_year = fields.changes_from("birthday", {"year": 1991}, {"date": current}, NoLinks())
    assert only_year == {"date": {**current, "year": 1991}}
    cleared = fields.changes_from("birthday", {}, {"date": current}, NoLinks(), ["year"])
    assert cleared == {"date": {**current, "year": None}}
    assert fields.changes_from("contact", {}, {}, NoLinks(), ["--phone", "company"]) == {
        "phones": None,
        "company": None,
    }


@given(
    month=st.integers(1, 12),
    day=st.integers(1, 30),
    leap=st.booleans(),
    year=st.none() | st.integers(1901, 2099),
    mark=st.sampled_from(["闰", "L", "l"]),
)
def test_lunar_text_round_trip(
    month: int, day: int, leap: bool, year: int | None, mark: str
) -> None:
    """Any M-D the person can type is read back exactly (issue 3 §6 ``--lunar``)."""
    text = (f"{year}-" if year else "") + (mark if leap else "") + f"{month}-{day}"
    spec = fields.month_day(text, "--lunar", lunar=True)
    assert (spec["month"], spec["day"], spec["leap"], spec.get("year")) == (month, day, leap, year)


@pytest.mark.parametrize(
    ("raw", "option"),
    [
        ({"lunar": "八月十五"}, "--lunar"),
        ({"solar": "L5-20"}, "--solar"),
        ({"solar": "5-20", "lunar": "8-15"}, "--solar"),
        ({"remind": ["明天"]}, "--remind"),
    ],
)
def test_bad_option_text_names_the_option(raw: dict[str, Any], option: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        content("holiday", name="中秋", **raw)
    assert caught.value.field == option
    assert option in caught.value.message


def test_model_errors_are_named_by_option() -> None:
    """A model error on ``phones.0.value`` is reported as ``--phone`` (issue 3 §6)."""
    data = content("contact", name="赵敏", phone=["手机:12ab"])
    with pytest.raises(InvalidInput) as caught:
        validate_content("contact", data)
    named = fields.with_options("contact", caught.value)
    assert named.field == "--phone"
    assert named.message.startswith("--phone: phones.0.value")


def test_events_and_memos() -> None:
    day = content("event", title="部门年会", start="2026-01-20", location="国贸大酒店")
    assert day["all_day"] is True
    validate_content("event", day)
    timed = content(
        "event",
        title="周会",
        start="2026-05-04T09:30",
        end="2026-05-04T10:30",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        exdate=["2026-05-11T09:30"],
        move=["2026-05-18T09:30=2026-05-19T14:00/2026-05-19T15:00"],
        remind=["0@-", "1@20:00"],
    )
    assert timed["all_day"] is False
    assert timed["reminders"] == [{"days_before": 0, "at": None}, {"days_before": 1, "at": "20:00"}]
    validate_content("event", timed)
    memo = content("memo", title="买菜", body="鸡蛋\n西红柿", pinned=True, remind=["off"])
    assert memo == {"title": "买菜", "body": "鸡蛋\n西红柿", "pinned": True, "reminders": []}
    validate_content("memo", memo)


def test_unknown_clear_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        fields.changes_from("group", {}, {}, NoLinks(), ["colour"])
    assert caught.value.field == "--clear"


def test_sync_bar_shows_only_on_long_syncs() -> None:
    """Issue 3 §6: a progress bar on long syncs (many changes), none on short ones."""
    from almanac.cli.session import BAR_MIN_TOTAL, SyncBar
    from almanac.client.reports import SyncProgress

    short = SyncBar(enabled=True)
    short(SyncProgress("push", 0, 3))
    short(SyncProgress("push", 3, 3))
    assert short.progress is None
    long = SyncBar(enabled=True)
    long(SyncProgress("pull", 0, BAR_MIN_TOTAL * 5))
    long(SyncProgress("pull", BAR_MIN_TOTAL, BAR_MIN_TOTAL * 5))
    assert long.progress is not None
    task = long.progress.tasks[0]
    assert (task.completed, task.total) == (BAR_MIN_TOTAL, BAR_MIN_TOTAL * 5)
    long.stop()
    off = SyncBar(enabled=False)
    off(SyncProgress("pull", 0, BAR_MIN_TOTAL * 5))
    assert off.progress is None
