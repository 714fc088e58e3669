"""The `lofte` command: Ctrl-C while the CLI's modules are still loading (about two seconds on
these machines) ends as Ctrl-C during a command does, "interrupted" and exit code 130, not with
a traceback of whatever import it cut short."""

from __future__ import annotations

import sys

INTERRUPTED = 130  # as cli.INTERRUPTED: the shell's code for a SIGINT


def run() -> None:
    try:
        from .cli import app
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(INTERRUPTED) from None
    app(prog_name="lofte")
