"""Sentences per second of the pledge sentence classifier against a naive rule, same process.

    .venv/bin/python bench/bench_classify.py [--sentences 20000] [--repeat 3]

The sentences are those of ../shared/data/pledge-sentences (2689), repeated to `--sentences`.
- classifier: `SentenceClassifier.score` with the shipped model (features + tf-idf + sigmoid),
  the model read once before timing;
- rule: a sentence is a pledge when a regex finds a modal marker ("ska", "skall", "vill",
  "kommer att", "måste", "bör") — the baseline a first attempt would be.
Best of `--repeat` runs each, the ratio classifier/rule, and (on the distinct sentences) the
macro-F1 of both against the labels, to show what the time buys. This is in-sample for the
classifier (it was trained on these sentences); tests/pipeline/test_classify.py holds the
honest leave-one-manifesto-out figure. Nothing here reads the network.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lofte.pipeline.classify import load_classifier  # noqa: E402
from lofte.pipeline.train_classifier import default_data_path, load_rows, macro_f1  # noqa: E402
from timing import best_of  # bench/timing.py, beside this script

_MODAL = re.compile(r"\b(?:ska|skall|vill|kommer att|måste|bör)\b", re.IGNORECASE)


def rule_predict(texts: list[str]) -> list[bool]:
    return [_MODAL.search(t) is not None for t in texts]




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = default_data_path()
    if not data.is_file():
        sys.exit(f"labelled sentences not found: {data} (set LOFTE_SHARED_DIR)")
    rows = load_rows(data)
    base = [r.text for r in rows]
    texts = (base * (args.sentences // len(base) + 1))[:args.sentences]
    classifier = load_classifier()
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(texts)} sentences ({len(base)} distinct, {words:.0f} words on average), "
          f"model {classifier.version}, {len(classifier.features)} features")

    t_model = best_of(lambda: classifier.score(texts), args.repeat)
    t_rule = best_of(lambda: rule_predict(texts), args.repeat)
    n = len(texts)
    print(f"classifier  {n / t_model:10.0f} sentences/s")
    print(f"modal rule  {n / t_rule:10.0f} sentences/s")
    print(f"ratio       the classifier takes {t_model / t_rule:.0f}x the time of the rule")

    gold = [r.label for r in rows]
    f1_model = macro_f1(gold, [int(p) for p in classifier.predict(base)])
    f1_rule = macro_f1(gold, [int(p) for p in rule_predict(base)])
    print(f"macro-F1    classifier {f1_model:.3f} (in-sample), modal rule {f1_rule:.3f}")


if __name__ == "__main__":
    main()
