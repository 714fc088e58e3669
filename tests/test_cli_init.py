"""`lofte init` says what it did: created the database, migrated it (from which revision), or
nothing when it was already current. Both databases."""

from __future__ import annotations

from typer.testing import CliRunner

from lofte.cli import app
from lofte.store.db import head_revision, shown_url

runner = CliRunner()


def _init(db: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, "init"])
    return result.exit_code, result.output


def test_init_says_it_created_the_database_and_then_nothing_more(db_url: str) -> None:
    ready = f"database ready: {shown_url(db_url)}"
    code, out = _init(db_url)
    assert code == 0, out
    assert out.strip() == f"{ready} (created, schema revision {head_revision()})"
    code, out = _init(db_url)  # already current: nothing to say beyond "ready"
    assert code == 0 and out.strip() == ready, out


def test_init_says_from_which_revision_it_migrated(db_url: str) -> None:
    # QA: "database ready" alone, where `restore` names the revisions it migrated between
    from alembic import command

    from lofte.store.db import _alembic_config, make_engine

    old = make_engine(db_url)
    command.upgrade(_alembic_config(old), "0012")
    old.dispose()
    code, out = _init(db_url)
    assert code == 0, out
    assert out.strip() == (
        f"database ready: {shown_url(db_url)} "
        f"(migrated from schema revision 0012 to {head_revision()})"
    )
