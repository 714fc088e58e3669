"""watch/sources.py: the editors' changes to watched sources, audited."""

from __future__ import annotations

from lofte.store import audit
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.watch import sources
from tests.interleave import meanwhile


def test_an_edit_reads_the_source_as_it_is_when_it_writes(store: Store) -> None:
    """bo moved the source to a new URL between anna's read and her write: her event must
    say what she changed from (bo's URL); the old code wrote the URL it had read."""
    with store.session() as s:
        tracker_store.add_tracker(s, "stad", "Stad")
    sources.add(store, "stad", "nyheter", "https://stad.example/a", actor="anna")

    def bo() -> object:
        return sources.edit(store, "stad", "nyheter", actor="bo", url="https://stad.example/b")

    with meanwhile(store, bo) as seen:
        sources.edit(store, "stad", "nyheter", actor="anna", url="https://stad.example/c")
    assert seen
    with store.session() as s:
        urls = [
            e.details["changes"]["url"] for e in audit.all_events(s) if e.action == "source.edit"
        ]
    assert urls == [
        {"before": "https://stad.example/a", "after": "https://stad.example/b"},
        {"before": "https://stad.example/b", "after": "https://stad.example/c"},
    ]
