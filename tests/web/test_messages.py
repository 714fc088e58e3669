"""Code values and error messages in the page's language (issue 12, item 7)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient

from lofte.web.messages import message

from .conftest import Site, login


def test_bad_status_is_a_translated_400(client: TestClient, site: Site) -> None:
    response = client.get("/trackers/sjovik/pledges", params={"status": "bogus"})
    assert response.status_code == 400
    assert "Okänt värde för statusen: &#39;bogus&#39;" in response.text
    # the form's order
    assert "Välj ett av: Uppfyllt, Delvis uppfyllt, Brutet, På gång" in response.text
    assert "not_rated" not in response.text
    english = client.get("/trackers/sjovik/pledges", params={"status": "bogus", "lang": "en"})
    assert english.status_code == 400
    assert "Unknown value for the status: &#39;bogus&#39;" in english.text
    assert "Choose one of: Kept, Partially kept, Broken, In the works" in english.text
    assert client.get("/api/trackers/sjovik/pledges", params={"status": "x"}).status_code == 400
    assert client.get("/trackers/sjovik/pledges", params={"status": "kept"}).status_code == 200


def test_unreadable_page_numbers_get_the_sites_error_page_in_the_readers_language(
    client: TestClient, site: Site
) -> None:
    """FastAPI's own 422 JSON is for the API; a page answers with error.html."""
    login(client, "anna")
    for url, sv, en in (
        (
            "/search?q=frukost&page=abc",
            "Sidnumret måste vara ett heltal.",
            "The page number must be a whole number.",
        ),
        (
            "/search?q=frukost&page=-1",
            "Sidnumret måste vara minst 1.",
            "The page number must be at least 1.",
        ),
        (
            "/edit/trackers/sjovik/pledges?page=abc",
            "Sidnumret måste vara ett heltal.",
            "The page number must be a whole number.",
        ),
    ):
        swedish = client.get(url)
        assert swedish.status_code == 400, url
        assert swedish.headers["content-type"].startswith("text/html")
        assert "<h1>Felaktig uppgift.</h1>" in swedish.text and sv in swedish.text
        english = client.get(url + "&lang=en")
        assert english.status_code == 400 and "<h1>Invalid value.</h1>" in english.text
        assert en in english.text
        client.cookies.delete("lang")
    # its JSON twin as the page, in the API's shape (tests/web/test_twin_errors.py)
    api = client.get("/api/search?q=frukost&page=abc")
    assert api.status_code == 400 and api.json() == {"error": "page must be a whole number"}
    # an address that cannot exist is a 404 on the JSON twins too, as on the pages (QA: a 422
    # naming FastAPI's int_parsing)
    for url in ("/api/pledges/abc", "/api/documents/abc"):
        missing = client.get(url)
        assert missing.status_code == 404 and set(missing.json()) == {"error"}, url
    assert client.get("/pledges/abc").status_code == 404


def test_not_found_pages_speak_one_language(client: TestClient, site: Site) -> None:
    """The heading and the line under it in the page's language; no internal English."""
    pledge = client.get("/pledges/99999")
    assert pledge.status_code == 404
    assert "<h1>Sidan finns inte.</h1>" in pledge.text
    assert "Det finns inget löfte med nummer 99999." in pledge.text
    assert "no pledge" not in pledge.text
    nowhere = client.get("/nope")
    assert nowhere.status_code == 404 and "Not Found" not in nowhere.text
    assert "Det finns inget på den här adressen." in nowhere.text
    tracker = client.get("/trackers/saknas")
    assert "Det finns ingen mätare som heter &#39;saknas&#39;." in tracker.text
    english = client.get("/pledges/99999", params={"lang": "en"})
    assert "<h1>Page not found.</h1>" in english.text
    assert "There is no pledge number 99999." in english.text
    assert "Sidan" not in english.text
    assert "There is nothing at this address." in client.get("/nope", params={"lang": "en"}).text
    # the API keeps the library's message
    assert client.get("/api/pledges/99999").json() == {"error": "no pledge with id 99999"}


def test_library_messages_in_swedish() -> None:
    text = "a verdict 'partially_kept' needs at least one accepted piece of evidence"
    assert message(text, "sv") == "Bedömningen Delvis uppfyllt kräver minst ett godtaget belägg."
    assert message(text, "en") == (
        "The verdict Partially kept needs at least one accepted piece of evidence."
    )
    conflict = "evidence 4 was already accepted, perhaps by someone else; reload"
    assert "(godtaget)" in message(conflict, "sv") and "partially_kept" not in message(
        conflict, "sv"
    )
    assert message("something new", "sv") == "something new"
    named = {  # refusals that name what the editor needs to see (QA: they named too little)
        "document 5 is in tracker annan, pledge 7 in sjovik": "Dokument 5 finns i mätaren annan, löfte 7 i sjovik.",
        "evidence 3 belongs to pledge 8, not 9": "Belägg 3 hör till löfte 8, inte 9.",
        # the words, not their offsets in the text (QA: "Texten 19–25 överlappar")
        "the span 19–25 overlaps pledge 1, which quotes these words already: edit or reject it "
        "first, or choose other words": "Orden du valde överlappar löfte 1, som redan citerar dem: "
        "redigera eller avvisa det först, eller välj andra ord.",
        "the term ends (2021-01-01) before it starts (2022-10-15)": (
            "Mandatperioden slutar (2021-01-01) innan den börjar (2022-10-15)."
        ),
    }
    for english, swedish in named.items():
        assert message(english, "sv") == swedish
    stale = "pledge 7 was changed by someone else (version 3, you saw 2); reload it and apply your change again"
    for lang in ("sv", "en"):  # the input is kept on the page: no advice to reload
        assert "reload" not in message(stale, lang) and "ladda om" not in message(stale, lang)


def test_methodology_page_default_and_own_text(client: TestClient, site: Site) -> None:
    html = client.get("/trackers/sjovik/metod").text
    assert '<h1>Metod: <span lang="sv">Sjövik 2022–2026</span></h1>' in html
    assert "Delvis uppfyllt" in html and "kräver minst ett belägg" in html
    # in the meter's order, the last joined by "och" (QA: "Delvis uppfyllt, Uppfyllt, Brutet")
    assert "Statusarna Uppfyllt, Delvis uppfyllt och Brutet kräver" in html
    assert "Senast uppdaterad" in html
    # in words, as every other date on the public pages (QA: "2026-12-04" beside "4 december")
    assert re.search(
        r'Senast uppdaterad: <time datetime="\d{4}-\d\d-\d\d">\d{1,2} [a-z]+ \d{4}</time>', html
    )
    english = client.get("/trackers/sjovik/metod", params={"lang": "en"}).text
    assert "need at least one piece of evidence" in english and "Last updated" in english
    assert "The statuses Kept, Partially kept and Broken need" in english
    from lofte.store import trackers as tracker_store

    with site.store.session() as s:
        tracker_store.get_tracker_row(
            s, "sjovik"
        ).methodology = "Vår metod.\n\n<b>Andra</b> stycket."
    own = client.get("/trackers/sjovik/metod?lang=sv").text
    assert "<p>Vår metod.</p>" in own and "&lt;b&gt;Andra&lt;/b&gt; stycket." in own
    # beside the scale and the term, not instead of them (QA, a party's press officer)
    assert "<h2>Redaktionens egen beskrivning</h2>" in own
    assert "kräver minst ett belägg" in own and "Delvis uppfyllt" in own
    assert "<p>Mandatperiod: " in own and "<p>Mandatperiod: " in html
    assert client.get("/trackers/nope/metod").status_code == 404


def test_pledge_page_h1_is_the_pledge_with_meta_and_share_links(
    client: TestClient, site: Site
) -> None:
    html = client.get(f"/pledges/{site.pool}", params={"lang": "en"}).text
    assert '<h1 id="pledge-heading" lang="sv">Vi ska bygga en ny simhall i Norrvik.</h1>' in html
    assert '<span lang="sv">Idrott och fritid</span>' in html
    assert '<meta property="og:title" content="Vi ska bygga en ny simhall i Norrvik.' in html
    assert '<meta name="twitter:card" content="summary">' in html
    meter = client.get("/trackers/sjovik", params={"lang": "sv"}).text
    assert '<meta property="og:title" content="Sjövik 2022–2026 – Löfte">' in meter
    # Swedish content on an English page says so (screen readers pronounce it as Swedish)
    assert '<blockquote class="context" lang="sv">' in html
    assert '<dd lang="sv"><a href="/trackers/sjovik/pledges?area=' in html
    # without a public address there is none to share: no og:url, no share links
    assert "og:url" not in html and 'class="share"' not in html and 'class="share"' not in meter


def test_share_links_and_og_url_use_the_public_address_never_the_host_header(
    site: Site,
) -> None:
    """Anonymous pages are kept for all readers: a Host header set by the first reader must
    not reach the others (nor the reader who set it)."""
    from .conftest import make_app

    app = make_app(site.store)
    app.state.settings = app.state.settings.model_copy(
        update={"public_url": "https://lofte.example.se/"}
    )
    evil = TestClient(app, base_url="http://evil.example")
    good = TestClient(app)
    for client in (evil, good, evil):
        html = client.get(f"/pledges/{site.pool}").text
        meter = client.get("/trackers/sjovik", params={"lang": "sv"}).text
        want = f"https://lofte.example.se/pledges/{site.pool}"
        assert f'<meta property="og:url" content="{want}">' in html
        assert "sharer.php?u=https%3A//lofte.example.se/pledges/" in html
        assert 'aria-label="Dela"' in meter
        assert "evil.example" not in html + meter
        api = client.get("/api/v1/pledges", params={"per_page": 1})
        assert "evil.example" not in api.headers["link"]
        assert "https://lofte.example.se/api/v1/pledges?" in api.headers["link"]
    # a filter is shared with its query, a campaign's tracking tags are not (QA: og:url and
    # the share links repeated ?utm_source=evil)
    tagged = good.get("/trackers/sjovik?lang=sv&utm_source=evil&fbclid=x1").text
    want = "https://lofte.example.se/trackers/sjovik?lang=sv"
    assert f'<meta property="og:url" content="{want}">' in tagged
    assert "lang%3Dsv" in tagged and "utm_source%3D" not in tagged  # the share links too


def test_attribute_values_quoted_from_the_text_are_marked_swedish_on_english_pages(
    client: TestClient, site: Site
) -> None:
    """A pledge's quantity or time limit is the program's own words: an English page marks
    them lang="sv" (so a screen reader reads them as Swedish); coded values are translated."""
    import lxml.html
    from sqlalchemy import update

    from lofte.store.schema import PledgeRow

    attributes = {
        "type": "action",
        "quantity": "upp till 19 år",
        "deadline": "från och med 2024",
        "deadline_year": 2024,
        "checkable": True,
    }
    with site.store.session() as s:
        s.execute(update(PledgeRow).where(PledgeRow.id == site.pool).values(attributes=attributes))
    login(client, "anna")
    for url in (f"/pledges/{site.pool}?lang=en", f"/edit/pledges/{site.pool}?lang=en"):
        page = lxml.html.fromstring(client.get(url).content)
        values = {
            dt.text_content().strip(): dd
            for dt, dd in zip(
                page.xpath("//dl[contains(@class, 'attrs')]/dt"),
                page.xpath("//dl[contains(@class, 'attrs')]/dd"),
                strict=True,
            )
        }

        def language(dd: Any) -> str:
            marked = dd.xpath(".//*[@lang]")
            return str(marked[0].get("lang")) if marked else "en"

        assert values["Type"].text_content() == "action" and language(values["Type"]) == "en"
        assert language(values["Quantity"]) == "sv", url
        assert language(values["Time limit in the text"]) == "sv", url
        assert values["Year in the text"].text_content() == "2024"
        assert values["Checkable"].text_content() == "yes"


def test_a_method_the_address_does_not_take_is_a_405_page_in_the_readers_language(
    client: TestClient, site: Site
) -> None:
    """Starlette's own detail ("Method Not Allowed") is English: the page says it in the
    reader's language, and keeps the Allow header."""
    for lang, words in (
        ("sv", "tar inte emot den sortens anrop"),
        ("en", "does not take that kind of request"),
    ):
        for method, url in (("GET", "/logout"), ("POST", f"/trackers/{site.slug}")):
            page = client.request(method, f"{url}?lang={lang}")
            assert page.status_code == 405, (method, url)
            assert words in page.text and "Method Not Allowed" not in page.text, (lang, url)
            assert page.headers["allow"], url
    api = client.post("/api/trackers")
    assert api.status_code == 405 and api.json() == {"error": "Method Not Allowed"}


def test_a_refused_form_is_told_in_the_readers_language(client: TestClient, site: Site) -> None:
    big = {"rationale": "x" * (2 << 20)}
    for lang, multipart, too_large in (
        ("sv", "skickas inte som filuppladdning", "Formuläret är för stort"),
        ("en", "is not sent as a file upload", "The form is too large"),
    ):
        client.cookies.set("lang", lang)
        refused = client.post(f"/edit/pledges/{site.pool}/verdict", files={"f": ("a", b"b")})
        assert refused.status_code == 415 and multipart in refused.text, refused.text
        refused = client.post(f"/edit/pledges/{site.pool}/verdict", data=big)
        assert refused.status_code == 413 and too_large in refused.text, refused.text
    client.cookies.clear()
    refused = client.post(f"/edit/pledges/{site.pool}/verdict?lang=en", data=big)
    assert "The form is too large" in refused.text


def _main(html: str) -> str:
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found, html
    return found.group(0)


# what a bad value's message may not show: the addresses' and forms' codes, and the library's
# English (the typed values below are chosen not to hold any of these)
_CODES = re.compile(
    r"pledge_id|document_id|evidence_id|expected_version|min_rank|not_rated|in_the_works|"
    r"partially_kept|not_checkable|\bpage\b|\bsort\b|\bprecision\b|\bband\b|\bdecision\b|"
    r"\baction\b|\bscore\b|\bsuggested\b|\bposition\b|\brecent\b|\bspecific\b"
)
_LIBRARY_ENGLISH = re.compile(r"\b(must|unknown|use|or|missing|invalid|whole|number|give|clear)\b")


def test_bad_values_in_addresses_and_forms_are_told_in_words_in_the_readers_language(
    client: TestClient, site: Site
) -> None:
    """Every 400/404/422 a wrong address or form value gives names the field and its choices
    as the page's own form does, in Swedish or in English: no URL code, no library English."""
    token = login(client, "anna")
    version = str(_pledge_version(site))
    pledge = f"/edit/pledges/{site.pool}"
    gets = [
        ("/trackers/sjovik/pledges?status=zzz", 400),
        ("/trackers/sjovik/pledges?sort=zzz", 400),
        ("/trackers/sjovik/pledges?page=abc", 400),
        ("/trackers/sjovik/pledges?page=0", 400),
        ("/trackers/sjovik/documents?page=99999999999999999999999", 400),
        ("/search?q=simhall&page=x", 400),
        ("/pledges/abc", 404),
        ("/documents/x", 404),
        ("/edit/pledges/abc", 404),
        ("/edit/trackers/sjovik/pledges?min_rank=x", 400),
        ("/edit/trackers/sjovik/pledges?precision=zzz", 400),
        ("/edit/trackers/sjovik/pledges?sort=zzz", 400),
        ("/edit/trackers/sjovik/pledges?state=zzz", 400),
        ("/edit/trackers/sjovik/queue?band=zzz", 400),
        ("/edit/trackers/sjovik/queue?state=zzz", 400),
        ("/edit/trackers/sjovik/queue?sort=zzz", 400),
        ("/edit/trackers/sjovik/queue?document=zzz", 400),
    ]
    posts = [
        (f"{pledge}/verdict", {"status": "stalled", "rationale": "x"}, 400),
        (f"{pledge}/verdict", {"status": "stalled", "expected_version": "zzz"}, 400),
        (
            f"{pledge}/verdict",
            {"status": "stalled", "expected_version": version, "evidence": "zzz"},
            400,
        ),
        (f"{pledge}/deadline", {"action": "set", "deadline": "", "expected_version": version}, 422),
        (f"{pledge}/deadline", {"action": "zzz", "expected_version": version}, 422),
        (f"{pledge}/state", {"action": "zzz", "expected_version": version}, 422),
        (f"{pledge}/edit", {"start": "zzz", "expected_version": version}, 422),
        (
            f"{pledge}/edit",
            {"start": "9999998", "end": "9999999", "expected_version": version},
            422,
        ),
        (f"{pledge}/edit", {"start": "3", "end": "3", "expected_version": version}, 422),
        (f"{pledge}/merge", {"with": "zzz", "expected_version": version}, 422),
        (f"{pledge}/split", {"marked": "", "expected_version": version}, 422),
        (f"/edit/evidence/{site.ev_pool}", {"decision": "zzz"}, 400),
        ("/edit/evidence/zzz", {"decision": "accept"}, 404),
        ("/edit/trackers/sjovik/queue", {"decision": "accept", "evidence": "zzz"}, 400),
    ]
    for lang in ("sv", "en"):
        answers = [
            (url, want, client.get(f"{url}{'&' if '?' in url else '?'}lang={lang}"))
            for url, want in gets
        ]
        answers += [
            (url, want, client.post(f"{url}?lang={lang}", data=form | {"csrf_token": token}))
            for url, form, want in posts
        ]
        for url, want, response in answers:
            assert response.status_code == want, (url, response.status_code)
            shown = response.text
            if want == 422:  # the form's page again, the message beside the form
                found = re.findall(r'<p class="error"[^>]*>(.*?)</p>', shown)
            else:  # the error page: the heading, then the message
                found = re.findall(r"</h1>\s*<p>(.*?)</p>", _main(shown), re.S)
            assert found, (url, shown)
            text = unescape(found[0]).strip()
            assert text[:1].isupper() and text.endswith("."), (lang, url, text)
            assert "_" not in text, (lang, url, text)
            if lang == "sv":
                assert not _CODES.search(text), (url, text)
                assert not _LIBRARY_ENGLISH.search(text), (url, text)
            else:  # sentences, and choices by their labels ("Choose one of: Kept, …")
                assert not re.search(r"(\.|one of:) [a-z]", text), (url, text)
    client.cookies.delete("lang")


def _pledge_version(site: Site) -> int:
    from lofte.store.schema import PledgeRow

    with site.store.session() as s:
        return int(s.get(PledgeRow, site.pool).version)


def test_every_number_field_of_every_route_has_a_name_in_words(client: TestClient) -> None:
    """A new route's integer query or form field gets a name in both languages (or a message
    about it would show its code)."""
    from lofte.web.messages import FIELDS

    from .test_edge import _int_routes

    named = {name for _, _, _, query, form in _int_routes(client) for name in (*query, *form)}
    assert named and named <= set(FIELDS), named - set(FIELDS)


def test_a_quote_s_bounds_outside_the_document_are_told_in_the_form_s_words(
    client: TestClient, site: Site
) -> None:
    """The edit form calls them the start and end of the quote: so do its messages."""
    token = login(client, "anna")
    url = f"/edit/pledges/{site.pool}/edit"
    version = str(_pledge_version(site))
    for bounds, words in (
        (("9999998", "9999999"), "Citatets början och slut ligger utanför dokumentet."),
        (("3", "3"), "Citatets slut måste komma efter dess början."),
    ):
        form = {"start": bounds[0], "end": bounds[1], "expected_version": version}
        answer = client.post(f"{url}?lang=sv", data=form | {"csrf_token": token})
        assert answer.status_code == 422
        assert words in unescape(answer.text) and "pann" not in answer.text
    client.cookies.delete("lang")


def test_a_party_outside_the_tracker_s_actors_is_said_in_the_page_s_language() -> None:
    text = "party 'SD' is not one of the tracker's actors: M, KD, L"  # review.pledges (QA)
    assert message(text, "sv") == "Partiet 'SD' är inte en av mätarens aktörer: M, KD, L."
    assert message(text, "en") == "The party 'SD' is not one of the tracker's actors: M, KD, L."


def test_a_merge_over_other_pledges_is_refused_in_the_page_s_language() -> None:
    text = "pledges 7, 9 lie between the pledges to merge: merge them too, or merge neighbours only"
    assert message(text, "sv").startswith("Löftena 7, 9 ligger mellan dem som ska slås ihop")
    assert message(text, "en").startswith("Pledges 7, 9 lie between")


def test_choices_name_pledge_states_by_their_labels() -> None:
    # found by QA: a bad ?state= on the editors' pledge list named 'candidate', 'confirmed'
    from lofte.web.messages import choices_label

    assert choices_label("candidate, confirmed, rejected or all", "sv") == (
        "Att granska, Bekräftat, Avvisade eller Alla"
    )
    assert choices_label("candidate, confirmed, rejected or all", "en") == (
        "Candidate, Confirmed, Rejected or All"
    )


def test_a_verdict_on_a_split_item_is_refused_in_the_page_s_language() -> None:
    text = "pledge 4 is split into parts (5, 6), which are checked instead: rate the parts"
    assert message(text, "sv") == (
        "Löfte 4 är uppdelat i delar (5, 6), som bedöms i stället: bedöm delarna."
    )
    assert message(text, "en") == (
        "Pledge 4 is split into parts (5, 6), which are checked instead: rate the parts."
    )


def test_merge_refusals_name_one_pledge_in_the_singular() -> None:
    one = "pledge 7 lies between the pledges to merge: merge it too, or merge neighbours only"
    assert message(one, "sv").startswith("Löfte 7 ligger mellan dem som ska slås ihop")
    assert message(one, "en").startswith("Pledge 7 lies between")
    rated = (
        "pledge 68 has a verdict or accepted evidence, which a merge would leave with rejected "
        "pledges: merge only pledges without them (reject a duplicate instead)"
    )
    assert message(rated, "sv").startswith("Löfte 68 har en bedömning eller godtagna belägg")
    assert message(rated, "en").startswith("Pledge 68 has a verdict")


def test_the_new_review_refusals_are_in_the_page_s_language() -> None:
    """QA: the refusal to withdraw a verdict's source was shown in English on Swedish pages."""
    source = (
        "evidence 3 is a source of the current verdict of pledge 119 (kept): set a new verdict "
        "without it first"
    )
    assert message(source, "sv") == (
        "Belägg 3 är en källa till löfte 119s nuvarande bedömning (Uppfyllt): sätt först en ny "
        "bedömning utan det."
    )
    assert message(source, "en").startswith("Evidence 3 is a source")
    for ids, verdicts in (("4", "verdict"), ("4, 7", "verdicts")):  # review: shown in English
        earlier = (
            f"evidence 3 is a source of pledge 119's published {verdicts} {ids}: a published "
            "verdict's sources stay in its history; a new verdict can say the evidence did not "
            "hold"
        )
        assert message(earlier, "sv") == (
            f"Belägg 3 är en källa till publicerade bedömningar av löfte 119 ({ids}): en "
            "publicerad bedömnings källor står kvar i dess historik. En ny bedömning kan säga "
            "att belägget inte höll."
        )
        assert message(earlier, "en").startswith("Evidence 3 is a source of published verdicts")
    newer = (
        "verdict 9, about the same moment, was published after draft 7 was saved: save the "
        "draft's verdict again to make it the newer one"
    )
    assert message(newer, "sv").startswith("Bedömning 9, om samma tidpunkt, publicerades efter")
    assert message(newer, "en").startswith("Verdict 9, about the same moment")
    merged = (
        "pledge 11 was merged into pledge 170, which quotes it: edit or split pledge 170 "
        "instead, or reject it first"
    )
    assert message(merged, "sv").startswith("Löfte 11 är sammanslaget i löfte 170")
    split = (
        "pledge 119 has a verdict or accepted evidence, which a split would leave with a group "
        "the meter counts only through its new parts: split pledges before they are rated"
    )
    assert message(split, "sv").startswith("Löfte 119 har en bedömning")


def test_a_refused_address_is_explained_to_editors_without_server_settings() -> None:
    """QA: the editor's page named LOFTE_FETCH_ALLOW_HOSTS, a setting only an admin sees."""
    refused = "http://127.0.0.1/x: refused: 127.0.0.1 is a loopback address"
    shown = message(refused, "sv")
    assert shown.startswith("Löfte hämtar inte http://127.0.0.1/x") and "LOFTE_" not in shown


def test_a_draft_citing_withdrawn_evidence_is_refused_in_the_page_s_language(
    client: TestClient, site: Site
) -> None:
    """QA: publishing a draft whose evidence was withdrawn since said "verdict 19 cites
    evidence 74, no longer accepted: …" in English on the Swedish pledge page."""
    from lofte.model import ReviewState, VerdictStatus
    from lofte.review.verdicts import decide_evidence, set_verdict

    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    draft = set_verdict(
        site.store,
        site.pool,
        VerdictStatus.KEPT,
        "Invigd.",
        [site.ev_pool],
        actor="anna",
        draft=True,
    )
    decide_evidence(
        site.store, site.ev_pool, False, actor="bo", expected_state=ReviewState.ACCEPTED
    )
    token = login(client, "anna")
    for lang, said in (
        (
            "sv",
            f"Bedömning {draft.id} hänvisar till belägg {site.ev_pool}, som inte längre är "
            "godtaget: spara bedömningen igen med de belägg som står kvar.",
        ),
        (
            "en",
            f"Verdict {draft.id} cites evidence {site.ev_pool}, which is no longer accepted: "
            "save the verdict again with the evidence that stands.",
        ),
    ):
        client.cookies.set("lang", lang)
        sent = client.post(f"/edit/verdicts/{draft.id}/publish", data={"csrf_token": token})
        assert sent.status_code == 422
        assert said in unescape(sent.text)
        assert f"{site.ev_pool}, no longer accepted" not in sent.text  # the library's words


def test_withdrawn_evidence_of_a_draft_is_named_in_the_singular_or_plural() -> None:
    tail = "no longer accepted: save the verdict again with the evidence that stands"
    assert message(f"verdict 19 cites evidence 74, {tail}", "sv") == (
        "Bedömning 19 hänvisar till belägg 74, som inte längre är godtaget: spara bedömningen "
        "igen med de belägg som står kvar."
    )
    many = message(f"verdict 19 cites evidence 74, 75, {tail}", "sv")
    assert many.startswith("Bedömning 19 hänvisar till belägg 74, 75, som inte längre är godtagna")
    assert message(f"verdict 19 cites evidence 74, 75, {tail}", "en").startswith(
        "Verdict 19 cites evidence 74, 75, which are no longer accepted"
    )


def test_a_text_over_its_limit_is_told_with_grouped_numbers_and_that_nothing_was_saved() -> None:
    """QA: "The rationale has 20001 characters; at most 10000 are kept.": the numbers without
    the language's grouping, and "kept" as if the text were cut, while nothing is saved."""
    cases = {
        "the rationale has 20001 characters; at most 10000 are allowed, nothing was saved": (
            "Motiveringen har 20\u00a0001 tecken; högst 10\u00a0000 är tillåtna; inget sparades.",
            "The rationale has 20,001 characters; at most 10,000 are allowed; nothing was saved.",
        ),
        "the reason has 2001 characters; at most 2000 are allowed, nothing was saved": (
            "Skälet har 2001 tecken; högst 2000 är tillåtna; inget sparades.",
            "The reason has 2,001 characters; at most 2,000 are allowed; nothing was saved.",
        ),
        "the passage has 10001 characters; at most 10000 are allowed, nothing was saved": (
            "Stycket har 10\u00a0001 tecken; högst 10\u00a0000 är tillåtna; inget sparades.",
            "The passage has 10,001 characters; at most 10,000 are allowed; nothing was saved.",
        ),
        "the quote has 5001 characters; at most 5000 are allowed, nothing was saved": (
            "Löftets ord är 5001 tecken; högst 5000 är tillåtna; inget sparades.",
            "The pledge's words are 5,001 characters; at most 5,000 are allowed; nothing was "
            "saved.",
        ),
        "the area has 201 characters; at most 200 are allowed, nothing was saved": (
            "Politikområdets namn har 201 tecken; högst 200 är tillåtna; inget sparades.",
            "The area has 201 characters; at most 200 are allowed; nothing was saved.",
        ),
    }
    for text, (sv, en) in cases.items():
        assert (message(text, "sv"), message(text, "en")) == (sv, en)


def test_a_text_file_refused_for_control_bytes_is_told_why_in_both_languages() -> None:
    """Hostile QA: a text file with a few colour codes was refused as "binary data" without
    a reason; the library now gives it, and the pages word it."""
    from lofte.sources.decode import binary_reason

    data = ("\x1b[31m" + "Vi ska bygga en simhall. " * 500 + "\x07").encode()[:12_000]
    text = f"/tmp/ctrl.txt: no reader accepts this binary data ({binary_reason(data)})"
    sv, en = message(text, "sv"), message(text, "en")
    assert sv.startswith("/tmp/ctrl.txt: filen har 1 styrtecken") and "första 8192 byte" in sv
    assert en.startswith("/tmp/ctrl.txt: the file has 1 control bytes") and "8,192 bytes" in en


def test_the_election_night_refusals_are_worded_in_swedish() -> None:
    """The refusals of a race an editor can meet (review: the new one reached the page in
    English)."""
    split = "pledge 3 is split into parts (4, 5), which are checked instead: give the evidence to a part"
    assert message(split, "sv") == (
        "Löfte 3 är uppdelat i delar (4, 5), som bedöms i stället: ge belägget till en av delarna."
    )
    published = "pledge 3 is rejected, not confirmed: its verdicts cannot be published"
    assert message(published, "sv") != published and "Löfte 3" in message(published, "sv")


def test_a_delete_refused_for_a_link_run_names_the_run_in_the_page_s_language() -> None:
    """QA leftover: the Swedish refusal named the run in English ("process 41 on … since …")."""
    busy = (
        "document 7 not deleted: a `lofte link` run is linking sthlm (process 41 on host-a "
        "since 2026-12-05 21:05 UTC); try again when it has finished"
    )
    assert message(busy, "sv") == (
        "Dokument 7 raderades inte: en körning av lofte link länkar sthlm just nu (process 41 "
        "på host-a sedan 2026-12-05 21:05 UTC). Försök igen när den är klar."
    )
    assert "(process 41 on host-a since 2026-12-05 21:05 UTC)" in message(busy, "en")
    unknown = busy.replace("process 41 on host-a since 2026-12-05 21:05 UTC", "another run")
    assert "länkar sthlm just nu (en annan körning)" in message(unknown, "sv")


def test_a_source_paused_by_archiving_says_why_in_words() -> None:
    """Review: the archive's `source.pause` event showed "because tracker.archive", a code on
    a Swedish page."""
    from lofte.web.messages import audit_details

    event = {"tracker": "sthlm", "name": "nyheter", "because": "tracker.archive"}
    assert audit_details(event, "sv")[-1] == ("because", "orsak", "mätare arkiverad")
    assert audit_details(event, "en")[-1] == ("because", "because", "tracker archived")
