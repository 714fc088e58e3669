"""audit chain: seq, prev_hash and hash on every event, the audit_head row, append-only triggers

Revision ID: 0005
Revises: 0004

Existing events are chained in id order (their hashes computed here); events from before this
revision that named no actor get the actor 'unknown'. The hash rule is copied from
store/audit.py (not imported) so this migration never changes when that module does; a test
checks that a migrated store verifies.
"""

import datetime as dt
import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64
PRE_CHAIN_ACTOR = "unknown"

SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
    "BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END",
    "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head WHEN NEW.seq < OLD.seq "
    "BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END $$""",
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
    """CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.seq < OLD.seq THEN
        RAISE EXCEPTION 'the audit head only moves forward';
    END IF;
    RETURN NEW;
END $$""",
    "CREATE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON audit_head "
    "FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()",
    "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only()",
]

events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("seq", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("entity_type", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("details", sa.JSON),
    sa.column("created_at", sa.DateTime),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _hash(
    seq: int,
    time: dt.datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: int | None,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    content = {
        "seq": seq,
        "time": time.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "entity": {"type": entity_type, "id": entity_id},
        "details": details,
        "prev": prev_hash,
    }
    text = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))

    # chain what is there, oldest first
    seq, prev = 0, GENESIS_HASH
    rows = bind.execute(
        sa.select(
            events.c.id,
            events.c.actor,
            events.c.action,
            events.c.entity_type,
            events.c.entity_id,
            events.c.details,
            events.c.created_at,
        ).order_by(events.c.id)
    ).all()
    for row in rows:
        seq += 1
        actor = row.actor or PRE_CHAIN_ACTOR
        digest = _hash(
            seq,
            row.created_at,
            actor,
            row.action,
            row.entity_type,
            row.entity_id,
            dict(row.details or {}),
            prev,
        )
        bind.execute(
            events.update()
            .where(events.c.id == row.id)
            .values(seq=seq, actor=actor, prev_hash=prev, hash=digest)
        )
        prev = digest
    bind.execute(
        sa.text(
            "INSERT INTO audit_head (id, seq, hash, created_at, modified_at) "
            "VALUES (1, :seq, :hash, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
        {"seq": seq, "hash": prev},
    )

    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("actor", existing_type=sa.String(length=100), nullable=False)
        batch.create_unique_constraint("uq_audit_events_seq", ["seq"])

    for statement in SQLITE_TRIGGERS if bind.dialect.name == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in (
            "audit_events_no_update",
            "audit_events_no_delete",
            "audit_head_no_delete",
            "audit_head_forward_only",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    op.execute("DROP TABLE IF EXISTS audit_head")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS audit_head_forward_only()")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("uq_audit_events_seq", type_="unique")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
        batch.alter_column("actor", existing_type=sa.String(length=100), nullable=True)
