"""``Client.seal_file`` / ``Client.open_sealed`` (R12; issue 6 §4): a small value sealed with
the open profile's data key — which never leaves the client — for one purpose: the file holds
none of it, only this profile opens it and only for that purpose; the desktop app's rescued
text uses them (``desktop.report_rescue``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from almanac.errors import StoreDamaged, WrongPassword
from almanac.store.seal import write_sealed

from .conftest import Account

PURPOSE = "almanac/test/sealed"
VALUE = {"fields": [{"field": "标题", "text": "周五前交季度报告"}], "n": 3}


def test_sealed_by_the_client_opens_with_it_only(account: Account, tmp_path: Path) -> None:
    home = tmp_path / "home"
    client = account.login(home)
    path = tmp_path / "sealed.json"
    try:
        client.seal_file(path, PURPOSE, VALUE)
        raw = path.read_bytes()
        assert "周五".encode() not in raw and "季度".encode("unicode_escape") not in raw
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert client.open_sealed(path, PURPOSE) == VALUE
        with pytest.raises(WrongPassword):
            client.open_sealed(path, "almanac/test/other")
        other = tmp_path / "other.json"  # another profile's key sealed it
        write_sealed(other, os.urandom(32), VALUE, purpose=PURPOSE)
        with pytest.raises(WrongPassword):
            client.open_sealed(other, PURPOSE)
        plain = tmp_path / "plain.json"
        plain.write_text('{"fields": []}')
        with pytest.raises(StoreDamaged):
            client.open_sealed(plain, PURPOSE)
    finally:
        client.close()
    again = account.open(home)  # offline, after a restart: the same key opens it
    try:
        assert again.open_sealed(path, PURPOSE) == VALUE
    finally:
        again.close()
