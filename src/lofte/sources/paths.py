"""What a file's place in a folder tree says about it: its publication month, its kind, and the
web page it was saved from.

Archives of official texts are often filed as `<kind>/<year>/<month>/<slug>.md`
(regeringen.se's record: `pressmeddelanden/2024/03/…`). Such a path dates the document to the
month (provenance "path"), names its category (the folder before the date), and, with the
address the tree mirrors (`--url-base`), gives the original page's URL back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from ..model import DatePrecision, DateProvenance, DateValue, SourceKind

# Categories of documents that record a decision (a bill to parliament), not news of one.
DECISION_CATEGORIES = frozenset({"proposition", "propositioner", "beslut", "budget"})


def _is_year(folder: str) -> bool:
    return len(folder) == 4 and folder.isdigit() and 1900 <= int(folder) <= 2100


def _is_month(folder: str) -> bool:
    return len(folder) == 2 and folder.isdigit() and 1 <= int(folder) <= 12


def _date_parts(parts: tuple[str, ...]) -> tuple[int, int, int | None] | None:
    """(index of the year folder, year, month or None) of the last year folder: with the month
    when the folder after it is one (`2024/03/`), else the year alone (an archive's odd
    `2023/022/` still files the text under 2023). A year must be followed by a number folder:
    `notes/2024/plan.md` is not filed by date."""
    folders = parts[:-1]  # the file name itself is not a date folder
    for i in range(len(folders) - 1, -1, -1):
        after = folders[i + 1] if i + 1 < len(folders) else ""
        if _is_year(folders[i]) and after.isdigit():
            return i, int(folders[i]), int(after) if _is_month(after) else None
    return None


def date_from_path(path: str) -> DateValue | None:
    """The month (or year) a `…/YYYY/MM/file` path files the document under, or None."""
    found = _date_parts(PurePath(path).parts)
    if found is None:
        return None
    _, year, month = found
    if month is None:
        return DateValue(
            dt.date(year, 1, 1), DatePrecision.YEAR, DateProvenance.PATH, confidence=1.0
        )
    return DateValue(
        dt.date(year, month, 1), DatePrecision.MONTH, DateProvenance.PATH, confidence=1.0
    )


def category_from_path(path: str) -> str | None:
    """The folder just before the date folders (`pressmeddelanden`, `proposition`), or None."""
    parts = PurePath(path).parts
    found = _date_parts(parts)
    if found is None or found[0] == 0:
        return None
    return parts[found[0] - 1]


def kind_from_category(category: str | None) -> SourceKind | None:
    """A decision for categories of decisions; None (the reader's default) otherwise."""
    if category and category.casefold() in DECISION_CATEGORIES:
        return SourceKind.DECISION
    return None


def page_url(path: str, root: str, base: str) -> str | None:
    """The original page of a file saved under `root` from the site at `base`: the base, the
    path below the root without its extension, and a closing slash (regeringen.se's form).
    None when the file is not below the root."""
    try:
        relative = PurePath(path).relative_to(root)
    except ValueError:
        return None
    parts = [*relative.parent.parts, relative.stem] if relative.parts else []
    if not parts or not base:
        return None
    return base.rstrip("/") + "/" + "/".join(parts) + "/"


def url_gap(path: str, root: str, base: str) -> tuple[str, ...]:
    """The category and date folders (`pressmeddelanden`, `2024`, `03`) a file is filed under
    that lie at or above `root`, so that `page_url` leaves them out of its address, unless
    `base` already ends with them; () when the address is whole."""
    parts = PurePath(path).parts
    found = _date_parts(parts)
    try:
        below = len(PurePath(path).relative_to(root).parts)
    except ValueError:
        return ()
    if found is None:
        return ()
    first = max(found[0] - 1, 0)  # the category folder, else the year
    depth = len(parts) - below  # the parts at or above the root
    if first >= depth:
        return ()
    missing = tuple(parts[first:depth])
    given = tuple(p for p in urlsplit(base).path.split("/") if p)
    # the folders `base` ends with already count (QA: a base ending in …/pressmeddelanden/2024/
    # was told to add pressmeddelanden/2024/03/ to it)
    for k in range(len(missing), 0, -1):
        if given[-k:] == missing[:k]:
            return missing[k:]
    return missing


def url_base_warnings(found: Iterable[tuple[str, str]], base: str) -> list[str]:
    """One warning per folder given whose files' addresses would lack the folders they are
    filed under (its first file decides): `lofte ingest …/pressmeddelanden/2024/03 --url-base
    https://www.regeringen.se/` linked every page to `https://www.regeringen.se/<slug>/`."""
    out, seen = [], set()
    for path, root in found:
        if root in seen or "://" in path:  # a URL has its own address
            continue
        seen.add(root)
        real, folder = str(Path(path).resolve()), str(Path(root).resolve())
        gap = url_gap(real, folder, base)
        if gap:
            wrong = page_url(real, folder, base)
            right = base.rstrip("/") + "/" + "/".join(gap) + "/"
            out.append(
                f"--url-base: the files of {root} are filed under {'/'.join(gap)}/, which "
                f"their addresses leave out ({wrong}); if the site has that folder too, "
                f"give --url-base {right}"
            )
    return out
