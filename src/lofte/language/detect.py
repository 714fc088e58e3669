"""Language of a text, with simplemma's dictionary-based detector.

simplemma scores a language by the share of the text's most common words found in its
dictionary. We restrict it to languages a Swedish tracker meets, and answer None when the text is
too short to judge (a heading) or no language clearly wins.

Two details of simplemma 2.0 matter here: its shared dictionary cache holds 8 languages and
`langdetect` walks the languages in turn, so with more than 8 every call reloads dictionaries
(seconds per call); and the plain dictionaries of the eight languages below take about 0.9 GB.
We therefore build one detector per language set with its own stream-backed dictionaries
(about 120 MB) and a cache as large as the set. Their index is built by a compiled pass
(`dictionaries.py`): 0.7 s to load the eight, where simplemma's own pass took about 5 s.

Swedish, Danish and Norwegian share much vocabulary, so when they score close the spelling
(ä/ö against æ/ø) and a few function words only one side uses decide.
"""

from __future__ import annotations

import re
from functools import lru_cache

from simplemma.language_detector import LanguageDetector
from simplemma.strategies import DefaultStrategy
from simplemma.token_sampler import MostCommonTokenSampler, RelaxedMostCommonTokenSampler

from .dictionaries import IndexedStreamDictionaryFactory as _Factory  # low memory, quick load

LANGUAGES: tuple[str, ...] = ("sv", "en", "da", "nb", "de", "fi", "fr", "es")
MIN_LETTERS = 40
MIN_WORDS = 6
MIN_SHARE = 0.4  # below this share of known words the text is mostly names, numbers or noise

_WORD = re.compile(r"[^\W\d_]+")
# Letters searched for in C: a generator over every character of a text was a quarter of
# preparing a document for ingest
_SV_LETTER = re.compile("[äöÄÖ]")
_SV_OR_A_RING = re.compile("[åäöÅÄÖ]")
_DANO_LETTER = re.compile("[æøÆØ]")
_NOT_SWEDISH_LETTER = re.compile("[æøüßÆØÜ]")

SCANDINAVIAN = frozenset({"sv", "da", "nb"})
SCANDINAVIAN_MARGIN = 0.25
_SV_MARKS = frozenset(
    {
        "och",
        "inte",
        "att",
        "är",
        "också",
        "från",
        "när",
        "hur",
        "vad",
        "utan",
        "mycket",
        "även",
        "vill",
        "jag",
        "mig",
        "dig",
        "hon",
        "bara",
        "någon",
        "ett",
        "ska",
        "till",
        "genom",
        "mellan",
        "fler",
        "flera",
        "detta",
        "denna",
        "eftersom",
    }
)
_DANO_MARKS = frozenset(
    {
        "og",
        "ikke",
        "også",
        "fra",
        "når",
        "hva",
        "hvad",
        "uten",
        "uden",
        "meget",
        "mye",
        "jeg",
        "meg",
        "deg",
        "hun",
        "hvor",
        "hvis",
        "skal",
        "vil",
        "noen",
        "nogen",
        "et",
        "til",
        "gjennom",
        "gennem",
        "mellom",
        "flere",
        "dette",
        "denne",
        "fordi",
    }
)


# Distinct (word, language) lookups remembered across texts. A corpus repeats its words, and a
# lookup in simplemma's stream dictionaries is slow (a scan of a front-coded block): remembering
# them made ingesting the government's record several times faster, with the same answers.
LOOKUP_CACHE_SIZE = 300_000


class _RememberingStrategy:
    """simplemma's lemmatization strategy with its answers remembered (they never change)."""

    def __init__(self, inner: DefaultStrategy) -> None:
        self._lookup = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(inner.get_lemma)

    def get_lemma(self, token: str, lang: str) -> str | None:
        return self._lookup(token, lang)


@lru_cache(maxsize=4)
def _detectors(languages: tuple[str, ...]) -> tuple[LanguageDetector, LanguageDetector]:
    """A default detector and a relaxed one (capitalised words too) sharing dictionaries."""
    strategy = _RememberingStrategy(
        DefaultStrategy(dictionary_factory=_Factory(cache_max_size=len(languages)))
    )
    return (
        LanguageDetector(languages, MostCommonTokenSampler(), strategy),
        LanguageDetector(languages, RelaxedMostCommonTokenSampler(), strategy),
    )


def too_short(text: str) -> bool:
    """A heading or a fragment: too few words or letters to tell languages apart."""
    words = _WORD.findall(text)
    return len(words) < MIN_WORDS or sum(map(len, words)) < MIN_LETTERS


def language_scores(text: str, languages: tuple[str, ...] = LANGUAGES) -> list[tuple[str, float]]:
    """Share of sampled words known in each language, best first ("unk" left out)."""
    scores: list[tuple[str, float]] = []
    for detector in _detectors(tuple(languages)):  # the relaxed one only breaks a tie
        raw = detector.proportion_in_each_language(text)
        scores = sorted(
            ((lang, share) for lang, share in raw.items() if lang != "unk"),
            key=lambda item: -item[1],
        )
        if len(scores) < 2 or scores[0][1] != scores[1][1]:
            break
    return scores


def _scandinavian_side(text: str) -> str | None:
    """ "sv" or "dano" when the spelling and function words lean clearly one way."""
    words = [w.casefold() for w in _WORD.findall(text)]
    sv = sum(w in _SV_MARKS for w in words) + len(_SV_LETTER.findall(text))
    dano = sum(w in _DANO_MARKS for w in words) + len(_DANO_LETTER.findall(text))
    return "sv" if sv > dano else "dano" if dano > sv else None


# Plainly Swedish prose needs no dictionaries: Swedish-only function words (och, inte, är, …)
# make up this share of its words, and it has å/ä/ö but no æ/ø. Checked against the dictionary
# detector on the seeds and the government's record (tests/language/test_detect.py).
PLAINLY_SWEDISH_SHARE = 0.06


def plainly_swedish(text: str) -> bool:
    if _DANO_LETTER.search(text) or not _SV_OR_A_RING.search(text):
        return False
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words:
        return False
    marks = [w for w in words if w in _SV_MARKS]
    return len(set(marks)) >= 3 and len(marks) / len(words) >= PLAINLY_SWEDISH_SHARE


# English function words that are not Swedish ones, for English speeches in a Swedish archive.
_EN_MARKS = frozenset(
    {"the", "of", "and", "to", "is", "are", "that", "with", "this", "will", "we", "our", "have"}
    | {"has", "be", "from", "which", "it"}
)
PLAINLY_ENGLISH_SHARE = 0.15  # of the words; Swedish marks stay under SWEDISH_TRACE
SWEDISH_TRACE = 0.02
ENGLISH_TRACE = 0.10


def _shares(words: list[str]) -> tuple[float, float]:
    """(share of Swedish-only marks, share of English marks) among `words`."""
    n = len(words) or 1
    return sum(w in _SV_MARKS for w in words) / n, sum(w in _EN_MARKS for w in words) / n


def plainly_english(text: str) -> bool:
    words = [w.casefold() for w in _WORD.findall(text)]
    sv, en = _shares(words)
    return bool(words) and en >= PLAINLY_ENGLISH_SHARE and sv < SWEDISH_TRACE


# Swedish-only words spelt with ä or ö ("för": Danish and Norwegian write "for", German "für").
_SV_LETTER_MARKS = frozenset({"för", "även", "är", "också", "någon", "några", "nästa"})


def swedish_by_letters(text: str) -> bool:
    """Short Swedish notices (appointments, press invitations) with few function words: ä or ö,
    none of the Danish, Norwegian or German letters, a Swedish-only word, no Danish or
    Norwegian ones, and little English."""
    if _NOT_SWEDISH_LETTER.search(text) or not _SV_LETTER.search(text):
        return False
    words = [w.casefold() for w in _WORD.findall(text)]
    _, en = _shares(words)
    marks = {w for w in words if w in _SV_MARKS or w in _SV_LETTER_MARKS}
    return len(marks) >= 1 and not any(w in _DANO_MARKS for w in words) and en < ENGLISH_TRACE


def detect_language(text: str, languages: tuple[str, ...] = LANGUAGES) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short or unclear.

    Function words and letters answer for plain Swedish and English without the dictionaries
    (loading them costs seconds, looking words up most of the rest); the dictionaries decide
    what those leave open. Checked against the dictionaries on the seeds and the government's
    record (tests/language/test_detect.py)."""
    if too_short(text):
        return None
    if "sv" in languages and (plainly_swedish(text) or swedish_by_letters(text)):
        return "sv"
    if "en" in languages and plainly_english(text):
        return "en"
    return dictionary_language(text, languages)


def dictionary_language(text: str, languages: tuple[str, ...] = LANGUAGES) -> str | None:
    """The language by simplemma's dictionaries (what `detect_language` falls back on)."""
    if too_short(text):
        return None
    scores = language_scores(text, languages)
    if not scores or scores[0][1] < MIN_SHARE:
        return None
    top, share = scores[0]
    side = _scandinavian_side(text) if top in SCANDINAVIAN else None
    if side is not None:
        for lang, other in scores:  # best first: the best close one on the side the words show
            if (
                lang in SCANDINAVIAN
                and share - other <= SCANDINAVIAN_MARGIN
                and (lang == "sv") == (side == "sv")
            ):
                return lang
    if len(scores) > 1 and scores[0][1] == scores[1][1]:
        return None
    return top
