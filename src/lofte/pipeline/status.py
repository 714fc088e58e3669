"""A stance and status hint from the wording of an evidence passage: never a verdict.

The hint reads cue phrases in the passage and sets them against the pledge's own direction:

- **Done** ("har införts", "invigdes", "öppnade", "serverar") -> supports, `kept`.
- **In the works** ("föreslår", "förslag", "budget", "ska", "planerar", "beslutat om") ->
  supports, `in_the_works`. A present-tense change inside a proposal ("i förslaget till
  budget 2025 slopas avgifterna") is still only proposed, so these win over present-tense done
  cues, not over past-tense ones ("infördes").
- **Part of it** ("sänktes med 25 procent", "delvis", "ett första steg") -> partial,
  `partially_kept`.
- **Stopped** ("läggs ned", "stoppas", "avbryts") -> against, `broken`; **delayed** ("skjuts
  upp", "försenas") -> against, `stalled`.

Direction: removal verbs ("slopas", "avskaffas", "stoppas", "sänks") support a pledge that
itself removes or lowers something ("Avgiftsbefria stadens fritidsklubbar", "Stoppa
utförsäljningarna") and turn against any other pledge; lowering a cost the pledge wants gone
("sänktes" for "avgiftsbefria") is partial.

Negation: "inte", "ej", "aldrig", "inga", "inget" just before a cue (or right after its verb:
"avskaffas inte") turns it: a negated done or proposed change is against (`stalled`), a negated
stop supports weakly. Wording that matches no cue gives `mentions` with no status.

Confidence is a rough prior per cue kind, lowered when cues conflict; it is meant for ordering
hints, not as a probability.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import NamedTuple

from ..model import Stance, VerdictStatus
from .link_kernel import word_starts

_NEG = r"(?:inte|ej|aldrig|inga|inget|icke)"
_N = r"(?:(?:inte|ej|aldrig|ännu inte) )?"  # a negation inside a phrase: "har inte införts"
_PAST_DONE = (
    rf"har {_N}(?:nu )?(?:införts|inrättats|öppnats|invigts|genomförts|byggts|"
    r"startats|anställts|tagits i bruk|blivit verklighet|avskaffats|slopats|sänkts|"
    r"stoppats)|infördes|invigdes|inrättades|öppnade|har öppnat|genomfördes|startade|"
    r"togs i bruk|stod klar|står klar|är (?:nu )?klar|är (?:nu )?på plats|uppfyller vi|"
    r"avskaffades|slopades|stoppades|sedan [\wåäö ]{0,30}?(?:serverar|erbjuder|finns)"
)
_PRESENT_DONE = r"serverar|serveras|erbjuds|införs|öppnar|inrättas|anställs|avskaffas|slopas"
_WORKS = (
    r"föreslår|förslag\w*|budget\w*|planerar|planeras|ska (?:\w+ )?(?:införas|byggas|"
    r"inrättas|öppnas|genomföras)|kommer att|utreds|utredning\w*|påbörjas|påbörjades|"
    r"inleds|har beslutat|beslutade|beslutat om|avsätts|avsätter|satsar|"
    r"intensifierat arbetet|arbetar för"
)
_PARTIAL = (
    r"(?:sänk|minsk|halver)\w* med (?:nästan |drygt |cirka |ca )?\d[\d ,]*"
    r"(?:procent|%)|delvis|ett första steg|första steget|i ett första skede|stegvis"
)
_BROKEN = (
    rf"läggs {_N}ned|lades {_N}ned|har {_N}lagts ned|läggs {_N}ner|lades {_N}ner|"
    rf"nedläggning\w*|stoppas|stoppades|avbryts|avbröts|ställs {_N}in|dras {_N}in|"
    r"drogs in|skrotas|skrotades"
)
_STALLED = (
    rf"skjuts {_N}upp|sköts upp|har {_N}skjutits upp|försenas|försenades|pausas|"
    r"pausades"
)
_REMOVAL = r"slopa\w*|avskaffa\w*|stoppa\w*|tas bort|togs bort|avveckla\w*|läggs ned"
_LOWERING = r"sänk\w*|minsk\w*"
# What a pledge removes or lowers: "avgift" of "avgiftsbefria"/"avgiftsfri", the object after
# "Stoppa", "Avskaffa", "Sänka"... Removal in the news carries such a pledge out only when it
# acts on that object ("slopas avgifterna"), not on something else ("satsningen stoppas").
_FREE_OF = r"\b([\wåäö]+?)s?(?:befria\w*|befri|fria|fritt|fri)\b"
_REMOVE_VERB = r"\b(?:slopa|avskaffa|stoppa|sänka|minska|halvera|avveckla|ta bort)\w*\s+"
_ARTICLES = r"(?:(?:de|den|det|alla|stadens|kommunens)\s+)?"
_ABOLISH = r"\b(?:[\wåäö]+?s?(?:befria\w*|befri|fria|fritt|fri)|gratis|avskaffa\w*|slopa\w*)\b"
OBJECT_PREFIX = 5  # "avgif" meets avgift, avgifter, avgifterna
WINDOW = 5  # words either side of a removal cue where its object must be
_WINDOW_CHARS = 100 * WINDOW  # how far to look for those words
_WORDS = re.compile(r"[\wåäö]+")


class StatusHint(NamedTuple):
    stance: Stance
    status: VerdictStatus | None
    confidence: float
    cues: tuple[str, ...]  # the phrases that decided, as written in the passage


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\wåäö])(?:{pattern})(?![\wåäö])")


_NEG_AFTER = re.compile(rf"\s+{_NEG}\b")
_NEG_INSIDE = re.compile(rf"\b{_NEG}\b")
_NEG_WORDS = frozenset(_NEG[3:-1].split("|"))  # the words of _NEG: a set look-up per word


def _negated(text: str, m: re.Match[str]) -> bool:
    """A negation inside the cue, among the three words before it, or right after it."""
    if _NEG_INSIDE.search(text, m.start(), m.end()):
        return True
    # the words of the 40 characters before the cue (a word cut at their start counts as
    # the part inside them, as in a slice)
    before = _WORDS.findall(text[max(0, m.start() - 40) : m.start()])[-3:]
    after = _NEG_AFTER.match(text, m.end())  # from the cue's end: no copy of the tail per cue
    return not _NEG_WORDS.isdisjoint(before) or after is not None


@functools.lru_cache(maxsize=4096)
def _removed_objects(pledge: str) -> tuple[str, ...]:
    found = [m.group(1) for m in re.finditer(_FREE_OF, pledge)]
    found += [m.group(1) for m in re.finditer(rf"{_REMOVE_VERB}{_ARTICLES}([\wåäö]+)", pledge)]
    if re.search(r"\bgratis\b|kostnadsfri", pledge):
        found += ["avgift", "kostnad"]
    return tuple(dict.fromkeys(w[:OBJECT_PREFIX] for w in found if len(w) >= 3))


@functools.lru_cache(maxsize=4096)
def _abolishes(pledge: str) -> bool:
    return re.search(_ABOLISH, pledge) is not None


def _near(text: str, m: re.Match[str], prefixes: tuple[str, ...]) -> bool:
    """One of the pledge's removed objects among the words around the cue."""
    # Bounded windows, not the whole text before and after each cue: that was quadratic in
    # the number of cues (issue 9). A word cut at the window's start is dropped.
    lo = max(0, m.start() - _WINDOW_CHARS)
    before = _WORDS.findall(text, lo, m.start())
    if before and lo and _WORDS.match(text, lo - 1):
        before = before[1:]
    after = _WORDS.findall(text, m.end(), m.end() + _WINDOW_CHARS)[:WINDOW]
    before = before[-WINDOW:]
    return any(w.startswith(prefixes) for w in before + after)


_KINDS = {
    "broken": _BROKEN,
    "stalled": _STALLED,
    "removal": _REMOVAL,
    "partial": _PARTIAL,
    "lowering": _LOWERING,
    "past": _PAST_DONE,
    "present": _PRESENT_DONE,
    "works": _WORKS,
}


def first_words(pattern: str) -> tuple[str, ...] | None:
    """The letters each top-level alternative of `pattern` surely starts with, or None when
    one starts with anything else (a group, a class): a match of `pattern` starts with one of
    them, so it is tried nowhere else. Letters before a quantifier are not sure, so not kept."""
    alternatives, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 1  # an escaped character: never a bracket or a bar
        elif ch == "[":
            i = pattern.index("]", i + 1)  # a class holds no bracket or bar in these patterns
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            alternatives.append(pattern[start:i])
            start = i + 1
        i += 1
    alternatives.append(pattern[start:])
    words: list[str] = []
    for alternative in alternatives:
        # a leading group of plain words, "(?:sänk|minsk)\w* med": each is a sure start
        group = re.match(r"\(\?:([a-zåäö]+(?:\|[a-zåäö]+)*)\)(?![?*{])", alternative)
        if group:
            words += group.group(1).split("|")
            continue
        # letters and the spaces between words: "i ett första skede" rules out far more
        # positions than "i"
        letters = re.match(r"[a-zåäö ]*", alternative).group()  # type: ignore[union-attr]
        if alternative[len(letters) : len(letters) + 1] in ("?", "*", "{"):
            letters = letters[:-1]
        if not letters.strip():
            return None
        words.append(letters)
    return tuple(dict.fromkeys(words))


# A kind is tried only where one of its first words starts: eight passes over every passage
# with a cue were most of the time of explaining a link run.
_FIRST_WORDS = {kind: first_words(pattern) for kind, pattern in _KINDS.items()}


def _by_first_letter(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The words by their first letter, without those another of them starts ("i" covers
    "infördes"): a position either starts with one of the kept or with none."""
    kept = sorted(set(words))
    kept = [w for w in kept if not any(w != o and w.startswith(o) for o in kept)]
    grouped: dict[str, list[str]] = {}
    for word in kept:
        grouped.setdefault(word[0], []).append(word)
    return {letter: tuple(ws) for letter, ws in grouped.items()}


# Every kind's sure first words, by their first letter (every kind has them: `_scan` relies on
# it, and a test holds it).
_CUE_PREFIXES = _by_first_letter(w for ws in _FIRST_WORDS.values() for w in ws or ())


def _cue_starts(text: str) -> list[int]:
    """Every position where a cue of some kind may start, in order: the word starts (a kind's
    look-behind allows no other) with one of the kinds' first words there. One compiled pass
    over the words; a search for any cue, one pattern of every kind's alternatives, took a
    tenth of explaining a link run."""
    return word_starts(text, _CUE_PREFIXES)


def _find_at(pattern: str, text: str, starts: list[int]) -> list[re.Match[str]]:
    """The pattern's `finditer` matches, tried only at `starts` (every position where a match
    could begin, in order): each is the first of them where the pattern matches after the
    last."""
    compiled, found, end = _compiled(pattern), [], 0
    for pos in starts:
        if pos >= end:
            m = compiled.match(text, pos)
            if m is not None:
                found.append(m)
                end = m.end()
    return found


@functools.lru_cache(maxsize=4096)
def _scan(text: str) -> dict[tuple[str, bool], tuple[re.Match[str], ...]]:
    """Every cue of every kind in a (lower-cased) passage, keyed by kind and whether it is
    negated: one passage is read against several pledges, the pledge-dependent part is cheap.
    Each kind is tried only where a cue may start (`_cue_starts`), not over the whole text."""
    starts = _cue_starts(text)
    if not starts:
        return _NONE  # most passages
    out: dict[tuple[str, bool], tuple[re.Match[str], ...]] | None = None
    for pattern, words, keys in _TRIED:
        mine = [p for p in starts if text.startswith(words, p)]
        found = _find_at(pattern, text, mine) if mine else None
        if not found:
            continue
        if out is None:
            out = dict(_NONE)  # its key tuples, not new ones per passage kept in the cache
        negated = [_negated(text, m) for m in found]
        for key, wanted in zip(keys, (False, True), strict=True):
            out[key] = tuple(m for m, neg in zip(found, negated, strict=True) if neg == wanted)
    return _NONE if out is None else out  # _NONE: a passage with no cue at all


# (pattern, first words, its two keys in `_scan`'s answer) of each kind
_TRIED = [
    (pattern, words, ((kind, False), (kind, True)))
    for kind, pattern in _KINDS.items()
    if (words := _FIRST_WORDS[kind])
]
assert len(_TRIED) == len(_KINDS), "every kind needs sure first words (see _cue_starts)"
_NONE: dict[tuple[str, bool], tuple[re.Match[str], ...]] = {
    key: () for *_, keys in _TRIED for key in keys
}


_NO_CUE = StatusHint(Stance.MENTIONS, None, 0.2, ())


def status_hint(passage: str, pledge: str = "") -> StatusHint:
    """The stance of `passage` towards `pledge` and a status hint, from wording alone."""
    removal, lowering = _reads_traits(passage)
    if removal is None:
        return _NO_CUE  # most passages: nothing to weigh against the pledge
    objects, abolishes = _pledge_traits(pledge)
    # The pledge's traits count only through the cues that read them: left out otherwise, so
    # that a passage is weighed once for all of its document's pledges, not once per pledge.
    abolishes = abolishes and lowering
    if not (removal or abolishes):
        objects = ()
    return _hint(passage, objects, abolishes)


@functools.lru_cache(maxsize=4096)
def _reads_traits(passage: str) -> tuple[bool | None, bool]:
    """(whether a removal cue is in `passage`, whether a lowering one is), None for the first
    when the passage has no cue at all. `_hint` reads the pledge's removed objects only near
    removal and lowering cues, and whether it abolishes only for lowering ones."""
    found = _scan(passage.lower())
    if found is _NONE or not any(found.values()):
        return None, False
    return bool(found["removal", False]), bool(found["lowering", False])


@functools.lru_cache(maxsize=4096)
def _pledge_traits(pledge: str) -> tuple[tuple[str, ...], bool]:
    """What of a pledge the hint reads: the objects it removes, whether it abolishes."""
    low = pledge.lower()
    return _removed_objects(low), _abolishes(low)


@functools.lru_cache(maxsize=4096)
def _hint(passage: str, objects: tuple[str, ...], abolishes: bool) -> StatusHint:
    """The hint depends on the pledge only through its traits: a passage explained against
    its document's top pledges is read once for all of them that share them."""
    text = passage.lower()
    found = _scan(text)
    if not any(found.values()):
        return _NO_CUE  # most passages: nothing to weigh against the pledge

    def hits(kind: str, negated: bool = False) -> list[re.Match[str]]:
        return list(found[kind, negated])

    def on_object(m: re.Match[str]) -> bool:
        return bool(objects) and _near(text, m, objects)

    # Removing what the pledge itself wants removed carries it out, it does not stop it.
    carried = [m for m in hits("removal") if on_object(m)]
    carried_spans = {m.span() for m in carried}
    stopped = [m for m in hits("broken") + hits("stalled") if m.span() not in carried_spans]
    stopped_neg = [
        m for m in hits("broken", True) + hits("stalled", True) if m.span() not in carried_spans
    ]
    taken = {m.span() for m in stopped}
    # "slopas" of something the pledge wants kept turns against it.
    stopped += [
        m for m in hits("removal") if m.span() not in carried_spans and m.span() not in taken
    ]

    partial = hits("partial")
    if abolishes:  # lowering a cost the pledge wants gone is part of the way
        partial += [m for m in hits("lowering") if on_object(m)]

    past = hits("past")
    present = [m for m in hits("present") if m.span() not in taken]
    seen = {m.span() for m in present + past}
    present += [m for m in carried if m.span() not in seen]
    denied = hits("past", True) + hits("present", True) + hits("works", True)
    works = hits("works")

    def hint(
        stance: Stance,
        status: VerdictStatus | None,
        conf: float,
        found: list[re.Match[str]],
        rivals: int,
    ) -> StatusHint:
        cues = tuple(dict.fromkeys(passage[m.start() : m.end()] for m in found))
        return StatusHint(stance, status, round(max(0.2, conf - 0.1 * rivals), 2), cues)

    positive = len(past) + len(present) + len(works)
    if stopped:
        stalls = [m for m in stopped if re.fullmatch(_STALLED, m.group())]
        status = VerdictStatus.STALLED if stalls else VerdictStatus.BROKEN
        return hint(Stance.AGAINST, status, 0.6, stopped, positive)
    if denied and not past:
        return hint(Stance.AGAINST, VerdictStatus.STALLED, 0.5, denied, positive)
    if partial:
        return hint(Stance.PARTIAL, VerdictStatus.PARTIALLY_KEPT, 0.6, partial, 0)
    if past:
        return hint(Stance.SUPPORTS, VerdictStatus.KEPT, 0.6, past, len(works))
    if works:
        return hint(Stance.SUPPORTS, VerdictStatus.IN_THE_WORKS, 0.5, works + present, 0)
    if present:
        return hint(Stance.SUPPORTS, VerdictStatus.KEPT, 0.4, present, 0)
    if stopped_neg:
        return hint(Stance.SUPPORTS, None, 0.3, stopped_neg, 0)
    return _NO_CUE
