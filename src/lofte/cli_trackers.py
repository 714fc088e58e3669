"""CLI commands `lofte tracker edit|archive|unarchive|delete`; registered by `cli.py`.

Each calls one function of `review/tracker_admin.py` (audited with `--actor`).
"""

from __future__ import annotations

import shlex
from typing import Annotated, Any

import typer

from .cli import (
    ActorOption,
    _parse_date,
    _store,
    cli_actor,
    console,
    handle_errors,
    tracker_app,
    typed_or_refuse,
)
from .errors import ValidationError
from .review import tracker_admin

_CLEAR = "-"  # `--jurisdiction -` clears a text field


def _text_or_clear(value: str | None) -> Any:
    """None: leave unchanged (the library's default); "-": clear; else the new text."""
    if value is None:
        return tracker_admin._UNSET
    return None if value.strip() == _CLEAR else value


def _as_parties(names: list[str]) -> str:
    return " ".join(f"--party {shlex.quote(name)}" for name in names)


@tracker_app.command("edit")
@handle_errors
def tracker_edit(
    slug: Annotated[str, typer.Argument(help="The tracker's slug.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="'-' clears it.")] = None,
    actor_name: Annotated[
        list[str] | None,
        typer.Option(
            "--party", help="A party or coalition; repeatable; replaces the list. '-' clears it."
        ),
    ] = None,
    term_start: Annotated[str | None, typer.Option(help="YYYY-MM-DD; '-' clears it.")] = None,
    term_end: Annotated[str | None, typer.Option(help="YYYY-MM-DD; '-' clears it.")] = None,
    description: Annotated[str | None, typer.Option(help="Free text; '-' clears it.")] = None,
    methodology: Annotated[
        str | None, typer.Option(help="The method page's text; '-' gives the default text.")
    ] = None,
    show_candidates: Annotated[
        bool | None,
        typer.Option(
            "--show-candidates/--hide-candidates",
            help="Also show unreviewed candidates publicly, marked.",
        ),
    ] = None,
    # the audit log's name, as in every editing command (ActorOption), taken as a list to see
    # it given twice: `tracker add`'s old --actor named the parties (QA)
    actor: Annotated[
        list[str] | None,
        typer.Option(
            "--actor",
            metavar="<str>",  # given once; a list only to see it given twice
            help="Who makes the change, for the audit log (default: your OS user name).",
        ),
    ] = None,
) -> None:
    """Change a tracker's settings (only the options given)."""

    def day(value: str | None, label: str) -> Any:
        if value is None:
            return tracker_admin._UNSET
        return None if value.strip() == _CLEAR else _parse_date(value, label)

    changes = (name, jurisdiction, actor_name, term_start, term_end, description, methodology)
    if actor and len(actor) > 1:  # QA: `tracker edit t2 --actor S --actor V` said "nothing
        # to change", as if the option had not been given: the audit name is given once
        raise ValidationError(
            f"--actor is given {len(actor)} times: it names who makes the change, for the audit "
            f"log, once; the tracker's parties are --party: {_as_parties(actor)}"
        )
    if actor and all(v is None for v in (*changes, show_candidates)):
        raise ValidationError(
            f"no change given: --actor {shlex.quote(actor[0])} names who makes the change, for "
            f"the audit log; the tracker's parties are --party ({_as_parties(actor)}), the "
            "other fields --name, --jurisdiction, --term-start, --term-end, --description, "
            "--methodology and --show-candidates/--hide-candidates"
        )
    parties = None
    if actor_name is not None:
        parties = [] if [a.strip() for a in actor_name] == [_CLEAR] else actor_name
    with _store() as store:
        tracker = tracker_admin.edit(
            store,
            slug,
            actor=cli_actor(actor[0] if actor else None),
            name=name,
            jurisdiction=_text_or_clear(jurisdiction),
            actors=parties,
            term_start=day(term_start, "--term-start"),
            term_end=day(term_end, "--term-end"),
            description=_text_or_clear(description),
            methodology=_text_or_clear(methodology),
            show_candidates=show_candidates,
        )
    console.print(f"tracker {tracker.slug} changed", highlight=False, markup=False)


@tracker_app.command("archive")
@handle_errors
def tracker_archive(
    slug: Annotated[str, typer.Argument(help="The tracker's slug.")], actor: ActorOption = None
) -> None:
    """Hide a tracker from the public home page; its pages stay reachable, marked archived."""
    with _store() as store:
        done = tracker_admin.archive_tracker(store, slug, actor=cli_actor(actor))
    paused = ""
    if done.paused:  # no longer followed: its feeds stop too
        paused = f"; its watched sources are paused: {', '.join(done.paused)}"
    console.print(f"tracker {slug} archived{paused}", highlight=False, markup=False)


@tracker_app.command("unarchive")
@handle_errors
def tracker_unarchive(
    slug: Annotated[str, typer.Argument(help="The tracker's slug.")], actor: ActorOption = None
) -> None:
    """Bring an archived tracker back to the public home page."""
    with _store() as store:
        paused = tracker_admin.unarchive_tracker(store, slug, actor=cli_actor(actor)).paused
    note = ""
    if paused:  # archiving paused them; following the tracker again is a choice per source
        note = f"; its watched sources stay paused ({', '.join(paused)}): `lofte source resume`"
    console.print(f"tracker {slug} unarchived{note}", highlight=False, markup=False)


@tracker_app.command("delete")
@handle_errors
def tracker_delete(
    slug: Annotated[str, typer.Argument(help="The tracker's slug.")],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask for the slug again.")
    ] = False,
    actor: ActorOption = None,
) -> None:
    """Delete a tracker and all it holds (refused while it is public: archive it first)."""
    confirm = slug
    if not yes:  # the library compares the typed slug with the tracker's
        confirm = typed_or_refuse(
            f"deleting tracker {slug}",
            f"Deleting {slug} and everything in it. Type its slug to confirm",
        )
    with _store() as store:
        counts = tracker_admin.delete(store, slug, actor=cli_actor(actor), confirm=confirm)
    what = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    console.print(f"tracker {slug} deleted ({what})", highlight=False, markup=False)
