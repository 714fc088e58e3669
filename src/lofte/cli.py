"""The `lofte` command: a thin layer over the library. Each command opens the store, calls one
library function, and prints the result; library errors become exit code 1 with a message."""

from __future__ import annotations

import datetime as dt
import getpass
import inspect
import json
import logging
import shlex
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from . import __version__
from .config import MAX_WORKERS, get_settings, unknown_settings
from .errors import (
    EvidenceAlreadySavedError,
    EvidenceDecidedError,
    LofteError,
    TrackerNotFoundError,
    UnavailableError,
    ValidationError,
)
from .files import write_target
from .ingest import IngestInterrupted, IngestOptions, IngestReport, ingest
from .ingest_records import InputReport, Outcome
from .language.controls import clean_text, printable
from .language.dates import parse_user_date
from .model import SourceKind
from .progress import Counter, ProgressLines
from .publish import importer, opendata, records
from .publish.export import export_database, write_json, write_warc
from .review.audit import put_back_guards
from .review.tracker_admin import clean_actors
from .sources import paths
from .sources.read import scan_inputs
from .store import documents as document_store
from .store import trackers as tracker_store
from .store.db import Store, current_revision, open_store, refused_login, shown_url

# The options of `lofte` itself (its callback, `main`), and whether each takes a value.
GLOBAL_OPTIONS = {"--db": True, "--version": False}


def _global_first(option: str, args: list[str]) -> list[str] | None:
    """`args` with the global `option` typed after the command (its last use before `--`, as
    `--db X` or `--db=X`) moved before it; None when it is not there."""
    end = args.index("--") if "--" in args else len(args)
    for i in range(end - 1, -1, -1):
        arg = args[i]
        if arg.startswith(option + "="):
            return [arg, *args[:i], *args[i + 1 :]]
        if arg == option:
            n = 2 if GLOBAL_OPTIONS[option] else 1
            return [*args[i : i + n], *args[:i], *args[i + n :]]
    return None


# click's exceptions as Typer raises them: recent Typer has its own copy of click, whose
# exceptions are not the `click` package's
_CLICK_ERRORS = sys.modules[typer.BadParameter.__module__]


class LofteGroup(TyperGroup):
    """The `lofte` command group: a global option typed after a command (`lofte ingest x
    --db URL`) is refused, as click refuses it, with the command line that works instead of
    click's bare "No such option: --db" (QA)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta["lofte.args"] = list(args)
        return super().parse_args(ctx, args)  # type: ignore[no-any-return]

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _CLICK_ERRORS.NoSuchOption as exc:
            option = exc.option_name
            if option not in GLOBAL_OPTIONS:
                raise
            fixed = _global_first(option, ctx.meta.get("lofte.args", []))
            example = shlex.join(["lofte", *fixed]) if fixed else f"lofte {option} … <command>"
            raise _CLICK_ERRORS.UsageError(
                f"{option} is a global option: put it before the command: {example}",
                ctx=exc.ctx,
            ) from exc


app = typer.Typer(
    help="Löfte: track what parties promised and what happened next.",
    no_args_is_help=True,
    cls=LofteGroup,
)
tracker_app = typer.Typer(help="Create and inspect trackers.", no_args_is_help=True)
app.add_typer(tracker_app, name="tracker")

# Piped output is not cut at 80 columns: a console that is not a terminal gets a wide line
# (a terminal keeps its own width).
PIPED_WIDTH = 1000


def _console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    tty = hasattr(stream, "isatty") and stream.isatty()
    # No Rich markup by default: what is printed holds user text (titles, names, paths, error
    # messages quoting options), and "[/x]" in it would be a MarkupError instead of output.
    # Colour is asked for explicitly, with `markup=True` or a styled Text.
    return Console(stderr=stderr, width=None if tty else PIPED_WIDTH, markup=False)


console = _console()
err_console = _console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


class ProgressTask:
    """One count of a command's progress: a bar on a terminal, a part of the plain lines
    elsewhere (`command_progress`)."""

    def __init__(
        self,
        bars: Progress | None = None,
        bar: TaskID | None = None,
        lines: ProgressLines | None = None,
        counter: Counter | None = None,
    ) -> None:
        self.bars, self.bar, self.lines, self.counter = bars, bar, lines, counter

    def update(
        self,
        *,
        done: int | None = None,
        advance: int = 0,
        total: int | None = None,
        shown: bool | None = None,
    ) -> None:
        """Set or advance the count, and its total when it becomes known (None: unchanged)."""
        if self.lines is not None and self.counter is not None:
            self.lines.update(self.counter, done=done, advance=advance, total=total, shown=shown)
        elif self.bars is not None and self.bar is not None:
            self.bars.update(
                self.bar, completed=done, advance=advance or None, total=total, visible=shown
            )


class CommandProgress:
    """What `command_progress` yields: `task(...)` adds a count."""

    def __init__(self, bars: Progress | None = None, lines: ProgressLines | None = None) -> None:
        self.bars, self.lines = bars, lines

    def task(
        self, description: str, unit: str, total: int | None = None, shown: bool = True
    ) -> ProgressTask:
        """A count: `description` labels its bar, `unit` names it in a plain line."""
        if self.lines is not None:
            return ProgressTask(lines=self.lines, counter=self.lines.counter(unit, total, shown))
        assert self.bars is not None
        return ProgressTask(self.bars, self.bars.add_task(description, total=total, visible=shown))


@contextmanager
def command_progress(label: str, *, bars: bool = True) -> Iterator[CommandProgress]:
    """The progress of a long command on stderr, for `ingest`, `extract`, `link` and `publish`:
    bars on a terminal (none when `bars` is false, e.g. with --json); elsewhere (a pipe, a log,
    cron) a plain line at most every LOFTE_PROGRESS_INTERVAL seconds (`lofte.progress`), so a
    long run is not silent and a short one prints nothing extra."""
    if err_console.is_terminal:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            disable=not bars,
        ) as progress:
            yield CommandProgress(bars=progress)
        return
    interval = get_settings().progress_interval
    lines = ProgressLines(
        label, lambda line: err_console.print(Text(line), highlight=False), interval
    )
    with lines.heartbeat():  # a line every interval, also while one long input is stored
        yield CommandProgress(lines=lines)


class _State:
    db_url: str | None = None


state = _State()


def _db_url() -> str:
    return state.db_url or get_settings().database_url


# Every command that changes review state takes `--actor NAME` for the audit log.
ActorOption = Annotated[
    str | None,
    typer.Option(
        "--actor", help="Who makes the change, for the audit log (default: your OS user name)."
    ),
]


def cli_actor(actor: str | None) -> str:
    """The name an edit from the command line is recorded under: --actor, else the OS user."""
    if actor and actor.strip():
        return actor.strip()
    try:
        return getpass.getuser() or "cli"
    except Exception:  # noqa: BLE001 - no login name (containers without a passwd entry)
        return "cli"


# Parameters whose text is not stored as typed text: secrets (hashed as given) and the
# paths or URLs of inputs (cleaning them would name another file).
_RAW_PARAMETERS = ("password", "inputs")


# The schema's integer columns hold 32 bits on PostgreSQL: a larger id reached SQLite as an
# OverflowError (a traceback) or PostgreSQL as "integer out of range" (QA).
ID_MAX = 2**31 - 1
_UNBOUNDED = frozenset({"limit", "port"})  # not stored: typer bounds the port itself


def _bounded(name: str, value: Any) -> None:
    numbers = value if isinstance(value, list) else [value]
    for number in numbers:
        if type(number) is int and abs(number) > ID_MAX and name not in _UNBOUNDED:
            shown = printable(str(number))
            shown = shown if len(shown) <= 40 else shown[:40] + "…"
            base = name.removesuffix("s").removesuffix("_id")
            what = (
                f"{shown} is no {base.replace('_', ' ')} id"
                if name.endswith(("_id", "_ids")) or name in ("pledge", "document", "evidence")
                else f"--{name.replace('_', '-')} {shown} is too large"
            )
            raise ValidationError(f"{what}: the database holds whole numbers up to 2 147 483 647")


def _clean_arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Text options and arguments without control characters (`language.controls.clean_text`);
    whole numbers within what the database holds (`_bounded`)."""
    cleaned: dict[str, Any] = {}
    for name, value in kwargs.items():
        _bounded(name, value)
        if any(raw in name for raw in _RAW_PARAMETERS):
            cleaned[name] = value
        elif type(value) is str:  # not str enums (choices typer already checked)
            cleaned[name] = clean_text(value)
        elif isinstance(value, list):
            cleaned[name] = [clean_text(v) if type(v) is str else v for v in value]
        else:
            cleaned[name] = value
    return cleaned


# The exit status of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130


# `ingest --reader`'s choices, named in its help without loading every reader at start-up (a
# test keeps the list equal to the registry's)
READER_NAMES = (
    "bullet-listing, csv-import, excerpt-lines, feed, html-article, html-listing, json-import, "
    "markdown, pdf, plaintext, program-text, read-more-page"
)


def handle_errors(func: F) -> F:
    """Clean text arguments at the edge; turn library errors into a message on stderr and exit 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **_clean_arguments(kwargs))
        except LofteError as exc:
            # A Text, not markup, its control characters escaped: the message quotes what the
            # user typed and the names of input files.
            message = printable(str(exc)) + _next_step(exc)
            err_console.print(Text.assemble(("error:", "red"), " ", message), highlight=False)
            raise typer.Exit(1) from exc
        except KeyboardInterrupt as exc:  # Ctrl-C: what each transaction committed stays
            err_console.print("interrupted", highlight=False)
            for note in getattr(exc, "__notes__", ()):  # what the library says it left how
                err_console.print(Text(printable(str(note))), highlight=False)
            raise typer.Exit(INTERRUPTED) from exc

    return wrapper  # type: ignore[return-value]


_NEXT_STEPS: tuple[tuple[type[LofteError], str], ...] = (
    (
        TrackerNotFoundError,
        "`lofte tracker list` shows the trackers, `lofte tracker add` makes one",
    ),
    # decided as asked already: nothing to do (QA: the hint read as an instruction)
    (EvidenceAlreadySavedError, ""),
    (EvidenceDecidedError, "--any-state decides it whatever its state"),
)


def _next_step(exc: LofteError) -> str:
    """What to do next on the command line, for errors whose message cannot say it (the
    library's messages are shared with the web pages). QA: a new user copying the README."""
    for kind, step in _NEXT_STEPS:
        if isinstance(exc, kind):
            return _did_you_mean(exc) + ("; " + step if step else "")
    return ""


def _did_you_mean(exc: LofteError) -> str:
    """ " (did you mean 'x'?)" for a tracker slug spelt like an existing one, or nothing (also
    when the store cannot be read: the error itself is what matters)."""
    slug = getattr(exc, "slug", None)
    if not isinstance(exc, TrackerNotFoundError) or not slug:
        return ""
    try:
        with _store() as store, store.session() as s:
            near = tracker_store.slugs_like(s, slug)
    except LofteError:
        return ""
    return " (did you mean " + " or ".join(map(repr, near)) + "?)" if near else ""


# --- questions before a change that cannot be undone --------------------------------------
# `restore`, `tracker delete` and `user remove` ask first, unless given their flag (--yes).
# QA: without a terminal (cron, `< /dev/null`) the question was printed and then the command
# gave up ("Aborted.", or an error after the question). Without a terminal no question is
# printed now: one line is read from stdin as the answer (`echo y | lofte user remove bob`);
# with none (end of input, an empty line) the command is refused in one line naming the
# flag, exit code 1.

T = TypeVar("T")


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question on stdin (tests that answer one patch this)."""
    stream = sys.stdin
    return stream is not None and hasattr(stream, "isatty") and stream.isatty()


def _needs_confirmation(what: str, flag: str) -> ValidationError:
    return ValidationError(f"{what} needs confirmation: run it again with {flag}")


def _piped_answer() -> str:
    """The first line on stdin, stripped; "" when there is none (end of input, no stdin, a
    line that cannot be read)."""
    stream = sys.stdin
    if stream is None:
        return ""
    try:
        line = stream.readline()
    except (OSError, ValueError):  # closed, unreadable, undecodable (UnicodeDecodeError)
        return ""
    return line.strip() if isinstance(line, str) else ""


def _ask(
    what: str,
    flag: str,
    question: Callable[[], T],
    piped: Callable[[str], T],
    before: Callable[[], None] | None,
) -> T:
    if not stdin_is_terminal():  # a pipe, cron, < /dev/null: no question, one line read
        answer = _piped_answer()
        if not answer:
            raise _needs_confirmation(what, flag)
        if before is not None:
            before()
        return piped(answer)
    if before is not None:
        before()
    try:
        return question()
    except typer.Abort as exc:  # click's answer to Ctrl-C and to end of input alike
        typer.echo()  # end the question's line
        if isinstance(exc.__context__, KeyboardInterrupt):  # Ctrl-C: "interrupted", 130
            raise KeyboardInterrupt from None
        raise _needs_confirmation(what, flag) from None  # Ctrl-D: no answer


def confirm_or_refuse(
    what: str,
    question: str,
    *,
    flag: str = "--yes",
    before: Callable[[], None] | None = None,
) -> bool:
    """Ask `question` (y/N) on the terminal, after printing what `before` prints; whether
    the answer was yes. Without a terminal no question: one line is read from stdin (y or yes,
    any case, is yes; anything else no), `before` printed once it is there; with no line (end
    of input, an empty one) an error, "`what` needs confirmation: run it again with `flag`"."""
    return bool(
        _ask(
            what,
            flag,
            lambda: typer.confirm(question),
            lambda answer: answer.lower() in ("y", "yes"),
            before,
        )
    )


def typed_or_refuse(what: str, question: str, *, flag: str = "--yes") -> str:
    """What the person types at `question` on the terminal (a name to type again); without
    a terminal the first line on stdin, stripped, or with none the same error as
    `confirm_or_refuse`."""
    return str(_ask(what, flag, lambda: typer.prompt(question), lambda answer: answer, None))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def sigterm_as_ctrl_c() -> Iterator[None]:
    """SIGTERM (systemd stopping a unit, `kill`, a container stopping) handled as Ctrl-C while
    the block runs, so its clean-up runs instead of the process vanishing mid-way: `update` and
    `watch` record the run in progress as stopped and free its source (not left `running` and
    held by its lease), `backup` removes its unfinished temporary file."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _store(create: bool = False) -> Iterator[Store]:
    store = open_store(_db_url(), create=create)
    try:
        yield store
    finally:
        store.dispose()


def _version(value: bool) -> None:
    if value:
        console.print(f"lofte {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    db: Annotated[
        str | None, typer.Option("--db", help="Database URL (overrides LOFTE_DATABASE_URL).")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Löfte: an election-pledge tracker for Swedish politics."""
    state.db_url = db
    for warning in unknown_settings():
        err_console.print(f"warning: {warning}", highlight=False, markup=False)


@app.command()
@handle_errors
def init() -> None:
    """Create the database, or migrate it to the newest schema.

    No tracker is made: `lofte tracker add` makes one, and the first ingest without --tracker
    makes the default one (a draft), so nothing empty appears on the public home page."""
    url = _db_url()
    with _store(create=True) as store:
        before = store.migrated_from  # read under the migration's lock
        after = current_revision(store.engine)
        with store.session() as session:
            restored = put_back_guards(session, cli_actor(None))
    # what it did, as `restore` says it (QA: "database ready" alone for a migration)
    if before is None:
        done = f" (created, schema revision {after})"
    elif before != after:
        done = f" (migrated from schema revision {before} to {after})"
    else:
        done = ""
    console.print(f"database ready: {shown_url(url)}{done}")  # never the password
    if restored:  # dropped or disabled in the database by hand; recorded in the audit log
        console.print(f"audit log: append-only guards put back: {', '.join(restored)}")


def _parse_date(value: str | None, label: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(f"{label} must be YYYY-MM-DD, not {value!r}") from exc


@tracker_app.command("add")
@handle_errors
def tracker_add(
    slug: Annotated[str, typer.Argument(help="Short name: lowercase letters, digits, dashes.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    jurisdiction: Annotated[str | None, typer.Option(help="E.g. 'Stockholms stad'.")] = None,
    party: Annotated[
        list[str] | None, typer.Option("--party", help="A party or coalition; repeatable.")
    ] = None,
    # the option's older name, kept for scripts: `tracker edit` names the parties --party, and
    # its --actor is the audit log's name, as in every editing command (QA: the two commands
    # named the parties differently)
    actor: Annotated[list[str] | None, typer.Option("--actor", hidden=True)] = None,
    term_start: Annotated[str | None, typer.Option(help="YYYY-MM-DD.")] = None,
    term_end: Annotated[str | None, typer.Option(help="YYYY-MM-DD.")] = None,
    description: Annotated[str | None, typer.Option(help="Free text.")] = None,
) -> None:
    """Add a tracker: who is tracked, where, and when."""
    if party and actor:  # QA: `--party S --actor admin1` made admin1 a party, unsaid
        raise ValidationError(
            "--party and --actor are both given: here --actor is --party's older name, so "
            f"{', '.join(actor)} would be parties too; name every party with --party "
            "(tracker add is recorded under your OS user name)"
        )
    with _store() as store, store.session() as session:
        tracker = tracker_store.add_tracker(
            session,
            slug,
            name or slug,
            jurisdiction=jurisdiction,
            actors=clean_actors([*(party or []), *(actor or [])]),
            term_start=_parse_date(term_start, "--term-start"),
            term_end=_parse_date(term_end, "--term-end"),
            description=description,
            actor=cli_actor(None),
        )
    console.print(f"tracker {tracker.slug} added (id {tracker.id})")


@tracker_app.command("list")
@handle_errors
def tracker_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List trackers with their document counts."""
    with _store() as store, store.session() as session:
        trackers = tracker_store.list_trackers(session)
        counts = {t.id: document_store.count_documents(session, t.id) for t in trackers}
    if as_json:
        print(records.dumps([records.tracker(t) | {"documents": counts[t.id]} for t in trackers]))
        return
    # public or not: a new tracker is a draft (QA: a new user saw nothing public, and no why)
    table = Table("slug", "name", "jurisdiction", "term", "documents", "public")
    for t in trackers:
        term = f"{t.term_start or '?'} – {t.term_end or '?'}" if t.term_start or t.term_end else ""
        shown = (
            "draft (lofte tracker publish)"
            if t.published_at is None
            else "archived"
            if t.archived_at is not None
            else "published"
        )
        table.add_row(t.slug, t.name, t.jurisdiction or "", term, str(counts[t.id]), shown)
    console.print(table)


@tracker_app.command("show")
@handle_errors
def tracker_show(slug: Annotated[str, typer.Argument(help="The tracker's slug.")]) -> None:
    """Show one tracker and its sources."""
    with _store() as store, store.session() as session:
        tracker = tracker_store.get_tracker(session, slug)
        sources = tracker_store.list_sources(session, tracker.id)
        count = document_store.count_documents(session, tracker.id)
    data = records.tracker(tracker) | {
        "documents": count,
        "sources": [records.source(s) for s in sources],
    }
    print(records.dumps(data))


# Over this many inputs the report is a summary by reader and outcome (failures are still named
# one by one below it): a row per file of a 9,000-file archive helps nobody and took seconds.
INGEST_TABLE_ROWS = 100


INGEST_COUNTS = ("inserted", "updated", "unchanged", "duplicate", "near dup.")


def _shown_outcome(r: InputReport) -> str:
    """The outcome as the tables show it: an input whose every document repeats another one
    exactly (another file with the same text) is a `duplicate`, not `unchanged`, which would
    say it had been read before (the JSON report keeps `unchanged` with its `duplicates`)."""
    if r.outcome is Outcome.UNCHANGED and r.duplicates and r.duplicates == r.unchanged:
        return "duplicate"
    return r.outcome.value


def _ingest_counts(r: InputReport) -> tuple[int, ...]:
    return (r.inserted, r.updated, r.unchanged - r.duplicates, r.duplicates, r.near_duplicates)


def _ingest_summary(report: IngestReport) -> Table:
    totals: dict[tuple[str, str], list[int]] = {}
    for r in report.inputs:
        row = totals.setdefault((r.reader or "-", _shown_outcome(r)), [0] * 6)
        for i, n in enumerate((1, *_ingest_counts(r))):
            row[i] += n
    table = Table("reader", "outcome", "inputs", *INGEST_COUNTS)
    for (reader_name, outcome), counts in sorted(totals.items()):
        table.add_row(reader_name, outcome, *map(str, counts))
    return table


NO_FILE = "no such file"  # sources/read.py's message for a missing file
SPLIT_MOST = 8  # words of one name put back together: a batch of thousands costs no more


def split_names(inputs: Sequence[str], missing: set[str]) -> list[str]:
    """Files or folders whose names with spaces the shell split into several missing inputs:
    `lofte ingest my program.pdf` read 'my' and 'program.pdf' (QA, a first-day editor). A
    name with a run of spaces ("my  news.txt") is found too, by its folder's listing."""
    found, i = [], 0
    listings: dict[Path, dict[str, str]] = {}
    while i < len(inputs):
        run, name = 0, None  # the longest run of missing inputs from i that names a file
        for j in range(min(len(inputs), i + SPLIT_MOST), i + 1, -1):
            part = inputs[i:j]
            if all(p in missing for p in part):
                name = _existing(" ".join(part), listings)
                if name is not None:
                    run = j - i
                    break
        if name is not None:
            found.append(name)
        i += run or 1
    return list(dict.fromkeys(found))


def _existing(joined: str, listings: dict[Path, dict[str, str]]) -> str | None:
    """`joined` when it names a file or folder, else the name in its folder that differs from
    it only in runs of spaces (each folder listed once, in `listings`), else None."""
    path = Path(joined)
    if path.exists():
        return joined
    folder = path.parent
    if folder not in listings:
        try:  # a name the shell split has a space: only those are looked up
            names = [p.name for p in folder.iterdir() if " " in p.name] if folder.is_dir() else []
        except OSError:
            names = []
        listings[folder] = {_one_space(n): n for n in names}
    actual = listings[folder].get(_one_space(path.name))
    return str(folder / actual) if actual is not None else None


def _one_space(name: str) -> str:
    return " ".join(part for part in name.split(" ") if part)


def _nothing_to_ingest(folders: list[str], include: tuple[str, ...]) -> ValidationError:
    where = ", ".join(folders)
    if include:
        patterns = " ".join(f"--include {p!r}" for p in include)
        how = ""
        if any("/" in p for p in include):  # the folder's own name is no part of that path
            how = " (a pattern with a / matches a file's path below the folder given)"
        return ValidationError(f"nothing to ingest: no file in {where} matches {patterns}{how}")
    return ValidationError(f"nothing to ingest: no files in {where} (hidden files are skipped)")


@app.command("ingest")
@handle_errors
def ingest_cmd(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or URLs.")],
    tracker: Annotated[
        str | None, typer.Option(help="Tracker slug (default: the default tracker).")
    ] = None,
    kind: Annotated[
        SourceKind | None,
        typer.Option(
            help="What the inputs are (default: from the folder, else program for PDFs and "
            "program-shaped text, news for the rest)."
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Name of the source to file them under.")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="YYYY[-MM[-DD]] for inputs with no date of their own.")
    ] = None,
    reader: Annotated[
        str | None,
        typer.Option(help=f"Force a reader by name: {READER_NAMES} (default: the one that fits)."),
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="The title of the document (one input, one document).")
    ] = None,
    party: Annotated[
        str | None,
        typer.Option(help="Whose program it is: one of the tracker's actors (programs only)."),
    ] = None,
    url_base: Annotated[
        str | None,
        typer.Option(
            # the example fits an 80-column help box (QA: a longer one was cut with "…")
            help="The site a folder of saved pages mirrors: each file links to this address "
            "plus its path below the folder given, without extension, e.g. "
            "https://www.regeringen.se/ for a folder of regeringen.se's pages."
        ),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            help="Of the files in a folder, only those whose name matches this pattern "
            "(e.g. '*.md'), or, for a pattern with a '/', whose path below the folder does "
            "(e.g. 'pressmeddelanden/2023/03/*.md'); repeatable."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=MAX_WORKERS,
            help="Processes that read and parse files while this one stores them "
            "(default: LOFTE_INGEST_WORKERS; 0: read in-process).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
    actor: ActorOption = None,
) -> None:
    """Read inputs into documents. Exits 1 if any input failed, naming each."""
    if url_base is not None and not url_base.lower().startswith(("http://", "https://")):
        raise ValidationError(f"--url-base must be an http(s) address, not {url_base!r}")
    options = IngestOptions(
        tracker=tracker,
        kind=kind,
        source=source,
        date=parse_user_date(date) if date is not None else None,
        reader=reader,
        title=title,
        party=party,
        url_base=url_base,
        include=tuple(include or ()),
        actor=cli_actor(actor),
    )
    scan = scan_inputs(inputs, options.include)
    total = len(scan.found) + len(scan.refused)
    # files given by name are named in the warnings, not their folders
    for warning in paths.url_base_warnings(scan.found, url_base, inputs) if url_base else ():
        err_console.print(f"warning: {printable(warning)}", highlight=False)
    if total == 0:  # only folders can expand to nothing: name them, and the patterns
        raise _nothing_to_ingest(inputs, options.include)
    if title is not None and total != 1:
        raise ValidationError(f"--title names one document, but {total} inputs were given")
    # SIGTERM (`timeout`, systemd) as Ctrl-C: the batch so far reported, the workers stopped
    with (
        sigterm_as_ctrl_c(),
        _store() as store,
        command_progress("ingest", bars=not as_json) as progress,
    ):
        task = progress.task("ingesting", "inputs", total=total)
        try:
            report = ingest(
                store, inputs, options, on_input=lambda _: task.update(advance=1), workers=workers
            )
        except IngestInterrupted as stop:  # Ctrl-C: the inputs stored are reported as usual
            report, interrupted = stop.report, True
        else:
            interrupted = False
    if as_json:
        print(json.dumps([r.as_dict() for r in report.inputs], ensure_ascii=False, indent=2))
    elif len(report.inputs) > INGEST_TABLE_ROWS:
        console.print(_ingest_summary(report))
    else:
        table = Table("input", "reader", "outcome", *INGEST_COUNTS, "error")
        for r in report.inputs:  # file names shown escaped, stored as they are
            table.add_row(
                Text(printable(r.origin)),
                r.reader or "",
                _shown_outcome(r),
                *map(str, _ingest_counts(r)),
                Text(printable(r.error or "")),
            )
        console.print(table)
    for r in report.inputs:
        for warning in r.warnings:
            err_console.print(
                f"warning: {printable(r.origin)}: {printable(warning)}", highlight=False
            )
    for failed in report.failed:
        err_console.print(
            f"failed: {printable(failed.origin)}: {printable(failed.error or '')}", highlight=False
        )
    for joined in split_names(inputs, {f.origin for f in report.failed if f.error == NO_FILE}):
        err_console.print(
            f"note: {printable(joined)} exists: a name with spaces is one input when quoted, "
            f"as in {printable(shlex.quote(joined))}",
            highlight=False,
        )
    undated = report.total("undated")
    if undated:  # QA, a first-day editor: 45 of 70 news items undated, and nothing said so
        err_console.print(
            f"note: {undated} of the documents stored have no date (none given, none found in "
            "their text): they can be suggested as evidence for any time of the term; give "
            "inputs one with --date, or a document with `lofte document edit ID --date`",
            highlight=False,
        )
    if report.archived_tracker and report.total("inserted"):
        err_console.print(
            f"note: tracker {report.archived_tracker!r} is archived (its pages say it is no "
            "longer followed up); evidence accepted from these documents still changes its "
            "public meter",
            highlight=False,
        )
    # the default tracker made on first use is the documented start; beside other trackers
    # it files the documents in none of them (QA: a second term's tracker, no --tracker)
    if report.created_tracker and not (report.by_default and not report.other_trackers):
        err_console.print(new_tracker_warning(report), highlight=False)
    if interrupted:
        err_console.print(interrupted_ingest(report), highlight=False)
        raise typer.Exit(INTERRUPTED)
    if report.failed:
        raise typer.Exit(1)


def new_tracker_warning(report: IngestReport) -> str:
    """A tracker the ingest made: a mistyped --tracker would otherwise file the documents in a
    new tracker without a word."""
    slug = report.created_tracker or ""
    others = ", ".join(report.other_trackers) or "none"
    if report.by_default:
        return (
            f"warning: no --tracker given: this ingest made the default tracker {slug!r}, "
            f"a draft (trackers before: {others}); to file the documents in one of those, "
            f"`lofte tracker delete {slug}` removes it with its documents, then ingest again "
            "with --tracker"
        )
    return (
        f"warning: there was no tracker {slug!r}: this ingest made it (trackers before: "
        f"{others}); if the name is mistyped, `lofte tracker delete {slug}` removes it with "
        "its documents, and `lofte tracker edit` names it"
    )


def _documents(n: int) -> str:
    return f"{n} document" if n == 1 else f"{n} documents"


def interrupted_ingest(report: IngestReport) -> str:
    """What an ingest stopped by Ctrl-C committed, and what it left for the next run."""
    done = len(report.inputs)
    return (
        f"interrupted: {done} of {report.planned} inputs done ({len(report.failed)} failed), "
        f"{_documents(report.total('inserted'))} inserted and {report.total('updated')} updated; "
        f"the other {report.planned - done} inputs were not stored "
        "(the same command again goes on: what is stored stays unchanged)"
    )


@app.command()
@handle_errors
def documents(
    tracker: Annotated[str | None, typer.Option(help="Only this tracker.")] = None,
    kind: Annotated[SourceKind | None, typer.Option(help="Only this kind.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List documents with their dates and provenance."""
    with _store() as store, store.session() as session:
        tracker_id = tracker_store.get_tracker(session, tracker).id if tracker else None
        docs = document_store.list_documents(session, tracker_id, kind=kind, limit=limit)
    if as_json:
        print(records.dumps([records.document(d) for d in docs]))
        return
    table = Table("id", "kind", "date", "title", "parser")
    for d in docs:
        date = (
            f"{d.date.value} ({d.date.precision.value}, {d.date.provenance.value})"
            if d.date
            else ""
        )
        # as text, escaped: a title is someone else's, and rich would read "[...]" as markup
        title = Text(printable(d.title[:80]))
        table.add_row(str(d.id), d.kind.value, date, title, f"{d.parser}/{d.parser_version}")
    console.print(table)


@app.command()
@handle_errors
def export(
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="json (one document), csv (tables + codebook), datapackage (csv + "
            "datapackage.json) or excel (the csv tables as Excel opens them in Swedish: "
            "semicolons, decimal commas, a byte order mark; not an .xlsx workbook).",
        ),
    ] = "json",
    # text, not a Path: `-` is stdout, and Path("./-") would read as `-` too (review)
    written: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default, or '-': stdout); for csv and datapackage a folder, "
            "or a .zip file.",
        ),
    ] = None,
    allow_unverified: Annotated[
        bool,
        typer.Option(
            "--allow-unverified",
            help="Export even when `lofte audit verify` finds problems "
            "(marked `audit.verified: false`).",
        ),
    ] = False,
    license: Annotated[
        str,
        typer.Option(
            "--license", help="Licence named in datapackage.json: CC-BY-4.0, CC0-1.0 or ODbL-1.0."
        ),
    ] = opendata.DEFAULT_LICENSE,
    warc: Annotated[
        Path | None,
        typer.Option(
            "--warc",
            help="Also write the archived responses the published trackers' documents were "
            "read from as one .warc.gz file (docs/export.md).",
        ),
    ] = None,
    tracker: Annotated[
        str | None,
        typer.Option(
            "--tracker",
            help="csv, excel, datapackage: only this tracker's part (one term's open data).",
        ),
    ] = None,
    include_unpublished: Annotated[
        bool,
        typer.Option(
            "--include-unpublished",
            help="csv/datapackage: also draft trackers, candidate pledges, unreviewed "
            "evidence and draft verdicts; --warc: also the draft trackers' archived pages. "
            "For internal research (marked internal; not for publication).",
        ),
    ] = False,
) -> None:
    """Write the database content: json, everything (the transfer format of `lofte import`,
    with drafts and unconfirmed suggestions: not for publication as it is); csv, datapackage
    and excel, the public content as open data (see docs/export.md, docs/codebook.md)."""
    if format not in opendata.FORMATS:
        raise ValidationError(
            f"unknown export format {format!r}: use {', '.join(opendata.FORMATS)}"
        )
    # stdout, as scripts write it (QA: a file named "-" was written)
    output = None if written in (None, "-") else Path(written)
    if include_unpublished and format == "json" and warc is None:
        raise ValidationError(
            "--include-unpublished is for csv, datapackage and --warc: the JSON export always "
            "holds everything"
        )
    if tracker is not None and warc is not None:
        raise ValidationError("--warc writes every tracker's archived pages: leave out --tracker")
    if tracker is not None and format == "json":
        raise ValidationError(
            "--tracker is for csv, excel and datapackage: the JSON export is the whole store, the "
            "transfer format of `lofte import`"
        )
    if format != "json" and output is None:
        raise ValidationError(
            f"--format {format} writes several files: give a folder or a .zip with -o"
        )
    if output is not None and format == "json":
        try:  # before the WARC is written: a failing export leaves no file of its own behind
            write_target(Path(output))
        except OSError as exc:
            raise ValidationError(f"cannot write {output}: {exc.strerror or exc}") from exc
    made_warc = warc is not None and not Path(warc).exists()
    try:
        _export_files(allow_unverified, include_unpublished, format, output, license, warc, tracker)
    except BaseException:
        if made_warc and warc is not None:  # the export failed after the WARC was written
            Path(warc).unlink(missing_ok=True)
        raise


def _export_files(
    allow_unverified: bool,
    include_unpublished: bool,
    format: str,
    output: Path | None,
    license: str,
    warc: Path | None,
    tracker: str | None = None,
) -> None:
    """`export`'s writing: the WARC (with `--warc`), then the JSON or the open data."""
    with _store() as store, store.snapshot() as session:
        data = export_database(session, allow_unverified=allow_unverified)
        if tracker is not None:
            data = opendata.of_tracker(data, tracker, include_unpublished=include_unpublished)
        if warc is not None:  # the same snapshot's documents (one read transaction)
            records_written = write_warc(session, warc, include_unpublished=include_unpublished)
            err_console.print(
                f"wrote {warc} ({records_written} archived responses)",
                highlight=False,
                markup=False,
            )
            if include_unpublished:
                err_console.print(
                    Text.assemble(
                        ("warning:", "red"),
                        f" {printable(str(warc))} holds the archived pages of draft trackers "
                        "too: internal, not for publication",
                    ),
                    highlight=False,
                )
    if not data["audit"]["verified"]:
        err_console.print(
            f"[red]warning:[/red] the audit log does not verify "
            f"({len(data['audit']['problems'])} problems); exported as unverified",
            markup=True,
            highlight=False,
        )
    if format != "json":
        assert output is not None
        files = opendata.package_files(
            data, format, license, include_unpublished=include_unpublished
        )
        opendata.write_package(files, output, data["exported_at"])
        written = data if include_unpublished else opendata.public_content(data)
        err_console.print(
            f"wrote {output} ({', '.join(sorted(files))}; {_export_counts(written)})",
            highlight=False,
            markup=False,
        )
        if include_unpublished:
            err_console.print(
                Text.assemble(
                    ("warning:", "red"),
                    f" {printable(str(output))} holds unpublished content (draft trackers "
                    "and verdicts, candidate pledges, unreviewed evidence): internal, not "
                    "for publication",
                ),
                highlight=False,
            )
        elif data["trackers"] and not written["trackers"]:
            # QA, a political scientist: empty tables and "0 pledges", no word why
            err_console.print(
                f"note: no tracker is published, so the public tables are empty "
                f"({len(data['trackers'])} draft); publish one (lofte tracker publish SLUG), "
                "or add --include-unpublished for internal use",
                highlight=False,
                markup=False,
            )
        return
    text = records.dumps(data)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        size = write_json(text, output)  # never a half-written export file
        err_console.print(
            f"wrote {output} ({size} bytes: {_export_counts(data)})",
            highlight=False,
            markup=False,
        )


def _export_counts(data: dict[str, Any]) -> str:
    kinds = ("trackers", "documents", "pledges", "evidence", "verdicts")
    return ", ".join(f"{len(data.get(k) or [])} {k}" for k in kinds)


@app.command("import")
@handle_errors
def import_(
    path: Annotated[Path, typer.Argument(help="A JSON export (`lofte export --format json`).")],
    allow_unverified: Annotated[
        bool,
        typer.Option("--allow-unverified", help="Import an export whose audit log did not verify."),
    ] = False,
) -> None:
    """Load a Löfte JSON export into an empty store (see docs/cli.md)."""
    data = importer.read_export(path)
    with _store(create=True) as store:
        report = importer.import_export(
            store,
            data,
            allow_unverified=allow_unverified,
            init_tracker=get_settings().default_tracker,
        )
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in report.counts.items())
    head = f"; audit head {report.head.seq} {report.head.hash[:12]}…" if report.head else ""
    console.print(f"imported {path}: {counts}{head}", highlight=False, markup=False)
    # QA, an admin moving to PostgreSQL: what an export leaves out went without a word
    err_console.print(
        "note: an export carries no passwords (imported accounts are disabled), no account "
        "that wrote no verdict, no watched sources, archived copies, subscriptions or raw "
        "input bytes; `lofte copy` moves a whole database (docs/deploy.md)",
        highlight=False,
        markup=False,
    )


@app.command()
@handle_errors
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=MAX_WORKERS, help="Worker processes answering requests (default 1)."
        ),
    ] = 1,
) -> None:
    """Serve the web pages of the database."""
    from .web.server import run_server

    settings = get_settings()
    store = Store(_db_url())  # a malformed URL: ConfigError, refused
    try:
        checked = _check_or_outage(store)
        port_free(host or settings.host, port or settings.port)
        run_server(
            store,
            host or settings.host,
            port or settings.port,
            workers=workers,
            schema_checked=checked,
        )
    finally:
        store.dispose()


def _check_or_outage(store: Store) -> bool:
    """Whether the store's schema was seen current. A database server that cannot be reached
    is an outage, not a mistake: `serve` starts anyway (one warning naming the store, its
    password hidden) and answers 503 until the database is back at the newest schema. A
    SQLite file that cannot be opened, a schema not current, a server that refuses this login
    (wrong password, unknown user or database; QA: it started and answered 503 for ever):
    raised."""
    try:
        store.check()
    except UnavailableError as exc:
        if store.engine.dialect.name == "sqlite" or refused_login(exc):
            raise  # a path that cannot be opened, a wrong password: the operator's to fix
        from .log_setup import configure_logging

        configure_logging("info")
        logging.getLogger("lofte.web").warning(
            "starting without the database: %s; pages answer 503 until it is back", exc
        )
        return False
    return True


def port_free(host: str, port: int) -> None:
    """ValidationError (exit 1 with a message) when the address cannot be listened on."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ValidationError(f"cannot listen on {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ValidationError(
                    f"port {port} on {host} is already in use (another `lofte serve`?): "
                    f"stop that server or choose another port with --port"
                ) from None
            raise ValidationError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


@app.command()
@handle_errors
def demo(
    path: Annotated[
        Path, typer.Option("--path", help="SQLite file to create (replaced if present).")
    ] = Path("lofte-demo.db"),
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port.")] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Load the demo, then exit.")] = False,
) -> None:
    """Create a demo tracker from the bundled fictional corpus and serve it."""
    from .demo import build_demo, demo_accounts

    if state.db_url is not None:
        # QA: `lofte --db postgresql://… demo` wrote lofte-demo.db and said nothing of --db
        raise ValidationError(
            f"demo makes its own SQLite file (--path, here {path}) and does not use --db: "
            f"leave --db out, and to have the demo there, `lofte --db URL copy "
            f"sqlite:///{path.resolve()}` afterwards"
        )
    settings = get_settings()
    err_console.print("building the demo: ingest, extract pledges, link evidence, reviews …")
    store = build_demo(
        path,
        on_input=lambda r: err_console.print(
            f"  {Path(r.origin).name}: {r.outcome.value} ({r.inserted} new)", highlight=False
        ),
    )
    url = f"http://{host or settings.host}:{port or settings.port}/"
    err_console.print(f"demo database: {path}")
    for role, account in demo_accounts().items():
        err_console.print(
            f"demo {role} login: {account['username']} / {account['password']}",
            highlight=False,
            markup=False,
        )
    if no_serve:
        store.dispose()
        return
    from .web.server import run_server

    port_free(host or settings.host, port or settings.port)
    err_console.print(f"serving the demo at {url} (Ctrl-C stops)")
    run_server(store, host or settings.host, port or settings.port)


@app.command()
@handle_errors
def publish(
    static: Annotated[
        Path,
        typer.Option(
            "--static",
            help="Folder to write the static site into: new, empty, "
            "or an earlier static site (replaced as a whole).",
        ),
    ],
    tracker: Annotated[
        str | None, typer.Option(help="Only this tracker's pages (default: all).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="sv or en (default: LOFTE_LANGUAGE).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="The address the site will have, for the feeds' links and the embed "
            "snippet (default: LOFTE_PUBLIC_URL; none: root-relative).",
        ),
    ] = None,
    max_files: Annotated[
        int,
        typer.Option("--max-files", min=1, help="Stop with an error beyond this many files."),
    ] = 50_000,
) -> None:
    """Write the public pages, their JSON and the feeds as static files (see docs/static.md)."""
    from .publish.static_site import SiteOptions, publish_static

    settings = get_settings()
    options = SiteOptions(
        lang=lang or settings.language,
        base_url=base_url or settings.public_url,
        tracker=tracker,
        max_files=max_files,
    )
    with _store() as store, command_progress("publish") as progress:
        task = progress.task("fetching pages", "pages")
        report = publish_static(
            store,
            settings,
            static,
            options,
            on_progress=lambda done, known: task.update(done=done, total=known),
        )
    err_console.print(
        f"wrote {report.files} files ({report.pages} pages) to {report.dest}",
        highlight=False,
        markup=False,
    )
    if report.drafts:
        shown = ", ".join(report.drafts[:5]) + (" …" if len(report.drafts) > 5 else "")
        err_console.print(
            f"warning: {len(report.drafts)} draft tracker{'s' * (len(report.drafts) != 1)} "
            f"left out ({shown}): `lofte tracker publish {report.drafts[0]}` publishes one",
            highlight=False,
            markup=False,
        )
    if report.unverified:  # published as served, but an edit behind Löfte's back is named
        shown = "; ".join(report.unverified[:3])
        more = f" (and {len(report.unverified) - 3} more)" if len(report.unverified) > 3 else ""
        err_console.print(
            f"warning: the audit log does not verify ({len(report.unverified)} problems: "
            f"{shown}{more}); the site shows the data as it is: `lofte audit verify` names "
            "every problem",
            highlight=False,
            markup=False,
        )


from . import (  # noqa: E402,F401 - they register their commands on `app`
    cli_audit,
    cli_backup,  # noqa: E402,F401 - registers `backup` and `restore` on `app`
    cli_editorial,
    cli_evidence,
    cli_notify,
    cli_pledges,
    cli_report,
    cli_sources,
    cli_term,
    cli_trackers,
    cli_users,
)


def _one_line_summaries(group: typer.Typer) -> None:
    """Each command's line in a `--help` list is its docstring's first paragraph as one line:
    Typer keeps the docstring's line breaks there, which cut sentences in two (QA)."""
    for command in group.registered_commands:
        doc = command.help or (command.callback.__doc__ if command.callback else None)
        if command.short_help is None and doc:
            command.short_help = " ".join(inspect.cleandoc(doc).split("\n\n")[0].split())
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _one_line_summaries(sub.typer_instance)


_one_line_summaries(app)
