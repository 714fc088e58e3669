"""A pledge's quote never ends inside a quotation (QA of the 2022 manifestos: a sentence with a
quoted phrase "… under parollen ”Alla barn. Alla dagar.” …" was cut after "barn.").

The programs here are fictional.
"""

from __future__ import annotations

import time

import pytest

from lofte.pipeline.extract import extract_pledges

from .test_extract import check_invariants, make_doc


@pytest.mark.parametrize(
    "sentence",
    [
        "Vi vill införa en ”skola för alla. Den ska vara avgiftsfri” i hela Sjövik.",
        "Vi ska säga ”Nej! Aldrig.” till att sälja ut vården.",
        'Vi ska ge varje barn en förskoleplats under parollen "Alla barn. Alla dagar." till 2026.',
        "Vi kommer att bygga «Sjöviks hus. Ett hus för alla» vid torget.",
        "Vi vill öppna »Kulturhuset. Ett rum för alla.» i Sjöviks centrum år 2025.",
        "Vi ska starta kampanjen “Ren sjö. Friskt vatten.” och rena sjön till 2027.",
    ],
)
def test_a_quote_does_not_end_inside_a_quotation(sentence: str) -> None:
    doc = make_doc("# Sjövik", sentence)
    found = extract_pledges(doc, use_classifier=False)
    check_invariants(doc, found)
    assert [c.quote for c in found] == [sentence]


def test_a_list_item_s_children_do_not_cut_a_quotation() -> None:
    item = (
        "Bygga ett bibliotek. Det ska få namnet ”Läsning. För alla.” och öppna 2025. "
        "Vi ska också rusta upp badhuset."
    )
    doc = make_doc("Vi vill:", [item])
    found = extract_pledges(doc, use_classifier=False)
    check_invariants(doc, found)
    assert [c.quote for c in found if c.parent is not None] == [
        "Bygga ett bibliotek.",
        "Det ska få namnet ”Läsning. För alla.” och öppna 2025.",
        "Vi ska också rusta upp badhuset.",
    ]


def test_a_stray_quotation_mark_joins_nothing() -> None:
    """A mark that nothing closes in the paragraph (a typo, an inch sign) leaves the
    sentences as they were."""
    doc = make_doc(
        "# Sjövik",
        "Vi vill att skolan ska heta ”Sjöviks skola. Vi ska bygga den till 2026.",
    )
    found = extract_pledges(doc, use_classifier=False)
    assert [c.quote for c in found] == [
        "Vi vill att skolan ska heta ”Sjöviks skola.",
        "Vi ska bygga den till 2026.",
    ]


def test_a_quotation_is_joined_only_within_a_bounded_window() -> None:
    """A quotation mark closed only far later (another paragraph's worth of sentences) is not
    a quoted passage: the sentences in between stay apart."""
    filler = " ".join(f"Vi ska bygga {n} nya hus i kvarter {n}." for n in range(40))
    doc = make_doc("# Sjövik", f"Vi vill säga ”ja. {filler} Slut” nu.")
    found = extract_pledges(doc, use_classifier=False)
    assert len([c for c in found if c.parent is None]) > 30


def test_quotation_joining_is_linear_on_a_long_paragraph_of_stray_marks() -> None:
    """Thousands of sentences that each open a quotation nothing closes: each is scanned
    within the window only, so the time grows with the text, not its square."""

    def run(n: int) -> float:
        doc = make_doc("# Sjövik", " ".join(f"Vi ska ”bygga hus {k}." for k in range(n)))
        began = time.perf_counter()
        extract_pledges(doc, use_classifier=False, prose="all")
        return time.perf_counter() - began

    small, large = run(1000), run(8000)
    assert large < 20 * small + 0.5  # 8x the text: far from the 64x of a quadratic scan
