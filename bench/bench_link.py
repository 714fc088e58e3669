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
  multi-process link, in as many forked processes (chunks of 5 000 segments each). Its
  retrieval runs with `n_threads=0`, a plain loop: its fastest way in one process. Until
  2026-12-02 this bench called it with `n_threads=1`, which hands every query to a one-thread
  pool and took about 1.7x as long; that figure is printed too ("bm25s, one-thread pool"),
  so that the earlier tables in docs/linking.md can be read against it.

The parts take turns on each block of 10 000 segments (Löfte's link in each number of
processes, its retrieval alone, bm25s in one and in as many processes), so that the shared
machine's changes of speed weigh on all of them alike; each part's time is summed over the
blocks. Peak memory is the process's peak RSS (Löfte and bm25s together) and the largest
worker's. The analyzer's word cache is warmed on the pledges and background first; the
one-off lexicon and lemma-list load and the index build are timed separately. The compound
lexicon comes from `LOFTE_ANALYSIS_CACHE_DIR` as in `lofte link` (a first run ever builds it
from hunspell-sv, about 2 s more).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import time
from collections.abc import Callable
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
BLOCK = 10_000  # segments each part runs on before the next part takes its turn


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


class Timer:
    """Seconds and items per labelled part, summed over the blocks."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.items: dict[str, int] = {}

    def run(self, label: str, work: Callable[..., int], *args: object) -> None:
        t0 = time.perf_counter()
        items = work(*args)
        self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - t0
        self.items[label] = self.items.get(label, 0) + items


def build_lofte(segments: list[str], pledges: list[str]) -> tuple[PledgeIndex, LinkContext]:
    # As `lofte link` does: the compound lexicon is read from the cache folder when an earlier
    # run built it there (else built from the dictionary and kept).
    folder = get_settings().analysis_cache_dir
    get_analyzer().remember_lexicon_in(Path(folder) if folder else None)
    t0 = time.perf_counter()
    index = PledgeIndex([PledgeText(i, t) for i, t in enumerate(pledges)],
                        background=segments[:2000])
    ctx = LinkContext(None, jurisdiction="Sjöviks kommun")
    index.link([DocumentText(-1, "", segments[0])], ctx)  # the compiled kernel loaded
    print(f"Löfte index     {time.perf_counter() - t0:10.1f} s     {len(pledges)} pledges, "
          f"{len(index.lexical.units)} units (analyzer load and word cache included)")
    return index, ctx


def build_bm25s(pledges: list[str], n_threads: int = 0) -> Callable[[list[str]], int]:
    """bm25s over the pledges; the returned function retrieves the top 5 for a list of
    segments (tokenising included) and gives their number. `n_threads=0`: bm25s's plain loop;
    1: its one-thread pool (the earlier, slower baseline)."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("swedish")
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(pledges, stopwords="sv", stemmer=stemmer,
                                   show_progress=False), show_progress=False)

    def retrieve(chunk: list[str]) -> int:
        queries = bm25s.tokenize(chunk, stopwords="sv", stemmer=stemmer, return_ids=False,
                                 show_progress=False)
        retriever.retrieve(queries, k=5, show_progress=False, n_threads=n_threads)
        return len(chunk)

    return retrieve


def run_blocks(segments: list[str], pledges: list[str], workers: list[int]) -> Timer:
    """Every part on each block of BLOCK segments in turn, so that a change of the machine's
    speed during the run (these machines are shared) weighs on all parts alike."""
    index, ctx = build_lofte(segments, pledges)
    bm25s_retrieve = build_bm25s(pledges)
    bm25s_pooled = build_bm25s(pledges, n_threads=1)
    timer = Timer()
    docs = [DocumentText(i, "", s) for i, s in enumerate(segments)]
    many = sorted({w for w in workers if w > 1})

    def link(batches: list[list[DocumentText]], w: int) -> int:
        # As `lofte link` runs them: each batch's suggestions are consumed where they were
        # made (there written to the store, here counted); only the batch goes to a worker.
        return sum(map_forked(lambda b: len(index.link(b, ctx)), batches, workers=w))

    def rank(batches: list[list[DocumentText]]) -> int:
        return sum(len(index.rank(b, ctx)) for b in batches)

    def baseline(chunks: list[list[str]], w: int) -> int:
        return sum(map_forked(bm25s_retrieve, chunks, workers=w))

    for lo in range(0, len(docs), BLOCK):
        block, texts = docs[lo:lo + BLOCK], segments[lo:lo + BLOCK]
        batches = [block[i:i + BATCH] for i in range(0, len(block), BATCH)]
        # Multi-process links first: their workers' warmed word caches die with them, so
        # each run sees the parent's cache as it was before the block.
        for w in sorted(workers, reverse=True):
            timer.run(f"link {w}", link, batches, w)
        timer.run("retrieval", rank, batches)
        chunks = [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]
        for w in [1, *many]:
            timer.run(f"bm25s {w}", baseline, chunks, w)
        timer.run("bm25s pool", lambda: sum(bm25s_pooled(c) for c in chunks))
    return timer


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
    timer = run_blocks(segments, pledges, args.workers)
    n = len(segments)
    rate = {label: n / seconds for label, seconds in timer.seconds.items()}
    for w in sorted(args.workers, reverse=True):
        print(f"Löfte link      {rate[f'link {w}']:10.0f} segments/s  ({w} process"
              f"{'es' * (w > 1)}; {timer.items[f'link {w}']} suggestions >= {SUGGEST_THRESHOLD} "
              f"over {n} segments, top 5 each)")
    print(f"Löfte retrieval {rate['retrieval']:10.0f} segments/s  (1 process; the same "
          f"{timer.items['retrieval']} pairs, scores and top 5 without explanations)")
    for label in sorted(k for k in rate if k.startswith("bm25s") and k != "bm25s pool"):
        w = int(label.split()[1])
        print(f"bm25s retrieve  {rate[label]:10.0f} segments/s  ({w} process{'es' * (w > 1)}; "
              f"top 5, tokenising included; n_threads=0)")
    print(f"bm25s, one-thread pool {rate['bm25s pool']:3.0f} segments/s  (1 process, n_threads=1: "
          f"the baseline of this bench before 2026-12-02)")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory     {rss_mb():10.0f} MB (Löfte and bm25s in one process; largest "
          f"worker process {children:.0f} MB)")
    base = timer.seconds["bm25s 1"]
    for w in sorted(args.workers, reverse=True):
        t = timer.seconds[f"link {w}"]
        also = f"; {t / timer.seconds[f'bm25s {w}']:.2f}x bm25s in {w}" if w > 1 else ""
        print(f"ratio           Löfte with {w} process{'es' * (w > 1)} takes {t / base:.2f}x the "
              f"time of bm25s in one{also} (Löfte adds compounds, n-grams, passages, constraints "
              f"and explanations)")
    print(f"ratio           Löfte's retrieval alone takes {timer.seconds['retrieval'] / base:.2f}x "
          f"the time of bm25s (both in one process: scores and top 5, no explanation)")
    pool = timer.seconds["bm25s pool"]
    print(f"ratio (earlier baseline) Löfte with 1 process takes "
          f"{timer.seconds['link 1'] / pool:.2f}x the time of bm25s with n_threads=1, retrieval "
          f"alone {timer.seconds['retrieval'] / pool:.2f}x" if "link 1" in timer.seconds else "")


if __name__ == "__main__":
    main()
