"""Characters that must never reach a page, a feed or a chart: pure functions over strings.

Two kinds:

- *Forbidden* characters: C0 controls except tab, newline and carriage return; DEL; the C1
  controls U+0080–U+009F; lone surrogates; and the Unicode noncharacters (U+FDD0–U+FDEF and the
  last two code points of every plane). XML 1.0 forbids most of them outright (one of them in an
  RSS feed makes it invalid for every reader, for good) and the rest mean nothing in text.
  `clean_text` strips them where text comes in (web forms, CLI options, readers); the feed and
  chart writers strip them again on the way out (`xml_safe`) so a row written straight into the
  database cannot break them either.
- *Bidi controls* (embeddings, overrides, isolates and marks): legitimate in right-to-left
  text, but one stray U+202E in a title reverses the rest of the line around it.
  `strip_bidi_controls` removes them on output (the page templates, the feed, the charts).

For a terminal, `printable` shows all of them (and tab and newline) as escapes instead: a file
name is not stored cleaned, and an escape code in it must not recolour or rewrite the screen.

Every pattern here is a single character class: linear in the length of the text.
"""

from __future__ import annotations

import re

# The noncharacters U+nFFFE and U+nFFFF of the 16 supplementary planes.
_PLANE_ENDS = "".join(chr(p << 16 | 0xFFFE) + chr(p << 16 | 0xFFFF) for p in range(1, 17))
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + _PLANE_ENDS + "]"
)
# LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, ALM.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_LINE_ENDS = re.compile(r"\r\n?")
# What a terminal acts on instead of showing: C0 (tab and newline too), DEL, C1, the bidi
# controls; and lone surrogates (undecodable bytes of a file name), which it cannot encode.
_TERMINAL = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)


def clean_text(text: str, *, keep_offsets: bool = False) -> str:
    """`text` as it may be stored: line ends unified to "\\n", forbidden characters gone.

    With `keep_offsets` (readers, whose spans point into the text) line ends stay as they are
    and each forbidden character becomes one space instead, so no offset moves.
    """
    if keep_offsets:
        return _FORBIDDEN.sub(" ", text)
    return _FORBIDDEN.sub("", _LINE_ENDS.sub("\n", text))


def has_forbidden(text: str) -> bool:
    return _FORBIDDEN.search(text) is not None


def xml_safe(text: str) -> str:
    """Text an XML 1.0 document can hold, without bidi controls: for feeds and SVG labels."""
    return strip_bidi_controls(_FORBIDDEN.sub("", text))


def strip_bidi_controls(text: str) -> str:
    """`text` without the characters that change the display order of what surrounds it."""
    return _BIDI.sub("", text)


def printable(text: str) -> str:
    """`text` for a terminal line: each control character shown as its Python escape
    (`\\x1b`, `\\n`, `\\u202e`), everything else as it is."""
    return _TERMINAL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
