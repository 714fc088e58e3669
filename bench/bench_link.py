"""Segments per second of `PledgeIndex.link` against a bm25s baseline doing the same retrieval.

    .venv/bin/python bench/bench_link.py [--n 100000] [--pledges 1000]

The texts are generated here from Löfte's own fictional demo corpus (src/lofte/demo/corpus):
news segments are one to three of its sentences with about a third of the words swapped for
other words of the corpus; pledges are its program bullets, likewise recombined and given one
of a few place names, so that 1 000 pledges are distinct but speak the same language. Seeded,
so every run sees the same texts. No third-party text is used.

- Löfte: `PledgeIndex` over the pledges (background: 2 000 of the segments), then `link` on
  every segment as an undated document (constraints, passages, BM25 + 4-gram scoring,
  calibration, top 5 with explanations and status hints for those above the threshold).
- Baseline: bm25s over the pledges with its own tokenizer (Swedish stopwords, PyStemmer),
  each segment retrieving its top 5 pledges (tokenising included), in one process and, for a
  multi-process link, in as many forked processes (chunks of 5 000 segments each).

Peak memory is the process's peak RSS after each part (the baseline runs second, so its line
includes Löfte's). The analyzer's word cache is warmed on the pledges and background first;
the one-off lexicon and lemma-list load and the index build are timed separately. The compound
lexicon comes from `LOFTE_ANALYSIS_CACHE_DIR` as in `lofte link` (a first run ever builds it
from hunspell-sv, about 2 s more).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import time
from pathlib import Path

from lofte.config import get_settings
from lofte.language.analyze import get_analyzer
from lofte.pipeline.link import (
    SUGGEST_THRESHOLD,
    DocumentText,
    LinkContext,
    PledgeIndex,
    PledgeText,
)
from lofte.pipeline.link_pool import map_forked

CORPUS = Path(__file__).resolve().parents[1] / "src" / "lofte" / "demo" / "corpus"
PLACES = ["Sjövik", "Kvarnby", "Solgården", "Norrviken", "Strandhagen", "Ekbacken"]
CHUNK = 5000  # segments tokenised and retrieved per bm25s call
BATCH = 500  # documents per link call, as `lofte link` reads and writes them


def corpus_parts() -> tuple[list[str], list[str], list[str]]:
    """(sentences of the news files, program bullets, words) of the demo corpus."""
    sentences, bullets, words = [], [], []
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if path.name.startswith("program"):
            for m in re.finditer(r"●\s*(.+?)(?=\n\s*\n\s*[●A-ZÅÄÖ]|\Z)", text, re.S):
                bullet = " ".join(m.group(1).split())
                if len(bullet.split()) >= 8:
                    bullets.append(bullet)
        else:
            for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
                if len(s.split()) >= 6:
                    sentences.append(s)
        words += re.findall(r"[^\W\d_]{3,}", text)
    return sentences, bullets, words


def recombine(text: str, words: list[str], rng: random.Random, share: float) -> str:
    out = [rng.choice(words) if rng.random() < share and w.isalpha() else w
           for w in text.split()]
    return " ".join(out)


def generate(n: int, n_pledges: int, seed: int = 7) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    sentences, bullets, words = corpus_parts()
    segments = [recombine(" ".join(rng.sample(sentences, rng.randint(1, 3))), words, rng, 0.3)
                for _ in range(n)]
    pledges = [f"{recombine(rng.choice(bullets), words, rng, 0.4)} ({rng.choice(PLACES)})"
               for _ in range(n_pledges)]
    return segments, pledges


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_lofte(
    segments: list[str], pledges: list[str], workers: list[int]
) -> tuple[list[float], int]:
    # As `lofte link` does: the compound lexicon is read from the cache folder when an earlier
    # run built it there (else built from the dictionary and kept).
    folder = get_settings().analysis_cache_dir
    get_analyzer().remember_lexicon_in(Path(folder) if folder else None)
    t0 = time.perf_counter()
    index = PledgeIndex([PledgeText(i, t) for i, t in enumerate(pledges)],
                        background=segments[:2000])
    ctx = LinkContext(None, jurisdiction="Sjöviks kommun")
    docs = [DocumentText(i, "", s) for i, s in enumerate(segments)]
    index.link(docs[:1], ctx)  # the compiled kernel loaded (or compiled, on a first run ever)
    t_build = time.perf_counter() - t0
    n = len(segments)
    print(f"Löfte index     {t_build:10.1f} s     {len(pledges)} pledges, "
          f"{len(index.lexical.units)} units (analyzer load and word cache included)")
    times = []
    # Worker runs first: their warmed word caches die with them, so each run starts as cold as
    # the others from what the parent learnt from the pledges and the background.
    for w in workers:
        t0 = time.perf_counter()
        found = 0
        batches = (docs[lo:lo + BATCH] for lo in range(0, len(docs), BATCH))
        # As `lofte link` runs them: each batch's suggestions are consumed where they were made
        # (there written to the store, here counted); only the batch goes to a worker.
        for count in map_forked(lambda b: len(index.link(b, ctx)), batches, workers=w):
            found += count
        times.append(time.perf_counter() - t0)
        print(f"Löfte link      {n / times[-1]:10.0f} segments/s  ({w} process{'es' * (w > 1)}; "
              f"{found} suggestions >= {SUGGEST_THRESHOLD} over {n} segments, top 5 each)")
    t0 = time.perf_counter()
    ranked = sum(len(index.rank(docs[lo:lo + BATCH], ctx)) for lo in range(0, n, BATCH))
    times.append(time.perf_counter() - t0)
    print(f"Löfte retrieval {n / times[-1]:10.0f} segments/s  (1 process; the same {ranked} pairs, "
          f"scores and top 5 without explanations)")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory     {rss_mb():10.0f} MB after Löfte "
          f"(largest worker process {children:.0f} MB)")
    return times, found


def bench_bm25s(segments: list[str], pledges: list[str], workers: list[int]) -> list[float]:
    """bm25s's time in one process, then (for each of `workers` above 1) in that many forked
    processes of CHUNK segments each, as Löfte's link runs in its workers: the like-for-like
    baseline of a multi-process link."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("swedish")
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(pledges, stopwords="sv", stemmer=stemmer,
                                   show_progress=False), show_progress=False)

    def retrieve(chunk: list[str]) -> int:
        queries = bm25s.tokenize(chunk, stopwords="sv", stemmer=stemmer, return_ids=False,
                                 show_progress=False)
        retriever.retrieve(queries, k=5, show_progress=False, n_threads=1)
        return len(chunk)

    times = []
    for w in [1, *sorted({w for w in workers if w > 1})]:
        t0 = time.perf_counter()
        chunks = (segments[lo:lo + CHUNK] for lo in range(0, len(segments), CHUNK))
        done = sum(retrieve(c) for c in chunks) if w == 1 else sum(
            map_forked(retrieve, chunks, workers=w))
        times.append(time.perf_counter() - t0)
        print(f"bm25s retrieve  {done / times[-1]:10.0f} segments/s  ({w} process"
              f"{'es' * (w > 1)}; top 5, tokenising included)")
    print(f"peak memory     {rss_mb():10.0f} MB after bm25s")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="news segments")
    parser.add_argument("--pledges", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 1],
                        help="Löfte's link processes, one run each (lofte link uses one per core)")
    args = parser.parse_args()
    segments, pledges = generate(args.n, args.pledges)
    words = sum(len(s.split()) for s in segments) / len(segments)
    print(f"{len(segments)} generated segments ({words:.0f} words each on average), "
          f"{len(pledges)} pledges; peak memory before {rss_mb():.0f} MB")
    t_lofte, _ = bench_lofte(segments, pledges, args.workers)
    base = bench_bm25s(segments, pledges, args.workers)
    t_base, t_multi = base[0], dict(zip(sorted({w for w in args.workers if w > 1}), base[1:],
                                         strict=True))
    for w, t in zip(args.workers, t_lofte, strict=False):
        also = f"; {t / t_multi[w]:.2f}x bm25s in {w}" if w in t_multi else ""
        print(f"ratio           Löfte with {w} process{'es' * (w > 1)} takes {t / t_base:.2f}x the "
              f"time of bm25s in one{also} (Löfte adds compounds, n-grams, passages, constraints "
              f"and explanations)")
    print(f"ratio           Löfte's retrieval alone takes {t_lofte[-1] / t_base:.2f}x the time of "
          f"bm25s (both in one process: scores and top 5, no explanation)")


if __name__ == "__main__":
    main()
