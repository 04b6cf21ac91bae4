"""Alembic environment: the engine comes from ``almanac.server.db.migrate`` (never a URL in
a config file, so no password is ever written down)."""

from __future__ import annotations

from alembic import context

from almanac.server.db.tables import metadata

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
