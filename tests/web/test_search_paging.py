"""A search's later pages (QA: `/search?q=sjövik` page 2 repeated page 1's pledge hits above
its documents, its title had no page number, and "Nästa" landed at the top of the form)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from lofte.store import documents as document_store
from lofte.store import trackers as tracker_store
from lofte.store.schema import DocumentRow

from .conftest import Site


def _news_about_the_pool(site: Site, n: int) -> None:
    """`n` more news documents holding "simhall", which a pledge holds too."""
    with site.store.session() as s:
        tracker = tracker_store.get_tracker_row(s, site.slug)
        for i in range(n):
            body = f"Nyhet nummer {i} om simhallen i Norrvik."
            s.add(
                DocumentRow(
                    tracker_id=tracker.id,
                    origin=f"pool-{i}.txt",
                    item_key="0",
                    kind="news",
                    title=f"Simhallen {i}",
                    body=body,
                    content_hash=f"pool-{i}",
                    raw_sha256=document_store.put_raw(s, body.encode(), "text/plain"),
                    stage="parse:test",
                    stage_version="1",
                    date_value=dt.date(2024, 1, 1) + dt.timedelta(days=i),
                    date_precision="day",
                    date_provenance="explicit",
                )
            )


def _title(page: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    assert found
    return found.group(1).strip()


@pytest.mark.parametrize(
    ("lang", "pledges", "later_title", "to_pledges"),
    [
        (
            "sv",
            "Löften (1)",
            "Sök: simhall – sida 2 – Löfte",
            "Löften som träffar (1) visas på sida 1.",
        ),
        (
            "en",
            "Pledges (1)",
            "Search: simhall – page 2 – Löfte",
            "Matching pledges (1) are shown on page 1.",
        ),
    ],
)
def test_a_search_s_later_page_pages_its_documents_only(
    client: TestClient, site: Site, lang: str, pledges: str, later_title: str, to_pledges: str
) -> None:
    _news_about_the_pool(site, 30)  # two pages of 20 documents
    first = client.get(f"/search?q=simhall&lang={lang}").text
    assert pledges in first and 'id="hits-pledges"' in first
    assert _title(first) == later_title.replace(" – sida 2" if lang == "sv" else " – page 2", "")
    # the pager lands on the documents it pages, not on the search form
    assert 'href="/search?q=simhall&amp;lang=' + lang + '&amp;page=2#hits-documents"' in first
    second = client.get(f"/search?q=simhall&lang={lang}&page=2").text
    assert _title(second) == later_title
    assert pledges not in second and 'id="hits-pledges"' not in second
    assert "/pledges/" not in second  # no pledge hit repeated
    # where the pledges are is said, with the way there
    assert f'<a href="/search?q=simhall&amp;lang={lang}#hits-pledges">{to_pledges}</a>' in second
    assert 'id="hits-documents"' in second and "Simhallen" in second
    assert 'href="/search?q=simhall&amp;lang=' + lang + '&amp;page=1#hits-documents"' in second
