"""Lead-ins of pledge lists and policy-area labels.

A program announces its pledges with a lead-in that ends in a colon: "För att … kommer vi:",
"… vill vi:", "Vi vill:", "Moderaterna kommer att:", "Våra viktigaste förslag handlar om att:".
A list after any other colon ("I programmet finns sju områden …:", "… på hemsidan …:") or after
a track record ("Det här har vi gjort:") is not a pledge list.

Area labels are headings as printed (one line, no trailing colon); a lead-in loses its frame
("För att bidra till god hälsa … kommer vi:" → "Bidra till god hälsa …"). Not every heading
names an area: `caption_label` tells a chart's or figure's label ("Figur 3. …", "Källa: SCB",
"Elpris öre/kWh 2020–2022", a statement such as "Det är bostadsbrist i 207 kommuner.") from a
section title; the extractor also skips the program's cover title and chart labels it knows by
their place (`pipeline.extract`).
"""

from __future__ import annotations

import re

from ..language.segment import vote_appeal as segment_vote_appeal

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


# "Figur 3.", "Diagram:", "Tabell 2 –", "Källa: SCB": a caption by its first word.
_CAPTION_WORD = re.compile(
    r"^(?:figur|fig\.|diagram|tabell|graf|grafik|karta|bild|foto|illustration|källa|källor)"
    r"(?:\s*\d|\s*[:.–-]|$)",
    re.IGNORECASE,
)
# Units and scales that label a chart's axis ("öre/kWh", "tusentals kronor", "g CO2e/kWh").
_CHART_UNIT = re.compile(
    r"(?:\b\w+/(?:kwh|mwh|år|månad|invånare|capita)\b|\btusentals\s+kronor\b|"
    r"\bmiljoner\s+kronor\b|\bmiljarder\s+kronor\b|\bprocent\s+av\s+bnp\b|\(per\s+\w+\))",
    re.IGNORECASE,
)
_DIGIT_SHARE = 0.3  # a label this much of whose characters are digits is a chart's, not a title


def caption_label(heading: str) -> bool:
    """Whether a heading is a chart's or a figure's label rather than a section title.

    Caption words ("Figur 3. Arbetslöshet", "Källa: SCB"), axis units ("Elpris öre/kWh"), a
    label made mostly of numbers ("2002–2022, 1 000 kr"), and a heading that is a sentence, ending
    in a full stop ("Det är bostadsbrist i 207 av landets 290 kommuner."): a section title
    names an area, it does not end like a statement. "100 procent förnybar energi" is a title.
    """
    text = " ".join(heading.split())
    if not text:
        return False
    if _CAPTION_WORD.match(text) or _CHART_UNIT.search(text):
        return True
    if text.endswith(".") and not text.endswith(".."):
        return True
    inked = [c for c in text if not c.isspace()]
    return sum(c.isdigit() for c in inked) >= _DIGIT_SHARE * len(inked)


# A heading that calls for a vote (`language.segment.vote_appeal`): the section under it (a
# program's closing summary of pledges from every area) has no area of its own (QA: 15
# pledges on asylum, aid and NATO were filed under "Rösta på Vänsterpartiet!").
vote_appeal = segment_vote_appeal


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
