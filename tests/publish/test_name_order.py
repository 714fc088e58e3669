"""Names readers see in lists (policy areas, parties, trackers) are in Swedish alphabetical
order: … z å ä ö (language/collate.py), not the code-point or `casefold` order (ä before å)."""

from __future__ import annotations

import datetime as dt

import pytest

from lofte.publish import editor_pages, pages, visibility
from lofte.review import deadlines
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from lofte.store.schema import PledgeRow, TrackerRow

from ..web.conftest import Site, build_site

# one public pledge per area, so the meter's "largest first" ties and the names decide
AREAS = {"pool": "Zoner", "preschool": "Återvinning", "teacher": "Äldreomsorg", "trees": "Öppet"}
SWEDISH_AREAS = ["Zoner", "Återvinning", "Äldreomsorg", "Öppet"]


@pytest.fixture
def site(store: Store) -> Site:
    site = build_site(store)
    rows = {
        "pool": site.pool,
        "preschool": site.children[0],
        "teacher": site.children[1],
        "trees": site.trees,
    }
    parties = {"pool": "Ärlighetspartiet", "trees": "Åtgärdspartiet"}
    with store.session() as s:
        for key, pledge_id in rows.items():
            row = s.get_one(PledgeRow, pledge_id)
            row.area = AREAS[key]
            row.party = parties.get(key, "S")
        s.get_one(PledgeRow, site.group).area = "Zoner"
        for slug, name in (("angelholm", "Ängelholm 2022–2026"), ("are", "Åre 2022–2026")):
            tracker_store.add_tracker(s, slug, name)
            s.get_one(TrackerRow, tracker_store.get_tracker(s, slug).id).published_at = dt.datetime(
                2024, 1, 1
            )
    return site


def test_area_lists_and_the_area_sort_are_in_swedish_order(site: Site) -> None:
    with site.store.session() as s:
        listed = pages.pledge_list(s, site.slug, sort="area")
        meter = pages.tracker_meter(s, site.slug)
        party = pages.party_page(s, site.slug, "S")
    assert listed["areas"] == SWEDISH_AREAS
    assert [p["area"] for p in listed["pledges"]] == SWEDISH_AREAS
    assert [a["area"] for a in meter["meter"]["by_area"]] == SWEDISH_AREAS
    assert [a["area"] for a in party["meter"]["by_area"]] == ["Återvinning", "Äldreomsorg"]


def test_parties_beyond_the_actors_are_in_swedish_order(site: Site) -> None:
    with site.store.session() as s:
        listed = pages.pledge_list(s, site.slug)
        meter = pages.tracker_meter(s, site.slug)
    # the tracker's actors first, in their order, then the others alphabetically
    expected = ["S", "V", "Åtgärdspartiet", "Ärlighetspartiet"]
    assert listed["parties"] == expected
    assert [p["party"] for p in meter["by_party"]] == expected


def test_the_home_page_lists_trackers_by_name_in_swedish_order(site: Site) -> None:
    with site.store.session() as s:
        listed = [t.name for t in visibility.listed_trackers(s)]
        overview = [t["name"] for t in pages.trackers_overview(s)]
    assert listed == ["Sjövik 2022–2026", "Åre 2022–2026", "Ängelholm 2022–2026"]
    assert overview == listed


def test_the_editors_area_and_party_menus_and_worklist_are_in_swedish_order(site: Site) -> None:
    with site.store.session() as s:
        queue = editor_pages.review_queue(s, site.slug)
        work = deadlines.worklist(s, site.slug, dt.date(2024, 6, 1))
    assert queue["areas"] == SWEDISH_AREAS
    assert queue["parties"] == ["S", "Åtgärdspartiet", "Ärlighetspartiet"]
    # nothing is overdue: the worklist goes by area, then the program's order
    assert [item.pledge.area for item in work.items] == ["Zoner", "Återvinning", "Äldreomsorg"]
