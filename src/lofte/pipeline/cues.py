"""Commitment cues: surface rules that say a Swedish sentence commits its speaker to something.

A sentence has a *commitment signal* when it holds one of
- a modal or volitional construction: "ska", "skall", "måste", "bör", "behöver" + a verb
  ("X ska återinföras", "Y bör förbjudas", "Vägnätet behöver rustas upp"), "kommer att" + a
  verb, "vi/jag/<party> vill|lovar|kräver|föreslår|tänker|avser", "vill vi", "nej till";
- (in a list item) an infinitive or imperative action verb opening it ("Införa …", "Sänk …"),
  with at least an object after it;
- a target year or deadline ("senast 2030", "till år 2045", "inom tio år",
  "nästa mandatperiod") in a sentence that is not in the past tense;
- an amount in an action construction ("100 000 nya bostäder till 2030", "en höjning med
  500 kronor"): a number or amount next to an action noun, again not in the past tense.

Questions, lead-ins ending in ":" and fragments of fewer than three words have none. The rules
are deliberately generous: the classifier ranks what they admit (`precision`, `rank`).
All patterns are literal alternations or bounded: linear in the text's length.
"""

from __future__ import annotations

import re

from .attributes import starts_with_verb

_ACTOR = r"(?:vi|jag|\w+(?:erna|arna|partiet))"
# A modal followed (within two words) by a verb-looking word: infinitive, passive or particle.
_MODAL = re.compile(
    r"\b(?:ska|skall|måste|bör|behöver|kommer\s+(?:vi\s+|de\s+|det\s+)?att)\s+"
    r"(?:(?:inte|också|även|alltid|aldrig|därför|dessutom|fortsatt|fortsätta|snabbt|"
    r"kraftigt|vi|de|det|alla|man|vara|få|kunna)\s+){0,3}[a-zåäöé]",
    re.IGNORECASE,
)
_VOLITION = re.compile(
    rf"\b(?:{_ACTOR}\s+(?:(?:också|även|därför|dessutom|inte|alltid)\s+)?"
    r"(?:vill|lovar|kräver|föreslår|tänker|avser|satsar|driver|säger\s+nej|säger\s+ja)"
    rf"|(?:vill|lovar|kräver|föreslår|tänker|avser)\s+{_ACTOR})\b"
    r"|^(?:nej|ja)\s+till\b",
    re.IGNORECASE,
)
_YEAR = r"20\d\d(?![\d-])"
_DEADLINE = re.compile(
    rf"\b(?:senast|till|före|innan|fram\s+till|från\s+och\s+med|redan|inom|år)\s+"
    rf"(?:(?:år|utgången\s+av|slutet\s+av)\s+)?{_YEAR}"
    r"|\b(?:inom|senast\s+inom)\s+(?:\d+|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|"
    r"femton|tjugo)\s+(?:år|månader|veckor|dagar)\b"
    r"|\b(?:nästa|kommande|under|denna)\s+mandatperiod(?:en)?\b",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"\b\d+(?:[  ]\d{3})*(?:,\d+)?\s*(?:%|procent|kronor|kr|miljoner|miljarder|nya|fler|"
    r"extra|ytterligare)"
    r"|\b(?:höjning|sänkning|ökning|fördubbling|halvering|satsning|investering|"
    r"utbyggnad)(?:en|ar|arna)?\s+(?:med|på|av)\s+\d",
    re.IGNORECASE,
)
# Past or perfect tense: a description of what was, not a commitment to what will be.
_PAST = re.compile(
    r"\b(?:har|hade)\s+(?:(?:inte|redan|också|även|aldrig)\s+)?\w+(?:at|it|tt|ts|ats|its)\b"
    r"|\b(?:var|blev|steg|sjönk|ökade|minskade|fördubblades|halverades|gick|kom|fick|"
    r"infördes|tog|gjorde|beslutade)\b",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")


def letters(text: str) -> int:
    """How many letters `text` has (page numbers, bullets and chart numbers have none)."""
    return len(_LETTER.findall(text))


def commitment_signal(text: str, *, in_list: bool = False) -> str | None:
    """The first commitment signal of one sentence: "modal", "volition", "verb", "deadline",
    "amount", or None. `in_list`: the sentence opens a list item (an infinitive opening counts).
    """
    stripped = text.strip()
    if stripped.endswith(("?", ":")) or len(stripped.split()) < 3:
        return None
    if _VOLITION.search(stripped):
        return "volition"
    if _MODAL.search(stripped):
        return "modal"
    if in_list and starts_with_verb(stripped) and len(stripped.split()) >= 2:
        return "verb"
    if _PAST.search(stripped):
        return None
    if _DEADLINE.search(stripped):
        return "deadline"
    if _AMOUNT.search(stripped):
        return "amount"
    return None
