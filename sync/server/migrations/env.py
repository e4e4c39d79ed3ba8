"""Alembic's entry point. The server runs migrations itself (`db.upgrade`), handing over the
connection whose transaction they run in; there is no alembic.ini."""

from alembic import context

from sync.server.db import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
