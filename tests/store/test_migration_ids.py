"""Migrations 0019 and 0020 on SQLite: documents, pledges and evidence (0019), accounts,
trackers, sources and verdicts (0020) never give an id twice, also ids that audit events
name, freed before them (QA: a document deleted at revision 0018 had its id taken by the next one
after the upgrade, and a new pledge showed a deleted one's history)."""

from __future__ import annotations

from pathlib import Path

from alembic import command

from lofte.model import Role, VerdictStatus
from lofte.review import tracker_admin, users
from lofte.review.audit import verify
from lofte.review.documents import delete_document
from lofte.review.pledges import confirm
from lofte.review.verdicts import decide_evidence, set_verdict
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


def _down_to(url: str, revision: str) -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        config = _alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        connection.commit()
    engine.dispose()


def test_a_removed_accounts_id_the_log_names_is_not_given_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = open_store(url, create=True)
    users.add_user(store, "anna", "ett långt lösenord", Role.ADMIN, actor="tester")
    bo = users.add_user(store, "bo", "ett långt lösenord", Role.EDITOR, actor="tester")
    users.remove_user(store, "bo", actor="anna")
    store.dispose()
    _down_to(url, "0019")  # where the highest id was given again: a copy without the counter
    engine = make_engine(url)
    migrate(engine)  # to 0020: it counts on from the removed account's id
    engine.dispose()
    store = open_store(url)
    cecilia = users.add_user(store, "cecilia", "ett långt lösenord", Role.VIEWER, actor="anna")
    assert cecilia.id > bo.id
    with store.session() as s:
        assert verify(s).problems == []
    store.dispose()


def test_a_deleted_trackers_verdict_ids_the_log_names_are_not_given_again(tmp_path: Path) -> None:
    """Review: a verdict's events are about its pledge, so 0020 first counted on from the
    surviving verdicts only, and a deleted tracker's newest verdict id came back."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = open_store(url, create=True)
    cited = _rated_pledge(store)
    tracker_admin.delete(store, "sjovik", actor="anna", confirm="sjovik")
    store.dispose()
    _down_to(url, "0019")
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    store = open_store(url)
    assert _rated_pledge(store) > cited
    store.dispose()


def _rated_pledge(store) -> int:  # type: ignore[no-untyped-def]
    """A new pledge (in the fixtures' tracker) with a verdict: the verdict's id."""
    pledge_id, _ = pledge_with_evidence(store)
    confirm(store, pledge_id, actor="anna")
    return set_verdict(store, pledge_id, VerdictStatus.NOT_RATED, "Ej bedömt.", actor="anna").id
