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


def program_title(metadata_title: str | None, origin: str, fallback: str, body: str = "") -> str:
    """A whole program's title: its sensible metadata title, else its file name in words (with
    å, ä and ö put back as `body` spells the words), else `fallback` (what the reader found)."""
    named = name_in_words(origin)
    return (
        sensible_metadata_title(metadata_title)
        or (spelled_as_in(named, body) if named else None)
        or fallback
    )


_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o"})
_WORD = re.compile(r"[^\W\d_]+")


def spelled_as_in(title: str, body: str) -> str:
    """`title` with each word typed without å, ä and ö ("vansterpartiet", as file names are
    written) spelled as `body` spells it, when the body always does so ("Vänsterpartiet"): the
    most frequent such form, with the title word's capital kept. A word the body also holds as
    typed stays (newsroom QA: the V program was titled "Vansterpartiet valplattform 2022")."""
    wanted = {w.lower() for w in _WORD.findall(title) if w.lower().translate(_FOLD) == w.lower()}
    if not wanted or not body:
        return title
    seen: dict[str, dict[str, int]] = {}
    for match in _WORD.finditer(body.lower()):
        word = match.group()
        folded = word.translate(_FOLD)
        if folded in wanted:
            forms = seen.setdefault(folded, {})
            forms[word] = forms.get(word, 0) + 1
    spelled = {
        key: max(forms, key=lambda f: forms[f])  # the first seen of the most frequent
        for key, forms in seen.items()
        if key not in forms  # the body writes it as typed too: leave it
    }

    def respell(match: re.Match[str]) -> str:
        word = match.group()
        form = spelled.get(word.lower())
        if form is None:
            return word
        return form[:1].upper() + form[1:] if word[:1].isupper() else form

    return _WORD.sub(respell, title)
