"""issue 16: embeddings of pledges and passages, kept by model, side and text hash

Revision ID: 0009
Revises: 0008

dense_vectors: the e5 vector (float32 bytes) of a text, keyed by (model, side, SHA-256 of the
text), so the dense stage of `lofte link` encodes each passage and pledge once whatever the
number of runs.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dense_vectors",
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("model", "side", "text_sha256"),
    )


def downgrade() -> None:
    op.drop_table("dense_vectors")
