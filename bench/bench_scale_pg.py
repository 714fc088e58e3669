"""National scale on PostgreSQL: ingest and link a million news items, then the pages' latency.

    .venv/bin/python bench/bench_scale_pg.py [--docs 1000000] [--pledges 1000] [--on-topic 0.07]
                                             [--per-file 5000] [--database-url URL] [--keep]
                                             [--skip-pages] [--workers 2] [--clients 16]
                                             [--requests 20] [--dense] [--folder DIR]

PostgreSQL is started by the bench itself, as `.ci/run` does (`scripts/start-postgres.sh`), and
the run uses its own database `lofte_bench` (owned by the role `lofte`; dropped and created
again at the start, so every run starts empty; never the test suite's `lofte_test`).
`--database-url` uses that database instead (its public schema emptied first); `--keep` wipes
nothing and, when the bench tracker is there already, goes straight to the pages.

Generated, seeded (the same texts every run), fictional: a program of `--pledges` bullets
("Bygga en ny simhall i Norrvik senast 2025 …": a verb, one of 30 facilities, one of 16
places) and `--docs` news items written as JSON import files (docs/import-schema.md) of
`--per-file` items (fewer when that leaves under 20 files; 5,000 keeps one file's ingest well
inside the 300 s time budget of one input on a busy 2-core machine). Most items are about
other things (sport, weather, culture, business, traffic, people); a share `--on-topic` reports
on a facility and place that pledges name, so the linker suggests evidence for a minority of
the documents (about 6 %). Every item carries a diary number for a rare-word search.

Stages, each in its own child process so that its peak memory is its own (the process's
VmHWM; and the largest of its children: ingest's parse workers, the linker's workers, whose
peak counts the pages shared with the parent at the fork), each printing its progress:

1. generate the files; 2. the tracker, its program ingested, pledges extracted (the library's
   `extraction.extract`), confirmed and the tracker published;
3. ingest the first tenth of the files (`ingest.ingest` as `lofte ingest` calls it; at the
   default sizes each call has under 200 files, so they are read in the storing process),
   then 4. link (`linking.link` as `lofte link` calls it, lexical unless `--dense`: the e5
   stage would encode two passages of every document, not timed here); its time is split
   into the background statistics, the index build and the rest (scoring and writing);
5. ingest the other nine tenths, then 6. link again: incremental, it scores only those.

The two links show whether memory is bounded: the second scores nine times the documents in a
store ten times the size, and texts are read 500 at a time, so its peak should stay near the
first's (what still grows with the store: the list of the tracker's document ids, some 36
bytes a document; the link marks are no longer read into memory). The two ingests show the same for ingest
(near-duplicates are looked up through the stored bucket keys of an input's texts since
migration 0014; before it, every stored MinHash was held in memory, about 3 kB a document).

7. The pages, with bench_web.py's server and measuring code (`--workers` uvicorn workers, as
`lofte serve --workers N`, `--clients` concurrent clients): `/healthz` (the baseline) at the
start and the end, the meter, the pledge with the most suggestions, the pledge list, the
documents list, a search for two common words (together in some 30 % of the items) and
one for a rare number (in about two items). p50 and p95 and the p50 ratio to `/healthz`.

A summary table ends the run: documents, seconds, documents/s and peak MB per stage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SLUG = "skala"
SEED = 20261202
START, END = dt.date(2022, 10, 15), dt.date(2026, 10, 14)
# fmt: off
PLACES = ["Norrvik", "Ekbacken", "Sjövik centrum", "Lundby", "Östra hamnen", "Björkdalen",
          "Tallåsen", "Kvarnby", "Södra stranden", "Ängsvik", "Solgården", "Strandhagen",
          "Brunnsberg", "Hagalund", "Västerås gård", "Mossen"]
FACILITIES = [  # (noun, article, area)
    ("simhall", "en", "Idrott och fritid"), ("ishall", "en", "Idrott och fritid"),
    ("idrottshall", "en", "Idrott och fritid"), ("konstgräsplan", "en", "Idrott och fritid"),
    ("fritidsgård", "en", "Idrott och fritid"), ("badplats", "en", "Idrott och fritid"),
    ("bibliotek", "ett", "Kultur"), ("kulturhus", "ett", "Kultur"), ("musikskola", "en", "Kultur"),
    ("förskola", "en", "Förskola och skola"), ("skolgård", "en", "Förskola och skola"),
    ("gymnasieskola", "en", "Förskola och skola"), ("äldreboende", "ett", "Äldreomsorg"),
    ("träffpunkt för äldre", "en", "Äldreomsorg"), ("vårdcentral", "en", "Äldreomsorg"),
    ("busslinje", "en", "Trafik"), ("cykelbana", "en", "Trafik"), ("gångbro", "en", "Trafik"),
    ("pendelparkering", "en", "Trafik"), ("park", "en", "Miljö och klimat"),
    ("solcellspark", "en", "Miljö och klimat"), ("återvinningscentral", "en", "Miljö och klimat"),
    ("laddstation", "en", "Miljö och klimat"), ("lekplats", "en", "Stadsmiljö"),
    ("torg", "ett", "Stadsmiljö"), ("hyreshus", "ett", "Bostäder"),
    ("studentbostad", "en", "Bostäder"), ("polisstation", "en", "Trygghet"),
    ("räddningsstation", "en", "Trygghet"), ("kvinnojour", "en", "Trygghet")]
ADJS = [("ny", "nytt"), ("modern", "modernt"), ("tillgänglig", "tillgängligt"), ("trygg", "tryggt"),
        ("större", "större"), ("klimatsmart", "klimatsmart")]
PLEDGE_VERBS = ["Bygga", "Rusta upp", "Öppna", "Bygga ut", "Renovera", "Planera för", "Satsa på"]
NEWS_VERBS = ["bygger", "rustar upp", "öppnar", "bygger ut", "renoverar", "skjuter upp", "inviger",
              "utreder", "stoppar", "beslutar om"]
WHO = ["Kommunstyrelsen", "Fullmäktige", "Tekniska nämnden", "Utbildningsnämnden",
       "Kommunalrådet", "Oppositionen", "Förvaltningen", "Socialnämnden",
       "Kultur- och fritidsnämnden"]
MUNICIPAL = ["Beslutet fattades efter en lång debatt.",
             "Kostnaden beräknas till {n} miljoner kronor.",
             "Arbetet väntas vara klart {y}.", "Medborgare har lämnat synpunkter under samrådet.",
             "Frågan återkommer i budgeten för {y}.", "Flera remissinstanser är kritiska.",
             "Enligt förvaltningen finns det brister i underlaget.",
             "Projektet finansieras delvis med statliga bidrag."]
TEAMS = ["Sjöviks IF", "IK Tallåsen", "Lundby BK", "Hagalunds HC", "FC Ängsvik", "Mossens SK"]
OFF_TOPIC = {  # most news is about other things than pledges
    "sport": ["{team} vann matchen mot {team2} med {a}–{b} inför en publik på {n} personer.",
              "{team} förlorade hemmamatchen mot {team2} efter ett sent mål.",
              "Tränaren i {team} är nöjd med höstens matcher och den stora publiken.",
              "Inför helgens match saknar {team} två av sina bästa spelare."],
    "weather": ["Meteorologerna varnar för {weather} i länet under {day}en.",
                "Temperaturen väntas sjunka till {a} minusgrader natten mot {day}.",
                "Förra månaden var den blötaste sedan mätningarna började.",
                "Isen på sjöarna är ännu inte säker att gå på, varnar räddningstjänsten."],
    "culture": ["{artist} spelar på Folkets park på {day}kvällen.",
                "Utställningen på konsthallen har lockat {n} besökare sedan premiären.",
                "Teatergruppen sätter upp en ny pjäs om livet vid sjön.",
                "Biljetterna till sommarens festival tog slut på några timmar."],
    "business": ["{company} ökade sin omsättning med {a} procent under det senaste kvartalet.",
                 "{company} varslar {n} anställda om uppsägning.",
                 "Den nya restaurangen vid hamnen har haft kö sedan öppningen.",
                 "Bostadspriserna i länet har stigit med {a} procent på ett år."],
    "traffic": ["En personbil körde av vägen vid riksväg {a} på {day}morgonen.",
                "Polisen utreder ett inbrott i en villa natten mot {day}.",
                "Trafiken på motorvägen stod still i {n} minuter efter en olycka.",
                "Ingen person skadades allvarligt, enligt räddningstjänsten."],
    "people": ["{person} fyller {age} år och firar med familj och vänner.",
               "Loppisen i församlingshemmet samlade in {n} kronor till välgörenhet.",
               "Hon har sjungit i kyrkokören i över {a} år.",
               "Hembygdsföreningen söker fler frivilliga till sommarens caféverksamhet."]}
SLOTS = {"weather": ["snöoväder", "kraftiga vindar", "skyfall", "halka", "åska"],
         "day": ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"],
         "artist": ["Lisa Ek", "Bandet Norrsken", "Jonas Berg", "Kören Vox", "Sara Lind"],
         "company": ["Sjövik Trä AB", "Lundby Mekaniska", "Hamnbolaget", "Ekbacken Bygg",
                     "Mejeriet"],
         "person": ["Karin Holm", "Erik Sjö", "Anna Strand", "Per Lund", "Maja Berg"]}
# fmt: on
COMMON_QUERY = "match publik"  # together in some 30 % of the items (sport news)


# --- generation --------------------------------------------------------------------------------


def make_pledges(n: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(bullet text, facility noun, place, area) of `n` distinct pledges."""
    combos = [
        (v, f, p)
        for v in range(len(PLEDGE_VERBS))
        for f in range(len(FACILITIES))
        for p in range(len(PLACES))
    ]
    rng.shuffle(combos)
    out = []
    for v, f, p in combos[:n]:
        noun, art, area = FACILITIES[f]
        adj = rng.choice(ADJS)[art == "ett"]
        text = (
            f"{PLEDGE_VERBS[v]} {art} {adj} {noun} i {PLACES[p]} senast {rng.randint(2024, 2026)}, "
            f"så att fler sjövikare får nära till {rng.choice(['vardagen', 'service', 'fritid'])}."
        )
        out.append((text, noun, PLACES[p], area))
    return out


def program_text(pledges: list[tuple[str, str, str, str]]) -> str:
    parts = ["Ett Sjövik för alla\n\nValprogram 2022–2026 · Gemenskapspartiet\n"]
    for area in sorted({p[3] for p in pledges}):
        parts.append(
            f"{area}\n\nVi vill att hela Sjövik ska växa tillsammans. Därför kommer vi att:\n"
        )
        parts += [f"● {p[0]}\n" for p in pledges if p[3] == area]
    return "\n".join(parts)


# Every word of the templates and slots (no facility, no place): swapped into the sentences below
# so that no two items share long runs of words. Templated text would put thousands of items in
# the same near-duplicate (MinHash) buckets, which real news, boilerplate aside, does not.
VOCABULARY = sorted(
    {
        w
        for text in [*sum(OFF_TOPIC.values(), []), *MUNICIPAL, *TEAMS, *sum(SLOTS.values(), [])]
        for w in re.findall(r"[^\W\d_]{3,}", re.sub(r"\{\w+\}", " ", text))
    }
)
SWAP = 0.3  # share of words swapped


def scramble(sentence: str, rng: random.Random) -> str:
    return (
        " ".join(
            rng.choice(VOCABULARY) if rng.random() < SWAP else w for w in sentence[:-1].split()
        )
        + sentence[-1]
    )


def fill(template: str, rng: random.Random) -> str:
    team, team2 = rng.sample(TEAMS, 2)
    return scramble(template, rng).format(
        team=team,
        team2=team2,
        a=rng.randint(1, 40),
        b=rng.randint(0, 9),
        n=rng.randint(20, 5000),
        age=rng.choice([50, 60, 70, 80, 90, 100]),
        **{k: rng.choice(v) for k, v in SLOTS.items()},
    )


def news_item(
    i: int, docs: int, on_topic: bool, pledges: list[tuple[str, str, str, str]], rng: random.Random
) -> dict[str, str]:
    topics = list(OFF_TOPIC)
    if on_topic:  # a report on one pledge's facility and place, as local news writes it
        _, noun, place, _ = rng.choice(pledges)
        art = next(a for n, a, _ in FACILITIES if n == noun)
        verb = rng.choice(NEWS_VERBS)
        lead = f"{rng.choice(WHO)} {verb} {art} {rng.choice(ADJS)[art == 'ett']} {noun} i {place}."
        body = [lead] + [
            scramble(rng.choice(MUNICIPAL), rng).format(
                n=rng.randint(2, 400), y=rng.randint(2023, 2027)
            )
            for _ in range(rng.randint(2, 5))
        ]
        body += [
            fill(rng.choice(OFF_TOPIC[rng.choice(topics)]), rng) for _ in range(rng.randint(1, 4))
        ]
        title = f"{noun.capitalize()} i {place}: {verb}"
    else:
        topic = rng.choice(topics)
        body = [
            fill(
                rng.choice(
                    OFF_TOPIC[topic] if rng.random() < 0.8 else OFF_TOPIC[rng.choice(topics)]
                ),
                rng,
            )
            for _ in range(rng.randint(6, 12))
        ]
        title = body[0].rstrip(".")
    body.append(f"Diarienummer {rng.randint(1, max(2, docs // 2))}.")  # the rare-word search
    day = dt.date(2022, 6, 1) + dt.timedelta(days=rng.randint(0, 1610))
    return {
        "id": str(i),
        "title": title[:120],
        "body": " ".join(body),
        "date": day.isoformat(),
        "url": f"https://nyheter.example.se/{day.year}/{i}",
    }


def stage_generate(a: dict) -> dict:
    folder = Path(a["folder"])
    rng = random.Random(SEED)
    pledges = make_pledges(a["pledges"], rng)
    (folder / "program.txt").write_text(program_text(pledges), encoding="utf-8")
    news = folder / "news"
    news.mkdir(exist_ok=True)
    files, on_topic, common, t0 = [], 0, 0, time.perf_counter()
    for lo in range(0, a["docs"], a["per_file"]):
        items = []
        for i in range(lo, min(a["docs"], lo + a["per_file"])):
            topical = rng.random() < a["on_topic"]
            item = news_item(i, a["docs"], topical, pledges, rng)
            on_topic += topical
            text = (item["title"] + " " + item["body"]).casefold()
            common += all(w in text for w in COMMON_QUERY.split())
            items.append(item)
        path = news / f"nyheter-{lo // a['per_file']:05d}.json"
        path.write_text(json.dumps({"documents": items}, ensure_ascii=False), encoding="utf-8")
        files.append(str(path))
        if len(files) % 10 == 0:
            say(f"  generated {lo + len(items)} items in {time.perf_counter() - t0:.0f} s")
    return {"documents": a["docs"], "files": files, "on_topic": on_topic, "common": common}


# --- the library's stages ---------------------------------------------------------------------


def say(line: str) -> None:
    print(line, flush=True)


def stage_program(a: dict) -> dict:
    from lofte.extraction import extract
    from lofte.ingest import IngestOptions, ingest
    from lofte.language.dates import parse_user_date
    from lofte.model import SourceKind
    from lofte.review.pledges import confirm
    from lofte.review.trackers import publish_tracker
    from lofte.store import pledges as pledge_store
    from lofte.store import trackers as tracker_store
    from lofte.store.db import open_store

    store = open_store(a["url"], create=True)
    with store.session() as session:
        tracker_store.add_tracker(
            session,
            SLUG,
            "Löftena i Sjövik, i nationell skala",
            jurisdiction="Sjöviks kommun",
            actors=["Gemenskapspartiet"],
            term_start=START,
            term_end=END,
        )
    options = IngestOptions(
        tracker=SLUG,
        kind=SourceKind.PROGRAM,
        source="Valprogram",
        date=parse_user_date("2022-08-20"),
    )
    report = ingest(store, [str(Path(a["folder"]) / "program.txt")], options)
    if report.inputs[0].error:
        raise SystemExit(report.inputs[0].error)
    t0 = time.perf_counter()
    extract(store, SLUG)
    seconds = time.perf_counter() - t0
    with store.session() as session:
        ids = [p.id for p in pledge_store.list_pledges(session)]
    for pledge_id in ids:  # as an editor would: public pages show confirmed pledges
        confirm(store, pledge_id, actor="bench")
    publish_tracker(store, SLUG, actor="bench")
    store.dispose()
    say(f"  {len(ids)} pledges extracted from {a['pledges']} bullets in {seconds:.1f} s")
    return {"documents": 1, "seconds": seconds, "pledges": len(ids)}


def stage_ingest(a: dict) -> dict:
    from lofte.ingest import IngestOptions, ingest
    from lofte.model import SourceKind
    from lofte.store.db import open_store

    store = open_store(a["url"])
    files = a["files"]
    done, t0, last = [0, 0], time.perf_counter(), [0.0]

    def progress(item) -> None:  # type: ignore[no-untyped-def]
        if item.error:
            raise SystemExit(f"{item.origin}: {item.error}")
        done[0] += 1
        done[1] += item.inserted
        now = time.perf_counter() - t0
        if now - last[0] > 10 or done[0] == len(files):
            last[0] = now
            say(
                f"  ingest: {done[0]}/{len(files)} files, {done[1]} documents, {now:.0f} s, "
                f"{done[1] / now:.0f} documents/s, {vm('VmRSS'):.0f} MB"
            )

    options = IngestOptions(tracker=SLUG, kind=SourceKind.NEWS, source="Nyheter")
    report = ingest(store, files, options, on_input=progress)
    seconds = time.perf_counter() - t0
    store.dispose()
    return {
        "documents": report.total("inserted"),
        "seconds": seconds,
        "near_duplicates": sum(i.near_duplicates for i in report.inputs),
    }


def stage_link(a: dict) -> dict:
    from sqlalchemy import text

    from lofte import linking
    from lofte.store.db import open_store

    store = open_store(a["url"])
    spent = {"background": 0.0, "index": 0.0}

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return call

    # what an incremental run pays besides scoring, timed apart (as bench_incremental_link.py)
    linking.background_stats = timed("background", linking.background_stats)
    linking.build_index = timed("index", linking.build_index)
    t0, last = time.perf_counter(), [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter() - t0
        if now - last[0] > 10 or done == total:
            last[0] = now
            say(
                f"  link: {done}/{total} documents, {now:.0f} s, {done / now:.0f} documents/s, "
                f"{vm('VmRSS'):.0f} MB"
            )

    (report,) = linking.link(store, SLUG, dense=a["dense"], on_progress=progress)
    seconds = time.perf_counter() - t0
    with store.engine.connect() as conn:
        suggested = conn.execute(
            text("SELECT count(DISTINCT document_id) FROM evidence")
        ).scalar_one()
        total = conn.execute(
            text("SELECT count(*) FROM documents WHERE kind = 'news'")
        ).scalar_one()
    store.dispose()
    say(
        f"  {report.suggestions} suggestions; {suggested} of {total} news items now have one "
        f"({suggested / max(total, 1):.1%}); background statistics {spent['background']:.1f} s, "
        f"index build {spent['index']:.1f} s, scoring and writing "
        f"{seconds - spent['background'] - spent['index']:.1f} s"
    )
    return {
        "documents": report.documents_scored,
        "seconds": seconds,
        "suggestions": report.suggestions,
        "suggested_documents": suggested,
    }


def vm(field: str) -> float:
    """A line of /proc/self/status in MB (VmHWM: this process's peak resident memory)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


STAGES = {
    "generate": stage_generate,
    "program": stage_program,
    "ingest": stage_ingest,
    "link": stage_link,
}


def run_stage(name: str, **given: object) -> dict:
    """Run a stage in a child process (progress lines echoed); its result with its peak MB."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--stage", name, json.dumps(given)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    result = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
        else:
            print(line, end="", flush=True)
    if proc.wait() or result is None:
        raise SystemExit(f"stage {name} failed (exit {proc.returncode})")
    return result


def child(name: str, given: str) -> None:
    t0 = time.perf_counter()
    result = STAGES[name](json.loads(given))
    result.setdefault("seconds", time.perf_counter() - t0)
    result["peak_mb"] = vm("VmHWM")
    result["children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("RESULT " + json.dumps(result), flush=True)


# --- PostgreSQL -----------------------------------------------------------------------------------


def psql_admin(port: int, sql: str) -> str:
    command = f'psql -v ON_ERROR_STOP=1 -p {port} -qAt -c "{sql}"'
    return subprocess.run(
        ["su", "postgres", "-c", command], capture_output=True, text=True, check=True
    ).stdout.strip()


def bench_database(keep: bool) -> str:
    """Start the local cluster (scripts/start-postgres.sh) and give the URL of lofte_bench,
    dropped and created again unless `keep`."""
    from sqlalchemy.engine import make_url

    out = (
        subprocess.run(
            ["bash", str(REPO / "scripts" / "start-postgres.sh")],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    url = make_url(out).set(database="lofte_bench")
    exists = psql_admin(url.port, "SELECT 1 FROM pg_database WHERE datname='lofte_bench'") == "1"
    if exists and not keep:
        psql_admin(url.port, "DROP DATABASE lofte_bench WITH (FORCE)")
    if not exists or not keep:
        psql_admin(url.port, "CREATE DATABASE lofte_bench OWNER lofte")
    return url.render_as_string(hide_password=False)


def empty_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    from lofte.store.db import normalize_url

    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def counts(url: str) -> tuple[int, int, str] | None:
    """(news items, pledges, database size) of the bench tracker, or None when it is missing."""
    from sqlalchemy import create_engine, text

    from lofte.store.db import normalize_url

    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT id FROM trackers WHERE slug = :s"), {"s": SLUG}
            ).first()
            if found is None:
                return None
            news = conn.execute(
                text("SELECT count(*) FROM documents WHERE kind = 'news'")
            ).scalar_one()
            pledges = conn.execute(text("SELECT count(*) FROM pledges")).scalar_one()
            size = conn.execute(
                text("SELECT pg_size_pretty(pg_database_size(current_database()))")
            ).scalar_one()
            return int(news), int(pledges), str(size)
    except Exception:  # noqa: BLE001 - no schema yet
        return None
    finally:
        engine.dispose()


# --- pages ----------------------------------------------------------------------------------------


def pages(url: str, args: argparse.Namespace, docs: int, n_pledges: int) -> None:
    """The public pages against /healthz, with bench_web.py's server and measuring code."""
    import bench_web  # bench/bench_web.py, beside this script
    from sqlalchemy import create_engine, text

    from lofte.store.db import normalize_url

    engine = create_engine(normalize_url(url))
    with engine.connect() as conn:
        pledge_id, evidence = conn.execute(
            text(
                "SELECT p.id, count(e.id) FROM pledges p "
                "LEFT JOIN evidence e ON e.pledge_id = p.id "
                "GROUP BY p.id ORDER BY count(e.id) DESC, p.id LIMIT 1"
            )
        ).one()
    engine.dispose()
    proc, base = bench_web.start_server(
        lambda port: [bench_web.__file__, "--serve", url, str(port), str(args.workers)]
    )
    rows: list[tuple[str, list[float], float]] = []

    def measure(label: str, path: str, per_client: int) -> None:
        bench_web.hammer(base, path, 2, 2)  # warm up
        before = bench_web.tree_cpu(proc.pid)
        latencies, wall = bench_web.hammer(base, path, args.clients, per_client)
        bench_web.CPU[label] = (bench_web.tree_cpu(proc.pid) - before) * 1000 / len(latencies)
        rows.append((label, latencies, wall))
        say(f"  {label}: p50 {bench_web.pct(latencies, 0.5) * 1000:.0f} ms")

    search = max(1, args.requests // 5)
    try:
        measure("baseline /healthz", "/healthz", args.requests)
        measure("meter", f"/trackers/{SLUG}", args.requests)
        measure(f"pledge page ({evidence} ev.)", f"/pledges/{pledge_id}", args.requests)
        measure("pledge list", f"/trackers/{SLUG}/pledges", args.requests)
        measure("documents list", f"/trackers/{SLUG}/documents", args.requests)
        measure("API documents", f"/api/v1/documents?tracker={SLUG}&page=3", args.requests)
        measure("API pledges", f"/api/v1/pledges?tracker={SLUG}&page=3", args.requests)
        measure(
            "search, common words",
            f"/search?q={COMMON_QUERY.replace(' ', '+')}&tracker={SLUG}",
            search,
        )
        measure("search, rare word", f"/search?q=4711&tracker={SLUG}", search)
        measure("baseline /healthz (end)", "/healthz", args.requests)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    bench_web.report(
        rows,
        argparse.Namespace(
            workers=args.workers, clients=args.clients, docs=docs, pledges=n_pledges
        ),
    )


# --- the run --------------------------------------------------------------------------------------


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--stage":
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--pledges", type=int, default=1000, help="bullets in the program")
    parser.add_argument(
        "--on-topic", type=float, default=0.07, help="share of items on a pledge's topic"
    )
    parser.add_argument("--per-file", type=int, default=5000, help="items per JSON file (at most)")
    parser.add_argument(
        "--database-url",
        help="this PostgreSQL database (public schema emptied) "
        "instead of starting the local cluster's lofte_bench",
    )
    parser.add_argument("--keep", action="store_true", help="wipe nothing; reuse what a run left")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--dense", action="store_true", help="link with the e5 dense stage too")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=20, help="requests per client per page")
    parser.add_argument("--folder", type=Path, help="write the generated files here (kept)")
    args = parser.parse_args()
    from lofte.store.db import shown_url

    if args.database_url:
        url = args.database_url
        if not args.keep:
            empty_schema(url)
    else:
        url = bench_database(args.keep)
    say(f"database {shown_url(url)}; load {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    found = counts(url) if args.keep else None
    table: list[tuple[str, int, float, float, float]] = []

    def row(label: str, result: dict) -> None:
        table.append(
            (
                label,
                result["documents"],
                result["seconds"],
                result["peak_mb"],
                result["children_mb"],
            )
        )

    if found is None:
        import tempfile

        tmp = tempfile.TemporaryDirectory(prefix="bench-scale-")
        folder = args.folder or Path(tmp.name)
        folder.mkdir(parents=True, exist_ok=True)
        per_file = max(1, min(args.per_file, args.docs // 20))
        say(
            f"generating {args.docs} news items ({args.on_topic:.0%} on a pledge's topic), "
            f"{per_file} a file, and {args.pledges} pledges in {folder}"
        )
        made = run_stage(
            "generate",
            folder=str(folder),
            docs=args.docs,
            pledges=args.pledges,
            per_file=per_file,
            on_topic=args.on_topic,
        )
        row("generate files", made)
        say(f"  {made['on_topic']} items on a pledge's topic; '{COMMON_QUERY}' in {made['common']}")
        program = run_stage("program", url=url, folder=str(folder), pledges=args.pledges)
        row(f"extract ({program['pledges']} pledges)", program)
        files = made["files"]
        first = max(1, len(files) // 10)
        for part, chunk in (("first tenth", files[:first]), ("the rest", files[first:])):
            say(f"ingest {part}: {len(chunk)} files")
            ingested = run_stage("ingest", url=url, files=chunk)
            row(f"ingest ({part})", ingested)
            say(f"link after {part}")
            linked = run_stage("link", url=url, dense=args.dense)
            row(f"link ({part})", linked)
        tmp.cleanup()
        found = counts(url)
    assert found is not None
    news, n_pledges, size = found
    say(f"store: {news} news items, {n_pledges} pledges, database {size}")
    if not args.skip_pages:
        pages(url, args, news, n_pledges)
    if table:
        print(
            f"\n{'stage':<28} {'documents':>10} {'seconds':>9} {'docs/s':>9} {'peak MB':>8} "
            f"{'largest child MB':>17}"
        )
        for label, docs, seconds, peak, children in table:
            print(
                f"{label:<28} {docs:>10} {seconds:>9.1f} "
                f"{f'{docs / max(seconds, 1e-9):.0f}' if docs > 1 else '':>9} "
                f"{peak:>8.0f} {children:>17.0f}"
            )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
