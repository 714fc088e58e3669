"""issue 15: watched sources and their runs, archived responses, subscriptions, deadlines

Revision ID: 0012
Revises: 0011

sources gain a schedule (shape, every_seconds, paused, next_due_at, failures for back-off);
source_runs record every run; fetch_validators keep ETag / Last-Modified per source and URL for
conditional GETs; archived_responses keep each fetched response as a gzipped WARC record and
documents point at theirs (archive_id); subscriptions and deliveries are the editors' digests;
pledges gain an editor-set deadline.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


FK_NAME = "documents_archive_id_fkey"  # PostgreSQL's own name for it

# 0003's triggers that keep documents_fts in step with documents (SQLite)
DOCUMENT_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ai AFTER INSERT ON documents BEGIN INSERT INTO "
    "documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ad AFTER DELETE ON documents BEGIN INSERT INTO "
    "documents_fts(documents_fts, rowid, title, body) VALUES ('delete', old.id, old.title, "
    "old.body); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_au AFTER UPDATE OF title, body ON documents "
    "BEGIN INSERT INTO documents_fts(documents_fts, rowid, title, body) VALUES ('delete', "
    "old.id, old.title, old.body); INSERT INTO documents_fts(rowid, title, body) VALUES "
    "(new.id, new.title, new.body); END",
]


def _times() -> list[sa.Column[dt.datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("sources", sa.Column("shape", sa.String(length=20), nullable=True))
    op.add_column("sources", sa.Column("every_seconds", sa.Integer(), nullable=True))
    op.add_column(
        "sources",
        sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("sources", sa.Column("next_due_at", sa.DateTime(), nullable=True))
    op.add_column(
        "sources", sa.Column("failures", sa.Integer(), server_default="0", nullable=False)
    )
    op.create_index("ix_sources_next_due_at", "sources", ["next_due_at"], unique=False)
    op.create_table(
        "source_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        *_times(),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_source_runs_source_started", "source_runs", ["source_id", "started_at"], unique=False
    )
    op.create_table(
        "fetch_validators",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        *_times(),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source_id", "url"),
    )
    op.create_table(
        "archived_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("warc", sa.LargeBinary(), nullable=False),
        *_times(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_archived_responses_url", "archived_responses", ["url"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a foreign key only by copying the table, and the copy needs the
        # full-text triggers of 0003 again.
        with op.batch_alter_table("documents", recreate="always") as batch:
            batch.add_column(sa.Column("archive_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                FK_NAME, "archived_responses", ["archive_id"], ["id"], ondelete="SET NULL"
            )
        for statement in DOCUMENT_TRIGGERS:
            op.execute(statement)
    else:
        op.add_column("documents", sa.Column("archive_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            FK_NAME, "documents", "archived_responses", ["archive_id"], ["id"], ondelete="SET NULL"
        )
    # an archived copy's page finds its documents by it
    op.create_index("ix_documents_archive_id", "documents", ["archive_id"], unique=False)
    op.add_column("pledges", sa.Column("deadline", sa.Date(), nullable=True))
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("tracker_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("webhook_url", sa.Text(), nullable=True),
        sa.Column("webhook_secret", sa.String(length=200), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(), nullable=True),
        *_times(),
        sa.ForeignKeyConstraint(["tracker_id"], ["trackers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "tracker_id", name="uq_subscriptions_user"),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        *_times(),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_deliveries_subscription_id", "deliveries", ["subscription_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_subscription_id", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_table("subscriptions")
    op.execute("ALTER TABLE pledges DROP COLUMN deadline")
    op.drop_index("ix_documents_archive_id", table_name="documents")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column of a foreign key: the table is copied without it, and
        # the copy needs the full-text triggers of 0003 again.
        with op.batch_alter_table("documents", recreate="always") as batch:
            batch.drop_column("archive_id")
        for statement in DOCUMENT_TRIGGERS:
            op.execute(statement)
    else:
        op.drop_constraint(FK_NAME, "documents", type_="foreignkey")
        op.drop_column("documents", "archive_id")
    op.drop_index("ix_archived_responses_url", table_name="archived_responses")
    op.drop_table("archived_responses")
    op.drop_table("fetch_validators")
    op.drop_index("ix_source_runs_source_started", table_name="source_runs")
    op.drop_table("source_runs")
    op.drop_index("ix_sources_next_due_at", table_name="sources")
    with op.batch_alter_table("sources") as batch:
        for column in ("failures", "next_due_at", "paused", "every_seconds", "shape"):
            batch.drop_column(column)
