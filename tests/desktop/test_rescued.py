"""What a severe error rescues stays private and comes back (R10, R12; issue 6 §4), and the
old ``desktop.json`` clock choice is carried once into the person's settings (R3; issue 6 §6).

Against a live test server (uvicorn in a thread) and real encrypted stores: a memo being typed
when the store stops taking writes is sealed with the profile's data key — the file holds none
of the typed text in UTF-8 or UTF-16 — and at the next login the app offers it back (saved
as a memo here); a file kept for later stays, a dismissed one goes, another profile's file is
left alone and not offered."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from almanac.desktop import errors, report_rescue
from almanac.desktop.prefs import Prefs
from almanac.desktop.rescued_dialog import RescuedDialog
from almanac.desktop.window import MainWindow
from almanac.store.seal import write_sealed

from .conftest import Account, answer_next, screenshot, wait_workers

TITLE = "周五给妈妈打电话"
BODY = "记得问她体检结果。\n顺便订周末的火车票。"
WORDS = ("周五给妈妈打电话", "体检结果", "火车票", "妈妈")


def open_window(qtbot: Any, account: Account, home: Path, prefs: Prefs | None = None) -> MainWindow:
    """Log in again (online) and open the main window, as ``almanac app`` does after login."""
    client = account.login(home)
    win = MainWindow(client, home, prefs or Prefs(server=account.server.url, user=account.username))
    win.timer.stop()
    qtbot.addWidget(win)
    win.show()
    return win


def press(name: str, seen: dict[str, Any], shot: str | None = None) -> Any:
    """Answer the rescued-text dialog: remember its texts, then press ``name``."""

    def act(modal: QWidget) -> None:
        assert isinstance(modal, RescuedDialog), type(modal)
        seen.setdefault("texts", []).append([x.toPlainText() for x in modal.texts])
        if shot:
            screenshot(modal, shot)
        modal.findChild(QPushButton, name).click()

    return act


@pytest.mark.qt_no_exception_capture
def test_rescued_text_is_sealed_and_comes_back_at_the_next_login(
    qtbot: Any, window: MainWindow, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", errors.on_uncaught)
    closed: list[bool] = []
    monkeypatch.setattr(report_rescue, "quit_app", lambda: closed.append(True))
    home = window.home
    window.show_page("memos")
    memos = window.memos
    memos.new_memo()
    memos.title.setText(TITLE)
    memos.body.setPlainText(BODY)
    window.reminders.stop()  # its own write would meet the read-only store first
    wait_workers(qtbot)
    conn = window.client.store._db.conn
    conn.execute("PRAGMA query_only = ON")  # the store can no longer be written
    said: dict[str, str] = {}

    def read(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox)
        said["text"] = modal.text()
        modal.accept()

    answer_next(read)
    QTimer.singleShot(0, memos.save_button.click)
    try:
        qtbot.waitUntil(lambda: closed == [True], timeout=10_000)
    finally:
        conn.execute("PRAGMA query_only = OFF")
    (saved,) = report_rescue.rescued_files(home)
    assert str(saved) in said["text"]
    raw = saved.read_bytes()
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        for word in WORDS:
            assert word.encode(encoding) not in raw, (encoding, word)
    assert saved.stat().st_mode & 0o077 == 0
    assert window.client.list("memo").items == []
    wait_workers(qtbot)
    window.close()

    seen: dict[str, Any] = {}
    answer_next(press("saveRescued", seen, "66-rescued-offered"))
    again = open_window(qtbot, account, home)
    qtbot.waitUntil(lambda: not saved.exists(), timeout=10_000)
    assert seen["texts"] == [[TITLE, BODY]]
    (memo,) = again.client.list("memo").items
    assert (memo.content["title"], memo.content["body"]) == (TITLE, BODY)
    assert again.stack.currentWidget() is again.memos
    assert again.memos.title.text() == TITLE
    wait_workers(qtbot)
    again.close()


@pytest.mark.qt_no_exception_capture
def test_a_rescued_file_kept_for_later_then_dismissed(
    qtbot: Any, account: Account, home: Path
) -> None:
    client = account.login(home)
    value = {"saved_at": "2026-11-27T11:00:00", "fields": [{"field": "x", "text": TITLE}]}
    mine = home / "rescued-20261127-110000.json"
    client.seal_file(mine, report_rescue.PURPOSE, value)
    other = home / "rescued-20261127-100000.json"  # another profile's key sealed it
    write_sealed(other, os.urandom(32), value, purpose=report_rescue.PURPOSE)
    client.close()

    seen: dict[str, Any] = {}
    answer_next(press("keepRescued", seen))
    win = open_window(qtbot, account, home)
    qtbot.waitUntil(lambda: "texts" in seen, timeout=10_000)
    wait_workers(qtbot)
    win.close()
    assert mine.exists() and other.exists()

    answer_next(press("dismissRescued", seen))
    win = open_window(qtbot, account, home)
    qtbot.waitUntil(lambda: not mine.exists(), timeout=10_000)
    assert seen["texts"] == [[TITLE], [TITLE]]  # offered twice, the other file never
    assert other.exists()
    assert win.client.list("memo").items == []
    wait_workers(qtbot)
    win.close()


def test_without_a_login_nothing_is_saved(qtbot: Any, home: Path) -> None:
    """No key (before a login): nothing typed reaches the disk in the clear."""
    from PySide6.QtWidgets import QLineEdit

    report_rescue.arm(None)
    field = QLineEdit(TITLE)
    qtbot.addWidget(field)
    field.show()
    assert report_rescue.rescue(home) is None
    assert not home.exists() or report_rescue.rescued_files(home) == []


def test_the_old_clock_choice_is_carried_once(qtbot: Any, account: Account, home: Path) -> None:
    """R3: ``clock_24h: false`` and ``clock_hidden: true`` of an old desktop.json become the
    person's settings at the next login, and the old keys leave the file."""
    home.mkdir(parents=True)
    old = {"server": account.server.url, "user": account.username, "language": "zh-CN"}
    (home / "desktop.json").write_text(
        json.dumps({**old, "clock_24h": False, "clock_hidden": True}), encoding="utf-8"
    )
    win = open_window(qtbot, account, home, Prefs.load(home))
    prefs = win.client.preferences()
    assert (prefs.clock_format, prefs.clock_visible) == ("12h", False)
    assert win.client.pending_preferences() == {"clock_format": "12h", "clock_visible": False}
    assert json.loads((home / "desktop.json").read_text(encoding="utf-8")) == old
    clock = win.calendar.clock  # the clock shows the carried choice
    assert not clock.h24_chosen and clock.time.isHidden()
    # the person goes back to a 24-hour clock: the old file does not bring 12-hour back
    win.client.set_preferences({"clock_format": "24h", "clock_visible": True})
    wait_workers(qtbot)
    win.close()
    again = open_window(qtbot, account, home, Prefs.load(home))
    assert (again.client.preferences().clock_format, again.shown.clock_visible) == ("24h", True)
    wait_workers(qtbot)
    again.close()


def test_an_old_default_never_overrides_a_newer_setting(
    qtbot: Any, account: Account, home: Path
) -> None:
    """The old file's defaults (24-hour, shown) were no choice: a 12-hour clock set since stays;
    only the hidden clock is carried."""
    client = account.login(home)
    client.set_preferences({"clock_format": "12h"})
    client.close()
    (home / "desktop.json").write_text(
        json.dumps({"clock_24h": True, "clock_hidden": True}), encoding="utf-8"
    )
    win = open_window(qtbot, account, home, Prefs.load(home))
    assert (win.shown.clock_format, win.shown.clock_visible) == ("12h", False)
    wait_workers(qtbot)
    win.close()


def test_a_store_damaged_at_login_is_said_and_its_edit_kept(
    qtbot: Any, account: Account, home: Path
) -> None:
    """R13, issue 3 §5: a memo not yet synced, then the store's outbox page damaged. The
    next login moves the file aside and rebuilds it; the window says so once, naming where
    the old file is, and the memo is there, rescued from the changed item."""
    from almanac.store.db import connect

    client = account.login(home)
    client.add("memo", {"title": "没同步的", "body": BODY})
    path = client.paths.store_db
    conn = connect(path, client._key)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'outbox'").fetchone()
    conn.close()
    client.close()
    with path.open("r+b") as handle:
        handle.seek((int(root[0]) - 1) * 4096 + 200)
        handle.write(bytes(64))
    said: dict[str, str] = {}

    def read(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox), type(modal)
        said["text"] = modal.text()
        screenshot(modal, "67-store-rebuilt")
        modal.accept()

    answer_next(read)
    win = open_window(qtbot, account, home)
    qtbot.waitUntil(lambda: "text" in said, timeout=10_000)
    assert "损坏" in said["text"] and ".damaged-" in said["text"]
    assert [i.content["title"] for i in win.client.list("memo").items] == ["没同步的"]
    wait_workers(qtbot)
    win.close()
