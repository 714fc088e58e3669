"""`lofte ingest`, `extract` and `link` write plain progress lines to stderr when it is a pipe
(no progress bar shows there): one per LOFTE_PROGRESS_INTERVAL seconds, none for a short run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def _lofte(db: Path, *args: str, interval: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LOFTE_DATABASE_URL=f"sqlite:///{db}")
    env.pop("LOFTE_PROGRESS_INTERVAL", None)
    if interval is not None:
        env["LOFTE_PROGRESS_INTERVAL"] = interval
    return subprocess.run(
        [sys.executable, "-m", "lofte", *args],
        capture_output=True,  # stderr is a pipe: no progress bars
        text=True,
        env=env,
        cwd=db.parent,
        check=False,
        timeout=120,
    )


def test_long_commands_write_progress_lines_to_a_pipe(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    program = tmp_path / "program.txt"
    program.write_text(
        "Vårt program\n\n- Vi kommer att bygga en ny simhall i Norrvik.\n"
        "- Vi ska anställa fler lärare i Norrviks skolor.\n",
        encoding="utf-8",
    )
    news = [tmp_path / "nyhet1.txt", tmp_path / "nyhet2.txt"]
    news[0].write_text("Den nya simhallen i Norrvik invigdes i dag.\n", encoding="utf-8")
    news[1].write_text("Fler lärare anställs i Norrviks skolor i höst.\n", encoding="utf-8")
    assert _lofte(db, "init", interval=None).returncode == 0
    # the default interval (10 s): a short run writes no progress line
    quiet = _lofte(db, "ingest", str(program), "--kind", "program", interval=None)
    assert quiet.returncode == 0, quiet.stderr
    assert "ingest:" not in quiet.stderr
    # interval 0: a line at every step, on stderr only
    done = _lofte(
        db, "ingest", *map(str, news), "--kind", "news", "--date", "2023-05-01", interval="0"
    )
    assert done.returncode == 0, done.stderr
    progress = [line for line in done.stderr.splitlines() if line.startswith("ingest:")]
    assert [line.rsplit(", ", 1)[0] for line in progress] == [
        "ingest: 1 of 2 inputs",
        "ingest: 2 of 2 inputs",
    ]
    assert all(re.fullmatch(r"ingest: .*, \d+ s", line) for line in progress)
    assert "ingest:" not in done.stdout
    extracted = _lofte(db, "extract", "--json", interval="0")
    assert extracted.returncode == 0, extracted.stderr
    # the total from the start (QA: "link: 0 documents" for the minute of the first batch)
    assert "extract: 0 of 1 documents, " in extracted.stderr
    assert "extract: 1 of 1 documents, " in extracted.stderr
    linked = _lofte(db, "link", "--dense", "off", interval="0")
    assert linked.returncode == 0, linked.stderr
    assert "link: 0 of 2 documents, " in linked.stderr
    assert "link: 2 of 2 documents, " in linked.stderr
