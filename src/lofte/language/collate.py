"""Swedish alphabetical order for names shown to readers (parties, policy areas, trackers).

`str.casefold` (or plain code points) puts "ä" (U+00E4) before "å" (U+00E5); Swedish order is
… x y z å ä ö. `swedish_key` is a small sort key with Swedish rules, no ICU needed:

- letters compare without case and without accents (é as e, à as a, ç as c), except that
  å, ä, ö are letters of their own after z (æ sorts as ä, ø as ö, as Swedish dictionaries
  have them) and ü sorts as y;
- ties are broken by the accents (e before é), then by case (lower case first), then by the
  text itself, so the order is total and does not depend on the order given.

Input is read in NFC, so a decomposed "a" + ring sorts as "å".
"""

from __future__ import annotations

import unicodedata

# Primary weights are code points times four; å, ä, ö take the three slots right after z
# (so before "{" and every letter beyond ASCII, which keep their code point order).
_STEP = 4
_AFTER_Z = ord("z") * _STEP
_OWN_LETTERS = {"å": _AFTER_Z + 1, "ä": _AFTER_Z + 2, "ö": _AFTER_Z + 3}
# Letters Swedish sorts as another letter (after casefolding).
_SORTS_AS = {"æ": "ä", "ø": "ö", "ü": "y"}


def _primary(char: str) -> tuple[int, ...]:
    """The weights of one casefolded NFC character: å ä ö after z, others without accents."""
    char = _SORTS_AS.get(char, char)
    if char in _OWN_LETTERS:
        return (_OWN_LETTERS[char],)
    base = [c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)]
    return tuple(ord(c) * _STEP for c in (base or [char]))


def swedish_key(text: str) -> tuple[tuple[int, ...], str, tuple[bool, ...], str]:
    """A key that sorts `text` in Swedish alphabetical order (see the module's doc)."""
    text = unicodedata.normalize("NFC", text)
    folded = text.casefold()
    primary = tuple(w for char in folded for w in _primary(char))
    accents = unicodedata.normalize("NFD", folded)  # e < é: the mark follows the letter
    case = tuple(c.isupper() for c in text)  # lower case first
    return primary, accents, case, text
