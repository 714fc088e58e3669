"""Whether a document may be evidence for a tracker's pledges, and how much its place weighs.

**Dates** gate; they never add to a score.
- An *explicit* date (metadata, feed, the user's `--date`), one from the archive folder the
  file is filed under (`…/2024/03/`) or the dateline opening the text ("Stockholm 2 november
  2026 – …") decides: the whole period it names must lie after the
  program ("2022" with year precision against a program of 2022-08-20 could be before it, so it
  is not after) and inside the tracker's term (October 2022 against a government that took
  office on 2022-10-18 could be before it, so it is not inside). A document failing either is
  never suggested; an editor can still attach it by hand.
- An *inferred* date is read from dates the text mentions, and a text mentions dates up to its
  writing, not after: the guess bounds the publication from below. It can therefore confirm
  "after the program" but never refute it (a 2024 text citing figures "mellan 2013 och 2023"
  is inferred 2013). When it does not confirm, the check is unknown.
- No date: unknown. Undated documents stay suggestible, the explanation shows the unknown date.

**Place** weighs: a document that names another jurisdiction ("Region Stockholm", "regeringen")
and not the tracker's own is weak evidence for the tracker's pledges (x `OTHER_WEIGHT`); naming
both is a milder doubt (x `BOTH_WEIGHT`). Naming one of the tracker's actors is reported, not
rewarded: most news about a governing coalition never names its parties.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from ..model import DateProvenance, DateValue

# Dates that state when a document was published (metadata, a feed, the user's `--date`, the
# archive folder it is filed under, the dateline opening its text): they decide. An inferred
# date only bounds it from below.
DECISIVE = frozenset(
    {DateProvenance.EXPLICIT, DateProvenance.METADATA, DateProvenance.PATH, DateProvenance.DATELINE}
)

OTHER_WEIGHT = 0.5
BOTH_WEIGHT = 0.85

# Names of other levels of government, for a tracker of a municipality or a region.
# Proper names must be capitalised; common nouns match in any case ("Regeringen", "regeringen").
_REGION = (
    r"\bRegion(?:en)?\s+[A-ZÅÄÖ][\wåäö]+|\b(?i:regionen|landstinget)\b|"
    r"\b[\wåäö]+\s+läns\s+landsting\b"
)
_MUNICIPALITY = r"\b[A-ZÅÄÖ][\wåäö-]+\s+(?:stad|kommun)\b|\b(?i:kommunen|staden)\b"
_NATIONAL = r"\b(?i:regeringen|riksdagen|staten)\b"
# A word every match of each pattern holds (lower case): a text whose lower case holds none
# is not searched. Most texts name no other level, and the searches were most of the checks.
_WORDS = {
    _REGION: ("region", "landsting"),
    _MUNICIPALITY: ("stad", "kommun"),
    _NATIONAL: ("regeringen", "riksdagen", "staten"),
}
# Characters IGNORECASE matches to a Latin-1 letter that str.lower() does not turn into it
# (every code point is checked in tests/pipeline/test_constraints.py): a text holding one is
# searched whatever its words.
_FOLDS = ("İ", "ı", "ſ")


@dataclass(frozen=True)
class LinkContext:
    """What the tracker says about time and place."""

    program_date: dt.date | None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    jurisdiction: str | None = None  # "Stockholms stad", "Region Stockholm", "Riksdagen"
    actors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checks:
    """The constraint checks of one document, shown with each suggestion."""

    date_ok: bool | None  # after the program; None = unknown (no date, or inferred and unsure)
    in_term: bool | None
    jurisdiction: str  # "own", "other", "both" or "unknown" (no place named)
    actor: bool  # one of the tracker's actors is named
    weight: float  # multiplies the score

    @property
    def allowed(self) -> bool:
        return dates_allow(self.date_ok, self.in_term)

    def as_dict(self) -> dict[str, object]:
        return {
            "date_ok": self.date_ok,
            "in_term": self.in_term,
            "jurisdiction": self.jurisdiction,
            "actor": self.actor,
            "weight": self.weight,
        }


def dates_allow(date_ok: bool | None, in_term: bool | None) -> bool:
    """The date rule of a suggestion: nothing known rules it out (unknown is no objection)."""
    return date_ok is not False and in_term is not False


def date_checks(date: DateValue | None, ctx: LinkContext) -> tuple[bool | None, bool | None]:
    """(after the program, inside the term), each True, False or None (unknown)."""
    if date is None:
        return None, None
    first, last = date.value, date.latest()
    after = None if ctx.program_date is None else first > ctx.program_date
    inside: bool | None = None
    if ctx.term_start is not None or ctx.term_end is not None:
        inside = (ctx.term_start is None or first >= ctx.term_start) and (
            ctx.term_end is None or last <= ctx.term_end
        )
    if date.provenance in DECISIVE:
        return after, inside
    # Inferred: a lower bound. It confirms what it shows and leaves the rest unknown.
    return (True if after else None), (True if inside else None)


def place_of(jurisdiction: str) -> tuple[str, str]:
    """("Stockholm", "municipality") from "Stockholms stad"; "region", "national" likewise."""
    name = jurisdiction.strip()
    low = name.lower()
    if low.startswith("region "):
        return name[7:].strip(), "region"
    if low in ("riksdagen", "regeringen", "sverige", "staten"):
        return "Sverige", "national"
    m = re.fullmatch(r"(.+?)(?:s)?\s+(?:stad|kommun)", name, re.IGNORECASE)
    if m:
        return m.group(1), "municipality"
    m = re.fullmatch(r"(.+?)s?\s+läns\s+landsting", name, re.IGNORECASE)
    if m:
        return m.group(1), "region"
    return name, "municipality"


@dataclass(frozen=True)
class _PlacePatterns:
    others: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]  # with the words they need
    own: re.Pattern[str]
    own_words: tuple[str, ...] | None  # None: not filtered (a name beyond Latin-1)


@functools.lru_cache(maxsize=64)
def _place_patterns(jurisdiction: str) -> _PlacePatterns:
    """Other places' patterns and one pattern for the own place of a jurisdiction, compiled
    once (`re`'s own cache costs more per call than the search itself on short texts), each
    with the words a match needs."""
    place, level = place_of(jurisdiction)
    others = {
        "municipality": [_REGION, _NATIONAL],
        "region": [_MUNICIPALITY, _NATIONAL],
        "national": [_REGION],
    }[level]
    # each alternative with a word every match of it holds (lower case)
    own_parts = [(re.escape(jurisdiction), jurisdiction.lower())]
    if level == "municipality":
        own_parts += [
            (rf"\b{re.escape(place)}s?\s+(?:stad|kommun)\b", place.lower()),
            (r"\bstadens?\b", "staden"),
            (r"\bkommunens?\b", "kommunen"),
            (rf"\b{re.escape(place)}s?\b", place.lower()),
        ]
    elif level == "region":
        own_parts += [
            (rf"\bRegion(?:en)?\s+{re.escape(place)}\b", place.lower()),
            (r"\bregionen\b", "regionen"),
        ]
    else:
        own_parts += [(r"\bregeringen\b", "regeringen"), (r"\briksdagen\b", "riksdagen")]
    own = re.compile("|".join(f"(?:{p})" for p, _ in own_parts), re.IGNORECASE)
    own_words = tuple(dict.fromkeys(w for _, w in own_parts))
    latin1 = all(ord(c) < 0x100 for c in jurisdiction)
    return _PlacePatterns(
        tuple((re.compile(p), _WORDS[p]) for p in others),
        own,
        own_words if latin1 else None,
    )


def _own_and_other(text: str, jurisdiction: str) -> tuple[bool, bool]:
    patterns = _place_patterns(jurisdiction)
    low = text.lower()
    filtered = not any(c in text for c in _FOLDS)
    # Other places are found first and blanked, so "Region Stockholm" does not also count
    # as "Stockholm" for a city tracker.
    masked, other = text, False
    for pattern, words in patterns.others:
        if filtered and not any(w in low for w in words):
            continue  # no match possible: nothing to blank
        # One pass per pattern: rebuilding the text per match was quadratic (issue 9).
        masked, found = pattern.subn(lambda m: " " * len(m.group()), masked)
        other = other or found > 0
    own_words = patterns.own_words
    if filtered and own_words is not None and not any(w in low for w in own_words):
        return False, other
    return patterns.own.search(masked) is not None, other


# The Riksdag parties' short codes and the stems of their names, as the news writes them.
PARTY_NAMES = {
    "S": "socialdemokrat",
    "M": "moderat",
    "SD": "sverigedemokrat",
    "C": "centerpartie",
    "V": "vänsterpartie",
    "KD": "kristdemokrat",
    "L": "liberalerna",
    "MP": "miljöpartie",
}


@functools.lru_cache(maxsize=64)
def _actor_pattern(actors: tuple[str, ...]) -> re.Pattern[str] | None:
    alternatives = []
    for actor in (a.strip() for a in actors):
        if len(actor) <= 3 and actor.isupper():
            # A short code ("S", "KD") is a word of its own, as written: as a case-blind
            # prefix, "S" matched every word starting with an s (QA).
            alternatives.append(rf"(?<!\w){re.escape(actor)}(?!\w)")
            if actor in PARTY_NAMES:
                alternatives.append(rf"(?i:\b{PARTY_NAMES[actor]})")
        elif actor:
            # The name or its inflections ("Socialdemokraternas"): a word starting with its stem.
            alternatives.append(rf"(?i:\b{re.escape(actor[: max(4, len(actor) - 3)])})")
    return re.compile("|".join(alternatives)) if alternatives else None


def _names_actor(text: str, actors: tuple[str, ...]) -> bool:
    pattern = _actor_pattern(actors)
    return pattern is not None and pattern.search(text) is not None


def check_document(text: str, date: DateValue | None, ctx: LinkContext) -> Checks:
    """All checks of a document (title and body in `text`) against the tracker."""
    date_ok, in_term = date_checks(date, ctx)
    if ctx.jurisdiction:
        own, other = _own_and_other(text, ctx.jurisdiction)
        place = "both" if own and other else "own" if own else "other" if other else "unknown"
    else:
        place = "unknown"
    weight = {"other": OTHER_WEIGHT, "both": BOTH_WEIGHT}.get(place, 1.0)
    return Checks(date_ok, in_term, place, _names_actor(text, ctx.actors), weight)
