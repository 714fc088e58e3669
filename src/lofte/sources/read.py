"""Stage `read`: files, folders and URLs to raw bytes. The only stage that does I/O."""

from __future__ import annotations

import datetime as dt
import fnmatch
import mimetypes
import os
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from ..errors import ReadError, TooLargeError
from ..model import RawInput

_SKIPPED_NAMES = {".DS_Store", "Thumbs.db"}


def is_url(text: str) -> bool:
    # "HTTPS://…" too: fetching lower-cases the scheme, and reading it as a file name said
    # "HTTPS:// addresses are not fetched (http and https are)"
    return text[:8].lower().startswith(("http://", "https://"))


def hide_credentials(url: str) -> str:
    """A URL as messages may show it: its user name and password replaced by *** ("***@host":
    a token is often the user name), so that a refusal does not print, log or store the
    secret it refuses to send."""
    scheme, sep, rest = url.partition("://")
    netloc, cut, path = _split_netloc(rest)
    _, at, host = netloc.rpartition("@")
    if not (sep and at):
        return url
    return f"{scheme}{sep}***@{host}{cut}{path}"


def _split_netloc(rest: str) -> tuple[str, str, str]:
    """(netloc, the character that ends it, the rest) of a URL's part after "://"."""
    ends = [i for i in (rest.find(c) for c in "/?#") if i >= 0]
    if not ends:
        return rest, "", ""
    end = min(ends)
    return rest[:end], rest[end], rest[end + 1 :]


def expand_inputs(inputs: Iterable[str], include: Sequence[str] = ()) -> list[str]:
    """Files as given; folders replaced by the files below them (sorted, hidden ones skipped;
    with `include` patterns, only files that match one, see `included`). Links that lead out
    of their folder are listed too: each is an input, reported as refused."""
    scan = scan_inputs(inputs, include)
    return [origin for origin, _ in scan.found] + [origin for origin, _ in scan.refused]


@dataclass(frozen=True)
class Scan:
    """What `scan_inputs` found: (file, the folder given, else its own folder; a URL is its
    own root) to read, and (file, why not) for the files below a folder that are not read."""

    found: list[tuple[str, str]]
    refused: list[tuple[str, str]]


def scan_inputs(inputs: Iterable[str], include: Sequence[str] = ()) -> Scan:
    """Files and URLs as given, folders replaced by the files below them. A link below a
    folder that leads out of it is refused: a folder of news must not read (and publish) the
    file a link points to elsewhere (a key, a password file). A link given by name is read."""
    found: list[tuple[str, str]] = []
    refused: list[tuple[str, str]] = []
    for item in inputs:
        if not item.strip():  # `lofte ingest "$DIR"` with DIR unset read the whole working
            # folder, the store's own files and a cookie jar among them (QA)
            refused.append(
                (
                    repr(item),
                    "an empty input name (an unset variable?): not read; give . for this folder",
                )
            )
            continue
        if is_url(item) and "@" in _split_netloc(item.partition("://")[2])[0]:
            refused.append((hide_credentials(item), "URLs with credentials are not fetched"))
            continue
        path = Path(item)
        if not is_url(item) and path.is_dir():
            folder = path.resolve()
            below, unlisted = _below(path)
            for sub_folder, reason in unlisted:  # its files would be missing without a word
                refused.append((str(sub_folder), f"a folder that cannot be listed: {reason}"))
            for child in below:
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if hidden or child.name in _SKIPPED_NAMES:
                    continue
                wanted = not include or included(child.relative_to(path), include)
                if child.is_dir():  # a folder is walked; a link to one is not followed
                    target = child.resolve() if child.is_symlink() else folder  # no walk up
                    if not target.is_relative_to(folder):
                        why = f"a link to the folder {target}, outside the folder {item}: not read"
                        refused.append((str(child), f"{why} (give it by name to ingest it)"))
                    continue  # a link to a folder inside: its files are read where they are
                if not wanted:
                    continue
                if not child.is_file():  # a link leading nowhere, a pipe, a socket, a device
                    refused.append((str(child), _not_a_file(child)))
                    continue
                target = child.resolve()
                if not target.is_relative_to(folder):
                    why = f"a link to {target}, outside the folder {item}: not read"
                    refused.append((str(child), f"{why} (give it by name to ingest it)"))
                else:
                    found.append((str(child), str(path)))
        else:
            found.append((item, item if is_url(item) else str(path.parent)))
    return Scan(found, refused)


def included(relative: PurePath, patterns: Sequence[str]) -> bool:
    """Whether a file of a folder, by its path below the folder given, matches one of the
    `--include` patterns. A pattern without "/" matches the file's name ("*.md"); one with "/"
    its whole path below the folder, folder by folder ("pressmeddelanden/2023/03/*.md": `*`
    stays within one folder, a `**` folder stands for any number of folders, none included).
    QA: `--include 'pressmeddelanden/2023/03/*.md'` was compared with file names only and
    matched nothing in the archive it named. A pattern ending in "/" is that folder's every
    file ("pressmeddelanden/" as "pressmeddelanden/**"; review: it matched nothing); a leading
    "/" is the folder given, as any pattern with "/" is."""
    parts = relative.parts
    for pattern in patterns:
        if "/" not in pattern:
            if fnmatch.fnmatch(relative.name, pattern):
                return True
            continue
        pieces = [p for p in pattern.strip("/").split("/") if p not in ("", ".")]
        if pattern.endswith("/"):
            pieces.append("**")
        if _parts_match(parts, pieces):
            return True
    return False


def _parts_match(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    """`parts` (folders, then the file's name) matched by `pattern`'s, one by one; a `**`
    part matches any number of parts. Walked with a table, not recursion: a pattern of many
    `**` costs its length times the path's, never more."""
    # can[j]: the first i parts are matched by the first j pattern parts
    can = [True] + [False] * len(pattern)
    for j, piece in enumerate(pattern, 1):
        can[j] = can[j - 1] and piece == "**"
    for part in parts:
        row = [False] * (len(pattern) + 1)
        for j, piece in enumerate(pattern, 1):
            if piece == "**":
                row[j] = row[j - 1] or can[j]  # `**` matches none, or this part as well
            else:
                row[j] = can[j - 1] and fnmatch.fnmatch(part, piece)
        can = row
    return can[-1]


def _not_a_file(child: Path) -> str:
    """Why an entry of a folder that is no file and no folder is not read: a link that leads
    nowhere (to a missing file, or round in a loop) or a special file (reading a pipe waits for
    ever). Such entries used to be passed over without a word, their text simply missing."""
    if child.is_symlink():
        try:
            child.stat()
        except OSError as exc:
            return f"a link that cannot be followed: {exc.strerror or type(exc).__name__}"
    return "not a regular file (a pipe, socket or device): not read"


def _below(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every file and folder below `folder`, sorted, as `sorted(folder.rglob("*"))` gives them
    (links to folders are not followed), and the folders that cannot be listed with the reason
    (`folder` itself among them when it cannot be). Walked with a stack: rglob and os.walk
    recurse in Python 3.11, and a folder nested 1,500 deep stopped the whole batch with a
    RecursionError. Hidden folders are not entered: their files are skipped anyway."""
    found: list[Path] = []
    unlisted: list[tuple[Path, str]] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            unlisted.append((current, exc.strerror or type(exc).__name__))
            continue
        for entry in entries:
            child = current / entry.name
            found.append(child)
            try:
                descend = entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".")
            except OSError:
                descend = False
            if descend:
                stack.append(child)
    return sorted(found), sorted(unlisted)


def printable_path(path: str) -> str:
    """A path as text that can be stored and printed, naming one file only: the bytes of a name
    that is not UTF-8 (which Python keeps as lone surrogates, refused by every encoder) as \\xNN
    escapes. Its backslashes are doubled, and so are those of a UTF-8 name that holds "\\x": a
    file named `fil-\\xe5.txt` as written was taken for the bytes, and the two were one
    document (QA). Any other name is kept as it is, as it was stored before."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        escaped = path.replace("\\", "\\\\").encode("utf-8", "surrogateescape")
        return escaped.decode("utf-8", "backslashreplace")
    return path.replace("\\", "\\\\") if "\\x" in path else path


def _too_large(path: str, size: str, max_bytes: int) -> TooLargeError:
    return TooLargeError(path, f"{size} is over the limit of {max_bytes:,} (LOFTE_MAX_INPUT_BYTES)")


def read_file(path: str, max_bytes: int) -> RawInput:
    """The bytes of a file, refusing files over `max_bytes` before reading them, and reading
    no more than that even when the file grows after its size was asked (one being written,
    a /proc file whose size says 0). A gzipped file (`news.txt.gz`) is unpacked, to at most
    `max_bytes` too: a gzip bomb stops there with a TooLargeError naming the file."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise ReadError(path, "not a regular file")
        if size > max_bytes:
            raise _too_large(path, f"{size:,} bytes", max_bytes)
        with p.open("rb") as file:
            data = file.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_large(path, f"more than {max_bytes:,} bytes (it grew while read)", max_bytes)
    except FileNotFoundError as exc:
        scheme, sep, _ = path.partition("://")
        if sep and scheme.isascii() and scheme.isalpha():  # ftp://…, file://…: not a file name
            raise ReadError(
                path,
                f"no such file, and {scheme}:// addresses are not fetched (http and https are)",
            ) from exc
        raise ReadError(path, "no such file") from exc
    except PermissionError as exc:
        raise ReadError(path, "permission denied") from exc
    except IsADirectoryError as exc:
        raise ReadError(path, "is a directory") from exc
    except OSError as exc:
        raise ReadError(path, exc.strerror or str(exc)) from exc
    media_type, _ = mimetypes.guess_type(p.name)  # of what is inside a `.txt.gz`
    raw = RawInput(
        data=data,
        origin=printable_path(str(p.resolve())),
        media_type=media_type,
        fetched_at=dt.datetime.now(dt.UTC),
    )
    return unpacked(raw, max_bytes=max_bytes)  # a gzipped file is read, and stored, unpacked


GZIP_MAGIC = b"\x1f\x8b"


def unpacked(raw: RawInput, *, max_bytes: int) -> RawInput:
    """A gzipped file (`sitemap.xml.gz`, served as application/gzip: the bytes, not the
    transfer, are compressed) unpacked, at most `max_bytes` (TooLargeError beyond: a gzip bomb
    stops there); anything else as it is. Every member of a gzip file is read (`cat a.gz b.gz`
    and `gzip >> log.gz` make several: the first alone lost the rest without a word); bytes
    after the last member that start no other (NUL padding) are left, as gzip leaves them."""
    if not raw.data.startswith(GZIP_MAGIC):
        return raw
    data, rest = bytearray(), raw.data
    while rest.startswith(GZIP_MAGIC):
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:  # at least 1: a max_length of 0 would mean no limit
            data += inflater.decompress(rest, max_bytes + 1 - len(data))
        except zlib.error as exc:
            raise ReadError(raw.origin, f"unreadable gzip: {exc}") from exc
        if len(data) > max_bytes or inflater.unconsumed_tail:
            raise TooLargeError(
                raw.origin,
                f"unpacked, it is larger than {max_bytes:,} bytes (LOFTE_MAX_INPUT_BYTES)",
            )
        if not inflater.eof:
            raise ReadError(raw.origin, "unreadable gzip: the compressed data ends early")
        rest = inflater.unused_data
    media = None if "gzip" in (raw.media_type or "") else raw.media_type
    return replace(raw, data=bytes(data), media_type=media)
