"""Ctrl-C or SIGTERM on `lofte update` or `lofte watch` while a source is being fetched, as an
admin (or systemd stopping the unit) does it: the command stops with 130 at once, the run in
progress is recorded as stopped, not left `running`, and the source is due again at once, so
running `lofte update` again right away fetches it (it used to be held by the dead run's lease
for over an hour: "0 sources run", `--force` too; `watch` went on fetching until the source was
done, a hung fetch's whole deadline). The server is a local one on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from lofte.cli import app
from lofte.config import get_settings
from lofte.store.db import open_store, utcnow
from lofte.store.schema import SourceRow, SourceRunRow
from tests.watch.pages import one_site, rss, serve


def _runs(url: str) -> list[tuple[str, str | None]]:
    store = open_store(url)
    try:
        with store.session() as s:
            rows = s.execute(
                select(SourceRunRow.status, SourceRunRow.error).order_by(SourceRunRow.id)
            )
            return [(status, error) for status, error in rows]
    finally:
        store.dispose()


@pytest.mark.parametrize("command", ["update", "watch"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_stopping_update_or_watch_frees_the_source_for_the_next_run(
    tmp_path: Path, command: str, signum: signal.Signals, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'lofte.db'}"
    runner = CliRunner()
    with one_site() as site:
        site.trickle("/feed.rss", interval=0.2)
        env = {
            **os.environ,
            "LOFTE_FETCH_ALLOW_HOSTS": f"127.0.0.1:{site.port}",
            "LOFTE_FETCH_MIN_INTERVAL": "0",
            "LOFTE_FETCH_DEADLINE": "120",
            "LOFTE_FETCH_TIMEOUT": "60",
        }
        for name in ("LOFTE_FETCH_ALLOW_HOSTS", "LOFTE_FETCH_MIN_INTERVAL"):
            monkeypatch.setenv(name, env[name])  # for the commands run in this process
        get_settings.cache_clear()
        for args in (
            ["init"],
            ["tracker", "add", "stad", "--name", "Staden"],
            ["source", "add", "press", site.url("/feed.rss"), "--tracker", "stad"],
        ):
            result = runner.invoke(app, ["--db", url, *args])
            assert result.exit_code == 0, result.output
        proc = subprocess.Popen(
            [sys.executable, "-m", "lofte", "--db", url, command, "--no-link", "--no-notify"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while "/feed.rss" not in site.seen:  # the fetch is under way
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, f"the {command} never fetched the feed"
                time.sleep(0.05)
            time.sleep(0.3)
            os.killpg(proc.pid, signum)
            _, err = proc.communicate(timeout=30)  # not the fetch's 120 s deadline
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        assert proc.returncode == 130, (proc.returncode, err.decode())
        assert "Traceback" not in err.decode()
        assert "stopped stad/press during its run" in err.decode()  # QA: only "interrupted"
        [(status, error)] = _runs(url)
        assert status == "failed" and error is not None and error.startswith("stopped")
        store = open_store(url)
        try:
            with store.session() as s:
                source = s.scalars(select(SourceRow)).one()
                assert source.next_due_at is not None and source.next_due_at <= utcnow()
                assert source.failures == 0  # the source did nothing wrong
        finally:
            store.dispose()
        # the admin runs it again at once: the source is run, not held by the stopped run
        serve(
            site,
            "/feed.rss",
            rss([(site.url("/a"), "Nytt beslut om skolor")]),
            "application/rss+xml",
        )
        result = runner.invoke(app, ["--db", url, "update", "--no-link", "--no-notify"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert [status for status, _ in _runs(url)] == ["failed", "ok"]
