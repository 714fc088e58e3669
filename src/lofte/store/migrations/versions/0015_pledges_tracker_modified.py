"""issue 14: the tracker stamp's pledge part from one index

Revision ID: 0015
Revises: 0014

Every kept public page and API answer reads its tracker's stamp (`store.freshness`) before
anything else. Its pledge part, the newest `modified_at` and the sum of the versions of the
tracker's pledges, read every pledge row of the tracker through ix_pledges_tracker_id: 0.14 of
the stamp's 0.30 ms at 1,000 pledges on SQLite. ix_pledges_tracker_modified (tracker_id,
modified_at, version) makes the newest change one probe and the sum a scan of the index alone.
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_pledges_tracker_modified",
        "pledges",
        ["tracker_id", "modified_at", "version"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_pledges_tracker_modified", table_name="pledges")
