"""What a newsroom data editor following docs/cli.md ran into (QA): `--include` with folders,
a `--url-base` naming another month than the files' folders, `pledges --area` in another
letter case, the parties of `tracker add` and `tracker edit`, a program of no party."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from lofte.cli import app
from tests.cli_support import initialised_sqlite

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return initialised_sqlite(tmp_path)


def invoke(db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *args])


def _archive(root: Path) -> None:
    """A small copy of the government's record: two months of press releases and a debate
    article, with the archive's index."""
    for name, title in (
        ("pressmeddelanden/2023/03/simhall.md", "Ny simhall i Norrvik"),
        ("pressmeddelanden/2023/04/skola.md", "Fler lärare i skolan"),
        ("debattartiklar/2023/03/debatt.md", "Vi satsar på idrotten"),
    ):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {title}\n\nRegeringen meddelar att {title.lower()}.\n", "utf-8")
    (root / "index.csv").write_text("path,title\n", "utf-8")


def test_an_include_pattern_with_a_slash_picks_files_by_their_path(db: str, tmp_path: Path) -> None:
    """QA: `lofte ingest ARCHIVE --include 'pressmeddelanden/2023/03/*.md'` walked the archive
    and said "nothing to ingest": --include matched file names only."""
    archive = tmp_path / "regeringen"
    _archive(archive)
    month = "pressmeddelanden/2023/03/*.md"
    result = invoke(db, "ingest", str(archive), "--include", month, "--json")
    assert result.exit_code == 0, result.output
    (read,) = json.loads(result.output)
    assert read["input"].endswith("pressmeddelanden/2023/03/simhall.md")
    assert read["outcome"] == "inserted"
    # a pattern naming the folder given itself matches nothing below it: said so
    result = invoke(db, "ingest", str(archive), "--include", f"regeringen/{month}")
    assert result.exit_code == 1
    assert "a pattern with a / matches a file's path below the folder given" in result.output


def test_files_given_by_name_with_another_month_s_url_base_are_named_in_a_warning(
    db: str, tmp_path: Path
) -> None:
    """QA: two files of …/2022/09/ given with `--url-base …/pressmeddelanden/2022/10/` were
    dated 2022-09 by their folders and linked to pages of 2022/10, with no warning."""
    month = tmp_path / "regeringen" / "pressmeddelanden" / "2022" / "09"
    month.mkdir(parents=True)
    files = []
    for slug in ("ny-ambassador-i-nigeria", "ny-ambassador-i-marocko"):
        (month / f"{slug}.md").write_text(f"# {slug}\n\nRegeringen har utsett.\n", "utf-8")
        files.append(str(month / f"{slug}.md"))
    base = "https://www.regeringen.se/pressmeddelanden/2022/10/"
    result = invoke(db, "ingest", *files, "--url-base", base, "--json")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: --url-base: {files[0]}, {files[1]} are filed under 2022/09/ and dated so, "
        "but their addresses would be under 2022/10/ "
        "(https://www.regeringen.se/pressmeddelanden/2022/10/ny-ambassador-i-nigeria/): give "
        "--url-base https://www.regeringen.se/pressmeddelanden/2022/09/ for them"
    ]
    # with the base that agrees: no warning
    result = invoke(db, "ingest", *files, "--url-base", base.replace("/10/", "/09/"), "--json")
    assert result.exit_code == 0 and "warning:" not in result.output, result.output


def test_pledges_match_an_area_in_any_letter_case_as_the_web_does(db: str, tmp_path: Path) -> None:
    """QA: `lofte pledges --area "trygg på jobbet"` listed nothing while "Trygg på jobbet"
    listed 2; --party matched any case, and the web's filters and the API match any case."""
    program = tmp_path / "program.txt"
    program.write_text(
        "Vårt program\n\nTrygg på jobbet\n\nVi ska införa en ny arbetsmiljölag.\n"
        "Vi ska anställa fler arbetsmiljöinspektörer.\n\nSkola\n\nVi ska bygga tio nya skolor.\n",
        "utf-8",
    )
    assert invoke(db, "tracker", "add", "t", "--party", "S", "--party", "V").exit_code == 0
    assert invoke(db, "ingest", str(program), "--tracker", "t", "--party", "S").exit_code == 0
    assert invoke(db, "extract", "--tracker", "t").exit_code == 0

    def quotes(*args: str) -> list[str]:
        result = invoke(db, "pledges", "--json", *args)
        assert result.exit_code == 0, result.output
        return [p["quote"] for p in json.loads(result.output)]

    work = ["Vi ska införa en ny arbetsmiljölag.", "Vi ska anställa fler arbetsmiljöinspektörer."]
    assert quotes("--area", "Trygg på jobbet") == work
    assert quotes("--area", "trygg på jobbet") == work
    assert quotes("--area", " TRYGG  på\tjobbet ") == work
    assert quotes("--area", "skola", "--party", "s") == ["Vi ska bygga tio nya skolor."]
    assert quotes("--area", "") == [] and quotes("--party", "") == []  # none without one
    assert quotes("--party", "s", "--state", "confirmed") == []  # known, none confirmed
    # V is a party the tracker follows, with no pledge yet; S has none in another area
    # (review: each value was checked against what the other filter had left)
    assert quotes("--tracker", "t", "--party", "V") == []
    assert quotes("--tracker", "t", "--area", "Skola", "--party", "V") == []
    assert quotes("--area", "Trygg på jobbet", "--party", "S") == work
    # a value no pledge has is an error naming those there are (QA, a political scientist:
    # --party KD, --party Moderaterna and --document 9999 listed nothing, exit 0)
    for option, value, known in (
        ("--party", "KD", "known: S"),  # without --tracker: the pledges' parties
        ("--area", "Finns inte", "known: Skola; Trygg på jobbet"),
    ):
        result = invoke(db, "pledges", option, value)
        assert result.exit_code == 1 and known in result.output, result.output
        assert f"no pledge here has the {option[2:]} '{value}'" in result.output
    result = invoke(db, "pledges", "--document", "9999")
    assert result.exit_code == 1 and "no document with id 9999" in result.output


def test_tracker_add_and_edit_name_the_parties_alike(db: str) -> None:
    """QA: `tracker edit t2 --actor S --actor V` said "nothing to change" (the parties are
    --party there, --actor its audit name), and `tracker add --party` was no option."""
    assert invoke(db, "tracker", "add", "t1", "--party", "S", "--party", "V").exit_code == 0
    assert invoke(db, "tracker", "add", "t2", "--actor", "S").exit_code == 0  # the old name
    result = invoke(db, "tracker", "add", "--help")
    assert "--party" in result.output and "--actor" not in result.output  # kept, hidden

    def actors(slug: str) -> list[str]:
        return json.loads(invoke(db, "tracker", "show", slug).output)["actors"]

    assert actors("t1") == ["S", "V"] and actors("t2") == ["S"]
    # --actor given twice, or alone, is never taken for "nothing to change": it names --party
    result = invoke(db, "tracker", "edit", "t2", "--actor", "S", "--actor", "V")
    assert result.exit_code == 1 and "nothing to change" not in result.output
    assert "--actor is given 2 times" in result.output
    assert "--party S --party V" in result.output
    result = invoke(db, "tracker", "edit", "t2", "--actor", "S")
    assert result.exit_code == 1 and "nothing to change" not in result.output
    assert "the tracker's parties are --party (--party S)" in result.output
    assert actors("t2") == ["S"]
    result = invoke(db, "tracker", "edit", "t2", "--party", "S", "--party", "V", "--actor", "anna")
    assert result.exit_code == 0, result.output
    assert actors("t2") == ["S", "V"]
    # options given that change nothing are named, not passed over
    result = invoke(db, "tracker", "edit", "t2", "--party", "S", "--party", "V", "--name", "t2")
    assert result.exit_code == 1
    assert "nothing to change: tracker t2 already has name 't2'; parties S, V" in result.output


def test_a_program_of_no_party_in_a_tracker_of_several_actors_is_warned_about(
    db: str, tmp_path: Path
) -> None:
    """QA: a program ingested without --party into a tracker of several actors, then
    `lofte extract`: 135 pledges of no party, and not a word."""
    program = tmp_path / "valprogram.txt"
    program.write_text(
        "Valprogram 2022\n\nSkola\n\nVi ska bygga tio nya skolor.\nVi ska anställa fler lärare.\n",
        "utf-8",
    )
    parties = ("--party", "S", "--party", "V", "--party", "MP")
    assert invoke(db, "tracker", "add", "rg", *parties).exit_code == 0
    result = invoke(db, "ingest", str(program), "--tracker", "rg", "--kind", "program")
    assert result.exit_code == 0, result.output
    said = (
        "is a program of no party, and tracker rg has 3 actors (S, V, MP): its pledges have no "
        "party; give --party when ingesting, or `lofte document edit 1 --party NAME` gives it "
        "one, and its pledges with it"
    )
    assert f"document 1 {said}" in " ".join(result.output.split())
    warning = f"warning: document 1 (Valprogram 2022) {said}"
    result = invoke(db, "extract", "--tracker", "rg")
    assert result.exit_code == 0 and warning in result.output, result.output
    result = invoke(db, "extract", "--tracker", "rg", "--json")  # said again while it is so
    assert warning in result.output
    assert invoke(db, "document", "edit", "1", "--party", "v").exit_code == 0
    result = invoke(db, "extract", "--tracker", "rg", "--json")
    assert "warning" not in result.output.replace('"warnings": []', "")
    pledges = json.loads(invoke(db, "pledges", "--json").output)
    assert pledges and {p["party"] for p in pledges} == {"V"}
    # a tracker of one actor: its program is that actor's, plainly; no warning
    assert invoke(db, "tracker", "add", "sthlm", "--party", "S").exit_code == 0
    result = invoke(db, "ingest", str(program), "--tracker", "sthlm", "--kind", "program")
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    result = invoke(db, "extract", "--tracker", "sthlm")
    assert result.exit_code == 0 and "warning" not in result.output, result.output
