"""R1: API tokens and browser sessions — stored hashed, named per device, listed, revocable."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from almanac.errors import InvalidInput, NotAuthenticated, NotFound
from almanac.server.accounts import Accounts, User
from almanac.server.accounts.tokens import secret_hash
from almanac.server.db.tables import tokens

from .support import PASSWORD, FakeClock, fresh_name


@pytest.fixture
def user(accounts: Accounts) -> User:
    return accounts.register(fresh_name(), PASSWORD)


def token_rows(engine: sa.Engine, user_id: int) -> list[sa.Row[tuple[object, ...]]]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(tokens).where(tokens.c.user_id == user_id)).all())


def test_an_issued_token_identifies_its_person(accounts: Accounts, user: User) -> None:
    secret = accounts.issue_token(user.id, "笔记本电脑")
    assert len(secret) >= 43
    found, token_id = accounts.user_for_token(secret)
    assert found == user
    assert [t.id for t in accounts.list_tokens(user.id)] == [token_id]


def test_only_the_hash_of_the_secret_is_stored(
    accounts: Accounts, user: User, engine: sa.Engine
) -> None:
    secret = accounts.issue_token(user.id, "phone")
    rows = token_rows(engine, user.id)
    assert len(rows) == 1
    assert rows[0].token_hash == secret_hash(secret)
    assert len(rows[0].token_hash) == 64
    for value in rows[0]:
        assert secret not in str(value)
    with engine.connect() as conn:
        for table in (tokens,):
            for row in conn.execute(sa.select(table)).all():
                assert all(secret not in str(value) for value in row)


def test_every_issue_gives_a_new_secret(accounts: Accounts, user: User) -> None:
    secrets = {accounts.issue_token(user.id, "phone") for _ in range(5)}
    assert len(secrets) == 5


def test_the_list_shows_device_names_kinds_and_times(
    accounts: Accounts, user: User, clock: FakeClock, settings: object
) -> None:
    accounts.issue_token(user.id, "  办公室 PC  ")
    clock.advance(10)
    accounts.issue_token(user.id, "Firefox on Linux", "session")
    listed = accounts.list_tokens(user.id)
    assert [(t.device, t.kind) for t in listed] == [
        ("办公室 PC", "api"),
        ("Firefox on Linux", "session"),
    ]
    api, session = listed
    assert api.expires_at is None and api.last_used_at is None
    assert session.created_at == clock.now
    assert session.expires_at is not None
    assert (session.expires_at - session.created_at).days == 30
    assert api.created_at.tzinfo is not None and session.expires_at.tzinfo is not None


def test_the_list_holds_only_the_persons_own_tokens(accounts: Accounts, user: User) -> None:
    other = accounts.register(fresh_name(), PASSWORD)
    accounts.issue_token(other.id, "theirs")
    accounts.issue_token(user.id, "mine")
    assert [t.device for t in accounts.list_tokens(user.id)] == ["mine"]


@pytest.mark.parametrize("device", ["", "   ", "x" * 101])
def test_bad_device_names_are_refused(accounts: Accounts, user: User, device: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        accounts.issue_token(user.id, device)
    assert caught.value.field == "device"


def test_an_unknown_kind_is_refused(accounts: Accounts, user: User) -> None:
    with pytest.raises(InvalidInput) as caught:
        accounts.issue_token(user.id, "phone", "forever")  # type: ignore[arg-type]
    assert caught.value.field == "kind"


def test_a_token_for_nobody_is_not_found(accounts: Accounts) -> None:
    with pytest.raises(NotFound):
        accounts.issue_token(2_000_000_000, "phone")


def test_a_revoked_token_no_longer_works(accounts: Accounts, user: User) -> None:
    keep = accounts.issue_token(user.id, "keep")
    gone = accounts.issue_token(user.id, "gone")
    _, gone_id = accounts.user_for_token(gone)
    accounts.revoke_token(user.id, gone_id)
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(gone)
    assert accounts.user_for_token(keep)[0] == user
    assert [t.device for t in accounts.list_tokens(user.id)] == ["keep"]
    with pytest.raises(NotFound):
        accounts.revoke_token(user.id, gone_id)


def test_nobody_can_revoke_another_persons_token(accounts: Accounts, user: User) -> None:
    other = accounts.register(fresh_name(), PASSWORD)
    secret = accounts.issue_token(user.id, "mine")
    _, token_id = accounts.user_for_token(secret)
    with pytest.raises(NotFound) as caught:
        accounts.revoke_token(other.id, token_id)
    assert caught.value.kind == "token"
    assert accounts.user_for_token(secret)[0] == user


def test_revoking_by_secret_logs_out_and_is_idempotent(accounts: Accounts, user: User) -> None:
    secret = accounts.issue_token(user.id, "browser", "session")
    accounts.revoke_secret(secret)
    accounts.revoke_secret(secret)
    accounts.revoke_secret("")
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(secret, "session")


@pytest.mark.parametrize("secret", ["", "nonsense", "x" * 10_000, None])
def test_unknown_secrets_are_not_authenticated(accounts: Accounts, secret: object) -> None:
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(secret)  # type: ignore[arg-type]


def test_api_tokens_and_sessions_are_not_interchangeable(accounts: Accounts, user: User) -> None:
    api = accounts.issue_token(user.id, "cli", "api")
    session = accounts.issue_token(user.id, "browser", "session")
    assert accounts.user_for_token(api, "api")[0] == user
    assert accounts.user_for_token(session, "session")[0] == user
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(api, "session")
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(session, "api")


def test_sessions_expire_after_session_days(
    make_accounts: Callable[..., Accounts], clock: FakeClock
) -> None:
    accounts = make_accounts(session_days=2)
    user = accounts.register(fresh_name(), PASSWORD)
    session = accounts.issue_token(user.id, "browser", "session")
    api = accounts.issue_token(user.id, "cli")
    clock.advance(2 * 86400 - 1)
    assert accounts.user_for_token(session, "session")[0] == user
    clock.advance(1)
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(session, "session")
    assert [t.kind for t in accounts.list_tokens(user.id)] == ["api"]
    assert accounts.user_for_token(api)[0] == user  # API tokens do not expire
    assert accounts.purge_expired() >= 1
    assert len(accounts.list_tokens(user.id)) == 1


def test_last_used_is_written_at_most_once_a_minute(
    accounts: Accounts, user: User, clock: FakeClock
) -> None:
    secret = accounts.issue_token(user.id, "phone")
    start = clock.now
    accounts.user_for_token(secret)
    assert accounts.list_tokens(user.id)[0].last_used_at == start
    clock.advance(59)
    accounts.user_for_token(secret)
    assert accounts.list_tokens(user.id)[0].last_used_at == start
    clock.advance(1)
    accounts.user_for_token(secret)
    assert accounts.list_tokens(user.id)[0].last_used_at == clock.now


def test_issuing_with_info_gives_the_listed_token(
    accounts: Accounts, user: User, clock: FakeClock
) -> None:
    secret, info = accounts.issue_token_with_info(user.id, "  平板  ", "session")
    assert accounts.list_tokens(user.id) == [info]
    assert info.device == "平板" and info.kind == "session" and info.created_at == clock.now
    assert accounts.user_for_token(secret, "session") == (user, info.id)


@pytest.mark.parametrize("secret", ["nul\x00", "\ud800" * 3])
def test_odd_secrets_are_not_authenticated_and_revoke_nothing(
    accounts: Accounts, user: User, secret: str
) -> None:
    kept = accounts.issue_token(user.id, "phone")
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(secret)
    accounts.revoke_secret(secret)
    assert accounts.user_for_token(kept)[0] == user


def test_device_names_with_broken_text_are_refused(accounts: Accounts, user: User) -> None:
    for device in ["bad\ud800", "nul\x00"]:
        with pytest.raises(InvalidInput) as caught:
            accounts.issue_token(user.id, device)
        assert caught.value.field == "device"
