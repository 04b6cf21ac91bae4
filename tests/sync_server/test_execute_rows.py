"""``execute_rows`` (the push's bulk writes at the driver, docs/sync.md "How a push is
applied") stores every value exactly as SQLAlchemy's own ``execute`` does — times, flags,
text — on every database, for inserts and for updates."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from almanac.server.db.tables import applied_mutations
from almanac.server.records.stored import execute_rows

T = applied_mutations.c


def _row(owner: int, when: datetime, text: str) -> dict[str, object]:
    return {
        "owner_id": owner,
        "mutation_id": str(uuid.uuid4()),
        "record_id": str(uuid.uuid4()),
        "result_json": text,
        "created_at": when,
    }


def _raw(conn: sa.Connection, ids: list[object]) -> list[tuple[object, ...]]:
    query = sa.select(T.record_id, T.result_json, T.created_at).where(T.mutation_id.in_(ids))
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    rows = conn.exec_driver_sql(compiled.string).all()
    return sorted(tuple(r) for r in rows)  # as the driver returns them: no type processing


def test_inserts_and_updates_store_what_execute_stores(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    times = [datetime(2026, 11, 27, 13, 5, 7, 123456, tzinfo=UTC), datetime.now(UTC)]
    times.append(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC) + timedelta(microseconds=1))
    # equal to the first, in another zone: each value is processed once, never mixed up
    times += [times[0].astimezone(timezone(timedelta(hours=8))), times[0]]
    texts = ['{"名字":"张伟","x":"\\u2028"}', "", "x" * 5000, "y", "z"]
    mine = [_row(owner, when, text) for when, text in zip(times, texts, strict=True)]
    theirs = [{**row, "mutation_id": str(uuid.uuid4())} for row in mine]
    with engine.begin() as conn:
        execute_rows(conn, sa.insert(applied_mutations), mine)
        conn.execute(sa.insert(applied_mutations), theirs)
        assert _raw(conn, [r["mutation_id"] for r in mine]) == _raw(
            conn, [r["mutation_id"] for r in theirs]
        )
        later = datetime(2027, 2, 3, 4, 5, 6, 7, tzinfo=UTC)
        stmt = sa.update(applied_mutations).where(T.mutation_id == sa.bindparam("_m"))
        execute_rows(conn, stmt, [{"_m": r["mutation_id"], "created_at": later} for r in mine])
        conn.execute(stmt, [{"_m": r["mutation_id"], "created_at": later} for r in theirs])
        assert _raw(conn, [r["mutation_id"] for r in mine]) == _raw(
            conn, [r["mutation_id"] for r in theirs]
        )
        conn.rollback()


def test_a_statement_with_values_of_its_own_runs_once_a_row(
    engine: sa.Engine, new_owner: Callable[[], int]
) -> None:
    owner = new_owner()
    row = _row(owner, datetime(2026, 11, 27, tzinfo=UTC), "0")
    bump = sa.update(applied_mutations).values(result_json=T.result_json + sa.literal("+"))
    with engine.begin() as conn:
        execute_rows(conn, sa.insert(applied_mutations), [row])
        execute_rows(conn, bump.where(T.mutation_id == row["mutation_id"]), [{}, {}, {}])
        stored = conn.execute(sa.select(T.result_json).where(T.owner_id == owner)).scalar_one()
        assert stored == "0+++"
        conn.rollback()


def test_a_parameter_no_row_gives_is_an_error_not_a_null(engine: sa.Engine) -> None:
    stmt = sa.update(applied_mutations).where(T.mutation_id == sa.bindparam("_m"))
    with engine.begin() as conn, pytest.raises(KeyError, match="_m"):
        execute_rows(conn, stmt, [{"result_json": "x"}])
