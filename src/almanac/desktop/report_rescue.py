r"""The severe-error path (R10, R12; issue 6 §4): when the local store cannot be read or written
(``StoreDamaged``, or SQLite's disk I/O, read-only, disk-full, not-a-database errors) the app
cannot go on. ``severe_error`` saves what the person was typing — every non-empty, editable
text field of the open windows and dialogs (never a password field) — to
``<home>/rescued-<time>.json``, says so in a clear message and closes the app (exit code 2).

The text is sealed while still in memory with the profile's data key (``Client.seal_file``:
``almanac.store.seal``, AES-GCM): the file holds none of it, in any encoding (R12). The client
the window ``arm``\ s this module with seals it (the key never leaves the client); before a
login (or after the window closed) nothing is saved. At the next login ``offer_rescued`` opens
the files this profile's key sealed (``Client.open_sealed``) and shows each in
``RescuedDialog`` (``rescued_dialog``): the text to copy, or a new memo filled with it; a
file is deleted only once the person saved it as a memo or dismissed it, and kept for the next
login otherwise. Files another profile sealed are left alone.

Every edit that reached the store was committed before; only the open forms' text is at risk,
and that is what is saved."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from almanac.desktop.i18n import t
from almanac.errors import AlmanacError, StoreDamaged

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
    """The field's label in its form (``标题``), else its name, else its window's title."""
    node: QWidget | None = widget
    while node is not None and node is not widget.window():
        parent = node.parentWidget()
        for form in parent.findChildren(QFormLayout) if parent is not None else []:
            label = form.labelForField(node)
            if isinstance(label, QLabel) and label.text():
                return label.text().replace("&", "")
        node = parent
    window = widget.window()
    return widget.objectName() or (window.windowTitle() if window is not None else "")


def _found(widget: QWidget, text: str) -> dict[str, str]:
    return {"field": _label(widget), "name": widget.objectName(), "text": text}


def typed_fields() -> list[dict[str, str]]:
    """The non-empty, editable text of every visible window (passwords left out)."""
    found: list[dict[str, str]] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        for line in top.findChildren(QLineEdit):
            if line.isReadOnly() or line.echoMode() != QLineEdit.EchoMode.Normal:
                continue
            if isinstance(line.parent(), QAbstractSpinBox):  # a number, date or time box
                continue
            if line.text().strip():
                found.append(_found(line, line.text()))
        edits: list[QPlainTextEdit | QTextEdit] = [
            *top.findChildren(QPlainTextEdit),
            *top.findChildren(QTextEdit),
        ]
        for edit in edits:
            text = edit.toPlainText()
            if not edit.isReadOnly() and text.strip():
                found.append(_found(edit, text))
    return found


PURPOSE = "almanac/desktop/rescued-text"
"""What a rescued file is sealed for (``almanac.store.seal``: another purpose does not open it)."""

_client: Any = None


def arm(client: Any) -> None:
    """From now on a severe error seals the typed text with ``client``'s data key (the main
    window calls it; ``None`` disarms: nothing is saved without a key)."""
    global _client
    _client = client


def rescue(home: Path | None) -> Path | None:
    """Seal the typed text with the profile's data key and save it to
    ``<home>/rescued-<time>.json``; None when there was none, no key, or it could not be
    written either. The plain text never reaches the disk."""
    fields = typed_fields()
    if not fields or home is None or _client is None:
        return None
    now = datetime.now()
    value: dict[str, Any] = {"saved_at": now.isoformat(timespec="seconds"), "fields": fields}
    path = home / f"rescued-{now:%Y%m%d-%H%M%S}.json"
    for n in range(2, 100):
        if not path.exists():
            break
        path = home / f"rescued-{now:%Y%m%d-%H%M%S}-{n}.json"
    try:
        _client.seal_file(path, PURPOSE, value)
    except (OSError, ValueError, AttributeError):
        return None
    return path


def rescued_files(home: Path) -> list[Path]:
    """The rescued files in ``home``, oldest first."""
    return sorted(home.glob("rescued-*.json"))


def open_rescued(path: Path, client: Any) -> dict[str, Any] | None:
    """What ``path`` holds when this profile's key sealed it (None: another profile's file, a
    store re-keyed since, or not a rescued file — left as it is)."""
    try:
        value = client.open_sealed(path, PURPOSE)
    except (AlmanacError, OSError, ValueError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("fields"), list):
        return None
    return value


def offer_rescued(parent: QWidget, client: Any, home: Path, on_saved: Callable[[Any], None]) -> int:
    """At login: each rescued file of this profile offered back in ``RescuedDialog``; deleted
    once saved as a memo (``on_saved(item)`` then) or dismissed, kept otherwise. Returns how
    many were offered."""
    from almanac.desktop.rescued_dialog import RescuedDialog

    offered = 0
    for path in rescued_files(home):
        value = open_rescued(path, client)
        if value is None:
            continue
        offered += 1
        dialog = RescuedDialog(parent, client, value)
        dialog.exec()
        if dialog.saved is not None:
            on_saved(dialog.saved)
        if dialog.done_with:
            path.unlink(missing_ok=True)
    return offered


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
    lines = [t("severe.text")]
    if saved:
        lines.append(t("severe.saved", path=saved) + "\n" + t("rescue.sealed_note"))
    else:
        lines.append(t("severe.nothing"))
    lines.append(t("severe.then"))
    box = QMessageBox(parent)
    box.setObjectName("severeDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(t("severe.title"))
    box.setText("\n\n".join(lines))
    box.exec()
    quit_app()
    return saved
