"""Swedish sentence splitting and document structure: blocks, sections and segments.

- `split_sentences`: sentence spans as offsets into the text. A sentence ends at ".", "!", "?"
  or "…" (with any closing quotes or brackets) before whitespace and a word that does not start
  in lower case; abbreviations ("bl.a.", "t.ex.", "kl.", "fr.o.m.") and a leading enumerator
  ("1.") do not end one; "m.m.", "osv." and "etc." end one only before a capital. Numbers
  ("10 000", "5,1", "3.5") never do, as their separators are not followed by a space. A blank
  line, a line ending in ":" and a line starting with a list marker are hard breaks; a single
  newline otherwise is a wrapped line.
- `document_blocks`: a parsed document as headings, paragraphs, list items and noise, in order,
  each with the section path in effect. Section levels are guessed: level 1 for headings set in
  capitals, headings listed in the table of contents, and numbered titles ("1. Skydda djuren och
  naturen" read as a list item); level 2 for other headings. Headings that are chart labels (next
  to page noise or a short figure line, or between two list items) open no section.
- `segment_document`: `Segment` records (heading, paragraph, list_item, sentence) from blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import ParsedDocument, Segment
from ..sources.program_text import LINE_ENDS, bullet_of

# Never end a sentence, whatever follows (compared in lower case, with their final period).
NEVER_END = frozenset(
    "bl.a. t.ex. t. ex. s.k. ca. kl. fr.o.m. f.o.m. t.o.m. dvs. d.v.s. resp. nr. jfr. "
    "p.g.a. pga. inkl. exkl. enl. f.d. fd. m.a.o. fr.a. bl. sk. s. sid. kap. prof. dr. st. "
    "tel. ang. avd. ex. jan. feb. apr. aug. sep. sept. okt. nov. dec. vs. mom. ff. p.".split()
)
# Often close a sentence ("… bussar, tåg m.m. Nästa mening"): end one only before a capital.
SOMETIMES_END = frozenset("m.m. mm. osv. o.s.v. etc. m.fl. mfl. o.d. e.d. m.m".split())

# Tried only where a run of stops begins (lookbehind): from each position inside a long run
# followed by a letter the run was rescanned, quadratic in its length (issue 9). The pattern
# starts with one character class so that `re` skips to candidates in C (2.5x faster than
# "\n|(?<![.!?…])[.!?…]+…", which matches the same spans: tests/language/test_segment.py).
_BREAK = re.compile(r"[\n.!?…](?:(?<=\n)|(?<![.!?…]{2})[.!?…]*[\"'”’»)\]]*(?=\s|$))")
_OPENERS = "\"'“”‘’«»([{"
_CLOSERS = "\"'”’»)]"
_NOT_A_START = ",;:.)]}"
_TOC_HEADING = re.compile(r"^(?:innehåll(?:sförteckning)?|innehåll i korthet)\s*:?$", re.I)
_ENUMERATOR = re.compile(r"^\(?\d{1,3}[.)]$")
_TITLE_WORDS = 12
_FIGURE_WORDS = 6
# Words that open sentences: a capitalised one of these after a title starts the prose.
_STARTERS = frozenset(
    "för i det vi du när om att med den de en ett på till under efter genom sedan alla vår "
    "våra vårt men och så därför idag i dag".split()
)


# -- sentences --------------------------------------------------------------------------------


def _next_char(text: str, pos: int, end: int) -> str:
    while pos < end and text[pos].isspace():
        pos += 1
    return text[pos] if pos < end else ""


def _token_before(text: str, pos: int, floor: int) -> tuple[int, str]:
    """(start, token) of the run of non-space characters that ends at `pos`."""
    start = pos
    while start > floor and not text[start - 1].isspace():
        start -= 1
    return start, text[start:pos]


def _ends_sentence(text: str, stop: int, end: int, sentence_start: int) -> bool:
    """Whether the terminal punctuation that ends at `stop` closes a sentence."""
    following = _next_char(text, stop, end)
    if not following:
        return True
    if following.islower() or following in _NOT_A_START:
        return False
    tok_start, token = _token_before(text, stop, sentence_start)
    word = token.lstrip(_OPENERS).rstrip(_CLOSERS).lower()
    if not word.endswith(".") or word.endswith(".."):
        return True  # "!", "?", "…" and "..." end a sentence before a non-lower-case word
    if word in NEVER_END:
        return False
    if word in SOMETIMES_END:
        return following.isupper()
    if len(word) == 2 and word[0].isalpha():
        # an initial ("Olof P. Palme"), or a one-letter abbreviation ("f. 1970"); but a
        # lower-case "i", "å" or "ö" before a capital is a word ending its sentence (QA:
        # "… som vi befinner oss i. Det är …" was one sentence)
        return token.lstrip(_OPENERS)[0].islower() and following.isupper()
    # The rules read as one list, each with its reason: no single negated return.
    if _ENUMERATOR.match(word) and not text[sentence_start:tok_start].strip():  # noqa: SIM103
        return False  # "1. En snabb omställning": a numbered title, not a sentence "1."
    return True


def _line_break(text: str, pos: int, end: int) -> bool:
    """Whether the newline at `pos` is a hard break (not a wrapped line)."""
    line_end = text.find("\n", pos + 1, end)
    next_line = text[pos + 1 : line_end if line_end >= 0 else end].strip()
    if not next_line or bullet_of(next_line):
        return True  # a blank line, or a list item starts
    back = pos
    while back > 0 and text[back - 1].isspace():
        back -= 1
    while back > 0 and text[back - 1] in _CLOSERS:
        back -= 1
    return back > 0 and text[back - 1] in ".!?…:"


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in `text[start:end]` as offsets into `text`: trimmed, in order, disjoint.

    Every non-space character of the range lies in exactly one span.
    """
    end = len(text) if end is None else max(0, min(end, len(text)))
    start = min(max(0, start), end)
    cuts: list[int] = []
    sentence_start = start
    for match in _BREAK.finditer(text, start, end):
        if match.group() == "\n":
            if _line_break(text, match.start(), end):
                cuts.append(match.start())
                sentence_start = match.end()
        elif _ends_sentence(text, match.end(), end, sentence_start):
            cuts.append(match.end())
            sentence_start = match.end()
    spans = []
    for a, b in zip([start, *cuts], [*cuts, end], strict=True):
        span = _trim(text, a, b)
        if span:
            spans.append(span)
    return spans


# -- blocks and sections ----------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, list item or noise span of a document body.

    List items start after their marker (kept in `marker`). `level` is the section level the
    block opens (0: none); `label_end` ends its section label (a numbered title's prose follows
    its title inside one list item). `section` is the path in effect at the block.
    """

    kind: str
    start: int
    end: int
    marker: str = ""
    level: int = 0
    label_end: int = 0
    toc: bool = False
    section: tuple[str, ...] = ()


def _known_spans(doc: ParsedDocument) -> list[tuple[int, int, str]]:
    spans = [(s, e, "list_item") for s, e in doc.list_items]
    spans += [(s, e, "noise") for s, e in doc.noise]
    spans += [(int(s), int(e), "heading") for s, e in doc.extra.get("headings", ())]
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for s, e, kind in spans:
        if kept and s < kept[-1][1]:
            continue  # overlaps the previous span: keep the first
        kept.append((s, e, kind))
    return kept


def _paragraphs(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraph spans of an unstructured stretch: text separated by blank lines."""
    out = []
    for part in re.finditer(r"(?:(?!\n[ \t]*\n)[\s\S])+", body[start:end]):
        span = _trim(body, start + part.start(), start + part.end())
        if span:
            out.append(span)
    return out


# A lone line read as a heading in a text that came without structure: a few words, no
# sentence end, and no word a pledge would be made with ("Vi ska bygga 500 bostäder").
_HEADING_WORDS = 8
_PLEDGE_WORD = re.compile(r"\b(?:ska|skall|vill|kommer|lovar|måste|bör|ger|får)\b", re.IGNORECASE)


# "Rösta på Vänsterpartiet!", "Rösta för en trygg framtid": a call to vote
_VOTE_APPEAL = re.compile(r"^(?:rösta|ge\s+(?:oss|din)\s+röst)\b", re.IGNORECASE)


def vote_appeal(line: str) -> bool:
    """Whether a line calls for a vote ("Rösta på …!"): a heading of a program's closing
    section, whatever its end, which names no policy area (`pipeline.areas`)."""
    return _VOTE_APPEAL.match(" ".join(line.split())) is not None


def written_heading(text: str) -> bool:
    """Whether a lone line reads as a heading (`_HEADING_WORDS`, no sentence end, no pledge).
    A call to vote may exclaim: "Rösta på Vänsterpartiet!" opens a program's closing section
    (newsroom QA: read as a sentence, its section kept the area before it); any other line
    ending in "!" is a slogan, often a pledge ("Sänk skatten för alla pensionärer!")."""
    return (
        "\n" not in text
        and len(text.split()) <= _HEADING_WORDS
        and text[:1].isupper()
        and (vote_appeal(text) or not text.endswith((*LINE_ENDS, ";", ",")))
        and _PLEDGE_WORD.search(text) is None
    )


def _written_blocks(body: str, start: int, end: int) -> list[Block]:
    """A paragraph of a text that came with no structure (a hand-written .txt, an HTML article
    or Markdown read as text; QA: their list items were never candidates) as its writer laid
    it out: a line starting with a list marker opens a list item that runs to the next one,
    lines before the first are a paragraph (a lead-in), and a lone short line is a heading.
    A heading may sit on the line right before a list's first marker, with no blank line
    around it: alone before the list, or after a list item's last sentence (QA: "Klimat" over
    its bullets was read as the lead-in, or as the end of the item before)."""
    if written_heading(body[start:end]):
        return [Block("heading", start, end)]
    lines: list[tuple[int, int]] = []  # (start, end) of each line of the span
    pos = start
    while pos < end:
        line_end = body.find("\n", pos, end)
        line_end = end if line_end < 0 else line_end
        lines.append((pos, line_end))
        pos = line_end + 1
    marked = [bullet_of(body[a:b].strip()) for a, b in lines]
    blocks: list[Block] = []
    kind, marker, opened, last = "", "", start, start

    def close() -> None:
        span = _trim(body, opened, last)
        if kind and span:
            blocks.append(Block(kind, span[0], span[1], marker=marker))

    for n, (a, b) in enumerate(lines):
        raw = body[a:b]
        line = raw.strip()
        bullet = marked[n]
        following = marked[n + 1] if n + 1 < len(lines) else None
        before_list = following is not None and bool(following[1])
        if bullet and bullet[1]:
            close()
            kind, marker = "list_item", bullet[0]
            # the item's text starts after its marker (the rest of the stripped line)
            opened = a + len(raw) - len(raw.lstrip()) + len(line) - len(bullet[1])
        elif (
            before_list and written_heading(line) and _heading_may_follow(body, kind, opened, last)
        ):
            close()
            heading = _trim(body, a, b)
            if heading:
                blocks.append(Block("heading", heading[0], heading[1]))
            kind, marker, opened = "", "", b
        elif not kind:
            kind, marker, opened = "paragraph", "", a
        last = b
    close()
    return blocks


def _heading_may_follow(body: str, kind: str, opened: int, last: int) -> bool:
    """Whether a heading-like line right before a list marker can be a heading: at the start
    of the span, or after a list item that ended its sentence (a line that goes on an item's
    unfinished sentence is the item's)."""
    if not kind:
        return True
    text = body[opened:last].rstrip()
    return kind == "list_item" and text.endswith(LINE_ENDS)


def _raw_blocks(doc: ParsedDocument) -> list[Block]:
    body = doc.body
    blocks: list[Block] = []
    pos = 0
    # the readers of programs mark list items and headings; a text without any has its own
    written = not doc.list_items and not doc.extra.get("headings")
    for s, e, kind in [*_known_spans(doc), (len(body), len(body), "")]:
        for a, b in _paragraphs(body, pos, s):
            blocks += _written_blocks(body, a, b) if written else [Block("paragraph", a, b)]
        if not kind:
            break
        span = _trim(body, s, min(e, len(body)))
        if span is None:
            pos = max(pos, e)
            continue
        s, e = span
        marker = ""
        if kind == "list_item":
            bullet = bullet_of(body[s:e])
            if bullet and bullet[1]:
                marker = bullet[0]
                s = e - len(bullet[1])
        blocks.append(Block(kind, s, e, marker=marker))
        pos = e
    return blocks


def page_reference(
    text: str, *, min_dots: int = 3, max_digits: int = 0, bare_digits: int = 3
) -> int | None:
    r"""Where a trailing page reference starts, or None: a number after dotted leaders
    ("Skola ........ 12", at least `min_dots` dots, spaces allowed among them), or a bare number
    of up to `bare_digits` digits after a space ("Skola 12"; 0: not accepted). `max_digits`
    caps the number after leaders (0: any length).

    Plain string code, one backward scan: the regex `(?:\s*\.){3,}\s*\d+\s*$` it replaces
    was searched from every position and took quadratic time on a long run of dots (issue 9).
    """
    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
    digits = end
    while digits and text[digits - 1].isdecimal():
        digits -= 1
    count = end - digits
    if not count:
        return None
    run, dots = digits, 0
    while run and (text[run - 1] == "." or text[run - 1].isspace()):
        run -= 1
        dots += text[run] == "."
    if dots >= min_dots and (not max_digits or count <= max_digits):
        return run
    if count <= bare_digits and digits and text[digits - 1].isspace():
        return digits - 1
    return None


def _toc_key(text: str) -> str:
    cut = page_reference(text)
    text = text if cut is None else text[:cut]
    return " ".join(text.split()).strip(" .:").casefold()


def _mark_toc(blocks: list[Block], body: str) -> list[Block]:
    """Flag table-of-contents lines: dotted leaders, or short lines after "Innehåll"."""
    out: list[Block] = []
    in_toc = False
    for b in blocks:
        text = body[b.start : b.end]
        if b.kind == "heading":
            in_toc = bool(_TOC_HEADING.match(text.strip()))
        elif b.kind == "paragraph":
            leaders = page_reference(text, min_dots=4, bare_digits=0) is not None
            short = len(text.split()) <= 15 and not text.rstrip().endswith((".", "!", "?"))
            in_toc = leaders or (in_toc and short)
            if in_toc:
                b = Block(b.kind, b.start, b.end, toc=True)
        elif b.kind == "list_item" and in_toc:
            in_toc = page_reference(text) is not None
        out.append(b)
    return out


def title_end(body: str, start: int, end: int) -> int:
    """End of the title at the head of a numbered item whose prose follows without a stop.

    "En trygg försörjning för alla Samhällets skyddsnät räcker inte till." → the title ends
    before "Samhällets": a capitalised word after a lower-case one, followed by more words.
    """
    sentences = split_sentences(body, start, end)
    first_end = sentences[0][1] if sentences else end
    words = list(re.finditer(r"\S+", body[start:first_end]))
    for i in range(1, min(len(words) - 3, _TITLE_WORDS + 1)):
        prev, word = words[i - 1].group(), words[i].group()
        if prev[-1:].islower() and word[:1].isupper():
            if word.lower() not in _STARTERS and words[i + 1].group()[:1].isupper():
                i += 1  # a name ends the title: "Ett grönt Sjövik Klimatet är …"
            return start + words[i - 1].end()
    return first_end


def _is_title_item(blocks: list[Block], i: int, body: str) -> bool:
    """A numbered item standing alone, not introduced by a lead-in: a numbered section title."""
    b = blocks[i]
    if b.kind != "list_item" or not b.marker[:1].isdigit():
        return False
    neighbours = [blocks[j] for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
    if any(n.kind == "list_item" and n.marker[:1].isdigit() for n in neighbours):
        return False
    prev = blocks[i - 1] if i else None
    return not (prev and body[prev.start : prev.end].rstrip().endswith(":"))


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _is_figure(text: str) -> bool:
    """A chart's figure line: a short text that opens with a number ("31 miljarder per år.")."""
    return text[:1].isdigit() and len(text.split()) <= _FIGURE_WORDS


def _furniture(blocks: list[Block], i: int, body: str, written: bool = False) -> bool:
    """A heading that is a chart or box label rather than a section title.

    Such labels sit before chart numbers (page noise, or a short line opening with a number),
    between two list items, or before a paragraph that goes on in lower case (a box title that
    is a sentence start); short ones also after chart numbers. Captions float to after the
    block they interrupt, so a section title may follow a caption: only short labels are judged
    by what precedes them.
    """
    text = body[blocks[i].start : blocks[i].end]
    if sum(c.isalpha() for c in text) < 4 or text.rstrip().endswith("-"):
        return True
    prev = blocks[i - 1] if i else None
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if nxt and nxt.kind == "noise":
        return True
    # a caption floats between a PDF's list items; in a text laid out by its writer a lone
    # line between two lists is the next one's title (QA: "Klimat" over its bullets kept the
    # area before it)
    if prev and nxt and prev.kind == nxt.kind == "list_item" and not written:
        return True
    if nxt and nxt.kind == "paragraph" and body[nxt.start : nxt.start + 1].islower():
        return True
    if nxt and nxt.kind == "paragraph" and _is_figure(body[nxt.start : nxt.end]):
        return True  # "Långtidsarbetslösheten kostar" over "31 miljarder per år."
    return bool(prev and prev.kind == "noise" and len(text.split()) <= 3)


def document_blocks(doc: ParsedDocument) -> list[Block]:
    """The document's blocks in order, with section levels and paths."""
    body = doc.body
    blocks = _mark_toc(_raw_blocks(doc), body)
    written = not doc.list_items and not doc.extra.get("headings")  # as `_raw_blocks` reads it
    toc = {_toc_key(body[b.start : b.end]) for b in blocks if b.toc}
    leveled: list[Block] = []
    for i, b in enumerate(blocks):
        text = body[b.start : b.end]
        level, label_end = 0, b.end
        heading = b.kind == "heading" and not _furniture(blocks, i, body, written)
        if heading and not _TOC_HEADING.match(text):
            level = 1 if _is_caps(text) or _toc_key(text) in toc else 2
        elif _is_title_item(blocks, i, body):
            level, label_end = 1, title_end(body, b.start, b.end)
        leveled.append(Block(b.kind, b.start, b.end, b.marker, level, label_end, b.toc))
    if not any(b.level == 1 for b in leveled):  # one kind of heading: all are top level
        leveled = [
            Block(b.kind, b.start, b.end, b.marker, min(b.level, 1), b.label_end, b.toc)
            for b in leveled
        ]
    out: list[Block] = []
    top: str | None = None
    sub: str | None = None
    for b in leveled:
        if b.level:
            label = " ".join(body[b.start : b.label_end].split())
            if b.level == 1:
                top, sub = label, None
            else:
                sub = label
        path = tuple(x for x in (top, sub) if x)
        out.append(Block(b.kind, b.start, b.end, b.marker, b.level, b.label_end, b.toc, path))
    return out


def segment_document(doc: ParsedDocument) -> list[Segment]:
    """Headings, paragraphs, list items (without their marker) and their sentences, in order.

    Page noise (captions, chart numbers) yields no segment.
    """
    segments: list[Segment] = []
    for b in document_blocks(doc):
        if b.kind == "noise":
            continue
        segments.append(Segment(b.kind, b.start, b.end, b.section))
        if b.kind in ("paragraph", "list_item"):
            segments += [
                Segment("sentence", s, e, b.section)
                for s, e in split_sentences(doc.body, b.start, b.end)
            ]
    return segments
