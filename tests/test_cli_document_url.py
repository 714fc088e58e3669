"""`lofte document edit --url` (cli_editorial.py): a program read from a local file given its
original's address, which its pledges' pages link to; a bad address is refused by name."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from tests.test_cli import _pledge_db, run


def test_document_edit_gives_a_program_its_address_and_its_pledge_page_links_it(
    tmp_path: Path,
) -> None:
    db, pledge_id = _pledge_db(f"sqlite:///{tmp_path / 'l.db'}")
    assert run(db, "pledge", "confirm", str(pledge_id), "--actor", "anna")[0] == 0
    assert run(db, "tracker", "publish", "sjovik", "--actor", "anna")[0] == 0
    address = "https://parti.example/program.pdf"
    code, out = run(db, "document", "edit", "1", "--url", address, "--actor", "bo", "--json")
    assert code == 0, out
    assert json.loads(out)["url"] == address
    code, out = run(db, "document", "edit", "1", "--url", "javascript:alert(1)", "--actor", "bo")
    assert code != 0 and "'javascript:alert(1)' is not an absolute http(s) address" in out

    from lofte.store.db import open_store
    from lofte.web.app import create_app

    store = open_store(db)
    try:
        page = TestClient(create_app(store)).get(f"/pledges/{pledge_id}?lang=sv").text
    finally:
        store.dispose()
    assert f'<a href="{address}" rel="nofollow noopener">' in page
