"""`lofte update` over 200 watched sources on local servers: documents/s, and what an unchanged
source costs.

    .venv/bin/python bench/bench_update.py [--sources 200] [--items 5] [--hosts 10] [--link]

Half the sources are RSS feeds (`--items` entries each), half news listings (`--items` items,
each an article page fetched on its own), spread over `--hosts` local HTTP servers on
127.0.0.1 that answer conditional GETs (ETag). The texts are generated (fictional). Three
passes, in one process:

1. the first `update`: every source new (fetch, parse, archive as WARC, store; `--link` links
   the new documents too, lexical stage only): documents/s;
2. a second `update` with nothing changed: every source answers 304, and the servers count the
   requests each source cost (the claim is exactly one);
3. the baseline, a naive re-fetch of the same sources without validators (each page and each
   article again with plain GETs over one httpx client, no parsing or storing): what the
   conditional pass saves. Printed as the ratio pass 2 / pass 3.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.localweb import LocalSite, local_sites  # noqa: E402
from tests.watch.pages import serve  # noqa: E402

from lofte.config import Settings  # noqa: E402
from lofte.model import SourceKind  # noqa: E402
from lofte.sources.fetch import Politeness  # noqa: E402
from lofte.store import trackers as tracker_store  # noqa: E402
from lofte.store import watched  # noqa: E402
from lofte.store.db import open_store, utcnow  # noqa: E402
from lofte.watch.update import update  # noqa: E402

TOPICS = ["förskolan", "äldreboendet", "kulturskolan", "bussarna", "biblioteket", "simhallen"]
PLACES = ["Kvarnby", "Solgården", "Ekbacken", "Norrviken", "Strandhagen"]


def text(n: int) -> tuple[str, str]:
    topic, place = TOPICS[n % len(TOPICS)], PLACES[n % len(PLACES)]
    title = f"Nytt beslut om {topic} i {place} ({n})"
    body = (
        f"Nämnden beslutade i dag om {topic} i {place}. Beslutet nummer {n} gäller från "
        f"årsskiftet och finansieras i budgeten. Ordföranden säger att {topic} ska räcka till "
        f"fler invånare i {place} än i dag."
    )
    return title, body


def feed(site: LocalSite, source: int, items: int) -> bytes:
    entries = ""
    for i in range(items):
        n = source * 1000 + i
        title, body = text(n)
        link = site.url(f"/press/{n}")
        entries += (
            f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
            f"<description>{body}</description>"
            f"<pubDate>Mon, 03 Mar 2025 10:00:00 +0100</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Källa {source}</title><link>{site.url('/')}</link>{entries}</channel></rss>"
    ).encode()


def listing(source: int, items: int) -> bytes:
    blocks = "".join(
        f'<article class="item"><h2><a href="/artikel/{source * 1000 + i}">'
        f"{text(source * 1000 + i)[0]}</a></h2><p>{text(source * 1000 + i)[1][:60]}</p></article>"
        for i in range(items)
    )
    return (
        f'<!doctype html><html lang="sv"><body><main><h1>Nyheter {source}</h1>{blocks}</main>'
        "</body></html>"
    ).encode()


def article(n: int) -> bytes:
    title, body = text(n)
    return (
        f'<!doctype html><html lang="sv"><head><title>{title}</title></head><body><article>'
        f'<h1>{title}</h1><time datetime="2025-03-03">3 mars 2025</time>'
        f"<p>{body}</p><p>{body}</p></article></body></html>"
    ).encode()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--link", action="store_true", help="link the new documents too")
    args = parser.parse_args()
    hits: Counter[str] = Counter()
    with local_sites(args.hosts) as sites, tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}", create=True)
        with store.session() as s:
            tracker_id = tracker_store.add_tracker(s, "bench", "Bänk").id
        pages: list[str] = []  # every URL the naive baseline fetches
        for source in range(args.sources):
            site = sites[source % len(sites)]
            site.routes.setdefault("/robots.txt", lambda h: h.send_error(404))
            if source % 2 == 0:
                path = f"/feed/{source}.xml"
                serve(site, path, feed(site, source, args.items), "application/rss+xml", hits)
            else:
                path = f"/nyheter/{source}"
                serve(site, path, listing(source, args.items), "text/html; charset=utf-8", hits)
                for i in range(args.items):
                    n = source * 1000 + i
                    serve(site, f"/artikel/{n}", article(n), "text/html; charset=utf-8", hits)
                    pages.append(site.url(f"/artikel/{n}"))
            pages.append(site.url(path))
            with store.session() as s:
                watched.add_source(
                    s,
                    tracker_id,
                    f"källa-{source}",
                    site.url(path),
                    SourceKind.NEWS,
                    every_seconds=3600,
                )
        allow = ",".join(f"127.0.0.1:{site.port}" for site in sites)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, fetch_allow_hosts=allow, fetch_min_interval=0.0, link_dense=False
        )
        politeness = Politeness(min_interval=0.0)
        now = utcnow()

        t0 = time.perf_counter()
        first = update(
            store,
            settings=settings,
            now=now,
            politeness=politeness,
            dense=False,
            link_evidence=args.link,
            notify=False,
        )
        first_s = time.perf_counter() - t0
        new = first.total("new")
        print(
            f"pass 1 (all new): {len(first.sources)} sources, {first.total('fetched')} "
            f"requests, {new} documents in {first_s:.1f} s = {new / first_s:.1f} documents/s"
            f"{' (linked)' if args.link else ''}, failed {len(first.failed)}, "
            f"peak {rss_mb():.0f} MB"
        )

        hits.clear()
        t0 = time.perf_counter()
        second = update(
            store,
            settings=settings,
            now=now + dt.timedelta(hours=2),
            politeness=politeness,
            dense=False,
            link_evidence=args.link,
            notify=False,
        )
        second_s = time.perf_counter() - t0
        statuses = Counter(o.status for o in second.sources)
        per_source = Counter(hits[urlpath] for urlpath in hits)
        print(
            f"pass 2 (unchanged): {len(second.sources)} sources in {second_s:.2f} s "
            f"({1000 * second_s / max(len(second.sources), 1):.1f} ms a source), statuses "
            f"{dict(statuses)}, requests {sum(hits.values())} = "
            f"{sum(hits.values()) / max(len(second.sources), 1):.2f} a source "
            f"(requests per path seen: {dict(per_source)}), new {second.total('new')}"
        )

        t0 = time.perf_counter()
        with httpx.Client(timeout=10) as client:
            fetched = sum(len(client.get(url).content) for url in pages)
        naive_s = time.perf_counter() - t0
        print(
            f"baseline (naive re-fetch, no validators): {len(pages)} requests, "
            f"{fetched / 1e6:.1f} MB in {naive_s:.2f} s"
        )
        print(
            f"ratio unchanged pass / naive re-fetch: {second_s / naive_s:.2f}x time, "
            f"{len(second.sources) / len(pages):.2f}x requests"
        )
        store.dispose()


if __name__ == "__main__":
    main()
