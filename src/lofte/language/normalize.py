"""Clean-up of program text as it comes out of PDFs: pure functions over strings.

- `clean_line`: NFC, exotic spaces and invisible characters, runs of spaces.
- `join_lines` / `dehyphenate`: lines of one paragraph become one line; a word split at a line end
  is joined ("utbild-" + "ning" → "utbildning") unless the dash is a real one ("barn- och",
  "EU-kommissionen", "Sluta-skjut-modellen").
- `is_page_number`, `furniture_key`, `repeated_edge_lines`, `strip_page_furniture`: page headers,
  footers and page numbers, found as lines that repeat at the top or bottom of many pages.

Nothing here knows about documents or offsets; readers call these before they build a body.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

# Spaces that PDFs and word processors use; all mean an ordinary space in reading text.
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Characters with no reading value: zero-width marks, BOM, and C0/C1 controls.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MULTI_SPACE = re.compile(r" {2,}")
_SOFT_HYPHEN_SPACE = re.compile("\u00ad(?= )")
_SOFT_HYPHEN_WORD = re.compile("\u00ad(?=\\S)")

# A line-end hyphen: ASCII hyphen, Unicode hyphen, soft hyphen, or pdfium's marker U+FFFE.
LINE_END_HYPHENS = "-\u2010\u00ad\ufffe"
# Words that follow a suspended compound: "barn- och ungdomspsykiatrin", "vård- eller".
_SUSPENSION_WORDS = frozenset({"och", "eller", "samt", "respektive", "resp.", "som", "till", "&"})
# `\b`: tried from word starts only; from inside a long word without a hyphen `\w+` rescanned
# the rest of it at every position, quadratic (issue 9). The matches are the same.
_WORD_HYPHEN = re.compile(r"\b\w+(?:-\w+)+")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:sid(?:an)?|s\.|page)\s*)?\d{1,4}(?:\s*(?:/|av|of|\s)\s*\d{1,4})?$", re.IGNORECASE
)


def nfc(text: str) -> str:
    """Unicode NFC: "a" + combining ring becomes "å", so equal words compare equal."""
    return unicodedata.normalize("NFC", text)


def drop_soft_hyphens(text: str) -> str:
    """Web text (HTML's &shy;, Markdown exported from it) without its soft hyphens: invisible
    hints where a browser may break a word, which split "heders\u00adrelaterat" into two
    words for search and linking. (PDFs set them as visible dashes too: `clean_line`.)"""
    return text.replace("\u00ad", "") if "\u00ad" in text else text


def clean_line(line: str) -> str:
    """One line in NFC with ordinary single spaces, no invisible characters, trimmed.

    A soft hyphen between a word and a space is a visible dash in PDFs set with it
    ("sol\u00ad och" → "sol- och"); elsewhere it is an invisible break hint and goes.
    """
    line = nfc(line)
    line = _SPACES.sub(" ", line)
    line = _INVISIBLE.sub("", line)
    if "\u00ad" in line:  # rare: most lines skip both
        line = _SOFT_HYPHEN_SPACE.sub("-", line)
        line = _SOFT_HYPHEN_WORD.sub("", line)
    # NFC again: a removed character can leave two combining marks side by side, out of order.
    return nfc(_MULTI_SPACE.sub(" ", line).strip())


def collapse_whitespace(text: str) -> str:
    """All whitespace runs as one space, trimmed: for comparing texts laid out differently."""
    return " ".join(text.split())


def hyphenated_words(text: str) -> frozenset[str]:
    """Lower-cased words with an inner hyphen as they occur inside lines ("idéburet-offentligt").

    A document that writes a compound with a hyphen mid-line wants it kept at a line end too.
    """
    return frozenset(m.group(0).lower() for m in _WORD_HYPHEN.finditer(text))


def ends_with_hyphen(line: str) -> bool:
    """True when the line ends in a letter or digit followed by a line-end hyphen."""
    stripped = line.rstrip()
    return len(stripped) >= 2 and stripped[-1] in LINE_END_HYPHENS and stripped[-2].isalnum()


def join_hyphenated(left: str, right: str, keep: frozenset[str] = frozenset()) -> str:
    """Join `left` (ending in a hyphen) and `right`, deciding what the hyphen was.

    Kept with a space for suspended compounds ("barn-" + "och" → "barn- och"); kept without a
    space when it is part of the word: before an upper-case letter or digit ("EU-Kommissionen",
    "covid-19"), after an acronym or digit ("SFI-utbildning", "2022-2026"), in a chain
    ("Sluta-skjut-modellen"), or when `keep` holds the hyphenated form. Otherwise it is a
    typesetting break and goes ("utbild-" + "ning" → "utbildning").
    """
    head = left.rstrip()[:-1]
    tail = right.lstrip()
    first = tail.split(" ", 1)[0]
    last = head.rsplit(" ", 1)[-1]
    if first.lower() in _SUSPENSION_WORDS or first.startswith(("–", "—")):
        return f"{head}- {tail}"
    if not first or not last:
        return f"{head}-{tail}" if first else f"{head}-"
    word = re.match(r"[\w-]*", first).group(0)  # type: ignore[union-attr]
    if (
        not first[0].islower()
        or (last.isupper() and len(last) >= 2)
        or last[-1].isdigit()
        or "-" in word
        or f"{last}-{word}".lower() in keep
    ):
        return f"{head}-{tail}"
    return f"{head}{tail}"


def join_lines(lines: Iterable[str], keep: frozenset[str] = frozenset()) -> str:
    """The lines of one paragraph as one line: spaces between, hyphen breaks resolved."""
    return join_lines_at(lines, keep)[0]


def join_lines_at(
    lines: Iterable[str], keep: frozenset[str] = frozenset()
) -> tuple[str, list[tuple[int, int] | None]]:
    """`join_lines`, and where each line's text stands in it, as (start, end); None for a
    blank line. A word broken by a hyphen is cut where the line broke it."""
    out = ""
    at: list[tuple[int, int] | None] = []
    last: tuple[int, int, int] | None = None  # the last line with text: start, end, index
    for raw in lines:
        line = raw.strip()
        if not line:
            at.append(None)
            continue
        if not out:
            out = line
        elif ends_with_hyphen(out):
            out = join_hyphenated(out, line, keep)
        else:
            out = f"{out} {line}"
        start = len(out) - len(line)  # each way, the line goes on the end
        if last is not None:  # a dropped hyphen moved the end of the line before
            at[last[2]] = (last[0], min(last[1], start))
        last = (start, len(out), len(at))
        at.append((start, len(out)))
    return out, at


def dehyphenate(text: str, keep: frozenset[str] | None = None) -> str:
    """Resolve hyphen breaks at line ends in a whole text; other line ends stay.

    `keep` defaults to the hyphenated words the text itself writes mid-line.
    """
    if keep is None:
        keep = hyphenated_words(text)
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if out and ends_with_hyphen(prev) and line[:1].strip():
            out[-1] = join_hyphenated(prev, line, keep)
        else:
            out.append(line)
    return "\n".join(out)


def normalize_text(text: str) -> str:
    """NFC, clean lines, hyphen breaks resolved, at most one blank line in a row."""
    lines = [clean_line(line) for line in nfc(text).replace("\r\n", "\n").split("\n")]
    joined = dehyphenate("\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", joined).strip("\n")


# -- page furniture ---------------------------------------------------------------------------


def is_page_number(line: str) -> bool:
    """A line that is only a page number ("7", "7 / 40", "sid 7", or a spread's "10 11")."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def furniture_key(line: str) -> str:
    """The line with digits masked, so "Valmanifest 2022 · 7" and "… · 8" count as one."""
    return re.sub(r"\d+", "#", collapse_whitespace(line).lower())


def repeated_edge_lines(
    pages: Sequence[Sequence[str]], edge: int = 3, min_share: float = 0.4
) -> frozenset[str]:
    """Furniture keys of lines seen among the first or last `edge` lines of many pages.

    Needs three pages at least: on fewer, a repeat is as likely to be content.
    """
    if len(pages) < 3:
        return frozenset()
    counts: Counter[str] = Counter()
    for page in pages:
        lines = [line for line in page if line.strip()]
        counts.update({furniture_key(line) for line in lines[:edge] + lines[-edge:]})
    needed = max(3, int(min_share * len(pages) + 0.5))
    return frozenset(key for key, n in counts.items() if n >= needed and key.strip("# "))


def is_furniture(
    line: str, index: int, count: int, repeated: frozenset[str], edge: int = 3
) -> bool:
    """Whether line `index` of a page of `count` lines is a header, footer or page number."""
    near_edge = index < edge or index >= count - edge
    return near_edge and (is_page_number(line) or furniture_key(line) in repeated)


def strip_page_furniture(
    pages: Sequence[Sequence[str]], edge: int = 3
) -> tuple[list[list[str]], list[str]]:
    """Pages without their headers, footers and page numbers, and the lines removed."""
    repeated = repeated_edge_lines(pages, edge)
    kept: list[list[str]] = []
    removed: list[str] = []
    for page in pages:
        lines = [line for line in page if line.strip()]
        page_kept = []
        for i, line in enumerate(lines):
            if is_furniture(line, i, len(lines), repeated, edge):
                removed.append(line)
            else:
                page_kept.append(line)
        kept.append(page_kept)
    return kept, removed
