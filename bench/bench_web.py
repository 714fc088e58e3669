"""Latency of the public pages under 16 concurrent clients, on a large SQLite tracker.

    .venv/bin/python bench/bench_web.py [--docs 100000] [--pledges 1000] [--clients 16]
                                        [--requests 20] [--db PATH] [--workers N]
                                        [--pages-only] [--database-url URL]

Builds (once, deterministically; an existing `--db` file that holds them is reused) a SQLite file with `--docs` documents of synthetic
Swedish-like news text and `--pledges` pledges in 20 program documents, with evidence on a third
of the pledges and verdict histories spread over the term. Serves it with uvicorn on 127.0.0.1
in a child process (`--workers` uvicorn worker processes, as `lofte serve --workers N` runs
them) and times, from `--clients` threads each with its own connection:

- the baseline: `/healthz` (one tiny query) and a static file, from the same server;
- the meter (`/trackers/bench`), a pledge page, the JSON API's document and pledge lists,
  and two searches: two common words (each in about a tenth of the documents: the worst
  case) and a rare word (in about two documents);
- the search again after `store.search.install_fts` built the SQLite FTS5 index (without it,
  search scans every document with LIKE). `--pages-only` leaves the searches out.

`--database-url postgresql://…` runs all of it on PostgreSQL instead (the same rows; search
then uses the `search_vector` columns of migration 0010, and the rows labelled LIKE and FTS5
are two runs of the same PostgreSQL search).

Prints p50 and p95 latency per page and the p50 ratio to the /healthz baseline, and the
server's CPU time per request (its processes' user + system time over the run, from /proc:
steadier than latency on a machine busy with other work) with its ratio to /healthz's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert, text

from lofte.store.db import normalize_url, open_store, shown_url
from lofte.store.schema import (
    DocumentRow,
    EvidenceRow,
    PledgeRow,
    RawBlobRow,
    TrackerRow,
    VerdictRow,
)

SEED = 20260601
AREAS = ["Skola", "Förskola", "Äldreomsorg", "Bostäder", "Trafik", "Miljö och klimat", "Kultur",
         "Idrott och fritid", "Trygghet", "Ekonomi"]
NOUNS = ["simhall", "förskola", "cykelbana", "bibliotek", "fritidsgård", "äldreboende", "busslinje",
         "park", "skolgård", "vårdcentral", "bostadsområde", "idrottshall", "torg", "bro", "kulturhus",
         "badplats", "pendelparkering", "lekplats", "gymnasieskola", "hyresrätt", "laddstolpe",
         "gångväg", "kollektivtrafik", "fjärrvärme", "solcellspark", "återvinningscentral"]
PLACES = ["Norrvik", "Ekbacken", "Sjövik", "Lundby", "Östra hamnen", "Björkdalen", "Tallåsen",
          "Kvarnbyn", "Södra stranden", "Ängsvik"]
VERBS = ["bygger", "renoverar", "utreder", "beslutar om", "skjuter upp", "inviger", "satsar på",
         "lägger ned", "föreslår", "rustar upp", "planerar", "stoppar"]
ADJS = ["ny", "större", "modern", "tillgänglig", "trygg", "grön", "billigare", "utbyggd"]
WHO = ["Kommunstyrelsen", "Fullmäktige", "Tekniska nämnden", "Utbildningsnämnden", "Kommunalrådet",
       "Oppositionen", "Förvaltningen", "Socialnämnden"]
FILLER = ["Beslutet fattades efter en lång debatt.", "Kostnaden beräknas till {n} miljoner kronor.",
          "Arbetet väntas vara klart {y}.", "Medborgare har lämnat synpunkter under samrådet.",
          "Frågan återkommer i budgeten för {y}.", "Enligt förvaltningen finns det brister i underlaget.",
          "Flera remissinstanser är kritiska.", "Projektet finansieras delvis med statliga bidrag."]
STATUSES = ["kept", "partially_kept", "broken", "in_the_works", "stalled", "not_checkable"]


def sentence(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return rng.choice(FILLER).format(n=rng.randint(2, 400), y=rng.randint(2023, 2027))
    return (f"{rng.choice(WHO)} {rng.choice(VERBS)} en {rng.choice(ADJS)} {rng.choice(NOUNS)} "
            f"i {rng.choice(PLACES)}.")


def db_url(target: str | Path) -> str:
    """`--database-url` as given (PostgreSQL), or the SQLite file `--db` as a URL."""
    return str(target) if "://" in str(target) else f"sqlite:///{target}"


def build(path: str | Path, docs: int, pledges: int) -> None:
    """A SQLite file at `path` with the bench tracker (replaced if present); or, given a
    PostgreSQL URL, that database's public schema emptied and filled the same way."""
    if "://" in str(path):
        engine = create_engine(normalize_url(str(path)))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    for suffix in ("", "-wal", "-shm") if "://" not in str(path) else ():
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = open_store(db_url(path), create=True)
    rng = random.Random(SEED)
    now = dt.datetime(2026, 6, 1)
    start = dt.date(2022, 10, 15)
    with store.engine.begin() as conn:
        tracker_id = conn.execute(insert(TrackerRow).values(
            slug="bench", name="Bänkmätaren 2022–2026", jurisdiction="Sjöviks kommun", actors=["A", "B"],
            term_start=start, term_end=dt.date(2026, 10, 14), published_at=now, created_at=now, modified_at=now,
        )).inserted_primary_key[0]
        blobs = max(1, docs // 1000)
        conn.execute(insert(RawBlobRow), [
            {"sha256": hashlib.sha256(f"blob{i}".encode()).hexdigest(), "size": 1, "media_type": "text/html",
             "data": b"-", "created_at": now, "modified_at": now} for i in range(blobs + 20)
        ])
        # 20 program documents, each holding its share of the pledges as paragraphs
        per_program = -(-pledges // 20)
        pledge_rows = []
        program_ids = []
        made = 0
        for p in range(20):
            parts, spans = [], []
            offset = 0
            for _ in range(min(per_program, pledges - made)):
                head = sentence(rng) + " "
                promise = (f"Vi ska {rng.choice(['bygga', 'rusta upp', 'öppna', 'utöka'])} en "
                           f"{rng.choice(ADJS)} {rng.choice(NOUNS)} i {rng.choice(PLACES)} "
                           f"senast {rng.randint(2023, 2026)}.")
                spans.append((offset + len(head), offset + len(head) + len(promise), promise))
                para = head + promise + " " + sentence(rng)
                parts.append(para)
                offset += len(para) + 2
                made += 1
            body = "\n\n".join(parts)
            doc_id = conn.execute(insert(DocumentRow).values(
                tracker_id=tracker_id, kind="program", origin=f"bench/program-{p}.pdf", item_key="0",
                title=f"Valprogram del {p + 1}", body=body, content_hash=f"program{p}",
                raw_sha256=hashlib.sha256(f"blob{blobs + p}".encode()).hexdigest(),
                date_value=dt.date(2022, 8, 1), date_precision="day", date_provenance="explicit",
                stage="parse:bench", stage_version="1", structure={}, created_at=now, modified_at=now,
            )).inserted_primary_key[0]
            program_ids.append(doc_id)
            for a, b, quote in spans:
                state = "rejected" if rng.random() < 0.03 else ("candidate" if rng.random() < 0.2 else "confirmed")
                pledge_rows.append({
                    "tracker_id": tracker_id, "document_id": doc_id, "start": a, "end": b, "quote": quote,
                    "area": rng.choice(AREAS), "attributes": {"type": "action"}, "confidence": 0.8,
                    "state": state, "version": 1, "stage": "extract", "stage_version": "bench",
                    "created_at": now, "modified_at": now,
                })
        conn.execute(insert(PledgeRow), pledge_rows)
        # the news: `docs` documents, inserted in batches
        batch = []
        for i in range(docs):
            body = " ".join(sentence(rng) for _ in range(rng.randint(6, 14)))
            body += f" Diarienummer {rng.randint(1, 50_000)}."  # a rare word for a selective search
            day = start + dt.timedelta(days=rng.randint(0, 1400))
            batch.append({
                "tracker_id": tracker_id, "kind": "news", "origin": f"bench/listing-{i // 1000}.html",
                "item_key": str(i), "title": sentence(rng)[:-1], "body": body, "content_hash": f"n{i}",
                "raw_sha256": hashlib.sha256(f"blob{i // 1000}".encode()).hexdigest(),
                "date_value": day, "date_precision": "day", "date_provenance": "explicit",
                "stage": "parse:bench", "stage_version": "1", "structure": {}, "truncated": False,
                "created_at": now, "modified_at": now,
            })
            if len(batch) == 5000:
                conn.execute(insert(DocumentRow), batch)
                batch = []
        if batch:
            conn.execute(insert(DocumentRow), batch)
        pledge_ids = [r[0] for r in conn.execute(text("SELECT id FROM pledges ORDER BY id"))]
        first_news = conn.execute(text("SELECT min(id) FROM documents WHERE kind = 'news'")).scalar_one()
        evidence, verdicts = [], []
        for pledge_id in pledge_ids:
            accepted = []
            if rng.random() < 0.33:
                for doc in rng.sample(range(first_news, first_news + docs), 3):
                    state = rng.choice(["suggested", "accepted", "rejected"])
                    evidence.append({
                        "pledge_id": pledge_id, "document_id": doc, "start": 0, "end": 60,
                        "score": round(rng.random(), 3), "stance": "supports", "review_state": state,
                        "features": {"matched_terms": [["simhall", "simhallen"]], "passage": [0, 60]},
                        "stage": "link", "stage_version": "bench", "created_at": now, "modified_at": now,
                    })
            if rng.random() < 0.4:
                moment = dt.datetime.combine(start, dt.time(9)) + dt.timedelta(days=rng.randint(30, 600))
                for _ in range(rng.randint(1, 3)):
                    verdicts.append({"pledge_id": pledge_id, "status": rng.choice(STATUSES),
                                     "rationale": sentence(rng), "evidence_ids": accepted, "published": True,
                                     "created_at": moment, "modified_at": moment})
                    moment += dt.timedelta(days=rng.randint(20, 300))
        conn.execute(insert(EvidenceRow), evidence)
        conn.execute(insert(VerdictRow), verdicts)
    store.dispose()


def built(path: str | Path, docs: int, pledges: int) -> bool:
    """Whether `path` already holds the bench tracker with these numbers (then it is reused)."""
    if "://" not in str(path) and not Path(path).exists():
        return False
    try:
        store = open_store(db_url(path))
    except Exception:  # noqa: BLE001 - an older schema or a broken file: build it again
        return False
    try:
        with store.engine.connect() as conn:
            n_docs = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
            n_pledges = conn.execute(text("SELECT count(*) FROM pledges")).scalar_one()
            published = conn.execute(text("SELECT count(*) FROM trackers WHERE published_at IS NOT NULL")).scalar_one()
    finally:
        store.dispose()
    return bool(n_docs == docs + 20 and n_pledges == pledges and published == 1)


def serve(path: str, port: int, workers: int) -> None:
    """Child process: serve the bench database (access log off)."""
    import uvicorn

    from lofte.config import Settings
    from lofte.web.app import create_app

    if workers > 1:  # as `lofte serve --workers N`: each worker builds its app from the environment
        from lofte.web.server import run_server

        # long enough for the setting's check (16 characters at least): "bench" was refused
        os.environ["LOFTE_SECRET_KEY"] = "bench-secret-key-0123456789"
        run_server(open_store(db_url(path)), "127.0.0.1", port, workers=workers, log_level="warning")
        return
    store = open_store(db_url(path))
    app = create_app(store, Settings(secret_key="bench-secret-key-0123456789", _env_file=None))  # type: ignore[call-arg]
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    argv: Callable[[int], list[str]], *, env: dict[str, str] | None = None, timeout: float = 120
) -> tuple[subprocess.Popen[bytes], str]:
    """A server child (`python *argv(port)` on a free port of 127.0.0.1) and its base URL, once
    `/healthz` answers 200; the benches' one way of starting the server under test."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, *argv(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                SERVERS[base] = proc.pid
                return proc, base
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("the server did not start")
        time.sleep(0.2)


def hammer(base: str, path: str, clients: int, per_client: int) -> tuple[list[float], float]:
    """Latencies (seconds) of clients × per_client GETs of `path`, and the wall time."""
    latencies: list[float] = []
    lock = threading.Lock()
    failures: list[str] = []

    def run() -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            for _ in range(per_client):
                t0 = time.perf_counter()
                response = client.get(path)
                took = time.perf_counter() - t0
                if response.status_code != 200:
                    failures.append(f"{path}: {response.status_code}")
                with lock:
                    latencies.append(took)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if failures:
        raise SystemExit(f"requests failed: {failures[:3]}")
    return latencies, wall


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process `pid` and its descendants (Linux
    /proc; 0 elsewhere): the server's own cost, whatever else the machine is doing."""
    total, todo = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


CPU: dict[str, float] = {}  # label → server CPU ms per request
SERVERS: dict[str, int] = {}  # base URL → server pid


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--pledges", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=20, help="requests per client per page")
    parser.add_argument("--db", type=Path, help="keep the database here (default: a temporary folder)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--pages-only", action="store_true", help="leave the searches out")
    parser.add_argument("--database-url", help="a PostgreSQL database to run on instead (its public schema is "
                        "emptied and rebuilt unless it holds the bench tracker already)")
    parser.add_argument("--serve", nargs=3, metavar=("DB", "PORT", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), int(args.serve[2]))
        return

    folder = tempfile.TemporaryDirectory()
    path: str | Path = args.database_url or args.db or Path(folder.name) / "bench-web.db"
    shown = shown_url(str(path)) if args.database_url else str(path)
    t0 = time.perf_counter()
    if built(path, args.docs, args.pledges):
        size = "" if args.database_url else f" ({os.path.getsize(path) / 2**20:.0f} MiB)"
        print(f"reusing {shown}{size}")
    else:
        build(path, args.docs, args.pledges)
        size = "" if args.database_url else f" ({os.path.getsize(path) / 2**20:.0f} MiB)"
        print(f"built {args.docs} documents and {args.pledges} pledges in {time.perf_counter() - t0:.1f} s "
              f"in {shown}{size}")
    pledge_id = 1 + args.pledges // 2

    def run_server() -> tuple[subprocess.Popen[bytes], str]:
        return start_server(lambda port: [__file__, "--serve", str(path), str(port), str(args.workers)])

    rows: list[tuple[str, list[float], float]] = []

    def measure(proc_base: str, label: str, url: str, per_client: int) -> None:
        hammer(proc_base, url, 2, 2)  # warm up
        before = tree_cpu(SERVERS[proc_base])
        latencies, wall = hammer(proc_base, url, args.clients, per_client)
        CPU[label] = (tree_cpu(SERVERS[proc_base]) - before) * 1000 / len(latencies)
        rows.append((label, latencies, wall))

    proc, base = run_server()
    try:
        measure(base, "baseline /healthz", "/healthz", args.requests)
        measure(base, "baseline static css", "/static/style.css", args.requests)
        measure(base, "meter", "/trackers/bench", args.requests)
        measure(base, "pledge page", f"/pledges/{pledge_id}", args.requests)
        measure(base, "pledge list", "/trackers/bench/pledges", args.requests)
        measure(base, "documents list", "/trackers/bench/documents", args.requests)
        # the JSON API's lists are public pages too (its document list once read every body)
        measure(base, "API documents", "/api/v1/documents?tracker=bench&page=3", args.requests)
        measure(base, "API pledges", "/api/v1/pledges?tracker=bench&page=3", args.requests)
        measure(base, "status chart", "/trackers/bench/charts/status.svg", args.requests)
        measure(base, "index", "/", args.requests)
        if not args.pages_only:
            measure(base, "search (LIKE scan)", "/search?q=simhall+norrvik&tracker=bench", max(1, args.requests // 5))
            measure(base, "search (LIKE, rare)", "/search?q=4711&tracker=bench", max(1, args.requests // 5))
        measure(base, "baseline /healthz (end)", "/healthz", args.requests)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    if args.pages_only:
        report(rows, args)
        folder.cleanup()
        return
    store = open_store(db_url(path))
    t0 = time.perf_counter()
    with store.engine.begin() as conn:
        from lofte.store.search import install_fts

        install_fts(conn)
    store.dispose()
    print(f"built the {'search' if args.database_url else 'FTS5'} index in {time.perf_counter() - t0:.1f} s")
    proc, base = run_server()
    try:
        measure(base, "search (FTS5)", "/search?q=simhall+norrvik&tracker=bench", args.requests)
        measure(base, "search (FTS5, rare)", "/search?q=4711&tracker=bench", args.requests)
        measure(base, "baseline /healthz (2)", "/healthz", args.requests)
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    report(rows, args)
    folder.cleanup()


def report(rows: list[tuple[str, list[float], float]], args: argparse.Namespace) -> None:
    baseline = statistics.median(rows[0][1])
    workers = "one uvicorn worker" if args.workers == 1 else f"{args.workers} uvicorn workers"
    print(f"\n{args.clients} concurrent clients, {args.docs} documents, {args.pledges} pledges, "
          f"{workers} on 127.0.0.1")
    print(f"{'page':<24} {'requests':>8} {'p50 ms':>9} {'p95 ms':>9} {'req/s':>8} {'p50 / baseline':>15}"
          f" {'server CPU ms/req':>18} {'CPU / baseline':>15}")
    cpu_base = CPU.get(rows[0][0]) or float("nan")
    for label, latencies, wall in rows:
        p50, p95 = pct(latencies, 0.5), pct(latencies, 0.95)
        cpu = CPU.get(label, float("nan"))
        print(f"{label:<24} {len(latencies):>8} {p50 * 1000:>9.1f} {p95 * 1000:>9.1f} "
              f"{len(latencies) / wall:>8.1f} {p50 / baseline:>15.1f} {cpu:>18.2f} {cpu / cpu_base:>15.1f}")


if __name__ == "__main__":
    main()
