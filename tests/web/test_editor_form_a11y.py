"""The editors' refused forms and the audit log for a screen reader (QA of the editors' forms in
Chromium, Swedish and English): each refused field named by its own error and marked invalid,
the summary the one announcement of a refusal, its links leading to the fields; the message of
words found more than once without character offsets; the tracker's Swedish words marked on
English pages; the audit log's fields and events in the page's words."""

from __future__ import annotations

import re

import lxml.html
import pytest
from fastapi.testclient import TestClient

from lofte.model import VerdictStatus
from lofte.review import pledges as pledge_review
from lofte.review import tracker_admin
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store.audit import record_event
from lofte.store.schema import PledgeRow

from .conftest import PROGRAM, Site, login

FIELDS = ("input", "select", "textarea")


def _version(site: Site, pledge_id: int) -> int:
    with site.store.session() as s:
        return s.get(PledgeRow, pledge_id).version  # type: ignore[union-attr]


def _refused_verdict(client: TestClient, site: Site, lang: str = "sv") -> lxml.html.HtmlElement:
    """A verdict whose rationale, evidence and as-of date break rules at once (status is fine)."""
    token = login(client, "anna")
    data = {
        "csrf_token": token,
        "expected_version": str(_version(site, site.pool)),
        "status": "kept",
        "rationale": " ",
        "as_of": "30",
    }
    decide_evidence(site.store, site.ev_pool, True, actor="anna")  # a box to tick, unticked
    data["expected_version"] = str(_version(site, site.pool))
    refused = client.post(f"/edit/pledges/{site.pool}/verdict?lang={lang}", data=data)
    assert refused.status_code == 422, refused.text
    return lxml.html.fromstring(refused.text)


def _refused_document(client: TestClient, site: Site, path: str, **data: str) -> str:
    token = login(client, "anna")
    url = f"/edit/documents/{site.program}"
    form = client.get(url).text
    expected = form.split('name="expected" value="', 1)[1].split('"', 1)[0]
    refused = client.post(url + path, data=data | {"csrf_token": token, "expected": expected})
    assert refused.status_code == 422, refused.text
    return refused.text


def _described(page: lxml.html.HtmlElement, field_id: str) -> list[str]:
    """The texts of the error elements (class "error") that describe the field."""
    (field,) = page.xpath(f"//*[@id='{field_id}']")
    texts = []
    for ref in (field.get("aria-describedby") or "").split():
        (target,) = page.xpath(f"//*[@id='{ref}']")
        if "error" in (target.get("class") or "").split():
            texts.append(" ".join(target.text_content().split()))
    return texts


def _summary_links(page: lxml.html.HtmlElement) -> dict[str, str]:
    (summary,) = page.xpath("//*[@id='error-summary']")
    return {" ".join(a.text_content().split()): a.get("href") for a in summary.iter("a")}


# --- 1. the summary's links lead to the fields, the summary is focused as the page opens -----


def test_the_verdict_summary_links_lead_to_the_fields_they_name(
    client: TestClient, site: Site
) -> None:
    page = _refused_verdict(client, site)
    links = _summary_links(page)
    assert links == {
        "Bedömningen Uppfyllt kräver en motivering.": "#v-rationale",
        "Bedömningen Uppfyllt kräver minst ett godtaget belägg.": f"#v-ev-{site.ev_pool}",
        "Ogiltigt datum '30': skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.": "#v-as-of",
    }
    for href in links.values():  # each a field of the form, which a link's target focuses
        (target,) = page.xpath(f"//*[@id='{href[1:]}']")
        assert target.tag in FIELDS, href
    (summary,) = page.xpath("//*[@id='error-summary']")
    assert summary.get("tabindex") == "-1" and summary.get("autofocus") is not None


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("/pledges", {"quote": "Vi ska bygga en ny ishall.", "area": "Idrott"}, "a-quote"),
        ("", {"title": "Valprogram 2022", "kind": "program", "date": "2022-13-45"}, "d-date"),
        ("", {"title": " ", "kind": "program", "date": "2022"}, "d-title"),
    ],
    ids=["words not in the program", "a date that is none", "a blank title"],
)
def test_the_document_summary_links_lead_to_the_field(
    client: TestClient, site: Site, path: str, data: dict[str, str], field: str
) -> None:
    page = lxml.html.fromstring(_refused_document(client, site, path, **data))
    assert list(_summary_links(page).values()) == [f"#{field}"]
    (summary,) = page.xpath("//*[@id='error-summary']")
    assert summary.get("tabindex") == "-1" and summary.get("autofocus") is not None


def test_an_error_about_no_field_is_a_focusable_target_of_its_link(
    client: TestClient, site: Site
) -> None:
    """A verdict on an unconfirmed pledge names no field: the link leads to the message."""
    token = login(client, "anna")
    data = {
        "csrf_token": token,
        "expected_version": str(_version(site, site.trees)),
        "status": "in_the_works",
        "rationale": "Pågår.",
    }
    page = lxml.html.fromstring(client.post(f"/edit/pledges/{site.trees}/verdict", data=data).text)
    assert list(_summary_links(page).values()) == ["#err-verdict"]
    (error,) = page.xpath("//*[@id='err-verdict']")
    assert error.get("tabindex") == "-1"


# --- 2. each refused field is described by its own error, and marked invalid ---------------


def test_each_refused_verdict_field_is_described_by_its_own_error(
    client: TestClient, site: Site
) -> None:
    page = _refused_verdict(client, site)
    assert _described(page, "v-rationale") == ["Bedömningen Uppfyllt kräver en motivering."]
    assert _described(page, f"v-ev-{site.ev_pool}") == [
        "Bedömningen Uppfyllt kräver minst ett godtaget belägg."
    ]
    assert _described(page, "v-as-of") == [
        "Ogiltigt datum '30': skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD."
    ]
    for field in ("v-rationale", f"v-ev-{site.ev_pool}", "v-as-of"):
        assert page.xpath(f"//*[@id='{field}']/@aria-invalid") == ["true"], field
    # the status is fine: no error names it, it is not invalid; its help stays the help's
    (status,) = page.xpath("//*[@id='v-status']")
    assert "err-" not in (status.get("aria-describedby") or "")
    assert status.get("aria-invalid") is None
    (rationale,) = page.xpath("//*[@id='v-rationale']")
    assert rationale.get("aria-describedby").split()[0] == "v-help"


def test_a_refused_span_names_the_span_fields_only(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    edit = {
        "csrf_token": token,
        "expected_version": str(_version(site, site.pool)),
        "start": "999999",
        "end": "3",
    }
    refused = client.post(f"/edit/pledges/{site.pool}/edit", data=edit)
    assert refused.status_code == 422
    page = lxml.html.fromstring(refused.text)
    said = _described(page, "e-start")
    assert said and said == _described(page, "e-end")
    for field in ("e-area", "e-topic", "e-party"):
        (element,) = page.xpath(f"//*[@id='{field}']")
        assert "err-" not in (element.get("aria-describedby") or ""), field
        assert element.get("aria-invalid") is None, field
    assert list(_summary_links(page).values()) == ["#e-start"]


def test_a_refused_document_field_is_described_by_its_error_and_the_others_are_not(
    client: TestClient, site: Site
) -> None:
    data = {"title": "Valprogram 2022", "kind": "program", "date": "2022-13-45"}
    page = lxml.html.fromstring(_refused_document(client, site, "", **data))
    assert _described(page, "d-date") == [
        "Ogiltigt datum '2022-13-45': det finns ingen sådan månad eller dag."
    ]
    assert page.xpath("//*[@id='d-date']/@aria-invalid") == ["true"]
    assert page.xpath("//*[@id='d-date']/@aria-describedby")[0].split()[0] == "d-date-help"
    for field in ("d-title", "d-kind", "a-quote", "a-area"):
        (element,) = page.xpath(f"//*[@id='{field}']")
        assert "err-" not in (element.get("aria-describedby") or ""), field
        assert element.get("aria-invalid") is None, field


# --- 3. one announcement of a refusal --------------------------------------------------------


def test_a_refused_form_is_announced_once(client: TestClient, site: Site) -> None:
    pages = {
        "verdict": lxml.html.fromstring(
            lxml.html.tostring(_refused_verdict(client, site), encoding="unicode")
        ),
        "add": lxml.html.fromstring(
            _refused_document(client, site, "/pledges", quote="Vi ska bygga en ny ishall.")
        ),
        "document": lxml.html.fromstring(
            _refused_document(client, site, "", title="Valprogram 2022", date="2022-13-45")
        ),
    }
    for name, page in pages.items():
        alerts = page.xpath("//*[@role='alert']")
        assert [a.get("id") for a in alerts] == ["error-summary"], name
        # the messages beside the fields are there, silent
        assert page.xpath("//main//p[@class='error']"), name


# --- 4. words found more than once: places, no offsets ----------------------------------------


@pytest.mark.parametrize(
    ("lang", "wording", "absent"),
    [
        (
            "sv",
            "De här orden står på mer än ett ställe i programmet. Välj nedan vilket ställe du "
            "menar, eller ta med mer av meningen.",
            ("början", "slut", " vid "),
        ),
        (
            "en",
            "These words stand in more than one place in the program. Choose below which place "
            "you mean, or include more of the sentence.",
            ("start", "end", " at "),
        ),
    ],
)
def test_words_found_more_than_once_are_said_without_offsets(
    client: TestClient, site: Site, lang: str, wording: str, absent: tuple[str, ...]
) -> None:
    with site.store.session() as s:
        for row in s.query(PledgeRow).filter(PledgeRow.document_id == site.program):
            row.state = "rejected"  # every place of the words free
    token = login(client, "anna")
    refused = client.post(
        f"/edit/documents/{site.program}/pledges?lang={lang}",
        data={"quote": "ska", "csrf_token": token},
    )
    assert refused.status_code == 422
    page = lxml.html.fromstring(refused.text)
    said = [" ".join(e.text_content().split()) for e in page.xpath("//main//*[@class='error']")]
    (summary,) = [s for s in said if s.startswith(("Det du", "What you"))]
    (inline,) = [s for s in said if not s.startswith(("Det du", "What you"))]
    assert inline == wording and wording in summary
    for text in (summary, inline):
        assert not re.search(r"\d", text), text  # no character offsets
        for word in absent:
            assert word not in text, word
    # the places are offered below it, the first one the summary's link's target
    offered = page.xpath("//input[@type='radio'][@name='start']")
    assert len(offered) == PROGRAM.count("ska ")
    assert list(_summary_links(page).values()) == ["#a-place-1"]
    assert _described(page, "a-place-1") == [wording]


# --- 5. the tracker's Swedish words marked on English pages -----------------------------------


def _in_swedish(element: lxml.html.HtmlElement) -> bool:
    return any(a.get("lang") == "sv" for a in element.iterancestors()) or element.get("lang") == (
        "sv"
    )


def test_the_area_in_the_english_flash_after_adding_a_pledge_is_marked_swedish(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    added = client.post(
        f"/edit/documents/{site.program}/pledges?lang=en",
        data={"quote": "Vi vill att det\nska bli bättre.", "csrf_token": token},
    )
    assert added.status_code == 303, added.text
    page = lxml.html.fromstring(client.get(added.headers["location"] + "?lang=en").text)
    (flash,) = page.xpath("//div[@class='flash']")
    assert flash.text_content().startswith("Pledge ") and "in the area" in flash.text_content()
    marked = flash.xpath(".//*[@lang='sv']")
    assert [m.text_content() for m in marked] == ["Miljö <script>alert('x')</script>"]


def test_the_english_audit_log_marks_the_records_swedish_words(
    client: TestClient, site: Site
) -> None:
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    set_verdict(
        site.store,
        site.pool,
        VerdictStatus.KEPT,
        "Simhallen invigdes i mars.",
        [site.ev_pool],
        actor="anna",
    )
    login(client, "admin1")
    page = lxml.html.fromstring(client.get("/edit/audit?lang=en").text)
    for words in ("Simhallen invigdes i mars.", "Idrott och fritid"):
        nodes = page.xpath(f"//td//text()[contains(., '{words}')]")
        assert nodes, words
        for node in nodes:
            assert _in_swedish(node.getparent()), words


# --- 6. the audit log's fields and events in the page's words ---------------------------------

# codes a page showed as field names (QA): on an English page a code that is an English word
# ("username", "backup") reads as one
RAW = ("published_at", "show_candidates", "author_id", "quote_sha256", "slug")
RAW_SV = (*RAW, "username", "pledges", "verdict", "backup", "published")


def _labels(page: lxml.html.HtmlElement) -> list[str]:
    """The field names the details column shows: each line's and each record's fields'."""
    return [
        label.strip()
        for line in page.xpath("//ul[@class='details']/li")
        for label in re.findall(r"(?:^|[;(])\s*([^:;(),]+):", " ".join(line.text_content().split()))
    ]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "sv",
            ["visa kandidater", "kortnamn", "publicerad den", "användarnamn", "databas återställd"],
        ),
        ("en", ["show candidates", "short name", "published on", "username", "database restored"]),
    ],
)
def test_the_audit_log_names_fields_and_events_in_the_pages_words(
    client: TestClient, site: Site, lang: str, words: list[str]
) -> None:
    set_verdict(site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Pågår.", actor="anna")
    pledge_review.confirm(site.store, site.trees, actor="anna")
    tracker_admin.edit(site.store, site.slug, actor="admin1", show_candidates=False)
    from lofte.review.trackers import publish_tracker, unpublish_tracker

    unpublish_tracker(site.store, site.slug, actor="anna")
    publish_tracker(site.store, site.slug, actor="anna")
    with site.store.session() as s:
        record_event(s, "database.restore", "database", None, "admin1", backup="x.dump")
    login(client, "admin1")
    html = client.get(f"/edit/audit?lang={lang}").text
    page = lxml.html.fromstring(html)
    shown = " ".join(page.xpath("//main")[0].text_content().split())
    for word in words:
        assert word in shown, word
    labels = _labels(page)
    assert "löften" in labels if lang == "sv" else "pledges" in labels
    for raw in RAW_SV if lang == "sv" else RAW:
        assert raw not in labels, (raw, labels)
    assert "database.restore" not in shown and "verdict.set" not in shown
    # the fields' codes stay at hand for the technical reader, as the labels' titles
    for code in RAW:
        assert f'title="{code}"' in html, code
