"""The one cleaning function for text coming in, and the output helpers for XML and pages."""

from __future__ import annotations

import time
from xml.etree import ElementTree as ET

import pytest

from lofte.language.controls import (
    clean_text,
    has_forbidden,
    printable,
    strip_bidi_controls,
    xml_safe,
)

FORBIDDEN = [
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x0e",
    "\x1f",
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\ud800",
    "\udfff",
    "\ufdd0",
    "\ufdef",
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
]
ALLOWED = ["\t", "\n", " ", "å", "\u00a0", "\u00ad", "\ufffd", "\U0001f600", "\u202e", "\ue000"]


@pytest.mark.parametrize("ch", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_forbidden_characters_go(ch: str) -> None:
    assert has_forbidden(f"a{ch}b")
    assert clean_text(f"a{ch}b") == "ab"
    assert clean_text(f"a{ch}b", keep_offsets=True) == "a b"


@pytest.mark.parametrize("ch", ALLOWED, ids=[f"U+{ord(c):04X}" for c in ALLOWED])
def test_ordinary_characters_stay(ch: str) -> None:
    assert clean_text(f"a{ch}b") == f"a{ch}b"
    assert not has_forbidden(ch)


def test_line_ends_are_unified_except_where_offsets_count() -> None:
    assert clean_text("ett\r\ntvå\rtre\n") == "ett\ntvå\ntre\n"
    assert clean_text("ett\r\ntvå", keep_offsets=True) == "ett\r\ntvå"


def test_xml_safe_text_always_parses_and_has_no_bidi_controls() -> None:
    hostile = "".join(chr(c) for c in range(0, 0x250)) + "\u202eevil\u2066\ud800\ufffe\U0010fffe"
    element = ET.Element("description")
    element.text = xml_safe(hostile)
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode")).text or ""
    assert "evil" in parsed and "\u202e" not in parsed and "\u2066" not in parsed


def test_bidi_controls_are_dropped() -> None:
    text = "\u202aa\u202bb\u202cc\u202dd\u202ee\u2066f\u2067g\u2068h\u2069i\u200ej\u200fk\u061cl"
    assert strip_bidi_controls(text) == "abcdefghijkl"


def test_printable_shows_control_characters_as_escapes() -> None:
    assert printable("a_\x1b[31mRED\x1b[0m.txt") == "a_\\x1b[31mRED\\x1b[0m.txt"
    assert printable("rad\nett\tx\r\x7f\x85\u202e\udcff") == (
        "rad\\nett\\tx\\r\\x7f\\x85\\u202e\\udcff"
    )
    assert printable("Sjövik – “å” € 🙂") == "Sjövik – “å” € 🙂"


def test_cleaning_is_linear_in_the_length_of_the_text() -> None:
    def seconds(n: int) -> float:
        text = ("\x01a\u202e" * n)[: 3 * n]
        start = time.perf_counter()
        clean_text(text)
        xml_safe(text)
        return time.perf_counter() - start

    small, large = seconds(20_000), seconds(200_000)
    assert large < 10 * small * 3 + 0.05  # ten times the text, not a hundred times the time
