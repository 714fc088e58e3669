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


def test_documents_and_pledges_lists_show_titles_and_quotes_escaped(tmp_path: Path) -> None:
    """`lofte documents` and `lofte pledges` print a title or quote as text: a bidi override
    escaped, and brackets as written, not read as the terminal library's markup (an unmatched
    closing tag made it fail)."""
    from lofte.store.db import open_store
    from lofte.store.schema import DocumentRow, PledgeRow
    from tests.review.fixtures import pledge_with_evidence

    db = tmp_path / "x.db"
    store = open_store(f"sqlite:///{db}", create=True)
    try:
        pledge_with_evidence(store)
        with store.session() as s:
            s.query(DocumentRow).filter_by(kind="program").one().title = "Prog [/] \u202eram"
            s.query(PledgeRow).first().quote = "Löfte [bold]fetstil[/bold] \u202eslut"  # type: ignore[union-attr]
    finally:
        store.dispose()
    listed = _lofte(db, "documents", interval=None)
    assert listed.returncode == 0, listed.stderr
    assert "Prog [/] \\u202eram" in listed.stdout and "\u202e" not in listed.stdout
    pledges = _lofte(db, "pledges", interval=None)
    assert pledges.returncode == 0, pledges.stderr
    assert "[bold]fetstil[/bold] \\u202eslut" in pledges.stdout
    assert "\u202e" not in pledges.stdout
