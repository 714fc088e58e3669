"""Policy areas are section titles, not chart labels or the program's cover title (QA of the
2022 manifestos: "Långtidsarbetslösheten kostar" over a chart's "31 miljarder per år …", a
statement in a chart's box, and the cover title "Alla ska med när Sverige ställer om" were
areas). Fictional programs; the real manifestos are read from ../shared at run time.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lofte.model import ParsedDocument
from lofte.pipeline.areas import caption_label
from lofte.pipeline.extract import extract_pledges
from lofte.sources.pdf import parse_pdf

from .test_extract import check_invariants, make_doc


@pytest.mark.parametrize(
    "label",
    [
        "Figur 3. Lärare per elev i Sjövik",
        "Diagram: Väntetider i vården",
        "Tabell 2 – Bostäder per år",
        "Källa: SCB",
        "Elpris öre/kWh, södra Sjövik",
        "Biståndets utveckling 2002–2022, tusentals kronor",
        "Nya poliser år 2028 (per län)",
        "Det är bostadsbrist i 207 av landets 290 kommuner.",
        "2002–2022: 1 000 / 2 000",
    ],
)
def test_chart_and_figure_labels_are_captions(label: str) -> None:
    assert caption_label(label)


@pytest.mark.parametrize(
    "label",
    [
        "100 procent förnybar energi",
        "Vi ska minska utsläppen – på riktigt",
        "KLIMAT OCH MILJÖ",
        "Skola",
        "Trygghet – inte splittring",
        "En klimatpolitik för vanligt folk",
        "Bilden av Sjövik",  # a word that starts like a caption word
        "Källaren som kulturhus",
        "Sänkta skatter för alla 2023",
    ],
)
def test_section_titles_are_not_captions(label: str) -> None:
    assert not caption_label(label)


def test_a_caption_heading_is_no_area() -> None:
    doc = make_doc(
        "# Skola",
        "Vi ska anställa 500 fler lärare.",
        "# Figur 3. Lärare per elev i Sjövik",
        "Vi ska bygga tre nya skolor till år 2026.",
        "# Det är bostadsbrist i hela Sjövik.",
        "Vi ska bygga 2 000 bostäder.",
        "# Bostäder",
        "Vi ska sänka hyrorna.",
    )
    found = extract_pledges(doc, use_classifier=False)
    check_invariants(doc, found)
    assert [(c.quote, c.area) for c in found] == [
        ("Vi ska anställa 500 fler lärare.", "Skola"),
        ("Vi ska bygga tre nya skolor till år 2026.", "Skola"),
        ("Vi ska bygga 2 000 bostäder.", "Skola"),
        ("Vi ska sänka hyrorna.", "Bostäder"),
    ]


def test_a_call_to_vote_opens_a_stretch_without_an_area() -> None:
    """QA: a platform's closing summary, under "Rösta på Vänsterpartiet!", filed pledges on
    asylum, aid and NATO under that heading as their area."""
    doc = make_doc(
        "# Skola",
        "Vi ska anställa 500 fler lärare.",
        "# Rösta på Gemenskapspartiet!",
        "Vi ska bygga 2 000 bostäder.",
        "# Bostäder",
        "Vi ska sänka hyrorna.",
    )
    found = extract_pledges(doc, use_classifier=False)
    check_invariants(doc, found)
    assert [(c.quote, c.area) for c in found] == [
        ("Vi ska anställa 500 fler lärare.", "Skola"),
        ("Vi ska bygga 2 000 bostäder.", None),
        ("Vi ska sänka hyrorna.", "Bostäder"),
    ]


def test_a_chart_label_over_a_figure_line_does_not_end_the_section() -> None:
    """The chart's label sits inside a pledge list under "Vi kommer att:"; its figure line has
    more than a few words, so the reader took the label for a heading. The list goes on under
    its own section."""
    doc = make_doc(
        "# ARBETE",
        "# Fler ska jobba",
        "Vi kommer att:",
        ["Införa en jobbgaranti", "Bygga ut praktikplatserna"],
        "# Arbetslösheten kostar",
        "31 miljarder per år. Det motsvarar 50 000 lärare i Sjövik.",
        ["Kräva aktivitet på heltid", "Sänka kostnaden för att anställa"],
        ("noise", "Källa: SCB"),
        "# Du som har ett företag ska märka skillnad",
        "Vi ska sänka skatten för småföretag.",
    )
    found = extract_pledges(doc, use_classifier=False)
    check_invariants(doc, found)
    assert [(c.quote, c.area) for c in found] == [
        ("Införa en jobbgaranti", "Fler ska jobba"),
        ("Bygga ut praktikplatserna", "Fler ska jobba"),
        ("Kräva aktivitet på heltid", "Fler ska jobba"),
        ("Sänka kostnaden för att anställa", "Fler ska jobba"),
        ("Vi ska sänka skatten för småföretag.", "Du som har ett företag ska märka skillnad"),
    ]


def test_a_title_that_opens_with_a_number_stays_an_area() -> None:
    doc = make_doc(
        "# 100 procent förnybar energi",
        "Vi ska bygga ut vindkraften till år 2030.",
    )
    assert [c.area for c in extract_pledges(doc, use_classifier=False)] == [
        "100 procent förnybar energi"
    ]


def _paged(doc: ParsedDocument, pages: list[int]) -> ParsedDocument:
    """`doc` with its blocks (split at blank lines) on the given pages, as a PDF reader puts
    them in `block_pages`."""
    spans, pos = [], 0
    for part in doc.body.split("\n\n"):
        spans.append([pos, pos + len(part)])
        pos += len(part) + 2
    assert len(spans) == len(pages)
    extra = dict(
        doc.extra, block_pages=[[s, e, p, p] for (s, e), p in zip(spans, pages, strict=True)]
    )
    return replace(doc, extra=extra)


def _cover_program() -> ParsedDocument:
    return make_doc(
        "# SJÖVIK KAN BÄTTRE",
        "# SJÖVIK KAN BÄTTRE",
        "Vi ska göra Sjövik tryggare för alla.",
        "# SKOLA",
        "Vi ska anställa 100 fler lärare.",
    )


def test_the_cover_title_and_a_chapter_that_repeats_it_are_no_area() -> None:
    doc = _paged(_cover_program(), [0, 1, 1, 2, 2])
    found = extract_pledges(doc, use_classifier=False)
    check_invariants(doc, found)
    assert [(c.quote, c.area) for c in found] == [
        ("Vi ska göra Sjövik tryggare för alla.", None),
        ("Vi ska anställa 100 fler lärare.", "SKOLA"),
    ]


def test_a_first_page_with_text_is_no_cover() -> None:
    """Without pages (a text program) or with prose on the first page, the first heading is a
    section title as before."""
    for doc in (_cover_program(), _paged(_cover_program(), [0, 0, 0, 1, 1])):
        found = extract_pledges(doc, use_classifier=False)
        assert [c.area for c in found] == ["SJÖVIK KAN BÄTTRE", "SKOLA"]


@pytest.fixture(scope="module")
def manifesto_areas(shared_dir: Path) -> dict[str, set[str | None]]:
    folder = shared_dir / "data" / "manifestos-2022"
    out = {}
    for path in sorted(folder.glob("*.pdf")):
        doc = parse_pdf(path.read_bytes(), path.name)
        out[path.name] = {c.area for c in extract_pledges(doc, use_classifier=False)}
    return out


def test_manifesto_areas_are_section_titles(manifesto_areas: dict[str, set[str | None]]) -> None:
    """The areas of the four 2022 manifestos, measured: no cover title, no chart label, and the
    section titles all kept (a count per manifesto, so that none is lost quietly)."""
    for name, areas in manifesto_areas.items():
        print(f"\n{name}: {len(areas - {None})} areas")
        named = {a for a in areas if a}
        assert not any(caption_label(a) for a in named), name
        assert not any(a.startswith(("Alla ska med när", "VÅRT SVERIGE KAN")) for a in named)
        assert "Långtidsarbetslösheten kostar" not in named
    counts = {name: len(areas - {None}) for name, areas in manifesto_areas.items()}
    assert counts == {
        "miljopartiet-valmanifest-2022.pdf": 19,
        "moderaterna-valmanifest-2022.pdf": 59,
        "socialdemokraterna-valmanifest-2022.pdf": 13,
        # "Rösta på Vänsterpartiet!" is a call to vote, not an area (extractor 5)
        "vansterpartiet-valplattform-2022.pdf": 9,
    }
    assert "Rösta på Vänsterpartiet!" not in manifesto_areas["vansterpartiet-valplattform-2022.pdf"]


def test_a_text_programs_title_heading_is_no_area() -> None:
    """A text program's first heading is its title (ingest reads it so): the pledges before
    its first section had the program's name as their area (newsroom QA, `pledge add`)."""
    body = (
        "Program för Sjövik\n\nVi ska bygga en simhall.\n\n"
        "Skola\n\nVi ska bygga en ny skola.\n\n"
        "Rösta på Sjöviks parti!\n\nVi ska sänka skatten för pensionärer.\n"
    )
    found = extract_pledges(ParsedDocument(title="Program för Sjövik", body=body))
    areas = {c.quote: c.area for c in found if c.parent is None}
    assert areas == {
        "Vi ska bygga en simhall.": None,
        "Vi ska bygga en ny skola.": "Skola",
        "Vi ska sänka skatten för pensionärer.": None,  # a call to vote, written with "!"
    }


def test_a_slogan_is_a_candidate_and_a_later_heading_of_the_title_s_words_an_area() -> None:
    """Review: "Sänk skatten …!" in a text program became a heading (and the next pledge's
    area) once lines ending in "!" could be headings; and every heading with the title's words
    lost its area, where only the first heading is the title."""
    body = (
        "Skola\n\nVi ska bygga en ny skola.\n\nSänk skatten för alla pensionärer!\n\n"
        "Vi ska anställa fler lärare.\n\nVård\n\nVi ska öppna en vårdcentral.\n\n"
        "Skola\n\nVi ska renovera skolgårdarna.\n"
    )
    found = extract_pledges(ParsedDocument(title="Skola", body=body))
    areas = {c.quote: c.area for c in found if c.parent is None}
    assert areas["Sänk skatten för alla pensionärer!"] is None  # under the title: no area
    assert areas["Vi ska anställa fler lärare."] is None
    assert areas["Vi ska öppna en vårdcentral."] == "Vård"
    assert areas["Vi ska renovera skolgårdarna."] == "Skola"
