"""`backup._run_script`: pg_restore's SQL as a restore runs it on its own connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lofte.store import backup


class _Copy:
    def __init__(self, rows: list[bytes]) -> None:
        self.rows = rows

    def __enter__(self) -> _Copy:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, row: bytes) -> None:
        self.rows.append(row)


class _Cursor:
    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.copied: dict[bytes, list[bytes]] = {}

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute(self, query: bytes) -> None:
        self.sent.append(query)

    def copy(self, statement: bytes) -> _Copy:
        return _Copy(self.copied.setdefault(statement, []))


class _Driver:
    def __init__(self, server_version: int) -> None:
        self.info = type("Info", (), {"server_version": server_version})()
        self.cur = _Cursor()

    def cursor(self) -> _Cursor:
        return self.cur


SCRIPT = (
    b"\\restrict abc123\n"
    b"SET statement_timeout = 0;\n"
    b"SET transaction_timeout = 0;\n"
    b"CREATE TABLE public.t (a integer);\n"
    b"COPY public.t (a) FROM stdin;\n"
    b"1\n2\n\\.\n"
    b"ALTER TABLE public.t ADD PRIMARY KEY (a);\n"
    b"\\unrestrict abc123\n"
)


@pytest.mark.parametrize("version, kept", [(160004, False), (170002, True)])
def test_the_script_runs_its_statements_and_copies_its_rows(
    tmp_path: Path, version: int, kept: bool
) -> None:
    """Review: pg_restore 17+ writes `SET transaction_timeout = 0;` whatever the server, and a
    server before 17 refuses it (the whole restore with it); psql's \\restrict lines are no SQL."""
    script = tmp_path / "restore.sql"
    script.write_bytes(SCRIPT)
    driver: Any = _Driver(version)
    backup._run_script(driver, script)
    sent = b"".join(driver.cur.sent)
    assert b"\\restrict" not in sent and b"\\unrestrict" not in sent
    assert (b"SET transaction_timeout = 0;" in sent) is kept
    assert sent.index(b"CREATE TABLE") < sent.index(b"ALTER TABLE")  # before and after the rows
    assert driver.cur.copied == {b"COPY public.t (a) FROM stdin": [b"1\n", b"2\n"]}


def test_a_script_cut_inside_its_rows_is_refused(tmp_path: Path) -> None:
    script = tmp_path / "restore.sql"
    script.write_bytes(b"COPY public.t (a) FROM stdin;\n1\n")
    with pytest.raises(backup.BackupError, match="ends inside the rows"):
        backup._run_script(_Driver(170000), script)  # type: ignore[arg-type]
