from __future__ import annotations

import random
import re
import tracemalloc
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lofte.pipeline import dedup
from lofte.pipeline.dedup import (
    NUM_PERM,
    NearDuplicateIndex,
    _hash64,
    content_hash,
    estimate_jaccard,
    has_words,
    minhash_of_normalized,
    minhash_signature,
    normalize_for_hash,
    normalize_parts,
    normalized_hash,
    shingle_hashes,
    shingles,
    similarity,
)


def seed(seeds_dir: Path, number: str) -> str:
    (path,) = seeds_dir.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def paragraphs(text: str, min_words: int = 25) -> list[str]:
    """Distinct lines of a seed long enough to stand for a news text."""
    seen, out = set(), []
    for line in text.splitlines():
        line = line.strip(" •")
        if len(line.split()) >= min_words and normalize_for_hash(line) not in seen:
            seen.add(normalize_for_hash(line))
            out.append(line)
    return out


@pytest.fixture(scope="module")
def news(seeds_dir) -> list[str]:
    return [p for n in ("000", "001", "003") for p in paragraphs(seed(seeds_dir, n))]


@pytest.fixture(scope="module")
def press_text(seeds_dir) -> str:
    """A press-release-sized text (about 300 words) made of one seed's items, read at run time."""
    items = paragraphs(seed(seeds_dir, "001"))
    return "\n\n".join(items[:6])


def small_edits(text: str, rng: random.Random, n: int = 2) -> str:
    """Swap `n` words, change some spacing and punctuation, add a byline."""
    words = text.split(" ")
    for _ in range(n):
        i = rng.randrange(len(words))
        words[i] = "ändrat"
    edited = " ".join(words).replace(" – ", " - ").replace(", ", " ,  ", 3)
    return "Pressmeddelande:\n" + edited + "\n\nKontakt: pressekreterare"


# normalization and exact hashes


def test_normalize_for_hash():
    assert normalize_for_hash("  ”Hej”  –\tVÄRLDEN \u00a0…") == '"hej" - världen'
    assert normalize_for_hash("Kort text...") == "kort text"
    assert normalize_for_hash("A\u0308r sta\u030aende") == "är stående"  # decomposed → NFC
    assert normalize_for_hash("Stra\u00dfe") == "strasse"
    assert normalize_for_hash("av\u00adsluta ‘citat’") == "avsluta 'citat'"


def test_content_hash_is_sha256_of_the_normalized_text():
    h = content_hash("Hej världen")
    assert re.fullmatch(r"[0-9a-f]{64}", h)
    assert h == content_hash(" hej   VÄRLDEN… ")
    assert h != content_hash("Hej världen!")


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1).filter(
            lambda w: not any(c.isspace() for c in w)
        ),
        min_size=1,
        max_size=12,
    ),
    seps=st.lists(
        st.text(st.sampled_from(" \t\n\r\u00a0\u2009\u3000"), min_size=1), min_size=13, max_size=13
    ),
)
def test_hash_is_invariant_to_whitespace(words, seps):
    plain = " ".join(words)
    spaced = seps[0] + "".join(w + s for w, s in zip(words, seps[1:]))
    assert content_hash(spaced) == content_hash(plain)
    assert normalize_for_hash(normalize_for_hash(plain)) == normalize_for_hash(plain)


# shingles and similarity


def test_shingles():
    assert len(shingles("ett två tre fyra fem sex sju")) == 3
    assert shingles("Ett, två: TRE fyra fem sex") == shingles("ett två tre fyra fem sex")
    assert len(shingles("kort text")) == 1
    assert shingles("  … ") == set()
    assert all(0 <= h < 2**64 for h in shingles("ett två tre fyra fem sex"))


def test_similarity(news, press_text):
    a, b = news[0], news[1]
    assert similarity(a, a) == 1.0
    assert similarity(a, " ".join(a.split()).upper()) == 1.0
    assert similarity(a, b) < 0.1
    # An excerpt of a longer text is measured by containment, not Jaccard.
    excerpt = " ".join(press_text.split()[:60])
    assert similarity(excerpt, press_text) == 1.0
    assert similarity("", "") == 1.0 and similarity("", a) == 0.0


def test_minhash_estimates_jaccard(news):
    rng = random.Random(3)
    for text in news[:10]:
        edited = small_edits(text, rng, n=1)
        true = similarity(text, edited)
        assert (
            abs(estimate_jaccard(minhash_signature(text), minhash_signature(edited)) - true) < 0.2
        )
    sig = minhash_signature(news[0])
    assert len(sig) == NUM_PERM and sig == minhash_signature(news[0])


# the index


def test_exact_and_near_duplicates_found_unrelated_not(news, press_text):
    rng = random.Random(7)
    index = NearDuplicateIndex()
    index.add("press", press_text)
    for i, text in enumerate(news):
        index.add(i, text)
    assert len(index) == len(news) + 1 and "press" in index

    assert index.query(press_text)[0] == ("press", 1.0)
    edited = small_edits(press_text, rng, n=2)
    assert similarity(press_text, edited) >= 0.8
    hits = index.query(edited, threshold=0.8)
    assert [doc for doc, _ in hits] == ["press"] and hits[0][1] >= 0.8

    for i, text in enumerate(news):
        found = [doc for doc, _ in index.query(text)]
        assert found == [i] or (found and found[0] == i and set(found) <= {i, "press"})
    assert (
        index.query(
            "Helt orelaterad text om väder, fotboll och recept på kanelbullar "
            "som ingen annan text i samlingen handlar om alls."
        )
        == []
    )


def test_short_excerpt_with_one_changed_word(press_text):
    # A 40-word excerpt loses 5 of 36 shingles per changed word: found at 0.7, not at 0.8.
    text = " ".join(press_text.split()[:40])
    words = text.split()
    words[20] = "ändrat"
    edited = " ".join(words)
    index = NearDuplicateIndex()
    index.add("a", text)
    assert 0.7 <= similarity(text, edited) < 0.8
    assert [doc for doc, _ in index.query(edited, threshold=0.65)] == ["a"]


def test_index_recall_on_generated_corpus():
    rng = random.Random(11)
    vocab = [f"ord{i}" for i in range(3000)]
    docs = [" ".join(rng.choice(vocab) for _ in range(120)) for _ in range(2000)]
    index = NearDuplicateIndex()
    for i, d in enumerate(docs):
        index.add(i, d)
    found = 0
    for i in range(0, 2000, 10):
        words = docs[i].split()
        words[rng.randrange(120)] = "x"
        hits = index.query(" ".join(words), threshold=0.8)
        found += bool(hits) and hits[0][0] == i
        assert len(hits) <= 1
    assert found >= 195  # of 200


def test_duplicate_id_is_refused():
    index = NearDuplicateIndex()
    index.add(1, "en text")
    with pytest.raises(ValueError):
        index.add(1, "en annan text")
    with pytest.raises(ValueError):
        NearDuplicateIndex(num_perm=32, bands=16, rows=4)


# Issue 9 (big inputs): normalizing, counting words and shingling stream over long texts; each
# must give exactly what the whole-text version gives (stored hashes and MinHashes depend on it).
_SPACY = st.text(
    alphabet=st.sampled_from(list("ab Åé\u0301\u00a0\u2003\u200b\n\t\x1c“”–…. ΣςẞİI")), max_size=80
)


@given(_SPACY, st.integers(min_value=1, max_value=9))
@settings(max_examples=300, deadline=None)
def test_normalizing_in_pieces_is_normalizing_the_whole(text, piece):
    assert normalize_for_hash(text, piece=piece) == normalize_for_hash(text, piece=10**9)


T = TypeVar("T")


def _with_peak(work: Callable[[str], T], text: str) -> tuple[T, int]:
    """`work(text)` and the peak of memory Python allocated while it ran."""
    tracemalloc.start()
    try:
        return work(text), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_normalizing_a_long_text_holds_no_word_list():
    text = "Vi ska bygga fler bostäder i Älvsjö, och “snabbt” – år 2026.\n" * 40_000  # 2.4 MB
    normalized, peak = _with_peak(normalize_for_hash, text)
    assert normalized == " ".join(normalize_for_hash(text, piece=10**9).split())
    assert peak < 4 * len(text)  # the text's copies, not its 480 000 words as objects


@given(_SPACY, st.integers(min_value=0, max_value=7))
@settings(max_examples=300, deadline=None)
def test_has_words_counts_as_split(text, count):
    assert has_words(text, count) == (len(text.split()) >= count)


@pytest.mark.parametrize("words", [0, 1, 4, 5, 6, 12])
def test_shingle_hashes_are_the_word_k_grams(words):
    text = " ".join(f"ord{i % 7}" for i in range(words))
    found = list(shingle_hashes(normalize_for_hash(text)))
    listed = re.findall(r"\w+", normalize_for_hash(text))
    grams = [listed[i : i + 5] for i in range(max(1, len(listed) - 4))] if listed else []
    assert found == [_hash64(" ".join(gram)) for gram in grams]
    assert set(found) == shingles(text)


def test_minhash_of_a_text_streams_its_shingles():
    text = "Vi lovar fler bostäder och kortare köer i vården för alla. " * 30_000  # 1.8 MB
    streamed, peak = _with_peak(minhash_signature, text)
    assert streamed == minhash_signature(shingles(text))
    assert peak < 4 * len(text)  # no list of the text's 300 000 words


def test_normalized_hash_is_content_hash_of_the_text():
    text = "  Samma “pressmeddelande” –\u00a0igen …"
    assert normalized_hash(normalize_for_hash(text)) == content_hash(text)


def _both_ways(text: str, num_perm: int = NUM_PERM, k: int = 5) -> None:
    normalized = normalize_for_hash(text)
    got = minhash_of_normalized(normalized, num_perm, k, compiled=True)
    want = minhash_signature(shingle_hashes(normalized, k), num_perm, k)
    assert got == want, text[:80]
    assert got.typecode == want.typecode and len(got) == num_perm


@pytest.mark.skipif(not dedup.COMPILED, reason="the extension is built by every install")
def test_compiled_minhash_is_the_python_one_on_real_and_hostile_texts(shared_dir: Path) -> None:
    """The compiled pass (its own BLAKE2b and word runs) against the Python path of hashlib
    and `re`: the seeds, a spread of the government's record, and strings that test the
    edges: BLAKE2b's 128-byte blocks (shingles of 127 to 257 bytes), fewer words than a
    shingle, no words, underscores, digits, non-BMP letters, combining marks."""
    texts = [
        p.read_text("utf-8", errors="replace") for p in sorted((shared_dir / "seeds").glob("*"))
    ]
    texts += [
        p.read_text("utf-8")
        for p in sorted((shared_dir / "data" / "regeringen").rglob("*.md"))[::300]
    ]
    for total in (123, 124, 125, 126, 127, 128, 129, 251, 252, 253, 255, 256, 257, 300):
        texts.append("a b c d " + "x" * (total - 8))  # one shingle of `total` bytes
        texts.append("å b c d " + "ö" * ((total - 9) // 2))
    texts += [
        "",
        " ... !!! ",
        "ett",
        "ett två tre fyra",
        "ett två tre fyra fem",
        "snake_case ord_2 __ 1 2 3 4 5 6",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 ord 日本語 テキスト a\u0301 e\u0308 Å Ä Ö ß ﬁ İ",
        "\u200b ord \u00ad ord \ufeff ord ord ord ord",
    ]
    for text in texts:
        _both_ways(text)
    _both_ways("en två tre fyra fem sex sju", num_perm=7, k=3)
    assert minhash_of_normalized("") == array("I", [0xFFFFFFFF] * NUM_PERM)


def test_a_text_with_lone_surrogates_takes_the_python_path() -> None:
    # bytes read with errors="surrogateescape" can leave them; UTF-8 cannot hold them
    text = "ord \udcff ord två tre fyra fem"
    assert minhash_of_normalized(text) == minhash_signature(shingle_hashes(text))


@pytest.mark.skipif(not dedup.COMPILED, reason="the extension is built by every install")
def test_the_compiled_minhash_refuses_bad_arguments() -> None:
    probes = dedup._flat_probes(8)
    with pytest.raises(ValueError):
        dedup._dedup_kernel.minhash("a b", 0, 8, probes)
    with pytest.raises(ValueError):
        dedup._dedup_kernel.minhash("a b", 5, 9, probes)  # rows for 8 bins, not 9
    with pytest.raises(TypeError):
        dedup._dedup_kernel.minhash(b"a b", 5, 8, probes)


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.text(st.sampled_from(list("aÄåB \n\t\u00a0”–.…\u0308\u030a\u00adﬁß")), max_size=40),
        max_size=4,
    ),
    piece=st.integers(min_value=1, max_value=16),
    count=st.integers(min_value=0, max_value=12),
)
def test_parts_normalize_and_count_as_their_text_joined_by_line_breaks(parts, piece, count):
    """Ingest hashes a title and a 50 MB body as parts, never joined: the same hash and the
    same word count as the joined text, whatever the cuts (pieces of 1 to 16 characters)."""
    joined = "\n".join(parts)
    assert normalize_parts(parts, piece) == normalize_for_hash(joined, piece)
    assert normalize_parts(parts, piece) == normalize_for_hash(joined)
    assert has_words(parts, count) == has_words(joined, count) == (len(joined.split()) >= count)
    normalized = normalize_for_hash(joined)
    assert normalized_hash(normalized, piece) == normalized_hash(normalized) == content_hash(joined)
