"""Pledge extraction on the four 2022 manifestos, end to end, against a naive baseline.

    .venv/bin/python bench/bench_extract.py [--repeat 5]

For each manifesto in ../shared/data/manifestos-2022 it prints, best of `--repeat` runs:
- parse: `parse_pdf` (PDFium text, layout, list items, headings);
- extract: `extract_pledges` on the parsed document, structure only and, when the shipped
  sentence classifier is available, with it (sentence scoring included);
- naive: a regex sentence split of the same body where every sentence holding "ska" or "vill"
  is a pledge (the baseline a first attempt would be);
and the ratio extract/naive (how many times the naive baseline's time extraction takes), plus
the pledge counts of each. Nothing here reads the network; the data stays in ../shared.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
MANIFESTOS = SHARED / "data" / "manifestos-2022"
sys.path.insert(0, str(REPO / "src"))

from lofte.errors import ConfigError  # noqa: E402
from lofte.model import ParsedDocument  # noqa: E402
from lofte.pipeline.extract import default_scorer, extract_pledges  # noqa: E402
from lofte.sources.pdf import parse_pdf  # noqa: E402

_NAIVE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
_NAIVE_PLEDGE = re.compile(r"\b(?:ska|vill)\b", re.IGNORECASE)


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The fastest of `repeat` runs in seconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def naive_pledges(doc: ParsedDocument) -> list[str]:
    return [s for s in _NAIVE_SPLIT.split(doc.body) if _NAIVE_PLEDGE.search(s)]


def classifier_available() -> bool:
    try:
        return default_scorer() is not None
    except (ConfigError, ImportError) as exc:
        print(f"(no shipped classifier: {exc})")
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(MANIFESTOS.glob("*.pdf"))
    with_classifier = classifier_available()
    print(f"{len(files)} manifestos, best of {args.repeat} runs; classifier "
          f"{'included' if with_classifier else 'not available'}\n")
    header = (f"{'manifesto':42s} {'chars':>7s} {'parse s':>8s} {'struct s':>9s} "
              f"{'+clf s':>8s} {'naive s':>8s} {'pledges':>8s} {'+clf':>6s} {'naive':>6s}")
    print(header)
    print("-" * len(header))
    totals = [0.0, 0.0, 0.0, 0.0]
    for path in files:
        data = path.read_bytes()
        t_parse, doc = best_of(lambda: parse_pdf(data, path.name), args.repeat)
        assert isinstance(doc, ParsedDocument)
        t_struct, found = best_of(lambda: extract_pledges(doc, use_classifier=False), args.repeat)
        t_clf, found_clf = (
            best_of(lambda: extract_pledges(doc), args.repeat) if with_classifier else (0.0, [])
        )
        t_naive, naive = best_of(lambda: naive_pledges(doc), args.repeat)
        for i, t in enumerate((t_parse, t_struct, t_clf, t_naive)):
            totals[i] += t
        tops = sum(c.parent is None for c in found)  # type: ignore[union-attr]
        tops_clf = sum(c.parent is None for c in found_clf)  # type: ignore[union-attr]
        print(f"{path.name:42s} {len(doc.body):7d} {t_parse:8.3f} {t_struct:9.4f} "
              f"{t_clf:8.4f} {t_naive:8.5f} {tops:8d} {tops_clf if with_classifier else '-':>6} "
              f"{len(naive):6d}")  # type: ignore[arg-type]
    t_parse, t_struct, t_clf, t_naive = totals
    print("-" * len(header))
    print(f"{'total':42s} {'':7s} {t_parse:8.3f} {t_struct:9.4f} {t_clf:8.4f} {t_naive:8.5f}")
    print(f"\nratio           extraction (structure only) takes {t_struct / t_naive:.0f}x the "
          f"naive baseline's time")
    if with_classifier:
        print(f"ratio           extraction with the classifier takes {t_clf / t_naive:.0f}x")
    end_to_end = t_parse + (t_clf if with_classifier else t_struct)
    print(f"end to end      {end_to_end:.3f} s for {len(files)} manifestos "
          f"(parse {t_parse / end_to_end:.0%} of it)")


if __name__ == "__main__":
    main()
