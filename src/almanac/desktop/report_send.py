"""Sending error reports and fetching the support contact (R10; issue 6 §4) — network work,
called from worker threads (``almanac.desktop.workers``), never from the window's thread.

- ``deliver(home, server, report)`` sends one report to ``POST /api/v1/reports`` of the
  server the person logged into; when the server cannot be reached (or is busy: 429, 5xx) the
  report is kept in ``<home>/reports-outbox/<report_id>.json`` and ``send_queued`` sends it
  after the next successful sync. A report the server refuses as invalid (413/422) is dropped:
  sending it again would not help.
- ``fetch_support(server)`` reads ``GET /api/v1/support``; ``remember_support`` and
  ``remembered_support`` keep the last answer in ``<home>/support.json`` for offline use.

A tiny httpx call of its own (no login, no token): a report must get out even when the app
is failing at the login itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import httpx

from almanac.store.paths import atomic_write

OUTBOX = "reports-outbox"
SUPPORT_FILE = "support.json"
TIMEOUT = 10.0

Outcome = Literal["sent", "queued", "refused"]

DEFAULT_SUPPORT: dict[str, Any] = {
    "phone": "400-000-0000 (示例)",
    "email": "support@example.com (示例)",
    "hours": "周一至周五 9:00–18:00 (示例)",
    "configured": False,
}
"""What the Help menu shows before the server was ever asked (the server's own defaults)."""


def _post(server: str, report: dict[str, Any]) -> Outcome | None:
    """``sent`` / ``refused``, or None when it should be tried again later."""
    try:
        response = httpx.post(f"{server.rstrip('/')}/api/v1/reports", json=report, timeout=TIMEOUT)
    except httpx.HTTPError:
        return None
    if response.status_code in (200, 201):
        return "sent"
    if response.status_code in (413, 422):
        return "refused"
    return None


def _write_json(path: Path, data: object) -> None:
    """Atomically, readable by the person only (``store.paths.atomic_write``)."""
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))


def queue(home: Path, report: dict[str, Any]) -> Path:
    path = home / OUTBOX / f"{report['report_id']}.json"
    _write_json(path, report)
    return path


def queued(home: Path) -> list[Path]:
    folder = home / OUTBOX
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def deliver(home: Path | None, server: str, report: dict[str, Any]) -> Outcome:
    """Send ``report`` now, or keep it for later (``queued``)."""
    outcome = _post(server, report) if server else None
    if outcome is not None:
        return outcome
    if home is None:
        return "refused"
    queue(home, report)
    return "queued"


def send_queued(home: Path, server: str) -> int:
    """Send the kept reports (after a successful sync); return how many went out. Each one
    leaves the outbox once the server has it (or refused it); the rest wait."""
    sent = 0
    for path in queued(home):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            path.unlink(missing_ok=True)
            continue
        outcome = _post(server, report)
        if outcome is None:
            break  # offline again: keep the rest
        path.unlink(missing_ok=True)
        sent += outcome == "sent"
    return sent


CONTACT_FIELDS = ("phone", "email", "hours")


def _is_contact(data: object) -> bool:
    return isinstance(data, dict) and all(isinstance(data.get(k), str) for k in CONTACT_FIELDS)


def fetch_support(server: str) -> dict[str, Any]:
    """The server's support contact; ``httpx.HTTPError`` or ``ValueError`` when it fails."""
    response = httpx.get(f"{server.rstrip('/')}/api/v1/support", timeout=TIMEOUT)
    response.raise_for_status()
    data = response.json()
    if not _is_contact(data):
        raise ValueError("not a support contact")
    return {k: data[k] for k in CONTACT_FIELDS} | {"configured": bool(data.get("configured"))}


def remember_support(home: Path, contact: dict[str, Any]) -> None:
    _write_json(home / SUPPORT_FILE, contact)


def remembered_support(home: Path) -> dict[str, Any] | None:
    """The contact last fetched, or None (never fetched, or unreadable)."""
    try:
        data = json.loads((home / SUPPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not _is_contact(data):
        return None
    return data
