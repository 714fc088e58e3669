"""Full-text search (issue 14): a ranked page and a capped count, on SQLite (FTS5) and
PostgreSQL (the stored Swedish `search_vector` column of migration 0010)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import event, inspect, text

from lofte.language.query import SEARCH_STOPWORDS, QueryNotice
from lofte.model import PledgeState
from lofte.store import documents as document_store
from lofte.store import search
from lofte.store import trackers as tracker_store
from lofte.store.db import Session, Store, _alembic_config
from lofte.store.schema import DocumentRow, PledgeRow


def _document(s: Session, tracker_id: int, key: str, title: str, body: str) -> int:
    raw = document_store.put_raw(s, f"{key}\n{body}".encode(), "text/plain")
    row = DocumentRow(
        tracker_id=tracker_id,
        origin=f"{key}.txt",
        item_key="0",
        kind="news",
        title=title,
        body=body,
        content_hash=key,
        raw_sha256=raw,
        stage="parse:test",
        stage_version="1",
        date_value=dt.date(2024, 1, 1),
    )
    s.add(row)
    s.flush()
    return row.id


def _pledge(s: Session, tracker_id: int, document_id: int, quote: str, state: str) -> int:
    row = PledgeRow(
        tracker_id=tracker_id,
        document_id=document_id,
        start=0,
        end=len(quote),
        quote=quote,
        area="Idrott och fritid",
        attributes={},
        stage="extract",
        stage_version="1",
        state=state,
    )
    s.add(row)
    s.flush()
    return row.id


def _tracker(s: Session, slug: str) -> int:
    return tracker_store.ensure_tracker(s, slug).id


def test_swedish_words_are_found_by_stem_or_prefix(store: Store) -> None:
    with store.session() as s:
        t = _tracker(s, "sjovik")
        pool = _document(s, t, "pool", "Simhallen", "Den nya simhallen i Norrvik invigdes i dag.")
        plain = _document(s, t, "plain", "Budget", "Kommunen bygger en simhall och en skola.")
        _document(s, t, "other", "Skolor", "Skolorna i Ekbacken rustas upp.")
    with store.session() as s:
        found = search.search_documents(s, "simhall")
        assert {d.id for d in found.items} == {pool, plain} and found.total == 2
        assert found.method == ("postgres" if _postgres(store) else "fts5")
        assert [d.id for d in search.search_documents(s, "simhall norrvik").items] == [pool]
        # Swedish stemming on both stores: the inflected form finds the plain one (PostgreSQL
        # matches the stem as a prefix of its stems, SQLite as a prefix of the words)
        assert {d.id for d in search.search_documents(s, "simhallen").items} == {pool, plain}
        assert {d.id for d in search.search_documents(s, "SIMHALLARNA").items} == {pool, plain}


def test_one_ranked_page_and_a_capped_count(store: Store) -> None:
    with store.session() as s:
        t = _tracker(s, "sjovik")
        old = _document(s, t, "old", "Simhall", "Simhall, simhall och simhall: simhallen.")
        rest = [
            _document(s, t, f"d{i}", f"Nyhet {i}", f"Nämnden talade om mycket. Simhall {i}. " * 3)
            for i in range(23)
        ]
        best = _document(s, t, "best", "Simhall", "Simhall, simhall och simhall: simhallar.")
    with store.session() as s:
        exact = search.search_documents(s, "simhall", limit=5, count_limit=None)
        assert (exact.total, exact.capped) == (25, False)
        assert {d.id for d in exact.items[:2]} == {old, best}  # most mentions, shortest texts
        first = search.search_documents(s, "simhall", limit=5, count_limit=10)
        assert (first.total, first.capped) == (10, True)  # counted up to the cap: "more than"
        assert first.items[0].id == best and len(first.items) == 5
        # with more hits than the cap, the newest ten are ranked: the old one is not among them
        window = [
            d.id
            for o in (0, 5, 10)
            for d in search.search_documents(s, "simhall", limit=5, offset=o, count_limit=10).items
        ]
        assert sorted(window) == sorted([best, *rest[-9:]])
        assert search.search_documents(s, "simhall", count_limit=25).capped is False
        pages = [search.search_documents(s, "simhall", limit=5, offset=o) for o in range(0, 30, 5)]
        seen = [d.id for p in pages for d in p.items]
        assert seen[:5] == [d.id for d in exact.items]  # no cap reached: the same ranking
        assert sorted(seen) == sorted([old, best, *rest]) and len(set(seen)) == 25
        assert pages[-1].items == [] and pages[-1].total == 25


def test_without_the_fts5_index_sqlite_scans_with_like(sqlite_store: Store) -> None:
    with sqlite_store.engine.begin() as conn:
        for table in ("documents", "pledges"):
            for suffix in ("ai", "ad", "au"):
                conn.execute(text(f"DROP TRIGGER {table}_fts_{suffix}"))
            conn.execute(text(f"DROP TABLE {table}_fts"))
    with sqlite_store.session() as s:
        t = _tracker(s, "sjovik")
        docs = [
            _document(s, t, f"d{i}", "Torg", f"Ett TORG nummer {i} i Lundby.") for i in range(5)
        ]
        _document(s, t, "x", "Park", "En park i 50% av Lundby.")
        pledge = _pledge(s, t, docs[0], "Vi ska bygga ett torg.", "confirmed")
    with sqlite_store.session() as s:
        page = search.search_documents(s, "torg lundby", limit=2, count_limit=3)
        assert (page.method, page.total, page.capped, len(page.items)) == ("like", 3, True, 2)
        assert search.search_documents(s, "torg", count_limit=None).total == 5
        # "%" and "_" separate words (as in FTS5 and PostgreSQL): no LIKE wildcard reaches LIKE
        assert search.search_documents(s, "50%").total == 1
        assert search.search_documents(s, "5_").total == 1  # "5", a prefix of "50"
        assert search.search_documents(s, "%_%").total == 0
        found = search.search_pledges(s, "torg")
        assert (found.method, [p.id for p in found.items]) == ("like", [pledge])
        # no index to ask for candidates: the caller ranks every document
        assert search.candidate_ids(s, "Ett torg.", tracker_id=t, limit=5) is None


def test_search_stays_in_the_trackers_asked_for(store: Store) -> None:
    with store.session() as s:
        a, b = _tracker(s, "a"), _tracker(s, "b")
        in_a = _document(s, a, "a1", "Torg", "Ett nytt torg i Sjövik.")
        in_b = _document(s, b, "b1", "Torg", "Ett torg i Ängsvik.")
    with store.session() as s:
        assert {d.id for d in search.search_documents(s, "torg").items} == {in_a, in_b}
        assert [d.id for d in search.search_documents(s, "torg", tracker_id=b).items] == [in_b]
        only_a = search.search_documents(s, "torg", tracker_ids=[a])
        assert [d.id for d in only_a.items] == [in_a] and only_a.total == 1
        assert search.search_documents(s, "torg", tracker_ids=[]).total == 0
        assert search.search_documents(s, "torg", tracker_id=a, tracker_ids=[b]).total == 0
        both = search.search_documents(s, "torg", tracker_ids=[a, b], count_limit=1)
        assert (both.total, both.capped) == (1, True)


def test_candidates_hold_any_of_a_pledge_s_words_best_first_in_the_tracker(store: Store) -> None:
    # an editor's search from a pledge ranks these few with the linker, not a whole record
    with store.session() as s:
        a, b = _tracker(s, "a"), _tracker(s, "b")
        both = _document(s, a, "a1", "Simhall och bibliotek", "Simhallen och biblioteket öppnar.")
        one = _document(s, a, "a2", "Bibliotek", "Biblioteket har nya öppettider i Sjövik.")
        _document(s, a, "a3", "Park", "En ny park i Lundby.")
        _document(s, b, "b1", "Simhall", "Simhallen i Ängsvik.")
    pledge = "Vi ska bygga en simhall och ett bibliotek i Sjövik."
    with store.session() as s:
        found = search.candidate_ids(s, pledge, tracker_id=a, limit=10)
        assert found is not None and set(found) == {both, one}  # not the park, not tracker b
        assert len(search.candidate_ids(s, pledge, tracker_id=a, limit=1) or []) == 1
        assert search.candidate_ids(s, "och att det", tracker_id=a, limit=10) is None


def test_new_and_changed_rows_are_searchable_at_once(store: Store) -> None:
    """The index is kept in step by the database (FTS5 triggers; a generated column)."""
    with store.session() as s:
        t = _tracker(s, "sjovik")
        doc = _document(s, t, "late", "Kulturhus", "Kulturhuset i Kvarnbyn öppnar i maj.")
        pledge = _pledge(s, t, doc, "Vi ska bygga ett kulturhus i Kvarnbyn.", "confirmed")
    with store.session() as s:
        assert [d.id for d in search.search_documents(s, "kulturhus kvarnbyn").items] == [doc]
        assert [p.id for p in search.search_pledges(s, "kulturhus").items] == [pledge]
        s.get_one(DocumentRow, doc).body = "Biblioteket i Lundby öppnar i maj."
        s.get_one(PledgeRow, pledge).quote = "Vi ska bygga ett bibliotek i Lundby."
    with store.session() as s:
        assert search.search_documents(s, "kvarnbyn").total == 0
        assert [d.id for d in search.search_documents(s, "lundby").items] == [doc]
        assert search.search_pledges(s, "kulturhus").total == 0
        assert [p.id for p in search.search_pledges(s, "bibliotek").items] == [pledge]
        s.delete(s.get_one(PledgeRow, pledge))
    with store.session() as s:
        assert search.search_pledges(s, "bibliotek").total == 0


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("simhall'", {"both", "one"}),
        ("'simhall' & !norrvik", {"both"}),
        ("simhall | norrvik", {"both"}),
        ("simhall:* & (norrvik)", {"both"}),
        ("(simhall norrvik!", {"both"}),
        ("simhall \\ norrvik % _ ;", {"both"}),
        ('simhall") OR 1=1 --', set()),  # "1" occurs nowhere
        ("NEAR(simhall norrvik) AND norrvik*", {"both"}),  # NEAR, AND: separators
        ("NEAR(simhall norrvik) and norrvik*", set()),  # "and" in lower case: a word
        ("simhall <-> norrvik <2>", set()),  # "2" occurs nowhere
    ],
)
def test_operators_in_a_query_are_plain_punctuation(
    store: Store, query: str, found: set[str]
) -> None:
    """Quotes, &, |, !, :, parentheses and the engines' own syntax neither fail nor change the
    query: every word must occur, whatever stands between them (AND, OR, NOT and NEAR in
    capitals are separators, not words)."""
    with store.session() as s:
        t = _tracker(s, "sjovik")
        ids = {
            "both": _document(s, t, "both", "Simhall", "Simhallen i Norrvik har öppnat."),
            "one": _document(s, t, "one", "Simhall", "Simhallen i Ekbacken har öppnat."),
        }
        _pledge(s, t, ids["both"], "Vi ska bygga en simhall i Norrvik.", "confirmed")
    with store.session() as s:
        assert {d.id for d in search.search_documents(s, query).items} == {ids[k] for k in found}
        assert search.search_pledges(s, query).total == (1 if found else 0)


def test_a_query_of_punctuation_only_finds_nothing(store: Store) -> None:
    with store.session() as s:
        _document(s, _tracker(s, "sjovik"), "x", "Torg", "Ett torg.")
    with store.session() as s:
        for query in ("", "   ", "!&|():*'\"", "<-> \\ -- _"):
            page = search.search_documents(s, query)
            assert (page.total, page.items, page.method) == (0, [], "none")
            assert search.search_pledges(s, query).total == 0


def test_pledges_ranked_without_loading_them(store: Store) -> None:
    with store.session() as s:
        t = _tracker(s, "sjovik")
        program = _document(s, t, "program", "Valprogram", "Program.")
        many = _pledge(s, t, program, "Simhall, simhall, simhall i Norrvik.", "confirmed")
        one = _pledge(
            s, t, program, "Vi ska bygga en simhall och en skola och ett bibliotek.", "candidate"
        )
        gone = _pledge(s, t, program, "En simhall.", "rejected")
    with store.session() as s:
        ids, method = search.ranked_pledge_ids(s, "simhall", tracker_id=t)
        assert ids == [many, one] and method in {"fts5", "postgres"}
        everything, _ = search.ranked_pledge_ids(s, "simhall", exclude_states=())
        assert set(everything) == {many, one, gone}
        page = search.search_pledges(s, "simhall", limit=1, offset=1)
        assert page.total == 2 and [p.id for p in page.items] == [one]
        assert [p.id for p in search.pledges_by_id(s, [one, many])] == [one, many]
        rejected_only = search.search_pledges(
            s, "simhall", exclude_states=(PledgeState.CONFIRMED, PledgeState.CANDIDATE)
        )
        assert [p.id for p in rejected_only.items] == [gone]


def test_sqlite_ranks_a_page_from_the_index_alone(sqlite_store: Store) -> None:
    """One tracker holds every document: one statement takes the newest hits from the FTS5
    index in rowid order with their bm25 rank (no sort, no count query, nothing scored beyond
    them), and no document row is looked up until the page's own."""
    with sqlite_store.session() as s:
        t = _tracker(s, "sjovik")
        for i in range(3):
            _document(s, t, f"x{i}", "Torg", f"Ett torg nummer {i}.")
    with _recorded(sqlite_store) as statements, sqlite_store.session() as s:
        page = search.search_documents(s, "torg", tracker_id=t, count_limit=2)
    assert (page.total, page.capped, len(page.items)) == (2, True, 2)
    (window,) = [(q, p) for q, p in statements if "documents_fts MATCH" in q]
    assert "JOIN" not in window[0] and "count(" not in window[0]
    assert "rank" in window[0] and "ORDER BY documents_fts.rowid DESC LIMIT" in window[0]
    with sqlite_store.engine.connect() as conn:
        steps = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {window[0]}", window[1])
        plan = [str(step[-1]) for step in steps]
    assert any("documents_fts VIRTUAL TABLE" in step for step in plan)
    assert not any("B-TREE" in step for step in plan), plan  # no sort
    assert not any("documents " in f"{step} " for step in plan), plan


@contextlib.contextmanager
def _recorded(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """The statements the store runs meanwhile, with their parameters."""
    statements: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, params, context, many) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def _forty_ranked_documents(store: Store) -> tuple[int, int]:
    """Five kinds of text, eight of each, in two trackers: equal ranks go newest first."""
    with store.session() as s:
        a, b = _tracker(s, "a"), _tracker(s, "b")
        for i in range(40):
            words = " ".join(["torg"] * (1 + i % 5) + ["park"] * (i % 5 % 3))
            _document(s, a if i % 3 else b, f"d{i}", "Nyhet", f"{words} i Lundby.")
    return a, b


def _pages_follow(
    store: Store, a: int, b: int, expected: Callable[[Session, str, int, int], object]
) -> None:
    """Every page of "torg", for seven caps and three scopes, is what `expected` (the
    database's own order, given the scope's SQL) says."""
    with store.session() as s:
        for count_limit in (1, 7, 13, 26, 39, 40, 100):
            for offset in range(0, 45, 5):
                for scope, kwargs in (
                    ("", {}),
                    (f"AND d.tracker_id = {a}", {"tracker_id": a}),
                    (f"AND d.tracker_id IN ({a}, {b})", {"tracker_ids": [a, b]}),
                ):
                    page = search.search_documents(
                        s, "torg", limit=5, offset=offset, count_limit=count_limit, **kwargs
                    )
                    got = (page.total, page.capped, [d.id for d in page.items])
                    want = expected(s, scope, count_limit, offset)
                    assert got == want, (count_limit, offset, scope)
        assert search.search_documents(s, "torg", count_limit=100).total == 40


def test_sqlite_pages_follow_fts5s_own_ranking_of_the_newest_hits(sqlite_store: Store) -> None:
    """The page counted and ranked in Python is FTS5's `ORDER BY rank, rowid DESC` over the
    newest `count_limit` hits, page by page, in one tracker or among several."""
    a, b = _forty_ranked_documents(sqlite_store)

    def expected(s: Session, scope: str, count_limit: int, offset: int) -> object:
        newest = (
            "SELECT documents_fts.rowid FROM documents_fts CROSS JOIN documents d "
            f"ON d.id = documents_fts.rowid WHERE documents_fts MATCH :q {scope} "
            "ORDER BY documents_fts.rowid DESC LIMIT :n"
        )
        found = s.execute(text(newest), {"q": '"torg"*', "n": count_limit + 1}).scalars().all()
        ranked = s.execute(
            text(
                f"SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q AND rowid IN "
                f"({newest}) ORDER BY rank, rowid DESC LIMIT 5 OFFSET :o"
            ),
            {"q": '"torg"*', "n": count_limit, "o": offset},
        ).scalars()
        return min(len(found), count_limit), len(found) > count_limit, list(ranked)

    _pages_follow(sqlite_store, a, b, expected)


def test_postgres_pages_follow_ts_rank_over_the_newest_hits(postgres_store: Store) -> None:
    """The page counted and ranked in Python is PostgreSQL's `ORDER BY ts_rank DESC, id DESC`
    over the newest `count_limit` hits, page by page, in one tracker or among several."""
    a, b = _forty_ranked_documents(postgres_store)

    def expected(s: Session, scope: str, count_limit: int, offset: int) -> object:
        match = "d.search_vector @@ to_tsquery('swedish', 'torg:*')"
        newest = f"SELECT d.id FROM documents d WHERE {match} {scope} ORDER BY d.id DESC LIMIT :n"
        found = s.execute(text(newest), {"n": count_limit + 1}).scalars().all()
        ranked = s.execute(
            text(
                f"SELECT d.id FROM documents d WHERE d.id IN ({newest}) ORDER BY "
                "ts_rank(d.search_vector, to_tsquery('swedish', 'torg:*')) DESC, d.id DESC "
                "LIMIT 5 OFFSET :o"
            ),
            {"n": count_limit, "o": offset},
        ).scalars()
        return min(len(found), count_limit), len(found) > count_limit, list(ranked)

    _pages_follow(postgres_store, a, b, expected)


def test_a_reused_page_changes_with_the_documents(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reuse`: the same search again is answered without searching until a document is added,
    edited or removed with its tracker, in the trackers searched or any other (the rank weighs
    words over all of them)."""
    with store.session() as s:
        a, b = _tracker(s, "a"), _tracker(s, "b")
        first = _document(s, a, "a1", "Torg", "Ett torg i Lundby.")
        _document(s, b, "b1", "Park", "En park i Lundby.")
    runs: list[str] = []
    real = search._hits
    monkeypatch.setattr(search, "_hits", lambda s, terms, *a: runs.append("") or real(s, terms, *a))

    def hits(**kwargs: Any) -> tuple[int, list[int]]:
        with store.session() as s:
            page = search.search_documents(s, "torg", reuse=True, **kwargs)
        return page.total, [d.id for d in page.items]

    def searched() -> int:
        n = len(runs)
        runs.clear()
        return n

    assert hits(tracker_id=a) == (1, [first]) and searched() == 1
    assert hits(tracker_id=a) == (1, [first]) and searched() == 0
    assert hits(tracker_id=a, limit=1, offset=1) == (1, []) and searched() == 1  # its own page
    with store.session() as s:
        other = _document(s, b, "b2", "Torg", "Ett torg till, i Ängsvik.")
    assert hits(tracker_id=a) == (1, [first]) and searched() == 1  # another tracker's document
    total, ids = hits()
    assert total == 2 and set(ids) == {first, other} and searched() == 1
    with store.session() as s:
        added = _document(s, a, "a2", "Torg", "Torg, torg och torg.")
    assert hits(tracker_id=a) == (2, [added, first]) and searched() == 1
    with store.session() as s:
        s.get_one(DocumentRow, added).body = "Ett bibliotek."
        s.get_one(DocumentRow, added).title = "Bibliotek"
    assert hits(tracker_id=a) == (1, [first]) and searched() == 1
    with store.session() as s:
        tracker_store.delete_tracker(s, "b")
    assert hits() == (1, [first]) and searched() == 1


def test_a_reused_page_sees_a_document_committed_after_a_later_one(
    postgres_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL gives ids before commit: a document with a lower id can be committed after
    one with a higher id was, and searched for. The kept page must not hide it."""
    with postgres_store.session() as s:
        a = _tracker(s, "a")
    runs: list[str] = []
    real = search._hits
    monkeypatch.setattr(search, "_hits", lambda s, terms, *a: runs.append("") or real(s, terms, *a))

    def hits() -> list[int]:
        with postgres_store.session() as s:
            return [
                d.id for d in search.search_documents(s, "torg", tracker_id=a, reuse=True).items
            ]

    slow = Session(postgres_store.engine)  # an ingest whose transaction is still open
    try:
        early = _document(slow, a, "early", "Torg", "Ett torg i Lundby.")
        with postgres_store.session() as s:
            late = _document(s, a, "late", "Torg", "Ett torg i Ängsvik.")
        assert early < late
        assert hits() == [late] and hits() == [late] and len(runs) == 1  # kept
        slow.commit()
    finally:
        slow.close()
    assert sorted(hits()) == [early, late] and len(runs) == 2


def _postgres(store: Store) -> bool:
    return store.engine.dialect.name == "postgresql"


def test_migration_0010_adds_and_removes_the_search_vectors(store: Store) -> None:
    """PostgreSQL: generated tsvector columns with GIN indexes replace 0003's expression
    indexes, and come back out on downgrade; SQLite: nothing changes (FTS5 is its index)."""

    def columns(table: str) -> set[str]:
        return {c["name"] for c in inspect(store.engine).get_columns(table)}

    def indexes(table: str) -> set[str]:
        return {i["name"] or "" for i in inspect(store.engine).get_indexes(table)}

    config = _alembic_config(store.engine)
    if _postgres(store):
        assert "search_vector" in columns("documents") and "search_vector" in columns("pledges")
        assert {"ix_documents_search_vector"} <= indexes("documents")
        assert "ix_documents_fts" not in indexes("documents")
    else:
        assert "search_vector" not in columns("documents")
    with store.session() as s:  # there before the column goes, and when it comes back
        t = _tracker(s, "sjovik")
        doc = _document(s, t, "old", "Torg", "Ett torg i Lundby.")
    command.downgrade(config, "0009")
    assert "search_vector" not in columns("documents") | columns("pledges")
    if _postgres(store):
        assert "ix_documents_fts" in indexes("documents")
        assert "ix_pledges_fts" in indexes("pledges")
    command.upgrade(config, "head")
    assert "ix_documents_fts" not in indexes("documents")
    with store.session() as s:
        assert [d.id for d in search.search_documents(s, "lundby").items] == [doc]
        if _postgres(store):  # the column was computed for the rows already there
            vector = s.execute(text("SELECT search_vector::text FROM documents")).scalar_one()
            assert "'lundby'" in vector and "'torg'" in vector


def test_stop_words_are_left_out_on_every_store(store: Store) -> None:
    """PostgreSQL does not index its Swedish stop words, FTS5 indexes every word: a query of
    stop words found nothing on one and dozens of documents on the other. Now it searches
    nothing on both, and the stop words beside a real word change nothing."""
    with store.session() as s:
        t = _tracker(s, "sjovik")
        pool = _document(s, t, "pool", "Simhall", "Det är klart att simhallen och skolan byggs.")
        other = _document(s, t, "other", "Skola", "Det blir en skola och det är bra att den byggs.")
        _pledge(
            s, t, pool, "Vi ska bygga en simhall och det är viktigt att den blir stor.", "confirmed"
        )
    with store.session() as s:
        for query in ("och att det", "OCH Att det", "och, att & det!", "det är"):
            page = search.search_documents(s, query)
            assert (page.total, page.items, page.method) == (0, [], "none"), query
            assert search.search_pledges(s, query).total == 0, query
            assert search.parse_query(query).notice == QueryNotice.ONLY_COMMON
        for query in ("simhall och att det", "Det är simhallen"):
            assert [d.id for d in search.search_documents(s, query).items] == [pool], query
            assert search.search_pledges(s, query).total == 1, query
        assert {d.id for d in search.search_documents(s, "och byggs").items} == {pool, other}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('"simhall"', {"pool"}),
        ('"simhall norrvik"', {"pool"}),  # quotes are no phrase: both words, anywhere
        ("simhall*", {"pool"}),
        ("* simhall -norrvik", {"pool"}),  # "-" is no NOT: norrvik must occur
        ("ÄLDREBOENDET", {"home"}),
        ("ÄLDREBOENDE Ängsvik", {"home"}),
        ("\u0061\u0308ldreboende", {"home"}),  # "ä" decomposed (NFD): the same letter
        ("ÅTERVINNINGSCENTRALERNA", {"recycling"}),
        ("simhall_norrvik", {"pool"}),  # "_" separates words, as in both engines
        ("simhall " + "x" * 3000, set()),  # one very long word (PostgreSQL's limit: 2 047 bytes)
        ("simhall " * 2000 + "norrvik", {"pool"}),  # a very long query: its first words
        (" ".join(f"ord{i}" for i in range(40)), set()),  # at most MAX_TERMS words, all unknown
    ],
)
def test_awkward_queries_mean_the_same_on_every_store(
    store: Store, query: str, found: set[str]
) -> None:
    with store.session() as s:
        t = _tracker(s, "sjovik")
        ids = {
            "pool": _document(s, t, "pool", "Simhall", "Simhallen i Norrvik har öppnat."),
            "home": _document(s, t, "home", "Äldreboende", "Äldreboendet i Ängsvik byggs om."),
            "recycling": _document(s, t, "rec", "Återvinning", "Återvinningscentralen flyttar."),
        }
    with store.session() as s:
        page = search.search_documents(s, query)
        assert {d.id for d in page.items} == {ids[k] for k in found}
        assert page.total == len(found)


@pytest.mark.postgres
def test_postgres_drops_no_word_the_project_keeps(postgres_store: Store, shared_dir: Path) -> None:
    """The words PostgreSQL's Swedish configuration leaves out of its index are the search's
    stop words: a query never holds a word PostgreSQL cannot find, and never drops one it can
    (of the seeds' words)."""
    texts = "\n".join(p.read_text("utf-8") for p in sorted((shared_dir / "seeds").glob("*.txt")))
    with postgres_store.engine.connect() as conn:
        tokens = conn.execute(
            text(
                "SELECT DISTINCT token FROM ts_debug('swedish', :t) "
                "WHERE dictionaries <> '{}' AND lexemes = '{}'"
            ),
            {"t": texts},
        ).scalars()
        dropped = {
            str(t).lower() for t in tokens
        }  # lower-cased here: the database's ctype may be C
    assert dropped and dropped <= SEARCH_STOPWORDS, sorted(dropped - SEARCH_STOPWORDS)
    with postgres_store.engine.connect() as conn:
        seen = {
            str(t).lower()
            for t in conn.execute(
                text("SELECT DISTINCT token FROM ts_debug('swedish', :t) WHERE alias = 'word'"),
                {"t": texts},
            ).scalars()
        }
    kept_by_postgres = (seen & SEARCH_STOPWORDS) - dropped
    assert not kept_by_postgres, sorted(kept_by_postgres)
    assert all(search.parse_query(word).words == () for word in dropped)


def test_definite_forms_find_the_indefinite_ones_on_every_store(store: Store) -> None:
    """QA: "äldreboendet" found 0 pledges where "äldreboende" found 1, "förskolan" fewer than
    "förskola": the definite form was kept whole. Now every form of the word finds every
    other, in the FTS5 index and PostgreSQL's Swedish vectors alike (the LIKE scan below)."""
    _every_form_finds_every_other(store)


def test_definite_forms_find_the_indefinite_ones_in_the_like_scan(sqlite_store: Store) -> None:
    """The same on SQLite without its FTS5 index (the LIKE scan)."""
    with sqlite_store.engine.begin() as conn:
        for table in ("documents", "pledges"):
            for suffix in ("ai", "ad", "au"):
                conn.execute(text(f"DROP TRIGGER {table}_fts_{suffix}"))
            conn.execute(text(f"DROP TABLE {table}_fts"))
    search._FTS_SEEN.clear()
    _every_form_finds_every_other(sqlite_store)


def _every_form_finds_every_other(store: Store) -> None:
    with store.session() as s:
        t = _tracker(s, "sjovik")
        home = _document(s, t, "home", "Omsorg", "Ett nytt äldreboende byggs i Ängsvik.")
        school = _document(s, t, "school", "Skola", "Vi bygger en förskola och en skola.")
        homes = _document(s, t, "homes", "Omsorg", "Äldreboendet och förskolan renoveras.")
        _pledge(s, t, home, "Vi ska bygga ett nytt äldreboende i Ängsvik.", "confirmed")
        _pledge(s, t, school, "Vi ska bygga en förskola i varje stadsdel.", "confirmed")
    with store.session() as s:
        for words, found in [
            (("äldreboende", "äldreboendet", "äldreboendets", "ÄLDREBOENDENA"), {home, homes}),
            (("förskola", "förskolan", "förskolans", "förskolorna"), {school, homes}),
        ]:
            for word in words:
                page = search.search_documents(s, word)
                assert {d.id for d in page.items} == found, (word, page.method)
                assert search.search_pledges(s, word).total == 1, word


def test_a_pledge_search_ranks_at_most_the_newest_hits(store: Store) -> None:
    """QA: "skolan" in 760,000 pledges ranked every hit, and the search page asked for their
    outline with a SQL variable each ("too many SQL variables"): at most `count_limit` of the
    newest are ranked, best first, and `capped` says there were more (SQLite and PostgreSQL)."""
    with store.session() as s:
        t = _tracker(s, "sjovik")
        program = _document(s, t, "program", "Valprogram", "Program.")
        old = _pledge(s, t, program, "Simhall, simhall, simhall i Norrvik.", "confirmed")
        weak = _pledge(
            s, t, program, "Vi ska bygga en simhall och en skola och ett torg.", "candidate"
        )
        strong = _pledge(s, t, program, "Simhall och simhall i Lundby.", "confirmed")
    with store.session() as s:
        hits = search.newest_pledge_ids(s, "simhall", tracker_id=t, count_limit=2)
        assert (hits.ids, hits.total, hits.capped) == ((strong, weak), 2, True)
        assert hits.method in {"fts5", "postgres"}
        every = search.newest_pledge_ids(s, "simhall", tracker_id=t, count_limit=3)
        assert (set(every.ids), every.capped) == ({old, weak, strong}, False)
        assert search.newest_pledge_ids(s, "simhall", count_limit=None).ids[-1] == weak


def test_without_the_fts5_index_a_pledge_search_is_capped_too(sqlite_store: Store) -> None:
    with sqlite_store.engine.begin() as conn:
        for suffix in ("ai", "ad", "au"):
            conn.execute(text(f"DROP TRIGGER pledges_fts_{suffix}"))
        conn.execute(text("DROP TABLE pledges_fts"))
    with sqlite_store.session() as s:
        t = _tracker(s, "sjovik")
        program = _document(s, t, "program", "Valprogram", "Program.")
        ids = [_pledge(s, t, program, f"Ett torg nummer {i}.", "confirmed") for i in range(4)]
    with sqlite_store.session() as s:
        hits = search.newest_pledge_ids(s, "torg", count_limit=2)
        assert (hits.method, hits.ids, hits.capped) == ("like", tuple(ids[2:]), True)
        assert search.ranked_pledge_ids(s, "torg")[0] == ids
