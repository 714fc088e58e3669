"""Program text as it comes out of a PDF: one program document with paragraphs and list items.

The layout is rebuilt from lines that each know what kind of break came before them (a line
break, a paragraph break, a page or column break). The PDF reader produces such lines from
geometry; `text_lines` recovers them from extracted text, where a line break is often one blank
line and a paragraph break a line holding only spaces ("double-spaced" extraction).

`assemble` then builds the body:
- paragraphs and headings, one line each, separated by blank lines;
- list items ("● …", "• …", "– …", "1. …"), one line each, consecutive items on
  consecutive lines; an item runs across line and page breaks until the next bullet, a
  heading, or a paragraph break followed by a line that does not continue the sentence;
- captions ("Källa: …") and lines the PDF reader marks as noise (small print, chart numbers)
  become their own paragraphs after the paragraph or list they interrupt, and their spans are
  recorded in `noise`; they never fall inside a list item;
- a heading-like box set inside an open sentence (a pull quote) does not cut that sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import ParseError
from ..language.normalize import (
    clean_line,
    ends_with_hyphen,
    hyphenated_words,
    is_page_number,
    join_lines_at,
)
from ..model import ParsedDocument, RawInput

LINE, PARAGRAPH, PAGE = "line", "paragraph", "page"

_SOLID_BULLET = re.compile(r"^([●•▪◦■□○‣∙·➢►▶✓✔])\s*(\S.*)$")
_SOFT_BULLET = re.compile(r"^([–—-]|\(?\d{1,2}[.)])\s+(\S.*)$")
_CAPTION = re.compile(r"^(?:källa|källor|foto|bild|illustration|grafik)\s*:", re.IGNORECASE)
# how a line that ends a sentence (or a quote or parenthesis closing one) ends
LINE_ENDS = tuple('.!?:…"”’»)')
# A line ending in one of these words leaves its sentence open across a page or column break.
_OPEN_WORDS = frozenset(
    "och i att för med av till på om som eller samt den det de en ett är ska vid från mot "
    "under inom utan än så men både såväl genom efter mellan hos alla nya".split()
)
_TITLE_MAX = 120


@dataclass(frozen=True)
class SourceLine:
    """One line of program text and the break before it (LINE, PARAGRAPH or PAGE)."""

    text: str
    brk: str = LINE
    heading: bool = False
    noise: bool = False
    page: int | None = None  # 0-based page of a PDF line; None for text without pages


@dataclass
class _Block:
    kind: str  # "paragraph", "item", "heading", "noise"
    lines: list[str]
    marker: str = ""
    pages: list[int] = field(default_factory=list)  # pages its lines came from, in order

    def add(self, text: str, page: int | None) -> None:
        self.lines.append(text)
        if page is not None:
            self.pages.append(page)


@dataclass(frozen=True)
class Layout:
    """The assembled body and the spans of its parts."""

    body: str
    list_items: tuple[tuple[int, int], ...]
    noise: tuple[tuple[int, int], ...]
    headings: tuple[tuple[int, int], ...] = ()
    paragraphs: tuple[tuple[int, int], ...] = field(default=())
    # (start, end, first page, last page) of every block whose lines carry pages
    block_pages: tuple[tuple[int, int, int, int], ...] = ()


# -- line classification ----------------------------------------------------------------------


def is_caption(line: str) -> bool:
    """A chart or photo caption such as "Källa: SCB"."""
    return bool(_CAPTION.match(line.strip()))


def bullet_of(line: str) -> tuple[str, str] | None:
    """(marker, rest) when the line starts with any list marker, else None."""
    match = _SOLID_BULLET.match(line) or _SOFT_BULLET.match(line)
    return (match.group(1), match.group(2)) if match else None


def continues(prev: str, nxt: str) -> bool:
    """Whether `nxt`, after a paragraph or page break, still belongs to the sentence of `prev`.

    Yes when `nxt` starts in lower case, or `prev` ends open: with a hyphen, a comma, or a word
    that cannot end a sentence ("i", "och", "för").
    """
    prev, nxt = prev.rstrip(), nxt.lstrip()
    if not prev or not nxt:
        return False
    if nxt[0].islower():
        return True
    if prev.endswith(LINE_ENDS):
        return False
    if ends_with_hyphen(prev) or prev[-1] in ",;–-":
        return True
    return prev.rsplit(None, 1)[-1].lower() in _OPEN_WORDS


def _resumes(interrupted: _Block, text: str) -> bool:
    """Whether `text`, after a heading-like box, goes on with the sentence the box cut into.

    A list item is often set without a full stop, so its last word leaves nothing open: after
    a heading only a lower-case word, or an item ending in a hyphen, comma or dash, goes on
    with it ("• Utöka lovskolan för barn som halkar efter" / heading / "Hederskultur, …" is
    an item, a section title and the section's first paragraph).
    """
    last = interrupted.lines[-1].rstrip()
    if interrupted.kind == "item" and not text[:1].islower():
        return ends_with_hyphen(last) or last.endswith((",", ";", "–", "-"))
    return continues(last, text)


def _starts_item(line: SourceLine, current: _Block | None) -> tuple[str, str] | None:
    """The (marker, rest) when `line` opens a list item in its context.

    Solid bullets always do. Dashes and numbers do after a paragraph break, after a lead-in
    ending in ":", or inside a list of the same kind; mid-paragraph they are prose.
    """
    if line.heading:
        return None
    solid = _SOLID_BULLET.match(line.text)
    if solid:
        return solid.group(1), solid.group(2)
    soft = _SOFT_BULLET.match(line.text)
    if not soft:
        return None
    marker = soft.group(1)
    if current is None or line.brk != LINE:
        return marker, soft.group(2)
    if current.kind == "item" and _same_kind(current.marker, marker):
        return marker, soft.group(2)
    if current.lines and current.lines[-1].rstrip().endswith(":"):
        return marker, soft.group(2)
    return None


def _titled(current: _Block, line: SourceLine) -> bool:
    """Whether `current` is a numbered title that `line`, after a paragraph break, does not go on
    with: "7. En trygg försörjning för alla" / "Samhällets skyddsnät …" (Miljöpartiet's 2022
    manifesto) ends in an open word ("alla"), yet a capital after a paragraph break opens the
    section's prose. Only a lower-case word, or a title ending in a hyphen, comma or dash, goes
    on with it (as after a box: `_resumes`)."""
    numbered = any(c.isdigit() for c in current.marker)
    if current.kind != "item" or not numbered or line.brk != PARAGRAPH:
        return False
    last = current.lines[-1].rstrip()
    if len(current.lines) > 1 or last.endswith(LINE_ENDS) or line.text[:1].islower():
        return False
    return not (ends_with_hyphen(last) or last.endswith((",", ";", "–", "-")))


def _same_kind(a: str, b: str) -> bool:
    return a[:1].isdigit() == b[:1].isdigit() and (a[:1].isdigit() or a == b)


# -- assembly ---------------------------------------------------------------------------------


def _pages(line: SourceLine) -> list[int]:
    return [] if line.page is None else [line.page]


def _blocks(lines: Iterable[SourceLine]) -> list[_Block]:
    """Group lines into paragraphs, headings, list items and captions, in reading order."""
    blocks: list[_Block] = []
    floating: list[_Block] = []  # captions wait until the paragraph or list they interrupt ends
    current: _Block | None = None
    interrupted: _Block | None = None  # an open sentence a heading-like box cut into
    after_noise = False

    def close(new: _Block) -> _Block:
        if new.kind != "item":  # a list stays together; its captions follow it
            blocks.extend(floating)
            floating.clear()
        blocks.append(new)
        return new

    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if line.noise or is_caption(text):
            floating.append(_Block("noise", [text], pages=_pages(line)))
            after_noise = True
            continue
        if after_noise and line.brk == LINE:
            # A caption stood between: what follows is not on the next plain line.
            line = SourceLine(text, PARAGRAPH, line.heading, page=line.page)
        after_noise = False
        item = _starts_item(line, current)
        if item:
            current = close(_Block("item", [item[1]], marker=item[0], pages=_pages(line)))
        elif line.heading:
            if (
                current
                and current.kind == "heading"
                and (line.brk == LINE or continues(current.lines[-1], text))
            ):
                current.add(text, line.page)
            else:
                if (
                    current
                    and current.kind != "heading"
                    and not current.lines[-1].endswith(LINE_ENDS)
                ):
                    interrupted = current  # a box or pull quote set inside a sentence
                current = close(_Block("heading", [text], pages=_pages(line)))
        elif (
            current
            and current.kind == "heading"
            and ends_with_hyphen(current.lines[-1])
            and text[:1].islower()
        ):
            # "År 2021 beviljades 95 000 uppe-" / "hållstillstånd. …": the heading-like line
            # opened a box of text; its word goes on here, so the box is a paragraph.
            current.kind = "paragraph"
            current.add(text, line.page)
        elif (
            current
            and current.kind != "heading"
            and (line.brk == LINE or continues(current.lines[-1], text))
            and not _titled(current, line)
        ):
            current.add(text, line.page)
        elif interrupted and line.brk != LINE and _resumes(interrupted, text):
            interrupted.add(text, line.page)  # the sentence goes on after the box
            current, interrupted = interrupted, None
        else:
            current = close(_Block("paragraph", [text], pages=_pages(line)))
        if current and current.kind != "heading" and current is not interrupted:
            interrupted = None
    blocks.extend(floating)
    return blocks


def _render(block: _Block, keep: frozenset[str]) -> tuple[str, list[tuple[int, int, int]]]:
    """The block's text, and the (start, end, page) of each run of its lines on one page."""
    text, at = join_lines_at(block.lines, keep)
    shift = len(block.marker) + 1 if block.kind == "item" else 0
    runs: list[tuple[int, int, int]] = []
    if len(block.pages) == len(block.lines):  # else a page per line is not known
        for span, page in zip(at, block.pages, strict=True):
            if span is None:
                continue
            start, end = span[0] + shift, span[1] + shift
            if runs and runs[-1][2] == page:
                runs[-1] = (runs[-1][0], end, page)
            else:
                runs.append((start, end, page))
        if runs:  # the marker is the first run's
            runs[0] = (0, *runs[0][1:])
    text = f"{block.marker} {text}" if block.kind == "item" else text
    return text, runs


def _ordered(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The runs without overlap (a word broken over two pages is the first run's)."""
    out: list[tuple[int, int, int]] = []
    for start, end, page in runs:
        start = max(start, out[-1][1]) if out else start
        if start < end:
            out.append((start, end, page))
    return out


def assemble(lines: Sequence[SourceLine]) -> Layout:
    """The body text and spans of list items, captions, headings and paragraphs."""
    keep = hyphenated_words("\n".join(line.text for line in lines))
    parts: list[str] = []
    spans: dict[str, list[tuple[int, int]]] = {
        kind: [] for kind in ("item", "noise", "heading", "paragraph")
    }
    pages: list[tuple[int, int, int, int]] = []
    pos = 0
    prev_kind = ""
    for block in _blocks(lines):
        text, runs = _render(block, keep)
        if parts:
            sep = "\n" if block.kind == prev_kind == "item" else "\n\n"
            parts.append(sep)
            pos += len(sep)
        parts.append(text)
        spans[block.kind].append((pos, pos + len(text)))
        if runs:  # a pledge's pages are those of its own words (QA: of the whole paragraph)
            pages += [(pos + s, pos + e, page, page) for s, e, page in _ordered(runs)]
        elif block.pages:
            pages.append((pos, pos + len(text), min(block.pages), max(block.pages)))
        pos += len(text)
        prev_kind = block.kind
    return Layout(
        body="".join(parts),
        list_items=tuple(spans["item"]),
        noise=tuple(spans["noise"]),
        headings=tuple(spans["heading"]),
        paragraphs=tuple(spans["paragraph"]),
        block_pages=tuple(pages),
    )


def title_of(layout: Layout, fallback: str = "") -> str:
    """The first heading, else the first sentence of the first paragraph, kept short."""
    first = layout.headings[:1] or layout.paragraphs[:1] or layout.list_items[:1]
    if not first:
        return fallback
    text = layout.body[first[0][0] : first[0][1]]
    match = re.search(r"[.!?](?=\s)", text)
    if match and not layout.headings:
        text = text[: match.end()]
    if len(text) <= _TITLE_MAX:
        return text
    return text[: _TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"


def document_from_lines(
    lines: Sequence[SourceLine], origin: str, title: str = "", **extra: object
) -> ParsedDocument:
    """One program document from classified lines; ParseError when no text is left."""
    layout = assemble(lines)
    if not layout.body.strip():
        raise ParseError(origin, "no program text left after removing page noise")
    info: dict[str, object] = {"headings": [list(s) for s in layout.headings], **extra}
    if layout.block_pages:  # where each page's text went: dev-set labels are per page
        info["block_pages"] = [list(b) for b in layout.block_pages]
    return ParsedDocument(
        title=title or title_of(layout, fallback=origin),
        body=layout.body,
        list_items=layout.list_items,
        noise=layout.noise,
        language="sv",
        extra=info,
    )


# -- extracted text → lines -------------------------------------------------------------------


def _raw_runs(text: str) -> list[tuple[str, int, bool]]:
    """(line, blank lines before it, whether one of those held spaces) per non-blank line."""
    runs: list[tuple[str, int, bool]] = []
    blanks, spaced = 0, False
    for line in text.replace("\r\n", "\n").replace("\f", "\n").split("\n"):
        if line.strip():
            runs.append((line, blanks, spaced))
            blanks, spaced = 0, False
        else:
            blanks += 1
            spaced = spaced or bool(line)
    return runs


def is_double_spaced(runs: Sequence[tuple[str, int, bool]]) -> bool:
    """True when most lines are followed by exactly one empty line (a line break there)."""
    gaps = [(n, spaced) for _, n, spaced in runs[1:]]
    single = sum(1 for n, spaced in gaps if n == 1 and not spaced)
    return bool(gaps) and single >= 0.5 * len(gaps)


def _break(blanks: int, spaced: bool, double: bool) -> str:
    if double:
        if blanks <= 1 and not spaced:
            return LINE
        return PAGE if blanks >= 5 else PARAGRAPH
    if blanks == 0:
        return LINE
    return PAGE if blanks >= 3 else PARAGRAPH


def text_lines(text: str) -> list[SourceLine]:
    """Classified lines of PDF-extracted text; lone page numbers are dropped."""
    runs = _raw_runs(text)
    double = is_double_spaced(runs)
    out: list[SourceLine] = []
    for i, (raw, blanks, spaced) in enumerate(runs):
        line = clean_line(raw)
        brk = _break(blanks, spaced, double) if out else PARAGRAPH
        after = _break(runs[i + 1][1], runs[i + 1][2], double) if i + 1 < len(runs) else PAGE
        if is_page_number(line) and brk != LINE and after != LINE:
            continue
        if line:
            out.append(SourceLine(line, brk, noise=is_caption(line)))
    return out


# -- sniffing and the reader ------------------------------------------------------------------

_SNIFF_LINES = 600


def first_lines(text: str, count: int, start: int = 1 << 16) -> list[str]:
    """`text.splitlines()[:count]`, splitting only a start of the text long enough to hold them
    (issue 9: every text input is sniffed, and all lines of a 50 MB one were split for 600).
    A line followed by another in the start is whole, so the first `count` are exact once
    the start holds more than `count` lines, or is the whole text."""
    size = start
    while True:
        lines = text[:size].splitlines()
        if len(lines) > count or size >= len(text):
            return lines[:count]
        size *= 4


def sniff_program_text(text: str) -> float:
    """How much the text looks like a program extracted from a PDF.

    The sign is wrapping: many lines end mid-sentence and the next line goes on in lower case.
    News listings (one item or paragraph a line) never do that. Bullets "●" or the double-spaced
    layout of PDF extraction make it certain.
    """
    runs = _raw_runs("\n".join(first_lines(text, _SNIFF_LINES)))
    lines = [clean_line(line) for line, _, _ in runs]
    if len(lines) < 15:
        return 0.0
    wraps = sum(
        1
        for prev, nxt in itertools.pairwise(lines)
        if not prev.endswith(LINE_ENDS) and nxt[:1].islower() and not bullet_of(nxt)
    )
    if wraps < 0.25 * (len(lines) - 1):
        return 0.0
    bullets = sum(1 for line in lines if _SOLID_BULLET.match(line))
    if bullets >= 3 or is_double_spaced(runs):
        return 0.6
    return 0.3


class ProgramTextReader:
    name = "program-text"
    default_kind = "program"  # PDFs and program dumps are usually the promises themselves
    version = "1"
    binary = False
    ceiling = 0.6  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        return 0.0 if text is None else sniff_program_text(text)

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        if text is None:
            raise ParseError(raw.origin, "the program-text reader needs decoded text")
        return [document_from_lines(text_lines(text), raw.origin, layout="pdf-text")]


PROGRAM_TEXT = ProgramTextReader()
