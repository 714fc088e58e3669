"""Writers that move a finished file into place: links, special files and modes (QA)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from lofte.files import keep_mode, private_file, write_target
from lofte.publish.export import write_json
from lofte.store.backup import backup
from lofte.store.db import Store


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_link_is_written_through_and_special_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text("old", encoding="utf-8")
    (tmp_path / "link.json").symlink_to("real.json")
    assert write_target(tmp_path / "link.json") == (tmp_path / "real.json").resolve()
    assert write_target(tmp_path / "new.json") == tmp_path / "new.json"
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(OSError, match="not a regular file"):
        write_target(tmp_path / "pipe")
    with pytest.raises(OSError, match="folder"):
        write_target(tmp_path)


def test_a_link_to_an_unnamed_pipe_is_refused_as_one(tmp_path: Path) -> None:
    """`export -o /dev/stdout | head`: the link leads to a pipe with no path (QA: "cannot write
    /proc/6675/fd/pipe:[1764394]: No such file or directory")."""
    read, write = os.pipe()
    try:
        (tmp_path / "stdout").symlink_to(f"/proc/self/fd/{write}")
        with pytest.raises(OSError, match="not a regular file"):
            write_target(tmp_path / "stdout")
    finally:
        os.close(read)
        os.close(write)


def test_an_export_through_a_link_keeps_the_link_and_never_replaces_a_pipe(
    tmp_path: Path,
) -> None:
    # QA: the link became a file (its target kept "old"); a pipe was replaced by a file
    (tmp_path / "real.json").write_text("old", encoding="utf-8")
    (tmp_path / "link.json").symlink_to("real.json")
    write_json("{}", tmp_path / "link.json")
    assert (tmp_path / "link.json").is_symlink()
    assert (tmp_path / "real.json").read_text(encoding="utf-8") == "{}\n"
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(Exception, match=r"cannot write .*pipe: it is not a regular file"):
        write_json("{}", tmp_path / "pipe")
    assert stat.S_ISFIFO((tmp_path / "pipe").stat().st_mode)


def test_a_replaced_file_keeps_its_mode_and_a_private_one_starts_private(
    tmp_path: Path,
) -> None:
    (tmp_path / "e.json").write_text("old", encoding="utf-8")
    (tmp_path / "e.json").chmod(0o600)
    write_json("{}", tmp_path / "e.json")
    assert mode(tmp_path / "e.json") == 0o600  # QA: 644 after the next export
    private_file(tmp_path / "p")
    assert mode(tmp_path / "p") == 0o600 and (tmp_path / "p").read_bytes() == b""
    (tmp_path / "t").write_text("x", encoding="utf-8")
    keep_mode(tmp_path / "t", tmp_path / "missing")  # nothing to keep: unchanged
    assert (tmp_path / "t").exists()


def test_a_backup_is_owner_only_keeps_a_given_mode_and_writes_through_a_link(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # a backup holds the password hashes: the umask's 644 let every local user read them
    backup(sqlite_store, tmp_path / "b.db")
    assert mode(tmp_path / "b.db") == 0o600
    (tmp_path / "b.db").chmod(0o640)  # the admin shares it with a group
    backup(sqlite_store, tmp_path / "b.db")
    assert mode(tmp_path / "b.db") == 0o640
    (tmp_path / "latest.db").symlink_to("b.db")
    backup(sqlite_store, tmp_path / "latest.db")
    assert (tmp_path / "latest.db").is_symlink()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_new_json_export_is_its_owners_only(tmp_path: Path) -> None:
    """It holds drafts, rejected items and editors' names (QA, an admin moving to PostgreSQL:
    the export was 644 where the backup is 600); an existing file's own mode is kept."""
    old = os.umask(0o022)
    try:
        write_json("{}", tmp_path / "ny.json")
        (tmp_path / "delad.json").write_text("old", encoding="utf-8")
        (tmp_path / "delad.json").chmod(0o640)
        write_json("{}", tmp_path / "delad.json")
    finally:
        os.umask(old)
    assert mode(tmp_path / "ny.json") == 0o600
    assert mode(tmp_path / "delad.json") == 0o640
