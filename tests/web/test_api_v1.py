"""The versioned public API: pages, filters, validators, CORS and its OpenAPI document."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lofte.errors import ValidationError
from lofte.model import VerdictStatus
from lofte.publish import catalog
from lofte.review import pledges as pledge_review
from lofte.review.verdicts import decide_evidence, set_verdict
from lofte.store import trackers as tracker_store

from .conftest import Site


def _rate(site: Site) -> None:
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    set_verdict(
        site.store,
        site.pool,
        VerdictStatus.KEPT,
        "Simhallen invigdes.",
        [site.ev_pool],
        actor="tester",
    )


def ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [item["id"] for item in response.json()["items"]]


def test_pledges_are_the_counted_ones_in_pages_with_links(client: TestClient, site: Site) -> None:
    everything = client.get("/api/v1/pledges")
    assert everything.status_code == 200
    body = everything.json()
    assert set(body) == {"items", "page", "per_page", "total", "pages"}
    assert body["total"] == 4 and site.vague not in ids(everything)  # rejected: not counted
    first = client.get("/api/v1/pledges?per_page=3")
    second = client.get("/api/v1/pledges?per_page=3&page=2")
    assert first.json()["pages"] == 2
    assert len(set(ids(first)) | set(ids(second))) == 4
    assert 'rel="next"' in first.headers["link"] and "page=2" in first.headers["link"]
    assert 'rel="next"' not in second.headers["link"] and 'rel="prev"' in second.headers["link"]
    assert client.get("/api/v1/pledges?per_page=101").status_code == 422
    assert client.get("/api/v1/pledges?page=0").status_code == 422


def test_pledge_filters(client: TestClient, site: Site) -> None:
    _rate(site)
    assert ids(client.get("/api/v1/pledges?status=kept")) == [site.pool]
    assert site.pool not in ids(client.get("/api/v1/pledges?status=not_rated"))
    assert set(ids(client.get("/api/v1/pledges?area=Skola"))) == set(site.children)
    assert set(ids(client.get("/api/v1/pledges?area=skola"))) == set(site.children)  # any case
    pledge_review.edit(site.store, site.pool, party="S", actor="anna")
    assert ids(client.get("/api/v1/pledges?party=s")) == [site.pool]  # the pledge's party
    assert ids(client.get("/api/v1/pledges?party=s&area=Skola")) == []  # both: none has
    today = dt.date.today().isoformat()
    assert ids(client.get(f"/api/v1/pledges?from={today}&to={today}")) == [site.pool]
    assert ids(client.get("/api/v1/pledges?to=2000-01-01")) == []
    for earliest in ("0001-01-01", "0002-01-01"):  # QA: a year before them overflowed, a 500
        assert client.get(f"/api/v1/documents?from={earliest}").status_code == 200, earliest
    assert client.get("/api/v1/pledges?tracker=nowhere").status_code == 404
    for bad in ("status=great", "from=yesterday", "from=2025-02-01&to=2025-01-01"):
        answer = client.get(f"/api/v1/pledges?{bad}")
        assert answer.status_code == 400 and "error" in answer.json(), bad


def test_a_filter_value_nothing_has_is_refused_with_the_known_ones(
    client: TestClient, site: Site
) -> None:
    # QA: a typo answered an empty list, as if there were no such pledges
    typo = client.get("/api/v1/pledges?area=Skol")
    assert typo.status_code == 400 and '"Skol"' in typo.json()["error"]
    assert "known: Idrott och fritid; " in typo.json()["error"]
    assert typo.json()["error"].endswith("; Skola")
    nobody = client.get("/api/v1/pledges?party=M")
    assert nobody.status_code == 400 and nobody.json()["error"].endswith("known: S; V")
    # QA: a tracker's actor no pledge has yet is a real empty answer, not a 400
    assert ids(client.get("/api/v1/pledges?party=v")) == []
    pledge_review.edit(site.store, site.pool, party="S", actor="anna")
    assert ids(client.get("/api/v1/pledges?party=s")) == [site.pool]
    for route in ("trackers", "documents"):  # there: the parties the trackers follow
        answer = client.get(f"/api/v1/{route}?party=MP")
        assert answer.status_code == 400 and "known: S; V" in answer.json()["error"], route
        assert client.get(f"/api/v1/{route}?party=v").status_code == 200, route


def test_a_filter_value_another_tracker_has_is_a_real_empty_answer(
    client: TestClient, site: Site
) -> None:
    with site.store.session() as s:
        tracker_store.ensure_tracker(s, "ekby")
        other = tracker_store.get_tracker_row(s, "ekby")
        other.actors, other.published_at = ["M"], dt.datetime(2024, 1, 1)
    assert client.get("/api/v1/trackers?party=M").json()["total"] == 1
    answer = client.get("/api/v1/documents?party=M&tracker=sjovik")
    assert answer.status_code == 200 and answer.json()["total"] == 0


def test_documents_and_verdicts(client: TestClient, site: Site) -> None:
    _rate(site)
    assert client.get("/api/v1/documents?tracker=sjovik").json()["total"] == 4
    dated = client.get("/api/v1/documents?from=2024-01-01&to=2024-12-31")
    assert set(ids(dated)) == {site.news["pool"], site.news["preschool"]}
    assert client.get(f"/api/v1/documents/{site.program}").json()["id"] == site.program
    changes = client.get("/api/v1/verdicts?tracker=sjovik").json()["items"]
    assert [c["pledge_id"] for c in changes] == [site.pool]
    assert client.get("/api/v1/verdicts?tracker=sjovik&status=broken").json()["total"] == 0
    assert client.get(f"/api/v1/pledges/{site.pool}").json()["pledge"]["id"] == site.pool


def test_the_document_list_reads_the_texts_of_its_page_only(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It read every document of every tracker, bodies included, per request: 1.5–3.7 s on
    the national record's 9,000 documents."""
    from lofte.store import documents as document_store

    read: list[object] = []
    real = document_store.list_documents

    def counted(*args: object, **kwargs: object) -> object:
        read.append(kwargs.get("ids"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(document_store, "list_documents", counted)
    everything = client.get("/api/v1/documents?tracker=sjovik").json()
    second = client.get("/api/v1/documents?tracker=sjovik&per_page=1&page=2").json()
    assert everything["total"] == second["total"] == 4 and second["pages"] == 4
    assert [d["id"] for d in second["items"]] == [everything["items"][1]["id"]]
    assert read[-1] == [everything["items"][1]["id"]]  # one row read, by id, not the tracker's


def test_validators_answer_304_until_the_data_changes(client: TestClient, site: Site) -> None:
    time.sleep(1.05 - time.time() % 1)  # the last change's second is over (`last_modified`)
    first = client.get("/api/v1/pledges")
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    assert tag.startswith('"') and modified.endswith("GMT")
    again = client.get("/api/v1/pledges", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    since = client.get("/api/v1/pledges", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    _rate(site)
    changed = client.get("/api/v1/pledges", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag


def test_cors_for_reads(client: TestClient) -> None:
    answer = client.get("/api/v1/trackers", headers={"Origin": "https://example.org"})
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "ETag" in answer.headers["access-control-expose-headers"]
    preflight = client.options(
        "/api/v1/pledges",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "POST" not in preflight.headers["access-control-allow-methods"]


def test_openapi_document_is_served_by_the_package(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["version"] == "1"
    assert {
        "/api/v1/pledges",
        "/api/v1/trackers",
        "/api/v1/documents",
        "/api/v1/verdicts",
        "/api/v1/pledges/{pledge_id}",
    } <= set(spec["paths"])
    assert not any(p.startswith("/edit") or p.startswith("/login") for p in spec["paths"])
    # errors described as they are sent, {"error": …}, not FastAPI's own 422 shape (QA)
    assert "HTTPValidationError" not in json.dumps(spec)
    for methods in spec["paths"].values():
        for operation in methods.values():
            for code in ("400", "404", "422"):
                ref = operation["responses"][code]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/Error"}
    assert spec["components"]["schemas"]["Error"]["required"] == ["error"]
    names = {p["name"] for p in spec["paths"]["/api/v1/pledges"]["get"]["parameters"]}
    assert {"tracker", "party", "area", "status", "from", "to", "page", "per_page"} <= names
    # the API's own address answers with what it offers (the published report points there)
    for address in ("/api/v1/", "/api/v1"):
        index = client.get(address, follow_redirects=False)
        assert index.status_code == 200, address
        assert index.headers["access-control-allow-origin"] == "*"
        assert index.json()["openapi"] == "/api/v1/openapi.json"
        assert set(index.json()["routes"]) == set(spec["paths"])
    assert client.get("/api/docs").status_code == 404  # the CDN-loaded explorer is gone
    assert client.get("/openapi.json").status_code == 404


def test_trackers_list_and_meter(client: TestClient, site: Site) -> None:
    listed = client.get("/api/v1/trackers").json()
    assert [t["slug"] for t in listed["items"]] == ["sjovik"]
    assert client.get("/api/v1/trackers?party=V").json()["total"] == 1
    assert client.get("/api/v1/trackers/sjovik").json()["meter"]["total"] == 4


@pytest.mark.parametrize(("page", "size", "expected"), [(1, 2, [0, 1]), (3, 2, [4]), (4, 2, [])])
def test_paginate(page: int, size: int, expected: list[int]) -> None:
    shown = catalog.paginate(list(range(5)), page, size)
    assert shown.items == expected and shown.total == 5 and shown.pages == 3


def test_date_range_and_validators() -> None:
    days = catalog.DateRange.parse("2024-01-01", None)
    assert days.holds(dt.date(2024, 1, 1)) and not days.holds(dt.date(2023, 12, 31))
    assert not days.holds(None) and catalog.DateRange().holds(None)
    # a date of month or year precision is its period, which overlaps the range or not (QA)
    october = catalog.DateRange.parse("2024-10-02", "2024-10-31")
    assert october.holds(dt.date(2024, 10, 1), dt.date(2024, 10, 31))
    assert not october.holds(dt.date(2024, 10, 1))  # the day itself is outside
    year = catalog.DateRange.parse("2024-02-01", "2024-12-31")
    assert year.holds(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert not year.holds(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        catalog.DateRange.parse("20240101", None)
    moment = dt.datetime(2026, 1, 2, 3, 4, 5)
    assert catalog.http_date(moment) == "Fri, 02 Jan 2026 03:04:05 GMT"
    assert catalog.not_modified_since("Fri, 02 Jan 2026 03:04:05 GMT", moment)
    assert not catalog.not_modified_since("Fri, 02 Jan 2026 03:04:04 GMT", moment)
    assert not catalog.not_modified_since("not a date", moment)
    assert catalog.matches_etag('"a", "b"', '"b"') and not catalog.matches_etag(None, '"b"')


def test_only_list_routes_with_dates_take_a_date_range(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    names = {p["name"] for p in spec["paths"]["/api/v1/trackers"]["get"]["parameters"]}
    assert names == {"party", "page", "per_page"}


def _publish_an_old_draft(site: Site) -> dt.datetime:
    """A kept verdict drafted on 2025-01-01 and published now; returns when it was drafted."""
    from sqlalchemy import update

    from lofte.store import verdicts as verdict_store
    from lofte.store.schema import VerdictRow

    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    draft = set_verdict(
        site.store,
        site.pool,
        VerdictStatus.KEPT,
        "Simhallen invigdes.",
        [site.ev_pool],
        actor="tester",
        draft=True,
    )
    drafted = dt.datetime(2025, 1, 1, 9, 0)
    with site.store.session() as s:
        s.execute(update(VerdictRow).values(created_at=drafted, modified_at=drafted))
    with site.store.session() as s:
        verdict_store.publish_verdict(s, draft.id, actor="anna")
    return drafted


def test_a_draft_published_later_counts_from_the_day_it_was_published(
    client: TestClient, site: Site
) -> None:
    # docs/api.md: verdicts (and a pledge's current status) are dated by the day they were
    # published; a client asking "what was published since my last visit" must see it
    drafted = _publish_an_old_draft(site)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    since_today = client.get(f"/api/v1/verdicts?tracker=sjovik&from={today}").json()
    assert [c["pledge_id"] for c in since_today["items"]] == [site.pool]
    assert since_today["items"][0]["date"].startswith(today)
    assert ids(client.get(f"/api/v1/pledges?from={today}")) == [site.pool]
    day = drafted.date().isoformat()
    assert client.get(f"/api/v1/verdicts?tracker=sjovik&from={day}&to={day}").json()["total"] == 0


def test_every_error_is_json_with_an_error_and_readable_by_any_origin(
    client: TestClient, site: Site
) -> None:
    # docs/api.md: any origin may read, errors are {"error": …}; 422 for a page parameter of
    # the wrong type or out of range whatever its size; an unreadable id is an unknown record
    cases = {
        "/api/v1/pledges?per_page=0": 422,
        "/api/v1/pledges?per_page=-5": 422,
        "/api/v1/pledges?per_page=500": 422,
        f"/api/v1/pledges?per_page={10**30}": 422,
        f"/api/v1/pledges?page={10**30}": 422,
        f"/api/v1/pledges?per_page={'9' * 5000}": 422,
        "/api/v1/pledges?page=abc": 422,
        "/api/v1/documents?page=1.5": 422,
        "/api/v1/verdicts": 422,  # tracker is required
        "/api/v1/pledges?status=great": 400,
        "/api/v1/pledges/999999": 404,
        "/api/v1/pledges/abc": 404,
        f"/api/v1/pledges/+{site.pool}": 404,  # one address per record (QA)
        f"/api/v1/pledges/0{site.pool}": 404,
        f"/api/v1/documents/{10**30}": 404,
        f"/api/v1/pledges/{2**31}": 404,  # more than PostgreSQL's ids hold (QA: a 500 there)
        f"/api/v1/pledges/{'9' * 200}": 404,
        "/api/v1/trackers/%00": 404,  # no slug holds a NUL (QA: a 500 on PostgreSQL)
        "/api/v1/pledges?tracker=a%00b": 404,
        "/api/v1/trackers/nowhere": 404,
        "/api/v1/no-such-route": 404,
    }
    origin = {"Origin": "https://example.org"}
    for address, status in cases.items():
        answer = client.get(address, headers=origin)
        assert answer.status_code == status, address
        assert answer.headers["content-type"] == "application/json", address
        body = answer.json()
        assert set(body) == {"error"} and isinstance(body["error"], str), address
        assert answer.headers.get("access-control-allow-origin") == "*", address
        assert len(body["error"]) < 200, address  # a long value is echoed cut (docs/api.md)
    # a parameter a route does not take is ignored, as are unknown ones
    assert client.get(f"/api/v1/trackers/{site.slug}?page=abc").status_code == 200


def test_head_answers_like_get_without_a_body(client: TestClient, site: Site) -> None:
    # Last-Modified is the second before the last change's while that second lasts
    # (catalog.last_modified): a GET in it and a HEAD just after differed (a full run, once)
    time.sleep(1.1)
    for address in (
        "/api/v1/pledges?per_page=2",
        f"/api/v1/pledges/{site.pool}",
        "/api/v1/trackers",
    ):
        got = client.get(address)
        head = client.head(address)
        assert head.status_code == 200, address
        assert head.content == b""
        for name in ("etag", "last-modified", "access-control-allow-origin", "content-type"):
            assert head.headers[name] == got.headers[name], (address, name)
    assert client.head("/api/v1/pledges/999999").status_code == 404
    spec = client.get("/api/v1/openapi.json").json()
    assert all(set(ops) == {"get"} for ops in spec["paths"].values())  # listed once, as GET


def test_a_draft_trackers_records_answer_as_missing_ones(client: TestClient, site: Site) -> None:
    # a draft's existence is not public: its document's and pledge's 404s say what a missing
    # record's say, and name no tracker
    from sqlalchemy import update

    from lofte.store.schema import TrackerRow

    with site.store.session() as s:
        s.execute(update(TrackerRow).values(published_at=None))
    missing = 10**6
    for kind, known in (("documents", site.program), ("pledges", site.pool)):
        draft = client.get(f"/api/v1/{kind}/{known}")
        absent = client.get(f"/api/v1/{kind}/{missing}")
        assert draft.status_code == absent.status_code == 404, kind
        assert draft.json()["error"] == absent.json()["error"].replace(str(missing), str(known))
        assert "tracker" not in draft.json()["error"]


def test_archived_trackers_stay_in_the_versioned_list_marked_archived(
    client: TestClient, site: Site
) -> None:
    """docs/api.md: /api/v1/trackers keeps a past term's tracker (with `archived_at`); the home
    page and the unversioned /api/trackers leave it out."""
    from lofte.review import tracker_admin

    tracker_admin.archive(site.store, site.slug, actor="tester")
    (item,) = [t for t in client.get("/api/v1/trackers").json()["items"] if t["slug"] == site.slug]
    assert item["archived_at"]
    unversioned = client.get("/api/trackers").json()
    listed = unversioned["items"] if isinstance(unversioned, dict) else unversioned
    assert site.slug not in {t["slug"] for t in listed}


def test_a_filter_given_twice_is_a_400_not_its_last_value(client: TestClient, site: Site) -> None:
    """QA: `status=kept&status=broken` answered the broken pledges only, as if that were all."""
    for url in (
        "/api/v1/pledges?status=kept&status=broken",
        "/api/v1/documents?tracker=sjovik&tracker=sjovik",
        "/api/v1/verdicts?tracker=sjovik&page=1&page=2",
        "/api/v1/trackers?party=x&party=M",  # QA: the trackers' listing took the last value
        "/api/v1/trackers?per_page=1&per_page=100",
    ):
        answer = client.get(url)
        assert answer.status_code == 400, url
        assert "more than once" in answer.json()["error"], url
    assert client.get("/api/v1/pledges?status=kept").status_code == 200


def test_a_draft_published_later_has_one_date_everywhere(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: a draft recorded one day and published another was dated by its publication in
    the API's verdicts and its filter, by its recording on the pledge's timeline and page and
    in the open data: a researcher filtering one and reading the other got other samples."""
    import datetime as dt

    from lofte.model import VerdictStatus
    from lofte.publish import opendata
    from lofte.publish.export import export_database
    from lofte.review.verdicts import publish_verdict, set_verdict
    from lofte.store import verdicts as verdict_module

    draft = set_verdict(
        site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Utkast.", actor="anna", draft=True
    )
    later = draft.created_at + dt.timedelta(days=3)  # published three days after
    monkeypatch.setattr(verdict_module, "utcnow", lambda: later)
    publish_verdict(site.store, draft.id, actor="anna")
    monkeypatch.undo()
    day = later.date().isoformat()
    (verdict,) = client.get("/api/v1/verdicts?tracker=sjovik").json()["items"]
    assert verdict["date"][:10] == day
    timeline = client.get(f"/api/v1/pledges/{site.pool}").json()["timeline"]
    assert [v["date"][:10] for v in timeline] == [day]
    assert f'datetime="{day}' in client.get(f"/pledges/{site.pool}").text
    with site.store.session() as s:
        tables = opendata.tables(export_database(s))
    assert [v["date"] for v in tables["verdicts"]] == [day]
    (pledge,) = [p for p in tables["pledges"] if p["pledge_id"] == site.pool]
    assert pledge["status_date"] == day
    found = client.get(f"/api/v1/pledges?tracker=sjovik&from={day}&to={day}").json()["items"]
    assert site.pool in [p["id"] for p in found]


def test_the_index_and_openapi_are_cached_and_writes_are_a_405_in_the_api_s_shape(
    client: TestClient, site: Site
) -> None:
    """QA: /api/v1/ and its OpenAPI document had no ETag or Cache-Control; a POST or DELETE
    got Starlette's 405 with "Allow: OPTIONS" and no CORS header."""
    for url in ("/api/v1/", "/api/v1/openapi.json"):
        first = client.get(url)
        assert first.status_code == 200 and first.headers["cache-control"] == "public, max-age=60"
        again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, url
    for method, url in (("POST", "/api/v1/pledges"), ("DELETE", f"/api/v1/pledges/{site.pool}")):
        refused = client.request(method, url)
        assert refused.status_code == 405, (method, url)
        assert refused.headers["allow"] == "GET, HEAD, OPTIONS"
        assert refused.headers["access-control-allow-origin"] == "*"
        assert "read-only" in refused.json()["error"]


def test_the_document_list_pages_across_trackers_in_order(client: TestClient, site: Site) -> None:
    """Unbounded, a page is read with LIMIT/OFFSET from each tracker's count: its pages put
    together are every public document once, tracker by tracker, in id order."""
    from lofte.model import ParsedDocument, SourceKind
    from lofte.publish import visibility
    from lofte.store import documents as document_store

    with site.store.session() as s:
        other = tracker_store.ensure_tracker(s, "andra")
        s.flush()
        tracker_store.get_tracker_row(s, "andra").published_at = dt.datetime(2024, 1, 1)
        for n in range(3):
            document_store.save_document(
                s,
                other.id,
                "andra.txt",
                ParsedDocument(title=f"Andra {n}", body=f"Text {n}", item_key=str(n)),
                content_hash=f"andra:{n}",
                raw_sha256=document_store.put_raw(s, b"raw", "text/plain"),
                parser="parse:test",
                parser_version="1",
                kind=SourceKind.NEWS,
                source_id=None,
            )
        trackers = [t for t in tracker_store.list_trackers(s) if t.slug in ("sjovik", "andra")]
        order = {t.slug: n for n, t in enumerate(visibility.public_trackers(s))}
        expected = [
            i
            for t in sorted(trackers, key=lambda t: order[t.slug])
            for i in document_store.ids_in_period(s, t.id)
        ]
    assert len(expected) == 7
    for per_page in (1, 2, 3, 7):
        got: list[int] = []
        for page in range(1, 8):
            answer = client.get(f"/api/v1/documents?per_page={per_page}&page={page}").json()
            assert answer["total"] == 7
            got += [d["id"] for d in answer["items"]]
        assert got == expected, per_page


def test_an_answer_is_made_once_until_the_public_data_or_the_day_changes(
    client: TestClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every reader gets the same JSON, kept per app until a public tracker's stamp moves
    (bench_web: the lists were 7.3x and 4.1x /healthz, made afresh per request)."""
    from lofte.web import api_v1

    made: list[str] = []
    real = api_v1.Answer.of

    def counted(session: object, data: object, links: object = None) -> api_v1.Answer:
        made.append("made")
        return real(session, data, links)  # type: ignore[arg-type]

    monkeypatch.setattr(api_v1.Answer, "of", staticmethod(counted))
    first = client.get("/api/v1/pledges")
    again = client.get("/api/v1/pledges")
    assert len(made) == 1
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    # the same copy; its date may move once, to the second of the last change, when the
    # first request came while that second was not over (catalog.last_modified; CI flaked)
    moved = email.utils.parsedate_to_datetime(
        again.headers["last-modified"]
    ) - email.utils.parsedate_to_datetime(first.headers["last-modified"])
    assert moved in (dt.timedelta(0), dt.timedelta(seconds=1))
    assert (
        client.get("/api/v1/pledges", headers={"If-None-Match": first.headers["etag"]}).status_code
        == 304
    )
    assert len(made) == 1
    _rate(site)  # a verdict published: the stamp moves
    rated = client.get("/api/v1/pledges")
    assert len(made) == 2 and rated.headers["etag"] != first.headers["etag"]
    status = {item["id"]: item["status"] for item in rated.json()["items"]}
    assert status[site.pool] == "kept"
    monkeypatch.setattr(api_v1, "today_utc", lambda: dt.date(2100, 1, 1))  # deadlines pass
    client.get("/api/v1/pledges")
    assert len(made) == 3
    assert client.get("/api/v1/pledges?status=great").status_code == 400  # errors: not kept
    assert client.get("/api/v1/pledges?status=great").status_code == 400
    assert len(made) == 3


def test_kept_answers_stay_within_their_byte_budget() -> None:
    """A page of documents with their bodies can be megabytes: the kept answers are bounded
    in bytes as well as in number, oldest dropped first, and one answer over an eighth of
    the budget is not kept at all."""
    from lofte.web.api_v1 import Answer, Answers

    kept = Answers(max_bytes=8000)
    for n in range(20):
        kept.put(("page", n), Answer(b"x" * 700, f'"{n}"', None, None))
        assert kept.size[1] <= 8000
    assert kept.size == (11, 7700)
    assert kept.get(("page", 0)) is None and kept.get(("page", 19)) is not None
    kept.put(("page", 19), Answer(b"y" * 100, '"19b"', None, None))  # replaced, not added
    assert kept.size == (11, 7100)
    kept.put("huge", Answer(b"z" * 1001, '"h"', None, None))
    assert kept.get("huge") is None and kept.size == (11, 7100)


def test_last_modified_does_not_go_back_after_a_restore(
    client: TestClient, site: Site, tmp_path: Path
) -> None:
    """QA: after `lofte restore` on a running server the kept answer of the backup's state came
    back with its old Last-Modified, so a client's If-Modified-Since got 304 for changed data."""
    import time

    from lofte.store.backup import backup, restore

    url = f"/api/v1/pledges/{site.pool}"
    first = client.get(url)
    backup(site.store, tmp_path / "lofte.backup")
    time.sleep(1.1)  # HTTP dates are in whole seconds
    _rate(site)
    rated = client.get(url)
    assert rated.content != first.content
    seen = rated.headers["last-modified"]
    time.sleep(1.1)
    restore(site.store, tmp_path / "lofte.backup")
    back = client.get(url)
    assert back.json() == first.json()  # the backup's data
    changed = dt.datetime.strptime(back.headers["last-modified"], "%a, %d %b %Y %H:%M:%S GMT")
    assert changed > dt.datetime.strptime(seen, "%a, %d %b %Y %H:%M:%S GMT")
    assert client.get(url, headers={"If-Modified-Since": seen}).status_code == 200


def test_the_meter_counts_an_area_as_its_filter_matches_it(client: TestClient, site: Site) -> None:
    """QA (an app on the API): "Skola/förskola" and "skola/FÖRSKOLA" were two rows of the
    meter's by_area, while the area filter matched both: summing the filters' totals counted
    their pledges twice."""
    # the first pledge has the spelling fewer pledges have
    pledge_review.edit(site.store, site.pool, area="Skola/förskola", party="S", actor="anna")
    for child in site.children:
        pledge_review.edit(site.store, child, area="skola/FÖRSKOLA", actor="anna")
    meter = client.get(f"/api/v1/trackers/{site.slug}").json()["meter"]
    rows = [r for r in meter["by_area"] if r["area"] and "förskola" in r["area"].casefold()]
    assert [(r["area"], r["total"]) for r in rows] == [("skola/FÖRSKOLA", 3)]
    filtered = client.get("/api/v1/pledges", params={"area": rows[0]["area"]}).json()
    assert filtered["total"] == 3
    assert sum(r["total"] for r in meter["by_area"]) == meter["total"]
    page = client.get(f"/trackers/{site.slug}/pledges").text  # one choice in the area filter
    choices = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert sum(c.casefold() == "skola/förskola" for c in choices) == 1, choices
    # the area's feed and a party's page name it as the meter does (review: the first
    # pledge's spelling, and the party's own pledges' spelling)
    feed = client.get(f"/trackers/{site.slug}/areas/Skola%2Fförskola/feed.xml")
    (title,) = re.findall(r"<channel>\s*<title>([^<]*)</title>", feed.text)
    assert feed.status_code == 200 and "skola/FÖRSKOLA" in title, title
    party = client.get(f"/api/trackers/{site.slug}/parties/S").json()
    assert [a["area"] for a in party["meter"]["by_area"]] == ["skola/FÖRSKOLA"]
