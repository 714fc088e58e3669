"""Commitment cues: surface rules that say a Swedish sentence commits its speaker to something.

A sentence has a *commitment signal* when it holds one of
- a modal or volitional construction in a main clause: "ska", "skall", "måste", "bör",
  "borde", "behöver" ("X ska återinföras", "Y bör förbjudas", "Vägnätet behöver rustas upp"),
  "kommer att" + a verb with the speaker as subject, "vi/jag/<party> vill|lovar|kräver|
  föreslår|anser …", "vill vi", "(säger) nej till"; an impersonal call ("krävs", "behövs",
  "X kräver Y", "det är dags/hög tid/nödvändigt"); a stated target ("Vårt mål är att …");
- an infinitive or imperative action verb opening a list item ("Införa …", "Sänk …",
  "Aktivt verka för …") or, as its very first word, a prose sentence ("Ge barn …");
- a target year or deadline ("senast 2030", "till år 2045", "inom tio år",
  "nästa mandatperiod") in a sentence that is not in the past tense;
- an amount in an action construction ("100 000 nya bostäder", "en höjning med 500 kronor"),
  again not in the past tense (a forecast, "väntas öka …", counts as past).

A cue in a subordinate clause ("för att integrationen ska fungera", "vad som måste göras")
commits to nothing. Questions, lead-ins ending in ":" and prose fragments of fewer than three
words have none. The rules are deliberately generous: the classifier ranks what they admit
(`precision`, `rank`). All patterns are literal alternations or bounded: linear in the text's
length.
"""

from __future__ import annotations

import re

from .attributes import starts_with_verb

# The speaker: "vi", "jag" or a party by name ("Moderaterna", "Vänsterpartiet"); not any plural
# ("Klimatförändringarna kommer att …" is a forecast).
_ACTOR = r"(?:vi|jag|\w*partiet|\w*demokraterna|moderaterna|liberalerna)"
# A modal verb: "ska", "skall", "måste", "bör", "borde", "behöver" ("Vägnätet behöver rustas
# upp").
# "kommer att" commits only with the speaker as subject (in `_VOLITION`): "omställningen
# kommer att skapa jobb" is a forecast.
_MODAL = re.compile(r"\b(?:ska|skall|måste|bör|borde|behöver)\b", re.IGNORECASE)
_VOLITION = re.compile(
    rf"\b(?:{_ACTOR}\s+(?:(?:också|även|därför|dessutom|inte|alltid)\s+)?"
    r"(?:vill|lovar|kräver|föreslår|tänker|avser|anser|satsar|driver|säger\s+nej|säger\s+ja)"
    rf"|(?:vill|lovar|kräver|föreslår|tänker|avser)\s+{_ACTOR}"
    rf"|{_ACTOR}\s+kommer\s+(?:(?:också|även|därför|inte|aldrig|alltid)\s+)?att"
    # "kommer" + an infinitive without "att" ("Moderaterna kommer kraftigt stärka …", "vi
    # kommer därför utöka …"): a word in -a after at most one adverb, not "tillbaka"
    rf"|{_ACTOR}\s+kommer\s+(?:(?:också|även|därför|inte|aldrig|alltid|[a-zåäö]{{3,}}t)\s+)?"
    r"(?!tillbaka\b)[a-zåäö]{2,}a(?=\s)"
    rf"|kommer\s+{_ACTOR}\s+(?:(?:också|även|därför|inte|aldrig|alltid)\s+)?att)\b"
    r"|\bsäger\s+(?:\w+\s+){0,2}?(?:nej|ja)\s+till\b"
    r"|\b(?:och|samt)\s+vill\s+(?:också\s+|även\s+)?[a-zåäö]"
    r"|^(?:nej|ja)\s+till\b",
    re.IGNORECASE,
)
# "krävs", "behövs", "det är dags att": an impersonal call for a measure.
_NEED = re.compile(
    r"\b(?:krävs|behövs|kräver)\b|\bär\s+(?:det\s+)?(?:dags|hög\s+tid|nödvändigt)\b",
    re.IGNORECASE,
)
# "Vårt mål är att …", "Ambitionen är att …": a target, whatever the clause after it says.
_TARGET = re.compile(
    r"\b(?:mål|målet|målsättning(?:en)?|ambition(?:en)?)\s+är\s+att\b", re.IGNORECASE
)
# A cue after these in its clause belongs to a subordinate clause ("för att integrationen ska
# fungera", "den som vill", "vad som måste göras"): it commits to nothing.
_SUBORDINATORS = frozenset(
    "att när hur om där eftersom vad vilket vilken medan tills innan då fast".split()
)
_CLAUSE_WORDS = 2  # "för att integrationen ska", "vad som måste", "hur man ska"
_YEAR = r"20\d\d(?![\d-])"
_YEAR_RE = re.compile(_YEAR)
_DEADLINE = re.compile(
    rf"\b(?:senast|till|före|innan|fram\s+till|från\s+och\s+med|redan|inom|år)\s+"
    rf"(?:(?:år|utgången\s+av|slutet\s+av)\s+)?{_YEAR}"
    r"|\b(?:inom|senast\s+inom)\s+(?:\d+|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|"
    r"femton|tjugo)\s+(?:år|månader|veckor|dagar)\b"
    r"|\b(?:nästa|kommande|under|denna)\s+mandatperiod(?:en)?\b",
    re.IGNORECASE,
)
# An amount in an action construction: "100 000 nya bostäder", "en höjning med 500 kronor".
# A bare figure ("31 miljarder per år.", "priserna steg med 500 procent") is not one.
_AMOUNT = re.compile(
    r"\b\d+(?:[ \u00a0]\d{3})*(?:,\d+)?\s+(?:nya|fler|extra|ytterligare)\b"
    r"|\b(?:höjning|sänkning|ökning|fördubbling|halvering|satsning|investering|"
    r"utbyggnad)(?:en|ar|arna)?\s+(?:med|på|av)\s+(?:minst\s+|ytterligare\s+)?\d",
    re.IGNORECASE,
)
# Past or perfect tense: a description of what was, not a commitment to what will be.
# A forecast ("väntas öka … fram till 2030") is no commitment either.
_PAST = re.compile(
    r"\b(?:har|hade)\s+(?:\w+\s+)?\w+(?:at|it|tt|ts|ats|its)\b"
    r"|\b(?:väntas|förväntas|beräknas|bedöms|spås)\b"
    r"|\b(?:var|blev|steg|sjönk|ökade|minskade|fördubblades|halverades|gick|kom|fick|"
    r"infördes|tog|gjorde|beslutade)\b",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")
# Words that name no policy: a sentence of only these points back or is a slogan ("Så ska det
# inte vara.", "Alla ska med.", "Det kommer vi att göra."), not a pledge (docs/pledge-devset.md).
_EMPTY_WORDS = frozenset(
    "så det detta den denna dessa sådan sådant sådana inte aldrig heller också även ska skall "
    "måste kan kunna bör borde får vill behöver kommer att vara bli göra gör här där nu ju vi "
    "alla med".split()
)
_WORDS = re.compile(r"[^\W_]+")


def letters(text: str) -> int:
    """How many letters `text` has (page numbers, bullets and chart numbers have none)."""
    return len(_LETTER.findall(text))


def _main_clause(text: str, pos: int) -> bool:
    """Whether the cue at `pos` is outside a subordinate clause: no subordinator among the few
    words before it, back to the clause's start (a comma, dash or colon)."""
    start = max(0, pos - 60)
    head = text[start:pos]
    for stop in ",;:–—(":
        head = head.rsplit(stop, 1)[-1]
    words = head.lower().split()
    if words == ["då"]:
        return True  # "Om vi ska klara klimatet, då måste …": a main clause after an "om" one
    words = words[-_CLAUSE_WORDS:]
    # "som" is the subject of a relative clause only right before the cue ("vad som måste
    # göras"); "Den som flyr ska ha …" has its cue in the main clause
    return not _SUBORDINATORS.intersection(words) and words[-1:] != ["som"]


def _ahead(match: re.Match[str], since: int | None) -> bool:
    """Whether a deadline match can lie ahead: a year before the program's election year is
    history ("År 2021 beviljades 95 000 uppehållstillstånd." in a 2022 program)."""
    years = _YEAR_RE.findall(match.group(0))
    return since is None or not years or any(int(y) >= since for y in years)


def commitment_signal(text: str, *, in_list: bool = False, since: int | None = None) -> str | None:
    """The first commitment signal of one sentence: "target", "volition", "modal", "need",
    "verb", "deadline", "amount", or None. `in_list`: the sentence opens a list item (an
    infinitive opening counts, and two words are enough: "Sänk skatten."). `since`: the
    program's election year, when known; a year before it is no deadline.
    """
    stripped = text.strip()
    if stripped.endswith(("?", ":")) or len(stripped.split()) < (2 if in_list else 3):
        return None
    if _EMPTY_WORDS.issuperset(w.lower() for w in _WORDS.findall(stripped)):
        return None
    if _TARGET.search(stripped):
        return "target"
    for pattern, name in ((_VOLITION, "volition"), (_MODAL, "modal"), (_NEED, "need")):
        if any(_main_clause(stripped, m.start()) for m in pattern.finditer(stripped)):
            return name
    verb = starts_with_verb(stripped)
    if verb and (in_list or stripped.split()[0].lower() == verb):
        return "verb"  # "Införa …" opening an item; "Ge barn …" opening a prose sentence
    if _PAST.search(stripped):
        return None
    if any(_ahead(m, since) for m in _DEADLINE.finditer(stripped)):
        return "deadline"
    if _AMOUNT.search(stripped):
        return "amount"
    return None
