"""The linker's ids asked of the database a page at a time (`linking_ids.py`)."""

from __future__ import annotations

import pytest

from lofte import linking, linking_ids
from lofte.ingest import IngestOptions, ingest
from lofte.model import SourceKind
from lofte.store import documents as document_store
from lofte.store import marks as stage_marks
from lofte.store import trackers as tracker_store
from lofte.store.db import Store

KINDS = (SourceKind.NEWS,)


def _store_news(store: Store, tmp_path, n: int) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(n):
        path = folder / f"n{i:03d}.txt"
        path.write_text(f"Nyhet {i}\n\nEtt beslut om sak nummer {i} i Norrvik.\n", "utf-8")
    report = ingest(store, [str(folder)], IngestOptions(tracker="t", kind=SourceKind.NEWS))
    assert not report.failed
    with store.session() as s:
        tracker_id = tracker_store.get_tracker(s, "t").id
        ids = document_store.document_ids(s, tracker_id, kinds=KINDS)
    assert len(ids) == n
    return tracker_id, ids


def test_stored_ids_answer_as_the_listed_ones(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tracker_id, ids = _store_news(store, tmp_path, 60)
    stored = linking_ids.StoredIds(store, tracker_id, KINDS, originals=True)
    listed = linking_ids.ListedIds(ids)
    for limit in (1, 7, 30, 59, 60, 61, 1000):
        assert stored.cutoff(limit) == listed.cutoff(limit), limit
        cutoff = listed.cutoff(limit)
        assert cutoff is None or len(linking.background_sample(ids, limit)) == limit
        for after in (0, ids[10], ids[-1]):
            assert stored.count(after, cutoff) == listed.count(after, cutoff)
            for size in (1, 7, 500):
                got = list(stored.pages(after, cutoff, size))
                assert got == list(listed.pages(after, cutoff, size))
                assert all(0 < len(page) <= size for page in got)
    sample = [i for page in stored.pages(below=stored.cutoff(10)) for i in page]
    assert sample == linking.background_sample(ids, 10)  # the same rule in SQL and in Python


def test_a_link_run_reads_ids_a_page_at_a_time(
    store: Store, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """No query of a run returns the ids of the whole store: pages of BATCH ids, then counts."""
    tracker_id, ids = _store_news(store, tmp_path, 23)
    program = tmp_path / "program.txt"
    program.write_text("Program\n\n- Vi ska fatta beslut om sak nummer 5 i Norrvik.\n", "utf-8")
    ingest(store, [str(program)], IngestOptions(tracker="t", kind=SourceKind.PROGRAM))
    from lofte import extraction

    extraction.extract(store, "t")
    limits: list[int | None] = []
    for module, name in ((document_store, "document_ids"), (stage_marks, "unmarked_documents")):
        real = getattr(module, name)

        def paged(*args, _real=real, **kwargs):  # type: ignore[no-untyped-def]
            limits.append(kwargs.get("limit"))
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, paged)
    monkeypatch.setattr(linking, "BATCH", 5)
    (report,) = linking.link(store, "t")
    assert report.documents_scored == 23
    assert limits and set(limits) == {5}
    (again,) = linking.link(store, "t")
    assert again.documents_scored == 0
