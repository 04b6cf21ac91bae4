"""Migration 0003 on a database that already has people and records (issue 3 §1, §3; R13,
R15): every existing person gets their own store secret, and every record's current version
goes into ``record_versions`` so a device's next push finds its base."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from almanac.server.db import migrate
from almanac.server.db.engine import make_engine


def test_0003_backfills_secrets_and_history(
    database_url: str, database_url_factory: Callable[[str], str]
) -> None:
    backend = make_url(database_url).get_backend_name()
    url = database_url_factory("mariadb" if backend == "mysql" else backend)
    engine = make_engine(url)
    try:
        migrate.upgrade(engine, "0002")
        now = datetime.now(UTC).replace(microsecond=0)
        ids = [str(uuid.uuid4()) for _ in range(2)]
        with engine.begin() as conn:
            for name in ("zhangsan", "lisi"):
                conn.execute(
                    sa.text(
                        "INSERT INTO users (username, password_hash, created_at,"
                        " password_changed_at, last_change_no) VALUES (:n, '!', :t, :t, 2)"
                    ),
                    {"n": name, "t": now},
                )
            owner = conn.execute(sa.text("SELECT MIN(id) FROM users")).scalar_one()
            for number, rid in enumerate(ids, start=1):
                conn.execute(
                    sa.text(
                        "INSERT INTO records (id, owner_id, kind, version, change_no, created_at,"
                        " updated_at, deleted, sort_key, data) VALUES (:id, :o, 'memo', 3, :c,"
                        " :t, :t, :d, 'k', :data)"
                    ),
                    {
                        "id": rid,
                        "o": owner,
                        "c": number,
                        "t": now,
                        "d": number == 2,
                        "data": '{"title":"买菜"}',
                    },
                )
        migrate.upgrade(engine)
        with engine.connect() as conn:
            secrets = conn.execute(sa.text("SELECT store_secret FROM users")).scalars().all()
            history = conn.execute(
                sa.text("SELECT record_id, version, deleted, data FROM record_versions")
            ).all()
        assert len(secrets) == 2 and len(set(secrets)) == 2
        assert all(isinstance(s, str) and len(s) == 43 and "=" not in s for s in secrets)
        assert sorted((r.record_id, r.version, bool(r.deleted)) for r in history) == sorted(
            [(ids[0], 3, False), (ids[1], 3, True)]
        )
        assert {r.data for r in history} == {'{"title":"买菜"}'}
        migrate.downgrade(engine, "0002")
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT COUNT(*) FROM users")).scalar_one() == 2
    finally:
        engine.dispose()
