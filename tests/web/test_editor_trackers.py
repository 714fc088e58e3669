"""The tracker's settings form (web/editor_trackers.py) under two admins at once."""

from __future__ import annotations

import html
import re

from lofte.store import audit
from lofte.store import trackers as tracker_store

from .conftest import Site, login, make_client

SETTINGS = "/edit/trackers/sjovik/settings"
_SEEN = re.compile(r'<input type="hidden" name="seen" value="([^"]*)">')


def _form(page: str) -> dict[str, str]:
    """What the settings form sends as loaded: its fields and its hidden `seen`."""
    text = html.unescape(page)
    fields = dict(re.findall(r'<input id="s-[\w-]+" name="(\w+)"[^>]*? value="([^"]*)"', text))
    fields |= dict(
        re.findall(r'<textarea id="s-[\w-]+" name="(\w+)"[^>]*>([^<]*)</textarea>', text)
    )
    seen = _SEEN.search(page)
    return fields if seen is None else fields | {"seen": seen.group(1)}


def test_two_admins_saving_one_loaded_form_do_not_undo_each_other(site: Site) -> None:
    """Both admins open the settings; one renames the tracker, then the other saves a new
    description from the page as it was loaded. The old code saved both ("saved" twice), the
    second putting the old name back; now the second gets a 409 with what it typed kept."""
    first, second = make_client(site.store), make_client(site.store)
    first_token, second_token = login(first, "admin1"), login(second, "admin1")
    first_form = _form(first.get(SETTINGS).text)
    second_form = _form(second.get(SETTINGS).text)
    old_name = first_form["name"]

    renamed = first.post(
        SETTINGS, data=first_form | {"name": "Nytt namn", "csrf_token": first_token}
    )
    assert renamed.status_code == 303, renamed.text
    stale = second.post(
        SETTINGS,
        data=second_form | {"description": "Min beskrivning", "csrf_token": second_token},
    )
    assert stale.status_code == 409, stale.text
    assert "har ändrats av någon annan" in html.unescape(stale.text)
    assert "Min beskrivning" in html.unescape(stale.text)  # the input is kept
    with site.store.session() as s:
        tracker = tracker_store.get_tracker(s, site.slug)
        edits = [e for e in audit.all_events(s) if e.action == "tracker.edit"]
    assert (tracker.name, tracker.description) == ("Nytt namn", None) and old_name != "Nytt namn"
    assert len(edits) == 1
    # sent again from the page the 409 showed (it carries the new state): saved
    again = second.post(
        SETTINGS, data=_form(stale.text) | {"name": "Nytt namn", "csrf_token": second_token}
    )
    assert again.status_code == 303, again.text
    with site.store.session() as s:
        tracker = tracker_store.get_tracker(s, site.slug)
    assert (tracker.name, tracker.description) == ("Nytt namn", "Min beskrivning")
