"""`lofte export --format csv|json|datapackage` and `lofte import`, end to end on the seeds:
ingest, extract, link, review, verdict; export → import → export is byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lofte.cli import app

runner = CliRunner()


def run(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, " ".join(result.output.split())  # rich wraps long messages


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def _reviewed_seeds(db: str, seeds_dir: Path) -> None:
    seed = {p.name[:3]: str(p) for p in seeds_dir.iterdir()}
    steps = [
        ("init",),
        (
            "tracker",
            "add",
            "sthlm",
            "--jurisdiction",
            "Stockholms stad",
            "--actor",
            "Partiet",
            "--term-start",
            "2022-10-15",
            "--term-end",
            "2026-10-14",
        ),
        ("ingest", seed["002"], "--tracker", "sthlm", "--kind", "program", "--date", "2022"),
        ("ingest", seed["000"], "--tracker", "sthlm", "--kind", "news"),
        ("extract", "--tracker", "sthlm"),
        ("link", "--tracker", "sthlm"),
    ]
    for step in steps:
        code, out = run(db, *step)
        assert code == 0, (step, out)
    evidence = json.loads(runner.invoke(app, ["--db", db, "evidence", "--json"]).stdout)
    assert evidence, "the linker found nothing to review"
    chosen = evidence[0]
    pledge = chosen["pledge_id"]
    for step in [
        ("pledge", "confirm", str(pledge), "--actor", "anna"),
        ("accept-evidence", str(chosen["id"]), "--actor", "anna"),
        (
            "verdict",
            str(pledge),
            "--status",
            "in_the_works",
            "--rationale",
            "Pågår.",
            "--evidence",
            str(chosen["id"]),
            "--actor",
            "anna",
        ),
    ]:
        code, out = run(db, *step)
        assert code == 0, (step, out)


def test_the_seeds_round_trip_exactly(db_url: str, seeds_dir: Path, tmp_path: Path) -> None:
    _reviewed_seeds(db_url, seeds_dir)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert run(db_url, "export", "-o", str(first))[0] == 0
    copy_db = f"sqlite:///{tmp_path / 'copy.db'}"
    assert run(copy_db, "init")[0] == 0  # the bare tracker of init is replaced by the import
    code, out = run(copy_db, "import", str(first))
    assert code == 0, out
    assert "imported" in out and "audit head" in out
    code, out = run(copy_db, "audit", "verify")
    assert code == 0, out
    assert run(copy_db, "export", "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["audit"]["log"] and data["verdicts"][0]["author"] is None  # no account "anna"
    code, out = run(copy_db, "import", str(first))
    assert code == 1 and "needs an empty store" in out


def test_csv_and_datapackage_from_the_cli(db_url: str, seeds_dir: Path, tmp_path: Path) -> None:
    _reviewed_seeds(db_url, seeds_dir)
    code, out = run(db_url, "export", "--format", "csv", "-o", str(tmp_path / "draft"))
    assert code == 0, out  # a draft tracker: the public tables are empty
    assert (tmp_path / "draft" / "pledges.csv").read_text(encoding="utf-8").count("\n") == 1
    assert run(db_url, "tracker", "publish", "sthlm", "--actor", "anna")[0] == 0
    code, out = run(db_url, "export", "--format", "csv", "-o", str(tmp_path / "csv"))
    assert code == 0, out
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "codebook.json",
        "documents.csv",
        "evidence.csv",
        "pledges.csv",
        "trackers.csv",
        "verdicts.csv",
    ]
    pledges = (tmp_path / "csv" / "pledges.csv").read_text(encoding="utf-8")
    assert ",in_the_works," in pledges and ",Partiet,2022," in pledges
    # QA: Swedish Excel garbled the tables; `--format excel` writes them for it (BOM, ";")
    code, out = run(db_url, "export", "--format", "excel", "-o", str(tmp_path / "excel"))
    assert code == 0, out
    assert sorted(p.name for p in (tmp_path / "excel").iterdir()) == sorted(
        p.name for p in (tmp_path / "csv").iterdir()
    )
    excel = (tmp_path / "excel" / "pledges.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbfpledge_id;party;election;text;")
    assert ";in_the_works;" in excel.decode("utf-8") and ";Partiet;2022;" in excel.decode()
    assert not pledges.startswith("\ufeff")  # the default stays as it was
    code, out = run(db_url, "export", "--format", "datapackage", "-o", str(tmp_path / "p.zip"))
    assert code == 0, out
    import zipfile

    from frictionless import validate

    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
    assert validate(tmp_path / "unzipped" / "datapackage.json").valid
    code, out = run(db_url, "export", "--format", "csv")
    assert code == 1 and "give a folder or a .zip" in out
    code, out = run(db_url, "export", "--format", "xml")
    assert code == 1 and "use json, csv, datapackage, excel" in out


def test_import_refuses_what_is_not_an_export(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": "world"}', encoding="utf-8")
    code, out = run(db, "import", str(bad))
    assert code == 1 and "is not a Löfte export" in out and "Traceback" not in out
    code, out = run(db, "import", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read" in out


def test_an_output_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    """`-o` into a missing folder (or onto a folder) was a FileNotFoundError traceback; now an
    error naming the path, exit 1, and nothing left behind. `--warc` likewise."""
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert run(db, "init")[0] == 0
    missing = tmp_path / "missing" / "x.json"
    result = runner.invoke(app, ["--db", db, "export", "-o", str(missing)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1, out
    assert f"cannot write {missing}" in out and "Traceback" not in out
    assert result.exception is None or isinstance(result.exception, SystemExit)
    (tmp_path / "folder").mkdir()
    code, out = run(db, "export", "-o", str(tmp_path / "folder"))
    assert code == 1 and f"cannot write {tmp_path / 'folder'}" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "x.db"]
    warc = tmp_path / "missing" / "a.warc.gz"
    code, out = run(db, "export", "-o", str(tmp_path / "y.json"), "--warc", str(warc))
    assert code == 1 and f"cannot write {warc}" in out


def test_one_trackers_open_data_from_the_cli(tmp_path: Path) -> None:
    """`--tracker` (QA at the term's end): one tracker's tables; refused for the JSON export
    (the store's transfer format) and with --warc (every tracker's pages); an unknown one
    is named."""
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert run(db, "init")[0] == 0
    for slug in ("sthlm", "sthlm-2026"):
        assert run(db, "tracker", "add", slug)[0] == 0
        assert run(db, "tracker", "publish", slug)[0] == 0
    code, out = run(
        db, "export", "--format", "csv", "--tracker", "sthlm-2026", "-o", str(tmp_path / "t")
    )
    assert code == 0, out
    trackers = (tmp_path / "t" / "trackers.csv").read_text(encoding="utf-8").splitlines()
    assert len(trackers) == 2 and ",sthlm-2026," in f",{trackers[1]},"
    code, out = run(db, "export", "--format", "csv", "--tracker", "nope", "-o", str(tmp_path / "n"))
    assert code == 1 and "no tracker named 'nope'" in out
    code, out = run(db, "export", "--tracker", "sthlm")
    assert code == 1 and "--tracker is for csv, excel and datapackage" in " ".join(out.split())
    assert run(db, "tracker", "add", "utkast")[0] == 0  # a draft: no public tables (review)
    code, out = run(
        db, "export", "--format", "csv", "--tracker", "utkast", "-o", str(tmp_path / "u")
    )
    assert code == 1 and "'utkast' is a draft (not published)" in out, out
    code, out = run(
        db, "export", "--format", "csv", "--tracker", "utkast", "--include-unpublished",
        "-o", str(tmp_path / "u"),
    )  # fmt: skip
    assert code == 0, out
    code, out = run(
        db, "export", "--format", "csv", "--tracker", "sthlm", "-o", str(tmp_path / "w"),
        "--warc", str(tmp_path / "w.warc.gz"),
    )  # fmt: skip
    assert code == 1 and "leave out --tracker" in out
    assert not (tmp_path / "w.warc.gz").exists()
