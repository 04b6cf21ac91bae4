"""term_backlog: the records whose search terms a sync push left to be brought up to date.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from almanac.server.db.tables import MYSQL_TABLE_ARGS, BinaryString

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "term_backlog",
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("sort_key", BinaryString(191), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "record_id", name="pk_term_backlog"),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name="fk_term_backlog_owner_id_users",
            ondelete="CASCADE",
        ),
        **MYSQL_TABLE_ARGS,
    )


def downgrade() -> None:
    # The marked records' term rows are brought up to date first: nothing would after.
    from almanac.server.records import backlog

    conn = op.get_bind()
    owners = conn.execute(sa.text("SELECT DISTINCT owner_id FROM term_backlog")).scalars()
    for owner_id in list(owners):
        backlog.catch_up(conn, int(owner_id))
    op.drop_table("term_backlog")
