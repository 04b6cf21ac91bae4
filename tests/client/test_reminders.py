"""Reminders on the client (issue 4 §6, issue 6 §2; R6, R7, R9): ``Client.due_reminders`` /
``Client.mark_fired`` on a real encrypted store (logged in against the live server, then
opened offline), with fixed ``now``\\s: a reminder fires once per occurrence, also across a
restart; one that came due while the app was closed comes back as missed; a birthday's
default is the same day at 09:00 in the person's zone (a lunar one on its solar day of the
year); keys older than the lookback are forgotten; an event's reminder days before."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from almanac.calendar.lunar import to_solar
from almanac.client.facade import Client
from almanac.client.reminders import LOOKBACK, read_state

from .conftest import Account

SH = ZoneInfo("Asia/Shanghai")


def at(*parts: int, tz: ZoneInfo = SH) -> datetime:
    return datetime(*parts, tzinfo=tz)  # type: ignore[misc]


def check(client: Client, now: datetime) -> list[str]:
    """One check as the app does it: what is due, then marked shown."""
    found = client.due_reminders(now)
    client.mark_fired(found, now)
    return [r.item.title for r in found]


def test_fires_once_and_survives_a_restart(account: Account, tmp_path: Path) -> None:
    home = tmp_path / "home"
    client = account.login(home)
    client.add("birthday", {"name": "张三", "date": {"calendar": "solar", "month": 3, "day": 5}})
    assert check(client, at(2026, 3, 4, 20, 0)) == []
    due = client.due_reminders(at(2026, 3, 5, 9, 0, 30))
    assert [(r.item.title, r.missed) for r in due] == [("张三", False)]
    assert due[0].fire_at == at(2026, 3, 5, 9, 0)  # the default: the same day at 09:00
    client.mark_fired(due, at(2026, 3, 5, 9, 0, 30))
    assert check(client, at(2026, 3, 5, 9, 1)) == []
    client.close()
    client = account.open(home)  # a restart, offline
    try:
        assert check(client, at(2026, 3, 5, 9, 2)) == []
        # the state is in the encrypted store's meta, not elsewhere
        assert due[0].key in read_state(client.store).fired
        # next year's occurrence is another reminder
        assert check(client, at(2027, 3, 5, 8, 0)) == []
        assert check(client, at(2027, 3, 5, 9, 0)) == ["张三"]
    finally:
        client.close()


def test_a_reminder_missed_while_closed_comes_back_once(account: Account, tmp_path: Path) -> None:
    home = tmp_path / "home"
    client = account.login(home)
    client.add(
        "memo",
        {"title": "交季度报告", "due": "2026-06-10T17:00:00", "reminders": [{"at": "10:00"}]},
    )
    assert check(client, at(2026, 6, 9, 22, 0)) == []
    client.close()  # the app is closed over the day the reminder comes due
    client = account.open(home)
    try:
        due = client.due_reminders(at(2026, 6, 11, 8, 30))
        assert [(r.item.title, r.missed) for r in due] == [("交季度报告", True)]
        assert due[0].fire_at == at(2026, 6, 10, 10, 0)
        client.mark_fired(due, at(2026, 6, 11, 8, 30))
        assert check(client, at(2026, 6, 11, 8, 31)) == []
    finally:
        client.close()
    client = account.open(home)
    try:
        assert check(client, at(2026, 6, 12, 9, 0)) == []
    finally:
        client.close()


def test_lunar_birthday_default_on_its_solar_day(account: Account, tmp_path: Path) -> None:
    client = account.login(tmp_path / "home")
    try:
        client.add(
            "birthday",
            {"name": "奶奶", "date": {"calendar": "lunar", "month": 8, "day": 15, "year": 1940}},
        )
        day = to_solar(2026, 8, 15)  # 中秋 2026: 2026-09-25
        assert day.isoformat() == "2026-09-25"
        nine = datetime(day.year, day.month, day.day, 9, 0, tzinfo=SH)
        assert check(client, nine - timedelta(minutes=1)) == []
        due = client.due_reminders(nine)
        assert [(r.item.title, r.item.age, r.missed) for r in due] == [("奶奶", 86, False)]
        assert due[0].item.lunar_date and due[0].fire_at == nine
    finally:
        client.close()


def test_the_persons_time_zone(account: Account, tmp_path: Path) -> None:
    client = account.login(tmp_path / "home")
    try:
        client.set_preferences({"time_zone": "Asia/Tokyo"})
        july_first = {"calendar": "solar", "month": 7, "day": 1}
        client.add("birthday", {"name": "佐藤", "date": july_first})
        tokyo = ZoneInfo("Asia/Tokyo")
        assert check(client, at(2026, 7, 1, 8, 59, tz=tokyo)) == []
        # 09:00 in Tokyo is 08:00 in Shanghai; a naive now is in the person's zone
        due = client.due_reminders(datetime(2026, 7, 1, 9, 0, 10))
        assert [r.fire_at for r in due] == [at(2026, 7, 1, 8, 0)]
    finally:
        client.close()


def test_event_days_before_and_old_keys_pruned(account: Account, tmp_path: Path) -> None:
    client = account.login(tmp_path / "home")
    try:
        client.add(
            "event",
            {
                "title": "体检",
                "start": "2026-04-20T08:30:00",
                "end": "2026-04-20T10:00:00",
                "timezone": "Asia/Shanghai",
                "reminders": [{"days_before": 1, "at": "20:00"}, {"at": None}],
            },
        )
        assert check(client, at(2026, 4, 19, 19, 0)) == []
        assert check(client, at(2026, 4, 19, 20, 0)) == ["体检"]
        assert check(client, at(2026, 4, 20, 8, 30)) == ["体检"]  # at its own start
        assert len(read_state(client.store).fired) == 2
        later = at(2026, 4, 20, 8, 30) + LOOKBACK + timedelta(minutes=1)
        assert check(client, later) == []
        assert read_state(client.store).fired == {}
        assert read_state(client.store).since == later
    finally:
        client.close()


def test_a_long_gap_reaches_back_only_the_lookback(account: Account, tmp_path: Path) -> None:
    client = account.login(tmp_path / "home")
    try:
        for day in (1, 20):
            client.add(
                "birthday",
                {"name": f"生日{day}", "date": {"calendar": "solar", "month": 5, "day": day}},
            )
        assert check(client, at(2026, 4, 1, 12, 0)) == []
        due = client.due_reminders(at(2026, 5, 22, 12, 0))  # closed for seven weeks
        assert [(r.item.title, r.missed) for r in due] == [("生日20", True)]
    finally:
        client.close()
