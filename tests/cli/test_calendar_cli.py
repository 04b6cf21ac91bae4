"""``almanac lunar``, ``almanac solar`` and ``almanac calendar month`` (issue 4 item 7; R7):
real output checked against published dates, ``--json`` that parses, and bad input as one
line with exit 2."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from almanac.cli.main import app


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "120"})
    return result.exit_code, result.output


def test_lunar_of_spring_festival_2026() -> None:
    code, out = run("lunar", "2026-02-17")
    assert code == 0, out
    assert "正月初一" in out and "丙午年" in out and "马年" in out
    assert "节日: 春节" in out and "休" in out
    code, out = run("lunar", "2026-02-16")
    assert "腊月廿九" in out and "除夕" in out and "乙巳年" in out and "蛇年" in out


def test_lunar_names_the_solar_term_and_the_leap_month() -> None:
    code, out = run("lunar", "2026-04-05")
    assert code == 0 and "节气: 清明" in out
    code, out = run("lunar", "2025-07-25")
    assert code == 0 and "闰六月初一" in out


def test_lunar_json_parses() -> None:
    code, out = run("lunar", "2026-02-14", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["date"] == "2026-02-14"
    assert data["lunar"]["text"] == "腊月廿七"
    assert data["lunar"]["full_text"] == "乙巳年腊月廿七"
    assert data["status"]["kind"] == "workday" and data["status"]["makeup"] is True
    code, out = run("lunar", "2026-09-25", "--json")
    assert [f["id"] for f in json.loads(out)["festivals"]] == ["zhongqiu"]
    code, out = run("lunar", "2030-10-01", "--json")
    assert json.loads(out)["status"]["published"] is False


def test_solar_of_mid_autumn_2027() -> None:
    code, out = run("solar", "--lunar", "8-15", "--year", "2027")
    assert code == 0, out
    assert out.splitlines() == ["2027-09-15 星期三  (农历2027年八月十五)"]
    code, out = run("solar", "--lunar", "6-1", "--leap", "--year", "2025", "--json")
    assert code == 0, out
    assert json.loads(out) == {
        "lunar": {"month": 6, "day": 1, "leap": True, "text": "闰六月初一"},
        "dates": [{"lunar_year": 2025, "date": "2025-07-25", "weekday": 5}],
    }


def test_solar_without_a_year_gives_the_next_dates() -> None:
    code, out = run("solar", "--lunar", "1-1", "--json")
    assert code == 0, out
    dates = json.loads(out)["dates"]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    assert len(dates) == 3
    assert all(d["date"] >= today for d in dates)
    assert [d["lunar_year"] for d in dates] == list(
        range(dates[0]["lunar_year"], dates[0]["lunar_year"] + 3)
    )


def test_calendar_month_grid_of_february_2026() -> None:
    code, out = run("calendar", "month", "2026-02")
    assert code == 0, out
    assert "2026年2月" in out and "乙巳年" in out and "丙午年" in out
    header = next(line for line in out.splitlines() if "一" in line and "日" in line)
    assert header.index("一") < header.index("三") < header.index("日")  # Monday first
    for word in ("春节", "除夕", "立春", "雨水", "十四", "初七", "14班", "17休", "28班"):
        assert word in out, word
    # 2026-02-01 is a Sunday: the first row has six empty cells before it
    first_row = next(line for line in out.splitlines() if " 1 " in line)
    assert first_row.rstrip().endswith("1   │")


def test_calendar_month_json() -> None:
    code, out = run("calendar", "month", "2026-10", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["month"] == "2026-10"
    days = data["days"]
    assert len(days) == 31
    assert days[0]["festivals"] == [{"id": "guoqing", "name": "国庆节"}]
    assert days[0]["mark"] == "休"
    assert days[0]["lunar"]["text"] == "八月廿一"
    hanlu = [d["date"] for d in days if any(t["name"] == "寒露" for t in d["terms"])]
    assert hanlu == ["2026-10-08"]


def test_calendar_month_defaults_to_this_month() -> None:
    code, out = run("calendar", "month", "--json")
    assert code == 0, out
    now = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert json.loads(out)["month"] == now.strftime("%Y-%m")
    assert json.loads(out)["today"] == now.isoformat()


def test_bad_input_is_one_line_and_exit_2() -> None:
    for args in (
        ("lunar", "2026-02-30"),
        ("lunar", "tomorrow"),
        ("lunar", "1900-06-01"),
        ("solar", "--lunar", "13-1"),
        ("solar", "--lunar", "8/15"),
        ("solar", "--lunar", "6-1", "--leap", "--year", "2026"),
        ("solar", "--lunar", "12-30", "--year", "2025"),
        ("solar", "--lunar", "1-1", "--year", "2100"),
        ("calendar", "month", "2026-13"),
        ("calendar", "month", "1900-01"),
    ):
        code, out = run(*args)
        assert code == 2, (args, out)
        lines = out.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(("错误: ", "error: ")), (args, out)
    code, out = run("solar", "--lunar", "6-1", "--leap", "--year", "2026")
    assert "闰六月" in out
