"""How a reader's policy area or party is matched to the stored one: one key for the pages,
their JSON twins, the feeds and /api/v1, so that none accepts a spelling another refuses
(QA: /api/v1 refused two spaces the pages took).

A page prints a name without its bidi controls (Jinja `finalize`), so the value its filter
form sends back lacks them: the key ignores every format character (Unicode category Cf:
bidi controls and marks, zero-width joiners, soft hyphens), as it ignores case and spacing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=4096)  # a tracker has few areas and parties, compared per pledge
def match_key(name: str | None) -> str:
    """`name` as filters compare it: no format characters, whitespace runs as one space,
    trimmed, case folded, NFC. "" for None."""
    visible = "".join(c for c in name or "" if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFC", " ".join(visible.split()).casefold())


def same_name(a: str | None, b: str | None) -> bool:
    return match_key(a) == match_key(b)


def known_if_unmatched(given: str, values: Iterable[str | None], most: int = 30) -> str | None:
    """None when `given` matches one of `values` (as filters match); else the values there
    are, as stored, in key order, joined with "; " (the first `most`, "…" for more), "none"
    when there are none: what a refusal of a filter value lists (/api/v1, `lofte pledges`)."""
    known = sorted({v for v in values if v}, key=match_key)
    if match_key(given) in {match_key(v) for v in known}:
        return None
    return "; ".join(known[:most]) + ("; …" if len(known) > most else "") or "none"


def spelled(name: str | None, names: Iterable[str | None]) -> str | None:
    """The first of `names` that `name` matches (as stored); None when none does or `name`
    is blank."""
    key = match_key(name)
    if not key:
        return None
    return next((n for n in names if n and match_key(n) == key), None)
