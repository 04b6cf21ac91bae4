"""R1: changing the password — checks the old one, revokes every other token and session."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from almanac.errors import BadCredentials, InvalidInput, NotAuthenticated, NotFound
from almanac.server.accounts import Accounts

from .support import PASSWORD, FakeClock, fresh_name
from .test_register import stored_hash

NEW = "新的密码 new password"


def test_the_new_password_works_and_the_old_one_does_not(accounts: Accounts) -> None:
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    accounts.change_password(user.id, PASSWORD, NEW)
    assert accounts.authenticate(name, NEW, None) == user
    with pytest.raises(BadCredentials):
        accounts.authenticate(name, PASSWORD, None)


def test_other_tokens_and_sessions_are_revoked_but_the_named_one_is_kept(
    accounts: Accounts,
) -> None:
    user = accounts.register(fresh_name(), PASSWORD)
    other = accounts.register(fresh_name(), PASSWORD)
    current = accounts.issue_token(user.id, "this browser", "session")
    phone = accounts.issue_token(user.id, "phone")
    laptop = accounts.issue_token(user.id, "laptop", "session")
    theirs = accounts.issue_token(other.id, "their phone")
    _, current_id = accounts.user_for_token(current, "session")
    accounts.change_password(user.id, PASSWORD, NEW, keep_token_id=current_id)
    assert accounts.user_for_token(current, "session")[0] == user
    for secret, kind in ((phone, "api"), (laptop, "session")):
        with pytest.raises(NotAuthenticated):
            accounts.user_for_token(secret, kind)  # type: ignore[arg-type]
    assert [t.device for t in accounts.list_tokens(user.id)] == ["this browser"]
    assert accounts.user_for_token(theirs)[0] == other


def test_without_a_token_to_keep_all_are_revoked(accounts: Accounts) -> None:
    user = accounts.register(fresh_name(), PASSWORD)
    secret = accounts.issue_token(user.id, "phone")
    accounts.change_password(user.id, PASSWORD, NEW)
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(secret)
    assert accounts.list_tokens(user.id) == []


def test_another_persons_token_id_is_not_kept_for_them(accounts: Accounts) -> None:
    user = accounts.register(fresh_name(), PASSWORD)
    other = accounts.register(fresh_name(), PASSWORD)
    theirs = accounts.issue_token(other.id, "their phone")
    _, their_id = accounts.user_for_token(theirs)
    mine = accounts.issue_token(user.id, "phone")
    accounts.change_password(user.id, PASSWORD, NEW, keep_token_id=their_id)
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(mine)
    assert accounts.user_for_token(theirs)[0] == other


def test_a_wrong_old_password_changes_nothing(accounts: Accounts, engine: sa.Engine) -> None:
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    secret = accounts.issue_token(user.id, "phone")
    before = stored_hash(engine, user.id)
    with pytest.raises(BadCredentials) as caught:
        accounts.change_password(user.id, "not the password", NEW)
    assert "not the password" not in str(caught.value)
    assert stored_hash(engine, user.id) == before
    assert accounts.user_for_token(secret)[0] == user
    assert accounts.authenticate(name, PASSWORD, None) == user


def test_a_bad_new_password_names_its_field(accounts: Accounts, engine: sa.Engine) -> None:
    user = accounts.register(fresh_name(), PASSWORD)
    before = stored_hash(engine, user.id)
    with pytest.raises(InvalidInput) as caught:
        accounts.change_password(user.id, PASSWORD, "short")
    assert caught.value.field == "new_password"
    assert stored_hash(engine, user.id) == before


def test_changing_clears_the_accounts_failures(accounts: Accounts, clock: FakeClock) -> None:
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    for _ in range(4):
        with pytest.raises(BadCredentials):
            accounts.authenticate(name, "wrong one", None)
    accounts.change_password(user.id, PASSWORD, NEW)
    for _ in range(4):
        with pytest.raises(BadCredentials):
            accounts.authenticate(name, "wrong one", None)
    assert accounts.authenticate(name, NEW, None) == user


def test_changing_for_nobody_is_not_found(accounts: Accounts) -> None:
    with pytest.raises(NotFound):
        accounts.change_password(2_000_000_000, PASSWORD, NEW)
