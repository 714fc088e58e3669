"""CLI commands for pledges: extract, list, review, and sentence classification for researchers.

Registered on the main `lofte` app by `cli.py`; like every command, each one calls one library
function and prints its result.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from .cli import (
    ActorOption,
    CommandProgress,
    _store,
    app,
    cli_actor,
    command_progress,
    console,
    err_console,
    handle_errors,
)
from .errors import ValidationError
from .language.controls import printable
from .model import Pledge, PledgeState
from .publish import records
from .publish.matching import known_if_unmatched, match_key
from .review import pledges as review
from .review.ranking import RankFilter, precision_of, rank_of, rank_pledges
from .store import documents as document_store
from .store import pledges as pledge_store
from .store import trackers as tracker_store

pledge_app = typer.Typer(help="Review extracted pledges.", no_args_is_help=True)
app.add_typer(pledge_app, name="pledge")

Actor = ActorOption
Version = Annotated[
    int | None, typer.Option(help="The pledge version you saw; refuse if it changed since.")
]


@app.command()
@handle_errors
def extract(
    tracker: Annotated[str | None, typer.Option(help="Only this tracker's programs.")] = None,
    document: Annotated[
        list[int] | None, typer.Option(help="Only this document id; repeatable.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Extract candidate pledges from program documents."""
    from .extraction import ExtractReport
    from .extraction import extract as run_extract

    def reported(r: ExtractReport) -> None:
        outcome = (
            f"not extracted, a copy of document {r.duplicate_of}"
            if r.duplicate_of is not None
            else "unchanged"
            if r.unchanged
            else f"{r.inserted} pledges{_groups(r.inserted, r.groups)}"
        )
        error = f" ERROR {r.error}" if r.error else ""
        err_console.print(Text(printable(f"  {r.title[:60]}: {outcome}{error}")))
        for warning in r.warnings:  # also with --json, which has them too (stdout is JSON)
            err_console.print(Text(printable(f"warning: {warning}")))

    with _store() as store, command_progress("extract", bars=not as_json) as progress:
        task = progress.task("extracting", "documents")
        steps = DocumentSteps(progress)

        def documents(done: int, total: int) -> None:
            steps.finished()
            task.update(done=done, total=total)

        reports = run_extract(
            store, tracker, document, on_document=reported, on_progress=documents, on_step=steps
        )
    if as_json:
        print(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        copies = sum(r.duplicate_of is not None for r in reports)
        inserted, groups = sum(r.inserted for r in reports), sum(r.groups for r in reports)
        console.print(
            f"{inserted} pledges extracted from {len(reports) - copies} program documents"
            + (f" ({copies} copies of another not extracted)" if copies else "")
            + _groups(inserted, groups)
        )
    if any(r.error for r in reports):
        raise typer.Exit(1)


def _groups(pledges: int, groups: int) -> str:
    """How many of `pledges` are list items split into parts listed beside them."""
    if not groups:
        return ""
    items = "list item" if groups == 1 else "list items"
    return f" ({groups} {items} split into parts, counted through the parts: {pledges - groups})"


class DocumentSteps:
    """`extraction.extract`'s `on_step`: the characters read, then the sentences scored, of
    the document being extracted, each shown from its first step on until the document is
    done (QA: "0 of 1 documents" for the whole run of one 45 MB program)."""

    def __init__(self, progress: CommandProgress) -> None:
        from .pipeline.extract import READ, SCORED

        self.units = (READ, SCORED)
        self.tasks = (
            progress.task("reading the document", READ, shown=False),
            progress.task("scoring its sentences", SCORED, shown=False),
        )
        self.shown = [False, False]

    def __call__(self, unit: str, done: int, total: int) -> None:
        i = self.units.index(unit)
        self.tasks[i].update(done=done, total=total, shown=True)
        self.shown[i] = True

    def finished(self) -> None:
        """The document is done (or failed): its counts go until the next one's first step."""
        for i, task in enumerate(self.tasks):
            if self.shown[i]:
                task.update(done=0, total=0, shown=False)
                self.shown[i] = False


class PrecisionChoice(str, Enum):
    specific = "specific"
    vague = "vague"


class SortChoice(str, Enum):
    rank = "rank"
    position = "position"


@app.command()
@handle_errors
def pledges(
    tracker: Annotated[str | None, typer.Option(help="Only this tracker.")] = None,
    state: Annotated[PledgeState | None, typer.Option(help="Only this state.")] = None,
    area: Annotated[str | None, typer.Option(help="Only this policy area.")] = None,
    party: Annotated[
        str | None, typer.Option(help="Only the pledges of this party's programs.")
    ] = None,
    document: Annotated[
        int | None, typer.Option(help="Only the pledges of this document (its id).")
    ] = None,
    precision: Annotated[
        PrecisionChoice | None, typer.Option(help="Only candidates the classifier labelled so.")
    ] = None,
    min_rank: Annotated[
        str | None,
        typer.Option(
            metavar="RANK",
            help="Only pledges ranked at least this (0 to 1); above 0 leaves out unranked ones.",
        ),
    ] = None,
    sort: Annotated[
        SortChoice,
        typer.Option(help="rank: highest first, unranked last; position: document order."),
    ] = SortChoice.position,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List pledges with their quotes, areas, states, and candidate rank and precision."""
    # The same rules as the editors' pages (lofte.review.ranking); a bad --min-rank is an error.
    try:
        ranking = RankFilter.parse(precision.value if precision else None, min_rank, sort.value)
    except ValidationError as exc:  # the option as typed, not the library's name (QA)
        raise ValidationError(str(exc).replace("min_rank", "--min-rank")) from None
    with _store() as store, store.session() as session:
        of = tracker_store.get_tracker(session, tracker) if tracker else None
        tracker_id = of.id if of is not None else None
        # no such document, or another tracker's: an error (its id read, not its body)
        owner = None if document is None else document_store.tracker_of_document(session, document)
        if None not in (tracker_id, owner) and owner != tracker_id:
            raise ValidationError(f"document {document} is not in tracker {tracker!r}")
        found = pledge_store.list_pledges(session, tracker_id, document_id=document)
    # An area and a party match as the web's filters and /api/v1 match them (`match_key`: any
    # letter case and spacing); QA: --area "trygg på jobbet" found none of "Trygg på jobbet".
    # "" finds the pledges without one (as --party "" did before). A value no pledge of the
    # tracker (or document) has is an error naming those there are, as the API's (QA, a
    # political scientist: --party KD listed nothing), each checked against all of them, not
    # against what another filter left (review); a party the tracker follows is known before
    # it has a pledge, as in /api/v1.
    if area is not None:
        _known_value("area", area, [p.area for p in found])
    if party is not None:
        _known_value("party", party, [p.party for p in found] + list(of.actors if of else ()))
    if area is not None:
        found = [p for p in found if match_key(p.area) == match_key(area)]
    if party is not None:  # QA: a coder works a manifesto at a time
        found = [p for p in found if match_key(p.party) == match_key(party)]
    if state is not None:
        found = [p for p in found if p.state is state]
    found = rank_pledges(found, ranking)
    if as_json:
        # the same record as the web and the export give (test_one_record): rank and
        # precision are in its `attributes`
        print(records.dumps([records.pledge(p) for p in found]))
        return
    table = Table("id", "parent", "state", "rank", "precision", "page", "area", "quote")
    for p in found:
        rank = rank_of(p.attributes)
        first, last = (p.attributes or {}).get("pages") or ("", "")
        table.add_row(
            str(p.id),
            str(p.parent_id or ""),
            p.state.value,
            "–" if rank is None else f"{rank:.2f}",
            precision_of(p.attributes) or "–",
            f"{first}–{last}" if first != last else str(first),
            Text(p.area or ""),
            Text(printable(p.quote[:100] + ("…" if len(p.quote) > 100 else ""))),
        )
    console.print(table)


def _show(p: Pledge, verb: str) -> None:
    console.print(Text(f"pledge {p.id} {verb} (version {p.version}): {printable(p.quote[:100])}"))


@pledge_app.command("confirm")
@handle_errors
def pledge_confirm(pledge_id: int, actor: Actor = None, version: Version = None) -> None:
    """Confirm a candidate pledge; a group's candidate parts are confirmed with it."""
    with _store() as store:
        pledge, parts = review.confirm_group(
            store, pledge_id, actor=cli_actor(actor), expected_version=version
        )
    _show(pledge, "confirmed")
    if parts:
        console.print(f"its candidate parts confirmed with it: {', '.join(map(str, parts))}")


@pledge_app.command("reject")
@handle_errors
def pledge_reject(
    pledge_id: int,
    reason: Annotated[str | None, typer.Option(help="Why it is not a pledge.")] = None,
    actor: Actor = None,
    version: Version = None,
) -> None:
    """Reject a pledge (not a checkable commitment)."""
    with _store() as store:
        _show(
            review.reject(
                store, pledge_id, reason=reason, actor=cli_actor(actor), expected_version=version
            ),
            "rejected",
        )


@pledge_app.command("add")
@handle_errors
def pledge_add(
    document_id: Annotated[int, typer.Argument(help="The program document it is quoted from.")],
    quote: Annotated[
        str | None,
        typer.Option(help="Its words as the document has them (found once in its text)."),
    ] = None,
    start: Annotated[
        int | None,
        typer.Option(
            help="Or its span's start (offset); with --quote, which place of words found "
            "more than once."
        ),
    ] = None,
    end: Annotated[int | None, typer.Option(help="…and end (offset).")] = None,
    area: Annotated[
        str | None, typer.Option(help="Policy area (default: the heading it stands under).")
    ] = None,
    actor: Actor = None,
) -> None:
    """Add a pledge the extractor missed, confirmed, from a program's words or offsets."""
    with _store() as store:
        pledge = review.add(
            store,
            document_id,
            quote=quote,
            start=start,
            end=end,
            area=area,
            actor=cli_actor(actor),
        )
    _show(pledge, "added")
    # the area it got, said (newsroom QA: it took the area of the pledge before it, silently)
    if pledge.area:
        console.print(Text(f"area: {printable(pledge.area)}"))
    else:
        console.print(
            "no area (no policy heading applies where it stands): "
            f"lofte pledge edit {pledge.id} --area …"
        )


@pledge_app.command("edit")
@handle_errors
def pledge_edit(
    pledge_id: int,
    start: Annotated[int | None, typer.Option(help="New span start (document offset).")] = None,
    end: Annotated[int | None, typer.Option(help="New span end (document offset).")] = None,
    area: Annotated[str | None, typer.Option(help="Policy area.")] = None,
    topic: Annotated[str | None, typer.Option(help="Topic.")] = None,
    party: Annotated[
        str | None, typer.Option(help="The party whose pledge it is (one of the tracker's actors).")
    ] = None,
    attribute: Annotated[list[str] | None, typer.Option(help="KEY=VALUE; repeatable.")] = None,
    actor: Actor = None,
    version: Version = None,
) -> None:
    """Change a pledge's span (the quote follows), area, topic, party or attributes."""
    attributes = dict(_key_value(a) for a in attribute) if attribute else None
    with _store() as store:
        _show(
            review.edit(
                store,
                pledge_id,
                start=start,
                end=end,
                area=area,
                topic=topic,
                party=party,
                attributes=attributes,
                actor=cli_actor(actor),
                expected_version=version,
            ),
            "edited",
        )


def _key_value(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise ValidationError(f"--attribute wants KEY=VALUE, not {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


@pledge_app.command("split")
@handle_errors
def pledge_split(
    pledge_id: int,
    at: Annotated[list[int], typer.Option(help="Document offset to cut at; repeatable.")],
    actor: Actor = None,
    version: Version = None,
) -> None:
    """Split a pledge into parts at document offsets; the original becomes their group."""
    with _store() as store:
        for child in review.split(
            store, pledge_id, at, actor=cli_actor(actor), expected_version=version
        ):
            _show(child, "created")


@pledge_app.command("merge")
@handle_errors
def pledge_merge(
    pledge_ids: Annotated[
        list[int], typer.Argument(help="Two or more pledge ids of one document.")
    ],
    actor: Actor = None,
) -> None:
    """Merge pledges of one document into one spanning them all."""
    with _store() as store:
        _show(review.merge(store, pledge_ids, actor=cli_actor(actor)), "created by merging")


@pledge_app.command("history")
@handle_errors
def pledge_history(
    pledge_id: int,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events as JSON.")] = False,
) -> None:
    """The pledge's history, oldest first: every audit event about it or its evidence (review,
    edits, evidence decisions, verdicts), as the editor's pledge page shows it."""
    from .publish.editor_pages import pledge_history as history

    with _store() as store, store.session() as session:
        pledge_store.get_pledge(session, pledge_id)  # an unknown id is an error, not no history
        events = history(session, pledge_id)
    if as_json:
        print(records.dumps(events))
        return
    if not events:
        console.print(Text(f"pledge {pledge_id}: no recorded events"))
    for e in events:
        about = f" (evidence {e['entity']['id']})" if e["entity"]["type"] == "evidence" else ""
        line = f"{e['time'][:19].replace('T', ' ')}  {e['actor'] or '-'}  {e['action']}{about}"
        details = _details(e["details"])
        console.print(Text(printable(f"{line}: {details}" if details else line)))


def _known_value(option: str, value: str, values: list[str | None]) -> None:
    """ValidationError when no pledge listed has `value` as its `option` (matched as the
    filters match); "" (none) is always known."""
    known = known_if_unmatched(value, values) if value.strip() else None
    if known is not None:
        raise ValidationError(f"no pledge here has the {option} {value!r}; known: {known}")


def _details(details: dict[str, Any]) -> str:
    """An event's details on one line, as the editor's page lists them (`records.detail_lines`):
    `field: before → after; key: value; …`."""
    return "; ".join(f"{k}: {v}" if k else v for k, v in records.detail_lines(details))


@app.command("classify-sentences")
@handle_errors
def classify_sentences(
    file: Annotated[Path, typer.Argument(help="One sentence per line; '-' reads stdin.")],
) -> None:
    """Score sentences as pledge / not pledge; prints JSON lines (text, pledge, score)."""
    from .pipeline.classify import classify_lines
    from .sources.decode import decode_text

    data = sys.stdin.buffer.read() if str(file) == "-" else _read(file)
    lines = [line for line in decode_text(data, str(file)).splitlines() if line.strip()]
    for row in classify_lines(lines):
        print(json.dumps(row, ensure_ascii=False))


def _read(file: Path) -> bytes:
    from .config import get_settings
    from .sources.read import read_file

    return read_file(str(file), get_settings().max_input_bytes).data
