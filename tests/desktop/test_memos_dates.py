"""Memos (R5) and birthdays and holidays (R6; issue 6 §2): every add, change, delete, pin;
the 生日 and 节日 buttons; lunar and solar dates; days-until and age."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QMessageBox, QWidget

from almanac.calendar import age, next_occurrence
from almanac.desktop.dates import DateDialog
from almanac.desktop.i18n import t
from almanac.desktop.window import MainWindow

from .conftest import answer_next, screenshot


def _yes(modal: QWidget) -> None:
    assert isinstance(modal, QMessageBox)
    modal.button(QMessageBox.StandardButton.Yes).click()


def _titles(win: MainWindow) -> list[str]:
    return [i.content["title"] for i in win.memos.model.items]


def test_memo_add_change_pin_delete(qtbot, window: MainWindow) -> None:
    """R5: add, change, pin and delete memos in the editor."""
    window.show_page("memos")
    page = window.memos
    page.new_memo()
    page.title.setText("买菜")
    page.body.setPlainText("西红柿、鸡蛋、青菜")
    first = page.save()
    assert first is not None
    page.new_memo()
    page.title.setText("给妈妈打电话")
    page.save()
    assert sorted(_titles(window)) == ["买菜", "给妈妈打电话"]

    page.reload(select=first.id)
    page.body.setPlainText("西红柿、鸡蛋、青菜、豆腐")
    page.save()
    assert window.client.get("memo", first.id).content["body"] == "西红柿、鸡蛋、青菜、豆腐"

    page.reload(select=first.id)
    page.toggle_pin()
    assert window.client.get("memo", first.id).content["pinned"] is True
    shown = [page.model.data(page.model.index(r, 0)) for r in range(2)]
    assert shown == ["★ 买菜", "给妈妈打电话"]  # pinned first
    screenshot(window, "20-memos")

    page.reload(select=first.id)
    answer_next(_yes)
    page.delete_current()
    assert _titles(window) == ["给妈妈打电话"]
    # the deleted memo never reached the server: its edits cancel out in the outbox
    assert window.pending_label.text() == t("status.pending", n=1)


def test_memo_without_title_is_refused_beside_the_field(qtbot, window: MainWindow) -> None:
    page = window.memos
    page.new_memo()
    page.body.setPlainText("没有标题")
    assert page.save() is None
    assert page.form.error_text("title") == "不能为空"
    assert window.client.store.count("memo") == 0


def _date_dialog(seen: dict[str, Any], name: str, spec: dict[str, Any], shot: str = "") -> Any:
    def act(modal: QWidget) -> None:
        assert isinstance(modal, DateDialog)
        modal.name.setText(name)
        modal.date.set_value(spec)
        if shot:
            screenshot(modal, shot)
        modal.save()
        seen["open"] = modal.isVisible()
        seen["errors"] = {k: modal.form.error_text(k) for k in modal.form.errors}
        if modal.isVisible():
            modal.reject()

    return act


def test_birthdays_and_holidays(qtbot, window: MainWindow) -> None:
    """R6: the birthday and holiday buttons switch the list on the right; add, change and
    delete each; lunar and solar dates; days until and age."""
    window.show_page("dates")
    page = window.dates
    seen: dict[str, Any] = {}
    lunar = {"calendar": "lunar", "year": 1960, "month": 8, "day": 15}
    answer_next(_date_dialog(seen, "奶奶", lunar, "31-birthday-dialog"))
    page.add_entry()
    assert seen["open"] is False
    row = [page.model.data(page.model.index(0, c)) for c in range(5)]
    today = datetime.now(ZoneInfo(window.client.preferences().time_zone)).date()
    upcoming = next_occurrence(lunar, today)
    assert upcoming is not None
    assert row[0] == "奶奶"
    assert row[1] == "农历 1960年八月十五"
    assert row[2] == upcoming.date.isoformat()
    days = (upcoming.date - today).days
    assert row[3] == (t("dates.today") if days == 0 else t("dates.days_until", n=days))
    assert row[4] == t("dates.age", n=age(lunar, upcoming.date))
    screenshot(window, "30-birthdays")

    answer_next(_date_dialog(seen, "奶奶", {"calendar": "solar", "month": 2, "day": 30}))
    page.edit_current()
    assert seen["open"] is True and seen["errors"]["date"] == "日：没有这一天"
    answer_next(_date_dialog(seen, "外婆", {"calendar": "solar", "month": 3, "day": 8}))
    page.edit_current()
    item = page.current()
    assert item is not None and item.content["name"] == "外婆"
    assert item.content["date"] == {
        "calendar": "solar",
        "year": None,
        "month": 3,
        "day": 8,
        "leap": False,
    }

    page.holiday_button.click()
    assert page.kind == "holiday" and page.model.rowCount() == 0
    answer_next(
        _date_dialog(seen, "结婚纪念日", {"calendar": "solar", "year": 2012, "month": 10, "day": 2})
    )
    page.add_entry()
    assert [i.content["name"] for i in page.model.items] == ["结婚纪念日"]
    screenshot(window, "32-holidays")
    answer_next(_yes)
    page.delete_current()
    assert page.model.rowCount() == 0

    page.birthday_button.click()
    answer_next(_yes)
    page.delete_current()
    assert window.client.store.count("birthday") == 0


def test_days_until_counts_from_today_in_the_persons_zone(qtbot, window: MainWindow) -> None:
    """R6 with R3's time zone: "days until" counts from today where the person is, not where
    the machine is, and follows a change of zone. Kiritimati (UTC+14) and Etc/GMT+12
    (UTC−12) are 26 hours apart: their dates always differ, whatever the machine's clock."""
    window.client.set_preferences({"time_zone": "Pacific/Kiritimati"})
    window.show_page("dates")
    page = window.dates
    ahead = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    window.client.add(
        "birthday",
        {"name": "阿宝", "date": {"calendar": "solar", "month": ahead.month, "day": ahead.day}},
    )
    page.reload()
    assert page.model.data(page.model.index(0, 3)) == t("dates.today")

    behind = datetime.now(ZoneInfo("Etc/GMT+12")).date()
    assert window.follow(window.client.set_preferences({"time_zone": "Etc/GMT+12"}))
    assert page.model.data(page.model.index(0, 2)) == ahead.isoformat()
    days = (ahead - behind).days
    assert days in (1, 2)
    assert page.model.data(page.model.index(0, 3)) == t("dates.days_until", n=days)
    assert behind + timedelta(days=days) == ahead
