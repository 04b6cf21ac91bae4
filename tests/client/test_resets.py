"""Two devices and a real server: an edit back to a field's default — removing the last
reminder of a holiday — is saved and synced (R8, R14: nothing typed is lost; docs/sync.md
"Resets"). A reset and another field changed elsewhere both stay; a reset and a concurrent
change of the same field: the later arrival wins, the other side is a stored conflict."""

from __future__ import annotations

from typing import Any

import pytest

from almanac.client.facade import Client

REMINDER = {"days_before": 1, "at": "09:00"}
OTHER = [{"days_before": 7, "at": "10:00"}]
HOLIDAY = {
    "name": "结婚纪念日",
    "date": {"calendar": "solar", "month": 5, "day": 20},
    "reminders": [REMINDER],
}


def shared_holiday(office: Client, home: Client) -> str:
    record = office.add("holiday", HOLIDAY)
    office.sync()
    home.sync()
    assert home.get("holiday", record.id).content["reminders"] == [REMINDER]
    return str(record.id)


def reminders(device: Client, rid: str) -> Any:
    return device.get("holiday", rid).content.get("reminders", [])


def settled(*devices: Client) -> None:
    """Both sync again: nothing is left to send, nothing new arrives (no re-send loop)."""
    for device in devices:
        report = device.sync()
        assert (report.pushed, report.pulled, report.notices) == (0, 0, [])
        assert device.status().pending == 0


def test_removing_the_last_reminder_reaches_the_other_device(
    devices: tuple[Client, Client],
) -> None:
    """The bug's repro: ``reminders`` → ``[]`` was silently not saved."""
    office, home = devices
    rid = shared_holiday(office, home)
    office.edit("holiday", rid, {"reminders": []})
    assert reminders(office, rid) == []
    report = office.sync()
    assert report.pushed == 1 and not report.notices
    home.sync()
    assert reminders(home, rid) == [] and reminders(office, rid) == []
    settled(office, home)


def test_a_reset_and_another_field_edited_elsewhere_both_stay(
    devices: tuple[Client, Client],
) -> None:
    office, home = devices
    rid = shared_holiday(office, home)
    office.edit("holiday", rid, {"reminders": []})
    home.edit("holiday", rid, {"notes": "订餐厅"})
    office.sync()
    report = home.sync()
    office.sync()
    assert not report.notices and not report.conflicts
    for device in (office, home):
        assert reminders(device, rid) == []
        assert device.get("holiday", rid).content["notes"] == "订餐厅"
        assert device.conflicts() == []
    settled(office, home)


@pytest.mark.parametrize("later", ["reset", "change"])
def test_a_reset_against_a_change_of_the_same_field_the_later_arrival_wins(
    devices: tuple[Client, Client], later: str
) -> None:
    office, home = devices
    rid = shared_holiday(office, home)
    resetter, changer = (home, office) if later == "reset" else (office, home)
    resetter.edit("holiday", rid, {"reminders": []})
    changer.edit("holiday", rid, {"reminders": OTHER})
    first, second = (changer, resetter) if later == "reset" else (resetter, changer)
    first.sync()
    report = second.sync()  # arrives later: wins
    assert [n.what for n in report.notices] == ["conflict"]
    first.sync()
    winner, loser = ([], OTHER) if later == "reset" else (OTHER, [])
    for device in (office, home):
        assert reminders(device, rid) == winner
        [conflict] = device.conflicts()
        assert conflict.field == "reminders"
        # the default side shows as null ("back to the default": no reminder)
        assert (conflict.kept_value or [], conflict.other_value or []) == (winner, loser)
        assert conflict.base_value == [REMINDER]
    settled(office, home)
    # settling with the overridden side brings it back everywhere
    [conflict] = first.conflicts()
    assert conflict.other_version is not None
    first.resolve(str(conflict.id), keep=conflict.other_version)
    first.sync()
    second.sync()
    for device in (office, home):
        assert reminders(device, rid) == loser
        assert device.conflicts() == []
    settled(office, home)
