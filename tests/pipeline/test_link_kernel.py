"""The lexical stage's compiled inner loop against its NumPy twin: the same numbers, bit for bit,
on random sparse inputs and on a real index over the seeds."""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from lofte.language.analyze import get_analyzer
from lofte.pipeline import link_index, link_kernel
from lofte.pipeline.link_index import BM25_HALF, BM25_WEIGHT, LexicalIndex
from lofte.pipeline.link_kernel import COMPILED, best_units


def test_the_extension_is_built_by_the_install() -> None:
    # `pip install -e .` compiles it (gcc); without it linking still works, only slower, so a
    # silent fallback would hide a broken build.
    assert COMPILED


def _random_case(seed: int) -> tuple[sparse.csr_matrix, ...]:
    rng = np.random.default_rng(seed)
    n, terms, grams, units = 37, 50, 80, 23
    query = sparse.random(n, terms, density=0.1, random_state=rng, format="csr")
    query.data = np.minimum(query.data * 2, 1.0)
    gram_rows = sparse.random(n, grams, density=0.15, random_state=rng, format="csr")
    term_postings = sparse.random(terms, units, density=0.2, random_state=rng, format="csr")
    gram_postings = sparse.random(grams, units, density=0.2, random_state=rng, format="csr")
    silent = sparse.diags(np.r_[0.0, np.ones(n - 1)])  # the first passage matches nothing
    return (silent @ query).tocsr(), (silent @ gram_rows).tocsr(), term_postings, gram_postings


@pytest.mark.parametrize("seed", range(5))
def test_compiled_and_numpy_paths_agree_on_random_inputs(seed: int) -> None:
    query, grams, terms, ngrams = _random_case(seed)
    # 23 units over 9 pledges, grouped in order; some pledges have one unit, some several
    unit_pledge = np.array([0, 0, 1, 2, 2, 2, 3, 4, 4, 5, 5, 5, 5, 6, 6, 7, 7, 7, 8, 8, 8, 8, 8])
    args = (query, grams, terms, ngrams, unit_pledge, 9, 3.5, BM25_HALF, BM25_WEIGHT)
    compiled = best_units(*args, compiled=True)
    numpy = best_units(*args, compiled=False)
    for a, b in zip(compiled, numpy, strict=True):
        assert a.shape == (37, 9)
        assert np.array_equal(a, b)
    fused, unit, bm25, ngram = compiled
    assert np.all(unit_pledge[unit] == np.arange(9))  # each pledge's unit is one of its own
    assert np.allclose(fused, BM25_WEIGHT * bm25 + (1 - BM25_WEIGHT) * ngram)
    assert (fused > 0).any() and (fused == 0).any()  # the case exercises both


def test_ties_go_to_the_last_unit_of_the_pledge() -> None:
    # two units of one pledge with identical postings: equal values, the second is reported
    query = sparse.csr_matrix(np.array([[1.0, 0.0]]))
    grams = sparse.csr_matrix((1, 1))
    terms = sparse.csr_matrix(np.array([[2.0, 2.0, 1.0], [0.0, 0.0, 0.0]]))
    ngrams = sparse.csr_matrix((1, 3))
    pledges = np.array([0, 0, 1])
    for compiled in (True, False):
        _, unit, _, _ = best_units(query, grams, terms, ngrams, pledges, 2, 1.0, 2.0, 0.6,
                                   compiled=compiled)  # fmt: skip
        assert unit.tolist() == [[1, 2]]


def test_no_passages_and_no_units() -> None:
    empty = sparse.csr_matrix((0, 4))
    postings = sparse.csr_matrix((4, 0))
    for compiled in (True, False):
        fused, unit, _, _ = best_units(empty, empty, postings, postings, np.zeros(0, np.int64),
                                       0, 1.0, 2.0, 0.6, compiled=compiled)  # fmt: skip
        assert fused.shape == (0, 0) and unit.shape == (0, 0)


def test_the_kernel_writes_into_given_arrays_and_refuses_wrong_ones() -> None:
    query, grams, terms, ngrams = _random_case(0)
    unit_pledge = np.array([0, 0, 1, 2, 2, 2, 3, 4, 4, 5, 5, 5, 5, 6, 6, 7, 7, 7, 8, 8, 8, 8, 8])
    args = (query, grams, terms, ngrams, unit_pledge, 9, 3.5, BM25_HALF, BM25_WEIGHT)
    out = (np.full((37, 9), 7.0), np.full((37, 9), 7), np.full((37, 9), 7.0), np.full((37, 9), 7.0))
    got = best_units(*args, out=out)
    assert all(a is b for a, b in zip(got, out, strict=True))
    for a, b in zip(out, best_units(*args), strict=True):
        assert np.array_equal(a, b)  # every cell written
    wrong = [
        (out[0][:5], *out[1:]),  # a shape
        (out[0], out[1].astype(np.int32), *out[2:]),  # a type the C code would misread
        (np.asfortranarray(out[0]), *out[1:]),  # not C order
    ]
    for bad in wrong:
        with pytest.raises(ValueError, match="C-contiguous"):
            best_units(*args, out=bad)


def test_a_group_s_scores_reuse_the_thread_s_workspace_and_big_batches_get_their_own() -> None:
    import threading

    index = LexicalIndex(
        ["Bygga en ny simhall i Norrvik.", "Fler poliser i Söderby. Sänkt skatt."], get_analyzer()
    )
    first = index.score(["En ny simhall byggs i Norrvik."])
    kept = first.fused.copy()
    second = index.score(["Fler poliser i Söderby."])
    # one workspace, overwritten by the next call: no new (passages x pledges) arrays per group
    assert np.shares_memory(first.fused, second.fused)
    assert not np.array_equal(first.fused, kept)
    assert np.array_equal(index.score(["En ny simhall byggs i Norrvik."]).fused, kept)
    # more than one batch: stacked into new arrays, not views of the workspace
    many = index.score(["En ny simhall byggs i Norrvik."] * (link_index.BATCH + 3))
    assert not np.shares_memory(many.fused, second.fused)
    assert np.array_equal(many.fused, np.repeat(kept, link_index.BATCH + 3, axis=0))
    # another thread scores into its own workspace
    other: list[np.ndarray] = []
    worker = threading.Thread(target=lambda: other.append(index.score(["Sänkt skatt."]).fused))
    worker.start()
    worker.join()
    assert not np.shares_memory(other[0], second.fused)


def test_a_real_index_scores_the_same_both_ways(
    shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = shared_dir / "seeds"
    program = next(seeds.glob("*002*")).read_text(encoding="utf-8", errors="replace")
    news = next(seeds.glob("*000*")).read_text(encoding="utf-8", errors="replace")
    pledges = [p for p in program.split("\n\n") if len(p.split()) > 6][:80]
    texts = [t for t in news.split("\n") if len(t.split()) > 4]
    index = LexicalIndex(pledges, get_analyzer(), texts[:50])
    compiled = index.score(texts)

    def numpy_path(*args: object, out: object = None) -> object:
        return best_units(*args, compiled=False)  # type: ignore[arg-type]  # new arrays

    monkeypatch.setattr(link_index, "best_units", numpy_path)
    numpy = index.score(texts)
    assert compiled.fused.shape == (len(texts), len(pledges)) and len(texts) > 20
    for field in ("fused", "unit", "bm25", "ngram"):
        assert np.array_equal(getattr(compiled, field), getattr(numpy, field)), field
    assert (compiled.fused > 0.3).any()  # some real matches, not only zeros


def test_an_index_keeps_its_postings_in_the_kernel_s_types_so_batches_copy_nothing() -> None:
    index = LexicalIndex(
        ["Bygga en ny simhall i Norrvik.", "Fler poliser i Söderby."], get_analyzer()
    )
    for postings in (index._term_postings, index._gram_postings):
        arrays = link_kernel._csr(postings)
        assert [a.dtype for a in arrays] == [np.int64, np.int64, np.float64]
        assert arrays[0] is postings.indptr and arrays[1] is postings.indices
        assert arrays[2] is postings.data
    assert index.score(["En ny simhall i Norrvik"]).fused[0, 0] > 0.3


def test_explanations_are_the_same_both_ways_on_real_texts(shared_dir: Path) -> None:
    """The explanation's compiled loops against their Python twins: every passage of the seeds
    and a spread of the government's record against every pledge unit of a real index, the
    same term forms and matched terms (types, order and weights exactly)."""
    from lofte.pipeline.link import MAX_MATCHED, MatchedTerm, PledgeIndex, PledgeText, passages

    seeds = shared_dir / "seeds"
    program = next(seeds.glob("*002*")).read_text(encoding="utf-8", errors="replace")
    pledges = [p for p in program.split("\n\n") if len(p.split()) > 6][:60]
    index = PledgeIndex([PledgeText(i, t) for i, t in enumerate(pledges)])
    bodies = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.glob("*.txt"))]
    bodies += [
        p.read_text(encoding="utf-8")
        for p in sorted((shared_dir / "data" / "regeringen").rglob("*.md"))[::400]
    ]
    texts = [b[x:y] for b in bodies for x, y in passages(b)][:600]
    units = [index._forms(u, {}, None).forms for u in index._unit_texts]
    shared = 0
    for text in texts:
        words = list(dict.fromkeys(link_kernel.WORD.findall(text)))
        both = [
            link_kernel.term_forms(
                words, index._surface_terms, index._term_idf, index._known_terms, compiled=c
            )
            for c in (True, False)
        ]
        assert both[0] == both[1]
        heaviest = both[0][1]
        assert [type(t[1]) for t in heaviest] == [float] * len(heaviest)
        for forms in units:
            got, want = (
                link_kernel.matched(heaviest, forms, MatchedTerm, MAX_MATCHED, compiled=c)
                for c in (True, False)
            )
            assert got == want and all(type(m) is MatchedTerm for m in got)
            # atoms only, so the compiled ones are left out of the cyclic collector's walks
            assert not any(gc.is_tracked(m) for m in got) and not gc.is_tracked(got)
            assert [m.weight for m in got] == [m.weight for m in want]  # exactly, not rounded
            # the one-pass form the linker uses per pair: the same terms, words and weights
            for c in (True, False):
                direct = link_kernel.matched_words(
                    words,
                    index._surface_terms,
                    index._term_idf,
                    index._known_terms,
                    forms,
                    MatchedTerm,
                    MAX_MATCHED,
                    compiled=c,
                )
                assert direct == got and all(type(m) is MatchedTerm for m in direct)
                assert [m.weight for m in direct] == [m.weight for m in got]
                if c:  # the compiled ones hold atoms only: untracked too
                    assert not any(gc.is_tracked(m) for m in direct)
                    assert not gc.is_tracked(direct)
            shared += bool(got)
    assert len(texts) > 300 and shared > 1000


def test_a_word_cache_cleared_by_a_miss_leaves_the_compiled_forms_whole() -> None:
    """`known_terms` may empty the word cache while the compiled loop reads it (the linker's
    cache is bounded): the loop owns what it took from it."""
    from lofte.pipeline.link import MatchedTerm

    cache: dict[str, tuple[str, ...]] = {"skola": ("skol",), "ny": ()}
    idf = {"skol": 2.0, "bygg": 3.0, "hus": 2.0}

    def known(word: str) -> tuple[str, ...]:
        cache.clear()
        terms = {"byggs": ("bygg",), "husen": ("hus", "bygg")}.get(word, ())
        cache[word] = terms
        return terms

    words = ["skola", "byggs", "ny", "husen", "skola2"]
    for compiled in (True, False):
        cache.clear()
        cache.update({"skola": ("skol",), "ny": ()})
        forms, heaviest = link_kernel.term_forms(words, cache, idf, known, compiled=compiled)
        assert forms == {"skol": ("skola",), "bygg": ("byggs", "husen"), "hus": ("husen",)}
        # by IDF, the tie (skol, hus) in the text's order
        assert [t for t, _, _ in heaviest] == ["bygg", "skol", "hus"]
        cache.clear()
        cache.update({"skola": ("skol",), "ny": ()})
        pledge = {"bygg": ("bygga",), "hus": ("hus",), "skol": ("skolan",)}
        found = link_kernel.matched_words(
            words, cache, idf, known, pledge, MatchedTerm, 2, compiled=compiled
        )
        # the two heaviest of the three shared terms, their weights shares of all three
        assert found == (
            ("bygg", ("byggs", "husen"), ("bygga",), 3.0 / 7.0),
            ("skol", ("skola",), ("skolan",), 2.0 / 7.0),
        )


def test_the_compiled_explanation_loops_refuse_bad_input_with_python_errors() -> None:
    from lofte.pipeline.link import MatchedTerm

    with pytest.raises(TypeError):
        link_kernel.term_forms(["ord"], {"ord": ["t"]}, {"t": 1.0}, lambda w: ())  # type: ignore[dict-item]
    with pytest.raises(KeyError):
        link_kernel.term_forms(["ord"], {"ord": ("t",)}, {}, lambda w: ())
    with pytest.raises(TypeError):
        link_kernel.term_forms(["ord"], {"ord": ("t",)}, {"t": 1}, lambda w: ())
    with pytest.raises(ZeroDivisionError):
        link_kernel.term_forms(["ord"], {}, {}, lambda w: 1 / 0)  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError):
        link_kernel.matched([("t", 1.0)], {}, MatchedTerm, 3)  # type: ignore[list-item]
    with pytest.raises(TypeError):
        link_kernel.matched([], {}, dict, 3)  # type: ignore[arg-type]

    class WithDict(tuple):  # type: ignore[type-arg]  # a __dict__: its items must stay tracked
        pass

    with pytest.raises(TypeError):
        link_kernel.matched([], {}, WithDict, 3)
    assert link_kernel.matched([], {}, MatchedTerm, 3) == ()
    with pytest.raises(TypeError):
        link_kernel.matched_words(
            ["ord"], {"ord": ["t"]}, {"t": 1.0}, lambda w: (), {}, MatchedTerm, 3
        )  # type: ignore[dict-item]
    with pytest.raises(KeyError):  # a shared term without an IDF
        link_kernel.matched_words(
            ["ord"], {"ord": ("t",)}, {}, lambda w: (), {"t": ()}, MatchedTerm, 3
        )
    with pytest.raises(ZeroDivisionError):
        link_kernel.matched_words(["ord"], {}, {}, lambda w: 1 / 0, {}, MatchedTerm, 3)  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError):
        link_kernel.matched_words([], {}, {}, lambda w: (), {}, WithDict, 3)
    assert (
        link_kernel.matched_words(
            ["ord"], {"ord": ("t",)}, {"t": 1.0}, lambda w: (), {}, MatchedTerm, 3
        )
        == ()
    )


def test_a_batch_s_words_and_columns_are_the_same_both_ways(shared_dir: Path) -> None:
    """The compiled tokenizer and column look-up against the Python twin: the words of
    `WORD` (runs of letters and digits; underscores, signs and punctuation split them) and
    the (row, column) of every occurrence with a column, a miss resolved once per word."""
    seeds = shared_dir / "seeds"
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.glob("*"))]
    texts += ["", "a_b 12x ÅÄÖ-é ﬁ 𝔘𝔫𝔦 ٣٤ 2½ x\u200by", "___", "och och OCH"]
    texts = [t for text in texts for t in text.split("\n\n")][:3000]

    def run(compiled: bool) -> tuple[list[list[str]], np.ndarray, np.ndarray, list[str]]:
        asked: list[str] = []

        def resolve(word: str) -> int:
            asked.append(word)
            return -1 if word.lower() in ("och", "att") else len(asked)

        words, rows, cols = link_kernel.word_columns(texts, {}, resolve, compiled=compiled)
        return words, rows, cols, asked

    got, want = run(True), run(False)
    assert got[0] == want[0] == [link_kernel.WORD.findall(t) for t in texts]
    assert got[1].dtype == got[2].dtype == np.int64
    assert got[1].tolist() == want[1].tolist() and got[2].tolist() == want[2].tolist()
    assert got[3] == want[3] and len(set(got[3])) == len(got[3])  # each word resolved once
    assert len(got[1]) > 5_000 and -1 not in got[2].tolist()
    assert link_kernel.word_columns(["a_b 12x"], {}, lambda w: 0)[0] == [["a", "b", "12x"]]


def test_the_compiled_word_columns_refuse_bad_input_with_python_errors() -> None:
    with pytest.raises(TypeError):
        link_kernel.word_columns(["ord"], {}, lambda w: "1")  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError):
        link_kernel.word_columns(["ord"], {"ord": 1.5}, lambda w: 0)  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        link_kernel.word_columns([b"ord"], {}, lambda w: 0)  # type: ignore[list-item]
    with pytest.raises(ZeroDivisionError):
        link_kernel.word_columns(["ord"], {}, lambda w: 1 // 0)
    column: dict[str, int] = {"ord": 7}
    words, rows, cols = link_kernel.word_columns(["x ord", "ord"], column, lambda w: -5)
    assert rows.tolist() == [0, 1] and cols.tolist() == [7, 7] and column["x"] == -5
