"""What one new document and one edited pledge cost `lofte link`, against a full link.

    .venv/bin/python bench/bench_incremental_link.py [--docs 20000] [--background N]

A SQLite store holds the fictional demo tracker (its program, extracted pledges and news) plus
`--docs` news items generated from the demo corpus as in bench_link.py (dated inside the
term). Times, in one process, with the lexical linker (`dense=False`: encoding is timed by
bench_dense_link.py):

1. a full `linking.link` of every document (the baseline);
2. one more news item ingested, then `linking.link`: it scores that document only;
3. one pledge's text edited (its span shortened by its last word: an edit of what the linker
   reads; a new area or a confirmation is none), then `linking.link`: it ranks the old
   documents for that pledge and links the few it can change, by the full run's top-5 rule.

Each run builds the pledge index (the pledges' matrices) over the tracker's background
statistics. The first run computes those statistics from the documents (at most
`linking.MAX_BACKGROUND`, a hashed sample beyond that; `--background` changes it) and keeps
them in the store; a later run reads them and adds only the documents that arrived since.
Both parts are printed apart: they are what an incremental run pays besides its own scoring.
Peak RSS after each step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_link import generate  # noqa: E402

from lofte import linking  # noqa: E402
from lofte.demo import load_demo  # noqa: E402
from lofte.extraction import extract  # noqa: E402
from lofte.ingest import IngestOptions, ingest  # noqa: E402
from lofte.language.dates import parse_user_date  # noqa: E402
from lofte.model import SourceKind  # noqa: E402
from lofte.review import pledges as review  # noqa: E402
from lofte.store import pledges as pledge_store  # noqa: E402
from lofte.store import trackers as tracker_store  # noqa: E402
from lofte.store.db import open_store  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--background", type=int, default=None, help="MAX_BACKGROUND")
    args = parser.parse_args()
    if args.background is not None:
        linking.MAX_BACKGROUND = args.background
    builds: list[float] = []
    build = linking.build_index

    def timed_build(*a, **k):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return build(*a, **k)
        finally:
            builds.append(time.perf_counter() - t0)

    linking.build_index = timed_build  # type: ignore[assignment]
    stats_times: list[float] = []
    stats = linking.background_stats

    def timed_stats(*a, **k):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return stats(*a, **k)
        finally:
            stats_times.append(time.perf_counter() - t0)

    linking.background_stats = timed_stats  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(f"sqlite:///{folder / 'bench.db'}", create=True)
        slug = load_demo(store)
        extract(store, slug)
        with store.session() as s:
            tracker = tracker_store.get_tracker(s, slug)
            pledges = pledge_store.linkable_pledges(s, tracker.id)
        segments, _ = generate(args.docs + 1, 10)
        news = folder / "news"
        news.mkdir()
        for i, text in enumerate(segments[:-1]):
            (news / f"{i:06d}.txt").write_text(f"Nyhet {i}\n\n{text}\n", encoding="utf-8")
        day = tracker.term_start + dt.timedelta(days=200) if tracker.term_start else None
        options = IngestOptions(
            tracker=slug, kind=SourceKind.NEWS, date=parse_user_date(day.isoformat()) if day else None
        )
        t0 = time.perf_counter()
        report = ingest(store, [str(news)], options)
        print(f"store: {report.total('inserted')} generated news items ingested in "
              f"{time.perf_counter() - t0:.0f} s, {len(pledges)} linkable pledges, "
              f"background at most {linking.MAX_BACKGROUND} documents")

        def run(label: str) -> tuple[float, linking.LinkReport]:
            builds.clear()
            stats_times.clear()
            t0 = time.perf_counter()
            (out,) = linking.link(store, slug, dense=False)
            wall = time.perf_counter() - t0
            build_s, stats_s = sum(builds), sum(stats_times)
            print(f"{label:<22} {wall:8.1f} s  background {stats_s:6.1f} s  index build "
                  f"{build_s:6.1f} s  rest {wall - build_s - stats_s:7.1f} s  documents scored "
                  f"{out.documents_scored:6d}  pledges re-scored {out.pledges_rescored:3d}  "
                  f"peak {rss_mb():5.0f} MB")
            return wall, out

        full, _ = run("full link (baseline)")
        extra = folder / "extra.txt"
        extra.write_text(f"Nyhet extra\n\n{segments[-1]}\n", encoding="utf-8")
        ingest(store, [str(extra)], options)
        one_doc, _ = run("+1 document")
        first = pledges[0]
        last_space = first.quote.rstrip().rfind(" ")
        review.edit(store, first.id, end=first.start + last_space, actor="bench")
        one_pledge, _ = run("1 pledge edited")
        print(f"ratio to the full link: +1 document {one_doc / full:.3f}, "
              f"1 pledge edited {one_pledge / full:.3f}")
        store.dispose()


if __name__ == "__main__":
    main()
