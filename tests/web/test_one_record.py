"""One pledge record, one shape: the web's JSON twin, `lofte pledges --json` and the export give
byte-identical JSON for it (issue 11, item 2)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from lofte.publish import records
from lofte.publish.export import export_database
from tests.test_cli import run

from .conftest import Site


def test_web_cli_and_export_give_the_same_pledge_bytes(site: Site, client: TestClient, db_url: str) -> None:
    web = client.get(f"/api/pledges/{site.pool}").json()["pledge"]
    code, out = run(db_url, "pledges", "--json")
    assert code == 0, out
    cli = next(p for p in json.loads(out) if p["id"] == site.pool)
    with site.store.session() as s:
        exported = next(p for p in export_database(s, allow_unverified=True)["pledges"]
                        if p["id"] == site.pool)
    assert web["span"] == {"start": web["span"]["start"], "end": web["span"]["end"]}
    assert records.dumps(web) == records.dumps(cli) == records.dumps(exported)
    # and the CLI printed with the same dumps settings
    assert out.rstrip("\n") == records.dumps(json.loads(out))
