"""issue 14: stored Swedish tsvector columns with GIN indexes for search (PostgreSQL)

Revision ID: 0010
Revises: 0009

On PostgreSQL, documents and pledges get a `search_vector` column generated from their text
(`to_tsvector('swedish', …)`, so PostgreSQL keeps it in step on every insert and update) and a
GIN index on it; search matches and ranks on the column instead of computing the vector of
every candidate row at query time. The expression indexes of 0003 are dropped: nothing uses
them any more. On SQLite nothing changes (the FTS5 tables of 0003 are its index).

The statements are copied here (not imported) so this migration never changes when the search
module does.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UPGRADE = [
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('swedish', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_documents_search_vector ON documents USING gin (search_vector)",
    "DROP INDEX IF EXISTS ix_documents_fts",
    "ALTER TABLE pledges ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('swedish', coalesce(quote, '') || ' ' || coalesce(area, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_pledges_search_vector ON pledges USING gin (search_vector)",
    "DROP INDEX IF EXISTS ix_pledges_fts",
]

DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_documents_search_vector",
    "ALTER TABLE documents DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS ix_pledges_search_vector",
    "ALTER TABLE pledges DROP COLUMN IF EXISTS search_vector",
    # the expression indexes of 0003
    "CREATE INDEX IF NOT EXISTS ix_documents_fts ON documents USING gin "
    "((to_tsvector('swedish', title || ' ' || body)))",
    "CREATE INDEX IF NOT EXISTS ix_pledges_fts ON pledges USING gin "
    "((to_tsvector('swedish', quote || ' ' || coalesce(area, ''))))",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
