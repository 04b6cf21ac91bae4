"""What the app remembers between runs, in ``<home>/desktop.json``: the server and user of
the last login, and the language of the last session (so the login dialog, shown before the
person's settings can be read, speaks it). Never the password (R1). The clock, the week start,
the festivals, the time zone, the start page and the language itself are the person's own
settings (R3: ``Client.preferences``, synced with the server), not this file's. A missing or
unreadable file means the defaults; names it no longer knows are ignored."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

FILE_NAME = "desktop.json"


@dataclass
class Prefs:
    server: str = ""
    user: str = ""
    language: str = "zh-CN"

    @classmethod
    def load(cls, home: Path) -> Prefs:
        try:
            data: Any = json.loads((home / FILE_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        known = {f.name: f.type for f in fields(cls)}
        prefs = cls()
        for name, value in data.items():
            if name in known and isinstance(value, type(getattr(prefs, name))):
                setattr(prefs, name, value)
        return prefs

    def save(self, home: Path) -> None:
        """Atomically (a temp file renamed over the old one)."""
        home.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2)
        fd, tmp = tempfile.mkstemp(dir=home, prefix=".desktop-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, home / FILE_NAME)
