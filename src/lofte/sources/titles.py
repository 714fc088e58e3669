"""Titles of whole inputs: a PDF's metadata title when it is a real title, else the file's name
in words. A program's first sentence is not its title ("Stockholm ska vara en stad för alla.").
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

TITLE_MAX = 200

# Metadata titles that name the tool or the template, not the document.
_GENERIC = re.compile(
    r"^(untitled|namnlös|utan titel|document\d*|dokument\d*|presentation\d*|title|titel|"
    r"powerpoint[- ]presentation|microsoft word|word|pdf|print|layout\s*\d*|"
    r"sida \d+|page \d+|\d+)$",
    re.IGNORECASE,
)
_FILE_NAME = re.compile(r"\.(pdf|docx?|odt|indd|idml|pptx?|rtf|txt|ai|eps|qxp)$", re.IGNORECASE)
_TOOL_PREFIX = re.compile(r"^microsoft (word|powerpoint)\s*-\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[_\-.+\s]+")


def sensible_metadata_title(title: str | None) -> str | None:
    """The metadata title cleaned, or None when it names a file, a tool or nothing."""
    if not title:
        return None
    title = unicodedata.normalize("NFC", title)
    text = " ".join(_TOOL_PREFIX.sub("", title.strip()).split())
    if not text or len(text) > TITLE_MAX or _GENERIC.match(text) or _FILE_NAME.search(text):
        return None
    letters = sum(ch.isalpha() for ch in text)
    if letters < 3 or letters < len(text) / 3:
        return None
    if " " not in text and _SEPARATORS.search(text) and any(ch.isdigit() for ch in text):
        return None  # a slug such as "valprogram_2022_v3": the file name says it better
    return text


def _unquoted(path: str) -> str:
    """`path` with its %-escapes undone: as UTF-8 (what browsers and servers write), else as
    cp1252 (an old server's 'V%E5r' for 'Vår'), never as U+FFFD where a letter was."""
    try:
        return unquote(path, errors="strict")
    except UnicodeDecodeError:
        return unquote(path, encoding="cp1252", errors="replace")


def name_in_words(origin: str) -> str | None:
    """The last part of a path or URL as words: 'valprogram-2022.pdf' → 'Valprogram 2022',
    'V%C3%A5rt_l%C3%B6fte.pdf' → 'Vårt löfte'. Letters stay as they are (å, ä, ö and any other),
    composed (NFC): a name from macOS spells 'å' as 'a' and a ring, which would not match the
    'å' of a search or sort as one."""
    path = urlsplit(origin).path if "://" in origin else origin
    name = PurePosixPath(_unquoted(path).replace("\\", "/")).name
    name = unicodedata.normalize("NFC", name)
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    words = _SEPARATORS.sub(" ", stem).strip()
    if not any(ch.isalnum() for ch in words):
        return None
    words = words[:TITLE_MAX].strip()
    return words[:1].upper() + words[1:]


def program_title(metadata_title: str | None, origin: str, fallback: str) -> str:
    """A whole program's title: its sensible metadata title, else its file name in words, else
    `fallback` (what the reader found)."""
    return sensible_metadata_title(metadata_title) or name_in_words(origin) or fallback
