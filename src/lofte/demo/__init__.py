"""The demo: a fictional municipality's program and news (corpus/), loaded into new SQLite."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from ..config import get_settings
from ..extraction import extract
from ..ingest import IngestOptions, NearDuplicates, ProgressCallback, checked_options, ingest_raw
from ..language.dates import parse_user_date
from ..linking import link
from ..model import DateValue, RawInput, Role, SourceKind, VerdictStatus
from ..review.pledges import confirm
from ..review.trackers import publish_tracker
from ..review.users import add_user
from ..review.verdicts import decide_evidence, set_verdict
from ..store import documents as document_store
from ..store import trackers as tracker_store
from ..store.db import Store, open_store
from ..store.evidence import list_evidence
from ..store.pledges import list_pledges


def corpus_manifest() -> dict[str, Any]:
    return json.loads(_corpus().joinpath("manifest.json").read_text(encoding="utf-8"))


def _corpus() -> Any:
    return resources.files(__package__).joinpath("corpus")


def load_demo(store: Store, on_input: ProgressCallback | None = None) -> str:
    """Create the demo tracker and ingest the corpus into it; returns the tracker's slug."""
    manifest = corpus_manifest()
    spec = manifest["tracker"]
    with store.session() as session:
        tracker_store.add_tracker(
            session,
            spec["slug"],
            spec["name"],
            jurisdiction=spec.get("jurisdiction"),
            actors=spec.get("actors", []),
            term_start=_date(spec.get("term_start")),
            term_end=_date(spec.get("term_end")),
            description=spec.get("description"),
        )
    near = NearDuplicates()  # one duplicate index for the whole corpus
    for item in manifest["inputs"]:
        data = _corpus().joinpath(item["file"]).read_bytes()
        raw = RawInput(data=data, origin=f"demo/{item['file']}", media_type="text/plain")
        options = IngestOptions(
            tracker=spec["slug"],
            kind=SourceKind(item["kind"]),
            source=item.get("source"),
            date=parse_user_date(item["date"]) if item.get("date") else None,
            party=item.get("party"),  # whose program: `lofte ingest --party`, checked the same way
        )
        options = checked_options(store, options, get_settings())
        report = ingest_raw(store, raw, options, near=near)
        if on_input:
            on_input(report)
    return str(spec["slug"])


def _date(value: str | None) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(value) if value else None


def build_demo(path: Path, on_input: ProgressCallback | None = None) -> Store:
    """A new SQLite database at `path` holding the demo (an old file there is replaced):
    the corpus ingested, pledges extracted, evidence linked, and a few editorial reviews."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = open_store(f"sqlite:///{path}", create=True)
    slug = load_demo(store, on_input)
    extract(store, slug)
    link(store, slug)
    apply_reviews(store)
    publish_tracker(store, slug, actor="demo")  # a tracker is a draft until published
    return store


def demo_accounts() -> dict[str, dict[str, str]]:
    """The demo's made-up editor and admin logins (printed by `lofte demo`)."""
    reviews = _reviews()
    return {key: reviews[key] for key in ("editor", "admin")}


def _reviews() -> dict[str, Any]:
    return json.loads(_corpus().joinpath("reviews.json").read_text(encoding="utf-8"))


def apply_reviews(store: Store) -> int:
    """Create the demo accounts and, as the demo editor, confirm some pledges, accept the
    evidence that reports on them and set verdicts. Returns the number of verdicts set."""
    spec = _reviews()
    accounts = {
        key: add_user(store, a["username"], a["password"], Role(a["role"]), actor="demo")
        for key, a in spec.items()
        if key in ("editor", "admin")
    }
    editor = accounts["editor"]
    done = 0
    for review in spec["reviews"]:
        found = _find_evidence(store, review["pledge"], review["document"])
        if found is None:
            continue  # the linker did not suggest it: nothing to review
        pledge_id, evidence_id, happened = found
        confirm(store, pledge_id, actor=editor.username)
        decide_evidence(store, evidence_id, True, actor=editor.username)
        set_verdict(
            store,
            pledge_id,
            VerdictStatus(review["status"]),
            review["rationale"],
            [evidence_id],
            author=editor,
            # as of its evidence's date, inside the term: stamped with the day the demo was
            # built (after the term), the term chart showed nothing rated for the whole term
            as_of=review.get("as_of") or happened,  # the review's own for an undated one
        )
        done += 1
    return done


def _find_evidence(
    store: Store, pledge_start: str, document_start: str
) -> tuple[int, int, DateValue | None] | None:
    """(pledge, evidence, the document's date) of the suggestion the review is about."""
    with store.session() as session:
        pledges = {p.id: p for p in list_pledges(session)}
        for ev in list_evidence(session):
            pledge = pledges[ev.pledge_id]
            document = document_store.get_document(session, ev.document_id)
            if pledge.quote.startswith(pledge_start) and document.body.startswith(document_start):
                return ev.pledge_id, ev.id, document.date
    return None
