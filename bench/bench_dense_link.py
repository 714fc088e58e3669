"""The dense stage's cost (issue 16, item 4): passages encoded per second and the model's memory,
and `lofte link` on the government's record (../shared/data/regeringen, 9,020 documents, and the
four 2022 manifestos' pledges) with the dense stage off (the baseline) and on, in the same run.

    .venv/bin/python bench/bench_dense_link.py [--db PATH] [--limit N] [--sample 256]

1. **encode**: `--sample` passages of the record (title-framed two-sentence windows, as the
   linker encodes them) through `pipeline.dense.E5Encoder`, in a fresh process: passages/s, and
   the process's peak RSS before and after the model loads.
2. **store**: the record and the programs ingested and extracted by bench_national_loop.py's
   stages (skipped when `--db` holds them already).
3. **link off / on / on again**: a copy of that store linked with `dense=False` twice (the first
   run may pay the analyzer's cold start; the second,
   `full=True`, is the baseline), another copy linked with `dense=True`, then again with
   `full=True` (every vector is stored by then: the cost of a re-scoring run). Each in its own
   process: wall time, peak RSS, texts encoded and the seconds spent encoding, suggestions
   written. The ratio to the baseline is printed.

`--limit N` takes the first N files of each folder of the record (for trying the script out).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_national_loop import (  # bench/, beside this script
    DATA,
    MANIFESTOS,
    REPO,
    child_env,
    record_folders,
    run_stage,
)

_ENCODE = r"""
import json, resource, sys, time
from pathlib import Path
from lofte.pipeline.dense import E5Encoder
from lofte.pipeline.link import passages

root, n = Path(sys.argv[1]), int(sys.argv[2])
texts = []
for path in sorted(root.rglob("*.md")):
    lines = path.read_text(encoding="utf-8").splitlines()
    title = lines[0].lstrip("# ").strip() if lines else ""
    body = "\n".join(lines[1:]).strip()
    for a, b in passages(body):
        texts.append(f"{title}\n{body[a:b]}")
        if len(texts) >= n:
            break
    if len(texts) >= n:
        break
rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
before = rss()
encoder = E5Encoder()
encoder.queries(texts[:1])  # loads the model
loaded = rss()
t0 = time.perf_counter()
encoder.queries(texts)
took = time.perf_counter() - t0
chars = sum(len(t) for t in texts) / len(texts)
print(json.dumps({"passages": len(texts), "seconds": took, "per_second": len(texts) / took,
                  "mean_chars": chars, "rss_before_mb": before, "rss_model_mb": loaded,
                  "peak_mb": rss()}))
"""


def encode_figures(src: Path, n: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _ENCODE, str(DATA / "regeringen" / "pressmeddelanden"), str(n)],
        env=child_env(src),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="keep (or reuse) the record's store here")
    parser.add_argument("--limit", type=int, default=0, help="files per folder of the record")
    parser.add_argument("--sample", type=int, default=256, help="passages for the encode figure")
    args = parser.parse_args()
    src = REPO / "src"

    enc = encode_figures(src, args.sample)
    print(
        f"encode: {enc['passages']} passages (mean {enc['mean_chars']:.0f} characters) in "
        f"{enc['seconds']:.1f} s = {enc['per_second']:.1f} passages/s; RSS "
        f"{enc['rss_before_mb']:.0f} MB before the model, {enc['rss_model_mb']:.0f} MB loaded, "
        f"{enc['peak_mb']:.0f} MB peak",
        flush=True,
    )

    with tempfile.TemporaryDirectory(prefix="lofte-dense-bench-") as tmp:
        work = Path(tmp)
        db = args.db or work / "record.db"
        run_stage(src, "init", db, None)
        for stage, arg in (
            ("ingest", record_folders(args.limit, work / "record")),
            ("programs", [(p, str(DATA / "manifestos-2022" / f)) for p, f in MANIFESTOS.items()]),
        ):
            print(f"{stage} ...", file=sys.stderr, flush=True)
            run_stage(src, stage, db, arg)
        rows = []
        for name, dense, full, copy in (
            ("dense off, cold analyzer", False, False, "off.db"),
            ("dense off (baseline)", False, True, "off.db"),
            ("dense on, first run", True, False, "on.db"),
            ("dense on, again (--full)", True, True, "on.db"),
        ):
            target = work / copy
            if not target.exists():
                shutil.copy(db, target)
            print(f"{name} ...", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            out = run_stage(src, "link", target, {"dense": dense, "full": full})
            out["wall"] = time.perf_counter() - t0
            rows.append((name, out))

    base = rows[1][1]["seconds"]
    print(f"\n{'lofte link on the record':<28} {'seconds':>8} {'x off':>6} {'peak MB':>8} "
          f"{'encoded':>8} {'enc. s':>7} {'docs':>6} {'pledges':>8} {'suggestions':>11}")
    for name, out in rows:
        print(
            f"{name:<28} {out['seconds']:>8.1f} {out['seconds'] / base:>6.2f} "
            f"{out['peak_mb']:>8.0f} {out['texts_encoded']:>8} {out['encoding_seconds']:>7.0f} "
            f"{out['items']:>6} {out['pledges']:>8} {out['suggestions']:>11}"
        )
    on = rows[2][1]
    if on["texts_encoded"]:
        print(
            f"\ndense stage, first run: {on['texts_encoded']} texts encoded in "
            f"{on['encoding_seconds']:.0f} s = {on['texts_encoded'] / on['encoding_seconds']:.1f} "
            "texts/s inside `lofte link`"
        )


if __name__ == "__main__":
    main()
