"""The final account of a tracker that counts no pledge (publish/templates/report.html): no share
of nothing (QA: `lofte report SLUG --no-pdf` printed "Totalt 0 100 %" where the meter page says
"Inga löften ännu."), and no empty charts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lofte.cli import app
from lofte.review import tracker_admin
from lofte.review.trackers import publish_tracker
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from tests.review.fixtures import pledge_row, program_document

NO_PLEDGES = {"sv": "Inga löften ännu.", "en": "No pledges yet."}  # the meter page's words
STEMS = {"sv": "slutrapport", "en": "final-account"}


def _section(html: str, name: str) -> str:
    found = re.search(rf'<section id="{name}"[^>]*>(.*?)</section>', html, re.S)
    assert found, name
    return found.group(1)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("hidden_candidate", [False, True])
def test_an_account_counting_no_pledge_gives_no_share_of_nothing(
    store: Store, db_url: str, tmp_path: Path, lang: str, hidden_candidate: bool
) -> None:
    """No pledge at all, or only a candidate the tracker does not show (counted: none)."""
    if hidden_candidate:
        pledge_row(store, program_document(store, "Vi ska bygga en simhall."), "Vi ska bygga")
    else:
        with store.session() as s:
            tracker_store.ensure_tracker(s, "sjovik")
    tracker_admin.edit(store, "sjovik", actor="anna", actors=["S", "V"])  # rows of nothing
    publish_tracker(store, "sjovik", actor="anna")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["--db", db_url, "report", "sjovik", "--out", str(out), "--no-pdf", "--lang", lang]
    )
    assert result.exit_code == 0, result.output
    html = (out / f"sjovik-{STEMS[lang]}.html").read_text(encoding="utf-8")
    meter = _section(html, "meter")
    assert "%" not in meter  # neither "100 %" nor "0,0 %" of no pledge
    assert NO_PLEDGES[lang] in meter
    assert NO_PLEDGES[lang] in _section(html, "areas")  # not a table of no rows
    assert "%" not in _section(html, "parties")
    assert "data:image" not in html  # no chart of nothing
