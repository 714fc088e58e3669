"""issue 14: the linker's background statistics per tracker, kept between runs

Revision ID: 0013
Revises: 0012

link_backgrounds: the document frequencies of terms and character n-grams of a tracker's
evidence documents (compressed), the newest document counted and a revision for concurrent
writers. `lofte link` adds new documents to them instead of reading the background again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_backgrounds",
        sa.Column("tracker_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("max_document_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["tracker_id"], ["trackers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tracker_id"),
    )


def downgrade() -> None:
    op.drop_table("link_backgrounds")
