"""Attributes of one pledge text (Comparative Pledges Project style), by Swedish surface rules.

`pledge_attributes(text, term=None)` returns
- `type`: "action" (a policy act: "Införa …", "Bygga …", "Vi ska sänka …", "… ska införas"),
  "outcome" (a state of the world: "Personaltätheten ska öka", "Vår målsättning är att …"),
  or None when the text commits to neither (a description, a slogan);
- `quantity`: the first amount with what it counts ("100 000 nya arbetsplatser",
  "25 procent", "minst två skolor", "en procent av BNI", "10 miljarder kronor"), or None;
  years and time limits are not amounts;
- `deadline`: the words of the first time limit ("till år 2030", "senast inom en månad",
  "under mandatperioden"), specific ones before vague ones ("omgående"), or None;
- `deadline_year`: the year it sets: absolute years always ("redan 2025" → 2025), relative ones
  only with a `Term` ("under mandatperioden" → the term's end year, "inom tio år" → election
  year + 10); None for "omgående", "inom 24 timmar", or a relative limit without a term;
- `conditional`: whether the commitment hangs on a condition ("om …, ska …", "ifall",
  "förutsatt att"); "oavsett om", "även om" and "om" as a preposition are none, nor the
  person a service is for ("… korta väntetiderna om man ringer 1177", "om du blir sjuk ska
  du …") or a purpose ("… måste minska om vi ska klara klimatmålen");
- `checkable`: False for vague aims ("en stad som håller ihop", "ett tryggare Stockholm",
  "Verka för ett bättre Sverige") with nothing to measure or do, else True.

Quantity, deadline and condition are read only from the text's `pledge_sentences`: those that
commit (or verbless items such as "10 000 fler poliser"), never the descriptions and rhetoric
around a pledge ("Elpriserna steg med över 500 procent").

`commitment_type` and `starts_with_verb` are shared with the extractor, which uses them to tell
the commitment sentences of a list item from its explanations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..language.segment import split_sentences

# Infinitives that open pledges; their imperatives are derived ("stärka" → "stärk").
_VERB_LIST = """
    anpassa anslå anställa arbeta avgiftsbefria avskaffa avsätta avveckla begränsa behålla
    bekämpa belysa belöna bemanna beskatta beslagta betala betona bevara bevilja bidra bilda
    bli bryta bygga dela digitalisera driva dubbla dubblera erbjuda ersätta etablera
    exportera fasa finansiera flytta fortsätta fylla få följa förbjuda förbättra fördela
    fördubbla förebygga förenkla förhindra förkorta förlänga förnya förse förstatliga
    förstärka försvara förändra garantera ge genomföra gå göra halvera hindra hjälpa hyra
    höja införa inleda inrätta investera kartlägga korta kräva köpa lagstifta lansera lyfta
    lägga låta minimera minska modernisera motverka möjliggöra nå premiera prioritera
    ratificera reformera renodla rikta riva rusta samla samordna satsa se skapa skriva
    skrota skydda skärpa slopa sluta slå sprida starta stoppa storsatsa styra ställa stänga
    stärka stå stödja stötta subventionera säkerställa säkra sälja sänka sätta ta tillföra
    tillsätta tillåta tvinga tydliggöra undanröja underlätta uppgradera upphandla uppmuntra
    uppmärksamma upprätta utbilda utföra utnyttja utreda utrusta utse utveckla utvidga
    utvisa utvärdera utöka verka vräka värna vårda ändra återinföra återställa återta
    återupprätta öka öppna öronmärka
"""
VERBS = frozenset(_VERB_LIST.split())
_LONG_VERBS = frozenset(v for v in VERBS if len(v) >= 5)
_VERB_FORMS = VERBS | {v[:-1] for v in VERBS if v.endswith("a") and len(v) > 3}
# Verbs that commit to nothing measurable when their object is a vague aim.
_VAGUE_VERBS = frozenset(
    "verka arbeta värna bidra sträva främja kämpa stå göra skapa bygga".split()
)
_ADVERBS = frozenset(
    "aktivt särskilt kraftigt kraftfullt snabbt omedelbart helt också även fortsatt tydligt "
    "långsiktigt skyndsamt successivt rejält kraftigt dessutom därför ytterligare".split()
)
_PREPOSITIONS = frozenset("i med genom tillsammans inom under efter vid".split())
_FINITE = frozenset("ska skall kan är har vill måste kommer får blir bör behöver var".split())
_OUTCOME_VERBS = frozenset(
    "vara bli finnas öka minska halveras fördubblas sjunka stiga ha få kunna nå uppgå ligga "
    "motsvara överstiga understiga gälla räcka upphöra försvinna växa gå".split()
)
# "-s" forms that mean no act: "krävs" (is needed), "finns" (exists), "upplevs" (is felt).
_DEPONENTS = frozenset(
    "krävs behövs finns syns känns hörs lyckas hoppas fattas tycks anses sägs upplevs märks "
    "halveras fördubblas tvingas misstänks".split()
)
# A passive after these is in a subordinate clause ("… leder till att människor utnyttjas").
_SUBORDINATORS = frozenset("att som där när om så eftersom då vilket medan".split())
_DESCRIPTIVE = frozenset("det detta den dessa här".split())
_MODAL = r"(?:ska|skall|måste|bör|kommer\s+att)"
_ACTOR = r"(?:vi|jag|\w+(?:erna|arna|partiet))"
_ACTOR_MODAL = re.compile(
    rf"\b(?:{_ACTOR}\s+(?:ska|skall|vill|kommer\s+att|lovar\s+att|avser\s+att|tänker)"
    rf"|(?:ska|skall|vill|kommer)\s+{_ACTOR}(?:\s+att)?)"
    r"\s+(?:(?:inte|också|även|därför|dessutom|fortsätta\s+att)\s+)*(\w+)",
    re.IGNORECASE,
)
_MODAL_VERB = re.compile(rf"\b{_MODAL}\s+(?:(?:inte|också|även|fortsatt|alltid)\s+)*(\w+)", re.I)
_TARGET = re.compile(
    r"\b(?:(?:mål|målet|målsättning(?:en)?|ambition(?:en)?)\s+är"
    r"|är\s+(?:(?:vårt|vår)\s+)?(?:mål(?:et)?|målsättning(?:en)?|ambition(?:en)?))\s+att\b",
    re.I,
)
_WORD = re.compile(r"[\wÅÄÖåäöÉé]+(?:-[\wÅÄÖåäö]+)*")

_NUMBER = r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)"
# Swedish number words and their values: counts in amounts, years in "inom tio år".
NUMBER_WORDS = {
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "femton": 15,
    "tjugo": 20,
    "tjugofem": 25,
    "trettio": 30,
    "fyrtio": 40,
    "femtio": 50,
    "sextio": 60,
    "sjuttio": 70,
    "åttio": 80,
    "nittio": 90,
    "hundra": 100,
    "tusen": 1000,
}
_NUMBER_WORDS = "|".join(
    sorted(
        [w for w in NUMBER_WORDS if w not in ("en", "ett")] + ["hälften", "dubbelt"],
        key=len,
        reverse=True,
    )
)
_QUALIFIER = (
    r"(?:minst|högst|max|maximalt|upp\s+till|över|under|cirka|ca\.?|omkring|ytterligare|"
    r"drygt|nästan|knappt|motsvarande|runt|ungefär|(?:fler|mer|färre|mindre)\s+än)"
)
_SCALE = "miljoner|miljarder|miljon|miljard|mdr|mdkr|mnkr|mkr|tkr|tusen"
_CURRENCY = "kronor|kr|euro"
_UNITS = (
    rf"(?:{_SCALE})(?:\s+(?:{_CURRENCY})(?!\w))?|procentenheter|procent|%|{_CURRENCY}|timmar|"
    "dagar|veckor|månader|år|minuter|stycken|st|gånger"
)
# "två procent av BNP", "en procent av BNI": the base is part of the amount.
_OF_GDP = (
    r"\s+av\s+(?:Sveriges\s+)?"
    r"(?:BNP|BNI|bruttonationalprodukt(?:en)?|bruttonationalinkomst(?:en)?)(?!\w)"
)
_PER = r"\s+(?:per|om)\s+(?:året|år|månaden|månad|dagen|dag)(?!\w)"
_QUANTITY = re.compile(
    rf"(?<![\w\-:/.,])(?:{_QUALIFIER}\s+)?"
    rf"(?:(?P<num>{_NUMBER})(?![\w\-:/]|[.,]\d)"
    rf"|(?P<frac>(?:en|ett|två|tre)\s+(?:tredjedel|fjärdedel|femtedel|tiondel)(?:ar)?\b)"
    rf"|(?P<word>(?:{_NUMBER_WORDS})\b(?!-)"
    rf"|(?:en|ett)(?=\s+(?:{_UNITS})(?!\w))))"  # "en procent", never the article alone
    rf"(?:\s+(?P<unit>{_UNITS})(?!\w)(?:{_OF_GDP})?(?:{_PER})?)?"
    r"|(?<!\w)(?P<one>(?:minst|högst|max|endast)\s+(?:en|ett))\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    "i till på för som och att med av om från under inom vid efter per eller samt men så "
    "den det de där när mot utan hos än är ska kan har blir senast redan år "
    # words that open a time phrase: "500 nya förskoleplatser före år 2025"
    "före innan tills fram sedan mellan inför varje fr.o.m t.o.m".split()
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_NON_SPACE = re.compile(r"\S+")
# An amount after these is a scope, not what is promised: "för den som fyllt 18 år".
_SCOPE_BEFORE = re.compile(r"\b(?:fyllt|fyllda|fyller|fyllde)\s+$", re.IGNORECASE)
# An amount after these is today's level; a later amount is the promised one
# ("från dagens 2 års fängelse till 6 års fängelse").
_RATIO_BEFORE = re.compile(rf"(?:\d|\b(?:{_NUMBER_WORDS}|en|ett))\s+av\s+$", re.IGNORECASE)
_DATE_AFTER = re.compile(
    r"\s+(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|"
    r"december)\b",
    re.IGNORECASE,
)
_FROM_BEFORE = re.compile(r"\b(?:från|dagens|nuvarande)\s+$", re.IGNORECASE)

_AMOUNT = r"(?:\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_YEAR_NUMBER = r"(?P<year>(?:19|20)\d\d)(?![\d-])"
_TERM_PREP = (
    r"(?:under|inom|innan|före|till|med\s+start|från(?:\s+och\s+med)?|i\s+slutet\s+av|senast|"
    r"redan)"
)
# (pattern, kind): the order is the preference, specific time limits before vague ones.
# Kinds: "span" ("inom tio år": election year + n), "year" (that year), "term" (the end of the
# program's term), "period" ("de kommande fyra åren": election year + n), "this_year",
# "next_year", "vague" (no year).
_DEADLINES = [
    (
        rf"(?:senast\s+)?(?:inom|innan|före|om)\s+(?P<n>{_AMOUNT})\s+"
        r"(?P<unit>timm(?:e|ar)|dag(?:ar)?|veck(?:a|or)|månad(?:er)?|år)\b",
        "span",
    ),
    (
        r"(?:(?:redan|senast)\s+)?(?:senast|till|tills|före|innan|fram\s+till|till\s+och\s+med|"
        r"från\s+och\s+med|från|fr\.o\.m\.|t\.o\.m\.|under|inför|i\s+slutet\s+av|"
        r"vid\s+utgången\s+av|redan)\s+(?:(?:år|utgången\s+av|slutet\s+av|början\s+av)\s+)?"
        # a season, a school term or a month of that year ("senast höstterminen 2023",
        # "till våren 2024", "senast i december 2024"; QA: none of them was a deadline)
        r"(?:(?:(?:i\s+)?(?:slutet\s+av\s+)?(?:hösten|våren|sommaren|vintern|höstterminen|"
        r"vårterminen|januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
        r"november|december))\s+)?" + _YEAR_NUMBER,
        "year",
    ),
    (r"\bår\s+" + _YEAR_NUMBER, "year"),
    (
        rf"(?:{_TERM_PREP}\s+(?:(?:den|denna|nästa|kommande|första)\s+){{0,2}}"
        r"|(?:(?:denna|nästa|kommande)\s+){1,2})mandatperiod(?:en|ens)?\b",
        "term",
    ),
    (r"(?:till|före|innan|inför)\s+nästa\s+val(?:et)?\b", "term"),
    # "vid mandatperiodens slut", "före denna mandatperiods utgång" (QA: such a pledge had no
    # deadline at all, so it was never due)
    (
        r"(?:vid|före|innan|till|senast\s+vid)\s+(?:(?:denna|nästa|kommande)\s+)?"
        r"mandatperiod(?:en)?s\s+(?:slut|utgång)\b",
        "term",
    ),
    (
        rf"(?:under|inom|före)\s+(?:de\s+)?(?:kommande|närmaste|första)\s+(?:(?P<n>{_AMOUNT})\s+)?"
        r"(?P<unit>åren|månaderna|veckorna|dagarna)\b",
        "period",
    ),
    (r"\bnästa\s+år\b", "next_year"),
    (r"\bi\s+år\b", "this_year"),
    # "ska omedelbart kunna ingripa" is a power, not a time limit.
    (
        r"\b(?:omedelbart|omgående|snarast(?:\s+möjligt)?|före\s+valet)\b(?!\s+(?:kan|kunna)\b)",
        "vague",
    ),
]
_DEADLINE_RES = [(re.compile(p, re.IGNORECASE), kind) for p, kind in _DEADLINES]

# Conditions. "om" is a conjunction ("if") only where a clause can start and a clause follows;
# elsewhere it is a preposition ("handlar om", "information om klimatet"), a particle ("ställa
# om") or "whether" ("pröva om", "frågan är om"), and "oavsett om", "även om" and "som om" are
# no conditions.
_CONDITION = re.compile(
    r"\b(?:ifall|förutsatt\s+att|under\s+förutsättning\s+att|såvida|givet\s+att|i\s+den\s+mån|"
    r"om\s+möjligt|om\s+så\s+(?:krävs|behövs))\b",
    re.IGNORECASE,
)
_OM = re.compile(r"(?<![\w-])om(?![\w-])", re.IGNORECASE)
# "om" at the start of a clause: the text's start or after punctuation.
_CLAUSE_START = re.compile(r"(?:^|[,;:–—(])\s*$")
# "… och om …", "men om …": a clause only when a subject follows (else "om X och om Y").
_CONJUNCTION_BEFORE = re.compile(r"\b(?:och|men|eller|samt|så)\s+$", re.IGNORECASE)
_NOT_IF_BEFORE = re.compile(
    r"\b(?:oavsett|även|som|ens|trots|hand|vakt|ställa|ställer|ställt|lägga|lägger|lagt|göra|gör|"
    r"bygga|bygger|tycka|tycker|ber|be|tala|talar|prata|pratar|handla|handlar|handlat|"
    r"berätta|berättar|informera|informerar|fråga|frågan|frågar|roll|är|var|se|pröva|"
    r"undersöka|avgöra|utreda|bedöma|veta|beslut|besluta|fundera|utvärdera|undrar|oklart|"
    r"osäkert|ringa|ringer|ringde|ringt|söka|söker|sökt|ansöka|ansöker|ansökt|skriva|skriver|"
    r"läsa|läser|höra|hör)\s+$",
    re.IGNORECASE,
)
_SUBJECT = frozenset("vi man du ni någon det den de jag han hon inte".split())
# "om man ringer 1177", "om du blir sjuk … ska du få": the person a service or right is for,
# not a condition the pledge hangs on. "man" is always that generic person; "du" and "ni" are
# when the sentence speaks of them again ("Om du blir sjuk ska du få …"); "Om du röstar på oss
# sänker vi skatten" stays a condition.
_GENERIC = {
    "man": frozenset(),
    "du": frozenset("du dig din ditt dina".split()),
    "ni": frozenset("ni er ert era".split()),
}
_GENERIC_WINDOW = 150
# After "om": a time ("om två år", "om året"), an "att" clause or a question word: no condition.
_NOT_IF_AFTER = frozenset(
    "att året dagen månaden veckan dygnet timmen hur vad vilka vilken vilket varför när var "
    "huruvida".split()
) | frozenset(NUMBER_WORDS).difference({"en", "ett"})
_TIME_NOUNS = frozenset("år månad vecka dag timme dygn".split())

# Descriptions: finite verbs and time words of sentences that report, not promise
# ("Elpriserna steg med över 500 procent", "Idag saknar 700 000 personer …").
_DESCRIPTIVE_WORDS = frozenset(
    "är var har hade blev blir finns fanns kan kunde går gick står stod ligger låg gör gjorde "
    "ger gav tar tog steg stiger sjönk sjunker ökade minskade växte växer föll faller uppgår "
    "uppgick kostar kostade lever levde saknar saknade saknas innebär innebar leder ledde "
    "lämnade lämnar bor bodde arbetar jobbar handlar visar visade motsvarar betyder äger ägde "
    "utgör utgjorde dömde dömdes drabbas drabbades tjänar tjänade släpper släppte försvinner "
    "försvann hamnar hamnade inträffade väntar väntade får fick sa sade tros anses uppger "
    "ökar minskar blivit varit haft fått gjort tagit kunnat velat misstänks tvingas skulle "
    "fördubblas".split()
)
_DESCRIPTIVE_TIME = frozenset("idag nu tidigare förra sedan".split())
_MODALS = frozenset("ska skall måste bör vill lovar".split())
_SUPINES = frozenset("blivit varit haft fått gjort tagit kunnat velat".split())
# Sources, colophons, tables and footnotes: "Källa: …", "Upplaga: …", "+ 3 000 kr/år", "*för …".
_NOT_TEXT = re.compile(r"^(?:[+=*]|(?:källa|källor|upplaga|foto|tryck)\b)", re.IGNORECASE)
_PAST_PASSIVE = re.compile(r"\w{3,}(?:ades|ats|its)$")


@dataclass(frozen=True)
class Term:
    """The term of office a program is written for.

    `Term.after_election(year)` is the term that follows the September election of `year`.
    The Riksdag elected then meets 15 days after election day (late September) and municipal
    and regional councils take office on 15 October; one date pair serves all three levels, so
    the term is taken to run from 1 October of the election year to 30 September of the next
    election year (four years on since the 1994 election, three years before). Only the years
    matter to deadlines: "under mandatperioden" and "till nästa val" resolve to `end.year`.
    """

    election_year: int
    start: date
    end: date

    @classmethod
    def after_election(cls, year: int) -> Term:
        if not 1900 <= year <= 2100:
            raise ValueError(f"election year out of range: {year}")
        length = 4 if year >= 1994 else 3
        return cls(year, date(year, 10, 1), date(year + length, 9, 30))


@dataclass(frozen=True)
class Deadline:
    """A time limit in a text: `text == source[start:end]`; `year` is None when it names no
    year ("omgående") or is relative and no term was given ("under mandatperioden")."""

    start: int
    end: int
    text: str
    year: int | None
    relative: bool


_VAGUE_AIM = re.compile(
    r"\b(?:bättre|mer|mera|tryggare|starkare|jämlikare|jämställdare|grönare|rättvisare|friare|"
    r"enklare|större|tydligare|öppnare|modernare|effektivare|säkrare|rikare|mänskligare|"
    r"som\s+håller\s+ihop|för\s+alla)\b",
    re.IGNORECASE,
)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


_LONGEST_VERB = max(map(len, _LONG_VERBS), default=0)


def _is_verb(word: str) -> bool:
    word = word.lower()
    if word in _VERB_FORMS or (len(word) >= 6 and word.endswith("era")):
        return True
    # Particle and compound verbs: "återinföra", "storsatsa", "nyanställa".
    # Only suffixes as long as some verb can match: all of them made one long word quadratic.
    first = max(1, len(word) - _LONGEST_VERB)
    return any(word[k:] in _LONG_VERBS for k in range(first, len(word) - 4))


def _is_passive_action(word: str) -> bool:
    """ "införas", "stärkas", "inrättas", "införs": a passive of an action verb."""
    word = word.lower()
    if word in _DEPONENTS or not word.endswith("s") or len(word) < 5:
        return False
    stem = word[:-1]
    return stem in VERBS or stem + "a" in VERBS or (stem.endswith("a") and _is_verb(stem))


def _is_present(word: str) -> bool:
    """A present-tense action verb after its subject: "sänker", "satsar", "inför", "bygger"."""
    word = word.lower()
    if not word.endswith("r") or len(word) < 4 or word in _FINITE:
        return False
    return word + "a" in VERBS or word[:-1] in VERBS or word[:-2] + "a" in VERBS


def starts_with_verb(text: str) -> str | None:
    """The opening verb of a verb-initial pledge ("Öka", "Aktivt arbeta", "I samarbete med X
    utföra"), else None."""
    words = _words(text)[:8]
    if not words:
        return None
    if _is_verb(words[0]) and not _quantifier_fa(words):
        return words[0]
    if (
        len(words) > 1
        and (words[0] in _ADVERBS or (len(words[0]) > 4 and words[0][-1] == "t"))
        and _is_verb(words[1])
        and words[1] not in _FINITE
    ):
        return words[1]
    if words[0] in _PREPOSITIONS:
        for prev, word in zip(words[1:6], words[2:7], strict=False):
            if word in _FINITE or prev in _FINITE:
                return None
            if _is_verb(word) and prev not in ("att", "som", "och"):
                return word
    return None


def _quantifier_fa(words: list[str]) -> bool:
    """An opening "Få" that is "few", not the imperative "get": "Få av oss väljer …", "Få
    saker är viktigare …" (QA: both were pledges), against "Få fler i arbete"."""
    return words[0] == "få" and (words[1:2] == ["av"] or (len(words) > 2 and words[2] in _FINITE))


def _classify(text: str) -> tuple[str | None, str]:
    """(type, the verb it rests on)."""
    verb = starts_with_verb(text)
    if verb:
        return "action", verb
    actor = _ACTOR_MODAL.search(text)
    if actor and _is_verb(actor.group(1)):
        return "action", actor.group(1).lower()
    if _TARGET.search(text):
        return "outcome", ""
    words = _words(text)
    we = bool(words) and re.fullmatch(_ACTOR, words[0]) is not None
    for k, w in enumerate(words[1:5], 1):
        if _SUBORDINATORS & set(words[:k]) or words[0] in _DESCRIPTIVE:
            break
        if _is_passive_action(w) or (we and _is_present(w)):
            return "action", w  # "En 90-dagarsgaranti införs", "Vi sänker skatten"
    modal = _MODAL_VERB.search(text)
    if modal:
        word = modal.group(1).lower()
        active = _is_verb(word) and word not in _OUTCOME_VERBS
        return ("action" if active or _is_passive_action(word) else "outcome"), word
    if actor:
        return "outcome", ""  # "Vi vill att fler …"
    passive = next(
        (
            w
            for k, w in enumerate(words)
            if _is_passive_action(w) and not _SUBORDINATORS & set(words[max(0, k - 4) : k])
        ),
        None,
    )
    if passive:
        return "action", passive  # "… ett nytt stödteam med kuratorer inrättas"
    return None, ""


def commitment_type(text: str) -> str | None:
    """ "action", "outcome" or None (the sentence commits to nothing)."""
    return _classify(text)[0]


def describes(sentence: str) -> bool:
    """Whether a sentence without a commitment reports rather than names a goal: it has a finite
    verb or a time word of a description ("Elpriserna steg med 500 procent", "Idag saknas …").
    A verbless item ("10 000 fler poliser", "Ett tryggare Sjövik med 200 fler poliser") does not.
    """
    return any(
        w in _DESCRIPTIVE_WORDS or w in _DESCRIPTIVE_TIME or _PAST_PASSIVE.match(w)
        for w in _words(sentence)
    )


def _reports(sentence: str) -> bool:
    """Whether a sentence with a modal or passive reports all the same: its first finite verb is
    a description's ("För pengarna hade 29 000 poliser kunnat anställas", "Mitt i krisen tvingas
    Sverige elda olja för att elen ska räcka"). Opening verbs, "vi vill" and targets commit."""
    if starts_with_verb(sentence) or _ACTOR_MODAL.search(sentence) or _TARGET.search(sentence):
        return False
    words = _words(sentence)
    # "Ifall hyrorna stiger ska …": the first verb after an opening "om" is the condition's.
    skip = bool(words) and words[0] in ("om", "ifall", "när", "såvida", "förutsatt")
    for word in words:
        if word in _DESCRIPTIVE_WORDS or _PAST_PASSIVE.match(word):
            if skip:
                skip = False
                continue
            return True
        if word in _MODALS or _is_present(word) or _is_passive_action(word):
            return False  # "Vi höjer lönerna om vi får …": the commitment comes first
    return False


def _gives_attributes(sentence: str) -> bool:
    if _NOT_TEXT.match(sentence):
        return False
    if commitment_type(sentence) is None:
        return not describes(sentence)
    return not _reports(sentence)


def pledge_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `text` that attributes are read from: those that commit to an
    action or outcome, and verbless items; never descriptions or rhetoric around the pledge."""
    return [(s, e) for s, e in split_sentences(text) if _gives_attributes(text[s:e])]


def _resolve(match: re.Match[str], kind: str, term: Term | None) -> tuple[int | None, bool]:
    """(year, relative) of one deadline match."""
    if kind == "year":
        return int(match.group("year")), False
    if kind == "vague":
        return None, False
    if kind in ("span", "period"):
        n = match.group("n")
        unit = match.group("unit").lower()
        if not n or not unit.startswith("år"):
            return None, kind == "period"  # "inom 24 timmar", "de kommande åren": no year
        years = int(n) if n.isdigit() else NUMBER_WORDS[n.lower()]
        return (term.election_year + years if term else None), True
    if term is None:
        return None, True
    offset = {"this_year": 0, "next_year": 1}.get(kind)
    return (term.end.year if offset is None else term.election_year + offset), True


def names_the_term(deadline: str) -> bool:
    """Whether a deadline's words are the term itself ("under mandatperioden", "till nästa
    val"): such a pledge is due at the term's end (`Term.end`), not at the end of its year."""
    return any(kind == "term" and pattern.search(deadline) for pattern, kind in _DEADLINE_RES)


def find_deadline_in(text: str, term: Term | None = None) -> Deadline | None:
    """The first time limit in one sentence, specific before vague; with a term, relative ones
    get a year and years before the election (a past, not a limit) are passed over."""
    for pattern, kind in _DEADLINE_RES:
        for match in pattern.finditer(text):
            year, relative = _resolve(match, kind, term)
            if term and year is not None and not relative and year < term.election_year:
                continue
            return Deadline(match.start(), match.end(), match.group(), year, relative)
    return None


def find_deadline(text: str) -> tuple[int, int] | None:
    deadline = find_deadline_in(text)
    return (deadline.start, deadline.end) if deadline else None


def _quantities(text: str, skip: tuple[int, int] | None) -> Iterator[tuple[re.Match[str], str]]:
    for match in _QUANTITY.finditer(text):
        if skip and match.start() < skip[1] and match.end() > skip[0]:
            continue
        num = match.group("num")
        if num and _YEAR.match(num) and not match.group("unit"):
            continue  # a year, not an amount
        if _SCOPE_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        if _RATIO_BEFORE.search(text, max(0, match.start() - 16), match.start()):
            continue  # "fyra av tio patienter": the base of a ratio
        if _DATE_AFTER.match(text, match.end()):
            continue  # "den 11 september"
        unit = match.group("unit")
        if unit and unit.lower() not in _SCALE.split("|"):
            yield match, match.group().strip()
            continue
        tail = []
        # The counted noun ends where the sentence's time limit (`skip`) begins: "500 poliser
        # nästa år", "500 poliser denna mandatperiod".
        end = skip[0] if skip and skip[0] >= match.end() else len(text)
        # From the match on, never a slice of the rest: copying the tail per match made a long
        # run of numbers quadratic (issue 9).
        for word in _NON_SPACE.finditer(text, match.end(), end):
            token = word.group().rstrip('.,;:!?)”"')
            low = token.lower()
            if (
                not token
                or low in _STOP
                or not token[0].isalpha()
                or low in _FINITE
                or low in _SUPINES
                or low in _DEPONENTS
                or _is_passive_action(low)
            ):
                break  # a counted noun ends at a verb: "1177 drivs", "en krona läggas"
            tail.append(token)
            if len(tail) == 3 or token != word.group():
                break
        word_only = (
            match.group("word")
            and not unit
            and match.group("word").lower() not in ("hälften", "dubbelt")
        )
        if unit or (tail and (num or word_only)) or not (num or word_only):
            # a bare number or number word counts nothing we can name ("årskurs nio")
            yield match, " ".join([match.group().strip(), *tail])


def find_quantity(text: str, skip: tuple[int, int] | None = None) -> str | None:
    """The first amount with its unit or counted noun, outside the span `skip`; an amount that
    is today's level ("från dagens 2 år till 6 år") gives way to the one after it."""
    found = _quantities(text, skip)
    first = next(found, None)
    if first is None:
        return None
    match, amount = first
    if _FROM_BEFORE.search(text, max(0, match.start() - 12), match.start()):
        later = next(found, None)
        if later is not None:
            return later[1]
    return amount


def _om_is_if(text: str, match: re.Match[str], seen_if: bool) -> bool:
    """Whether the "om" at `match` opens a conditional clause."""
    before = text[max(0, match.start() - 30) : match.start()]
    after = text[match.end() : match.end() + 120]
    clause = re.split(r"[,.;:!?–—]", after, maxsplit=1)[0]
    words = _WORD.findall(clause)
    if (
        not words
        or words[0].lower() in _NOT_IF_AFTER
        or (
            len(words) > 1
            and words[0].lower() in ("en", "ett", "några", "par")
            and words[1].lower() in _TIME_NOUNS
        )
    ):
        return False  # "om året", "om ett år", "om hur …", "om att …"
    first = words[0]
    generic = _GENERIC.get(first.lower())
    if generic is not None and (not generic or _speaks_of(text, match.start(), generic)):
        return False  # "… korta väntetiderna om man ringer 1177": whom the service is for
    if _CLAUSE_START.search(before) or re.search(r"\bmen\s+$", before, re.IGNORECASE):
        # "Om en region inte …, ska …": a clause follows, not a heading ("Om klimatet")
        return len(words) >= 3 and any(
            w.lower() in _FINITE
            or w.lower() in _DESCRIPTIVE_WORDS
            or w.lower() == "inte"
            or (len(w) >= 4 and w[-1] in "rs")
            for w in words[1:8]
        )
    if _NOT_IF_BEFORE.search(before):
        return False
    if first in _SUBJECT and len(words) > 1 and words[1].lower() in ("ska", "skall"):
        return False  # "… måste minska om vi ska klara klimatmålen": a purpose, not a condition
    subject = first in _SUBJECT  # lower case only: "ställer om Vi är" is a lost full stop
    if first in ("det", "den", "de"):
        subject = len(words) > 1 and (
            words[1].lower() in _FINITE
            or words[1].lower() in _DESCRIPTIVE_WORDS
            or words[1].lower() in _DEPONENTS
            or words[1].lower() == "inte"
        )
    if _CONJUNCTION_BEFORE.search(before):
        return subject or seen_if
    return subject


def _speaks_of(text: str, at: int, forms: frozenset[str]) -> bool:
    """Whether the sentence around `at` speaks of the person more than once ("om du blir sjuk
    ska du …"); a bounded window, so that a text of many "om du" stays linear."""
    near = text[max(0, at - _GENERIC_WINDOW) : at + _GENERIC_WINDOW]
    return sum(w.lower() in forms for w in _WORD.findall(near)) >= 2


def is_conditional(text: str) -> bool:
    """Whether the text makes its commitment hang on a condition ("om …, ska …", "förutsatt
    att", "under förutsättning att", "i den mån", "ifall", "såvida")."""
    for match in _CONDITION.finditer(text):
        if not (
            match.group().lower() == "ifall"
            and _NOT_IF_BEFORE.search(text, max(0, match.start() - 30), match.start())
        ):
            return True
    seen_if = False
    for match in _OM.finditer(text):
        if _om_is_if(text, match, seen_if):
            return True
    return seen_if


def pledge_attributes(text: str, term: Term | None = None) -> dict[str, Any]:
    """Type, quantity, deadline (text and year), conditional and checkable for one pledge text.

    Quantity, deadline and condition are read only from `pledge_sentences`: the rhetoric and
    facts around a pledge ("Elpriserna steg med över 500 procent") lend it no amount. With a
    `term`, relative deadlines get a year ("under mandatperioden" → the term's end year, "inom
    tio år" → election year + 10); without one, `deadline` keeps the words and `deadline_year`
    is None for them, while absolute years ("senast 2030") resolve either way.
    """
    kind, verb = _classify(text)
    deadline: Deadline | None = None
    quantity: str | None = None
    conditional = False
    for start, end in pledge_sentences(text):
        sentence = text[start:end]
        found = find_deadline_in(sentence, term)
        if deadline is None and found:
            deadline = found
        if quantity is None:
            quantity = find_quantity(sentence, (found.start, found.end) if found else None)
        conditional = conditional or is_conditional(sentence)
    vague = bool(_VAGUE_AIM.search(text))
    if quantity or deadline:
        checkable = True
    elif kind is None:
        checkable = False
    elif kind == "action":
        checkable = not (vague and (verb in _VAGUE_VERBS or verb + "a" in _VAGUE_VERBS))
    else:
        checkable = not vague
    return {
        "type": kind,
        "quantity": quantity,
        "deadline": deadline.text if deadline else None,
        "deadline_year": deadline.year if deadline else None,
        "conditional": conditional,
        "checkable": checkable,
    }
