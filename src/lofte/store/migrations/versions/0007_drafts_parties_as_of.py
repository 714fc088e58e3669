"""issue 12: trackers publish from draft, parties on programs and pledges, verdict "as of" dates

Revision ID: 0007
Revises: 0006

- trackers.published_at (NULL: a draft, not on the public site), show_candidates (also show
  unreviewed candidates, marked), archived_at, methodology (the tracker's method page text);
- documents.party and pledges.party: whose program a pledge comes from (a coalition tracker
  follows several parties);
- verdicts.as_of_value/as_of_precision: when the thing rated happened, at its precision.

Trackers that exist when this runs were public before it, so they are marked published now.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trackers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("show_candidates", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("methodology", sa.Text(), nullable=True))
    op.execute("UPDATE trackers SET published_at = created_at")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("party", sa.String(length=100), nullable=True))
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("party", sa.String(length=100), nullable=True))
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("as_of_value", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("as_of_precision", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.drop_column("as_of_precision")
        batch_op.drop_column("as_of_value")
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.drop_column("party")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("party")
    with op.batch_alter_table("trackers", schema=None) as batch_op:
        batch_op.drop_column("methodology")
        batch_op.drop_column("archived_at")
        batch_op.drop_column("show_candidates")
        batch_op.drop_column("published_at")
