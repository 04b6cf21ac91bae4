"""The first tables: users, tokens, login_failures, records, record_terms.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from almanac.server.db.tables import MYSQL_TABLE_ARGS, BinaryString, LongText, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", BinaryString(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("password_changed_at", UtcDateTime, nullable=False),
        sa.Column("last_change_no", sa.BigInteger, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sqlite_autoincrement=True,
        **MYSQL_TABLE_ARGS,
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("device", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("last_used_at", UtcDateTime, nullable=True),
        sa.Column("expires_at", UtcDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tokens"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_tokens_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("token_hash", name="uq_tokens_token_hash"),
        sqlite_autoincrement=True,
        **MYSQL_TABLE_ARGS,
    )
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("key", BinaryString(200), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_failure_at", UtcDateTime, nullable=False),
        sa.Column("locked_until", UtcDateTime, nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_login_failures"),
        **MYSQL_TABLE_ARGS,
    )
    op.create_table(
        "records",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("change_no", sa.BigInteger, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("sort_key", BinaryString(191), nullable=False),
        sa.Column("data", LongText(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name="fk_records_owner_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("owner_id", "change_no", name="uq_records_owner_id_change_no"),
        **MYSQL_TABLE_ARGS,
    )
    op.create_index(
        "ix_records_listing", "records", ["owner_id", "kind", "deleted", "sort_key", "id"]
    )
    op.create_table(
        "record_terms",
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("term", BinaryString(128), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("sort_key", BinaryString(191), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "kind", "term", "record_id", name="pk_record_terms"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name="fk_record_terms_owner_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name="fk_record_terms_record_id_records",
            ondelete="CASCADE",
        ),
        sqlite_with_rowid=False,
        **MYSQL_TABLE_ARGS,
    )
    op.create_index("ix_record_terms_record", "record_terms", ["record_id"])


def downgrade() -> None:
    op.drop_table("record_terms")
    op.drop_table("records")
    op.drop_table("login_failures")
    op.drop_table("tokens")
    op.drop_table("users")
