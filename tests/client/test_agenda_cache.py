"""``Client.agenda`` is kept until the records change (issue 6 §2 follow-up; R6, R7, R12): the
store's change counter (``LocalStore.changes``, ``almanac.store.changes``) moves on an edit, a
pull, a write rolled back and another process's commit — and then the next agenda is read
again — but not on reads, a reminder check's bookkeeping (the store's meta) or nothing at all,
when the same agenda object comes back. Another zone or festival choice builds another."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from almanac.client.facade import Client

from .conftest import Account

SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 8, 19)  # 农历七月初七: 七夕


def titles(client: Client) -> list[str]:
    return [item.title for item in client.agenda().between(DAY, DAY) if item.kind != "term"]


def birthday(name: str) -> dict[str, object]:
    return {"name": name, "date": {"calendar": "lunar", "month": 7, "day": 7}}


def test_no_change_gives_the_same_agenda(account: Account, tmp_path: Path) -> None:
    client = account.login(tmp_path / "home")
    try:
        client.add("birthday", birthday("外婆"))
        first = client.agenda()
        count = client.changes
        client.list("birthday")
        now = datetime(2026, 8, 19, 9, 0, 30, tzinfo=SH)
        due = client.due_reminders(now)
        assert [d.item.title for d in due] == ["外婆"]
        client.mark_fired(due, now)  # the check's bookkeeping: meta, not records
        assert client.changes == count
        assert client.agenda() is first
        assert client.agenda(tz="Asia/Shanghai") is first  # the person's own zone
    finally:
        client.close()


def test_an_edit_makes_the_next_agenda_fresh(account: Account, tmp_path: Path) -> None:
    client = account.login(tmp_path / "home")
    try:
        assert titles(client) == ["七夕"]
        before = client.changes
        added = client.add("birthday", birthday("外婆"))
        assert client.changes > before
        assert titles(client) == ["七夕", "外婆"]
        client.edit("birthday", added.id, {"name": "姥姥"})
        assert titles(client) == ["七夕", "姥姥"]
        client.add("event", {"title": "家宴", "start": "2026-08-19T18:00:00"})
        assert titles(client) == ["七夕", "姥姥", "家宴"]
        client.remove("birthday", added.id)
        assert titles(client) == ["七夕", "家宴"]
    finally:
        client.close()


def test_a_write_rolled_back_is_not_kept(account: Account, tmp_path: Path) -> None:
    """An agenda read inside a transaction that then fails (the shared connection sees the
    uncommitted row) is not kept for later."""
    client = account.login(tmp_path / "home")
    try:
        with pytest.raises(RuntimeError), client.store.transaction():
            client.add("birthday", birthday("外婆"))
            assert "外婆" in titles(client)
            raise RuntimeError("undone")
        assert titles(client) == ["七夕"]
    finally:
        client.close()


def test_zone_and_festival_choices_build_another(account: Account, tmp_path: Path) -> None:
    client = account.login(tmp_path / "home")
    try:
        first = client.agenda()
        utc = client.agenda(tz="UTC")
        assert utc is not first and str(utc.zone) == "UTC"
        assert client.agenda(hide=["qixi"]).between(DAY, DAY) != first.between(DAY, DAY)
        client.set_preferences({"festivals_hidden": ["qixi"]})
        assert titles(client) == []
        client.set_preferences({"time_zone": "Asia/Tokyo"})
        assert str(client.agenda().zone) == "Asia/Tokyo"
    finally:
        client.close()


def test_a_pull_and_another_process_make_it_fresh(account: Account, tmp_path: Path) -> None:
    """What a sync brings from another device, and a commit by another connection to the same
    file (the CLI while the app runs), are seen at the next agenda."""
    home = tmp_path / "home"
    client = account.login(home)
    other = account.login(tmp_path / "phone", device="手机")
    try:
        assert titles(client) == ["七夕"]
        other.add("birthday", birthday("外婆"))
        other.sync()
        client.sync()
        assert titles(client) == ["七夕", "外婆"]
        second = account.open(home)  # another connection to the same store file
        try:
            second.add("event", {"title": "家宴", "start": "2026-08-19T18:00:00"})
        finally:
            second.close()
        assert titles(client) == ["七夕", "外婆", "家宴"]
    finally:
        other.close()
        client.close()


def test_a_contact_edit_makes_the_next_agenda_fresh(account: Account, tmp_path: Path) -> None:
    """A birthday typed on a contact is in the local agenda (no reminder of its own), and
    adding, editing or clearing it shows at once, as a birthday record's edit does."""
    client = account.login(tmp_path / "home")
    try:
        added = client.add("contact", {"name": "张伟", "birthday": birthday("x")["date"]})
        assert titles(client) == ["七夕", "张伟"]
        (item,) = [i for i in client.agenda().between(DAY, DAY) if i.kind == "birthday"]
        assert (item.id, item.source) == (str(added.id), "contact")
        assert client.due_reminders(datetime(2026, 8, 19, 9, 0, 30, tzinfo=SH)) == []
        client.edit("contact", added.id, {"name": "张大伟"})
        assert titles(client) == ["七夕", "张大伟"]
        client.edit("contact", added.id, {"birthday": None})
        assert titles(client) == ["七夕"]
    finally:
        client.close()
