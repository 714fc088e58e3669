"""The reader registry: picks a reader for raw bytes by sniffing their content.

A reader is a small object with a `name`, a `version`, a `sniff(raw, text)` that returns how sure
it is (0 = not mine, 1 = certainly mine) and a `parse(raw, text)` that returns documents. Readers
that work on text get the decoded text; binary readers (PDF) get `text=None`.

Every built-in reader is listed once, in `READERS`; nothing registers itself on import, so the
choice never depends on which module happened to be imported first.
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from ..errors import EmptyInputError, UnsupportedFormatError, ValidationError
from ..language.controls import clean_text
from ..model import ParsedDocument, RawInput
from . import feed, html, markdown, pdf, plaintext, program_text, tabular, textdump
from .decode import binary_reason, decode_text, looks_binary

# A zip file: an archive, or a Word, Excel or OpenDocument file (zips too), none of which
# Löfte reads; the error says what to do instead.
ZIP_MAGIC = b"PK\x03\x04"
ZIP_ADVICE = (
    "a zip file: unpack an archive and ingest its folder; save a Word, Excel or "
    "OpenDocument file as PDF or text"
)


class Reader(Protocol):
    name: str
    version: str
    binary: bool  # True: wants raw bytes only (text is None)
    ceiling: float  # the highest score `sniff` ever returns: lets the search stop early

    def sniff(self, raw: RawInput, text: str | None) -> float: ...

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]: ...


# Later readers win ties, so the generic plain-text reader goes first and the specific ones after.
READERS: tuple[Reader, ...] = (
    plaintext.PLAIN_TEXT,
    textdump.EXCERPT_LINES,
    textdump.BULLET_LISTING,
    textdump.READ_MORE_PAGE,
    tabular.CSV_IMPORT,
    tabular.JSON_IMPORT,
    program_text.PROGRAM_TEXT,
    pdf.PDF,
    html.HTML_ARTICLE,
    html.HTML_LISTING,
    feed.FEED,
    markdown.MARKDOWN,
)


def readers() -> tuple[Reader, ...]:
    return READERS


def check_reader_name(name: str) -> None:
    """ValidationError unless a reader is called `name`: a forced reader checked once for a
    batch, before every input fails on it."""
    if not any(r.name == name for r in readers()):
        names = ", ".join(sorted(r.name for r in readers()))
        raise ValidationError(f"--reader: no reader named {name!r} ({names})")


def pick_reader(
    raw: RawInput, forced: str | None = None, notes: list[str] | None = None
) -> tuple[Reader, str | None]:
    """The best reader for `raw` and the decoded text it will get (None for binary readers).

    Raises EmptyInputError for empty input and UnsupportedFormatError when no reader wants it.
    Warnings about the input (a file mixing encodings) are appended to `notes`.
    """
    if not raw.data or raw.data.isspace():  # no stripped copy of a 50 MB input
        raise EmptyInputError(raw.origin, "the input is empty")
    candidates: Sequence[Reader] = readers()
    if forced:
        candidates = [r for r in candidates if r.name == forced]
        if not candidates:
            names = ", ".join(sorted(r.name for r in readers()))
            raise UnsupportedFormatError(raw.origin, f"no reader named {forced!r} ({names})")
    binary = looks_binary(raw.data)
    text: str | None = None
    if not binary:
        text = decode_text(raw.data, raw.origin, notes)
        if not text or text.isspace():
            raise EmptyInputError(raw.origin, "the input holds no text")
    best: tuple[float, int, Reader] | None = None
    # The winner is the highest (score, order). Readers are asked from the highest (ceiling,
    # order) down, so once the best so far beats the next reader's ceiling, no later one can
    # win: a Markdown file is not run through every other reader's sniffing.
    for order, reader in _by_ceiling(tuple(candidates)):
        if best is not None and best[:2] > (reader.ceiling, order):
            break
        if reader.binary != binary:
            continue
        score = reader.sniff(raw, None if reader.binary else text)
        if forced:  # the user's word, not the sniff's: its parse says what it cannot read (QA)
            score = max(score, 0.01)
        if score > 0 and (best is None or (score, order) > best[:2]):
            best = (score, order, reader)
    if best is None and forced:
        what = "binary data" if binary else "text"
        why = f" ({binary_reason(raw.data)})" if binary else ""
        raise UnsupportedFormatError(
            raw.origin, f"the {forced} reader does not accept this {what}{why}"
        )
    if best is None:
        what = "binary data" if binary else "text"
        if binary and raw.data.startswith(ZIP_MAGIC):  # QA: "no reader" said nothing of why
            what += f" ({ZIP_ADVICE})"
        elif binary and _utf8_head(raw.data):  # QA: a text with a few colour codes, unexplained
            what += f" ({binary_reason(raw.data)})"
        raise UnsupportedFormatError(raw.origin, f"no reader accepts this {what}")
    reader = best[2]
    if notes is not None and not forced:
        notes += _mislabelled(raw, reader)
    return reader, (None if reader.binary else text)


def _utf8_head(data: bytes) -> bool:
    """Whether the bytes `looks_binary` judged are UTF-8: a text with control bytes in it,
    not a file of some binary format."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:8192])
    except UnicodeDecodeError:
        return False
    return True


def _mislabelled(raw: RawInput, reader: Reader) -> list[str]:
    """A warning when the content contradicts the name or the server's type in a way that
    usually means the wrong file: a "program.pdf" that is a saved login or error page (QA:
    it was stored as an HTML article without a word), or a PDF served as text."""
    media = (raw.media_type or "").split(";")[0].strip().lower()
    if media == "application/pdf" and reader.name != "pdf":
        return [
            f"named or served as a PDF, but it is text: read as {reader.name} (the wrong file?)"
        ]
    if reader.name == "pdf" and (media.startswith("text/") or media.endswith(("json", "xml"))):
        return [f"named or served as {media}, but it is a PDF: read as a PDF"]
    return []


@functools.cache
def _by_ceiling(candidates: tuple[Reader, ...]) -> list[tuple[int, Reader]]:
    """The readers with their place in READERS (later wins a tie), highest ceiling first."""
    return sorted(enumerate(candidates), key=lambda pair: (pair[1].ceiling, pair[0]), reverse=True)


def parse_input(reader: Reader, raw: RawInput, text: str | None) -> list[ParsedDocument]:
    """`reader.parse`, with every text of every document cleaned of forbidden characters.

    The one door from readers to the store: escapes in JSON, entities in HTML and feeds, bytes
    in PDFs can all produce control characters that a page, the RSS feed or a chart must never
    get. The body keeps its length (each forbidden character becomes a space), so the spans
    readers computed stay valid.
    """
    return [_clean_document(doc) for doc in reader.parse(raw, text)]


def _clean_document(doc: ParsedDocument) -> ParsedDocument:
    return replace(
        doc,
        title=clean_text(doc.title),
        body=clean_text(doc.body, keep_offsets=True),
        item_key=clean_text(doc.item_key),
        url=clean_text(doc.url) if doc.url else doc.url,
        category=clean_text(doc.category) if doc.category else doc.category,
        extra=_clean_value(doc.extra),
    )


def _clean_value(value: Any) -> Any:
    """Strings anywhere in a JSON-like value, cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {_clean_value(k): _clean_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_clean_value(v) for v in value)
    return value
