"""The Help menu (R10; issue 6 §4): 帮助 → 用户指南 and 联系客服.

- ``GuideDialog``: what each module does and how, in the app's language, built in (works
  offline); a button opens the server's ``/help`` page in the browser.
- ``SupportDialog``: the company's customer-service phone, email and hours. It shows at once
  what the profile folder remembers (``<home>/support.json``; the defaults before the first
  fetch) and fetches ``GET /api/v1/support`` in a worker thread; the answer replaces what is
  shown and is remembered for offline use.

Both are ordinary (non-modal) windows: the person can keep the guide open beside the app.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from almanac.desktop.i18n import t
from almanac.desktop.report_send import (
    DEFAULT_SUPPORT,
    fetch_support,
    remember_support,
    remembered_support,
)
from almanac.desktop.workers import run_async

GUIDE_MODULES = ("contacts", "memos", "dates", "calendar", "sync", "offline", "errors")
"""The guide's sections, in order: ``guide.<module>`` and ``guide.<module>_body`` in ``i18n``."""

open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
"""How a link is opened in the browser (tests watch it instead)."""


def guide_html() -> str:
    parts = [f"<p>{html.escape(t('guide.lead'))}</p>"]
    for key in GUIDE_MODULES:
        parts.append(f"<h3>{html.escape(t(f'guide.{key}'))}</h3>")
        parts.append(f"<p>{html.escape(t(f'guide.{key}_body'))}</p>")
    return "\n".join(parts)


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None, server: str) -> None:
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle(t("guide.title"))
        self.resize(620, 560)
        self.web_url = f"{server.rstrip('/')}/help" if server else ""
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setObjectName("guideText")
        self.text.setHtml(guide_html())
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.web_button = QPushButton(t("guide.web"))
        self.web_button.setObjectName("openWebHelp")
        self.web_button.setEnabled(bool(self.web_url))
        self.web_button.clicked.connect(lambda: open_url(QUrl(self.web_url)))
        buttons.addButton(self.web_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)


class SupportDialog(QDialog):
    def __init__(self, parent: QWidget | None, home: Path, server: str) -> None:
        super().__init__(parent)
        self.setObjectName("supportDialog")
        self.setWindowTitle(t("support.title"))
        self.resize(460, 240)
        self.home = home
        self.fetched = False
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(t("support.lead")))
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for name in ("phone", "email", "hours"):
            label = QLabel()
            label.setObjectName(f"support{name.capitalize()}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[name] = label
            form.addRow(t(f"support.{name}"), label)
        layout.addLayout(form)
        self.note = QLabel()
        self.note.setObjectName("supportNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        remembered = remembered_support(home)
        self._show(remembered or DEFAULT_SUPPORT, "remembered" if remembered else "default")
        if server:
            self.note.setText(self.note.text() + "\n" + t("support.fetching"))
            run_async(lambda _report: fetch_support(server), self._fetched, self._not_fetched)

    def _show(self, contact: dict[str, Any], where: str) -> None:
        for name, label in self.values.items():
            label.setText(str(contact.get(name, "")))
        notes = []
        if where != "server":
            notes.append(t(f"support.{where}"))
        if not contact.get("configured"):
            notes.append(t("support.placeholder"))
        self.note.setText("\n".join(notes))

    def _fetched(self, contact: dict[str, Any]) -> None:
        self.fetched = True
        remember_support(self.home, contact)
        self._show(contact, "server")

    def _not_fetched(self, _exc: BaseException) -> None:
        remembered = remembered_support(self.home)
        self._show(remembered or DEFAULT_SUPPORT, "remembered" if remembered else "default")


class HelpMenu(QObject):
    """The two entries of the Help menu for one main window (``window.home``,
    ``window.client.profile.server_url``); the dialogs it opened stay reachable for tests."""

    def __init__(self, window: Any, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.guide: GuideDialog | None = None
        self.support: SupportDialog | None = None
        self.guide_action = QAction(t("menu.guide"), window)
        self.guide_action.setObjectName("guideAction")
        self.guide_action.setShortcut("F1")
        self.guide_action.triggered.connect(self.open_guide)
        self.support_action = QAction(t("menu.support"), window)
        self.support_action.setObjectName("supportAction")
        self.support_action.triggered.connect(self.open_support)
        menu.addAction(self.guide_action)
        menu.addAction(self.support_action)
        menu.addSeparator()

    def _server(self) -> str:
        return str(self.window.client.profile.server_url)

    def open_guide(self) -> GuideDialog:
        if self.guide is None:
            self.guide = GuideDialog(self.window, self._server())
        self.guide.show()
        self.guide.raise_()
        return self.guide

    def open_support(self) -> SupportDialog:
        if self.support is not None:
            self.support.close()
            self.support.deleteLater()
        self.support = SupportDialog(self.window, Path(self.window.home), self._server())
        self.support.show()
        return self.support
