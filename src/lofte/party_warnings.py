"""The warning for programs of no party in a tracker of several actors, said by `lofte ingest`
when they are stored and by `lofte extract` while they stay so (QA: a program ingested
without --party gave 135 pledges of no party, without a word)."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Tracker


def no_party_warnings(tracker: Tracker, programs: Sequence[int], title: str = "") -> list[str]:
    """One warning naming the programs (ids, at most three; `title`: the one program's), or
    none when the tracker has fewer than two actors: a single actor's program is plainly
    that actor's."""
    if not programs or len(tracker.actors) < 2:
        return []
    ids = ", ".join(map(str, programs[:3])) + (", …" if len(programs) > 3 else "")
    one = len(programs) == 1
    named = f" ({title[:60]})" if one and title else ""
    what = f"document {ids}{named} is a program" if one else f"documents {ids} are programs"
    return [
        f"{what} of no party, and tracker {tracker.slug} has {len(tracker.actors)} actors "
        f"({', '.join(tracker.actors)}): {'its' if one else 'their'} pledges have no party; "
        f"give --party when ingesting, or `lofte document edit {programs[0]} --party NAME` "
        f"gives {'it' if one else 'each'} one, and {'its' if one else 'their'} pledges with it"
    ]
