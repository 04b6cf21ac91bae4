"""Per-person settings (``preferences``, R3) and error reports sent by the apps
(``error_reports``, R10).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from almanac.server.db.tables import MYSQL_TABLE_ARGS, LongText, UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preferences",
        sa.Column("user_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("data", LongText(), nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_preferences"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_preferences_user_id_users", ondelete="CASCADE"
        ),
        **MYSQL_TABLE_ARGS,
    )
    op.create_table(
        "error_reports",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("report_id", sa.String(36), nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("app_version", sa.String(64), nullable=False),
        sa.Column("os", sa.String(200), nullable=False),
        sa.Column("what", sa.String(500), nullable=False),
        sa.Column("error_type", sa.String(200), nullable=False),
        sa.Column("message", LongText(), nullable=False),
        sa.Column("traceback", LongText(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_error_reports"),
        sa.UniqueConstraint("report_id", name="uq_error_reports_report_id"),
        sqlite_autoincrement=True,
        **MYSQL_TABLE_ARGS,
    )
    op.create_index("ix_error_reports_received_at", "error_reports", ["received_at"])


def downgrade() -> None:
    op.drop_table("error_reports")
    op.drop_table("preferences")
