"""Alembic environment: the engine, or the connection to migrate on, comes from
`lofte.store.db`, never from an ini file.

`db.migrate` hands over its connection, in a transaction it commits (on SQLite one that holds
the write lock from the start); without one, the migration runs in a transaction of its own."""

from alembic import context
from sqlalchemy.engine import Connection, Engine

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


def run_alone(engine: Engine) -> None:
    """Migrate on a connection of our own, as `db.migrate` does on SQLite: foreign keys off
    (a table copied, dropped and renamed would otherwise cascade its delete into its
    children, or fail as "database table is locked": review, migration 0019), and one
    transaction holding the write lock from the start."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # a no-op inside a transaction: before it
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            run(connection)
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()  # nothing after a commit
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


given = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    run_alone(config.attributes["engine"])
