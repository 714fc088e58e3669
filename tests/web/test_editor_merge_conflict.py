"""A merge that meets another editor's change (409) keeps the editor's choice and names who
changed which pledge (QA: the ticked pledge came back unticked, its value "5:3" being "5:4"
now, and the note named the page's own pledge, which nobody had changed)."""

from __future__ import annotations

import html
import re

from lofte.review import pledges as pledge_review
from lofte.store import pledges as pledge_store

from .conftest import PROGRAM, SCRIPT, Site, login, make_client


def test_a_merge_conflict_keeps_the_ticked_pledge_and_names_the_other_change(
    site: Site,
) -> None:
    left, right = pledge_review.split(
        site.store, site.trees, [PROGRAM.index(f" {SCRIPT}")], actor="tester"
    )
    anna, bo = make_client(site.store), make_client(site.store)
    anna_token, bo_token = login(anna, "anna"), login(bo, "bo")
    page = anna.get(f"/edit/pledges/{left.id}").text
    assert f'id="mg-{right.id}" name="with" value="{right.id}:{right.version}"' in page
    edited = bo.post(
        f"/edit/pledges/{right.id}/edit",
        data={"area": "Natur", "csrf_token": bo_token, "expected_version": str(right.version)},
    )
    assert edited.status_code == 303
    stale = anna.post(
        f"/edit/pledges/{left.id}/merge",
        data={
            "csrf_token": anna_token,
            "expected_version": str(left.version),
            "with": f"{right.id}:{right.version}",
        },
    )
    assert stale.status_code == 409
    box = re.search(rf'<input type="checkbox" id="mg-{right.id}"[^>]*>', stale.text)
    assert box and " checked" in box.group(0), box
    assert f'value="{right.id}:{right.version + 1}"' in box.group(0)  # sending again: a choice
    said = re.search(r'<p class="changed-by">(.*?)</p>', stale.text, re.S)
    assert said, "the conflict names nobody"
    assert re.fullmatch(
        rf"Senast ändrat av bo den \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}} \(UTC\): "
        rf"löfte {right.id}: löfte ändrat \(område\)\.",
        html.unescape(said.group(1)),
    ), said.group(1)
    with site.store.session() as s:  # nothing merged
        assert pledge_store.get_pledge(s, left.id).version == left.version
