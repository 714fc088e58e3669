"""On a draft tracker an editor reads the program's text on the editors' document page, and
the editors' pages link there, not to public pages that are 404 for a draft (QA: the pledge
page linked /pledges/N and /documents/N#pledge-N, and /edit/documents/N showed no text though
its add-pledge form said to copy words from the program)."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from lofte.store import trackers as tracker_store

from .conftest import SCRIPT, Site, login


def _draft(site: Site) -> None:
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, site.slug).published_at = None


def _public_links(page: str) -> list[str]:
    return re.findall(r'href="(/(?:documents|pledges)/[^"]*)"', page)


def test_a_draft_s_document_text_is_on_the_editors_page_with_its_pledges_marked(
    client: TestClient, site: Site
) -> None:
    _draft(site)
    login(client, "anna")
    assert client.get(f"/documents/{site.program}").status_code == 404  # no public page
    page = client.get(f"/edit/documents/{site.program}").text
    text = page[page.index('id="text-heading"') :]
    assert "Vi ska bygga en ny simhall i Norrvik." in text
    assert SCRIPT not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text
    assert f'<span id="pledge-{site.pool}" class="anchor"></span><mark class="pledge">' in text
    assert f'id="pledge-{site.vague}"' not in text  # a rejected pledge is not marked
    assert f'<a href="/edit/pledges/{site.pool}" lang="sv">' in text
    assert _public_links(page) == []


def test_a_draft_s_editor_pages_link_the_editors_document_page(
    client: TestClient, site: Site
) -> None:
    _draft(site)
    login(client, "anna")
    pledge = client.get(f"/edit/pledges/{site.pool}").text
    assert _public_links(pledge) == []
    assert f'href="/edit/documents/{site.program}#pledge-{site.pool}"' in pledge
    assert f'href="/edit/documents/{site.news["pool"]}"' in pledge  # the evidence's document
    assert "ingen publik sida: mätaren är ett utkast" in pledge
    for path in (
        f"/edit/trackers/{site.slug}/queue",
        f"/edit/pledges/{site.pool}/attach",
        f"/edit/trackers/{site.slug}/documents/{site.news['pool']}",
    ):
        assert _public_links(client.get(path).text) == [], path
    # a public tracker's pages link its public pages, as before
    with site.store.session() as s:
        tracker_store.get_tracker_row(s, site.slug).published_at = dt.datetime(2024, 1, 1)
    pledge = client.get(f"/edit/pledges/{site.pool}").text
    assert f'href="/documents/{site.program}#pledge-{site.pool}"' in pledge
    assert f'href="/pledges/{site.pool}"' in pledge
