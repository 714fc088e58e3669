"""CLI commands for watched sources (issue 15): `lofte source add|list|edit|pause|resume|remove`,
`lofte update` and `lofte watch`.

Registered on the main app by `cli.py`. The rules and the audit events are in
`watch/sources.py`, the runs in `watch/update.py`.

`update` and `watch` show their progress on stderr as `ingest` and `link` do (`_pass_progress`).
`watch`, a service whose log is kept for weeks, starts every line it prints with the UTC time;
`update`, run by hand or by cron (which keeps its own times), does not.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from .cli import (
    ActorOption,
    CommandProgress,
    ProgressTask,
    _store,
    app,
    cli_actor,
    command_progress,
    console,
    err_console,
    handle_errors,
    sigterm_as_ctrl_c,
)
from .cli_notify import print_deliveries
from .config import get_settings
from .errors import TrackerNotFoundError
from .model import SourceKind
from .progress import ProgressLines
from .store.watched import SourceRun
from .watch import loop, schedule
from .watch import sources as source_admin
from .watch.update import SourceOutcome, UpdateProgress, UpdateReport, update

source_app = typer.Typer(help="Watch feeds, listing pages and sitemaps.", no_args_is_help=True)
app.add_typer(source_app, name="source")


class Shape(str, Enum):
    AUTO = "auto"
    FEED = "feed"
    LISTING = "listing"
    SITEMAP = "sitemap"


class DenseSwitch(str, Enum):
    ON = "on"
    OFF = "off"


TrackerOption = Annotated[
    str | None, typer.Option(help="The tracker's slug (default: LOFTE_DEFAULT_TRACKER).")
]
NameArgument = Annotated[str, typer.Argument(help="The source's name within its tracker.")]


def _tracker(tracker: str | None) -> str:
    return tracker or get_settings().default_tracker


@contextmanager
def _default_named(tracker: str | None) -> Iterator[None]:
    """When no --tracker was given and the default tracker does not exist, the error says it
    was the default: "no tracker named 'standard'" named a tracker the admin never typed."""
    try:
        yield
    except TrackerNotFoundError as exc:
        slug = _tracker(tracker)
        if tracker is None and str(exc) == f"no tracker named {slug!r}":
            raise TrackerNotFoundError(
                f"{exc}, the default (LOFTE_DEFAULT_TRACKER): name the tracker with --tracker"
            ) from None
        raise


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "-"


@source_app.command("add")
@handle_errors
def source_add(
    name: NameArgument,
    url: Annotated[str, typer.Argument(help="The feed, listing page or sitemap (http or https).")],
    tracker: TrackerOption = None,
    kind: Annotated[
        SourceKind, typer.Option(help="The kind of the documents it brings.")
    ] = SourceKind.NEWS,
    every: Annotated[
        str, typer.Option(help="How often it is checked: 90s, 30m, 6h, 1d, 1h30m.")
    ] = "6h",
    shape: Annotated[Shape, typer.Option(help="What the URL is; auto: sniffed.")] = Shape.AUTO,
    publisher: Annotated[str | None, typer.Option(help="Who publishes it.")] = None,
    actor: ActorOption = None,
) -> None:
    """Watch a URL: `lofte update` fetches it when due and stores what is new."""
    with _store() as store, _default_named(tracker):
        source = source_admin.add(
            store,
            _tracker(tracker),
            name,
            url,
            actor=cli_actor(actor),
            kind=kind,
            every=every,
            shape=shape.value,
            publisher=publisher,
        )
    console.print(
        Text(
            f"watching {source.tracker}/{source.name}: {source.url} "
            f"({source.kind.value}, {source.shape}, every "
            f"{schedule.format_interval(source.every_seconds)}); due now"
        )
    )


def _run_text(run: SourceRun | None, tracker: str, name: str) -> str:
    if run is None:
        return "never run"
    text = (
        f"{_when(run.started_at)} {run.status}: fetched {run.fetched}, new or changed {run.new}, "
        f"unchanged {run.unchanged}, failed {run.failed}"
    )
    given_up = _given_up(run)
    if given_up:
        text = f"{text}, given up {len(given_up)}"
    resume = [str(u) for u in run.details.get("resume") or ()]
    if run.details.get("capped") or resume:
        text += _unfinished(tracker, name, bool(run.details.get("capped")), resume)
    warnings = [str(w) for w in run.details.get("warnings") or ()]
    if warnings:
        more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
        text = f"{text}; warning: {warnings[0]}{more}"
    return f"{text}; {run.error}" if run.error else text


def _given_up(run: SourceRun) -> list[str]:
    """Item URLs the run no longer tried: they failed in the source's last runs."""
    return [str(u) for u in run.details.get("items_given_up") or ()]


@source_app.command("list")
@handle_errors
def source_list(
    tracker: Annotated[str | None, typer.Option(help="Only this tracker.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The watched sources with their schedule and last run."""
    with _store() as store:
        rows = source_admin.statuses(store, tracker)
    if as_json:
        out = []
        for row in rows:
            s, run = row.source, row.last_run
            out.append(
                {
                    "tracker": s.tracker,
                    "name": s.name,
                    "url": s.url,
                    "kind": s.kind.value,
                    "shape": s.shape,
                    "every": schedule.format_interval(s.every_seconds),
                    "paused": s.paused,
                    "failures": s.failures,
                    "next_due_at": s.next_due_at.isoformat() if s.next_due_at else None,
                    "last_run": None
                    if run is None
                    else {
                        "started_at": run.started_at.isoformat(),
                        "status": run.status,
                        "fetched": run.fetched,
                        "new": run.new,
                        "unchanged": run.unchanged,
                        "failed": run.failed,
                        "error": run.error,
                        "given_up": _given_up(run),
                        "capped": bool(run.details.get("capped")),
                        "resume": [str(u) for u in run.details.get("resume") or ()],
                    },
                }
            )
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not rows:
        console.print("no watched sources (add one with `lofte source add`)", markup=False)
        return
    table = Table(
        "tracker", "source", "kind", "every", "paused", "failures", "next due", "last run", "url"
    )
    for row in rows:
        s = row.source
        table.add_row(
            Text(s.tracker),
            Text(s.name),
            s.kind.value,
            schedule.format_interval(s.every_seconds),
            "yes" if s.paused else "no",
            str(s.failures),
            _next_due(s.next_due_at, row.last_run),
            Text(_run_text(row.last_run, s.tracker, s.name)),
            Text(s.url),
        )
    console.print(table)


def _next_due(next_due_at: dt.datetime | None, last_run: SourceRun | None) -> str:
    """When the source runs next. While a run holds it, not "now" (QA: a source resumed under
    a run whose process died read "now" and was skipped as running)."""
    if last_run is not None and last_run.status == "running":
        return "after the run in progress"
    return "now" if next_due_at is None else _when(next_due_at)


@source_app.command("edit")
@handle_errors
def source_edit(
    name: NameArgument,
    tracker: TrackerOption = None,
    new_name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    url: Annotated[str | None, typer.Option(help="A new URL.")] = None,
    kind: Annotated[SourceKind | None, typer.Option(help="A new kind.")] = None,
    every: Annotated[str | None, typer.Option(help="A new interval (6h, 1d, …).")] = None,
    shape: Annotated[Shape | None, typer.Option(help="A new shape.")] = None,
    publisher: Annotated[str | None, typer.Option(help="A new publisher ('' clears).")] = None,
    actor: ActorOption = None,
) -> None:
    """Change a watched source. A new URL or interval makes it due at once."""
    changes: dict[str, Any] = {}
    if publisher is not None:
        changes["publisher"] = publisher
    with _store() as store, _default_named(tracker):
        source = source_admin.edit(
            store,
            _tracker(tracker),
            name,
            actor=cli_actor(actor),
            new_name=new_name,
            url=url,
            kind=kind,
            every=every,
            shape=shape.value if shape else None,
            **changes,
        )
    console.print(Text(f"changed {source.tracker}/{source.name}"))


@source_app.command("pause")
@handle_errors
def source_pause(
    name: NameArgument, tracker: TrackerOption = None, actor: ActorOption = None
) -> None:
    """Stop checking a source until it is resumed."""
    with _store() as store, _default_named(tracker):
        source = source_admin.set_paused(
            store, _tracker(tracker), name, True, actor=cli_actor(actor)
        )
    console.print(Text(f"paused {source.tracker}/{source.name}"))


@source_app.command("resume")
@handle_errors
def source_resume(
    name: NameArgument, tracker: TrackerOption = None, actor: ActorOption = None
) -> None:
    """Check a paused source again (it is due at once)."""
    with _store() as store, _default_named(tracker):
        source = source_admin.set_paused(
            store, _tracker(tracker), name, False, actor=cli_actor(actor)
        )
    console.print(Text(f"resumed {source.tracker}/{source.name}"))


@source_app.command("release")
@handle_errors
def source_release(
    name: NameArgument, tracker: TrackerOption = None, actor: ActorOption = None
) -> None:
    """Free a source still held by a run whose process was killed (kill -9, a crash) before
    its lease runs out: that run is recorded as failed and the source is due at once. A run
    still alive stops at its next lease renewal."""
    with _store() as store, _default_named(tracker):
        source = source_admin.release(store, _tracker(tracker), name, actor=cli_actor(actor))
    console.print(Text(f"released {source.tracker}/{source.name}: due now"))


@source_app.command("remove")
@handle_errors
def source_remove(
    name: NameArgument, tracker: TrackerOption = None, actor: ActorOption = None
) -> None:
    """Stop watching a source and forget its runs; the documents it brought in stay."""
    with _store() as store, _default_named(tracker):
        source = source_admin.remove(store, _tracker(tracker), name, actor=cli_actor(actor))
    console.print(Text(f"removed {source.tracker}/{source.name}"))


def stamp() -> str:
    """Now in UTC, `2026-12-06 02:15:03Z`: what each line of `lofte watch` starts with."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _stamped(line: str, stamped: bool) -> Text:
    # QA: a `watch` log kept for weeks could not tell when a pass ran or failed
    return Text(f"{stamp()} {line}" if stamped else line)


class _PassTasks:
    """An `UpdateProgress` shown through `CommandProgress`: a count per step (a source's
    items, the extraction, a tracker's linking). In plain lines only the step under way is
    shown (a long pass over many sources would otherwise make every line longer); on a
    terminal each step keeps its bar."""

    def __init__(self, progress: CommandProgress) -> None:
        self.progress = progress
        self.step: str | None = None
        self.task: ProgressTask | None = None
        self.encoding: ProgressTask | None = None

    def _task(self, step: str, description: str, unit: str) -> ProgressTask:
        if step != self.step or self.task is None:
            if self.task is not None and self.task.counter is not None:
                self.task.counter.shown = False  # (not `update`: that would write a line)
            self.step, self.task = step, self.progress.task(description, unit)
        return self.task

    def items(self, source: str, done: int, found: int | None) -> None:
        self._task(f"items {source}", f"{source}: items", f"items of {source}").update(
            done=done, total=found
        )

    def extracted(self, done: int, total: int) -> None:
        self._task("extract", "extracting pledges", "program documents extracted").update(
            done=done, total=total
        )

    def linked(self, tracker: str, done: int, total: int) -> None:
        self._task(
            f"link {tracker}", f"linking {tracker}", f"documents linked in {tracker}"
        ).update(done=done, total=total)

    def encoded(self, n: int) -> None:
        if self.encoding is None:  # shown beside the linking, as `lofte link` does
            self.encoding = self.progress.task("encoding passages (e5)", "passages encoded")
        self.encoding.update(advance=n)

    def callbacks(self) -> UpdateProgress:
        return UpdateProgress(
            on_items=self.items,
            on_extract=self.extracted,
            on_link=self.linked,
            on_encoded=self.encoded,
        )


@contextmanager
def _pass_progress(*, bars: bool = True, stamped: bool = False) -> Iterator[UpdateProgress]:
    """A pass's progress on stderr, as `ingest` and `link` show theirs (QA: a listing with 60
    new items printed nothing for 17 s): bars on a terminal (none when `bars` is false);
    elsewhere a plain line at most every LOFTE_PROGRESS_INTERVAL seconds, `update: 12 of 60
    items of stad/nyheter, 14 s`, each starting with the time when `stamped` (`watch`)."""
    if err_console.is_terminal:
        with command_progress("update", bars=bars) as progress:
            yield _PassTasks(progress).callbacks()
        return
    lines = ProgressLines(
        "update",
        lambda line: err_console.print(_stamped(line, stamped), highlight=False),
        get_settings().progress_interval,
    )
    with lines.heartbeat():  # a line every interval, also while one slow page is fetched
        yield _PassTasks(CommandProgress(lines=lines)).callbacks()


def _outcome_line(o: SourceOutcome) -> Text:
    # `new` counts the documents stored new or changed in place (a feed entry edited since)
    counts = (
        f"fetched {o.fetched}, new or changed {o.new}, unchanged {o.unchanged}, failed {o.failed}"
    )
    line = f"{o.tracker}/{o.name}: {o.status}: {counts}"
    if o.capped or o.resume:
        line += _unfinished(o.tracker, o.name, o.capped, o.resume)
    if o.items_given_up:
        line += f", given up {len(o.items_given_up)} (failed in the last runs)"
    if o.error:
        line += f"; error: {o.error}; next try {_when(o.next_due_at)}"
    return Text(line)


def _unfinished(tracker: str, name: str, capped: bool, resume: Any) -> str:
    """What a run that stopped before the end says, and what the admin can do."""
    where = f" from {resume[0]}" if resume else ""
    if len(resume) > 1:  # a sitemap index's sitemaps left unread
        where += f" (and {len(resume) - 1} more left)"
    if not capped:
        return f" (unfinished: the next run goes on{where})"
    return (
        f" (capped: LOFTE_WATCH_MAX_ITEMS or LOFTE_WATCH_MAX_PAGES reached; the next run goes "
        f"on{where}; to catch up sooner run `lofte update --tracker {tracker} --source {name} "
        "--force` again, or raise the caps)"
    )


def _print_failures(o: SourceOutcome, stamped: bool = False) -> None:
    for failure in o.items_failed:
        err_console.print(_stamped(f"  failed item {failure.url}: {failure.error}", stamped))
    for url in o.items_given_up:
        err_console.print(_stamped(f"  given up {url}", stamped))
    for warning in o.warnings:
        err_console.print(_stamped(f"  warning: {warning}", stamped))


def _print_skipped(report: UpdateReport) -> None:
    """Each source left alone because a run holds it, and how to free one whose process died;
    each paused meanwhile (QA: called "in progress elsewhere", and `release` then failed)."""
    for named in report.paused:
        err_console.print(Text(f"skipped {named}: paused meanwhile"))
    for held in report.skipped:
        tracker, _, name = held.partition("/")
        err_console.print(
            Text(
                f"skipped {held}: a run of it is in progress elsewhere; if its process was "
                f"killed, `lofte source release {name} --tracker {tracker}` frees it now"
            )
        )


def _print_deliveries(report: UpdateReport, stamped: bool = False) -> None:
    """Each failed digest delivery, named with its error: the summary only counted them."""
    if report.notified is not None:
        print_deliveries(
            report.notified.outcomes, failed_only=True, prefix=f"{stamp()} " if stamped else ""
        )


def _summary(report: UpdateReport) -> Text:
    parts = [
        f"{len(report.sources)} sources run",
        f"{len(report.failed)} failed",
        f"{report.total('new')} new or changed documents",
        f"{report.total('fetched')} fetches",
    ]
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped (running elsewhere)")
    if report.paused:
        parts.append(f"{len(report.paused)} skipped (paused meanwhile)")
    if report.linked:
        parts.append(f"{report.pledges_found} pledges found, {report.suggestions} suggestions")
    if report.notified is not None and (report.notified.outcomes or report.deliveries_failed):
        parts.append(
            f"{report.notified.sent} digests sent, {report.deliveries_failed} deliveries failed"
        )
    return Text("update: " + ", ".join(parts))


DenseOption = Annotated[
    DenseSwitch | None,
    typer.Option(help="The linker's dense stage: on or off (default: LOFTE_LINK_DENSE)."),
]
NoLinkOption = Annotated[
    bool, typer.Option("--no-link", help="Do not link the new documents (extract only).")
]
NoNotifyOption = Annotated[
    bool, typer.Option("--no-notify", help="Do not send the editors' digests at the end.")
]


def _dense(value: DenseSwitch | None) -> bool | None:
    return None if value is None else value is DenseSwitch.ON


@app.command("update")
@handle_errors
def update_command(
    tracker: Annotated[str | None, typer.Option(help="Only this tracker's sources.")] = None,
    source: Annotated[str | None, typer.Option(help="Only the source of this name.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Run them even if not due.")] = False,
    dense: DenseOption = None,
    no_link: NoLinkOption = False,
    no_notify: NoNotifyOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Run every due watched source once (for cron or a systemd timer), then extract and link
    the new documents. Exit code 1 when a source failed."""

    def progress(o: SourceOutcome) -> None:
        if not as_json:
            err_console.print(_outcome_line(o))
            _print_failures(o)

    with (
        sigterm_as_ctrl_c(),
        _store() as store,
        _pass_progress(bars=not as_json) as tracking,
    ):
        report = update(
            store,
            tracker=tracker,
            source=source,
            force=force,
            on_source=progress,
            dense=_dense(dense),
            link_evidence=not no_link,
            notify=not no_notify,
            progress=tracking,
        )
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        console.print(_summary(report))
        for error in report.errors:
            err_console.print(Text(f"error: {error}"))
        _print_deliveries(report)
        _print_skipped(report)
        for failed in report.failed:
            err_console.print(Text(f"failed: {failed.tracker}/{failed.name}: {failed.error}"))
    if not report.ok:
        raise typer.Exit(1)


@app.command("watch")
@handle_errors
def watch_command(
    tick: Annotated[
        float, typer.Option(min=1, help="Most seconds between two passes (a new source waits).")
    ] = 300.0,
    tracker: Annotated[str | None, typer.Option(help="Only this tracker's sources.")] = None,
    max_runs: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many passes (default: never).")
    ] = None,
    dense: DenseOption = None,
    no_link: NoLinkOption = False,
    no_notify: NoNotifyOption = False,
) -> None:
    """Keep the watched sources current: run `update`, sleep until the next source is due (at
    most --tick seconds), again. Ctrl-C or SIGTERM stops it at once (exit code 130): the run
    in progress is recorded as stopped and its source is due again."""

    # every line starts with the UTC time: the log of a service tells when a pass ran
    def reported(report: UpdateReport) -> None:
        console.print(_stamped(_summary(report).plain, True))
        for error in report.errors:
            err_console.print(_stamped(f"error: {error}", True))
        _print_deliveries(report, stamped=True)

    def progress(o: SourceOutcome) -> None:
        err_console.print(_stamped(_outcome_line(o).plain, True))
        _print_failures(o, stamped=True)

    # Both stop the pass where it is (not after the source's fetch, which could take a
    # deadline or more): see `cli.sigterm_as_ctrl_c`.
    with sigterm_as_ctrl_c(), _store() as store:
        runs = loop.watch(
            store,
            tick=tick,
            max_runs=max_runs,
            tracker=tracker,
            on_report=reported,
            on_source=progress,
            pass_progress=lambda: _pass_progress(stamped=True),
            dense=_dense(dense),
            link_evidence=not no_link,
            notify=not no_notify,
        )
    err_console.print(_stamped(f"watch stopped after {runs} pass{'' if runs == 1 else 'es'}", True))
