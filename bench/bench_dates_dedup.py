"""Texts per second of `find_dates` and `NearDuplicateIndex`, each against a naive baseline.

    .venv/bin/python bench/bench_dates_dedup.py [--texts 20000] [--brute 2000]

The texts are generated here (Swedish-like sentences from a small word list, with dates, times,
money and counts mixed in; one in ten is an edited copy of an earlier text), so the figures do
not depend on ../shared.

- Dates: `find_dates` (all patterns, overlap resolution, relative phrases against a base) vs a
  plain `\\b(19|20)\\d\\d\\b` year regex over the same texts.
- Near-duplicates: the index, used as at ingest (query each text, then add it), vs brute force
  (Jaccard of the text's shingles with every earlier text's). Brute force is timed on the first
  `--brute` texts and its per-text cost grows with the corpus, so it is also extrapolated to the
  full count (cost x texts / brute). Recall: of the pairs brute force finds at Jaccard >= 0.8 in
  the subsample, the share the index finds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import resource
import time

from lofte.language.dates import find_dates
from lofte.pipeline.dedup import NearDuplicateIndex, shingles

WORDS = (
    "staden regionen styret förslaget budgeten skolan vården kollektivtrafiken bostäder unga "
    "barn äldre medarbetare nämnden fullmäktige satsning miljoner kronor arbetet trygghet klimat "
    "utsläpp cykelbanor parker bibliotek idrott förening föreningslivet fritidsgård sommarjobb "
    "elever lärare sjuksköterskor vårdcentral akutsjukhus tunnelbana pendeltåg busslinje "
    "hyresrätter renovering energi solceller laddstolpar avgift taxa skatt höjning sänkning "
    "beslut utredning uppdrag rapport mätning resultat ökning minskning fler färre nya bättre "
    "stärka värna bygga införa slopa utöka prioritera presentera föreslå genomföra satsa "
    "och att för med som på av till i om det den de vi har är ska kan inte också men när där "
    "under efter inför genom mellan utan redan nu även mer mindre hela varje alla många"
).split()
MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"


def phrase(rng: random.Random) -> str:
    """A date, or something that looks like a number a date finder must leave alone."""
    y = rng.randint(2015, 2030)
    return rng.choice([
        f"den {rng.randint(1, 28)} {rng.choice(MONTHS.split())} {y}",
        f"budget för {y}", f"{y} års budget", f"våren {y}", f"hösten {y}", f"år {y}",
        f"den {rng.randint(1, 20)} och {rng.randint(21, 28)} {rng.choice(MONTHS.split())}",
        "igår", "förra veckan", "i fjol", f"kl {rng.randint(8, 20)}:00",
        f"{rng.randint(2, 99)} {rng.randint(100, 999)} kronor",
        f"{rng.randint(1, 9)},{rng.randint(0, 9)} procent",
        f"{rng.randint(10, 99)}-{rng.randint(10, 99)} år", f"{y}",
    ])


def make_text(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(4, 10)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words)), phrase(rng))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def edit(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    words[rng.randrange(len(words))] = "ändrat"
    return "Uppdaterad: " + " ".join(words)


def corpus(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    texts: list[str] = []
    for i in range(n):
        if i > 10 and rng.random() < 0.1:
            texts.append(edit(texts[rng.randrange(i)], rng))
        else:
            texts.append(make_text(rng))
    return texts


def timed(call, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = call(*args)
    return time.perf_counter() - start, result


def bench_dates(texts: list[str]) -> None:
    base = dt.date(2024, 10, 1)
    year = re.compile(r"\b(?:19|20)\d\d\b")
    t_dates, found = timed(lambda: sum(len(find_dates(t, base)) for t in texts))
    t_base, naive = timed(lambda: sum(len(year.findall(t)) for t in texts))
    n = len(texts)
    print(f"find_dates      {n / t_dates:10.0f} texts/s  ({found} mentions)")
    print(f"year regex      {n / t_base:10.0f} texts/s  ({naive} 4-digit years, any meaning)")
    print(f"ratio           find_dates takes {t_dates / t_base:.1f}x the time of the year regex")


def index_pass(texts: list[str]) -> tuple[NearDuplicateIndex, list[list]]:
    index = NearDuplicateIndex()
    hits = []
    for i, text in enumerate(texts):
        signature = index.signature(text)
        hits.append(index.query(text, 0.8, signature=signature))
        index.add(i, text, signature=signature)
    return index, hits


def brute_pass(texts: list[str]) -> list[list[tuple[int, float]]]:
    seen: list[set[int]] = []
    hits = []
    for text in texts:
        s = shingles(text)
        found = []
        for j, other in enumerate(seen):
            common = len(s & other)
            if common and common / (len(s) + len(other) - common) >= 0.8:
                found.append((j, common / (len(s) + len(other) - common)))
        hits.append(found)
        seen.append(s)
    return hits


def bench_dedup(texts: list[str], brute_n: int) -> None:
    n = len(texts)
    t_index, (_, index_hits) = timed(index_pass, texts)
    print(f"index (q+add)   {n / t_index:10.0f} texts/s  over {n} texts "
          f"({sum(map(bool, index_hits))} with a near-duplicate)")
    sub = texts[:brute_n]
    t_sub_index, (_, sub_hits) = timed(index_pass, sub)
    t_brute, brute_hits = timed(brute_pass, sub)
    t_shingle, _ = timed(lambda: [shingles(t) for t in sub])
    # Shingling grows with the texts, the pairwise comparisons with their square.
    scale = n / brute_n
    t_brute_n = t_shingle * scale + (t_brute - t_shingle) * scale**2
    print(f"index (q+add)   {brute_n / t_sub_index:10.0f} texts/s  over the first {brute_n}")
    print(f"brute force     {brute_n / t_brute:10.0f} texts/s  over the first {brute_n}, "
          f"~{n / t_brute_n:.0f} texts/s over {n} (extrapolated)")
    print(f"ratio           index is {t_brute / t_sub_index:.1f}x faster at {brute_n} texts, "
          f"~{t_brute_n / t_index:.0f}x at {n} (extrapolated)")
    truth = {(i, j) for i, found in enumerate(brute_hits) for j, _ in found}
    got = {(i, j) for i, found in enumerate(sub_hits) for j, _ in found}
    recall = len(truth & got) / len(truth) if truth else 1.0
    print(f"recall          {recall:.3f} of {len(truth)} pairs at Jaccard >= 0.8 "
          f"({len(got - truth)} extra pairs from estimation)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=20000)
    parser.add_argument("--brute", type=int, default=2000)
    args = parser.parse_args()
    texts = corpus(args.texts)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(texts)} generated texts, {words:.0f} words each on average")
    bench_dates(texts)
    bench_dedup(texts, min(args.brute, len(texts)))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory     {rss:.0f} MB")


if __name__ == "__main__":
    main()
