"""The login dialog (R1; issue 6 §1): right, wrong then right, cancelled (the program quits),
offline with the local store, and what is remembered (server and user, never the password).
Against a live server and real encrypted stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QWidget

from almanac.desktop.i18n import t
from almanac.desktop.login import LoginDialog
from almanac.desktop.main import run
from almanac.desktop.prefs import FILE_NAME, Prefs
from almanac.remote import HttpTransport

from .conftest import Account, LiveServer, answer_next, free_port, screenshot


def _dialog(qtbot, home: Path, server: str = "", user: str = "") -> LoginDialog:
    dialog = LoginDialog(home, Prefs(server=server, user=user), HttpTransport)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _submit(qtbot, dialog: LoginDialog, password: str) -> None:
    dialog.password.setText(password)
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=20_000)


def test_right_password_logs_in_and_remembers_server_and_user_not_password(
    qtbot, account: Account, home: Path
) -> None:
    """R1: the dialog logs in online; the server and the user are remembered, the password
    is not written anywhere in the app's settings."""
    dialog = _dialog(qtbot, home)
    dialog.server.setText(account.server.url)
    dialog.user.setText(account.username)
    dialog.password.setText(account.password)
    screenshot(dialog, "01-login")
    _submit(qtbot, dialog, account.password)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.client is not None and not dialog.offline
    assert dialog.client.profile.user == account.username
    dialog.client.close()
    saved = (home / FILE_NAME).read_text(encoding="utf-8")
    assert account.password not in saved
    again = _dialog(qtbot, home, **_remembered(home))
    assert again.server.text() == account.server.url
    assert again.user.text() == account.username
    assert again.password.text() == ""


def _remembered(home: Path) -> dict[str, str]:
    prefs = Prefs.load(home)
    return {"server": prefs.server, "user": prefs.user}


def test_wrong_password_says_so_and_asks_again(qtbot, account: Account, home: Path) -> None:
    """R1: a wrong entry says so and asks again; then the right one gets in."""
    dialog = _dialog(qtbot, home, account.server.url, account.username)
    _submit(qtbot, dialog, "错误的密码")
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.message.text() == t("login.bad")
    assert dialog.password.text() == ""
    screenshot(dialog, "02-login-wrong-password")
    _submit(qtbot, dialog, account.password)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.client is not None
    dialog.client.close()


def test_empty_fields_are_refused_without_network(qtbot, home: Path) -> None:
    dialog = _dialog(qtbot, home)
    dialog.ok.click()
    assert dialog.message.text() == t("login.empty")
    assert dialog.client is None


def test_cancel_quits_the_program(qtbot, home: Path) -> None:
    """R1: Cancel on the login dialog quits: ``run`` returns 0 without a window."""

    def cancel(modal: QWidget) -> None:
        assert isinstance(modal, LoginDialog)
        modal.cancel.click()

    answer_next(cancel)
    assert run(home, "http://127.0.0.1:9") == 0


def test_offline_login_opens_the_local_store(qtbot, tmp_path: Path, home: Path) -> None:
    """R1, R12, R14: with the server unreachable the password opens this computer's
    encrypted store; a wrong password there says so and asks again."""
    server = LiveServer(tmp_path / "srv")
    server.start()
    account = server.register()
    client = account.login(home)
    client.add("memo", {"title": "离线也能看的备忘"})
    client.close()
    server.stop()
    dialog = _dialog(qtbot, home, server.url, account.username)
    _submit(qtbot, dialog, "不是这个密码")
    assert dialog.message.text() == t("login.wrong_local")
    _submit(qtbot, dialog, account.password)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.offline and dialog.client is not None
    titles = [i.content["title"] for i in dialog.client.list("memo").items]
    assert titles == ["离线也能看的备忘"]
    dialog.client.close()


def test_offline_without_local_data_says_so(qtbot, home: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    dialog = _dialog(qtbot, home, dead, "李四")
    _submit(qtbot, dialog, "密码123456")
    assert dialog.message.text() == t("login.offline_none")
    assert dialog.client is None


def test_remembered_file_is_written_atomically(home: Path) -> None:
    """``desktop.json`` is written with the store's atomic write: the new text whole, and a
    write that fails (here its name is taken by a folder) leaves no temporary file behind."""
    Prefs(server="https://almanac.example", user="wang", language="en").save(home)
    assert _remembered(home) == {"server": "https://almanac.example", "user": "wang"}
    (home / FILE_NAME).unlink()
    (home / FILE_NAME).mkdir()
    with pytest.raises(OSError):
        Prefs(server="https://other.example", user="li").save(home)
    assert [p.name for p in home.iterdir()] == [FILE_NAME]
