"""The memo page (R5): the list on the left (pinned ones marked), the editor on the right;
add, change, delete, pin. Field errors appear beside their field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from almanac.client.facade import Client
from almanac.desktop.contact_dialog import changed
from almanac.desktop.errors import show_error
from almanac.desktop.forms import FieldForm
from almanac.desktop.i18n import t
from almanac.desktop.record_model import RecordModel
from almanac.errors import AlmanacError, InvalidInput
from almanac.store.local import Item


def memo_line(item: Item) -> str:
    pin = "★ " if item.content.get("pinned") else ""
    return pin + str(item.content.get("title", ""))


class MemosPage(QWidget):
    changed = Signal()

    def __init__(self, client: Client, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.model = RecordModel(
            client, "memo", [(t("memo.title"), memo_line)], first=("pinned", "true")
        )
        self.view = QListView()
        self.view.setObjectName("memoList")
        self.view.setUniformItemSizes(True)
        self.view.setModel(self.model)
        self.title = QLineEdit()
        self.title.setObjectName("memoTitle")
        self.pinned = QCheckBox(t("memo.pinned"))
        self.body = QPlainTextEdit()
        self.body.setObjectName("memoBody")
        self.form = FieldForm()
        self.form.add("title", t("memo.title"), self.title)
        self.form.add("pinned", "", self.pinned)
        self.form.add("body", t("memo.body"), self.body)
        self.other = QLabel()
        self.new_button = QPushButton(t("memo.new"))
        self.save_button = QPushButton(t("common.save"))
        self.delete_button = QPushButton(t("common.delete"))
        self.editing: Item | None = None
        self._layout()
        self.view.selectionModel().currentChanged.connect(lambda *_: self.show_current())
        self.new_button.clicked.connect(self.new_memo)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete_current)
        self.reload()

    def _layout(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.new_button)
        column.addWidget(self.view)
        right = QWidget()
        pane = QVBoxLayout(right)
        pane.addLayout(self.form)
        pane.addWidget(self.other)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        pane.addLayout(buttons)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([280, 520])
        QVBoxLayout(self).addWidget(split)

    def reload(self, select: object = None) -> None:
        self.model.reload()
        row = self.model.row_of(select) if select is not None else 0
        if self.model.rowCount() and row >= 0:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self.show_current()

    def current(self) -> Item | None:
        return self.model.item_at(self.view.currentIndex().row())

    def show_current(self) -> None:
        self.edit(self.current())

    def edit(self, item: Item | None) -> None:
        self.editing = item
        content: dict[str, Any] = item.content if item else {}
        self.title.setText(content.get("title", ""))
        self.pinned.setChecked(bool(content.get("pinned")))
        self.body.setPlainText(content.get("body", ""))
        self.delete_button.setEnabled(item is not None)
        self.form.clear_errors()

    def new_memo(self) -> None:
        self.view.clearSelection()
        self.edit(None)
        self.title.setFocus()

    def content(self) -> dict[str, Any]:
        return {
            "title": self.title.text(),
            "pinned": self.pinned.isChecked(),
            "body": self.body.toPlainText(),
        }

    def save(self) -> Item | None:
        self.form.clear_errors()
        try:
            if self.editing is None:
                saved = self.client.add("memo", self.content())
            else:
                changes = changed(self.editing.content, self.content())
                saved = (
                    self.client.edit("memo", self.editing.id, changes) if changes else self.editing
                )
        except InvalidInput as exc:
            self.other.setText("\n".join(self.form.show_errors(exc)))
            return None
        except AlmanacError as exc:
            show_error(self, exc)
            return None
        self.reload(select=saved.id)
        self.changed.emit()
        return saved

    def toggle_pin(self) -> None:
        item = self.current()
        if item is not None:
            self.client.edit("memo", item.id, {"pinned": not item.content.get("pinned")})
            self.reload(select=item.id)
            self.changed.emit()

    def delete_current(self) -> None:
        item = self.editing
        if item is None:
            return
        answer = QMessageBox.question(
            self, t("common.delete"), t("common.confirm_delete", name=item.content.get("title"))
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.client.remove("memo", item.id)
        except AlmanacError as exc:
            show_error(self, exc)
        self.reload()
        self.changed.emit()
