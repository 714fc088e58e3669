"""The CLI, run in-process: thin commands over the library, clear errors, JSON outputs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from lofte.cli import app
from lofte.publish.export import load_schema

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["--db", url, "init"])
    assert result.exit_code == 0, result.output
    return url


def run(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.output


def test_quick_path_init_ingest_export(db: str, tmp_path: Path) -> None:
    news = tmp_path / "nyhet.txt"
    news.write_text("Kvarnby bibliotek öppnar på söndagar från och med mars 2024.", encoding="utf-8")
    code, out = run(db, "ingest", str(news), "--json")
    assert code == 0, out
    assert json.loads(out)[0]["outcome"] == "inserted"
    code, out = run(db, "export", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    jsonschema.validate(data, load_schema())
    assert data["documents"][0]["title"].startswith("Kvarnby bibliotek")
    assert data["documents"][0]["provenance"]["stage"] == "parse:plaintext"


def test_tracker_add_list_show(db: str) -> None:
    code, out = run(db, "tracker", "add", "sjovik", "--name", "Sjöviks kommun 2022–2026",
                    "--jurisdiction", "Sjöviks kommun", "--actor", "Gemenskapspartiet",
                    "--actor", "Gröna Sjövik", "--term-start", "2022-10-15", "--term-end", "2026-10-14")
    assert code == 0, out
    code, out = run(db, "tracker", "list", "--json")
    slugs = [t["slug"] for t in json.loads(out)]
    assert "sjovik" in slugs
    code, out = run(db, "tracker", "show", "sjovik")
    shown = json.loads(out)
    assert shown["actors"] == ["Gemenskapspartiet", "Gröna Sjövik"]
    assert shown["term_end"] == "2026-10-14"


def test_errors_are_messages_not_tracebacks(db: str) -> None:
    code, out = run(db, "tracker", "show", "saknas")
    assert code == 1
    assert "no tracker named 'saknas'" in out
    code, out = run(db, "tracker", "add", "x", "--term-start", "15/10/2022")
    assert code == 1 and "YYYY-MM-DD" in out


def test_ingest_names_each_failed_file_and_exits_nonzero(db: str, tmp_path: Path) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("Nya cykelbanor i Solgården.", encoding="utf-8")
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    code, out = run(db, "ingest", str(good), str(empty), str(tmp_path / "saknas.txt"))
    assert code == 1
    assert "tom.txt" in out and "saknas.txt" in out
    code, out = run(db, "documents", "--json")
    assert len(json.loads(out)) == 1


def test_ingest_date_option(db: str, tmp_path: Path) -> None:
    page = tmp_path / "sida.txt"
    page.write_text("En gammal sida utan datum.", encoding="utf-8")
    code, out = run(db, "ingest", str(page), "--date", "2017")
    assert code == 0, out
    code, out = run(db, "documents", "--json")
    assert json.loads(out)[0]["date"] == {"value": "2017-01-01", "precision": "year", "provenance": "explicit"}
    code, out = run(db, "ingest", str(page), "--date", "2017-13")
    assert code == 1


def test_commands_refuse_an_uninitialised_database(tmp_path: Path) -> None:
    code, out = run(f"sqlite:///{tmp_path / 'new.db'}", "documents")
    assert code == 1 and "lofte init" in out


def test_export_to_a_file(db: str, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out = run(db, "export", "--format", "json", "-o", str(target))
    assert code == 0, out
    jsonschema.validate(json.loads(target.read_text(encoding="utf-8")), load_schema())
    code, _ = run(db, "export", "--format", "xml")
    assert code == 1


def test_text_options_lose_their_control_characters(db_url: str) -> None:
    assert run(db_url, "init")[0] == 0
    code, out = run(db_url, "tracker", "add", "sjovik", "--name", "Sjövik\x00\x0b 2022–2026",
                    "--jurisdiction", "Sjöviks\x1b kommun", "--actor", "S\x7f", "--actor", "V\x85",
                    "--description", "rad ett\r\nrad\x01 två")
    assert code == 0, out
    shown = json.loads(run(db_url, "tracker", "show", "sjovik")[1])
    assert shown["name"] == "Sjövik 2022–2026" and shown["jurisdiction"] == "Sjöviks kommun"
    assert shown["actors"] == ["S", "V"] and shown["description"] == "rad ett\nrad två"


def test_ingest_warns_about_a_file_mixing_encodings(db: str, tmp_path: Path) -> None:
    from tests.sources.test_decode import MIXED_BYTES

    mixed = tmp_path / "blandad.txt"
    mixed.write_bytes(MIXED_BYTES)
    result = CliRunner().invoke(app, ["--db", db, "ingest", str(mixed)])
    assert result.exit_code == 0, result.output
    squeezed = "".join(result.output.split())  # the console wraps long lines
    assert "".join(f"warning: {mixed.resolve()}: mixed encodings".split()) in squeezed


def test_every_command_cleans_its_text_at_the_edge() -> None:
    """Each command goes through `handle_errors`, which also cleans text arguments."""
    import typer

    from lofte.cli import handle_errors

    wrapper_code = handle_errors(lambda: None).__code__
    seen = []

    def walk(typer_app: typer.Typer, prefix: str) -> None:
        for command in typer_app.registered_commands:
            name = f"{prefix} {command.name or command.callback.__name__}"  # type: ignore[union-attr]
            seen.append(name)
            assert command.callback.__code__ is wrapper_code, f"{name} lacks @handle_errors"  # type: ignore[union-attr]
        for group in typer_app.registered_groups:
            walk(group.typer_instance, f"{prefix} {group.name}")  # type: ignore[arg-type]

    walk(app, "lofte")
    assert len(seen) > 10, seen


def test_choice_options_keep_their_type_through_the_cleaning(db: str, tmp_path: Path) -> None:
    news = tmp_path / "beslut.txt"
    news.write_text("Fullmäktige beslutade i dag att bygga en ny simhall i Norrvik.", encoding="utf-8")
    code, out = run(db, "ingest", str(news), "--kind", "decision", "--json")
    assert code == 0, out
    code, out = run(db, "documents", "--kind", "decision", "--json")
    assert code == 0 and len(json.loads(out)) == 1, out
