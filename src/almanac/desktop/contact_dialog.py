"""Add or change one contact (R4): a form whose field errors appear beside the field they
name (``InvalidInput``); nothing is saved until the store accepts the whole contact."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from almanac.client.facade import Client
from almanac.desktop.forms import FieldForm, dialog_frame, save_record
from almanac.desktop.i18n import t
from almanac.store.local import Item


def _lines(labelled: list[dict[str, Any]], default: str) -> str:
    out = []
    for entry in labelled:
        label = entry.get("label", default)
        out.append(entry["value"] if label == default else f"{label}: {entry['value']}")
    return "\n".join(out)


def _entries(text: str, default: str) -> list[dict[str, str]]:
    """One entry per non-blank line; ``label: value`` keeps a label (``mobile`` otherwise)."""
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        label, sep, value = line.replace("：", ":").partition(":")
        if sep and label.strip() and not label.strip().startswith("+"):
            entries.append({"label": label.strip(), "value": value.strip()})
        else:
            entries.append({"label": default, "value": line})
    return entries


class ContactDialog(QDialog):
    """``item`` None: a new contact. After ``exec()`` accepted, ``saved`` is the stored item."""

    def __init__(self, client: Client, item: Item | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.client = client
        self.item = item
        self.saved: Item | None = None
        self.setWindowTitle(t("contact.change") if item else t("contact.new"))
        self.setMinimumWidth(460)
        self.form = FieldForm()
        self.name = self.form.add("name", t("contact.name"), QLineEdit())
        self.phones = self.form.add("phones", t("contact.phones"), QPlainTextEdit())
        self.phones.setPlaceholderText(t("contact.phones_hint"))
        self.phones.setFixedHeight(64)
        self.emails = self.form.add("emails", t("contact.emails"), QPlainTextEdit())
        self.emails.setPlaceholderText(t("contact.emails_hint"))
        self.emails.setFixedHeight(52)
        self.company = self.form.add("company", t("contact.company"), QLineEdit())
        self.title = self.form.add("title", t("contact.title"), QLineEdit())
        self.address = self.form.add("address", t("contact.address"), QLineEdit())
        self.groups = self.form.add("groups", t("contact.groups"), QListWidget())
        self.groups.setFixedHeight(80)
        self.notes = self.form.add("notes", t("contact.notes"), QPlainTextEdit())
        self.notes.setFixedHeight(52)
        self.other = dialog_frame(self, self.form, self.save)
        self._fill(item.content if item else {})

    def _fill(self, content: dict[str, Any]) -> None:
        self.name.setText(content.get("name", ""))
        self.phones.setPlainText(_lines(content.get("phones", []), "mobile"))
        self.emails.setPlainText(_lines(content.get("emails", []), "home"))
        self.company.setText(content.get("company", ""))
        self.title.setText(content.get("title", ""))
        self.address.setText(content.get("address", ""))
        self.notes.setPlainText(content.get("notes", ""))
        mine = {str(g) for g in content.get("groups", [])}
        for group in self.client.list("group", limit=1000).items:
            entry = QListWidgetItem(group.content["name"])
            entry.setData(Qt.ItemDataRole.UserRole, str(group.id))
            checked = str(group.id) in mine
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.groups.addItem(entry)

    def content(self) -> dict[str, Any]:
        groups = []
        for row in range(self.groups.count()):
            entry = self.groups.item(row)
            if entry.checkState() == Qt.CheckState.Checked:
                groups.append(entry.data(Qt.ItemDataRole.UserRole))
        return {
            "name": self.name.text(),
            "phones": _entries(self.phones.toPlainText(), "mobile"),
            "emails": _entries(self.emails.toPlainText(), "home"),
            "company": self.company.text(),
            "title": self.title.text(),
            "address": self.address.text(),
            "groups": groups,
            "notes": self.notes.toPlainText(),
        }

    def save(self) -> None:
        self.saved = save_record(self, self, "contact", self.item)
        if self.saved is not None:
            self.accept()
