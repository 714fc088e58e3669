"""Public pages and their JSON twins: meter, pledge list, pledge, document, search, feed."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from lofte.model import VerdictStatus
from lofte.publish import pages
from lofte.review.pledges import confirm, reject
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import documents as document_store
from lofte.store import search
from lofte.store import trackers as tracker_store
from lofte.store.schema import DocumentRow, PledgeRow

from .conftest import SCRIPT, Site


def _rate(site: Site) -> None:
    """Pool kept (with accepted evidence), trees (confirmed first) in the works."""
    confirm(site.store, site.trees, actor="anna")
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    set_verdict(
        site.store,
        site.pool,
        VerdictStatus.KEPT,
        "Simhallen invigdes.",
        [site.ev_pool],
        actor="tester",
    )
    set_verdict(
        site.store, site.trees, VerdictStatus.IN_THE_WORKS, "Planteringen pågår.", actor="tester"
    )


def test_meter_counts_statuses_and_leaves_out_rejected_pledges_and_groups(
    client: TestClient, site: Site
) -> None:
    _rate(site)
    data = client.get("/api/trackers/sjovik").json()
    meter = data["meter"]
    # counted: pool, the two preschool children, trees; not the rejected one, not the group
    assert meter["total"] == 4
    assert meter["counts"] == {
        "kept": 1,
        "partially_kept": 0,
        "broken": 0,
        "in_the_works": 1,
        "stalled": 0,
        "not_rated": 2,
        "not_checkable": 0,
    }
    by_area = {a["area"]: a for a in meter["by_area"]}
    assert by_area["Skola"]["total"] == 2 and by_area["Idrott och fritid"]["counts"]["kept"] == 1
    term = meter["over_term"]
    assert term[0]["date"] == "2022-10-31" and term[0]["counts"]["not_rated"] == 4
    assert term[-1]["counts"]["kept"] == 1 and len(term) > 12
    html = client.get("/trackers/sjovik").text
    assert "/trackers/sjovik/charts/status.svg" in html and "<table" in html
    # the link names what it counts (QA, a screen-reader user: links named "2", "1", "1")
    assert (
        'href="/trackers/sjovik/pledges?status=kept">1<span class="visually-hidden"> löften: '
        "Uppfyllt</span></a>"
    ) in html


def test_the_meter_says_when_its_rounded_shares_do_not_add_up_to_100(
    client: TestClient, site: Site
) -> None:
    _rate(site)  # kept, in the works, two not rated: 25 + 25 + 50 = 100 %
    assert "shares-note" not in client.get("/trackers/sjovik").text
    reject(site.store, site.children[1], actor="anna")  # one of each: a third each, 33 %
    html = client.get("/trackers/sjovik").text
    assert html.count('<td class="num">33 %</td>') == 3
    assert "tillsammans blir de 99 %" in html
    english = client.get("/trackers/sjovik?lang=en").text
    assert "so together they make 99%." in english


def test_charts_are_svg_without_scripts(client: TestClient, site: Site) -> None:
    _rate(site)
    for name in ("status", "areas", "term"):
        response = client.get(f"/trackers/sjovik/charts/{name}.svg?lang=en")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert "<script" not in response.text
    assert "Kept" in client.get("/trackers/sjovik/charts/status.svg?lang=en").text
    assert "&lt;script&gt;" in client.get("/trackers/sjovik/charts/areas.svg").text
    assert client.get("/trackers/sjovik/charts/pie.svg").status_code == 404


def test_pledge_list_filters_by_area_status_and_words(client: TestClient, site: Site) -> None:
    _rate(site)
    everything = client.get("/api/trackers/sjovik/pledges").json()
    assert everything["total"] == 4 and "Skola" in everything["areas"]
    assert {p["id"] for p in everything["pledges"]} == {site.pool, site.trees, *site.children}
    assert client.get("/api/trackers/sjovik/pledges?area=Skola").json()["total"] == 2
    kept = client.get("/api/trackers/sjovik/pledges?status=kept").json()
    assert [p["id"] for p in kept["pledges"]] == [site.pool]
    found = client.get("/api/trackers/sjovik/pledges?q=simhall").json()
    assert [p["id"] for p in found["pledges"]] == [site.pool]
    html = client.get("/trackers/sjovik/pledges?area=Skola&status=not_rated").text
    assert 'label for="f-area"' in html and "förskolan" in html and "simhall" not in html


def test_pledge_page_shows_quote_context_timeline_and_accepted_evidence(
    client: TestClient, site: Site
) -> None:
    _rate(site)
    data = client.get(f"/api/pledges/{site.pool}").json()
    assert data["status"] == "kept"
    assert [v["status"] for v in data["timeline"]] == ["kept"]
    assert "author" not in data["timeline"][0]  # editors' names stay on the editors' pages
    marked = [p["text"] for p in data["context"]["pieces"] if p["mark"]]
    assert marked == ["Vi ska bygga en ny simhall i Norrvik."]
    (evidence,) = data["evidence"]
    assert evidence["matched_terms"] == [["simhall", "simhallen"], ["Norrvik", "Norrvik"]]
    terms = [p["text"] for p in evidence["context"]["pieces"] if p["term"]]
    assert terms == ["simhallen", "Norrvik"]
    passage = "".join(p["text"] for p in evidence["context"]["pieces"] if p["mark"])
    assert passage == "Den nya simhallen i Norrvik invigdes i dag"
    html = client.get(f"/pledges/{site.pool}").text
    assert f'href="/documents/{site.program}#pledge-{site.pool}"' in html
    assert "<mark>Vi ska bygga en ny simhall i Norrvik.</mark>" in html
    assert '<mark><strong class="term">simhallen</strong></mark>' in html
    # suggested evidence is not public
    assert client.get(f"/api/pledges/{site.preschool}").json()["evidence"] == []


def test_a_pledge_page_leaves_out_the_machines_own_marks(client: TestClient, site: Site) -> None:
    # QA: readers saw the classifier's "Rang 0,19" and "Hittat med" on pledge pages
    with site.store.session() as s:
        row = s.get(PledgeRow, site.pool)
        row.attributes = {"rank": 0.1856, "method": "cue", "precision": "vague", "type": "action"}
    html = client.get(f"/pledges/{site.pool}").text
    assert "<dt>Rang</dt>" not in html and "<dt>Hittat med</dt>" not in html
    assert "0,19" not in html
    assert "<dt>Precision</dt>" in html and "<dt>Slag</dt>" in html  # what the codebook says
    # the API keeps them: researchers read the extractor's output
    assert client.get(f"/api/pledges/{site.pool}").json()["pledge"]["attributes"]["rank"] == 0.1856


def test_evidence_with_odd_features_still_renders(client: TestClient, site: Site) -> None:
    decide_evidence(site.store, site.ev_trees, True, actor="tester")
    decide_evidence(site.store, site.ev_preschool, True, actor="tester")
    trees = client.get(f"/api/pledges/{site.trees}").json()["evidence"][0]
    assert trees["passage"] == trees["span"]  # "broken" is not a passage: the span stands in
    assert trees["checks"] == {}
    assert client.get(f"/pledges/{site.trees}").status_code == 200
    assert client.get(f"/pledges/{site.preschool}").status_code == 200


def test_rejected_and_group_pledges_have_pages_that_say_so(client: TestClient, site: Site) -> None:
    assert "tagit bort" in client.get(f"/pledges/{site.vague}").text
    group = client.get(f"/api/pledges/{site.group}").json()
    assert {c["id"] for c in group["children"]} == set(site.children)


def test_document_page_marks_its_pledges(client: TestClient, site: Site) -> None:
    html = client.get(f"/documents/{site.program}").text
    assert f'<span id="pledge-{site.pool}" class="anchor"></span><mark class="pledge">' in html
    assert f'id="pledge-{site.vague}"' not in html  # rejected pledges are not marked
    data = client.get(f"/api/documents/{site.program}").json()
    assert site.pool in {p["id"] for p in data["pledges"]} and "marked_body" not in data


def test_search_finds_pledges_and_documents(client: TestClient, site: Site) -> None:
    data = client.get("/api/search?q=förskolan").json()
    # the public pledges only: a group is checked through its parts. "förskolan" is searched
    # as "förskol", as "förskola" is: both find the preschool teachers ("förskollärare") too
    assert {p["id"] for p in data["pledges"]["hits"]} == set(site.children)
    assert site.group not in {p["id"] for p in data["pledges"]["hits"]}
    assert client.get("/api/search?q=förskola").json()["pledges"] == data["pledges"]
    assert site.news["preschool"] in {d["id"] for d in data["documents"]["hits"]}
    assert data["documents"]["total"] >= 2  # the program and the news item
    one = client.get("/api/search?q=simhallen+invigdes&tracker=sjovik").json()
    assert [d["id"] for d in one["documents"]["hits"]] == [site.news["pool"]]
    assert client.get("/api/search?q=").json()["documents"]["total"] == 0
    assert client.get("/api/search?q=zzzqqq").json()["pledges"]["total"] == 0
    html = client.get("/search?q=simhallen").text
    assert '<strong class="term">simhallen</strong>' in html and 'role="search"' in html
    assert client.get("/search?q=x&tracker=saknas").status_code == 404


def test_a_search_typed_without_swedish_letters_offers_them(client: TestClient, site: Site) -> None:
    # "forskolan" (a keyboard without å, ä, ö) found nothing and the page said only "No hits"
    data = client.get("/api/search?q=forskolan+sanka").json()
    assert (data["pledges"]["total"], data["documents"]["total"]) == (0, 0)
    assert data["spelled"] == "förskolan sänka"  # as the public pledges spell them
    html = client.get("/search?q=forskolan+sanka&tracker=sjovik").text
    assert 'href="/search?q=f%C3%B6rskolan%20s%C3%A4nka&amp;tracker=sjovik"' in html
    found = client.get("/api/search", params={"q": data["spelled"]}).json()
    assert found["pledges"]["total"] >= 1 and found["spelled"] is None  # hits: nothing offered
    assert client.get("/api/search?q=zzzqqq").json()["spelled"] is None  # no such word


def test_a_search_of_common_words_only_says_so(client: TestClient, site: Site) -> None:
    """Stop words are searched on no store (PostgreSQL does not index them): the page says the
    query holds only very common words, in Swedish or English, rather than show hits on one
    store and none on the other."""
    data = client.get("/api/search?q=och+att+det").json()
    assert data["query"] == {
        "words": [],
        "common": ["och", "att", "det"],
        "beyond": [],
        "notice": "only_common",
    }
    assert (data["pledges"]["total"], data["documents"]["total"]) == (0, 0)
    html = client.get("/search?q=och+att+det").text
    assert "bara mycket vanliga ord (och, att, det)" in html and "Inga träffar" not in html
    english = client.get("/search?q=och+att+det&lang=en").text
    assert "only very common words (och, att, det)" in english
    mixed = client.get("/api/search?q=simhallen+och+att").json()
    assert mixed["query"] == {
        "words": ["simhallen"],
        "common": ["och", "att"],
        "beyond": [],
        "notice": None,
    }
    assert [p["id"] for p in mixed["pledges"]["hits"]] == [site.pool]
    assert (
        "Mycket vanliga ord söktes inte: och, att."
        in client.get("/search?q=simhallen+och+att&lang=sv").text
    )
    # past the first eight words (found by QA: left out without a word)
    nine = "simhallen " + " ".join(f"ord{i}" for i in range(8))
    page = client.get(f"/search?q={nine}&lang=sv").text
    assert "Bara de första 8 orden söktes; de här söktes inte: ord7." in page
    listed = client.get("/trackers/sjovik/pledges?q=Det+är&lang=sv").text
    assert "bara mycket vanliga ord (det, är)" in listed
    assert client.get("/api/trackers/sjovik/pledges?q=det").json()["filters"]["query"][
        "notice"
    ] == ("only_common")


@pytest.mark.parametrize("q", ["-", "*", '""', "'", "&|!():", "<>", "--", "%_%"])
def test_a_search_of_punctuation_only_says_there_are_no_words(
    client: TestClient, site: Site, q: str
) -> None:
    data = client.get("/api/search", params={"q": q}).json()
    assert data["query"]["notice"] == "no_words" and data["documents"]["total"] == 0
    page = client.get("/search", params={"q": q, "lang": "sv"})
    assert page.status_code == 200 and "inga ord, bara tecken" in page.text
    assert "<script>" not in page.text.split("</header>", 1)[-1]  # echoed escaped
    listed = client.get("/trackers/sjovik/pledges", params={"q": q, "lang": "en"})
    assert listed.status_code == 200 and "no words, only characters" in listed.text


@pytest.mark.parametrize(
    "q",
    [
        '"<b>simhall</b>"',
        "SIMHALLEN ÖPPNAR",
        "x" * 5000,
        "simhall " * 1500,
        "<script>alert(1)</script> och",
        "\u0000 simhall \u202e",
    ],
)
def test_awkward_searches_answer_escaped_without_errors(
    client: TestClient, site: Site, q: str
) -> None:
    for path in ("/search", "/api/search", "/trackers/sjovik/pledges"):
        response = client.get(path, params={"q": q})
        assert response.status_code == 200, (path, q[:40])
    html = client.get("/search", params={"q": q}).text
    assert "<script>alert" not in html and "<b>simhall" not in html


def test_search_says_when_it_stopped_counting(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents are counted up to search.MAX_COUNT; beyond, the page says "över N" / "more
    than N" instead of a number it did not count, and that the newest N are shown."""
    exact = client.get("/api/search?q=simhall").json()["documents"]
    assert (exact["total"], exact["capped"]) == (2, False)  # the program and the news item
    assert "över" not in client.get("/search?q=simhall").text
    monkeypatch.setattr(search, "MAX_COUNT", 1)
    capped = client.get("/api/search?q=simhall").json()["documents"]
    assert (capped["total"], capped["capped"], len(capped["hits"])) == (1, True, 1)  # the newest
    html = client.get("/search?q=simhall").text
    assert "Dokument (över 1)</h2>" in html and "Fler än 1 dokument innehåller orden" in html
    english = client.get("/search?q=simhall&lang=en").text
    assert "(more than 1)</h2>" in english and "These are the 1 added last" in english


def test_the_search_page_is_rendered_once_and_again_after_a_change(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anonymous readers share a search page (pages.search_key) until a document or a pledge's
    status changes: a new document shows at the next request, and so does a new verdict."""
    made: list[str] = []
    real = pages.search_page
    monkeypatch.setattr(pages, "search_page", lambda s, q, **kw: made.append(q) or real(s, q, **kw))

    def page(url: str = "/search?q=simhall+norrvik") -> tuple[str, int]:
        """The page's HTML, and how many times it was made for it."""
        before = len(made)
        return client.get(url).text, len(made) - before

    first, times = page()
    assert times == 1 and "status-kept" not in first and "Simhallen öppnar" not in first
    assert page() == (first, 0)
    with site.store.session() as s:
        raw = document_store.put_raw(s, b"late", "text/plain")
        s.add(
            DocumentRow(
                tracker_id=tracker_store.get_tracker(s, "sjovik").id,
                origin="late.txt",
                item_key="0",
                kind="news",
                title="Simhallen öppnar",
                body="Simhallen i Norrvik öppnar i juni.",
                content_hash="late",
                raw_sha256=raw,
                stage="parse:test",
                stage_version="1",
            )
        )
    html, times = page()
    assert "Simhallen öppnar" in html and times == 1
    _rate(site)  # the pool is kept now
    html, times = page()
    assert "status-kept" in html and times == 1
    assert page("/search?q=simhall")[1] == 1  # another query: its own page


def test_rss_feed_lists_verdict_changes(client: TestClient, site: Site) -> None:
    _rate(site)
    response = client.get("/trackers/sjovik/feed.xml")
    # XML, so that a browser applies the feed's stylesheet (templating.RSS)
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    items = root.findall("./channel/item")
    assert len(items) == 2
    assert items[0].findtext("title", "").startswith("På gång: Vi ska plantera tusen träd <script>")
    assert items[0].findtext("link", "").endswith(f"/pledges/{site.trees}")
    assert items[1].findtext("description") == "Simhallen invigdes."
    changes = client.get("/api/trackers/sjovik/changes").json()["changes"]
    assert [c["status"] for c in changes] == ["in_the_works", "kept"]
    assert SCRIPT not in response.text  # escaped in the XML


def test_english_switch_keeps_the_query(client: TestClient, site: Site) -> None:
    html = client.get("/trackers/sjovik/pledges?area=Skola").text
    assert 'href="/trackers/sjovik/pledges?area=Skola&amp;lang=en"' in html
    english = client.get("/trackers/sjovik?lang=en").text
    assert '<html lang="en">' in english and "How are the pledges doing?" in english


def test_every_public_page_has_its_json_twin(client: TestClient, site: Site) -> None:
    pairs = [
        ("/", "/api/trackers"),
        ("/trackers/sjovik", "/api/trackers/sjovik"),
        ("/trackers/sjovik/pledges", "/api/trackers/sjovik/pledges"),
        ("/trackers/sjovik/documents", "/api/trackers/sjovik/documents"),
        (f"/pledges/{site.pool}", f"/api/pledges/{site.pool}"),
        (f"/documents/{site.program}", f"/api/documents/{site.program}"),
        ("/search?q=simhall", "/api/search?q=simhall"),
        ("/trackers/sjovik/feed.xml", "/api/trackers/sjovik/changes"),
    ]
    for page, twin in pairs:
        assert client.get(page).status_code == 200, page
        response = client.get(twin)
        assert (
            response.status_code == 200 and response.headers["content-type"] == "application/json"
        ), twin
    for missing in ("/api/pledges/999", "/api/documents/999", "/api/trackers/nej/pledges"):
        assert client.get(missing).status_code == 404


def test_pages_have_landmarks_skip_link_and_labels(client: TestClient, site: Site) -> None:
    for url in (
        "/",
        "/trackers/sjovik",
        "/trackers/sjovik/pledges",
        f"/pledges/{site.pool}",
        "/search?q=simhall",
        "/login",
    ):
        html = client.get(url).text
        assert '<a class="skip" href="#main">' in html, url
        assert '<main id="main"' in html and "<nav aria-label=" in html and "<footer>" in html, url
        assert html.count("<h1") == 1, url
    # every input on the filter and login forms has a label
    for url, ids in (
        ("/trackers/sjovik/pledges", ("f-area", "f-status", "f-q")),
        ("/login", ("username", "password")),
        ("/search", ("s-q", "s-tracker")),
    ):
        html = client.get(url).text
        for field in ids:
            assert f'<label for="{field}">' in html and f'id="{field}"' in html, (url, field)


def test_status_colours_meet_wcag_aa_with_white_text() -> None:
    from lofte.web.charts import STATUS_COLORS

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    css = (
        __import__("pathlib").Path(__import__("lofte.web", fromlist=["x"]).__file__).parent
        / "static"
        / "style.css"
    ).read_text(encoding="utf-8")
    for status, colour in STATUS_COLORS.items():
        ratio = 1.05 / (luminance(colour) + 0.05)
        assert ratio >= 4.5, (status, colour, ratio)
        assert f".status-{status} {{ background: {colour}; }}" in css


def test_over_term_uses_month_ends_and_the_verdict_history() -> None:
    from lofte.model import Pledge, PledgeState, Tracker
    from lofte.publish.meter import month_ends, over_term

    assert month_ends(dt.date(2024, 11, 15), dt.date(2025, 2, 10)) == [
        dt.date(2024, 11, 30),
        dt.date(2024, 12, 31),
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 10),
    ]
    tracker = Tracker(1, "t", "T", None, (), dt.date(2024, 1, 1), dt.date(2024, 3, 31), None)
    pledges = [
        Pledge(i, 1, 1, None, 0, 1, "x", None, None, {}, "e", "1", 1.0, PledgeState.CONFIRMED)
        for i in (1, 2)
    ]
    verdicts = [
        (1, VerdictStatus.IN_THE_WORKS, dt.datetime(2024, 1, 31, 23, 0)),
        (1, VerdictStatus.KEPT, dt.datetime(2024, 3, 1, 8, 0)),
        (9, VerdictStatus.BROKEN, dt.datetime(2024, 2, 1)),
    ]  # not a counted pledge
    points = over_term(tracker, pledges, verdicts, today=dt.date(2025, 1, 1))
    assert [p["date"] for p in points] == ["2024-01-31", "2024-02-29", "2024-03-31"]
    assert [p["counts"]["in_the_works"] for p in points] == [1, 1, 0]
    assert [p["counts"]["kept"] for p in points] == [0, 0, 1]
    assert all(p["counts"]["not_rated"] == 1 and p["counts"]["broken"] == 0 for p in points)
    assert over_term(tracker, pledges, verdicts, today=dt.date(2023, 1, 1)) == []


def test_every_ui_string_the_templates_use_has_both_languages() -> None:
    import re
    from pathlib import Path

    from lofte.web.i18n import STRINGS

    templates = Path(__file__).resolve().parents[2] / "src" / "lofte" / "web" / "templates"
    keys = set()
    for template in templates.rglob("*.html"):
        keys |= set(re.findall(r"\bt\('([a-z_]+)'\)", template.read_text(encoding="utf-8")))
        keys |= set(re.findall(r"\bt\('([a-z_]+)',", template.read_text(encoding="utf-8")))
    dynamic = {
        "status_",
        "kind_",
        "precision_",
        "provenance_",
        "stance_",
        "state_",
        "review_",
        "attr_",
    }
    for key in keys - dynamic:
        assert key in STRINGS and set(STRINGS[key]) == {"sv", "en"}, key
    for prefix, values in (
        (
            "status_",
            [
                "kept",
                "partially_kept",
                "broken",
                "in_the_works",
                "stalled",
                "not_rated",
                "not_checkable",
            ],
        ),
        ("state_", ["candidate", "confirmed", "rejected"]),
        ("review_", ["suggested", "accepted", "rejected"]),
        ("stance_", ["supports", "partial", "against", "mentions"]),
    ):
        for value in values:
            assert set(STRINGS[prefix + value]) == {"sv", "en"}, prefix + value


def test_pledge_lists_sort_and_refuse_an_unknown_order(client: TestClient, site: Site) -> None:
    """`?sort=` orders the public list; a bad value is a 400 that names the choices."""
    listed = client.get(f"/api/trackers/{site.slug}/pledges?sort=status").json()
    order = [p["status"] for p in listed["pledges"]]
    ranks = {s: i for i, s in enumerate(listed["statuses"])}
    assert order and [ranks[s] for s in order] == sorted(ranks[s] for s in order)
    assert listed["filters"]["sort"] == "status"
    by_area = client.get(f"/api/trackers/{site.slug}/pledges?sort=area").json()["pledges"]
    areas = [p["area"] for p in by_area if p["area"]]
    assert areas == sorted(areas, key=str.casefold)
    bad = client.get(f"/trackers/{site.slug}/pledges?sort=bogus")
    assert bad.status_code == 400 and "Som i dokumentet" in bad.text
    page = client.get(f"/trackers/{site.slug}/pledges?sort=recent").text
    assert '<option value="recent" selected>' in page


def test_swedish_content_is_marked_swedish_on_english_pages(client: TestClient, site: Site) -> None:
    """In English mode the quotes and document texts stay Swedish, and say so (lang="sv")."""
    listed = client.get(f"/trackers/{site.slug}/pledges?lang=en").text
    assert '<html lang="en"' in listed and '<p class="quote" lang="sv">' in listed
    document = client.get(f"/documents/{site.program}?lang=en").text
    assert '<div class="body" lang="sv">' in document and 'id="doc-heading" lang="sv"' in document
    # QA: the tracker's name read by an English voice ("Back: Löftena i Sjövik …")
    meter = client.get(f"/trackers/{site.slug}?lang=en").text
    assert '<h1 lang="sv">Sjövik 2022–2026</h1>' in meter
    pledge = client.get(f"/pledges/{site.pool}?lang=en").text
    assert 'Back: <span lang="sv">Sjövik 2022–2026</span>' in pledge
    home = client.get("/?lang=en").text
    assert f'<a href="/trackers/{site.slug}" lang="sv">Sjövik 2022–2026</a>' in home


def test_a_page_past_the_end_links_back_to_the_last_page(client: TestClient, site: Site) -> None:
    """QA: `?page=999` of a list said how many pledges there are, listed none and offered no
    way back."""
    page = client.get("/trackers/sjovik/pledges?page=999&lang=sv")
    assert page.status_code == 200
    assert '<a href="/trackers/sjovik/pledges?page=1&amp;lang=sv">' in page.text
    assert "till sista sidan (1)" in page.text
    assert "sista sidan" not in client.get("/trackers/sjovik/pledges?page=1").text
    for url in (
        "/trackers/sjovik/documents?page=999",
        "/trackers/sjovik/parties/S?page=999",
        "/search?q=simhall&page=999",
    ):
        assert "till sista sidan (1)" in client.get(url).text, url


def test_a_filtered_pledge_list_does_not_call_itself_all_pledges(
    client: TestClient, site: Site
) -> None:
    # QA: "Alla löften" above the two pledges a status filter chose; no way out of an empty one
    whole = client.get("/trackers/sjovik/pledges").text
    assert (
        '<h1><span lang="sv">Sjövik 2022–2026</span>: alla löften</h1>' in whole
        and "Visa alla löften" not in whole
    )
    some = client.get("/trackers/sjovik/pledges?area=Skola").text
    # the area is Swedish content in the UI's sentence: marked so (QA, English pages)
    heading = (
        '<h1><span lang="sv">Sjövik 2022–2026</span>: löften inom <span lang="sv">Skola</span></h1>'
    )
    assert heading in some
    assert "<title>Löften inom Skola – Sjövik" in some
    assert "Visa alla löften" not in some  # it found some
    none = client.get("/trackers/sjovik/pledges?q=ubåt&lang=en").text
    assert '0 pledges · <a href="/trackers/sjovik/pledges">Show all pledges</a>' in none


@pytest.mark.parametrize(
    ("query", "title", "heading"),
    [
        ("status=not_rated", "Ej bedömda löften", "ej bedömda löften"),
        ("status=kept", "Uppfyllda löften", "uppfyllda löften"),
        ("area=Skola&status=not_rated", "Ej bedömda löften inom Skola", None),
        ("party=S&q=simhall", "Löften från S med sökorden ”simhall”", None),
        ("status=kept&lang=en", "Kept pledges", "kept pledges"),
        ("status=in_the_works&area=Skola&lang=en", "Pledges in the works in Skola", None),
        ("area=Skola&q=förskolan&lang=en", "Pledges in Skola matching “förskolan”", None),
    ],
)
def test_a_filtered_pledge_list_names_its_filters(
    client: TestClient, site: Site, query: str, title: str, heading: str | None
) -> None:
    """QA: every filtered list was "Löften som filtret väljer", whatever it chose, and the
    static site, which has no filter form, named neither "Uppfyllt" nor the area anywhere.
    The title and the heading say what the filters chose, in Swedish and in English."""
    html = client.get(f"/trackers/sjovik/pledges?{query}").text
    assert f"<title>{title} – Sjövik 2022–2026 – Löfte</title>" in html
    named = heading or title[0].lower() + title[1:]
    # in the heading an area or a party is marked as Swedish content (the title holds text)
    for name in ("Skola", "S "):
        named = named.replace(
            name, f'<span lang="sv">{name.strip()}</span>{name[len(name.strip()) :]}'
        )
    assert f'<h1><span lang="sv">Sjövik 2022–2026</span>: {named}</h1>' in html


def test_a_filtered_list_names_a_hostile_area_escaped(client: TestClient, site: Site) -> None:
    html = client.get("/trackers/sjovik/pledges", params={"area": f"Miljö {SCRIPT}"}).text
    assert SCRIPT not in html and "<title>Löften inom Miljö &lt;script&gt;" in html


def test_the_area_filter_ignores_case_and_names_an_unknown_area(
    client: TestClient, site: Site
) -> None:
    """QA: "?area=skola" for the area "Skola" (or a typo) listed "0 löften" under "Alla
    områden" and offered "Följ skola (RSS)", which answered 404. The area is matched as the
    party filter and the JSON API match theirs; one no pledge has is named as such, with the
    areas there are and no feed."""
    exact = client.get("/api/trackers/sjovik/pledges?area=Skola").json()
    for spelled in ("skola", " SKOLA ", "Skola"):
        listed = client.get("/api/trackers/sjovik/pledges", params={"area": spelled}).json()
        assert listed["total"] == exact["total"] > 0, spelled
        assert (listed["filters"]["area"], listed["filters"]["area_known"]) == ("Skola", True)
        html = client.get("/trackers/sjovik/pledges", params={"area": spelled}).text
        assert '<option lang="sv" value="Skola" selected>' in html, spelled
        assert 'href="/trackers/sjovik/areas/Skola/feed.xml"' in html, spelled
        assert "Inget av löftena" not in html
    assert client.get("/trackers/sjovik/areas/Skola/feed.xml").status_code == 200
    typo = client.get("/trackers/sjovik/pledges?area=Skol")
    assert typo.status_code == 200
    assert "feed.xml" not in typo.text.replace("/trackers/sjovik/feed.xml", "")  # no dead feed
    assert "Följ" not in typo.text and "0 löften" in typo.text
    assert (
        'Inget av löftena här hör till politikområdet ”<span lang="sv">Skol</span>”. '
        "Politikområdena är: "
        '<a lang="sv" href="/trackers/sjovik/pledges?area=Idrott%20och%20fritid">'
    ) in typo.text
    assert '<a lang="sv" href="/trackers/sjovik/pledges?area=Skola">Skola</a>' in typo.text
    english = client.get("/trackers/sjovik/pledges?area=Skol&lang=en").text
    assert (
        'None of these pledges belongs to the policy area “<span lang="sv">Skol</span>”.' in english
    )
    unknown = client.get("/api/trackers/sjovik/pledges?area=Skol").json()
    assert (unknown["total"], unknown["filters"]["area_known"]) == (0, False)


def test_the_documents_list_shows_the_newest_first_and_undated_last(
    client: TestClient, site: Site
) -> None:
    # QA: rows in the order they were ingested (2022, 2024, blank, 2023 …)
    with site.store.session() as s:
        undated = s.get(DocumentRow, site.news["trees"])
        undated.date_value = undated.date_precision = undated.date_provenance = None
    listed = client.get("/api/trackers/sjovik/documents").json()["documents"]
    days = [d["date"]["value"] if d["date"] else None for d in listed]
    dated = [d for d in days if d is not None]
    assert dated == sorted(dated, reverse=True) and len(dated) >= 3
    assert days[-1] is None and days.count(None) == 1
    html = client.get("/trackers/sjovik/documents").text
    assert '–<span class="visually-hidden"> odaterat</span>' in html


@pytest.mark.parametrize(
    ("lang", "undated", "kind", "stance"),
    [("sv", "odaterat", "nyhet", "stöder"), ("en", "undated", "news", "supports")],
)
def test_an_undated_document_is_said_to_be_undated_on_its_page_and_as_evidence(
    client: TestClient, site: Site, lang: str, undated: str, kind: str, stance: str
) -> None:
    # no stance: the linker's reading is no editor's word (QA, a party's press officer)
    """QA: the documents list said "– undated", the document's page had no Date row at all and
    the pledge page's evidence line read just "news · against"."""
    with site.store.session() as s:
        row = s.get(DocumentRow, site.news["pool"])
        row.date_value = row.date_precision = row.date_provenance = None
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    client.get(f"/?lang={lang}")
    document = client.get(f"/documents/{site.news['pool']}").text
    assert f"<dt>{'Datum' if lang == 'sv' else 'Date'}</dt><dd>{undated}</dd>" in document
    assert undated in client.get("/trackers/sjovik/documents").text  # the list's word
    pledge = client.get(f"/pledges/{site.pool}").text
    assert f'<p class="meta">{kind} · {undated}</p>' in pledge.lower()
    assert stance not in pledge.lower()


def test_a_pledge_page_names_the_program_s_pages(client: TestClient, site: Site) -> None:
    """QA (a political scientist): no page was given for any pledge of a PDF program. It is
    the PDF file's page (QA, a newsroom: "s. 14" of a program with an unnumbered cover was
    the printed page 13)."""
    with site.store.session() as s:
        row = s.get(PledgeRow, site.pool)
        row.attributes = {"type": "action", "pages": [12, 12]}
        other = s.get(PledgeRow, site.trees)
        other.attributes = {"type": "action", "pages": [3, 4]}
    html = client.get(f"/pledges/{site.pool}").text
    assert "</time>), PDF-sida 12</dd>" in html  # beside the source, once
    assert "PDF-sidorna 3–4" in client.get(f"/pledges/{site.trees}").text
    assert "PDF pages 3–4" in client.get(f"/pledges/{site.trees}?lang=en").text
    assert "Sida i PDF-filen" not in html and "attr_pages" not in html  # not twice


def test_a_document_names_the_pledges_a_person_accepted_it_for(
    client: TestClient, site: Site
) -> None:
    """QA: a reader who found a document had no way to the pledge it is evidence for. A
    suggestion nobody accepted stays unnamed."""
    news = site.news["pool"]
    assert "Belägg för löftena" not in client.get(f"/documents/{news}").text
    decide_evidence(site.store, site.ev_pool, True, actor="tester")
    html = client.get(f"/documents/{news}").text
    assert "Belägg för löftena" in html
    section = html[html.index('id="evidence-for"') :]
    assert f'<a href="/pledges/{site.pool}"' in section[: section.index("</section>")]
    assert client.get(f"/api/documents/{news}").json()["evidence_for"][0]["id"] == site.pool


def test_every_public_page_leads_to_the_api(client: TestClient, site: Site) -> None:
    """QA: no page a reader could follow linked to the JSON API or its data."""
    for path in ("/", f"/trackers/{site.slug}", f"/pledges/{site.pool}"):
        assert '<a href="/api/v1/">Uppgifterna som data (JSON-API)</a>' in client.get(path).text
    assert client.get("/api/v1/").status_code == 200


def test_the_search_offers_the_parties_to_choose_from(client: TestClient, site: Site) -> None:
    """QA: the search's party was a free-text field that wanted a party's whole name."""
    with site.store.session() as s:
        actors = tracker_store.get_tracker(s, site.slug).actors
    assert actors
    html = client.get("/search?q=simhall").text
    field = html[html.index('<select id="s-party"') :]
    field = field[: field.index("</select>")]
    assert all(f'<option value="{a}" lang="sv">' in field for a in actors)
    chosen = client.get(f"/search?q=simhall&party={actors[0]}").text
    assert f'<option value="{actors[0]}" lang="sv" selected>' in chosen


def test_a_kept_pledge_page_is_gone_once_the_pledge_or_its_tracker_is_not_public(
    client: TestClient, site: Site
) -> None:
    """The page is kept under its tracker's stamp, the pledge's own state checked only when
    the page is made: a rejection (a confirmed pledge's page then says it was removed) or the
    tracker's unpublishing must still show at once."""
    from lofte.review import pledges as pledge_review
    from lofte.review.trackers import publish_tracker, unpublish_tracker
    from lofte.web.i18n import translate

    # the notice with its date (or without, for a pledge rejected before the log)
    removed = translate("pledge_removed_on", "sv").split("{date}")[0]
    assert removed and translate("pledge_removed", "sv").startswith("Redaktionen")
    for _ in range(2):  # made, then kept
        assert removed not in client.get(f"/pledges/{site.trees}").text
        assert client.get(f"/pledges/{site.pool}").status_code == 200
    pledge_review.reject(site.store, site.trees, actor="anna")
    assert removed in client.get(f"/pledges/{site.trees}").text
    assert client.get(f"/pledges/{site.pool}").status_code == 200
    unpublish_tracker(site.store, site.slug, actor="anna")
    assert client.get(f"/pledges/{site.pool}").status_code == 404
    publish_tracker(site.store, site.slug, actor="anna")
    assert client.get(f"/pledges/{site.pool}").status_code == 200
    assert client.get("/pledges/999999").status_code == 404


def test_the_search_page_ranks_a_bounded_number_of_pledges(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: "skolan" over 760,000 pledges gave a 500 ("too many SQL variables") after 16 s: every
    hit's outline was asked for with a variable each. At most search.MAX_COUNT hits, the newest,
    are ranked and checked, and the page says there were more."""
    asked: list[int] = []
    real = pages.pledge_store.outline_with_parts
    monkeypatch.setattr(
        pages.pledge_store,
        "outline_with_parts",
        lambda s, ids: asked.append(len(ids)) or real(s, ids),
    )
    exact = client.get("/api/search?q=simhall").json()["pledges"]
    assert (exact["total"], exact["capped"]) == (1, False)
    monkeypatch.setattr(search, "MAX_COUNT", 1)
    capped = client.get("/api/search?q=vi+ska").json()["pledges"]
    assert capped["capped"] and capped["total"] <= 1 and len(capped["hits"]) <= 1
    assert max(asked) <= 1
    html = client.get("/search?q=vi+ska").text
    assert "Orden finns i fler löften än en sökning rangordnar" in html
    english = client.get("/search?q=vi+ska&lang=en").text
    assert "More pledges contain the words than a search ranks" in english


def test_a_document_page_marks_a_bounded_number_of_pledges(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: a program of 15,557 candidates took 33-39 s and 6.4 MB per request: a document page
    lists and marks the first pages.DOCUMENT_MARKS_SHOWN pledges in text order and says how
    many more there are, with a link to the tracker's pledges."""
    everything = client.get(f"/api/documents/{site.program}").json()
    assert everything["pledges_total"] == len(everything["pledges"]) > 2
    monkeypatch.setattr(pages, "DOCUMENT_MARKS_SHOWN", 1)
    data = client.get(f"/api/documents/{site.program}").json()
    assert len(data["pledges"]) == 1 and data["pledges_total"] == everything["pledges_total"]
    assert data["pledges"][0]["id"] == everything["pledges"][0]["id"]  # the first in the text
    html = client.get(f"/documents/{site.program}").text
    assert html.count('<mark class="pledge">') == 1 and html.count('class="anchor"') == 1
    more = everything["pledges_total"] - 1
    assert f"De första 1 löftena är markerade i texten och listade här, {more} till" in html
    assert f'<a href="/trackers/{site.slug}/pledges" class="tap">Löften</a>' in html
    assert f"{everything['pledges_total']} löften i dokumentet" in html


def test_a_document_page_reads_whole_records_of_the_pledges_it_shows_only(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: a document of 760,000 candidates took 42 s and 2.9 GB for a page that shows 2,000:
    every pledge's whole record was read to tell which are public. Now only their (id, parent,
    state) are; whole records only for the pledges the page shows."""
    from lofte.store import pledges as pledge_store
    from lofte.store import search as search_store

    total = client.get(f"/api/documents/{site.program}").json()["pledges_total"]
    assert total > 2
    monkeypatch.setattr(pages, "DOCUMENT_MARKS_SHOWN", 1)
    made: list[int] = []
    for module in (pledge_store, search_store):
        real = module.pledge_record
        monkeypatch.setattr(
            module, "pledge_record", lambda row, real=real: made.append(row.id) or real(row)
        )
    data = client.get(f"/api/documents/{site.program}").json()
    assert data["pledges_total"] == total and len(data["pledges"]) == 1
    assert made == [data["pledges"][0]["id"]]


def test_the_home_page_and_the_meter_read_no_whole_pledge_record(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: 760,000 candidates made the home page 29 s and 2.9 GB and the meter 32 s: both
    built the tracker's whole public view (every pledge's record) to count pledges and
    documents. They count from the pledges' outline (id, state, area, party)."""
    from lofte.store import pledges as pledge_store

    made: list[int] = []
    real = pledge_store.pledge_record
    monkeypatch.setattr(pledge_store, "pledge_record", lambda row: made.append(row.id) or real(row))
    home = client.get("/api/trackers").json()
    meter = client.get(f"/api/trackers/{site.slug}").json()
    assert made == []
    ours = next(t for t in home if t["slug"] == site.slug)
    assert ours["pledges"] == meter["meter"]["total"] > 0
    assert ours["documents"] == meter["documents"] > 0


def test_a_verdicts_source_withdrawn_in_an_older_store_is_named_not_linked(
    client: TestClient, site: Site
) -> None:
    """Before withdrawing an earlier verdict's source was refused, a store could get one
    (QA, a party's press officer: "based on evidence 4118" linked to nothing on the page)."""
    from sqlalchemy import update

    from lofte.store.schema import EvidenceRow

    _rate(site)
    page = client.get(f"/pledges/{site.pool}?lang=sv").text
    with site.store.session() as s:
        title = s.get(DocumentRow, site.news["pool"]).title
    # cited by its document's title (QA, a party's press officer: "evidence 2072" said nothing)
    assert f'Grundat på: <a href="#evidence-{site.ev_pool}" lang="sv">{title}</a> (<time' in page
    with site.store.session() as s:
        s.execute(
            update(EvidenceRow)
            .where(EvidenceRow.id == site.ev_pool)
            .values(review_state="rejected")
        )
    page = client.get(f"/pledges/{site.pool}?lang=sv").text
    assert f'href="#evidence-{site.ev_pool}"' not in page
    assert f"belägg {site.ev_pool} (tillbakadraget)" in page


def test_a_correction_is_marked_as_one_on_the_page_in_the_api_and_the_feed(
    client: TestClient, site: Site
) -> None:
    """QA, a party's press officer: broken corrected to kept showed as two entries of June
    2025, nothing saying the second replaced the first, and `/api/v1/verdicts?status=broken`
    listed the corrected one as if it stood."""
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    kw = {"actor": "tester", "as_of": "2025-06"}
    broken = set_verdict(
        site.store, site.pool, VerdictStatus.BROKEN, "Lades ned.", [site.ev_pool], **kw
    )
    kept = set_verdict(
        site.store, site.pool, VerdictStatus.KEPT, "Byggdes ändå.", [site.ev_pool], **kw
    )
    later = set_verdict(  # a new status about a later moment: no correction
        site.store, site.pool, VerdictStatus.KEPT, "Öppen.", [site.ev_pool], actor="tester"
    )
    page = client.get(f"/pledges/{site.pool}?lang=sv").text
    assert page.count("Rättelse: ersätter en tidigare bedömning") == 1
    assert f'<a href="#verdict-{broken.id}">Se den rättade bedömningen</a>' in page
    assert f'<a href="#verdict-{kept.id}">Se rättelsen</a>' in page
    assert page.count("Rättad: en senare bedömning") == 1
    timeline = {
        v["id"]: (v["corrects"], v["corrected_by"])
        for v in client.get(f"/api/v1/pledges/{site.pool}").json()["timeline"]
    }
    assert timeline == {
        broken.id: (None, kept.id),
        kept.id: (broken.id, None),
        later.id: (None, None),
    }
    listed = client.get(f"/api/v1/verdicts?tracker={site.slug}&status=broken").json()["items"]
    assert [(v["verdict_id"], v["corrected_by"]) for v in listed] == [(broken.id, kept.id)]
    feed = ET.fromstring(client.get(f"/trackers/{site.slug}/feed.xml?lang=sv").content)
    titles = [i.findtext("title") or "" for i in feed.iter("item")]
    assert sum(t.startswith("Rättelse: Uppfyllt: ") for t in titles) == 1
    assert sum(t.startswith("Uppfyllt: ") for t in titles) == 1
    with site.store.session() as s:
        area = s.get(PledgeRow, site.pool).area
    for other in (  # the pledge's and its area's feeds too (review)
        f"/pledges/{site.pool}/feed.xml?lang=sv",
        f"/trackers/{site.slug}/areas/{area}/feed.xml?lang=sv",
    ):
        items = ET.fromstring(client.get(other).content).iter("item")
        titles = [i.findtext("title") or "" for i in items]
        assert sum(t.startswith("Rättelse: Uppfyllt: ") for t in titles) == 1, other


def test_the_methodology_page_lists_the_tracker_s_corrections(
    client: TestClient, site: Site
) -> None:
    """QA, a party's press officer: a correction was marked on its pledge's page only; no
    page listed a tracker's corrections."""
    page = client.get(f"/trackers/{site.slug}/metod?lang=sv").text
    assert '<h2 id="corrections">Rättelser</h2>' in page
    assert "Ingen bedömning har rättats." in page
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    kw = {"actor": "tester", "as_of": "2025-06"}
    set_verdict(site.store, site.pool, VerdictStatus.BROKEN, "Lades ned.", [site.ev_pool], **kw)
    kept = set_verdict(
        site.store, site.pool, VerdictStatus.KEPT, "Byggdes ändå.", [site.ev_pool], **kw
    )
    set_verdict(  # a new status about a later moment: no correction
        site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Öppen.", [site.ev_pool], actor="t"
    )
    page = " ".join(client.get(f"/trackers/{site.slug}/metod?lang=sv").text.split())
    assert "Ingen bedömning har rättats." not in page
    item = (
        f'<a href="/pledges/{site.pool}#verdict-{kept.id}"><q lang="sv">Vi ska bygga en ny '
        'simhall i Norrvik.</q></a>: <span class="badge status-broken">Brutet</span> → '
        '<span class="badge status-kept">Uppfyllt</span>'
    )
    assert page.count(item) == 1 and page.count('→ <span class="badge') == 1
    english = client.get(f"/trackers/{site.slug}/metod?lang=en").text
    assert "Corrections" in english and "Broken</span> → <span" in english


def test_what_editors_change_of_a_public_pledge_is_listed_on_its_page_and_in_the_api(
    client: TestClient, site: Site
) -> None:
    """QA, a party's press officer: a rated pledge's quote was cut and its party changed,
    and its page, the API and the feeds said nothing."""
    from lofte.review.pledges import edit

    _rate(site)
    assert "Ändringar sedan publiceringen" not in client.get(f"/pledges/{site.pool}?lang=sv").text
    with site.store.session() as s:
        row = s.get(PledgeRow, site.pool)
        assert row is not None
        quote, start = row.quote, row.start
    assert quote == "Vi ska bygga en ny simhall i Norrvik."
    edit(site.store, site.pool, end=start + len("Vi ska bygga en ny simhall"), actor="anna")
    edit(site.store, site.pool, area="Idrott", party="V", actor="anna")
    page = client.get(f"/pledges/{site.pool}?lang=sv").text
    assert '<h2 id="changes-heading">Ändringar sedan publiceringen</h2>' in page
    assert f'Citatet ändrades. Tidigare: <q lang="sv">{quote}</q>' in page
    squeezed = " ".join(page.split())
    assert (
        'Område <span lang="sv">Idrott och fritid</span> → <span lang="sv">Idrott</span>'
        in squeezed
    )
    assert 'Parti <span lang="sv">–</span> → <span lang="sv">V</span>' in squeezed
    assert "anna" not in page  # no editor's name on a public page
    changes = client.get(f"/api/v1/pledges/{site.pool}").json()["changes"]
    assert [(c["field"], c["before"], c["after"]) for c in changes] == [
        ("quote", quote, "Vi ska bygga en ny simhall"),
        ("area", "Idrott och fritid", "Idrott"),
        ("party", None, "V"),
    ]
    english = client.get(f"/pledges/{site.pool}?lang=en").text
    assert "Changes since publication" in english and "The quote was changed" in english


def test_republishing_a_tracker_does_not_hide_edits_of_what_readers_saw(
    client: TestClient, site: Site
) -> None:
    """Review: taking a tracker back to draft and publishing it again started its pledges'
    change lists again, so an edit of a rated pledge's quote made meanwhile went unlisted."""
    from lofte.review.pledges import edit
    from lofte.store.trackers import set_tracker_published

    _rate(site)
    edit(site.store, site.pool, area="Idrott", actor="anna")
    with site.store.session() as s:
        set_tracker_published(s, site.slug, False, actor="anna")
    edit(site.store, site.pool, area="Bad", actor="anna")  # while a draft: still a change
    with site.store.session() as s:
        set_tracker_published(s, site.slug, True, actor="anna")
    edit(site.store, site.pool, area="Simning", actor="anna")
    changes = client.get(f"/api/v1/pledges/{site.pool}").json()["changes"]
    assert [(c["before"], c["after"]) for c in changes] == [
        ("Idrott och fritid", "Idrott"),
        ("Idrott", "Bad"),
        ("Bad", "Simning"),
    ]


def test_a_party_carried_by_the_program_s_correction_is_listed_as_a_change(
    client: TestClient, site: Site
) -> None:
    """QA, an insider: `document edit --party` moved a program's rated pledges to another
    party, and their pages listed no change, while `pledge edit --party` was listed."""
    from lofte.review.documents import edit_document

    _rate(site)
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, site.slug).actors = ["S", "V"]
    edit_document(site.store, site.program, actor="anna", party="S")
    edit_document(site.store, site.program, actor="anna", title="Valprogrammet")  # no party
    changes = client.get(f"/api/v1/pledges/{site.pool}").json()["changes"]
    assert [(c["field"], c["before"], c["after"]) for c in changes] == [("party", None, "S")]
    page = " ".join(client.get(f"/pledges/{site.pool}?lang=sv").text.split())
    assert 'Parti <span lang="sv">–</span> → <span lang="sv">S</span>' in page


def test_a_change_of_deadline_is_listed_as_the_deadline_the_page_shows(
    client: TestClient, site: Site
) -> None:
    """Review: clearing the editor's deadline was listed as "→ –" while the page showed the
    text's deadline, and an edit of the attributes that moved the deadline was not listed."""
    from lofte.review.deadlines import set_deadline
    from lofte.review.pledges import edit

    _rate(site)
    set_deadline(site.store, site.pool, dt.date(2025, 6, 30), actor="anna")
    edit(site.store, site.pool, attributes={"deadline_year": 2026}, actor="anna")  # hidden
    set_deadline(site.store, site.pool, None, actor="anna")  # the text's year shows again
    edit(site.store, site.pool, attributes={"deadline_year": 2027}, actor="anna")
    changes = client.get(f"/api/v1/pledges/{site.pool}").json()["changes"]
    assert [(c["field"], c["before"], c["after"]) for c in changes] == [
        ("deadline", None, "2025-06-30"),
        ("deadline", "2025-06-30", "2026-12-31"),
        ("deadline", "2026-12-31", "2027-12-31"),
    ]
    page = " ".join(client.get(f"/pledges/{site.pool}?lang=sv").text.split())
    assert '<span lang="sv">30 juni 2025</span> → <span lang="sv">31 december 2026</span>' in page
    assert page.count('→ <span lang="sv">–</span>') == 0


def test_a_pledge_page_links_its_status_to_the_methodology(client: TestClient, site: Site) -> None:
    """QA, a party's press officer: nothing led from a verdict to what the statuses mean."""
    page = client.get(f"/pledges/{site.pool}?lang=sv").text
    assert f'<a href="/trackers/{site.slug}/metod">Så bedömer vi</a>' in page
    assert client.get(f"/trackers/{site.slug}/metod").status_code == 200


def test_edits_of_a_candidate_no_reader_saw_are_not_listed_as_changes(
    client: TestClient, site: Site
) -> None:
    """Review: with candidates hidden, edits made before a pledge was confirmed were listed as
    "changes since publication"."""
    from lofte.review.pledges import edit

    with site.store.session() as s:
        tracker_store.get_tracker_row(s, site.slug).show_candidates = False
        before = s.get(PledgeRow, site.trees).area
    edit(site.store, site.trees, area="Före", actor="anna")  # a candidate: not public
    confirm(site.store, site.trees, actor="anna")
    edit(site.store, site.trees, area="Efter", actor="anna")
    changes = client.get(f"/api/v1/pledges/{site.trees}").json()["changes"]
    assert [(c["field"], c["before"], c["after"]) for c in changes] == [("area", "Före", "Efter")]
    assert before != "Före"


def test_a_candidate_made_after_candidates_were_hidden_lists_no_unseen_edits(
    client: TestClient, site: Site
) -> None:
    """Review: a tracker that showed candidates once, before the pledge existed, listed the
    edits of a candidate made while they were hidden."""
    from lofte.review import tracker_admin
    from lofte.review.pledges import edit
    from tests.review.fixtures import pledge_row

    tracker_admin.edit(site.store, site.slug, show_candidates=False, actor="anna")
    with site.store.session() as s:
        quote = s.get_one(PledgeRow, site.vague).quote
    # a candidate the extractor finds now (where the rejected vague one was)
    new_id = pledge_row(site.store, site.program, quote)
    edit(site.store, new_id, area="Hemlig", actor="anna")  # a candidate no reader saw
    confirm(site.store, new_id, actor="anna")
    assert client.get(f"/api/v1/pledges/{new_id}").json()["changes"] == []


def test_a_document_in_another_language_is_marked_in_it(client: TestClient, site: Site) -> None:
    """QA, a screen-reader user: an English article was read with a Swedish voice, its title
    and text marked lang="sv" on its page, in the list and on the editors' page."""
    from sqlalchemy import update

    from .conftest import login

    doc = site.news["pool"]
    with site.store.session() as s:
        s.execute(update(DocumentRow).where(DocumentRow.id == doc).values(language="en"))
    page = client.get(f"/documents/{doc}?lang=sv").text
    assert '<h1 id="doc-heading" lang="en">' in page and '<div class="body" lang="en">' in page
    listed = client.get(f"/trackers/{site.slug}/documents?lang=sv").text
    assert f'<td class="doc-title" lang="en"><a href="/documents/{doc}">' in listed
    program = client.get(f"/documents/{site.program}?lang=sv").text
    assert '<div class="body" lang="sv">' in program  # no language stored: Swedish
    login(client, "anna")
    assert '<div class="body" lang="en">' in client.get(f"/edit/documents/{doc}").text


def test_a_removed_pledge_s_page_says_when_and_a_lost_quote_shows_no_false_context(
    client: TestClient, site: Site
) -> None:
    """QA, a party's press officer: a removed pledge's page gave no date. QA, an insider: a
    program re-ingested with the pledge's words changed showed the new text at the old place
    as the quote's context, and the flag as the raw key "attr_span_lost"."""
    from sqlalchemy import update

    reject(site.store, site.pool, actor="anna")
    removed = client.get(f"/api/v1/pledges/{site.pool}").json()["removed_at"]
    assert removed is not None and removed.startswith(dt.datetime.now(dt.UTC).date().isoformat())
    page = client.get(f"/pledges/{site.pool}?lang=sv").text
    assert f'Redaktionen tog bort det här löftet ur mätaren <time datetime="{removed}">' in page
    assert client.get(f"/api/v1/pledges/{site.trees}").json()["removed_at"] is None
    with site.store.session() as s:
        attributes = {**s.get(PledgeRow, site.trees).attributes, "span_lost": True}
        s.execute(update(PledgeRow).where(PledgeRow.id == site.trees).values(attributes=attributes))
    page = client.get(f"/pledges/{site.trees}?lang=sv").text
    assert "Citatet finns inte längre i dokumentets nuvarande text" in page
    assert (
        '<blockquote class="context"'
        not in page.split('id="context-heading"')[1].split("</section>")[0]
    )
    assert "attr_span_lost" not in page
    detail = client.get(f"/api/v1/pledges/{site.trees}").json()  # the API too (review)
    assert detail["context"] is None and detail["marked"] is False
    document = client.get(f"/documents/{site.program}").text
    assert f'id="pledge-{site.trees}"' not in document
    assert f'href="#pledge-{site.trees}"' not in document
    assert f'href="#pledge-{site.preschool}"' in document  # the others stay marked
    from .conftest import login

    login(client, "anna")
    editor = client.get(f"/edit/pledges/{site.trees}?lang=sv").text
    assert "Citatet saknas i dokumentets nya text" in editor and "attr_span_lost" not in editor


def test_the_methodology_page_lists_the_removed_pledges_with_the_status_they_had(
    client: TestClient, site: Site
) -> None:
    """QA, an insider: rejecting the only broken pledge took it out of the meter, the feeds
    and the open data, and no page listed the removal."""
    page = client.get(f"/trackers/{site.slug}/metod?lang=sv").text
    assert '<h2 id="removed">Borttagna löften</h2>' in page
    assert f'<a href="/pledges/{site.pool}">' not in page
    _rate(site)
    reject(site.store, site.pool, actor="anna")
    page = " ".join(client.get(f"/trackers/{site.slug}/metod?lang=sv").text.split())
    removed = client.get(f"/api/v1/pledges/{site.pool}").json()["removed_at"]
    item = (
        f'<time datetime="{removed}">' in page
        and f'<a href="/pledges/{site.pool}"><q lang="sv">Vi ska bygga en ny simhall i Norrvik.'
        '</q></a> (hade bedömningen <span class="badge status-kept">Uppfyllt</span>)'
        in page
    )
    assert item, page[page.index('id="removed"') :][:800]
    with site.store.session() as s:  # a tracker with none says so
        tracker_store.get_tracker_row(s, site.slug).show_candidates = False
    confirm(site.store, site.pool, actor="anna")
    page = client.get(f"/trackers/{site.slug}/metod?lang=sv").text
    assert "Inget publicerat löfte har tagits bort." in page
