"""Migration 0006 (the term backlog, docs/sync.md "How a push is applied"; issue 3 §3, R13):
going back to 0005 first brings the marked records' search terms up to date, since nothing
would after — on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from almanac.server.db import migrate
from almanac.server.db.engine import make_engine
from almanac.server.db.tables import record_terms, users
from almanac.server.sync.push import push
from almanac.sync.protocol import PushRequest


def _push(engine: sa.Engine, owner: int, rid: str, op: str, base: int | None, title: str) -> None:
    request = PushRequest.model_validate(
        {
            "mutations": [
                {
                    "mutation_id": str(uuid.uuid4()),
                    "record_id": rid,
                    "kind": "memo",
                    "op": op,
                    "base_version": base,
                    "changes": {"title": title},
                }
            ]
        }
    )
    assert push(engine, owner, request).results[0].status == "applied"


def test_0006_downgrade_catches_the_backlog_up(
    database_url: str, database_url_factory: Callable[[str], str]
) -> None:
    backend = make_url(database_url).get_backend_name()
    engine = make_engine(database_url_factory("mariadb" if backend == "mysql" else backend))
    try:
        migrate.upgrade(engine)
        now = datetime.now(UTC)
        with engine.begin() as conn:
            owner = conn.execute(
                users.insert().values(
                    username="zhaoliu", password_hash="!", created_at=now, password_changed_at=now
                )
            ).inserted_primary_key[0]
        rid = str(uuid.uuid4())
        _push(engine, owner, rid, "create", None, "体检预约")
        _push(engine, owner, rid, "update", 1, "牙医复诊")
        migrate.downgrade(engine, "0005")
        with engine.connect() as conn:
            terms = set(
                conn.execute(
                    sa.select(record_terms.c.term).where(record_terms.c.record_id == rid)
                ).scalars()
            )
            tables = sa.inspect(conn).get_table_names()
        assert "t:牙医复诊" in terms and "t:yayifuzhen" in terms
        assert not any("体检" in term for term in terms)
        assert "term_backlog" not in tables
    finally:
        engine.dispose()
