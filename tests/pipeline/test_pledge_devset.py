"""Gate: pledge extraction on the hand-labelled dev set (docs/pledge-devset.md).

Six content pages of each 2022 manifesto in ../shared/data/manifestos-2022, drawn with a fixed
seed, with every pledge sentence labelled strict or vague by the CPP definition. The labels are
page numbers and the first and last words of each sentence (tests/pipeline/data/
pledge_devset_2022.json); the manifestos themselves are read from ../shared at run time.

The floors are pinned: lowering one needs a stated reason (commit message and docs/classifier.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lofte.model import ParsedDocument
from lofte.pipeline.extract import extract_pledges
from lofte.pipeline.pledge_eval import (
    PAGES_PER_MANIFESTO,
    SEED,
    Figures,
    Label,
    draw_pages,
    locate,
    meets,
    page_figures,
)
from lofte.sources.pdf import parse_pdf

DEVSET = Path(__file__).with_name("data") / "pledge_devset_2022.json"

# Pinned floors, pooled over the four manifestos (the gates: 0.90 / 0.95 / 0.90),
# raised to what was measured on 2026-12-05: 0.95 / 0.99 / 0.92 (precision 0.91 before the
# rules for sentences that name no policy and for "Få" as "few").
RECALL_LENIENT_FLOOR = 0.94
RECALL_STRICT_FLOOR = 0.98
PRECISION_LENIENT_FLOOR = 0.91


@pytest.fixture(scope="module")
def devset() -> dict:
    return json.loads(DEVSET.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def programs(shared_dir: Path, devset: dict) -> dict[str, ParsedDocument]:
    folder = shared_dir / "data" / "manifestos-2022"
    return {name: parse_pdf((folder / name).read_bytes(), name) for name in devset["manifestos"]}


def labels_of(entry: dict) -> list[Label]:
    return [Label(**raw) for raw in entry["labels"]]


def test_the_labelled_pages_are_the_drawn_ones(devset: dict, programs: dict) -> None:
    assert devset["seed"] == SEED and devset["pages_per_manifesto"] == PAGES_PER_MANIFESTO
    assert len(programs) == 4
    for name, doc in programs.items():
        assert draw_pages(doc) == devset["manifestos"][name]["pages"], name


def test_every_label_is_found_once_on_its_page(devset: dict, programs: dict) -> None:
    for name, doc in programs.items():
        entry = devset["manifestos"][name]
        spans = sorted(locate(doc, label) for label in labels_of(entry))
        assert all(label.page in entry["pages"] for label in labels_of(entry))
        assert all(label.precision in ("strict", "vague") for label in labels_of(entry))
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), f"{name}: labels overlap"
        assert len(spans) >= 20, name  # six content pages of a manifesto hold pledges


def table(rows: dict[str, Figures]) -> str:
    lines = [f"{'manifesto':42s} gold strict  R-len  R-strict  P-len  extracted"]
    for name, f in rows.items():
        lines.append(
            f"{name:42s} {f.gold:4d} {f.gold_strict:6d}  {f.recall_lenient:5.2f}  "
            f"{f.recall_strict:8.2f}  {f.precision_lenient:5.2f}  {f.extracted:9d}"
        )
    return "\n".join(lines)


def test_devset_gate(devset: dict, programs: dict) -> None:
    rows: dict[str, Figures] = {}
    for name, doc in programs.items():
        entry = devset["manifestos"][name]
        rows[name] = page_figures(doc, extract_pledges(doc), labels_of(entry), entry["pages"])
    pooled = sum(rows.values(), Figures(0, 0, 0, 0, 0, 0))
    rows["pooled"] = pooled
    report = table(rows)
    print(report)
    assert pooled.recall_lenient >= RECALL_LENIENT_FLOOR, report
    assert pooled.recall_strict >= RECALL_STRICT_FLOOR, report
    assert pooled.precision_lenient >= PRECISION_LENIENT_FLOOR, report


SECOND = Path(__file__).with_name("data") / "pledge_devset_2022_second_annotator.json"


def test_a_second_annotator_agrees(devset: dict, programs: dict) -> None:
    """One page per manifesto labelled again, independently: which pledges, and how precise.

    Measured when set: F1 0.961 on the pledges (94 and 87 labels, 87 shared), strict/vague
    agreement 86 of 87, Cohen's kappa 0.977.
    """
    second = json.loads(SECOND.read_text(encoding="utf-8"))["manifestos"]
    first_total = second_total = shared = same_precision = 0
    for name, labels in second.items():
        doc = programs[name]
        (page,) = {label["page"] for label in labels}
        theirs = [(locate(doc, Label(**raw)), raw["precision"]) for raw in labels]
        ours = [
            (locate(doc, label), label.precision)
            for label in labels_of(devset["manifestos"][name])
            if label.page == page
        ]
        first_total += len(ours)
        second_total += len(theirs)
        for span, precision in ours:
            match = next((p for s, p in theirs if meets(span, s)), None)
            shared += match is not None
            same_precision += match == precision
    f1 = 2 * shared / (first_total + second_total)
    assert f1 >= 0.9, (first_total, second_total, shared)
    assert same_precision >= 0.9 * shared
