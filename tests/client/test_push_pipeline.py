"""The push's waves are pipelined (docs/sync.md "One sync"; issue 3 §3, "Numbers"; R8, R14):
while the server works on one wave the client prepares the next and commits it as sent, and
applies an answer while the next request is out — still one request at a time, a record's
next mutation only after the answer to its previous one, and every edit applied exactly once,
also when a request fails in the middle. Against the real server, through the real HTTP
transport, with waves of three."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path
from typing import TypeVar
from uuid import UUID

import pytest

from almanac.client import engine
from almanac.client.facade import Client
from almanac.errors import Offline
from almanac.remote import HttpTransport
from almanac.sync.protocol import PushRequest, PushResponse

from .conftest import Account


class Watched(HttpTransport):
    """Records each push's record ids; fails if two pushes are ever out at once. The last
    one made is ``Watched.last``."""

    last: Watched | None = None

    def __init__(self, server_url: str) -> None:
        super().__init__(server_url)
        self.waves: list[list[UUID]] = []
        self._out = threading.Semaphore(1)
        Watched.last = self

    def push(self, token: str, request: PushRequest) -> PushResponse:
        assert self._out.acquire(blocking=False), "two pushes at once"
        try:
            self.waves.append([m.record_id for m in request.mutations])
            return super().push(token, request)
        finally:
            self._out.release()


class DropsThird(Watched):
    """Once ``armed``, the connection goes away on the third push (the request never reaches
    the server)."""

    armed = False

    def push(self, token: str, request: PushRequest) -> PushResponse:
        if self.armed and len(self.waves) == 2:
            self.waves.append([])
            raise Offline(self.server_url, "ConnectError")
        return super().push(token, request)


@pytest.fixture(autouse=True)
def waves_of_three(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "WAVE", 3)


def device(account: Account, home: Path, transport: type[HttpTransport]) -> Client:
    return Client.login(
        account.server.url, account.username, account.password, home=home, transport=transport
    )


def titles_on_the_server(account: Account, home: Path) -> dict[UUID, tuple[str, int]]:
    with account.login(home) as other:
        other.sync()
        return {m.id: (m.content["title"], m.version or 0) for m in other.list("memo").items}


def edits(client: Client) -> list[UUID]:
    """Ten memos synced, then edited offline; the first one twice, its first edit already
    sent once (a lost request), so its second edit is a mutation of its own."""
    ids = [client.add("memo", {"title": f"备忘{n}"}).id for n in range(10)]
    client.sync()
    client.edit("memo", ids[0], {"title": "第一次改"})
    client.store.mark_sent([p.mutation_id for p in client.store.outbox()])
    client.edit("memo", ids[0], {"title": "第二次改"})
    for n, rid in enumerate(ids[1:], 1):
        client.edit("memo", rid, {"title": f"改过{n}"})
    assert client.status().pending == 11
    return ids


W = TypeVar("W", bound=Watched)


def edited(client: Client, kind: type[W]) -> tuple[list[UUID], W]:
    """``edits`` made, and the device's transport (of ``kind``) with no waves counted yet."""
    ids = edits(client)
    transport = Watched.last
    assert isinstance(transport, kind)
    transport.waves.clear()
    return ids, transport


def test_waves_go_one_at_a_time_and_a_record_waits_for_its_answer(
    account: Account, tmp_path: Path
) -> None:
    with device(account, tmp_path / "a", Watched) as client:
        ids, transport = edited(client, Watched)
        report = client.sync()
        assert report.pushed == 11 and not report.rejected and not report.conflicts
        assert client.status().pending == 0
        waves = transport.waves
    assert all(0 < len(w) <= 3 and len(set(w)) == len(w) for w in waves)
    # wave N+1 was made while wave N was out: none of its records
    assert all(not set(a) & set(b) for a, b in itertools.pairwise(waves))
    assert sorted(r for w in waves for r in w) == sorted([*ids, ids[0]])
    first = [n for n, w in enumerate(waves) if ids[0] in w]
    assert len(first) == 2 and first[1] >= first[0] + 2
    server = titles_on_the_server(account, tmp_path / "b")
    assert server[ids[0]] == ("第二次改", 3)  # created, then each edit once
    assert all(server[rid] == (f"改过{n}", 2) for n, rid in enumerate(ids[1:], 1))


def test_a_request_lost_in_the_middle_applies_every_edit_once(
    account: Account, tmp_path: Path
) -> None:
    with device(account, tmp_path / "a", DropsThird) as client:
        ids, transport = edited(client, DropsThird)
        transport.armed = True
        with pytest.raises(Offline):
            client.sync()
        answered = {r for w in transport.waves[:2] for r in w}
        left = client.store.outbox()
        # the answered waves are gone; what was made ready (and the lost one) stays, sent
        assert all(p.record_id not in answered or p.record_id == ids[0] for p in left)
        assert any(p.sent for p in left)
    with account.open(tmp_path / "a") as client:
        report = client.sync()
        assert not report.rejected and client.status().pending == 0
    server = titles_on_the_server(account, tmp_path / "b")
    assert server[ids[0]] == ("第二次改", 3)
    assert all(server[rid] == (f"改过{n}", 2) for n, rid in enumerate(ids[1:], 1))
