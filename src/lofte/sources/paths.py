"""What a file's place in a folder tree says about it: its publication month, its kind, and the
web page it was saved from.

Archives of official texts are often filed as `<kind>/<year>/<month>/<slug>.md`
(regeringen.se's record: `pressmeddelanden/2024/03/…`). Such a path dates the document to the
month (provenance "path"), names its category (the folder before the date), and, with the
address the tree mirrors (`--url-base`), gives the original page's URL back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
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


def _base_date(folders: tuple[str, ...]) -> int | None:
    """Where the date folders an address ends with begin (`…/2022/10/`, `…/2022/`), or None."""
    if len(folders) >= 2 and _is_year(folders[-2]) and _is_month(folders[-1]):
        return len(folders) - 2
    if folders and _is_year(folders[-1]):
        return len(folders) - 1
    return None


def _url_dates(path: str, root: str, base: str) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """(the date folders a file is filed under at or above the folder given, which its address
    takes from `base`; the date folders `base` ends with; where those begin in its path), or
    ((), (), 0) when either has none."""
    parts = PurePath(path).parts
    filed = _date_parts(parts)
    try:
        depth = len(parts) - len(PurePath(path).relative_to(root).parts)
    except ValueError:
        return (), (), 0
    given = tuple(p for p in urlsplit(base).path.split("/") if p)
    at = _base_date(given)
    if filed is None or filed[0] >= depth or at is None:
        return (), (), 0
    return parts[filed[0] : depth], given[at:], at


def url_date_clash(
    path: str, root: str, base: str
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(the date folders a file is filed under, those its address would take from `base`)
    when they disagree: `base` ends with a month or year (`…/pressmeddelanden/2022/10/`) and
    the file lies in another (`…/2022/09/x.md`, given by name). None when they agree, when
    `base` gives only the first of them (`…/2022/` for `2022/09/`: `url_gap` names the rest),
    or when the file or `base` is not filed by date."""
    filed, linked, _ = _url_dates(path, root, base)
    if not filed or not linked or filed[: len(linked)] == linked:
        return None
    return filed, linked


def _dated_base(path: str, root: str, base: str) -> str:
    """`base` with its date folders replaced by those the file is filed under
    (`https://www.regeringen.se/pressmeddelanden/2022/09/` for a file of …/2022/09/ given by
    name), so that its address names the month its folders do."""
    filed, _, at = _url_dates(path, root, base)
    scheme, netloc, base_path, _, _ = urlsplit(base)
    kept = [p for p in base_path.split("/") if p][:at]
    return f"{scheme}://{netloc}/" + "".join(f"{folder}/" for folder in (*kept, *filed))


def _named(files: list[str]) -> str:
    """The files a warning is about: the first three by name, the others counted."""
    rest = len(files) - 3
    if rest <= 0:
        return ", ".join(files)
    return f"{', '.join(files[:3])} and {rest} other {'file' if rest == 1 else 'files'}"


def url_base_warnings(
    found: Iterable[tuple[str, str]], base: str, named: Collection[str] = ()
) -> list[str]:
    """Warnings about the addresses `base` would give the files found ((file, folder given),
    as `scan_inputs` lists them); files given by name (`named`: the inputs) are named
    themselves, those of a folder given by the folder, whose first file decides:

    - addresses that would lack the folders the files are filed under: `lofte ingest
      …/pressmeddelanden/2024/03 --url-base https://www.regeringen.se/` linked every page to
      `https://www.regeringen.se/<slug>/`;
    - addresses that would name another month than the files' folders do: `lofte ingest
      …/2022/09/a.md …/2022/09/b.md --url-base https://www.regeringen.se/pressmeddelanden/2022/10/`
      dated them 2022-09 and linked them to pages of 2022/10 without a word (QA).

    Files given by name that call for the same change of `base` share one warning."""
    given = set(named)
    seen: set[str] = set()
    # (the warning's kind, its folders, the base that keeps them, the folder given or "" for
    # files by name) -> (the files by name, an address as it would be)
    found_wrong: dict[tuple[str, str, str, str], tuple[list[str], str]] = {}
    for path, root in found:
        if "://" in path:  # a URL has its own address
            continue
        by_name = path in given
        if not by_name:
            if root in seen:
                continue
            seen.add(root)
        real, folder = str(Path(path).resolve()), str(Path(root).resolve())
        clash = url_date_clash(real, folder, base)
        if clash is not None:
            key = ("/".join(clash[1]), "/".join(clash[0]), _dated_base(real, folder, base))
        else:
            gap = url_gap(real, folder, base)
            if not gap:
                continue
            key = ("", "/".join(gap), base.rstrip("/") + "/" + "/".join(gap) + "/")
        named_files, _ = found_wrong.setdefault(
            (*key, "" if by_name else root), ([], page_url(real, folder, base) or "")
        )
        named_files.append(path)
    out = []
    for (linked, filed, right, root), (files, wrong) in found_wrong.items():
        if root:
            what, verb, their = f"the files of {root}", "are", "their addresses"
        else:
            one = len(files) == 1
            what, verb = _named(files), "is" if one else "are"
            their = "its address" if one else "their addresses"
        if linked:
            out.append(
                f"--url-base: {what} {verb} filed under {filed}/ and dated so, but {their} "
                f"would be under {linked}/ ({wrong}): give --url-base {right} for "
                f"{'it' if verb == 'is' else 'them'}"
            )
        else:
            leaves = f"{their} {'leaves' if their == 'its address' else 'leave'}"
            out.append(
                f"--url-base: {what} {verb} filed under {filed}/, which {leaves} out "
                f"({wrong}); if the site has that folder too, give --url-base {right}"
            )
    return out
