"""Small file-system helpers shared by the writers of exports, backups, reports and sites."""

from __future__ import annotations

import contextlib
from pathlib import Path


def remove_quietly(path: Path) -> None:
    """Remove a leftover temporary file if it is there. Any OSError is ignored: `missing_ok`
    covers a missing file, not a path through a file (NotADirectoryError), and a clean-up
    error raised in a `finally` would hide the error that names the path."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
