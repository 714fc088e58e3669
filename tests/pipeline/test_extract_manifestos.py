"""Properties of extraction on the four shared 2022 manifestos (issue 10): splits keep every
pledge, and page furniture is never a candidate.

The manifestos are read from ../shared at run time; no text of theirs is copied here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from lofte.language.segment import split_sentences
from lofte.model import ParsedDocument
from lofte.pipeline.cues import commitment_signal
from lofte.pipeline.extract import PledgeCandidate, default_scorer, extract_pledges
from lofte.sources.pdf import parse_pdf

MANIFESTOS = (
    "miljopartiet-valmanifest-2022.pdf",
    "moderaterna-valmanifest-2022.pdf",
    "socialdemokraterna-valmanifest-2022.pdf",
    "vansterpartiet-valplattform-2022.pdf",
)
_FURNITURE = re.compile(r"[\d\s•●▪◦∙·*–—.,:;()-]*")  # bullets, numbers, rules, punctuation


@pytest.fixture(scope="module")
def extracted(
    shared_dir: Path,
) -> dict[str, tuple[ParsedDocument, list[PledgeCandidate], dict[str, float], float]]:
    """Each manifesto with its candidates, the classifier's score of every text it was asked
    about (recorded as extraction asked, contexts and all) and the threshold."""
    found = default_scorer()
    assert found is not None, "the shipped classifier is missing"
    scorer, threshold = found
    folder = shared_dir / "data" / "manifestos-2022"
    out = {}
    for name in MANIFESTOS:
        doc = parse_pdf((folder / name).read_bytes(), name)
        scores: dict[str, float] = {}

        def recording(
            texts: Sequence[str], contexts: Sequence[object] = (), scores: dict[str, float] = scores
        ) -> list[float]:
            values = list(scorer(texts, contexts or None))
            scores.update(zip(texts, values))
            return values

        out[name] = (doc, extract_pledges(doc, recording, threshold=threshold), scores, threshold)
    return out


def _split_parents(found: list[PledgeCandidate]) -> dict[int, list[PledgeCandidate]]:
    children: dict[int, list[PledgeCandidate]] = {}
    for c in found:
        if c.parent is not None:
            children.setdefault(c.parent, []).append(c)
    return children


@pytest.mark.parametrize("name", MANIFESTOS)
def test_every_pledge_sentence_of_a_split_parent_is_in_exactly_one_child(
    extracted: dict, name: str, capsys: pytest.CaptureFixture
) -> None:
    doc, found, scores, threshold = extracted[name]
    body = doc.body
    split = _split_parents(found)
    checked = 0
    for index, children in split.items():
        parent = found[index]
        assert parent.parent is None
        spans = [(c.start, c.end) for c in children]
        assert spans == sorted(spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # disjoint
        assert all(parent.start <= s < e <= parent.end for s, e in spans)
        sentences = split_sentences(body, parent.start, parent.end)
        for k, (s, e) in enumerate(sentences):
            text = body[s:e]
            cue = commitment_signal(text, in_list=k == 0 and parent.method == "structure")
            pledge = cue is not None or (
                scores.get(text, 0.0) >= threshold and not text.endswith(("?", ":"))
            )
            if pledge:
                checked += 1
                holders = [c for c in children if c.start <= s and e <= c.end]
                assert len(holders) == 1, (name, text, [c.quote for c in children])
        # and no child is rhetoric only: each holds a pledge sentence or the item's head
        for child in children:
            assert child.start == parent.start or any(
                commitment_signal(body[s:e]) or scores.get(body[s:e], 0.0) >= threshold
                for s, e in split_sentences(body, child.start, child.end)
            ), child.quote
    with capsys.disabled():
        print(
            f"\n{name}: {len(split)} split parents, {checked} pledge sentences in them, "
            f"each in exactly one child"
        )
    if name != "vansterpartiet-valplattform-2022.pdf":  # prose only: no list items to split
        assert checked > 0


@pytest.mark.parametrize("name", MANIFESTOS)
def test_no_furniture_candidates(extracted: dict, name: str) -> None:
    doc, found, _, _ = extracted[name]
    assert found
    for c in found:
        assert sum(ch.isalpha() for ch in c.quote) >= 3, c.quote
        assert not _FURNITURE.fullmatch(c.quote), c.quote
        assert c.quote == doc.body[c.start : c.end]


@pytest.mark.parametrize("name", MANIFESTOS)
def test_candidates_are_ranked_and_labelled(extracted: dict, name: str) -> None:
    _, found, scores, threshold = extracted[name]
    for c in found:
        rank, precision = c.attributes["rank"], c.attributes["precision"]
        assert 0.0 <= rank <= 1.0
        assert precision == ("specific" if rank >= threshold else "vague"), c.quote
