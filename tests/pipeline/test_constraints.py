"""The place check's word filter: it skips searches, never changes what they find."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lofte.pipeline import constraints
from lofte.pipeline.constraints import _own_and_other, _place_patterns

JURISDICTIONS = [
    "Stockholms stad",
    "Sjöviks kommun",
    "Malmö stad",
    "Region Stockholm",
    "Stockholms läns landsting",
    "Regeringen",
    "Östersunds kommun",
]


def test_every_character_ignorecase_folds_into_a_latin1_letter_is_lowered_to_it_or_listed() -> None:
    """The filter compares lower-cased text: a character `re` matches to a letter under
    IGNORECASE must lower to that letter, or be one of `_FOLDS` (which turn the filter off)."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    letters = [chr(c) for c in range(0x61, 0x7B)]
    letters += [chr(c) for c in range(0xE0, 0x100) if chr(c).isalpha()]
    odd = set()
    for letter in letters:
        for m in re.finditer(re.escape(letter), every, re.IGNORECASE):
            c = m.group()
            if c.lower() != letter.lower():
                odd.add(c)
    assert odd == set(constraints._FOLDS)


def _plain(text: str, jurisdiction: str) -> tuple[bool, bool]:
    """`_own_and_other` without the word filter: every pattern searched."""
    patterns = _place_patterns(jurisdiction)
    masked, other = text, False
    for pattern, _ in patterns.others:
        masked, found = pattern.subn(lambda m: " " * len(m.group()), masked)
        other = other or found > 0
    return patterns.own.search(masked) is not None, other


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_the_word_filter_finds_what_every_search_finds(shared_dir: Path, jurisdiction: str) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared_dir / "seeds").glob("*.txt"))]
    for path in sorted((shared_dir / "data" / "regeringen").rglob("*.md"))[::60]:
        body = path.read_text(encoding="utf-8")
        texts += [body[:300], body[300:900], body]
    texts += [
        "REGERINGEN beslutade i dag.",
        "RİKSDAGEN röstade ja.",  # a dotted capital I: lower() gives two characters
        "Riksdagen och Stockholms stad enades.",
        "Landstinget i Uppsala län och ſtaden.",
        "Kommunen bygger; STADENS budget.",
        "Landstinget beslutade.",
        "Staden bygger.",
        "Kommunens skola.",
        "Regionen satsar.",
        "Statens medel räcker.",
        "Region Skåne och Malmö stad.",
        "Östersund växer.",
    ]
    results = [(_own_and_other(t, jurisdiction), _plain(t, jurisdiction)) for t in texts]
    assert all(a == b for a, b in results)
    assert len({a for a, _ in results}) >= 2  # the texts tell places apart


@pytest.mark.parametrize(
    "actors, text, named",
    [
        (("S", "C"), "Skolan får en ny simhall och cykelbanor.", False),  # QA: "S" was a prefix
        (("S", "C"), "S och C är överens om budgeten.", True),
        (("S",), "Socialdemokraterna vill bygga fler bostäder.", True),
        (("KD",), "KD:s förslag röstades ned.", True),
        (("KD",), "Kdrama-festivalen lockade många.", False),
        (("Moderaterna",), "Moderaternas ledamöter röstade ja.", True),
        (("Moderaterna",), "Regeringen lade fram budgeten.", False),
    ],
)
def test_an_actor_is_named_by_its_code_as_a_word_or_its_name(
    actors: tuple[str, ...], text: str, named: bool
) -> None:
    assert constraints._names_actor(text, actors) is named
