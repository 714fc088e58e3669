"""JSON Schemas of the `/api/v1` answers, for its OpenAPI document (OpenAPI 3.1, whose schemas
are JSON Schema 2020-12: `"type": ["string", "null"]` is a nullable string).

`SCHEMAS` are the components; `describe_answers` puts them in the spec and points each route's
200 answer at its schema. A record lists every field it sends, all `required`. The served
records leave `additionalProperties` out: within version 1 fields may be added (docs/api.md),
and a client validating against a saved copy must not break on them. The test
(tests/web/test_api_v1_schemas.py) closes every record before validating real answers, so a
field sent and not described here (or described and not sent) fails it. Open objects (a
pledge's `attributes`, an evidence item's `checks`) say `additionalProperties: true`.
"""

from __future__ import annotations

import copy
from typing import Any

from ..model import (
    DatePrecision,
    DateProvenance,
    PledgeState,
    ReviewState,
    SourceKind,
    Stance,
    VerdictStatus,
)
from ..publish.catalog import MAX_PER_PAGE
from ..publish.meter import STATUS_ORDER
from ..publish.pages import DOCUMENT_MARKS_SHOWN

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _typed(kind: str, description: str | None = None, *, null: bool = False) -> Schema:
    schema: Schema = {"type": [kind, "null"] if null else kind}
    if description:
        schema["description"] = description
    return schema


def _string(description: str | None = None, *, null: bool = False) -> Schema:
    return _typed("string", description, null=null)


def _integer(
    description: str | None = None, *, null: bool = False, low: int | None = None
) -> Schema:
    schema = _typed("integer", description, null=null)
    if low is not None:
        schema["minimum"] = low
    return schema


def _boolean(description: str | None = None) -> Schema:
    return _typed("boolean", description)


def _number(description: str | None = None) -> Schema:
    return _typed("number", description)


def _enum(values: list[str], description: str | None = None, *, null: bool = False) -> Schema:
    schema: Schema = {"type": ["string", "null"] if null else "string"}
    schema["enum"] = [*values, None] if null else list(values)
    if description:
        schema["description"] = description
    return schema


def _day(description: str | None = None, *, null: bool = False) -> Schema:
    """A day, `YYYY-MM-DD`."""
    return _string(description, null=null) | {"format": "date"}


# A stored time: UTC, ISO 8601 without an offset (docs/api.md, "Times").
_MOMENT = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$"


def _moment(description: str | None = None, *, null: bool = False) -> Schema:
    said = "UTC, ISO 8601 without an offset" + (f": {description}" if description else "")
    return _string(said, null=null) | {"pattern": _MOMENT}


def _nullable(name: str, description: str | None = None) -> Schema:
    schema: Schema = {"anyOf": [_ref(name), {"type": "null"}]}
    if description:
        schema["description"] = description
    return schema


def _described(name: str, description: str) -> Schema:
    return _ref(name) | {"description": description}


def _list(items: Schema, description: str | None = None) -> Schema:
    schema: Schema = {"type": "array", "items": items}
    if description:
        schema["description"] = description
    return schema


def _record(description: str, properties: dict[str, Schema]) -> Schema:
    """An object of these fields, every one sent (null where its type allows it); fields added
    within version 1 are allowed (no `additionalProperties`: see the module's docstring)."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
    }


def _page(name: str, what: str) -> Schema:
    """The envelope of a page of `name` records (api_v1: `catalog.Page.envelope`)."""
    return _record(
        f"A page of {what}; the Link header names the first, last, previous and next pages.",
        {
            "items": _list(_ref(name), "This page's records (none past the last page)."),
            "page": _integer("The page number, from 1.", low=1),
            "per_page": _integer(f"Records per page, 1 to {MAX_PER_PAGE}.", low=1)
            | {"maximum": MAX_PER_PAGE},
            "total": _integer("Records on all pages together.", low=0),
            "pages": _integer("How many pages there are (1 when there are no records).", low=1),
        },
    )


_STATUSES = [s.value for s in VerdictStatus]
_STATUS = _enum(
    _STATUSES,
    "The current published verdict; `not_rated` where none is published.",
)
_TIMES = {
    "created_at": _moment("when the record was made"),
    "modified_at": _moment("when the record last changed"),
}
_ARCHIVE = {
    "archived_copy": _string(
        "Path of the archived copy of the response the document was read from "
        "(`/trackers/{slug}/archive/{id}`); null when it was not fetched from a URL.",
        null=True,
    ),
    "archived_at": _string("When that copy was fetched: UTC, RFC 3339 with `Z`.", null=True)
    | {"format": "date-time"},
}

_TRACKER: dict[str, Schema] = {
    "id": _integer(),
    "slug": _string("Its name in addresses and the `tracker` filter."),
    "name": _string(),
    "jurisdiction": _string("The municipality, region or parliament tracked.", null=True),
    "actors": _list(_string(), "The parties the tracker follows (a coalition's members)."),
    "term_start": _day(null=True),
    "term_end": _day(null=True),
    "description": _string(null=True),
    "published_at": _moment("when an editor published the tracker"),
    "show_candidates": _boolean(
        "Its pages and lists also show (and its meter counts) pledges no editor has confirmed "
        "yet, with `state` `candidate`."
    ),
    "archived_at": _moment("when the tracker was archived (a past term); null: active", null=True),
    "methodology": _string("Its method page's text; null: the default text.", null=True),
    **_TIMES,
}

_PLEDGE: dict[str, Schema] = {
    "id": _integer(),
    "tracker_id": _integer(),
    "document_id": _integer("The document it was found in (its program)."),
    "parent_id": _integer(
        "The group (a list item split into parts) this pledge is part of, where the group "
        "has a public page; else null.",
        null=True,
    ),
    "span": _described(
        "Span", "Where `quote` stands in the document's `body` (characters, end excluded)."
    ),
    "quote": _string("The pledge verbatim, as in the document."),
    "area": _string("The policy area, as printed.", null=True),
    "topic": _string(null=True),
    "attributes": {
        "type": "object",
        "additionalProperties": True,
        "description": "What the extractor read from the text (such as `type`, `checkable`, "
        "`deadline_year`, `deadline`); open: keys may be added.",
    },
    "confidence": _number("The extractor's confidence, 0 to 1."),
    "state": _enum(
        [s.value for s in PledgeState],
        "`confirmed` by an editor, or an unreviewed `candidate` (shown where the tracker's "
        "`show_candidates` is true); `rejected` only on the page of a pledge the public saw "
        "before it was removed (or merged into another).",
    ),
    "version": _integer("Raised by every edit.", low=1),
    "party": _string("The party whose program the pledge comes from.", null=True),
    "deadline": _day("The deadline an editor set; null: none set.", null=True),
    "provenance": _described("Provenance", "The extraction stage and its version."),
    **_TIMES,
}

_DEADLINE: dict[str, Schema] = {
    "deadline": _day(
        "The day the pledge is due: an editor's deadline, else the one its own text sets: the "
        "end of the year it names, or the end of the term when its words name the term (the "
        "tracker's term end when set, else 30 September of the election year); "
        "`deadline_source` says which. null: none.",
        null=True,
    ),
    "deadline_source": _enum(
        ["editor", "text", "term"],
        "Where `deadline` comes from: `editor`, `text` (a year the text names) or `term` (the "
        "text names the term, and the tracker's term end dates it).",
        null=True,
    ),
    "deadline_passed": _boolean("The deadline has passed and no verdict is published yet."),
}

_DOCUMENT: dict[str, Schema] = {
    "id": _integer(),
    "tracker_id": _integer(),
    "source_id": _integer("The source it was filed under, if any.", null=True),
    "kind": _enum([k.value for k in SourceKind]),
    "title": _string(),
    "body": _string("The document's text (the offsets of spans count its characters)."),
    "url": _string("The document's own web address, if it has one.", null=True),
    "origin": _string(
        "The web address the raw input was read from; null for a local file.", null=True
    ),
    "item_key": _string("Tells apart the items read from one input (a listing page)."),
    "category": _string(null=True),
    "date": _nullable("DateValue", "Its publication date; null: unknown."),
    "language": _string(null=True),
    "truncated": _boolean("The text is cut off in the source (an excerpt)."),
    "content_hash": _string("A hash of the normalised text: duplicates share it."),
    "raw_sha256": _string("SHA-256 of the raw input bytes."),
    "duplicate_of": _integer("The document this one duplicates, if any.", null=True),
    "party": _string("A program's party (one of the tracker's actors).", null=True),
    "provenance": _described("Provenance", "The reader (parse stage) and its version."),
    **_TIMES,
}
_DOCUMENT_SUMMARY = {k: v for k, v in _DOCUMENT.items() if k != "body"}

_COUNTS = _record(
    "Pledges per status, every status present (0 included).",
    {s.value: _integer(low=0) for s in STATUS_ORDER},
)

_VERDICT_AS_OF = _nullable(
    "AsOf",
    "When the rated thing happened (a decision, a budget), at its precision; null: not given.",
)
# a correction: a later published verdict about the same moment of the same pledge replaces
# an earlier one under the current-status rule (store/verdicts.corrections)
_CORRECTION = {
    "corrects": _integer(
        "The published verdict this one corrects: it is about the same moment of the same "
        "pledge and was recorded after it; null: it corrects none.",
        null=True,
    ),
    "corrected_by": _integer(
        "The published verdict that corrected this one; null: it stands.", null=True
    ),
}

SCHEMAS: dict[str, Schema] = {
    "Span": _record(
        "A span of a document's text: character offsets, `end` excluded.",
        {"start": _integer(low=0), "end": _integer(low=0)},
    ),
    "Provenance": _record(
        "Which pipeline stage made the record, and its version.",
        {"stage": _string(), "version": _string()},
    ),
    "DateValue": _record(
        "A document's date: the first day of the period it names, how exact it is and where "
        "it came from.",
        {
            "value": _day("The first day of the period (a month, a season, a year)."),
            "precision": _enum([p.value for p in DatePrecision]),
            "provenance": _enum(
                [p.value for p in DateProvenance],
                "`explicit`: a feed's or a page's publication date, or an editor's; "
                "`metadata`: the day a file's metadata says it was made (a PDF's "
                "CreationDate); `inferred`: read from the text; `path`: the folders the file "
                'was filed under; `dateline`: the day opening the text ("Stockholm 2 november '
                '2026 – …").',
            ),
            "confidence": _number("0 to 1."),
        },
    ),
    "AsOf": _record(
        "A day with its precision (`{value: 2024-11-01, precision: month}` is November 2024).",
        {"value": _day(), "precision": _enum([p.value for p in DatePrecision])},
    ),
    "Tracker": _record("Who is tracked where and over which term.", _TRACKER),
    "Pledge": _record("A pledge's record, as the CLI and the open data give it.", _PLEDGE),
    "PledgeListItem": _record(
        "A counted pledge with its current status and deadline.",
        _PLEDGE | {"status": _STATUS} | _DEADLINE,
    ),
    "Document": _record("A document with its text.", _DOCUMENT),
    "DocumentSummary": _record("A document's record without its text.", _DOCUMENT_SUMMARY),
    "PledgeSource": _record(
        "The document a pledge was found in, without its text.",
        _DOCUMENT_SUMMARY
        | {"source_name": _string("The name of its source, if any.", null=True)}
        | _ARCHIVE,
    ),
    "TextPiece": _record(
        "A piece of text: `mark` where it is within the quote or passage shown, `term` where "
        "it is a matched word.",
        {"text": _string(), "mark": _boolean(), "term": _boolean()},
    ),
    "InContext": _record(
        "A quote or passage within the text around it, in pieces.",
        {
            "pieces": _list(_ref("TextPiece")),
            "cut_before": _boolean("Text before the first piece is left out."),
            "cut_after": _boolean("Text after the last piece is left out."),
        },
    ),
    "MarkedPiece": _record(
        "A piece of a document's text and the pledges marked on it.",
        {
            "text": _string(),
            "labels": _list(_integer(), "The ids of the pledges whose quote covers the piece."),
            "anchors": _list(_integer(), "The ids of the pledges whose quote starts here."),
        },
    ),
    "Checks": {
        "type": "object",
        "additionalProperties": True,
        "description": "The linker's checks of the document (empty where it made none); "
        "open: keys may be added.",
        "properties": {
            "date_ok": _typed("boolean", "Published after the program; null: unknown.", null=True),
            "in_term": _typed("boolean", "Published within the term; null: unknown.", null=True),
            "jurisdiction": _string("`own`, `other`, `both` or `unknown` (no place named)."),
            "actor": _boolean("One of the tracker's actors is named."),
            "weight": _number("What the checks multiply the score by."),
        },
    },
    "Evidence": _record(
        "A document passage an editor accepted as evidence for the pledge.",
        {
            "id": _integer(),
            "pledge_id": _integer(),
            "document_id": _integer(),
            "span": _described("Span", "The part of the document linked."),
            "score": _number("The linker's score (higher: a closer match)."),
            "stance": _enum(
                [s.value for s in Stance],
                "What the passage says of the pledge, as the linker read it: an editor accepts "
                "the evidence, not this reading, and the public pages do not show it.",
            ),
            "review_state": _enum([s.value for s in ReviewState], "Always `accepted` here."),
            "provenance": _described("Provenance", "The linking stage and its version."),
            **_TIMES,
            "document": _ref("DocumentSummary"),
            "passage": _described("Span", "The passage that matched, within the document."),
            "matched_terms": _list(
                {
                    "type": "array",
                    "prefixItems": [_string(), _string()],
                    "minItems": 2,
                    "maxItems": 2,
                },
                "Each matched term as [words in the pledge, words in the document].",
            ),
            "checks": _ref("Checks"),
            "context": _described("InContext", "The passage marked in its document."),
            **_ARCHIVE,
        },
    ),
    "Verdict": _record(
        "A published verdict on the pledge.",
        {
            "id": _integer(),
            "pledge_id": _integer(),
            "status": _enum(_STATUSES),
            "rationale": _string("Why, in the editors' words."),
            "evidence_ids": _list(_integer(), "The evidence it rests on."),
            "published": _boolean("Always true here."),
            "as_of": _VERDICT_AS_OF,
            **_TIMES,
            "date": _moment("when it was published"),
            **_CORRECTION,
        },
    ),
    "PledgePart": _record(
        "A part of a group pledge (a list item split into several commitments).",
        {
            "id": _integer(),
            "quote": _string(),
            "state": _enum([s.value for s in PledgeState]),
        },
    ),
    "PledgeDetail": _record(
        "A pledge with its quote in context, status history and accepted evidence.",
        {
            "tracker": _ref("Tracker"),
            "pledge": _ref("Pledge"),
            "status": _STATUS,
            **_DEADLINE,
            "source": _described("PledgeSource", "The document the pledge was found in."),
            "context": _nullable(
                "InContext",
                "The quote marked in its document; null when the document's text has changed "
                "and no longer holds it (its attributes say `span_lost`).",
            ),
            "timeline": _list(_ref("Verdict"), "Published verdicts, the current one last."),
            "withdrawn_sources": _list(
                _integer(),
                "Evidence ids the timeline's verdicts cite that are no longer accepted "
                "(withdrawn in a store from before that was refused).",
            ),
            "evidence": _list(_ref("Evidence"), "Accepted evidence, best first (at most 200)."),
            "children": _list(_ref("PledgePart"), "Its parts, where it is a group."),
            "merged_into": _integer("The pledge this one was merged into, if it was.", null=True),
            "removed_at": _moment(
                "when the editors removed it from the meter (its last rejection); null: not "
                "removed, or removed before the log",
                null=True,
            ),
            "marked": _boolean("Its document's page marks it (a group's quote is not marked)."),
            "term_ended": _boolean("Its tracker's term is over: the term's end date has passed."),
            "open_at_term_end": _boolean(
                "The term is over and the pledge, checked itself (not a group, not removed), "
                "is still open: no verdict, or in the works, stalled or not rated."
            ),
            "changes": _list(
                _ref("PledgeChange"),
                "What editors changed of its quote, area, party, topic or deadline since its "
                "tracker was published, oldest first.",
            ),
        },
    ),
    "PledgeChange": _record(
        "A change of a public field of a pledge, with no editor's name.",
        {
            "date": _moment("when it was made"),
            "field": _enum(["quote", "area", "party", "topic", "deadline"]),
            "before": _string(
                "The value before (a deadline as YYYY-MM-DD: the one the pledge's page "
                "showed, an editor's or the text's or the term's); null: none, or, for a "
                "quote moved by an edit that did not record it, not known.",
                null=True,
            ),
            "after": _string("The value after; null as for `before`.", null=True),
        },
    ),
    "DocumentDetail": _record(
        "A document with its text and the pledges marked in it.",
        _DOCUMENT
        | {
            "source_name": _string("The name of its source, if any.", null=True),
            "tracker": _ref("Tracker"),
            "pledges": _list(
                _ref("PledgeListItem"),
                f"The public pledges found in it, in text order: the first {DOCUMENT_MARKS_SHOWN}.",
            ),
            "pledges_total": _integer("How many public pledges were found in it.", low=0),
            "evidence_for": _list(
                _ref("PledgeListItem"),
                "The public pledges it is accepted evidence for (at most 50).",
            ),
            "marked_body": _list(
                _ref("MarkedPiece"),
                "All of `body`, cut where the quotes of `pledges` start and end (but those "
                "of `unmarked`).",
            ),
            "unmarked": _list(
                _integer("A pledge id."),
                "Pledges of `pledges` not marked in the text: the document's text has changed "
                "and no longer holds their quotes.",
            ),
        }
        | _ARCHIVE,
    ),
    "Counts": _COUNTS,
    "AreaCount": _record(
        "The pledges of a policy area.",
        {
            "area": _string("null: pledges without an area (listed last).", null=True),
            "total": _integer(low=0),
            "counts": _ref("Counts"),
        },
    ),
    "TermPoint": _record(
        "The counts at a month's end of the term (the last point: the term's end or today).",
        {"date": _day(), "counts": _ref("Counts")},
    ),
    "PartyCount": _record(
        "The pledges of a party.",
        {
            "party": _string("null: pledges without a party.", null=True),
            "total": _integer(low=0),
            "unreviewed": _integer("How many of `total` no editor has confirmed.", low=0),
            "counts": _ref("Counts"),
        },
    ),
    "Meter": _record(
        "How many counted pledges stand at each status.",
        {
            "total": _integer("Counted pledges.", low=0),
            "unreviewed": _integer(
                "How many of `total` no editor has confirmed (0 unless the tracker shows "
                "candidates).",
                low=0,
            ),
            "counts": _ref("Counts"),
            "by_area": _list(_ref("AreaCount"), "Largest area first."),
            "over_term": _list(_ref("TermPoint"), "The counts over the term so far."),
        },
    ),
    "TrackerMeter": _record(
        "A tracker and its meter.",
        {
            "tracker": _ref("Tracker"),
            "documents": _integer("Its documents.", low=0),
            "statuses": _list(_enum(_STATUSES), "Every status, in the order pages show them."),
            "meter": _ref("Meter"),
            "by_party": _list(
                _ref("PartyCount"),
                "Per party, the tracker's actors first; empty when no pledge has a party and "
                "the tracker names no actors.",
            ),
            "updated": _day("The day of its last change; null: none recorded.", null=True),
            "term_ended": _boolean("Its term is over: the term's end date has passed."),
        },
    ),
    "VerdictChange": _record(
        "A published verdict with the pledge it rates.",
        {
            "verdict_id": _integer(),
            "pledge_id": _integer(),
            "status": _enum(_STATUSES),
            "rationale": _string("Why, in the editors' words."),
            "date": _moment("when it was published"),
            "as_of": _VERDICT_AS_OF,
            "quote": _string("The pledge's quote."),
            "area": _string("The pledge's policy area.", null=True),
            **_CORRECTION,
        },
    ),
    "TrackerPage": _page("Tracker", "trackers"),
    "PledgePage": _page("PledgeListItem", "pledges"),
    "DocumentPage": _page("Document", "documents"),
    "VerdictChangePage": _page("VerdictChange", "published verdicts"),
}

# Each route (under the prefix) -> the schema of its 200 answer and what that answer is.
ANSWERS: dict[str, tuple[str, str]] = {
    "/trackers": ("TrackerPage", "A page of published trackers, archived ones included."),
    "/trackers/{slug}": ("TrackerMeter", "The tracker and its meter."),
    "/pledges": ("PledgePage", "A page of counted pledges with their current status."),
    "/pledges/{pledge_id}": ("PledgeDetail", "The pledge, its history and evidence."),
    "/documents": ("DocumentPage", "A page of documents with their text."),
    "/documents/{document_id}": ("DocumentDetail", "The document and its pledges."),
    "/verdicts": ("VerdictChangePage", "A page of published verdicts, newest first."),
}


# What each query parameter means, and a schema finer than FastAPI's plain string where the
# route checks more (QA: no descriptions, no status values, no date format).
_DAY: Schema = {"type": ["string", "null"], "format": "date"}
PARAMETERS: dict[str, tuple[str, Schema | None]] = {
    "tracker": ("A tracker's slug.", None),
    "party": (
        "One of the trackers' actors, any case: the party whose program a pledge comes from; "
        "on trackers and documents, the trackers that follow it.",
        None,
    ),
    "area": ("A policy area, any case.", None),
    "status": (
        "A status: a pledge's current one (`not_rated`: no published verdict, or one that "
        "says not rated); on verdicts, the verdict's own.",
        {"type": ["string", "null"], "enum": [*_STATUSES, None]},
    ),
    "from": ("First day (YYYY-MM-DD), inclusive: the date the list is of.", _DAY),
    "to": ("Last day (YYYY-MM-DD), inclusive.", _DAY),
    "page": ("The page, from 1; past the last page: no items.", None),
    "per_page": (f"Records per page, at most {MAX_PER_PAGE}.", None),
    "slug": ("A tracker's slug.", None),
    "pledge_id": ("A pledge's id.", None),
    "document_id": ("A document's id.", None),
}
_HEADER = {"schema": {"type": "string"}}
_VALIDATORS = {
    "ETag": _HEADER | {"description": "A strong validator: a hash of the exact body."},
    "Last-Modified": _HEADER | {"description": "The newest change to the public data."},
}
_LINK = _HEADER | {"description": 'The first, last, previous and next pages (`rel="next"` …).'}


def describe_answers(spec: dict[str, Any], prefix: str) -> dict[str, Any]:
    """`spec` with `SCHEMAS` among its components, each route's 200 answer pointing at its
    schema with its headers, its 304 (If-None-Match, If-Modified-Since) and 503 answers, and
    its parameters described (a route not in `ANSWERS` keeps what FastAPI said)."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(copy.deepcopy(SCHEMAS))
    paths = spec.get("paths", {})
    for path, (name, said) in ANSWERS.items():
        operation = paths.get(prefix + path, {}).get("get")
        if operation is None:
            continue
        paged = name.endswith("Page")
        responses = operation.setdefault("responses", {})
        responses["200"] = {
            "description": said,
            "headers": copy.deepcopy(_VALIDATORS | ({"Link": _LINK} if paged else {})),
            "content": {"application/json": {"schema": _ref(name)}},
        }
        responses["304"] = {
            "description": "Not modified: the client's copy (If-None-Match, If-Modified-Since) "
            "is current.",
            "headers": copy.deepcopy(_VALIDATORS),
        }
        responses["503"] = {
            "description": "The database cannot be reached now: try again after Retry-After.",
            "headers": {"Retry-After": _HEADER | {"description": "Seconds to wait."}},
            "content": {"application/json": {"schema": _ref("Error")}},
        }
        for parameter in operation.get("parameters", []):
            described = PARAMETERS.get(parameter.get("name", ""))
            if described is None:
                continue
            parameter["description"], schema = described
            if schema is not None:
                parameter["schema"] = copy.deepcopy(schema)
    return spec
