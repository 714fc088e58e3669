"""CLI commands for publishing and corrections (issue 12), registered on the app by `cli.py`:

- `lofte verdict PLEDGE_ID --status … [--as-of 2024-05] [--draft]` and
  `lofte verdict publish VERDICT_ID`;
- `lofte tracker publish SLUG` / `lofte tracker unpublish SLUG`;
- `lofte document edit ID [--date …] [--title …] [--kind …] [--party …] [--url …]` and
  `lofte document delete ID`.
"""

from __future__ import annotations

import datetime as dt
import shlex
from typing import Annotated

import typer
from rich.text import Text

from .cli import (
    ActorOption,
    _store,
    app,
    cli_actor,
    console,
    err_console,
    handle_errors,
    tracker_app,
    typed_or_refuse,
)
from .errors import ValidationError
from .model import Verdict, VerdictStatus
from .publish import records

# a backdated verdict (its as-of before a newer verdict's moment): public in the timeline, but
# not the status (QA: "pledge 156: kept", and the pledge stayed broken everywhere)
_AFTER_TERM = (
    "note: {what} {day}, after the tracker's term, which ended {end}; as the newest moment it "
    "is the status the term's pages show (a verdict on the term's end: --as-of {end})"
)
_NOT_CURRENT = (
    "note: pledge {id}'s status does not change: a verdict about a later moment is the current "
    "one (see `lofte pledge history {id}`)"
)

document_app = typer.Typer(help="Correct or delete documents after ingest.", no_args_is_help=True)
app.add_typer(document_app, name="document")


@app.command("verdict")
@handle_errors
def verdict_command(
    pledge_id: Annotated[
        str, typer.Argument(help="The pledge to rate, or `publish` to publish a draft verdict.")
    ],
    verdict_id: Annotated[
        int | None, typer.Argument(help="With `publish`: the draft verdict's id.")
    ] = None,
    status: Annotated[VerdictStatus | None, typer.Option(help="The rating.")] = None,
    rationale: Annotated[str, typer.Option(help="Why; required except for not_rated.")] = "",
    evidence: Annotated[
        list[int] | None, typer.Option(help="An accepted evidence id; repeatable.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="When the rated thing happened: YYYY, YYYY-MM or YYYY-MM-DD."),
    ] = None,
    draft: Annotated[
        bool, typer.Option("--draft", help="Save unpublished; `lofte verdict publish ID` later.")
    ] = False,
    actor: ActorOption = None,
    version: Annotated[
        int | None, typer.Option(help="The pledge version you saw; refuse if it changed since.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
) -> None:
    """Set a verdict on a confirmed pledge (appended to its timeline, audited), or publish a
    draft verdict: `lofte verdict publish VERDICT_ID`."""
    from .review.verdicts import (
        after_the_term,
        is_current,
        publish_verdict,
        set_verdict,
        tracker_of,
    )

    if pledge_id == "publish":
        if verdict_id is None:
            raise ValidationError("usage: lofte verdict publish VERDICT_ID")
        given = [
            name
            for name, value in (
                ("--status", status),
                ("--rationale", rationale or None),
                ("--evidence", evidence or None),
                ("--as-of", as_of),
                ("--draft", draft or None),
                ("--version", version),
            )
            if value is not None
        ]
        if given:
            # QA: `publish 53 --status … --rationale …` said "published" and kept the draft's
            # words: a draft is published as it was saved; a change is a new verdict
            raise ValidationError(
                f"publish takes no {', '.join(given)}: a draft is published as it was saved "
                "(to change it, save a new verdict)"
            )
        with _store() as store:
            v = publish_verdict(store, verdict_id, actor=cli_actor(actor))
            current = is_current(store, v)
            term_end = after_the_term(store, v)
        if as_json:
            print(records.dumps(records.verdict(v)))
            return
        console.print(Text(f"verdict {v.id} published: pledge {v.pledge_id} {v.status.value}"))
        _status_notes(v, current, term_end)
        return
    if not pledge_id.isdigit():
        raise ValidationError(f"{pledge_id!r} is no pledge id (a number, or `publish`)")
    if verdict_id is not None:
        raise ValidationError("one pledge id only (the second argument is for `publish`)")
    if status is None:
        raise ValidationError("--status is required")
    with _store() as store:
        v = set_verdict(
            store,
            int(pledge_id),
            status,
            rationale,
            evidence or [],
            actor=cli_actor(actor),
            expected_version=version,
            draft=draft,
            as_of=as_of,
        )
        current = is_current(store, v)
        term_end = after_the_term(store, v)
        of_pledge = tracker_of(store, v)
        draft_tracker = of_pledge if of_pledge.published_at is None else None
    if as_json:
        print(records.dumps(records.verdict(v)))
        return
    what = f"{v.status.value} (verdict {v.id}{', draft' if not v.published else ''})"
    console.print(Text(f"pledge {pledge_id}: {what}"))
    if v.published and draft_tracker is not None:  # QA: "published" on a draft tracker
        err_console.print(
            Text(
                f"note: tracker {draft_tracker.slug} is a draft: the verdict is public once "
                f"it is published (lofte tracker publish {draft_tracker.slug})"
            )
        )
    _status_notes(v, current, term_end)


def _status_notes(v: Verdict, current: bool, term_end: dt.date | None) -> None:
    """What a published verdict does to the status, when it is not the plain "now it is"."""
    if v.published and not current:
        err_console.print(Text(_NOT_CURRENT.format(id=v.pledge_id)))
    elif term_end is not None:
        moment = v.as_of or (v.created_at.date() if v.created_at else term_end)
        what = "the as-of date" if v.as_of else "recorded without --as-of, it is about"
        err_console.print(
            Text(_AFTER_TERM.format(what=what, day=moment.isoformat(), end=term_end.isoformat()))
        )


@tracker_app.command("publish")
@handle_errors
def tracker_publish(
    slug: Annotated[str, typer.Argument(help="The tracker's slug.")],
    actor: ActorOption = None,
) -> None:
    """Publish a tracker: its pages, feeds, API and widget become public."""
    from .review.trackers import publish_tracker

    with _store() as store:
        t = publish_tracker(store, slug, actor=cli_actor(actor))
    console.print(Text(f"tracker {t.slug} published"))


@tracker_app.command("unpublish")
@handle_errors
def tracker_unpublish(
    slug: Annotated[str, typer.Argument(help="The tracker's slug.")],
    actor: ActorOption = None,
) -> None:
    """Take a tracker back to draft (the public gets 404; editors still see it)."""
    from .review.trackers import unpublish_tracker

    with _store() as store:
        t = unpublish_tracker(store, slug, actor=cli_actor(actor))
    console.print(Text(f"tracker {t.slug} is a draft"))


@document_app.command("edit")
@handle_errors
def document_edit(
    document_id: Annotated[int, typer.Argument(help="The document's id.")],
    date: Annotated[
        str | None,
        typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD (kept at that precision); `none` clears."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The new title.")] = None,
    kind: Annotated[
        str | None, typer.Option(help="program, news, decision, budget, other.")
    ] = None,
    party: Annotated[
        str | None,
        typer.Option(
            help="A program's party, one of the tracker's actors (carried to its pledges "
            'that had the old one); "" clears it.'
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            help="The original's public address (http or https), e.g. a program read from a "
            "local file, on its party's site; `none` clears it."
        ),
    ] = None,
    actor: ActorOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the document as JSON.")] = False,
) -> None:
    """Correct a document's date, title, kind, party or address after ingest (audited)."""
    from .review.documents import edit_document

    if date is None and title is None and kind is None and party is None and url is None:
        raise ValidationError("nothing to change: give --date, --title, --kind, --party or --url")
    with _store() as store:
        d = edit_document(
            store,
            document_id,
            actor=cli_actor(actor),
            title=title,
            kind=kind,
            date=date,
            party=party,
            url=url,
        )
    if as_json:
        data = records.document(d)
        del data["body"]
        print(records.dumps(data))
        return
    shown = "no date" if d.date is None else f"{d.date.value} ({d.date.precision.value})"
    of = "" if d.party is None else f", party {d.party}"
    console.print(Text(f"document {d.id}: {d.kind.value}{of}, {shown}: {d.title}"))


@document_app.command("delete")
@handle_errors
def document_delete(
    document_id: Annotated[int, typer.Argument(help="The document's id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for the id again.")] = False,
    actor: ActorOption = None,
) -> None:
    """Delete a document ingested by mistake (into the wrong tracker, or not wanted), with its
    suggestions and a program's unconfirmed pledges (audited). Refused while it is accepted
    evidence, cited by a verdict, or a program of confirmed pledges."""
    from .review.documents import delete_document, deletion_preview

    with _store() as store:
        confirm = str(document_id)
        if not yes:  # the library compares the typed id with the document's
            going = deletion_preview(store, document_id)
            confirm = typed_or_refuse(
                f"deleting document {document_id}",
                f"Deleting document {document_id} from tracker {going.tracker_slug} "
                f"({going.kind}: {going.title}), with {going.pledges} pledges and "
                f"{going.evidence} suggestions. Type its id to confirm",
            )
        removed = delete_document(store, document_id, actor=cli_actor(actor), confirm=confirm)
    took = [
        f"{len(ids)} {name}"
        for name, ids in (("pledges", removed.pledges), ("suggestions", removed.evidence))
        if ids
    ]
    with_ = f" with {', '.join(took)}" if took else ""
    console.print(
        Text(f"document {document_id} deleted from {removed.tracker_slug}{with_}: {removed.title}")
    )
    if removed.copies:
        first, *others = removed.copies
        of = (
            f" (its other copies, {', '.join(map(str, others))}, are copies of it)"
            if others
            else ""
        )
        console.print(
            Text(
                f"its copy {first} is the original now: the next `lofte extract` and "
                f"`lofte link` take it as itself{of}"
            )
        )
    if removed.watched_source is not None:
        source = shlex.quote(removed.watched_source)  # QA: a name with a space did not run
        tracker = shlex.quote(removed.tracker_slug)
        err_console.print(
            Text(
                f"note: it came from the watched source {removed.watched_source!r}, which brings "
                f"it back at its next run if it still lists it: `lofte source pause {source} "
                f"--tracker {tracker}` (or `lofte source remove`)"
            )
        )
