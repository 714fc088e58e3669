"""full-text search index: FTS5 tables kept by triggers (SQLite), GIN indexes (PostgreSQL)

Revision ID: 0003
Revises: 0002

The statements are copied here (not imported) so this migration never changes when the search
module does. The search code works without them, only slower.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(title, body, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ai AFTER INSERT ON documents BEGIN INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ad AFTER DELETE ON documents BEGIN INSERT INTO documents_fts(documents_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_au AFTER UPDATE OF title, body ON documents BEGIN INSERT INTO documents_fts(documents_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS pledges_fts USING fts5(quote, area, content='pledges', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS pledges_fts_ai AFTER INSERT ON pledges BEGIN INSERT INTO pledges_fts(rowid, quote, area) VALUES (new.id, new.quote, new.area); END",
    "CREATE TRIGGER IF NOT EXISTS pledges_fts_ad AFTER DELETE ON pledges BEGIN INSERT INTO pledges_fts(pledges_fts, rowid, quote, area) VALUES ('delete', old.id, old.quote, old.area); END",
    "CREATE TRIGGER IF NOT EXISTS pledges_fts_au AFTER UPDATE OF quote, area ON pledges BEGIN INSERT INTO pledges_fts(pledges_fts, rowid, quote, area) VALUES ('delete', old.id, old.quote, old.area); INSERT INTO pledges_fts(rowid, quote, area) VALUES (new.id, new.quote, new.area); END",
    "INSERT INTO pledges_fts(pledges_fts) VALUES ('rebuild')",
]

POSTGRES = [
    "CREATE INDEX IF NOT EXISTS ix_documents_fts ON documents USING gin ((to_tsvector('swedish', title || ' ' || body)))",
    "CREATE INDEX IF NOT EXISTS ix_pledges_fts ON pledges USING gin ((to_tsvector('swedish', quote || ' ' || coalesce(area, ''))))",
]


def upgrade() -> None:
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRES:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in ("documents", "pledges"):
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_documents_fts")
        op.execute("DROP INDEX IF EXISTS ix_pledges_fts")
