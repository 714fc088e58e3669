"""The audit chain: hash-linked, gap-free under concurrent appenders, append-only in the database."""

from __future__ import annotations

import threading

import pytest
from alembic import command
from sqlalchemy import select, text

from lofte.errors import StoreError, ValidationError
from lofte.review.audit import verify
from lofte.store import audit
from lofte.store.db import Store, _alembic_config
from lofte.store.schema import AuditEventRow


def _append(store: Store, n: int, actor: str = "anna") -> None:
    for i in range(n):
        with store.session() as s:
            audit.record_event(s, "test.event", "pledge", i, actor, n=i, text="åäö ✓")


def _chain(store: Store) -> list[AuditEventRow]:
    with store.session() as s:
        return list(s.scalars(select(AuditEventRow).order_by(AuditEventRow.seq)))


def test_each_event_links_to_the_one_before_and_the_head_names_the_last(store: Store) -> None:
    _append(store, 5)
    rows = _chain(store)
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == audit.GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))
    assert all(audit.row_hash(r) == r.hash for r in rows)  # the stored content hashes to itself
    with store.session() as s:
        assert audit.chain_head(s) == audit.ChainHead(5, rows[-1].hash)
        assert verify(s).ok


def test_an_event_needs_an_actor(store: Store) -> None:
    with pytest.raises(ValidationError, match="needs an actor"), store.session() as s:
        audit.record_event(s, "test.event", "pledge", 1)
    with pytest.raises(ValidationError), store.session() as s:
        audit.record_event(s, "test.event", "pledge", 1, "  ")


def test_concurrent_appenders_give_an_unbroken_chain(store: Store) -> None:
    threads, per_thread = 8, 15
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with store.session() as s:
                    audit.record_event(s, "test.event", "pledge", k, f"editor{k}", i=i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    rows = _chain(store)
    assert [r.seq for r in rows] == list(range(1, threads * per_thread + 1))
    with store.session() as s:
        report = verify(s)
    assert report.ok, report.problems
    assert report.events == threads * per_thread


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET actor = 'mallory'",
        "UPDATE audit_events SET details = '{}' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 2",
        "DELETE FROM audit_events",
        "DELETE FROM audit_head",
        "UPDATE audit_head SET seq = 1",
    ],
)
def test_the_database_refuses_to_change_or_delete_events(store: Store, statement: str) -> None:
    _append(store, 3)
    before = [(r.seq, r.actor, r.hash) for r in _chain(store)]
    with pytest.raises(StoreError, match="append-only|audit head"), store.session() as s:
        s.execute(text(statement))
    assert [(r.seq, r.actor, r.hash) for r in _chain(store)] == before


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(postgres_store: Store) -> None:  # SQLite has no TRUNCATE
    store = postgres_store
    _append(store, 2)
    with pytest.raises(StoreError, match="append-only"), store.session() as s:
        s.execute(text("TRUNCATE audit_events"))


def test_an_upgraded_store_gets_its_existing_events_chained(db_url: str) -> None:
    store = Store(db_url)
    try:
        command.upgrade(_alembic_config(store.engine), "0003")
        with store.engine.begin() as conn:  # events as revision 0003 wrote them, one without actor
            for actor, entity_id in (("anna", 1), (None, 2), ("bo", 3)):
                conn.execute(
                    text(
                        "INSERT INTO audit_events (actor, action, entity_type, entity_id, details, "
                        "created_at, modified_at) VALUES (:a, 'pledge.confirm', 'pledge', :e, :d, "
                        "'2024-03-01 10:00:00.123456', '2024-03-01 10:00:00.123456')"
                    ),
                    {
                        "a": actor,
                        "e": entity_id,
                        "d": '{"before": "candidate", "after": "confirmed"}',
                    },
                )
        store.migrate()
        rows = _chain(store)
        assert [(r.seq, r.actor) for r in rows] == [(1, "anna"), (2, "unknown"), (3, "bo")]
        with store.session() as s:
            assert verify(s).ok
        _append(store, 1)  # and new events continue the chain
        with store.session() as s:
            report = verify(s)
            assert report.ok and report.head is not None and report.head.seq == 4
    finally:
        store.dispose()


def test_one_records_events_are_read_through_an_index(store: Store) -> None:
    """Review: a pledge's or a tracker's events (`list_events(type, id)`, read by every
    pledge history and by whether a rejected candidate was ever public) scanned the whole log,
    which grows with every change. Migration 0017 indexes them (entity_type, entity_id, seq)."""
    query = (
        "SELECT seq FROM audit_events WHERE entity_type = 'pledge' AND entity_id = 1 ORDER BY seq"
    )
    with store.session() as s:
        if s.get_bind().dialect.name == "sqlite":
            plan = " ".join(str(row) for row in s.execute(text("EXPLAIN QUERY PLAN " + query)))
            assert "ix_audit_events_entity" in plan and "TEMP B-TREE" not in plan, plan
        else:
            names = s.execute(
                text("SELECT indexname FROM pg_indexes WHERE tablename = 'audit_events'")
            ).scalars()
            assert "ix_audit_events_entity" in set(names)
