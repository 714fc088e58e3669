"""A populated store made by an older Löfte keeps its content when this one migrates it.

tests/store/test_db.py migrates an empty database; this migrates a real one. The fixture
data/lofte-0003-demo.db.gz (75 kB) was made by commit ca4e543 (schema revision 0003, before the
sessions, the audit chain and every later migration), from the bundled fictional demo only:

    git archive ca4e543 | tar -x -C /tmp/old     # its dependencies are a subset of today's
    cd /tmp/old && export PYTHONPATH=/tmp/old/src LOFTE="python -m lofte --db sqlite:////tmp/old/old.db"
    $LOFTE demo --path /tmp/old/old.db --no-serve   # trackers, documents, pledges, evidence, verdicts, 2 users
    $LOFTE user add granskare --role editor --password 'Lagom-Granskning-2026!'
    $LOFTE pledge reject 2 --reason Dubblett --actor granskare
    $LOFTE pledge confirm 3 --actor granskare
    $LOFTE pledge edit 4 --area Förskola --topic barngrupper --actor granskare
    sqlite3 /tmp/old/old.db "VACUUM INTO '/tmp/old/fx.db'" && gzip -9 -c /tmp/old/fx.db > data/lofte-0003-demo.db.gz
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from lofte.errors import MigrationError
from lofte.linking import link
from lofte.review import audit as review_audit
from lofte.review import users
from lofte.store import backup as backups
from lofte.store.db import Store, current_revision, head_revision, open_store
from lofte.store.search import search_documents
from tests.web.conftest import make_client

OLD = Path(__file__).parent / "data" / "lofte-0003-demo.db.gz"
# What the old store holds, counted in the fixture with sqlite3 before any migration.
COUNTS = {
    "trackers": 1,
    "sources": 5,
    "documents": 50,
    "pledges": 67,
    "evidence": 69,
    "verdicts": 7,
    "users": 3,
    "audit_events": 28,
}
# The accounts of the old release's demo, and the one added by hand (see above).
ACCOUNTS = {
    "redaktor": "sjovik-demo-2026",
    "admin": "sjovik-admin-2026",
    "granskare": "Lagom-Granskning-2026!",
}


def _old_file(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    with gzip.open(OLD) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


# Columns every revision since 0003 has, to compare before and after.
KEPT = {
    "trackers": "id, slug, name, jurisdiction, term_start, term_end",
    "documents": "id, tracker_id, source_id, kind, title, body, content_hash, date_value, duplicate_of",
    "pledges": 'id, tracker_id, document_id, parent_id, start, "end", quote, area, topic, '
    "state, version",
    "evidence": "id, pledge_id, document_id, score, stance, review_state",
    "verdicts": "id, pledge_id, status, rationale, evidence_ids, author_id, published",
    "users": "id, username, password_hash, role",
    "audit_events": "id, action, entity_type, entity_id",
}


@pytest.fixture
def old_path(tmp_path: Path) -> Path:
    return _old_file(tmp_path)


@pytest.fixture
def upgraded(old_path: Path):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{old_path}", create=True)
    yield store
    store.dispose()


def test_the_fixture_is_an_old_populated_store(old_path: Path) -> None:
    assert _rows(old_path, "SELECT version_num FROM alembic_version") == [("0003",)]
    for table, count in COUNTS.items():
        assert _rows(old_path, f"SELECT count(*) FROM {table}") == [(count,)], table


def test_migrating_an_old_store_keeps_every_row(tmp_path: Path) -> None:
    path = _old_file(tmp_path)
    before = {
        table: _rows(path, f"SELECT {cols} FROM {table} ORDER BY id")
        for table, cols in KEPT.items()
    }
    store = open_store(f"sqlite:///{path}", create=True)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.session() as s:
            for table, count in COUNTS.items():
                assert s.execute(text(f"SELECT count(*) FROM {table}")).scalar() == count, table
            assert s.execute(text("PRAGMA foreign_key_check")).all() == []
            # the migration turned them off for its table rebuilds and back on after
            assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
            # 0007: trackers that existed were public, so they stay published
            assert (
                s.execute(text("SELECT count(*) FROM trackers WHERE published_at IS NULL")).scalar()
                == 0
            )
            # 0014: every stored document got its near-duplicate bucket keys
            assert (
                s.execute(text("SELECT count(DISTINCT document_id) FROM document_bands")).scalar()
                == 50
            )
    finally:
        store.dispose()
    after = {
        table: _rows(path, f"SELECT {cols} FROM {table} ORDER BY id")
        for table, cols in KEPT.items()
    }
    assert after == before


def test_a_migration_leaving_rows_that_refer_to_missing_ones_is_refused(tmp_path: Path) -> None:
    """Foreign keys are off while migrating; what they would have refused is checked before
    the commit, and nothing is changed."""
    path = _old_file(tmp_path)
    with sqlite3.connect(path) as conn:  # foreign keys are off in a bare sqlite3 connection
        conn.execute("UPDATE evidence SET pledge_id = 9999 WHERE id = 1")
    with pytest.raises(MigrationError, match="refer to missing rows.*evidence"):
        open_store(f"sqlite:///{path}", create=True)
    assert _rows(path, "SELECT version_num FROM alembic_version") == [("0003",)]


def test_the_search_index_triggers_survive_the_table_rebuilds(upgraded: Store) -> None:
    """0007 and later rebuild documents and pledges on SQLite; their FTS triggers must stay."""
    with upgraded.session() as s:
        names = {
            r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        }
    assert {"pledges_fts_ai", "pledges_fts_ad", "pledges_fts_au"} <= names
    assert {"audit_events_no_update", "audit_events_no_delete"} <= names


def test_the_upgraded_audit_log_verifies(upgraded: Store) -> None:
    with upgraded.session() as s:
        report = review_audit.verify(s)
    assert report.problems == []
    assert report.events == COUNTS["audit_events"]


def test_search_finds_an_old_document(upgraded: Store) -> None:
    with upgraded.session() as s:
        page = search_documents(s, "frukost")
    assert page.total >= 1
    assert any("frukost" in (hit.title + hit.body).lower() for hit in page.items)


def test_old_accounts_log_in(upgraded: Store) -> None:
    for username, password in ACCOUNTS.items():
        user = users.authenticate(upgraded, username, password)
        assert user is not None and user.username == username
    assert users.authenticate(upgraded, "granskare", "wrong-password-here") is None


def test_public_pages_and_the_api_answer_with_the_old_content(upgraded: Store) -> None:
    client = make_client(upgraded)
    with upgraded.session() as s:
        slug = s.execute(text("SELECT slug FROM trackers")).scalar_one()
        quote = s.execute(text("SELECT quote FROM pledges WHERE id = 8")).scalar_one()
        rationale = s.execute(
            text("SELECT rationale FROM verdicts WHERE pledge_id = 8")
        ).scalar_one()
    for url in ("/", f"/trackers/{slug}", f"/trackers/{slug}/pledges", "/search?q=frukost"):
        assert client.get(url).status_code == 200, url
    page = client.get("/pledges/8")
    assert page.status_code == 200
    assert rationale in page.text
    api = client.get("/api/v1/pledges/8")
    assert api.status_code == 200
    assert quote in api.text
    verdicts = client.get(f"/api/v1/verdicts?tracker={slug}").json()["items"]
    assert len(verdicts) == COUNTS["verdicts"]
    assert client.get(f"/api/v1/documents?tracker={slug}").status_code == 200


def test_link_runs_on_the_upgraded_store(upgraded: Store) -> None:
    reports = link(upgraded, dense=False)
    assert len(reports) == 1
    with upgraded.session() as s:
        assert s.execute(text("SELECT count(*) FROM verdicts")).scalar() == COUNTS["verdicts"]
        accepted = s.execute(text("SELECT count(*) FROM evidence WHERE review_state = 'accepted'"))
        assert accepted.scalar() == 7
        assert review_audit.verify(s).problems == []


def test_backup_and_restore_of_the_upgraded_store(upgraded: Store, tmp_path: Path) -> None:
    backups.backup(upgraded, tmp_path / "backup.db")
    other = open_store(f"sqlite:///{tmp_path / 'other.db'}", create=True)
    try:
        backups.restore(other, tmp_path / "backup.db")
        with other.session() as s:
            # the restore records itself: one event more than the backup holds
            restored = COUNTS | {"audit_events": COUNTS["audit_events"] + 1}
            for table, count in restored.items():
                assert s.execute(text(f"SELECT count(*) FROM {table}")).scalar() == count, table
            assert review_audit.verify(s).problems == []
    finally:
        other.dispose()
