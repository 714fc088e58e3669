"""Stage `read`: files, folders and URLs to raw bytes. The only stage that does I/O."""

from __future__ import annotations

import datetime as dt
import fnmatch
import mimetypes
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import ReadError, TooLargeError
from ..model import RawInput

_SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def expand_inputs(inputs: Iterable[str], include: Sequence[str] = ()) -> list[str]:
    """Files as given; folders replaced by the files below them (sorted, hidden ones skipped;
    with `include` patterns, only files whose name matches one, e.g. "*.md")."""
    return [origin for origin, _ in expand_inputs_with_roots(inputs, include)]


def expand_inputs_with_roots(
    inputs: Iterable[str], include: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """Like `expand_inputs`, each with the folder it was found under: the folder given, else
    the file's own folder (a URL is its own root)."""
    expanded: list[tuple[str, str]] = []
    for item in inputs:
        path = Path(item)
        if not is_url(item) and path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                wanted = not include or any(fnmatch.fnmatch(child.name, p) for p in include)
                if child.is_file() and not hidden and wanted and child.name not in _SKIPPED_NAMES:
                    expanded.append((str(child), str(path)))
        else:
            expanded.append((item, item if is_url(item) else str(path.parent)))
    return expanded


def read_file(path: str, max_bytes: int) -> RawInput:
    """The bytes of a file, refusing files over `max_bytes` before reading them."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise ReadError(path, "not a regular file")
        if size > max_bytes:
            raise TooLargeError(
                path, f"{size:,} bytes is over the limit of {max_bytes:,} (LOFTE_MAX_INPUT_BYTES)"
            )
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise ReadError(path, "no such file") from exc
    except PermissionError as exc:
        raise ReadError(path, "permission denied") from exc
    except IsADirectoryError as exc:
        raise ReadError(path, "is a directory") from exc
    except OSError as exc:
        raise ReadError(path, exc.strerror or str(exc)) from exc
    media_type, _ = mimetypes.guess_type(p.name)
    return RawInput(
        data=data,
        origin=str(p.resolve()),
        media_type=media_type,
        fetched_at=dt.datetime.now(dt.UTC),
    )
