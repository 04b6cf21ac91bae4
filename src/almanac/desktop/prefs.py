"""What the app remembers between runs, in ``<home>/desktop.json``: the server and user of
the last login, and the language of the last session (so the login dialog, shown before the
person's settings can be read, speaks it). Never the password (R1). The clock, the week start,
the festivals, the time zone, the start page and the language itself are the person's own
settings (R3: ``Client.preferences``, synced with the server), not this file's. A missing or
unreadable file means the defaults; names it no longer knows are ignored — except the clock
choice of the versions before the settings were synced (``clock_24h``, ``clock_hidden``): it is
carried once into the person's settings at the next login (``carry_clock``), then dropped."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from almanac.store.paths import atomic_write

if TYPE_CHECKING:
    from almanac.client.facade import Client

FILE_NAME = "desktop.json"
SAVED = ("server", "user", "language")
"""What the file keeps."""
OLD_CLOCK = {
    "clock_24h": ("clock_format", {False: "12h"}),
    "clock_hidden": ("clock_visible", {True: False}),
}
"""The old clock keys: the setting each becomes, and the old values that were a choice (the
old defaults, 24-hour and shown, are the settings' defaults too: nothing to carry)."""


@dataclass
class Prefs:
    server: str = ""
    user: str = ""
    language: str = "zh-CN"
    old_clock: dict[str, Any] = field(default_factory=dict, repr=False)
    """The settings the old clock keys of the file stand for (carried once, then dropped)."""

    @classmethod
    def load(cls, home: Path) -> Prefs:
        try:
            data: Any = json.loads((home / FILE_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        prefs = cls()
        for name, value in data.items():
            if name in SAVED and isinstance(value, type(getattr(prefs, name))):
                setattr(prefs, name, value)
            elif name in OLD_CLOCK and isinstance(value, bool):
                setting, choices = OLD_CLOCK[name]
                if value in choices:
                    prefs.old_clock[setting] = choices[value]
        return prefs

    def carry_clock(self, client: Client, home: Path) -> bool:
        """The old file's clock choice into the person's settings (R3), once: a setting the
        person has changed since (here, on the web or another device) is left as it is; the
        old keys are then dropped from the file. True when a setting was changed."""
        if not self.old_clock:
            return False
        now = client.preferences()
        defaults = type(now)()
        patch = {
            name: value
            for name, value in self.old_clock.items()
            if getattr(now, name) == getattr(defaults, name) and getattr(now, name) != value
        }
        if patch:
            client.set_preferences(patch)
        self.old_clock = {}
        self.save(home)
        return bool(patch)

    def save(self, home: Path) -> None:
        """With ``store.paths.atomic_write``: the old file or the new one, never half of one."""
        text = json.dumps({n: getattr(self, n) for n in SAVED}, ensure_ascii=False, indent=2)
        atomic_write(home / FILE_NAME, text.encode("utf-8"))
