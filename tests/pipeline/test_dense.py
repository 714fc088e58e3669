"""The dense stage (`pipeline/dense.py` and its use in `PledgeIndex`), with a stand-in encoder
where the model is not the point: ranks, RRF, the score hand-out and what gets encoded."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from lofte.pipeline import dense
from lofte.pipeline.link import DocumentText, LinkContext, PledgeIndex, PledgeText

CONTEXT = LinkContext(None, None, None, "Sjövik", ())


def test_ranks_are_one_based_per_row_with_ties_by_position() -> None:
    values = np.array([[0.1, 0.9, 0.9], [3.0, 2.0, 1.0]])
    assert dense.ranks(values).tolist() == [[3, 1, 2], [1, 2, 3]]


def test_rrf_prefers_a_pledge_both_signals_rank_well() -> None:
    lexical = np.array([[0.9, 0.8, 0.1]])
    cosine = np.array([[0.50, 0.95, 0.60]])
    fused = dense.rrf(lexical, cosine, k=60)
    assert fused.argmax() == 1  # second lexically, first by meaning
    assert np.isclose(fused[0, 0], 1 / 61 + 1 / 63)


def test_transfer_keeps_each_rows_scores_and_changes_who_gets_them() -> None:
    levels = np.array([[0.9, 0.5, 0.1], [0.2, 0.3, 0.4]])
    order = np.array([[0.0, 1.0, 0.5], [3.0, 2.0, 1.0]])
    out = dense.transfer(levels, order)
    assert out.tolist() == [[0.1, 0.9, 0.5], [0.4, 0.3, 0.2]]
    assert np.array_equal(np.sort(out, axis=1), np.sort(levels, axis=1))


def test_chosen_passages_are_the_best_lexical_ones_in_order() -> None:
    rows = np.array([[0.1, 0.0], [0.0, 0.7], [0.2, 0.3], [0.9, 0.0]])
    assert dense.chosen_passages(rows, 2) == [1, 3]
    assert dense.chosen_passages(rows[:2], 2) == [0, 1]


def test_cosine_best_takes_each_documents_best_text() -> None:
    queries = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    pledges = np.array([[1.0, 0.0], [0.0, 1.0]])
    best = dense.cosine_best(queries, np.array([0, 0, 1]), pledges, 3)
    assert best[:2].tolist() == [[1.0, 1.0], [0.6, 0.8]]
    assert best[2].tolist() == [-1.0, -1.0]  # no text encoded


class TopicEncoder:
    """Unit vectors by topic word, so a paraphrase without shared words still meets its pledge."""

    TOPICS = (("bidrag", "aktivitetskrav"), ("skola", "elever"), ("park", "träd"))

    def __init__(self) -> None:
        self.seen: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        v = np.array([float(any(w in text.lower() for w in t)) for t in self.TOPICS] + [0.1])
        return v / np.linalg.norm(v)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        self.seen += list(texts)
        return np.array([self._vector(t) for t in texts]).reshape(len(texts), 4)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self._vector(t) for t in texts])


PLEDGES = [
    PledgeText(1, "Vi inför arbetsplikt för den som får bidrag."),
    PledgeText(2, "Fler lärare i varje skola så att elever får stöd."),
    PledgeText(3, "Fler träd i varje park i kommunen."),
]


def _doc() -> DocumentText:
    # shares "varje" and "kommunen"-like words with the park pledge, means the first one
    return DocumentText(
        "d1",
        "Nytt aktivitetskrav",
        "Kommunen inför aktivitetskrav i varje stadsdel. Kravet gäller från i höst.",
    )


def test_the_dense_signal_lifts_a_paraphrase_and_says_so() -> None:
    lexical = PledgeIndex(PLEDGES)
    encoder = TopicEncoder()
    fused = lexical.with_encoder(encoder)
    plain = lexical.link([_doc()], CONTEXT, top_k=None, min_score=0.0)
    both = fused.link([_doc()], CONTEXT, top_k=None, min_score=0.0)
    assert plain[0].pledge_id != 1 and plain[0].dense is None
    assert both[0].pledge_id == 1
    place = both[0].dense
    assert place is not None and place.dense_rank == 1 and place.placed_by == "dense"
    # the document keeps its scores; the fused order decides who gets the best one
    assert sorted(s.score for s in both) == sorted(s.score for s in plain)
    assert both[0].score == max(s.score for s in plain)
    # only the document's passages were encoded (no separate title: passages carry it)
    assert encoder.seen and all("aktivitetskrav" in t.lower() for t in encoder.seen)


def test_an_encoder_that_lacks_a_documents_vectors_leaves_its_lexical_order() -> None:
    class LookupOnly(TopicEncoder):
        def queries(self, texts: Sequence[str]) -> np.ndarray:
            return np.full((len(texts), 4), np.nan)

    lexical = PledgeIndex(PLEDGES)
    plain = lexical.link([_doc()], CONTEXT, top_k=None, min_score=0.0)
    found = lexical.with_encoder(LookupOnly()).link([_doc()], CONTEXT, top_k=None, min_score=0.0)
    assert [(s.pledge_id, s.score) for s in found] == [(s.pledge_id, s.score) for s in plain]
    assert all(s.dense is None for s in found)


def test_a_long_document_encodes_the_passages_it_would_with_every_row_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A document longer than a lexical batch keeps only the rows that can matter
    (`LexicalIndex.score_kept`); its best passages for the dense stage are among them."""
    from lofte.pipeline import link_index

    filler = [f"Mening nummer {i} om väder och trafik." for i in range(1200)]
    filler[100] = "Kommunen inför arbetsplikt för den som får bidrag."
    filler[650] = "Fler lärare i varje skola, och fler träd i varje park."
    filler[1100] = "Eleverna i varje skola får stöd av fler lärare."
    doc = DocumentText("lång", "Protokoll", " ".join(filler))

    def run() -> tuple[list[str], list[tuple[object, float, tuple[int, int]]]]:
        encoder = TopicEncoder()
        found = PledgeIndex(PLEDGES, encoder=encoder).link(
            [doc], CONTEXT, top_k=None, min_score=0.0
        )
        return encoder.seen, [(s.pledge_id, s.score, s.span) for s in found]

    kept = run()

    def every_row(self, texts, leaders):  # type: ignore[no-untyped-def]
        return self.score(texts), np.arange(len(texts))

    monkeypatch.setattr(link_index.LexicalIndex, "score_kept", every_row)
    assert kept == run()
    assert len(kept[0]) == dense.QUERY_PASSAGES and len(kept[1]) == len(PLEDGES)


def test_the_engine_is_called_with_a_bounded_amount_of_text_each_time() -> None:
    """QA: `kill` of a `lofte link` took 60-80 s, one C call encoding 32 passages of 8,000
    characters (a signal is seen only between calls)."""
    from lofte.pipeline.e5_head import CALL_CHARS, MAX_ENCODED_CHARS, calls

    long, short = "x" * (MAX_ENCODED_CHARS + 500), "kort text"
    texts = [short] * 40 + [long] * 5 + [short] * 3
    parts = list(calls(texts, 32))
    assert [i for part in parts for i in range(len(texts))[part]] == list(range(len(texts)))
    assert max(part.stop - part.start for part in parts) == 32  # short texts: whole batches
    for part in parts:
        read = sum(min(len(t), MAX_ENCODED_CHARS) for t in texts[part])
        assert read <= CALL_CHARS or part.stop - part.start == 1
    assert list(calls([], 32)) == [] and list(calls([long], 32)) == [slice(0, 1)]


def test_the_encoders_call_the_engine_with_a_bounded_amount_of_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Review: the test above would pass with the encoders back at fixed batches."""
    from lofte.pipeline import e5_head

    sizes: list[int] = []

    class Engine:
        def encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
            sizes.append(sum(map(len, texts)))
            return np.ones((len(texts), e5_head.DIMENSIONS), dtype=np.float32)

        def passage(self, texts: Sequence[str]) -> list[np.ndarray]:
            return list(self.encode(texts, False))

    monkeypatch.setattr(e5_head, "shared_model", lambda: Engine())
    monkeypatch.setattr(e5_head, "_cache", {})  # the fake vectors stay out of the real cache
    texts = [f"{i} " + "x" * 7_000 for i in range(20)]
    dense.E5Encoder().passages(texts)
    e5_head.embed(texts)
    assert len(sizes) == 20 and max(sizes) <= e5_head.CALL_CHARS
