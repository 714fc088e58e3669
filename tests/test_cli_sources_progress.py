"""`lofte update` and `lofte watch` show their progress as `ingest` and `link` do (plain lines
on stderr when it is not a terminal), and `watch` starts each line it prints with the time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lofte.config import get_settings
from lofte.watch import update as update_module
from tests.cli_support import run_cli as _run
from tests.cli_support import with_city_tracker
from tests.localweb import LocalSite
from tests.watch.pages import article, listing, one_site, serve

runner = CliRunner()
STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ "


@pytest.fixture
def db(db_url: str) -> str:
    return with_city_tracker(db_url)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalSite]:
    with one_site() as local:
        monkeypatch.setenv("LOFTE_FETCH_ALLOW_HOSTS", f"127.0.0.1:{local.port}")
        monkeypatch.setenv("LOFTE_FETCH_MIN_INTERVAL", "0")
        monkeypatch.setenv("LOFTE_LINK_DENSE", "false")
        monkeypatch.setenv("LOFTE_PROGRESS_INTERVAL", "0")  # a line at every step
        get_settings.cache_clear()
        yield local
    get_settings.cache_clear()


def _news(site: LocalSite, n: int, topic: str) -> None:
    serve(site, "/nyheter", listing([(f"/a/{i}", f"Nyhet {i}") for i in range(1, n + 1)]))
    for i in range(1, n + 1):
        serve(site, f"/a/{i}", article(f"Nyhet {i} om {topic}"))


def test_update_writes_progress_lines_per_source_and_for_the_linking(
    db: str, site: LocalSite, tmp_path: Path
) -> None:
    # QA: a listing with 60 new items printed nothing for 17 s, then only its result
    program = tmp_path / "program.txt"
    program.write_text(
        "Vårt program\n\n- Vi kommer att rusta upp parkerna i ytterstaden.\n", encoding="utf-8"
    )
    code, out = _run(db, "ingest", str(program), "--kind", "program", "--tracker", "stad")
    assert code == 0, out
    assert _run(db, "extract")[0] == 0  # a pledge: the new documents are linked
    _news(site, 3, "parkerna")
    assert _run(db, "source", "add", "nyheter", site.url("/nyheter"), "--tracker", "stad")[0] == 0
    code, out = _run(db, "update")
    assert code == 0, out
    lines = [line.rsplit(", ", 1)[0] for line in out.splitlines() if line.startswith("update: ")]
    assert "update: 0 items of stad/nyheter" in lines  # at the start: the total not known
    for done in (0, 1, 2, 3):
        assert f"update: {done} of 3 items of stad/nyheter" in lines, out
    assert any(re.fullmatch(r"update: \d+ of 3 documents linked in stad", x) for x in lines), out
    assert all(re.fullmatch(r"update: .*, \d+ s", x) for x in out.splitlines() if "items of" in x)
    # `update` by hand keeps its lines as they were: no time in front
    assert "update: 1 sources run, 0 failed, 3 new or changed documents" in out
    assert not re.search(STAMP, out)


def test_watch_starts_every_line_with_the_time(
    db: str, site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QA: each pass printed "update: 1 sources run, …" with no time; a log kept for weeks
    # could not tell when a pass ran or failed
    monkeypatch.setattr(
        update_module, "_extract_and_link", lambda *_, **__: (0, 0, (), ("linking stad: boom",))
    )
    _news(site, 3, "badhusen")
    serve(site, "/trasig", b"", "text/html")
    assert _run(db, "source", "add", "nyheter", site.url("/nyheter"), "--tracker", "stad")[0] == 0
    assert _run(db, "source", "add", "trasig", site.url("/trasig"), "--tracker", "stad")[0] == 0
    code, out = _run(db, "watch", "--max-runs", "1", "--tick", "1", "--no-link")
    assert code == 0, out
    lines = out.splitlines()
    assert lines and all(re.match(STAMP, line) for line in lines), out
    assert any(
        re.fullmatch(STAMP + r"update: 3 of 3 items of stad/nyheter, \d+ s", x) for x in lines
    )
    assert any(re.fullmatch(STAMP + r"stad/nyheter: ok: fetched 4, .*", x) for x in lines), out
    assert any(re.fullmatch(STAMP + r"stad/trasig: failed: .*", x) for x in lines), out
    assert any(re.fullmatch(STAMP + r"update: 2 sources run, 1 failed, .*", x) for x in lines)
    assert re.fullmatch(STAMP + "error: linking stad: boom", lines[-2])
    assert re.fullmatch(STAMP + "watch stopped after 1 pass", lines[-1])
