"""The conflicts badge's query (issue 5 §1; docs/web.md "Conflicts"): every logged-in page
counts the person's open stored conflicts (``almanac.server.sync.settle.open_count``). This
stores N settled and a few open conflicts for one person (and as many for another) in a
temporary SQLite database, prints the query plan and times the count. Prints; never fails.

    .venv/bin/python bench/conflict_badge.py [--settled 10000] [--open 5] [--repeat 500]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from almanac.server.db import migrate
from almanac.server.db.engine import make_engine
from almanac.server.db.tables import record_conflicts, users
from almanac.server.sync.settle import open_count


def person(conn: sa.Connection, name: str) -> int:
    now = datetime.now(UTC)
    row = {"username": name, "password_hash": "!", "created_at": now, "password_changed_at": now}
    return int(conn.execute(users.insert().values(**row)).inserted_primary_key[0])


def conflicts(owner: int, count: int, resolved: bool, first: int) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [
        {
            "id": str(uuid.uuid4()),
            "owner_id": owner,
            "record_id": str(uuid.uuid4()),
            "kind": "contact",
            "field": "company",
            "kept_value": '"百度"',
            "other_value": '"腾讯"',
            "base_value": '"阿里巴巴"',
            "reason": "same_field",
            "kept_version": 2,
            "other_version": 1,
            "change_no": first + n,
            "resolved": resolved,
            "created_at": now,
        }
        for n in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settled", type=int, default=10_000)
    parser.add_argument("--open", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'badge.db'}")
        migrate.upgrade(engine)
        with engine.begin() as conn:
            owners = [person(conn, "badge-a"), person(conn, "badge-b")]
            for owner in owners:
                conn.execute(sa.insert(record_conflicts), conflicts(owner, args.settled, True, 1))
                more = conflicts(owner, args.open, False, args.settled + 1)
                conn.execute(sa.insert(record_conflicts), more)
        query = (
            sa.select(sa.func.count())
            .select_from(record_conflicts)
            .where(
                record_conflicts.c.owner_id == owners[0], record_conflicts.c.resolved == sa.false()
            )
        )
        sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
        with engine.connect() as conn:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        print("plan:", "; ".join(str(row[-1]) for row in plan))
        assert open_count(engine, owners[0]) == args.open
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            open_count(engine, owners[0])
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"open_count with {args.settled} settled + {args.open} open (x2 people): "
            f"p50 {statistics.median(times):.3f} ms, p95 {p95:.3f} ms ({args.repeat} calls)"
        )
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        engine.dispose()


if __name__ == "__main__":
    main()
