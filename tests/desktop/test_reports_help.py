"""Error reports, the severe-error path and the Help menu of the desktop app (R10; issue 6
§4), against a live test server (uvicorn in a thread, SQLite): an error raised in a slot
opens the report dialog; Send → the server holds the report (read from its database) and
nothing of the person's is in it; Don't send → nothing; offline → kept in the profile folder,
then sent after the next successful sync. A store that cannot be written closes the app with
a clear message after saving what was typed. The guide and the support contact (fetched,
remembered for offline use). Screenshots in test-artifacts/desktop."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from almanac.desktop import errors, help_dialogs, report_rescue, report_send
from almanac.desktop.report_dialog import ReportDialog
from almanac.desktop.window import MainWindow
from almanac.server.db.tables import error_reports

from .conftest import LiveServer, answer_next, free_port, screenshot, wait_workers

NAME = "欧阳娜娜"
LATIN = "Nanaouyang"


def stored(server: LiveServer, report_id: str) -> list[Any]:
    with server.app.state.ctx.engine.connect() as conn:
        query = sa.select(error_reports).where(error_reports.c.report_id == report_id)
        return list(conn.execute(query).all())


def count_reports(server: LiveServer) -> int:
    with server.app.state.ctx.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(error_reports)).scalar())


def press(name: str, seen: dict[str, Any], shot: str | None = None) -> Callable[[QWidget], None]:
    """Answer the report dialog: remember what it shows, then press ``name``."""

    def act(modal: QWidget) -> None:
        assert isinstance(modal, ReportDialog), type(modal)
        seen["report"] = json.loads(modal.preview.toPlainText())
        seen["shown"] = modal.report
        if shot:
            screenshot(modal, shot)
        modal.findChild(QPushButton, name).click()

    return act


def raise_in_slot(window: MainWindow, error: Exception) -> None:
    """A button in the window whose slot raises ``error`` (a bug), clicked from the loop."""
    button = QPushButton("boom", window)

    def broken_save() -> None:
        raise error

    button.clicked.connect(broken_save)
    QTimer.singleShot(0, button.click)


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's own ``sys.excepthook`` (as ``almanac app`` installs it)."""
    monkeypatch.setattr(sys, "excepthook", errors.on_uncaught)


@pytest.mark.qt_no_exception_capture
def test_send_a_report_from_a_slot_without_the_persons_data(
    qtbot: Any, window: MainWindow, live_server: LiveServer, hooked: None
) -> None:
    """R10: an error in a slot asks; Send → the server stores it; no name, phone, user name,
    server address or record content reaches it."""
    user = window.client.profile.user
    window.client.add("contact", {"name": f"{NAME} {LATIN}", "phones": [{"value": "13912345678"}]})
    seen: dict[str, Any] = {}
    answer_next(press("sendReport", seen, "62-error-report-dialog"))
    message = f"no group for {LATIN} ({NAME}, 13912345678) of {user} at {live_server.url}"
    raise_in_slot(window, LookupError(message))
    qtbot.waitUntil(lambda: "report" in seen, timeout=10_000)
    assert seen["report"] == seen["shown"]  # the dialog shows exactly what is sent
    report_id = seen["report"]["report_id"]
    qtbot.waitUntil(lambda: bool(stored(live_server, report_id)), timeout=10_000)
    wait_workers(qtbot)
    (row,) = stored(live_server, report_id)
    assert row.error_type == "builtins.LookupError"
    assert row.what == "test_reports_help.broken_save"  # no frame of Almanac's: the innermost
    assert re.search(r'File "test_reports_help.py", line \d+, in broken_save$', row.traceback)
    assert row.message.startswith("no group for …")
    everything = " ".join(str(v) for v in row._mapping.values())
    for secret in (LATIN, NAME, "13912345678", user, str(live_server.port), "/home/", "/tmp/"):
        assert secret not in everything, secret
    assert report_send.queued(window.home) == []
    assert window.statusBar().currentMessage() == "错误报告已发送，谢谢！"


@pytest.mark.qt_no_exception_capture
def test_dont_send_sends_nothing(
    qtbot: Any, window: MainWindow, live_server: LiveServer, hooked: None
) -> None:
    before = count_reports(live_server)
    seen: dict[str, Any] = {}
    answer_next(press("dontSendReport", seen))
    raise_in_slot(window, ZeroDivisionError("division by zero"))
    qtbot.waitUntil(lambda: "report" in seen, timeout=10_000)
    wait_workers(qtbot)
    assert seen["report"]["message"] == "division by zero"  # no data of the person's in it
    assert count_reports(live_server) == before
    assert report_send.queued(window.home) == []


def test_offline_the_report_waits_for_the_next_sync(
    qtbot: Any, window: MainWindow, live_server: LiveServer
) -> None:
    """Offline → kept in <home>/reports-outbox; the next successful sync sends it."""
    online = errors.reporting()
    errors.configure_reports(replace(online, server=f"http://127.0.0.1:{free_port()}"))
    seen: dict[str, Any] = {}
    answer_next(press("sendReport", seen))
    try:
        raise KeyError("phones")
    except KeyError as exc:
        errors.show_error(window, exc)
    wait_workers(qtbot)
    report_id = seen["report"]["report_id"]
    (kept,) = report_send.queued(window.home)
    assert kept.name == f"{report_id}.json"
    assert stored(live_server, report_id) == []
    assert "下次同步成功后自动发送" in window.statusBar().currentMessage()

    errors.configure_reports(online)
    finished: list[bool] = []
    window.sync.finished.connect(finished.append)
    window.start_sync()
    qtbot.waitUntil(lambda: finished == [True], timeout=20_000)
    qtbot.waitUntil(lambda: bool(stored(live_server, report_id)), timeout=10_000)
    wait_workers(qtbot)
    assert report_send.queued(window.home) == []


@pytest.mark.qt_no_exception_capture
def test_a_store_that_cannot_be_written_closes_after_saving_the_typed_text(
    qtbot: Any, window: MainWindow, hooked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R10: severe — the memo being typed is saved to the profile folder, a clear message,
    the app closes (exit code 2)."""
    closed: list[bool] = []
    monkeypatch.setattr(report_rescue, "quit_app", lambda: closed.append(True))
    window.show_page("memos")
    memos = window.memos
    memos.new_memo()
    memos.title.setText("周五给妈妈打电话")
    memos.body.setPlainText("记得问她体检结果。\n顺便订周末的火车票。")
    window.reminders.stop()  # its own write would meet the read-only store first
    conn = window.client.store._db.conn
    conn.execute("PRAGMA query_only = ON")  # the store can no longer be written
    seen: dict[str, str] = {}

    def read(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox)
        seen["text"] = modal.text()
        screenshot(modal, "63-severe-error")
        modal.accept()

    answer_next(read)
    QTimer.singleShot(0, memos.save_button.click)
    try:
        qtbot.waitUntil(lambda: closed == [True], timeout=10_000)
    finally:
        conn.execute("PRAGMA query_only = OFF")
    (saved,) = sorted(window.home.glob("rescued-*.json"))
    assert str(saved) in seen["text"]
    assert "本机数据文件无法读写，程序必须关闭" in seen["text"]
    rescued = report_rescue.open_rescued(saved, window.client)  # sealed (R12): test_rescued.py
    assert rescued is not None
    texts = [f["text"] for f in rescued["fields"]]
    assert "周五给妈妈打电话" in texts
    assert "记得问她体检结果。\n顺便订周末的火车票。" in texts
    assert saved.stat().st_mode & 0o077 == 0  # the person's own file
    assert window.client.list("memo").items == []  # nothing half-saved


def test_a_damaged_store_is_severe_too(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from almanac.errors import StoreDamaged

    closed: list[bool] = []
    monkeypatch.setattr(report_rescue, "quit_app", lambda: closed.append(True))
    answer_next(lambda modal: modal.accept() if isinstance(modal, QMessageBox) else None)
    errors.show_error(None, StoreDamaged("/x/store.db", "bad page", "/x/store.db.damaged"))
    assert closed == [True]
    assert report_rescue.is_severe(RuntimeError("wrapped")) is False


def test_help_menu_guide_and_support(
    qtbot: Any,
    window: MainWindow,
    live_server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """帮助 → 用户指南 (built in, a link to the server's /help) and 联系客服 (fetched from
    GET /api/v1/support, remembered for offline use)."""
    opened: list[str] = []
    monkeypatch.setattr(help_dialogs, "open_url", lambda url: opened.append(QUrl(url).toString()))
    window.help.guide_action.trigger()
    guide = window.help.guide
    assert guide is not None and guide.isVisible()
    text = guide.text.toPlainText()
    for title in ("通讯录", "备忘录", "生日节日", "日历", "同步", "离线使用", "出错时"):
        assert title in text
    screenshot(guide, "64-help-guide")
    guide.web_button.click()
    assert opened == [f"{live_server.url}/help"]
    guide.close()

    settings = live_server.app.state.ctx.settings
    monkeypatch.setattr(settings, "support_phone", "400-820-8820")
    monkeypatch.setattr(settings, "support_email", "kefu@almanac.cn")
    window.help.support_action.trigger()
    support = window.help.support
    assert support is not None
    assert "示例" in support.values["phone"].text()  # the defaults until the answer comes
    qtbot.waitUntil(lambda: support.fetched, timeout=10_000)
    assert support.values["phone"].text() == "400-820-8820"
    assert support.values["email"].text() == "kefu@almanac.cn"
    assert "示例" in support.values["hours"].text()
    assert "示例" in support.note.text()  # hours are still the placeholder
    screenshot(support, "65-help-support")
    support.close()

    offline = help_dialogs.SupportDialog(None, window.home, f"http://127.0.0.1:{free_port()}")
    qtbot.addWidget(offline)
    wait_workers(qtbot)
    assert offline.values["phone"].text() == "400-820-8820"  # remembered
    assert "上次从服务器取得" in offline.note.text()


def test_help_in_english(qtbot: Any, window: MainWindow, home: Path) -> None:
    from almanac.desktop.i18n import set_language

    set_language("en")
    try:
        dialog = help_dialogs.GuideDialog(None, "")
        qtbot.addWidget(dialog)
        assert "Birthdays & holidays" in dialog.text.toPlainText()
        assert not dialog.web_button.isEnabled()
        support = help_dialogs.SupportDialog(None, home / "fresh", "")
        qtbot.addWidget(support)
        assert "Not fetched from the server yet" in support.note.text()
    finally:
        set_language("zh-CN")
