"""Ids never given twice (SQLite), and a tracker's stamp of removed documents

Revision ID: 0019
Revises: 0018

`lofte document delete` removes a document, its evidence and a program's pledges. SQLite
gives a table's next row the highest id + 1, so deleting the newest rows handed their ids to
the next ones (review, QA): a new pledge showed a deleted pledge's history, `audit verify`
vouched for a reused evidence id that was changed by hand, and a public address cited
elsewhere showed another document. With AUTOINCREMENT SQLite never gives an id twice (it
keeps the highest in sqlite_sequence); it adds that only by copying the table, and the
copies of documents and pledges need their full-text triggers (0003) again. PostgreSQL's
sequences never give an id twice already.

`trackers.contents_changed_at`: when a document was last deleted from the tracker. The
public pages' and search's stamps read it, since a removal leaves every other part of them as
it was; the tracker's `modified_at` is its settings form's token, which a removal must not
move (review: an editor's open settings form was then refused as changed by someone else).
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# archived HTTP responses have public addresses too (/trackers/…/archive/{id}), and a deleted
# document's unshared one goes with it (review)
TABLES = ("documents", "pledges", "evidence", "archived_responses")

# 0003's triggers that keep the FTS5 indexes in step (a copied table has none)
FTS_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_au AFTER UPDATE OF title, body ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS pledges_fts_ai AFTER INSERT ON pledges BEGIN "
    "INSERT INTO pledges_fts(rowid, quote, area) VALUES (new.id, new.quote, new.area); END",
    "CREATE TRIGGER IF NOT EXISTS pledges_fts_ad AFTER DELETE ON pledges BEGIN "
    "INSERT INTO pledges_fts(pledges_fts, rowid, quote, area) "
    "VALUES ('delete', old.id, old.quote, old.area); END",
    "CREATE TRIGGER IF NOT EXISTS pledges_fts_au AFTER UPDATE OF quote, area ON pledges BEGIN "
    "INSERT INTO pledges_fts(pledges_fts, rowid, quote, area) "
    "VALUES ('delete', old.id, old.quote, old.area); "
    "INSERT INTO pledges_fts(rowid, quote, area) VALUES (new.id, new.quote, new.area); END",
]


def _copy_tables(autoincrement: bool) -> None:
    """Copy each table as it is, with or without AUTOINCREMENT (the copy keeps the ids; the
    rows' full-text entries stay valid), then put the triggers back."""
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    for statement in FTS_TRIGGERS:
        op.execute(statement)


def _named_ids() -> dict[str, int]:
    """The highest id of each table that any audit event is about (a document deleted, a
    pledge rejected, evidence decided, ...): the copies count on from above it, so an id that
    events name, freed before this revision, is not given again either (QA: a document
    deleted at 0018 had its id taken by the next one after the upgrade). One probe of
    ix_audit_events_entity per table, not a read of the log."""
    highest = {}
    for table, entity in (
        ("documents", "document"),
        ("pledges", "pledge"),
        ("evidence", "evidence"),
    ):
        named = op.get_bind().execute(
            sa.text("SELECT max(entity_id) FROM audit_events WHERE entity_type = :entity"),
            {"entity": entity},
        )
        highest[table] = int(named.scalar() or 0)
    return highest


def _count_on_above(highest: dict[str, int]) -> None:
    for table, seq in highest.items():
        params = {"table": table, "seq": seq}
        op.get_bind().execute(
            sa.text("UPDATE sqlite_sequence SET seq = :seq WHERE name = :table AND seq < :seq"),
            params,
        )
        op.get_bind().execute(
            sa.text(
                "INSERT INTO sqlite_sequence (name, seq) SELECT :table, :seq WHERE :seq > 0 "
                "AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :table)"
            ),
            params,
        )


def upgrade() -> None:
    op.add_column("trackers", sa.Column("contents_changed_at", sa.DateTime(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        _copy_tables(autoincrement=True)
        _count_on_above(_named_ids())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _copy_tables(autoincrement=False)
    with op.batch_alter_table("trackers") as batch:
        batch.drop_column("contents_changed_at")
