"""PDF programs: text in reading order, cleaned, as one program document.

Text and glyph boxes come from PDFium (pypdfium2, Apache-2.0 / BSD-3-Clause); the choice is
measured in docs/pdf-reader-choice.md. The steps, each a small function:

1. `_page_lines`: PDFium's characters grouped into lines with a box, a size (glyph height, which
   survives the text-matrix scaling that makes reported font sizes useless) and a bold flag.
   PDFium marks typesetting hyphens; they come back as "-" so that `normalize` decides.
   Word gaps PDFium left without a space are judged against the line's own letter spacing
   and space width (`_spaced`).
2. Rotated margin text is dropped; page headers, footers and numbers are found across pages
   (`normalize.repeated_edge_lines`) and dropped.
3. `reading_order`: columns are found geometrically (a gutter that few lines cross); lines that
   cross it (titles, full-width boxes) split the page into bands, read top to bottom.
4. `source_lines`: the break before each line (page or column, paragraph by spacing, size
   change, a line that ended early, or a hanging indent left) and headings by size or boldness;
   small print is noise. `program_text.assemble` builds the body and list items from these.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import importlib.metadata
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import LofteError, ParseError
from ..language.normalize import clean_line, furniture_key, is_page_number, repeated_edge_lines
from ..model import ParsedDocument, RawInput
from .program_text import LINE, PAGE, PARAGRAPH, SourceLine, bullet_of, document_from_lines

_PDFIUM_VERSION = importlib.metadata.version("pypdfium2")
_BOLD_FONT = re.compile(r"bold|heavy|black|demi|semibold|[-_,]bd\b|[-_,]hv\b|extrabold", re.I)
_FORCE_BOLD = 0x40000
_SMALL_PRINT = 0.85  # lines set smaller than this share of the body size are notes and labels
# A gap between letters is a word space when it exceeds their usual gap by this share of the
# line's space width (or, in a line without spaces, of this share of the glyph height).
_SPACE_SHARE = 0.6
_SPACE_FALLBACK = 0.25
_EDGE_BAND = 0.09  # headers and footers live in the top and bottom 9 % of a page
_TERMINAL = tuple('.!?…:;"”')
_SENTENCE_INSIDE = re.compile(r"[.!?] +[A-ZÅÄÖ]")
# Chart axes, table cells and page references: numbers with at most a unit ("+ 3 000 kr/år").
_NUMBERS_ONLY = re.compile(r"^[-+−–=*]?\s?\d[\d\s,.%−–-]*(?:\s?(?:kr|st|%|procent)(?:/år)?)?\*?$")


@dataclass(frozen=True)
class PdfLine:
    """One line of a page; coordinates run top-down from the page's top-left corner."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # median glyph height
    page: int
    text_x: float = 0.0  # where the words start, after a bullet
    first_word: float = 0.0  # width of the first word: would it have fitted on the line above?
    bold: bool = False
    rotated: bool = False


# -- characters → lines -----------------------------------------------------------------------


def _font_is_bold(textpage: pdfium.PdfTextPage, index: int) -> bool:
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buf, 128, ctypes.byref(flags))
    return bool(flags.value & _FORCE_BOLD) or bool(_BOLD_FONT.search(buf.value.decode("latin-1")))


def _word_boxes(
    chars: list[tuple[int, str, tuple[float, float, float, float]]],
) -> list[list[tuple[float, float, float, float]]]:
    """The glyph boxes of each word of a line."""
    words: list[list[tuple[float, float, float, float]]] = [[]]
    for _, c, box in chars:
        if c.isspace():
            if words[-1]:
                words.append([])
        else:
            words[-1].append(box)
    return [w for w in words if w]


def _spaced(
    chars: list[tuple[int, str, tuple[float, float, float, float]]],
) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """The characters of a line with a space (index -1) put into word gaps PDFium left empty.

    Some PDFs set a word gap as a jump to the next text object instead of a space character
    (Vänsterpartiet's 2022 platform, a Word export, in two headings), and PDFium infers a
    space only from a gap wider than its own threshold, which is not relative to the line's
    letter spacing.
    A gap counts as a space when it exceeds the line's usual gap between letters (so tracking
    and kerning cancel out) by `_SPACE_SHARE` of the line's own space width; without a space
    in the line, `_SPACE_FALLBACK` of the glyph height stands in for it. Gaps are measured
    from the rightmost edge of the word so far, so accents and ligature parts that share or
    overlap a box never open one.
    """
    inked_gaps: list[float] = []
    spaces: list[float] = []
    right: float | None = None
    for _, c, box in chars:
        if c.isspace():
            if box[2] - box[0] > 0:
                spaces.append(box[2] - box[0])
            right = None
            continue
        if right is not None:
            inked_gaps.append(box[0] - right)
        right = box[2] if right is None else max(right, box[2])
    if not inked_gaps:
        return chars
    usual = statistics.median(inked_gaps) if len(inked_gaps) >= 3 else 0.0
    if spaces:
        space = statistics.median(spaces)
    else:  # the glyph height of the line: a dash's box can be as flat as its stroke
        space = _SPACE_FALLBACK * statistics.median(
            b[3] - b[1] for _, c, b in chars if not c.isspace()
        )
    out: list[tuple[int, str, tuple[float, float, float, float]]] = []
    right = None
    for item in chars:
        _, c, box = item
        if c.isspace():
            right = None
        else:
            gap = box[0] - right if right is not None else 0.0
            if right is not None and gap > 0 and gap - usual > _SPACE_SHARE * space:
                out.append((-1, " ", (right, box[1], box[0], box[3])))
            right = box[2] if right is None else max(right, box[2])
        out.append(item)
    return out


def _line_from(
    chars: list[tuple[int, str, tuple[float, float, float, float]]],
    textpage: pdfium.PdfTextPage,
    page_no: int,
    height: float,
) -> PdfLine | None:
    """A line from (index, char, box) triples; None when it holds only spaces."""
    chars = _spaced(chars)
    text = "".join(c for _, c, _ in chars).strip()
    inked = [(i, c, box) for i, c, box in chars if not c.isspace()]
    if not text or not inked:
        return None
    left = min(box[0] for _, _, box in inked)
    right = max(box[2] for _, _, box in inked)
    top = height - max(box[3] for _, _, box in inked)
    bottom = height - min(box[1] for _, _, box in inked)
    size = statistics.median(box[3] - box[1] for _, _, box in inked)
    words = _word_boxes(chars)
    first = words[1] if bullet_of(text) and len(words) > 1 else words[0]
    text_x, first_word = first[0][0], first[-1][2] - first[0][0]
    probes = {inked[0][0], inked[len(inked) // 2][0], inked[-1][0]}
    bold = all(_font_is_bold(textpage, i) for i in probes)
    angle = pdfium_c.FPDFText_GetCharAngle(textpage.raw, inked[0][0])
    rotated = min(abs(angle), abs(angle - 6.2832)) > 0.05 or (
        len(inked) > 2 and bottom - top > 2.5 * (right - left)
    )
    return PdfLine(text, left, top, right, bottom, size, page_no, text_x, first_word, bold, rotated)


def _page_lines(page: pdfium.PdfPage, page_no: int) -> list[PdfLine]:
    """The lines of one page in PDFium's (content stream) order."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        if len(text) != count:  # misaligned text: read code points one by one
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
        height = page.get_height()
        lines: list[PdfLine] = []
        run: list[tuple[int, str, tuple[float, float, float, float]]] = []
        last: tuple[float, float, float, float] | None = None

        def flush() -> None:
            line = _line_from(run, textpage, page_no, height)
            if line:
                lines.append(line)
            run.clear()

        for i, ch in enumerate(text):
            if ch in "\r\n":
                flush()
                last = None
                continue
            box = textpage.get_charbox(i, loose=True)
            if last is not None and not ch.isspace():
                size = max(last[3] - last[1], 1.0)
                if box[0] - last[2] > 1.5 * size or abs(box[1] - last[1]) > 0.5 * size:
                    flush()  # a gutter or a jump PDFium kept on one line
            hyphen = ch in "\ufffe\x02" or (
                ch in "-\u00ad" and pdfium_c.FPDFText_IsHyphen(textpage.raw, i)
            )
            run.append((i, "-" if hyphen else ch, box))
            if not ch.isspace():
                last = box
            if hyphen:
                flush()  # PDFium glues a hyphenated word; the line ends here
                last = None
        flush()
        return _merge_fragments(lines)
    finally:
        textpage.close()


def _same_visual_line(a: PdfLine, b: PdfLine) -> bool:
    """Whether `b` sits right after `a` on the same baseline band (centres inside each other)."""
    size = max(a.size, b.size)
    a_mid, b_mid = (a.top + a.bottom) / 2, (b.top + b.bottom) / 2
    inside = a.top - 1 <= b_mid <= a.bottom + 1 or b.top - 1 <= a_mid <= b.bottom + 1
    return inside and -1.0 <= b.x0 - a.x1 <= 0.6 * size


def _merge_fragments(lines: list[PdfLine]) -> list[PdfLine]:
    """Join pieces of one visual line that PDFium split (a hyphen set as its own object)."""
    out: list[PdfLine] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and _same_visual_line(prev, line):
            size = max(prev.size, line.size)
            glue = " " if line.x0 - prev.x1 > 0.2 * size else ""
            out[-1] = replace(
                prev,
                text=prev.text + glue + line.text,
                x1=max(prev.x1, line.x1),
                top=min(prev.top, line.top),
                bottom=max(prev.bottom, line.bottom),
                size=size,
            )
        else:
            out.append(line)
    return out


# -- page furniture and reading order ---------------------------------------------------------


def _edge(line: PdfLine, height: float) -> bool:
    return line.bottom < _EDGE_BAND * height or line.top > (1 - _EDGE_BAND) * height


def strip_furniture(
    pages: Sequence[Sequence[PdfLine]], heights: Sequence[float]
) -> tuple[list[list[PdfLine]], list[str], int]:
    """Pages without page numbers, repeated headers/footers and rotated margin text.

    Also returns the furniture lines removed and how many rotated fragments were dropped.
    """
    edges = [
        [ln.text for ln in page if _edge(ln, h)] for page, h in zip(pages, heights, strict=True)
    ]
    repeated = repeated_edge_lines(edges, edge=1000)
    kept: list[list[PdfLine]] = []
    removed: list[str] = []
    rotated = 0
    for page, height in zip(pages, heights, strict=True):
        page_kept = []
        for line in page:
            if line.rotated:
                rotated += 1
            elif _edge(line, height) and (
                is_page_number(line.text) or furniture_key(line.text) in repeated
            ):
                removed.append(line.text)
            else:
                page_kept.append(line)
        kept.append(page_kept)
    return kept, removed, rotated


def _gutter(lines: Sequence[PdfLine]) -> float | None:
    """An x that splits the lines into columns: lines on both sides, few lines across it."""
    best: tuple[int, float] | None = None
    for cut in sorted({round(ln.x0, 0) for ln in lines}):
        left = sum(1 for ln in lines if ln.x1 <= cut + 1)
        right = sum(1 for ln in lines if ln.x0 >= cut - 1)
        across = len(lines) - left - right
        fits = left >= 2 and right >= 2 and across <= 0.25 * len(lines)
        if fits and (best is None or across < best[0]):
            best = (across, cut)
    return best[1] if best else None


def reading_order(lines: Sequence[PdfLine], depth: int = 0) -> list[PdfLine]:
    """Lines in reading order: columns left to right, bands split by full-width lines."""
    cut = _gutter(lines) if len(lines) >= 4 and depth < 6 else None
    if cut is None:
        return sorted(lines, key=lambda ln: (round(ln.top, 0), ln.x0))
    spanning = sorted(
        (ln for ln in lines if ln.x0 < cut - 1 and ln.x1 > cut + 1), key=lambda ln: ln.top
    )
    crossing = {id(ln) for ln in spanning}
    out: list[PdfLine] = []
    upper = float("-inf")
    for bound in [*spanning, None]:
        lower = bound.top if bound else float("inf")
        band = [ln for ln in lines if id(ln) not in crossing and upper <= ln.top < lower]
        left = [ln for ln in band if ln.x1 <= cut + 1]
        right = [ln for ln in band if ln.x1 > cut + 1]
        out += reading_order(left, depth + 1) + reading_order(right, depth + 1)
        if bound:
            out.append(bound)
            upper = bound.top
    return out


# -- lines → classified source lines ----------------------------------------------------------


def _body_size(lines: Sequence[PdfLine]) -> float:
    """The glyph height most text is set in (weighted by characters)."""
    weights = Counter({round(ln.size, 0): 0 for ln in lines})
    for ln in lines:
        weights[round(ln.size, 0)] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _pitch(lines: Sequence[PdfLine]) -> float:
    """Typical baseline distance over glyph height between lines of one paragraph."""
    ratios = [
        (b.bottom - a.bottom) / a.size
        for a, b in itertools.pairwise(lines)
        if a.page == b.page
        and abs(a.size - b.size) < 0.1 * a.size
        and a.size > 0
        and 0.6 * a.size < b.bottom - a.bottom < 2.5 * a.size
    ]
    return statistics.median(ratios) if ratios else 1.2


def _hanging_indent(lines: Sequence[PdfLine]) -> bool:
    """Whether list items here continue under their text (hanging) rather than their bullet.

    Decided by the lines that follow a bullet line and go on in lower case.
    """
    hanging = flush = 0
    for a, b in itertools.pairwise(lines):
        if bullet_of(a.text) and b.page == a.page and b.text[:1].islower():
            if abs(b.x0 - a.text_x) < 0.25 * a.size < abs(b.x0 - a.x0):
                hanging += 1
            elif abs(b.x0 - a.x0) < 0.25 * a.size:
                flush += 1
    return hanging > flush


def _title_like(text: str) -> bool:
    """Few words, no sentence end inside or at the end: a title or a list line.

    A numbered marker is no sentence end: "4. Gör det enklare att resa klimatsmart" read as
    a sentence "4." before "Gör …", so the numbered titles of Miljöpartiet's 2022 manifesto ran
    into their first paragraph as one list item (13 of 19; "3.\t Skydda …", with a tab, did
    not)."""
    marker = bullet_of(text)
    if marker is not None and any(c.isdigit() for c in marker[0]):
        text = marker[1]
    short = len(text.split()) <= 12
    return short and not text.endswith(_TERMINAL) and not _SENTENCE_INSIDE.search(text)


def _break(a: PdfLine, b: PdfLine, pitch: float, right: float, indent: float | None) -> str:
    """The kind of break between consecutive lines `a` and `b` in reading order."""
    if a.page != b.page:
        return PAGE
    if b.top < a.top - 0.5 * a.size or b.x0 > a.x1:
        return PAGE  # back up or off to the right: another column or box
    if b.bottom - a.bottom > 1.35 * pitch * max(a.size, b.size):
        return PARAGRAPH
    if indent is not None and not bullet_of(b.text):
        # Inside a list item with a hanging indent, the indent alone says what belongs to it.
        return LINE if abs(b.x0 - indent) < 0.25 * b.size else PARAGRAPH
    if abs(a.size - b.size) > 0.15 * max(a.size, b.size):
        return PARAGRAPH
    if (a.bold and _title_like(a.text)) != (b.bold and _title_like(b.text)):
        return PARAGRAPH  # a bold title line, not a bold lead-in sentence
    fits = right - a.x1 > b.first_word + 0.5 * b.size
    if fits and _title_like(a.text) and b.text[:1].isupper() and not bullet_of(b.text):
        return PARAGRAPH  # a short line that ends early without a full stop is a title
    return LINE


def _continues_item(line: PdfLine, page: Sequence[PdfLine], offset: float) -> bool:
    """Whether `line`, first in a new column, sits at the text indent of an open list item.

    `offset` is how far the item's text stands right of its bullet; the new column's left edge
    is the leftmost line start near `line` on its page.
    """
    near = [ln.x0 for ln in page if abs(ln.x0 - line.x0) < 3 * line.size]
    left = min(near, default=line.x0)
    return left < line.x0 and abs(line.x0 - left - offset) < 0.3 * line.size


def _is_heading(line: PdfLine, body: float, body_bold: bool) -> bool:
    if line.size >= 1.18 * body:
        return not bullet_of(line.text)
    words = line.text.split()
    return (
        line.bold
        and not body_bold
        and len(words) <= 14
        and line.text[:1].isupper()
        and not line.text.endswith((".", ",", ":", ";"))
        and not bullet_of(line.text)
    )


def source_lines(pages: Sequence[Sequence[PdfLine]]) -> list[SourceLine]:
    """Lines with their break, heading and noise flags, ready for `program_text.assemble`."""
    flat = [ln for page in pages for ln in page]
    if not flat:
        return []
    body = _body_size(flat)
    bold_chars = sum(len(ln.text) for ln in flat if ln.bold)
    body_bold = bold_chars > 0.5 * sum(len(ln.text) for ln in flat)
    pitch = _pitch(flat)
    hanging = _hanging_indent(flat)
    out: list[SourceLine] = []
    indent: float | None = None  # the text indent of the open list item, when hanging
    offset = 0.0  # how far that indent stands right of the bullet
    for i, line in enumerate(flat):
        prev = flat[i - 1] if i else None
        column = [ln for ln in flat[max(0, i - 40) : i + 40] if ln.page == line.page]
        ref = prev or line
        right = max(  # the column's right edge, from lines of the same size and start
            (
                ln.x1
                for ln in column
                if abs(ln.x0 - ref.x0) < 2 * body and abs(ln.size - ref.size) < 0.1 * ref.size
            ),
            default=line.x1,
        )
        brk = _break(prev, line, pitch, right, indent) if prev else PARAGRAPH
        if (
            brk == PAGE
            and offset
            and not bullet_of(line.text)
            and _continues_item(line, pages[line.page], offset)
        ):
            brk, indent = LINE, line.x0
        heading = _is_heading(line, body, body_bold) or (
            bool(out)
            and out[-1].heading
            and brk == LINE
            and prev is not None
            and abs(prev.size - line.size) < 0.1 * line.size
            and prev.bold == line.bold
        )
        if bullet_of(line.text) and not heading:
            indent = line.text_x if hanging and line.text_x > line.x0 + 0.2 * line.size else None
            offset = indent - line.x0 if indent is not None else 0.0
        elif brk != LINE:
            indent, offset = None, 0.0
        noise = line.size < _SMALL_PRINT * body or bool(_NUMBERS_ONLY.match(line.text))
        heading = heading and not noise
        out.append(
            SourceLine(clean_line(line.text), brk, heading=heading, noise=noise, page=line.page)
        )
    return out


# -- the reader -------------------------------------------------------------------------------


def is_pdf(data: bytes) -> bool:
    """The PDF signature within the first KiB, where readers are required to look for it."""
    return b"%PDF-" in data[:1024]


def _open(data: bytes, origin: str) -> pdfium.PdfDocument:
    """The PDF opened by PDFium, or a ParseError that says what is wrong with it."""
    if not is_pdf(data):
        raise ParseError(origin, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise ParseError(origin, "the PDF is truncated (no end-of-file marker); download it again")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower() or "security" in message.lower():
            message = "the PDF is encrypted with a password; decrypt it first"
            raise ParseError(origin, message) from exc
        raise ParseError(origin, f"the PDF is damaged and cannot be opened ({message})") from exc


@dataclass(frozen=True)
class PdfMetadata:
    """What the document information dictionary says: its title and the day it was made."""

    title: str = ""
    made: str = ""  # "YYYY-MM-DD" from CreationDate (else ModDate), "" when absent or invalid


# "D:YYYYMMDD…" (PDF 1.7, 7.9.4); a metadata value, anchored, so the match is linear
_PDF_DATE = re.compile(r"D?:?([0-9]{4})([0-9]{2})([0-9]{2})")
_FIRST_PDF_YEAR = 1993  # PDF 1.0: an earlier "creation date" is a wrong clock


def _made_day(doc: pdfium.PdfDocument) -> str:
    """The day the file was made, from its metadata: a program PDF's best date, since its text
    names target years ("senast 2025") more often than the time it was written."""
    for key in ("CreationDate", "ModDate"):
        m = _PDF_DATE.match((doc.get_metadata_value(key) or "").strip())
        if m is None:
            continue
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
        if day.year >= _FIRST_PDF_YEAR:
            return day.isoformat()
    return ""


def extract_pages(data: bytes, origin: str) -> tuple[list[list[PdfLine]], list[float], PdfMetadata]:
    """Lines per page in stream order, page heights, and the document's metadata."""
    doc = _open(data, origin)
    try:
        if len(doc) == 0:
            raise ParseError(origin, "the PDF has no pages")
        pages, heights = [], []
        for index in range(len(doc)):
            page = doc[index]
            try:
                pages.append(_page_lines(page, index))
                heights.append(page.get_height())
            finally:
                page.close()
        title = (doc.get_metadata_value("Title") or "").strip()
        return pages, heights, PdfMetadata(title=title, made=_made_day(doc))
    except LofteError:
        raise
    except Exception as exc:  # PDFium reports damage in many ways; the caller sees one
        raise ParseError(origin, f"text extraction failed ({type(exc).__name__}: {exc})") from exc
    finally:
        doc.close()


def parse_pdf(data: bytes, origin: str) -> ParsedDocument:
    """One program document from PDF bytes; ParseError for damaged, locked or image-only PDFs."""
    pages, heights, metadata = extract_pages(data, origin)
    if not any(pages):
        message = "the PDF has no text layer (scanned or image-only); run OCR first"
        raise ParseError(origin, message)
    kept, removed, rotated = strip_furniture(pages, heights)
    ordered = [reading_order(page) for page in kept]
    lines = source_lines(ordered)
    return document_from_lines(
        lines,
        origin,
        title=metadata.title,
        metadata_title=metadata.title,  # ingest judges whether it is a real title (sources/titles)
        metadata_date=metadata.made,  # ingest weighs it against the user's and the path's date
        layout="pdf",
        pages=len(pages),
        removed_lines=len(removed),
        rotated_fragments=rotated,
        extractor=f"pypdfium2 {_PDFIUM_VERSION}",
    )


class PdfReader:
    name = "pdf"
    default_kind = "program"  # PDFs and program dumps are usually the promises themselves
    version = "1"
    binary = True
    ceiling = 0.9  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        return 0.9 if is_pdf(raw.data) else 0.0

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        return [parse_pdf(raw.data, raw.origin)]


PDF = PdfReader()
