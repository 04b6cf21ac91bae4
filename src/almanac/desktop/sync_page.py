"""The sync page (R8, R14): the sync button runs ``Client.sync`` in a worker thread with a
progress bar (the window stays responsive; the other pages wait, disabled, until it ends);
the result in words; the stored conflicts, each settled by choosing the version to keep
(``Client.resolve``)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from almanac.client.facade import Client
from almanac.client.reports import Status, SyncProgress, SyncReport
from almanac.desktop.errors import show_error, words
from almanac.desktop.i18n import t
from almanac.desktop.workers import run_async
from almanac.errors import AlmanacError, NeedsConfirmation, NotFound
from almanac.sync.protocol import ConflictRecord


def value_text(value: Any) -> str:
    if value is None:
        return t("common.none")
    if isinstance(value, str):
        return value or t("common.none")
    return json.dumps(value, ensure_ascii=False)


_PREFIX = {"contact": "contact", "memo": "memo", "birthday": "dates", "holiday": "dates"}


def field_label(kind: str, field: str) -> str:
    """A record field in words (``company`` → 单位); the name itself when there are none."""
    key = f"{_PREFIX.get(kind, kind)}.{field}"
    text = t(key)
    return field if text == key else text


class SyncPage(QWidget):
    started = Signal()
    finished = Signal(bool)  # True: the sync went through
    resolved = Signal()

    def __init__(self, client: Client, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.running = False
        self.last_report: SyncReport | None = None
        self.last_error: BaseException | None = None
        self.button = QPushButton(t("sync.button"))
        self.button.setObjectName("syncButton")
        self.button.setMinimumHeight(40)
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.result = QLabel()
        self.result.setObjectName("syncResult")
        self.result.setWordWrap(True)
        self.summary = QLabel()
        self.conflicts = QListWidget()
        self.conflicts.setObjectName("conflictList")
        self.keep_kept = QPushButton()
        self.keep_other = QPushButton()
        for button in (self.keep_kept, self.keep_other):
            button.setEnabled(False)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.button)
        top.addWidget(self.progress, 1)
        layout.addLayout(top)
        layout.addWidget(self.result)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(f"<b>{t('sync.conflicts')}</b>"))
        layout.addWidget(self.conflicts, 1)
        layout.addWidget(self.keep_kept)
        layout.addWidget(self.keep_other)
        self.button.clicked.connect(lambda: self.start())
        self.conflicts.currentRowChanged.connect(lambda _r: self._choice_buttons())
        self.keep_kept.clicked.connect(lambda: self.resolve_current(kept=True))
        self.keep_other.clicked.connect(lambda: self.resolve_current(kept=False))
        self.show_conflicts()

    # -- sync ----------------------------------------------------------------------------------

    def start(self, confirm: bool = False, announce: str | None = None) -> None:
        if self.running:
            return
        self.running = True
        self.button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.result.setText(t("sync.working"))
        self.started.emit()
        client = self.client

        def call(report: Any) -> SyncReport:
            return client.sync(confirm=confirm, progress=report)

        run_async(
            call,
            lambda r: self._done(r, announce),
            self._failed,
            self._progress,
        )

    def _progress(self, step: SyncProgress) -> None:
        if step.total:
            self.progress.setRange(0, step.total)
            self.progress.setValue(step.done)
        else:
            self.progress.setRange(0, 0)
        key = "sync.push" if step.phase == "push" else "sync.pull"
        self.progress.setFormat(t(key, done=step.done, total=step.total or "?"))

    def _end(self) -> None:
        self.running = False
        self.button.setEnabled(True)
        self.progress.hide()

    def _done(self, report: SyncReport, announce: str | None) -> None:
        self._end()
        self.last_report = report
        self.last_error = None
        text = t("sync.done", pushed=report.pushed, pulled=report.pulled, seconds=report.seconds)
        self.result.setText(f"{announce}\n{text}" if announce else text)
        self.show_conflicts()
        self.finished.emit(True)

    def _failed(self, exc: BaseException) -> None:
        self._end()
        self.last_error = exc
        self.result.setText(words(exc))
        self.finished.emit(False)
        if isinstance(exc, NeedsConfirmation):
            answer = QMessageBox.question(self, t("sync.confirm"), words(exc))
            if answer == QMessageBox.StandardButton.Yes:
                self.start(confirm=True)

    # -- status and conflicts ------------------------------------------------------------------

    def show_status(self, status: Status) -> None:
        self.summary.setText(
            "  ·  ".join(
                [
                    t("status.pending", n=status.pending),
                    t("status.conflicts", n=status.conflicts),
                    f"{status.user} @ {status.server_url}",
                ]
            )
        )

    def conflict_text(self, conflict: ConflictRecord) -> str:
        name = ""
        try:
            content = self.client.get(conflict.kind, conflict.record_id).content
            name = str(content.get("name") or content.get("title") or "")
        except NotFound:
            name = str(conflict.record_id)[:8]
        field = field_label(conflict.kind, conflict.field)
        head = t("sync.field", record=name, kind=t(f"kind.{conflict.kind}"), field=field)
        return (
            f"{head}\n  A: {value_text(conflict.kept_value)}"
            f"\n  B: {value_text(conflict.other_value)}"
        )

    def show_conflicts(self) -> None:
        self.conflicts.clear()
        self.items: list[ConflictRecord] = self.client.conflicts()
        for conflict in self.items:
            entry = QListWidgetItem(self.conflict_text(conflict))
            self.conflicts.addItem(entry)
        if not self.items:
            self.conflicts.addItem(t("sync.no_conflicts"))
        else:
            self.conflicts.setCurrentRow(0)
        self._choice_buttons()

    def current_conflict(self) -> ConflictRecord | None:
        row = self.conflicts.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _choice_buttons(self) -> None:
        conflict = self.current_conflict()
        self.keep_kept.setEnabled(conflict is not None)
        self.keep_other.setEnabled(conflict is not None and conflict.other_version is not None)
        self.keep_kept.setVisible(conflict is not None)
        self.keep_other.setVisible(conflict is not None)
        if conflict is None:
            return
        kept = value_text(conflict.kept_value)
        self.keep_kept.setText("A · " + t("sync.keep_mine", v=conflict.kept_version, value=kept))
        self.keep_other.setText(
            "B · "
            + t("sync.keep_mine", v=conflict.other_version, value=value_text(conflict.other_value))
        )

    def resolve_current(self, kept: bool) -> None:
        conflict = self.current_conflict()
        if conflict is None:
            return
        version = conflict.kept_version if kept else conflict.other_version
        if version is None:
            return
        try:
            self.client.resolve(str(conflict.id), version)
        except AlmanacError as exc:
            show_error(self, exc)
            return
        self.result.setText(t("sync.resolved"))
        self.show_conflicts()
        self.resolved.emit()
