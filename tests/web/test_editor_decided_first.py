"""An evidence decision met by another editor's (409) names them without "perhaps" and leads
back to the pledge's page, not to "reload" (QA: "har redan avgjorts … kanske av någon annan;
ladda om sidan" over a line naming the editor, and reloading re-sent the POST)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from lofte.web.messages import message

from .conftest import Site, login, make_client


def _decide(client: TestClient, token: str, site: Site, decision: str, back: str) -> object:
    return client.post(
        f"/edit/evidence/{site.ev_pool}",
        data={"decision": decision, "back": back, "csrf_token": token, "reason": "fel hall"},
    )


def test_a_decision_met_by_another_names_them_and_links_the_pledge(site: Site) -> None:
    anna, bo = make_client(site.store), make_client(site.store)
    anna_token, bo_token = login(anna, "anna"), login(bo, "bo")
    pledge_page = f"/edit/pledges/{site.pool}"
    assert _decide(anna, anna_token, site, "accept", pledge_page).status_code == 303  # type: ignore[attr-defined]
    for back in (pledge_page, f"/edit/trackers/{site.slug}/queue"):
        late = _decide(bo, bo_token, site, "reject", back)
        assert late.status_code == 409  # type: ignore[attr-defined]
        text = html.unescape(late.text)  # type: ignore[attr-defined]
        assert "kanske" not in text and "ladda om" not in text.lower(), back
        assert f"Belägg {site.ev_pool} har redan avgjorts (godtaget) av anna." in text
        assert re.search(r'<p class="changed-by">Senast ändrat av anna den ', text)
        link = f'<a href="{pledge_page}#evidence-{site.ev_pool}">Till löfte {site.pool}, som det ser ut nu</a>'
        assert link in text, back
    english = message(f"evidence {site.ev_pool} was already accepted by anna", "en")
    assert english == f"Evidence {site.ev_pool} has been decided already (accepted) by anna."
    # unknown who (no event names it): the store's words stay
    assert "kanske av någon annan" in message(
        "evidence 4 was already accepted, perhaps by someone else; reload", "sv"
    )
