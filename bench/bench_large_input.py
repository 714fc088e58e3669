"""Seconds and MB/s of `ingest` on one large text input, by size up to the cap (issue 9).

    .venv/bin/python bench/bench_large_input.py [--sizes 1,2,4,8,16,32,50] [--shape program]

The input is the demo corpus's program (shape `program`: one long document) or all its text
files (shape `mixed`), repeated to each size in MB (50 = just under LOFTE_MAX_INPUT_BYTES) and
ingested into a fresh SQLite store. The baseline, timed in the same run on the same file, is the
least any reading must do: read the bytes, decode them and split the lines. The last columns are
the ratio to that baseline and the seconds per MB relative to the smallest size: a flat column
means linear growth (it was 0.45 → 0.27 MB/s from 1 to 4 MB before issue 9's fixes).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from lofte.config import Settings
from lofte.ingest import ingest
from lofte.store.db import open_store

CORPUS = Path(__file__).resolve().parents[1] / "src" / "lofte" / "demo" / "corpus"
SHAPES = {"program": ["program-2022.txt"],
          "mixed": ["program-2022.txt", "old-party-page.txt", "news-excerpts.txt"]}


def make_input(folder: Path, shape: str, megabytes: float) -> Path:
    unit = "\n\n".join((CORPUS / name).read_text(encoding="utf-8") for name in SHAPES[shape])
    size = int(megabytes * 1_000_000)
    data = (unit * (size // len(unit.encode()) + 1)).encode()[: size - 16]
    path = folder / f"{shape}-{megabytes:g}MB.txt"
    path.write_bytes(data.decode("utf-8", "ignore").encode())
    return path


def baseline(path: Path) -> float:
    start = time.perf_counter()
    path.read_bytes().decode("utf-8").splitlines()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,4,8,16,32,50")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="program")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    settings = Settings(input_time_budget=0)  # measure, never stop
    print(f"{'MB':>5} {'seconds':>8} {'MB/s':>6} {'baseline s':>10} {'x baseline':>10} "
          f"{'s/MB vs first':>13} {'max RSS MB':>10}")
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for megabytes in sizes:
            path = make_input(folder, args.shape, megabytes)
            store = open_store(f"sqlite:///{folder / f'{megabytes:g}.db'}", create=True)
            start = time.perf_counter()
            report = ingest(store, [str(path)], settings=settings)
            seconds = time.perf_counter() - start
            store.dispose()
            if report.failed:
                sys.exit(f"{path.name}: {report.failed[0].error}")
            base = baseline(path)
            per_mb = seconds / megabytes
            first = first or per_mb
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{megabytes:5g} {seconds:8.1f} {megabytes / seconds:6.2f} {base:10.3f} "
                  f"{seconds / base:10.0f} {per_mb / first:13.2f} {rss:10.0f}", flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
