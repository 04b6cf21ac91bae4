"""Error reports sent to the company (R10; issue 6 §4): the ``error_reports`` table.

A report says what failed, the exception's type, message and stack frames, the app's version
and the OS; never who sent it (no user, no address, no record content). ``ReportIn`` caps
every field's size (longer → ``InvalidInput`` naming it); ``ReportStore.add`` scrubs control
characters (keeping line breaks and tabs) and stores a report once per ``report_id`` (the
client's UUID), so a report sent again after a lost answer is not doubled. Operators read
them newest first (``almanac reports``, ``/operator/reports``).

``RateLimit`` is the per-address limit on sending (kept in memory: a burst of reports from
one address is refused with ``Throttled`` for a while; nothing about the address is stored).
"""

from __future__ import annotations

import math
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from almanac.errors import InvalidInput, NotFound, Throttled
from almanac.server.db.tables import error_reports as table

MAX_BODY = 64 * 1024
"""A report's JSON body may be this many bytes; a larger one is refused (413)."""
MESSAGE_MAX = 4000
TRACEBACK_MAX = 32000
LIST_MAX = 1000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


class ReportIn(BaseModel):
    """What a client sends (``POST /api/v1/reports``)."""

    model_config = ConfigDict(extra="forbid")

    report_id: uuid.UUID = Field(description="made by the client; a resent report is kept once")
    source: Literal["desktop", "web", "cli"] = "desktop"
    app_version: str = Field(max_length=64)
    os: str = Field(max_length=200)
    what: str = Field(max_length=500, description="what failed (the action, not its data)")
    error_type: str = Field(max_length=200)
    message: str = Field(default="", max_length=MESSAGE_MAX)
    traceback: str = Field(default="", max_length=TRACEBACK_MAX)


@dataclass(frozen=True)
class StoredReport:
    id: int
    report_id: str
    received_at: datetime
    source: str
    app_version: str
    os: str
    what: str
    error_type: str
    message: str
    traceback: str

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "report_id": self.report_id,
            "received_at": self.received_at.isoformat(),
            "source": self.source,
            "app_version": self.app_version,
            "os": self.os,
            "what": self.what,
            "error_type": self.error_type,
            "message": self.message,
            "traceback": self.traceback,
        }


def scrub(text: str) -> str:
    """``text`` without control characters (line breaks and tabs kept, ``\\r\\n`` → ``\\n``)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class ReportStore:
    """Store and read error reports."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine

    def add(self, report: ReportIn, now: datetime | None = None) -> bool:
        """Store ``report``; False when a report with its ``report_id`` is already there."""
        values = {
            "report_id": str(report.report_id),
            "received_at": now or datetime.now(UTC),
            "source": report.source,
            "app_version": scrub(report.app_version),
            "os": scrub(report.os),
            "what": scrub(report.what),
            "error_type": scrub(report.error_type),
            "message": scrub(report.message),
            "traceback": scrub(report.traceback),
        }
        if self._exists(values["report_id"]):
            return False
        try:
            with self._engine.begin() as conn:
                conn.execute(sa.insert(table).values(**values))
        except sa.exc.IntegrityError:
            return False  # the same report, sent twice at once: the other one is stored
        return True

    def _exists(self, report_id: object) -> bool:
        with self._engine.connect() as conn:
            found = conn.execute(
                sa.select(table.c.id).where(table.c.report_id == report_id)
            ).first()
        return found is not None

    def list(self, limit: int = 50, since: datetime | None = None) -> list[StoredReport]:
        """Newest first, at most ``limit`` (1–1000), received at or after ``since``."""
        if not 1 <= limit <= LIST_MAX:
            raise InvalidInput.one("limit", f"limit must be 1–{LIST_MAX}", "out_of_range")
        query = sa.select(table).order_by(table.c.received_at.desc(), table.c.id.desc())
        if since is not None:
            query = query.where(table.c.received_at >= _utc(since))
        with self._engine.connect() as conn:
            rows = conn.execute(query.limit(limit)).all()
        return [_stored(row) for row in rows]

    def get(self, key: str) -> StoredReport:
        """One report by its ``report_id`` (a UUID) or its number; ``NotFound`` otherwise."""
        key = key.strip()
        if key.isdigit():
            if int(key) > 2**31 - 1:
                raise NotFound("report", key)
            where = table.c.id == int(key)
        else:
            try:
                where = table.c.report_id == str(uuid.UUID(key))
            except ValueError:
                raise NotFound("report", key) from None
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(table).where(where)).first()
        if row is None:
            raise NotFound("report", key)
        return _stored(row)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _stored(row: sa.Row[tuple[object, ...]]) -> StoredReport:
    m = row._mapping
    return StoredReport(
        id=int(m["id"]),
        report_id=str(m["report_id"]),
        received_at=_utc(m["received_at"]),
        source=str(m["source"]),
        app_version=str(m["app_version"]),
        os=str(m["os"]),
        what=str(m["what"]),
        error_type=str(m["error_type"]),
        message=str(m["message"]),
        traceback=str(m["traceback"]),
    )


class RateLimit:
    """At most ``count`` reports per ``window`` seconds from one client address (in memory,
    thread-safe); ``hit`` raises ``Throttled`` past that."""

    def __init__(
        self, count: int, window: float = 3600.0, clock: Callable[[], float] | None = None
    ):
        self.count = count
        self.window = window
        self._clock = clock or time.monotonic
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}

    def hit(self, addr: str) -> None:
        now = self._clock()
        with self._lock:
            self._forget(now)
            times = self._seen.setdefault(addr, deque())
            if len(times) >= self.count:
                raise Throttled(
                    math.ceil(times[0] + self.window - now),
                    "too many error reports from this address; try again later",
                )
            times.append(now)

    def _forget(self, now: float) -> None:
        for addr in list(self._seen):
            times = self._seen[addr]
            while times and times[0] <= now - self.window:
                times.popleft()
            if not times:
                del self._seen[addr]
