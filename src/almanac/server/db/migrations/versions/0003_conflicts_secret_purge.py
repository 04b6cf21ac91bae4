"""Stored conflicts (record_conflicts), the person's store secret, the purge mark; every
record's current version goes into record_versions (from now on every write keeps it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import base64
import secrets

import sqlalchemy as sa
from alembic import op

from almanac.server.db.tables import MYSQL_TABLE_ARGS, LongText, UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _new_secret() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode("ascii")


def upgrade() -> None:
    # Plain ADD COLUMN on all three databases (no table rebuild: on SQLite a rebuild of
    # ``users`` would cascade its deletes to every person's rows).
    op.add_column("users", sa.Column("store_secret", sa.String(43), nullable=True))
    op.add_column(
        "users",
        sa.Column("purged_change_no", sa.BigInteger, nullable=False, server_default="0"),
    )
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("store_secret", sa.String))
    conn = op.get_bind()
    for (user_id,) in conn.execute(sa.select(users.c.id)).all():
        conn.execute(
            sa.update(users).where(users.c.id == user_id).values(store_secret=_new_secret())
        )
    _history_of_current_versions()
    op.create_table(
        "record_conflicts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("kept_value", LongText(), nullable=False),
        sa.Column("other_value", LongText(), nullable=False),
        sa.Column("base_value", LongText(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("kept_version", sa.Integer, nullable=False),
        sa.Column("other_version", sa.Integer, nullable=True),
        sa.Column("change_no", sa.BigInteger, nullable=False),
        sa.Column("resolved", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_record_conflicts"),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name="fk_record_conflicts_owner_id_users",
            ondelete="CASCADE",
        ),
        **MYSQL_TABLE_ARGS,
    )
    op.create_index(
        "ix_record_conflicts_owner_change", "record_conflicts", ["owner_id", "change_no"]
    )


def _history_of_current_versions() -> None:
    """Versions written by the record routes before 0003 were not kept: keep the current one
    of every record, so a sync push based on it finds its base."""
    cols = ("id", "version", "owner_id", "kind", "deleted", "data", "change_no", "updated_at")
    records = sa.table("records", *(sa.column(c) for c in cols))
    names = ("record_id", "version", "owner_id", "kind", "deleted", "data", "change_no")
    versions = sa.table("record_versions", *(sa.column(c) for c in (*names, "created_at")))
    missing = ~sa.exists().where(
        versions.c.record_id == records.c.id, versions.c.version == records.c.version
    )
    query = sa.select(*(records.c[c] for c in cols)).where(missing)
    op.get_bind().execute(sa.insert(versions).from_select([*names, "created_at"], query))


def downgrade() -> None:
    # The table's index goes with it (MariaDB refuses to drop it alone: the FK needs it).
    op.drop_table("record_conflicts")
    # Plain DROP COLUMN (SQLite 3.35+), for the same reason as above.
    op.drop_column("users", "purged_change_no")
    op.drop_column("users", "store_secret")
