"""Small form helpers shared by the dialogs: a form whose rows can show a field's error
beside the field it names (``FieldForm``), the frame of a record dialog (``dialog_frame``: the
form, a line for errors no field shows, Save and Cancel), and the date input for solar or
lunar dates (``DateSpecInput``, R6)."""

from __future__ import annotations

from typing import Any, TypeVar

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

from almanac.desktop.errors import field_words
from almanac.desktop.i18n import t
from almanac.errors import InvalidInput

W = TypeVar("W", bound=QWidget)


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
