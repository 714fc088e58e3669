"""The Markdown reader and what a file's folders say (sources/markdown.py, sources/paths.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lofte.model import DatePrecision, DateProvenance, RawInput, SourceKind
from lofte.sources import paths
from lofte.sources.markdown import MARKDOWN
from lofte.sources.registry import pick_reader

PAGE = """# Regeringen stärker  *stödet* till [fritidsklubbar](https://example.se/x)

Regeringen föreslår i dag ett **nytt** stöd.

\\*\\*\\*

Läs mer på [regeringens webbplats](https://www.regeringen.se/).
"""


def test_the_title_is_the_first_heading_and_the_body_plain_text() -> None:
    raw = RawInput(PAGE.encode(), "arkiv/pressmeddelanden/2024/03/stod.md")
    reader, text = pick_reader(raw)
    assert reader.name == "markdown"
    (doc,) = MARKDOWN.parse(raw, text)
    assert doc.title == "Regeringen stärker  *stödet* till fritidsklubbar"
    assert not doc.body.startswith("#")
    assert "ett nytt stöd" in doc.body and "**nytt**" not in doc.body
    assert "Läs mer på regeringens webbplats." in doc.body and "](" not in doc.body
    assert "***" in doc.body  # an escaped rule is text, shown as written


def test_without_a_heading_the_first_line_titles_it() -> None:
    raw = RawInput("Ingen rubrik här\n\nMen text.".encode(), "a.md")
    (doc,) = MARKDOWN.parse(raw, raw.data.decode())
    assert doc.title == "Ingen rubrik här" and doc.body.startswith("Ingen rubrik")


def test_the_folders_date_categorise_and_link_a_file() -> None:
    path = "/data/regeringen/pressmeddelanden/2024/03/stod.md"
    date = paths.date_from_path(path)
    assert date is not None
    assert (date.value, date.precision, date.provenance) == (
        dt.date(2024, 3, 1),
        DatePrecision.MONTH,
        DateProvenance.PATH,
    )
    assert paths.category_from_path(path) == "pressmeddelanden"
    assert paths.kind_from_category("proposition") is SourceKind.DECISION
    assert paths.kind_from_category("pressmeddelanden") is None
    assert (
        paths.page_url(path, "/data/regeringen", "https://www.regeringen.se")
        == "https://www.regeringen.se/pressmeddelanden/2024/03/stod/"
    )
    assert paths.page_url(path, "/elsewhere", "https://x.se/") is None
    # the folders a file is filed under that the folder given hides from its address
    base = "https://www.regeringen.se/"
    month = "/data/regeringen/pressmeddelanden/2024/03"
    assert paths.url_gap(path, month, base) == ("pressmeddelanden", "2024", "03")
    assert paths.url_gap(path, month, base + "pressmeddelanden/2024/03/") == ()
    # QA: a base with part of the folders was told to add all of them again
    assert paths.url_gap(path, month, base + "pressmeddelanden/2024/") == ("03",)
    assert paths.url_gap(path, "/data/regeringen/pressmeddelanden", base) == ("pressmeddelanden",)
    assert paths.url_gap(path, "/data/regeringen", base) == ()
    assert paths.url_gap("/data/notes/plan.md", "/data/notes", base) == ()  # not filed by date
    assert paths.url_gap(path, "/elsewhere", base) == ()
    for undated in ("/data/2024/notes.md", "/data/1850/03/x.md", "x.md"):
        assert paths.date_from_path(undated) is None, undated
    odd = paths.date_from_path("/data/tal/2023/022/x.md")  # a malformed month folder in the record
    assert odd is not None and (odd.value, odd.precision) == (
        dt.date(2023, 1, 1),
        DatePrecision.YEAR,
    )
    assert paths.category_from_path("/data/tal/2023/022/x.md") == "tal"
    assert paths.date_from_path("/arkiv/2023/05") is None  # the file name is not a folder


def test_the_real_record_reads_as_the_index_says(shared_dir: Path) -> None:
    """Every file of one month of the government's record: title and URL as index.csv has them."""
    import csv

    root = shared_dir / "data" / "regeringen"
    with (root / "index.csv").open(encoding="utf-8") as f:
        index = {row["path"]: row for row in csv.DictReader(f)}
    month = sorted((root / "tal" / "2023" / "03").glob("*.md"))
    assert month
    for file in month:
        raw = RawInput(file.read_bytes(), str(file))
        reader, text = pick_reader(raw)
        (doc,) = reader.parse(raw, text)
        row = index[str(file.relative_to(root))]
        assert doc.title == row["title"], file.name
        assert paths.page_url(str(file), str(root), "https://www.regeringen.se/") == row["url"]
        assert paths.category_from_path(str(file)) == "tal"


def test_soft_hyphens_go_so_words_stay_whole() -> None:
    # found by QA: 490 of the record's 9,020 pages hold U+00AD inside words
    # ("heders\xadrelaterat"): search found no "hedersrelaterat", the linker saw two words
    page = "# Stöd mot heders\u00adrelaterat våld\n\nNya oskulds\u00adkontroller förbjuds.\n"
    raw = RawInput(page.encode(), "pressmeddelanden/2024/03/x.md")
    (doc,) = MARKDOWN.parse(raw, page)
    assert doc.title == "Stöd mot hedersrelaterat våld"
    assert "oskuldskontroller" in doc.body and "\u00ad" not in doc.body


def test_an_address_naming_another_month_than_the_folders_is_warned_about() -> None:
    """QA: two files of …/2022/09/ given by name with `--url-base …/pressmeddelanden/2022/10/`
    were dated 2022-09 by their folders and linked to pages of 2022/10, without a word. The
    warning names the files, the month of each side and the base that agrees."""
    month = "/data/regeringen/pressmeddelanden/2022/09"
    a, b = f"{month}/a.md", f"{month}/b.md"
    base = "https://www.regeringen.se/pressmeddelanden/2022/10/"
    assert paths.url_date_clash(a, month, base) == (("2022", "09"), ("2022", "10"))
    assert paths.url_date_clash(a, month, base.replace("10/", "09/")) is None
    assert paths.url_date_clash(a, month, "https://www.regeringen.se/pressmeddelanden/") is None
    # a base with the year alone gives part of the folders: url_gap names the month it lacks
    assert (
        paths.url_date_clash(a, month, "https://www.regeringen.se/pressmeddelanden/2022/") is None
    )
    assert paths.url_date_clash(a, month, "https://www.regeringen.se/nyheter/2021/") == (
        ("2022", "09"),
        ("2021",),
    )
    # the whole archive given: the address takes its dates from the file's own path
    assert paths.url_date_clash(a, "/data/regeringen", base) is None
    assert paths.url_date_clash("/data/notes/plan.md", "/data/notes", base) is None
    (warning,) = paths.url_base_warnings([(a, month), (b, month)], base, [a, b])
    assert warning == (
        f"--url-base: {a}, {b} are filed under 2022/09/ and dated so, but their addresses "
        "would be under 2022/10/ (https://www.regeringen.se/pressmeddelanden/2022/10/a/): "
        "give --url-base https://www.regeringen.se/pressmeddelanden/2022/09/ for them"
    )
    # a folder given is named as the folder; a year folder with a month's base as well
    (warning,) = paths.url_base_warnings([(a, month), (b, month)], base)
    assert warning.startswith(f"--url-base: the files of {month} are filed under 2022/09/")
    year = "/data/regeringen/pressmeddelanden/2022"
    (warning,) = paths.url_base_warnings([(a, year)], base)
    assert "(https://www.regeringen.se/pressmeddelanden/2022/10/09/a/)" in warning
    assert warning.endswith(
        "give --url-base https://www.regeringen.se/pressmeddelanden/2022/ for them"
    )
    # files of two months given by name: one warning per month, the others counted
    files = [f"{month}/{n}.md" for n in "abcde"] + [f"{year}/08/f.md"]
    found = [(f, str(Path(f).parent)) for f in files]
    first, second = paths.url_base_warnings(found, base, files)
    assert first.startswith(
        f"--url-base: {month}/a.md, {month}/b.md, {month}/c.md and 2 other files are"
    )
    assert second.startswith(f"--url-base: {year}/08/f.md is filed under 2022/08/ and dated so")
    assert second.endswith(
        "give --url-base https://www.regeringen.se/pressmeddelanden/2022/08/ for it"
    )
    # a file given by name whose address lacks its folders is named too, not its folder
    (warning,) = paths.url_base_warnings([(a, month)], "https://www.regeringen.se/", [a])
    assert warning.startswith(
        f"--url-base: {a} is filed under pressmeddelanden/2022/09/, which its"
    )
    assert paths.url_base_warnings([(a, month)], base.replace("10/", "09/"), [a]) == []
