"""Open data: the JSON export as CSV tables, a codebook and a Frictionless Data Package.

Everything here is a pure function of the JSON export (publish/export.py), so the three formats
can never disagree. The pledge columns follow the Comparative Party Pledges Project's coding
(pledge id, party, election, text, policy area, specificity, status, status date, sources),
then Löfte's own. The codebook (CODEBOOK) is the one description of every column: the CSV
header, `codebook.json`, `datapackage.json` and docs/codebook.md are all made from it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, ValidationError
from ..files import remove_quietly
from ..model import PledgeState, ReviewState
from ..store import pledges as pledge_store
from ..store import verdicts as verdict_store

DEFAULT_LICENSE = "CC-BY-4.0"
LICENSES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
}
FORMATS = ("json", "csv", "datapackage", "excel")
EXCEL = "excel"  # the csv tables in the flavour spreadsheets in Swedish open (`to_csv`)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: integer, number, string, boolean, date, datetime
    description: str
    cpp: str = ""  # the Comparative Party Pledges Project variable it codes, if any
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


_STATUS = "not_rated, in_the_works, stalled, partially_kept, kept, broken, not_checkable"

CODEBOOK: tuple[Table, ...] = (
    Table(
        "pledges",
        "One row per pledge an editor confirmed in a published tracker that the meter "
        "counts: a list item split into parts is counted through its parts, so its own row "
        "(the group) is left out, and the statuses tally to the meter's counts (with "
        "--include-unpublished: every pledge, groups, candidates and rejected ones too: see "
        "review_state).",
        (
            Column("pledge_id", "integer", "Löfte's id of the pledge.", "pledge id", True),
            Column(
                "party",
                "string",
                "The party that made the pledge (its program's party, or the one an editor "
                "set); when the pledge names none, the parties the tracker follows (its "
                "actors, joined with '; ').",
                "party",
            ),
            Column(
                "election",
                "integer",
                "Year of the election the pledge was made for: the year of "
                "its document's date, else the year the tracker's term starts.",
                "election",
            ),
            Column(
                "text", "string", "The pledge, verbatim from its document.", "pledge text", True
            ),
            Column(
                "policy_area",
                "string",
                "Policy area as printed in the program (its heading).",
                "policy area",
            ),
            Column(
                "specificity",
                "string",
                "narrow (the extractor rated the pledge specific, a "
                "testable commitment) or broad (vague); empty when not rated.",
                "specificity",
            ),
            Column(
                "status",
                "string",
                "Current status: the status of the published verdict about the latest moment (its "
                "as_of, else when it was recorded) "
                f"({_STATUS}); empty when no verdict is published.",
                "fulfilment status",
            ),
            Column("status_date", "date", "Day that verdict was published (UTC).", "status date"),
            Column(
                "sources",
                "string",
                "What the verdict rests on: the URL (else the title) of each "
                "document its evidence comes from, joined with ' | '.",
                "sources",
            ),
            Column(
                "tracker", "string", "Slug of the tracker the pledge belongs to.", required=True
            ),
            Column(
                "document_id", "integer", "The document the pledge is quoted from.", required=True
            ),
            Column(
                "span_start",
                "integer",
                "Character offset where the quote starts in the "
                "document's body (0-based, Unicode code points).",
                required=True,
            ),
            Column(
                "span_end",
                "integer",
                "Character offset where the quote ends (exclusive).",
                required=True,
            ),
            Column(
                "review_state",
                "string",
                "candidate (found by the extractor, not reviewed), "
                "confirmed or rejected by an editor (a pledge merged into another is rejected: "
                "see merged_into); always confirmed in the public tables.",
                required=True,
            ),
            Column(
                "extractor",
                "string",
                "The pipeline stage and version that produced the row (stage/version).",
                required=True,
            ),
            Column(
                "parent_id",
                "integer",
                "The pledge this one was split from, if any and if that one is in the table "
                "(a group is only with --include-unpublished).",
            ),
            Column(
                "merged_into",
                "integer",
                "For a pledge an editor merged with others into one: the pledge it was merged "
                "into (its review_state is rejected because of the merge, not on its merits). "
                "Only with --include-unpublished: the public tables hold no rejected pledge.",
            ),
            Column("topic", "string", "Löfte's topic label, if any."),
            Column("confidence", "number", "The extractor's confidence (0-1)."),
            Column("verdict_id", "integer", "The verdict that gives the status."),
            Column("deadline", "date", "The deadline an editor set, if any (export 1.4)."),
            Column(
                "deadline_text",
                "string",
                "The words of the first time limit the pledge's own text sets ('till 2030', "
                "'under mandatperioden', 'omgående'), as the extractor found them, whether or "
                "not they name a date; empty when the text sets none.",
            ),
            Column(
                "pages",
                "string",
                "The pages of a PDF program the quote stands on, counted from the file's "
                "first page as 1 (a PDF viewer's page number, not always the one printed on "
                "the page): '12', or '12-13' across a page break; empty for other documents "
                "and for pledges extracted before Löfte recorded pages.",
            ),
            # the extractor's reading of the text (pipeline/attributes.py), as the JSON export
            # has it: a researcher replicating a CPP coding had to parse the JSON for them
            Column(
                "commitment_type",
                "string",
                "action (the pledge commits to a policy act: 'Införa …', 'Vi ska sänka …') or "
                "outcome (to a state of the world: 'Personaltätheten ska öka'), as the "
                "extractor read the text; empty when it commits to neither or was not read.",
            ),
            Column(
                "quantity",
                "string",
                "The words of the first amount the pledge names with what it counts ('10 000 "
                "fler poliser', '25 procent'), as the extractor found them; years and time "
                "limits are not amounts; empty when there is none.",
            ),
            Column(
                "deadline_year",
                "integer",
                "The year deadline_text sets: an absolute year, or a relative limit read "
                "against the tracker's term ('under mandatperioden': the term's last year); "
                "empty when it sets none or no year.",
            ),
            Column(
                "conditional",
                "boolean",
                "Whether the extractor read the commitment as hanging on a condition ('om …, "
                "ska …', 'förutsatt att'); empty when the text was not read.",
            ),
            Column(
                "checkable",
                "boolean",
                "False when the extractor read the pledge as a vague aim with nothing to "
                "measure or do ('ett tryggare Stockholm'), else true; empty when the text was "
                "not read. A machine's reading: the verdict not_checkable is an editor's.",
            ),
        ),
        "pledge_id",
        (
            ("tracker", "trackers", "tracker"),
            ("document_id", "documents", "document_id"),
            ("parent_id", "pledges", "pledge_id"),
            ("merged_into", "pledges", "pledge_id"),
            ("verdict_id", "verdicts", "verdict_id"),
        ),
    ),
    Table(
        "evidence",
        "A link from a document span to a pledge, proposed by the linker and "
        "reviewed by an editor: the accepted links of the public pledges (with "
        "--include-unpublished: every link, suggested and rejected ones too).",
        (
            Column("evidence_id", "integer", "Löfte's id of the link.", required=True),
            Column("pledge_id", "integer", "The pledge.", required=True),
            Column("document_id", "integer", "The document the evidence is in.", required=True),
            Column(
                "span_start",
                "integer",
                "Start of the passage in the document's body.",
                required=True,
            ),
            Column("span_end", "integer", "End of the passage (exclusive).", required=True),
            Column("score", "number", "The linker's score.", required=True),
            Column(
                "stance",
                "string",
                "supports, partial, against or mentions: the linker's reading of the passage, "
                "not an editor's (an editor accepts the evidence, not this reading).",
                required=True,
            ),
            Column(
                "review_state",
                "string",
                "suggested, accepted or rejected; always accepted in the public tables.",
                required=True,
            ),
            Column(
                "linker",
                "string",
                "The stage and version that proposed it (stage/version).",
                required=True,
            ),
        ),
        "evidence_id",
        (("pledge_id", "pledges", "pledge_id"), ("document_id", "documents", "document_id")),
    ),
    Table(
        "verdicts",
        "Every published rating of a public pledge, oldest first (append-only: a new "
        "verdict supersedes, never edits; with --include-unpublished also the drafts).",
        (
            Column("verdict_id", "integer", "Löfte's id of the verdict.", required=True),
            Column("pledge_id", "integer", "The pledge rated.", required=True),
            Column("status", "string", f"One of {_STATUS}.", required=True),
            Column(
                "date",
                "date",
                "The day the verdict was published (UTC): a draft's, when it was published.",
                required=True,
            ),
            Column("created_at", "datetime", "When the verdict was set (UTC).", required=True),
            Column("rationale", "string", "Why, in the editor's words."),
            Column(
                "evidence_ids",
                "string",
                "The evidence the verdict rests on that is in the evidence table, ids joined "
                "with ' '.",
            ),
            Column(
                "author",
                "string",
                "Username of the editor; empty in the public tables (the public pages name no "
                "editor) and when the account is gone.",
            ),
            Column(
                "published",
                "boolean",
                "Whether the verdict is public (only published verdicts give a status); "
                "always true in the public tables.",
                required=True,
            ),
            Column(
                "as_of",
                "date",
                "When the rated thing happened (a decision, a budget), as the first day of the "
                "period as_of_precision names; empty when the editor gave none. The meter's "
                "timeline counts a verdict from this day (from the middle of a month, season "
                "or year, never after created_at), else from created_at.",
            ),
            Column(
                "as_of_precision",
                "string",
                "day, month, season or year; empty without as_of.",
            ),
        ),
        "verdict_id",
        (("pledge_id", "pledges", "pledge_id"),),
    ),
    Table(
        "documents",
        "One text as ingested: a program, a news item, a decision; those of the published "
        "trackers (with --include-unpublished: of every tracker).",
        (
            Column("document_id", "integer", "Löfte's id of the document.", required=True),
            Column("tracker", "string", "Slug of its tracker.", required=True),
            Column("source", "string", "Name of its source (feed, site, program series)."),
            Column("kind", "string", "program, news, decision, budget or other.", required=True),
            Column(
                "party",
                "string",
                "The party whose program it is, when one was named (`lofte ingest --party`); "
                "its pledges are that party's.",
            ),
            Column("title", "string", "Title.", required=True),
            Column("date", "date", "First day of the period its date names."),
            Column("date_precision", "string", "day, month, season or year."),
            Column(
                "date_provenance",
                "string",
                "Where the date comes from: explicit (the publication date a feed or a page "
                "states, or given at ingest), metadata (the day a file's metadata says it was "
                "made, a PDF's CreationDate: a file made again later has a later day; a "
                "document ingested before export 1.6 has explicit there), path (the folders the "
                "file was filed under), dateline (the day opening the text) or "
                "inferred (read from the text: a guess, which may be a date the text names for "
                "something else).",
            ),
            Column("url", "string", "Where it was published, if known."),
            Column(
                "origin",
                "string",
                "The URL it was read from; empty for a local file (its path is not published).",
            ),
            Column("language", "string", "Language code."),
            Column("content_hash", "string", "SHA-256 of the normalized text.", required=True),
            Column("duplicate_of", "integer", "The earlier document this one repeats, if any."),
            Column(
                "parser",
                "string",
                "The reader and version that parsed it (stage/version).",
                required=True,
            ),
            Column(
                "body",
                "string",
                "The full text; spans are offsets into it. Empty for an item its source gave "
                "only a title (a feed of headlines).",
            ),
        ),
        "document_id",
        (("duplicate_of", "documents", "document_id"), ("tracker", "trackers", "tracker")),
    ),
    Table(
        "trackers",
        "One row per published tracker (with --include-unpublished: every tracker): who is "
        "followed, where and over which term; the other tables name it by its slug.",
        (
            Column(
                "tracker",
                "string",
                "Slug of the tracker (its address, /trackers/SLUG).",
                required=True,
            ),
            Column("name", "string", "The tracker's name.", required=True),
            Column(
                "jurisdiction",
                "string",
                "Where it follows them (a municipality, a region); empty for the country.",
            ),
            Column("parties", "string", "The parties it follows (its actors), joined with '; '."),
            Column("term_start", "date", "First day of the term it follows."),
            Column("term_end", "date", "Last day of that term."),
            Column("published", "date", "Day it was published (UTC); empty for a draft."),
            Column("archived", "date", "Day it was archived, if it was (it stays public)."),
        ),
        "tracker",
    ),
)

TABLES = {t.name: t for t in CODEBOOK}

INTERNAL_TITLE = "INTERNAL, NOT FOR PUBLICATION"
# In every folder or zip of everything, beside the tables: the CSV and Excel flavours have no
# datapackage.json to say so, and a folder passed on looked like the public one (QA).
INTERNAL_FILE = "INTERNAL-NOT-FOR-PUBLICATION.txt"
DATAPACKAGE_FILE = "datapackage.json"
PACKAGE_NAMES = ("lofte-pledges", "lofte-pledges-internal")  # the public one, the internal one
# Names a folder of tables must not have: they read as one file of that kind
FILE_SUFFIXES = frozenset({".csv", ".xlsx", ".xls", ".json", ".txt", ".ods"})
INTERNAL_TEXT = (
    f"{INTERNAL_TITLE}\n\nMade with `lofte export --include-unpublished`: these tables hold "
    "unpublished trackers, draft verdicts with their rationales and authors, candidate and "
    "rejected pledges and unreviewed or rejected evidence. Publish the export made without "
    "that option.\n"
)


def public_content(export: dict[str, Any]) -> dict[str, Any]:
    """Of a JSON export (which holds everything: it is the transfer format of `lofte import`),
    the part that is public, as a new export of the same shape (pure). The CSV tables and the
    Data Package are made from it unless `--include-unpublished` asks for everything.

    - trackers: the published ones, by the rule of the public pages (`visibility.is_public`:
      an editor published it; an archived one stays public), with their sources;
    - documents: those of a public tracker;
    - pledges: those of a public tracker an editor confirmed (never a candidate, not even
      where a tracker shows candidates on its pages, nor a rejected one) that the meter
      counts (`store.pledges.checkable_ids`: a list item split into live parts is counted
      through its parts, as on the public lists, in the API and the final account), so the
      table's statuses tally to the meter; a part whose group is not in the table has no
      `parent_id`;
    - evidence: links an editor accepted, to a public pledge, in a public document;
    - verdicts: the published verdicts of the public pledges (so a pledge's status is its
      published verdict about the latest moment, as everywhere), naming only the evidence in
      the table and no author (the public pages name no editor).
    """
    trackers = [t for t in export["trackers"] if t.get("published_at") is not None]
    tracker_ids = {t["id"] for t in trackers}
    documents = [d for d in export["documents"] if d["tracker_id"] in tracker_ids]
    document_ids = {d["id"] for d in documents}
    counted = pledge_store.checkable_ids(
        (p["id"], p["parent_id"], p["state"]) for p in export["pledges"]
    )
    pledges = [
        p
        for p in export["pledges"]
        if p["tracker_id"] in tracker_ids
        and p["state"] == PledgeState.CONFIRMED.value
        and p["id"] in counted
        and p["document_id"] in document_ids
    ]
    pledge_ids = {p["id"] for p in pledges}
    evidence = [
        e
        for e in export["evidence"]
        if e["review_state"] == ReviewState.ACCEPTED.value
        and e["pledge_id"] in pledge_ids
        and e["document_id"] in document_ids
    ]
    evidence_ids = {e["id"] for e in evidence}
    verdicts = [
        v | {"evidence_ids": [i for i in v["evidence_ids"] if i in evidence_ids], "author": None}
        for v in export["verdicts"]
        if v["published"] and v["pledge_id"] in pledge_ids
    ]
    return export | {
        "trackers": trackers,
        "sources": [s for s in export["sources"] if s["tracker_id"] in tracker_ids],
        "documents": _originals_within(documents),
        "pledges": [
            p if p["parent_id"] in pledge_ids or p["parent_id"] is None else p | {"parent_id": None}
            for p in pledges
        ],
        "evidence": evidence,
        "verdicts": verdicts,
    }


def _originals_within(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents, a copy whose original is not among them naming none."""
    ids = {d["id"] for d in documents}
    return [
        d if d["duplicate_of"] in ids or d["duplicate_of"] is None else d | {"duplicate_of": None}
        for d in documents
    ]


def of_tracker(
    export: dict[str, Any], slug: str, *, include_unpublished: bool = False
) -> dict[str, Any]:
    """Of a JSON export, one tracker's part, as an export of the same shape (pure): for the
    open data of one term (QA: at the term's end a researcher got every tracker mixed). A
    duplicate's original in another tracker is not named. NotFoundError for no such tracker;
    a ValidationError for a draft unless `include_unpublished` (its public tables would be
    empty: review)."""
    trackers = [t for t in export["trackers"] if t["slug"] == slug]
    if not trackers:
        raise NotFoundError(f"no tracker named {slug!r}")
    if trackers[0].get("published_at") is None and not include_unpublished:
        raise ValidationError(
            f"tracker {slug!r} is a draft (not published): it has no public content to export; "
            "publish it, or add --include-unpublished for internal research"
        )
    tracker_id = trackers[0]["id"]
    documents = [d for d in export["documents"] if d["tracker_id"] == tracker_id]
    pledges = [p for p in export["pledges"] if p["tracker_id"] == tracker_id]
    pledge_ids = {p["id"] for p in pledges}
    return export | {
        "trackers": trackers,
        "sources": [s for s in export["sources"] if s["tracker_id"] == tracker_id],
        "documents": _originals_within(documents),
        "pledges": pledges,
        "evidence": [e for e in export["evidence"] if e["pledge_id"] in pledge_ids],
        "verdicts": [v for v in export["verdicts"] if v["pledge_id"] in pledge_ids],
    }


def current_verdicts(verdicts: Iterable[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The verdict that is each pledge's current status, by the store's one rule
    (`store.verdicts.current_verdict_ids`: the published one about the latest moment)."""
    by_id = {v["id"]: v for v in verdicts}
    ids = verdict_store.current_verdict_ids(
        (v["id"], v["pledge_id"], bool(v["published"]), _moment(v)) for v in by_id.values()
    )
    return {pledge_id: by_id[verdict_id] for pledge_id, verdict_id in ids.items()}


def _moment(verdict: dict[str, Any]) -> dt.datetime:
    """`store.verdicts.status_moment` of an exported verdict (naive UTC, as stored)."""
    as_of = (verdict.get("as_of") or {}).get("value")
    created = dt.datetime.fromisoformat(verdict["created_at"])
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    return verdict_store.status_moment(
        None if as_of is None else dt.date.fromisoformat(as_of), created
    )


def _published(verdict: dict[str, Any]) -> str:
    """When a verdict became public: publishing a draft sets `modified_at` (store.verdicts),
    the day the API and the meter give it too (QA: the CSV gave a draft's recording)."""
    value: str = verdict.get("modified_at") or verdict["created_at"]
    return value


def _day(stamp: str | None) -> str | None:
    return None if stamp is None else stamp[:10]


def _year(value: str | None) -> int | None:
    return None if not value else int(value[:4])


def _produced_by(record: dict[str, Any]) -> str:
    return f"{record['provenance']['stage']}/{record['provenance']['version']}"


def _specificity(attributes: dict[str, Any]) -> str | None:
    return {"specific": "narrow", "vague": "broad"}.get(str(attributes.get("precision")))


def _text_attribute(attributes: dict[str, Any], name: str) -> str | None:
    value = attributes.get(name)
    return value if isinstance(value, str) and value.strip() else None


def _read_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """The extractor's reading of a pledge's text, each value only when it has the type the
    codebook says (an older store's attributes may lack them)."""
    kind = attributes.get("type")
    year = attributes.get("deadline_year")
    return {
        "commitment_type": kind if kind in ("action", "outcome") else None,
        "quantity": _text_attribute(attributes, "quantity"),
        "deadline_year": year if isinstance(year, int) and not isinstance(year, bool) else None,
        "conditional": _flag(attributes.get("conditional")),
        "checkable": _flag(attributes.get("checkable")),
    }


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _merged_into(pledge: dict[str, Any], pledge_ids: set[int]) -> int | None:
    """The pledge a merge took `pledge` into (`review.pledges.merge` rejects the merged ones and
    records `merged_into` in their attributes), while the merge stands: the pledge is still
    rejected (confirmed again once the merged pledge was rejected, it is a pledge of its own)
    and the merged pledge is in the table."""
    if pledge["state"] != PledgeState.REJECTED.value:
        return None
    target = (pledge["attributes"] or {}).get("merged_into")
    if isinstance(target, bool) or not isinstance(target, int):
        return None
    return target if target in pledge_ids else None


def tables(export: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table of the codebook, from a JSON export (pure)."""
    trackers = {t["id"]: t for t in export["trackers"]}
    sources = {s["id"]: s for s in export["sources"]}
    documents = {d["id"]: d for d in export["documents"]}
    evidence = {e["id"]: e for e in export["evidence"]}
    current = current_verdicts(export["verdicts"])
    pledge_ids = {p["id"] for p in export["pledges"]}

    def cited(verdict: dict[str, Any] | None) -> str | None:
        if verdict is None:
            return None
        docs = dict.fromkeys(
            evidence[i]["document_id"] for i in verdict["evidence_ids"] if i in evidence
        )
        return " | ".join(_cited_as(documents[d]) for d in docs) or None

    pledges = []
    for p in export["pledges"]:
        tracker, document, verdict = (
            trackers[p["tracker_id"]],
            documents[p["document_id"]],
            current.get(p["id"]),
        )
        pledges.append(
            {
                "pledge_id": p["id"],
                "party": p.get("party") or "; ".join(tracker["actors"]) or None,
                "election": _year((document["date"] or {}).get("value"))
                or _year(tracker["term_start"]),
                "text": p["quote"],
                "policy_area": p["area"],
                "specificity": _specificity(p["attributes"] or {}),
                "status": verdict["status"] if verdict else None,
                "status_date": _day(_published(verdict)) if verdict else None,
                "sources": cited(verdict),
                "tracker": tracker["slug"],
                "document_id": p["document_id"],
                "span_start": p["span"]["start"],
                "span_end": p["span"]["end"],
                "review_state": p["state"],
                "extractor": _produced_by(p),
                "parent_id": p["parent_id"],
                "merged_into": _merged_into(p, pledge_ids),
                "topic": p["topic"],
                "confidence": p["confidence"],
                "verdict_id": verdict["id"] if verdict else None,
                "deadline": p.get("deadline"),
                "deadline_text": _text_attribute(p["attributes"] or {}, "deadline"),
                "pages": _pages((p["attributes"] or {}).get("pages")),
                **_read_attributes(p["attributes"] or {}),
            }
        )
    return {
        "pledges": pledges,
        "evidence": [
            {
                "evidence_id": e["id"],
                "pledge_id": e["pledge_id"],
                "document_id": e["document_id"],
                "span_start": e["span"]["start"],
                "span_end": e["span"]["end"],
                "score": e["score"],
                "stance": e["stance"],
                "review_state": e["review_state"],
                "linker": _produced_by(e),
            }
            for e in export["evidence"]
        ],
        "verdicts": [
            {
                "verdict_id": v["id"],
                "pledge_id": v["pledge_id"],
                "status": v["status"],
                "date": _day(_published(v)),
                "created_at": v["created_at"],
                "rationale": v["rationale"],
                "evidence_ids": " ".join(map(str, v["evidence_ids"])),
                "author": v["author"],
                "published": v["published"],
                "as_of": (v.get("as_of") or {}).get("value"),
                "as_of_precision": (v.get("as_of") or {}).get("precision"),
            }
            for v in export["verdicts"]
        ],
        "documents": [
            {
                "document_id": d["id"],
                "tracker": trackers[d["tracker_id"]]["slug"],
                "source": sources[d["source_id"]]["name"] if d["source_id"] in sources else None,
                "kind": d["kind"],
                "party": d.get("party"),
                "title": d["title"],
                "date": (d["date"] or {}).get("value"),
                "date_precision": (d["date"] or {}).get("precision"),
                "date_provenance": (d["date"] or {}).get("provenance"),
                "url": d["url"],
                "origin": d["origin"],
                "language": d["language"],
                "content_hash": d["content_hash"],
                "duplicate_of": d["duplicate_of"],
                "parser": _produced_by(d),
                "body": d["body"],
            }
            for d in export["documents"]
        ],
        "trackers": [
            {
                "tracker": t["slug"],
                "name": t["name"],
                "jurisdiction": t.get("jurisdiction"),
                "parties": "; ".join(t["actors"]) or None,
                "term_start": t.get("term_start"),
                "term_end": t.get("term_end"),
                "published": _day(t.get("published_at")),
                "archived": _day(t.get("archived_at")),
            }
            for t in export["trackers"]
        ],
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""  # the one missing value (Table Schema's default missingValues)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# What makes a spreadsheet read a cell as a formula (OWASP's list): "=HYPERLINK(…)" in a
# document's title must stay text, and so must a quote that opens with a dash.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# The most characters an Excel cell holds; a longer text in a CSV spills into the rows below
# (QA, a political scientist: a program's body is 76,277 characters)
EXCEL_CELL_MAX = 32_767


def _excel_cell(column: Column, value: Any) -> str:
    """A cell as Excel set to Swedish reads it: a decimal comma (the reason its separator is
    ";"), text that would start a formula behind a "'" (Excel shows text, runs nothing), and
    a text longer than a cell holds cut, saying so and how long it is."""
    text = _cell(value)
    if column.type == "number":
        return text.replace(".", ",")
    if column.type == "string" and text.startswith(_FORMULA_START):
        text = "'" + text
    if len(text) > EXCEL_CELL_MAX // 2 and _excel_length(text) > EXCEL_CELL_MAX:
        note = f" [… cut for Excel: the csv export holds all {len(text):,} characters]"
        keep = text[: EXCEL_CELL_MAX - len(note)]
        while _excel_length(keep) > EXCEL_CELL_MAX - len(note):  # a character past U+FFFF
            keep = keep[: EXCEL_CELL_MAX - len(note) - (_excel_length(keep) - len(keep))]
        text = keep + note
    return text


def _excel_length(text: str) -> int:
    """A text's length as Excel counts it: UTF-16 code units (an emoji is two; review)."""
    return len(text.encode("utf-16-le")) // 2


def to_csv(table: Table, rows: list[dict[str, Any]], *, excel: bool = False) -> bytes:
    """RFC 4180: comma, double quotes where needed, CRLF line ends, a header row; UTF-8.

    `excel`: the flavour Excel opens right in Swedish (and other decimal-comma) settings with a
    double click: UTF-8 with a byte order mark (else it reads cp1252 and garbles å, ä and ö),
    ";" between cells, decimal commas, and text that would start a formula prefixed with "'"."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(table.header)
    for row in rows:
        if excel:
            writer.writerow([_excel_cell(c, row[c.name]) for c in table.columns])
        else:
            writer.writerow([_cell(row[c]) for c in table.header])
    text = out.getvalue()
    return ("\ufeff" + text).encode("utf-8") if excel else text.encode("utf-8")


def table_schema(table: Table) -> dict[str, Any]:
    fields = []
    for c in table.columns:
        description = f"{c.description} (CPP: {c.cpp})" if c.cpp else c.description
        field: dict[str, Any] = {"name": c.name, "type": c.type, "description": description}
        if c.type == "datetime":
            field["format"] = "any"  # ISO 8601 with microseconds, no zone (UTC)
        if c.required:
            field["constraints"] = {"required": True}
        fields.append(field)
    return {
        "fields": fields,
        "primaryKey": [table.primary_key],
        "foreignKeys": [
            {
                "fields": [col],
                "reference": {"resource": "" if ref == table.name else ref, "fields": [ref_col]},
            }
            for col, ref, ref_col in table.foreign_keys
        ],
        "missingValues": [""],
    }


def _pages(pages: Any) -> str | None:
    """'12' or '12-13' from a pledge's `pages` attribute ([first, last])."""
    if not pages:
        return None
    first, last = pages
    return str(first) if first == last else f"{first}-{last}"


def codebook_json(*, internal: bool = False) -> dict[str, Any]:
    notice = {"notice": INTERNAL_TEXT.replace("\n\n", ": ").strip()} if internal else {}
    return notice | {
        "tables": [
            {
                "name": t.name,
                "path": f"{t.name}.csv",
                "description": t.description,
                "schema": table_schema(t),
            }
            for t in CODEBOOK
        ]
    }


def datapackage(
    export: dict[str, Any], license_id: str = DEFAULT_LICENSE, *, internal: bool = False
) -> dict[str, Any]:
    """The package descriptor of `export` as given (public_content first for the public one);
    `internal` marks a package of everything as not for publication."""
    if license_id not in LICENSES:
        raise ValidationError(f"unknown licence {license_id!r}: use one of {', '.join(LICENSES)}")
    title, url = LICENSES[license_id]
    names = ", ".join(t["name"] for t in export["trackers"]) or "no trackers"
    description = (
        "Pledges quoted from election programs, the evidence linked to them and "
        "the verdicts on them, as tracked with Löfte. Pledge columns follow the "
        "Comparative Party Pledges Project's coding; see the field descriptions. " + TEXTS_NOTE
    )
    if internal:
        description = (
            f"{INTERNAL_TITLE}: made with --include-unpublished, this package holds "
            "unpublished trackers, draft verdicts, candidate and rejected pledges and "
            "unreviewed or rejected evidence. " + description
        )
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAMES[1] if internal else PACKAGE_NAMES[0],
        "title": (f"{INTERNAL_TITLE}: " if internal else "")
        + f"Election pledges and their fulfilment: {names}",
        "description": description,
        "version": export["schema_version"],
        "created": export["exported_at"],
        "licenses": [{"name": license_id, "title": title, "path": url}],
        "sources": [
            {"title": s["name"], **({"path": s["origin"]} if s["origin"] else {})}
            for s in export["sources"]
        ]
        + _programs(export)
        or [{"title": export["generator"]}],
        "contributors": [{"title": export["generator"], "role": "publisher"}],
        "resources": [
            {
                "name": t.name,
                "path": f"{t.name}.csv",
                "profile": "tabular-data-resource",
                "description": t.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                },
                "schema": table_schema(t),
            }
            for t in CODEBOOK
        ],
    }


# The licence is the publisher's to give for what Löfte made, not for the texts it quotes
# (QA, a political scientist: CC-BY over the manifestos' whole text, which are the parties')
TEXTS_NOTE = (
    "The licence covers the data made with Löfte (the coding, the links between pledges and "
    "documents, the verdicts and their rationales); the texts quoted in documents.csv and in "
    "the pledges' text remain their authors' (parties, news media, authorities): check their "
    "terms before republishing them."
)


def _programs(export: dict[str, Any]) -> list[dict[str, str]]:
    """Each program the pledges are quoted from, as a source: its title and address."""
    quoted = {p["document_id"] for p in export["pledges"]}
    return [
        {"title": d["title"], **({"path": d["url"]} if _web_address(d["url"]) else {})}
        for d in export["documents"]
        if d["id"] in quoted
    ]


def _web_address(url: str | None) -> bool:
    """An http(s) address, the only kind named as a source's path (review)."""
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def _dump(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def package_files(
    export: dict[str, Any],
    fmt: str,
    license_id: str = DEFAULT_LICENSE,
    *,
    include_unpublished: bool = False,
) -> dict[str, bytes]:
    """File name → bytes of a `csv`, `excel` or `datapackage` export (pure): the public content
    of `export` (public_content), or with `include_unpublished` all of it, marked internal.
    `excel` is `csv` in the flavour Excel opens in Swedish (`to_csv`)."""
    content = export if include_unpublished else public_content(export)
    rows = tables(content)
    excel = fmt == EXCEL
    files = {f"{t.name}.csv": to_csv(t, rows[t.name], excel=excel) for t in CODEBOOK}
    files["codebook.json"] = _dump(codebook_json(internal=include_unpublished))
    if include_unpublished:
        files[INTERNAL_FILE] = INTERNAL_TEXT.encode("utf-8")
    if fmt == "datapackage":
        files[DATAPACKAGE_FILE] = _dump(
            datapackage(content, license_id, internal=include_unpublished)
        )
    return files


def write_package(files: dict[str, bytes], target: Path, exported_at: str) -> None:
    """Into a folder (made if missing), or a zip when `target` ends in .zip; both replace files
    atomically. Zip entries carry the export time, so the same export gives the same bytes.

    A folder gets every file written beside its place first and only then moved in, so a
    failure part way (a full disk) leaves the tables as they were, never new tables beside
    old ones; nothing temporary is left behind. A target that cannot be written (a file where
    the folder should be, a missing folder for the zip) is a ValidationError naming it."""
    target = Path(target)
    token = f"{os.getpid()}.{uuid.uuid4().hex[:8]}"
    if target.suffix.lower() == ".zip":
        if target.is_dir():
            raise ValidationError(f"cannot write {target}: it is a folder, not a .zip file")
        stamp = dt.datetime.fromisoformat(exported_at).timetuple()[:6]
        tmp = target.with_name(f".{target.name}.{token}.tmp")
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
                for name in sorted(files):
                    info = zipfile.ZipInfo(name, date_time=stamp)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, files[name])
            tmp.replace(target)
        except OSError as exc:
            raise ValidationError(f"cannot write {target}: {exc.strerror or exc}") from exc
        finally:
            remove_quietly(tmp)
        return
    if target.exists() and not target.is_dir():
        raise ValidationError(
            f"cannot write the tables into {target}: it is a file, not a folder "
            "(name a folder, or a file ending in .zip)"
        )
    if not target.exists() and target.suffix.lower() in FILE_SUFFIXES:
        # QA: `-o pledges.xlsx` made a folder of that name, which reads as a workbook
        raise ValidationError(
            f"cannot write the tables into {target}: the export is several files, written "
            f"into a folder or a .zip, and a folder named {target.suffix} reads as one file "
            "(the excel flavour is the csv tables as Excel opens them, not an .xlsx workbook)"
        )
    written: dict[Path, Path] = {}
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            tmp = target / f".{name}.{token}.tmp"
            written[tmp] = target / name
            tmp.write_bytes(data)
        for tmp, final in written.items():
            tmp.replace(final)
        for name in (INTERNAL_FILE, DATAPACKAGE_FILE):  # an earlier export's, not this one's
            if name not in files and _made_here(target / name):  # (QA: a csv export kept an
                (target / name).unlink()  # internal datapackage.json)
    except OSError as exc:
        raise ValidationError(f"cannot write the tables into {target}: {exc}") from exc
    finally:
        for tmp in written:
            remove_quietly(tmp)


def _made_here(path: Path) -> bool:
    """Whether `path` is a file an earlier export wrote: the internal mark, or a
    datapackage.json of Löfte's packages (another's in the same folder stays: review)."""
    if not path.is_file():
        return False
    if path.name == INTERNAL_FILE:
        return True
    try:
        package = json.loads(path.read_bytes()[: 1 << 24])
    except (OSError, ValueError):
        return False
    return isinstance(package, dict) and package.get("name") in PACKAGE_NAMES


def codebook_markdown() -> str:
    """docs/codebook.md, made from CODEBOOK (a test keeps the two equal)."""
    lines = [
        "# Codebook of Löfte's open data",
        "",
        "`lofte export --format csv` writes five tables (UTF-8, RFC 4180: comma, double quotes, "
        "CRLF, one header row; an empty cell is a missing value) plus `codebook.json`, this "
        "codebook in machine-readable form. `--format datapackage` adds `datapackage.json`, a "
        "Frictionless Data Package with a Table Schema per table (types, descriptions, primary "
        "and foreign keys), a licence and sources. All are made from the JSON export, so the "
        "formats never disagree. `--format excel` writes the same tables for a spreadsheet set to "
        "Swedish: UTF-8 with a byte order mark, `;` between cells, a decimal comma in number "
        "columns, and a `'` before text that would start a formula (`=`, `+`, `-`, `@`), so "
        "that Excel opens them with a double click with å, ä and ö intact; a text longer than "
        "an Excel cell holds (32,767 characters: a program's body) is cut there, with a note "
        "of its whole length (for reading by a program, use `csv`). This file is generated "
        "from `lofte.publish.opendata.CODEBOOK` "
        "(`python -m lofte.publish.opendata > docs/codebook.md`).",
        "",
        "The tables hold only what is public, by the rules of the public pages: the published "
        "trackers (an archived one included) and their documents and sources; the pledges an "
        "editor confirmed that the meter counts (no candidate, even where a tracker shows "
        "candidates on its pages marked as not reviewed; no rejected pledge; no group of a "
        "split list item, which counts through its parts); the evidence an editor accepted; the "
        "published verdicts, without their author. They can go on a website as they are. "
        "`--include-unpublished` writes everything instead (draft trackers, candidate and "
        "rejected pledges, suggested and rejected evidence, draft verdicts with their "
        "rationales, authors) for internal research: `datapackage.json` then says "
        f"{INTERNAL_TITLE} in its title and description, `codebook.json` in its `notice`, a "
        f"file `{INTERNAL_FILE}` lies beside the tables, and the command warns on stderr. "
        "The JSON export always holds all the content (it is what `lofte import` reads) and is "
        "not for publication as it is.",
        "",
        "The pages a document was fetched from are not in the tables: `lofte export --warc "
        "FILE` writes the archived responses (status, headers, payload, fetch time) behind "
        "the published trackers' documents as one gzipped WARC file, whose records name the "
        "URL a document's `url` or origin gives.",
        "",
        "The pledge table's first columns follow the coding of the Comparative Party Pledges "
        "Project (CPP; Thomson et al. 2017): the column *CPP* names the variable. Specificity is "
        "Löfte's `precision` attribute mapped to CPP's narrow (specific) and broad (vague) "
        "pledges. Status uses Löfte's verdict scale rather than CPP's three categories; kept "
        "corresponds to fully fulfilled, partially_kept to partially fulfilled and broken to not "
        "fulfilled; in_the_works and stalled are interim states during the term.",
    ]
    for t in CODEBOOK:
        lines += ["", f"## {t.name}.csv", "", t.description, "", f"Primary key: `{t.primary_key}`."]
        if t.foreign_keys:
            refs = ", ".join(f"`{c}` → `{r}.{rc}`" for c, r, rc in t.foreign_keys)
            lines.append(f"Foreign keys: {refs}.")
        lines += ["", "| column | type | CPP | required | description |", "|---|---|---|---|---|"]
        for c in t.columns:
            lines.append(
                f"| `{c.name}` | {c.type} | {c.cpp} | {'yes' if c.required else ''} "
                f"| {c.description} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(codebook_markdown(), end="")


def _cited_as(document: dict[str, Any]) -> str:
    """How a cited document is named in the `sources` column: its web address, else its title
    (a local file's path on the server is never published)."""
    return str(document["url"] or document["origin"] or document["title"])
