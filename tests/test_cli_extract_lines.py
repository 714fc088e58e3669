"""`lofte extract` names each document on stderr with its control characters escaped."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli_progress import _lofte


def test_extract_names_each_document_escaped(tmp_path: Path) -> None:
    """The line per document extract writes to stderr shows a bidi override in a title as an
    escape: it would reverse the rest of the terminal line."""
    from lofte.store.db import open_store
    from lofte.store.schema import DocumentRow
    from tests.review.fixtures import pledge_with_evidence

    db = tmp_path / "x.db"
    store = open_store(f"sqlite:///{db}", create=True)
    try:
        pledge_with_evidence(store)
        with store.session() as s:
            program = s.query(DocumentRow).filter_by(kind="program").one()
            program.title = "Program \u202egnidlyb"
            program_id = program.id
    finally:
        store.dispose()
    done = _lofte(db, "extract", "--document", str(program_id), interval=None)
    assert done.returncode == 0, done.stderr
    assert "  Program \\u202egnidlyb: " in done.stderr
    assert "\u202e" not in done.stderr
