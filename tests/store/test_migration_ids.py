"""Migration 0019 on SQLite: documents, pledges and evidence never give an id twice, also ids
that audit events name, freed before it (QA: a document deleted at revision 0018 had its id taken by the next one
after the upgrade, and a new pledge showed a deleted one's history)."""

from __future__ import annotations

from pathlib import Path

from alembic import command

from lofte.review.audit import verify
from lofte.review.documents import delete_document
from lofte.review.verdicts import decide_evidence
from lofte.store.db import _alembic_config, make_engine, migrate, open_store
from lofte.store.schema import EvidenceRow
from tests.review.fixtures import news_suggestion, pledge_with_evidence


def test_ids_the_audit_log_names_as_deleted_are_not_given_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = open_store(url, create=True)
    pledge_id, _ = pledge_with_evidence(store)
    newest = news_suggestion(store, pledge_id, "Simhallen får ett nytt tak.", key="tak")
    decide_evidence(store, newest, False, actor="anna", reason="Om taket.")  # events name it
    with store.session() as s:
        doc_id = s.get(EvidenceRow, newest).document_id  # type: ignore[union-attr]
    delete_document(store, doc_id, actor="anna", confirm=str(doc_id))
    store.dispose()
    engine = make_engine(url)  # back to 0018, where the highest id was given again
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        config = _alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, "0018")
        connection.commit()
        assert connection.exec_driver_sql("SELECT max(id) FROM documents").scalar() < doc_id
    migrate(engine)  # to 0019 again: it counts on from the deleted ids
    engine.dispose()
    store = open_store(url)
    again = news_suggestion(store, pledge_id, "Simhallen öppnar igen.", key="igen")
    with store.session() as s:
        row = s.get(EvidenceRow, again)
        assert row is not None and row.document_id > doc_id and again > newest
        assert verify(s).problems == []
    store.dispose()
