"""The editor's pledge page links the pledge's public page and its place in the public document
only when the public has them (QA: a candidate's "publik sida" was a 404 even for the editor,
and /documents/N#pledge-N pointed at an anchor the public page lacked)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from lofte.store import trackers as tracker_store

from .conftest import Site, login


def _confirmed_only(site: Site) -> None:
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, site.slug).show_candidates = False


def _source_href(page: str) -> str:
    found = re.search(r'<p class="meta">Källa: <a href="([^"]*)"', page)
    assert found, "no source link"
    return found.group(1)


@pytest.mark.parametrize("name", ["trees", "vague", "group"])
def test_a_pledge_without_a_public_page_says_so_and_links_no_404(
    client: TestClient, site: Site, name: str
) -> None:
    """A candidate, a rejected pledge never shown, a group no one confirmed: no public page
    in a tracker of confirmed pledges."""
    _confirmed_only(site)
    login(client, "anna")
    pledge_id = getattr(site, name)
    assert client.get(f"/pledges/{pledge_id}").status_code == 404  # the public rule itself
    page = client.get(f"/edit/pledges/{pledge_id}").text
    assert f'href="/pledges/{pledge_id}"' not in page
    assert "ingen publik sida: löftet visas inte för allmänheten" in page
    public = client.get(f"/documents/{site.program}").text
    assert f'id="pledge-{pledge_id}"' not in public
    assert f'href="/documents/{site.program}#pledge-{pledge_id}"' not in page
    # its words are marked on the editors' document page, a rejected one's nowhere
    if name == "vague":
        assert _source_href(page) == f"/documents/{site.program}"
    else:
        href = _source_href(page)
        assert href == f"/edit/documents/{site.program}#pledge-{pledge_id}"
        assert f'id="pledge-{pledge_id}"' in client.get(href.split("#")[0]).text
    english = client.get(f"/edit/pledges/{pledge_id}", params={"lang": "en"}).text
    assert "no public page: the pledge is not shown to the public" in english


def test_a_public_pledge_links_its_page_and_its_place_in_the_document(
    client: TestClient, site: Site
) -> None:
    login(client, "anna")
    # shown candidates are public; a rejected one that was shown, and a group, keep a page
    # but are not marked in the document
    for name, marked in (("pool", True), ("trees", True), ("vague", False), ("group", False)):
        pledge_id = getattr(site, name)
        assert client.get(f"/pledges/{pledge_id}").status_code == 200, name
        page = client.get(f"/edit/pledges/{pledge_id}").text
        assert f'<a href="/pledges/{pledge_id}">publik sida</a>' in page, name
        assert "löftet visas inte" not in page, name
        public = client.get(f"/documents/{site.program}").text
        assert (f'id="pledge-{pledge_id}"' in public) is marked, name
        anchor = f"/documents/{site.program}#pledge-{pledge_id}"
        assert (_source_href(page) == anchor) is marked, name
