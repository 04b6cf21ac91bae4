"""The stateful proof against the real server (issue 3 §4; R8, R13, R14): three ``Client``s
of one person — each its own ``--home`` and encrypted store — and one real server (uvicorn
in a thread, SQLite) go through random creates, edits and deletes of contacts (Chinese names)
and memos (multi-line bodies, reminders), edits back to a field's default (the last reminder
or phone removed, a text emptied, unpinned: a reset, docs/sync.md), offline periods, and
syncs whose request or response is lost on the way (``FaultyTransport`` around the real
``HttpTransport``). Checked after every step:

- no record is duplicated: ids are unique in every store; every record on the server was
  created by a client (a replay cannot fork a copy); versions count 1..n without gaps;
- every value a client pushed is on the server, current or in the history
  (``record_versions``) or in a stored conflict (for a memo body or notes: every line it
  added) — read straight from the server's database;
- a mutation that went out is never dropped from an outbox except by a result the client
  heard; syncs report no rejected edits.

After a full round (everyone online, two syncs each, no faults) — a rule, and again at the
end of every run — all replicas equal the server: the same live records, content and
versions, and empty outboxes.

``ALMANAC_E2E_EXAMPLES`` / ``ALMANAC_E2E_STEPS`` raise the effort (defaults 15 and 30).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from almanac.client.facade import Client
from almanac.errors import Offline
from almanac.store.local import Item
from almanac.sync.decide import Pending
from almanac.sync.merge import TEXT_FIELDS, same_value

from . import server_view
from .faults import FaultyTransport
from .samples import COMPANIES, MEMO_TITLES
from .threaded import ThreadedServer
from .wire import register

NAMES = ["王芳", "李娜", "张伟", "刘洋", "陈静", "欧阳娜娜"]
PHONES = ["+86 138 0013 8000", "+86 139 1234 5678", "021-6234 5678"]
KINDS = ("contact", "memo")
MAX_CREATES = 6

clients = st.integers(min_value=0, max_value=2)
picks = st.integers(min_value=0, max_value=1000)
faults = st.sampled_from(["response", "request"])
ROUND_EVERY = 10
"""Steps between full rounds (a round is six syncs: they would crowd out the rest)."""


class ThreeDevices(RuleBasedStateMachine):
    """One person's three devices and the central server."""

    def __init__(self, server: ThreadedServer) -> None:
        super().__init__()
        self.server = server
        self.home = Path(tempfile.mkdtemp(prefix="almanac-e2e-"))
        self.account = register(server.url, device="网页")
        self.links: list[FaultyTransport] = []
        self.clients: list[Client] = []
        for n in range(3):
            link = FaultyTransport.to(server.url)
            self.links.append(link)
            self.clients.append(
                Client.login(
                    server.url,
                    self.account.username,
                    self.account.password,
                    home=self.home / f"device{n}",
                    device=f"设备{n}",
                    transport=lambda _url, link=link: link,
                )
            )
        self.created: set[UUID] = set()
        self.previous: dict[UUID, Pending] = {}
        """Every outbox entry seen before a sync (what the person saw before each edit)."""
        self.outboxes: list[dict[UUID, Pending]] = [{} for _ in self.clients]
        self.lines = 0
        self.steps = 0

    # -- helpers ---------------------------------------------------------------------------
    def token(self) -> str:
        self.lines += 1
        return f"第{self.lines}行：给妈妈打电话"

    def items(self, c: int) -> list[Item]:
        client = self.clients[c]
        return [i for kind in KINDS for i in client.list(kind, limit=100).items]

    def live(self, c: int, pick: int) -> Item | None:
        found = sorted(self.items(c), key=lambda i: i.id)
        return found[pick % len(found)] if found else None

    def few(self) -> bool:
        return len(self.created) < MAX_CREATES

    # -- the person's edits ----------------------------------------------------------------
    @precondition(few)
    @rule(c=clients, name=st.sampled_from(NAMES), phone=st.sampled_from(PHONES))
    def add_contact(self, c: int, name: str, phone: str) -> None:
        content = {"name": name, "phones": [{"label": "mobile", "value": phone}], "notes": ""}
        self.created.add(self.clients[c].add("contact", content).id)

    @precondition(few)
    @rule(c=clients, title=st.sampled_from(MEMO_TITLES), lines=st.integers(0, 3))
    def add_memo(self, c: int, title: str, lines: int) -> None:
        body = "\n".join(self.token() for _ in range(lines))
        self.created.add(self.clients[c].add("memo", {"title": title, "body": body}).id)

    @rule(c=clients, pick=picks, value=picks)
    def edit_field(self, c: int, pick: int, value: int) -> None:
        item = self.live(c, pick)
        if item is None:
            return
        if item.kind == "contact":
            changes: dict[str, Any] = (
                {"company": COMPANIES[value % len(COMPANIES)]}
                if value % 2
                else {"name": NAMES[value % len(NAMES)]}
            )
        else:
            changes = (
                {"title": MEMO_TITLES[value % len(MEMO_TITLES)]}
                if value % 2
                else {"pinned": not item.content.get("pinned", False)}
            )
        self.clients[c].edit(item.kind, item.id, changes)

    @rule(c=clients, pick=picks, days=st.integers(0, 2))
    def add_reminder(self, c: int, pick: int, days: int) -> None:
        item = self.live(c, pick)
        if item is None or item.kind != "memo":
            return
        reminders = list(item.content.get("reminders") or [])
        reminder = {"days_before": days, "at": "09:00"}
        if reminder not in reminders:
            self.clients[c].edit("memo", item.id, {"reminders": [*reminders, reminder]})

    @rule(c=clients, pick=picks, which=picks, how=st.sampled_from(["default", "null"]))
    def reset_field(self, c: int, pick: int, which: int, how: str) -> None:
        """A field back at its default: typed as the default value or sent as ``null``."""
        item = self.live(c, pick)
        if item is None:
            return
        defaults: dict[str, Any] = (
            {"reminders": [], "pinned": False, "body": ""}
            if item.kind == "memo"
            else {"phones": [], "notes": "", "company": ""}
        )
        name = sorted(defaults)[which % len(defaults)]
        event(f"reset {item.kind}.{name}")
        value = defaults[name] if how == "default" else None
        self.clients[c].edit(item.kind, item.id, {name: value})

    @rule(c=clients, pick=picks, how=st.sampled_from(["insert", "replace", "delete"]), at=picks)
    def edit_text(self, c: int, pick: int, how: str, at: int) -> None:
        item = self.live(c, pick)
        if item is None:
            return
        name = "body" if item.kind == "memo" else "notes"
        text = str(item.content.get(name) or "")
        lines = text.split("\n") if text else []
        where = at % (len(lines) + 1)
        if how == "insert" or not lines:
            lines.insert(where, self.token())
        elif how == "replace":
            lines[where % len(lines)] = self.token()
        else:
            del lines[where % len(lines)]
        self.clients[c].edit(item.kind, item.id, {name: "\n".join(lines)})

    @rule(c=clients, pick=picks)
    def remove(self, c: int, pick: int) -> None:
        item = self.live(c, pick)
        if item is not None:
            self.clients[c].remove(item.kind, item.id)

    # -- the network -----------------------------------------------------------------------
    @rule(c=clients)
    def toggle_online(self, c: int) -> None:
        self.links[c].offline = not self.links[c].offline

    @rule(c=clients)
    def sync(self, c: int) -> None:
        self.sync_with(c, None, 0)

    @rule(c=clients, fault=faults, at=st.integers(0, 1))
    def sync_and_lose(self, c: int, fault: Any, at: int) -> None:
        """The request or the response of the ``at``-th exchange is lost."""
        self.sync_with(c, fault, at)

    def sync_with(self, c: int, fault: Any, at: int) -> None:
        link = self.links[c]
        lost = link.lost
        for entry in self.clients[c].store.outbox():
            self.previous.setdefault(entry.mutation_id, entry)
        link.arm(fault, at)
        try:
            report = self.clients[c].sync(confirm=True)
        except Offline:
            assert link.offline or link.lost > lost, "Offline without a fault"
            event("sync: offline" if link.offline else f"sync: {fault} lost")
            return
        finally:
            link.arm(None, 0)
        assert not report.rejected, report.rejected
        if report.conflicts:
            event("sync: conflicts reported")

    @precondition(lambda self: self.steps >= ROUND_EVERY)
    @rule()
    def full_round(self) -> None:
        self.settle()

    def settle(self) -> None:
        """Everyone online, two syncs each, no faults; then every replica is the server."""
        for _ in range(2):
            for c, link in enumerate(self.links):
                link.offline = False
                self.sync_with(c, None, 0)
        self.steps = 0
        view = server_view.read(self.server.engine, self.account.user_id)
        live = {rid: row for rid, row in view.records.items() if not row.deleted}
        for c, client in enumerate(self.clients):
            assert client.store.outbox_size() == 0, f"device {c}: edits left unsynced"
            mine = {str(i.id): i for i in self.items(c)}
            assert set(mine) == set(live), f"device {c}: not the server's records"
            for rid, item in mine.items():
                row = live[rid]
                assert item.version == row.version
                assert not item.pending
                assert same_value(item.content, row.content), f"device {c}: {rid} differs"

    # -- invariants ------------------------------------------------------------------------
    @invariant()
    def no_record_is_duplicated(self) -> None:
        self.steps += 1
        for c in range(len(self.clients)):
            ids = [i.id for i in self.items(c)]
            assert len(ids) == len(set(ids)), f"device {c}: a record twice"
        view = server_view.read(self.server.engine, self.account.user_id)
        made = {str(i) for i in self.created}
        for rid, row in view.records.items():
            assert rid in made, f"{rid}: a record no device created"
            numbers = [v for v, _ in view.versions.get(rid, [])]
            assert numbers == list(range(1, row.version + 1)), f"{rid}: versions {numbers}"

    @invariant()
    def every_pushed_value_is_on_the_server(self) -> None:
        view = server_view.read(self.server.engine, self.account.user_id)
        for link in self.links:
            for mutation_id, mutation in link.received.items():
                if mutation.op == "delete":
                    continue
                rid = str(mutation.record_id)
                entry = self.previous.get(mutation_id)
                before = entry.previous if entry is not None else {}
                for name, value in mutation.changes.items():
                    seen = view.seen(rid, name)
                    if name in TEXT_FIELDS.get(mutation.kind, ()):
                        old = str(before.get(name) or "").split("\n")
                        for line in str(value or "").split("\n"):  # null: emptied
                            if line and line not in old:
                                assert any(
                                    isinstance(s, str) and line in s.split("\n") for s in seen
                                ), f"line {line!r} of {rid} lost"
                    else:
                        assert any(same_value(s, value) for s in seen), f"{name}={value!r} lost"

    @invariant()
    def sent_edits_leave_the_outbox_only_by_a_result(self) -> None:
        for c, client in enumerate(self.clients):
            now = {p.mutation_id: p for p in client.store.outbox()}
            for mutation_id, entry in self.outboxes[c].items():
                if entry.sent and mutation_id not in now:
                    assert mutation_id in self.links[c].answered, (
                        f"device {c}: sent mutation {mutation_id} dropped without a result"
                    )
            self.outboxes[c] = now

    def teardown(self) -> None:
        try:
            self.settle()
        finally:
            for client in self.clients:
                client.close()
            shutil.rmtree(self.home, ignore_errors=True)


SETTINGS = settings(
    max_examples=int(os.environ.get("ALMANAC_E2E_EXAMPLES", "15")),
    stateful_step_count=int(os.environ.get("ALMANAC_E2E_STEPS", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_three_devices_and_a_real_server_lose_nothing(threaded_server: ThreadedServer) -> None:
    """Issue 3 §4: random edits, offline periods, lost requests and responses; nothing lost,
    nothing duplicated, everyone converges (R8, R13, R14)."""
    run_state_machine_as_test(lambda: ThreeDevices(threaded_server), settings=SETTINGS)
