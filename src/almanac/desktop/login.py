"""The login dialog (R1; issue 6 §1): server, user name, password. It remembers the server
and the user (``prefs``), never the password. A wrong entry says so and asks again; Cancel
quits. When the server cannot be reached, the password opens this computer's encrypted store
(``Client.open``) and the app works offline. The network part runs in a worker thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from almanac.desktop.errors import words
from almanac.desktop.i18n import t
from almanac.desktop.prefs import Prefs
from almanac.desktop.workers import run_async
from almanac.errors import BadCredentials, NotLoggedIn, Offline, WrongPassword

if TYPE_CHECKING:  # the client core is imported in the worker: the dialog shows at once
    from almanac.client.facade import Client
    from almanac.client.transport import TransportFactory


def warm_up() -> None:
    """Import what the login and the main window need (run in a worker while the person
    types): the dialog itself needs none of it."""
    import almanac.client.facade
    import almanac.desktop.window
    import almanac.remote  # noqa: F401


class OtherProfile(Exception):
    """Offline, and the store on this computer belongs to another user or server."""

    def __init__(self, user: str, wanted: str) -> None:
        super().__init__(f"this computer holds {user}'s store, not {wanted}'s")
        self.user = user
        self.wanted = wanted


def sign_in(
    home: Path, server: str, user: str, password: str, transport: TransportFactory
) -> tuple[Client, bool]:
    """Log in online, or open the local store offline when the server is away. Returns the
    client and whether it is offline. Runs in a worker thread."""
    from almanac.client.facade import Client

    try:
        return Client.login(server, user, password, home=home, transport=transport), False
    except Offline:
        pass
    client = Client.open(password, home=home, transport=transport)
    wanted = (server.rstrip("/"), user)
    if (client.profile.server_url, client.profile.user) != wanted:
        have = client.profile.user
        client.close()
        raise OtherProfile(have, user)
    return client, True


class LoginDialog(QDialog):
    """Accepted with ``client`` (and ``offline``) set; rejected when the person cancels."""

    def __init__(
        self,
        home: Path,
        prefs: Prefs,
        transport: TransportFactory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.prefs = prefs
        self.transport = transport
        self.client: Client | None = None
        self.offline = False
        self.setWindowTitle(f"{t('app.title')} — {t('login.title')}")
        self.setMinimumWidth(420)
        self.server = QLineEdit(prefs.server)
        self.server.setPlaceholderText("https://almanac.example.cn")
        self.user = QLineEdit(prefs.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(t("login.server"), self.server)
        form.addRow(t("login.user"), self.user)
        form.addRow(t("login.password"), self.password)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(t("login.ok"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = self.buttons.addButton(
            t("login.cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel(t("app.title"))
        title.setStyleSheet("font-size: 18px; font-weight: bold; margin-bottom: 8px;")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password if prefs.server and prefs.user else self.server).setFocus()
        run_async(lambda _report: warm_up(), lambda _r: None, lambda _e: None)

    def try_login(self) -> None:
        server = self.server.text().strip()
        user = self.user.text().strip()
        password = self.password.text()
        if not (server and user and password):
            self.message.setText(t("login.empty"))
            return
        self._busy(True)
        self.message.setStyleSheet("color: #555;")
        self.message.setText(t("login.working"))
        run_async(
            lambda _report: sign_in(self.home, server, user, password, self._transport()),
            self._signed_in,
            self._failed,
        )

    def _transport(self) -> TransportFactory:
        if self.transport is None:
            from almanac.remote import http_transport

            return http_transport
        return self.transport

    def _signed_in(self, result: tuple[Client, bool]) -> None:
        self.client, self.offline = result
        self.prefs.server = self.server.text().strip()
        self.prefs.user = self.user.text().strip()
        self.prefs.save(self.home)
        self._busy(False)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.message.setStyleSheet("color: #c0392b;")
        if isinstance(exc, BadCredentials):
            text = t("login.bad")
        elif isinstance(exc, WrongPassword):
            text = t("login.wrong_local")
        elif isinstance(exc, NotLoggedIn):
            text = t("login.offline_none")
        elif isinstance(exc, OtherProfile):
            text = t("login.other_profile", user=exc.user, wanted=exc.wanted)
        else:
            text = words(exc)
        self.message.setText(text)
        self.password.clear()
        self.password.setFocus()

    def _busy(self, busy: bool) -> None:
        for widget in (self.server, self.user, self.password, self.ok):
            widget.setEnabled(not busy)
