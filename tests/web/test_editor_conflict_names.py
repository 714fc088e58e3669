"""A conflict (409) names the other change: who made it, when, and what it changed."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from lofte.store import pledges as pledge_store

from .conftest import Site, login, make_client
from .test_editor_trackers import SETTINGS, _form

_WHEN = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"


def _version(site: Site, pledge_id: int) -> int:
    with site.store.session() as s:
        return pledge_store.get_pledge(s, pledge_id).version


def _changed_by(page: str) -> str:
    found = re.search(r'<p class="changed-by">(.*?)</p>', page, re.S)
    assert found, "the page does not name the other change"
    return html.unescape(found.group(1))


def test_a_stale_pledge_form_names_the_editor_the_time_and_the_fields(site: Site) -> None:
    anna, bo = make_client(site.store), make_client(site.store)
    anna_token, bo_token = login(anna, "anna"), login(bo, "bo")
    seen = _version(site, site.trees)
    edited = anna.post(
        f"/edit/pledges/{site.trees}/edit",
        data={
            "area": "Natur",
            "topic": "Träd",
            "csrf_token": anna_token,
            "expected_version": str(seen),
        },
    )
    assert edited.status_code == 303, edited.text
    stale = bo.post(
        f"/edit/pledges/{site.trees}/state",
        data={"action": "confirm", "csrf_token": bo_token, "expected_version": str(seen)},
    )
    assert stale.status_code == 409
    said = _changed_by(stale.text)
    assert re.fullmatch(
        rf"Senast ändrat av anna den {_WHEN} \(UTC\): löfte ändrat \(område, ämne\)\.", said
    ), said
    english = bo.post(
        f"/edit/pledges/{site.trees}/state?lang=en",
        data={"action": "confirm", "csrf_token": bo_token, "expected_version": str(seen)},
    )
    bo.cookies.delete("lang")
    said = _changed_by(english.text)
    assert re.fullmatch(
        rf"Last changed by anna on {_WHEN} \(UTC\): pledge edited \(area, topic\)\.", said
    ), said


def test_a_verdict_saved_first_is_named_with_its_status(site: Site) -> None:
    anna, bo = make_client(site.store), make_client(site.store)
    anna_token, bo_token = login(anna, "anna"), login(bo, "bo")
    seen = str(_version(site, site.pool))
    verdict = {"status": "in_the_works", "rationale": "Pågår.", "expected_version": seen}
    assert (
        anna.post(
            f"/edit/pledges/{site.pool}/verdict", data=verdict | {"csrf_token": anna_token}
        ).status_code
        == 303
    )
    late = bo.post(
        f"/edit/pledges/{site.pool}/verdict",
        data=verdict | {"status": "stalled", "csrf_token": bo_token},
    )
    assert late.status_code == 409
    assert re.fullmatch(
        rf"Senast ändrat av anna den {_WHEN} \(UTC\): bedömning satt \(status\)\.",
        _changed_by(late.text),
    )


def test_an_evidence_decision_taken_first_names_who_took_it(site: Site) -> None:
    anna, bo = make_client(site.store), make_client(site.store)
    anna_token, bo_token = login(anna, "anna"), login(bo, "bo")
    first = anna.post(
        f"/edit/evidence/{site.ev_trees}",
        data={"decision": "reject", "back": "/edit", "csrf_token": anna_token},
    )
    assert first.status_code == 303
    for back in (f"/edit/pledges/{site.trees}", "/edit/trackers/sjovik/queue"):
        late = bo.post(
            f"/edit/evidence/{site.ev_trees}",
            data={"decision": "accept", "back": back, "csrf_token": bo_token},
        )
        assert late.status_code == 409, back
        assert re.fullmatch(
            rf"Senast ändrat av anna den {_WHEN} \(UTC\): belägg avvisat \(beslut\)\.",
            _changed_by(late.text),
        ), back
    # the queue's bulk decision names the other change of each suggestion it could not decide
    bulk = bo.post(
        "/edit/trackers/sjovik/queue",
        data={"decision": "accept", "evidence": [str(site.ev_trees)], "csrf_token": bo_token},
    )
    assert bulk.status_code == 409
    item = bulk.text[bulk.text.index(f"{site.ev_trees}: ") :]
    assert "Senast ändrat av anna" in _changed_by(item)


def test_tracker_settings_saved_first_are_named(site: Site) -> None:
    first, second = make_client(site.store), make_client(site.store)
    first_token, second_token = login(first, "admin1"), login(second, "admin1")
    first_form, second_form = _form(first.get(SETTINGS).text), _form(second.get(SETTINGS).text)
    renamed = first.post(
        SETTINGS, data=first_form | {"name": "Nytt namn", "csrf_token": first_token}
    )
    assert renamed.status_code == 303
    stale = second.post(
        SETTINGS, data=second_form | {"description": "Ny", "csrf_token": second_token}
    )
    assert stale.status_code == 409
    assert re.fullmatch(
        rf"Senast ändrat av admin1 den {_WHEN} \(UTC\): mätare ändrad \(namn\)\.",
        _changed_by(stale.text),
    )


def test_a_document_corrected_first_is_named(client: TestClient, site: Site) -> None:
    token = login(client, "anna")
    form = client.get(f"/edit/documents/{site.program}").text
    seen = re.search(r'name="expected" value="([0-9a-f]+)"', form)
    assert seen is not None
    bo = make_client(site.store)
    bo_token = login(bo, "bo")
    data = {"kind": "program", "date": "2022-08-01", "expected": seen.group(1)}
    assert (
        bo.post(
            f"/edit/documents/{site.program}", data=data | {"title": "Bos", "csrf_token": bo_token}
        ).status_code
        == 303
    )
    refused = client.post(
        f"/edit/documents/{site.program}", data=data | {"title": "Annas", "csrf_token": token}
    )
    assert refused.status_code == 409
    assert re.fullmatch(
        rf"Senast ändrat av bo den {_WHEN} \(UTC\): dokument rättat \(rubrik\)\.",
        _changed_by(refused.text),
    )
