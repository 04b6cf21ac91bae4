"""``HttpTransport`` against a real server over HTTP (issue 3 §3; R1, R8, R14): login gives a
token and the store secret, failures come back as the typed errors, pull and push speak the
protocol, logout revokes the token."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from almanac.client.transport import send_push
from almanac.errors import BadCredentials, NotAuthenticated, Offline, Throttled
from almanac.remote import HttpTransport
from almanac.sync.protocol import Mutation, PushRequest

from .conftest import Account, LiveServer, free_port


def test_login_gives_a_token_and_the_32_byte_store_secret(account: Account) -> None:
    """Issue 3 §1: the store secret (R12) reaches the device only at an online login."""
    with HttpTransport(account.server.url) as http:
        session = http.login(account.username, account.password, "办公室电脑")
        again = http.login(account.username, account.password, "家里电脑")
    assert session.token and session.token != again.token
    assert len(session.store_secret) == 32 and session.store_secret == again.store_secret
    assert session.device == "办公室电脑"
    assert session.token not in repr(session)  # never printed by accident


def test_wrong_password_is_bad_credentials_then_throttled(live_server: LiveServer) -> None:
    """R1: a wrong entry asks again; repeated failures are refused for a while (429)."""
    person = live_server.register()
    with HttpTransport(live_server.url) as http:
        with pytest.raises(BadCredentials):
            http.login(person.username, "不是这个密码", "手机")
        for _ in range(10):
            try:
                http.login(person.username, "不是这个密码", "手机")
            except BadCredentials:
                continue
            except Throttled as throttled:
                assert throttled.retry_after >= 1
                return
        pytest.fail("ten wrong passwords in a row were never throttled")


def test_an_unreachable_server_is_offline() -> None:
    """R14: the client detects whether it is online."""
    http = HttpTransport(f"http://127.0.0.1:{free_port()}", timeout=2)
    with http, pytest.raises(Offline):
        http.pull("token", 0, 10)


def test_pull_push_and_logout(account: Account) -> None:
    """Push a create, pull it back; after logout the token is refused (NotAuthenticated)."""
    with HttpTransport(account.server.url) as http:
        session = http.login(account.username, account.password, "测试")
        record = uuid4()
        create = Mutation(
            mutation_id=uuid4(),
            record_id=record,
            kind="memo",
            op="create",
            changes={"title": "买菜", "body": "鸡蛋\n牛奶", "pinned": False},
        )
        [result] = send_push(http, session.token, PushRequest(mutations=[create])).results
        assert result.status == "applied" and result.record is not None
        page = http.pull(session.token, 0, 1000)
        assert [c.id for c in page.changes] == [record]
        assert page.changes[0].updated_at <= datetime.now(UTC)
        [replay] = send_push(http, session.token, PushRequest(mutations=[create])).results
        assert replay.status == "duplicate"
        http.logout(session.token)
        with pytest.raises(NotAuthenticated):
            http.pull(session.token, 0, 10)
