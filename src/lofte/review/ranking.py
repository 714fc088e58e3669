"""Candidate ranking for review: the classifier's rank and precision label, filters and order.

The extractor puts on every candidate `attributes["rank"]` (float 0..1, the classifier score)
and `attributes["precision"]` ("specific" or "vague"). Older rows have neither: they show as
unknown and sort last. Values that are not what the contract says (a string for the rank, an
unknown label) count as unknown too, so nothing odd from the database steers the order.

Pure functions over `Pledge` records, shared by the editors' pages and `lofte pledges`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from ..model import Pledge

PRECISIONS = ("specific", "vague")
SORTS = ("rank", "position")
MIN_RANKS = (0.0, 0.25, 0.5, 0.75)  # the choices the editors' form offers; any 0..1 is valid


def rank_of(attributes: dict[str, Any]) -> float | None:
    """The candidate's rank, or None when missing or not a number in 0..1."""
    value = attributes.get("rank")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) and 0.0 <= value <= 1.0 else None


def precision_of(attributes: dict[str, Any]) -> str | None:
    """ "specific", "vague", or None when missing or unknown."""
    value = attributes.get("precision")
    return value if value in PRECISIONS else None


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

    def keeps(self, p: Pledge) -> bool:
        if self.precision is not None and precision_of(p.attributes) != self.precision:
            return False
        if self.min_rank > 0:
            rank = rank_of(p.attributes)
            return rank is not None and rank >= self.min_rank
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


def _position(p: Pledge) -> tuple[int, int, int]:
    return (p.document_id, p.start, p.id)


def rank_pledges(pledges: Iterable[Pledge], chosen: RankFilter) -> list[Pledge]:
    """The pledges the filter keeps, in its order (ties and unknown ranks in document order)."""
    kept = sorted((p for p in pledges if chosen.keeps(p)), key=_position)
    if chosen.sort == "position":
        return kept

    def by_rank(p: Pledge) -> tuple[bool, float]:
        rank = rank_of(p.attributes)
        return (rank is None, -(rank or 0.0))

    return sorted(kept, key=by_rank)  # stable: equal ranks keep document order
