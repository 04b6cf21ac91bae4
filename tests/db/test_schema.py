"""The migrated schema is exactly ``tables.metadata`` on every backend (R13, R15).

Alembic's autogenerate comparison runs against the database the ``engine`` fixture migrated;
any difference (a missing index, a column type, a nullable flag) fails the test and lists it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from almanac.server.db import migrate
from almanac.server.db.tables import metadata


def test_migrated_schema_matches_metadata(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False}
        )
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_database_is_at_the_newest_migration(engine: sa.Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
