"""Alembic environment: migrations run on the connection the store hands over
(`config.attributes["connection"]`, see index/store/migrate.py), or on the URL
given as `sqlalchemy.url` when a developer runs alembic by hand."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from index.store.models import Base

config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters a table by copying it: alembic's batch mode does that
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
