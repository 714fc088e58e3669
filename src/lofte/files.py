"""Small file-system helpers shared by the writers of exports, backups, reports and sites."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path


def remove_quietly(path: Path) -> None:
    """Remove a leftover temporary file if it is there. Any OSError is ignored: `missing_ok`
    covers a missing file, not a path through a file (NotADirectoryError), and a clean-up
    error raised in a `finally` would hide the error that names the path."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def write_target(path: Path) -> Path:
    """Where a writer that moves a finished temporary file into place moves it: the file a
    link points to (moving onto the link turned it into a file, and its target kept the old
    content), and never a folder, device, pipe or socket (QA: `export -o /dev/full` as root
    turned the device into a regular file and said "wrote"). An OSError saying which, else."""
    # what the path leads to is asked first: /dev/stdout in a pipeline is a link to a pipe
    # that has no path to resolve to ("cannot write /proc/6675/fd/pipe:[1764394]", QA)
    if path.is_dir():
        raise OSError(errno.EISDIR, "it is a folder; name a file in it")
    if path.exists() and not path.is_file():
        raise OSError(errno.EINVAL, "it is not a regular file (a device, a pipe or a socket)")
    if path.is_symlink():
        path = path.resolve()  # a link to a file, or to a missing one: that file is written
    return path


def private_file(path: Path) -> None:
    """Create `path` empty, readable by its owner only, before anything is written into it: a
    backup holds the accounts' password hashes (a backup made with the umask's 644 was
    readable by every local user)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)  # an older file of that name keeps its mode through O_CREAT


def keep_mode(tmp: Path, path: Path) -> None:
    """Give the finished temporary file the mode of the file it is about to replace (QA: a
    backup its admin had made 600 was 644 after the next backup)."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
