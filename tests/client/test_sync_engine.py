"""The sync engine's harder paths against a real server (issue 3 §1, §3; R1, R8, R12–R14):
a password changed on the server, the safety stop on push and on pull, resync_required,
progress, a pull interrupted while applied."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest

from almanac.client.engine import LAST_SYNC
from almanac.client.facade import PASSWORD_CHANGED, Client
from almanac.client.reports import SyncProgress
from almanac.errors import NeedsConfirmation, WrongPassword
from almanac.remote import HttpTransport
from almanac.sync.decide import ServerState, SetShadow
from almanac.sync.protocol import PullResponse

from .conftest import Account


def test_a_password_changed_on_the_server_rekeys_at_the_next_login(
    account: Account, tmp_path: Path
) -> None:
    """Issue 3 §1: picked up at the next online login, the store re-keyed, no unsynced edit
    lost."""
    old = account.password
    with account.login(tmp_path) as device:
        device.add("memo", {"title": "已同步的"})
        device.sync()
        device.add("memo", {"title": "改密码前没同步的"})
    account.change_password("新密码-黄山-2026")
    Client.open(old, home=tmp_path, transport=HttpTransport).close()  # offline: still the old
    with account.login(tmp_path) as device:
        status = device.status()
        assert PASSWORD_CHANGED in status.notices and status.pending == 1
        device.sync()
        assert device.status().pending == 0
    with pytest.raises(WrongPassword):
        Client.open(old, home=tmp_path, transport=HttpTransport)
    with account.open(tmp_path) as device, account.login(tmp_path / "other") as other:
        other.sync()
        titles = {m.content["title"] for m in other.list("memo").items}
        assert titles == {"已同步的", "改密码前没同步的"}
        assert device.status().notices == ()


def test_the_safety_stop_on_push_and_on_pull(account: Account, tmp_path: Path) -> None:
    """Issue 3 §3: a sync that would delete most records asks first — on the server (this
    device deleted them) and on another device (the pull brings the tombstones)."""
    office = account.login(tmp_path / "office")
    home = account.login(tmp_path / "home")
    with office, home:
        ids = [office.add("memo", {"title": f"第{n}条备忘"}).id for n in range(12)]
        office.sync()
        home.sync()
        for rid in ids[:11]:
            office.remove("memo", rid)
        with pytest.raises(NeedsConfirmation) as asked:
            office.sync()
        assert (asked.value.deletions, asked.value.live, asked.value.where) == (
            11,
            12,
            "the server",
        )
        assert office.status().pending == 11 and not any(p.sent for p in office.store.outbox())
        office.sync(confirm=True)
        cursor = home.status().cursor
        with pytest.raises(NeedsConfirmation) as asked:
            home.sync()
        assert (asked.value.deletions, asked.value.where) == (11, "this device")
        assert home.store.count("memo") == 12 and home.status().cursor == cursor
        report = home.sync(confirm=True)
        assert report.pulled == 11 and home.store.count("memo") == 1


def test_a_bootstrap_into_an_empty_store_never_asks(account: Account, tmp_path: Path) -> None:
    with account.login(tmp_path / "a") as first:
        ids = [first.add("memo", {"title": f"备忘{n}"}).id for n in range(12)]
        first.sync()
        for rid in ids[:11]:
            first.remove("memo", rid)
        first.sync(confirm=True)
    with account.login(tmp_path / "b") as fresh:
        seen: list[SyncProgress] = []
        report = fresh.sync(progress=seen.append)
        assert report.pulled == 12 and fresh.store.count("memo") == 1
        assert seen and seen[-1].phase == "pull" and seen[-1].done == seen[-1].total == 12


def test_resync_required_pulls_everything_and_keeps_pending_edits(
    account: Account, tmp_path: Path
) -> None:
    """Issue 3 §3: a cursor the server cannot serve → pull from 0, forget what the server no
    longer has, keep the outbox."""
    with account.login(tmp_path) as device:
        kept = device.add("contact", {"name": "赵敏", "phones": [{"value": "13511112222"}]})
        device.sync()
        device.edit("contact", kept.id, {"company": "光明顶"})
        ghost = uuid4()  # a record the server no longer has (e.g. purged)
        device.store.apply(
            [SetShadow(ServerState(ghost, "memo", 3, False, {"title": "早已不在", "body": ""}))]
        )
        assert device.store.count("memo") == 1
        device.store.cursor = 10**9  # beyond the server's last change
        report = device.sync()
        assert report.resynced
        assert device.store.get(ghost) is None and device.store.count("memo") == 0
        assert device.get("contact", kept.id).content["company"] == "光明顶"
        assert device.status().pending == 0
        assert device.store.cursor < 10**9


class SmallPages(HttpTransport):
    """The real HTTP transport asking for 3 changes a page (the protocol lets a server send
    fewer than the limit), so that a handful of records spans several pages."""

    def pull(self, token: str, cursor: int, limit: int) -> PullResponse:
        return super().pull(token, cursor, min(limit, 3))


def test_a_pull_interrupted_while_applied_leaves_the_store_as_it_was(
    account: Account, tmp_path: Path
) -> None:
    """Issue 3 §3, "Numbers" (R8, R13): the pull is applied in one transaction — the app
    closed when every page is in, before the commit, leaves no record, the cursor and
    ``last_sync`` unchanged; the next sync brings everything."""
    with account.login(tmp_path / "a") as first:
        names = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵丽"]
        for name in names:
            first.add("contact", {"name": name, "phones": [{"value": "13800138000"}]})
        first.sync()
    fresh = Client.login(
        account.server.url,
        account.username,
        account.password,
        home=tmp_path / "b",
        device="新手机",
        transport=SmallPages,
    )
    with fresh:

        def close_the_app(step: SyncProgress) -> None:
            if step.phase == "pull" and step.total is not None:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            fresh.sync(progress=close_the_app)
        assert fresh.store.count() == 0 and fresh.store.cursor == 0
        assert fresh.store.get_meta(LAST_SYNC) is None
        seen: list[SyncProgress] = []
        report = fresh.sync(progress=seen.append)
        assert report.pulled == len(names) and fresh.store.count("contact") == len(names)
        steps = [(s.done, s.total) for s in seen if s.phase == "pull"]
        assert steps == [(3, None), (6, None), (7, None), (7, 7)]  # three pages, one commit
        assert fresh.store.get_meta(LAST_SYNC) is not None and fresh.store.cursor > 0
