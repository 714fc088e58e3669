"""Train and evaluate the pledge sentence classifier (needs the `train` extra: scikit-learn).

    python -m lofte.pipeline.train_classifier [--data CSV] [--out MODEL] [--evaluate]

The data is the labelled Swedish manifesto sentences of Fornaciari et al. (2021) in
`../shared/data/pledge-sentences/` (columns party, year, pledge, binary_pledge, text); a
manifesto is one (party, year), its rows in document order (contexts come from that order).
Training is deterministic: rows are sorted by manifesto and position, the vocabulary is
sorted, liblinear gets a fixed seed, weights are rounded, and the gzip header has no time, so
the same CSV and code give the same bytes. `lomo_evaluate` holds out one manifesto at a time,
which is how the model meets a new party's program in use.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lofte.pipeline.classify import (
    ALL_GROUPS,
    FEATURE_VERSION,
    MODEL_PATH,
    Context,
    SentenceClassifier,
    contexts_in_order,
    extract_features,
    write_model,
)
from lofte.pipeline.e5_head import E5Head, embed

if TYPE_CHECKING:  # scipy is imported where it is used: scoring does not need it
    from scipy.sparse import csr_matrix

REPO = Path(__file__).resolve().parents[3]
DATA_NAME = "data/pledge-sentences/sweden_manifesto_sentences_dev.csv"
WEIGHT_DECIMALS = 6


def default_data_path() -> Path:
    shared = os.environ.get("LOFTE_SHARED_DIR")
    return (Path(shared) if shared else REPO.parent / "shared") / DATA_NAME


@dataclass(frozen=True, order=True)
class Row:
    party: str
    year: int
    seq: int  # the sentence's place in its manifesto (the CSV is in document order)
    text: str
    label: int  # binary_pledge: 1 pledge (fully or partly specific), 0 not a pledge

    @property
    def manifesto(self) -> str:
        return f"{self.party} {self.year}"


@dataclass(frozen=True)
class Hyperparameters:
    """Chosen by leave-one-manifesto-out only; docs/classifier.md lists what was tried."""

    C: float = 3.0
    min_df: int = 2  # a feature must occur in this many training sentences
    class_weight: str | None = "balanced"
    threshold: float = 0.5
    groups: tuple[str, ...] = ALL_GROUPS
    seed: int = 0
    tol: float = 1e-4  # liblinear's stopping tolerance
    commitment_floor: bool = True  # classify.checkable_commitment lifts a score to the threshold
    # the e5 second opinion (e5_head.py): consulted for fast scores in this band; None: no head
    e5_band: tuple[float, float] | None = (0.35, 0.65)
    e5_C: float = 10.0


def load_rows(path: Path) -> list[Row]:
    """The labelled sentences, by manifesto and in document order within each."""
    seen: dict[tuple[str, int], int] = defaultdict(int)
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            key = (r["party"], int(r["year"]))
            rows.append(Row(*key, seen[key], r["text"].strip(), int(r["binary_pledge"])))
            seen[key] += 1
    return sorted(rows)  # the order of the manifestos in the file must not matter


def row_contexts(rows: Sequence[Row]) -> list[Context]:
    """Each row's context from its manifesto's document order (`contexts_in_order`)."""
    by_manifesto: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_manifesto[r.manifesto].append(i)
    contexts: list[Context] = [Context()] * len(rows)
    for indices in by_manifesto.values():
        indices.sort(key=lambda i: rows[i].seq)
        for i, context in zip(
            indices, contexts_in_order([rows[i].text for i in indices]), strict=True
        ):
            contexts[i] = context
    return contexts


def row_features(rows: Sequence[Row], groups: Sequence[str]) -> list[set[str]]:
    return [
        extract_features(r.text, groups, c) for r, c in zip(rows, row_contexts(rows), strict=True)
    ]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _binary_matrix(feature_sets: Sequence[set[str]]) -> tuple[csr_matrix, list[str]]:
    """Rows x sorted feature names, 1 where the sentence has the feature."""
    import numpy as np
    from scipy.sparse import csr_matrix

    names = sorted(set().union(*feature_sets))
    index = {f: i for i, f in enumerate(names)}
    indptr, indices = [0], []
    for feats in feature_sets:
        indices.extend(sorted(index[f] for f in feats))
        indptr.append(len(indices))
    shape = (len(feature_sets), len(names))
    return csr_matrix((np.ones(len(indices)), indices, indptr), shape=shape), names


def _fit(
    x: csr_matrix,
    names: Sequence[str],
    labels: Sequence[int],
    hp: Hyperparameters,
    trained_from: dict[str, Any] | None = None,
) -> SentenceClassifier:
    """Binary tf-idf (smoothed idf, L2 norm) + logistic regression (liblinear, L2 penalty)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import normalize

    n_docs = x.shape[0]
    df = np.asarray(x.sum(axis=0)).ravel().astype(int)
    keep = np.flatnonzero(df >= hp.min_df)
    idfs = np.log((1 + n_docs) / (1 + df[keep])) + 1.0  # == classify.idf
    # Sparse times a vector stays sparse; scipy-stubs 1.17 types the product as dense.
    weighted: Any = x[:, keep].multiply(idfs)
    tfidf = normalize(weighted.tocsr())
    model = LogisticRegression(
        C=hp.C,
        solver="liblinear",
        class_weight=hp.class_weight,
        random_state=hp.seed,
        max_iter=1000,
        tol=hp.tol,
        dual=True,
    )
    model.fit(tfidf, np.asarray(labels))
    features = {
        names[int(j)]: (round(float(w), WEIGHT_DECIMALS), int(df[j]))
        for j, w in zip(keep, model.coef_[0], strict=True)
    }
    bias = round(float(model.intercept_[0]), WEIGHT_DECIMALS)
    digest = hashlib.sha256(json.dumps([bias, sorted(features.items())]).encode()).hexdigest()
    return SentenceClassifier(
        features=features,
        n_docs=n_docs,
        bias=bias,
        threshold=hp.threshold,
        version=f"f{FEATURE_VERSION}-{digest[:12]}",
        groups=hp.groups,
        trained_from=trained_from or {},
        commitment_floor=hp.commitment_floor,
    )


E5_DECIMALS = 4  # embeddings may differ in the last bits between CPUs; 4 decimals do not


def fit_e5_head(texts: Sequence[str], labels: Sequence[int], hp: Hyperparameters) -> E5Head:
    """Logistic regression (lbfgs, L2, balanced) over the texts' e5 passage embeddings."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    assert hp.e5_band is not None
    model = LogisticRegression(C=hp.e5_C, class_weight="balanced", max_iter=3000)
    model.fit(np.vstack(embed(texts)), np.asarray(labels))
    return E5Head(
        weights=tuple(round(float(w), E5_DECIMALS) for w in model.coef_[0]),
        bias=round(float(model.intercept_[0]), E5_DECIMALS),
        band=hp.e5_band,
    )


def with_e5(
    classifier: SentenceClassifier, rows: Sequence[Row], hp: Hyperparameters
) -> SentenceClassifier:
    if hp.e5_band is None:
        return classifier
    head = fit_e5_head([r.text for r in rows], [r.label for r in rows], hp)
    digest = hashlib.sha256(json.dumps(head.to_dict()).encode()).hexdigest()
    return replace(classifier, e5=head, version=f"{classifier.version}-e5{digest[:8]}")


def train(
    rows: Sequence[Row], hp: Hyperparameters = Hyperparameters(), data_sha256: str = ""
) -> SentenceClassifier:
    rows = sorted(rows)  # the solver visits rows in order: the order must not matter
    trained_from = {
        "data": DATA_NAME,
        "data_sha256": data_sha256,
        "rows": len(rows),
        "pledges": sum(r.label for r in rows),
        "feature_version": FEATURE_VERSION,
        "model": "logistic regression over binary tf-idf features of the sentence and its "
        "context (scikit-learn liblinear), with a checkable-commitment floor; near "
        "the threshold averaged with a logistic regression over e5 embeddings",
        "hyperparameters": {
            **asdict(hp),
            "groups": list(hp.groups),
            "e5_band": list(hp.e5_band or ()),
        },
    }
    x, names = _binary_matrix(row_features(rows, hp.groups))
    return with_e5(_fit(x, names, [r.label for r in rows], hp, trained_from), rows, hp)


def macro_f1(gold: Sequence[int], pred: Sequence[int]) -> float:
    """Mean of the F1 of class 1 (pledge) and class 0 (not a pledge)."""
    f1s = []
    for cls in (1, 0):
        tp = sum(g == cls and p == cls for g, p in zip(gold, pred, strict=True))
        fp = sum(g != cls and p == cls for g, p in zip(gold, pred, strict=True))
        fn = sum(g == cls and p != cls for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / 2


@dataclass
class LomoReport:
    per_manifesto: dict[str, dict[str, Any]] = field(default_factory=dict)  # n, pledges, macro_f1
    overall_macro_f1: float = 0.0  # pooled over all held-out predictions
    mean_macro_f1: float = 0.0  # mean of the per-manifesto figures
    scores: list[float] = field(default_factory=list)  # held-out score per row, rows' order

    def table(self, baseline: LomoReport | None = None) -> str:
        """The per-manifesto figures; with `baseline`, its figures in a second column."""
        extra = f"{'baseline':>10}" if baseline else ""
        lines = [f"{'manifesto':<26}{'n':>5}{'pledges':>9}{'macro-F1':>10}" + extra]
        for name, m in self.per_manifesto.items():
            other = f"{baseline.per_manifesto[name]['macro_f1']:>10.3f}" if baseline else ""
            lines.append(f"{name:<26}{m['n']:>5}{m['pledges']:>9}{m['macro_f1']:>10.3f}{other}")
        for label, attr in (
            ("overall (pooled)", "overall_macro_f1"),
            ("mean of manifestos", "mean_macro_f1"),
        ):
            other = f"{getattr(baseline, attr):>10.3f}" if baseline else ""
            lines.append(f"{label:<26}{'':>14}{getattr(self, attr):>10.3f}{other}")
        return "\n".join(lines)


def _report(rows: Sequence[Row], scores: Sequence[float], threshold: float) -> LomoReport:
    by_manifesto: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_manifesto[r.manifesto].append(i)
    report = LomoReport(scores=list(scores))
    for name in sorted(by_manifesto):
        gold = [rows[i].label for i in by_manifesto[name]]
        pred = [int(scores[i] >= threshold) for i in by_manifesto[name]]
        report.per_manifesto[name] = {
            "n": len(gold),
            "pledges": sum(gold),
            "macro_f1": macro_f1(gold, pred),
        }
    report.overall_macro_f1 = macro_f1(
        [r.label for r in rows], [int(s >= threshold) for s in scores]
    )
    per = [m["macro_f1"] for m in report.per_manifesto.values()]
    report.mean_macro_f1 = sum(per) / len(per)
    return report


def _folds(rows: Sequence[Row]) -> list[tuple[list[int], list[int]]]:
    """(training rows, held-out rows) for each manifesto, in name order."""
    names = sorted({r.manifesto for r in rows})
    return [
        (
            [i for i, r in enumerate(rows) if r.manifesto != name],
            [i for i, r in enumerate(rows) if r.manifesto == name],
        )
        for name in names
    ]


def baseline_lomo(rows: Sequence[Row]) -> LomoReport:
    """The plain baseline on the same folds: scikit-learn TF-IDF of word 1-2-grams and
    character 2-5-grams within word boundaries (`char_wb`), sublinear tf, and a logistic
    regression with balanced class weights and otherwise default settings. Without the class
    weights it scores far lower (0.73), so this is the stronger, fairer baseline."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    scores = [0.0] * len(rows)
    labels = np.asarray([r.label for r in rows])
    for train_idx, held in _folds(rows):
        vectorizer = make_union(
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        )
        x = vectorizer.fit_transform([rows[i].text for i in train_idx])
        model = LogisticRegression(class_weight="balanced", max_iter=2000)
        model.fit(x, labels[train_idx])
        probs = model.predict_proba(vectorizer.transform([rows[i].text for i in held]))[:, 1]
        for i, prob in zip(held, probs, strict=True):
            scores[i] = float(prob)
    return _report(rows, scores, 0.5)


def lomo_evaluate(rows: Sequence[Row], hp: Hyperparameters = Hyperparameters()) -> LomoReport:
    """Leave-one-manifesto-out: train on the others, predict the held-out manifesto.

    Give the rows as `load_rows` returns them (sorted), so that the figures are reproducible.
    """
    contexts = row_contexts(rows)
    feature_sets = [
        extract_features(r.text, hp.groups, c) for r, c in zip(rows, contexts, strict=True)
    ]
    x, names = _binary_matrix(feature_sets)
    scores = [0.0] * len(rows)
    for train_idx, held in _folds(rows):
        model = _fit(x[train_idx], names, [rows[i].label for i in train_idx], hp)
        model = with_e5(model, [rows[i] for i in train_idx], hp)
        held_scores = model.score(
            [rows[i].text for i in held],  # the shipped scoring path
            [contexts[i] for i in held],
        )
        for i, score in zip(held, held_scores, strict=True):
            scores[i] = score
    return _report(rows, scores, hp.threshold)


def build(
    data: Path, out: Path = MODEL_PATH, hp: Hyperparameters = Hyperparameters()
) -> SentenceClassifier:
    classifier = train(load_rows(data), hp, data_sha256=file_sha256(data))
    write_model(classifier, out)
    return classifier


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lofte.pipeline.train_classifier", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--data", type=Path, default=None, help="labelled sentences CSV")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="model file (.json[.gz])")
    parser.add_argument(
        "--evaluate", action="store_true", help="also print the leave-one-manifesto-out evaluation"
    )
    args = parser.parse_args(argv)
    data = args.data or default_data_path()
    if not data.is_file():
        print(f"training data not found: {data} (set LOFTE_SHARED_DIR or --data)", file=sys.stderr)
        return 2
    try:
        import sklearn  # noqa: F401
    except ModuleNotFoundError:
        print("training needs scikit-learn: pip install 'lofte[train]'", file=sys.stderr)
        return 2
    if args.evaluate:
        rows = load_rows(data)
        report, baseline = lomo_evaluate(rows), baseline_lomo(rows)
        print(
            f"leave-one-manifesto-out macro-F1, {len(rows)} sentences "
            f"(baseline: word + char TF-IDF logistic regression, same folds):"
        )
        print(report.table(baseline))
    classifier = build(data, args.out)
    print(f"wrote {args.out}: {len(classifier.features)} features, version {classifier.version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
