"""A refused attach from the search page shows that search again, with what was typed.

QA: a 422 answered without the search query (the article holding the kept form was gone, and
with it the typed reason and passage), its pager linked another query, and a 409 (another
editor attached the same document first) lost the typed text and named nobody.
"""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from httpx import Response

from lofte.review import evidence as evidence_review
from lofte.review import pledges

from .conftest import Site, login
from .test_editor_evidence import _weak_document, many_pool_documents

REASON = "Nämns <b>inte</b> & ändå relevant"
ESCAPED = "Nämns &lt;b&gt;inte&lt;/b&gt; &amp; ändå relevant"


def _attach(client: TestClient, site: Site, document: int, token: str, **form: str) -> Response:
    """The pool pledge's attach form for `document`, sent with `form`'s fields."""
    data = {"document_id": str(document), "csrf_token": token, **form}
    return client.post(f"/edit/pledges/{site.pool}/attach/document", data=data)


def _articles(page: str) -> list[int]:
    return [
        int(i) for i in re.findall(r'<article class="candidate" aria-labelledby="doc-(\d+)"', page)
    ]


def test_a_refused_attach_shows_the_search_it_came_from_with_the_typed_text(
    client: TestClient, site: Site
) -> None:
    many_pool_documents(site)
    weak = _weak_document(site)
    token = login(client, "anna")
    unsearched = client.get(f"/edit/pledges/{site.pool}/attach").text
    assert weak not in _articles(unsearched)  # only a search finds it
    searched = client.get(f"/edit/pledges/{site.pool}/attach", params={"q": "midsommar"}).text
    assert weak in _articles(searched)
    form = searched[searched.index(f'id="attach-reason-{weak}"') - 1500 :]
    assert '<input type="hidden" name="q" value="midsommar">' in form  # the form carries it
    back = f"/edit/pledges/{site.pool}"
    fields = {"back": back, "reason": REASON, "passage": "firade jul", "q": "midsommar"}
    refused = _attach(client, site, weak, token, **fields)
    assert refused.status_code == 422
    text = refused.text
    assert weak in _articles(text)  # the article with the kept form is there
    assert 'id="attach-q" name="q" type="search" value="midsommar"' in text
    kept = text[text.index(f'id="attach-reason-{weak}"') :]
    assert f'value="{ESCAPED}"' in kept[:400] and ">firade jul</textarea>" in kept


def test_a_refused_attach_on_a_later_page_shows_that_page_and_pages_its_own_query(
    client: TestClient, site: Site
) -> None:
    many_pool_documents(site)
    token = login(client, "anna")
    second = client.get(f"/edit/pledges/{site.pool}/attach", params={"q": "simhall", "page": 2})
    on_page = _articles(second.text)
    assert on_page and '<input type="hidden" name="page" value="2">' in second.text
    refused = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={
            "document_id": str(on_page[0]),
            "passage": "finns inte här",
            "q": "simhall",
            "page": "2",
            "csrf_token": token,
        },
        # the browser's Referer after an earlier refusal: the POST-only address
        headers={"Referer": f"http://testserver/edit/pledges/{site.pool}/attach/document"},
    )
    assert refused.status_code == 422
    assert _articles(refused.text) == on_page
    prev = re.search(r'<a href="([^"]+)" rel="prev">', refused.text)
    assert prev and html.unescape(prev.group(1)) == (
        f"/edit/pledges/{site.pool}/attach?q=simhall&page=1"
    )
    # a page that is not one is page 1, not an error
    odd = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={
            "document_id": str(on_page[0]),
            "passage": "nej",
            "q": "simhall",
            "page": "9" * 30,
            "csrf_token": token,
        },
    )
    assert odd.status_code == 422 and 'rel="next"' in odd.text


def test_a_document_attached_first_by_another_editor_names_them_and_keeps_the_text(
    client: TestClient, site: Site
) -> None:
    many_pool_documents(site)
    weak = _weak_document(site)
    token = login(client, "anna")
    evidence_review.attach_document(site.store, site.pool, weak, actor="bo")  # bo was first
    late = client.post(
        f"/edit/pledges/{site.pool}/attach/document",
        data={
            "document_id": str(weak),
            "reason": REASON,
            "passage": "firade midsommar",
            "q": "midsommar",
            "csrf_token": token,
        },
    )
    assert late.status_code == 409
    text = late.text
    said = re.search(r'<p class="changed-by">(.*?)</p>', text, re.S)
    assert said, "the conflict names nobody"
    assert re.fullmatch(
        r"Senast ändrat av bo den \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\): belägg tillagt"
        r"( \([^)]*\))?\.",
        html.unescape(said.group(1)),
    ), said.group(1)
    assert weak in _articles(text)  # the search it came from
    article = text[text.index(f'aria-labelledby="doc-{weak}"') :]
    article = article[: article.index("</article>")]
    assert "Redan belägg" in article
    assert f"readonly>{ESCAPED}</textarea>" in article  # what anna typed, to copy
    assert "readonly>firade midsommar</textarea>" in article


def test_an_attach_refused_from_the_pledge_page_keeps_the_typed_text_to_copy(
    client: TestClient, site: Site
) -> None:
    # QA: the pledge was rejected while the editor typed; the 422 search page had no form of
    # that document (no query finds it), so the reason was shown nowhere
    many_pool_documents(site)
    weak = _weak_document(site)
    token = login(client, "anna")
    pledges.reject(site.store, site.pool, actor="berit")
    back = f"/edit/pledges/{site.pool}"
    refused = _attach(client, site, weak, token, back=back, reason=REASON, passage="firade jul")
    assert refused.status_code == 422
    text = refused.text
    assert "is rejected" in html.unescape(text) or "är avvisat" in text
    assert weak not in _articles(text)
    kept = text[text.index('id="typed-heading"') :]
    assert f"readonly>{ESCAPED}</textarea>" in kept and "readonly>firade jul</textarea>" in kept


def test_a_refused_passage_is_marked_by_the_field_the_error_names(
    client: TestClient, site: Site
) -> None:
    many_pool_documents(site)
    weak = _weak_document(site)
    token = login(client, "anna")
    refused = _attach(
        client, site, weak, token, reason="ok", passage="finns inte här", q="midsommar"
    )
    assert refused.status_code == 422
    text = refused.text
    assert 'id="typed-heading"' not in text  # the form is on the page, and keeps it
    passage = text[text.index(f'id="attach-passage-{weak}"') :][:300]
    reason = text[text.index(f'id="attach-reason-{weak}"') :][:300]
    assert 'aria-invalid="true"' in passage and "aria-invalid" not in reason.split(">")[0]
