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
from almanac.errors import NotAuthenticated, Offline
from almanac.remote import HttpTransport
from almanac.sync.protocol import PushRequest, PushResponse

from .conftest import Account


class Watched(HttpTransport):
    """Records each push's record ids as it goes out; fails if two pushes are ever out at
    once. The last one made is ``Watched.last``."""

    last: Watched | None = None

    def __init__(self, server_url: str) -> None:
        super().__init__(server_url)
        self.waves: list[list[UUID]] = []
        self._out = threading.Semaphore(1)
        Watched.last = self

    def push_encoded(self, token: str, body: bytes) -> bytes:
        assert self._out.acquire(blocking=False), "two pushes at once"
        try:
            self.waves.append(
                [m.record_id for m in PushRequest.model_validate_json(body).mutations]
            )
            return self.answer(len(self.waves) - 1, token, body)
        finally:
            self._out.release()

    def answer(self, wave: int, token: str, body: bytes) -> bytes:
        """The ``wave``-th push from the first one counted, posted."""
        return super().push_encoded(token, body)


class DropsThird(Watched):
    """Once ``armed``, the connection goes away on the third push (the request never reaches
    the server)."""

    armed = False

    def answer(self, wave: int, token: str, body: bytes) -> bytes:
        if self.armed and wave == 2:
            raise Offline(self.server_url, "ConnectError")
        return super().answer(wave, token, body)


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
        assert len(transport.waves) == 3  # none after the lost one
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


class Paced(Watched):
    """``Watched`` that tells a waiting thread when a push goes out (``wait_for_wave``), and
    fails its second push ``how`` it is told: ``request`` (the connection goes away before
    the server sees it), ``response`` (the server did the work, the answer is lost),
    ``refused`` (an HTTP error: the server refuses the token), ``garbled`` (an answer that is
    not the protocol's arrives), ``empty`` (the server did the work; the answer names no
    result, so it drops nothing)."""

    how = ""

    def __init__(self, server_url: str) -> None:
        super().__init__(server_url)
        self._went_out = threading.Condition()

    def answer(self, wave: int, token: str, body: bytes) -> bytes:
        with self._went_out:  # the wave is in ``waves`` now
            self._went_out.notify_all()
        return self._answer(wave, token, body)

    def wait_for_wave(self, wave: int) -> int:
        """Waits (2 s at most) until push ``wave`` (0: the first counted) went out; how many
        went out so far."""
        with self._went_out:
            self._went_out.wait_for(lambda: len(self.waves) > wave, timeout=2)
            return len(self.waves)

    def _answer(self, wave: int, token: str, body: bytes) -> bytes:
        if wave != 1 or not self.how:
            return super().answer(wave, token, body)
        if self.how == "request":
            raise Offline(self.server_url, "ConnectError")
        if self.how == "refused":
            return super().answer(wave, "not-a-token", body)
        answer = super().answer(wave, token, body)
        if self.how == "response":
            raise Offline(self.server_url, "the answer was lost")
        if self.how == "empty":
            return b'{"results":[]}'
        return answer.replace(b'"results"', b'"resultz"')


def twelve_edits(client: Client) -> tuple[list[UUID], Paced]:
    """Twelve memos synced, then each edited offline once (waves of three: every wave has
    one after it, taken while it is out); the device's transport with no waves counted."""
    ids = [client.add("memo", {"title": f"备忘{n}"}).id for n in range(12)]
    client.sync()
    for n, rid in enumerate(ids):
        client.edit("memo", rid, {"title": f"改过{n}"})
    transport = Watched.last
    assert isinstance(transport, Paced)
    transport.waves.clear()
    return ids, transport


def test_the_next_wave_goes_out_before_the_answer_before_is_parsed(
    account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wave N+1's request is written while N is out and posted the moment N's answer
    arrives, before anything parses that answer: here parsing N's answer waits for N+1 to go
    out (2 s at most) and notes how many had gone out by then."""
    with device(account, tmp_path / "a", Paced) as client:
        ids, transport = twelve_edits(client)
        seen_out: list[int] = []
        parse = engine.decode_push

        def parse_when_next_is_out(server_url: str, data: bytes) -> PushResponse:
            n = len(seen_out)  # four waves: the last has none after it to wait for
            seen_out.append(transport.wait_for_wave(n + 1) if n < 3 else len(transport.waves))
            return parse(server_url, data)

        monkeypatch.setattr(engine, "decode_push", parse_when_next_is_out)
        report = client.sync()
        assert report.pushed == 12 and client.status().pending == 0
        waves = transport.waves
    assert [len(w) for w in waves] == [3, 3, 3, 3]
    assert seen_out == [2, 3, 4, 4]  # N+1 out before N's answer was read; the last has none
    server = titles_on_the_server(account, tmp_path / "b")
    assert all(server[rid] == (f"改过{n}", 2) for n, rid in enumerate(ids))


@pytest.mark.parametrize(
    ("how", "error"),
    [
        ("request", Offline),
        ("response", Offline),
        ("refused", NotAuthenticated),
        ("garbled", Offline),
    ],
)
def test_a_failed_wave_stops_the_push_and_loses_nothing(
    account: Account, tmp_path: Path, how: str, error: type[Exception]
) -> None:
    """The second wave fails. No wave goes out after a failed request; an answer that
    arrives but does not parse ends the push: the wave posted as it arrived (if the push had
    not stopped first) is waited for and its answer not read — a lost answer — and no later
    one goes out (each waits for the answer before the last to be read): the waves stay
    sent. The next sync replays what was sent (the server answers ``duplicate`` for what it
    has) and every edit is applied exactly once."""
    with device(account, tmp_path / "a", Paced) as client:
        ids, transport = twelve_edits(client)
        transport.how = how
        with pytest.raises(error):
            client.sync()
        waves = transport.waves
        if how == "garbled":  # the third goes out as the second's answer arrives, or not
            assert len(waves) in (2, 3)  # yet; the fourth never: the second was never read
        else:
            assert len(waves) == 2
        left = client.store.outbox()
        assert {p.record_id for p in left} == set(ids) - set(waves[0])
        sent = {p.record_id for p in left if p.sent}
        assert {r for w in waves[1:] for r in w} <= sent  # waves made ready are sent too
    with account.open(tmp_path / "a") as client:
        report = client.sync()
        assert not report.rejected and not report.conflicts
        assert client.status().pending == 0
        assert [client.get("memo", rid).content["title"] for rid in ids] == [
            f"改过{n}" for n in range(12)
        ]
    server = titles_on_the_server(account, tmp_path / "b")
    assert all(server[rid] == (f"改过{n}", 2) for n, rid in enumerate(ids))


def test_a_wave_whose_answer_drops_nothing_ends_the_push(account: Account, tmp_path: Path) -> None:
    """No progress (the second wave's answer drops nothing): the push ends, without an
    error, once the request under way — posted as that answer arrived — is answered; the
    waves made ready behind it do not go out. The next sync replays what was sent and every
    edit is applied exactly once."""
    with device(account, tmp_path / "a", Paced) as client:
        ids, transport = twelve_edits(client)
        transport.how = "empty"
        report = client.sync()
        waves = transport.waves
        assert len(waves) in (3, 4)  # the third was under way; a fourth only if it was too
        assert report.pushed == 3 * (len(waves) - 1)  # the second's answer named nothing
        assert client.status().pending == 12 - report.pushed
    with account.open(tmp_path / "a") as client:
        report = client.sync()
        assert not report.rejected and client.status().pending == 0
    server = titles_on_the_server(account, tmp_path / "b")
    assert all(server[rid] == (f"改过{n}", 2) for n, rid in enumerate(ids))
