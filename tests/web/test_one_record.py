"""One record, one shape: the web's JSON twins, `lofte … --json` and the export give
byte-identical JSON for a tracker, a document, a pledge, an evidence item and a verdict
(issue 11, item 2). Where a page adds fields beside a record, the record's own fields are
compared: they come first and in the same order (`publish.records`). The one difference: public
evidence leaves out the linker's raw `features` (editors only)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from lofte.publish import records
from lofte.publish.export import export_database
from lofte.review.verdicts import decide_evidence
from tests.test_cli import run

from .conftest import Site


def _exported(site: Site, table: str, record_id: int) -> dict[str, Any]:
    with site.store.session() as s:
        return next(
            r for r in export_database(s, allow_unverified=True)[table] if r["id"] == record_id
        )


def _cli(db_url: str, *args: str) -> Any:
    code, out = run(db_url, *args)
    assert code == 0, out
    assert out.rstrip("\n") == records.dumps(json.loads(out))  # printed with the same settings
    return json.loads(out)


def _record_part(page: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """The page's copy of the record's fields, in the page's own order."""
    return {k: v for k, v in page.items() if k in record}


def test_web_cli_and_export_give_the_same_pledge_bytes(
    site: Site, client: TestClient, db_url: str
) -> None:
    web = client.get(f"/api/pledges/{site.pool}").json()["pledge"]
    cli = next(p for p in _cli(db_url, "pledges", "--json") if p["id"] == site.pool)
    exported = _exported(site, "pledges", site.pool)
    assert web["span"] == {"start": web["span"]["start"], "end": web["span"]["end"]}
    assert records.dumps(web) == records.dumps(cli) == records.dumps(exported)


def test_the_same_tracker_bytes(site: Site, client: TestClient, db_url: str) -> None:
    web = client.get(f"/api/trackers/{site.slug}").json()["tracker"]
    listed = next(t for t in _cli(db_url, "tracker", "list", "--json") if t["slug"] == site.slug)
    shown = _cli(db_url, "tracker", "show", site.slug)
    exported = _exported(site, "trackers", web["id"])
    assert listed.pop("documents") == shown.pop("documents") == len(site.news) == 4
    shown.pop("sources")
    assert (
        records.dumps(web)
        == records.dumps(listed)
        == records.dumps(shown)
        == records.dumps(exported)
    )
    overview = next(t for t in client.get("/api/trackers").json() if t["slug"] == site.slug)
    assert records.dumps(_record_part(overview, exported)) == records.dumps(exported)


def test_the_same_document_bytes(site: Site, client: TestClient, db_url: str) -> None:
    web = client.get(f"/api/documents/{site.program}").json()
    cli = next(d for d in _cli(db_url, "documents", "--json") if d["id"] == site.program)
    exported = _exported(site, "documents", site.program)
    assert (
        records.dumps(_record_part(web, exported)) == records.dumps(cli) == records.dumps(exported)
    )
    # lists leave the body out, and only that
    listed = client.get(f"/api/trackers/{site.slug}/documents").json()["documents"]
    short = next(d for d in listed if d["id"] == site.program)
    assert short == {k: v for k, v in exported.items() if k != "body"}


def test_the_same_evidence_bytes(site: Site, client: TestClient, db_url: str) -> None:
    decide_evidence(site.store, site.ev_pool, True, actor="tester")
    web = client.get(f"/api/pledges/{site.pool}").json()["evidence"][0]
    cli = next(e for e in _cli(db_url, "evidence", "--json") if e["id"] == site.ev_pool)
    exported = _exported(site, "evidence", site.ev_pool)
    assert web["span"] == {"start": exported["span"]["start"], "end": exported["span"]["end"]}
    assert records.dumps(cli) == records.dumps(exported)
    # the public twin leaves out the linker's raw features (they name an editor who attached a
    # document) and nothing else of the record; the editors' page keeps them
    public = {k: v for k, v in exported.items() if k != "features"}
    assert "features" not in web
    assert records.dumps(_record_part(web, exported)) == records.dumps(public)


def test_the_same_verdict_bytes(site: Site, client: TestClient, db_url: str) -> None:
    decide_evidence(site.store, site.ev_pool, True, actor="tester")
    cli = _cli(
        db_url,
        "verdict",
        str(site.pool),
        "--status",
        "kept",
        "--rationale",
        "Öppnad.",
        "--evidence",
        str(site.ev_pool),
        "--actor",
        "anna",
        "--json",
    )
    exported = _exported(site, "verdicts", cli["id"])
    assert records.dumps(cli) == records.dumps(exported)
    web = client.get(f"/api/pledges/{site.pool}").json()["timeline"][-1]
    # the public page leaves the editor's name out (it stays on the editors' pages)
    assert "author" not in web
    public = {k: v for k, v in exported.items() if k != "author"}
    assert records.dumps(_record_part(web, public)) == records.dumps(public)
