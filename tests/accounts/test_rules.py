"""R1: the input rules for user names, passwords and device names (no database)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from almanac.errors import InvalidInput
from almanac.server.accounts.rules import (
    check_device,
    check_password,
    check_username,
    fold_username,
)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Zhang", "zhang"),
        ("ZHANG.san-1", "zhang.san-1"),
        ("Ｚｈａｎｇ３", "zhang3"),  # full-width letters and digits (NFKC)
        ("张三丰", "张三丰"),
        ("  li_si  ", "li_si"),
        ("Straße", "strasse"),  # casefold, not just lower()
        ("ΣΊΣΥΦΟΣ", "σίσυφοσ"),
    ],
)
def test_usernames_are_stored_folded(raw: str, stored: str) -> None:
    assert check_username(raw) == stored


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("ab", "too_short"),
        ("张三", "too_short"),
        ("a" * 33, "too_long"),
        ("zhang san", "bad_character"),
        ("zhang@home", "bad_character"),
        ("zhang/../x", "bad_character"),
        ("emoji😀x", "bad_character"),
        ("tab\tname", "bad_character"),
        (12345, "type"),
    ],
)
def test_bad_usernames_name_the_field(raw: object, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_username(raw)
    assert caught.value.field == "username"
    assert caught.value.code == code
    assert "username" in caught.value.message


@given(st.text(max_size=40))
def test_any_text_is_either_a_valid_folded_name_or_rejected_on_username(raw: str) -> None:
    try:
        name = check_username(raw)
    except InvalidInput as error:
        assert [p.field for p in error.problems] == ["username"]
        return
    assert 3 <= len(name) <= 32
    assert name == fold_username(name) == fold_username(raw)
    for ch in name:
        assert unicodedata.category(ch)[0] == "L" or unicodedata.category(ch) == "Nd" or ch in "_.-"


@given(st.from_regex(r"[A-Za-z0-9_.\-]{3,32}", fullmatch=True))
def test_case_variants_fold_to_one_name(raw: str) -> None:
    assert check_username(raw.upper()) == check_username(raw.lower()) == raw.lower()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("short7!", "too_short"),
        ("x" * 1025, "too_long"),
        (" " * 12, "blank"),
        ("\t\n \u3000\u00a0   ", "blank"),
        (None, "type"),
    ],
)
def test_bad_passwords_name_the_field_and_never_quote_it(raw: object, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_password(raw)
    error = caught.value
    assert error.field == "password"
    assert error.code == code
    if isinstance(raw, str) and raw.strip():
        assert raw not in str(error) and raw not in repr(error)


@given(st.text(min_size=8, max_size=60).filter(lambda s: s.strip()))
def test_passwords_of_8_to_1024_characters_are_accepted_in_nfc(raw: str) -> None:
    normalized = unicodedata.normalize("NFC", raw)
    if len(normalized) < 8 or not normalized.strip():
        return
    assert check_password(raw) == normalized


def test_password_length_bounds_are_inclusive() -> None:
    assert check_password("x" * 8) == "x" * 8
    assert check_password("密" * 1024) == "密" * 1024


def test_password_field_name_can_be_chosen() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_password("short", field="new_password")
    assert caught.value.field == "new_password"
    assert "new_password" in caught.value.message


def test_device_names_are_stripped_and_bounded() -> None:
    assert check_device("  华为 Mate 60  ") == "华为 Mate 60"
    assert check_device("d" * 100) == "d" * 100
    for bad in ["", "   ", "d" * 101, "bad\x00name", 7]:
        with pytest.raises(InvalidInput) as caught:
            check_device(bad)
        assert caught.value.field == "device"
