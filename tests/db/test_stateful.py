"""Property: any sequence of group and contact writes leaves the store equal to a simple
model — the live records, their versions and groups, gap-free change numbers, tombstones,
and the unlinking of deleted groups (R4, R8)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from almanac.errors import Duplicate
from almanac.server.records import RecordStore

NAMES = st.sampled_from(["家人", "同事", "同学", "朋友", "客户"])
PEOPLE = st.sampled_from(["张三", "李四", "王五", "曾小明", "欧阳娜娜"])


@dataclass
class Known:
    kind: str
    version: int
    name: str
    groups: list[UUID] = field(default_factory=list)
    deleted: bool = False


def machine(store: RecordStore, new_owner: Callable[[], int]) -> type[RuleBasedStateMachine]:
    class Records(RuleBasedStateMachine):
        contacts = Bundle("contacts")

        def __init__(self) -> None:
            super().__init__()
            self.owner = new_owner()  # every example starts with a new, empty person
            self.known: dict[UUID, Known] = {}
            self.changes = 0

        def live(self, kind: str) -> list[UUID]:
            return [i for i, k in self.known.items() if k.kind == kind and not k.deleted]

        @rule(name=NAMES)
        def add_group(self, name: str) -> None:
            taken = any(self.known[g].name == name for g in self.live("group"))
            try:
                made = store.create(self.owner, "group", {"name": name})
            except Duplicate:
                assert taken
                return
            assert not taken and made.change_no == self.changes + 1
            self.changes += 1
            self.known[made.id] = Known("group", 1, name)

        @rule(
            target=contacts, name=PEOPLE, picks=st.lists(st.integers(0, 4), min_size=1, max_size=3)
        )
        def add_contact(self, name: str, picks: list[int]) -> UUID:
            live = self.live("group")
            chosen = list(dict.fromkeys(live[p % len(live)] for p in picks)) if live else []
            made = store.create(
                self.owner, "contact", {"name": name, "groups": [str(g) for g in chosen]}
            )
            self.changes += 1
            assert made.change_no == self.changes
            self.known[made.id] = Known("contact", 1, name, chosen)
            return made.id

        @rule(pick=st.integers(0, 4))
        def delete_group(self, pick: int) -> None:
            live = self.live("group")
            if not live:
                return
            group = live[pick % len(live)]
            members = [c for c in self.live("contact") if group in self.known[c].groups]
            tomb = store.delete(self.owner, "group", group)
            self.changes += 1 + len(members)
            assert tomb.change_no == self.changes and tomb.deleted
            self.known[group].deleted = True
            self.known[group].version += 1
            for c in members:
                self.known[c].groups.remove(group)
                self.known[c].version += 1

        @rule(contact=consumes(contacts))
        def delete_contact(self, contact: UUID) -> None:
            store.delete(self.owner, "contact", contact)
            self.changes += 1
            self.known[contact].deleted = True
            self.known[contact].version += 1

        @rule(contact=contacts, name=PEOPLE)
        def rename(self, contact: UUID, name: str) -> None:
            if self.known[contact].deleted:
                return
            changed = store.update(self.owner, "contact", contact, {"name": name})
            if name != self.known[contact].name:
                self.changes += 1
                self.known[contact].version += 1
                self.known[contact].name = name
            assert changed.version == self.known[contact].version

        @invariant()
        def matches_the_model(self) -> None:
            for kind in ("group", "contact"):
                listed = store.list(self.owner, kind, limit=500).items
                assert {r.id for r in listed} == set(self.live(kind))
                for record in listed:
                    known = self.known[record.id]
                    public = record.public()
                    assert record.version == known.version and public["name"] == known.name
                    if kind == "contact":
                        assert public["groups"] == [str(g) for g in known.groups]
            assert store.last_change_no(self.owner) == self.changes
            history = store.changes_since(self.owner, 0, limit=5000)
            numbers = [r.change_no for r in history]
            assert numbers == sorted(set(numbers))
            assert {r.id for r in history} == set(self.known)
            assert all(r.deleted == self.known[r.id].deleted for r in history)

    return Records


def test_store_follows_the_model(store: RecordStore, new_owner: Callable[[], int]) -> None:
    Records = machine(store, new_owner)
    run_state_machine_as_test(
        Records,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
