"""The settings dialog (编辑 → 设置…; R3, issue 6 §6): the person's own settings — language,
clock format and whether it shows, first day of the week, start page, time zone, and which
festivals show. Save sends only what changed to ``Client.set_preferences``: applied on this
computer at once (offline too), sent to the server by the next sync. A bad value (a time zone
typed by hand) is said beside its field; nothing changes then.

``start_key`` maps a start page to one of the app's pages: upcoming opens the 提醒 page
(``upcoming``); the app has no separate events page, so events opens the calendar."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QListWidget, QListWidgetItem, QWidget

from almanac.calendar.festivals import FESTIVALS
from almanac.client.facade import Client
from almanac.desktop.errors import words
from almanac.desktop.forms import FieldForm, dialog_frame
from almanac.desktop.i18n import festival_name, t
from almanac.errors import AlmanacError, InvalidInput
from almanac.model.preferences import LANGUAGES, START_PAGES, Preferences, festival_settings

START_KEYS = {"events": "calendar"}
COMMON_ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
)


def start_key(start_page: str) -> str:
    """The app's page for a start page setting."""
    return START_KEYS.get(start_page, start_page)


def _combo(name: str, choices: list[tuple[str, Any]], current: Any) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    for label, value in choices:
        box.addItem(label, value)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class SettingsDialog(QDialog):
    """Edits ``client.preferences()``; after Save, ``saved`` holds the new settings."""

    def __init__(self, client: Client, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.before = client.preferences()
        self.saved: Preferences | None = None
        self.setWindowTitle(t("settings.title"))
        self.setMinimumWidth(460)
        p = self.before
        self.form = FieldForm()
        self.language = self.form.add(
            "language",
            t("settings.language"),
            _combo("language", [(t(f"lang.{code}"), code) for code in LANGUAGES], p.language),
        )
        clock = [(t("cal.clock_24"), "24h"), (t("cal.clock_12"), "12h")]
        self.clock_format = self.form.add(
            "clock_format", t("settings.clock_format"), _combo("clock", clock, p.clock_format)
        )
        self.clock_visible = self.form.add(
            "clock_visible", "", QCheckBox(t("settings.clock_visible"))
        )
        self.clock_visible.setChecked(p.clock_visible)
        days = [(t(f"weekday.{n}"), n) for n in range(1, 8)]
        self.week_start = self.form.add(
            "week_start", t("settings.week_start"), _combo("weekStart", days, p.week_start)
        )
        pages = [(t(f"page.{key}"), key) for key in START_PAGES]
        self.start_page = self.form.add(
            "start_page", t("settings.start_page"), _combo("startPage", pages, p.start_page)
        )
        self.time_zone = self.form.add(
            "time_zone", t("settings.time_zone"), zone_box(p.time_zone, "timeZone")
        )
        self.festivals = self.form.add(
            "festivals_hidden", t("settings.festivals"), self._festival_list(p)
        )
        self.other = dialog_frame(self, self.form, self.save)

    def _festival_list(self, p: Preferences) -> QListWidget:
        """One checkable row per festival: checked = shown."""
        box = QListWidget()
        box.setObjectName("festivals")
        box.setMinimumHeight(180)
        seen = p.festivals_seen()
        for festival in FESTIVALS:
            shown = festival.id in seen
            item = QListWidgetItem(festival_name(festival))
            item.setData(Qt.ItemDataRole.UserRole, festival.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
            box.addItem(item)
        return box

    def set_festival(self, fid: str, shown: bool) -> None:
        for row in range(self.festivals.count()):
            item = self.festivals.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == fid:
                state = Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked
                item.setCheckState(state)

    def values(self) -> dict[str, Any]:
        """Every setting as the dialog shows it."""
        rows = [self.festivals.item(row) for row in range(self.festivals.count())]
        ticked = [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in rows
            if item.checkState() == Qt.CheckState.Checked
        ]
        return {
            "language": self.language.currentData(),
            "clock_format": self.clock_format.currentData(),
            "clock_visible": self.clock_visible.isChecked(),
            "week_start": self.week_start.currentData(),
            "start_page": self.start_page.currentData(),
            "time_zone": self.time_zone.currentText().strip(),
            **festival_settings(ticked),
        }

    def patch(self) -> dict[str, Any]:
        """Only what changed (so another device's change of another field is not undone)."""
        before = self.before.model_dump(mode="json")
        return {k: v for k, v in self.values().items() if before.get(k) != v}

    def save(self) -> None:
        self.form.clear_errors()
        self.other.clear()
        try:
            self.saved = self.client.set_preferences(self.patch())
        except InvalidInput as exc:
            rest = self.form.show_errors(exc)
            if rest:
                self.other.setText("\n".join(rest))
            return
        except AlmanacError as exc:  # the store's: said here, the dialog stays
            self.other.setText(words(exc))
            return
        self.accept()


def zone_box(current: str, name: str) -> QComboBox:
    """An editable time-zone box: the common zones first, then every other one (A–Z)."""
    box = QComboBox()
    box.setObjectName(name)
    box.setEditable(True)
    rest = sorted(available_timezones() - set(COMMON_ZONES))
    box.addItems([*COMMON_ZONES, *rest])
    box.setCurrentText(current)
    return box
