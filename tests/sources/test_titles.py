"""Titles of whole inputs (sources/titles.py)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from lofte.ingest import IngestOptions, ingest
from lofte.model import SourceKind
from lofte.sources.titles import (
    name_in_words,
    program_title,
    sensible_metadata_title,
    spelled_as_in,
)
from lofte.store import documents as document_store
from lofte.store.db import Store
from tests.sources.pdf_bytes import text_pdf

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
def test_a_file_names_words_get_their_swedish_letters_from_the_text() -> None:
    """Newsroom QA: file names are typed without å, ä and ö ("vansterpartiet-valplattform"),
    and the program was titled so. A word the text always spells with them is spelled so."""
    body = "Vänsterpartiet vill. Vänsterpartiets politik. Vi ska göra mer för alla, valplattform."
    assert spelled_as_in("Vansterpartiet valplattform 2022", body) == (
        "Vänsterpartiet valplattform 2022"
    )
    assert spelled_as_in("Program for alla", body) == "Program för alla"
    assert spelled_as_in("Gora", body) == "Göra"  # the capital kept


def test_a_word_the_text_also_writes_as_typed_stays() -> None:
    body = "Vi har en plan. Vi vill att alla får en plån? Planen är klar, plan."
    assert spelled_as_in("Plan 2022", body) == "Plan 2022"
    assert spelled_as_in("Plan 2022", "") == "Plan 2022"


def test_a_metadata_title_is_not_respelled() -> None:
    assert program_title("Valmanifest for alla", "x.pdf", "", "för för") == "Valmanifest for alla"
    assert program_title(None, "manifest-for-alla.pdf", "", "för för") == "Manifest för alla"


def test_the_four_manifestos_get_their_file_names(tmp_path: Path) -> None:
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
        "Miljöpartiet valmanifest 2022",  # spelled as the program spells it (spelled_as_in)
        "Moderaterna valmanifest 2022",
        "Socialdemokraterna valmanifest 2022",
        "Vänsterpartiet valplattform 2022",
    ]


def test_file_names_keep_their_swedish_letters_composed() -> None:
    """QA: names lost å, ä and ö: a macOS name spells 'å' as 'a' + a combining ring (NFD), which
    a title kept as it was (it did not match 'å' in a search), and an old server's cp1252
    escape ('%E5') became U+FFFD."""
    decomposed = unicodedata.normalize("NFD", "/Users/anna/Vårt_löfte.pdf")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    for origin in (
        "Vårt_löfte.pdf",
        decomposed,
        "https://x.se/V%C3%A5rt_l%C3%B6fte.pdf",
        "https://x.se/V%E5rt%20l%F6fte.pdf",
        "/srv/in/V%C3%A5rt-l%C3%B6fte.pdf",
    ):
        assert name_in_words(origin) == "Vårt löfte", origin
    assert name_in_words("https://x.se/%C3%A5tg%C3%A4rder-f%C3%B6r-%C3%96rebro.pdf") == (
        "Åtgärder för Örebro"
    )
    assert sensible_metadata_title(unicodedata.normalize("NFD", "Vårt löfte")) == "Vårt löfte"


def test_a_programs_title_from_a_decomposed_file_name_is_stored_composed(
    sqlite_store: Store, tmp_path: Path
) -> None:
    store = sqlite_store
    path = tmp_path / unicodedata.normalize("NFD", "Nära_välfärd.pdf")
    path.write_bytes(text_pdf(["BT /F1 12 Tf 72 720 Td (Vi ska bygga fler skolor.) Tj ET"]))
    (item,) = ingest(store, [str(path)], IngestOptions(kind=SourceKind.PROGRAM)).inputs
    assert item.error is None, item.error
    with store.session() as s:
        (doc,) = document_store.list_documents(s)
    assert doc.title == "Nära välfärd" == unicodedata.normalize("NFC", doc.title)
