"""A document's pledges in program order from one index

Revision ID: 0018
Revises: 0017

An editor's pledge page offers the live pledges nearest it to merge with and names those of
its document with the same words; it read every pledge record of the document for that (QA:
74 s for a program of 760,000 candidates). It now reads the nearest ones before and after the
pledge's start, and those around them, which ix_pledges_document_start (document_id, start)
makes a few probes; a document's outline in text order (`store.pledges.document_outline`) is
read from it without a sort, instead of scanning the table.
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_pledges_document_start",
        "pledges",
        ["document_id", "start"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_pledges_document_start", table_name="pledges")
