"""Pledge sentence classifier: is this manifesto sentence a pledge?

A logistic regression over binary features of one Swedish sentence, weighted by tf-idf and
L2-normalised, chosen to travel across parties and years (evaluated leave-one-manifesto-out,
see docs/classifier.md):

- `c:` character 3- to 5-grams inside words: Swedish compounds ("skatte|sänkning") and
  inflection ("-as" passives, "-ade" past) without a lexicon; the strongest group;
- `w:` / `b:` word unigrams and bigrams over Snowball Swedish stems, numbers folded to
  `<num>` / `<year>`, party names and "regeringen" to `<party>`;
- `first:` / `first2:` / `sfx2-4:` the opening word (imperative or infinitive: "Sänk", "Öka",
  "Införa"), the first two words, the opening word's ending, "Ett utökat ..." nominal pledges;
- `mod:` commitment markers ("ska", "skall", "vill", "kommer att", "måste", "bör", "får inte"),
  with "vi" or a party as subject, followed by a passive ("ska byggas ut") or a negation;
- `stance:` "nej till", "kräver", "föreslår", ...; `tense:` perfect and past tense (what was
  done, not what will be);
- `num:` numbers, percent, money, years; `deadline:` "till år 2030", "senast", "inom två år";
- `shape:` bullet start, end punctuation, length bucket;
- `cue:` a commitment together with a number, year or deadline (conjunctions a linear model
  cannot form);
- `ctx:` / `p:` where the sentence stands (`Context`): a list item and its lead-in, the
  position, and the previous sentence's structural features.

Two rules on top: a text without a letter (page furniture: "•", "12") scores 0, and an
explicit checkable commitment (`checkable_commitment`) scores at least the threshold.

The trained model ships as gzipped JSON (`models/pledge_sentences.json.gz`): per feature its
weight and training document frequency (for the idf), bias, threshold, version and a
`trained_from` block (CSV sha256, feature-code version, hyper-parameters). Scoring needs only
this module and PyStemmer; training (scikit-learn) lives in `train_classifier.py`.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import Stemmer

from .e5_head import E5Head

# Bump when `extract_features` changes what it emits: a shipped model trained on another
# feature version is stale (tests/pipeline/test_classify.py checks this).
FEATURE_VERSION = "2"
ALL_GROUPS = (
    "words",
    "bigrams",
    "first",
    "modal",
    "stance",
    "tense",
    "numbers",
    "deadline",
    "shape",
    "chars",
    "cues",
    "context",
)
MODEL_PATH = Path(__file__).with_name("models") / "pledge_sentences.json.gz"

_TOKEN = re.compile(r"\d+(?:[ .]\d{3}(?!\d))*(?:,\d+)?|\w+(?:-\w+)*|%")
_LETTERS = re.compile(r"[^\W\d_]")
_BULLET = re.compile(r"^\s*(?:[•●▪◦∙·*–—-]|\d{1,2}[.)]\s)")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MONEY = frozenset("kr kronor krona miljoner miljon miljarder miljard mkr mdkr öre".split())
_PERCENT = frozenset("% procent procentenheter procentenhet".split())
_MODALS = {
    "ska": "ska",
    "skall": "ska",
    "vill": "vill",
    "måste": "måste",
    "bör": "bör",
    "borde": "bör",
    "kan": "kan",
    "kommer": "kommer",
    "får": "får",
}
# A party or government as the subject commits like "vi" does ("Vänsterpartiet vill ...").
_PARTY = re.compile(
    r"^(?:(?:social|krist|sverige)demokrat(?:erna|er)|moderat(?:erna|er)|folkpartiet|"
    r"(?:vänster|miljö|center)partiet|liberalerna|regeringen|regering)$"
)
_SUBJECTS = frozenset(["vi", "<party>"])
# Stance phrases that commit without a modal: "nej till", "vi motsätter oss".
_STANCE = frozenset(["nej", "ja", "motsätter", "avvisar", "kräver", "föreslår"])
_PERFECT = frozenset(["har", "hade"])
_SUPINE = re.compile(r"[^e]t$")  # "höjt", "infört", "gjort"
_NOT_SUPINE = frozenset(["ett", "inte", "mycket", "allt", "helt", "mest", "just", "nyligen"])
_PAST = re.compile(r"(?:ade|ades|des|tes|dde)$")
_NOMINAL = re.compile(r"(?:ad|at|kt|pt|jd|ande|ende|ning)$")
_DEADLINE = re.compile(
    r"\b(?:senast|inom\s+(?:\w+\s+)?(?:år|månader|veckor|mandatperioden)|"
    r"(?:till|före|innan|fram\s+till)\s+(?:år\s+)?(?:19|20)\d\d|"
    r"under\s+(?:nästa|kommande|den\s+kommande)\s+mandatperiod|"
    r"(?:nästa|kommande)\s+mandatperiod|(?:år|från\s+och\s+med)\s+(?:19|20)\d\d)\b"
)
# Common opening words that end in -a like an infinitive ("sänka", "göra") but are not verbs
# of action.
_NOT_VERB = frozenset(
    [
        "vara",
        "denna",
        "dessa",
        "sina",
        "våra",
        "dina",
        "flera",
        "båda",
        "andra",
        "hela",
        "sista",
        "första",
        "enda",
        "samma",
        "bara",
        "nya",
        "stora",
        "alla",
        "många",
        "inga",
        "egna",
        "vissa",
        "svenska",
        "unga",
        "gamla",
        "goda",
        "detta",
        "kunna",
        "finna",
        "ha",
    ]
)
_LENGTH_BUCKETS = (3, 6, 10, 15, 25, 40)
_CHAR_N = (3, 4, 5)

_stemmer = Stemmer.Stemmer("swedish")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; a number (also "100 000", "2,5") is one token; party names
    and "regeringen" become `<party>`."""
    return ["<party>" if _PARTY.match(t) else t for t in _TOKEN.findall(text.lower())]


def _fold(token: str) -> str:
    if token[0].isdigit():
        return "<year>" if _YEAR.match(token) else "<num>"
    return token


@functools.lru_cache(maxsize=100_000)
def _stem(token: str) -> str:
    if token == "<party>" or not _LETTERS.match(token):
        return _fold(token)
    stem: str = _stemmer.stemWord(token)  # PyStemmer is untyped
    return stem


def _length_bucket(n: int) -> str:
    for limit in _LENGTH_BUCKETS:
        if n <= limit:
            return f"<={limit}"
    return f">{_LENGTH_BUCKETS[-1]}"


@dataclass(frozen=True)
class Context:
    """Where a sentence stands in its document: what the extractor knows beyond its words."""

    previous: str = ""  # the sentence before, in document order
    in_list: bool = False  # a list item, or a sentence inside one
    list_intro: str = ""  # the lead-in ending in ":" before the list, if any
    heading: str = ""  # the nearest section heading
    position: int = 0  # index of the sentence within its paragraph or list item


_NO_CONTEXT = Context()
_END_PUNCTUATION = frozenset(".!?;")


def contexts_in_order(texts: Iterable[str]) -> Iterator[Context]:
    """Contexts of sentences known only by their order in a document (the training CSV, a file
    of lines): the sentence before; a list item is a bulleted sentence or the one after a lead-in
    ending in ":", and a run of bullets keeps its lead-in; the position counts sentences since
    the last break (a lead-in, a bullet, or a heading-like line without end punctuation)."""
    previous, intro, position = "", "", 0
    for raw in texts:
        text = raw.strip()
        bullet = _BULLET.match(text) is not None
        if previous.endswith(":"):
            intro = previous
        elif not bullet:
            intro = ""  # the list ended
        in_list = bullet or previous.endswith(":")
        if not previous or in_list or previous[-1] not in _END_PUNCTUATION:
            position = 0
        else:
            position += 1
        yield Context(
            previous=previous,
            in_list=in_list,
            list_intro=intro if in_list else "",
            position=position,
        )
        previous = text


def extract_features(
    text: str, groups: Iterable[str] = ALL_GROUPS, context: Context | None = None
) -> set[str]:
    """The binary features of one sentence (only the named groups); the `context` group reads
    where the sentence stands (`Context()`, the default, is a sentence with nothing before it)."""
    groups = frozenset(groups)
    feats = _own_features(text, groups)
    if "context" in groups:
        feats.update(_context_features(text, context or _NO_CONTEXT))
    return feats


def _own_features(text: str, groups: frozenset[str]) -> set[str]:
    tokens = tokenize(text)
    words = [t for t in tokens if t[0].isalpha() or t == "<party>"]
    stems = [_stem(t) for t in tokens]
    feats: set[str] = set()
    if "words" in groups:
        feats.update("w:" + s for s in stems)
    if "bigrams" in groups:
        padded = ["^", *stems, "$"]
        feats.update(f"b:{a}_{b}" for a, b in zip(padded, padded[1:], strict=False))
    if "first" in groups and words:
        first = words[0]
        feats.add("first:" + _stem(first))
        if first != "<party>":
            # the ending tells an imperative or infinitive ("Avreglera", "Inför") from a noun
            feats.update({"sfx2:" + first[-2:], "sfx3:" + first[-3:], "sfx4:" + first[-4:]})
        if len(words) > 1:
            feats.add(f"first2:{_stem(first)}_{_stem(words[1])}")
            # "Ett utökat stöd", "Ett permanentande av ...": a nominal pledge
            if first in ("en", "ett") and _NOMINAL.search(words[1]):
                feats.add("first:article_nominal")
    if "modal" in groups:
        feats.update(_modal_features(words))
    if "stance" in groups:
        feats.update(_stance_features(words))
    if "tense" in groups:
        feats.update(_tense_features(words))
    if "numbers" in groups:
        feats.update(_number_features(tokens))
    if "deadline" in groups and _DEADLINE.search(text.lower()):
        feats.add("deadline:1")
    if "shape" in groups:
        feats.update(_shape_features(text, len(words)))
    if "chars" in groups and words:
        feats.update(*[_char_ngrams(w) for w in words if w != "<party>"])
    if "cues" in groups:
        feats.update(_cue_features(text, words, tokens, feats))
    return feats


# The previous sentence's structural features (not its words) tell a list of commitments, a
# lead-in ("Vi vill:") or a run of descriptive prose from the sentence's own words.
_PREVIOUS_GROUPS = frozenset(["first", "modal", "stance", "tense", "numbers", "deadline", "shape"])


def _context_features(text: str, context: Context) -> set[str]:
    feats: set[str] = set()
    previous = context.previous.strip()
    intro = context.list_intro.strip()
    if not previous:
        feats.add("ctx:start")
    else:
        feats.update(
            "p:" + f
            for f in _own_features(previous, _PREVIOUS_GROUPS)
            if not f.startswith(("sfx", "first2:"))
        )
        if previous.endswith(":"):
            feats.add("ctx:after_colon")
            intro = intro or previous
    if context.in_list or _BULLET.match(text):
        feats.add("ctx:in_list")
    if intro:
        feats.add("ctx:intro")
        # "Vi vill:", "Vi kommer att arbeta för:": every item carries the lead-in's commitment
        intro_modal = _modal_features(
            [t for t in tokenize(intro) if t[0].isalpha() or t == "<party>"]
        )
        if intro_modal != {"mod:none"}:
            feats.add("ctx:intro_commit")
    feats.add(f"ctx:pos{min(context.position, 2)}")
    return feats


def _infinitive_opening(words: list[str]) -> bool:
    """The sentence opens like an infinitive ("sänka", "göra"), not a plural definite noun
    ("elpriserna", "kronorna") or a common non-verb ending in -a."""
    first = words[0] if words else ""
    return first.endswith("a") and not first.endswith("rna") and first not in _NOT_VERB


def _cue_features(text: str, words: list[str], tokens: list[str], own: set[str]) -> set[str]:
    """Conjunctions of a commitment with something checkable: a year, an amount, a deadline,
    a target state ("inga ...", "skattefria"). A linear model cannot form these itself."""
    lowered = text.lower()
    modal = any(
        f.startswith("mod:") and f != "mod:none" and not f.startswith("mod:kan") for f in own
    )
    number = any(t[0].isdigit() for t in tokens)
    year = any(_YEAR.match(t) for t in tokens)
    deadline = _DEADLINE.search(lowered) is not None
    infinitive = _infinitive_opening(words)
    feats: set[str] = set()
    checkable = number or deadline
    if checkable:
        feats.add("cue:checkable")
    if modal and year:
        feats.add("cue:modal_year")
    if modal and number:
        feats.add("cue:modal_number")
    if (modal or infinitive) and checkable:
        feats.add("cue:commit_checkable")
    if infinitive:
        feats.add("cue:infinitive")
    if deadline and (words[:1] == ["inga"] or words[:1] == ["ingen"] or modal):
        feats.add("cue:target_deadline")
    return feats


# Verbs of a checkable change: "Vi ska sänka skattetrycket" can be checked, "Vi ska verka för
# ett bättre samhälle" cannot.
_CHANGE_VERB = re.compile(
    r"^(?:sänk|höj|minsk|ök|halver|fördubbl|avskaff|slop|inför|återinför|förbjud|bygg|"
    r"anställ|utök|stopp|skärp|avveckl|privatiser|inrätt|garanter|ersätt|stäng|tillsätt)"
)
# A deadline in the future tense: "senast 2045", "inom två år", "nästa mandatperiod"; not a bare
# "senast" ("Inga tåg gick senast i fjol": most recently).
_FIRM_DEADLINE = re.compile(
    r"\b(?:senast|till|före|innan)\s+(?:år\s+)?(?:19|20)\d\d\b|"
    r"\binom\s+(?:\w+\s+)?(?:år|månader|veckor|mandatperioden)\b|"
    r"\b(?:nästa|kommande)\s+mandatperiod"
)
_COMMIT_MODALS = frozenset(["ska", "skall", "vill", "kommer", "måste", "bör"])
_AMOUNT_WORDS = _MONEY | _PERCENT | frozenset(["kronorna", "procenten"])


def checkable_commitment(text: str) -> str:
    """Why the sentence is an explicit, checkable commitment ("" if it is not): the shapes the
    issue found scored too low by the data-trained model: a modal with a number or year, a
    future deadline with a modal or "inga"/"ingen", a subject + modal + verb of change, an
    infinitive with an amount (docs/classifier.md: how often each is a pledge in the data)."""
    tokens = tokenize(text)
    words = [t for t in tokens if t[0].isalpha() or t == "<party>"]
    if not words:
        return ""
    modal_at = [
        i
        for i, w in enumerate(words)
        if w in _COMMIT_MODALS and (w != "kommer" or words[i + 1 : i + 2] == ["att"])
    ]
    number = any(t[0].isdigit() for t in tokens)
    if modal_at and number:
        return "modal_number"
    if _FIRM_DEADLINE.search(text.lower()) and (modal_at or words[0] in ("inga", "ingen")):
        return "target_deadline"
    for i in modal_at:
        after = words[i + 1 : i + 3]
        if after[:1] == ["att"]:  # "kommer att sänka"
            after = after[1:]
        if i > 0 and words[i - 1] in _SUBJECTS and after and _CHANGE_VERB.match(after[0]):
            return "subject_change"
    if number and _infinitive_opening(words) and any(t in _AMOUNT_WORDS for t in tokens):
        return "infinitive_amount"
    return ""


@functools.lru_cache(maxsize=20_000)  # a program's vocabulary; ~1 kB per word
def _char_ngrams(word: str) -> frozenset[str]:
    padded = f"<{word}>"
    return frozenset("c:" + padded[i : i + n] for n in _CHAR_N for i in range(len(padded) - n + 1))


def _modal_features(words: list[str]) -> set[str]:
    feats: set[str] = set()
    for i, word in enumerate(words):
        modal = _MODALS.get(word)
        if modal is None:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if modal == "kommer":
            if nxt != "att":  # "kommer" alone is "comes", not "will"
                continue
            nxt = words[i + 2] if i + 2 < len(words) else ""
        if modal == "får" and nxt not in ("inte", "aldrig"):
            continue  # "får" alone is "gets"; "får inte" is a commitment
        feats.add("mod:" + modal)
        if (i > 0 and words[i - 1] in _SUBJECTS) or nxt in _SUBJECTS:
            feats.add(f"mod:subj_{modal}")
        # "ska byggas ut", "bör sänkas": a commitment about a concrete change
        if len(nxt) > 3 and nxt.endswith("as"):
            feats.add(f"mod:{modal}_passive")
        if nxt in ("inte", "aldrig"):
            feats.add(f"mod:{modal}_neg")
    if not feats:
        feats.add("mod:none")
    return feats


def _stance_features(words: list[str]) -> set[str]:
    feats: set[str] = set()
    for i, word in enumerate(words):
        if word in _STANCE:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if word in ("nej", "ja") and nxt != "till":
                continue
            subject = i > 0 and words[i - 1] in _SUBJECTS
            feats.add(f"stance:{word}" + ("_subj" if subject else ""))
    return feats


def _tense_features(words: list[str]) -> set[str]:
    """Past and perfect tense describe what was done, rarely what will be."""
    feats: set[str] = set()
    for i, word in enumerate(words):
        if word in _PERFECT and any(
            _SUPINE.search(w) and w not in _NOT_SUPINE for w in words[i + 1 : i + 3]
        ):
            feats.add("tense:perfect")
        elif len(word) > 4 and _PAST.search(word):
            feats.add("tense:past")
    return feats


def _number_features(tokens: list[str]) -> set[str]:
    feats: set[str] = set()
    for i, token in enumerate(tokens):
        if token[0].isdigit():
            feats.add("num:year" if _YEAR.match(token) else "num:count")
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if nxt in _PERCENT:
                feats.add("num:percent")
            elif nxt in _MONEY:
                feats.add("num:money")
        elif token in _PERCENT:
            feats.add("num:percent")
        elif token in _MONEY:
            feats.add("num:money")
    return feats


def _shape_features(text: str, n_words: int) -> set[str]:
    stripped = text.strip()
    end = stripped[-1:] if stripped else ""
    feats = {
        "shape:len" + _length_bucket(n_words),
        "shape:end" + (end if end and end in ".!?:;" else "_none"),
    }
    if _BULLET.match(text):
        feats.add("shape:bullet")
    return feats


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def idf(df: int, n_docs: int) -> float:
    """Smoothed inverse document frequency (as scikit-learn's `TfidfVectorizer`)."""
    return math.log((1 + n_docs) / (1 + df)) + 1.0


@dataclass(frozen=True)
class SentenceClassifier:
    """Logistic regression over the L2-normalised tf-idf vector of a sentence's binary features:
    margin = bias + sum(weight_f * idf_f) / sqrt(sum(idf_f ** 2)) over the known features f.
    The idf weighting and the norm keep long sentences and frequent features from dominating."""

    features: dict[str, tuple[float, int]]  # feature -> (weight, document frequency)
    n_docs: int  # training sentences, for the idf
    bias: float
    threshold: float
    version: str
    groups: tuple[str, ...]
    trained_from: dict[str, Any]
    commitment_floor: bool = False  # lift `checkable_commitment` sentences to the threshold
    e5: E5Head | None = None  # a second opinion near the threshold (e5_head.py)
    _weighted: dict[str, float] = field(init=False, repr=False, compare=False)  # weight * idf
    _squared: dict[str, float] = field(init=False, repr=False, compare=False)  # idf ** 2
    _known: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        idfs = {f: idf(df, self.n_docs) for f, (_, df) in self.features.items()}
        object.__setattr__(
            self, "_weighted", {f: w * idfs[f] for f, (w, _) in self.features.items()}
        )
        object.__setattr__(self, "_squared", {f: v * v for f, v in idfs.items()})
        object.__setattr__(self, "_known", frozenset(self.features))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SentenceClassifier:
        return cls(
            features={f: (float(w), int(df)) for f, (w, df) in data["features"].items()},
            n_docs=int(data["n_docs"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            version=str(data["version"]),
            groups=tuple(data["trained_from"]["hyperparameters"]["groups"]),
            trained_from=dict(data["trained_from"]),
            commitment_floor=bool(
                data["trained_from"]["hyperparameters"].get("commitment_floor", False)
            ),
            e5=E5Head.from_dict(data["e5"]) if data.get("e5") else None,
        )

    def to_dict(self) -> dict[str, Any]:
        out = {
            "version": self.version,
            "threshold": self.threshold,
            "bias": self.bias,
            "n_docs": self.n_docs,
            "trained_from": self.trained_from,
            "features": {f: list(v) for f, v in sorted(self.features.items())},
        }
        if self.e5 is not None:
            out["e5"] = self.e5.to_dict()
        return out

    def margin_of(self, features: set[str]) -> float:
        present = features & self._known
        if not present:
            return self.bias
        dot = sum(map(self._weighted.__getitem__, present))
        return self.bias + dot / math.sqrt(sum(map(self._squared.__getitem__, present)))

    def score_one(self, text: str, context: Context | None = None) -> float:
        """Probability (0-1) that the text is a pledge. A text without a letter ("•", "12",
        "–": page furniture) is none, whatever its neighbours: the training data has no such
        sentence to learn it from."""
        if not _LETTERS.search(text):
            return 0.0
        score = sigmoid(self.margin_of(extract_features(text, self.groups, context)))
        if self.commitment_floor and checkable_commitment(text):
            # at least the threshold, and still ranked by the model among such sentences
            return self.threshold + (1.0 - self.threshold) * score
        return score

    def score(
        self, texts: Sequence[str], contexts: Sequence[Context | None] | None = None
    ) -> list[float]:
        """Probability (0-1) that each text is a pledge; `contexts`, one per text, if known."""
        if contexts is None:
            contexts = [None] * len(texts)
        if len(contexts) != len(texts):
            raise ValueError(f"{len(contexts)} contexts for {len(texts)} texts")
        scores = [self.score_one(t, c) for t, c in zip(texts, contexts, strict=True)]
        return self.second_opinion(texts, scores)

    def second_opinion(self, texts: Sequence[str], scores: list[float]) -> list[float]:
        """Scores near the threshold averaged with the e5 head's (when the model has one).

        Sentences the commitment floor lifted keep their score: an explicit commitment with a
        year or an amount is a pledge whatever the embedding says.
        """
        if self.e5 is None:
            return scores
        unsure = [
            i
            for i, (t, s) in enumerate(zip(texts, scores, strict=True))
            if self.e5.in_band(s) and not (self.commitment_floor and checkable_commitment(t))
        ]
        second = self.e5.scores([texts[i] for i in unsure])
        out = list(scores)
        for i, other in zip(unsure, second, strict=True):
            out[i] = (scores[i] + other) / 2
        return out

    def predict(
        self, texts: Sequence[str], contexts: Sequence[Context | None] | None = None
    ) -> list[bool]:
        return [s >= self.threshold for s in self.score(texts, contexts)]


def read_model(path: Path) -> SentenceClassifier:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return SentenceClassifier.from_dict(json.load(fh))


def model_bytes(classifier: SentenceClassifier, gzipped: bool = True) -> bytes:
    """Deterministic bytes: sorted keys, no time in the gzip header."""
    raw = json.dumps(classifier.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0) if gzipped else raw


def write_model(classifier: SentenceClassifier, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model_bytes(classifier, gzipped=path.suffix == ".gz"))


@functools.cache
def load_classifier() -> SentenceClassifier:
    """The shipped model, read once per process."""
    return read_model(MODEL_PATH)


def score_sentences(texts: Sequence[str], contexts: Sequence[Context] | None = None) -> list[float]:
    """Pledge probability of each sentence with the shipped model; `contexts` (one per text)
    say where each stands (the sentence before, a list and its lead-in, the position)."""
    return load_classifier().score(texts, contexts)


def classify_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One record per non-blank line: {"text", "pledge", "score"}. The lines are taken as
    sentences in document order, as in training (`contexts_in_order`)."""
    classifier = load_classifier()
    texts = [t for t in (line.strip() for line in lines) if t]
    scores = classifier.score(texts, list(contexts_in_order(texts)))
    for text, score in zip(texts, scores, strict=True):
        yield {"text": text, "pledge": score >= classifier.threshold, "score": round(score, 4)}
