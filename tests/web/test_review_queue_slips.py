"""The review queue after a conflict or a slip: the page the editor was on, as they left it.

QA: a single decision's conflict (409) showed the unfiltered first page; a bulk conflict told
the editor to reload under the line naming who decided first; a bulk form that decided nothing
redirected to a fresh page, the ticks lost.
"""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from lofte.review import verdicts

from .conftest import Site, login
from .test_review_queue import QUEUE, _shown, _state


def _ticked(page: str) -> list[int]:
    return [
        int(n) for n in re.findall(r'name="evidence" value="(\d+)" id="pick-\d+" checked', page)
    ]


def test_a_single_decision_s_conflict_shows_the_queue_page_it_came_from(
    client: TestClient, site: Site
) -> None:
    token = login(client, "anna")
    back = QUEUE + "?state=all&sort=date"
    verdicts.decide_evidence(site.store, site.ev_preschool, False, actor="bertil")
    late = client.post(
        f"/edit/evidence/{site.ev_preschool}?after={site.ev_pool}",
        data={"decision": "accept", "back": back, "csrf_token": token},
    )
    assert late.status_code == 409
    # its filter and sort, not the default queue of suggested ones by score
    assert _shown(late.text) == [site.ev_trees, site.ev_preschool, site.ev_pool]
    assert '<option value="date" selected>' in late.text
    assert '<option value="all" selected>' in late.text
    # a `back` of another tracker's queue or of elsewhere: the default queue
    other = client.post(
        f"/edit/evidence/{site.ev_preschool}",
        data={
            "decision": "accept",
            "back": "/edit/trackers/other/queue?state=all",
            "csrf_token": token,
        },
    )
    assert other.status_code == 409 and site.ev_preschool not in _shown(other.text)


@pytest.mark.parametrize(
    ("lang", "said"),
    [("sv", "Belägg {id} har redan avgjorts (avvisat) av bertil."), ("en", "by bertil")],
)
def test_a_bulk_conflict_names_who_decided_first_and_does_not_say_reload(
    client: TestClient, site: Site, lang: str, said: str
) -> None:
    token = login(client, "anna")
    client.cookies.set("lang", lang)
    verdicts.decide_evidence(site.store, site.ev_preschool, False, actor="bertil")
    response = client.post(
        QUEUE,
        data={
            "decision": "accept",
            "evidence": [site.ev_pool, site.ev_preschool],
            "csrf_token": token,
            "back": QUEUE,
        },
    )
    assert response.status_code == 409
    text = html.unescape(response.text)
    assert said.format(id=site.ev_preschool) in text
    assert "ladda om" not in text and "reload" not in text.lower()
    assert "kanske av någon annan" not in text and "perhaps" not in text


@pytest.mark.parametrize(
    ("decision", "ticks", "said"),
    [
        ("enter", True, "Inget avgjordes: välj Godta markerade eller Avvisa markerade."),
        ("accept", False, "Inga förslag valda"),
    ],
    ids=["Enter on a ticked box", "nothing ticked"],
)
def test_a_bulk_form_that_decides_nothing_shows_its_page_with_the_ticks_kept(
    client: TestClient, site: Site, decision: str, ticks: bool, said: str
) -> None:
    token = login(client, "anna")
    back = QUEUE + "?state=all&sort=date"
    ticked = [site.ev_pool, site.ev_trees] if ticks else []
    response = client.post(
        QUEUE,
        data={"decision": decision, "evidence": ticked, "csrf_token": token, "back": back},
        follow_redirects=False,
    )
    # the page itself, not a redirect to a fresh one: its filters and the ticks kept
    assert response.status_code == 422
    assert said in html.unescape(response.text)
    # focused as the page opens (QA, a screen-reader user: not announced, focus on the page)
    assert 'id="bulk-refused" tabindex="-1" autofocus>' in response.text
    assert _shown(response.text) == [site.ev_trees, site.ev_preschool, site.ev_pool]
    assert sorted(_ticked(response.text)) == sorted(ticked)
    assert {_state(site, i) for i in (site.ev_pool, site.ev_trees)} == {"suggested"}
    english = client.post(
        QUEUE,
        params={"lang": "en"},
        data={"decision": "enter", "evidence": [site.ev_pool], "csrf_token": token},
    )
    assert english.status_code == 422
    assert "Nothing was decided: choose Accept ticked or Reject ticked." in english.text
