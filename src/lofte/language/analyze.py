"""Swedish analysis for retrieval: the same terms for documents and pledges.

A text becomes tokens (runs of Unicode letters and digits, so "IOP-avtal" is two words and
"barn- och ungdomspsykiatrin" three), each with its offsets for explanations. A token that is
neither a stopword nor a number yields retrieval terms:

- its Snowball (PyStemmer) Swedish stem, weight 1;
- the stems of its compound parts, weight `PART_WEIGHT`, from the Hunspell Swedish dictionary
  (hunspell-sv, its compounding flags read by `compounds.py`). Swedish writes compounds as
  one word, so without parts "heltid" never meets "deltidsarbete" (del+tid+arbete) and
  "avgiftsbefria" never meets "avgifterna" (avgift). Parts weigh less than whole words: a
  shared part is weaker evidence than a shared word, and the dictionary sometimes splits
  words that are not compounds ("förslag").

Stopwords (the `stop-words` package's Swedish list, about 400 words) are dropped for retrieval
only; `tokens` keeps them, because stance cues ("inte") and explanations need every word.

The compound lexicon loads lazily once per process (one to two seconds from the dictionary,
a fraction of that from the file `remember_lexicon_in` keeps); every word type is analysed
once and cached.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from . import lexicon_file
from .compounds import Lexicon
from .lemmas import swedish_lemma

PART_WEIGHT = 0.5
MIN_SPLIT_CHARS = 6  # a shorter word cannot hold two parts of MIN_PART_CHARS
# Longer "words" are not compounds but runs of letters (a table rule, garbage): they are not
# searched for parts. "Sjukvårdsförsäkringsrådsordförande" is 34.
MAX_SPLIT_CHARS = 48
MIN_PART_CHARS = 3  # shorter parts ("ö", "in") carry no topic and match everywhere
MAX_SPLIT_DEPTH = 2  # "deltidsarbete" -> "deltids" + "arbete" -> "del" + "tids"
CACHE_LIMIT = 500_000  # word types; a cache over this is dropped rather than grown without end

_WORD = re.compile(r"[^\W_]+")
# Words the stop-words list lacks that carry no topic: light verbs ("ges mer utrymme"),
# "grund" of "på grund av", and "år" of dates ("2025 års budget").
EXTRA_STOPWORDS = frozenset(
    "ge ger ges gav gett givit ta tar tas tog tagit se ser ses såg sett sa både samt grund "
    "år års året årets åren".split()
)


@dataclass(frozen=True)
class Token:
    """One word of a text: its surface form and offsets, and how retrieval sees it."""

    text: str
    start: int
    end: int
    stem: str
    parts: tuple[str, ...]  # stems of its compound parts (without the whole word's stem)
    stop: bool  # a stopword or a number: no retrieval terms

    @property
    def terms(self) -> tuple[str, ...]:
        return () if self.stop else (self.stem, *self.parts)


def _dictionary_stem() -> Path:
    """Where hunspell-sv's `sv_SE.aff`/`.dic` are: the wheel installs them under share/."""
    try:
        files = importlib.metadata.files("hunspell-sv") or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for f in files:
        if f.name == "sv_SE.aff":
            return Path(str(f.locate())).resolve().with_suffix("")
    fallback = Path(sys.prefix) / "share" / "hunspell" / "sv_SE"
    if fallback.with_suffix(".aff").is_file():
        return fallback
    raise ConfigError("the Swedish Hunspell dictionary is missing: install the hunspell-sv package")


class CompoundSplitter:
    """Compound parts of Swedish words (`compounds.Lexicon` over hunspell-sv), cached per
    word type. The lexicon loads on the first split, from the file kept in `remember_in`'s
    folder when there is one (see lexicon_file.py)."""

    def __init__(self, dictionary: Path | None = None) -> None:
        self._path = dictionary
        self._folder: Path | None = None
        self._lexicon: Lexicon | None = None
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[str, ...]] = {}

    def remember_in(self, folder: Path | None) -> None:
        """Keep the lexicon built from the dictionary in `folder` (None: build it each run)."""
        self._folder = folder

    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            with self._lock:
                if self._lexicon is None:
                    self._lexicon = self._load()
        return self._lexicon

    def _load(self) -> Lexicon:
        stem = self._path or _dictionary_stem()
        if self._folder is None:
            return Lexicon.load(stem)
        key = lexicon_file.file_key([stem.with_suffix(".aff"), stem.with_suffix(".dic")])
        path = lexicon_file.path_for(self._folder, key)
        state = lexicon_file.read(path)
        if state is not None:
            try:
                return Lexicon.from_state(state)
            except (TypeError, ValueError):
                pass  # a file of another shape: built again below
        lexicon = Lexicon.load(stem)
        lexicon_file.write(path, lexicon.state())
        return lexicon

    def split(self, word: str) -> tuple[str, ...]:
        """Parts of `word` (lower-case, outer parts first, then their own parts).

        Empty when it is no compound. The split with the fewest parts is taken and its parts
        split again: the coarse split is the likelier reading, the inner parts still meet
        words that share only them.
        """
        cached = self._cache.get(word)
        if cached is None:
            cached = self._split(word, MAX_SPLIT_DEPTH)
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = cached
        return cached

    def _split(self, word: str, depth: int) -> tuple[str, ...]:
        if depth == 0 or not MIN_SPLIT_CHARS <= len(word) <= MAX_SPLIT_CHARS or not word.isalpha():
            return ()
        parts = list(self.lexicon().split(word.lower()))
        inner = [sub for p in parts for sub in self._split(p, depth - 1)]
        out: list[str] = []
        for p in parts + inner:
            if len(p) >= MIN_PART_CHARS and p not in out:
                out.append(p)
        return tuple(out)


def _stopwords() -> frozenset[str]:
    from stop_words import get_stop_words

    return frozenset(w.lower() for w in get_stop_words("swedish")) | EXTRA_STOPWORDS


_STOPWORDS: list[frozenset[str]] = []


def stopwords() -> frozenset[str]:
    """The project's Swedish stop words (lower case): the `stop-words` list and EXTRA_STOPWORDS.
    Read once per process."""
    if not _STOPWORDS:
        _STOPWORDS.append(_stopwords())  # two threads may both read it: the same set
    return _STOPWORDS[0]


class Analyzer:
    """Tokens with offsets, and retrieval terms (stems plus compound-part stems)."""

    def __init__(
        self,
        splitter: CompoundSplitter | None = None,
        stopwords: Iterable[str] | None = None,
        *,
        compounds: bool = True,
    ) -> None:
        import Stemmer

        self._stemmer = Stemmer.Stemmer("swedish")
        self._splitter = (splitter or CompoundSplitter()) if compounds else None
        self.stopwords = frozenset(stopwords) if stopwords is not None else _stopwords()
        self._words: dict[str, tuple[str, tuple[str, ...], bool]] = {}

    def remember_lexicon_in(self, folder: Path | None) -> None:
        """Keep the compound lexicon across runs in `folder` (None: build it each run)."""
        if self._splitter is not None:
            self._splitter.remember_in(folder)

    def stem(self, word: str) -> str:
        """Snowball stem of the word's lemma: Snowball alone leaves short words and definite
        forms apart ("ökat"/"öka", "skolan"/"skola"); simplemma's Swedish lemma list joins them
        first, and the stemmer still joins what the list lacks."""
        lemma = swedish_lemma(word.lower())
        return str(self._stemmer.stemWord(lemma))

    def is_stopword(self, word: str) -> bool:
        return word.lower() in self.stopwords

    def word(self, surface: str) -> tuple[str, tuple[str, ...], bool]:
        """(stem, part stems, stop) of one word type, cached."""
        hit = self._words.get(surface)
        if hit is not None:
            return hit
        lower = surface.lower()
        stem = self.stem(lower)
        stop = lower in self.stopwords or not any(c.isalpha() for c in lower) or len(lower) < 2
        parts: tuple[str, ...] = ()
        if not stop and self._splitter is not None:
            found = []
            for part in self._splitter.split(surface):
                part_stem = self.stem(part)
                if (
                    part not in self.stopwords
                    and part_stem != stem
                    and len(part_stem) >= MIN_PART_CHARS
                    and part_stem not in found
                ):
                    found.append(part_stem)
            parts = tuple(found)
        hit = (stem, parts, stop)
        if len(self._words) >= CACHE_LIMIT:
            self._words.clear()
        self._words[surface] = hit
        return hit

    def tokens(self, text: str) -> list[Token]:
        """Every word of `text` with its offsets (stopwords included, marked `stop`)."""
        out = []
        for m in _WORD.finditer(text):
            stem, parts, stop = self.word(m.group())
            out.append(Token(m.group(), m.start(), m.end(), stem, parts, stop))
        return out

    tokens_with_spans = tokens

    def terms(self, text: str) -> list[str]:
        """Retrieval terms of `text`: stems of content words, then their compound-part stems."""
        return [t for token in self.tokens(text) for t in token.terms]

    def weighted_terms(self, text: str) -> dict[str, float]:
        """Term -> weight summed over the text (whole words 1, compound parts PART_WEIGHT)."""
        out: dict[str, float] = {}
        for m in _WORD.finditer(text):
            stem, parts, stop = self.word(m.group())
            if stop:
                continue
            out[stem] = out.get(stem, 0.0) + 1.0
            for p in parts:
                out[p] = out.get(p, 0.0) + PART_WEIGHT
        return out


_SHARED: Analyzer | None = None
_SHARED_LOCK = threading.Lock()


def get_analyzer() -> Analyzer:
    """The process-wide analyzer: the dictionary and word cache are built once."""
    global _SHARED
    if _SHARED is None:
        with _SHARED_LOCK:
            if _SHARED is None:
                _SHARED = Analyzer()
    return _SHARED
