"""An index for counting a person's open conflicts (the web's navigation badge).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_record_conflicts_owner_resolved", "record_conflicts", ["owner_id", "resolved"]
    )


def downgrade() -> None:
    # MariaDB refuses to drop an index a foreign key needs unless another covers owner_id:
    # ix_record_conflicts_owner_change does.
    op.drop_index("ix_record_conflicts_owner_resolved", table_name="record_conflicts")
