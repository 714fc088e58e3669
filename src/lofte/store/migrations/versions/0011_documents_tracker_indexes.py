"""issue 14: indexes for the public pages' freshness checks, documents list and pledge parts

Revision ID: 0011
Revises: 0010

The public pages say when a tracker last changed, and their per-tracker caches notice a change
by the newest `modified_at` of its rows (`store.freshness.tracker_stamp`): without
ix_documents_tracker_modified the documents' part read every document of the tracker (167 ms
at 100,000 documents on SQLite), with it one index probe. The stamp also reads the newest
change of any verdict and any evidence: ix_verdicts_modified and ix_evidence_modified make
that a probe each. The public list of a tracker's documents goes in id order:
ix_documents_tracker_id (tracker_id, id) gives a page without sorting every document of the
tracker (21 ms → 1 ms). A pledge page finds the parts of a split pledge by parent_id
(ix_pledges_parent_id) instead of reading every pledge of its program.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_documents_tracker_modified", "documents", ["tracker_id", "modified_at"], unique=False
    )
    op.create_index("ix_documents_tracker_id", "documents", ["tracker_id", "id"], unique=False)
    op.create_index("ix_verdicts_modified", "verdicts", ["modified_at"], unique=False)
    op.create_index("ix_evidence_modified", "evidence", ["modified_at"], unique=False)
    op.create_index("ix_pledges_parent_id", "pledges", ["parent_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_pledges_parent_id", table_name="pledges")
    op.drop_index("ix_evidence_modified", table_name="evidence")
    op.drop_index("ix_verdicts_modified", table_name="verdicts")
    op.drop_index("ix_documents_tracker_id", table_name="documents")
    op.drop_index("ix_documents_tracker_modified", table_name="documents")
