"""CSV and JSON import of ready-made documents (schema: docs/import-schema.md).

Fields: `title` and `body` (required), `url`, `date` (YYYY, YYYY-MM or YYYY-MM-DD),
`date_precision` (day, month, season or year: a date written as the first day of its period,
as the open-data table documents.csv writes it), `category`, `language`, `id` (the item key;
else the row number), `kind` (program, news, decision, budget or other) and `party` (whose
program it is), which ingest gives the row's document as `--kind` and `--party` would
(`row_kind_and_party`), so documents.csv imports with them. Other columns or keys go to `extra`;
a body ending in a cut marker ("…") marks the document `truncated`.

One broken row fails the whole input with a `ParseError` naming the input and the row: the
caller stores an input all-or-nothing, so a half-read file never looks complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from ..errors import ParseError
from ..model import DatePrecision, DateProvenance, DateValue, ParsedDocument, RawInput, SourceKind
from .textdump import ends_cut

FIELDS = (
    "title",
    "body",
    "url",
    "date",
    "date_precision",
    "date_provenance",
    "category",
    "language",
    "id",
)
# Fields a row gives its document that a ParsedDocument has no place for: they travel in its
# `extra` under these keys, checked, and ingest takes them out (`row_kind_and_party`).
ROW_KIND, ROW_PARTY = "kind", "party"
_KINDS = ", ".join(k.value for k in SourceKind)
REQUIRED = ("title", "body")
_DELIMITERS = (",", ";", "\t")  # Swedish spreadsheets export with ";"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_FIELD_LIMIT = 16 * 1024 * 1024
_SNIFF_PARSE_LIMIT = 1024 * 1024  # characters; bigger JSON is sniffed by its head
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


class RowError(ValueError):
    """A row breaks the schema; the reader adds the input and row number."""


# -- one row, whatever the container ----------------------------------------------------------


def parse_date(value: str) -> DateValue:
    """ISO YYYY, YYYY-MM or YYYY-MM-DD as an explicit date with its precision."""
    match = _DATE.match(value)
    if not match:
        raise RowError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        value_date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise RowError(f"date {value!r} does not exist: {exc}") from None
    return DateValue(value=value_date, precision=precision, provenance=DateProvenance.EXPLICIT)


def _text(fields: Mapping[str, Any], key: str) -> str | None:
    """A field as stripped text; None when absent or empty. Numbers are allowed only for `id`."""
    value = fields.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RowError(f"{key!r} must be text, got {type(value).__name__}")
    if isinstance(value, int) and key != "id":
        raise RowError(f"{key!r} must be text, got a number")
    return str(value).strip() or None


_PRECISION_RANK = {
    DatePrecision.DAY: 0,
    DatePrecision.MONTH: 1,
    DatePrecision.SEASON: 2,
    DatePrecision.YEAR: 3,
}


def dated(
    value: str | None, precision: str | None, provenance: str | None = None
) -> DateValue | None:
    """The `date` field with the precision `date_precision` gives, no finer than it is
    written (`2024-05` cannot be a day); without it, the precision it is written in. Its
    provenance is `date_provenance` when given (the open data's documents.csv says which dates
    were read from the text: a guess stays a guess when imported again), else explicit."""
    if value is None:
        if precision is not None:
            raise RowError(f"date_precision {precision!r} without a date")
        return None
    date = replace(parse_date(value), provenance=_provenance(provenance))
    if precision is None:
        return date
    try:
        wanted = DatePrecision(precision.lower())
    except ValueError:
        raise RowError(
            f"date_precision {precision!r} is not one of day, month, season, year"
        ) from None
    if _PRECISION_RANK[wanted] < _PRECISION_RANK[date.precision]:
        raise RowError(f"date {value!r} is not written to the {wanted.value}")
    return replace(date, precision=wanted)


def _provenance(given: str | None) -> DateProvenance:
    if given is None:
        return DateProvenance.EXPLICIT
    try:
        return DateProvenance(given.strip().lower())
    except ValueError:
        known = ", ".join(p.value for p in DateProvenance)
        raise RowError(f"date_provenance {given!r} is not one of {known}") from None


def row_to_document(fields: Mapping[str, Any], row_number: int) -> ParsedDocument:
    """One schema row as a document. Raises RowError."""
    title, body = _text(fields, "title"), _text(fields, "body")
    if title is None:
        raise RowError("'title' is missing or empty")
    if body is None and "body" not in fields:
        raise RowError("'body' is missing")
    # An empty body is a document of its title alone (a press invitation), as the Markdown
    # reader stores one: the open data's documents.csv holds such rows and must import again.
    body = body or ""
    url = _text(fields, "url")
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RowError(f"url {url!r} is not an absolute http(s) URL")
    date = _text(fields, "date")
    language = _text(fields, "language")
    if language is not None and not _LANGUAGE.match(language):
        raise RowError(f"language {language!r} is not a language tag such as 'sv'")
    extra = {
        key: value
        for key, value in fields.items()
        if key not in (*FIELDS, ROW_KIND, ROW_PARTY) and value not in ("", None)
    }
    kind = _text(fields, ROW_KIND)
    if kind is not None:
        if kind.lower() not in {k.value for k in SourceKind}:
            raise RowError(f"kind {kind!r} is not one of {_KINDS}")
        extra[ROW_KIND] = kind.lower()
    party = _text(fields, ROW_PARTY)
    if party is not None:
        extra[ROW_PARTY] = " ".join(party.split())
    assert title is not None and body is not None
    return ParsedDocument(
        title=" ".join(title.split()),  # a title is one line
        body=body,
        item_key=_text(fields, "id") or str(row_number),
        url=url,
        date=dated(date, _text(fields, "date_precision"), _text(fields, "date_provenance")),
        category=_text(fields, "category"),
        language=language.lower() if language else None,
        truncated=ends_cut(body),
        extra=extra,
    )


def row_kind_and_party(doc: ParsedDocument) -> tuple[ParsedDocument, SourceKind | None, str | None]:
    """The document of a row without the kind and party its row gave, and those two (None when
    the row gave none)."""
    kind, party = doc.extra.get(ROW_KIND), doc.extra.get(ROW_PARTY)
    if kind is None and party is None:
        return doc, None, None
    extra = {k: v for k, v in doc.extra.items() if k not in (ROW_KIND, ROW_PARTY)}
    return (
        replace(doc, extra=extra),
        None if kind is None else SourceKind(str(kind)),
        " ".join(str(party or "").split()) or None,  # cleaned of control characters: maybe none
    )


Row = tuple[int, str, Mapping[str, Any]]  # number, where it is ("" or " (line 7)"), fields


def rows_to_documents(rows: Iterable[Row], origin: str) -> list[ParsedDocument]:
    """All rows as documents, or a ParseError naming the input and the first broken row."""
    docs: list[ParsedDocument] = []
    seen: dict[str, int] = {}
    for number, where, fields in rows:
        try:
            doc = row_to_document(fields, number)
        except RowError as exc:
            raise ParseError(origin, f"row {number}{where}: {exc}") from None
        if doc.item_key in seen:
            raise ParseError(
                origin, f"row {number}{where}: id {doc.item_key!r} repeats row {seen[doc.item_key]}"
            )
        seen[doc.item_key] = number
        docs.append(doc)
    if not docs:
        raise ParseError(origin, "no documents: the input holds no rows")
    return docs


# -- CSV --------------------------------------------------------------------------------------


def _header_fields(line: str, delimiter: str) -> list[str]:
    try:
        row = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []
    return [name.strip().lstrip("\ufeff").lower() for name in row]


def csv_delimiter(text: str) -> str | None:
    """The delimiter whose header row names both title and body, or None."""
    start = 0
    while text.startswith("\ufeff", start):
        start += 1
    end = text.find("\n", start)  # the first line only: no copy of the rest of a 50 MB input
    first = text[start : end if end >= 0 else len(text)].rstrip("\r")
    for delimiter in _DELIMITERS:
        names = _header_fields(first, delimiter)
        if all(name in names for name in REQUIRED):
            return delimiter
    return None


def _csv_fields(header: list[str], cells: list[str]) -> dict[str, str]:
    """Cells by column name; an unnamed column (a trailing delimiter) must stay empty."""
    if len(cells) != len(header):
        raise RowError(f"{len(cells)} cells, the header has {len(header)}")
    fields = {}
    for index, (name, cell) in enumerate(zip(header, cells, strict=True), start=1):
        if name:
            fields[name] = cell
        elif cell.strip():
            raise RowError(f"a value in column {index}, which the header leaves unnamed")
    return fields


def parse_csv(text: str, origin: str) -> list[ParsedDocument]:
    delimiter = csv_delimiter(text)
    if delimiter is None:
        first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")[:200]
        raise ParseError(
            origin, f"the first row must be a header naming 'title' and 'body' (it is {first!r})"
        )
    # Bodies can be long; the default cap (128 KiB a field) is for guarding, not for documents.
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    reader = csv.reader(
        io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter, strict=True
    )
    rows: list[Row] = []
    header: list[str] = []
    try:
        header = [name.strip().lower() for name in next(reader)]
        named = [name for name in header if name]
        duplicates = sorted({name for name in named if named.count(name) > 1})
        if duplicates:
            raise ParseError(origin, f"the header repeats column(s) {', '.join(duplicates)}")
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines hold no row
            number, where = len(rows) + 1, f" (line {reader.line_num})"
            try:
                rows.append((number, where, _csv_fields(header, cells)))
            except RowError as exc:
                raise ParseError(origin, f"row {number}{where}: {exc}") from None
    except csv.Error as exc:
        where = f"row {len(rows) + 1}" if header else "the header"
        raise ParseError(origin, f"{where} (line {reader.line_num}): broken CSV: {exc}") from None
    return rows_to_documents(rows, origin)


class CsvImportReader:
    name = "csv-import"
    version = "1"
    binary = False
    ceiling = 0.9  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        if text is None:
            return 0.0
        if csv_delimiter(text):
            return 0.9
        # A file that says it is CSV but lacks the columns: this reader names what is missing,
        # rather than the whole table being stored as one plain-text document.
        return 0.5 if _declared(raw, "csv") else 0.0

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        if text is None:
            raise ParseError(raw.origin, "CSV import needs text, got binary data")
        return parse_csv(text, raw.origin)


# -- JSON -------------------------------------------------------------------------------------


def _declared(raw: RawInput, kind: str) -> bool:
    """Whether the input's media type (from its name or the server) says `kind` (csv, json)."""
    media = (raw.media_type or "").split(";")[0].strip().lower()
    return media in (f"text/{kind}", f"application/{kind}") or media.endswith(f"+{kind}")


def _load_json(text: str, origin: str) -> Any:
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        # json's message ends where its own position was: "Unterminated string starting at"
        message = exc.msg.removesuffix(" starting at")
        raise ParseError(origin, f"broken JSON at {where}: {message}") from None
    except RecursionError:
        raise ParseError(origin, "broken JSON: nested too deeply") from None
    except ValueError:  # Python refuses to convert an integer this long (a CPU sink)
        limit = sys.get_int_max_str_digits()
        raise ParseError(origin, f"broken JSON: a number with more than {limit:,} digits") from None
    if _nests_deeper(data, MAX_JSON_DEPTH):
        # Every later step (cleaning, storing `extra` as JSON) walks values by recursion.
        raise ParseError(origin, f"broken JSON: nested more than {MAX_JSON_DEPTH} levels deep")
    return data


MAX_JSON_DEPTH = 64  # lists and objects within each other: a document, its fields, their parts


def _nests_deeper(data: Any, limit: int) -> bool:
    """Whether lists and objects in `data` nest more than `limit` levels (walked iteratively)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


_JSON_NAMES = {
    dict: "an object",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
}


def _document_list(data: Any, origin: str) -> list[Any]:
    """The list of document objects: the top level, or its "documents" key."""
    if isinstance(data, dict) and "documents" in data:
        data = data["documents"]
    if not isinstance(data, list):
        got = "null" if data is None else _JSON_NAMES.get(type(data), type(data).__name__)
        raise ParseError(
            origin, f'expected a list of documents or {{"documents": [...]}}, got {got}'
        )
    return data


def parse_json(text: str, origin: str) -> list[ParsedDocument]:
    items = _document_list(_load_json(text, origin), origin)
    rows: list[Row] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ParseError(origin, f"row {number}: expected an object, got {type(item).__name__}")
        rows.append((number, "", item))
    return rows_to_documents(rows, origin)


def _looks_like_documents(text: str) -> bool:
    body = text.lstrip("\ufeff \t\n\r")
    if not body.startswith(("[", "{")):
        return False  # skip the JSON parser for everything else
    if len(body) > _SNIFF_PARSE_LIMIT:
        # Parsing a big input twice costs more than a wrong guess: parse() reports broken JSON.
        head = body[:65536]
        return ('"documents"' in head or body.startswith("[")) and all(
            f'"{key}"' in head for key in REQUIRED
        )
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return False
    if isinstance(data, dict):
        return isinstance(data.get("documents"), list)
    return (
        bool(data)
        and isinstance(data, list)
        and isinstance(data[0], dict)
        and (all(key in data[0] for key in REQUIRED))
    )


class JsonImportReader:
    name = "json-import"
    version = "1"
    binary = False
    ceiling = 0.9  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        if text is None:
            return 0.0
        if _looks_like_documents(text):
            return 0.9
        # Declared JSON that is broken or of another shape (also a bare string, number or null:
        # QA found `null` stored as a news item) is named as such, not stored as text.
        return 0.5 if _declared(raw, "json") else 0.0

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        if text is None:
            raise ParseError(raw.origin, "JSON import needs text, got binary data")
        return parse_json(text, raw.origin)


CSV_IMPORT = CsvImportReader()
JSON_IMPORT = JsonImportReader()
IMPORT_READERS = frozenset({CSV_IMPORT.name, JSON_IMPORT.name})  # whose rows give kind and party
