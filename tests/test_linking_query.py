"""`linking.rank_documents` with an editor's query: which documents it keeps."""

from __future__ import annotations

import datetime as dt

from lofte import linking
from lofte.ingest import IngestOptions, ingest_raw
from lofte.model import RawInput
from lofte.store.db import Store
from tests.review.fixtures import pledge_with_evidence


def _stored(store: Store, text: str, origin: str) -> int:
    raw = RawInput(text.encode(), origin, "text/plain", dt.datetime.now(dt.UTC))
    report = ingest_raw(store, raw, IngestOptions(tracker="sjovik"))
    assert report.error is None, report.error
    return report.document_ids[0]


def test_a_query_word_finds_its_other_forms_and_compounds(store: Store) -> None:
    """QA: the editor's search for "friskolor" found nothing where the public search found
    "friskolesektorn"; each word is now held by its stem, anywhere in a word."""
    pledge_id, _ = pledge_with_evidence(store)
    sector = _stored(store, "Regeringen utreder friskolesektorn och simhallen i Norrvik.", "a.txt")
    tax = _stored(store, "Drivmedelsskatten sänks, och simhallen får mer pengar.", "b.txt")
    _stored(store, "Simhallen i Norrvik får nya öppettider.", "c.txt")

    def found(query: str) -> list[int]:
        return sorted(m.document_id for m in linking.rank_documents(store, pledge_id, query=query))

    assert found("friskolor") == [sector]
    assert found("Friskolorna simhallen") == [sector]  # every word, any case
    assert found("skatt") == [tax]  # a word inside a compound, as before
    assert found("drivmedelsskatter") == [tax]


def test_a_query_of_stop_words_or_signs_alone_finds_nothing(store: Store) -> None:
    """Review: "och att" or "-" left no word to filter by, and the page listed the pledge's
    whole ranking under a query that was never used."""
    pledge_id, _ = pledge_with_evidence(store)
    assert linking.rank_documents(store, pledge_id)  # the pledge's own ranking has documents
    for query in ("och att", "-", "AND"):
        assert linking.rank_documents(store, pledge_id, query=query) == []
