"""A client thread for the crash test: it pushes batches of creates and updates over HTTP
and retries every push that got no response, with the same mutation ids, until it is
acknowledged. It remembers what each record must look like and which pushes were lost."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx

from almanac.sync.protocol import Mutation, MutationResult, PushRequest

from .samples import edit, new_content
from .wire import Account, push


@dataclass
class Expected:
    """What one record must be on the server: its content and its version (one version per
    applied mutation: every edit here changes something)."""

    kind: str
    content: dict[str, Any]
    version: int = 1


@dataclass
class Pusher:
    """One device pushing at most ``batches`` batches of ``size`` mutations, one batch at a
    time (``run`` is a thread's target)."""

    base_url: str
    account: Account
    seed: int
    batches: int
    size: int
    stop: threading.Event = field(default_factory=threading.Event)
    """Set: finish the batch in hand (until acknowledged), then stop."""
    retry_for: float = 300.0
    expected: dict[UUID, Expected] = field(default_factory=dict)
    sent: list[UUID] = field(default_factory=list)
    """Every mutation id, once, in the order first sent."""
    retried: set[UUID] = field(default_factory=set)
    """Mutation ids sent again after a push that got no response."""
    statuses: Counter[str] = field(default_factory=Counter)
    cut: int = 0
    """Pushes sent that got no response (the server died with them in hand)."""
    cut_by: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    """Pushes that found no server listening."""
    error: BaseException | None = None

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.edits = 0

    def run(self) -> None:
        try:
            timeout = httpx.Timeout(10.0, read=60.0)
            with httpx.Client(base_url=self.base_url, timeout=timeout, verify=False) as http:
                for _ in range(self.batches):
                    if self.stop.is_set():
                        return
                    batch = self.next_batch()
                    self.sent += [m.mutation_id for m in batch]
                    self.acknowledge(batch, self.push_until_answered(http, batch))
        except BaseException as exc:  # reported by the test
            self.error = exc

    def next_batch(self) -> list[Mutation]:
        """New records and edits of records already acknowledged, one mutation per record."""
        batch: list[Mutation] = []
        known = list(self.expected)
        self.rng.shuffle(known)
        for _ in range(self.size):
            self.edits += 1
            tag = f"{self.seed}-{self.edits}"
            if not known or self.rng.random() < 0.35:
                kind = self.rng.choice(["contact", "memo"])
                content = new_content(kind, self.rng, tag)
                batch.append(self.mutation(uuid.uuid4(), kind, "create", None, content))
            else:
                record_id = known.pop()
                record = self.expected[record_id]
                changes = edit(record.kind, record.content, self.rng, tag)
                batch.append(
                    self.mutation(record_id, record.kind, "update", record.version, changes)
                )
        return batch

    def mutation(
        self, record_id: UUID, kind: str, op: str, base: int | None, changes: dict[str, Any]
    ) -> Mutation:
        return Mutation.model_validate(
            {
                "mutation_id": uuid.uuid4(),
                "record_id": record_id,
                "kind": kind,
                "op": op,
                "base_version": base,
                "changes": changes,
            }
        )

    def push_until_answered(
        self, http: httpx.Client, batch: list[Mutation]
    ) -> list[MutationResult]:
        """The same request again and again until a response comes back."""
        request = PushRequest(mutations=batch)
        deadline = time.monotonic() + self.retry_for
        while True:
            try:
                return push(http, self.account, request).results
            except httpx.ConnectError:
                self.refused += 1
            except httpx.TransportError as exc:
                self.cut += 1
                self.cut_by[type(exc).__name__] += 1
            self.retried.update(m.mutation_id for m in batch)
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer to a push for {self.retry_for} s")
            time.sleep(0.05)

    def acknowledge(self, batch: list[Mutation], results: list[MutationResult]) -> None:
        assert [r.mutation_id for r in results] == [m.mutation_id for m in batch]
        for mutation, result in zip(batch, results, strict=True):
            self.statuses[result.status] += 1
            assert result.status in ("applied", "duplicate"), result
            if result.status == "duplicate":
                assert mutation.mutation_id in self.retried, "duplicate of a push never lost"
            assert result.record is not None
            if mutation.op == "create":
                self.expected[mutation.record_id] = Expected(mutation.kind, dict(mutation.changes))
            else:
                record = self.expected[mutation.record_id]
                record.content.update(mutation.changes)
                record.version += 1
            assert result.record.version == self.expected[mutation.record_id].version, result
