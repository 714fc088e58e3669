"""Evidence linking: quality gates on the seeds, baselines in the same run, and unit tests.

Gates (figures printed; run `pytest -s tests/pipeline/test_link.py -k gates` to see them):
news lines of seed 000 (excerpt-lines reader, item key = line number) against the 39 gold
pledges of seed 002 (`../shared/eval/seeds_pledges.json`), gold links of
`../shared/eval/seeds_links_dev.json` (lines 1-22). The calibration midpoint is NOT set on this
gold: it comes from `data/seed000_calibration_links.json` (lines 23-44), see
`test_calibration_midpoint_follows_its_rule`.

The floors below are pinned: lowering one needs a stated reason (commit message and
docs/linking.md), never just a failing run.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Hashable
from pathlib import Path

import pytest

from lofte.language.dates import infer_publication_date, parse_user_date
from lofte.language.segment import split_sentences
from lofte.model import DatePrecision, DateProvenance, DateValue, RawInput, Stance
from lofte.pipeline import link as link_mod
from lofte.pipeline.constraints import OTHER_WEIGHT, check_document, date_checks
from lofte.pipeline.link import (
    SUGGEST_THRESHOLD,
    DocumentText,
    LinkContext,
    PledgeIndex,
    PledgeText,
    by_pledge,
    calibrate,
    passages,
)
from lofte.pipeline.link_eval import GoldItem, figures
from lofte.sources.program_text import PROGRAM_TEXT
from lofte.sources.textdump import EXCERPT_LINES, READ_MORE_PAGE

# Pinned floors (measured when set: top-3 1.00, MRR 0.815, pledge top-5 1.00, quiet 1.00,
# strong links at or above the threshold 0.67). Lowering one needs a stated reason.
TOP3_FLOOR = 0.90  # the bar; 9 items, so one miss would already fail a 1.00 floor
MRR_FLOOR = 0.80
PLEDGE_TOP5_FLOOR = 1.00
NO_LINK_QUIET_FLOOR = 1.00  # raised from the 0.80 to what is measured
STRONG_SUGGESTED_FLOOR = 0.66  # gold links that reach the editors' queue (score >= threshold)
NO_LINK_QUANTILE = 0.8  # the calibration rule: MIDPOINT keeps this share of no-link items quiet
FUSED_MRR_FLOOR = 0.83  # with the dense stage (issue 16), measured 0.833

DATA = Path(__file__).parent / "data"
PROGRAM_DATE = dt.date(2022, 8, 20)  # seed 002: the 2022 Stockholm election program
CONTEXT = LinkContext(
    PROGRAM_DATE,
    dt.date(2022, 10, 15),
    dt.date(2026, 10, 14),
    "Stockholms stad",
    ("Socialdemokraterna",),
)


def _read(path: Path, reader):  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    return reader.parse(RawInput(text.encode(), str(path)), text)


@pytest.fixture(scope="module")
def seeds(shared_dir: Path) -> dict:  # type: ignore[type-arg]
    seeds_dir = shared_dir / "seeds"
    news = _read(next(seeds_dir.glob("000_*.txt")), EXCERPT_LINES)
    # As ingest does: the reader's date, else one inferred from the text (no --date given).
    docs = [
        DocumentText(
            int(d.item_key),
            d.title,
            d.body,
            d.date or infer_publication_date(f"{d.title}\n{d.body}"),
        )
        for d in news
    ]
    program = _read(next(seeds_dir.glob("002_*.txt")), PROGRAM_TEXT)[0]
    paragraphs = [p for p in re.split(r"\n\s*\n", program.body) if p.strip()]
    pledges = [
        PledgeText(p["id"], p["bullet_text"], p["area_name"])
        for p in json.loads((shared_dir / "eval" / "seeds_pledges.json").read_text())["pledges"]
    ]
    gold = [
        GoldItem(g["line"], tuple(g["strong"]), tuple(g["related"]))
        for g in json.loads((shared_dir / "eval" / "seeds_links_dev.json").read_text())["items"]
    ]
    calibration = [
        GoldItem(g["line"], tuple(g["strong"]), tuple(g["related"]))
        for g in json.loads((DATA / "seed000_calibration_links.json").read_text())["items"]
    ]
    # The background is what a tracker holds: its news and its program, by paragraph.
    index = PledgeIndex(pledges, background=[d.body for d in docs] + paragraphs)
    old = _read(next(seeds_dir.glob("004_*.txt")), READ_MORE_PAGE)
    return {
        "docs": docs,
        "pledges": pledges,
        "gold": gold,
        "calibration": calibration,
        "index": index,
        "old": old,
    }


def _lofte_scores(seeds: dict) -> dict:  # type: ignore[type-arg]
    found = seeds["index"].link(seeds["docs"], CONTEXT, top_k=None, min_score=0.0)
    return {(s.document_id, s.pledge_id): s.score for s in found}


def _baseline_scores(seeds: dict, stemmed: bool) -> dict:  # type: ignore[type-arg]
    import bm25s
    import Stemmer

    pledges, docs = seeds["pledges"], seeds["docs"]
    if stemmed:  # bm25s with its own tokenizer, Swedish stopwords and the Snowball stemmer
        stemmer = Stemmer.Stemmer("swedish")

        def tokens(texts: list[str]) -> list[list[str]]:
            return bm25s.tokenize(
                texts, stopwords="sv", stemmer=stemmer, return_ids=False, show_progress=False
            )
    else:  # plain BM25: lower-cased regex words, no stopwords, no stemming

        def tokens(texts: list[str]) -> list[list[str]]:
            return [re.findall(r"[^\W_]+", t.lower()) for t in texts]

    retriever = bm25s.BM25()
    retriever.index(tokens([p.text for p in pledges]), show_progress=False)
    out = {}
    for doc, query in zip(docs, tokens([d.body for d in docs])):
        for pledge, score in zip(pledges, retriever.get_scores(query)):
            out[(doc.id, pledge.id)] = float(score)
    return out


def test_gates_on_seed_000_news_against_seed_002_pledges(seeds: dict) -> None:  # type: ignore[type-arg]
    gold = seeds["gold"]
    lofte = figures(gold, _lofte_scores(seeds), threshold=SUGGEST_THRESHOLD)
    bm25s_fig = figures(gold, _baseline_scores(seeds, stemmed=True))
    plain = figures(gold, _baseline_scores(seeds, stemmed=False))
    print()
    print(lofte.line("Löfte"))
    print(bm25s_fig.line("bm25s+stem"))
    print(plain.line("plain BM25"))
    print("Löfte ranks of the gold pledge per strong item:", lofte.ranks)
    assert lofte.top3 >= TOP3_FLOOR
    assert lofte.mrr >= MRR_FLOOR
    assert lofte.pledge_top5 >= PLEDGE_TOP5_FLOOR
    assert lofte.no_link_quiet is not None and lofte.no_link_quiet >= NO_LINK_QUIET_FLOOR
    assert lofte.strong_above is not None and lofte.strong_above >= STRONG_SUGGESTED_FLOOR
    for baseline in (bm25s_fig, plain):
        assert lofte.mrr > baseline.mrr
        assert lofte.top3 > baseline.top3


def test_rank_gives_the_pairs_link_suggests_without_explaining(seeds: dict) -> None:  # type: ignore[type-arg]
    index, docs = seeds["index"], seeds["docs"]
    suggested = [(s.document_id, s.pledge_id, s.score) for s in index.link(docs, CONTEXT)]
    ranked = [(d, p, round(v, 4)) for d, p, v in index.rank(docs, CONTEXT)]
    assert len(suggested) > 5 and ranked == suggested
    assert len(index.rank(docs, CONTEXT, top_k=1)) < len(ranked)


def test_seed_004_dated_2017_yields_no_suggestion(seeds: dict) -> None:  # type: ignore[type-arg]
    date = parse_user_date("2017")  # what `--date 2017` gives: explicit, year precision
    docs = [DocumentText(i, d.title, d.body, d.date or date) for i, d in enumerate(seeds["old"])]
    assert len(docs) >= 5
    assert seeds["index"].link(docs, CONTEXT, top_k=None, min_score=0.0) == []


def test_calibration_midpoint_follows_its_rule(seeds: dict) -> None:  # type: ignore[type-arg]
    """MIDPOINT = the lexical value under which NO_LINK_QUANTILE of the calibration set's
    no-link items stay (rounded up to 0.01), so the threshold is set on other lines than the
    gated gold. The check keeps the constant and its documented origin together."""
    import numpy as np

    found = seeds["index"].link(seeds["docs"], CONTEXT, top_k=None, min_score=0.0)
    best: dict[int, float] = {}
    for s in found:
        best[s.document_id] = max(best.get(s.document_id, 0.0), s.lexical)
    quiet = [best[g.document] for g in seeds["calibration"] if not g.strong and not g.related]
    rule = float(np.ceil(np.quantile(quiet, NO_LINK_QUANTILE) * 100) / 100)
    print(
        f"\ncalibration: {len(quiet)} no-link items, rule gives MIDPOINT {rule:.2f}, "
        f"constant {link_mod.MIDPOINT:.2f}"
    )
    assert abs(rule - link_mod.MIDPOINT) <= 0.02


# -- explanations -----------------------------------------------------------------------------


def test_explanation_terms_appear_in_both_texts_and_span_is_inside(seeds: dict) -> None:  # type: ignore[type-arg]
    docs = {d.id: d for d in seeds["docs"]}
    pledges = {p.id: p for p in seeds["pledges"]}
    found = seeds["index"].link(seeds["docs"], CONTEXT)
    assert found
    for s in found:
        doc, pledge = docs[s.document_id], pledges[s.pledge_id]
        start, end = s.span
        assert 0 <= start < end <= len(doc.body)
        a, b = s.pledge_span
        assert 0 <= a < b <= len(pledge.text)
        assert s.matched
        for m in s.matched:
            assert all(w in doc.body[start:end] or w in doc.title for w in m.document)
            assert all(w in pledge.text[a:b] for w in m.pledge)
        assert 0.0 <= s.score <= 1.0
        json.dumps(s.features())  # storable as Evidence.features


def test_avgiftsbefria_pledge_is_explained_by_avgifterna(seeds: dict) -> None:  # type: ignore[type-arg]
    line3 = next(d for d in seeds["docs"] if d.id == 3)
    top = seeds["index"].link([line3], CONTEXT)[0]
    assert top.pledge_id == "P23"
    avgift = next(m for m in top.matched if m.term == "avgift")
    assert "avgifterna" in avgift.document and "Avgiftsbefria" in avgift.pledge
    assert top.stance is Stance.SUPPORTS
    assert top.status_hint is not None and top.status_hint.value == "in_the_works"


def test_by_pledge_ranks_documents_for_each_pledge(seeds: dict) -> None:  # type: ignore[type-arg]
    found = seeds["index"].link(seeds["docs"], CONTEXT, top_k=None, min_score=0.0)
    ranked = by_pledge(found)
    assert [s.document_id for s in ranked["P23"][:2]] in ([3, 17], [17, 3])
    assert seeds["index"].search("P20", seeds["docs"], CONTEXT, top_k=1)[0].document_id == 2


# -- constraints --------------------------------------------------------------------------------

_PLEDGES = [
    PledgeText("A", "Avgiftsbefria stadens fritidsklubbar och öka öppethållandet."),
    PledgeText("B", "Bygga fler hyresrätter med rimliga hyror."),
    PledgeText("C", "Anställa fler fältassistenter i alla stadsdelar."),
]
_NEWS = "I budgeten slopas avgifterna för alla fritidsklubbar."


@pytest.fixture(scope="module")
def small_index() -> PledgeIndex:
    return PledgeIndex(_PLEDGES)


def _dv(
    value: dt.date, precision: DatePrecision, provenance: DateProvenance = DateProvenance.EXPLICIT
) -> DateValue:
    return DateValue(value, precision, provenance)


def test_a_document_older_than_the_program_is_never_suggested(small_index: PledgeIndex) -> None:
    old = DocumentText(1, "Fritidsklubbar", _NEWS, _dv(dt.date(2021, 5, 3), DatePrecision.DAY))
    new = DocumentText(2, "Fritidsklubbar", _NEWS, _dv(dt.date(2024, 5, 3), DatePrecision.DAY))
    assert small_index.link([old], CONTEXT, top_k=None, min_score=0.0) == []
    assert [s.pledge_id for s in small_index.link([new], CONTEXT)] == ["A"]


def test_year_precision_in_the_program_year_is_not_after_it() -> None:
    year = _dv(dt.date(2022, 1, 1), DatePrecision.YEAR)
    assert date_checks(year, CONTEXT) == (False, False)  # ambiguous: never evidence
    september = _dv(dt.date(2022, 9, 1), DatePrecision.MONTH)
    assert date_checks(september, CONTEXT)[0] is True
    august = _dv(dt.date(2022, 8, 1), DatePrecision.MONTH)  # the program's own month
    assert date_checks(august, CONTEXT)[0] is False
    after_term = _dv(dt.date(2027, 3, 1), DatePrecision.DAY)
    assert date_checks(after_term, CONTEXT) == (True, False)


def test_a_month_that_straddles_the_term_start_is_not_inside_it() -> None:
    """The government took office mid-month: a text filed under that month may be older."""
    for provenance in (DateProvenance.EXPLICIT, DateProvenance.PATH):
        october = _dv(dt.date(2022, 10, 1), DatePrecision.MONTH, provenance)
        assert date_checks(october, CONTEXT) == (True, False)
        november = _dv(dt.date(2022, 11, 1), DatePrecision.MONTH, provenance)
        assert date_checks(november, CONTEXT) == (True, True)
    day_after = _dv(dt.date(2022, 10, 15), DatePrecision.DAY)
    assert date_checks(day_after, CONTEXT) == (True, True)
    last_month = _dv(dt.date(2026, 10, 1), DatePrecision.MONTH, DateProvenance.PATH)
    assert date_checks(last_month, CONTEXT) == (True, False)  # the term ends on the 14th


def test_a_path_date_decides_like_an_explicit_one(small_index: PledgeIndex) -> None:
    before = _dv(dt.date(2022, 6, 1), DatePrecision.MONTH, DateProvenance.PATH)
    assert date_checks(before, CONTEXT) == (False, False)
    doc = DocumentText(1, "Fritidsklubbar", _NEWS, before)
    assert small_index.link([doc], CONTEXT, top_k=None, min_score=0.0) == []


def test_inferred_and_missing_dates_stay_suggestible(small_index: PledgeIndex) -> None:
    inferred_old = _dv(dt.date(2013, 1, 1), DatePrecision.YEAR, DateProvenance.INFERRED)
    assert date_checks(inferred_old, CONTEXT) == (None, None)  # a lower bound proves nothing
    inferred_new = _dv(dt.date(2024, 1, 1), DatePrecision.YEAR, DateProvenance.INFERRED)
    assert date_checks(inferred_new, CONTEXT) == (True, True)
    assert date_checks(None, CONTEXT) == (None, None)
    # nor does one after the term's end: the text may name an event to come ("Beslutet fattas
    # i fullmäktige den 16 november 2026"), and a term's news ingested after it ends would be
    # ruled out (review: tried for a late news item of a finished term, and reverted)
    inferred_late = _dv(dt.date(2026, 11, 16), DatePrecision.DAY, DateProvenance.INFERRED)
    assert date_checks(inferred_late, CONTEXT) == (True, None)
    # a dateline opening the text says when it was written, so it decides (QA: a late news
    # item "Stockholm 2026-11-02 – …" was suggested for the finished term's pledges)
    dateline_late = _dv(dt.date(2026, 11, 2), DatePrecision.DAY, DateProvenance.DATELINE)
    assert date_checks(dateline_late, CONTEXT) == (True, False)
    undated = DocumentText(3, "", _NEWS, None)
    (top,) = small_index.link([undated], CONTEXT, top_k=1)
    assert top.pledge_id == "A" and top.checks.date_ok is None


def test_another_jurisdiction_weighs_less(small_index: PledgeIndex) -> None:
    own = DocumentText(1, "", f"Stockholms stad: {_NEWS}", None)
    region = DocumentText(2, "", f"Region Stockholm: {_NEWS}", None)
    scored = {
        s.document_id: s for s in small_index.link([own, region], CONTEXT, top_k=1, min_score=0.0)
    }
    assert scored[1].checks.jurisdiction == "own"
    assert scored[2].checks.jurisdiction == "other"
    assert scored[2].score == pytest.approx(
        float(calibrate(scored[2].lexical)) * OTHER_WEIGHT, abs=1e-3
    )
    assert scored[1].score == pytest.approx(float(calibrate(scored[1].lexical)), abs=1e-3)
    both = check_document("Regeringen och Stockholms stad enades.", None, CONTEXT)
    assert both.jurisdiction == "both" and both.weight < 1.0
    named = check_document("Socialdemokraternas förslag", None, CONTEXT)
    assert named.actor


def test_passages_are_sentence_windows_inside_the_body() -> None:
    body = "Första meningen. Andra meningen här. Tredje meningen! Fjärde?"
    spans = passages(body)
    assert len(spans) == 3
    assert all(0 <= a < b <= len(body) for a, b in spans)
    assert body[spans[0][0] : spans[0][1]] == "Första meningen. Andra meningen här."
    assert passages("") == []


def test_empty_inputs() -> None:
    assert PledgeIndex([]).link([DocumentText(1, "t", _NEWS)], CONTEXT) == []
    assert PledgeIndex(_PLEDGES).link([], CONTEXT) == []


# -- the dense stage (issue 16) -------------------------------------------------------------


@pytest.fixture(scope="module")
def fused_index(seeds: dict) -> PledgeIndex:  # type: ignore[type-arg]
    from lofte.pipeline.dense import E5Encoder

    index: PledgeIndex = seeds["index"].with_encoder(E5Encoder())
    return index


def test_dense_fusion_on_seed_000_is_no_worse_than_lexical(
    seeds: dict,  # type: ignore[type-arg]
    fused_index: PledgeIndex,
) -> None:
    """Lexical, dense and fused side by side on the gated dev set. The fused ranking orders each
    document's pledges; its scores are the document's lexical scores handed out in the fused
    order, so the threshold keeps the same documents quiet. From the pledge (`search`), the
    lexical order is kept."""
    import numpy as np

    ids, signals = fused_index.score_matrix(seeds["docs"], CONTEXT)
    assert signals.dense is not None
    columns = [p.id for p in seeds["pledges"]]

    def as_pairs(m: np.ndarray) -> dict:  # type: ignore[type-arg]
        return {(i, c): float(m[r, j]) for r, i in enumerate(ids) for j, c in enumerate(columns)}

    lexical = figures(seeds["gold"], as_pairs(signals.lexical), threshold=SUGGEST_THRESHOLD)
    dense = figures(seeds["gold"], as_pairs(signals.dense))
    fused = figures(seeds["gold"], as_pairs(signals.scores), threshold=SUGGEST_THRESHOLD)
    print()
    for name, f in (("lexical", lexical), ("dense (e5)", dense), ("fused (RRF)", fused)):
        print(f.line(name))
    assert lexical.mrr == figures(seeds["gold"], _lofte_scores(seeds)).mrr
    assert fused.top3 >= lexical.top3 and fused.mrr >= lexical.mrr
    assert fused.mrr >= FUSED_MRR_FLOOR
    assert fused.no_link_quiet is not None and lexical.no_link_quiet is not None
    assert fused.no_link_quiet >= lexical.no_link_quiet
    assert (fused.strong_above or 0.0) >= (lexical.strong_above or 0.0)
    # every document keeps its set of scores: only who gets which changes
    assert np.allclose(np.sort(signals.scores, axis=1), np.sort(signals.lexical, axis=1))


def test_the_pledge_side_keeps_the_lexical_order(
    seeds: dict,  # type: ignore[type-arg]
    fused_index: PledgeIndex,
) -> None:
    for pledge in seeds["pledges"][:5]:
        plain = seeds["index"].search(pledge.id, seeds["docs"], CONTEXT, top_k=5)
        with_dense = fused_index.search(pledge.id, seeds["docs"], CONTEXT, top_k=5)
        assert [(s.document_id, s.score) for s in with_dense] == [
            (s.document_id, s.score) for s in plain
        ]


def test_fused_suggestions_explain_where_each_signal_put_the_pledge(
    seeds: dict,  # type: ignore[type-arg]
    fused_index: PledgeIndex,
) -> None:
    found = fused_index.link(seeds["docs"], CONTEXT, top_k=3, min_score=0.0)
    assert found
    docs = {d.id: d for d in seeds["docs"]}
    for s in found:
        assert s.dense is not None
        assert 1 <= s.dense.fused_rank <= 3 and s.dense.lexical_rank >= 1
        assert -1.0 <= s.dense.cosine <= 1.0
        assert s.features()["dense"]["placed_by"] in ("both", "lexical", "dense")
        start, end = s.span
        assert 0 <= start < end <= len(docs[s.document_id].body)
    assert any(s.dense and s.dense.placed_by == "dense" for s in found)


def test_the_calibration_rule_gives_the_same_midpoint_for_the_fused_score(
    seeds: dict,  # type: ignore[type-arg]
    fused_index: PledgeIndex,
) -> None:
    """The documented rule re-derived on the fused score: the calibration lines' no-link items,
    each document's best fused score taken back through the calibration curve."""
    import numpy as np

    ids, signals = fused_index.score_matrix(seeds["docs"], CONTEXT)
    row = {i: r for r, i in enumerate(ids)}
    quiet = [g.document for g in seeds["calibration"] if not g.strong and not g.related]
    best = np.array([signals.scores[row[d]].max() for d in quiet if d in row])
    assert len(best) == len(quiet)
    values = link_mod.MIDPOINT + np.log(best / (1 - best)) / link_mod.SLOPE
    rule = float(np.ceil(np.quantile(values, NO_LINK_QUANTILE) * 100) / 100)
    print(f"\nfused calibration: rule gives MIDPOINT {rule:.2f}, constant {link_mod.MIDPOINT:.2f}")
    assert abs(rule - link_mod.MIDPOINT) <= 0.02


def test_the_collector_is_paused_per_group_and_restored(
    small_index: PledgeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linking turns the cyclic collector off only while a group is scored and explained,
    and leaves it as it found it, also after an error and when a caller had it off."""
    import gc

    seen: list[bool] = []
    score = small_index._score

    def watching(group, fuse=True):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return score(group, fuse)

    monkeypatch.setattr(small_index, "_score", watching)
    doc = DocumentText("d", "", "Kommunen inför gratis frukost i skolan.")
    assert gc.isenabled()
    small_index.link([doc], link_mod.LinkContext(None))
    small_index.rank([doc], link_mod.LinkContext(None))
    assert seen == [False, False] and gc.isenabled()
    with pytest.raises(RuntimeError), link_mod.collector_paused():
        raise RuntimeError("a failing batch")
    assert gc.isenabled()
    gc.disable()
    try:
        with link_mod.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_best_rows_give_each_document_its_best_passage_and_the_first_on_a_tie() -> None:
    """Against the plain rule (reduce all rows, then the first row holding the maximum), on
    random documents of 1 to 20 passages with many ties."""
    import numpy as np

    def plain(fused, bounds):  # type: ignore[no-untyped-def]
        best = np.maximum.reduceat(fused, bounds[:-1], axis=0)
        hit = fused == np.repeat(best, np.diff(bounds), axis=0)
        rows = np.where(hit, np.arange(len(fused))[:, None], len(fused))
        return best, np.minimum.reduceat(rows, bounds[:-1], axis=0)

    rng = np.random.default_rng(7)
    for _ in range(300):
        counts = rng.choice([1, 1, 1, 2, 3, 5, 20], size=rng.integers(1, 40))
        bounds = np.r_[0, np.cumsum(counts)]
        fused = np.round(rng.random((int(bounds[-1]), int(rng.integers(1, 30)))), 1)
        best, rows = link_mod._best_rows(fused, bounds)
        want_best, want_rows = plain(fused, bounds)
        assert np.array_equal(best, want_best) and np.array_equal(rows, want_rows)


def test_calibrate_gives_the_plain_formula_bit_for_bit() -> None:
    """The in-place calibration against the formula as written, on arrays and scalars."""
    import numpy as np

    def plain(x):  # type: ignore[no-untyped-def]
        slope, mid = link_mod.SLOPE, link_mod.MIDPOINT
        return 1.0 / (1.0 + np.exp(-slope * (np.asarray(x, dtype=float) - mid)))

    rng = np.random.default_rng(3)
    for shape in [(0, 5), (1, 1), (7, 13), (512, 40)]:
        x = rng.random(shape) * 1.2 - 0.1
        assert np.array_equal(calibrate(x), plain(x))
    for x in [0.0, 0.3, 0.95, 1.0, -0.2]:
        assert float(calibrate(x)) == float(plain(x))
    listed = [[0.1, 0.5], [0.9, 0.3]]
    assert np.array_equal(calibrate(listed), plain(listed))


def test_matched_terms_are_the_shared_terms_by_weight_in_text_order_on_ties(
    small_index: PledgeIndex,
) -> None:
    """Against the plain rule: the terms both texts carry, heaviest first, ties in the
    document's order, weights their share of the shared IDF; each word once per term."""
    index = small_index
    matched = 0
    texts = [
        _NEWS,
        "Stadens fritidsklubbar håller öppet längre; fler fritidsklubbar och fler hyresrätter.",
        "Fältassistenterna anställs i stadsdelarna, hyrorna i hyresrätterna hålls rimliga.",
        "Ett stycke utan något av löftenas ord.",
    ]
    for passage in texts:
        for pledge in [p.text for p in index.pledges]:
            got = index.matched_terms(passage, pledge)
            doc = index._forms(passage, {}, None).forms
            mine = index._forms(pledge, {}, None).forms
            shared = [t for t in doc if t in mine]
            weights = [index._term_idf[t] for t in shared]
            order = sorted(range(len(shared)), key=lambda i: -weights[i])  # stable
            total = sum(weights) or 1.0
            want = [
                (shared[i], doc[shared[i]], mine[shared[i]], round(weights[i] / total, 3))
                for i in order[: link_mod.MAX_MATCHED]
            ]
            # the weight unrounded: rounded where it is stored (`Suggestion.features`)
            assert [(*m[:3], round(m.weight, 3)) for m in got] == want
            matched += len(got)
            for m in got:
                assert len(set(m.document)) == len(m.document)
    assert matched >= 8  # the texts do share terms with the pledges


def test_a_groups_passage_forms_are_dropped_when_it_is_done(small_index: PledgeIndex) -> None:
    small_index._passage_forms.clear()  # what `matched_terms` asked before
    doc = DocumentText("d", "", _NEWS)
    assert small_index.link([doc], link_mod.LinkContext(None))
    assert small_index._passage_forms == {}  # a group's passages are not kept on the index


def test_explanations_read_the_words_scoring_found(small_index: PledgeIndex) -> None:
    # a group's passage terms are built from the words `LexicalIndex` split when scoring:
    # the same split as `matched_terms` makes of a text, so both give the same terms
    from lofte.pipeline import link_kernel

    texts = [_NEWS, "Fältassistenterna anställs i stadsdelarna.", ""]
    scores = small_index.lexical.score(texts)
    assert scores.words == [link_kernel.WORD.findall(t) for t in texts]
    for text, words in zip(texts, scores.words, strict=True):
        assert small_index._forms_of(words) == small_index._forms(text, {}, None)


def test_groups_fill_to_one_lexical_batch_and_a_longer_document_stands_alone(
    small_index: PledgeIndex,
) -> None:
    from lofte.pipeline import link_index

    sentences = " ".join(f"Mening nummer {i} om simhallen." for i in range(12))  # 11 passages
    docs = [DocumentText(i, "", sentences) for i in range(100)]
    long_doc = DocumentText("lång", "", " ".join([sentences] * 60))  # 719 passages
    groups = list(small_index._groups([*docs[:60], long_doc, *docs[60:]], LinkContext(None)))
    sizes = [len(g.texts) for g in groups]
    assert link_mod.MAX_PASSAGES <= link_index.BATCH
    assert sum(sizes) == 100 * 11 + 719
    # full groups stop before a document would take them past the bound (46 x 11 = 506)
    assert sizes == [506, 154, 719, 440], sizes
    assert all(s <= link_mod.MAX_PASSAGES for s in sizes if s != 719)


def _long_document(doc_id: Hashable = "lång") -> DocumentText:
    """About 1,300 passages (three lexical batches): the pledges' topics at scattered places,
    a tie for pledge A in two batches, filler between."""
    sentences = [f"Mening nummer {i} handlar om väder och trafik." for i in range(1300)]
    sentences[40] = sentences[900] = _NEWS  # the same best value twice: the first passage
    sentences[700] = "Staden bygger fler hyresrätter med rimliga hyror i år."
    sentences[1250] = "Fler fältassistenter anställs i stadsdelarna."
    sentences[1251] = "Parkerna får fler träd."
    return DocumentText(doc_id, "Långt protokoll", " ".join(sentences))


def _all_rows(self, texts, leaders):  # type: ignore[no-untyped-def]
    """The twin of `LexicalIndex.score_kept` that keeps every passage's row."""
    import numpy as np

    return self.score(texts), np.arange(len(texts))


def test_a_long_document_is_scored_in_bounded_memory_with_the_same_suggestions(
    small_index: PledgeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lofte.pipeline import link_index

    doc = _long_document()
    assert len(passages(doc.body)) > 2 * link_index.BATCH
    kept = small_index.lexical.score_kept([doc.body[a:b] for a, b in passages(doc.body)], leaders=2)
    assert len(kept[1]) <= len(_PLEDGES) + 2  # rows kept: a pledge's best or a leader
    found = small_index.link([doc], CONTEXT, top_k=None, min_score=0.0)
    with monkeypatch.context() as m:
        m.setattr(link_index.LexicalIndex, "score_kept", _all_rows)
        every = small_index.link([doc], CONTEXT, top_k=None, min_score=0.0)
    assert found == every and {s.pledge_id for s in found} == {"A", "B", "C"}
    by_pledge = {s.pledge_id: s for s in found}
    # pledge A's best value is in passages 39-40 and 899-900 alike: the first is shown
    sentence = split_sentences(doc.body)[39]
    assert by_pledge["A"].span[0] == sentence[0]
