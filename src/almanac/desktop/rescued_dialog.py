"""The text a severe error rescued, offered back at the next login (R10, R12; issue 6 §4).

``RescuedDialog`` shows what one rescued file holds — each field's text, selectable — with
复制全部 (to the clipboard), 存为备忘录 (a new memo holding it, saved at once: the memo form's
title becomes the memo's title), 不需要了 (dismissed) and 下次再说 (kept for the next login).
``done_with`` tells ``report_rescue.offer_rescued`` whether the file may go."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from almanac.desktop.i18n import t
from almanac.errors import AlmanacError

TITLE_FIELD = "memoTitle"
"""The memo form's title field (its text becomes the memo's title)."""


def memo_content(value: dict[str, Any]) -> dict[str, Any]:
    """A memo holding every rescued field: the memo form's title as its title (else 找回的内容
    and the time), the other fields in the body."""
    fields = [f for f in value.get("fields", []) if isinstance(f, dict)]
    title = next((str(f["text"]) for f in fields if f.get("name") == TITLE_FIELD), None)
    rest = [f for f in fields if f.get("name") != TITLE_FIELD]
    if title is None or not title.strip():
        title = t("rescue.memo_title", when=when(value))
    if len(rest) == 1:
        body = str(rest[0].get("text", ""))
    else:
        body = "\n\n".join(f"{f.get('field', '')}:\n{f.get('text', '')}" for f in rest)
    return {"title": title.strip()[:200], "body": body}


def when(value: dict[str, Any]) -> str:
    """When the text was rescued, as ``2026-11-27 11:00``."""
    return str(value.get("saved_at", "")).replace("T", " ")[:16]


class RescuedDialog(QDialog):
    """One rescued file's text: copy it, save it as a memo, dismiss it, or keep it."""

    def __init__(self, parent: QWidget | None, client: Any, value: dict[str, Any]) -> None:
        super().__init__(parent)
        self.setObjectName("rescuedDialog")
        self.setWindowTitle(t("rescue.title"))
        self.resize(560, 420)
        self.client = client
        self.value = value
        self.saved: Any = None
        self.done_with = False
        layout = QVBoxLayout(self)
        intro = QLabel(t("rescue.intro", when=when(value)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.texts: list[QPlainTextEdit] = []
        box = QWidget()
        column = QVBoxLayout(box)
        for field in value.get("fields", []):
            column.addWidget(QLabel(str(field.get("field", ""))))
            text = QPlainTextEdit(str(field.get("text", "")))
            text.setObjectName("rescuedText")
            text.setReadOnly(True)
            text.setMaximumHeight(120)
            column.addWidget(text)
            self.texts.append(text)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        layout.addWidget(scroll, 1)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c0392b;")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        layout.addWidget(self._buttons())

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.copy_button = self._button(buttons, "rescue.copy", "copyRescued", self.copy_all)
        self.memo_button = self._button(buttons, "rescue.save_memo", "saveRescued", self.save)
        self.dismiss_button = self._button(
            buttons, "rescue.dismiss", "dismissRescued", self.dismiss
        )
        self.later_button = self._button(buttons, "rescue.later", "keepRescued", self.reject)
        return buttons

    def _button(self, box: QDialogButtonBox, key: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(t(key))
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        box.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        return button

    def all_text(self) -> str:
        return "\n\n".join(text.toPlainText() for text in self.texts)

    def copy_all(self) -> None:
        clipboard = QApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.all_text())
        self.problem.setStyleSheet("")
        self.problem.setText(t("rescue.copied"))

    def save(self) -> None:
        try:
            self.saved = self.client.add("memo", memo_content(self.value))
        except AlmanacError as exc:
            from almanac.desktop.errors import words

            self.problem.setStyleSheet("color: #c0392b;")
            self.problem.setText(words(exc))
            return
        self.done_with = True
        self.accept()

    def dismiss(self) -> None:
        self.done_with = True
        self.accept()
