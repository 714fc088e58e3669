"""Ids of accounts, trackers, watched sources and verdicts never given twice (SQLite)

Revision ID: 0020
Revises: 0019

0019 did this for documents, pledges, evidence and archived responses. The audit log names
these four by id too: `lofte user remove` freed the newest account's id, and the next account
took it, with the removed one's events as its own history (`lofte audit log` by entity, QA:
insider); a deleted tracker's or a removed source's id went the same way, and a deleted
tracker's verdict ids, which the public pages and the API cite, were given to the next
verdicts. The copies count on from the highest id the log names for each (as 0019 does).
No full-text triggers on these tables. PostgreSQL's sequences never give an id twice already.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

TABLES = ("users", "trackers", "sources", "verdicts")
ENTITIES = {"users": "user", "trackers": "tracker", "sources": "source"}
# a verdict's events are about its pledge: its id is in their details (every verdict has its
# `verdict.set`, also those a tracker's delete took along: review)
VERDICTS_NAMED = (
    "SELECT max(CAST(json_extract(details, '$.verdict_id') AS INTEGER)) FROM audit_events "
    "WHERE action = 'verdict.set'"
)


def _copy_tables(autoincrement: bool) -> None:
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def _named_ids() -> dict[str, int]:
    """The highest id of each table that any audit event names."""
    connection = op.get_bind()
    highest = {}
    for table, entity in ENTITIES.items():
        named = connection.execute(
            sa.text("SELECT max(entity_id) FROM audit_events WHERE entity_type = :entity"),
            {"entity": entity},
        )
        highest[table] = int(named.scalar() or 0)
    highest["verdicts"] = int(connection.execute(sa.text(VERDICTS_NAMED)).scalar() or 0)
    return highest


def _count_on_above(highest: dict[str, int]) -> None:
    connection = op.get_bind()
    for table, seq in highest.items():
        params = {"table": table, "seq": seq}
        connection.execute(
            sa.text("UPDATE sqlite_sequence SET seq = :seq WHERE name = :table AND seq < :seq"),
            params,
        )
        connection.execute(
            sa.text(
                "INSERT INTO sqlite_sequence (name, seq) SELECT :table, :seq WHERE :seq > 0 "
                "AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :table)"
            ),
            params,
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _copy_tables(autoincrement=True)
        _count_on_above(_named_ids())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _copy_tables(autoincrement=False)
