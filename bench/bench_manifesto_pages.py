"""Ingest + extract throughput on the four 2022 manifestos, in pages per second, this checkout
against an earlier revision (default: main before issue 10), measured in the same run.

    .venv/bin/python bench/bench_manifesto_pages.py [--baseline 14609b2] [--repeat 3]

The baseline's `src/` is taken with `git archive` into a temporary folder; each side runs in
its own subprocess (same interpreter, same installed dependencies) that ingests each manifesto
as a program into a fresh SQLite store and extracts its pledges, best of `--repeat` rounds. The
ratio is new pages/s over baseline pages/s (above 1: faster). Pledge counts are printed too:
the new candidate policy keeps more candidates, which costs time.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from timing import baseline_src, run_side  # bench/timing.py, beside this script

REPO = Path(__file__).resolve().parents[1]
MANIFESTOS = REPO.parent / "shared" / "data" / "manifestos-2022"

# Run inside each side's subprocess: prints {"pages": n, "seconds": s, "pledges": k} as JSON.
_DRIVER = r"""
import json, sys, tempfile, time
from pathlib import Path
from lofte.store.db import open_store
from lofte.ingest import ingest, IngestOptions
from lofte.extraction import extract
from lofte.model import SourceKind

paths, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
best = None
for _ in range(repeat):
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db", create=True)
        start = time.perf_counter()
        report = ingest(store, paths, IngestOptions(tracker="bench", kind=SourceKind.PROGRAM))
        found = extract(store, "bench")
        seconds = time.perf_counter() - start
        errors = [i.error for i in report.inputs if i.error] + [r.error for r in found if r.error]
        if errors:
            raise SystemExit(f"errors: {errors}")
        pledges = sum(r.inserted for r in found)
    best = seconds if best is None else min(best, seconds)
print(json.dumps({"seconds": best, "pledges": pledges}))
"""


def pages_of(paths: list[Path]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for path in paths:
        doc = pdfium.PdfDocument(path.read_bytes())
        total += len(doc)
        doc.close()
    return total






def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="14609b2")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = sorted(MANIFESTOS.glob("*.pdf"))
    pages = pages_of(paths)
    with tempfile.TemporaryDirectory() as tmp:
        given = (json.dumps([str(p) for p in paths]), str(args.repeat))
        old = run_side(baseline_src(REPO, args.baseline, Path(tmp)), _DRIVER, *given)
        new = run_side(REPO / "src", _DRIVER, *given)
    print(f"{len(paths)} manifestos, {pages} pages, ingest + extract, best of {args.repeat}")
    for name, side in (("baseline " + args.baseline, old), ("this checkout", new)):
        rate = pages / side["seconds"]
        print(
            f"{name:24s} {side['seconds']:6.2f} s  {rate:6.1f} pages/s  "
            f"{side['pledges']:5d} candidates"
        )
    print(f"ratio (new/baseline pages/s): {old['seconds'] / new['seconds']:.2f}")


if __name__ == "__main__":
    main()
