"""A rejected pledge keeps its public page only if it was public before (publish/visibility.py,
`_was_shown`): the tracker's `show_candidates` as it was while the pledge was a candidate, from
the audit log, not as it is now (QA: showing candidates later made a never-public rejected
candidate public; hiding them later took a once-public one's page away)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lofte.cli import app
from lofte.errors import NotFoundError
from lofte.publish import visibility
from lofte.review import pledges as pledge_review
from lofte.review import tracker_admin
from lofte.review.trackers import publish_tracker, unpublish_tracker
from lofte.store.db import Store
from tests.review.fixtures import pledge_row, program_document
from tests.web.conftest import make_client

BODY = (
    "Vi ska bygga en ny simhall i Norrvik. "
    "Vi ska plantera tusen träd längs ån. "
    "Vi ska sänka taxan i förskolan."
)
POOL, TREES, TAXES = (
    "Vi ska bygga en ny simhall i Norrvik.",
    "Vi ska plantera tusen träd längs ån.",
    "Vi ska sänka taxan i förskolan.",
)


def _candidates(store: Store, show: bool) -> tuple[int, int, int]:
    """A published tracker `sjovik` (show_candidates as given, set through the log) with three
    extracted candidates: their ids."""
    doc = program_document(store, BODY)
    if show:
        tracker_admin.edit(store, "sjovik", actor="anna", show_candidates=True)
    publish_tracker(store, "sjovik", actor="anna")
    pool, trees, taxes = (pledge_row(store, doc, text) for text in (POOL, TREES, TAXES))
    return pool, trees, taxes


def _show(store: Store, show: bool) -> None:
    tracker_admin.edit(store, "sjovik", actor="anna", show_candidates=show)


def _has_page(store: Store, pledge_id: int) -> bool:
    with store.session() as s:
        try:
            visibility.public_pledge(s, pledge_id)
        except NotFoundError:
            return False
        return True


def _with_pages(store: Store) -> list[int]:
    with store.session() as s:
        return visibility.pledges_with_pages(s, visibility.public_tracker(s, "sjovik"))


def _answers(client: TestClient, pledge_id: int) -> set[int]:
    return {
        client.get(url).status_code
        for url in (f"/api/v1/pledges/{pledge_id}", f"/pledges/{pledge_id}")
    }


def test_a_candidate_rejected_while_hidden_stays_private_when_candidates_are_shown_later(
    store: Store,
) -> None:
    pool, trees, taxes = _candidates(store, show=False)
    pledge_review.reject(store, trees, actor="anna")
    pledge_review.confirm(store, taxes, actor="anna")  # a person confirmed it: it was public
    pledge_review.reject(store, taxes, actor="anna")
    client = make_client(store)
    assert _answers(client, trees) == {404}
    _show(store, True)
    assert _answers(client, pool) == {200}  # a candidate now shown: the setting took effect
    assert _answers(client, trees) == {404}
    assert not _has_page(store, trees)
    assert trees not in _with_pages(store) and pool in _with_pages(store)
    assert _answers(client, taxes) == {200} and taxes in _with_pages(store)
    _show(store, False)
    assert _answers(client, taxes) == {200} and taxes in _with_pages(store)


def test_a_candidate_rejected_while_shown_keeps_its_page_when_candidates_are_hidden_later(
    store: Store,
) -> None:
    pool, trees, _ = _candidates(store, show=True)
    pledge_review.reject(store, trees, actor="anna")
    client = make_client(store)
    assert _answers(client, trees) == {200}
    _show(store, False)
    assert _answers(client, pool) == {404}  # a candidate, hidden now
    assert _answers(client, trees) == {200}  # it was public: links to it stay whole
    assert trees in _with_pages(store) and pool not in _with_pages(store)


def test_shown_only_for_a_while_counts_only_within_the_candidate_s_time(store: Store) -> None:
    """Candidates shown after a pledge was created and before it was rejected: it was public.
    Shown and hidden again before another was created: that one never was."""
    doc = program_document(store, BODY)
    publish_tracker(store, "sjovik", actor="anna")
    _show(store, True)  # a window before either pledge was made
    _show(store, False)
    early = pledge_row(store, doc, POOL)
    _show(store, True)  # a window while `early` is a candidate
    _show(store, False)
    late = pledge_row(store, doc, TAXES)  # made after both windows closed
    for pledge_id in (late, early):
        pledge_review.reject(store, pledge_id, actor="anna")
    _show(store, True)  # shown again after both were rejected: changes nothing
    assert not _has_page(store, late)
    assert _has_page(store, early)
    assert sorted(_with_pages(store)) == [early]


def test_candidates_merged_while_hidden_stay_private_when_candidates_are_shown_later(
    store: Store,
) -> None:
    """A merge rejects the merged pledges in an event on the pledge it made (`pledge.merge`):
    that is when they stopped being candidates."""
    pool, trees, _ = _candidates(store, show=False)
    merged = pledge_review.merge(store, [pool, trees], actor="anna")
    _show(store, True)
    client = make_client(store)
    assert _answers(client, merged.id) == {200}  # a merge's result is confirmed
    for pledge_id in (pool, trees):
        assert _answers(client, pledge_id) == {404}, pledge_id
    assert merged.id in _with_pages(store)
    assert not {pool, trees} & set(_with_pages(store))


def test_lofte_tracker_edit_show_candidates_does_not_publish_a_rejected_candidate(
    store: Store, db_url: str
) -> None:
    """The QA tester's steps: reject a candidate of a tracker of confirmed pledges, then
    `lofte tracker edit SLUG --show-candidates`."""
    _, trees, _ = _candidates(store, show=False)
    pledge_review.reject(store, trees, actor="anna")
    result = CliRunner().invoke(
        app, ["--db", db_url, "tracker", "edit", "sjovik", "--show-candidates", "--actor", "qa"]
    )
    assert result.exit_code == 0, result.output
    assert make_client(store).get(f"/api/v1/pledges/{trees}").status_code == 404


def test_a_candidate_rejected_while_the_tracker_was_a_draft_stays_private_once_published(
    store: Store,
) -> None:
    """Review: a draft that shows candidates shows them to nobody. A candidate rejected then
    got a public page as soon as the tracker was published; one rejected while published keeps
    its page after the tracker was taken back to draft and published again."""
    doc = program_document(store, BODY)
    _show(store, True)  # a draft showing candidates: no one sees them
    pool, trees, taxes = (pledge_row(store, doc, text) for text in (POOL, TREES, TAXES))
    pledge_review.reject(store, trees, actor="anna")
    publish_tracker(store, "sjovik", actor="anna")
    pledge_review.reject(store, taxes, actor="anna")  # rejected while the public saw it
    unpublish_tracker(store, "sjovik", actor="anna")
    publish_tracker(store, "sjovik", actor="anna")
    client = make_client(store)
    assert _answers(client, pool) == {200}  # a candidate, shown
    assert _answers(client, trees) == {404}
    assert not _has_page(store, trees)
    assert _answers(client, taxes) == {200}
    assert sorted(_with_pages(store)) == sorted([pool, taxes])


def test_a_pledge_confirmed_and_rejected_while_a_draft_stays_private_once_published(
    store: Store,
) -> None:
    """Review: a person's confirmation made a rejected pledge "seen" whatever the tracker was
    then; one confirmed and rejected before the tracker was published never was public. One
    confirmed while published and rejected later keeps its page."""
    doc = program_document(store, BODY)
    pool, trees, taxes = (pledge_row(store, doc, text) for text in (POOL, TREES, TAXES))
    pledge_review.confirm(store, trees, actor="anna")
    pledge_review.reject(store, trees, actor="anna")  # in the draft: seen by no one
    pledge_review.confirm(store, taxes, actor="anna")
    publish_tracker(store, "sjovik", actor="anna")
    pledge_review.reject(store, taxes, actor="anna")  # seen while published
    client = make_client(store)
    assert _answers(client, trees) == {404}
    assert not _has_page(store, trees)
    assert _answers(client, taxes) == {200}
    assert sorted(_with_pages(store)) == [taxes]
    assert _answers(client, pool) == {404}  # a candidate of a tracker of confirmed pledges
