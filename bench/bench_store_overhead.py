"""What storing a prepared input costs in this process, against the same statements on a bare
sqlite3 cursor (the floor for the store step of `lofte ingest`, issue 13's corpus speed).

    .venv/bin/python bench/bench_store_overhead.py [--folders 3] [--repeat 2]

Month folders of the government's record (../shared/data/regeringen, press releases of 2024)
are read and prepared once, in this process. Then, into a fresh SQLite store each round:
- **Löfte**: `ingest.store_prepared` for each input, as `lofte ingest` calls it (one
  transaction an input: tracker, raw bytes, the documents known under the input's keys and
  hashes, near-duplicate candidates, the row, its LSH keys);
- **bare sqlite3**: the same reads and writes, hand-written, on the raw DBAPI connection, one
  transaction an input, with no ORM or statement building.

Process time per document, best of `--repeat` rounds; the ratio is Löfte over bare. Both sides
must end with the same documents (item keys, content hashes, band keys), checked at the end:
the bare side is a baseline of the work, not a shortcut around part of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sqlite3
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lofte.config import get_settings  # noqa: E402
from lofte.ingest import NEAR_DUPLICATE_THRESHOLD, NearDuplicates, store_prepared  # noqa: E402
from lofte.ingest_prepare import PreparedInput, prepare_inputs  # noqa: E402
from lofte.ingest_records import IngestOptions  # noqa: E402
from lofte.pipeline.dedup import band_keys, estimate_jaccard  # noqa: E402
from lofte.sources.read import scan_inputs  # noqa: E402
from lofte.store import trackers as tracker_store  # noqa: E402
from lofte.store.db import open_store  # noqa: E402

RECORD = REPO.parent / "shared" / "data" / "regeringen" / "pressmeddelanden" / "2024"
OPTIONS = IngestOptions(tracker="bench")
_STAMP = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DATETIME in SQLite

_INSERT_DOCUMENT = (
    "INSERT INTO documents (tracker_id, source_id, kind, origin, item_key, title, body, url,"
    " category, date_value, date_precision, date_provenance, date_confidence, language,"
    " truncated, content_hash, raw_sha256, duplicate_of, structure, party, minhash,"
    " archive_id, stage, stage_version, created_at, modified_at)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def _signature(stored: bytes) -> array[int]:
    signature = array("I")
    signature.frombytes(stored)
    return signature


def _lofte(db: str, prepared: Sequence[PreparedInput]) -> float:
    store = open_store(f"sqlite:///{db}", create=True)
    settings, near = get_settings(), NearDuplicates()
    start = time.process_time()
    for item in prepared:
        store_prepared(store, item, OPTIONS, settings=settings, near=near)
    spent = time.process_time() - start
    store.dispose()
    return spent


def _bare(db: str, prepared: Sequence[PreparedInput]) -> float:
    store = open_store(f"sqlite:///{db}", create=True)  # the same schema, migrated
    with store.session() as session:
        tracker = tracker_store.ensure_tracker(session, "bench").id
    store.dispose()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    cur = conn.cursor()
    start = time.process_time()
    for item in prepared:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).strftime(_STAMP)
        cur.execute("BEGIN")
        cur.execute("SELECT id FROM trackers WHERE slug = ?", ("bench",)).fetchone()
        digest = hashlib.sha256(item.data).hexdigest()
        cur.execute(
            "INSERT INTO raw_blobs (sha256, size, media_type, data, created_at, modified_at)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
            (digest, len(item.data), item.media_type, item.data, now, now),
        )
        for ready in item.documents:
            doc, date = ready.doc, ready.doc.date
            cur.execute(
                "SELECT * FROM documents WHERE tracker_id = ? AND origin = ? AND item_key IN (?)",
                (tracker, item.origin, doc.item_key),
            ).fetchall()
            same = cur.execute(
                "SELECT content_hash, tracker_id, id FROM documents WHERE content_hash IN (?)",
                (ready.content_hash,),
            ).fetchall()
            if any(t == tracker for _, t, _ in same):
                continue  # the same text is stored already: a duplicate, not stored again
            keys = band_keys(ready.signature) if ready.signature is not None else []
            original = None
            if keys:
                marks = ",".join("?" * len(keys))
                candidates = cur.execute(
                    "SELECT b.key, d.id, d.duplicate_of, d.minhash FROM document_bands b"
                    " JOIN documents d ON d.id = b.document_id"
                    f" WHERE b.tracker_id = ? AND b.key IN ({marks}) AND d.minhash IS NOT NULL",
                    (tracker, *sorted(keys)),
                ).fetchall()
                roots = [
                    duplicate_of or other
                    for _, other, duplicate_of, stored in {c[1]: c for c in candidates}.values()
                    if estimate_jaccard(ready.signature, _signature(stored))
                    >= NEAR_DUPLICATE_THRESHOLD
                ]
                original = min(roots) if roots else None
            structure = {
                "list_items": [list(span) for span in doc.list_items],
                "noise": [list(span) for span in doc.noise],
                "extra": doc.extra,
                "ingested_at": now,
            }
            cur.execute(
                _INSERT_DOCUMENT,
                (
                    tracker,
                    None,
                    item.kind.value,
                    item.origin,
                    doc.item_key,
                    doc.title,
                    doc.body,
                    doc.url,
                    doc.category,
                    date.value.isoformat() if date else None,
                    date.precision.value if date else None,
                    date.provenance.value if date else None,
                    date.confidence if date else None,
                    doc.language,
                    doc.truncated,
                    ready.content_hash,
                    digest,
                    original,
                    json.dumps(structure),
                    None,
                    ready.signature.tobytes() if ready.signature is not None else None,
                    None,
                    f"parse:{item.reader}",
                    item.reader_version,
                    now,
                    now,
                ),
            )
            doc_id = cur.lastrowid
            cur.executemany(
                "INSERT INTO document_bands (document_id, band, tracker_id, key) VALUES (?,?,?,?)",
                [(doc_id, band, tracker, key) for band, key in enumerate(keys)],
            )
        cur.execute("COMMIT")
    spent = time.process_time() - start
    conn.close()
    return spent


def _stored(db: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        docs = conn.execute(
            "SELECT d.origin, d.item_key, d.content_hash, d.title, length(d.body), d.date_value,"
            " o.origin FROM documents d LEFT JOIN documents o ON o.id = d.duplicate_of"
            " ORDER BY d.origin, d.item_key"
        ).fetchall()
        bands = conn.execute(
            "SELECT d.origin, d.item_key, b.band, b.key FROM document_bands b"
            " JOIN documents d ON d.id = b.document_id ORDER BY 1, 2, 3"
        ).fetchall()
    finally:
        conn.close()
    return [*docs, *bands]


def _best(
    side: Callable[[str, Sequence[PreparedInput]], float],
    prepared: Sequence[PreparedInput],
    repeat: int,
    keep: Path,
) -> float:
    best = None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            spent = side(f"{tmp}/bench.db", prepared)
            (keep / "last.db").write_bytes(Path(f"{tmp}/bench.db").read_bytes())
        best = spent if best is None else min(best, spent)
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folders", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    folders = [str(p) for p in sorted(RECORD.iterdir())[: args.folders]]
    scan = scan_inputs(folders, ())
    prepared = [
        p
        for _, p in prepare_inputs(scan.found, OPTIONS, get_settings(), workers=0)
        if isinstance(p, PreparedInput)
    ]
    docs = sum(len(p.documents) for p in prepared)
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        lofte = _best(_lofte, prepared, args.repeat, Path(a))
        bare = _best(_bare, prepared, args.repeat, Path(b))
        same = _stored(f"{a}/last.db") == _stored(f"{b}/last.db")
    print(
        f"{len(prepared)} inputs, {docs} documents ({args.folders} month folders), "
        f"best of {args.repeat}, process time"
    )
    print(f"Löfte store step  {1000 * lofte / docs:6.2f} ms/document")
    print(f"bare sqlite3      {1000 * bare / docs:6.2f} ms/document")
    print(f"ratio (Löfte / bare): {lofte / bare:.1f}x; same documents and keys stored: {same}")
    if not same:
        raise SystemExit("the two sides stored different documents")


if __name__ == "__main__":
    main()
