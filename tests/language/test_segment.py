"""Swedish sentence splitting and document segments.

Sentences here are written for the tests; the real programs (seed 002, one 2022 manifesto) are
read from ../shared at run time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lofte.language.segment import document_blocks, segment_document, split_sentences, title_end
from lofte.model import ParsedDocument, RawInput
from lofte.sources.decode import decode_text
from lofte.sources.pdf import parse_pdf
from lofte.sources.program_text import PROGRAM_TEXT


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# -- abbreviations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first",
    [
        "Vi satsar bl.a. Farsta och Rinkeby på fritidsgårdar.",
        "Flera kommuner, t.ex. Solna och Sundbyberg, deltar.",
        "Den s.k. Sjöviksmodellen ska införas.",
        "Reformen kostar ca. 5 miljarder kronor.",
        "Mötet börjar kl. 18 i Medborgarhuset.",
        "Avgiften slopas fr.o.m. 2025 och t.o.m. 2028.",
        "Kortet, dvs. SL-kortet, blir billigare.",
        "Solna resp. Nacka får 10 resp. 5 miljoner kronor.",
        "Se motion nr. 12 om bibliotek.",
        "Beslutet tas, jfr. Bilaga 3, i fullmäktige.",
        "Köerna ska kortas, p.g.a. Den långa väntan.",
        "Alla avgifter, inkl. Moms, ska redovisas.",
        "Olof P. Palme talade i Sjövik.",
    ],
)
def test_abbreviations_do_not_end_a_sentence(first: str) -> None:
    assert sentences(f"{first} Nästa mening kommer här.") == [first, "Nästa mening kommer här."]


@pytest.mark.parametrize("abbr", ["m.m.", "osv.", "etc.", "m.fl."])
def test_list_closers_end_a_sentence_only_before_a_capital(abbr: str) -> None:
    closing = sentences(f"Bussar, tåg {abbr} Nu bygger vi.")
    assert closing == [f"Bussar, tåg {abbr}", "Nu bygger vi."]
    assert sentences(f"Bussar, tåg {abbr} och färjor.") == [f"Bussar, tåg {abbr} och färjor."]


def test_a_one_letter_word_ends_a_sentence_before_a_capital() -> None:
    # QA: "i." was read as an initial, and two sentences of a manifesto became one
    assert sentences("Det är krisen vi befinner oss i. Det är politikens ansvar.") == [
        "Det är krisen vi befinner oss i.",
        "Det är politikens ansvar.",
    ]
    assert sentences("Hon föddes f. 1970 i Sjövik.") == ["Hon föddes f. 1970 i Sjövik."]


def test_numbers_do_not_end_a_sentence() -> None:
    text = "Vi bygger 10 000 bostäder. Tillväxten blir 5,1 procent. Räntan är 3.5 procent i år."
    assert sentences(text) == [
        "Vi bygger 10 000 bostäder.",
        "Tillväxten blir 5,1 procent.",
        "Räntan är 3.5 procent i år.",
    ]


def test_a_year_ends_a_sentence_but_a_leading_enumerator_does_not() -> None:
    assert sentences("Målet nås år 2030. 2031 följer.") == ["Målet nås år 2030.", "2031 följer."]
    assert sentences("1. En grön omställning") == ["1. En grön omställning"]


def test_ellipsis() -> None:
    assert sentences("Vänta… Nu kommer det.") == ["Vänta…", "Nu kommer det."]
    assert sentences("Det var… ganska bra. Slut...") == ["Det var… ganska bra.", "Slut..."]


def test_quotes_close_the_sentence_they_end() -> None:
    text = "Hon sa: ”Vi ser dig. Våldet måste upphöra.” Detta vill vi införa."
    assert sentences(text) == [
        "Hon sa: ”Vi ser dig.",
        "Våldet måste upphöra.”",
        "Detta vill vi införa.",
    ]
    assert sentences("Han frågade (varför?) och gick.") == ["Han frågade (varför?) och gick."]


def test_lower_case_after_a_stop_continues() -> None:
    assert sentences("Vänta! sa hon. Sedan gick vi.") == ["Vänta! sa hon.", "Sedan gick vi."]


def test_line_breaks() -> None:
    text = "För att bygga kommer vi:\n● Bygga skolor\n● Öppna bibliotek\nen rad\nsom fortsätter."
    assert sentences(text) == [
        "För att bygga kommer vi:",
        "● Bygga skolor",
        "● Öppna bibliotek\nen rad\nsom fortsätter.",
    ]
    paragraphs = sentences("Ett stycke utan punkt\n\nNästa stycke")
    assert paragraphs == ["Ett stycke utan punkt", "Nästa stycke"]


def test_offsets_point_into_the_whole_text() -> None:
    text = "Rubrik. Vi vill bygga. Vi ska öppna. Slut."
    start, end = 8, 36
    spans = split_sentences(text, start, end)
    assert [text[s:e] for s, e in spans] == ["Vi vill bygga.", "Vi ska öppna."]
    assert spans[0][0] == 8
    assert split_sentences(text, 10, 10) == []
    last = split_sentences(text, 0, 10_000)[-1]
    assert last == (len(text) - 5, len(text))


# -- properties -------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "Vi",
        "vill",
        "bygga",
        "Stockholm",
        "år",
        "2030",
        "10 000",
        "5,1",
        "3.5",
        "bl.a.",
        "t.ex.",
        "m.m.",
        "osv.",
        "kl.",
        "nr.",
        "1.",
        "A.",
        ".",
        "!",
        "?",
        "…",
        "...",
        ":",
        ",",
        "”",
        "“",
        "»",
        "(",
        ")",
        "●",
        "–",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "\u00a0",
        "\u2028",
        "ö",
        "É",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(_PIECES, max_size=40),
    cut=st.tuples(st.integers(-3, 80), st.integers(-3, 90)),
)
def test_sentence_spans_tile_the_text(pieces: list[str], cut: tuple[int, int]) -> None:
    text = "".join(pieces)
    lo, hi = cut
    spans = split_sentences(text, lo, hi)
    start = min(max(0, lo), max(0, min(hi, len(text))))
    end = max(0, min(hi, len(text)))
    covered: set[int] = set()
    prev_end = start
    for s, e in spans:
        assert start <= prev_end <= s < e <= end  # in bounds, in order, not overlapping
        assert text[s:e] == text[s:e].strip()
        covered.update(range(s, e))
        prev_end = e
    assert covered >= {i for i in range(start, end) if not text[i].isspace()}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_splits_cleanly(text: str) -> None:
    spans = split_sentences(text)
    assert all(text[s:e] and text[s:e] == text[s:e].strip() for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    joined = "".join(text[s:e] for s, e in spans)
    assert [c for c in joined if not c.isspace()] == [c for c in text if not c.isspace()]


# -- documents --------------------------------------------------------------------------------


def test_segments_of_a_small_document() -> None:
    body = (
        "KLIMAT OCH MILJÖ\n\nGrönare parker\n\nSjövik ska bli grönt. Det är bråttom.\n\n"
        "För att göra Sjövik grönare kommer vi:\n● Plantera 1 000 träd. Öppna två parker.\n"
        "● Bygga cykelbanor\n\nKälla: Sjöviks kommun"
    )

    def span(text: str) -> tuple[int, int]:
        return body.index(text), body.index(text) + len(text)

    doc = ParsedDocument(
        title="Program",
        body=body,
        list_items=(span("● Plantera 1 000 träd. Öppna två parker."), span("● Bygga cykelbanor")),
        noise=(span("Källa: Sjöviks kommun"),),
        extra={"headings": [list(span("KLIMAT OCH MILJÖ")), list(span("Grönare parker"))]},
    )
    segs = segment_document(doc)
    shown = [(s.kind, body[s.start : s.end], s.section_path) for s in segs]
    path = ("KLIMAT OCH MILJÖ", "Grönare parker")
    assert shown == [
        ("heading", "KLIMAT OCH MILJÖ", ("KLIMAT OCH MILJÖ",)),
        ("heading", "Grönare parker", path),
        ("paragraph", "Sjövik ska bli grönt. Det är bråttom.", path),
        ("sentence", "Sjövik ska bli grönt.", path),
        ("sentence", "Det är bråttom.", path),
        ("paragraph", "För att göra Sjövik grönare kommer vi:", path),
        ("sentence", "För att göra Sjövik grönare kommer vi:", path),
        ("list_item", "Plantera 1 000 träd. Öppna två parker.", path),
        ("sentence", "Plantera 1 000 träd.", path),
        ("sentence", "Öppna två parker.", path),
        ("list_item", "Bygga cykelbanor", path),
        ("sentence", "Bygga cykelbanor", path),
    ]


def test_numbered_titles_open_sections_and_chart_labels_do_not() -> None:
    body = (
        "1. Ett grönt Sjövik Klimatet är vår tids ödesfråga. Vi måste agera.\n\n"
        "Vi vill:\n● plantera träd\n\nUtsläpp per år\n\n● bygga cykelbanor\n\n"
        "2. Trygghet för alla"
    )
    items = [
        "1. Ett grönt Sjövik Klimatet är vår tids ödesfråga. Vi måste agera.",
        "● plantera träd",
        "● bygga cykelbanor",
        "2. Trygghet för alla",
    ]
    spans = tuple((body.index(t), body.index(t) + len(t)) for t in items)
    label = (body.index("Utsläpp per år"), body.index("Utsläpp per år") + 14)
    doc = ParsedDocument(title="", body=body, list_items=spans, extra={"headings": [list(label)]})
    blocks = document_blocks(doc)
    titled = [(body[b.start : b.label_end], b.level) for b in blocks if b.level]
    assert titled == [("Ett grönt Sjövik", 1), ("Trygghet för alla", 1)]
    assert {b.section for b in blocks if b.kind == "list_item" and b.marker == "●"} == {
        ("Ett grönt Sjövik",)
    }


def test_title_end_cuts_before_the_prose() -> None:
    text = "En trygg försörjning för alla Samhällets skyddsnät räcker inte till idag."
    assert text[: title_end(text, 0, len(text))] == "En trygg försörjning för alla"
    short = "Skydda djuren och naturen"
    assert title_end(short, 0, len(short)) == len(short)


def test_seed_002_segments(seeds_dir: Path) -> None:
    (path,) = seeds_dir.glob("002_*.txt")
    raw = RawInput(data=path.read_bytes(), origin=str(path))
    (doc,) = PROGRAM_TEXT.parse(raw, decode_text(raw.data, raw.origin))
    segs = segment_document(doc)
    items = [s for s in segs if s.kind == "list_item"]
    assert len(items) == len(doc.list_items)
    assert all(not doc.body[s.start : s.end].startswith("●") for s in items)
    noise = set(doc.noise)
    assert not any((s.start, s.end) in noise for s in segs)
    assert all(s.section_path == () for s in segs)  # the seed's headings were images
    for s in segs:
        assert doc.body[s.start : s.end] == doc.body[s.start : s.end].strip()


def test_manifesto_sections(shared_dir: Path) -> None:
    path = shared_dir / "data" / "manifestos-2022" / "moderaterna-valmanifest-2022.pdf"
    doc = parse_pdf(path.read_bytes(), str(path))
    blocks = document_blocks(doc)
    tops = [doc.body[b.start : b.end] for b in blocks if b.level == 1]
    toc = [doc.body[b.start : b.end] for b in blocks if b.toc]
    # Chapters are the headings the table of contents lists; chart labels open no section.
    assert len(tops) == len(toc) == 10
    assert {t.casefold() for t in tops} == {t.casefold() for t in toc}
    assert all(len(b.section) <= 2 for b in blocks)
    labels = {b.section[-1] for b in blocks if b.section}
    assert not any(label.isdigit() or len(label) < 4 for label in labels)


def test_the_break_pattern_finds_the_spans_of_its_plain_form(shared_dir: Path) -> None:
    """`_BREAK` is written to start with one character class (for speed); it must find what
    the plain alternation finds, on real text and on random runs of stops, quotes and breaks."""
    import random
    import re

    from lofte.language import segment

    plain = re.compile(r"\n|(?<![.!?…])[.!?…]+[\"'”’»)\]]*(?=\s|$)")
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared_dir / "seeds").glob("*.txt"))]
    texts += [
        p.read_text(encoding="utf-8")
        for p in sorted((shared_dir / "data" / "regeringen").rglob("*.md"))[::50]
    ]
    rng = random.Random(3)
    texts += [
        "".join(rng.choices("ab .!?…\n\"'”’»)] X", k=rng.randint(0, 30))) for _ in range(20000)
    ]
    for text in texts:
        for lo, hi in ((0, len(text)), (len(text) // 3, 2 * len(text) // 3)):
            found = [(m.span(), m.group()) for m in segment._BREAK.finditer(text, lo, hi)]
            assert found == [(m.span(), m.group()) for m in plain.finditer(text, lo, hi)], text


WRITTEN = """Valprogram för Sjövik 2022
Liberalerna i Sjövik

Skola

Vi vill:
- Anställa 20 fler lärare.
- Bygga en ny skola i Norrby,
  med plats för 400 elever.

Vi ska bygga 500 nya bostäder

Miljö och klimat

Kommunen ska vara fossilfri år 2030.
"""


def test_a_text_without_structure_keeps_the_lists_and_headings_it_was_written_with() -> None:
    """QA: a hand-written .txt program (also HTML and Markdown read as text) came with no
    list items or headings: its "- " items were never candidates, and no area was found."""
    doc = ParsedDocument(title="Valprogram", body=WRITTEN)
    shown = [(b.kind, WRITTEN[b.start : b.end], b.marker, b.section) for b in document_blocks(doc)]
    assert shown == [
        ("paragraph", "Valprogram för Sjövik 2022\nLiberalerna i Sjövik", "", ()),
        ("heading", "Skola", "", ("Skola",)),
        ("paragraph", "Vi vill:", "", ("Skola",)),
        ("list_item", "Anställa 20 fler lärare.", "-", ("Skola",)),
        ("list_item", "Bygga en ny skola i Norrby,\n  med plats för 400 elever.", "-", ("Skola",)),
        # a lone line a pledge is made with stays prose, not a heading
        ("paragraph", "Vi ska bygga 500 nya bostäder", "", ("Skola",)),
        ("heading", "Miljö och klimat", "", ("Miljö och klimat",)),
        ("paragraph", "Kommunen ska vara fossilfri år 2030.", "", ("Miljö och klimat",)),
    ]


def test_a_reader_s_own_structure_is_not_second_guessed() -> None:
    body = "Skola\n\n- Anställa lärare.\n- Bygga skolor."
    doc = ParsedDocument(title="", body=body, list_items=((7, 25),))
    kinds = [(b.kind, body[b.start : b.end]) for b in document_blocks(doc)]
    assert kinds == [
        ("paragraph", "Skola"),
        ("list_item", "Anställa lärare."),
        ("paragraph", "- Bygga skolor."),
    ]


def test_a_written_line_that_exclaims_is_a_heading_unless_it_pledges() -> None:
    """Newsroom QA: "Rösta på Vänsterpartiet!" opening a text program's closing section was
    read as a sentence, and the section kept the area before it."""
    from lofte.language.segment import written_heading

    assert written_heading("Rösta på Sjöviks parti!")
    assert not written_heading("Vi ska sänka skatten!")  # a pledge, however it ends
    # review: a slogan is often a pledge, said as an imperative: only a call to vote exclaims
    assert not written_heading("Sänk skatten för alla pensionärer!")
    assert not written_heading("Nej till kärnkraft!")
    assert not written_heading("Det här är en mening.")
