"""Ranking figures for evidence suggestions against a gold set (used by the gates and bench).

Gold: for each document, its `strong` pledges (the document reports action on them) and its
`related` ones (acceptable, not required); a document with neither should get no confident
suggestion. Scores come as a mapping (document, pledge) -> score of every scored pair, so any
linker (Löfte or a baseline) is measured the same way.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

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
