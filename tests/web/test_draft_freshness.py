"""A draft verdict is not public until it is published: saving one moves nothing a reader sees
or can validate against (the pledge's version and `modified_at`, the API's ETag and
Last-Modified, the public pages, the trackers' stamps, "senast uppdaterad"); publishing it
moves them. The editors' version check still holds for drafts."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from lofte.errors import AlreadySavedError, ConflictError
from lofte.model import Verdict, VerdictStatus
from lofte.review.verdicts import decide_evidence, publish_verdict, set_verdict
from lofte.store import freshness
from lofte.store import pledges as pledge_store
from lofte.store import verdicts as verdict_store
from lofte.store.schema import PledgeRow

from .conftest import Site

API = (
    "/api/v1/pledges/{pool}",
    "/api/v1/pledges",
    "/api/v1/verdicts?tracker=sjovik",
    "/api/v1/trackers",
)
PUBLIC = ("/pledges/{pool}", "/api/pledges/{pool}", "/trackers/sjovik", "/api/trackers/sjovik")


def _rated(site: Site) -> None:
    """A published verdict first: the public already sees a status and a verdict."""
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    set_verdict(
        site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Upphandlas.", [site.ev_pool], actor="bo"
    )


def _version(site: Site) -> int:
    with site.store.session() as s:
        return pledge_store.get_pledge(s, site.pool).version


def _seen(client: TestClient, site: Site) -> dict[str, tuple[str, str, bytes]]:
    """Each API answer's ETag, Last-Modified and body."""
    out = {}
    for url in (u.format(pool=site.pool) for u in API):
        answer = client.get(url)
        assert answer.status_code == 200, url
        out[url] = (answer.headers["etag"], answer.headers["last-modified"], answer.content)
    return out


def _pages(client: TestClient, site: Site) -> dict[str, bytes]:
    return {u: client.get(u.format(pool=site.pool)).content for u in PUBLIC}


def _stamps(site: Site) -> tuple[object, ...]:
    with site.store.session() as s:
        tracker = pledge_store.get_pledge(s, site.pool).tracker_id
        return (
            freshness.tracker_stamp(s, tracker),
            freshness.last_change(s),
            freshness.last_updated(s, tracker),
        )


def test_saving_a_draft_moves_no_public_validator_and_publishing_it_does(
    client: TestClient, site: Site
) -> None:
    _rated(site)
    version = _version(site)
    time.sleep(1.05 - time.time() % 1)  # its second over: Last-Modified is that second's
    before, pages, stamps = _seen(client, site), _pages(client, site), _stamps(site)
    time.sleep(1.1)  # HTTP dates are whole seconds: a moved Last-Modified would show
    draft = set_verdict(
        site.store,
        site.pool,
        VerdictStatus.KEPT,
        "Invigd, enligt kommunen.",
        [site.ev_pool],
        actor="anna",
        expected_version=version,
        draft=True,
    )
    assert not draft.published
    assert _version(site) == version  # the version is public (the API's pledge record)
    assert _stamps(site) == stamps
    assert _seen(client, site) == before
    assert _pages(client, site) == pages
    for url, (tag, modified, _) in before.items():
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 304, url
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304, url

    publish_verdict(site.store, draft.id, actor="bo")
    assert _version(site) == version + 1
    after = _seen(client, site)
    for url in (u.format(pool=site.pool) for u in API[:3]):  # the pledge, the lists
        assert after[url][0] != before[url][0], url
        assert after[url][1] != before[url][1], url
        assert client.get(url, headers={"If-None-Match": before[url][0]}).status_code == 200
    assert client.get(f"/api/v1/pledges/{site.pool}").json()["status"] == "kept"
    assert _pages(client, site)[PUBLIC[0]] != pages[PUBLIC[0]]


def test_a_draft_on_a_stale_version_is_a_conflict(site: Site) -> None:
    """Two editors: one rates the pledge, the other's form still carries the version before."""
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    seen = _version(site)
    set_verdict(
        site.store, site.pool, VerdictStatus.IN_THE_WORKS, "Upphandlas.", [site.ev_pool], actor="bo"
    )
    with pytest.raises(ConflictError, match="changed by someone else"):
        set_verdict(
            site.store,
            site.pool,
            VerdictStatus.STALLED,
            "Inget händer.",
            actor="anna",
            expected_version=seen,
            draft=True,
        )
    with site.store.session() as s:
        assert [v.published for v in verdict_store.verdict_history(s, site.pool)] == [True]


def test_a_draft_is_held_to_the_version_in_the_database(site: Site) -> None:
    """The check is the database's: a change committed after the editor's session read the
    pledge (its row is still the one read) makes the draft's UPDATE match no row."""
    decide_evidence(site.store, site.ev_pool, True, actor="anna")
    with site.store.session() as s:
        kept = s.get(PledgeRow, site.pool)  # the row as read (the session holds it weakly)
        assert kept is not None
        read = kept.version
        with site.store.session() as other:  # another editor's change, committed meanwhile
            row = other.get(PledgeRow, site.pool)
            assert row is not None
            row.version += 1
        with pytest.raises(ConflictError, match=f"you saw version {read}"):
            verdict_store.add_verdict(
                s,
                site.pool,
                VerdictStatus.STALLED,
                "Inget händer.",
                [],
                author_id=None,
                actor="anna",
                published=False,
            )
        s.rollback()
    with site.store.session() as s:
        assert verdict_store.verdict_history(s, site.pool) == []


def test_a_draft_sent_twice_is_saved_once(site: Site) -> None:
    """The form sent again (a double click) carries the same version, which the draft left as
    it was: the repeat is found as the newest verdict, not saved twice."""
    seen = _version(site)

    def save() -> Verdict:
        return set_verdict(
            site.store,
            site.pool,
            VerdictStatus.STALLED,
            "Inget händer.",
            actor="anna",
            expected_version=seen,
            draft=True,
        )

    first = save()
    with pytest.raises(AlreadySavedError, match=f"already has this verdict \\({first.id}\\)"):
        save()
    with site.store.session() as s:
        assert len(verdict_store.verdict_history(s, site.pool)) == 1
