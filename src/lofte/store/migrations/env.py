"""Alembic environment: the engine, or the connection to migrate on, comes from
`lofte.store.db`, never from an ini file.

`db.migrate` hands over its connection, in a transaction it commits (on SQLite one that holds
the write lock from the start); without one, the migration runs in a transaction of its own."""

from alembic import context
from sqlalchemy.engine import Connection

from lofte.store.schema import Base

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    with config.attributes["engine"].begin() as connection:
        run(connection)
