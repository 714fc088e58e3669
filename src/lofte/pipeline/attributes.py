"""Attributes of one pledge text (Comparative Pledges Project style), by Swedish surface rules.

`pledge_attributes(text)` returns
- `type`: "action" (a policy act: "Införa …", "Bygga …", "Vi ska sänka …", "… ska införas"),
  "outcome" (a state of the world: "Personaltätheten ska öka", "Vår målsättning är att …"),
  or None when the text commits to neither (a description, a slogan);
- `quantity`: the first amount with what it counts ("100 000 nya arbetsplatser",
  "25 procent", "minst två skolor"), or None; years and time limits are not amounts;
- `deadline`: the first time limit ("till år 2030", "senast inom en månad",
  "under mandatperioden"), specific ones before vague ones ("omgående"), or None;
- `conditional`: whether the commitment hangs on a condition ("om", "ifall", "förutsatt att");
- `checkable`: False for vague aims ("en stad som håller ihop", "ett tryggare Stockholm",
  "Verka för ett bättre Sverige") with nothing to measure or do, else True.

`commitment_type` and `starts_with_verb` are shared with the extractor, which uses them to tell
the commitment sentences of a list item from its explanations.
"""

from __future__ import annotations

import re
from typing import Any

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
    "halveras fördubblas".split()
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
_TARGET = re.compile(r"\b(?:mål|målet|målsättning(?:en)?|ambition(?:en)?)\s+är\s+att\b", re.I)
_WORD = re.compile(r"[\wÅÄÖåäöÉé]+(?:-[\wÅÄÖåäö]+)*")

_NUMBER = r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)"
_NUMBER_WORDS = (
    "två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|femton|tjugo|trettio|fyrtio|femtio|"
    "sextio|sjuttio|åttio|nittio|hundra|tusen|hälften|dubbelt"
)
_QUALIFIER = (
    r"(?:minst|högst|max|maximalt|upp\s+till|över|under|cirka|ca\.?|omkring|ytterligare|"
    r"drygt|nästan|knappt|(?:fler|mer|färre|mindre)\s+än)"
)
_UNITS = (
    "procent|procentenheter|%|kronor|kr|miljoner|miljarder|mdr|mkr|tkr|tusen|timmar|dagar|"
    "veckor|månader|år|minuter|stycken|st|gånger|euro"
)
_QUANTITY = re.compile(
    rf"(?<![\w\-:/.,])(?:{_QUALIFIER}\s+)?(?:(?P<num>{_NUMBER})(?![\w\-:/]|[.,]\d)"
    rf"|(?P<word>(?:{_NUMBER_WORDS})\b(?!-)"
    rf"|(?:en|ett|två|tre)\s+(?:tredjedel|fjärdedel|femtedel|tiondel)(?:ar)?\b))"
    rf"(?:\s+(?P<unit>{_UNITS})(?!\w))?"
    r"|(?<!\w)(?P<one>(?:minst|högst|max|endast)\s+(?:en|ett))\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    "i till på för som och att med av om från under inom vid efter per eller samt men så "
    "den det de där när mot utan hos än är ska kan har blir".split()
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_NON_SPACE = re.compile(r"\S+")

_AMOUNT = r"(?:\d+|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|tolv|tjugo|trettio|nittio)"
_DEADLINES = [
    rf"(?:senast\s+)?(?:inom|innan|före)\s+{_AMOUNT}\s+"
    r"(?:timm(?:e|ar)|dag(?:ar)?|veck(?:a|or)|månad(?:er)?|år)\b",
    r"(?:senast|till|före|innan|fram\s+till|från\s+och\s+med|från|fr\.o\.m\.|t\.o\.m\.|"
    r"under|inför|i\s+slutet\s+av|vid\s+utgången\s+av)\s+(?:(?:år|utgången\s+av|slutet\s+av|"
    r"början\s+av)\s+)?(?:19|20)\d\d(?![\d-])",
    r"\bår\s+(?:19|20)\d\d(?![\d-])",
    r"(?:under|inom|innan|före|till|efter)\s+(?:den\s+)?(?:(?:kommande|nästa|denna|första)\s+)?"
    r"mandatperiod(?:en)?",
    r"(?:under|inom|före)\s+(?:de\s+)?(?:kommande|närmaste|första)\s+(?:\w+\s+)?"
    r"(?:åren|månaderna|veckorna|dagarna)",
    r"\b(?:omedelbart|omgående|snarast(?:\s+möjligt)?|nästa\s+år|i\s+år|före\s+valet)\b",
]
_DEADLINE_RES = [re.compile(p, re.IGNORECASE) for p in _DEADLINES]
_CONDITION = re.compile(
    r"\b(?:ifall|förutsatt\s+att|under\s+förutsättning\s+att|såvida|givet\s+att|i\s+den\s+mån)\b",
    re.IGNORECASE,
)
_IF = re.compile(r"(?:^|[,;:–]\s*|\b(?:och|men|eller|samt|så)\s+)om\b", re.IGNORECASE)
_IF_SUBJECT = re.compile(r"\bom\s+(?:vi|man|du|ni|någon|det\s+(?:behövs|blir|finns))\b", re.I)
_WHETHER = re.compile(
    r"\b(?:se|pröva|undersöka|avgöra|utreda|fråga|bedöma|veta|beslut|besluta|fundera|"
    r"utvärdera)\s+om\b",
    re.IGNORECASE,
)
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
    """"införas", "stärkas", "inrättas", "införs": a passive of an action verb."""
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
    if _is_verb(words[0]):
        return words[0]
    if len(words) > 1 and (words[0] in _ADVERBS or (len(words[0]) > 4 and words[0][-1] == "t")):
        if _is_verb(words[1]) and words[1] not in _FINITE:
            return words[1]
    if words[0] in _PREPOSITIONS:
        for prev, word in zip(words[1:6], words[2:7]):
            if word in _FINITE or prev in _FINITE:
                return None
            if _is_verb(word) and prev not in ("att", "som", "och"):
                return word
    return None


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
        (w for k, w in enumerate(words)
         if _is_passive_action(w) and not _SUBORDINATORS & set(words[max(0, k - 4) : k])),
        None,
    )
    if passive:
        return "action", passive  # "… ett nytt stödteam med kuratorer inrättas"
    return None, ""


def commitment_type(text: str) -> str | None:
    """"action", "outcome" or None (the sentence commits to nothing)."""
    return _classify(text)[0]


def find_deadline(text: str) -> tuple[int, int] | None:
    for pattern in _DEADLINE_RES:
        match = pattern.search(text)
        if match:
            return match.span()
    return None


def find_quantity(text: str, skip: tuple[int, int] | None = None) -> str | None:
    """The first amount with its unit or counted noun, outside the span `skip`."""
    for match in _QUANTITY.finditer(text):
        if skip and match.start() < skip[1] and match.end() > skip[0]:
            continue
        num = match.group("num")
        if num and _YEAR.match(num) and not match.group("unit"):
            continue  # a year, not an amount
        if match.group("unit"):
            return match.group().strip()
        tail = []
        # From the match on, never a slice of the rest: copying the tail per match made a long
        # run of numbers quadratic (issue 9).
        for word in _NON_SPACE.finditer(text, match.end()):
            token = word.group().rstrip(".,;:!?)”\"")
            if not token or token.lower() in _STOP or not token[0].isalpha():
                break
            tail.append(token)
            if len(tail) == 3 or token != word.group():
                break
        if tail or not num:  # a bare number counts nothing we can name
            return " ".join([match.group().strip(), *tail])
    return None


def is_conditional(text: str) -> bool:
    if _CONDITION.search(text):
        return True
    for pattern in (_IF, _IF_SUBJECT):
        for match in pattern.finditer(text):
            start = match.end() - 2  # the "om"
            if not _WHETHER.search(text[max(0, start - 20) : start + 2]):
                return True
    return False


def pledge_attributes(text: str) -> dict[str, Any]:
    """Type, quantity, deadline, conditional and checkable for one pledge text."""
    kind, verb = _classify(text)
    deadline_span = find_deadline(text)
    deadline = text[deadline_span[0] : deadline_span[1]] if deadline_span else None
    quantity = find_quantity(text, deadline_span)
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
        "deadline": deadline,
        "conditional": is_conditional(text),
        "checkable": checkable,
    }
