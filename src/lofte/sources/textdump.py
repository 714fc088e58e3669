"""Plain-text dumps of news listings: three shapes, one reader each, all sniffed by content.

- `excerpt-lines`: one news excerpt per line, many cut off with "…" or "...". One document per
  non-empty line; the body keeps the line verbatim (the cut marker included, so a quote from it
  shows where the source stops) and `truncated` says it was cut.
- `bullet-listing`: an optional short header ("Nyheter"), then items " • Title", an optional
  subtitle line directly under the title, an indented summary, and optionally a short category
  line as the item's last paragraph. One document per item.
- `read-more-page`: items separated by "Läs mer" lines; the first line of an item is its title.
  A paragraph repeated inside an item (verbatim, as a prefix of another, or as a teaser cut with
  "…") is kept once; the share footer after the last "Läs mer" is dropped.

Every title and body is cut from the input (whitespace trimmed, paragraphs re-joined), so each
line of a body occurs in the input. Parsing never raises anything but `ParseError`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import ParseError
from ..model import ParsedDocument, RawInput

_CUT_MARKERS = ("…", "...")
# A sentence ends at . ! ? followed by space and an upper-case start (keeps "t.ex. att" whole).
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"'”»(]?[A-ZÅÄÖÉÜ0-9])")
_BULLET = re.compile(r"^[ \t\u00a0]*[•▪][ \t\u00a0]*(.*)$")
_READ_MORE_LINE = re.compile(r"^läs\s+mer(?:\s*(?:»|›|→|>|…|\.\.\.))?$", re.IGNORECASE)
# "Läs mer" glued to the end of a paragraph line, after a space or sentence end.
_READ_MORE_TAIL = re.compile(r"(?:(?<=\s)|(?<=[.!?…]))Läs mer(?:\s*(?:»|›|→))?\s*$")
_SHARE_WORDS = frozenset(
    "facebook twitter x email e-post epost mail dela share linkedin instagram skriv ut print "
    "tipsa en vän messenger whatsapp pinterest kopiera länk copy link".split()
)
_LISTING_HEADERS = frozenset({"nyheter", "aktuellt", "nyhetsarkiv", "pressmeddelanden", "news"})
_SNIFF_LINES = 400  # sniffing looks at the head only: the shape shows early, big inputs stay cheap
_SNIFF_CHARS = 256 * 1024

TITLE_WORDS = 12
MAX_SENTENCE_WORDS = 25


# -- shared helpers ---------------------------------------------------------------------------


def ends_cut(text: str) -> bool:
    """True when the text ends in a cut marker ("…" or "...")."""
    return text.rstrip().endswith(_CUT_MARKERS)


def title_from(text: str, max_words: int = TITLE_WORDS) -> str:
    """The first sentence when it is short, else the first `max_words` words and "…"."""
    flat = " ".join(text.split())
    if not flat:
        return ""
    sentence = flat
    for match in _SENTENCE_END.finditer(flat):
        if len(flat[: match.end()].split()) >= 3:  # "Dr. X" is no sentence
            sentence = flat[: match.end()]
            break
    words = sentence.split()
    if len(words) <= MAX_SENTENCE_WORDS and len(sentence) <= 200:
        # A headline carries no full stop; "!" and "?" say something, so they stay.
        if sentence.endswith(".") and not ends_cut(sentence):
            return sentence[:-1].rstrip() or sentence
        return sentence
    return " ".join(flat.split()[:max_words]) + "…"


def _is_blank(line: str) -> bool:
    return not line.strip()


def _blocks(lines: Sequence[str]) -> list[list[str]]:
    """Runs of non-blank lines (stripped), split at blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if _is_blank(line):
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line.strip())
    if current:
        blocks.append(current)
    return blocks


def _is_label(line: str, max_words: int) -> bool:
    """A short line without sentence punctuation: a category or subtitle, not a summary."""
    return (
        len(line) <= 60
        and len(line.split()) <= max_words
        and not line.endswith((".", "!", "?", "…", ":", ";", ","))
    )


def _head_lines(text: str) -> list[str]:
    return text[:_SNIFF_CHARS].splitlines()[:_SNIFF_LINES]


def _need_text(raw: RawInput, text: str | None) -> str:
    if text is None:
        raise ParseError(raw.origin, "this reader needs text, got binary data")
    return text


# -- excerpt-lines ----------------------------------------------------------------------------


def parse_excerpt_lines(text: str, origin: str) -> list[ParsedDocument]:
    docs: list[ParsedDocument] = []
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.strip()
        if body:
            title, key, cut = title_from(body), str(number), ends_cut(body)
            docs.append(ParsedDocument(title=title, body=body, item_key=key, truncated=cut))
    if not docs:
        raise ParseError(origin, "no excerpt lines: the text is blank")
    return docs


def sniff_excerpt_lines(text: str) -> float:
    lines = [line for line in _head_lines(text) if not _is_blank(line)]
    n = len(lines)
    if n < 3:
        return 0.0
    if any(_BULLET.match(line) or _READ_MORE_LINE.match(line.strip()) for line in lines):
        return 0.0
    if sum(len(line.strip()) >= 80 for line in lines) < 0.9 * n:
        return 0.0  # excerpts are long; PDF text and pages have short lines
    if sum(line[:1].isspace() for line in lines) > 0.1 * n:
        return 0.0  # indentation means a layout, not one excerpt a line
    if sum(ends_cut(line) for line in lines) < max(2, 0.25 * n):
        return 0.0  # without cut-off lines it is ordinary prose, the plain-text reader's case
    return 0.6


class ExcerptLinesReader:
    name = "excerpt-lines"
    version = "1"
    binary = False
    ceiling = 0.6  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        return 0.0 if text is None else sniff_excerpt_lines(text)

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        return parse_excerpt_lines(_need_text(raw, text), raw.origin)


# -- bullet-listing ---------------------------------------------------------------------------


def _split_bullets(lines: Sequence[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The lines before the first bullet, and (title, following lines) per bullet."""
    header: list[str] = []
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        match = _BULLET.match(line)
        if match:
            items.append((match.group(1).strip(), []))
        elif items:
            items[-1][1].append(line)
        else:
            header.append(line)
    return header, items


def _listing_item(
    title: str, lines: Sequence[str], number: int, header: str | None
) -> ParsedDocument | None:
    blocks = _blocks(lines)
    extra: dict[str, str] = {}
    # Lines right under the title (no blank line between) are a subtitle when short.
    if (
        len(blocks) >= 2
        and lines
        and not _is_blank(lines[0])
        and all(_is_label(line, 8) for line in blocks[0])
    ):
        extra["subtitle"] = "\n".join(blocks.pop(0))
    category = None
    if len(blocks) >= 2 and len(blocks[-1]) == 1 and _is_label(blocks[-1][0], 6):
        category = blocks.pop()[0]
    body = "\n\n".join("\n".join(block) for block in blocks)
    if not title:
        title = title_from(body)
    if not title:
        return None  # a lone bullet: nothing to keep
    if header:
        extra["listing"] = header
    return ParsedDocument(
        title=title,
        body=body,
        item_key=str(number),
        category=category,
        truncated=ends_cut(body),
        extra=extra,
    )


def parse_bullet_listing(text: str, origin: str) -> list[ParsedDocument]:
    header_lines, items = _split_bullets(text.splitlines())
    if not items:
        raise ParseError(origin, "no bullet items (lines starting with •)")
    header = "\n".join(line.strip() for line in header_lines if not _is_blank(line)) or None
    docs: list[ParsedDocument] = []
    for title, lines in items:
        doc = _listing_item(title, lines, len(docs) + 1, header)
        if doc is not None:
            docs.append(doc)
    if not docs:
        raise ParseError(origin, "the bullet items are all empty")
    return docs


def sniff_bullet_listing(text: str) -> float:
    header, items = _split_bullets(_head_lines(text))
    header = [line.strip() for line in header if not _is_blank(line)]
    if len(items) < 2 or len(header) > 3 or any(len(line) > 60 for line in header):
        return 0.0  # a long preamble is a document with a list in it, not a listing
    if sum(len(title.split()) <= 25 for title, _ in items) < 0.8 * len(items):
        return 0.0
    summarized = sum(
        any(len(" ".join(block).split()) >= 6 for block in _blocks(lines)) for _, lines in items
    )
    if summarized < 0.7 * len(items):
        return 0.0  # bullets without summaries are a list, e.g. a program's pledges
    known = bool(header) and header[0].lower() in _LISTING_HEADERS
    return 0.8 if known else 0.7


class BulletListingReader:
    name = "bullet-listing"
    version = "1"
    binary = False
    ceiling = 0.8  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        return 0.0 if text is None else sniff_bullet_listing(text)

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        return parse_bullet_listing(_need_text(raw, text), raw.origin)


# -- read-more-page ---------------------------------------------------------------------------


def _split_read_more(lines: Sequence[str]) -> list[list[str]]:
    """Chunks of lines between "Läs mer" lines (the last chunk is what follows the last one)."""
    chunks: list[list[str]] = [[]]
    for line in lines:
        kept = _READ_MORE_TAIL.sub("", line)
        # "LÄS MER Läs mer": what is left once the tail goes can be a "Läs mer" line too
        if _READ_MORE_LINE.match(line.strip()) or _READ_MORE_LINE.match(kept.strip()):
            chunks.append([])
        else:
            chunks[-1].append(kept)
    return chunks


def _is_footer(lines: Sequence[str]) -> bool:
    """After the last "Läs mer": share links, or anything without a real paragraph."""
    blocks = _blocks(lines)
    words = re.findall(r"[\w-]+", " ".join(" ".join(b) for b in blocks).lower())
    if all(word in _SHARE_WORDS for word in words):
        return True
    has_paragraph = any(len(" ".join(block).split()) >= 8 for block in blocks[1:]) or any(
        len(" ".join(block[1:]).split()) >= 8 for block in blocks[:1]
    )
    return not has_paragraph


def _core(paragraph: str) -> str:
    """The text a paragraph surely holds: a cut teaser loses its marker and its partial word."""
    flat = " ".join(paragraph.split())
    if not ends_cut(flat):
        return flat
    kept = flat[:-1] if flat.endswith("…") else flat[:-3]
    shorter = kept.rsplit(" ", 1)[0] if " " in kept.strip() else kept
    return shorter.rstrip() or kept.rstrip()


def _starts_with_words(text: str, prefix: str) -> bool:
    """`prefix` begins `text` and ends at a word boundary there."""
    if not prefix or not text.startswith(prefix):
        return False
    return len(text) == len(prefix) or not text[len(prefix)].isalnum()


def _redundant(i: int, flats: Sequence[str], cores: Sequence[str]) -> bool:
    """Paragraph i repeats another one: same text, or its core begins a longer/fuller one."""
    mine, core = flats[i], cores[i]
    for j, (other, other_core) in enumerate(zip(flats, cores, strict=True)):
        if j == i:
            continue
        if other == mine:
            if j < i:
                return True  # an exact repeat: the first one stays
            continue
        if not _starts_with_words(other, core):
            continue
        if len(core) < len(other_core) and len(core) >= 20:
            return True  # a shorter copy (lead-in or teaser) of a longer paragraph
        if core == other_core and ends_cut(mine) and not ends_cut(other):
            return True  # a cut teaser of a complete paragraph
    return False


def dedup_paragraphs(paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs in order, each repeated one kept once (the fullest version of it)."""
    flats = [" ".join(p.split()) for p in paragraphs]
    if len(paragraphs) > 200:  # pairwise checks stay cheap; huge items only lose exact repeats
        first = {f: i for i, f in reversed(list(enumerate(flats)))}
        return [p for i, p in enumerate(paragraphs) if first[flats[i]] == i]
    cores = [_core(p) for p in paragraphs]
    return [p for i, p in enumerate(paragraphs) if not _redundant(i, flats, cores)]


def _read_more_item(lines: Sequence[str], number: int) -> ParsedDocument | None:
    blocks = _blocks(lines)
    if not blocks:
        return None
    title, first_rest = blocks[0][0], blocks[0][1:]
    paragraphs = ["\n".join(first_rest)] if first_rest else []
    paragraphs += ["\n".join(block) for block in blocks[1:]]
    same_as_title = " ".join(title.split())
    paragraphs = [p for p in paragraphs if " ".join(p.split()) != same_as_title]
    kept = dedup_paragraphs(paragraphs)
    body = "\n\n".join(kept)
    return ParsedDocument(title=title, body=body, item_key=str(number), truncated=ends_cut(body))


def parse_read_more_page(text: str, origin: str) -> list[ParsedDocument]:
    chunks = _split_read_more(text.splitlines())
    if len(chunks) > 1 and _is_footer(chunks[-1]):
        chunks.pop()
    docs: list[ParsedDocument] = []
    for chunk in chunks:
        doc = _read_more_item(chunk, len(docs) + 1)
        if doc is not None:
            docs.append(doc)
    if not docs:
        raise ParseError(origin, "no items: the page holds only 'Läs mer' links or a footer")
    return docs


def sniff_read_more_page(text: str) -> float:
    chunks = _split_read_more(_head_lines(text))
    separators = len(chunks) - 1
    filled = sum(1 for chunk in chunks[:-1] if _blocks(chunk))
    return 0.7 if separators >= 2 and filled >= 2 else 0.0


class ReadMorePageReader:
    name = "read-more-page"
    version = "1"
    binary = False
    ceiling = 0.7  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        return 0.0 if text is None else sniff_read_more_page(text)

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        return parse_read_more_page(_need_text(raw, text), raw.origin)


EXCERPT_LINES = ExcerptLinesReader()
BULLET_LISTING = BulletListingReader()
READ_MORE_PAGE = ReadMorePageReader()
