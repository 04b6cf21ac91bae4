"""The central database's tables (SQLAlchemy 2 Core), shared by SQLite, PostgreSQL and MariaDB.

Shaped for sync (R8, R13, R14):

- ``records`` holds every record of every kind as one row: its owner, kind, version and a
  per-person, strictly increasing ``change_no`` (unique per owner). A delete keeps the row as a
  tombstone (``deleted``) with a fresh change number, so "everything since N" is one indexed
  range query and deletions travel to other devices.
- ``users.last_change_no`` is the per-person counter that hands out change numbers; bumping it
  inside the writing transaction serialises one person's writes (row lock) without blocking
  anybody else.
- ``record_terms`` is a small inverted index: one row per (record, term). Text terms
  (``t:`` + lower-cased word, pinyin, initials, phone digits…) are found by prefix with an
  index range scan on every database; facet terms (``g:<group id>``, ``f:has_birthday``) are
  exact matches. Term columns use a binary collation so that range scans compare code points
  the same way on all three databases.

The Alembic migrations in ``almanac/server/db/migrations`` create exactly these tables; a test
checks that the migrated schema matches this metadata.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

MYSQL_TABLE_ARGS = {
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
    "mysql_engine": "InnoDB",
}


def BinaryString(length: int) -> sa.types.TypeEngine[str]:
    """A VARCHAR that compares by code point on every database (for range scans and uniques)."""
    return (
        sa.String(length)
        .with_variant(postgresql.VARCHAR(length, collation="C"), "postgresql")
        .with_variant(
            mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
        )
    )


def LongText() -> sa.types.TypeEngine[str]:
    """Unbounded text (a memo body may be long): TEXT, or LONGTEXT on MySQL/MariaDB."""
    return sa.Text().with_variant(
        mysql.LONGTEXT(charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
    )


UtcDateTime = sa.DateTime(timezone=True)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Stored case-folded (NFKC + lower) so "ZhangSan" and "zhangsan" are one account.
    sa.Column("username", BinaryString(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("password_changed_at", UtcDateTime, nullable=False),
    sa.Column("last_change_no", sa.BigInteger, nullable=False, server_default="0"),
    # 32 random bytes, base64url without padding, given only to a password login: the local
    # store's data key is wrapped by it (docs/api.md). Made at registration; null only for a
    # row inserted some other way, filled in when first asked for.
    sa.Column("store_secret", sa.String(43), nullable=True),
    # The highest change number a tombstone purge removed: a pull from below it must resync.
    sa.Column("purged_change_no", sa.BigInteger, nullable=False, server_default="0"),
    sqlite_autoincrement=True,  # never reuse a deleted person's id
    **MYSQL_TABLE_ARGS,
)

# API bearer tokens and browser sessions: only a SHA-256 of the secret is stored.
tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("kind", sa.String(16), nullable=False),  # "api" | "session"
    sa.Column("device", sa.String(100), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_used_at", UtcDateTime, nullable=True),
    sa.Column("expires_at", UtcDateTime, nullable=True),
    sqlite_autoincrement=True,  # never reuse a revoked token's id
    **MYSQL_TABLE_ARGS,
)

# Failed-login bookkeeping, keyed by "user:<name>" or "addr:<client address>".
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("key", BinaryString(200), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_failure_at", UtcDateTime, nullable=False),
    sa.Column("locked_until", UtcDateTime, nullable=True),
    **MYSQL_TABLE_ARGS,
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),  # UUID, canonical lower-case text form
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("kind", sa.String(16), nullable=False),  # group|contact|memo|birthday|holiday|event
    sa.Column("version", sa.Integer, nullable=False),  # 1 on create, +1 on every change/delete
    sa.Column("change_no", sa.BigInteger, nullable=False),  # per-owner, strictly increasing
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("sort_key", BinaryString(191), nullable=False),  # from almanac.model: list order
    sa.Column("data", LongText(), nullable=False),  # the kind's content as JSON (model dump)
    sa.UniqueConstraint("owner_id", "change_no"),
    sa.Index("ix_records_listing", "owner_id", "kind", "deleted", "sort_key", "id"),
    **MYSQL_TABLE_ARGS,
)

record_terms = sa.Table(
    "record_terms",
    metadata,
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("term", BinaryString(128), nullable=False),
    sa.Column(
        "record_id", sa.String(36), sa.ForeignKey("records.id", ondelete="CASCADE"), nullable=False
    ),
    # The record's sort_key, copied here so a search is an index-only range scan plus a small
    # sort, with no lookup of each candidate record (bench/README.md has the figures).
    sa.Column("sort_key", BinaryString(191), nullable=False),
    sa.PrimaryKeyConstraint("owner_id", "kind", "term", "record_id"),
    sa.Index("ix_record_terms_record", "record_id"),
    sqlite_with_rowid=False,  # the primary-key b-tree itself holds the rows
    **MYSQL_TABLE_ARGS,
)

# The records whose ``record_terms`` rows wait to be brought up to date
# (``almanac.server.records.backlog``): a sync push's bulk path writes a record and marks it
# here instead of rewriting its terms; every read of ``record_terms`` catches the owner up
# first, and a background thread does it once the owner's pushes pause.
term_backlog = sa.Table(
    "term_backlog",
    metadata,
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("record_id", sa.String(36), nullable=False),
    # The sort key the record's term rows carry ("" when it has none): read with the rows,
    # it would cost a lookup of each row; ix_record_terms_record alone covers the rest.
    sa.Column("sort_key", BinaryString(191), nullable=False),
    sa.PrimaryKeyConstraint("owner_id", "record_id"),
    **MYSQL_TABLE_ARGS,
)

# Sync (docs/sync.md): the result of every pushed mutation, written in the transaction that
# applied it, so a replayed push (lost response) answers the stored result and writes nothing.
applied_mutations = sa.Table(
    "applied_mutations",
    metadata,
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("mutation_id", sa.String(36), nullable=False),  # client-made UUID
    sa.Column("record_id", sa.String(36), nullable=False),
    sa.Column("result_json", LongText(), nullable=False),  # the MutationResult as JSON
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.PrimaryKeyConstraint("owner_id", "mutation_id"),
    **MYSQL_TABLE_ARGS,
)

# Sync: the content of every version a sync push wrote, so the merge has its base (the
# content at the client's base_version).
record_versions = sa.Table(
    "record_versions",
    metadata,
    sa.Column("record_id", sa.String(36), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("data", LongText(), nullable=False),
    sa.Column("change_no", sa.BigInteger, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.PrimaryKeyConstraint("record_id", "version"),
    **MYSQL_TABLE_ARGS,
)

# Sync: conflicts as the server stored them (docs/sync.md), so every device of the person sees
# them and any can settle one; ``change_no`` is the change that made or last settled it.
record_conflicts = sa.Table(
    "record_conflicts",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),  # UUID
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("record_id", sa.String(36), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("field", sa.String(64), nullable=False),
    sa.Column("kept_value", LongText(), nullable=False),  # JSON
    sa.Column("other_value", LongText(), nullable=False),  # JSON
    sa.Column("base_value", LongText(), nullable=False),  # JSON
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("kept_version", sa.Integer, nullable=False),
    sa.Column("other_version", sa.Integer, nullable=True),
    sa.Column("change_no", sa.BigInteger, nullable=False),
    sa.Column("resolved", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Index("ix_record_conflicts_owner_change", "owner_id", "change_no"),
    # The web's badge counts a person's open conflicts on every page: this keeps that count
    # to the open rows, however many were settled before (migration 0005).
    sa.Index("ix_record_conflicts_owner_resolved", "owner_id", "resolved"),
    **MYSQL_TABLE_ARGS,
)

# A person's own settings (R3; almanac.model.preferences): only the fields they set, as JSON.
# Changed field by field (PATCH), last writer wins; ``updated_at`` lets a device tell it is
# behind. One row per person, made at the first change.
preferences = sa.Table(
    "preferences",
    metadata,
    sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("data", LongText(), nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    **MYSQL_TABLE_ARGS,
)

# Error reports the apps send when the person agrees (R10): what failed, the traceback, the
# app's version and the OS — never personal data, and not linked to a person. An operator
# lists them (`almanac reports`, the operator page). ``report_id`` is made by the client, so a
# report sent twice (lost response) is stored once.
error_reports = sa.Table(
    "error_reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report_id", sa.String(36), nullable=False, unique=True),  # client-made UUID
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Column("source", sa.String(16), nullable=False),  # desktop | web | cli
    sa.Column("app_version", sa.String(64), nullable=False),
    sa.Column("os", sa.String(200), nullable=False),
    sa.Column("what", sa.String(500), nullable=False),  # what the person was doing / failed
    sa.Column("error_type", sa.String(200), nullable=False),
    sa.Column("message", LongText(), nullable=False),
    sa.Column("traceback", LongText(), nullable=False),
    sa.Index("ix_error_reports_received_at", "received_at"),
    sqlite_autoincrement=True,
    **MYSQL_TABLE_ARGS,
)
