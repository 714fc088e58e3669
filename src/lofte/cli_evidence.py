"""CLI commands for evidence: `lofte link`, `lofte evidence` (and `evidence attach`),
`lofte accept-evidence`, `lofte reject-evidence` (`lofte verdict` is in cli_editorial.py).
Registered by `cli.py`."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from .cli import (
    INTERRUPTED,
    ActorOption,
    _store,
    app,
    cli_actor,
    command_progress,
    console,
    err_console,
    handle_errors,
    sigterm_as_ctrl_c,
)
from .language.controls import printable
from .model import DatePrecision, DateValue, ReviewState
from .notify.digest import shorten
from .publish import records

if TYPE_CHECKING:  # linking is imported when `lofte link` runs
    from collections.abc import Callable

    from .cli import ProgressTask
    from .linking import LinkReport


class DenseMode(str, Enum):
    ON = "on"
    OFF = "off"


@app.command("link")
@handle_errors
def link_command(
    tracker: Annotated[str | None, typer.Option(help="Only this tracker.")] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Score everything again, not only what is new.")
    ] = False,
    dense: Annotated[
        DenseMode | None,
        typer.Option(
            help="The dense stage (e5 embeddings fused with the lexical ranking): on or off. "
            "Default: the LOFTE_LINK_DENSE setting (on)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Suggest evidence: score new documents and new or edited pledges."""
    from .linking import LinkInterrupted, link

    interrupted = False
    with (
        sigterm_as_ctrl_c(),  # `timeout`, systemd: as Ctrl-C, each batch's commit kept
        _store() as store,
        command_progress("link", bars=not as_json) as progress,
    ):
        task = progress.task("linking documents", "documents")
        encoding = progress.task("encoding a step (e5)", "texts of the step encoded", shown=False)
        to_encode, encoded = encoding_counts(encoding)
        try:
            reports = link(
                store,
                tracker,
                full=full,
                dense=None if dense is None else dense is DenseMode.ON,
                on_progress=lambda done, total: task.update(done=done, total=total),
                on_encoded=encoded,
                on_pending=to_encode,
            )
        except LinkInterrupted as stop:  # Ctrl-C: what the committed batches stored
            reports, interrupted = stop.reports, True
    if as_json:
        print(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        _print_link_reports([r for r in (reports[:-1] if interrupted else reports) if not r.busy])
    for error in (e for r in reports for e in r.errors):  # a tracker another run holds
        err_console.print(Text(error))
    if interrupted:
        line = interrupted_link(reports[-1]) if reports else "interrupted: nothing linked"
        err_console.print(Text(line))
        raise typer.Exit(INTERRUPTED)
    if any(r.errors for r in reports):
        raise typer.Exit(1)


def encoding_counts(
    encoding: ProgressTask,
) -> tuple[Callable[[int], None], Callable[[int], None]]:
    """(on_pending, on_encoded) of `linking.link` for the dense stage's count: each encoding
    step (the pledges, then each group's passages) is counted from 0 to its own total. A run's
    total is not known until it has scored every document (QA: a total that grew batch by
    batch read "136 of 136" when a tenth was done); the documents' count has the run's."""

    def on_pending(n: int) -> None:
        encoding.update(done=0, total=n, shown=True)

    def on_encoded(n: int) -> None:
        encoding.update(advance=n, shown=True)

    return on_pending, on_encoded


def interrupted_link(r: LinkReport) -> str:
    """What `lofte link` stopped by Ctrl-C stored for the tracker it was linking."""
    of = f" of {r.documents_new}" if r.documents_new else ""
    return (
        f"interrupted: {r.tracker}: {r.documents_scored}{of} documents linked and stored, "
        f"{r.suggestions_waiting} suggestions waiting for review; the rest was not linked "
        "(`lofte link` again goes on with it)"
    )


def _print_link_reports(reports: list[LinkReport]) -> None:
    for r in reports:
        console.print(
            Text(
                f"{r.tracker}: {r.suggestions} suggestions from {r.documents_scored} new documents "
                f"and {r.pledges_rescored} new or edited pledges ({r.pledges} pledges)"
                # found again is not new: say what changed for the review queue
                + (
                    f"; {r.suggestions_new} new ones, {r.suggestions_gone} earlier ones no "
                    "longer found"
                    if r.suggestions_new != r.suggestions or r.suggestions_gone
                    else ""
                )
                + (f"; dense stage on, {r.texts_encoded} texts encoded" if r.dense else "")
                + (
                    f"; {r.documents_out_of_dates} of the documents left out by their dates "
                    "(before the program or outside the term: never suggested)"
                    if r.documents_out_of_dates
                    else ""
                )
            )
        )
        if not r.pledges:  # QA, a first-day editor: link before extract said only "0 … 0"
            err_console.print(
                Text(
                    f"note: {r.tracker} has no pledges to link to yet: `lofte extract --tracker "
                    f"{r.tracker}` finds them in its programs (ingested with --kind program)"
                )
            )


evidence_app = typer.Typer(
    help="List evidence (without a subcommand), or attach evidence by hand: `evidence attach`.",
    invoke_without_command=True,
)
app.add_typer(evidence_app, name="evidence")


@evidence_app.callback()
@handle_errors
def evidence(
    ctx: typer.Context,
    tracker: Annotated[str | None, typer.Option(help="Only this tracker.")] = None,
    pledge: Annotated[int | None, typer.Option(help="Only this pledge.")] = None,
    state: Annotated[ReviewState | None, typer.Option(help="Only this review state.")] = None,
    min_score: Annotated[float, typer.Option(help="Lowest score shown.")] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List evidence suggestions and decisions, best first, with their explanations."""
    if ctx.invoked_subcommand is not None:
        return
    from .store import evidence as evidence_store
    from .store import pledges as pledge_store
    from .store import trackers as tracker_store

    with _store() as store, store.session() as session:
        tracker_id = tracker_store.get_tracker(session, tracker).id if tracker else None
        if pledge is not None:
            pledge_store.get_pledge_row(session, pledge)  # "no pledge with id …", not no rows
        found = evidence_store.listed_evidence(
            session,
            tracker_id=tracker_id,
            pledge_id=pledge,
            states=[state] if state else None,
            min_score=min_score,
        )
    if as_json:
        # the evidence record alone: the same bytes as the API and the export give it (one
        # record, one shape); the title and quote are the documents' and pledges' records'
        print(records.dumps([records.evidence(item.evidence) for item in found]))
        return
    table = Table(
        "id",
        "score",
        "state",
        "date",
        "document",
        "title",
        "pledge",
        "pledge text",
        "stance",
        "matched",
    )
    for item in found:
        e = item.evidence
        # the words as the document writes them, as the pages show them, not the stems
        # the index keys them by ("sver", "inrät": QA), and once each (a compound's parts
        # are terms of their own, shown as the one word the document has: "trygghetslarm,
        # trygghetslarm", QA)
        words = [(m.get("document") or [m["term"]])[0] for m in e.features.get("matched", [])]
        terms = ", ".join(list(dict.fromkeys(words))[:6])
        table.add_row(
            str(e.id),
            f"{e.score:.2f}",
            e.review_state.value,
            _shown_date(item.document_date),
            str(e.document_id),
            Text(printable(shorten(item.document_title, TITLE_CHARS))),
            str(e.pledge_id),
            Text(printable(shorten(item.pledge_quote, QUOTE_CHARS))),
            e.stance.value,
            Text(printable(terms)),
        )
    console.print(table)


# How much of a document's title and of a pledge's quote a row of `lofte evidence` shows.
TITLE_CHARS = 60
QUOTE_CHARS = 60


def _shown_date(date: DateValue | None) -> str:
    """The document's date as `lofte evidence` shows it: the day, or the first day of a month,
    season or year with how exact it is."""
    if date is None:
        return "–"
    if date.precision is DatePrecision.DAY:
        return date.value.isoformat()
    return f"{date.value.isoformat()} ({date.precision.value})"


@evidence_app.command("attach")
@handle_errors
def attach_command(
    pledge_id: int,
    document: Annotated[int | None, typer.Option(help="A stored document of the tracker.")] = None,
    url: Annotated[str | None, typer.Option(help="A web page: fetched and stored.")] = None,
    file: Annotated[
        Path | None, typer.Option(help="A file (PDF, HTML, text): stored.", dir_okay=False)
    ] = None,
    actor: ActorOption = None,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why it is evidence, kept in the pledge's history."),
    ] = None,
    passage: Annotated[
        str | None,
        typer.Option(
            "--passage",
            help="A quote from the document to cite (found as whole words); "
            "default: the linker's best passage.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the evidence as JSON.")] = False,
) -> None:
    """Attach evidence the linker missed to a pledge: accepted, audited."""
    from .errors import ValidationError
    from .review import evidence as attach

    given = [x for x in (document, url, file) if x is not None]
    if len(given) != 1:
        raise ValidationError("give exactly one of --document ID, --url URL or --file PATH")
    who = cli_actor(actor)
    with _store() as store:
        given_too = {"reason": reason, "passage": passage}
        if document is not None:
            done = attach.attach_document(store, pledge_id, document, actor=who, **given_too)
        elif url is not None:
            done = attach.attach_url(store, pledge_id, url, actor=who, **given_too)
        else:
            assert file is not None  # read as `lofte ingest` reads it: its folders date it
            done = attach.attach_file(store, pledge_id, str(file), actor=who, **given_too)
    if done.outside_period:
        err_console.print(
            Text(
                f"warning: document {done.document_id} is dated before the program or outside "
                "the tracker's term: the linker would not suggest it; attached as you asked"
            )
        )
    if as_json:
        print(records.dumps(records.evidence(done.evidence)))
        return
    how = "suggestion accepted" if done.was_suggested else "attached"
    ev = done.evidence
    cited = f", citing characters {ev.start}–{ev.end}" if passage else ""
    console.print(
        Text(
            f"evidence {ev.id}: document {done.document_id} {how} as evidence of "
            f"pledge {pledge_id} (accepted){cited}"
        )
    )


def _decide(
    evidence_id: int, accept: bool, actor: str | None, any_state: bool, reason: str | None
) -> None:
    from .review.verdicts import decide_evidence

    with _store() as store:
        ev = decide_evidence(
            store,
            evidence_id,
            accept,
            actor=cli_actor(actor),
            expected_state=None if any_state else ReviewState.SUGGESTED,
            reason=reason,
        )
    console.print(f"evidence {ev.id} (pledge {ev.pledge_id}) {ev.review_state.value}")


AnyState = Annotated[
    bool,
    typer.Option(
        "--any-state",
        help="Change an earlier decision too (by default only a suggestion is decided).",
    ),
]


ReasonOption = Annotated[
    str | None,
    typer.Option("--reason", help="Why, kept with the decision in the pledge's history."),
]


@app.command("accept-evidence")
@handle_errors
def accept_evidence(
    evidence_id: int,
    actor: ActorOption = None,
    any_state: AnyState = False,
    reason: ReasonOption = None,
) -> None:
    """Accept a suggested piece of evidence for its pledge."""
    _decide(evidence_id, True, actor, any_state, reason)


@app.command("reject-evidence")
@handle_errors
def reject_evidence(
    evidence_id: int,
    actor: ActorOption = None,
    any_state: AnyState = False,
    reason: ReasonOption = None,
) -> None:
    """Reject a suggested piece of evidence (say why with --reason)."""
    _decide(evidence_id, False, actor, any_state, reason)
