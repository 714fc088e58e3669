"""Exact and near-duplicate documents, and paragraphs repeated inside one document.

- `content_hash`: sha256 of the text after `normalize_for_hash`, so the same press release
  re-published with other whitespace, quotes, dashes or a trailing "…" hashes the same.
- `shingles` / `similarity`: word 5-shingles, Jaccard (or containment when one text is much
  shorter, e.g. an excerpt of an article).
- `minhash_signature` / `NearDuplicateIndex`: one-permutation MinHash with optimal densification
  (Shrivastava 2017) and LSH banding. One hash pass per shingle instead of one per permutation,
  compiled (`_dedup_kernel.c`: its own BLAKE2b over each shingle's UTF-8, the same values as
  the Python path of hashlib, which serves where the extension was not built); bucket lookups
  make a query touch only likely duplicates instead of every document.
- Paragraphs repeated inside one item (a listing page repeating its summary) are dropped by the
  reader that sees the item: `sources.textdump.dedup_paragraphs`.

Hashes come from hashlib (blake2b, sha256), never `hash()` of a string, which changes between
processes; signatures can therefore be stored and compared later.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from array import array
from collections import deque
from collections.abc import Hashable, Iterable, Iterator
from itertools import islice

SHINGLE_K = 5
# 256 values: the estimate's spread near a 0.8 threshold is about 0.02 (0.03 with 128, which
# missed 2 % of pairs at J >= 0.85 on the benchmark corpus).
NUM_PERM = 256
# Bands over the first 64 values. P(candidate) = 1 - (1 - J^4)^16: 0.9998 at J = 0.8, 0.64 at
# 0.5, 0.12 at 0.3; candidates are then kept by their estimate over all 256 values.
BANDS, ROWS = 16, 4
CONTAINMENT_RATIO = 0.5  # a text under half the other's shingles is compared by containment

_QUOTES = str.maketrans(
    {c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"} | {c: "-" for c in "‐‑‒–—―−"}
)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_WORD = re.compile(r"\w+")
_CUT = re.compile(r"[ \n]")
_NON_SPACE = re.compile(r"\S+")
_MASK64 = (1 << 64) - 1

try:  # MinHash in one compiled pass (`_dedup_kernel.c`, built by `pip install`)
    from . import _dedup_kernel  # type: ignore[attr-defined]

    COMPILED = True
except ImportError:  # pragma: no cover - a wheel or checkout built without a C compiler
    COMPILED = False


# Long texts are normalized in pieces of about this many characters (issue 9): one whole
# `text.split()` of a 50 MB input held its seven million words at once, about 450 MB.
NORMALIZE_PIECE = 1 << 16


def normalize_for_hash(text: str, piece: int = NORMALIZE_PIECE) -> str:
    """NFC, casefolded, one space between words, plain quotes and dashes, no trailing "…"."""
    return normalize_parts((text,), piece)


def normalize_parts(parts: Iterable[str], piece: int = NORMALIZE_PIECE) -> str:
    """`normalize_for_hash("\n".join(parts))` without that joined copy of the text (a title
    and a 50 MB body): a line break between two parts is a cut like any other (`_pieces`)."""
    words = [w for part in parts for w in map(_normalize_piece, _pieces(part, piece)) if w]
    return strip_trailing_ellipsis(" ".join(words))


def _normalize_piece(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_QUOTES)
    return " ".join(text.split())


def _pieces(text: str, size: int) -> Iterator[str]:
    """`text` cut into pieces of about `size` characters, each cut just before an ASCII space
    or line break: no word is split, and no normalization (NFC composes nothing with a space,
    casefolding is per character) reaches across a cut, so normalizing the pieces one by one
    gives what normalizing the whole text gives."""
    start = 0
    while len(text) - start > size:
        cut = _CUT.search(text, start + size)
        if cut is None:
            break
        yield text[start : cut.start()]
        start = cut.start()
    yield text[start:] if start else text


def strip_trailing_ellipsis(text: str) -> str:
    r"""`text` without its trailing run of "…" and "..." marks (and the spaces among them).

    Plain string code, scanning back from the end once: the regex it replaces,
    `(?:\s*(?:…|\.\.\.+))+\s*$`, could split a run of dots into "..." groups in
    exponentially many ways and took minutes on a dotted table-of-contents line (issue 9).
    A run of one or two dots is a full stop, not an ellipsis, and stays.
    """
    keep = len(text)
    pos = len(text)
    while True:
        while pos and text[pos - 1].isspace():
            pos -= 1
        if pos and text[pos - 1] == "…":
            pos -= 1
        else:
            dots = pos
            while dots and text[dots - 1] == ".":
                dots -= 1
            if pos - dots < 3:
                break
            pos = dots
        keep = pos
    if keep == len(text):
        return text
    return text[:keep].rstrip()


def content_hash(text: str) -> str:
    """sha256 hex of the normalized text: equal for texts that differ only in form."""
    return normalized_hash(normalize_for_hash(text))


def normalized_hash(normalized: str, piece: int = 1 << 20) -> str:
    """`content_hash` of a text already normalized by `normalize_for_hash`, hashed a piece at
    a time (never the whole text's UTF-8 at once). A cut between two lone surrogates changes
    nothing: "surrogatepass" writes each one alone."""
    digest = hashlib.sha256()
    for start in range(0, len(normalized), piece):
        digest.update(normalized[start : start + piece].encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def has_words(text: str | Iterable[str], count: int) -> bool:
    """Whether `text` holds at least `count` words (`len(text.split()) >= count`), counted
    without splitting the whole text. Several parts count as if joined by line breaks."""
    parts = (text,) if isinstance(text, str) else text
    found = (m for part in parts for m in _NON_SPACE.finditer(part))
    return sum(1 for _ in islice(found, count)) >= count


def _hash64(value: str) -> int:
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def shingles(text: str, k: int = SHINGLE_K) -> set[int]:
    """64-bit hashes of the word k-grams of the normalized text (one for texts under k words)."""
    return set(shingle_hashes(normalize_for_hash(text), k))


def shingle_hashes(normalized: str, k: int = SHINGLE_K) -> Iterator[int]:
    """The hashes of `shingles`, repeats included, of a text already normalized, read word by
    word: memory holds k words, not the text's word list (issue 9). `_hash64` inlined: this
    loop runs once per word of a text, seven million times for a 50 MB input."""
    window: deque[str] = deque(maxlen=k)
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    for match in _WORD.finditer(normalized):
        window.append(match[0])
        if len(window) == k:
            text = " ".join(window).encode("utf-8", "surrogatepass")
            yield from_bytes(blake2b(text, digest_size=8).digest(), "little")
    if 0 < len(window) < k:
        yield _hash64(" ".join(window))


def similarity(a: str, b: str, k: int = SHINGLE_K) -> float:
    """Jaccard of the shingle sets; containment of the smaller in the larger when it is less
    than half as large (an excerpt or a summary of the other text)."""
    sa, sb = shingles(a, k), shingles(b, k)
    if not sa or not sb:
        return 1.0 if normalize_for_hash(a) == normalize_for_hash(b) else 0.0
    small, large = sorted((sa, sb), key=len)
    common = len(small & large)
    if len(small) < CONTAINMENT_RATIO * len(large):
        return common / len(small)
    return common / (len(small) + len(large) - common)


def _probe_order(num_perm: int) -> list[list[int]]:
    """For each bin, the fixed pseudo-random order in which an empty bin borrows from others."""
    rng = random.Random(0x10F7E)
    orders = []
    for i in range(num_perm):
        others = [j for j in range(num_perm) if j != i]
        rng.shuffle(others)
        orders.append(others)
    return orders


_PROBES: dict[int, list[list[int]]] = {}


def minhash_signature(
    items: str | Iterable[int], num_perm: int = NUM_PERM, k: int = SHINGLE_K
) -> array[int]:
    """One-permutation MinHash of a text (or of shingle hashes): `num_perm` 32-bit values.

    Each shingle hash picks a bin and competes for that bin's minimum; empty bins borrow from
    another bin in a fixed order shared by all documents, which keeps P(equal) close to the
    Jaccard (unbiased, spread about 0.02 at J = 0.8 on the benchmark corpus). Empty texts get
    one all-ones signature, so they match each other.
    """
    if isinstance(items, str):
        return minhash_of_normalized(normalize_for_hash(items), num_perm, k)
    # a repeated shingle changes no minimum: the hashes are streamed, never collected
    hashes = items
    empty = _MASK64 + 1
    bins = [empty] * num_perm
    for h in hashes:
        # A 64-bit hash: low bits choose the bin, the rest (remixed) is the value.
        b = h % num_perm
        v = (h * 0x9E3779B97F4A7C15) & _MASK64
        if v < bins[b]:
            bins[b] = v
    if all(v == empty for v in bins):
        return array("I", [0xFFFFFFFF] * num_perm)
    probes = _PROBES.get(num_perm) or _PROBES.setdefault(num_perm, _probe_order(num_perm))
    filled = [
        bins[i] if bins[i] != empty else next(bins[j] for j in probes[i] if bins[j] != empty)
        for i in range(num_perm)
    ]
    return array("I", [v >> 32 for v in filled])


def minhash_of_normalized(
    normalized: str, num_perm: int = NUM_PERM, k: int = SHINGLE_K, *, compiled: bool = COMPILED
) -> array[int]:
    """`minhash_signature` of a text already normalized by `normalize_for_hash`: in one
    compiled pass when the extension is built (the same values: the Python path made a string,
    its bytes, a hash object and an int per shingle, most of the time of preparing a news
    item), else from `shingle_hashes`. A text with lone surrogates takes the Python path."""
    if compiled:
        data = _dedup_kernel.minhash(normalized, k, num_perm, _flat_probes(num_perm))
        if data is not None:
            signature = array("I")
            signature.frombytes(data)
            return signature
    return minhash_signature(shingle_hashes(normalized, k), num_perm, k)


_FLAT_PROBES: dict[int, array[int]] = {}


def _flat_probes(num_perm: int) -> array[int]:
    """`_probe_order` as one int32 array, row after row, for the compiled pass."""
    flat = _FLAT_PROBES.get(num_perm)
    if flat is None:
        probes = _PROBES.get(num_perm) or _PROBES.setdefault(num_perm, _probe_order(num_perm))
        flat = _FLAT_PROBES[num_perm] = array("i", [j for row in probes for j in row])
    return flat


def band_keys(signature: array[int], bands: int = BANDS, rows: int = ROWS) -> list[int]:
    """One LSH bucket key per band of `rows` values: a signed 64-bit integer (it fits a
    BIGINT column) from blake2b keyed by the band's number, so the same values in two bands
    never share a bucket, and keys stay the same across processes and Python versions."""
    data = signature.tobytes() if signature.itemsize == 4 else array("I", signature).tobytes()
    width = 4 * rows
    return [
        int.from_bytes(
            hashlib.blake2b(
                data[b * width : (b + 1) * width], digest_size=8, key=b.to_bytes(2, "little")
            ).digest(),
            "little",
            signed=True,
        )
        for b in range(bands)
    ]


def estimate_jaccard(a: array[int], b: array[int]) -> float:
    """Share of equal positions in two signatures of the same length."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


class NearDuplicateIndex:
    """Documents by MinHash signature, bucketed by LSH bands, queried for near-duplicates.

    Memory per document: the signature (4 bytes a value) and one bucket entry per band.
    """

    def __init__(
        self, num_perm: int = NUM_PERM, bands: int = BANDS, rows: int = ROWS, k: int = SHINGLE_K
    ) -> None:
        if bands * rows > num_perm:
            raise ValueError(f"bands x rows ({bands * rows}) exceeds num_perm ({num_perm})")
        self.num_perm, self.bands, self.rows, self.k = num_perm, bands, rows, k
        self._ids: list[Hashable] = []
        self._signatures: list[array[int]] = []
        self._positions: dict[Hashable, int] = {}
        # One dict per band: band key -> a position, or a list of positions once shared.
        self._buckets: list[dict[int, int | list[int]]] = [{} for _ in range(bands)]

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._positions

    def signature(self, text: str) -> array[int]:
        return minhash_signature(text, self.num_perm, self.k)

    def _band_keys(self, signature: array[int]) -> list[int]:
        return band_keys(signature, self.bands, self.rows)

    def add(self, doc_id: Hashable, text: str, signature: array[int] | None = None) -> None:
        """Index a document; an id may be added once (ValueError otherwise)."""
        if doc_id in self._positions:
            raise ValueError(f"document {doc_id!r} is already indexed")
        signature = self.signature(text) if signature is None else signature
        position = len(self._ids)
        self._ids.append(doc_id)
        self._signatures.append(signature)
        self._positions[doc_id] = position
        for bucket, key in zip(self._buckets, self._band_keys(signature), strict=True):
            held = bucket.get(key)
            if held is None:
                bucket[key] = position
            elif isinstance(held, list):
                held.append(position)
            else:
                bucket[key] = [held, position]

    def query(
        self, text: str, threshold: float = 0.8, signature: array[int] | None = None
    ) -> list[tuple[Hashable, float]]:
        """Indexed documents whose estimated Jaccard with `text` is at least `threshold`,
        best first."""
        signature = self.signature(text) if signature is None else signature
        candidates: set[int] = set()
        for bucket, key in zip(self._buckets, self._band_keys(signature), strict=True):
            held = bucket.get(key)
            if isinstance(held, list):
                candidates.update(held)
            elif held is not None:
                candidates.add(held)
        found = []
        for position in candidates:
            score = estimate_jaccard(signature, self._signatures[position])
            if score >= threshold:
                found.append((self._ids[position], score))
        return sorted(found, key=lambda item: (-item[1], self._positions[item[0]]))
