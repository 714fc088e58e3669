"""Coalitions (party filter, breakdown, page), the tracker settings page and no server paths
on any public page or JSON of a site built from files (issue 12, items 4 and 5)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from fastapi.testclient import TestClient

from lofte.extraction import extract
from lofte.ingest import IngestOptions, ingest
from lofte.review import pledges as pledge_review
from lofte.review import tracker_admin
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.watch import sources
from tests.web.conftest import Site, login, make_client

PROGRAM_S = (
    "Vårt program\n\nVi lovar detta:\n\n"
    "• Vi ska bygga en ny simhall i Norrvik.\n"
    "• Vi ska anställa fler förskollärare i kommunen.\n"
)
PROGRAM_V = "Vänsterns program\n\nVi lovar detta:\n\n• Vi ska sänka hyrorna i allmännyttan.\n"


def _set_parties(site: Site) -> None:
    pledge_review.edit(site.store, site.pool, party="s", actor="anna")  # spelled as the tracker
    pledge_review.edit(site.store, site.trees, party="V", actor="anna")


def test_pledge_party_is_set_by_an_editor_and_checked(site: Site) -> None:
    _set_parties(site)
    with site.store.session() as s:
        assert pledge_store.get_pledge(s, site.pool).party == "S"
    try:
        pledge_review.edit(site.store, site.pool, party="KD", actor="anna")
    except Exception as exc:  # noqa: BLE001
        assert "not one of the tracker's actors" in str(exc)
    else:
        raise AssertionError("an unknown party was accepted")


def test_meter_breaks_down_by_party_and_lists_filter(site: Site, client: TestClient) -> None:
    _set_parties(site)
    data = client.get(f"/api/trackers/{site.slug}").json()
    rows = {r["party"]: r["total"] for r in data["by_party"]}
    assert rows == {"S": 1, "V": 1, None: 2}  # the two split children carry no party
    html = client.get(f"/trackers/{site.slug}").text
    assert f'href="/trackers/{site.slug}/parties/S"' in html
    listed = client.get(f"/api/trackers/{site.slug}/pledges?party=V").json()
    assert [p["id"] for p in listed["pledges"]] == [site.trees]
    assert listed["filters"]["party"] == "V" and listed["parties"] == ["S", "V"]
    page = client.get(f"/trackers/{site.slug}/pledges?party=S").text
    assert '<option value="S" lang="sv" selected>' in page
    assert client.get(f"/api/trackers/{site.slug}/pledges?party=MP").json()["total"] == 0
    api = client.get(f"/api/v1/pledges?tracker={site.slug}&party=s").json()
    assert [p["id"] for p in api["items"]] == [site.pool]
    found = client.get("/api/search?q=simhall&party=V").json()
    assert found["pledges"]["total"] == 0
    assert client.get("/api/search?q=simhall&party=S").json()["pledges"]["total"] == 1


def test_a_search_for_a_party_no_tracker_follows_says_so(site: Site, client: TestClient) -> None:
    """QA: "party=Nope" was added to the party choices as if it were one, and the page said
    only "no hits". A party some tracker follows is matched whatever its case."""
    _set_parties(site)
    found = client.get("/api/search?q=simhall&party=Nope").json()
    assert found["party_known"] is False and "Nope" not in found["parties"]
    assert found["pledges"]["total"] == 0
    page = client.get("/search?q=simhall&party=Nope").text
    assert 'Ingen bevakning här följer partiet ”<span lang="sv">Nope</span>”.' in page
    assert '<option value="Nope"' not in page
    assert 'href="/search?q=simhall&amp;party=S">S</a>' in page
    english = client.get("/search?q=simhall&party=Nope&lang=en").text
    assert "No tracker here follows the party" in english
    blank = client.get("/api/search?q=simhall&party=%E2%80%8E").json()  # a mark alone
    everything = client.get("/api/search?q=simhall").json()
    assert blank["party"] is None and blank["pledges"] == everything["pledges"]
    known = client.get("/api/search?q=simhall&party=s").json()
    assert known["party_known"] is True and known["party"] == "S"
    assert known["pledges"]["total"] == 1


def test_party_page_and_its_twin(site: Site, client: TestClient) -> None:
    _set_parties(site)
    data = client.get(f"/api/trackers/{site.slug}/parties/S").json()
    assert data["party"] == "S" and data["meter"]["total"] == 1
    assert [p["id"] for p in data["pledges"]] == [site.pool]
    html = client.get(f"/trackers/{site.slug}/parties/S")
    assert html.status_code == 200 and "Löften från S" in html.text
    assert client.get(f"/trackers/{site.slug}/parties/KD").status_code == 404


def test_settings_page_is_for_admins_and_edits_archives_deletes(site: Site) -> None:
    editor = make_client(site.store)
    login(editor, "anna")
    refused = editor.get(f"/edit/trackers/{site.slug}/settings")
    assert refused.status_code == 403 and "bara en administratör får det" in refused.text
    admin = make_client(site.store)
    token = login(admin, "admin1")
    page = admin.get(f"/edit/trackers/{site.slug}/settings")
    assert page.status_code == 200 and 'name="confirm"' in page.text
    form = {
        "csrf_token": token,
        "name": "Sjövik 2022–2026",
        "jurisdiction": "Sjöviks kommun",
        "actors": "S\nV\nMP",
        "term_start": "2022-10-15",
        "term_end": "2021-01-01",
    }
    bad = admin.post(f"/edit/trackers/{site.slug}/settings", data=form)
    assert bad.status_code == 422 and "Sjöviks kommun" in bad.text  # the input stays
    form["term_end"] = "2026-10-14"
    assert admin.post(f"/edit/trackers/{site.slug}/settings", data=form).status_code == 303
    with site.store.session() as s:
        tracker = tracker_store.get_tracker(s, site.slug)
    assert tracker.actors == ("S", "V", "MP") and tracker.jurisdiction == "Sjöviks kommun"
    assert "archived-state" not in admin.get("/edit").text
    source_id = sources.add(
        site.store, site.slug, "nyheter", "https://stad.example/rss", actor="admin1"
    ).id
    archived = admin.post(f"/edit/trackers/{site.slug}/archive", data={"csrf_token": token})
    assert archived.status_code == 303
    told = admin.get(archived.headers["location"]).text
    assert "Dess bevakade källor är pausade: nyheter." in told
    # the editors' start page says which tracker is archived (QA: only its settings did)
    assert '<strong class="archived-state">arkiverad</strong>' in admin.get("/edit").text
    resume = admin.post(
        f"/edit/trackers/{site.slug}/sources/{source_id}/pause",
        data={"csrf_token": token, "paused": "0"},
    )
    assert resume.status_code == 422
    assert "Mätaren sjovik är arkiverad och följs inte längre upp" in resume.text
    back = admin.post(
        f"/edit/trackers/{site.slug}/archive", data={"csrf_token": token, "archived": "0"}
    )
    told = admin.get(back.headers["location"]).text
    assert "som arkiveringen pausade är fortfarande pausade: nyheter." in told
    sources.set_paused(site.store, site.slug, "nyheter", False, actor="admin1")
    admin.cookies.set("lang", "en")  # the sources' Swedish names are marked as such
    archived = admin.post(f"/edit/trackers/{site.slug}/archive", data={"csrf_token": token})
    assert archived.status_code == 303
    told = admin.get(archived.headers["location"]).text
    assert 'Its watched sources are paused: <span lang="sv">nyheter</span>.' in told
    public = make_client(site.store)
    assert site.slug not in {t["slug"] for t in public.get("/api/trackers").json()}
    meter = public.get(f"/trackers/{site.slug}")
    assert meter.status_code == 200 and "Arkiverad" in meter.text
    wrong = admin.post(
        f"/edit/trackers/{site.slug}/delete", data={"csrf_token": token, "confirm": "x"}
    )
    assert wrong.status_code == 422
    gone = admin.post(
        f"/edit/trackers/{site.slug}/delete", data={"csrf_token": token, "confirm": site.slug}
    )
    assert gone.status_code == 303
    assert public.get(f"/trackers/{site.slug}").status_code == 404


def _file_site(store: Store, tmp_path: Path) -> Path:
    folder = tmp_path / "hemlig-serverkatalog"
    folder.mkdir()
    (folder / "s-program.txt").write_text(PROGRAM_S, encoding="utf-8")
    (folder / "v-program.txt").write_text(PROGRAM_V, encoding="utf-8")
    with store.session() as s:
        tracker_store.add_tracker(s, "koalition", "Koalitionen", actors=["S", "V"])
    for name, party in (("s-program.txt", "S"), ("v-program.txt", "V")):
        report = ingest(
            store,
            [str(folder / name)],
            IngestOptions(tracker="koalition", kind=None, party=party, source="Partiernas webb"),
        )
        assert not report.failed, report.failed
    extract(store, "koalition")
    with store.session() as s:  # public, with its candidates shown, so the crawl sees pages
        row = tracker_store.get_tracker_row(s, "koalition")
        row.published_at = row.created_at
        row.show_candidates = True
    return folder


def test_extraction_copies_the_program_party_to_its_pledges(store: Store, tmp_path: Path) -> None:
    _file_site(store, tmp_path)
    with store.session() as s:
        tracker = tracker_store.get_tracker(s, "koalition")
        pledges = pledge_store.list_pledges(s, tracker.id)
    by_party = {p.party for p in pledges}
    assert by_party == {"S", "V"}
    assert any("hyrorna" in p.quote and p.party == "V" for p in pledges)


def test_no_public_page_or_json_shows_a_server_path(store: Store, tmp_path: Path) -> None:
    folder = _file_site(store, tmp_path)
    client = make_client(store)
    secret = str(tmp_path)
    seen: set[str] = set()
    todo = ["/", "/api/trackers", "/search?q=simhall", "/api/search?q=simhall"]
    checked = 0
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if url.startswith("/api/") and response.status_code == 404:
            continue  # a guessed JSON twin that does not exist
        assert response.status_code == 200, url
        assert secret not in response.text and "hemlig-serverkatalog" not in response.text, url
        checked += 1
        for link in re.findall(r'href="(/[^"#]*)"', response.text):
            link = link.replace("&amp;", "&")
            wanted = link.startswith(("/trackers", "/pledges", "/documents", "/search"))
            if wanted and not link.endswith((".svg", ".xml")) and len(seen) < 200:
                todo.append(link)
                todo.append("/api" + link if not link.startswith("/search") else link)
        for pid in re.findall(r'"id": ?(\d+)', response.text)[:5]:
            todo.append(f"/api/v1/pledges/{pid}")
    for url in ("/api/v1/documents", "/api/v1/pledges", "/trackers/koalition/feed.xml"):
        text = client.get(url).text
        assert secret not in text, url
    assert checked > 10
    doc = client.get("/api/v1/documents").json()["items"][0]
    assert doc["origin"] is None  # a local file's origin is a path on the server
    page = client.get(f"/documents/{doc['id']}").text
    assert "Partiernas webb" in page  # the source's name stands instead
    assert folder.exists()


def test_a_party_whose_name_holds_a_slash_has_working_links(site: Site, client: TestClient) -> None:
    """A joint list written "S/MP": every link to its page and its feed leads there (a "/"
    in the name is sent as %2F, which arrives decoded)."""
    import html as html_lib

    with site.store.session() as s:
        tracker_store.get_tracker_row(s, site.slug).actors = ["S/MP", "V"]
    pledge_review.edit(site.store, site.pool, party="S/MP", actor="anna")
    links = set()
    for page in (f"/trackers/{site.slug}", f"/pledges/{site.pool}"):
        found = re.findall(r'href="(/trackers/[^"]*/parties/[^"]*)"', client.get(page).text)
        links |= {html_lib.unescape(link) for link in found}
    for link in links:
        assert client.get(link).status_code == 200, link
    assert f"/trackers/{site.slug}/parties/S%2FMP" in links, links
    party = client.get(f"/trackers/{site.slug}/parties/S%2FMP")
    assert "Löften från S/MP" in party.text
    feeds = re.findall(r'href="([^"]*/feed\.xml)"', party.text)
    assert feeds and all(client.get(f).status_code == 200 for f in feeds), feeds
    twin = client.get(f"/api/trackers/{site.slug}/parties/S%2FMP").json()
    assert twin["party"] == "S/MP" and [p["id"] for p in twin["pledges"]] == [site.pool]
    assert client.get(f"/trackers/{site.slug}/parties/V/feed.xml").status_code == 200
    assert client.get(f"/trackers/{site.slug}/parties/KD").status_code == 404


def test_the_language_switch_keeps_an_encoded_party_name_encoded(
    site: Site, client: TestClient
) -> None:
    # QA: "In English" on a party page linked to ".../parties/Gröna Sjövik?lang=en" raw
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, site.slug).actors = ["S", "Gröna Sjövik/Norr"]
    pledge_review.edit(site.store, site.pool, party="Gröna Sjövik/Norr", actor="anna")
    page = client.get(f"/trackers/{site.slug}/parties/Gr%C3%B6na%20Sj%C3%B6vik%2FNorr")
    assert page.status_code == 200
    assert f'href="/trackers/{site.slug}/parties/Gr%C3%B6na%20Sj%C3%B6vik%2FNorr?lang=en"' in (
        page.text
    )


def test_a_program_ingested_again_with_another_party_carries_it_to_its_pledges(
    store: Store, tmp_path: Path
) -> None:
    """QA: `ingest prog.txt --party S` after `--party V` made the document S, `extract` said
    unchanged and the pledges stayed V (and the meter by party with them). Pledges with the
    party the program gave them take the new one; one an editor gave another party keeps it."""
    folder = _file_site(store, tmp_path)
    with store.session() as s:
        tracker = tracker_store.get_tracker_row(s, "koalition")
        tracker.actors = ["S", "V", "MP"]
        tracker_id = tracker.id
        (pledge,) = [p for p in pledge_store.list_pledges(s, tracker_id) if p.party == "V"]

    def again(party: str) -> None:
        options = IngestOptions(
            tracker="koalition", kind=None, party=party, source="Partiernas webb"
        )
        report = ingest(store, [str(folder / "v-program.txt")], options)
        assert not report.failed and report.inputs[0].updated == 1

    def now() -> tuple[str | None, int]:
        with store.session() as s:
            p = pledge_store.get_pledge(s, pledge.id)
        return p.party, p.version

    again("S")
    assert now() == ("S", pledge.version + 1)  # carried, its version raised
    edited = pledge_review.edit(store, pledge.id, party="MP", actor="anna")
    again("V")
    assert now() == ("MP", edited.version)  # the editor's party stays
    with store.session() as s:
        assert {p.party for p in pledge_store.list_pledges(s, tracker_id)} == {"S", "MP"}


def _second_term(site: Site) -> None:
    """A published tracker of the next term whose program repeats the pool pledge's words."""
    from lofte.review.trackers import publish_tracker
    from lofte.store.schema import PledgeRow
    from tests.review.fixtures import program_document

    quote = "Bygga en ny simhall i Sjövik."
    doc_id = program_document(site.store, quote, "sjovik-2026", key="p2")
    with site.store.session() as s:
        tracker = tracker_store.get_tracker_row(s, "sjovik-2026")
        tracker.name = "Sjövik 2026–2030"
        s.add(
            PledgeRow(
                tracker_id=tracker.id,
                document_id=doc_id,
                start=0,
                end=len(quote),
                quote=quote,
                attributes={},
                confidence=1.0,
                state="confirmed",
                stage="extract",
                stage_version="1",
            )
        )
    publish_tracker(site.store, "sjovik-2026", actor="tester")


def test_search_hits_name_their_tracker_and_an_archived_one_can_be_chosen(
    site: Site, client: TestClient
) -> None:
    """QA at the term's end: two trackers' hits of one quote could not be told apart, and the
    archived tracker, searched all the same, was not in the form's choices."""
    _second_term(site)
    found = client.get("/api/search?q=simhall").json()
    assert sorted(h["tracker_name"] for h in found["pledges"]["hits"]) == [
        "Sjövik 2022–2026",
        "Sjövik 2026–2030",
    ]
    page = client.get("/search?q=simhall").text
    assert '<span lang="sv" class="hit-tracker">Sjövik 2026–2030</span>' in page
    one = client.get("/api/search?q=simhall&tracker=sjovik-2026").json()
    assert [h.get("tracker_name") for h in one["pledges"]["hits"]] == [None]  # chosen: not said
    tracker_admin.archive(site.store, site.slug, actor="tester")
    page = client.get(f"/search?q=simhall&tracker={site.slug}").text
    assert f'<option value="{site.slug}" lang="sv" selected>Sjövik 2022–2026 (arkiverad)' in page
    # its parties are offered when it is chosen (review: "followed by no tracker here")
    with site.store.session() as s:
        old = tracker_store.get_tracker_row(s, site.slug)
        old.actors = ["Gamla partiet"]
        old.name = "Sjövik"  # two terms of one name: each hit says its term's years (review)
        tracker_store.get_tracker_row(s, "sjovik-2026").name = "Sjövik"
        new = tracker_store.get_tracker_row(s, "sjovik-2026")
        new.term_start, new.term_end = dt.date(2026, 10, 15), dt.date(2030, 10, 14)
    chosen = client.get(f"/api/search?q=simhall&tracker={site.slug}&party=Gamla partiet").json()
    assert chosen["party_known"] is True and chosen["parties"] == ["Gamla partiet"]
    found = client.get("/api/search?q=simhall").json()
    assert sorted(h["tracker_name"] for h in found["pledges"]["hits"]) == [
        "Sjövik (2022–2026)",
        "Sjövik (2026–2030)",
    ]


def test_every_public_page_of_an_archived_tracker_says_it_is_archived(
    site: Site, client: TestClient
) -> None:
    """QA at the term's end: only the meter said so; a reader coming to a pledge page from a
    search engine could not tell the tracker was no longer followed up."""
    pages = [
        f"/trackers/{site.slug}",
        f"/trackers/{site.slug}/pledges",
        f"/trackers/{site.slug}/documents",
        f"/trackers/{site.slug}/metod",
        f"/pledges/{site.pool}",
        f"/documents/{site.program}",
    ]
    note = "Arkiverad: den här mätaren följs inte längre upp."
    assert all(note not in client.get(p).text for p in pages)
    tracker_admin.archive(site.store, site.slug, actor="tester")
    for page in pages:
        assert client.get(page).text.count(note) == 1, page


def test_the_home_page_lists_archived_trackers_apart(site: Site, client: TestClient) -> None:
    """QA at the term's end: an archived tracker was linked from no page (the home page, the
    static site's index), so a finished term could not be found but by its address."""
    assert "Arkiverade mätare" not in client.get("/").text
    tracker_admin.archive(site.store, site.slug, actor="tester")
    home = client.get("/").text
    archived = home[home.index('<h2 id="archived-heading">') :]
    assert f'<a href="/trackers/{site.slug}" lang="sv">Sjövik 2022–2026</a>' in archived
    assert site.slug not in {t["slug"] for t in client.get("/api/trackers").json()}
    assert "Archived trackers" in client.get("/?lang=en").text
    # its only tracker archived: not "none published yet" (QA)
    assert "Ingen mätare följs upp just nu." in home and "publicerade ännu" not in home
