"""The pull applies each page while the next one is fetched, all in one transaction
(docs/sync.md "One sync"; issue 3 §3, "Numbers"; R8, R14): a safety stop, a failure or a
``resync_required`` met after pages were applied leaves the store as it was, and nothing
is applied twice — against the real server, through the real HTTP transport."""

from __future__ import annotations

from pathlib import Path

import pytest

from almanac.client.facade import Client
from almanac.errors import NeedsConfirmation, Offline
from almanac.remote import HttpTransport
from almanac.sync.protocol import PullResponse

from .conftest import Account


class SmallPages(HttpTransport):
    """Three changes a page, so that a few records span several pages; remembers the
    cursors it was asked for."""

    asked: list[int]

    def pull(self, token: str, cursor: int, limit: int) -> PullResponse:
        self.asked = [*getattr(self, "asked", []), cursor]
        return super().pull(token, cursor, min(limit, 3))


class LostCursor(SmallPages):
    """The second page is asked for with a cursor the server cannot serve (beyond its
    counter, as after a restored backup): the server's real answer is resync_required."""

    def pull(self, token: str, cursor: int, limit: int) -> PullResponse:
        if len(getattr(self, "asked", [])) == 1:
            cursor = 10**12
        return super().pull(token, cursor, limit)


class DropsThird(SmallPages):
    """The connection goes away on the third request."""

    def pull(self, token: str, cursor: int, limit: int) -> PullResponse:
        if len(getattr(self, "asked", [])) == 2:
            self.asked.append(cursor)
            raise Offline(self.server_url, "ConnectError")
        return super().pull(token, cursor, limit)


def device(account: Account, home: Path, transport: type[HttpTransport]) -> Client:
    return Client.login(
        account.server.url,
        account.username,
        account.password,
        home=home,
        device="新平板",
        transport=transport,
    )


def memos(client: Client) -> set[str]:
    return {m.content["title"] for m in client.list("memo", limit=500).items}


def test_a_resync_after_applied_pages_starts_again_from_nothing(
    account: Account, tmp_path: Path
) -> None:
    with account.login(tmp_path / "a") as first:
        titles = {f"第{n}条" for n in range(8)}
        for title in titles:
            first.add("memo", {"title": title})
        first.sync()
    with device(account, tmp_path / "b", LostCursor) as fresh:
        report = fresh.sync()
        assert report.resynced and report.pulled == 8
        assert memos(fresh) == titles and fresh.store.count() == 8
        assert fresh.store.known_ids() == {m.id for m in fresh.list("memo").items}
        asked = fresh._remote().asked  # type: ignore[attr-defined]
        assert asked[:2] == [0, 10**12] and asked[2] == 0  # restarted from 0


def test_a_failure_after_applied_pages_leaves_the_store_as_it_was(
    account: Account, tmp_path: Path
) -> None:
    with account.login(tmp_path / "a") as first:
        for n in range(8):
            first.add("memo", {"title": f"备忘{n}"})
        first.sync()
    with device(account, tmp_path / "b", DropsThird) as fresh:
        with pytest.raises(Offline):
            fresh.sync()
        assert fresh.store.count() == 0 and fresh.store.cursor == 0
        assert fresh.store.known_ids() == set()
    with device(account, tmp_path / "b", SmallPages) as again:
        assert again.sync().pulled == 8 and again.store.count("memo") == 8


def test_the_pull_safety_stop_after_applied_pages_applies_nothing(
    account: Account, tmp_path: Path
) -> None:
    """Most records deleted elsewhere, among new ones, over several pages: the stop comes
    after every page was applied in the transaction — and rolls all of it back."""
    office = account.login(tmp_path / "office")
    with office:
        ids = [office.add("memo", {"title": f"旧{n}"}).id for n in range(12)]
        office.sync()
    with device(account, tmp_path / "home", SmallPages) as home:
        home.sync()
        before = (memos(home), home.store.cursor, home.store.known_ids())
        with account.open(tmp_path / "office") as office:
            office.add("memo", {"title": "新的一条"})
            for rid in ids[:11]:
                office.remove("memo", rid)
            office.sync(confirm=True)
        with pytest.raises(NeedsConfirmation) as asked:
            home.sync()
        assert (asked.value.deletions, asked.value.live) == (11, 12)
        assert (memos(home), home.store.cursor, home.store.known_ids()) == before
        report = home.sync(confirm=True)
        assert report.pulled == 12 and memos(home) == {"旧11", "新的一条"}
