"""What a reader's search query means: the same words on every store.

The stores match differently: PostgreSQL's `to_tsvector('swedish', …)` leaves its Swedish stop
words out of the index and stems every word, FTS5 indexes every word as written. So the query is
decided here, once, before any store sees it (`parse_query`):

- the query's first `MAX_QUERY_CHARS` characters, in NFC (a decomposed "å" is one letter);
- its words: runs of Unicode letters and digits (quotes, `-`, `*`, `_`, `&` and every other
  character are separators, so no engine syntax reaches a store), lower-cased, each cut to
  `MAX_TERM_CHARS` (a longer one is searched as that prefix: PostgreSQL refuses words over
  2 047 bytes), at most `MAX_TERMS` of them; the operators `AND`, `OR`, `NOT` and `NEAR`,
  typed in capitals, are separators too;
- Swedish function words (`SEARCH_STOPWORDS`, the Snowball list that PostgreSQL's `swedish`
  configuration drops) are left out on every store: "och att det" found dozens of documents on
  SQLite and none on PostgreSQL. A query of them only searches nothing and says so
  (`QueryNotice`). Not the linker's longer list (`analyze.stopwords`): it holds words a reader
  searches for ("höger", "beslut", "år"), which both stores index;
- each word's Snowball Swedish stem, the prefix SQLite matches: PostgreSQL matches the stem of
  the word as a prefix ("simhallen" → 'simhall':*), so SQLite does the same ("simhall"*);
- a definite form Snowball leaves whole ("skolan", "äldreboendet", "partiet": it strips "-en"
  and "-arna" but not "-an", and "-et" only sometimes) is searched as its lemma (simplemma's
  Swedish list, as the linker's `Analyzer.stem`): the stem "skol" finds "skola" and "skolan"
  on SQLite, and PostgreSQL is given the lemma ("skola" → 'skol':*), which it stems as it
  stemmed the indexed words. Only definite (and neuter "-t") endings are reduced, and only
  to a stem of at least `MIN_REDUCED_CHARS` that is a prefix of the word's own: a reduced
  query finds all it found before. A compound the list lacks is reduced by its last part
  ("sjövikskolan" as "sjövik" + "skolan").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .lemmas import swedish_lemma

MAX_QUERY_CHARS = 1000  # characters of a query read; the rest is ignored
MAX_TERMS = 8
MAX_TERM_CHARS = 64  # "Sjukvårdsförsäkringsrådsordförande" is 34
MIN_REDUCED_CHARS = 4  # a shorter stem ("res" of "rest", "sjö" of "sjön") matches too much
MIN_LAST_PART_CHARS = 5  # a compound's last part tried for a definite form ("skolan")
# Definite endings (and the neuter "-t"), tried on the Snowball stem, which has already lost a
# genitive "s" and a plural's last "a" ("äldreboendena" → "äldreboenden").
_DEFINITE_ENDINGS = ("na", "et", "en", "n", "t")
_WORD = re.compile(r"[^\W_]+")
# The Swedish function words of the Snowball stemmer's stop list, which PostgreSQL's `swedish`
# text-search configuration leaves out of its index: the same words are left out here for
# every store (tests/store/test_search.py holds PostgreSQL to it).
SEARCH_STOPWORDS = frozenset(
    """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde
    något från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under
    någon eller allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli
    blev oss din dessa några deras blir mina samma vilken er sådan vår blivit dess inom mellan
    sådant varför varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era
    vilkas
    """.split()
)
# The engines' boolean operators as a reader types them (capitals): separators like the other
# syntax, not words to find (a lower-case "not" is still searched).
OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_LOCAL = threading.local()  # a PyStemmer object per thread: they are not thread-safe


class QueryNotice(StrEnum):
    """Why a non-empty query searches nothing."""

    NO_WORDS = "no_words"  # punctuation only ("-", "*", quotes)
    ONLY_COMMON = "only_common"  # stop words only ("och att det")


@dataclass(frozen=True)
class SearchQuery:
    """A query as every store searches it.

    `words`: the words searched for, lower-cased; `stems`: their Swedish stems, in the same
    order (SQLite's prefixes, and highlighting); `forms`: what PostgreSQL stems for each (the
    word, or the lemma of a definite form Snowball leaves whole); `common`: the stop
    words left out, as typed but lower-cased; `beyond`: the words past the first MAX_TERMS,
    left out (the page says so: the search looked as if it had used them)."""

    words: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()
    common: tuple[str, ...] = ()
    typed: bool = False  # the query held anything but white space
    beyond: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()

    @property
    def notice(self) -> QueryNotice | None:
        """Why the query searches nothing, or None when it has words (or is empty)."""
        if self.words or not self.typed:
            return None
        return QueryNotice.ONLY_COMMON if self.common else QueryNotice.NO_WORDS

    def as_dict(self) -> dict[str, Any]:
        """For a page's data: the words searched, those left out, and the notice."""
        notice = self.notice
        return {
            "words": list(self.words),
            "common": list(self.common),
            "beyond": list(self.beyond),
            "notice": None if notice is None else notice.value,
        }


def _stem(word: str) -> str:
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = _LOCAL.stemmer = Stemmer.Stemmer("swedish")
    return str(stemmer.stemWord(word)) or word


def _definite_of(stem: str, lemma: str) -> bool:
    """Whether `stem` (a word's Snowball stem) is `lemma` with a definite ending: "skolan" of
    "skola", "äldreboendet" of "äldreboende", "barnet" of "barn", "programmet" of "program"."""
    for ending in _DEFINITE_ENDINGS:
        base = stem[: -len(ending)]
        if not stem.endswith(ending) or not base:
            continue
        doubled = len(base) > 1 and base[-1] == base[-2] and base[:-1] == lemma
        if doubled or _stem(base) == _stem(lemma):
            return True
    return False


def reduced(word: str, stem: str) -> tuple[str, str] | None:
    """(lemma, its stem) when `word` (lower case, Snowball stem `stem`) is a definite form that
    Snowball left whole, else None (see the module's docstring)."""
    if not stem.endswith(("n", "t")):
        return None  # no definite ending left: Snowball took it, or there was none
    lemma = swedish_lemma(word)
    if not _definite_of(stem, lemma):
        lemma = ""
        # a compound the list lacks: its longest last part that is a definite form
        for start in range(2, len(word) - MIN_LAST_PART_CHARS + 1):
            part = word[start:]
            part_lemma = swedish_lemma(part)
            if part_lemma != part and _definite_of(_stem(part), part_lemma):
                lemma = word[:start] + part_lemma
                break
    if not lemma or not lemma.isalpha() or lemma in SEARCH_STOPWORDS:
        return None
    lemma_stem = _stem(lemma)
    if len(lemma_stem) < MIN_REDUCED_CHARS or lemma_stem == stem or not stem.startswith(lemma_stem):
        return None
    return lemma, lemma_stem


def parse_query(query: str | None, max_terms: int = MAX_TERMS) -> SearchQuery:
    """The words a store searches for in `query` (see the module's docstring); at most
    `max_terms` of them (a reader's query: MAX_TERMS; a pledge's words searched for
    candidates: more)."""
    text = unicodedata.normalize("NFC", (query or "")[:MAX_QUERY_CHARS])
    stop = SEARCH_STOPWORDS
    words: list[str] = []
    stems: list[str] = []
    forms: list[str] = []
    common: list[str] = []
    beyond: list[str] = []
    for match in _WORD.finditer(text):
        if match.group() in OPERATORS:
            continue  # "kultur AND skola" searched "and" as a prefix too (of "andel"): 0 hits
        word = match.group().lower()[:MAX_TERM_CHARS]
        if word in stop:
            if word not in common:
                common.append(word)
            continue
        stem = _stem(word)
        form = word
        lemma = reduced(word, stem)
        if lemma is not None:
            form, stem = lemma
        if stem in stems:
            continue
        if len(stems) < max_terms:
            words.append(word)
            stems.append(stem)
            forms.append(form)
        elif word not in beyond:
            beyond.append(word)
    typed = bool(text.strip())
    return SearchQuery(
        tuple(words), tuple(stems), tuple(common), typed, tuple(beyond), tuple(forms)
    )
