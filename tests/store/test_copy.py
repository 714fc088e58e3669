"""`lofte copy`: a whole store into an empty one of either kind, nothing left out (QA, an admin
moving to PostgreSQL: the export/import route dropped accounts, watched sources, archived
copies and raw bytes without a word)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text

from lofte.demo import build_demo
from lofte.errors import ConflictError, StoreError
from lofte.model import Role
from lofte.publish.export import export_database
from lofte.review.audit import verify
from lofte.review.users import add_user
from lofte.store import copy as store_copy
from lofte.store.db import Store, open_store
from lofte.store.schema import Base


@pytest.fixture
def source(tmp_path: Path) -> Store:
    store = build_demo(tmp_path / "demo.db")
    add_user(store, "anna", "hemligt-lösen-123", Role.EDITOR, actor="admin")  # wrote no verdict
    with store.session() as session:  # a deleted document's id must not come back
        session.execute(text("DELETE FROM documents WHERE id = (SELECT max(id) FROM documents)"))
    return store


def _rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.session() as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(select(table).order_by(*table.primary_key.columns)).all()
            ]
            for table in Base.metadata.sorted_tables
        }


def _without_the_copy_event(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in ("audit", "exported_at")}


def test_a_copy_holds_every_row_of_every_table(source: Store, db_url: str) -> None:
    target = open_store(db_url, create=True)
    try:
        counts = store_copy.copy_store(source, target)
        before, after = _rows(source), _rows(target)
        assert set(counts) == {t.name for t in Base.metadata.sorted_tables}
        for table, rows in before.items():
            if table in ("audit_events", "audit_head"):
                continue  # one event more: the copy's own
            assert after[table] == rows, table
            assert counts[table] == len(rows)
        assert after["audit_events"][:-1] == before["audit_events"]
        assert counts["users"] == 3 and counts["raw_blobs"] > 0 and counts["dense_vectors"] > 0
        with source.session() as session:
            exported = _without_the_copy_event(export_database(session))
        with target.session() as session:
            report = verify(session)
            assert report.ok, report.problems
            event = session.execute(
                text("SELECT action, details FROM audit_events ORDER BY seq DESC LIMIT 1")
            ).one()
            assert event[0] == "database.copy" and "demo.db" in str(event[1])
            assert _without_the_copy_event(export_database(session)) == exported
        # the next document takes an id above every id the source gave out, deleted ones too
        with source.session() as session:
            given = session.execute(text("SELECT seq FROM sqlite_sequence WHERE name='documents'"))
            highest = int(given.scalar_one())
        documents = Base.metadata.tables["documents"]
        with target.session() as session:
            row = dict(session.execute(select(documents).limit(1)).mappings().one())
            del row["id"]  # the database's counter gives it
            row.update(origin="ny-fil.txt", duplicate_of=None)
            session.execute(insert(documents).values(**row))
            new_id = session.execute(select(func.max(documents.c.id))).scalar_one()
        assert new_id > highest
    finally:
        target.dispose()
        source.dispose()


@pytest.mark.postgres
def test_a_copy_back_from_postgresql_gives_the_same_rows(
    source: Store, postgres_store: Store, tmp_path: Path
) -> None:
    """SQLite → PostgreSQL → SQLite: every table's rows as they were (the events' but the two
    copies' own)."""
    back = open_store(f"sqlite:///{tmp_path / 'back.db'}", create=True)
    try:
        store_copy.copy_store(source, postgres_store)
        store_copy.copy_store(postgres_store, back)
        before, after = _rows(source), _rows(back)
        for table, rows in before.items():
            if table not in ("audit_events", "audit_head"):
                assert after[table] == rows, table
        assert after["audit_events"][:-2] == before["audit_events"]
        with back.session() as session:
            assert verify(session).ok
    finally:
        back.dispose()
        source.dispose()


def test_a_target_with_content_is_refused_and_left_as_it_was(source: Store, tmp_path: Path) -> None:
    target = open_store(f"sqlite:///{tmp_path / 'full.db'}", create=True)
    try:
        store_copy.copy_store(source, target)
        before = _rows(target)
        with pytest.raises(ConflictError, match="needs an empty database.*documents"):
            store_copy.copy_store(source, target)
        assert _rows(target) == before
    finally:
        target.dispose()
        source.dispose()


def test_a_copy_that_fails_half_way_leaves_the_target_empty(
    source: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = open_store(f"sqlite:///{tmp_path / 'half.db'}", create=True)
    real = store_copy._copy_table
    done: list[str] = []

    def failing(reading: Any, session: Any, table: Any) -> int:
        if table.name == "documents":
            raise KeyboardInterrupt  # Ctrl-C with several tables written
        done.append(table.name)
        return real(reading, session, table)

    monkeypatch.setattr(store_copy, "_copy_table", failing)
    try:
        with pytest.raises(KeyboardInterrupt):
            store_copy.copy_store(source, target)
        assert "trackers" in done and "users" in done
        with target.session() as session:
            for table in Base.metadata.sorted_tables:
                if table.name != "audit_head":
                    assert not session.execute(select(func.count()).select_from(table)).scalar()
    finally:
        target.dispose()
        source.dispose()


def test_rows_with_raw_bytes_are_read_a_few_at_a_time(
    source: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review: 500 rows of raw input (2 MB each) were held at once (944 MB). A batch ends at
    BATCH rows or once it holds BATCH_BYTES."""
    monkeypatch.setattr(store_copy, "BATCH_BYTES", 5_000)
    blobs, documents = Base.metadata.tables["raw_blobs"], Base.metadata.tables["documents"]
    with source.snapshot() as session:
        reading = session.connection()
        sizes = [len(rows) for rows in store_copy._batches(reading, blobs)]
        total = session.execute(select(func.count()).select_from(blobs)).scalar_one()
        assert sum(sizes) == total and max(sizes) <= store_copy.BLOB_BATCH
        batches = list(store_copy._batches(reading, documents))
        assert len(batches) > 1  # the demo's documents hold more than 5,000 characters
        for rows in batches[:-1]:
            held = sum(len(v) for row in rows for v in row.values() if isinstance(v, str | bytes))
            assert held >= 5_000 and held - max(len(r["body"]) for r in rows) < 5_000 + 60_000
    source.dispose()


def test_the_same_database_or_an_old_source_is_refused_saying_which(
    source: Store, tmp_path: Path
) -> None:
    from lofte.errors import MigrationError, ValidationError

    again = Store(f"sqlite:///{tmp_path}/./demo.db")  # the source's file, spelled otherwise
    with pytest.raises(ValidationError, match="is the database to copy into"):
        store_copy.copy_store(source, again)
    with source.session() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '0019'"))
    target = open_store(f"sqlite:///{tmp_path / 'ny.db'}", create=True)
    try:
        with pytest.raises(
            MigrationError, match=r"for the source: `lofte --db sqlite:///.*demo\.db init`"
        ):
            store_copy.copy_store(source, target)
    finally:
        target.dispose()
        again.dispose()
        source.dispose()


@pytest.mark.postgres
def test_a_value_postgresql_refuses_names_its_table(source: Store, postgres_store: Store) -> None:
    """SQLite keeps a text longer than its column; PostgreSQL refuses it (review: the message
    named no table)."""
    with source.session() as session:
        session.execute(text("UPDATE raw_blobs SET media_type = :m"), {"m": "text/html; " * 20})
    try:
        with pytest.raises(StoreError, match="copying the table raw_blobs: .*too long"):
            store_copy.copy_store(source, postgres_store)
        with postgres_store.session() as session:
            assert not session.execute(text("SELECT count(*) FROM trackers")).scalar()
    finally:
        source.dispose()
