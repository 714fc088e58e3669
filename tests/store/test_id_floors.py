"""store.id_floors: ids given out before a restore are not given again after it (QA: a
document, pledge or piece of evidence made after the backup had an id the next new row took
again after `lofte restore`, though its public address was cited and its events name it)."""

from __future__ import annotations

from pathlib import Path

from lofte.model import Role
from lofte.review import users
from lofte.review.audit import verify
from lofte.review.documents import delete_document
from lofte.store.backup import backup, restore
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, EvidenceRow, PledgeRow
from tests.review.fixtures import PROGRAM, news_suggestion, pledge_row, pledge_with_evidence


def _highest(store: Store) -> tuple[int, int, int]:
    with store.session() as s:
        return tuple(  # type: ignore[return-value]
            s.query(row.id).order_by(row.id.desc()).limit(1).scalar() or 0
            for row in (DocumentRow, PledgeRow, EvidenceRow)
        )


def _document_of(store: Store, evidence_id: int) -> int:
    with store.session() as s:
        row = s.get(EvidenceRow, evidence_id)
        assert row is not None
        return row.document_id


def test_rows_made_after_the_backup_keep_their_ids_to_themselves(
    store: Store, tmp_path: Path
) -> None:
    """Also rows made and deleted after the backup (review: the SQLite counter was never
    read, only the highest row, so a deleted newest document's id came back)."""
    pledge_id, _ = pledge_with_evidence(store)
    backup(store, tmp_path / "lofte.backup")
    with store.session() as s:
        program = s.get(PledgeRow, pledge_id).document_id  # type: ignore[union-attr]
    after = pledge_row(store, program, PROGRAM)  # made after the backup, then lost with it
    news_suggestion(store, after, key="efter")
    deleted = news_suggestion(store, after, "Simhallen får ett nytt tak.", key="tak")
    given = (_document_of(store, deleted), after, deleted)
    delete_document(store, given[0], actor="anna", confirm=str(given[0]))
    assert _highest(store)[0] < given[0]  # the newest document is gone: only its counter knows
    restore(store, tmp_path / "lofte.backup")
    assert _highest(store) < given  # the backup's rows only
    again = pledge_row(store, program, PROGRAM)
    evidence = news_suggestion(store, again, key="ny")
    with store.session() as s:
        document = s.get(EvidenceRow, evidence).document_id  # type: ignore[union-attr]
        assert document > given[0] and again > given[1] and evidence > given[2]
        assert verify(s).problems == []


def test_an_account_made_after_the_backup_keeps_its_id_to_itself(
    store: Store, tmp_path: Path
) -> None:
    """Accounts, trackers, sources and verdicts too (migration 0020): an account's events
    name it by id, so a later account must not take it after a restore."""
    users.add_user(store, "anna", "ett långt lösenord", Role.ADMIN, actor="tester")
    backup(store, tmp_path / "lofte.backup")
    bo = users.add_user(store, "bo", "ett långt lösenord", Role.EDITOR, actor="anna")
    restore(store, tmp_path / "lofte.backup")
    cecilia = users.add_user(store, "cecilia", "ett långt lösenord", Role.VIEWER, actor="anna")
    assert cecilia.id > bo.id
