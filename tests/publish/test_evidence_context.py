"""The passage shown for a piece of evidence (`highlight.evidence_context`)."""

from __future__ import annotations

from sqlalchemy import text

from lofte.publish import highlight, pages
from lofte.store.db import Store
from tests.review.fixtures import pledge_with_evidence


def _shown(context: dict[str, object]) -> str:
    return "".join(p["text"] for p in context["pieces"])  # type: ignore[attr-defined,index]


def test_a_passage_is_shown_in_its_text() -> None:
    body = "Första meningen. Simhallen i Sjövik öppnade i dag. Sista meningen."
    shown = highlight.evidence_context(body, "Titel", 17, 51, terms=["simhallen"])
    assert "Simhallen i Sjövik öppnade i dag." in _shown(shown)


def test_a_document_that_is_only_a_title_shows_its_title(store: Store) -> None:
    """QA: a press page with no text (an invitation) was suggested with an empty passage."""
    assert _shown(highlight.evidence_context("", "Pressträff om simhallen", 0, 0)) == (
        "Pressträff om simhallen"
    )
    pledge_id, evidence_id = pledge_with_evidence(store)
    with store.session() as s:
        s.execute(
            text(
                "UPDATE documents SET body = '', title = 'Pressträff om simhallen' "
                "WHERE id = (SELECT document_id FROM evidence WHERE id = :e)"
            ),
            {"e": evidence_id},
        )
    with store.session() as s:
        detail = pages.pledge_detail(s, pledge_id, public=False)
    (shown,) = [e for e in detail["evidence"] if e["id"] == evidence_id]
    assert _shown(shown["context"]) == "Pressträff om simhallen"
