"""Candidate ranking for review: the classifier's rank and precision label, filters and order.

The extractor puts on every candidate `attributes["rank"]` (float 0..1, the classifier score)
and `attributes["precision"]` ("specific" or "vague"). Older rows have neither: they show as
unknown and sort last. Values that are not what the contract says (a string for the rank, an
unknown label) count as unknown too, so nothing odd from the database steers the order.

Pure functions over `Pledge` records, shared by the editors' pages and `lofte pledges`, or
over `RankFacts`: what they read of a pledge, which the editors' list reads without whole
records (`store.pledges.rank_outline`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from ..errors import ValidationError
from ..model import Pledge

T = TypeVar("T")

PRECISIONS = ("specific", "vague")
SORTS = ("rank", "position")
MIN_RANKS = (0.0, 0.25, 0.5, 0.75)  # the choices the editors' form offers; any 0..1 is valid


def rank_of(attributes: Mapping[str, Any]) -> float | None:
    """The candidate's rank, or None when missing or not a number in 0..1."""
    return rank_value(attributes.get("rank"))


def rank_value(value: object) -> float | None:
    """`attributes["rank"]` as a rank (`rank_of`): None unless a number in 0..1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        value = float(value)
    except OverflowError:  # an integer past any float: no rank either
        return None
    return value if math.isfinite(value) and 0.0 <= value <= 1.0 else None


def precision_of(attributes: Mapping[str, Any]) -> str | None:
    """ "specific", "vague", or None when missing or unknown."""
    return precision_value(attributes.get("precision"))


def precision_value(value: object) -> str | None:
    """`attributes["precision"]` as a precision (`precision_of`)."""
    return value if isinstance(value, str) and value in PRECISIONS else None


class RankFacts(NamedTuple):  # a tuple: made fast enough for a program's every pledge
    """What the filter and the order read of a pledge: its place in the program, its rank and
    its precision (as `rank_of` and `precision_of` give them)."""

    id: int
    document_id: int
    start: int
    rank: float | None
    precision: str | None

    @classmethod
    def of(cls, p: Pledge) -> RankFacts:
        return cls(p.id, p.document_id, p.start, rank_of(p.attributes), precision_of(p.attributes))


@dataclass(frozen=True)
class RankFilter:
    precision: str | None = None  # None: all
    min_rank: float = 0.0  # above 0, candidates without a rank are left out
    sort: str = "rank"  # "rank": highest first, unknown last; "position": document order

    @classmethod
    def parse(
        cls,
        precision: str | None = None,
        min_rank: str | None = None,
        sort: str | None = None,
        default_sort: str = "rank",
    ) -> RankFilter:
        """From form or command-line text; ValidationError names the bad value."""
        chosen = (precision or "").strip().lower()
        if chosen in ("", "all"):
            chosen_precision = None
        elif chosen in PRECISIONS:
            chosen_precision = chosen
        else:
            raise ValidationError("precision must be all, specific or vague")
        order = (sort or "").strip().lower() or default_sort
        if order not in SORTS:
            raise ValidationError("sort must be rank or position")
        return cls(chosen_precision, parse_min_rank(min_rank), order)

    def keeps(self, p: Pledge | RankFacts) -> bool:
        facts = p if isinstance(p, RankFacts) else RankFacts.of(p)
        if self.precision is not None and facts.precision != self.precision:
            return False
        if self.min_rank > 0:
            return facts.rank is not None and facts.rank >= self.min_rank
        return True


def parse_min_rank(text: str | None) -> float:
    """A minimum rank from text ("0.5", "0,5", "" for none); ValidationError unless 0..1."""
    cleaned = (text or "").strip().replace(",", ".")
    if not cleaned:
        return 0.0
    try:
        value = float(cleaned)
    except ValueError:
        raise ValidationError("min_rank must be a number from 0 to 1") from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValidationError("min_rank must be a number from 0 to 1")
    return value


def rank_pledges(pledges: Iterable[Pledge], chosen: RankFilter) -> list[Pledge]:
    """The pledges the filter keeps, in its order (ties and unknown ranks in document order)."""
    return _ranked(pledges, chosen, RankFacts.of)


def rank_facts(facts: Iterable[RankFacts], chosen: RankFilter) -> list[RankFacts]:
    """As `rank_pledges`, of pledges read as `RankFacts` only."""
    return _ranked(facts, chosen, lambda f: f)


def _ranked(items: Iterable[T], chosen: RankFilter, facts_of: Callable[[T], RankFacts]) -> list[T]:
    kept = [(facts, item) for item in items if chosen.keeps(facts := facts_of(item))]
    kept.sort(key=lambda fi: (fi[0].document_id, fi[0].start, fi[0].id))
    if chosen.sort == "rank":  # stable: equal ranks keep document order
        kept.sort(key=lambda fi: (fi[0].rank is None, -(fi[0].rank or 0.0)))
    return [item for _, item in kept]
