"""What a file's place in a folder tree says about it: its publication month, its kind, and the
web page it was saved from.

Archives of official texts are often filed as `<kind>/<year>/<month>/<slug>.md`
(regeringen.se's record: `pressmeddelanden/2024/03/…`). Such a path dates the document to the
month (provenance "path"), names its category (the folder before the date), and, with the
address the tree mirrors (`--url-base`), gives the original page's URL back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from ..model import DatePrecision, DateProvenance, DateValue, SourceKind

# Categories of documents that record a decision (a bill to parliament), not news of one.
DECISION_CATEGORIES = frozenset({"proposition", "propositioner", "beslut", "budget"})


def _date_parts(parts: tuple[str, ...]) -> tuple[int, int, int] | None:
    """(index of the year folder, year, month) of the last `YYYY/MM` pair of folders."""
    folders = parts[:-1]  # the file name itself is not a date folder
    for i in range(len(folders) - 2, -1, -1):
        year, month = folders[i], folders[i + 1]
        if (
            len(year) == 4
            and year.isdigit()
            and len(month) == 2
            and month.isdigit()
            and 1900 <= int(year) <= 2100
            and 1 <= int(month) <= 12
        ):
            return i, int(year), int(month)
    return None


def date_from_path(path: str) -> DateValue | None:
    """The month a `…/YYYY/MM/file` path files the document under, or None."""
    found = _date_parts(PurePath(path).parts)
    if found is None:
        return None
    _, year, month = found
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
