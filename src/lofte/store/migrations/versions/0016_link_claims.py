"""Link claims: one `lofte link` run per tracker at a time

Revision ID: 0016
Revises: 0015

link_claims: the run linking a tracker (its holder: host, process id and a token), when it
started and until when its lease holds. Two runs at once (the `watch` service and an admin's
`lofte link`) had both scored every new document.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_claims",
        sa.Column("tracker_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["tracker_id"], ["trackers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tracker_id"),
    )


def downgrade() -> None:
    op.drop_table("link_claims")
