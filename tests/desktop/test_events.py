"""Events in the desktop app (R7, R9; docs/desktop.md "日历"): a day double-clicked in the
calendar opens a new event on it; the event is stored (offline first), shown on its day and
synced; opened from the day's list it is changed (repeat + reminder) and deleted (one
occurrence of a repeating event, or all); a rule the dialog cannot edit is shown read-only and
kept; bad input is named beside its field and nothing is stored — in zh-CN and English."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QMessageBox,
    QSpinBox,
    QTableView,
    QWidget,
)

from almanac.desktop.calendar_grid import CellLook
from almanac.desktop.calendar_page import CalendarPage
from almanac.desktop.event_dialog import EventDialog
from almanac.desktop.event_repeat import CUSTOM
from almanac.desktop.i18n import set_language, t
from almanac.desktop.window import MainWindow

from .conftest import Account, answer_next, screenshot

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
DAY = date(2026, 12, 16)  # a Wednesday, once in December's grid
TIMED = {"title": "周例会", "start": "2026-12-16T10:00", "end": "2026-12-16T11:00"}


def _in_dialog(seen: dict[str, Any], act: Callable[[EventDialog], None], shot: str = "") -> Any:
    """Answer the next event dialog: ``act`` on it, a screenshot, Save; what it showed then."""

    def answer(modal: QWidget) -> None:
        assert isinstance(modal, EventDialog)
        act(modal)
        if shot:
            screenshot(modal, shot)
        modal.save()
        seen["open"] = modal.isVisible()
        seen["errors"] = {k: v for k in modal.form.errors if (v := modal.form.error_text(k))}
        seen["other"] = modal.other.text()
        if modal.isVisible():
            modal.reject()

    return answer


def _double_click(qtbot: Any, page: CalendarPage, day: date) -> None:
    """Double-click ``day``'s cell in the month grid, as a person would."""
    page.calendar.setCurrentPage(day.year, day.month)
    view = page.calendar.findChild(QTableView)
    assert view is not None
    model = view.model()
    cells = [
        model.index(row, column)
        for row in range(1, model.rowCount())  # row 0: the weekday names
        for column in range(model.columnCount())
        if str(model.data(model.index(row, column))) == str(day.day)
    ]
    assert len(cells) == 1, cells
    centre = view.visualRect(cells[0]).center()
    button = Qt.MouseButton.LeftButton
    qtbot.mouseClick(view.viewport(), button, pos=centre)  # a person's double-click: a click,
    qtbot.mouseDClick(view.viewport(), button, pos=centre)  # then the second press


def _lines(page: CalendarPage) -> list[str]:
    return [page.events.list.item(r).text() for r in range(page.events.list.count())]


def _shown_on(page: CalendarPage, day: date) -> list[str]:
    page.select(day)
    return _lines(page)


def _set_time(dialog: EventDialog, start: datetime) -> None:
    dialog.start.edit.setDateTime(QDateTime(start))


def _other_device(account: Account, home: Path, record_id: Any) -> dict[str, Any]:
    other = account.login(home, device="家里电脑")
    try:
        other.sync()
        return dict(other.get("event", record_id).content)
    finally:
        other.close()


def test_a_double_clicked_day_gets_a_new_event_shown_and_synced(
    qtbot, window: MainWindow, account: Account, tmp_path: Path
) -> None:
    """R7/R9: double-click 12月16日 → the dialog starts on that day (09:00–10:00); a title, a
    later start (the end keeps the hour), a location → stored, listed on its day, synced."""
    window.show_page("calendar")
    page = window.calendar
    seen: dict[str, Any] = {}

    def fill(dialog: EventDialog) -> None:
        seen["start"] = dialog.start.typed()
        seen["end"] = dialog.end.typed()
        dialog.title.setText("项目评审会")
        _set_time(dialog, datetime(2026, 12, 16, 14, 30))
        dialog.location.setText("三号会议室")
        dialog.notes.setPlainText("带上季度报表")

    answer_next(_in_dialog(seen, fill, shot="100-event-dialog-new"))
    _double_click(qtbot, page, DAY)
    assert seen["start"] == datetime(2026, 12, 16, 9, 0)
    assert seen["end"] == datetime(2026, 12, 16, 10, 0)
    assert seen["open"] is False and seen["errors"] == {}
    [item] = window.client.list("event").items
    content = item.content
    assert (content["title"], content["start"], content["end"]) == (
        "项目评审会", "2026-12-16T14:30:00", "2026-12-16T15:30:00",
    )  # fmt: skip
    assert (content["location"], content["notes"], content["all_day"]) == (
        "三号会议室", "带上季度报表", False,
    )  # fmt: skip
    assert content["timezone"] == window.client.preferences().time_zone
    assert page.calendar.days[DAY].items[0].title == "项目评审会"  # the grid's dot
    assert _shown_on(page, DAY) == ["14:30–15:30  项目评审会"]
    assert "项目评审会" not in page.detail.text()  # once, in the list
    assert window.pending_label.text() == t("status.pending", n=1)
    screenshot(window, "101-calendar-day-events")
    assert window.client.sync().pushed == 1
    assert _other_device(account, tmp_path / "other", item.id)["location"] == "三号会议室"


def test_a_days_events_are_listed_once_under_its_details(qtbot, window: MainWindow) -> None:
    """R7: the day's details keep 农历, the festival or solar term, 休/班, birthdays and
    holidays; its events are only in the 当天日程 list below (which opens them), not twice."""
    client = window.client
    client.add("event", {**TIMED, "title": "冬至家宴", "start": "2026-12-22T18:00",
                         "end": "2026-12-22T20:00"})  # fmt: skip
    client.add("event", {"title": "年终总结", "start": "2026-12-22", "all_day": True})
    client.add("birthday", {"name": "爷爷", "date": {"calendar": "lunar", "year": 1950,
                                                    "month": 11, "day": 14}})  # fmt: skip
    client.add("holiday", {"name": "结婚纪念日", "yearly": True,
                           "date": {"calendar": "solar", "month": 12, "day": 22}})  # fmt: skip
    window.show_page("calendar")
    page = window.calendar
    page.refresh()
    assert _shown_on(page, date(2026, 12, 22)) == ["全天  年终总结", "18:00–20:00  冬至家宴"]
    detail = page.detail.text()
    for shown in ("2026年12月22日 星期二", "冬月十四", "节气：冬至", "生日：爷爷（76 周岁）",
                  "节日：结婚纪念日"):  # fmt: skip
        assert shown in detail, shown
    assert "年终总结" not in detail and "冬至家宴" not in detail and "日程" not in detail
    screenshot(window, "106-calendar-day-once")


def _cell(page: CalendarPage, day: date) -> Any:
    """What ``day``'s cell shows, as painted in the grid's size and font now."""
    QApplication.processEvents()  # the layout of a resized window first
    view = page.calendar.findChild(QTableView)
    assert view is not None
    model = view.model()
    [rect] = [
        view.visualRect(model.index(row, column))
        for row in range(1, model.rowCount())
        for column in range(model.columnCount())
        if str(model.data(model.index(row, column))) == str(day.day)
    ]
    return page.calendar.look(page.calendar.days[day], rect, view.font())


def test_the_grid_names_a_days_first_item_when_there_is_room(qtbot, window: MainWindow) -> None:
    """R7: at the window's first size a day's cell names its first item (in the agenda's
    order: a birthday before the events) in its kind's colour, "+N" for the rest, a long title
    cut with …; a window too small for a third line in a cell shows the dot instead."""
    client = window.client
    client.add("event", TIMED)
    client.add(
        "event", {"title": "项目评审会", "start": "2026-12-16T14:30", "end": "2026-12-16T15:30"}
    )
    client.add("event", {"title": "年终总结与明年规划讨论会", "start": "2026-12-22",
                         "all_day": True})  # fmt: skip
    client.add("birthday", {"name": "小明", "date": {"calendar": "solar", "year": 2016,
                                                    "month": 12, "day": 25}})  # fmt: skip
    client.add("event", {**TIMED, "title": "圣诞聚餐", "start": "2026-12-25T18:00",
                         "end": "2026-12-25T20:00"})  # fmt: skip
    window.show_page("calendar")
    page = window.calendar
    page.select(DAY)
    assert window.size().toTuple() == (1000, 680)  # the window's first size
    wednesday = _cell(page, DAY)
    assert (wednesday.note, wednesday.title, wednesday.kind, wednesday.more) == (
        "初八", "周例会", "event", "+1",
    )  # fmt: skip
    assert not wednesday.dot
    long = _cell(page, date(2026, 12, 22))
    assert (long.note, long.more) == ("冬至", "")
    assert long.title.startswith("年终") and long.title.endswith("…"), long.title
    christmas = _cell(page, date(2026, 12, 25))
    assert (christmas.title, christmas.kind, christmas.more) == ("小明", "birthday", "+1")
    assert _cell(page, date(2026, 12, 17)) == CellLook("初九", False)  # nothing that day
    screenshot(window, "107-calendar-grid-titles")
    window.resize(760, 500)
    small = _cell(page, DAY)
    assert (small.title, small.dot) == ("", True)
    assert _cell(page, date(2026, 12, 17)).dot is False
    screenshot(window, "108-calendar-grid-small")


def test_an_all_day_event_from_the_new_button(qtbot, window: MainWindow) -> None:
    """全天: dates only; shown as 全天 on each of its days."""
    page = window.calendar
    page.select(DAY)

    def fill(dialog: EventDialog) -> None:
        dialog.title.setText("年会")
        dialog.all_day.setChecked(True)
        dialog.end.edit.setDateTime(QDateTime(datetime(2026, 12, 17, 0, 0)))

    seen: dict[str, Any] = {}
    answer_next(_in_dialog(seen, fill))
    page.events.new_button.click()
    assert seen["errors"] == {}
    [item] = window.client.list("event").items
    assert (item.content["all_day"], item.content["start"], item.content["end"]) == (
        True, "2026-12-16", "2026-12-17",
    )  # fmt: skip
    assert _shown_on(page, date(2026, 12, 17)) == ["全天  年会"]


def test_changing_repeat_and_reminder_then_the_same_again(qtbot, window: MainWindow) -> None:
    """Opened from its day: 每周 until 12月30日 and a reminder 1 day before at 20:00 → the
    RRULE and the reminder stored; shown on the next Wednesdays up to the 30th, not after;
    the dialog shows the choice again; 共 3 次 replaces it; saving unchanged queues nothing."""
    client = window.client
    item = client.add("event", TIMED)
    page = window.calendar
    page.refresh()
    page.select(DAY)
    assert _lines(page) == ["10:00–11:00  周例会"]

    def weekly(dialog: EventDialog) -> None:
        repeat = dialog.repeat
        repeat.freq.setCurrentIndex(repeat.freq.findData("WEEKLY"))
        repeat.ends.setCurrentIndex(repeat.ends.findData("until"))
        repeat.until.setDate(QDate(2026, 12, 30))
        row = dialog.reminders.add_row({})
        row.days.setValue(1)
        row.at.setText("20:00")

    seen: dict[str, Any] = {}
    answer_next(_in_dialog(seen, weekly, shot="102-event-dialog-repeat"))
    page.events.list.itemDoubleClicked.emit(page.events.list.item(0))
    assert seen["errors"] == {}
    content = client.get("event", item.id).content
    assert content["rrule"] == "FREQ=WEEKLY;UNTIL=20261230T235959"
    assert content["reminders"] == [{"days_before": 1, "at": "20:00"}]
    assert _shown_on(page, date(2026, 12, 23)) == ["10:00–11:00  周例会"]
    assert _shown_on(page, date(2026, 12, 30)) == ["10:00–11:00  周例会"]
    assert _shown_on(page, date(2027, 1, 6)) == []

    def three_times(dialog: EventDialog) -> None:
        repeat = dialog.repeat
        seen["shown"] = (repeat.freq.currentData(), repeat.ends.currentData(), repeat.until.date())
        seen["rows"] = [row.value() for row in dialog.reminders.rows]
        repeat.ends.setCurrentIndex(repeat.ends.findData("count"))
        repeat.count.setValue(3)

    page.select(DAY)
    answer_next(_in_dialog(seen, three_times))
    page.events.edit_current()
    assert seen["shown"] == ("WEEKLY", "until", QDate(2026, 12, 30))
    assert seen["rows"] == [{"days_before": 1, "at": "20:00"}]
    assert client.get("event", item.id).content["rrule"] == "FREQ=WEEKLY;COUNT=3"
    assert _shown_on(page, date(2026, 12, 30)) == ["10:00–11:00  周例会"]  # the third

    pending = client.status().pending
    version = client.get("event", item.id).version
    answer_next(_in_dialog(seen, lambda _d: None))
    page.select(DAY)
    page.events.edit_current()
    assert client.get("event", item.id).version == version
    assert client.status().pending == pending


def test_a_rule_made_elsewhere_is_shown_read_only_and_kept(qtbot, window: MainWindow) -> None:
    """FREQ=WEEKLY;BYDAY=MO,WE (made on the web or the CLI) and a cancelled day: shown, kept
    when the title changes; choosing 不重复 replaces it."""
    client = window.client
    rule = "FREQ=WEEKLY;BYDAY=MO,WE"
    item = client.add("event", {**TIMED, "rrule": rule, "exdates": ["2026-12-21"]})
    page = window.calendar
    page.refresh()
    seen: dict[str, Any] = {}

    def rename(dialog: EventDialog) -> None:
        repeat = dialog.repeat
        seen["shown"] = (repeat.freq.currentData(), repeat.custom.text())
        seen["read_only"] = repeat.custom.isReadOnly() and repeat.custom.isVisibleTo(dialog)
        seen["exceptions"] = dialog.exceptions.text()
        dialog.title.setText("站会")

    page.select(DAY)
    answer_next(_in_dialog(seen, rename, shot="103-event-dialog-custom-rule"))
    page.events.edit_current()
    assert seen["shown"] == (CUSTOM, rule) and seen["read_only"]
    assert seen["exceptions"] == t("event.exceptions", cancelled=1, moved=0)
    content = client.get("event", item.id).content
    assert (content["title"], content["rrule"], content["exdates"]) == (
        "站会",
        rule,
        ["2026-12-21"],
    )

    def no_repeat(dialog: EventDialog) -> None:
        dialog.repeat.freq.setCurrentIndex(dialog.repeat.freq.findData(None))

    page.select(DAY)
    answer_next(_in_dialog(seen, no_repeat))
    page.events.edit_current()
    assert client.get("event", item.id).content.get("rrule") is None


def _press(text: str) -> Callable[[QWidget], None]:
    def act(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox)
        [button] = [b for b in modal.buttons() if b.text() == text]
        button.click()

    return act


def test_deleting_one_occurrence_then_the_event(qtbot, window: MainWindow) -> None:
    """A daily event: 只删除这一次 on the 17th cancels that day only (an exdate); 删除全部 then
    removes the event; a one-time event is deleted after 确定删除…? Yes."""
    client = window.client
    daily = client.add("event", {**TIMED, "rrule": "FREQ=DAILY;COUNT=5"})
    page = window.calendar
    page.refresh()
    page.select(date(2026, 12, 17))
    answer_next(_press(t("event.delete_one")))
    page.events.delete_current()
    assert client.get("event", daily.id).content["exdates"] == ["2026-12-17T10:00:00"]
    assert _shown_on(page, date(2026, 12, 17)) == []
    assert _shown_on(page, date(2026, 12, 18)) == ["10:00–11:00  周例会"]

    answer_next(_press(t("event.delete_all")))
    page.events.delete_current()
    assert client.list("event").items == []
    assert _shown_on(page, DAY) == []

    once = client.add("event", {**TIMED, "title": "体检"})
    page.refresh()
    page.select(DAY)
    answer_next(lambda m: m.button(QMessageBox.StandardButton.Yes).click())  # type: ignore[attr-defined]
    page.events.delete_current()
    assert client.list("event").items == []
    assert window.client.store.get(once.id) is None or window.client.store.get(once.id).deleted


def _bad(dialog: EventDialog) -> None:
    dialog.title.setText("")
    dialog.end.edit.setDateTime(QDateTime(datetime(2026, 12, 16, 8, 0)))
    dialog.timezone.setCurrentText("Mars/Base")


def test_bad_input_is_named_beside_its_field_and_nothing_is_stored(
    qtbot, window: MainWindow
) -> None:
    """An empty title and a time zone that is none, each said beside its field; once they are
    right, an end before the start (the model checks it then); nothing is stored meanwhile and
    the dialog stays open. Then fixed and saved."""
    page = window.calendar
    page.select(DAY)
    seen: dict[str, Any] = {}

    def bad(dialog: EventDialog) -> None:
        _bad(dialog)
        dialog.save()
        screenshot(dialog, "104-event-dialog-errors")  # the problems beside their fields

    answer_next(_in_dialog(seen, bad))
    page.events.new_on(DAY)
    assert seen["open"] is True
    assert seen["errors"] == {"title": "不能为空", "timezone": "不是时区名称（例如 Asia/Shanghai）"}
    assert window.client.store.count("event") == 0

    def bad_then_fixed(dialog: EventDialog) -> None:
        _bad(dialog)
        dialog.title.setText("补上的标题")
        dialog.timezone.setCurrentText("Asia/Tokyo")
        dialog.save()
        seen["first"] = {k: v for k in dialog.form.errors if (v := dialog.form.error_text(k))}
        seen["stored"] = window.client.store.count("event")
        dialog.end.edit.setDateTime(QDateTime(datetime(2026, 12, 16, 10, 0)))

    answer_next(_in_dialog(seen, bad_then_fixed))
    page.events.new_on(DAY)
    assert seen["first"] == {"end": "结束不能早于开始"} and seen["stored"] == 0
    assert seen["open"] is False and seen["errors"] == {}
    [item] = window.client.list("event").items
    assert (item.content["title"], item.content["timezone"]) == ("补上的标题", "Asia/Tokyo")


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("zh-CN")


def _chinese_in(dialog: QWidget) -> list[str]:
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)]
    texts += [w.itemText(i) for w in dialog.findChildren(QComboBox) for i in range(w.count())]
    texts += [w.suffix() for w in dialog.findChildren(QSpinBox)]
    texts.append(dialog.windowTitle())
    return [text for text in texts if CJK.search(text)]


def test_the_dialog_and_the_day_list_in_english(qtbot, window: MainWindow, english: None) -> None:
    """Every word of the dialog (repeat choices, the kept-rule hint, field errors) and the day's
    list in English."""
    client = window.client
    client.add("event", {**TIMED, "title": "Standup", "rrule": "FREQ=WEEKLY;BYDAY=MO,WE"})
    page = CalendarPage(client)
    qtbot.addWidget(page)
    page.select(DAY)
    assert _lines(page) == ["10:00–11:00  Standup"]
    assert _chinese_in(page.events) == []
    dialog = EventDialog(client, client.list("event").items[0], DAY, "Asia/Shanghai", None)
    qtbot.addWidget(dialog)
    dialog.show()
    screenshot(dialog, "105-event-dialog-en")
    assert _chinese_in(dialog) == []
    _bad(dialog)
    dialog.save()
    assert dialog.form.error_text("title") == "cannot be empty"
    assert dialog.form.error_text("timezone") == "is not a time zone name (such as Asia/Shanghai)"
    dialog.title.setText("Standup")
    dialog.timezone.setCurrentText("Asia/Shanghai")
    dialog.save()
    assert dialog.form.error_text("end") == "cannot be before the start"
    assert _chinese_in(dialog) == []
    assert client.list("event").items[0].content["title"] == "Standup"


def test_all_day_and_a_start_with_an_offset_keep_the_until_form(qtbot, window: MainWindow) -> None:
    """The UNTIL a repeat writes suits the start: a date for 全天, UTC for a stored start with
    an offset (which is kept as stored)."""
    client = window.client
    item = client.add(
        "event", {"title": "航班", "start": "2026-12-16T10:00+09:00", "timezone": "Asia/Tokyo"}
    )

    def weekly_until(dialog: EventDialog) -> None:
        dialog.repeat.freq.setCurrentIndex(dialog.repeat.freq.findData("WEEKLY"))
        dialog.repeat.ends.setCurrentIndex(dialog.repeat.ends.findData("until"))
        dialog.repeat.until.setDate(QDate(2026, 12, 30))

    seen: dict[str, Any] = {}
    answer_next(_in_dialog(seen, weekly_until))
    dialog_day = date(2026, 12, 16)
    page = window.calendar
    page.refresh()
    page.select(dialog_day)
    page.events.edit_current()
    assert seen["errors"] == {}, seen
    content = client.get("event", item.id).content
    assert content["start"] == "2026-12-16T10:00:00+09:00"
    assert content["rrule"] == "FREQ=WEEKLY;UNTIL=20261230T145959Z"  # 23:59:59 in Tokyo

    def all_day(dialog: EventDialog) -> None:
        dialog.all_day.setChecked(True)

    answer_next(_in_dialog(seen, all_day))
    page.select(dialog_day)
    page.events.edit_current()
    assert seen["errors"] == {}, seen
    content = client.get("event", item.id).content
    assert (content["start"], content["rrule"]) == ("2026-12-16", "FREQ=WEEKLY;UNTIL=20261230")
    assert _shown_on(page, date(2026, 12, 30)) == ["全天  航班"]


def test_an_event_opened_from_a_reminder_is_chosen_on_its_day(qtbot, window: MainWindow) -> None:
    """提醒 → an event's row (or its pop-up) opens 日历 on its day with the event chosen."""
    client = window.client
    client.add("event", {**TIMED, "title": "早会", "start": "2026-12-16T08:00"})
    later = client.add("event", TIMED)
    [entry] = [i for i in client.agenda().days(DAY, DAY)[0].items if i.id == str(later.id)]
    window.show_page("contacts")
    window.open_item(entry)
    page = window.calendar
    assert window.stack.currentWidget() is page and page.selected() == DAY
    assert _lines(page) == ["08:00–11:00  早会", "10:00–11:00  周例会"]
    assert page.events.current() == entry
