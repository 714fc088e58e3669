"""issue 13: each document keeps its MinHash signature for near-duplicate lookup

Revision ID: 0008
Revises: 0007

documents.minhash: the 256 32-bit values of the document's MinHash (title and body), computed
once at ingest. Without it every `lofte ingest` rebuilt the near-duplicate index by shingling
every stored text again (about 10 s on the government's 9,000-page record, before the first
new file was stored). NULL for documents stored before this revision and for texts too short
to compare; those are shingled as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("minhash", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("minhash")
