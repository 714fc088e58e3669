"""The PDF reader: real 2022 manifestos from ../shared, small PDFs built here, and broken ones.

Expectations on the manifestos are computed at run time, never copied: an independent
extraction with pypdf (content-stream order, no clean-up) serves as the oracle for which lines
belong together.
"""

from __future__ import annotations

import bisect
import io
import itertools
import logging
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest

from lofte.errors import ParseError
from lofte.language.analyze import CompoundSplitter
from lofte.language.compounds import Lexicon
from lofte.model import ParsedDocument, RawInput
from lofte.sources import pdf as pdf_module
from lofte.sources.pdf import PDF, parse_pdf
from lofte.sources.registry import pick_reader
from tests.sources.pdf_bytes import pdf_file, text_pdf

MANIFESTOS = (
    "miljopartiet-valmanifest-2022.pdf",
    "moderaterna-valmanifest-2022.pdf",
    "socialdemokraterna-valmanifest-2022.pdf",
    "vansterpartiet-valplattform-2022.pdf",
)
_TERMINAL = (".", "!", "?", ":", ";")


def key(text: str) -> str:
    """Letters and digits only, lower-cased, compatibility-normalised (ligatures, soft hyphens)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


@pytest.fixture(scope="module")
def manifestos(shared_dir: Path) -> dict[str, tuple[bytes, ParsedDocument]]:
    folder = shared_dir / "data" / "manifestos-2022"
    out = {}
    for name in MANIFESTOS:
        data = (folder / name).read_bytes()
        out[name] = (data, PDF.parse(RawInput(data, name), None)[0])
    return out


@pytest.fixture(scope="module")
def pypdf_lines(shared_dir: Path) -> dict[str, list[list[str]]]:
    """Lines per page as pypdf extracts them: the independent oracle."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    folder = shared_dir / "data" / "manifestos-2022"
    return {
        name: [
            [line.strip() for line in (page.extract_text() or "").split("\n") if line.strip()]
            for page in pypdf.PdfReader(folder / name).pages
        ]
        for name in MANIFESTOS
    }


# -- the four manifestos ----------------------------------------------------------------------


@pytest.mark.parametrize("name", MANIFESTOS)
def test_manifesto_parses_into_readable_text(manifestos: dict, name: str) -> None:
    _, doc = manifestos[name]
    body = doc.body
    assert doc.title and doc.language == "sv"
    assert len(body.split()) > 3000
    assert "\n\n\n" not in body and body == body.strip()
    assert not re.search(r"[\ufffe\u00ad\x00-\x08\x0b-\x1f]", body)
    assert doc.extra["layout"] == "pdf" and doc.extra["pages"] >= 12


@pytest.mark.parametrize("name", MANIFESTOS)
def test_no_hyphen_splits_left(manifestos: dict, name: str) -> None:
    _, doc = manifestos[name]
    assert not re.search(r"\w[-\u00ad]\n[a-zåäö]", doc.body)
    # "barn- och", "vård- eller": suspended compounds keep their dash and space.
    suspended = re.sub(r"- (och|eller|som|till|samt)\b", "", doc.body)
    assert not re.search(r"\w[-\u00ad] [a-zåäö]", suspended)


@pytest.mark.parametrize("name", MANIFESTOS)
def test_no_page_numbers_inside_sentences(manifestos: dict, pypdf_lines: dict, name: str) -> None:
    _, doc = manifestos[name]
    # Every "word NUMBER word" in the body must stand so on one page of the raw text: a page
    # number pulled into a sentence would join words that the raw text has on two pages.
    pages = [key(" ".join(lines)) for lines in pypdf_lines[name]]
    numbers = re.findall(r"([a-zåäö]{3,}),? (\d{1,3}) ([a-zåäö]{3,})", doc.body)
    for before, number, after in numbers:
        assert any(key(f"{before}{number}{after}") in page for page in pages), (before, number)
    noise = {doc.body[s:e] for s, e in doc.noise}  # chart axes and TOC numbers are marked
    lines = [line for line in doc.body.split("\n") if line not in noise]
    assert not any(re.fullmatch(r"\d{1,3}( \d{1,3})?", line) for line in lines)


@pytest.mark.parametrize("name", MANIFESTOS[1:])
def test_page_furniture_is_removed(manifestos: dict, name: str) -> None:
    _, doc = manifestos[name]
    assert doc.extra["removed_lines"] >= doc.extra["pages"] // 2


@pytest.mark.parametrize("name", MANIFESTOS)
def test_bullets_become_whole_list_items(manifestos: dict, pypdf_lines: dict, name: str) -> None:
    _, doc = manifestos[name]
    items = [key(doc.body[s:e]) for s, e in doc.list_items]
    lines = [line for page in pypdf_lines[name] for line in page]
    bullets = [line for line in lines if line.startswith("•")]
    assert len(doc.list_items) >= len(bullets)
    assert all(doc.body[s:e][:1] in "•●–-0123456789" for s, e in doc.list_items)
    # A bullet line and the lower-case line after it in the raw text are in one item.
    pairs = [(a, b) for a, b in zip(lines, lines[1:]) if a.startswith("•") and b[:1].islower()]
    joined = [any(key(a) in item and key(b) in item for item in items) for a, b in pairs]
    assert all(joined), [p for p, ok in zip(pairs, joined) if not ok][:3]


@pytest.mark.parametrize("name", MANIFESTOS)
def test_sentences_run_on_in_reading_order(manifestos: dict, pypdf_lines: dict, name: str) -> None:
    """Lines the raw text continues in lower case follow each other in the body, across columns."""
    _, doc = manifestos[name]
    body = key(doc.body)
    lines = [line for page in pypdf_lines[name] for line in page]
    pairs = [
        (a, b)
        for a, b in zip(lines, lines[1:])
        if b[:1].islower() and not a.endswith(_TERMINAL) and len(key(a)) > 10 and len(key(b)) > 10
    ]
    found = sum(key(a) + key(b) in body for a, b in pairs)
    assert pairs and found >= 0.97 * len(pairs)


def test_moderaterna_captions_are_noise_outside_items(manifestos: dict) -> None:
    _, doc = manifestos["moderaterna-valmanifest-2022.pdf"]
    captions = [doc.body[s:e] for s, e in doc.noise if doc.body[s:e].startswith("Källa:")]
    assert len(captions) >= 5
    assert not any(s < ne and ns < e for s, e in doc.list_items for ns, ne in doc.noise)


# -- word spaces --------------------------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]+")
# A dash with a space on one side only ("Skola –inte", "röd -grön"); suspended compounds
# ("barn- och") keep theirs.
_ONE_SIDED_DASH = re.compile(
    r"[^\W\d_]+ [-‐–—][^\W\d_]+|[^\W\d_]+[-‐–—] (?!och|eller|som|till|samt)[^\W\d_]+"
)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return CompoundSplitter().lexicon()


def is_word(lexicon: Lexicon, token: str) -> bool:
    """A Swedish word form, or a compound of them (hunspell-sv by way of the analyzer)."""
    return token in lexicon.words or bool(lexicon.split(token))


def run_together(lexicon: Lexicon, text: str) -> list[str]:
    """Words that ran together: a token that is no Swedish word but splits into two
    ("bussaroch"), and a dash spaced on one side only ("Skola –inte")."""
    joined = [
        token
        for token in (m.group(0).lower() for m in _LETTERS.finditer(text))
        if not is_word(lexicon, token)
        and any(
            token[:cut] in lexicon.words and token[cut:] in lexicon.words
            for cut in range(2, len(token) - 1)
        )
    ]
    return joined + _ONE_SIDED_DASH.findall(text)


def pdfium_tokens(data: bytes) -> list[list[str]]:
    """The letter tokens of each page of PDFium's own text, lower-cased."""
    doc = pdfium.PdfDocument(data)
    try:
        pages = []
        for index in range(len(doc)):
            textpage = doc[index].get_textpage()
            pages.append([m.group(0).lower() for m in _LETTERS.finditer(textpage.get_text_range())])
        return pages
    finally:
        doc.close()


def test_vansterpartiet_headings_keep_their_word_spaces(manifestos: dict, lexicon: Lexicon) -> None:
    """V's Word export sets some heading word gaps as a jump between text objects, which PDFium
    reads as no space; the reader puts the space back."""
    _, doc = manifestos["vansterpartiet-valplattform-2022.pdf"]
    headings = [doc.body[s:e] for s, e in doc.extra["headings"]]
    assert len(headings) >= 8
    assert [word for h in headings for word in run_together(lexicon, h)] == []


@pytest.mark.parametrize("name", MANIFESTOS)
def test_no_space_is_put_inside_a_word(manifestos: dict, lexicon: Lexicon, name: str) -> None:
    """No two body tokens joined make a word that PDFium's own text has whole (letter-spaced
    or kerned text, å/ä/ö, ligatures, line-end hyphens). A joined token that is no Swedish word
    but two ("bussaroch") is PDFium's missing space, which the reader may restore."""
    data, doc = manifestos[name]
    pages = pdfium_tokens(data)
    whole = {t for page in pages for t in page if is_word(lexicon, t)}
    apart = {pair for page in pages for pair in itertools.pairwise(page)}
    tokens = list(_LETTERS.finditer(doc.body))
    pairs = [
        (a.group(0).lower(), b.group(0).lower())
        for a, b in itertools.pairwise(tokens)
        if doc.body[a.end() : b.start()] == " "  # only a space between: one phrase
    ]
    split = {(a, b) for a, b in pairs if a + b in whole and (a, b) not in apart}
    assert split == set()
    assert _ONE_SIDED_DASH.findall(doc.body) == []


def test_registry_picks_the_pdf_reader(manifestos: dict) -> None:
    data, _ = manifestos[MANIFESTOS[0]]
    reader, text = pick_reader(RawInput(data, "mp.pdf"))
    assert reader.name == "pdf" and reader.binary and text is None
    assert PDF.sniff(RawInput(b"plain text", "a.txt"), "plain text") == 0.0


# -- small PDFs built here --------------------------------------------------------------------


Placed = tuple[float, float, float, str]  # x, y, font size, text


def build_pdf(pages: list[list[Placed]], size: tuple[int, int] = (595, 842)) -> bytes:
    """A PDF with Helvetica text drawn at (x, y, font size, text) in the order given."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
    ]
    kids = []
    for page in pages:
        ops = []
        for x, y, font, text in page:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"BT /F1 {font} Tf {x} {y} Td ({escaped}) Tj ET")
        stream = "\n".join(ops).encode("cp1252")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (*size, len(objects))
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    return pdf_file(objects)


def column(x: float, top: float, lines: list[str], lead: float = 14) -> list[Placed]:
    return [(x, top - i * lead, 11, text) for i, text in enumerate(lines)]


def two_column_page(number: int) -> list[Placed]:
    left = column(
        60,
        760,
        [
            f"Sida {number} börjar med en mening som",
            "fortsätter i vänster spalt och",
            "slutar med en ny utbild-",
            "ning för alla barn.",
            "",
            "Vi vill:",
            "• bygga fler förskolor i hela",
            "landet och anställa fler",
        ],
    )
    right = column(
        320,
        760,
        [
            "lärare i varje kommun.",
            "• sänka avgifterna.",
            "Källa: Statistikmyndigheten",
            "Det högra stycket kommer sist.",
        ],
    )
    furniture = [(60, 810, 9, "Valplattform för testpartiet"), (290, 30, 9, str(number))]
    # Written right column first: the stream order is not the reading order.
    return [item for item in right + furniture + left if item[3]]


@pytest.fixture(scope="module")
def built() -> ParsedDocument:
    return parse_pdf(build_pdf([two_column_page(n) for n in (1, 2, 3)]), "byggd.pdf")


def test_two_columns_are_read_left_then_right(built: ParsedDocument) -> None:
    first = built.body.index("Sida 1 börjar")
    right = built.body.index("lärare i varje kommun.")
    assert first < right < built.body.index("Det högra stycket")
    assert built.body.index("Det högra stycket") < built.body.index("Sida 2 börjar")


def test_built_pdf_items_hyphens_captions_and_furniture(built: ParsedDocument) -> None:
    items = [built.body[s:e] for s, e in built.list_items]
    assert items[:2] == [
        "• bygga fler förskolor i hela landet och anställa fler lärare i varje kommun.",
        "• sänka avgifterna.",
    ]
    assert "en ny utbildning för alla barn." in built.body
    assert [built.body[s:e] for s, e in built.noise][:1] == ["Källa: Statistikmyndigheten"]
    assert "Valplattform för testpartiet" not in built.body
    assert not re.search(r"(^|\n)\d\n", built.body)
    assert built.extra["removed_lines"] == 6


def test_word_gap_set_as_a_jump_is_a_space_but_tracking_and_kerning_are_not() -> None:
    # A tightly tracked heading whose last word gap is a jump to a second text object, too
    # narrow for PDFium to call a space (as in two of V's headings).
    first = "BT /F1 24 Tf 60 760 Td -2 Tc (Fler bussar) Tj ET"
    textpage = pdfium.PdfDocument(text_pdf([first]))[0].get_textpage()
    end = textpage.get_charbox(textpage.count_chars() - 1, loose=True)[2]
    data = text_pdf(
        [
            first,
            f"BT /F1 24 Tf {end + 3:.2f} 760 Td -2 Tc (och tåg) Tj ET",
            "BT /F1 11 Tf 60 700 Td 2 Tc (Vi vill bygga fler förskolor i hela landet.) Tj ET",
            "BT /F1 20 Tf 60 660 Td 4 Tc (VÄLFÄRD) Tj ET",
            "BT /F1 11 Tf 60 620 Td [(V) 40 (år) 20 (a) ( o) -30 (r) 30 (g) -20 (a) 25 (ni) -30 (s)"
            " 30 (ationer) 20 ( ska) -30 (ffa) 40 ( fler ) 30 (jobb.)] TJ ET",
        ]
    )
    pdfium_text = pdfium.PdfDocument(data)[0].get_textpage().get_text_range()
    assert "bussaroch" in pdfium_text  # the case: PDFium's own text runs the words together
    pages, _, _ = pdf_module.extract_pages(data, "spärrad.pdf")
    assert [line.text for line in pages[0]] == [
        "Fler bussar och tåg",
        "Vi vill bygga fler förskolor i hela landet.",
        "VÄLFÄRD",
        "Våra organisationer skaffa fler jobb.",
    ]


def test_reading_order_of_lines_is_geometric() -> None:
    line = pdf_module.PdfLine
    right = [line("r1", 320, 100, 500, 110, 11, 0), line("r2", 320, 115, 500, 125, 11, 0)]
    left = [line("l1", 60, 100, 280, 110, 11, 0), line("l2", 60, 115, 280, 125, 11, 0)]
    title = line("titel över båda", 60, 50, 500, 60, 11, 0)
    order = pdf_module.reading_order([*right, title, *left])
    assert [ln.text for ln in order] == ["titel över båda", "l1", "l2", "r1", "r2"]


# -- broken inputs ----------------------------------------------------------------------------


def blank_pdf() -> bytes:
    doc = pdfium.PdfDocument.new()
    doc.new_page(300, 300)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(build_pdf([[(60, 700, 11, "Hemlig text.")]]))))
    writer.encrypt(user_password="hemligt", owner_password="ägare", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: b"", "not a PDF"),
        (lambda: b"GIF89a not a pdf at all", "not a PDF"),
        (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "damaged"),
        (lambda: build_pdf([[(60, 700, 11, "Text.")]])[:300], "truncated"),
        (encrypted_pdf, "encrypted"),
        (blank_pdf, "no text layer"),
    ],
    ids=["empty", "not-pdf", "corrupt", "truncated", "encrypted", "no-text"],
)
def test_broken_pdfs_raise_parse_error_naming_the_input(
    make: Callable[[], bytes], message: str
) -> None:
    with pytest.raises(ParseError, match=message) as info:
        PDF.parse(RawInput(make(), "trasig.pdf"), None)
    assert info.value.origin == "trasig.pdf"
    assert str(info.value).startswith("trasig.pdf: ")


def test_truncated_real_manifesto_raises_parse_error(manifestos: dict) -> None:
    data, _ = manifestos[MANIFESTOS[0]]
    with pytest.raises(ParseError, match="truncated"):
        parse_pdf(data[: len(data) // 2], "halv.pdf")


def test_every_block_of_a_manifesto_names_its_pages(
    manifestos: dict[str, tuple[bytes, ParsedDocument]],
    pypdf_lines: dict[str, list[list[str]]],
) -> None:
    for name, (_, doc) in manifestos.items():
        blocks = doc.extra["block_pages"]
        n_pages = doc.extra["pages"]
        assert all(
            0 <= s < e <= len(doc.body) and 0 <= a <= b < n_pages for s, e, a, b in blocks
        ), name
        covered = sum(e - s for s, e, _, _ in blocks)
        assert covered >= 0.95 * len(doc.body.replace("\n", "")), name
        # a page with a real amount of text (by pypdf's independent reading) has blocks
        wordy = {
            i
            for i, page in enumerate(pypdf_lines[name])
            if sum(len(line.split()) for line in page) >= 80
        }
        with_blocks = {p for _, _, a, b in blocks for p in range(a, b + 1)}
        assert wordy <= with_blocks, (name, sorted(wordy - with_blocks))


def _letters(text: str) -> str:
    return re.sub(r"[\W_\d]+", "", text).casefold()


def test_each_pledge_names_the_pages_its_own_words_stand_on(
    manifestos: dict[str, tuple[bytes, ParsedDocument]],
    pypdf_lines: dict[str, list[list[str]]],
) -> None:
    """QA: a pledge in a paragraph running over a page break was said to stand on both pages
    (and a split item's parts took the whole item's), 56 of 936 in the four manifestos by
    pdftotext's pages. Checked against pypdf's pages, where the quote is found once."""
    from lofte.pipeline.extract import extract_pledges

    checked, wrong = 0, []
    for name, (_, doc) in manifestos.items():
        starts, text = [], ""
        for page in pypdf_lines[name]:
            starts.append(len(text))
            text += _letters(" ".join(page))
        for c in extract_pledges(doc):
            quote = _letters(c.quote)
            at = text.find(quote)
            if len(quote) < 20 or at < 0 or text.find(quote, at + 1) >= 0:
                continue  # too short to place, or not found once
            checked += 1
            pages = [bisect.bisect_right(starts, i) for i in (at, at + len(quote) - 1)]
            if c.attributes.get("pages") != pages:
                wrong.append((name, c.quote[:50], c.attributes.get("pages"), pages))
    assert checked > 800
    assert not wrong, wrong[:5]
