"""Stance and status hints from wording: the issue's examples, negation, direction."""

from __future__ import annotations

import pytest

from lofte.model import Stance, VerdictStatus
from lofte.pipeline.status import status_hint

AVGIFTSBEFRIA = "Avgiftsbefria stadens fritidsklubbar och öka öppethållandet."

CASES = [
    (
        "I förslaget till budget 2025 slopas avgifterna för stadens fritidsklubbar.",
        AVGIFTSBEFRIA,
        Stance.SUPPORTS,
        VerdictStatus.IN_THE_WORKS,
    ),
    (
        "Avgifterna för fritidsklubbarna slopades vid årsskiftet.",
        AVGIFTSBEFRIA,
        Stance.SUPPORTS,
        VerdictStatus.KEPT,
    ),
    (
        "I den första budgeten sänktes avgifterna till fritidsklubbarna med 25 procent.",
        AVGIFTSBEFRIA,
        Stance.PARTIAL,
        VerdictStatus.PARTIALLY_KEPT,
    ),
    ("Avgiften sänktes med 25 procent.", "", Stance.PARTIAL, VerdictStatus.PARTIALLY_KEPT),
    ("Satsningen på fritidsklubbar stoppas.", AVGIFTSBEFRIA, Stance.AGAINST, VerdictStatus.BROKEN),
    ("Fritidsklubben i Rinkeby läggs ned.", AVGIFTSBEFRIA, Stance.AGAINST, VerdictStatus.BROKEN),
    (
        "Utförsäljningarna av idrottsanläggningar stoppas.",
        "Stoppa utförsäljningarna av idrottsanläggningar.",
        Stance.SUPPORTS,
        VerdictStatus.KEPT,
    ),
    (
        "Styret föreslår en ungdomsgaranti.",
        "Införa en ungdomsgaranti.",
        Stance.SUPPORTS,
        VerdictStatus.IN_THE_WORKS,
    ),
    (
        "Ungdomsgarantin har införts.",
        "Införa en ungdomsgaranti.",
        Stance.SUPPORTS,
        VerdictStatus.KEPT,
    ),
    (
        "Den nya sporthallen invigdes i går.",
        "Bygga en ny sporthall.",
        Stance.SUPPORTS,
        VerdictStatus.KEPT,
    ),
    (
        "Ungdomsgarantin har inte införts.",
        "Införa en ungdomsgaranti.",
        Stance.AGAINST,
        VerdictStatus.STALLED,
    ),
    (
        "De delade turerna avskaffas inte under 2024 som det var tänkt.",
        "Avskaffa de delade turerna.",
        Stance.AGAINST,
        VerdictStatus.STALLED,
    ),
    (
        "Bygget av fritidsgården skjuts upp.",
        "Öppna en ny fritidsgård.",
        Stance.AGAINST,
        VerdictStatus.STALLED,
    ),
    ("Biblioteket läggs inte ned.", "Förlänga öppettiderna på biblioteken.", Stance.SUPPORTS, None),
    (
        "Sjuka äldre ska inte slussas runt mellan vårdinrättningar.",
        "Satsa på äldreomsorgen.",
        Stance.MENTIONS,
        None,
    ),
]


@pytest.mark.parametrize(("passage", "pledge", "stance", "status"), CASES)
def test_hint(passage: str, pledge: str, stance: Stance, status: VerdictStatus | None) -> None:
    hint = status_hint(passage, pledge)
    assert (hint.stance, hint.status) == (stance, status)
    assert 0.0 < hint.confidence <= 1.0
    for cue in hint.cues:
        assert cue in passage


def test_hint_unpacks_as_a_triple_plus_cues() -> None:
    stance, status, confidence, cues = status_hint("Frukost serveras sedan i höstas.")
    assert stance is Stance.SUPPORTS and status is VerdictStatus.KEPT and cues
