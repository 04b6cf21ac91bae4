"""The error-report dialog (R10; issue 6 §4): an unexpected error (a bug, not an
``AlmanacError``) asks whether to send an error report and shows, in full, exactly what would
be sent (``report_payload.make_report``). Send hands it to a worker thread
(``report_send.deliver``: sent now, or kept and sent after the next successful sync); Don't
send sends nothing.

``Reporting`` is where reports go: the profile folder, the server the person logged into, how
to recognise the person's own words, and where to say the outcome (the status bar). The
main window sets it (``errors.configure_reports``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from almanac.desktop.i18n import t
from almanac.desktop.report_payload import IsKnown, make_report
from almanac.desktop.report_send import Outcome, deliver, queued, send_queued
from almanac.desktop.workers import run_async
from almanac.model import KINDS

if TYPE_CHECKING:
    from almanac.client.facade import Client


@dataclass
class Reporting:
    home: Path | None = None
    server: str = ""
    is_known: IsKnown | None = None
    notify: Callable[[str], None] | None = None


class ReportDialog(QDialog):
    """Send or don't send; ``report`` is shown as it will be sent."""

    def __init__(self, parent: QWidget | None, exc: BaseException, report: dict[str, Any]):
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(t("report.title"))
        self.resize(620, 480)
        self.report = report
        layout = QVBoxLayout(self)
        intro = QLabel(t("report.intro", what=type(exc).__name__))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel(t("report.preview")))
        self.preview = QPlainTextEdit(json.dumps(report, ensure_ascii=False, indent=2))
        self.preview.setObjectName("reportPreview")
        self.preview.setReadOnly(True)
        layout.addWidget(self.preview, 1)
        buttons = QDialogButtonBox()
        self.send_button = QPushButton(t("report.send"))
        self.send_button.setObjectName("sendReport")
        self.skip_button = QPushButton(t("report.dont_send"))
        self.skip_button.setObjectName("dontSendReport")
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.skip_button.setDefault(True)


def offer_report(parent: QWidget | None, exc: BaseException, reporting: Reporting) -> bool:
    """Ask; on Send, send in a worker. True when the person chose to send."""
    report = make_report(exc, reporting.is_known)
    dialog = ReportDialog(parent, exc, report)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    home, server, notify = reporting.home, reporting.server, reporting.notify

    def said(outcome: Outcome) -> None:
        if notify is not None:
            notify(t(f"report.{outcome}"))

    run_async(lambda _report: deliver(home, server, report), said, lambda _exc: None)
    return True


SHORT_WORDS = frozenset("a an as at be by do if in is it no not of on or so to up".split())  # noqa: SIM905
LOOKUPS_MAX = 40


def known_to(client: Client) -> IsKnown:
    """Whether a word is the person's own: in their user name, device or server, or found by
    the store's search in any kind of record (prefixes count: conservative). Words of one or
    two letters count as known unless they are common English ones (a search for them would
    be slow and prove little); after ``LOOKUPS_MAX`` searches every further word counts."""
    profile = client.profile
    own = [s.casefold() for s in (profile.user, profile.device, profile.server_url) if s]
    answers: dict[str, bool] = {}

    def is_known(word: str) -> bool:
        folded = word.casefold()
        if folded in SHORT_WORDS:
            return False
        if len(folded) <= 2 or any(folded in s for s in own):
            return True
        if folded not in answers:
            if len(answers) >= LOOKUPS_MAX:
                return True
            answers[folded] = any(client.list(k, q=word, limit=1).items for k in KINDS)
        return answers[folded]

    return is_known


def reporting_for(client: Client, home: Path, notify: Callable[[str], None]) -> Reporting:
    """Reports of this logged-in window: its profile folder and server, its person's words."""
    return Reporting(home, client.profile.server_url, known_to(client), notify)


def send_queued_reports(reporting: Reporting, server: str) -> None:
    """After a successful sync: send the kept reports in a worker (quietly)."""
    home = reporting.home
    if home is None or not queued(home):
        return
    run_async(lambda _report: send_queued(home, server), lambda _n: None, lambda _exc: None)
