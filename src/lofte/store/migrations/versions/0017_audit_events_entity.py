"""A record's audit events from one index

Revision ID: 0017
Revises: 0016

A pledge's history, whether a person confirmed it (`store.pledges.rejections`), whether a
rejected candidate was ever public (`publish.visibility`) and a tracker's settings over time
read the events of one record (`audit.list_events(entity_type, entity_id)`): without an index
each read scanned the whole log (QA review: it grows with every change, forever).
ix_audit_events_entity (entity_type, entity_id, seq) makes it one probe, in chain order.
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_events_entity",
        "audit_events",
        ["entity_type", "entity_id", "seq"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_events_entity", table_name="audit_events")
