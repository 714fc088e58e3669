"""The demo: a fictional corpus loaded into SQLite and served on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from lofte.demo import build_demo, corpus_manifest, demo_accounts
from lofte.model import SourceKind
from lofte.review.audit import verify
from lofte.review.users import authenticate
from lofte.store import documents as document_store
from lofte.store import evidence as evidence_store
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store import verdicts as verdict_store


def test_the_demo_loads_its_tracker_and_documents(tmp_path: Path) -> None:
    reports = []
    store = build_demo(tmp_path / "demo.db", on_input=reports.append)
    try:
        assert reports and not [r for r in reports if r.error], [r.error for r in reports]
        slug = corpus_manifest()["tracker"]["slug"]
        with store.session() as s:
            tracker = tracker_store.get_tracker(s, slug)
            docs = document_store.list_documents(s, tracker.id)
        assert tracker.term_start and tracker.actors
        assert len(docs) >= 20
        assert {d.kind.value for d in docs} >= {"program", "news"}
        with store.session() as s:
            pledges = pledge_store.list_pledges(s, tracker.id)
            suggested = evidence_store.list_evidence(s, tracker_id=tracker.id)
            statuses = verdict_store.statuses(s, tracker.id)
        assert len([p for p in pledges if p.parent_id is None]) >= 30
        assert len(suggested) >= 20
        assert len(statuses) >= 5 and len(set(statuses.values())) >= 4
        with store.session() as s:  # rated as of their evidence, inside the term
            verdicts = verdict_store.list_verdicts(s)
        assert verdicts and all(v.as_of is not None for v in verdicts)
        assert all(tracker.term_start <= v.as_of <= tracker.term_end for v in verdicts)  # type: ignore[operator]
        editor = demo_accounts()["editor"]
        assert authenticate(store, editor["username"], editor["password"])
        with store.session() as s:  # every review of the demo is in an intact audit chain
            report = verify(s)
        assert report.ok and report.events > len(statuses), report.problems
    finally:
        store.dispose()


def test_building_the_demo_twice_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    build_demo(path).dispose()
    store = build_demo(path)
    with store.session() as s:
        assert len(tracker_store.list_trackers(s)) == 1
    store.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_lofte_demo_serves_on_localhost(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "LOFTE_PORT": str(port)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lofte", "demo", "--path", str(tmp_path / "demo.db")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        name = corpus_manifest()["tracker"]["name"]
        deadline = time.monotonic() + 150  # the demo builds first: ingest, extract, link
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "the demo server did not start"
                time.sleep(0.3)
        assert page.status_code == 200
        assert name.split("–")[0].strip() in page.text
        slug = corpus_manifest()["tracker"]["slug"]
        meter = httpx.get(f"http://127.0.0.1:{port}/api/trackers/{slug}", timeout=10)
        assert meter.status_code == 200 and "kept" in meter.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    output = proc.stdout.read().decode() if proc.stdout else ""
    assert f"demo editor login: {demo_accounts()['editor']['username']}" in output


def test_the_demo_pledges_carry_their_program_party(tmp_path: Path) -> None:
    """The joint program is ingested with its party, as `lofte ingest --party` would: its
    pledges and the public party breakdown name it, and no row says "no party"."""
    from fastapi.testclient import TestClient

    from lofte.config import Settings
    from lofte.publish.meter import by_party
    from lofte.web.app import create_app

    manifest = corpus_manifest()
    party = next(i["party"] for i in manifest["inputs"] if i["kind"] == "program")
    slug = manifest["tracker"]["slug"]
    store = build_demo(tmp_path / "demo.db")
    try:
        with store.session() as s:
            tracker = tracker_store.get_tracker(s, slug)
            pledges = pledge_store.list_pledges(s, tracker.id)
            programs = document_store.list_documents(s, tracker.id, kind=SourceKind.PROGRAM)
            rows = by_party(s, tracker)
        assert party in tracker.actors
        assert programs and {d.party for d in programs} == {party}
        assert pledges and {p.party for p in pledges} == {party}
        assert [r["party"] for r in rows] == [party]
        assert rows[0]["total"] > 0
        settings = Settings(secret_key="test-secret-key-for-the-demo-test", _env_file=None)  # type: ignore[call-arg]
        with TestClient(create_app(store, settings)) as client:
            page = client.get(f"/trackers/{slug}")
            data = client.get(f"/api/trackers/{slug}").json()
        assert page.status_code == 200
        assert f"/trackers/{slug}/parties/" in page.text and "Utan parti" not in page.text
        assert [r["party"] for r in data["by_party"]] == [party]
    finally:
        store.dispose()
