"""Compound splits remembered across runs, in a small append-only file.

Hunspell's compound search (spylls, pure Python) costs 4-14 ms per new word type; the
government's record has 72,000 of them, so every cold `lofte link` spent about 8 minutes
splitting words it had split the night before. The answers never change for one dictionary
and one set of splitting limits, so they are kept in `<dir>/splits-<key>.tsv`, one
`word<TAB>part part …` line each. The key hashes the dictionary files and the limits: another
dictionary or other limits start a new file. Lines are appended whole (one `write` each, far
under the size POSIX appends keep atomic), so processes sharing the file never interleave; a
line that is not well formed (a crash mid-write) is skipped when reading.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


def file_key(dictionary_files: Iterable[Path], limits: Iterable[object]) -> str:
    """12 hex digits of the dictionary's bytes and the splitting limits."""
    digest = hashlib.sha256()
    for path in dictionary_files:
        digest.update(path.read_bytes())
    digest.update(repr(tuple(limits)).encode())
    return digest.hexdigest()[:12]


class SplitFile:
    def __init__(self, folder: Path, key: str) -> None:
        self.path = folder / f"splits-{key}.tsv"

    def read(self) -> dict[str, tuple[str, ...]]:
        """Every well-formed line: word -> parts (empty: no split)."""
        out: dict[str, tuple[str, ...]] = {}
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return out
        lines = text.split("\n")
        lines.pop()  # after the last newline: nothing, or a line torn by a crash mid-write
        for line in lines:
            word, tab, parts = line.partition("\t")
            if tab and word:
                out[word] = tuple(parts.split())
        return out

    def append(self, splits: Iterable[tuple[str, tuple[str, ...]]]) -> None:
        """Add lines; an unwritable place is not an error (the cache is an optimisation)."""
        lines = [f"{w}\t{' '.join(p)}\n" for w, p in splits if "\t" not in w and "\n" not in w]
        if not lines:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError:
            return
        try:
            for start in range(0, len(lines), 64):  # each write well under PIPE_BUF-like sizes
                os.write(fd, "".join(lines[start : start + 64]).encode("utf-8"))
        except OSError:
            pass
        finally:
            os.close(fd)
