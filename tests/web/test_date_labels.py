"""A lunar date's month and day read as calendars print them (R6): 正月 … 腊月 and 初一 … 三十
in Chinese, numbers in English and on solar dates; the submitted values are the numbers
either way, so a stored birthday's form selects what it stores."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.web.date_labels import labels

from .support import add_contact, post_form, records_of

OPTION = re.compile(r'<option value="(\d+)"[^>]*?( selected)?( hidden)?>([^<]*)</option>')


def _choices(page: str, select_id: str) -> list[tuple[str, bool, bool, str]]:
    found = re.search(rf'<select id="{re.escape(select_id)}".*?</select>', page, re.S)
    assert found, select_id
    return [(v, bool(s), bool(h), text) for v, s, h, text in OPTION.findall(found.group(0))]


def test_every_label_in_both_languages() -> None:
    zh, en = labels("zh"), labels("en")
    assert [c.lunar for c in zh.months] == [
        *("正月", "二月", "三月", "四月", "五月", "六月"),
        *("七月", "八月", "九月", "十月", "冬月", "腊月"),
    ]
    assert [c.lunar for c in zh.days][:11] == [
        *("初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十", "十一"),
    ]
    lunar_days = [c.lunar for c in zh.days]
    assert lunar_days[19:22] == ["二十", "廿一", "廿二"] and lunar_days[28:] == ["廿九", "三十", ""]
    assert [c.value for c in zh.days] == list(range(1, 32))
    assert all(c.solar == str(c.value) for c in (*zh.months, *zh.days))
    assert [c.lunar for c in en.months] == [str(m) for m in range(1, 13)]
    assert [c.lunar for c in en.days] == [*(str(d) for d in range(1, 31)), ""]


def test_a_lunar_birthday_form_reads_八月十五(app: FastAPI, logged_in: TestClient) -> None:
    when = {"date.calendar": "lunar", "date.month": "8", "date.day": "15"}
    made = post_form(logged_in, "/birthdays/new", "/birthdays/new", {"name": "外婆", **when})
    assert made.status_code == 303
    (stored,) = records_of(app, logged_in, "birthday")
    date = stored.data["date"]
    assert (date["calendar"], date["month"], date["day"]) == ("lunar", 8, 15)
    page = logged_in.get(f"/birthdays/{stored.id}/edit").text
    months, days = _choices(page, "f-date.month"), _choices(page, "f-date.day")
    assert [text for _, _, _, text in months][:3] == ["正月", "二月", "三月"]
    assert [(v, text) for v, chosen, _, text in months if chosen] == [("8", "八月")]
    assert [(v, text) for v, chosen, _, text in days if chosen] == [("15", "十五")]
    assert days[-1] == ("31", False, True, "31")  # no 31st in a lunar month: hidden
    assert 'data-solar="8" data-lunar="八月"' in page
    # the same values sent back change nothing but what was typed
    again = post_form(
        logged_in, f"/birthdays/{stored.id}/edit", f"/birthdays/{stored.id}/edit",
        {"name": "外婆", "version": "1", **when},
    )  # fmt: skip
    assert again.status_code == 303
    assert records_of(app, logged_in, "birthday")[0].data["date"] == stored.data["date"]


def test_solar_dates_and_english_stay_numbers(app: FastAPI, logged_in: TestClient) -> None:
    page = logged_in.get("/holidays/new").text  # a new form is solar
    months = _choices(page, "f-date.month")
    assert [text for _, _, _, text in months] == [str(m) for m in range(1, 13)]
    assert not any(hidden for _, _, hidden, _ in _choices(page, "f-date.day"))
    add_contact(
        app, logged_in, "赵敏", birthday={"calendar": "lunar", "month": 12, "day": 30}
    )  # the contact form's birthday is the same kind of date
    (contact,) = records_of(app, logged_in, "contact")
    zh = logged_in.get(f"/contacts/{contact.id}/edit").text
    assert [t for _, c, _, t in _choices(zh, "f-birthday.month") if c] == ["腊月"]
    assert [t for _, c, _, t in _choices(zh, "f-birthday.day") if c] == ["三十"]
    post_form(logged_in, "/settings", "/settings/language", {"lang": "en", "next": "/"})
    en = logged_in.get(f"/contacts/{contact.id}/edit").text
    assert [t for _, c, _, t in _choices(en, "f-birthday.month") if c] == ["12"]
    assert [t for _, c, _, t in _choices(en, "f-birthday.day") if c] == ["30"]
