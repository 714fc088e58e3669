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
utförsäljningarna") when they act on what it removes (within its sentence); lowering a cost the
pledge wants gone ("sänktes" for "avgiftsbefria") is partial. A removal turns against another
pledge only when it acts on something that pledge names ("Budgeten för simhallen slopas" for
"Bygga en ny simhall"), and not when what goes is a ban or a limit ("förbudet mot nya reaktorer
tas bort"); any other removal is no report on the pledge and reads as no cue. A removal after a
modal ("ska slopas", "kan tas bort") is planned: in the works when it carries the pledge out,
no cue otherwise. The bare infinitive ("stoppa", "avveckla", "sänka") states a goal, never a
report ("drivit frågan om att avveckla Bromma flygplats").

What is done must be the pledge's own: a done cue reports on the pledge only when the words
around it (five either side within its sentence, or the sentence before when its own names
nothing but pronouns: "Den invigdes i går") share a stem with what the pledge brings about: the
words after its opening verb up to "som", "där" or a comma ("en broms i pensionssystemet", not
the "pensioner" it promises), or, for a pledge without an opening verb, every word it names. A
done cue dated well before the passage's own time is background ("Sedan systemet infördes 1999
har …" in a passage on 2024; "infördes för tio år sedan"): a written year in the cue's clause
at least `BACKGROUND_YEARS` before the latest year the passage writes of its own time, or "för
N år sedan" with N at least that. Only a sentence that reports gives that time: not one that
forecasts or plans ("ska", "väntas", "räknar med", "enligt prognosen för 2030", "planen"), nor a
target ("till 2030") or a range's end ("2025–2030"). Neither kind is then a cue. A done cue
inside a proposal ("föreslås att det införs", "förslaget innebär att … införs", an inquiry's
list of changes "skickas på remiss") is at most in the works: a present-tense one wherever the
passage proposes, a past-tense one after a proposal word in its own sentence.

Goals and waiting: cues inside a purpose clause ("för att stoppa brottsligheten", "i syfte att
…") or after "i väntan på" ("i väntan på att lagen är på plats") say what is wanted or not yet
there, not what became of the pledge: they are dropped. A purpose clause holds no finite verb,
so it ends at the first one ("För att stoppa X har staden …", "… föreslår regeringen …"),
at a punctuation mark or after ten words; "i väntan på att" keeps its own clause's verb.

Negation: "inte", "ej", "aldrig", "inga", "inget" right before a cue (over "att" and an
indefinite article: "inte något förslag", "kommer inte att slopas"), inside it ("har inte
införts") or right after a verb cue ("avskaffas inte") turns it: a negated done or proposed
change is against (`stalled`), a negated stop supports weakly. A negation further off belongs
to another verb ("påverkas inte av förslagen"). Wording that matches no cue gives `mentions`
with no status.

Confidence is a rough prior per cue kind, lowered when cues conflict; it is meant for ordering
hints, not as a probability.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from ..model import Stance, VerdictStatus
from .attributes import starts_with_verb
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
# Proposal words that make a done cue only proposed ("föreslås att det införs"), not cues by
# themselves: "föreslår" and "förslag" are in the works already.
_PROPOSAL = (
    r"föreslå|föreslår|föreslås|föreslog|föreslogs|föreslagits|föreslagna|förslag\w*|remiss\w*|"
    r"lagrådsremiss\w*|promemorian|betänkandet"
)
_PARTIAL = (
    r"(?:sänk|minsk|halver)(?!a\b)\w* med (?:nästan |drygt |cirka |ca )?\d[\d ,]*"
    r"(?:procent|%)|delvis|ett första steg|första steget|i ett första skede|stegvis"
)
_BROKEN = (
    rf"läggs {_N}ned|lades {_N}ned|har {_N}lagts ned|läggs {_N}ner|lades {_N}ner|"
    rf"nedläggning\w*|stoppas|stoppades|avbryts|avbröts|ställs {_N}in|dras {_N}in(?! i\b)|"
    r"drogs in(?! i\b)|skrotas|skrotades"  # "dras in i kriminalitet" is drawn into it
)
_STALLED = (
    rf"skjuts {_N}upp|sköts upp|har {_N}skjutits upp|försenas|försenades|pausas|"
    r"pausades"
)
# Not the bare infinitive or imperative ("stoppa", "avveckla", "sänka"): a goal, not a report.
_REMOVAL = r"slopa\w+|avskaffa\w+|stoppa\w+|tas bort|togs bort|avveckla\w+|läggs ned"
_LOWERING = r"sänk(?!a\b)\w*|minsk(?!a\b)\w*"
# What a pledge removes or lowers: "avgift" of "avgiftsbefria"/"avgiftsfri", the object after
# "Stoppa", "Avskaffa", "Sänka"... Removal in the news carries such a pledge out only when it
# acts on that object ("slopas avgifterna"), not on something else ("satsningen stoppas").
_FREE_OF = r"\b([\wåäö]+?)s?(?:befria\w*|befri|fria|fritt|fri)\b"
_REMOVE_VERB = r"\b(?:slopa|avskaffa|stoppa|sänka|minska|halvera|avveckla|ta bort)\w*\s+"
_ARTICLES = r"(?:(?:de|den|det|alla|stadens|kommunens)\s+)?"
_OF_OBJECT = rf"(?:\s+(?:till|för|av|på|med|om)\s+{_ARTICLES}([\wåäö]+))?"
_ABOLISH = r"\b(?:[\wåäö]+?s?(?:befria\w*|befri|fria|fritt|fri)|gratis|avskaffa\w*|slopa\w*)\b"
OBJECT_PREFIX = 5  # "avgif" meets avgift, avgifter, avgifterna
WINDOW = 5  # words either side of a removal cue, within its sentence, where its object must be
_WINDOW_CHARS = 100 * WINDOW  # how far to look for those words
_WORDS = re.compile(r"[\wåäö]+")
# A sentence ends at . ! ? before a space, at a blank line or before a list item or heading;
# a single line break is a hard wrap inside a sentence ("ska\nslopas").
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n[ \t]*(?:\n|[*•#–-] )")
# A period after an abbreviation ("s.k.", "dvs.", "bl.a.") or an initial ends no sentence.
_ABBREVIATION = re.compile(
    r"(?:(?<![\wåäö])(?:[\wåäö]|dvs|osv|etc|resp|inkl|exkl|jfr|ang|enl|kap|prop|nr|ca)"
    r"|\.[\wåäö]+)$"
)
# What a pledge names, for a removal that turns against it: its content words' stems, not its
# stop words, its opening verb, the actors every passage names or the words of any plan.
_GENERIC = frozenset(
    "stad kommun region regering sverig svensk land budget förslag verksam arbet åtgärd insats "
    "system möjlig".split()
)
MIN_NAME = 4  # letters of a word the pledge names
MIN_STEM = 5  # letters of a stem that may meet a longer one ("reakt", "reaktor")
# A removal of a ban, a limit or a rule is no stop: "förbudet mot nya reaktorer tas bort",
# "bestämmelsen som anger att regeringen endast får tillåta en ny reaktor om … tas bort".
_RESTRICTIONS = (
    "förbud",
    "förbjud",
    "begräns",
    "hinder",
    "spärr",
    "restrikt",
    "bestämmels",
    "regel",
    "regler",
    "villkor",
    "krav",
    "undantag",
    "gräns",
    "datum",
)
# A year this far before the passage's latest one is before any term it reports on.
BACKGROUND_YEARS = 5
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_AMOUNTS = frozenset("kr kronor miljoner miljarder procent personer stycken".split())
# A target year is no "now" of the passage: "ska gälla till 2030", "senast år 2030".
_TARGETS = frozenset("till senast mot inför från".split())
# A sentence that forecasts or plans writes no year of the passage's own time: "räknar med att
# skjutningarna halveras 2030", "enligt prognosen för 2030", "polisens plan 2025–2030".
_FORECAST = re.compile(
    r"\b(?:ska|skall|kommer att|väntas|förväntas|beräknas|räknar med|senast|siktar)\b"
    r"|\b(?:prognos|plan|mål)",
    re.I,
)
# The second year of a range ("2025–2030") is where a period ends, not the passage's time.
_RANGE_END = re.compile(r"(?<!\d)((?:1[89]|20)\d\d) ?[–—-] ?(?:1[89]|20)\d\d\b")
_NUMBERS = {
    w: n for n, w in enumerate("noll ett två tre fyra fem sex sju åtta nio tio elva tolv".split())
} | {"femton": 15, "tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "hundra": 100}
_CLAUSE_BREAK = re.compile(r"[,;:()–—]")
# Where the object of a verb-led pledge ends: "Införa en broms i pensionssystemet som ger …".
_OBJECT_END = frozenset("som så där när vilket vilka genom".split())
OBJECT_WORDS = 8  # words after the opening verb at most
_PLEDGE_PARTS = re.compile(r"[^.!?;\n]+")
_MODALS = frozenset("ska skall kan kunna bör måste skulle får kommer".split())

# Goal clauses: a purpose ("för att …") or what is waited for ("i väntan på att …").
_GOAL = re.compile(
    r"(?<![\wåäö])(?:för att|i syfte att|med syfte att|i avsikt att|syftar till att|"
    r"i väntan på(?P<att> att)?)(?![\wåäö])"
)
_GOAL_OPENERS = ("för att", "syfte att", "avsikt att", "syftar till att", "väntan på")
_GOAL_TOKENS = re.compile(r"[\wåäö]+|[,;:.!?()–—•]|\n[ \t]*(?:\n|[*•#–-] )")
_CLAUSE_BREAKS = frozenset(",;:.!?()–—•")
GOAL_WORDS = 10  # words of a goal clause at most
_GOAL_CHARS = 40 * GOAL_WORDS
# Finite verbs that end a purpose clause: the main clause goes on after it ("För att stoppa
# brottsligheten har staden …").
_FINITE_AUX = frozenset(
    "har hade är var blir blev ska skall kommer vill kan kunde bör måste får fick finns fanns "
    "gör gjorde".split()
)
# Cues without a finite verb: they may sit inside a purpose clause.
_NONFINITE = re.compile(
    r"(?:förslag|budget|utredning|nedläggning|sänkning|minskning)\w*|ett första steg|"
    r"första steget|i ett första skede|delvis|stegvis|beslutat om|intensifierat arbetet|"
    r"föreslå|föreslagits|föreslagna|(?:lagråds)?remiss\w*|promemorian|betänkandet"
)
# Nouns among the cues: a negation right after one belongs to the verb that follows ("om
# budgeten inte räcker").
_NOMINAL = re.compile(
    r"(?:förslag|budget|utredning|nedläggning)\w*|ett första steg|första steget|"
    r"i ett första skede"
)


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
# Words a negation may stand across and still turn the cue: "inte något förslag", "kommer
# inte att slopas", "har inte heller".
_NEG_GLUE = frozenset("att någon något några en ett heller längre alls".split())


def _negated(text: str, m: re.Match[str]) -> bool:
    """A negation inside the cue, right before it (across `_NEG_GLUE` words, among the three
    words before it), or right after a cue that is not a noun."""
    if _NEG_INSIDE.search(text, m.start(), m.end()):
        return True
    # the words of the 40 characters before the cue (a word cut at their start counts as
    # the part inside them, as in a slice), nearest first
    for word in reversed(_WORDS.findall(text[max(0, m.start() - 40) : m.start()])[-3:]):
        if word in _NEG_WORDS:
            return True
        if word not in _NEG_GLUE:
            break
    if _NOMINAL.fullmatch(m.group()):
        return False
    return _NEG_AFTER.match(text, m.end()) is not None  # from the cue's end: no copy per cue


# A purpose clause of the pledge, to the next punctuation mark: "Genomföra en folkräkning
# för att stoppa bidragsbrotten" removes no "bidragsbrott", it counts the population.
_PURPOSE_OF_PLEDGE = re.compile(
    r"(?<![\wåäö])(?:för att|i syfte att|med syfte att|i avsikt att)(?![\wåäö])[^.,;:!?\n]*"
)


def _without_purpose(pledge: str) -> str:
    return _PURPOSE_OF_PLEDGE.sub(" ", pledge)


@functools.lru_cache(maxsize=4096)
def _removed_objects(pledge: str) -> tuple[str, ...]:
    found = [m.group(1) for m in re.finditer(_FREE_OF, pledge)]
    # "Avskaffa möjligheten till spårbyte": möjligheten and spårbyte
    for m in re.finditer(rf"{_REMOVE_VERB}{_ARTICLES}([\wåäö]+){_OF_OBJECT}", pledge):
        found += [w for w in m.groups() if w]
    if re.search(r"\bgratis\b|kostnadsfri", pledge):
        found += ["avgift", "kostnad"]
    return tuple(dict.fromkeys(w[:OBJECT_PREFIX] for w in found if len(w) >= 3))


@functools.lru_cache(maxsize=4096)
def _abolishes(pledge: str) -> bool:
    return re.search(_ABOLISH, pledge) is not None


@functools.cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("swedish")


def _same_stem(a: str, b: str) -> bool:
    """Two Snowball stems of one word's forms: equal, or one the other plus at most two
    letters ("reaktor" of "reaktorer", "reakt" of "reaktor"); not two compounds that only
    share a first part ("fritidsklubb", "fritidshem")."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < MIN_STEM:
        return short == long
    return long.startswith(short) and len(long) - len(short) <= 2


@functools.lru_cache(maxsize=4096)
def _named(pledge: str) -> tuple[str, ...]:
    """The stems of what a pledge names: its content words outside a purpose clause."""
    text = _without_purpose(pledge)
    verb = starts_with_verb(text)
    return tuple(sorted(set(_stems(w for w in _WORDS.findall(text) if w != verb))))


def _stems(words: Iterable[str]) -> list[str]:
    """The Snowball stems of the content words among `words` (not stop words, at least
    `MIN_NAME` letters)."""
    from ..language.analyze import stopwords

    skip = stopwords()
    kept = [w for w in words if len(w) >= MIN_NAME and w.isalpha() and w not in skip]
    return [s for s in _stemmer().stemWords(kept) if len(s) >= MIN_NAME and s not in _GENERIC]


@functools.lru_cache(maxsize=4096)
def _own_objects(pledge: str) -> tuple[str, ...]:
    """The stems of what a pledge brings about: in each of its sentences that opens with a
    verb, the words after it up to a comma, "som", "där" … (`OBJECT_WORDS` at most); in any
    other sentence ("Frukost ska erbjudas i skolor") the words it names."""
    if not pledge:
        return ()
    found: list[str] = []
    for part in _PLEDGE_PARTS.findall(_without_purpose(pledge)):
        verb = starts_with_verb(part)
        if verb is None:
            found += _named(part)
            continue
        words = _WORDS.findall(_CLAUSE_BREAK.split(part, maxsplit=1)[0])
        after = words[words.index(verb) + 1 :] if verb in words else words
        end = next((i for i, w in enumerate(after) if w in _OBJECT_END), len(after))
        found += _stems(after[: min(end, OBJECT_WORDS)])
    # nothing but generic words or a verb ("Verka för att …"): every word it names
    if not found:
        verb = starts_with_verb(pledge)
        found = _stems(w for w in _WORDS.findall(pledge) if w != verb)
    return tuple(sorted(set(found)))


def _sentence_ends(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    for end in _SENTENCE_END.finditer(text, lo, hi):
        if end.group() == "." and _ABBREVIATION.search(text, max(0, end.start() - 6), end.start()):
            continue
        yield end


def _sentence(text: str, m: re.Match[str]) -> tuple[int, int]:
    """The bounds of the cue's sentence, at most `_WINDOW_CHARS` either side of it."""
    lo, hi = max(0, m.start() - _WINDOW_CHARS), min(len(text), m.end() + _WINDOW_CHARS)
    for end in _sentence_ends(text, lo, m.start()):
        lo = end.end()
    after = next(_sentence_ends(text, m.end(), hi), None)
    return lo, after.start() if after else hi


def _around(text: str, m: re.Match[str]) -> list[str]:
    """The words around the cue: `WINDOW` either side, within its sentence."""
    # Bounded windows, not the whole text before and after each cue: that was quadratic in
    # the number of cues (issue 9). A word cut at the window's start is dropped.
    lo, hi = _sentence(text, m)
    before = _WORDS.findall(text, lo, m.start())
    if before and lo and _WORDS.match(text, lo - 1):
        before = before[1:]
    return before[-WINDOW:] + _WORDS.findall(text, m.end(), hi)[:WINDOW]


def _near(text: str, m: re.Match[str], prefixes: tuple[str, ...]) -> bool:
    """One of the pledge's removed objects among the words around the cue."""
    return any(w.startswith(prefixes) for w in _around(text, m))


def _names_object(text: str, m: re.Match[str], own: tuple[str, ...]) -> bool:
    """A done cue acts on what the pledge brings about: a stem of `own` among the words around
    it, or in the sentence before when those name nothing ("Den invigdes i går")."""
    stems = _stems(_around(text, m))
    if not stems:
        lo, _ = _sentence(text, m)
        start = max(0, lo - _WINDOW_CHARS)
        ends = list(_sentence_ends(text, start, max(start, lo - 1)))
        stems = _stems(_WORDS.findall(text, ends[-1].end() if ends else start, lo))
    return any(_same_stem(s, o) for s in stems for o in own)


def _clause_words(text: str, m: re.Match[str]) -> list[str]:
    """The cue's words and up to `WINDOW` either side of it, within its clause (its sentence
    up to a comma, colon, dash or bracket)."""
    lo, hi = _sentence(text, m)
    breaks = list(_CLAUSE_BREAK.finditer(text, lo, m.start()))
    lo = breaks[-1].end() if breaks else lo
    after = _CLAUSE_BREAK.search(text, m.end(), hi)
    hi = after.start() if after else hi
    return (
        _WORDS.findall(text, lo, m.start())[-WINDOW:]
        + _WORDS.findall(m.group())
        + _WORDS.findall(text, m.end(), hi)[:WINDOW]
    )


def _years(words: list[str], targets: bool = True) -> list[int]:
    """The written years among `words`: four digits from 1800 to 2099, not an amount; without
    `targets`, not a year after "till", "senast" … (or "till år")."""
    found = []
    for i, word in enumerate(words):
        if not _YEAR.fullmatch(word) or _AMOUNTS.intersection(words[i + 1 : i + 2]):
            continue
        before = words[max(0, i - 2) : i]
        if before[-1:] == ["år"]:
            before = before[:-1]
        if targets or not before or before[-1] not in _TARGETS:
            found.append(int(word))
    return found


@functools.lru_cache(maxsize=4096)
def _latest_year(text: str) -> int | None:
    """The latest year the passage writes of its own time: in a sentence that reports, not one
    that forecasts or plans; not a target it sets ("till 2030") nor a range's end."""
    found: list[int] = []
    lo = 0
    for end in [*_sentence_ends(text, 0, len(text)), None]:
        hi = end.start() if end else len(text)
        sentence = text[lo:hi]
        lo = end.end() if end else hi
        if not _FORECAST.search(sentence):
            found += _years(_WORDS.findall(_RANGE_END.sub(r"\1", sentence)), targets=False)
    return max(found, default=None)


def _background(text: str, m: re.Match[str]) -> bool:
    """A done cue dated well before the passage's own time: a year in its clause at least
    `BACKGROUND_YEARS` before the latest the passage writes, or "för N år sedan"."""
    words = _clause_words(text, m)
    latest = _latest_year(text)
    if latest is not None and any(y <= latest - BACKGROUND_YEARS for y in _years(words)):
        return True
    for i in range(2, len(words) - 1):  # "för (snart) 60 år sedan"
        if words[i] == "år" and words[i + 1] == "sedan":
            number = words[i - 1]
            years = int(number) if number.isdigit() else _NUMBERS.get(number, 0)
            if years >= BACKGROUND_YEARS and "för" in words[max(0, i - 3) : i - 1]:
                return True
    return False


def _names_pledge(text: str, m: re.Match[str], named: tuple[str, ...]) -> bool:
    """The removal acts on something the pledge names (a content word of the same stem
    around it, not a ban or a limit), and what goes is not a ban or a limit the pledge does
    not name ("förbudet mot X tas bort" turns only against a pledge for that ban)."""
    from ..language.analyze import stopwords

    around = _around(text, m)
    skip = stopwords()
    words = [w for w in around if len(w) >= MIN_NAME and w.isalpha() and w not in skip]
    met = {n for s in _stemmer().stemWords(words) for n in named if _same_stem(s, n)}
    if not any(all(r not in n for r in _RESTRICTIONS) for n in met):
        return False  # nothing met, or only bans and limits ("tidsgräns", "krav")
    lo, _ = _sentence(text, m)
    sentence = text[lo : m.start()] + " " + " ".join(around)
    lifted = [r for r in _RESTRICTIONS if r in sentence]
    return all(any(r in n for n in named) for r in lifted)


def _after_proposal(text: str, m: re.Match[str], proposals: list[int]) -> bool:
    """A proposal word before the cue in its sentence ("förslaget innebär att … infördes")."""
    lo, _ = _sentence(text, m)
    at = bisect.bisect_left(proposals, m.start())
    return at > 0 and proposals[at - 1] >= lo


def _planned(text: str, m: re.Match[str]) -> bool:
    """A modal among the two words before the cue: "ska slopas", "kommer att tas bort"."""
    before = _WORDS.findall(text[max(0, m.start() - 30) : m.start()])[-2:]
    return not _MODALS.isdisjoint(before)


_KINDS = {
    "broken": _BROKEN,
    "stalled": _STALLED,
    "removal": _REMOVAL,
    "partial": _PARTIAL,
    "lowering": _LOWERING,
    "past": _PAST_DONE,
    "present": _PRESENT_DONE,
    "works": _WORKS,
    "proposal": _PROPOSAL,
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
    by_kind: list[tuple[tuple[tuple[str, bool], tuple[str, bool]], list[re.Match[str]]]] = []
    for pattern, words, keys in _TRIED:
        mine = [p for p in starts if text.startswith(words, p)]
        found = _find_at(pattern, text, mine) if mine else None
        if found:
            by_kind.append((keys, found))
    if not by_kind:
        return _NONE  # _NONE: a passage with no cue at all
    goals = _in_goal_clauses(text, [m for _, found in by_kind for m in found])
    out = dict(_NONE)  # its key tuples, not new ones per passage kept in the cache
    for keys, found in by_kind:
        kept = [m for m in found if m.start() not in goals]
        negated = [_negated(text, m) for m in kept]
        for key, wanted in zip(keys, (False, True), strict=True):
            out[key] = tuple(m for m, neg in zip(kept, negated, strict=True) if neg == wanted)
    return out


def _in_goal_clauses(text: str, cues: list[re.Match[str]]) -> frozenset[int]:
    """Where the cues inside a goal clause start (see the module's docstring): from the
    opener, a purpose clause keeps the cues without a finite verb up to the first finite verb
    (a cue or `_FINITE_AUX`), "i väntan på att" that verb's cue too; any clause ends at a
    punctuation mark, a blank line, a list item or after `GOAL_WORDS` words."""
    if not any(opener in text for opener in _GOAL_OPENERS):
        return frozenset()  # no opener: most passages
    finite: dict[int, bool] = {}
    for m in cues:
        finite[m.start()] = finite.get(m.start(), False) or not _NONFINITE.fullmatch(m.group())
    positions = sorted(finite)
    inside: set[int] = set()
    for goal in _GOAL.finditer(text):
        # only openers with a cue after them are walked
        at = bisect.bisect_left(positions, goal.end())
        if at == len(positions) or positions[at] > goal.end() + _GOAL_CHARS:
            continue
        keeps_verb = goal.group("att") is not None
        end = min(len(text), goal.end() + _GOAL_CHARS)
        for count, token in enumerate(_GOAL_TOKENS.finditer(text, goal.end(), end)):
            word = token.group()
            if count >= GOAL_WORDS or word in _CLAUSE_BREAKS or word[0] == "\n":
                break
            is_finite = finite.get(token.start())
            if is_finite is None:
                if word in _FINITE_AUX:
                    break
                continue
            if not is_finite or keeps_verb:
                inside.add(token.start())
            if is_finite:
                break
    return frozenset(inside)


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
    removal, lowering, done = _reads_traits(passage)
    if removal is None:
        return _NO_CUE  # most passages: nothing to weigh against the pledge
    objects, abolishes, named, own = _pledge_traits(pledge)
    # The pledge's traits count only through the cues that read them: left out otherwise, so
    # that a passage is weighed once for all of its document's pledges, not once per pledge.
    abolishes = abolishes and lowering
    if not (removal or abolishes):
        objects = ()
    if not removal:
        named = ()
    if not done:
        own = ()
    return _hint(passage, objects, abolishes, named, own)


@functools.lru_cache(maxsize=4096)
def _reads_traits(passage: str) -> tuple[bool | None, bool, bool]:
    """(whether a removal cue is in `passage`, whether a lowering one is, whether a done one
    is), None for the first when the passage has no cue at all. `_hint` reads the pledge's
    removed objects only near removal and lowering cues, whether it abolishes only for
    lowering ones and what it brings about only near done ones."""
    found = _scan(passage.lower())
    if found is _NONE or not any(found.values()):
        return None, False, False
    done = bool(found["past", False] or found["present", False])
    return bool(found["removal", False]), bool(found["lowering", False]), done


@functools.lru_cache(maxsize=4096)
def _pledge_traits(
    pledge: str,
) -> tuple[tuple[str, ...], bool, tuple[str, ...], tuple[str, ...]]:
    """What of a pledge the hint reads: the objects it removes, whether it abolishes (both
    outside its purpose clauses), the stems of what it names and of what it brings about."""
    low = pledge.lower()
    own = _without_purpose(low)
    return _removed_objects(own), _abolishes(own), _named(low), _own_objects(low)


@functools.lru_cache(maxsize=4096)
def _hint(
    passage: str,
    objects: tuple[str, ...],
    abolishes: bool,
    named: tuple[str, ...] = (),
    own: tuple[str, ...] = (),
) -> StatusHint:
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

    # Removing what the pledge itself wants removed carries it out, it does not stop it; a
    # planned removal ("ska slopas") of it is in the works.
    planned = [m for m in hits("removal") if _planned(text, m)]
    planned_spans = {m.span() for m in planned}
    carried = [m for m in hits("removal") if m.span() not in planned_spans and on_object(m)]
    carried_spans = {m.span() for m in carried} | {m.span() for m in planned if on_object(m)}
    stopped = [m for m in hits("broken") + hits("stalled") if m.span() not in carried_spans]
    stopped_neg = [
        m for m in hits("broken", True) + hits("stalled", True) if m.span() not in carried_spans
    ]
    taken = {m.span() for m in stopped}
    # "slopas" of something the pledge names and wants kept turns against it; any other
    # removal says nothing of the pledge: no cue, neither a stop nor a change done.
    others = [m for m in hits("removal") if m.span() not in carried_spans | taken]
    against = [m for m in others if m.span() not in planned_spans and _names_pledge(text, m, named)]
    stopped += against
    against_spans = {m.span() for m in against}
    silent = [m.span() for m in others if m.span() not in against_spans]

    def unsaid(m: re.Match[str]) -> bool:  # a done cue that is a silent removal's own verb
        return any(m.start() < b and a < m.end() for a, b in silent)

    partial = hits("partial")
    if abolishes:  # lowering a cost the pledge wants gone is part of the way
        partial += [m for m in hits("lowering") if on_object(m)]

    def reported(m: re.Match[str]) -> bool:  # a done cue on the pledge's own, of its time
        if m.span() in carried_spans:
            return True  # a removal of what the pledge removes: read on its object already
        return (not own or _names_object(text, m, own)) and not _background(text, m)

    past = [m for m in hits("past") if not unsaid(m) and reported(m)]
    present = [
        m for m in hits("present") if m.span() not in taken and not unsaid(m) and reported(m)
    ]
    seen = {m.span() for m in present + past}
    present += [m for m in carried if m.span() not in seen]
    denied = hits("past", True) + hits("present", True) + hits("works", True)
    works = hits("works") + [m for m in planned if m.span() in carried_spans]
    # A done cue inside a proposal is proposed: a present-tense one wherever the passage
    # proposes ("… föreslås. * Ett nytt brott införs."), a past-tense one after a proposal word
    # in its own sentence.
    proposals = sorted(m.start() for m in hits("proposal") + hits("proposal", True))
    if proposals:
        works += present
        present = []
        proposed = [m for m in past if _after_proposal(text, m, proposals)]
        works += proposed
        past = [m for m in past if m not in proposed]

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
