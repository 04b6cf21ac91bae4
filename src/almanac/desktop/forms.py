"""Small form helpers shared by the dialogs: a form whose rows can show a field's error
beside the field it names (``FieldForm``), the frame of a record dialog (``dialog_frame``: the
form, a line for errors no field shows, Save and Cancel), saving a record from a form
(``save_record``: the one place a dialog adds or changes a record and shows what was wrong),
and the date input for solar or lunar dates (``DateSpecInput``, R6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from almanac.desktop.errors import field_words, show_error
from almanac.desktop.i18n import t
from almanac.desktop.reminder_editor import readable
from almanac.errors import AlmanacError, InvalidInput

if TYPE_CHECKING:
    from almanac.client.facade import Client
    from almanac.store.local import Item

W = TypeVar("W", bound=QWidget)


def changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that differ (an empty value equals a missing one), so a sync merges
    this edit with edits of other fields made elsewhere."""
    return {k: v for k, v in new.items() if v != old.get(k) and (v or old.get(k))}


class RecordEditor(Protocol):
    """What ``save_record`` needs of a dialog or page that edits one record."""

    client: Client
    form: FieldForm
    other: QLabel  # the line for problems that no field of the form shows

    def content(self) -> dict[str, Any]: ...


def save_record(
    editor: RecordEditor,
    parent: QWidget,
    kind: str,
    item: Item | None,
    changes: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Item | None:
    """Add the editor's content as a new ``kind`` record (``item`` None) or save what changed
    in ``item`` (``changes(old content)``, by default every field that differs; nothing
    changed: ``item`` itself). Returns the saved item, or None when nothing was saved: a
    problem with the input is shown beside its field (the rest on ``editor.other``), any
    other error in the app's one error dialog over ``parent``."""
    editor.form.clear_errors()
    editor.other.clear()
    try:
        if item is None:
            return editor.client.add(kind, editor.content())
        diff = changes(item.content) if changes else changed(item.content, editor.content())
        return editor.client.edit(kind, item.id, diff) if diff else item
    except InvalidInput as exc:
        editor.other.setText("\n".join(editor.form.show_errors(readable(exc))))
    except AlmanacError as exc:
        show_error(parent, exc)
    return None


def dialog_frame(dialog: QDialog, form: QFormLayout, save: Any) -> QLabel:
    """Lay out ``form`` in ``dialog`` with Save (calls ``save``) and Cancel under it; returns
    the label, between the two, for errors that no field of the form shows."""
    other = QLabel()
    other.setStyleSheet("color: #c0392b;")
    buttons = QDialogButtonBox()
    buttons.addButton(t("common.save"), QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(t("common.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(other)
    layout.addWidget(buttons)
    return other


class FieldForm(QFormLayout):
    """A form layout whose rows have a named, initially hidden error label under the input."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: dict[str, QLabel] = {}

    def add(self, name: str, label: str, widget: W) -> W:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setStyleSheet("color: #c0392b;")
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self.errors[name] = error
        self.addRow(label, box)
        return widget

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_errors(self, exc: InvalidInput) -> list[str]:
        """Put each problem beside its field (by the first part of its dotted path); returns
        the problems that have no field here (the caller shows them elsewhere)."""
        self.clear_errors()
        rest: list[str] = []
        for problem in exc.problems:
            root, _, sub = problem.field.partition(".")
            label = self.errors.get(root)
            text = field_words(problem)
            if label is None:
                rest.append(f"{problem.field}: {text}")
                continue
            index = sub.split(".")[0]
            if index.isdigit():
                text = t("form.line", n=int(index) + 1, text=text)
            elif sub:
                text = t("form.part", part=_part(sub), text=text)
            previous = label.text()
            label.setText(f"{previous}\n{text}" if previous else text)
            label.show()
        return rest

    def error_text(self, name: str) -> str:
        return self.errors[name].text()


def _part(sub: str) -> str:
    """A date's part in words (``day`` → 日)."""
    key = {"year": "dates.year", "month": "dates.month", "day": "dates.day", "leap": "dates.leap"}
    return t(key[sub]) if sub in key else sub


class DateSpecInput(QWidget):
    """A solar or lunar month/day with an optional year and the leap-month flag."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.calendar = QComboBox()
        self.calendar.addItem(t("dates.solar"), "solar")
        self.calendar.addItem(t("dates.lunar"), "lunar")
        self.year = QSpinBox()
        self.year.setRange(0, 2099)
        self.year.setSpecialValueText(t("dates.no_year"))
        self.year.setSuffix(" " + t("dates.year_suffix"))
        self.month = QSpinBox()
        self.month.setRange(1, 12)
        self.month.setSuffix(" " + t("dates.month"))
        self.day = QSpinBox()
        self.day.setRange(1, 31)
        self.day.setSuffix(" " + t("dates.day"))
        self.leap = QCheckBox(t("dates.leap"))
        for widget in (self.calendar, self.year, self.month, self.day, self.leap):
            row.addWidget(widget)
        self.calendar.currentIndexChanged.connect(self._calendar_changed)
        self._calendar_changed()

    def _calendar_changed(self) -> None:
        self.leap.setEnabled(self.calendar.currentData() == "lunar")
        if not self.leap.isEnabled():
            self.leap.setChecked(False)

    def set_value(self, spec: dict[str, Any] | None) -> None:
        spec = spec or {}
        self.calendar.setCurrentIndex(1 if spec.get("calendar") == "lunar" else 0)
        self.year.setValue(int(spec.get("year") or 0))
        self.month.setValue(int(spec.get("month") or 1))
        self.day.setValue(int(spec.get("day") or 1))
        self.leap.setChecked(bool(spec.get("leap")))

    def value(self) -> dict[str, Any]:
        return {
            "calendar": self.calendar.currentData(),
            "year": self.year.value() or None,
            "month": self.month.value(),
            "day": self.day.value(),
            "leap": self.leap.isChecked(),
        }
