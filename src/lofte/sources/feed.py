"""RSS 0.9x/1.0/2.0 and Atom feeds ("feed"): one document per entry, read with feedparser.

Each entry gives a title, a plain-text body (its content, else its summary), a link, a date
(published, else updated; explicit, day precision, the day as written in the feed's own time
zone) and a category. The item key is the entry's id, else its link.

A feed that feedparser cannot read and that yields no entries is a `ParseError`; a partly broken
feed that still yields entries gives those entries.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import re
from typing import Any

from ..errors import ParseError
from ..language.dates import MIN_YEAR
from ..model import DatePrecision, DateProvenance, DateValue, ParsedDocument, RawInput
from .decode import detect_encoding
from .html import html_to_text, parse_date, tidy

# The root element, after an optional XML declaration, comments, processing instructions
# (stylesheets) and a doctype, with or without an internal subset. The repetition is possessive
# (`*+`): a comment or PI is read one way only, so a head of many `<?xml-stylesheet?>` PIs that
# is not a feed is refused in linear time (two alternatives both matching each PI took 2^n).
_PROLOG = r"(?:\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE(?:[^>\[]|\[[^\]]*\])*>)*+"
_ROOT = re.compile(_PROLOG + r"<(rss|rdf:RDF|feed)\b([^>]*)>", re.I | re.S)
_ATOM_NS = "http://www.w3.org/2005/Atom"
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def sniff_feed(text: str, media_type: str | None = None) -> float:
    """0.95 for an <rss>, <rdf:RDF> or Atom <feed> root element; 0 otherwise."""
    match = _ROOT.match(text.lstrip("\ufeff")[:4096])
    if match:
        root, attributes = match.group(1).lower(), match.group(2)
        if root != "feed" or _ATOM_NS in attributes:
            return 0.95
    return 0.6 if (media_type or "").startswith(_FEED_TYPES) and "<" in text[:1024] else 0.0


def _text(detail: Any, fallback: str = "") -> str:
    """Plain text of a feedparser text construct (a dict with `value` and `type`)."""
    if not detail:
        return fallback
    value = str(detail.get("value") or "")
    if str(detail.get("type") or "").startswith(_HTML_TYPES):
        return html_to_text(value)
    return tidy(value)  # feedparser has decoded the entities of plain-text constructs


def _entry_date(entry: Any, latest: dt.date) -> tuple[DateValue | None, dict[str, str]]:
    """The entry's first sound date (published, else updated, else created; explicit, of the
    precision written: a day, or a month or year alone as "2024-03"), and when it has none, why
    not, for the ingest's warnings: {"future_date": day} for a day after `latest`,
    {"early_date": day} for one before MIN_YEAR, {"unreadable_date": text} for a date that
    cannot be read. A far date is no publication date (9999-12-31, 0001-01-01: QA)."""
    notes: dict[str, str] = {}
    for key in ("published", "updated", "created"):
        value = _own(entry, key)
        if not value:
            continue
        precision, when = _partial(str(value)) or (DatePrecision.DAY, _day(entry, key, str(value)))
        if when is None:
            notes.setdefault("unreadable_date", _shown_date(str(value)))
        elif when > latest:
            notes.setdefault("future_date", when.isoformat())
        elif when.year < MIN_YEAR:
            notes.setdefault("early_date", when.isoformat())
        else:
            return DateValue(when, precision, DateProvenance.EXPLICIT), {}
    return None, notes


# A W3C date of a year or a month alone ("2024", "2024-03"), which feedparser reads as the
# first day: stored as that day, it claimed a precision the feed never gave (QA).
_PARTIAL_DATE = re.compile(r"\s*([0-9]{4})(?:-([0-9]{2}))?\s*")


def _partial(value: str) -> tuple[DatePrecision, dt.date | None] | None:
    """(precision, first day) of a date written as a year or a month alone, the day None when
    there is no such month; None for any other value."""
    m = _PARTIAL_DATE.fullmatch(value)
    if m is None:
        return None
    if m.group(2) is None:
        return DatePrecision.YEAR, dt.date(int(m.group(1)), 1, 1) if int(m.group(1)) else None
    month = int(m.group(2))
    day = dt.date(int(m.group(1)), month, 1) if 1 <= month <= 12 and int(m.group(1)) else None
    return DatePrecision.MONTH, day


def _day(entry: Any, key: str, value: str) -> dt.date | None:
    """The day as the feed writes it: feedparser's parsed tuples are in UTC, which can move a
    date that is just after local midnight to the day before."""
    when = _as_written(value)
    if when or email.utils.parsedate_tz(value) or _ISO_DAY.search(value):
        return when  # an impossible day ("30 Feb", "2023-02-30") is unreadable: feedparser
        # rolls it over into the next month (QA: stored as 2 March)
    parsed = _own(entry, f"{key}_parsed")
    try:
        return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None
    except ValueError:
        return None


def _own(entry: Any, key: str) -> Any:
    """The entry's own value of `key`: feedparser answers "updated" with "published" when an
    entry has only that (with a DeprecationWarning), which read one date twice."""
    return entry.get(key) if key in entry else None


def _shown_date(value: str) -> str:
    """A date as a warning quotes it: one line, at most 40 characters."""
    value = " ".join(value.split())
    return value if len(value) <= 40 else value[:39] + "…"


# A year written with four digits that is under 100 ("0001"): Python's RFC 822 parser reads a
# year under 100 as a two-digit one (19xx or 20xx), which made 0001-01-01 a day of 2001 (QA).
_SMALL_YEAR = re.compile(r"(?<![\d:+-])00?(\d\d)(?![\d:])")
_ISO_DAY = re.compile(r"(?<!\d)\d{4}-\d\d-\d\d(?!\d)")


def _as_written(value: str) -> dt.date | None:
    try:  # RFC 822, as in RSS 2.0
        when = email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return parse_date(value)  # ISO 8601 / RFC 3339, as in Atom and Dublin Core
    small = _SMALL_YEAR.search(value)
    if small and int(small.group(1)) == when.year % 100 and when.year >= 1900:
        try:
            return when.replace(year=int(small.group(1)))
        except ValueError:  # year 0
            return None
    return when


def _category(entry: Any) -> str | None:
    for tag in entry.get("tags") or ():
        label = " ".join(str(tag.get("label") or tag.get("term") or "").split())
        if label:
            return label
    return None


def _language(value: Any) -> str | None:
    if not value:
        return None
    primary = re.split(r"[-_]", str(value).strip().lower())[0]
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _body(entry: Any) -> str:
    contents = entry.get("content") or []
    longest = max((_text(c) for c in contents), key=len, default="")
    # An entry's `summary` without `summary_detail` is feedparser's copy of its <content>,
    # markup and all: read as plain text it was longer than the content's text and won (QA:
    # Atom html and xhtml bodies stored as markup). Only a summary of its own counts.
    fallback = "" if contents else tidy(str(entry.get("summary") or ""))
    summary = _text(entry.get("summary_detail"), fallback)
    return longest if len(longest) >= len(summary) else summary


# Entities a feed declares in its own DOCTYPE (the internal subset). Expanded, a few kilobytes
# of them become gigabytes: nested ones ("billion laughs"), or one long text referred to a
# million times, which stays under expat's amplification limit (1 MB of feed gave a 92 MB body
# and 600 MB of memory). feedparser drops unsafe declarations only from a DOCTYPE that starts
# a line, and its fallback ("loose") parser expands any declaration without "&" in the head,
# however long. So before feedparser sees the bytes, each DOCTYPE of the prolog keeps only
# short entities (a character reference or a few letters, as `<!ENTITY nbsp "&#160;">`
# declares), which expand at most a few times; the rest of its subset (long or nested
# entities, external and parameter entities, references to them) is dropped; and any other
# long declaration before the first element (where feedparser looks) is dropped too.
# External DTDs are never fetched.
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_DOCTYPE_START = re.compile(rb"<!DOCTYPE\b(?:\"[^\"]*\"|'[^']*'|[^\"'\[>])*+")
_SHORT = rb'<!ENTITY\s+([A-Za-z_][\w.:-]*)\s+"([^"&%<]{0,32}|&#(?:[0-9]+|x[0-9A-Fa-f]+);)"\s*>'
_SUBSET_TOKEN = re.compile(  # group 1 and 2: a short entity's name and text (32 bytes at most)
    rb"\s+|<!--.*?-->|<\?.*?\?>|" + _SHORT + rb"|<!(?:\"[^\"]*\"|'[^']*'|[^\"'>])*+>|%[^;\s]*;",
    re.S,
)
_SUBSET_END = re.compile(rb"\]\s*>")
_ANY_ENTITY = re.compile(rb"<!ENTITY(?:\"[^\"]*\"|'[^']*'|[^\"'>])*+>?")
_SHORT_ENTITY = re.compile(_SHORT)
_FIRST_ELEMENT = re.compile(rb"<\w")  # where feedparser's head ends


_ENTITY_NAME = re.compile(rb"<!ENTITY\s+(%\s*)?([^\s\"'>%;]{1,64})")
_LINE_BREAKS = re.compile(rb"\r?\n")


def defuse_entities(data: bytes, origin: str) -> tuple[bytes, list[str]]:
    """The feed's bytes (in UTF-8, or another encoding that writes markup in ASCII) with each
    DOCTYPE's internal subset cut to short entity declarations and no other long one before the
    first element, and the names of the entities dropped (a parameter entity as "%name"), in
    the order declared. ParseError for an internal subset that does not end (nothing after it
    could be read safely).

    A rewritten DOCTYPE never starts a line: feedparser cuts a DOCTYPE that does at its first
    ">", so one with an internal subset left "]>" behind, a "syntax error" of a well-formed
    feed. The line breaks just before it become carriage returns, which XML counts as line
    breaks too: the lines of later faults stay where they were."""
    if b"<!ENTITY" not in data:
        return data, []  # the common case: nothing declared
    dropped: list[str] = []
    parts: list[bytes] = []
    position = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    parts.append(data[:position])
    while True:  # the prolog: whitespace, PIs, comments and DOCTYPEs, each DOCTYPE rewritten
        if item := _PROLOG_ITEM.match(data, position):
            parts.append(item.group())
            position = item.end()
            continue
        doctype = _DOCTYPE_START.match(data, position)
        if doctype is None:
            break
        if parts and parts[-1].isspace():
            parts[-1] = _LINE_BREAKS.sub(b"\r", parts[-1])
        parts.append(doctype.group())
        position = doctype.end()
        if data[position : position + 1] == b"[":
            kept: list[bytes] = []
            position += 1
            while token := _SUBSET_TOKEN.match(data, position):
                if token.group(1):
                    kept.append(b'<!ENTITY %s "%s">' % (token.group(1), token.group(2)))
                else:
                    _note_entity(token.group(), dropped)
                position = token.end()
            end = _SUBSET_END.match(data, position)
            if end is None:
                raise ParseError(origin, "malformed feed: its DOCTYPE declaration does not end")
            parts.append(b"[" + b"".join(kept) + b"]" if kept else b"")
            position = end.end() - 1  # its ">"
        if data[position : position + 1] == b">":
            parts.append(b">")
            position += 1
    data = b"".join(parts) + data[position:]
    head = _head_end(data)

    def if_short(declaration: re.Match[bytes]) -> bytes:
        if _SHORT_ENTITY.fullmatch(declaration.group()):
            return declaration.group()
        _note_entity(declaration.group(), dropped)
        return b""

    data = _ANY_ENTITY.sub(if_short, data[:head]) + data[head:]
    return (_references_as_written(data, set(dropped)) if dropped else data), dropped


# A reference to an entity (a CDATA section is passed over whole: "&" is text there). The CDATA
# is read possessively to its end or the end of the feed, so many that never end stay linear.
_REFERENCE = re.compile(rb"<!\[CDATA\[(?:[^\]]|\](?!\]>))*+(?:\]\]>)?|&([A-Za-z_][\w.:-]*);")


def _references_as_written(data: bytes, names: set[str]) -> bytes:
    """`data` with each reference to an entity of `names` (dropped: not expanded) escaped, so
    that it reads as written ("&lol9;"). Left as it was, it made the feed malformed to the
    strict parser, and the loose one lost its ";"."""

    def escaped(found: re.Match[bytes]) -> bytes:
        name = found.group(1)
        if name is not None and name.decode("utf-8", "replace") in names:
            return b"&amp;" + found.group()[1:]
        return found.group()

    return _REFERENCE.sub(escaped, data)


def _note_entity(declaration: bytes, dropped: list[str]) -> None:
    """Add the name of the entity `declaration` declares (none for other markup) to `dropped`."""
    named = _ENTITY_NAME.match(declaration)
    if named:
        name = ("%" if named.group(1) else "") + named.group(2).decode("utf-8", "replace")
        if name not in dropped:
            dropped.append(name)


def entities_note(dropped: list[str]) -> str:
    """What became of the entities a feed declares that were not expanded."""
    shown = ", ".join(dropped[:5]) + (f", … ({len(dropped)} in all)" if len(dropped) > 5 else "")
    return (
        f"the feed's DTD declares entities that are not expanded, for safety ({shown}): "
        "references to them are left as written"
    )


_WIDE_ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32")
_ENCODING_DECLARED = re.compile(r"^(\ufeff?<\?xml\b[^>]*?)\sencoding\s*=\s*[\"'][^\"']*[\"']")


def _wide_as_utf8(data: bytes, origin: str) -> bytes:
    """A UTF-16 or UTF-32 feed (by its BOM or its NUL bytes) as UTF-8, its declared encoding
    removed; other feeds as they are."""
    encoding = detect_encoding(data[:8192])
    if encoding not in _WIDE_ENCODINGS:
        return data
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ParseError(origin, f"cannot decode the feed as {encoding}: {exc.reason}") from exc
    return _ENCODING_DECLARED.sub(r"\1", text, count=1).encode("utf-8")


def _head_end(data: bytes) -> int:
    found = _FIRST_ELEMENT.search(data)
    return found.start() if found else 0


def fault_text(fault: object) -> str:
    """What feedparser found wrong, without the "<unknown>" it puts for the stream's name: an
    XML error as "line L, column C: what" (the ParseError or the report names the input)."""
    if fault is None:
        return "not a feed"
    line, column = getattr(fault, "getLineNumber", None), getattr(fault, "getColumnNumber", None)
    message = getattr(fault, "getMessage", None)
    if callable(line) and callable(column) and callable(message):
        try:
            return f"line {line()}, column {column()}: {message()}"
        except Exception:  # noqa: BLE001 - a fault that cannot say where: its text
            pass
    return str(fault).replace("<unknown>:", "", 1).strip() or type(fault).__name__


# A feed's date this far past the day it was read is no publication date (9999-12-31, a typo'd
# year): the entry is kept undated, and the ingest says so (QA: it was stored as explicit).
FUTURE_SLACK = dt.timedelta(days=2)


def parse_feed(data: bytes, origin: str, read_on: dt.date | None = None) -> list[ParsedDocument]:
    """Documents from the bytes of a feed. Raises ParseError when no entry can be read."""
    import feedparser  # imported late: only feeds need it
    from feedparser.encodings import convert_to_utf8

    # Without a content type feedparser flags every feed as broken; the XML declaration still
    # names the encoding. The origin URL resolves relative links.
    headers = {"content-type": "application/xml"}
    if origin.startswith(("http://", "https://")):
        headers["content-location"] = origin
    try:
        # feedparser's own decoding first (the declaration, a BOM, UTF-16/32, EBCDIC, UTF-7 all
        # count), so the entities are cut in the text it will parse, not in bytes that hide
        # markup ("+ADw-!ENTITY" is "<!ENTITY" in UTF-7).
        decoding: dict[str, Any] = {}
        data = _wide_as_utf8(data, origin)  # feedparser reads a UTF-16 BOM as UTF-8 garbage
        data, dropped = defuse_entities(convert_to_utf8(dict(headers), data, decoding), origin)
        # A stream, never a str: feedparser would treat a str as a URL or a file name to open.
        # Its HTML sanitizer and link resolver are off: only the text is kept (`html_to_text`
        # drops scripts and styles), and both wrote an unknown reference "&xxe;" as "&amp;xxe",
        # losing its ";" (QA: a dropped entity was not "left as written" in a description).
        result = feedparser.parse(
            io.BytesIO(data),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - feedparser failures are the input's fault
        raise ParseError(origin, f"unreadable feed ({type(exc).__name__}: {exc})") from exc
    # Declared (or by XML's default) UTF-8 but read as cp1252: the text is whole, only its
    # encoding was guessed. A note of its own: "malformed, entries may be cut short" misled.
    encoding_note = None
    if decoding.get("bozo") and not result.get("bozo"):
        encoding_note = fault_text(decoding.get("bozo_exception"))
    if not result.entries:
        if result.get("bozo") or encoding_note:
            why = fault_text(result.get("bozo_exception")) if result.get("bozo") else encoding_note
            fault = f"malformed feed: {why}"
            raise ParseError(origin, f"{fault}; {entities_note(dropped)}" if dropped else fault)
        return []
    feed_language = _language(result.feed.get("language"))
    latest = (read_on or dt.datetime.now(dt.UTC).date()) + FUTURE_SLACK
    documents: list[ParsedDocument] = []
    seen: set[str] = set()
    for index, entry in enumerate(result.entries):
        title = _text(entry.get("title_detail"), entry.get("title") or "")
        body = _body(entry)
        if not body and (result.get("bozo") or not title):
            # a malformed feed's entry without text is likely cut off at the fault (QA: stored
            # empty, with a title the parser recovered); a sound feed's title-only entry stays
            continue
        link = str(entry.get("link") or "").strip() or None
        key = str(entry.get("id") or "").strip() or link or f"entry-{index}"
        if key in seen:  # a feed repeating an id must still not merge two entries
            key = f"{key}#{index}"
        seen.add(key)
        date, date_notes = _entry_date(entry, latest)
        extra: dict[str, Any] = {"position": index, **date_notes}
        lang = _language((entry.get("title_detail") or {}).get("language")) or feed_language
        if entry.get("author"):
            extra["author"] = str(entry.get("author"))
        if result.get("bozo"):
            extra["feed_warning"] = fault_text(result.get("bozo_exception"))
        if encoding_note:
            extra["feed_encoding"] = encoding_note
        if dropped:
            extra["feed_entities"] = entities_note(dropped)
        documents.append(
            ParsedDocument(
                title=" ".join(title.split()),
                body=body,
                item_key=key,
                url=link,
                date=date,
                category=_category(entry),
                language=lang,
                extra=extra,
            )
        )
    if not documents:
        fault = fault_text(result.get("bozo_exception"))
        problem = f"malformed feed: {fault}; " if result.get("bozo") else ""
        raise ParseError(origin, f"{problem}the feed's entries hold no title or text")
    return documents


class FeedReader:
    name = "feed"
    version = "1"
    binary = False
    ceiling = 0.95  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        return 0.0 if text is None else sniff_feed(text, raw.media_type)

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        # The raw bytes, so feedparser honours the encoding the XML declaration names.
        data = raw.data if raw.data else (text or "").encode("utf-8")
        return parse_feed(data, raw.origin, raw.fetched_at.date() if raw.fetched_at else None)


FEED = FeedReader()
