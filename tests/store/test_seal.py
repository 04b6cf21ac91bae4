"""Sealed files (R12; issue 6 §4): a value kept on disk encrypted with the profile's data key —
what the desktop app rescues after a severe error. The file holds none of the value in any
encoding; only the key that sealed it, for the purpose it was sealed for, opens it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from almanac.errors import StoreDamaged, WrongPassword
from almanac.store.seal import FORMAT, open_sealed, open_value, seal_value, write_sealed

PURPOSE = "rescued-text"
TYPED = "周五给妈妈打电话，记得问她体检结果。Call Mum on Friday"


def test_a_sealed_file_opens_with_its_key_and_holds_none_of_the_text(
    tmp_path: Path, key: bytes
) -> None:
    value = {"fields": [{"field": "备忘录 / title", "text": TYPED}]}
    path = tmp_path / "rescued-1.json"
    write_sealed(path, key, value, purpose=PURPOSE)
    raw = path.read_bytes()
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le"):
        for word in ("周五给妈妈打电话", "体检结果", "Call Mum", "备忘录"):
            assert word.encode(encoding) not in raw, (encoding, word)
    assert json.loads(raw)["format"] == FORMAT
    assert path.stat().st_mode & 0o077 == 0
    assert open_sealed(path, key, purpose=PURPOSE) == value


def test_another_key_or_purpose_does_not_open_it(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "rescued-2.json"
    write_sealed(path, key, TYPED, purpose=PURPOSE)
    with pytest.raises(WrongPassword):
        open_sealed(path, os.urandom(32), purpose=PURPOSE)
    with pytest.raises(WrongPassword):
        open_sealed(path, key, purpose="something-else")
    blob = json.loads(path.read_text(encoding="ascii"))
    blob["sealed"] = blob["sealed"][:-4] + ("AAAA" if blob["sealed"][-4:] != "AAAA" else "BBBB")
    with pytest.raises(WrongPassword):  # a changed byte fails the GCM tag
        open_value(key, blob, purpose=PURPOSE)


@pytest.mark.parametrize("content", [b"", b"{}", b"[1]", b"plain text", b'{"format": "x"}'])
def test_a_file_that_is_not_sealed_is_said_so(tmp_path: Path, key: bytes, content: bytes) -> None:
    path = tmp_path / "rescued-3.json"
    path.write_bytes(content)
    with pytest.raises(StoreDamaged):
        open_sealed(path, key, purpose=PURPOSE)


@settings(max_examples=60, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    )
)
def test_any_json_value_comes_back(value: object) -> None:
    key = os.urandom(32)
    assert open_value(key, seal_value(key, value, purpose=PURPOSE), purpose=PURPOSE) == value
