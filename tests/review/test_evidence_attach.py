"""Evidence an editor attaches by hand: a stored document, a URL, an uploaded file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lofte import linking
from lofte.errors import ConflictError, InputError, ValidationError
from lofte.ingest import IngestOptions, ingest_raw
from lofte.model import RawInput, ReviewState, SourceKind, VerdictStatus
from lofte.review import audit as audit_review
from lofte.review import evidence as attach
from lofte.review import pledges as review_pledges
from lofte.review.verdicts import set_verdict
from lofte.store import audit
from lofte.store import documents as document_store
from lofte.store import evidence as evidence_store
from lofte.store import pledges as pledge_store
from lofte.store import trackers as tracker_store
from lofte.store.db import Store
from tests.interleave import meanwhile
from tests.review.fixtures import pledge_with_evidence

REPORT = (
    "Kommunen meddelar att arbetet med parken fortsätter.\n\n"
    "Simhallen i Norrvik byggs nu, och bygget av den nya simhallen blir klart nästa år.\n\n"
    "Det var allt för i dag."
)


def _raw(text: str, origin: str) -> RawInput:
    return RawInput(text.encode(), origin, "text/plain", dt.datetime.now(dt.UTC))


def _stored(store: Store, text: str, origin: str, tracker: str = "sjovik") -> int:
    report = ingest_raw(store, _raw(text, origin), IngestOptions(tracker=tracker))
    assert report.error is None, report.error
    return report.document_ids[0]


def _counts(store: Store) -> tuple[int, int, int]:
    with store.session() as s:
        tracker = tracker_store.get_tracker(s, "sjovik")
        return (
            document_store.count_documents(s, tracker.id),
            len(evidence_store.list_evidence(s)),
            audit.count_events(s),
        )


def test_attaching_a_stored_document_is_accepted_audited_and_citable(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    doc_id = _stored(store, REPORT, "rapport.txt")
    done = attach.attach_document(store, pledge_id, doc_id, actor="anna")
    ev = done.evidence
    assert not done.was_suggested and done.document_id == doc_id
    assert ev.review_state is ReviewState.ACCEPTED
    assert (ev.linker, ev.linker_version) == ("editor", "1")
    # the passage is the linker's best one: the sentences about the pool, not the park
    passage = REPORT[ev.start : ev.end]
    assert "Simhallen" in passage and "parken" not in passage
    assert ev.features["attached_by"] == "anna" and ev.features["attached"]["from"] == "document"
    with store.session() as s:
        events = [e for e in audit.pledge_events(s, pledge_id) if e.action == "evidence.attach"]
        assert len(events) == 1 and events[0].actor == "anna"
        assert events[0].entity_id == ev.id
        assert audit_review.verify(s).ok
    review_pledges.confirm(store, pledge_id, actor="anna")  # only a confirmed pledge is rated
    verdict = set_verdict(
        store, pledge_id, VerdictStatus.IN_THE_WORKS, "Byggs.", [ev.id], actor="anna"
    )
    assert verdict.evidence_ids == (ev.id,)


def test_a_document_from_before_the_term_is_attached_with_a_note(store: Store) -> None:
    """The linker never suggests it, so the editor who attaches it is told (found by QA: the
    CLI said nothing); an undated document is not ruled out."""
    from lofte.language.dates import parse_user_date
    from lofte.store.schema import TrackerRow

    pledge_id, _ = pledge_with_evidence(store)
    with store.session() as s:
        tracker = s.query(TrackerRow).filter_by(slug="sjovik").one()
        tracker.term_start = dt.date(2022, 10, 15)

    def dated(text: str, origin: str, date: str | None) -> int:
        options = IngestOptions(tracker="sjovik", date=parse_user_date(date) if date else None)
        report = ingest_raw(store, _raw(text, origin), options)
        assert report.error is None, report.error
        return report.document_ids[0]

    old = dated(REPORT, "gammal.txt", "2019-05")
    assert attach.attach_document(store, pledge_id, old, actor="anna").outside_period
    # no word in common with the pledge: the date rules still apply
    unrelated = dated("Budgeten för skolor antogs av fullmäktige.", "budget.txt", "2018")
    assert attach.attach_document(store, pledge_id, unrelated, actor="anna").outside_period
    for name, date in (("ny.txt", "2023-03"), ("odaterad.txt", None)):
        doc = dated(REPORT + f" {name}", name, date)
        assert not attach.attach_document(store, pledge_id, doc, actor="anna").outside_period


def test_a_suggested_pair_is_accepted_and_a_decided_one_is_a_conflict(store: Store) -> None:
    pledge_id, evidence_id = pledge_with_evidence(store)
    suggested = evidence_store_get(store, evidence_id)
    done = attach.attach_document(store, pledge_id, suggested.document_id, actor="anna")
    assert done.was_suggested and done.evidence.id == evidence_id
    assert done.evidence.review_state is ReviewState.ACCEPTED
    before = _counts(store)
    with pytest.raises(ConflictError, match=f"already evidence {evidence_id}"):
        attach.attach_document(store, pledge_id, suggested.document_id, actor="bo")
    assert _counts(store) == before


def evidence_store_get(store: Store, evidence_id: int):  # type: ignore[no-untyped-def]
    with store.session() as s:
        return evidence_store.get_evidence(s, evidence_id)


def test_rules_name_what_is_wrong_and_write_nothing(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    other = _stored(store, REPORT, "annan.txt", tracker="annan")
    before = _counts(store)
    with pytest.raises(ValidationError) as across:
        attach.attach_document(store, pledge_id, other, actor="anna")
    assert (
        str(across.value) == f"document {other} is in tracker annan, pledge {pledge_id} in sjovik"
    )
    with pytest.raises(ValidationError, match="needs an actor"):
        attach.attach_document(store, pledge_id, other, actor=" ")
    with pytest.raises(ValidationError, match="ftp://example.org/x"):
        attach.attach_url(store, pledge_id, "ftp://example.org/x", actor="anna")
    with pytest.raises(InputError, match="tom.txt: the file is empty"):
        attach.attach_upload(store, pledge_id, b"", "C:\\Users\\x\\tom.txt", actor="anna")
    with pytest.raises(InputError, match="trasig.pdf"):
        attach.attach_upload(store, pledge_id, b"%PDF-1.4\n trasig", "trasig.pdf", actor="anna")

    def refused(url: str) -> RawInput:
        from lofte.errors import RefusedURLError

        raise RefusedURLError(url, "not a public address")

    with pytest.raises(InputError, match="http://127.0.0.1/"):
        attach.attach_url(store, pledge_id, "http://127.0.0.1/", actor="anna", fetch=refused)
    assert _counts(store) == before


def test_a_url_and_an_upload_are_stored_with_hash_and_time_then_attached(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    url = "https://example.org/nyheter/simhall"
    done = attach.attach_url(store, pledge_id, url, actor="anna", fetch=lambda u: _raw(REPORT, u))
    assert done.ingest is not None and done.ingest.inserted == 1
    with store.session() as s:
        doc = document_store.get_document(s, done.document_id)
    assert doc.origin == url and doc.kind is SourceKind.NEWS and len(doc.raw_sha256) == 64
    assert document_store_raw(store, doc.raw_sha256) == REPORT.encode()
    attached = done.evidence.features["attached"]
    assert attached["url"] == url and attached["fetched_at"]

    with pytest.raises(ConflictError, match="already evidence"):
        # the same text again: the stored document (an exact duplicate), already attached
        attach.attach_upload(store, pledge_id, REPORT.encode(), "kopia.txt", actor="anna")
    up = attach.attach_upload(
        store,
        pledge_id,
        b"Simhallen i Norrvik: bygget av simhallen har startat, meddelar kommunen.",
        "../../etc/bygget.txt",
        actor="anna",
    )
    with store.session() as s:
        doc = document_store.get_document(s, up.document_id)
    assert doc.origin.startswith("upload:") and doc.origin.endswith("/bygget.txt")
    assert up.evidence.features["attached"]["filename"] == "bygget.txt"


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Sjövik nyheter</title>
<item><title>Midsommar</title><link>https://example.org/midsommar</link>
<description>Dans och lekar på midsommarafton.</description></item>
<item><title>Badet</title><link>https://example.org/badet</link>
<description>Utomhusbadet håller öppet juni till augusti.</description></item>
</channel></rss>"""


def test_a_feed_with_no_item_about_the_pledge_is_refused_and_stores_nothing(
    store: Store,
) -> None:
    # the feed's items were stored before the attach was refused: an editor's failed attach
    # added documents to the tracker (and to its public document list)
    pledge_id, _ = pledge_with_evidence(store)
    url = "https://example.org/nyheter/feed.xml"

    def fetch(u: str) -> RawInput:
        return RawInput(FEED.encode(), u, "application/rss+xml", dt.datetime.now(dt.UTC))

    before = _counts(store)
    with pytest.raises(InputError, match="2 documents.*none shares a word"):
        attach.attach_url(store, pledge_id, url, actor="anna", fetch=fetch)
    assert _counts(store) == before
    with store.session() as s:
        tracker = tracker_store.get_tracker(s, "sjovik")
        assert document_store.ids_of_origin(s, tracker.id, "https://example.org/badet") == []


def document_store_raw(store: Store, sha: str) -> bytes:
    with store.session() as s:
        return document_store.get_raw(s, sha)


def test_an_unreadable_upload_is_named_by_its_file_name(store: Store) -> None:
    """QA: the CLI's `evidence attach --file trunc.pdf` said "upload:03ff20e995855da5/trunc.pdf"."""
    pledge_id, _ = pledge_with_evidence(store)
    with pytest.raises(InputError) as refused:
        attach.attach_upload(store, pledge_id, b"%PDF-1.7\n1 0 obj", "trunc.pdf", actor="a")
    assert str(refused.value).startswith("trunc.pdf: ") and "upload:" not in str(refused.value)


def test_too_large_uploads_are_refused(store: Store) -> None:
    from lofte.config import Settings

    pledge_id, _ = pledge_with_evidence(store)
    settings = Settings(max_input_bytes=10, _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(InputError, match="stor.txt: 11 bytes is over the limit"):
        attach.attach_upload(store, pledge_id, b"x" * 11, "stor.txt", actor="a", settings=settings)


def test_the_pledge_side_search_ranks_below_the_threshold_too(store: Store) -> None:
    pledge_id, _ = pledge_with_evidence(store)
    weak = _stored(store, "Kommunen diskuterar en simhall någon gång.", "svag.txt")
    _stored(store, "Biblioteket får nya öppettider.", "bibliotek.txt")
    found = linking.rank_documents(store, pledge_id)
    by_doc = {m.document_id: m for m in found}
    assert weak in by_doc and not by_doc[weak].suggested
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert any(m.suggested for m in found) or all(m.score < 0.5 for m in found)
    only = linking.rank_documents(store, pledge_id, query="diskuterar")
    assert [m.document_id for m in only] == [weak]
    assert linking.rank_pledges(store, weak)[0].pledge_id == pledge_id


def test_a_common_query_word_ranks_only_the_documents_likeliest_for_the_pledge(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: a word in most of a national record ("regeringen") had the linker rank all 4,880
    documents holding it (50 s); past RERANKED, the full-text index picks those it ranks."""
    pledge_id, _ = pledge_with_evidence(store)
    likely = [
        _stored(store, "Kommunen öppnar simhallen i Norrvik för skolorna.", "sim.txt"),
        _stored(store, "Kommunen bygger om badet i Norrvik.", "bad.txt"),
    ]
    for n, topic in enumerate(("parkerna", "gatorna", "skolorna", "bussarna")):
        _stored(store, f"Kommunen ser över {topic} i höst.", f"annat-{n}.txt")
    every = linking.rank_documents(store, pledge_id, query="kommunen")
    assert len(every) == 6  # under the cap: each document holding the word is ranked
    monkeypatch.setattr(linking, "RERANKED", 2)
    capped = linking.rank_documents(store, pledge_id, query="kommunen")
    assert sorted(m.document_id for m in capped) == sorted(likely)
    assert [m.score for m in capped] == sorted((m.score for m in capped), reverse=True)


SEED_PLEDGE = "fast namngiven läkarkontakt"
SEED_NEWS = "fast läkare"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> str:
    """The program 002 and news 000 seeds, ingested, extracted and linked (SQLite, once)."""
    from typer.testing import CliRunner

    from lofte.cli import app

    db = f"sqlite:///{tmp_path_factory.mktemp('seeds') / 'seeds.db'}"
    seed = {p.name[:3]: str(p) for p in seeds_dir.iterdir()}
    runner = CliRunner()
    for step in (
        ("init",),
        (
            "tracker",
            "add",
            "sthlm",
            "--jurisdiction",
            "Stockholms stad",
            "--actor",
            "S",
            "--term-start",
            "2022-10-15",
            "--term-end",
            "2026-10-14",
        ),
        ("ingest", seed["002"], "--tracker", "sthlm", "--kind", "program", "--date", "2022"),
        ("ingest", seed["000"], "--tracker", "sthlm", "--kind", "news"),
        ("extract", "--tracker", "sthlm"),
        ("link", "--tracker", "sthlm"),
    ):
        result = runner.invoke(app, ["--db", db, *step])
        assert result.exit_code == 0, (step, result.output)
    return db


def test_the_fast_lakare_item_ranks_first_for_its_pledge_and_is_attachable(seeded: str) -> None:
    from lofte.store.db import open_store

    store = open_store(seeded)
    try:
        with store.session() as s:
            tracker = tracker_store.get_tracker(s, "sthlm")
            pledge = next(
                p for p in pledge_store.list_pledges(s, tracker.id) if SEED_PLEDGE in p.quote
            )
            assert not evidence_store.list_evidence(
                s, pledge_id=pledge.id, states=[ReviewState.SUGGESTED]
            )  # the linker missed it: under the threshold
        found = linking.rank_documents(store, pledge.id)
        with store.session() as s:
            first = document_store.get_document(s, found[0].document_id)
        assert SEED_NEWS in first.body and not found[0].suggested
        done = attach.attach_document(store, pledge.id, first.id, actor="anna")
        assert SEED_NEWS in first.body[done.evidence.start : done.evidence.end]
        review_pledges.confirm(store, pledge.id, actor="anna")
        set_verdict(
            store,
            pledge.id,
            VerdictStatus.IN_THE_WORKS,
            "Beslutat.",
            [done.evidence.id],
            actor="anna",
        )
    finally:
        store.dispose()


def test_a_pledge_rejected_meanwhile_takes_no_evidence(store: Store) -> None:
    """attach_document checks the pledge, finds the passage, then stores the link: another
    editor rejected the pledge in between. The old code attached to the rejected pledge."""
    pledge_id, _ = pledge_with_evidence(store)
    doc_id = _stored(store, REPORT, "rapport.txt")
    before = _counts(store)

    def reject() -> object:
        return review_pledges.reject(store, pledge_id, actor="bo")

    with (
        meanwhile(store, reject) as seen,
        pytest.raises(ValidationError, match="is rejected: it takes no evidence"),
    ):
        attach.attach_document(store, pledge_id, doc_id, actor="anna")
    assert seen
    documents, evidence, events = _counts(store)
    assert (documents, evidence, events) == (before[0], before[1], before[2] + 1)  # bo's reject


def test_a_file_attached_is_dated_and_filed_by_its_folders_as_ingest_reads_it(
    store: Store, tmp_path: Path
) -> None:
    """QA: `lofte evidence attach P --file …/pressmeddelanden/2024/01/x.md` stored the file as
    an upload of its name: dated 2024 by a guess from its text (confidence 0.42), with no
    category, where `lofte ingest` of the same file gives January 2024 from its folders and
    the category `pressmeddelanden`. Read as ingest reads it, it is also the same document
    when the folder is ingested later."""
    from lofte.ingest import ingest
    from lofte.model import DatePrecision, DateProvenance

    pledge_id, _ = pledge_with_evidence(store)
    month = tmp_path / "regeringen" / "pressmeddelanden" / "2024" / "01"
    month.mkdir(parents=True)
    news = month / "simhallen-byggs.md"
    news.write_text(f"# Simhallen byggs\n\n{REPORT} Beslutet fattades 2023.\n", "utf-8")
    done = attach.attach_file(store, pledge_id, str(news), actor="anna")
    with store.session() as s:
        doc = document_store.get_document(s, done.document_id)
    assert doc.date is not None
    assert (doc.date.value, doc.date.precision, doc.date.provenance) == (
        dt.date(2024, 1, 1),
        DatePrecision.MONTH,
        DateProvenance.PATH,
    )
    assert doc.category == "pressmeddelanden" and doc.kind is SourceKind.NEWS
    assert doc.title == "Simhallen byggs" and doc.origin == str(news.resolve())
    assert done.evidence.features["attached"]["filename"] == "simhallen-byggs.md"
    again = ingest(store, [str(month)], IngestOptions(tracker="sjovik"))
    assert [(i.unchanged, i.document_ids) for i in again.inputs] == [(1, [done.document_id])]
    # a bill's folder makes a decision, as it does for ingest
    bills = tmp_path / "regeringen" / "rattsliga-dokument" / "proposition" / "2023" / "03"
    bills.mkdir(parents=True)
    bill = bills / "simhall-i-norrvik.md"
    bill.write_text("# Proposition om simhallen\n\nSimhallen i Norrvik ska byggas.\n", "utf-8")
    decided = attach.attach_file(store, pledge_id, str(bill), actor="anna")
    with store.session() as s:
        doc = document_store.get_document(s, decided.document_id)
    assert doc.kind is SourceKind.DECISION and doc.category == "proposition"
    assert doc.date is not None and doc.date.value == dt.date(2023, 3, 1)
    # a file that cannot be read is named as given, and nothing is stored
    before = _counts(store)
    with pytest.raises(InputError, match=r"saknas\.md: no such file"):
        attach.attach_file(store, pledge_id, str(month / "saknas.md"), actor="anna")
    (month / "tom.md").write_bytes(b"")
    with pytest.raises(InputError, match=r"tom\.md: the file is empty"):
        attach.attach_file(store, pledge_id, str(month / "tom.md"), actor="anna")
    assert _counts(store) == before


def test_a_file_stored_before_is_attached_as_it_is_stored(store: Store, tmp_path: Path) -> None:
    """Review: attaching a file ingested before ingested it again with its folder's kind, so
    a decision (given at ingest, or corrected by an editor) became news without a word. It is
    attached as stored, as an address is."""
    from lofte.ingest import ingest

    pledge_id, _ = pledge_with_evidence(store)
    folder = tmp_path / "arkiv" / "nyheter"
    folder.mkdir(parents=True)
    news = folder / "beslut.md"
    news.write_text(f"# Beslut om simhallen\n\n{REPORT}\n", "utf-8")
    report = ingest(store, [str(news)], IngestOptions(tracker="sjovik", kind=SourceKind.DECISION))
    (stored,) = report.inputs[0].document_ids
    with store.session() as s:
        before = document_store.get_document(s, stored)
    done = attach.attach_file(store, pledge_id, str(news), actor="anna")
    assert done.document_id == stored
    assert done.evidence.features["attached"]["stored"] is True
    with store.session() as s:
        after = document_store.get_document(s, stored)
    assert after.kind is SourceKind.DECISION
    assert after.modified_at == before.modified_at  # not written at all
