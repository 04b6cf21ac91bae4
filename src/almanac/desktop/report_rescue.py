"""The severe-error path (R10; issue 6 §4): when the local store cannot be read or written
(``StoreDamaged``, or SQLite's disk I/O, read-only, disk-full, not-a-database errors) the app
cannot go on. ``severe_error`` saves what the person was typing — every non-empty, editable
text field of the open windows and dialogs (never a password field) — to
``<home>/rescued-<time>.json`` (readable by the person only), says so in a clear message and
closes the app (exit code 2).

Every edit that reached the store was committed before; only the open forms' text is at risk,
and that is what is saved. (It is plain text: the store's encryption is what failed.)"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from almanac.desktop.help_words import w
from almanac.errors import StoreDamaged

SEVERE_SQLITE = (
    "disk i/o error",
    "readonly database",
    "database or disk is full",
    "unable to open database",
    "database disk image is malformed",
    "file is not a database",
)


def is_severe(exc: BaseException) -> bool:
    """The store cannot be read or written (anywhere in the exception's chain)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, StoreDamaged):
            return True
        module = type(seen).__module__.split(".")[0]
        if module in ("sqlcipher3", "sqlite3") and any(
            part in str(seen).lower() for part in SEVERE_SQLITE
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _label(widget: QWidget) -> str:
    name = widget.objectName() or widget.accessibleName()
    window = widget.window()
    title = window.windowTitle() if window is not None else ""
    return f"{title} / {name}" if name else title


def typed_fields() -> list[dict[str, str]]:
    """The non-empty, editable text of every visible window (passwords left out)."""
    found: list[dict[str, str]] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        for line in top.findChildren(QLineEdit):
            if line.isReadOnly() or line.echoMode() != QLineEdit.EchoMode.Normal:
                continue
            if line.text().strip():
                found.append({"field": _label(line), "text": line.text()})
        edits: list[QPlainTextEdit | QTextEdit] = [
            *top.findChildren(QPlainTextEdit),
            *top.findChildren(QTextEdit),
        ]
        for edit in edits:
            text = edit.toPlainText()
            if not edit.isReadOnly() and text.strip():
                found.append({"field": _label(edit), "text": text})
    return found


def rescue(home: Path | None) -> Path | None:
    """Save the typed text to ``<home>/rescued-<time>.json``; None when there was none (or it
    could not be written either)."""
    fields = typed_fields()
    if not fields or home is None:
        return None
    path = home / f"rescued-{datetime.now():%Y%m%d-%H%M%S}.json"
    data: dict[str, Any] = {"saved_at": datetime.now().isoformat(), "fields": fields}
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
    except OSError:
        return None
    return path


def close_app() -> None:
    """Close every window and leave the event loop with exit code 2."""
    for top in QApplication.topLevelWidgets():
        with contextlib.suppress(Exception):  # its own close may touch the broken store
            top.close()
    app = QApplication.instance()
    if app is not None:
        app.exit(2)


quit_app: Callable[[], None] = close_app
"""How ``severe_error`` ends the app (tests watch it instead of leaving the event loop)."""


def severe_error(parent: QWidget | None, exc: BaseException, home: Path | None) -> Path | None:
    """Save, say, close. Returns where the typed text went."""
    saved = rescue(home)
    lines = [w("severe.text")]
    lines.append(w("severe.saved", path=saved) if saved else w("severe.nothing"))
    lines.append(w("severe.then"))
    box = QMessageBox(parent)
    box.setObjectName("severeDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(w("severe.title"))
    box.setText("\n\n".join(lines))
    box.exec()
    quit_app()
    return saved
