"""A person's own settings (R3; issue 5 §3, issue 4 §3/§5): the defaults, a patch changes only
its fields, ``null`` resets one, bad input is named and changes nothing, what was stored is
read leniently, and any sequence of valid patches survives the round trip through
``stored()``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from almanac.calendar.festivals import FESTIVALS, festivals_between
from almanac.errors import InvalidInput
from almanac.model.preferences import (
    LANGUAGES,
    START_PAGES,
    Preferences,
    festival_settings,
    load_stored,
    parse_preferences,
)

FESTIVAL_IDS = [f.id for f in FESTIVALS]
ZONES = ["Asia/Shanghai", "Asia/Tokyo", "Europe/Berlin", "America/New_York", "UTC"]


def problems(patch: Any, start: Preferences | None = None) -> dict[str, str]:
    """field → code of each problem ``patched`` names (fails if it accepts)."""
    with pytest.raises(InvalidInput) as caught:
        (start or Preferences()).patched(patch)
    return {p.field: p.code for p in caught.value.problems}


def test_defaults_are_chinese_24h_monday_contacts_shanghai() -> None:
    prefs = Preferences()
    assert prefs.language == "zh-CN"
    assert (prefs.clock_format, prefs.clock_visible) == ("24h", True)
    assert prefs.week_start == 1
    assert prefs.start_page == "contacts"
    assert (prefs.festivals_hidden, prefs.festivals_shown) == ((), ())
    assert prefs.time_zone == "Asia/Shanghai"
    assert prefs.stored() == {}  # nothing set, nothing stored
    assert parse_preferences(None) == prefs == load_stored({})


def test_a_patch_changes_only_its_fields_and_null_resets_one() -> None:
    prefs = Preferences().patched({"language": "en", "clock_format": "12h", "week_start": 7})
    assert (prefs.language, prefs.clock_format, prefs.week_start) == ("en", "12h", 7)
    assert prefs.time_zone == "Asia/Shanghai"
    later = prefs.patched({"time_zone": "Asia/Tokyo", "festivals_hidden": ["qixi", "chunjie"]})
    assert later.language == "en" and later.week_start == 7  # untouched fields kept
    assert later.festivals_hidden == ("chunjie", "qixi")  # sorted
    reset = later.patched({"language": None, "festivals_hidden": None})
    assert reset.language == "zh-CN" and reset.festivals_hidden == ()
    assert reset.stored() == {"clock_format": "12h", "week_start": 7, "time_zone": "Asia/Tokyo"}
    assert later.patched({}) == later


def test_festival_lists_lose_repeats_and_a_hidden_by_default_one_can_be_shown() -> None:
    prefs = Preferences().patched(
        {"festivals_hidden": ["qixi", "qixi"], "festivals_shown": ["xiaonian_south"]}
    )
    assert prefs.festivals_hidden == ("qixi",)
    assert prefs.festivals_shown == ("xiaonian_south",)


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"colour": "red"}, {"colour": "unknown_field"}),
        ({"colour": None}, {"colour": "unknown_field"}),
        ({"language": "fr"}, {"language": "not_a_choice"}),
        ({"clock_format": "25h"}, {"clock_format": "not_a_choice"}),
        ({"week_start": 0}, {"week_start": "out_of_range"}),
        ({"week_start": 8}, {"week_start": "out_of_range"}),
        ({"week_start": "monday"}, {"week_start": "invalid_type"}),
        ({"start_page": "stocks"}, {"start_page": "not_a_choice"}),
        ({"festivals_hidden": ["qixi", "valentine"]}, {"festivals_hidden.1": "not_a_choice"}),
        ({"festivals_shown": ["nope"]}, {"festivals_shown.0": "not_a_choice"}),
        ({"festivals_hidden": "qixi"}, {"festivals_hidden": "invalid_type"}),
        ({"time_zone": "Mars/Olympus_Mons"}, {"time_zone": "unknown_timezone"}),
        ({"time_zone": "../../etc/passwd"}, {"time_zone": "unknown_timezone"}),
        ({"time_zone": 8}, {"time_zone": "invalid_type"}),
    ],
)
def test_bad_input_names_the_field(patch: dict[str, Any], expected: dict[str, str]) -> None:
    assert problems(patch) == expected


def test_every_bad_field_is_named_at_once_and_nothing_changes() -> None:
    start = Preferences().patched({"language": "en"})
    found = problems(
        {"language": "zh-CN", "time_zone": "Nowhere/Land", "festivals_hidden": ["x"]}, start
    )
    assert found == {"time_zone": "unknown_timezone", "festivals_hidden.0": "not_a_choice"}
    assert start.language == "en"  # frozen: the good field of a refused patch did not land


def test_a_patch_that_is_not_an_object_is_refused() -> None:
    assert problems(["language", "en"]) == {"": "invalid_type"}


def test_stored_settings_load_leniently() -> None:
    """A festival id retired or a zone gone from tzdata falls back to its default alone."""
    stored = {
        "language": "en",
        "festivals_hidden": ["qixi", "retired_festival"],
        "time_zone": "Gone/Zone",
        "week_start": 7,
    }
    prefs = load_stored(stored)
    assert (prefs.language, prefs.week_start) == ("en", 7)
    assert prefs.festivals_hidden == () and prefs.time_zone == "Asia/Shanghai"
    assert load_stored({"field_from_the_future": 1}) == Preferences()
    assert load_stored(None) == Preferences()


def test_every_language_and_start_page_is_accepted() -> None:
    for language in LANGUAGES:
        assert Preferences().patched({"language": language}).language == language
    for page in START_PAGES:
        assert Preferences().patched({"start_page": page}).start_page == page


# -- hypothesis: any valid patch sequence round-trips through stored() ----------------------

_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "language": st.sampled_from(LANGUAGES),
    "clock_format": st.sampled_from(("24h", "12h")),
    "clock_visible": st.booleans(),
    "week_start": st.integers(1, 7),
    "start_page": st.sampled_from(START_PAGES),
    "festivals_hidden": st.lists(st.sampled_from(FESTIVAL_IDS), max_size=6),
    "festivals_shown": st.lists(st.sampled_from(FESTIVAL_IDS), max_size=3),
    "time_zone": st.sampled_from(ZONES),
}
patches = st.fixed_dictionaries(
    {}, optional={k: st.one_of(st.none(), v) for k, v in _VALUES.items()}
)


def _expected(model: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The model of ``patched``: a value replaces, ``None`` resets to the default."""
    defaults = Preferences().model_dump(mode="json")
    out = dict(model)
    for name, value in patch.items():
        if value is None:
            out[name] = defaults[name]
        elif name.startswith("festivals_"):
            out[name] = sorted(set(value))
        else:
            out[name] = value
    return out


@given(st.lists(patches, max_size=6))
def test_any_valid_patch_sequence_round_trips_through_stored(
    sequence: list[dict[str, Any]],
) -> None:
    prefs = Preferences()
    model = prefs.model_dump(mode="json")
    for patch in sequence:
        prefs = prefs.patched(patch)
        model = _expected(model, patch)
        assert prefs.model_dump(mode="json") == model
        stored = prefs.stored()
        assert load_stored(stored) == prefs == parse_preferences(stored)
        defaults = Preferences().model_dump(mode="json")
        assert all(stored[k] != defaults[k] for k in stored)  # only what differs is kept


SOME_FESTIVALS = st.frozensets(st.sampled_from(FESTIVAL_IDS))


@given(seen=SOME_FESTIVALS)
def test_the_settings_for_a_set_of_ticked_festivals_show_exactly_those(
    seen: frozenset[str],
) -> None:
    """A settings form's ticked boxes → the two lists → the same festivals seen, on the
    calendar too (every festival falls once in 14 months)."""
    prefs = parse_preferences(festival_settings(seen))
    assert prefs.festivals_seen() == seen
    hide, show = prefs.festival_choice()
    shown = festivals_between(date(2026, 1, 1), date(2027, 2, 28), hide=hide, show=show)
    assert {fd.festival.id for fd in shown} == seen


@given(hidden=SOME_FESTIVALS, turned_on=SOME_FESTIVALS)
def test_any_choice_reads_back_as_the_same_festivals_seen(
    hidden: frozenset[str], turned_on: frozenset[str]
) -> None:
    prefs = Preferences(festivals_hidden=tuple(hidden), festivals_shown=tuple(turned_on))
    again = parse_preferences(festival_settings(prefs.festivals_seen()))
    assert again.festivals_seen() == prefs.festivals_seen()
    assert not prefs.festivals_seen() & hidden  # hidden wins over turned on


def test_an_agendas_festivals_are_the_persons_unless_a_request_names_its_own() -> None:
    prefs = Preferences(festivals_hidden=("qixi",), festivals_shown=("xiaonian_south",))
    south = frozenset({"xiaonian_south"})
    assert prefs.festival_choice() == (frozenset({"qixi"}), south)
    assert prefs.festival_choice(["yuandan"]) == (frozenset({"yuandan"}), south)
    assert prefs.festival_choice([]) == (frozenset(), south)
    assert prefs.festival_choice(also_hide=["yuandan"]).hide == {"qixi", "yuandan"}
