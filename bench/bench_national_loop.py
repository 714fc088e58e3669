"""The full loop at national scale (issue 13, item 5): the government's record
(../shared/data/regeringen, 9,020 documents) and the four 2022 manifestos of
../shared/data/manifestos-2022, with wall time and peak memory per stage, and the public pages'
latency at that size against /healthz in the same run.

    .venv/bin/python bench/bench_national_loop.py [--db PATH] [--stages ingest,programs,link,pages]
        [--limit N] [--src PATH | --rev REV] [--clients 8] [--requests 10] [--dense on|off]

Stages, each but `pages` in its own fresh subprocess (same interpreter and dependencies, the
package from `--src`, default this checkout's `src/`), which reports its seconds and its peak
memory: max RSS of the process itself and, separately, of its largest waited-for child (ingest
reads and parses in worker processes):

1. init: a fresh SQLite store (in a temporary folder, or `--db PATH` to keep it) and the tracker
   `sverige-2022` (S, M, MP, V; term 2022-10-18 to 2026-09-13; jurisdiction Sverige). Skipped
   when the store at `--db` has the tracker already.
2. ingest: the four folders of the record, each with its regeringen.se address as `url_base`
   (the kind comes from the path: bills are decisions, the rest news). Skipped when the tracker
   holds documents other than programs already.
3. programs: the four manifestos as programs of their party (dated 2022-08), then extract. The
   ingest is skipped when the tracker has programs already; extract never is (it is incremental).
4. link: all documents against all pledges (incremental: on a reused store only what is new).
   Lexical only unless `--dense on` (issue 16's stage; bench_dense_link.py times it).
5. pages: the store served by uvicorn on 127.0.0.1 in a child process (the tracker published
   first), timed from `--clients` threads: /healthz, the meter, the pledge page with the most
   evidence suggestions, and search for a common and a rare word (FTS5). p50/p95 and the p50
   ratio to /healthz; the server's peak RSS.

`--limit N` takes only the first N files of each folder of the record (a tree of symlinks in a
temporary folder keeps the paths' dates, kinds and URLs): for trying the script out. `--rev
REV` times an earlier revision of this repository (its `src/` taken with `git archive`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_web import hammer, pct, start_server  # beside this script
from timing import baseline_src  # bench/timing.py, beside this script

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
RECORD = DATA / "regeringen"
FOLDERS = ("pressmeddelanden", "rattsliga-dokument", "tal", "debattartiklar")
SITE = "https://www.regeringen.se/"
MANIFESTOS = {
    "S": "socialdemokraterna-valmanifest-2022.pdf",
    "M": "moderaterna-valmanifest-2022.pdf",
    "MP": "miljopartiet-valmanifest-2022.pdf",
    "V": "vansterpartiet-valplattform-2022.pdf",
}
SLUG = "sverige-2022"
STAGES = ("ingest", "programs", "link", "pages")

# One driver for every stage: argv is the stage, the database path and a JSON argument. It
# prints progress on stderr and, last, one JSON line on stdout.
_DRIVER = r"""
import datetime as dt, json, resource, sys, time

stage, db, slug, arg = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
from sqlalchemy import text
from lofte.store.db import open_store

def say(message):
    print(message, file=sys.stderr, flush=True)

def count(store, where=""):
    with store.session() as s:
        return s.execute(text(
            "SELECT count(*) FROM documents d JOIN trackers t ON t.id = d.tracker_id "
            "WHERE t.slug = :slug " + where), {"slug": slug}).scalar_one()

out = {}
start = time.perf_counter()
if stage == "init":
    store = open_store(f"sqlite:///{db}", create=True)
    from lofte.store import trackers
    with store.session() as s:
        if slug in {t.slug for t in trackers.list_trackers(s)}:
            out["skipped"] = True
        else:
            trackers.add_tracker(
                s, slug, "Sveriges regering 2022-2026 (bench)", jurisdiction="Sverige",
                actors=["S", "M", "MP", "V"], term_start=dt.date(2022, 10, 18),
                term_end=dt.date(2026, 9, 13))
elif stage == "ingest":
    from lofte.ingest import ingest, IngestOptions
    store = open_store(f"sqlite:///{db}")
    if count(store, "AND d.kind != 'program'"):
        out["skipped"] = True
    else:
        docs, failed = 0, []
        for folder, url_base in arg:
            t0 = time.perf_counter()
            report = ingest(store, [folder], IngestOptions(tracker=slug, url_base=url_base))
            failed += [f"{i.origin}: {i.error}" for i in report.inputs if i.error]
            n = sum(len(i.document_ids) for i in report.inputs)
            docs += n
            say(f"  ingest {folder}: {len(report.inputs)} files, {n} documents, "
                f"{time.perf_counter() - t0:.1f} s")
        out.update(items=docs, failed=len(failed), failures=failed[:5])
elif stage == "programs":
    from lofte.ingest import ingest, IngestOptions
    from lofte.extraction import extract
    from lofte.language.dates import parse_user_date
    from lofte.model import SourceKind
    store = open_store(f"sqlite:///{db}")
    failed = []
    if count(store, "AND d.kind = 'program'"):
        out["ingest_skipped"] = True
    else:
        for party, path in arg:
            options = IngestOptions(tracker=slug, kind=SourceKind.PROGRAM, party=party,
                                    date=parse_user_date("2022-08"))
            report = ingest(store, [path], options)
            failed += [f"{i.origin}: {i.error}" for i in report.inputs if i.error]
    out["ingest_seconds"] = time.perf_counter() - start
    t0 = time.perf_counter()

    def done(r):
        say(f"  extract {r.title[:50]!r}: {r.inserted} new, {r.removed} removed"
            + (" (unchanged)" if r.unchanged else "") + (f" ERROR {r.error}" if r.error else ""))
        if r.error:
            failed.append(f"extract {r.document_id}: {r.error}")

    reports = extract(store, slug, on_document=done)
    out["extract_seconds"] = time.perf_counter() - t0
    with store.session() as s:
        out["pledges"] = s.execute(text(
            "SELECT count(*) FROM pledges p JOIN trackers t ON t.id = p.tracker_id "
            "WHERE t.slug = :slug"), {"slug": slug}).scalar_one()
    out.update(items=len(reports), failed=len(failed), failures=failed[:5])
elif stage == "link":
    from lofte.linking import link
    store = open_store(f"sqlite:///{db}")
    t0 = time.perf_counter()

    def progress(done, total):
        took = time.perf_counter() - t0
        out.setdefault("first_batch_seconds", took)  # the index of all documents comes first
        say(f"  link {done}/{total} documents, {took:.0f} s, {done / max(took, 1e-9):.1f} docs/s")

    import inspect  # revisions before issue 16 have no dense stage
    kw = ({"full": arg["full"], "dense": arg["dense"]}
          if "dense" in inspect.signature(link).parameters else {})
    [report] = link(store, slug, on_progress=progress, **kw)
    out.update(items=report.documents_scored, pledges=report.pledges,
               rescored=report.pledges_rescored, suggestions=report.suggestions,
               texts_encoded=getattr(report, "texts_encoded", 0),
               encoding_seconds=getattr(report, "encoding_seconds", 0.0), failed=len(report.errors),
               failures=report.errors[:5])
elif stage == "prepare-pages":
    from lofte.review.trackers import publish_tracker
    store = open_store(f"sqlite:///{db}")
    with store.session() as s:
        published = s.execute(text("SELECT published_at FROM trackers WHERE slug = :slug"),
                              {"slug": slug}).scalar_one()
    if published is None:
        publish_tracker(store, slug, actor="bench")
    with store.session() as s:  # nobody reviewed the candidates: show them, as a newsroom might
        s.execute(text("UPDATE trackers SET show_candidates = true WHERE slug = :slug"),
                  {"slug": slug})
    with store.session() as s:
        row = s.execute(text(
            "SELECT p.id, count(e.id) AS n FROM pledges p JOIN trackers t ON t.id = p.tracker_id "
            "LEFT JOIN evidence e ON e.pledge_id = p.id WHERE t.slug = :slug "
            "AND p.state != 'rejected' GROUP BY p.id ORDER BY n DESC, p.id LIMIT 1"),
            {"slug": slug}).first()
        out["pledge"], out["evidence"] = (row[0], row[1]) if row else (None, 0)
        out["documents"] = count(store)
        for word in arg:
            from lofte.store.search import search_documents
            found = search_documents(s, word, tracker_id=None)
            out[f"hits:{word}"] = getattr(found, "total", None)
out["seconds"] = time.perf_counter() - start
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(out))
"""

_SERVER = r"""
import sys
import uvicorn
from lofte.config import Settings
from lofte.store.db import open_store
from lofte.web.app import create_app

store = open_store(f"sqlite:///{sys.argv[1]}")
app = create_app(store, Settings(secret_key="bench-secret-key-0123456789", _env_file=None))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def child_env(src: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/")}


def run_stage(src: Path, stage: str, db: Path, arg: object) -> dict[str, Any]:
    """One stage in a fresh interpreter; its progress goes straight to our stderr."""
    out = subprocess.run(
        [sys.executable, "-c", _DRIVER, stage, str(db), SLUG, json.dumps(arg)],
        env=child_env(src),
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"stage {stage} failed (exit {out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def record_folders(limit: int, into: Path) -> list[tuple[str, str]]:
    """(folder, url_base) per folder of the record; with `limit`, a symlinked slice of it."""
    pairs = []
    for name in FOLDERS:
        folder = RECORD / name
        if limit:
            files = sorted(p for p in folder.rglob("*.md") if p.is_file())[:limit]
            for f in files:
                link = into / name / f.relative_to(folder)
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(f)
            folder = into / name
        pairs.append((str(folder), f"{SITE}{name}/"))
    return pairs


def vm_hwm_mb(pid: int) -> float | None:
    """A live process's peak RSS (VmHWM), from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def pages(src: Path, db: Path, args: argparse.Namespace) -> None:
    info = run_stage(src, "prepare-pages", db, [args.common, args.rare])
    proc, base = start_server(lambda port: ["-c", _SERVER, str(db), str(port)], env=child_env(src))
    try:
        targets = [
            ("/healthz", "/healthz"),
            ("meter", f"/trackers/{SLUG}"),
            (f"pledge ({info['evidence']} suggestions)", f"/pledges/{info['pledge']}"),
            (
                f"search common ({info.get('hits:' + args.common)} hits)",
                f"/search?q={args.common}&tracker={SLUG}",
            ),
            (
                f"search rare ({info.get('hits:' + args.rare)} hits)",
                f"/search?q={args.rare}&tracker={SLUG}",
            ),
            ("/healthz (again)", "/healthz"),
        ]
        rows = []
        for label, url in targets:
            hammer(base, url, 2, 1)  # warm up
            latencies, wall = hammer(base, url, args.clients, args.requests)
            rows.append((label, url, latencies, wall))
        server_mb = vm_hwm_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    baseline = statistics.median(rows[0][2])
    print(
        f"\npages: {info['documents']} documents, {args.clients} concurrent clients x "
        f"{args.requests} requests, one uvicorn worker on 127.0.0.1; server peak RSS "
        f"{server_mb or 0:.0f} MB"
    )
    print(f"{'page':<32} {'p50 ms':>9} {'p95 ms':>9} {'req/s':>8} {'p50 / healthz':>14}  url")
    for label, url, latencies, wall in rows:
        p50, p95 = statistics.median(latencies), pct(latencies, 0.95)
        print(
            f"{label:<32} {p50 * 1000:>9.1f} {p95 * 1000:>9.1f} {len(latencies) / wall:>8.1f} "
            f"{p50 / baseline:>14.1f}  {url}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="keep (or reuse) the store here")
    parser.add_argument("--stages", default=",".join(STAGES))
    parser.add_argument("--limit", type=int, default=0, help="files per folder of the record")
    parser.add_argument("--src", type=Path, help="the package's src/ (default: this checkout)")
    parser.add_argument("--rev", help="time this revision's src/ (git archive)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=10, help="per client and page")
    parser.add_argument("--common", default="regeringen", help="a word in half the record")
    parser.add_argument("--rare", default="Haparanda", help="a word in a handful of documents")
    parser.add_argument("--dense", choices=("on", "off"), default="off", help="link stage")
    args = parser.parse_args()
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages: {', '.join(sorted(unknown))}")

    tmp = tempfile.TemporaryDirectory()
    work = Path(tmp.name)
    src = args.src or (baseline_src(REPO, args.rev, work / "rev") if args.rev else REPO / "src")
    db = args.db.resolve() if args.db else work / "national.db"
    print(f"package: {src}; store: {db}; stages: {', '.join(stages)}", flush=True)

    rows: list[tuple[str, dict[str, Any], str]] = []
    init = run_stage(src, "init", db, None)
    rows.append(("init", init, "skipped (tracker exists)" if init.get("skipped") else ""))
    total = time.perf_counter()
    for stage in stages:
        if stage == "pages":
            continue
        arg: object = None
        if stage == "ingest":
            arg = record_folders(args.limit, work / "record")
        elif stage == "programs":
            arg = [(party, str(DATA / "manifestos-2022" / f)) for party, f in MANIFESTOS.items()]
        elif stage == "link":
            arg = {"dense": args.dense == "on", "full": False}
        print(f"{stage} ...", file=sys.stderr, flush=True)
        out = run_stage(src, stage, db, arg)
        if stage == "ingest":
            note = (
                "skipped (documents exist)"
                if out.get("skipped")
                else f"{out['items']} documents, {out['items'] / out['seconds']:.1f} docs/s"
            )
        elif stage == "programs":
            note = (
                f"{out['items']} programs, {out['pledges']} pledges; ingest "
                f"{out['ingest_seconds']:.1f} s"
                + (" (skipped)" if out.get("ingest_skipped") else "")
                + f", extract {out['extract_seconds']:.1f} s"
            )
        else:
            rate = out["items"] / out["seconds"] if out["items"] else 0.0
            note = (
                f"{out['items']} documents x {out['pledges']} pledges, {rate:.1f} docs/s, "
                f"{out['suggestions']} suggestions"
            )
            if "first_batch_seconds" in out:
                note += f"; first batch (of up to 500) scored at {out['first_batch_seconds']:.0f} s"
        if out.get("failed"):
            note += f"; {out['failed']} FAILED: {out['failures']}"
        rows.append((stage, out, note))
    loop = time.perf_counter() - total

    print(f"\n{'stage':<10} {'seconds':>9} {'peak MB':>9} {'children MB':>12}  notes")
    for stage, out, note in rows:
        print(
            f"{stage:<10} {out['seconds']:>9.1f} {out['peak_mb']:>9.0f} "
            f"{out['children_mb']:>12.0f}  {note}"
        )
    print(f"{'stages 2-4':<10} {loop:>9.1f}  (wall, with each subprocess's start-up)")
    if "pages" in stages:
        pages(src, db, args)
    tmp.cleanup()


if __name__ == "__main__":
    main()
