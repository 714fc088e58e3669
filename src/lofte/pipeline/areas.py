"""Lead-ins of pledge lists and policy-area labels.

A program announces its pledges with a lead-in that ends in a colon: "För att … kommer vi:",
"… vill vi:", "Vi vill:", "Moderaterna kommer att:", "Våra viktigaste förslag handlar om att:".
A list after any other colon ("I programmet finns sju områden …:", "… på hemsidan …:") or after
a track record ("Det här har vi gjort:") is not a pledge list.

Area labels are headings as printed (one line, no trailing colon); a lead-in loses its frame
("För att bidra till god hälsa … kommer vi:" → "Bidra till god hälsa …").
"""

from __future__ import annotations

import re

_ACTOR = r"(?:vi|jag|\w+(?:erna|arna|partiet))"
_PROMISE = r"(?:kommer\s+att|vill|ska|skall|lovar(?:\s+att)?|föreslår|avser\s+att|tänker|kräver)"
_INTRO_PATTERNS = [
    # "… kommer vi:", "… vill vi:", "Därför vill Socialdemokraterna:"
    rf"\b(?:kommer|vill|ska|skall|lovar|föreslår|tänker|avser|kräver)\s+{_ACTOR}\b",
    # "Vi vill …:", "Socialdemokraterna kommer att …:", "Vi kommer därför att:"
    rf"\b{_ACTOR}\s+(?:(?:också|därför|även)\s+)?{_PROMISE}",
    rf"\b{_ACTOR}\s+(?:kommer|ska)\s+(?:(?:också|därför|även)\s+)+att\b",
    # "Våra viktigaste förslag handlar om att:", "Våra vallöften:"
    r"\b(?:vår|våra|vårt)\s+(?:\w+\s+){0,2}(?:förslag|vallöften|löften|reformer|"
    r"prioriteringar|krav|åtgärder|satsningar|åtaganden|politik)\b",
    # "Det här vill vi göra:", "Så här ska vi …:"
    r"\b(?:det\s+här|detta|så\s+här)\s+(?:vill|ska|kommer)\b",
]
_INTRO = [re.compile(p, re.IGNORECASE) for p in _INTRO_PATTERNS]
_FRAME_START = re.compile(r"^(?:för\s+att|därför|så)\s+", re.IGNORECASE)
_FRAME_END = re.compile(
    # `\b`: tried only where a word starts; from inside a long word `\w+` rescanned the rest
    # of it at every position, quadratic on a long run of letters or digits (issue 9).
    rf"[\s,]*\b(?:(?:kommer|vill|ska|skall|lovar|föreslår)\s+{_ACTOR}(?:\s+att)?|"
    rf"{_ACTOR}\s+(?:{_PROMISE})(?:\s+att)?)\s*(?:följande|detta)?\s*:?\s*$",
    re.IGNORECASE,
)


def is_commitment_intro(sentence: str) -> bool:
    """Whether a lead-in ending in ":" announces commitments of the speaker."""
    text = " ".join(sentence.split())
    if not text.endswith(":"):
        return False
    return any(p.search(text) for p in _INTRO)


def readable(label: str) -> str:
    """The label as printed, on one line, without a trailing colon or stop.

    A heading set in capitals stays in capitals: the area is what the program printed
    (issue 10), and lower-casing it lost the distinction between a chapter and a subsection.
    """
    return " ".join(label.split()).rstrip(" :;,.")


def intro_label(sentence: str) -> str | None:
    """The subject matter of a lead-in, or None when it names none ("Vi vill:").

    "För att bidra till god hälsa, vård och omsorg i hela staden kommer vi:"
    → "Bidra till god hälsa, vård och omsorg i hela staden".
    """
    text = " ".join(sentence.split())
    text = _FRAME_END.sub("", text)
    text = _FRAME_START.sub("", text).strip(" :,")
    if len(text.split()) < 2 or any(p.search(text) for p in _INTRO):
        return None  # nothing but the frame: "Vi vill:", "Våra viktigaste förslag …:"
    return readable(text[:1].upper() + text[1:])
