"""Swedish letters put back into a search typed without them: "forskola" -> "förskolan".

A reader on a keyboard without å, ä and ö (a visitor abroad, a phone set to English) types
"forskola" and finds nothing: both stores match the letters as written. When a search finds
nothing, the page offers the same query with each such word spelled as the tracker's own texts
spell it (`restored`). Words are compared by their Snowball stem with å and ä read as a and ö as
o, so an inflected form matches too ("forskolor" -> "förskolan"), and the suggestion is a word
that occurs as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import Stemmer

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o"})
_SWEDISH = frozenset("åäö")
_WORD = re.compile(r"[^\W\d_]{3,}")  # a word worth correcting: letters, three or more


def fold(word: str) -> str:
    """`word` with å and ä as a, ö as o (lower case expected)."""
    return word.translate(_FOLD)


def restored(words: Sequence[str], texts: Iterable[str]) -> dict[str, str]:
    """For each of `words` (lower case) that has none of å, ä, ö and that `texts` only spell
    with them, the word of `texts` it most likely means: the most frequent one whose folded
    stem is the word's folded stem (ties: the first seen). Words the texts hold as typed are
    left alone ("program" is a word, "prögram" is not wanted)."""
    stemmer = Stemmer.Stemmer("swedish")
    wanted = {
        fold(stemmer.stemWord(w)): w for w in words if not _SWEDISH.intersection(w) and len(w) >= 3
    }
    if not wanted:
        return {}
    seen: Counter[str] = Counter()
    as_typed: set[str] = set()
    for text in texts:
        for match in _WORD.finditer(text.lower()):
            word = match.group()
            key = fold(stemmer.stemWord(word))
            if key in wanted:
                if _SWEDISH.intersection(word):
                    seen[word] += 1
                else:
                    as_typed.add(key)
    best: dict[str, str] = {}
    for word, _ in seen.most_common():  # most frequent first, ties in first-seen order
        key = fold(stemmer.stemWord(word))
        if key not in as_typed:
            best.setdefault(wanted[key], word)
    return best
