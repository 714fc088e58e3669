"""Concurrent edits through a real server: editors posting the same version at the same moment.

Each round, WRITERS threads wait at a barrier and then post the same `expected_version` (or
decide the same suggested evidence). Exactly one may win (303); every other one gets 409 with its
own input still in the form, and the audit log gains exactly one event for the round.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy import func, select, update

from lofte.store import pledges as pledge_store
from lofte.store.schema import AuditEventRow, EvidenceRow

from .conftest import Site, live_server, login_http

WRITERS = 4
ROUNDS = 20


@dataclass
class Answer:
    status: int
    text: str
    mine: str  # the input this writer sent, which a 409 page must show again


Post = Callable[[httpx.Client, str, int, int, int], Answer]  # client, csrf, version, round, writer


def _events(site: Site, entity_type: str, entity_id: int) -> int:
    with site.store.session() as s:
        return (
            s.scalar(
                select(func.count(AuditEventRow.id)).where(
                    AuditEventRow.entity_type == entity_type, AuditEventRow.entity_id == entity_id
                )
            )
            or 0
        )


def _version(site: Site, pledge_id: int) -> int:
    with site.store.session() as s:
        return pledge_store.get_pledge(s, pledge_id).version


def _race(
    site: Site, post: Post, entity: tuple[str, int], before_round: Callable[[], None], name: str
) -> None:
    """Run ROUNDS rounds of WRITERS simultaneous posts; assert one winner and one event each."""
    with live_server(site.store) as base:
        clients = [
            httpx.Client(base_url=base, follow_redirects=False, timeout=60) for _ in range(WRITERS)
        ]
        tokens = [login_http(c, ("anna", "bo")[i % 2]) for i, c in enumerate(clients)]
        barrier = threading.Barrier(WRITERS)
        doubled, problems = 0, []
        for round_no in range(ROUNDS):
            before_round()
            version = _version(site, site.pool)
            events_before = _events(site, *entity)
            answers: list[Answer | None] = [None] * WRITERS

            def writer(
                i: int,
                answers: list[Answer | None] = answers,
                version: int = version,
                round_no: int = round_no,
            ) -> None:
                barrier.wait()
                answers[i] = post(clients[i], tokens[i], version, round_no, i)

            threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            got = [a for a in answers if a is not None]
            winners = sum(a.status == 303 for a in got)
            doubled += winners > 1
            for a in got:
                if a.status not in (303, 409):
                    problems.append(f"round {round_no}: status {a.status}")
                elif a.status == 409 and html.escape(a.mine, quote=True) not in a.text:
                    problems.append(f"round {round_no}: the 409 page lost the input {a.mine!r}")
            if winners == 1 and _events(site, *entity) != events_before + 1:
                problems.append(
                    f"round {round_no}: {_events(site, *entity) - events_before} events"
                )
            if len(got) != WRITERS or winners == 0:
                problems.append(f"round {round_no}: {len(got)} answers, {winners} winners")
        for c in clients:
            c.close()
    dialect = site.store.engine.dialect.name
    assert doubled == 0, f"{name} {dialect}: {doubled}/{ROUNDS} rounds with more than one winner"
    assert not problems, problems


def test_simultaneous_verdicts_have_one_winner(site: Site) -> None:
    def post(client: httpx.Client, token: str, version: int, round_no: int, i: int) -> Answer:
        rationale = f"Skäl {round_no}-{i} från skribent {i}"
        r = client.post(
            f"/edit/pledges/{site.pool}/verdict",
            data={
                "status": "in_the_works",
                "rationale": rationale,
                "csrf_token": token,
                "expected_version": str(version),
            },
        )
        return Answer(r.status_code, r.text, rationale)

    _race(site, post, ("pledge", site.pool), lambda: None, "verdict")


def test_simultaneous_edits_have_one_winner(site: Site) -> None:
    def post(client: httpx.Client, token: str, version: int, round_no: int, i: int) -> Answer:
        area = f"Område {round_no}-{i}"
        r = client.post(
            f"/edit/pledges/{site.pool}/edit",
            data={
                "area": area,
                "topic": "",
                "start": "",
                "end": "",
                "csrf_token": token,
                "expected_version": str(version),
            },
        )
        return Answer(r.status_code, r.text, area)

    _race(site, post, ("pledge", site.pool), lambda: None, "edit")


def test_simultaneous_accept_and_reject_have_one_winner(site: Site) -> None:
    def suggest_again() -> None:  # each round starts from an undecided suggestion
        with site.store.session() as s:
            s.execute(
                update(EvidenceRow)
                .where(EvidenceRow.id == site.ev_pool)
                .values(review_state="suggested")
            )

    def post(client: httpx.Client, token: str, version: int, round_no: int, i: int) -> Answer:
        r = client.post(
            f"/edit/evidence/{site.ev_pool}",
            data={
                "decision": ("accept", "reject")[i % 2],
                "back": f"/edit/pledges/{site.pool}",
                "csrf_token": token,
            },
        )
        if r.status_code == 303:
            shown = client.get(r.headers["location"]).text
            if "var redan" in shown:  # the same decision as the winner's: told, not a winner
                return Answer(409, shown, "")
        return Answer(r.status_code, r.text, "" if r.status_code != 409 else "redan avgjorts")

    _race(site, post, ("evidence", site.ev_pool), suggest_again, "evidence")
