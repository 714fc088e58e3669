"""What every rendered page guarantees about the text it prints."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lofte.store.schema import DocumentRow, PledgeRow, TrackerRow
from lofte.web import templating

from .conftest import Site, login

BIDI = "\u202e\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidi_controls_in_stored_text_cannot_reorder_the_page(
    client: TestClient, site: Site
) -> None:
    with site.store.session() as s:
        s.get(DocumentRow, site.program).title = "Valprogram \u202eevil\u202c 2022"
        s.get(PledgeRow, site.pool).area = "Idrott\u2067 och fritid"
        s.query(TrackerRow).one().name = "Sjövik\u202d 2022–2026" + BIDI
    pages = [
        "/",
        "/trackers/sjovik",
        "/trackers/sjovik/documents",
        "/trackers/sjovik/pledges",
        f"/pledges/{site.pool}",
        f"/documents/{site.program}",
        "/search?q=simhall",
    ]
    login(client, "admin1")
    pages += [
        "/edit",
        f"/edit/pledges/{site.pool}",
        "/edit/trackers/sjovik/pledges?state=confirmed",
    ]
    for url in pages:
        html = client.get(url).text
        assert not any(ch in html for ch in BIDI), url
    assert "Valprogram evil 2022" in client.get(f"/documents/{site.program}").text
    assert "Idrott och fritid" in client.get(f"/pledges/{site.pool}").text
    # the JSON twins carry the data as stored: they are data, not a page
    assert "\u202e" in client.get(f"/api/documents/{site.program}").json()["title"]


def test_every_pledge_attribute_has_a_label_in_both_languages() -> None:
    from lofte.pipeline.attributes import Term, pledge_attributes
    from lofte.web.i18n import STRINGS

    sentence = "Om staten betalar ska vi bygga 500 bostäder under nästa mandatperiod."
    keys = set(pledge_attributes(sentence, Term.after_election(2022))) | {
        "rank",
        "precision",
        "method",
    }
    assert {"deadline_year", "quantity", "conditional"} <= keys
    for key in keys:
        assert set(STRINGS[f"attr_{key}"]) == {"sv", "en"}, key


def test_no_interface_string_is_defined_twice() -> None:
    """A key defined twice keeps only its last text: the share links' "Dela" once replaced the
    status table's "Andel" heading. Checked in the source (a dict literal keeps one of two equal
    keys silently) across every i18n module."""
    import ast
    from collections import Counter
    from pathlib import Path

    import lofte.web

    keys: Counter[str] = Counter()
    for path in sorted(Path(lofte.web.__file__).parent.glob("i18n*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(value, ast.Dict):
                        keys[key.value] += 1  # an entry: "key": {"sv": ..., "en": ...}
    assert len(keys) > 300
    assert [k for k, n in keys.items() if n > 1] == []


def test_a_count_of_one_takes_the_singular_form() -> None:
    from lofte.web.i18n import STRINGS, format_text

    assert format_text("n_pledges", "sv", n=1) == "1 löfte"
    assert format_text("n_pledges", "sv", n=2) == "2 löften"
    assert format_text("n_pledges", "en", n=1) == "1 pledge"
    assert format_text("n_pledges", "en", n=0) == "0 pledges"
    assert format_text("flash_bulk_accept", "sv", n=1) == "1 förslag godtaget."
    lead = format_text("meter_summary", "sv", total=6, kept=1, partially=2, broken=0)
    assert lead == "Löften: 6. Uppfyllda: 1, delvis uppfyllda: 2, brutna: 0."
    assert format_text("meter_summary", "sv", total=6, kept=3, partially=2, broken=0).startswith(
        "Av 6 löften är 3 uppfyllda"
    )
    assert format_text("site_title", "sv") == STRINGS["site_title"]["sv"]
    # every singular form has its plural key and the same placeholders
    for key in (k for k in STRINGS if k.endswith("_one")):
        plural = STRINGS[key.removesuffix("_one")]
        for lang in ("sv", "en"):
            assert sorted(re.findall(r"{(\w+)}", plural[lang])) == sorted(
                re.findall(r"{(\w+)}", STRINGS[key][lang])
            )


def test_every_scrolling_table_box_is_a_named_region_the_keyboard_reaches() -> None:
    """QA: the worklist's box scrolled on a phone but a keyboard could not reach it (the
    pledge list's could): every `.scroll` box is a focusable region named by its caption."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "src" / "lofte" / "web" / "templates"
    boxes = [
        (path.name, tag)
        for path in templates.rglob("*.html")
        for tag in re.findall(r'<div class="scroll"[^>]*>', path.read_text("utf-8"))
    ]
    assert len(boxes) >= 10
    for name, tag in boxes:
        assert 'role="region"' in tag and 'tabindex="0"' in tag, (name, tag)
        assert "aria-labelledby=" in tag, (name, tag)


def _pager(page: int, pages: int) -> str:
    from lofte.web.templating import Pages

    env = Pages().templates.env
    template = env.from_string('{% import "_macros.html" as m with context %}{{ m.pager(p, n) }}')
    return template.render(
        p=page,
        n=pages,
        t=lambda key, **values: f"{key}{values or ''}",
        url_with=lambda **changes: f"?page={changes['page']}",
    )


def test_the_pager_always_offers_the_first_and_last_page_and_says_how_many() -> None:
    # QA: 179 pages of documents, reached four at a time, with no last page and no count
    import re

    html = _pager(90, 179)
    links = re.findall(r'href="\?page=(\d+)"', html)
    assert links[:2] == ["89", "1"] and links[-2:] == ["179", "91"], links
    assert "page_of{&#39;page&#39;: 90, &#39;pages&#39;: 179}" in html and html.count("…") == 2
    near = _pager(3, 6)  # every page in reach: no gap, nothing twice
    assert re.findall(r">(\d+)<", near) == ["1", "2", "3", "4", "5", "6"] and "…" not in near
    assert _pager(1, 1).strip() == ""


def test_templates_are_the_ones_the_server_started_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template updated on disk under a running server is not read until it restarts: the
    new template would meet the old code (QA: 103 pages answered 500 after an update in
    place)."""
    folder = tmp_path / "templates"
    shutil.copytree(templating.HERE / "templates", folder)
    monkeypatch.setattr(templating, "HERE", tmp_path)
    original = (folder / "editor" / "pledge.html").read_text(encoding="utf-8")
    pages = templating.Pages()
    (folder / "base.html").write_text("{% if %}", encoding="utf-8")  # does not even compile
    (folder / "editor" / "pledge.html").write_text("changed", encoding="utf-8")
    env = pages.templates.env
    assert env.loader is not None
    assert env.loader.get_source(env, "editor/pledge.html")[0] == original
    assert "{% block main %}" in env.loader.get_source(env, "base.html")[0]
    env.get_template("base.html")  # compiled from the text it started with: no syntax error
    assert "editor/pledge.html" in env.list_templates()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_replaced_texts_and_a_re_read_dates_details_have_words(lang: str) -> None:
    """Review: on the pledge's page (which now lists its program's events) a document.update
    read "antal: pledges 3, decided_evidence 1, …" and "length", and a date record "provenance
    path" on a Swedish page."""
    update = {
        "title": "Program",
        "before": {"content_hash": "ab", "length": 10},
        "after": {"content_hash": "cd", "length": 12},
        "counts": {
            "pledges": 3,
            "decided_evidence": 1,
            "pledges_moved": 2,
            "candidates_dropped": 0,
            "quotes_lost": 1,
        },
    }
    edit = {
        "changed": ["date"],
        "before": {"date": {"value": "2022-08-01", "precision": "month", "provenance": "path"}},
        "after": {"date": {"value": "2018-08-01", "precision": "month", "provenance": "explicit"}},
    }
    lines = templating.details(update, lang) + templating.details(edit, lang)
    labels = [label or "" for label, _ in lines]
    codes = {"length", "counts", "decided_evidence", "pledges_moved", "candidates_dropped"}
    codes |= {"quotes_lost"} | ({"pledges", "date"} if lang == "sv" else set())
    assert not codes & set(labels) and not any("." in label for label in labels), labels
    month = "augusti" if lang == "sv" else "August"
    assert (lines[-1][1]) == f"{month} 2022 → {month} 2018"  # not where each was read
