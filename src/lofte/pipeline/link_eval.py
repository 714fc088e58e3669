"""Ranking figures for evidence suggestions against a gold set (used by the gates and bench).

Gold: for each document, its `strong` pledges (the document reports action on them) and its
`related` ones (acceptable, not required); a document with neither should get no confident
suggestion. Scores come as a mapping (document, pledge) -> score of every scored pair, so any
linker (Löfte or a baseline) is measured the same way.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

Pair = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class GoldItem:
    document: Hashable
    strong: tuple[Hashable, ...] = ()
    related: tuple[Hashable, ...] = ()


@dataclass(frozen=True)
class LinkFigures:
    strong_items: int
    top3: float  # share of strong items whose gold pledge is in the document's top 3
    mrr: float  # mean reciprocal rank of the best-ranked strong pledge
    pledge_pairs: int
    pledge_top5: float  # share of (pledge, strong document) pairs in the pledge's top 5
    no_link_items: int
    no_link_quiet: float | None  # share of no-link items with no score at/above threshold
    strong_above: float | None  # share of strong items whose gold pledge scores >= threshold
    ranks: dict[Hashable, int] = field(default_factory=dict)

    def line(self, name: str) -> str:
        quiet = "-" if self.no_link_quiet is None else f"{self.no_link_quiet:.2f}"
        above = "-" if self.strong_above is None else f"{self.strong_above:.2f}"
        return (
            f"{name:<14} top3 {self.top3:.2f} ({self.strong_items} items)  "
            f"MRR {self.mrr:.3f}  pledge-top5 {self.pledge_top5:.2f} "
            f"({self.pledge_pairs} pairs)  no-link quiet {quiet} "
            f"({self.no_link_items} items)  strong>=threshold {above}"
        )


def _ranking(scores: Mapping[Pair, float], key: Hashable, side: int) -> list[Hashable]:
    """Ids on the other side of `key`, best first (ties by id, so runs are stable)."""
    pairs = [(p[1 - side], s) for p, s in scores.items() if p[side] == key]
    return [i for i, _ in sorted(pairs, key=lambda x: (-x[1], str(x[0])))]


def figures(
    gold: Sequence[GoldItem], scores: Mapping[Pair, float], threshold: float | None = None
) -> LinkFigures:
    """Top-3 recall, MRR, pledge-side top-5 and no-link quietness of `scores`.

    Pledge side: each pledge ranks every scored document (not only the gold ones).
    """
    strong = [g for g in gold if g.strong]
    ranks: dict[Hashable, int] = {}
    rr = []
    for g in strong:
        order = _ranking(scores, g.document, 0)
        rank = min((order.index(p) + 1 for p in g.strong if p in order), default=0)
        ranks[g.document] = rank
        rr.append(1 / rank if rank else 0.0)
    pairs = [(p, g.document) for g in strong for p in g.strong]
    hits = 0
    for pledge, doc in pairs:
        order = _ranking(scores, pledge, 1)
        hits += doc in order[:5]
    quiet_items = [g for g in gold if not g.strong and not g.related]
    quiet = above = None
    if threshold is not None:
        quiet = (
            sum(
                max((s for (d, _), s in scores.items() if d == g.document), default=0.0) < threshold
                for g in quiet_items
            )
            / len(quiet_items)
            if quiet_items
            else 1.0
        )
        above = (
            (
                sum(
                    any(scores.get((g.document, p), 0.0) >= threshold for p in g.strong)
                    for g in strong
                )
                / len(strong)
            )
            if strong
            else 1.0
        )
    n = len(strong) or 1
    return LinkFigures(
        strong_items=len(strong),
        top3=sum(0 < r <= 3 for r in ranks.values()) / n,
        mrr=sum(rr) / n,
        pledge_pairs=len(pairs),
        pledge_top5=hits / len(pairs) if pairs else 1.0,
        no_link_items=len(quiet_items),
        no_link_quiet=quiet,
        strong_above=above,
        ranks=ranks,
    )


# --- at corpus scale: a score matrix instead of a mapping of pairs ------------------------------


@dataclass(frozen=True)
class PledgeGold:
    """A pledge and the documents that report action on it (strong)."""

    pledge: Hashable
    strong: tuple[Hashable, ...] = ()


@dataclass(frozen=True)
class CorpusFigures:
    document_items: int  # labelled documents with a strong pledge
    top3: float  # share of them whose strong pledge is in the document's top 3
    mrr: float
    pledge_pairs: int  # (pledge, strong document) pairs of the labelled pledges
    pledge_top: float  # share of those pairs in the pledge's top `k` documents of the corpus
    k: int
    no_link_items: int
    no_link_quiet: float | None  # share of no-link documents with no score >= threshold
    ranks: dict[Hashable, int] = field(default_factory=dict)

    def line(self, name: str) -> str:
        quiet = "-" if self.no_link_quiet is None else f"{self.no_link_quiet:.3f}"
        return (
            f"{name:<12} document side: R@3 {self.top3:.3f} MRR {self.mrr:.3f} "
            f"({self.document_items} items)  pledge side: strong in top {self.k} "
            f"{self.pledge_top:.3f} ({self.pledge_pairs} pairs)  no-link quiet {quiet} "
            f"({self.no_link_items} items)"
        )


def corpus_figures(
    documents: Sequence[Hashable],
    pledges: Sequence[Hashable],
    scores: np.ndarray,
    document_gold: Sequence[GoldItem],
    pledge_gold: Sequence[PledgeGold],
    *,
    threshold: float | None = None,
    k: int = 10,
) -> CorpusFigures:
    """Gates on a (documents x pledges) score matrix of a whole corpus: each labelled document
    ranks every pledge, each labelled pledge ranks every document (ties by position, stable).
    A labelled document missing from `documents` (left out by the date rules) counts as a miss.
    """
    row = {d: i for i, d in enumerate(documents)}
    col = {p: j for j, p in enumerate(pledges)}
    ranks: dict[Hashable, int] = {}
    rr: list[float] = []
    for g in (g for g in document_gold if g.strong):
        rank = 0
        if g.document in row:
            order = np.argsort(-scores[row[g.document]], kind="stable")
            position = {int(j): r + 1 for r, j in enumerate(order)}
            rank = min(position[col[p]] for p in g.strong)
        ranks[g.document] = rank
        rr.append(1 / rank if rank else 0.0)
    hits = pairs = 0
    for pg in pledge_gold:
        if not pg.strong:
            continue
        top = {documents[int(i)] for i in np.argsort(-scores[:, col[pg.pledge]], kind="stable")[:k]}
        pairs += len(pg.strong)
        hits += sum(d in top for d in pg.strong)
    quiet_items = [g for g in document_gold if not g.strong and not g.related]
    quiet = None
    if threshold is not None and quiet_items:
        quiet = sum(
            g.document not in row or float(scores[row[g.document]].max()) < threshold
            for g in quiet_items
        ) / len(quiet_items)
    n = len(rr) or 1
    return CorpusFigures(
        document_items=len(rr),
        top3=sum(0 < r <= 3 for r in ranks.values()) / n,
        mrr=sum(rr) / n,
        pledge_pairs=pairs,
        pledge_top=hits / pairs if pairs else 1.0,
        k=k,
        no_link_items=len(quiet_items),
        no_link_quiet=quiet,
        ranks=ranks,
    )
