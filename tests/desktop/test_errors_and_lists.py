"""The one place errors become words (R10; issue 6 §4), the error dialog, the offline main
window, and the lazily fetched lists (issue 6 §5: pages of rows, no widget per row)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QListView, QMessageBox, QWidget

from almanac.desktop.errors import show_error, words
from almanac.desktop.i18n import set_language, t
from almanac.desktop.prefs import Prefs
from almanac.desktop.record_model import PAGE
from almanac.desktop.window import MainWindow
from almanac.errors import (
    AlmanacError,
    BadCredentials,
    Duplicate,
    FieldProblem,
    InvalidInput,
    NeedsConfirmation,
    NotFound,
    Offline,
    StoreDamaged,
    Throttled,
    WrongPassword,
)

from .conftest import Account, answer_next, screenshot


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (BadCredentials(), "用户名或密码不对。"),
        (WrongPassword(), "密码不对：打不开本机的加密数据。"),
        (Offline("http://a.example"), "连不上服务器：本机数据照常可用，联网后再同步。"),
        (Throttled(30), "失败次数太多，请 30 秒后再试。"),
        (Duplicate("name", "家人"), "“家人”已经有了，请换一个。"),
        (NotFound("contact", "abcd"), "找不到这条记录（可能已被删除）。"),
        (NeedsConfirmation(90, 100), "这次同步会删除本机上 100 条记录中的 90 条。确定继续吗？"),
        (
            StoreDamaged("/x/store.db", "bad page", "/x/store.db.damaged"),
            "已另存到 /x/store.db.damaged",
        ),
        (
            InvalidInput([FieldProblem("name", "name must not be empty.", "empty")]),
            "输入有误：\nname: 不能为空",
        ),
        (ValueError("boom"), "程序出现意外错误：ValueError: boom"),
    ],
)
def test_errors_in_chinese(error: BaseException, expected: str) -> None:
    """R10, issue 6 §6: every error the app meets is said in zh-CN by default."""
    assert expected in words(error)


def test_errors_in_english_fall_back_to_the_message() -> None:
    set_language("en")
    try:
        assert words(AlmanacError("something odd")) == "Something went wrong: something odd"
        assert t("login.title") == "Log in"
    finally:
        set_language("zh-CN")


def test_error_dialog(qtbot) -> None:
    seen: dict[str, str] = {}

    def read(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox)
        seen["text"] = modal.text()
        screenshot(modal, "60-error-dialog")
        modal.accept()

    answer_next(read)
    show_error(None, Offline("http://a.example"))
    assert seen["text"] == words(Offline("http://a.example"))


def test_offline_window_and_lazy_list(qtbot, account: Account, home: Path) -> None:
    """Issue 6 §5: the contact list loads a page of rows and fetches more as it scrolls;
    the status bar says offline when the app opened offline."""
    client = account.login(home)
    total = PAGE * 2 + 37
    with client.store.transaction():
        for n in range(total):
            client.add(
                "contact", {"name": f"测试联系人{n:04d}", "phones": [{"value": f"1390000{n:04d}"}]}
            )
    window = MainWindow(client, home, Prefs(), offline=True)
    window.timer.stop()
    qtbot.addWidget(window)
    window.show()
    assert t("status.offline") in window.online_label.text()
    model = window.contacts.model
    assert model.rowCount() == PAGE and model.canFetchMore()
    assert isinstance(window.contacts.view, QListView)  # model/view: no widget per row
    window.contacts.view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > PAGE, timeout=5000)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total
    assert window.contacts.count.text() == t("common.count", n=total)
    screenshot(window, "61-offline-window")
    window.close()


def test_an_uncaught_error_opens_the_dialog(qtbot, capsys) -> None:
    """R10: an error no page caught (a bug) opens the error-report dialog (and is printed for
    support); Don't send closes it."""
    from almanac.desktop.main import handle_uncaught
    from almanac.desktop.report_dialog import ReportDialog

    seen: dict[str, str] = {}

    def read(modal: QWidget) -> None:
        assert isinstance(modal, ReportDialog)
        seen["text"] = modal.preview.toPlainText()
        modal.skip_button.click()

    answer_next(read)
    error = KeyError("phones")
    handle_uncaught(KeyError, error, None)
    assert '"error_type": "builtins.KeyError"' in seen["text"]
    assert "KeyError" in capsys.readouterr().err
