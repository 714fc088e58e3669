"""CLI commands for the audit log: `lofte audit verify`. Registered on the main app by `cli.py`."""

from __future__ import annotations

import json
import re
from typing import Annotated

import typer
from rich.text import Text

from .cli import _store, app, console, err_console, handle_errors
from .errors import ValidationError
from .review.audit import verify
from .store.audit import ChainHead

audit_app = typer.Typer(help="Check the tamper-evident audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")

_HEAD = re.compile(r"^([0-9]{1,12}):([0-9a-f]{64})$")


def _parse_head(value: str) -> ChainHead:
    match = _HEAD.match(value.strip().lower())
    if not match:
        raise ValidationError(f"--head wants SEQ:HASH (64 hex digits), not {value!r}")
    return ChainHead(int(match.group(1)), match.group(2))


@audit_app.command("verify")
@handle_errors
def audit_verify(
    head: Annotated[
        str | None,
        typer.Option(
            help="SEQ:HASH of a head published earlier (e.g. from an export); "
            "it must still be in the chain."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check the audit chain and that verdicts, pledges and evidence match their last event.
    Exits 1 on any problem, naming each."""
    expected = _parse_head(head) if head else None
    with _store() as store, store.snapshot() as session:  # one moment, editors saving or not
        report = verify(session, expected)
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            err_console.print(Text(f"problem: {problem}"))
        where = f"head {report.head.seq}:{report.head.hash}" if report.head else "no head"
        verdict = "OK" if report.ok else f"{len(report.problems)} problems"
        console.print(Text(f"audit log: {report.events} events, {where}: {verdict}"))
    if not report.ok:
        raise typer.Exit(1)
