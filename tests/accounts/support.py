"""Helpers shared by the accounts tests (R1): cheap Argon2 settings, a clock tests can move,
and fresh names and client addresses so tests sharing one database never meet."""

from __future__ import annotations

import ipaddress
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from almanac.server.settings import ServerSettings

PASSWORD = "correct horse 电池 staple"


class FakeClock:
    """A clock that stands still until a test moves it (whole seconds, aware UTC)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def cheap_settings(data_dir: Path, **overrides: object) -> ServerSettings:
    """Server settings with the cheapest Argon2 costs, so tests are quick."""
    values: dict[str, object] = {
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8,
        "argon2_parallelism": 1,
        "data_dir": data_dir,
    }
    values.update(overrides)
    return ServerSettings.model_validate(values)


def fresh_name(prefix: str = "u") -> str:
    """A user name nobody has used yet (already in folded form)."""
    return f"{prefix}{uuid.uuid4().hex[:14]}"


def fresh_addr() -> str:
    """A client address nobody has used yet (an IPv6 address from the documentation range)."""
    return str(ipaddress.IPv6Address((0x20010DB8 << 96) | uuid.uuid4().int >> 32))
