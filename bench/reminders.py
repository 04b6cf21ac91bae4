"""What one reminder check costs on the client (issue 4 §6, issue 6 §2): the desktop app asks
``Client.due_reminders`` at start and every 30 s; the 提醒 page builds the same agenda.

A local encrypted store (SQLCipher, a temp folder) holding bench/calendar.py's person —
1,000 birthdays (60 % lunar; each with the default reminder) and 500 recurring events (one in
five with a reminder at its start) and 10,000 contacts (one in ten with a birthday, which
has no reminder) — plus 200 memos with a due time and a reminder. Timed in one process, at a
fixed ``now``:

- ``agenda.build`` (read the records from the store, validate them: ``Client.agenda``); of it,
  reading the contacts with a birthday (the ``has_birthday`` filter), beside reading all;
- ``due_now`` (the rules over the window since the last check) and ``mark_fired``;
- the whole check as the app does it, cold (first in the process) and warm (median).

Run: ``.venv/bin/python bench/reminders.py``. Prints; never fails.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

RUNS = 10
NOW = datetime(2026, 3, 5, 9, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _generators() -> Any:
    """bench/calendar.py's record generators (loaded by path: its name shadows a module)."""
    path = Path(__file__).resolve().parent / "calendar.py"
    spec = importlib.util.spec_from_file_location("bench_calendar", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fill(store: Any) -> int:
    gen = _generators()
    rng = random.Random(7)
    records: list[tuple[str, dict[str, Any]]] = []
    for b in gen.birthdays(rng):
        records.append(("birthday", {k: v for k, v in b.items() if k != "id"}))
    for i, e in enumerate(gen.events(rng)):
        content = {k: v for k, v in e.items() if k != "id"}
        if i % 5 == 1:
            content["reminders"] = [{"at": None}]
        records.append(("event", content))
    for c in gen.contacts(rng):  # 10,000, one in ten with a birthday (no reminder)
        records.append(("contact", {k: v for k, v in c.items() if k != "id"}))
    for i in range(200):
        due = NOW + timedelta(days=rng.randint(-10, 60), hours=rng.randint(0, 8))
        records.append(
            ("memo", {"title": f"备忘{i}", "due": due.replace(tzinfo=None).isoformat(),
                      "reminders": [{"days_before": 1, "at": "20:00"}]})
        )  # fmt: skip
    with store.transaction():
        for kind, content in records:
            store.edit("create", kind, uuid4(), content)
    return len(records)


def all_contacts(store: Any) -> int:
    """Every contact, page by page, as a reader without the ``has_birthday`` filter would."""
    count, after = 0, None
    while True:
        page = store.list("contact", None, None, 500, after)
        count += len(page.items)
        if page.next_after is None:
            return count
        after = page.next_after


def timed(fn: Callable[[], object]) -> float:
    began = time.perf_counter()
    fn()
    return (time.perf_counter() - began) * 1000


def main() -> None:
    from almanac.client import agenda, reminders
    from almanac.model.preferences import Preferences
    from almanac.store.local import LocalStore

    print(platform.platform(), "|", os.cpu_count(), "cores | Python", platform.python_version())
    print("load average before:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory() as folder:
        store = LocalStore.create(Path(folder) / "store.db", b"k" * 32)
        began = time.perf_counter()
        n = fill(store)
        print(f"store: {n} records in {time.perf_counter() - began:.1f} s")
        prefs = Preferences()
        reminders.mark_fired(store, [], NOW - timedelta(days=1))  # checked a day ago

        def check(now: datetime) -> int:
            built = agenda.build(store, prefs)
            found = reminders.due_now(store, built, now)
            return len(found)

        cold = timed(lambda: check(NOW))
        print(f"check, cold (first in the process): {cold:.0f} ms, due: {check(NOW)}")
        builds = [timed(lambda: agenda.build(store, prefs)) for _ in range(RUNS)]
        with_birthday = [timed(lambda: agenda.records(store, "contact")) for _ in range(RUNS)]
        every_contact = [timed(lambda: all_contacts(store)) for _ in range(RUNS)]
        built = agenda.build(store, prefs)
        dues = [timed(lambda: reminders.due_now(store, built, NOW)) for _ in range(RUNS)]
        checks = [timed(lambda: check(NOW)) for _ in range(RUNS)]
        found = reminders.due_now(store, built, NOW)
        marks = [timed(lambda: reminders.mark_fired(store, found, NOW)) for _ in range(RUNS)]
        for label, values in (
            ("agenda.build (read + validate)", builds),
            ("  of it: contacts with a birthday", with_birthday),
            ("  (were all 10,000 contacts read)", every_contact),
            ("due_now (a day's window)", dues),
            ("whole check, warm", checks),
            ("mark_fired", marks),
        ):
            print(f"{label:32} median {statistics.median(values):7.1f} ms  "
                  f"min {min(values):7.1f} ms")  # fmt: skip
        store.close()
    print("load average after:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
