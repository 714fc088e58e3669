"""On a phone (375 px) every checkbox of the editors' pages is a 24 x 24 px target at least
(WCAG 2.5.8), with a real label (QA: 13 x 13 px boxes: the queue's pick box, a verdict's
evidence, "Spara som utkast", the merge choices; the pick box had an aria-label only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lofte.review.verdicts import decide_evidence

from .conftest import Site, browser_login
from .test_browser import _shot, browser  # noqa: F401  # browser: the Chromium fixture

PHONE = 375
TARGET = 24

_BOXES = """() => [...document.querySelectorAll('input[type=checkbox]')].map(el => {
  const box = el.getBoundingClientRect();
  const labels = [...el.labels].map(l => l.textContent.trim()).filter(Boolean);
  return {id: el.id, width: box.width, height: box.height, labels};
})"""


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(
        viewport={"width": PHONE, "height": 812}, locale="sv-SE", java_script_enabled=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_checkboxes_are_24_px_targets_with_labels_at_375_px(
    phone: Any, served: tuple[str, Site]
) -> None:
    base, site = served
    decide_evidence(site.store, site.ev_pool, True, actor="anna")  # a verdict's evidence box
    browser_login(phone, base, f"/edit/trackers/{site.slug}/queue")
    seen: dict[str, list[dict[str, Any]]] = {}
    for path in (f"/edit/trackers/{site.slug}/queue", f"/edit/pledges/{site.pool}"):
        phone.goto(f"{base}{path}")
        seen[path] = phone.evaluate(_BOXES)
    _shot(phone, "phone-pledge-checkboxes")
    queue, pledge = seen.values()
    assert {b["id"] for b in queue} >= {f"pick-{site.ev_preschool}", f"pick-{site.ev_trees}"}
    ids = {b["id"] for b in pledge}
    assert {f"v-ev-{site.ev_pool}", "v-draft"} <= ids and any(i.startswith("mg-") for i in ids)
    for box in [*queue, *pledge]:
        assert box["width"] >= TARGET and box["height"] >= TARGET, box
        assert box["labels"], f"{box['id']} has no label"
    pick = next(b for b in queue if b["id"] == f"pick-{site.ev_trees}")
    assert pick["labels"] == [f"Markera förslag {site.ev_trees}"]
