"""The demo: a fictional municipality's program and news (corpus/), loaded into a fresh SQLite file."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from ..ingest import IngestOptions, ProgressCallback, ingest_raw
from ..language.dates import parse_user_date
from ..model import RawInput, SourceKind
from ..store import repositories as repo
from ..store.db import Store, open_store

DEMO_TRACKER_NAME_KEY = "tracker"


def corpus_manifest() -> dict[str, Any]:
    return json.loads(_corpus().joinpath("manifest.json").read_text(encoding="utf-8"))


def _corpus() -> Any:
    return resources.files(__package__).joinpath("corpus")


def load_demo(store: Store, on_input: ProgressCallback | None = None) -> str:
    """Create the demo tracker and ingest the corpus into it; returns the tracker's slug."""
    manifest = corpus_manifest()
    spec = manifest["tracker"]
    with store.session() as session:
        repo.add_tracker(
            session,
            spec["slug"],
            spec["name"],
            jurisdiction=spec.get("jurisdiction"),
            actors=spec.get("actors", []),
            term_start=_date(spec.get("term_start")),
            term_end=_date(spec.get("term_end")),
            description=spec.get("description"),
        )
    for item in manifest["inputs"]:
        data = _corpus().joinpath(item["file"]).read_bytes()
        raw = RawInput(data=data, origin=f"demo/{item['file']}", media_type="text/plain")
        options = IngestOptions(
            tracker=spec["slug"],
            kind=SourceKind(item["kind"]),
            source=item.get("source"),
            date=parse_user_date(item["date"]) if item.get("date") else None,
        )
        report = ingest_raw(store, raw, options)
        if on_input:
            on_input(report)
    return str(spec["slug"])


def _date(value: str | None) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(value) if value else None


def build_demo(path: Path, on_input: ProgressCallback | None = None) -> Store:
    """A new SQLite database at `path` holding the demo (an old file there is replaced)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = open_store(f"sqlite:///{path}", create=True)
    load_demo(store, on_input)
    return store
