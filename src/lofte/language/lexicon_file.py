"""The compound lexicon kept across runs, in one file per dictionary.

Reading hunspell-sv's 279,000 entries and their suffix rules takes one to two seconds; the
three sets it yields never change for one dictionary, so they are kept in
`<dir>/compound-lexicon-<key>.marshal` (about 10 MB) and read back in a fraction of that. The
key hashes the dictionary files and the lexicon's format: another dictionary starts a new
file. The file is written to a temporary name and renamed, so a reader never sees half of it;
one that cannot be read is rebuilt.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMAT = 2  # raise when Lexicon.load changes what it keeps


def file_key(dictionary_files: Iterable[Path]) -> str:
    """12 hex digits of the dictionary's bytes and the format."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for path in dictionary_files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def path_for(folder: Path, key: str) -> Path:
    return folder / f"compound-lexicon-{key}.marshal"


def read(path: Path) -> Any | None:
    """What `write` stored, or None when the file is missing or unreadable."""
    try:
        with path.open("rb") as fh:
            return marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def write(path: Path, value: Any) -> None:
    """Store `value` (sets, lists and strings); an unwritable place is not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".lexicon-", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(value, fh)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
