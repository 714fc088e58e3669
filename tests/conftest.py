"""Shared fixtures: the ../shared folder, temporary stores on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert SHARED.is_dir(), f"tests need the shared data folder beside the checkout: {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "seeds"


def _postgres_url() -> str | None:
    url = os.environ.get("LOFTE_TEST_POSTGRES_URL")
    if not url and os.environ.get("CI"):
        pytest.fail("CI must test PostgreSQL: LOFTE_TEST_POSTGRES_URL is not set (see .ci/run)")
    return url


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from lofte.store.db import normalize_url

    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a wiped PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url = _postgres_url()
    if not url:
        pytest.skip("PostgreSQL not configured: set LOFTE_TEST_POSTGRES_URL (CI does)")
    _reset_postgres(url)
    return url


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    from lofte.store.db import open_store

    s = open_store(db_url, create=True)
    yield s
    s.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path):  # type: ignore[no-untyped-def]
    from lofte.store.db import open_store

    s = open_store(f"sqlite:///{tmp_path / 'lofte.db'}", create=True)
    yield s
    s.dispose()


@pytest.fixture
def postgres_store():  # type: ignore[no-untyped-def]
    """A migrated store on PostgreSQL only, for what SQLite does not have (TRUNCATE, roles)."""
    from lofte.store.db import open_store

    url = _postgres_url()
    if not url:
        pytest.skip("PostgreSQL not configured: set LOFTE_TEST_POSTGRES_URL (CI does)")
    _reset_postgres(url)
    s = open_store(url, create=True)
    yield s
    s.dispose()


# Tests never write the analyzer's split file to the user's cache folder (a test that checks it
# sets its own folder).
os.environ.setdefault("LOFTE_ANALYSIS_CACHE_DIR", "")
