"""R1: deleting an account removes the person and all their rows, and nobody else's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from almanac.errors import BadCredentials, NotAuthenticated, NotFound
from almanac.server.accounts import Accounts
from almanac.server.accounts.throttle import user_key
from almanac.server.db.tables import login_failures, record_terms, records, tokens, users

from .support import PASSWORD, fresh_name


def add_records(engine: sa.Engine, owner_id: int, count: int) -> list[str]:
    """Insert ``count`` contact rows with two search terms each, straight into the tables."""
    now = datetime.now(UTC)
    ids = [str(uuid.uuid4()) for _ in range(count)]
    with engine.begin() as conn:
        conn.execute(
            sa.update(users)
            .where(users.c.id == owner_id)
            .values(last_change_no=users.c.last_change_no + count)
        )
        for n, record_id in enumerate(ids, start=1):
            conn.execute(
                sa.insert(records).values(
                    id=record_id,
                    owner_id=owner_id,
                    kind="contact",
                    version=1,
                    change_no=n,
                    created_at=now,
                    updated_at=now,
                    deleted=False,
                    sort_key=f"zhang san {n}",
                    data='{"name": "张三"}',
                )
            )
            for term in ("t:zhangsan", "t:zs"):
                conn.execute(
                    sa.insert(record_terms).values(
                        owner_id=owner_id,
                        kind="contact",
                        term=term,
                        record_id=record_id,
                        sort_key="zhangsan",
                    )
                )
    return ids


def count_rows(engine: sa.Engine, owner_id: int) -> dict[str, int]:
    def count(table: sa.Table, column: sa.Column[int]) -> int:
        query = sa.select(sa.func.count()).select_from(table).where(column == owner_id)
        return int(conn.execute(query).scalar_one())

    with engine.connect() as conn:
        return {
            "users": count(users, users.c.id),
            "tokens": count(tokens, tokens.c.user_id),
            "records": count(records, records.c.owner_id),
            "record_terms": count(record_terms, record_terms.c.owner_id),
        }


def test_deleting_removes_every_row_of_the_person_and_no_one_elses(
    accounts: Accounts, engine: sa.Engine
) -> None:
    name = fresh_name()
    user = accounts.register(name, PASSWORD)
    other = accounts.register(fresh_name(), PASSWORD)
    for person in (user, other):
        add_records(engine, person.id, 3)
        accounts.issue_token(person.id, "phone")
        accounts.issue_token(person.id, "browser", "session")
    with pytest.raises(BadCredentials):  # leaves a throttle entry for the name
        accounts.authenticate(name, "wrong password", None)
    other_before = count_rows(engine, other.id)
    assert count_rows(engine, user.id) == other_before

    accounts.delete_account(user.id, PASSWORD)

    assert count_rows(engine, user.id) == {
        "users": 0,
        "tokens": 0,
        "records": 0,
        "record_terms": 0,
    }
    with engine.connect() as conn:
        left = conn.execute(
            sa.select(login_failures).where(login_failures.c.key == user_key(name))
        ).all()
    assert left == []
    assert (
        count_rows(engine, other.id)
        == other_before
        == {
            "users": 1,
            "tokens": 2,
            "records": 3,
            "record_terms": 6,
        }
    )
    with pytest.raises(NotFound):
        accounts.get_user(user.id)
    with pytest.raises(BadCredentials):
        accounts.authenticate(name, PASSWORD, None)


def test_tokens_of_a_deleted_person_stop_working(accounts: Accounts) -> None:
    user = accounts.register(fresh_name(), PASSWORD)
    secret = accounts.issue_token(user.id, "phone")
    accounts.delete_account(user.id, PASSWORD)
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(secret)


def test_a_wrong_password_deletes_nothing(accounts: Accounts, engine: sa.Engine) -> None:
    user = accounts.register(fresh_name(), PASSWORD)
    add_records(engine, user.id, 2)
    before = count_rows(engine, user.id)
    with pytest.raises(BadCredentials):
        accounts.delete_account(user.id, "not the password")
    assert count_rows(engine, user.id) == before


def test_the_name_is_free_again_after_deletion(accounts: Accounts) -> None:
    name = fresh_name()
    first = accounts.register(name, PASSWORD)
    old_secret = accounts.issue_token(first.id, "phone")
    accounts.delete_account(first.id, PASSWORD)
    second = accounts.register(name.upper(), "a different password")
    assert second.username == name
    assert accounts.authenticate(name, "a different password", None) == second
    # Nothing of the first person reaches the second, even if SQLite hands out the same id.
    with pytest.raises(NotAuthenticated):
        accounts.user_for_token(old_secret)
    assert accounts.list_tokens(second.id) == []


def test_deleting_nobody_is_not_found(accounts: Accounts) -> None:
    with pytest.raises(NotFound):
        accounts.delete_account(2_000_000_000, PASSWORD)
