"""Titles of whole inputs (sources/titles.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lofte.sources.titles import name_in_words, program_title, sensible_metadata_title

MANIFESTOS = Path("/work/shared/data/manifestos-2022")


def test_file_names_become_words() -> None:
    assert name_in_words("valprogram-2022.pdf") == "Valprogram 2022"
    assert name_in_words("/srv/in/s_program__2022.txt") == "S program 2022"
    assert name_in_words("https://x.se/files/V%C3%A4nster-program.pdf?x=1") == "Vänster program"
    assert name_in_words("/srv/in/---.pdf") is None


@pytest.mark.parametrize(
    "meta", ["", "Untitled", "Microsoft Word - ", "valprogram_2022_v3", "layout 1", "12345"]
)
def test_metadata_titles_that_name_no_document_are_not_used(meta: str) -> None:
    assert sensible_metadata_title(meta) is None
    assert program_title(meta, "valprogram-2022.pdf", "Första meningen.") == "Valprogram 2022"


def test_a_real_metadata_title_wins() -> None:
    assert sensible_metadata_title("Microsoft Word - Valmanifest 2022") == "Valmanifest 2022"
    assert program_title("Valmanifest 2022", "x.pdf", "") == "Valmanifest 2022"


@pytest.mark.skipif(not MANIFESTOS.exists(), reason="the manifestos are not here")
def test_the_four_manifestos_get_their_file_names(tmp_path: Path) -> None:
    from lofte.ingest import ingest
    from lofte.store import documents as document_store
    from lofte.store.db import open_store

    store = open_store(f"sqlite:///{tmp_path / 't.db'}", create=True)
    try:
        report = ingest(store, [str(p) for p in sorted(MANIFESTOS.glob("*.pdf"))])
        assert not report.failed
        with store.session() as s:
            titles = sorted(d.title for d in document_store.list_documents(s))
    finally:
        store.dispose()
    assert titles == [
        "Miljopartiet valmanifest 2022",
        "Moderaterna valmanifest 2022",
        "Socialdemokraterna valmanifest 2022",
        "Vansterpartiet valplattform 2022",
    ]
