"""Sync: applied_mutations (replayed pushes apply once) and record_versions (merge bases).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from almanac.server.db.tables import MYSQL_TABLE_ARGS, LongText, UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applied_mutations",
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("mutation_id", sa.String(36), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("result_json", LongText(), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "mutation_id", name="pk_applied_mutations"),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name="fk_applied_mutations_owner_id_users",
            ondelete="CASCADE",
        ),
        **MYSQL_TABLE_ARGS,
    )
    op.create_table(
        "record_versions",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("data", LongText(), nullable=False),
        sa.Column("change_no", sa.BigInteger, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("record_id", "version", name="pk_record_versions"),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name="fk_record_versions_owner_id_users",
            ondelete="CASCADE",
        ),
        **MYSQL_TABLE_ARGS,
    )


def downgrade() -> None:
    op.drop_table("record_versions")
    op.drop_table("applied_mutations")
