"""Swedish dates in text: find them, guess when a text was written, read a user's --date.

`find_dates` returns every date expression with its character span and a `DateValue`
(provenance `inferred`). It reads ISO dates, "15 februari 2024", "15 feb. 2024", day ranges
("15 och 16 februari", "4 – 6 maj 2026"), months ("mars 2024"), seasons ("våren 2024",
"vintern 2023/24"), years ("2024", "år 2030", "2022–2026"), budget years ("budget för 2025":
written the year before) and, only when `base` is given, relative phrases ("igår", "förra
veckan", "i fjol") and dates without a year ("3 mars"). Numbers that are not years ("10 000",
"2000 elever", "kl 14:00", "1990-talet") are left alone. All patterns are matched
case-insensitively on the original text, so the spans always point into it; overlapping
candidates are resolved longest first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ValidationError
from ..model import DatePrecision, DateProvenance, DateValue

MIN_YEAR, MAX_YEAR = 1900, 2100
DAY, MONTH, SEASON, YEAR = (
    DatePrecision.DAY,
    DatePrecision.MONTH,
    DatePrecision.SEASON,
    DatePrecision.YEAR,
)


@dataclass(frozen=True)
class DateMention:
    """One date expression: `text == source[start:end]`; a range keeps its last period."""

    start: int
    end: int
    text: str
    value: DateValue
    kind: str  # absolute, range, month, season, year, target_year, budget_year, relative
    range_end: DateValue | None = None


MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_FULL_MONTHS = [m for m in MONTHS if len(m) > 4 or m in ("mars", "maj", "juni", "juli")]
_ABBREVIATIONS = [m for m in MONTHS if m not in _FULL_MONTHS]
# Season word -> (month it starts, confidence with a plain year).
SEASONS = {
    "våren": (3, 0.85),
    "sommaren": (6, 0.85),
    "hösten": (9, 0.85),
    "vintern": (1, 0.6),
    "vårterminen": (1, 0.8),
    "höstterminen": (8, 0.8),
}
PAST_SEASONS = {"våras": 3, "somras": 6, "höstas": 9, "vintras": 12}


def _alt(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_D = r"[0-3]?[0-9](?::[ae])?"  # "15", "1:a", "3:e"
# Only an abbreviation takes a dot: "15 feb. 2024", but "den 3 mars." ends a sentence.
_M = rf"(?:(?:{_alt(_FULL_MONTHS)})\b|(?:{_alt(_ABBREVIATIONS)})\b\.?)"
# Month with a year but no day: "jul" (Christmas) and "mar" are too ambiguous without a day.
_YEAR_ABBREVIATIONS = [a for a in _ABBREVIATIONS if a not in ("jul", "mar")]
_M_YEAR = rf"(?:(?:{_alt(_FULL_MONTHS)})\b|(?:{_alt(_YEAR_ABBREVIATIONS)})\b\.?)"
_Y = r"(?:19[0-9]{2}|20[0-9]{2}|2100)"
# A year is not the start of a bigger number ("2024 000"), a decimal, a time, a percentage or a
# decade ("1990-talet"); and not the end of one ("10 2024", "08-2024").
_YEND = r"(?![0-9]|[.,:][0-9]|[ \u00a0\u202f][0-9]{3}(?![0-9])|\s*%|-tal)"
_YSTART = r"(?<![0-9\-−+/:.,])(?<![0-9][ \u00a0\u202f.,])"
_DSTART = r"(?<![0-9.,:/\-−+])"
_SEP = r"(?:\s*[-–—]\s*|\s+(?:och|till)\s+)"
_OPT_YEAR = rf"(?:\s+(?P<y>{_Y}){_YEND})?"

# Bare years after these words are counts or references, not dates ("över 2000 elever").
_NOT_YEAR_BEFORE = re.compile(
    r"(?:\b(?:över|drygt|nästan|knappt|totalt|minst|högst|max|nr|nummer|tel|telefon|kl|sid|"
    r"sidan|kap|bilaga|artikel|sfs|box)\.?|[§#])\s*$",
    re.I,
)
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:kr|kronor|sek|mkr|mnkr|mdkr|miljoner|miljarder|procent|st|personer|elever|"
    r"invånare|barn|unga|medarbetare|anställda|lägenheter|bostäder|platser|meter|m|km|kvm|"
    r"kvadratmeter|ton|timmar|dagar|år)\b",
    re.I,
)
# A year after these words is a deadline or a start, not a time of writing.
# also before an election named by its year ("fram till valet 2026", "till och med valet
# 2026": QA, a news item dated by the election it looked ahead to)
_TARGET_BEFORE = re.compile(
    r"\b(?:senast|till|tills|före|innan|inom|från|t\.o\.m\.|fr\.o\.m\.|till och med|"
    r"från och med|inför)(?:\s+(?:valet|riksdagsvalet|kommunvalet|regionvalet))?\s*$",
    re.I,
)

# A pattern's builder: (kind, value, range end), or None when the match is not a date after all.
Built = tuple[str, DateValue, DateValue | None] | None
Builder = Callable[[re.Match[str], dt.date | None], Built]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    build: Builder
    needs_base: bool  # its builder finds no date without `base`: not matched then at all
    digit_first: bool  # every match starts a run of digits: only tried there (`_tried_at`)
    word_first: bool  # every match starts a run of digits or one of `_START_WORDS` there


_PATTERNS: list[_Rule] = []


def _pattern(
    regex: str, *, needs_base: bool = False, digit_first: bool = False, word_first: bool = False
) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        rule = _Rule(re.compile(regex, re.I), build, needs_base, digit_first, word_first)
        _PATTERNS.append(rule)
        return build

    return register


def _dv(value: dt.date, precision: DatePrecision, confidence: float) -> DateValue:
    return DateValue(value, precision, DateProvenance.INFERRED, confidence)


def _month(word: str) -> int:
    return MONTHS[word.casefold().rstrip(".").strip()]


def _day(token: str) -> int:
    return int(token.split(":")[0])


def _year(m: re.Match[str], base: dt.date | None, group: str = "y") -> tuple[int, bool] | None:
    """The year written in the match, else base's year; None when neither."""
    if m.group(group):
        return int(m.group(group)), True
    return (base.year, False) if base else None


@_pattern(r"(?<![0-9\-])(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?![0-9])", digit_first=True)
def _iso(m: re.Match[str], base: dt.date | None) -> Built:
    day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    return "absolute", _dv(day, DAY, 0.95), None


@_pattern(rf"(?<![0-9\-])(?P<y>{_Y})-(?P<m>0[1-9]|1[0-2])(?![0-9\-])", digit_first=True)
def _iso_month(m: re.Match[str], base: dt.date | None) -> Built:
    return "month", _dv(dt.date(int(m["y"]), int(m["m"]), 1), MONTH, 0.7), None


@_pattern(
    rf"{_DSTART}(?P<d1>{_D})\s+(?P<m1>{_M}){_SEP}(?P<d2>{_D})\s+(?P<m2>{_M}){_OPT_YEAR}",
    digit_first=True,
)
def _cross_month_range(m: re.Match[str], base: dt.date | None) -> Built:
    year = _year(m, base)
    if year is None:
        return None
    first = dt.date(year[0], _month(m["m1"]), _day(m["d1"]))
    last = dt.date(year[0], _month(m["m2"]), _day(m["d2"]))
    if last < first:  # "28 december – 2 januari 2025": the year belongs to the end
        first = first.replace(year=year[0] - 1)
    conf = 0.9 if year[1] else 0.6
    return "range", _dv(first, DAY, conf), _dv(last, DAY, conf)


@_pattern(
    rf"{_DSTART}(?P<d1>{_D})(?:\s*,\s*{_D})*{_SEP}(?P<d2>{_D})\s+(?P<m>{_M}){_OPT_YEAR}",
    digit_first=True,
)
def _day_range(m: re.Match[str], base: dt.date | None) -> Built:
    year = _year(m, base)
    if year is None:
        return None
    first = dt.date(year[0], _month(m["m"]), _day(m["d1"]))
    last = dt.date(year[0], _month(m["m"]), _day(m["d2"]))
    if last <= first:
        return None
    conf = 0.9 if year[1] else 0.6
    return "range", _dv(first, DAY, conf), _dv(last, DAY, conf)


@_pattern(rf"{_DSTART}(?P<d>{_D})\s+(?P<m>{_M}){_OPT_YEAR}", digit_first=True)
def _day_month(m: re.Match[str], base: dt.date | None) -> Built:
    year = _year(m, base)
    if year is None:
        return None
    day = dt.date(year[0], _month(m["m"]), _day(m["d"]))
    return "absolute", _dv(day, DAY, 0.9 if year[1] else 0.6), None


@_pattern(rf"\bförsta\s+maj\b{_OPT_YEAR}", word_first=True)
def _first_of_may(m: re.Match[str], base: dt.date | None) -> Built:
    year = _year(m, base)  # the labour-day holiday, a common heading
    if year is None:
        return None
    return "absolute", _dv(dt.date(year[0], 5, 1), DAY, 0.9 if year[1] else 0.6), None


@_pattern(rf"\b(?P<m>{_M_YEAR})\s+(?P<y>{_Y}){_YEND}", word_first=True)
def _month_year(m: re.Match[str], base: dt.date | None) -> Built:
    return "month", _dv(dt.date(int(m["y"]), _month(m["m"]), 1), MONTH, 0.85), None


# A month name alone is a date only after a preposition ("i juni"), and needs base for its year.
@_pattern(
    rf"\b(?:i|under|sedan|från|till|före|efter|inför|av)\s+"
    rf"(?P<x>(?P<m>{_alt(_FULL_MONTHS)}))\b",
    needs_base=True,
)
def _bare_month(m: re.Match[str], base: dt.date | None) -> Built:
    if base is None:
        return None
    return "month", _dv(dt.date(base.year, _month(m["m"]), 1), MONTH, 0.5), None


@_pattern(
    rf"\b(?P<s>{_alt(list(SEASONS))})\s+(?:år\s+)?{_YSTART}(?P<y>{_Y})"
    rf"(?:\s*[/–-]\s*(?P<y2>[0-9]{{4}}|[0-9]{{2}}))?{_YEND}",
    word_first=True,
)
def _season(m: re.Match[str], base: dt.date | None) -> Built:
    word, year = m["s"].casefold(), int(m["y"])
    start_month, conf = SEASONS[word]
    if m["y2"]:
        if int(m["y2"][-2:]) != (year + 1) % 100:
            return None
        if word == "vintern":  # "vintern 2023/24" starts in December of the first year
            start_month, conf = 12, 0.85
    return "season", _dv(dt.date(year, start_month, 1), SEASON, conf), None


@_pattern(
    rf"\b(?:budget(?:en|förslag(?:et)?|proposition(?:en)?)?)\s+(?:för\s+)?(?:år\s+)?"
    rf"{_YSTART}(?P<y>{_Y}){_YEND}|{_YSTART}(?P<y2>{_Y})(?:\s+års|:s)\s+budget",
    word_first=True,
)
def _budget_year(m: re.Match[str], base: dt.date | None) -> Built:
    # A budget is presented in the autumn before the year it covers.
    year = int(m["y"] or m["y2"]) - 1
    return "budget_year", _dv(dt.date(year, 1, 1), YEAR, 0.6), None


@_pattern(
    rf"(?:\bmellan\s+)?{_YSTART}(?P<y>{_Y})(?:\s*[-–—/]\s*|\s+och\s+)"
    rf"(?P<y2>{_Y}|[0-9]{{2}}){_YEND}",
    word_first=True,
)
def _year_range(m: re.Match[str], base: dt.date | None) -> Built:
    first, end = int(m["y"]), m["y2"]
    if re.search(r"\soch\s", m[0], re.I) and m[0][:6].casefold() != "mellan":
        return None  # "2013 och 2023" is two years unless it follows "mellan"
    last = int(end) if len(end) == 4 else (first // 100 * 100 + int(end))
    if len(end) == 2 and last != first + 1:
        return None
    if not first < last <= first + 30:
        return None
    return "range", _dv(dt.date(first, 1, 1), YEAR, 0.8), _dv(dt.date(last, 1, 1), YEAR, 0.8)


@_pattern(rf"(?:\bår\s+)?{_YSTART}(?P<y>{_Y}){_YEND}(?![-–/][0-9])", word_first=True)
def _plain_year(m: re.Match[str], base: dt.date | None) -> Built:
    before = m.string[max(0, m.start() - 30) : m.start()]
    if _NOT_YEAR_BEFORE.search(before) or _NOT_YEAR_AFTER.match(m.string, m.end()):
        return None
    kind = "target_year" if _TARGET_BEFORE.search(before) else "year"
    conf = 0.8 if m[0][:1].casefold() == "å" else 0.7
    return kind, _dv(dt.date(int(m["y"]), 1, 1), YEAR, conf), None


def _relative(phrase: str, base: dt.date) -> tuple[DateValue, DateValue | None]:
    """The period a relative phrase names, seen from `base`."""
    p = re.sub(r"\s+", " ", phrase.casefold())
    shift = {
        "igår": -1,
        "i går": -1,
        "idag": 0,
        "i dag": 0,
        "i förrgår": -2,
        "iförrgår": -2,
        "imorgon": 1,
        "i morgon": 1,
    }
    if p in shift:
        return _dv(base + dt.timedelta(days=shift[p]), DAY, 0.8), None
    if p == "förra veckan":
        monday = base - dt.timedelta(days=base.weekday() + 7)
        return _dv(monday, DAY, 0.5), _dv(monday + dt.timedelta(days=6), DAY, 0.5)
    if p == "förra månaden":
        last = base.replace(day=1) - dt.timedelta(days=1)
        return _dv(last.replace(day=1), MONTH, 0.7), None
    if p in ("i fjol", "ifjol", "förra året") or p.startswith("fjolår"):
        return _dv(dt.date(base.year - 1, 1, 1), YEAR, 0.7), None
    if p.startswith("nästa år"):
        return _dv(dt.date(base.year + 1, 1, 1), YEAR, 0.7), None
    if p == "i år":
        return _dv(dt.date(base.year, 1, 1), YEAR, 0.7), None
    month = PAST_SEASONS[p.split(" ")[-1]]  # "i våras": the latest such season already begun
    if month == 12:  # "i vintras": the last winter that is over, begun the December before
        year = base.year - 1 if base.month >= 3 else base.year - 2
    else:
        year = base.year if dt.date(base.year, month, 1) <= base else base.year - 1
    return _dv(dt.date(year, month, 1), SEASON, 0.6), None


@_pattern(
    r"\b(?:i\s?går|i\s?dag|i\s?förrgår|i\s?morgon|förra\s+veckan|förra\s+månaden|"
    r"i\s?fjol|fjolår(?:et|ets)?|förra\s+året|nästa\s+års?|i\s+år(?!\s*[0-9])|"
    r"i\s+(?:våras|somras|höstas|vintras))\b",
    needs_base=True,
)
def _relative_phrase(m: re.Match[str], base: dt.date | None) -> Built:
    if base is None:
        return None
    value, end = _relative(m[0], base)
    return "relative", value, end


_DIGIT_RUN = re.compile(r"[0-9][0-9]*")  # a leading class: the engine skips to digits fast
# The words the `word_first` patterns start with (the same words, flags and `\b`), or digits.
_START_WORDS = re.compile(
    rf"\b(?:första|{_alt(_FULL_MONTHS + _YEAR_ABBREVIATIONS + list(SEASONS))}|budget|mellan|år)"
    r"|[0-9][0-9]*",
    re.I,
)


def _tried_at(
    text: str, rules: list[tuple[int, _Rule]], starts: re.Pattern[str]
) -> list[tuple[int, re.Match[str]]]:
    """What `finditer` of each rule finds, each in text order, trying the rules only where
    `starts` matches (a run of digits, a word a date starts with), in one pass over the text:
    a long text has few such places, and scanning every character with each pattern was most
    of a long input's date inference (issue 9). `match(text, pos)` sees the text before
    `pos`, so the patterns' look-behinds and `\b` work as in `finditer`; a rule whose match
    ended past a place skips it, as `finditer` resumes where its last match ended."""
    found: list[tuple[int, re.Match[str]]] = []
    resume = [0] * len(rules)
    for run in starts.finditer(text) if rules else ():
        pos = run.start()
        for i, (order, rule) in enumerate(rules):
            if pos >= resume[i] and (m := rule.pattern.match(text, pos)) is not None:
                resume[i] = m.end()
                found.append((order, m))
    return found


def find_dates(text: str, base: dt.date | None = None) -> list[DateMention]:
    """Every date expression in `text`, in text order; relative ones only when `base` is given."""
    candidates: list[tuple[int, int, DateMention]] = []
    rules = [(o, r) for o, r in enumerate(_PATTERNS) if base is not None or not r.needs_base]
    scanned = [
        (o, m)
        for o, r in rules
        if not (r.digit_first or r.word_first)
        for m in r.pattern.finditer(text)
    ]
    scanned += _tried_at(text, [(o, r) for o, r in rules if r.digit_first], _DIGIT_RUN)
    scanned += _tried_at(text, [(o, r) for o, r in rules if r.word_first], _START_WORDS)
    for order, m in scanned:
        rule = _PATTERNS[order]
        try:
            built = rule.build(m, base)
        except (ValueError, OverflowError, KeyError):
            # "31 februari"; a base at the calendar's edge; a case-insensitive match whose
            # casefold is no known word ("İ går")
            continue
        if built is None:
            continue
        kind, value, end_value = built
        start, end = m.span("x") if "x" in rule.pattern.groupindex else m.span()
        mention = DateMention(start, end, text[start:end], value, kind, end_value)
        candidates.append((start - end, order, mention))
    # Longest first, then pattern order: "budget för 2025" beats "2025", "3 mars 2024" "3 mars".
    taken = bytearray(len(text))  # 1 where a chosen mention covers the character
    chosen: list[DateMention] = []
    for _, _, c in sorted(candidates, key=lambda t: t[:2]):
        if not any(taken[c.start : c.end]):
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


_PRECISION_RANK = {DAY: 0, MONTH: 1, SEASON: 2, YEAR: 3}


def _anchor(m: DateMention, limit: dt.date | None, looking_ahead: bool = False) -> DateValue:
    """The part of a mention nearest the writing time: a range's end when it is not after
    `limit` (the text was written after the period it looks back on: "mellan 2013 och 2023"
    speaks from 2023 or later), else its start (a period still running). A text that looks
    ahead (a program: "reformagenda 2022–2026" is the term it plans for) takes the start."""
    if looking_ahead:
        return m.value
    if m.range_end is not None and (limit is None or m.range_end.value <= limit):
        return m.range_end
    return m.value


# A forecast names a time yet to come ("Inflyttningen beräknas ske under hösten 2026"): like a
# deadline, not when the text was written.
_FORECAST_BEFORE = re.compile(
    r"\b(?:beräknas|planeras|väntas|förväntas|ska|skall|kommer att|är tänkt att|siktar på|"
    r"planerar|räknar med|löper ut|går ut)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?\n]")
# A fronted time is followed by the finite verb (Swedish puts it second): "Den 4 maj 2026 ska
# mässan hållas", "I maj kommer beslutet" tell of an event to come, not of the writing time.
# Only right after the date (no comma: "Uppdaterad 12 mars 2025, kommer …" is a dateline), and
# only for a date that opens its sentence, alone or after one lead-in (mid-sentence, "som
# regeringen fattade den 4 maj 2026 kommer att gälla", the verb belongs to the subject before).
_FORECAST_VERB_AFTER = re.compile(
    r"[ \t]{1,3}(?:ska|skall|kommer|planeras|väntas|förväntas|beräknas|hålls|äger rum)\b",
    re.I,
)
_LEAD_IN = re.compile(r"(?:den|i|på|under|(?:från[ \t]+och[ \t]+med|från)(?:[ \t]+den)?)?", re.I)


def _forecast(text: str, m: DateMention) -> bool:
    """Whether the mention's sentence forecasts it: a forecast word before it (within 80
    characters, a bounded look that keeps the inference linear), or, when it opens its sentence
    (alone or after one lead-in: "Den", "I", "Från och med" …), a forecast verb right after it."""
    before = text[max(0, m.start - 80) : m.start]
    ends = [e.end() for e in _SENTENCE_END.finditer(before)]
    if _FORECAST_BEFORE.search(before, ends[-1] if ends else 0):
        return True
    if not ends and m.start > len(before):
        return False  # its sentence starts more than 80 characters before it: not fronted
    lead = before[ends[-1] if ends else 0 :].strip()
    if not _LEAD_IN.fullmatch(lead):
        return False
    return _FORECAST_VERB_AFTER.match(text, m.end) is not None


def infer_publication_date(
    text: str,
    base: dt.date | None = None,
    *,
    not_before: dt.date | None = None,
    not_after: dt.date | None = None,
    looking_ahead: bool = False,
) -> DateValue | None:
    """The best guess of when a news text was written, from the dates it mentions.

    `base` is a known day of writing to read relative phrases against; `not_after` the day the
    text was fetched or ingested (a text cannot be published later). Mentions starting after
    either (future events: "konferensen 15 mars 2030") or ending before `not_before` are
    skipped.
    1. Budget years win: a text on "budget för 2025" was most likely written in 2024. A day or
       month with a written year inside that year refines the guess; one after the budget's
       own year means the text looks back on the budget, and rule 2 dates it.
    2. Else the latest year written in the text (deadlines like "senast 2030" and forecasts
       like "beräknas ske under hösten 2026" do not count);
       within it the most precise, then latest, mention. A range counts by its end when that is
       before `base`, else by its start; by its start in a text `looking_ahead` (a program),
       where the ranges alone count when it has any (its term, not the years it promises by).
    3. Else what was read against `base` (relative phrases, dates without a year): the latest.
    Confidence is scaled down (x0.6 in 2, x0.5 in 3): a mentioned date is only near the
    publication date. The result is never after `base` or `not_after`.
    """
    limit = min((d for d in (base, not_after) if d is not None), default=None)
    mentions = [
        m
        for m in find_dates(text, base)
        if (limit is None or m.value.value <= limit)
        and (not_before is None or (m.range_end or m.value).latest() >= not_before)
    ]
    # forecasts, like deadlines, name a time to come, not the writing time
    # (a budget year keeps its own rule: "ska anta budgeten för 2025" is still written in 2024)
    anchors = [
        (m, _anchor(m, limit, looking_ahead))
        for m in mentions
        if m.kind == "budget_year" or not _forecast(text, m)
    ]
    written = [
        (m, a)
        for m, a in anchors
        if m.kind not in ("budget_year", "target_year", "relative")
        and re.search(r"[0-9]{4}", m.text)
    ]
    budget = [a for m, a in anchors if m.kind == "budget_year"]
    if budget and any(
        # the budget anchors at the year before the budget's own ("budget för 2025": 2024)
        a.precision in (DAY, MONTH) and a.value.year > max(b.value.year for b in budget) + 1
        for _, a in written
    ):
        # a day or month written after the budget's own year: the text looks back on it
        # ("slopades i budget 2025" in a text of 3 November 2026; QA: dated 2024). One in the
        # budget's year ("från den 1 januari 2025") is what such a budget is about.
        budget = []
    if budget:
        year = max(a.value.year for a in budget)
        written = [
            (m, a) for m, a in written if a.precision in (DAY, MONTH) and a.value.year == year
        ]
        if not written:
            return _dv(dt.date(year, 1, 1), YEAR, 0.6)
    if written and looking_ahead and any(m.range_end is not None for m, _ in written):
        # a program names its term ("2022–2026"), and years it promises things by ("före
        # utgången av 2024"), which are no writing time (QA: a 2022 program dated 2024)
        written = [(m, a) for m, a in written if m.range_end is not None]
    if written:
        year = max(a.value.year for _, a in written)
        best = min(
            (a for _, a in written if a.value.year == year),
            key=lambda a: (_PRECISION_RANK[a.precision], -a.value.toordinal()),
        )
        return _dv(best.value, best.precision, round(best.confidence * 0.6, 2))
    based = [a for m, a in anchors if m.kind != "target_year"]
    if based:
        best = max(based, key=lambda a: (a.value, -_PRECISION_RANK[a.precision]))
        return _dv(best.value, best.precision, round(best.confidence * 0.5, 2))
    return None


# A dateline opens a news text and says when it was written: "Stockholm 2026-11-02 – …",
# "STOCKHOLM (TT) den 3 november 2026.", "Publicerad: 3 nov. 2026 kl. 14.05". What stands before
# the day: a place (up to three capitalised words, an agency in brackets) or a publication label.
_DATELINE_LEAD = re.compile(
    r"(?P<place>(?:[A-ZÅÄÖ][\w'’-]{1,30}[,:]?[ \t]{1,3}){1,3}"
    r"(?:\([A-ZÅÄÖ]{1,10}\)[ \t]{0,3})?[,:]?[ \t]{0,3}"
    r"|(?i:publicerad|publicerat|pressmeddelande|datum)[ \t]{0,3}:?[ \t]{0,3})?"
    r"(?i:den[ \t]{1,3})?"
)
# Capitalised words that open a line with a day and are no place: a weekday or "Den" names an
# event's day ("Torsdagen den 14 mars 2024, klockan 10.00, håller ministern …"), and the
# others a day from, since or until which something holds ("Från 1 januari 2027: …") (review).
_NO_PLACE = frozenset(
    "den från sedan till fram före efter senast uppdaterad uppdaterat giltig gäller"
    " måndag tisdag onsdag torsdag fredag lördag söndag måndagen tisdagen onsdagen"
    " torsdagen fredagen lördagen söndagen".split()
)
# What follows it: a time, then the line's end or a separator before the text ("– Nämnden …").
# A day followed by a word ("Den 1 juni 2022 beslutade …"), or by a comma or a full stop and
# a word in lower case ("Den 24 augusti 1991, då …"), is an event the text tells of.
_DATELINE_TIME = r"(?:[ \t]{0,3},?[ \t]{0,3}(?:(?i:kl)\.?[ \t]{0,3})?[0-9]{1,2}[:.][0-9]{2})?[ \t]*"
_DATELINE_END = re.compile(
    _DATELINE_TIME + r"(?:$|[–—|:-](?:[ \t]|$)|[.,][ \t]*(?:$|(?=[^ \ta-zåäö])))"
)
_DAY_ALONE_END = re.compile(_DATELINE_TIME + r"[.]?[ \t]*$")
DATELINE_LINE = 200  # characters of a line a dateline is looked for in


def dateline_date(title: str, body: str, *, not_after: dt.date | None = None) -> DateValue | None:
    """The day a news text's dateline gives, from its title line or its body's first line
    (after the title, where the body repeats it: a plain text is titled by its first line).

    Unlike a date read elsewhere in the text (any date it names, often of an event), a
    dateline states when the text was written, so it gates like a given date (provenance
    `dateline`). A day standing alone on its line counts; with text after it, only after a
    place or a label ("Stockholm 2 november 2026 – …"). A day after `not_after` (the day the
    text was fetched) is a typo or a wrong clock, and no dateline.
    """
    head = (line.strip() for line in body[: DATELINE_LINE * 3].splitlines() if line.strip())
    first = next(head, "")
    if first == title.strip():
        first = next(head, "")
    for line in (title.strip(), first):
        line = line[:DATELINE_LINE].replace("\u00a0", " ")  # HTML's &nbsp; in "3&nbsp;nov"
        mentions = find_dates(line)
        if not mentions:
            continue
        m = mentions[0]
        if m.kind != "absolute" or m.value.precision is not DAY or not m.text[0].isdigit():
            continue  # "Första maj 2017" names a day to celebrate, in a title of its own
        if not_after is not None and m.value.value > not_after:
            continue
        lead = _DATELINE_LEAD.fullmatch(line, 0, m.start)
        if lead is None or _NO_PLACE & set(re.findall(r"\w+", (lead["place"] or "").lower())):
            continue
        ending = (_DAY_ALONE_END if m.start == 0 else _DATELINE_END).match(line, m.end)
        if ending is None:
            continue
        if len(mentions) > 1 and mentions[1].start <= ending.end() + 3:
            continue  # a period ("Verksamhetsplan 2023-01-01 – 2026-12-31"): no writing day
        return DateValue(m.value.value, DAY, DateProvenance.DATELINE, 0.9)
    return None


_USER_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def parse_user_date(value: str) -> DateValue:
    """ "YYYY", "YYYY-MM" or "YYYY-MM-DD" (the CLI's --date) as an explicit DateValue."""
    m = _USER_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if m is None:
        raise ValidationError(f"invalid date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"invalid date {value!r}: the year must be {MIN_YEAR}–{MAX_YEAR}")
    try:
        date = dt.date(year, month, day)
    except ValueError:  # Python's wording ("month must be in 1..12") varies by version
        raise ValidationError(f"invalid date {value!r}: no such month or day") from None
    precision = DAY if m[3] else MONTH if m[2] else YEAR
    return DateValue(date, precision, DateProvenance.EXPLICIT, 1.0)
