"""``almanac settings show/set`` (R3; issue 5 §3) against a live server, and ``almanac
upcoming`` / ``almanac calendar month`` following the person's settings offline."""

from __future__ import annotations

import httpx

from conftest import Account, Terminal


def server_settings(account: Account) -> dict[str, object]:
    response = httpx.get(
        f"{account.server.url}/api/v1/settings",
        headers={"Authorization": f"Bearer {account.api_token()}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    data: dict[str, object] = response.json()["settings"]
    return data


def test_set_offline_then_sync(terminal: Terminal, account: Account) -> None:
    """Every option of ``settings set``; pending until ``almanac sync``; then on the server."""
    got = terminal.json(
        "settings", "set", "--language", "en", "--clock", "12h", "--week-start", "7",
        "--start-page", "calendar", "--hide-festival", "qixi", "--show-festival",
        "xiaonian_south", "--time-zone", "Asia/Tokyo", "--clock-hidden",
    )  # fmt: skip
    settings = got["settings"]
    assert settings["language"] == "en" and settings["clock_format"] == "12h"
    assert settings["week_start"] == 7 and settings["start_page"] == "calendar"
    assert settings["festivals_hidden"] == ["qixi"]
    assert settings["festivals_shown"] == ["xiaonian_south"]
    assert settings["time_zone"] == "Asia/Tokyo" and settings["clock_visible"] is False
    assert set(got["pending"]) == set(settings)
    assert server_settings(account)["language"] == "zh-CN"
    text = terminal.ok("settings", "show").stdout
    assert "语言: en（未同步）" in text and "almanac sync" in text
    terminal.ok("sync")
    assert terminal.json("settings", "show")["pending"] == {}
    remote = server_settings(account)
    assert remote["week_start"] == 7 and remote["festivals_shown"] == ["xiaonian_south"]
    # show a festival the person hid, hide one shown by default; reset by option name
    got = terminal.json(
        "settings", "set", "--show-festival", "qixi", "--hide-festival", "xiaonian_south",
        "--reset", "clock", "--reset", "time-zone",
    )  # fmt: skip
    settings = got["settings"]
    assert settings["festivals_hidden"] == [] and settings["festivals_shown"] == []
    assert settings["clock_format"] == "24h" and settings["time_zone"] == "Asia/Shanghai"
    terminal.ok("sync")
    assert server_settings(account)["clock_format"] == "24h"


def test_bad_input_names_the_option(terminal: Terminal) -> None:
    for args, option in (
        (("--language", "fr"), "--language"),
        (("--week-start", "9"), "--week-start"),
        (("--time-zone", "Mars/Olympus"), "--time-zone"),
        (("--hide-festival", "不是节日"), "--hide-festival"),
        (("--reset", "colour"), "--reset"),
    ):
        result = terminal.run("settings", "set", "--clock", "12h", *args)
        assert result.exit_code == 2, (args, result.output)
        assert option in result.stderr, (args, result.stderr)
    assert terminal.json("settings", "show")["settings"]["clock_format"] == "24h"  # unchanged
    assert terminal.run("settings", "set").exit_code == 2


def test_upcoming_and_month_follow_the_settings(terminal: Terminal) -> None:
    """The person's hidden festival is gone from ``upcoming``; ``calendar month`` starts the
    week on Sunday and hides it too — offline, from this device's copy."""
    before = terminal.json("upcoming", "--today", "2026-08-15", "--days", "10")
    assert "七夕" in [i["title"] for i in before["items"]]  # 2026-08-19
    terminal.ok(
        "settings", "set", "--hide-festival", "qixi", "--week-start", "7",
        "--time-zone", "Asia/Tokyo",
    )  # fmt: skip
    after = terminal.json("upcoming", "--today", "2026-08-15", "--days", "10")
    assert "七夕" not in [i["title"] for i in after["items"]]
    assert after["timezone"] == "Asia/Tokyo"
    assert terminal.json("upcoming", "--tz", "Europe/Paris")["timezone"] == "Europe/Paris"
    month = terminal.json("calendar", "month", "2026-08")
    assert month["week_start"] == 7
    aug19 = next(d for d in month["days"] if d["date"] == "2026-08-19")
    assert aug19["festivals"] == []
    text = terminal.ok("calendar", "month", "2026-03").stdout
    header = next(line for line in text.splitlines() if "一" in line and "六" in line)
    assert header.index("日") < header.index("一") < header.index("六")  # Sunday first
    # 2026-03-01 is a Sunday: with Sunday first, it opens the first row
    first_row = next(line for line in text.splitlines() if " 1 " in line)
    assert first_row.lstrip("│ ").startswith("1")
    # no password given: the grid never asks for one, and shows the defaults
    plain = terminal.run("calendar", "month", "2026-08", "--json", password=False)
    assert plain.exit_code == 0 and '"week_start": 1' in plain.stdout
