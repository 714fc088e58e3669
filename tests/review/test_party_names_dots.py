"""A party (or an area) cannot be named "." or "..": its page and feed are addressed by the name
as one path segment, and every browser resolves those two away (security QA: `lofte tracker
edit evil --party ..` made the meter link /trackers/evil/parties/.., which is
/trackers/evil/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lofte.errors import ValidationError
from lofte.review import documents as document_review
from lofte.review import pledges as pledge_review
from lofte.review import tracker_admin
from lofte.store import documents as document_store
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.store.schema import PledgeRow
from tests.cli_support import initialised_sqlite, run_cli
from tests.review.fixtures import pledge_with_evidence
from tests.web.conftest import Site, build_site, login, make_client

DOTS = [".", "..", " .. ", "\t.\n"]


@pytest.mark.parametrize("name", DOTS)
def test_a_tracker_party_named_by_dots_is_refused(store: Store, name: str) -> None:
    with store.session() as s:
        tracker_store.add_tracker(s, "evil", "Evil")
    with pytest.raises(ValidationError, match="party cannot be named"):
        tracker_admin.edit(store, "evil", actor="anna", actors=["S", name])
    with store.session() as s:
        assert tracker_store.get_tracker(s, "evil").actors == ()
    with pytest.raises(ValidationError, match="party cannot be named"):
        tracker_admin.clean_actors([name])
    # names that only hold dots among other characters are addressable
    assert tracker_admin.clean_actors(["...", "S.", ".MP", "S/MP"]) == ("...", "S.", ".MP", "S/MP")


@pytest.mark.parametrize("name", DOTS)
def test_a_pledge_or_program_party_named_by_dots_is_refused(store: Store, name: str) -> None:
    """On a tracker without actors any name was taken."""
    pledge_id, _ = pledge_with_evidence(store)
    with store.session() as s:
        assert tracker_store.get_tracker(s, "sjovik").actors == ()
        program = pledge_store.get_pledge(s, pledge_id).document_id
    with pytest.raises(ValidationError, match="party cannot be named"):
        pledge_review.edit(store, pledge_id, party=name, actor="anna")
    with pytest.raises(ValidationError, match="party cannot be named"):
        document_review.edit_document(store, program, actor="anna", party=name)
    with store.session() as s:
        assert pledge_store.get_pledge(s, pledge_id).party is None
        assert document_store.get_document(s, program).party is None
    assert pledge_review.edit(store, pledge_id, party="...", actor="anna").party == "..."


def test_the_cli_refuses_a_party_named_dot_dot(tmp_path: Path) -> None:
    db = initialised_sqlite(tmp_path)
    assert run_cli(db, "tracker", "add", "evil", "--name", "Evil")[0] == 0
    code, out = run_cli(db, "tracker", "edit", "evil", "--party", "..")
    assert code != 0 and "party cannot be named '..'" in " ".join(out.split())
    code, out = run_cli(db, "tracker", "add", "evil2", "--party", ".")
    assert code != 0 and "party cannot be named '.'" in " ".join(out.split())
    code, out = run_cli(db, "tracker", "show", "evil")
    assert code == 0 and '"actors": []' in out


def test_the_settings_and_pledge_forms_refuse_a_party_named_dot_dot(sqlite_store: Store) -> None:
    site = build_site(sqlite_store)
    client = make_client(site.store)
    token = login(client, "admin1")
    settings = client.get(f"/edit/trackers/{site.slug}/settings?lang=en")
    seen = settings.text.split('name="seen" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        f"/edit/trackers/{site.slug}/settings?lang=en",
        data={
            "csrf_token": token,
            "name": "Sjövik 2022–2026",
            "actors": "S\n..",
            "term_start": "2022-10-15",
            "term_end": "2026-10-14",
            "seen": seen,
        },
    )
    assert answer.status_code == 422, answer.text[:2000]
    assert "cannot be named '..'" in answer.text.replace("&#39;", "'")
    swedish = client.post(
        f"/edit/trackers/{site.slug}/settings?lang=sv",
        data={"csrf_token": token, "name": "Sjövik", "actors": "..", "seen": seen},
    )
    assert "Ett parti kan inte heta '..'" in swedish.text.replace("&#39;", "'")
    with site.store.session() as s:
        assert tracker_store.get_tracker(s, site.slug).actors == ("S", "V")
        version = pledge_store.get_pledge(s, site.trees).version
    _refused_party_on_pledge(client, site, token, version)


def _refused_party_on_pledge(client: TestClient, site: Site, token: str, version: int) -> None:
    # the tracker has actors, so ".." was never one of them; refused as such
    answer = client.post(
        f"/edit/pledges/{site.trees}/edit",
        data={
            "csrf_token": token,
            "expected_version": str(version),
            "party": "..",
            "area": "",
            "start": "",
            "end": "",
            "topic": "",
        },
    )
    assert answer.status_code == 422


def test_a_stored_party_named_dot_dot_still_renders(sqlite_store: Store) -> None:
    """Rows from before the rule (or written around it) still give their pages."""
    site = build_site(sqlite_store)
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, site.slug).actors = ["S", ".."]
        s.flush()
    with site.store.session() as s:
        s.get(PledgeRow, site.pool).party = ".."
    client = make_client(site.store)
    meter = client.get(f"/trackers/{site.slug}")
    page = client.get(f"/pledges/{site.pool}")
    assert meter.status_code == 200 and page.status_code == 200
    # shown, but not linked: the browser would resolve /parties/.. to the tracker's page
    for html in (meter.text, page.text):
        assert '/parties/.."' not in html and "/parties/%2E" not in html
    assert 'lang="sv">..</dd>' in page.text


def test_ingest_refuses_a_program_party_named_dot_dot(tmp_path: Path) -> None:
    """`lofte ingest --party ..` and a CSV row's party ".." on a tracker without actors (where
    any name is taken) were stored. A CSV file is refused whole, as for its other item errors
    (nothing half-written)."""
    db = initialised_sqlite(tmp_path)
    program = tmp_path / "program.txt"
    program.write_text("Vi ska bygga en ny simhall i Norrvik.\n", encoding="utf-8")
    code, out = run_cli(db, "ingest", str(program), "--party", "..")
    assert code != 0 and "party cannot be named '..'" in " ".join(out.split())
    rows = tmp_path / "news.csv"
    rows.write_text(
        "id,title,body,party\n"
        "1,Simhallen,Simhallen i Norrvik byggs nu.,..\n"
        "2,Träden,Tusen träd planteras längs ån.,S\n",
        encoding="utf-8",
    )
    code, out = run_cli(db, "ingest", str(rows))
    said = " ".join(out.split())
    assert "item 1: a party cannot be named '..'" in said, said
    code, out = run_cli(db, "documents", "--json")
    assert code == 0 and out.strip() == "[]", out
