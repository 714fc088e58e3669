"""CLI commands for deadlines and the end of a term (issue 15): `lofte deadline set|clear` and
`lofte term worklist`.

Registered on the main app by `cli.py`.
"""

from __future__ import annotations

import csv
import io
import json
from enum import Enum
from typing import Annotated

import typer
from rich.text import Text

from .cli import ActorOption, _store, app, cli_actor, console, handle_errors
from .model import Pledge
from .review import deadlines
from .store.db import Store

deadline_app = typer.Typer(
    help="Set or clear the deadline an editor gives a pledge.", no_args_is_help=True
)
app.add_typer(deadline_app, name="deadline")
term_app = typer.Typer(help="The end of a tracker's term.", no_args_is_help=True)
app.add_typer(term_app, name="term")

Version = Annotated[
    int | None, typer.Option(help="The pledge version you saw; refuse if it changed since.")
]


def _show(store: Store, p: Pledge) -> None:
    deadline = deadlines.deadline_of(store, p)
    said = f"{deadline.date} ({deadline.source})" if deadline else "none"
    console.print(Text(f"pledge {p.id} (version {p.version}): deadline {said}"))


@deadline_app.command("set")
@handle_errors
def deadline_set(
    pledge_id: int,
    date: Annotated[str, typer.Argument(help="YYYY-MM-DD.")],
    actor: ActorOption = None,
    version: Version = None,
) -> None:
    """Give a pledge a deadline (it wins over the year in the pledge's text)."""
    day = deadlines.parse_deadline(date)
    with _store() as store:
        _show(
            store,
            deadlines.set_deadline(
                store, pledge_id, day, actor=cli_actor(actor), expected_version=version
            ),
        )


@deadline_app.command("clear")
@handle_errors
def deadline_clear(pledge_id: int, actor: ActorOption = None, version: Version = None) -> None:
    """Remove the deadline an editor gave a pledge (the text's year, if any, counts again)."""
    with _store() as store:
        _show(
            store,
            deadlines.set_deadline(
                store, pledge_id, None, actor=cli_actor(actor), expected_version=version
            ),
        )


class Format(str, Enum):
    text = "text"
    csv = "csv"
    json = "json"


FIELDS = (
    "pledge_id",
    "status",
    "overdue",
    "deadline",
    "deadline_source",
    "area",
    "party",
    "state",
    "quote",
)


@term_app.command("worklist")
@handle_errors
def term_worklist(
    tracker: str,
    format: Annotated[Format, typer.Option("--format", help="text, csv or json.")] = Format.text,
) -> None:
    """The open pledges (no verdict, or in the works, stalled, not rated): overdue first."""
    with _store() as store, store.session() as session:
        work = deadlines.worklist(session, tracker, deadlines.today_utc())
        rows = deadlines.worklist_rows(work)
    if format is Format.json:
        end = work.tracker.term_end
        payload = {
            "tracker": work.tracker.slug,
            "term_end": end.isoformat() if end else None,
            "term_ended": work.term_ended,
            "pledges": rows,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif format is Format.csv:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(out.getvalue(), nl=False)
    else:
        end = work.tracker.term_end
        state = "ended" if work.term_ended else "not ended" if end else "no end date"
        console.print(Text(f"{work.tracker.slug}: term {end or '?'} ({state}), {len(rows)} open"))
        for r in rows:
            flag = " OVERDUE" if r["overdue"] else ""
            deadline = f" deadline {r['deadline']}" if r["deadline"] else ""
            line = f"{r['pledge_id']:>6} {r['status']}{flag}{deadline} [{r['area'] or '-'}] "
            console.print(Text(line + " ".join(r["quote"].split())[:100]))
