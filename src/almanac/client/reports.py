"""What the client tells a face: the state of the profile (``Status``), how far a sync has
come (``SyncProgress``) and what it did (``SyncReport``). Plain data, no words: the face
chooses how to say it (zh-CN first)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from almanac.sync.decide import Notify
from almanac.sync.protocol import ConflictRecord

__all__ = ["Status", "SyncProgress", "SyncReport"]


@dataclass(frozen=True)
class Status:
    """One profile's state. ``online``: None when not checked. ``notices``: things the person
    should know that happened without a sync report, e.g. ``"store_rebuilt"`` after the
    automatic recovery of a damaged store (R13)."""

    server_url: str
    user: str
    device: str
    online: bool | None
    pending: int
    last_sync: datetime | None
    conflicts: int
    cursor: int
    store_path: Path
    notices: tuple[str, ...] = ()
    damaged_copy: Path | None = None


@dataclass(frozen=True)
class SyncProgress:
    """``phase``: pushing or pulling; ``done`` of ``total`` records (None: not known yet)."""

    phase: Literal["push", "pull"]
    done: int
    total: int | None


@dataclass(frozen=True)
class SyncReport:
    """One sync: mutations ``pushed``, changes ``pulled``, conflicts it made or learned (each
    once), ``notices`` (conflicts and notices on this device's pushes), ``rejected``
    (mutations the server refused), ``resynced`` (pulled everything again from 0), wall-clock
    ``seconds``."""

    pushed: int = 0
    pulled: int = 0
    conflicts: list[ConflictRecord] = field(default_factory=list)
    notices: list[Notify] = field(default_factory=list)
    rejected: list[Notify] = field(default_factory=list)
    resynced: bool = False
    seconds: float = 0.0
