"""Benchmark the PDF and program-text readers against naive baselines in the same process.

    .venv/bin/python bench/bench_readers_pdf.py                   # readers vs baselines
    .venv/bin/python bench/bench_readers_pdf.py --compare-libraries

Default mode prints documents per second (and pages per second) for
- the `pdf` reader on each 2022 manifesto in ../shared/data/manifestos-2022, against raw
  `pypdf` `extract_text()` of every page without any clean-up;
- the `program-text` reader on seed 002, against the plain-text fallback reader;
and the ratio reader/baseline (below 1: the reader is slower than the baseline).

`--compare-libraries` measures the raw text of pypdf, pdfplumber, pdfminer.six and pypdfium2
(plus this reader) on text-free quality signals; docs/pdf-reader-choice.md holds the result.
Nothing here reads the network; the data stays in ../shared.
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import unicodedata
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
MANIFESTOS = SHARED / "data" / "manifestos-2022"
sys.path.insert(0, str(REPO / "src"))

from lofte.model import RawInput  # noqa: E402
from lofte.sources.decode import decode_text  # noqa: E402
from lofte.sources.pdf import PDF  # noqa: E402
from lofte.sources.plaintext import PlainTextReader  # noqa: E402
from lofte.sources.program_text import PROGRAM_TEXT  # noqa: E402
from timing import best_of  # bench/timing.py, beside this script
from collections.abc import Callable

_TERMINAL = (".", "!", "?", ":", ";", "…", '"', "”")




def pypdf_pages(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def pdfplumber_pages(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdfminer_pages(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(path).split("\f")[:-1]


def pdfium_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        pages = []
        for page in doc:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded().replace("\r\n", "\n"))
            textpage.close()
        return pages
    finally:
        doc.close()


def lofte_pages(path: Path) -> list[str]:
    return [PDF.parse(RawInput(path.read_bytes(), str(path)), None)[0].body]


EXTRACTORS: dict[str, Callable[[Path], list[str]]] = {
    "pypdf 7 (extract_text)": pypdf_pages,
    "pdfplumber 0.11 (extract_text)": pdfplumber_pages,
    "pdfminer.six (extract_text)": pdfminer_pages,
    "pypdfium2 5 (get_text_bounded)": pdfium_pages,
    "lofte pdf reader (pypdfium2 + clean-up)": lofte_pages,
}


# -- text-free quality signals ----------------------------------------------------------------


def hyphen_splits(text: str) -> int:
    """Words split at a line end and left split: "utbild-" + newline + "ning"."""
    return len(re.findall(r"\w[-\u00ad\ufffe\x02]\n[a-zåäö]", text))


def numbers_in_sentences(pages: list[str]) -> int:
    """Lone number lines at page edges that sit between two halves of one sentence."""
    count = 0
    lines = [line.strip() for page in pages for line in page.split("\n") if line.strip()]
    for before, line, after in zip(lines, lines[1:], lines[2:]):
        if re.fullmatch(r"\d{1,3}( \d{1,3})?", line):
            count += not before.endswith(_TERMINAL) and after[:1].islower()
    return count


def flow(pages: list[str]) -> float:
    """Share of lines ending mid-sentence whose next line goes on in lower case.

    Columns read in the wrong order, or merged line by line, break sentences and lower this.
    """
    lines = [line.strip() for page in pages for line in page.split("\n") if line.strip()]
    open_lines = [(a, b) for a, b in zip(lines, lines[1:]) if a[-1:].islower()]
    if not open_lines:
        return 1.0
    return sum(b[:1].islower() for _, b in open_lines) / len(open_lines)


def vertical_garbage(pages: list[str]) -> int:
    """Runs of one-character lines: rotated text read letter by letter."""
    lines = [line.strip() for page in pages for line in page.split("\n")]
    return sum(1 for a, b, c in zip(lines, lines[1:], lines[2:]) if len(a) == len(b) == len(c) == 1)


def _key(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def column_truth(path: Path) -> dict[int, list[list[str]]]:
    """Per two-column page, the line keys of each column from glyph positions (PDFium boxes).

    A page counts when a gutter splits it into two columns of eight lines or more each.
    """
    from lofte.sources.pdf import _gutter, extract_pages, strip_furniture

    pages, heights, _ = extract_pages(path.read_bytes(), str(path))
    kept, _, _ = strip_furniture(pages, heights)
    truth = {}
    for number, lines in enumerate(kept):
        cut = _gutter(lines) if len(lines) >= 16 else None
        if cut is None:
            continue
        left = [ln for ln in lines if ln.x1 <= cut + 1]
        columns = [left, [ln for ln in lines if ln.x0 >= cut - 1]]
        if min(map(len, columns)) >= 8:
            truth[number] = [
                [_key(ln.text) for ln in sorted(col, key=lambda ln: ln.top)] for col in columns
            ]
    return truth


def column_continuity(pages: list[str], truth: dict[int, list[list[str]]]) -> tuple[int, int]:
    """(kept, pairs): successive lines of one column that follow each other in the output.

    Letters and digits only, so line breaks, hyphens and spacing do not matter; lines shorter
    than 15 letters are left out so that labels cannot match by chance. A one-body output
    (this reader) is searched whole for every page.
    """
    kept = pairs = 0
    texts = [_key(page) for page in pages]
    for number, columns in truth.items():
        text = texts[0] if len(texts) == 1 else texts[number] if number < len(texts) else ""
        for column in columns:
            for a, b in zip(column, column[1:]):
                if len(a) >= 15 and len(b) >= 15 and a in text and b in text:
                    pairs += 1
                    kept += a + b in text
    return kept, pairs


def compare_libraries(repeat: int) -> None:
    files = sorted(MANIFESTOS.glob("*.pdf"))
    total_pages = sum(len(pdfium_pages(f)) for f in files)
    truths = {f: column_truth(f) for f in files}
    two_column = sum(len(t) for t in truths.values())
    print(f"{len(files)} manifestos, {total_pages} pages ({two_column} with two columns);"
          f" best of {repeat} runs\n")
    header = (
        f"{'library':42s} {'s total':>8s} {'pages/s':>8s} {'hyphen':>7s} {'pgnum':>6s}"
        f" {'flow':>6s} {'vert':>5s} {'2col':>6s}"
    )
    print(header)
    print("-" * len(header))
    for name, extract in EXTRACTORS.items():
        seconds = sum(best_of(lambda f=f: extract(f), repeat) for f in files)
        outputs = [extract(f) for f in files]
        hyphens = sum(hyphen_splits("\n".join(pages)) for pages in outputs)
        numbers = sum(numbers_in_sentences(pages) for pages in outputs)
        # The reader's lines are whole paragraphs: line-to-line flow says nothing there.
        flows = "n/a" if extract is lofte_pages else f"{statistics.mean(map(flow, outputs)):.3f}"
        vertical = sum(vertical_garbage(pages) for pages in outputs)
        counts = [column_continuity(pages, truths[f]) for pages, f in zip(outputs, files)]
        continuity = f"{sum(k for k, _ in counts) / max(1, sum(p for _, p in counts)):.3f}"
        print(
            f"{name:42s} {seconds:8.2f} {total_pages / seconds:8.0f} {hyphens:7d} {numbers:6d}"
            f" {flows:>6s} {vertical:5d} {continuity:>6s}"
        )
    print("\nhyphen: split words left at line ends; pgnum: page numbers between the halves of a")
    print("sentence; flow: lines ending mid-sentence followed by a lower-case line (higher is")
    print("better); vert: rotated margin text read as one-letter lines; 2col: on two-column")
    print("pages, share of successive lines of one column that follow each other in the output")
    print("(column geometry from PDFium glyph boxes).")


# -- reader vs baseline -----------------------------------------------------------------------


def bench_readers(repeat: int) -> None:
    print(
        f"{'input':44s} {'reader docs/s':>13s} {'pages/s':>8s} {'baseline docs/s':>15s}"
        f" {'ratio':>6s}"
    )
    for path in sorted(MANIFESTOS.glob("*.pdf")):
        raw = RawInput(path.read_bytes(), str(path))
        doc = PDF.parse(raw, None)[0]
        pages = doc.extra["pages"]
        reader = best_of(lambda raw=raw: PDF.parse(raw, None), repeat)
        baseline = best_of(lambda path=path: pypdf_pages(path), repeat)
        print(
            f"pdf: {path.name:39s} {1 / reader:13.2f} {pages / reader:8.0f} {1 / baseline:15.2f}"
            f" {baseline / reader:6.2f}"
        )
    (seed,) = (SHARED / "seeds").glob("002_*.txt")
    raw = RawInput(seed.read_bytes(), str(seed))
    text = decode_text(raw.data, raw.origin)
    fallback = PlainTextReader()
    reader = best_of(lambda: PROGRAM_TEXT.parse(raw, text), repeat * 10)
    baseline = best_of(lambda: fallback.parse(raw, text), repeat * 10)
    print(
        f"program-text: {seed.name:31s} {1 / reader:13.1f} {'-':>8s} {1 / baseline:15.1f}"
        f" {baseline / reader:6.3f}"
    )
    print("\nbaselines: raw pypdf extract_text() per page (PDF); the plaintext fallback")
    print("reader (seed 002).")
    print("ratio = baseline time / reader time; below 1 the reader is slower than the baseline.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare-libraries", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # pypdf and pdfminer log font trouble on every page
    warnings.simplefilter("ignore")
    if not MANIFESTOS.is_dir():
        sys.exit(f"no data: {MANIFESTOS} is missing")
    if args.compare_libraries:
        compare_libraries(args.repeat)
    else:
        bench_readers(args.repeat)


if __name__ == "__main__":
    main()
