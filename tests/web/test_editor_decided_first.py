"""An evidence decision met by another editor's (409) names them without "perhaps" and leads
back to the pledge's page, not to "reload" (QA: "har redan avgjorts … kanske av någon annan;
ladda om sidan" over a line naming the editor, and reloading re-sent the POST)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from lofte.store.schema import PledgeRow
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


def test_a_decision_refused_from_the_queue_shows_the_queue_again_with_why(site: Site) -> None:
    """An accept refused (its pledge rejected meanwhile by another editor) from the queue is
    the queue again, filters kept, saying it was not saved and why, with the pledge's page as
    the way on (QA: a bare 400 page, the place in the queue lost)."""
    anna, bo = make_client(site.store), make_client(site.store)
    anna_token, bo_token = login(anna, "anna"), login(bo, "bo")
    with site.store.session() as s:
        version = s.get(PledgeRow, site.pool).version  # type: ignore[union-attr]
    rejected = bo.post(
        f"/edit/pledges/{site.pool}/state",
        data={"action": "reject", "expected_version": version, "csrf_token": bo_token},
    )
    assert rejected.status_code == 303, rejected.text
    queue = f"/edit/trackers/{site.slug}/queue?sort=score"
    late = _decide(anna, anna_token, site, "accept", queue)
    assert late.status_code == 422  # type: ignore[attr-defined]
    text = html.unescape(late.text)  # type: ignore[attr-defined]
    assert "Det du skickade sparades inte:" in text and "hann före" not in text
    assert f"Löfte {site.pool} är avvisat" in text or f"löfte {site.pool}" in text.lower()
    assert f'<a href="/edit/pledges/{site.pool}#evidence-{site.ev_pool}">' in text
    assert '<option value="score" selected' in text  # the queue as it was asked for


def test_a_reject_met_by_another_keeps_the_reason_to_copy(site: Site) -> None:
    """Two editors reject one pledge at once: the second's reason is shown to copy, since the
    page of a rejected pledge has no reject form to keep it in (QA: "it is still in the form
    below", and it was nowhere)."""
    anna, bo = make_client(site.store), make_client(site.store)
    anna_token, bo_token = login(anna, "anna"), login(bo, "bo")
    with site.store.session() as s:
        version = s.get(PledgeRow, site.pool).version  # type: ignore[union-attr]
    for client, token, reason, status in (
        (bo, bo_token, "En dubblett av löfte 3.", 303),
        (anna, anna_token, "Ingen åtgärd <utlovas>.", 409),
    ):
        sent = client.post(
            f"/edit/pledges/{site.pool}/state",
            data={
                "action": "reject",
                "reason": reason,
                "expected_version": version,
                "csrf_token": token,
            },
        )
        assert sent.status_code == status, sent.text
    page = html.unescape(sent.text)
    assert "står kvar i formuläret nedan" not in page
    assert re.search(r"<textarea [^>]*readonly>Ingen åtgärd <utlovas>\.</textarea>", page)
    assert "&lt;utlovas&gt;" in sent.text  # escaped
