"""The CLI, run in-process: thin commands over the library, clear errors, JSON outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from lofte.cli import app
from lofte.publish.export import load_schema
from lofte.store.db import Store
from tests.cli_support import initialised_sqlite

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return initialised_sqlite(tmp_path)


def run(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.output


def test_quick_path_init_ingest_export(db: str, tmp_path: Path) -> None:
    news = tmp_path / "nyhet.txt"
    news.write_text(
        "Kvarnby bibliotek öppnar på söndagar från och med mars 2024.", encoding="utf-8"
    )
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
    code, out = run(
        db,
        "tracker",
        "add",
        "sjovik",
        "--name",
        "Sjöviks kommun 2022–2026",
        "--jurisdiction",
        "Sjöviks kommun",
        "--actor",
        "Gemenskapspartiet",
        "--actor",
        "Gröna Sjövik",
        "--term-start",
        "2022-10-15",
        "--term-end",
        "2026-10-14",
    )
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
    other = tmp_path / "annan.txt"
    other.write_text("En annan sida utan datum.", encoding="utf-8")
    # undated, and said so (QA, a first-day editor: 45 of 70 news items, and not a word)
    code, out = run(db, "ingest", str(other))
    said = " ".join(out.split())
    assert code == 0 and "note: 1 of the documents stored have no date" in said, out
    third = tmp_path / "tredje.txt"
    third.write_text("En tredje sida utan datum.", encoding="utf-8")
    code, out = run(db, "ingest", str(third), "--json")
    assert code == 0 and json.loads(out[out.index("[") :])[0]["undated"] == 1, out
    code, out = run(db, "ingest", str(page), "--date", "2017")
    assert code == 0 and "no date" not in out, out
    code, out = run(db, "documents", "--json")
    # the document record (publish.records), which carries the date's confidence too
    (dated,) = [d for d in json.loads(out) if d["title"].startswith("En gammal")]
    assert dated["date"] == {
        "value": "2017-01-01",
        "precision": "year",
        "provenance": "explicit",
        "confidence": 1.0,
    }
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


def test_export_to_dash_is_stdout_not_a_file_named_dash(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA (a cron script): `export -o -` wrote a file named "-" and printed "wrote -"."""
    monkeypatch.chdir(tmp_path)
    code, out = run(db, "export", "-o", "-")
    assert code == 0, out
    assert json.loads(out)["schema_version"] and not (tmp_path / "-").exists()
    code, out = run(db, "export", "--format", "csv", "-o", "-")
    assert code == 1 and "give a folder or a .zip" in out and not (tmp_path / "-").exists()
    code, out = run(db, "export", "-o", "./-")  # a file of that name, as the shell spells it
    assert code == 0 and json.loads((tmp_path / "-").read_text(encoding="utf-8"))


# --- the audit log: who, verify, export head (issue 9, item 7) --------------------------------


def _program_row(s, body: str, hash_char: str):  # type: ignore[no-untyped-def]
    """A tracker "sjovik" and one program document holding `body`, flushed."""
    from lofte.store import documents as document_store
    from lofte.store import trackers as tracker_store
    from lofte.store.schema import DocumentRow

    tracker = tracker_store.ensure_tracker(s, "sjovik")
    s.flush()
    doc = DocumentRow(
        tracker_id=tracker.id,
        origin="p.txt",
        item_key="",
        kind="program",
        title="p",
        body=body,
        content_hash=hash_char * 64,
        raw_sha256=document_store.put_raw(s, body.encode(), "text/plain"),
        stage="parse:test",
        stage_version="1",
    )
    s.add(doc)
    s.flush()
    return tracker, doc


def _pledge_db(db_url: str) -> tuple[str, int]:
    """An initialised database (SQLite or PostgreSQL) holding one candidate pledge."""
    from lofte.store.db import open_store
    from lofte.store.schema import PledgeRow

    result = runner.invoke(app, ["--db", db_url, "init"])
    assert result.exit_code == 0, result.output
    store = open_store(db_url)
    body = "Vi ska bygga 500 förskoleplatser."
    with store.session() as s:
        tracker, doc = _program_row(s, body, "a")
        pledge = PledgeRow(
            tracker_id=tracker.id,
            document_id=doc.id,
            start=0,
            end=len(body),
            quote=body,
            attributes={},
            confidence=1.0,
            stage="extract",
            stage_version="1",
        )
        s.add(pledge)
        s.flush()
        pledge_id = pledge.id
    store.dispose()
    return db_url, pledge_id


def _actors(db_url: str) -> list[tuple[str, str]]:
    from lofte.store import audit
    from lofte.store.db import open_store

    store = open_store(db_url)
    with store.session() as s:
        found = [(e.action, e.actor) for e in audit.list_events(s)]
    store.dispose()
    return found


def test_cli_edits_record_the_os_user_or_the_actor_given(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    db, pledge_id = _pledge_db(db_url)
    monkeypatch.setattr(getpass, "getuser", lambda: "osuser")
    code, out = run(db, "pledge", "confirm", str(pledge_id))
    assert code == 0, out
    code, out = run(db, "pledge", "edit", str(pledge_id), "--area", "Förskola", "--actor", "anna")
    assert code == 0, out
    code, out = run(
        db, "user", "add", "bo", "--password", "ett långt lösenord", "--actor", "admin1"
    )
    assert code == 0, out

    def no_login_name() -> str:
        raise OSError("no passwd entry")

    monkeypatch.setattr(getpass, "getuser", no_login_name)
    code, out = run(db, "pledge", "reject", str(pledge_id), "--reason", "dubblett")
    assert code == 0, out
    assert _actors(db) == [
        ("pledge.confirm", "osuser"),
        ("pledge.edit", "anna"),
        ("user.add", "admin1"),
        ("pledge.reject", "cli"),
    ]


def test_audit_verify_export_and_publish_catch_a_forged_verdict(
    db_url: str, tmp_path: Path
) -> None:
    from sqlalchemy import text

    from lofte.model import VerdictStatus
    from lofte.review.pledges import confirm
    from lofte.review.verdicts import set_verdict
    from lofte.store.db import open_store

    db, pledge_id = _pledge_db(db_url)
    store = open_store(db)
    confirm(store, pledge_id, actor="anna")  # verdicts are for confirmed pledges
    verdict = set_verdict(
        store, pledge_id, VerdictStatus.IN_THE_WORKS, "Upphandling pågår.", actor="anna"
    )
    code, out = run(db, "audit", "verify")
    assert code == 0, out
    assert "OK" in out
    code, out = run(db, "export")
    assert code == 0, out
    data = json.loads(out)
    jsonschema.validate(data, load_schema())
    head = data["audit"]["head"]
    assert data["audit"]["verified"] is True and head["seq"] == 2 and len(head["hash"]) == 64
    code, out = run(db, "audit", "verify", "--head", f"{head['seq']}:{head['hash']}")
    assert code == 0, out

    with store.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE verdicts SET status = 'kept', created_at = '2020-01-01 00:00:00' "
                "WHERE id = :v"
            ),
            {"v": verdict.id},
        )
    store.dispose()
    code, out = run(db, "audit", "verify")
    assert code == 1
    assert f"verdict {verdict.id} (pledge {pledge_id})" in out and "status" in out
    code, out = run(db, "audit", "verify", "--json")
    assert code == 1 and json.loads(out)["problems"][0]["entity"].startswith(
        f"verdict {verdict.id}"
    )
    code, out = run(db, "export")
    assert code == 1 and "does not verify" in out
    result = runner.invoke(app, ["--db", db, "export", "--allow-unverified"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["audit"]["verified"] is False and str(verdict.id) in data["audit"]["problems"][0]
    # the static site is publication too (found by QA: it wrote the edited verdict, exit 0)
    # (the site shows what `serve` shows: published, with a warning naming the problem)
    site = tmp_path / "site"
    code, out = run(db, "publish", "--static", str(site))
    assert code == 0 and (site / "index.html").is_file(), out
    assert "warning: the audit log does not verify (1 problems" in out
    assert f"verdict {verdict.id} (pledge {pledge_id})" in out


def test_cli_evidence_decisions_and_verdicts_record_their_actor(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    from lofte.store import audit
    from lofte.store.db import open_store
    from lofte.store.schema import PledgeRow
    from tests.review.fixtures import suggestion

    db, pledge_id = _pledge_db(db_url)
    store = open_store(db)
    with store.session() as s:
        pledge = s.get(PledgeRow, pledge_id)
        assert pledge is not None
        document_id = pledge.document_id
    evidence_id = suggestion(store, pledge_id, document_id, 5)
    store.dispose()
    monkeypatch.setattr(getpass, "getuser", lambda: "osuser")
    assert run(db, "user", "add", "anna", "--password", "ett långt lösenord")[0] == 0
    code, out = run(db, "accept-evidence", str(evidence_id))
    assert code == 0, out
    # the same decision again: nothing changed, and no advice to override (QA, a newcomer)
    code, out = run(db, "accept-evidence", str(evidence_id))
    said = " ".join(out.split())
    assert (
        code == 1 and "was already accepted: nothing changed" in said and "--any-state" not in said
    )
    code, out = run(db, "reject-evidence", str(evidence_id))
    assert code == 1 and "already accepted" in out  # a decision is not silently overwritten
    assert "perhaps by someone else" in out  # it was this user: not claimed to be another
    assert "--any-state decides it" in out  # the next step, on the command line only
    code, out = run(
        db, "reject-evidence", str(evidence_id), "--any-state", "--reason", "Bara ett förslag."
    )
    assert code == 0 and "rejected" in out, out
    code, out = run(db, "accept-evidence", str(evidence_id), "--any-state")
    assert code == 0, out
    store = open_store(db)
    with store.session() as s:
        decisions = [e.details for e in audit.list_events(s, "evidence", evidence_id)]
    store.dispose()
    assert decisions[-2]["reason"] == "Bara ett förslag." and "reason" not in decisions[-1]
    assert run(db, "pledge", "confirm", str(pledge_id))[0] == 0  # verdicts need a confirmed one
    code, out = run(
        db,
        "verdict",
        str(pledge_id),
        "--status",
        "kept",
        "--rationale",
        "Klart.",
        "--evidence",
        str(evidence_id),
        "--actor",
        "anna",
        "--version",
        "3",  # created, accepted evidence withdrawn (store.verdicts), confirmed
    )
    assert code == 0, out
    assert _actors(db) == [
        ("user.add", "osuser"),
        ("evidence.accept", "osuser"),
        ("evidence.reject", "osuser"),  # --any-state, with its reason
        ("evidence.accept", "osuser"),
        ("pledge.confirm", "osuser"),
        ("verdict.set", "anna"),
    ]
    code, out = run(db, "audit", "verify")
    assert code == 0, out
    result = runner.invoke(app, ["--db", db, "export"])
    assert json.loads(result.stdout)["verdicts"][0]["author"] == "anna"


def test_text_options_lose_their_control_characters(db_url: str) -> None:
    assert run(db_url, "init")[0] == 0
    code, out = run(
        db_url,
        "tracker",
        "add",
        "sjovik",
        "--name",
        "Sjövik\x00\x0b 2022–2026",
        "--jurisdiction",
        "Sjöviks\x1b kommun",
        "--actor",
        "S\x7f",
        "--actor",
        "V\x85",
        "--description",
        "rad ett\r\nrad\x01 två",
    )
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
    news.write_text(
        "Fullmäktige beslutade i dag att bygga en ny simhall i Norrvik.", encoding="utf-8"
    )
    code, out = run(db, "ingest", str(news), "--kind", "decision", "--json")
    assert code == 0, out
    code, out = run(db, "documents", "--kind", "decision", "--json")
    assert code == 0 and len(json.loads(out)) == 1, out


# --- `lofte pledges`: candidate rank and precision (issue 10, item 1) ----------------------------


def _ranked_db(db_url: str) -> tuple[str, dict[str, int]]:
    """Candidates of one program with different ranks and precisions, one without (an older row)."""
    from lofte.store.db import open_store
    from lofte.store.schema import PledgeRow

    assert runner.invoke(app, ["--db", db_url, "init"]).exit_code == 0
    body = "Vi ska bygga 500 förskoleplatser. Vi vill ha en bättre skola. Vi ska rusta parken. Simhall."
    parts = {
        "platser": ("Vi ska bygga 500 förskoleplatser.", {"rank": 0.8, "precision": "specific"}),
        "skola": ("Vi vill ha en bättre skola.", {"rank": 0.35, "precision": "vague"}),
        "parken": ("Vi ska rusta parken.", {"rank": 0.95, "precision": "specific"}),
        "simhall": ("Simhall.", {"type": "action"}),
    }
    store = open_store(db_url)
    ids: dict[str, int] = {}
    with store.session() as s:
        tracker, doc = _program_row(s, body, "b")
        for name, (quote, attributes) in parts.items():
            start = body.index(quote)
            row = PledgeRow(
                tracker_id=tracker.id,
                document_id=doc.id,
                start=start,
                end=start + len(quote),
                quote=quote,
                attributes=attributes,
                confidence=attributes.get("rank", 0.5),
                stage="extract",
                stage_version="1",
            )
            s.add(row)
            s.flush()
            ids[name] = row.id
    store.dispose()
    return db_url, ids


def _listed(db: str, *args: str) -> list[dict[str, object]]:
    code, out = run(db, "pledges", "--json", *args)
    assert code == 0, out
    return json.loads(out)  # type: ignore[no-any-return]


def test_pledges_lists_rank_and_precision_and_filters_by_them(db_url: str) -> None:
    db, ids = _ranked_db(db_url)
    listed = _listed(db)
    in_position = [ids["platser"], ids["skola"], ids["parken"], ids["simhall"]]
    assert [p["id"] for p in listed] == in_position  # the default stays document order
    by_id = {p["id"]: p for p in listed}
    # the JSON is the pledge record (publish.records): rank and precision are its attributes
    parken, simhall = by_id[ids["parken"]]["attributes"], by_id[ids["simhall"]]["attributes"]
    assert parken["rank"] == 0.95 and parken["precision"] == "specific"
    assert "rank" not in simhall and "precision" not in simhall
    assert [p["id"] for p in _listed(db, "--sort", "rank")] == [
        ids["parken"],
        ids["platser"],
        ids["skola"],
        ids["simhall"],
    ]  # unranked last
    assert [p["id"] for p in _listed(db, "--precision", "specific", "--sort", "rank")] == [
        ids["parken"],
        ids["platser"],
    ]
    assert [p["id"] for p in _listed(db, "--precision", "vague")] == [ids["skola"]]
    assert [p["id"] for p in _listed(db, "--min-rank", "0.5")] == [ids["platser"], ids["parken"]]
    assert [p["id"] for p in _listed(db, "--min-rank", "0.9", "--precision", "vague")] == []
    assert len(_listed(db, "--min-rank", "0")) == 4  # 0 keeps the unranked
    code, out = run(db, "pledges", "--sort", "rank")  # the table shows both, "–" when unknown
    assert code == 0 and "0.95" in out and "specific" in out and "vague" in out and "–" in out
    rows = [int(m) for m in re.findall(r"^\W*(\d+)\W", out, flags=re.MULTILINE)]
    assert rows == [ids["parken"], ids["platser"], ids["skola"], ids["simhall"]]


def test_pledges_refuses_bad_ranking_options(db_url: str) -> None:
    db, _ = _ranked_db(db_url)
    for value in ("1.5", "abc", "nan", "-0.1"):
        code, out = run(db, "pledges", "--min-rank", value)
        assert code == 1 and "--min-rank must be a number from 0 to 1" in out, value
    code, out = run(db, "pledges", "--precision", "exact")
    assert code == 2 and "exact" in out  # not one of the choices: a usage error
    code, out = run(db, "pledges", "--sort", "random")
    assert code == 2 and "random" in out


def test_pledge_confirm_names_the_candidate_parts_it_confirmed(store: Store) -> None:
    from tests.review.test_pledges import _group_with_parts

    group, (housing, pool) = _group_with_parts(store)
    assert run(store.url, "pledge", "reject", str(pool), "--actor", "bo")[0] == 0
    code, out = run(store.url, "pledge", "confirm", str(group), "--actor", "anna")
    assert code == 0, out
    assert out.splitlines()[-1] == f"its candidate parts confirmed with it: {housing}"  # not pool
    code, out = run(store.url, "pledge", "confirm", str(pool), "--actor", "anna")
    assert code == 0 and "parts" not in out  # a pledge without candidate parts says nothing more
    code, out = run(store.url, "pledge", "confirm", str(housing), "--actor", "anna")
    assert code == 1 and f"pledge {housing} is already confirmed: nothing changed" in out


def test_a_negative_limit_and_an_empty_date_are_refused(tmp_path: Path) -> None:
    """QA: `documents --limit -5` listed everything; `ingest --date ""` was taken as no date."""
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    limited = runner.invoke(app, ["--db", db, "documents", "--limit", "-5"])
    assert limited.exit_code == 2 and "greater than or equal to 1" in limited.output
    news = tmp_path / "nyhet.txt"
    news.write_text("Kommunen bygger en skola.\n", encoding="utf-8")
    dated = runner.invoke(app, ["--db", db, "ingest", str(news), "--date", ""])
    assert dated.exit_code != 0 and "invalid date ''" in dated.output


def test_an_unknown_tracker_says_how_to_find_or_make_one(tmp_path: Path) -> None:
    """QA: the README's `source add … --tracker sthlm-2022` said only "no tracker named"."""
    db = f"sqlite:///{tmp_path / 't.db'}"
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "documents", "--tracker", "sthlm-2022"])
    assert result.exit_code == 1
    assert "no tracker named 'sthlm-2022'" in result.output
    assert "lofte tracker list" in result.output and "lofte tracker add" in result.output


def test_an_unknown_tracker_is_named_with_how_to_list_or_make_one(db_url: str) -> None:
    assert run(db_url, "init")[0] == 0
    code, out = run(db_url, "pledges", "--tracker", "ingen-sådan")
    assert code == 1 and "no tracker named 'ingen-sådan'" in out
    assert "`lofte tracker list` shows the trackers" in out


def test_a_misspelt_tracker_is_named_as_it_is_spelt(db_url: str) -> None:
    """QA, a first-day editor: "stockholm2022" said only that no such tracker exists."""
    assert run(db_url, "init")[0] == 0
    assert run(db_url, "tracker", "add", "stockholm-2022", "--name", "Stockholm")[0] == 0
    assert run(db_url, "tracker", "add", "goteborg-2022", "--name", "Göteborg")[0] == 0
    for typed in ("stockholm2022", "Stockholm-2022", "stokholm-2022"):
        code, out = run(db_url, "pledges", "--tracker", typed)
        said = " ".join(out.split())
        assert code == 1 and f"no tracker named '{typed}' (did you mean 'stockholm-2022'?);" in said
        assert "`lofte tracker list` shows the trackers" in said
    code, out = run(db_url, "tracker", "show", "oslo-2022")
    assert code == 1 and "did you mean" not in out


def test_a_file_name_the_shell_split_at_its_spaces_is_named(tmp_path: Path) -> None:
    """QA, a first-day editor: `lofte ingest my news.txt` failed on 'my' and 'news.txt'."""
    db = initialised_sqlite(tmp_path)
    (tmp_path / "my news.txt").write_text("Staden bygger en ny skola.\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text("Staden bygger en ny väg.\n", encoding="utf-8")
    split = [str(tmp_path / "my"), "news.txt"]
    code, out = run(db, "ingest", *split, str(tmp_path / "other.txt"), *split, "--kind", "news")
    said = " ".join(out.split())
    assert code == 1 and said.count("no such file") >= 4
    assert said.count(f"note: {tmp_path}/my news.txt exists") == 1
    assert f"as in '{tmp_path}/my news.txt'" in said
    code, out = run(db, "ingest", str(tmp_path / "no"), "such.txt", "--kind", "news")
    assert code == 1 and "exists" not in out


def test_a_split_name_with_a_run_of_spaces_or_of_a_folder_is_named(tmp_path: Path) -> None:
    """Review: the hint missed "my  news.txt" (two spaces) and folders."""
    db = initialised_sqlite(tmp_path)
    (tmp_path / "my  news.txt").write_text("Staden bygger en ny skola.\n", encoding="utf-8")
    (tmp_path / "nya nyheter").mkdir()
    (tmp_path / "nya nyheter" / "a.txt").write_text("Staden bygger en ny väg.\n", "utf-8")
    code, out = run(
        db,
        "ingest",
        str(tmp_path / "my"),
        "news.txt",
        str(tmp_path / "nya"),
        "nyheter",
        "--kind",
        "news",
    )
    said = " ".join(out.split())
    assert code == 1
    assert f"as in '{tmp_path}/my  news.txt'" in out  # width 1000: not wrapped
    assert f"note: {tmp_path}/nya nyheter exists" in said
