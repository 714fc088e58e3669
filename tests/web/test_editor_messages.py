"""The library's messages on the editors' settings pages (notifications, watched sources, the
tracker's settings) and the attach-evidence page in the page's language: each refusal shows its
Swedish wording on a Swedish page and never the library's English, and an English wording on
an English page."""

from __future__ import annotations

import html
import socket
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lofte.config import Settings
from lofte.errors import InputError
from lofte.review import verdicts
from lofte.sources.fetch import Politeness, fetch
from lofte.watch import sources as source_admin
from lofte.web import messages
from tests.sources.test_fetch import Site as FakeSite

from .conftest import Site, login, make_client

NOTIFY = "/edit/trackers/sjovik/notifications"
SETTINGS = "/edit/trackers/sjovik/settings"
SECRET = "topphemlig-nyckel-1234"


def _error(response: object) -> str:
    """The page's error box, unescaped (a test names the words, not their entities)."""
    text = html.unescape(response.text)  # type: ignore[attr-defined]
    start = text.index('class="error"')
    return text[start : text.index("</p>", start)]


def _both(client: TestClient, url: str, data: dict[str, str], status: int) -> tuple[str, str]:
    """The error box of the same refused form, on a Swedish and on an English page."""
    swedish = client.post(url, data=data)
    assert swedish.status_code == status, swedish.text
    english = client.post(url + "?lang=en", data=data)
    assert english.status_code == status, english.text
    client.cookies.delete("lang")
    return _error(swedish), _error(english)


NOTIFY_CASES = [
    (
        {"email": "inte en adress"},
        "'inte en adress' är ingen e-postadress.",
        "'inte en adress' is not an e-mail address.",
    ),
    ({"email": ""}, "Ange en e-postadress, en webhook-adress eller båda.", "Give an e-mail"),
    (
        {"webhook_url": "https://hooks.example/x", "webhook_secret": "kort"},
        "Webhookens hemlighet måste ha minst 16 tecken.",
        "The webhook secret needs at least 16 characters.",
    ),
    (
        {"webhook_url": "https://hooks.example/x", "webhook_secret": "x" * 201},
        "Webhookens hemlighet är för lång (högst 200 tecken).",
        "The webhook secret is too long",
    ),
    (
        {"webhook_url": "ftp://hooks.example/x", "webhook_secret": SECRET},
        "Adressen ftp://hooks.example/…: bara http(s)-adresser används.",
        "The URL ftp://hooks.example/…: only http(s) URLs are used.",
    ),
    (
        {"webhook_url": "https://a:b@hooks.example/x", "webhook_secret": SECRET},
        "Adressen https://hooks.example/… innehåller inloggningsuppgifter",
        "The URL https://hooks.example/… holds credentials",
    ),
    (
        {"webhook_url": "https:///x", "webhook_secret": SECRET},
        "anger ingen värd.",
        "names no host.",
    ),
    (
        {"webhook_url": "http://[::1/x", "webhook_secret": SECRET},
        "Adressen http://[::1/… går inte att läsa som en webbadress.",
        "The URL http://[::1/… cannot be read as a web address",
    ),
]


@pytest.mark.parametrize(("form", "sv", "en"), NOTIFY_CASES)
def test_notification_errors_in_the_pages_language(
    client: TestClient, site: Site, form: dict[str, str], sv: str, en: str
) -> None:
    token = login(client, "anna")
    swedish, english = _both(client, NOTIFY, form | {"csrf_token": token}, 422)
    assert sv in swedish and en in english, (swedish, english)
    assert en not in swedish


def test_source_errors_in_the_pages_language(client: TestClient, site: Site) -> None:
    source = source_admin.add(
        site.store, site.slug, "nyheter", "https://example.se/nyheter", actor="t", every="6h"
    )
    token = login(client, "anna")
    url = f"/edit/trackers/{site.slug}/sources/{source.id}/pause"
    swedish, english = _both(client, url, {"paused": "0", "csrf_token": token}, 409)
    assert "Källan 'nyheter' är redan igång." in swedish and "running already" in english
    assert client.post(url, data={"paused": "1", "csrf_token": token}).status_code == 303
    swedish, english = _both(client, url, {"paused": "1", "csrf_token": token}, 409)
    assert "Källan 'nyheter' är redan pausad." in swedish and "paused already" in english
    assert "already" not in swedish


SETTINGS_FORM = {
    "name": "Sjövik 2022–2026",
    "actors": "S\nV",
    "term_start": "2022-10-15",
    "term_end": "2026-10-14",
}

SETTINGS_CASES = [
    ({"name": " "}, "En mätare behöver ett namn.", "A tracker needs a name."),
    (
        {"term_end": "2021-01-01"},
        "Mandatperioden slutar (2021-01-01) innan den börjar (2022-10-15).",
        "The term ends (2021-01-01) before it starts (2022-10-15).",
    ),
    ({"term_start": "15/10/2022"}, "Mandatperioden börjar: skriv datumet", "Term starts: write"),
    ({"term_end": "snart"}, "Mandatperioden slutar: skriv datumet", "Term ends: write"),
    ({"actors": "S\n" + "A" * 101}, "är för lång: högst 100 tecken.", "is too long: at most 100"),
]


@pytest.mark.parametrize(("change", "sv", "en"), SETTINGS_CASES)
def test_tracker_settings_errors_in_the_pages_language(
    site: Site, change: dict[str, str], sv: str, en: str
) -> None:
    admin = make_client(site.store)
    token = login(admin, "admin1")
    swedish, english = _both(admin, SETTINGS, SETTINGS_FORM | change | {"csrf_token": token}, 422)
    assert sv in swedish and en in english, (swedish, english)
    assert en not in swedish


def test_archive_and_delete_errors_in_the_pages_language(site: Site) -> None:
    admin = make_client(site.store)
    token = login(admin, "admin1")
    delete, archive = f"/edit/trackers/{site.slug}/delete", f"/edit/trackers/{site.slug}/archive"
    swedish, english = _both(admin, delete, {"confirm": site.slug, "csrf_token": token}, 422)
    assert "Mätaren sjovik är publik: arkivera den först." in swedish, swedish
    assert "Tracker sjovik is public: archive it first." in english and "lofte" not in swedish
    swedish, english = _both(admin, delete, {"confirm": "x", "csrf_token": token}, 422)
    assert "Skriv mätarens kortnamn (sjovik) för att bekräfta" in swedish
    assert "Type the tracker's short name (sjovik) to confirm" in english
    swedish, english = _both(admin, archive, {"archived": "0", "csrf_token": token}, 422)
    assert "Mätaren sjovik är inte arkiverad." in swedish and "is not archived" in english
    assert admin.post(archive, data={"csrf_token": token}).status_code == 303
    swedish, english = _both(admin, archive, {"archived": "1", "csrf_token": token}, 422)
    assert "Mätaren sjovik är redan arkiverad." in swedish and "archived already" in english


def test_attach_errors_in_the_pages_language(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    pool, program, news = site.pool, site.program, site.news["pool"]
    cases = [
        (
            f"/edit/pledges/{pool}/attach/document",
            {"document_id": str(program)},
            422,
            f"Dokument {program} är programmet som löfte {pool} kommer från.",
            f"Document {program} is the program pledge {pool} comes from.",
        ),
        (
            f"/edit/pledges/{site.vague}/attach/document",
            {"document_id": str(news)},
            422,
            f"Löfte {site.vague} är avvisat och tar inte emot belägg.",
            f"Pledge {site.vague} is rejected: it takes no evidence.",
        ),
        (
            f"/edit/pledges/{pool}/attach/url",
            {"url": "ftp://example.se/x"},
            422,
            "'ftp://example.se/x' är ingen http(s)-adress.",
            "'ftp://example.se/x' is not an http(s) address.",
        ),
        (  # fetched for real: the guard refuses the loopback address
            f"/edit/pledges/{pool}/attach/url",
            {"url": "http://127.0.0.1:1/x"},
            422,
            "Löfte hämtar inte http://127.0.0.1:1/x: bara offentliga http(s)-adresser",
            "Löfte does not fetch http://127.0.0.1:1/x: 127.0.0.1 is a loopback address",
        ),
    ]
    verdicts.decide_evidence(site.store, site.ev_pool, False, actor="bertil")
    cases.append(
        (
            f"/edit/pledges/{pool}/attach/document",
            {"document_id": str(news)},
            409,
            f"Dokument {news} är redan belägg {site.ev_pool} för löfte {pool} (avvisat).",
            f"Document {news} is already evidence {site.ev_pool} of pledge {pool} (rejected).",
        )
    )
    for url, form, status, sv, en in cases:
        swedish, english = _both(client, url, form | {"csrf_token": token}, status)
        assert sv in swedish and en in english, (swedish, english)


def _fetch_error(site: FakeSite, url: str, real: bool = False, **settings: Any) -> str:
    """The message `fetch` really raises for `url` on the fake web (`real`: on sockets)."""
    with site.client() as client, pytest.raises(InputError) as failed:
        fetch(
            url,
            client=None if real else client,
            settings=Settings(**settings),
            politeness=Politeness(min_interval=0.0),
        )
    return str(failed.value)


def test_the_common_fetch_failures_are_worded_in_both_languages() -> None:
    """The wordings match what the fetcher raises today: a changed library message shows up
    here, not as English on a Swedish page."""
    web = FakeSite()
    web.robots["stang.example"] = "User-agent: *\nDisallow: /\n"
    web.page("https://stor.example/x", b"x" * 2000)
    cases = [
        (
            _fetch_error(web, "https://ekby.example/saknas"),
            "Adressen https://ekby.example/saknas svarade med HTTP 404: inget hämtades.",
            "The address https://ekby.example/saknas answered HTTP 404: nothing was fetched.",
        ),
        (
            _fetch_error(web, "https://stang.example/x"),
            "Webbplatsens robots.txt (https://stang.example) tillåter inte att "
            "https://stang.example/x hämtas.",
            "The site's robots.txt (https://stang.example) does not allow fetching "
            "https://stang.example/x.",
        ),
        (
            _fetch_error(web, "https://stor.example/x", max_input_bytes=1000),
            "Sidan https://stor.example/x är större än gränsen på 1,000 byte",
            "The page https://stor.example/x is larger than the limit of 1,000 bytes",
        ),
    ]
    with socket.socket() as silent:  # accepts connections and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        port = silent.getsockname()[1]
        slow = f"http://127.0.0.1:{port}/x"
        allow = f"127.0.0.1:{port},127.0.0.1:1"
        cases += [
            (
                _fetch_error(web, slow, real=True, fetch_allow_hosts=allow, fetch_timeout=0.3),
                f"Adressen {slow} svarade inte inom 0.3 sekunder.",
                f"The address {slow} did not answer within 0.3 seconds.",
            ),
            (  # nothing listens on port 1
                _fetch_error(web, "http://127.0.0.1:1/x", real=True, fetch_allow_hosts=allow),
                "Det gick inte att nå http://127.0.0.1:1/x.",
                "Could not reach http://127.0.0.1:1/x.",
            ),
        ]
    for text, sv, en in cases:
        assert messages.known(text), text
        assert messages.message(text, "sv").startswith(sv), text
        assert messages.message(text, "en").startswith(en), text


def test_an_area_named_dot_dot_is_refused_in_the_pages_language(
    client: TestClient, site: Site
) -> None:
    from lofte.store import pledges as pledge_store

    token = login(client, "anna")
    with site.store.session() as s:
        version = pledge_store.get_pledge(s, site.trees).version
    data = {"csrf_token": token, "expected_version": str(version), "area": ".."}
    url = f"/edit/pledges/{site.trees}/edit"
    data |= {"start": "", "end": "", "topic": ""}
    swedish, english = (client.post(url + lang, data=data) for lang in ("", "?lang=en"))
    client.cookies.delete("lang")
    assert swedish.status_code == english.status_code == 422
    swedish_text, english_text = html.unescape(swedish.text), html.unescape(english.text)
    assert "Ett område kan inte heta '..': dess flöde skulle inte gå att nå." in swedish_text
    assert "area cannot be named '..'" in english_text
    assert "cannot be named" not in swedish_text
