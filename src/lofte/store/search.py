"""Full-text search over documents and pledges, on SQLite and PostgreSQL.

Three ways, picked per query, same answers up to ranking:

- **SQLite with an FTS5 index** (`documents_fts`, `pledges_fts`, kept in step by triggers; see
  `SQLITE_FTS_STATEMENTS`): each word's Swedish stem is a prefix query ("simhallen" finds
  "simhall" and "simhallar"), ranked by bm25. Used whenever the index tables exist.
- **SQLite without the index**: every word's stem must occur (LIKE, at any position), newest
  first. Correct but a full scan: fine for thousands of documents, slow for a hundred thousand.
- **PostgreSQL**: the stored `search_vector` column (`to_tsvector('swedish', …)`, generated, so
  PostgreSQL keeps it in step; GIN-indexed; migration 0010) `@@ to_tsquery('swedish',
  "'word':* & …")`: Swedish stemming ("simhallen" finds "simhall"), prefix words, ranked by
  ts_rank.

A document search (issue 14) counts the hits up to `MAX_COUNT` (`SearchPage.capped` says there
are more) and returns one page: with more than `MAX_COUNT` hits it scores only the newest
`MAX_COUNT` of them, found by walking the index in id order (nothing scored), so a word in half
of a hundred thousand documents is not scored fifty thousand times. One statement reads those
newest hits with their rank (FTS5's bm25, PostgreSQL's ts_rank), counted and ranked here. Only
the page's rows are loaded, so only they get snippets. With `reuse` (the public search page) a
page is kept per query and paging while the documents stay the same (`documents_stamp`).

What a query means is decided before any store sees it, the same for all three
(`language.query.parse_query`): its words (letters and digits only, so user input never
reaches the query syntax; the match expression is a bound parameter), without Swedish stop
words (PostgreSQL does not index them), with their stems for SQLite. A definite form Snowball
leaves whole ("skolan", "äldreboendet") is searched as its lemma's stem ("skol",
"äldreboend"), and PostgreSQL is given that lemma ("skola") to stem: the three still agree.

`install_fts(connection)` creates the index for the connection's dialect (idempotent); the
migrations do the same, and the benchmark and tests call it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select, text
from sqlalchemy.orm import Session

from ..language.query import SearchQuery, parse_query
from ..model import Document, Pledge, PledgeState
from .documents import document_record
from .pledges import pledge_record
from .schema import DocumentRow, PledgeRow
from .search_cache import Hits as _Hits
from .search_cache import documents_stamp, documents_stamped, page_cache

MAX_COUNT = 1000  # hits counted exactly up to here; beyond, the count says "more than"
ANY_TERMS = 32  # a pledge's words searched for candidates (`candidate_ids`): a long bullet's

SQLITE_FTS_STATEMENTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(title, body, content='documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_au AFTER UPDATE OF title, body ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS pledges_fts USING fts5(quote, area, content='pledges', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS pledges_fts_ai AFTER INSERT ON pledges BEGIN "
    "INSERT INTO pledges_fts(rowid, quote, area) VALUES (new.id, new.quote, new.area); END",
    "CREATE TRIGGER IF NOT EXISTS pledges_fts_ad AFTER DELETE ON pledges BEGIN "
    "INSERT INTO pledges_fts(pledges_fts, rowid, quote, area) "
    "VALUES ('delete', old.id, old.quote, old.area); END",
    "CREATE TRIGGER IF NOT EXISTS pledges_fts_au AFTER UPDATE OF quote, area ON pledges BEGIN "
    "INSERT INTO pledges_fts(pledges_fts, rowid, quote, area) "
    "VALUES ('delete', old.id, old.quote, old.area); "
    "INSERT INTO pledges_fts(rowid, quote, area) VALUES (new.id, new.quote, new.area); END",
    "INSERT INTO pledges_fts(pledges_fts) VALUES ('rebuild')",
]

POSTGRES_FTS_STATEMENTS = [  # as migration 0010
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('swedish', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_documents_search_vector ON documents USING gin (search_vector)",
    "ALTER TABLE pledges ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('swedish', coalesce(quote, '') || ' ' || coalesce(area, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_pledges_search_vector ON pledges USING gin (search_vector)",
]


@dataclass(frozen=True)
class SearchPage:
    """One page of hits, best first, with the number of all hits and the way they were found.

    `capped`: the count stopped at `total` (MAX_COUNT) and there are more hits than that.
    """

    total: int
    items: list[Any] = field(default_factory=list)
    method: str = "none"  # fts5 | like | postgres | none
    capped: bool = False


def query_terms(query: str) -> list[str]:
    """The stems a query is matched (on SQLite) and highlighted by: see `parse_query`."""
    return list(parse_query(query).stems)


def install_fts(connection: Connection) -> None:
    """Create the full-text index for the connection's database (idempotent)."""
    statements = (
        SQLITE_FTS_STATEMENTS if connection.dialect.name == "sqlite" else POSTGRES_FTS_STATEMENTS
    )
    for statement in statements:
        connection.execute(text(statement))


# The FTS5 tables found per database: once there they stay (the migrations make them), so a
# search asks sqlite_master only until it has seen them.
_FTS_SEEN: weakref.WeakKeyDictionary[Engine, set[str]] = weakref.WeakKeyDictionary()


def fts_available(session: Session, table: str = "documents_fts") -> bool:
    """Whether the SQLite FTS5 index `table` exists (always False on PostgreSQL)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    engine = bind if isinstance(bind, Engine) else bind.engine
    seen = _FTS_SEEN.setdefault(engine, set())
    if table not in seen:
        found = session.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": table},
        ).first()
        if found is None:
            return False
        seen.add(table)
    return True


def _fts5_match(terms: Sequence[str]) -> str:
    return " AND ".join(f'"{t}"*' for t in terms)  # terms hold word characters only


def _pg_tsquery(terms: Sequence[str]) -> str:
    return " & ".join(f"'{t}':*" for t in terms)  # terms hold word characters only


def _like_variants(term: str) -> set[str]:
    """LIKE in SQLite ignores case for ASCII only: also try the capitalised and upper forms."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {f"%{v}%" for v in (escaped, escaped.capitalize(), escaped.upper())}


def _like_all(columns: Sequence[Any], terms: Sequence[str]) -> Any:
    return and_(
        *[or_(*[c.like(v, escape="\\") for v in _like_variants(t) for c in columns]) for t in terms]
    )


def _scope(tracker_id: int | None, tracker_ids: Collection[int] | None) -> list[int] | None:
    """The trackers searched: None for all of them."""
    if tracker_id is not None:
        wanted = {tracker_id} if tracker_ids is None else {tracker_id} & set(tracker_ids)
        return sorted(wanted)
    return None if tracker_ids is None else sorted(set(tracker_ids))


def _in_scope(
    column: str, scope: list[int] | None, params: dict[str, Any], *, negate: bool = False
) -> str:
    """` AND column [NOT] IN (:t0, …)` for the scope, its values put in params ('' for all)."""
    if scope is None:
        return ""
    params.update({f"t{i}": t for i, t in enumerate(scope)})
    names = ", ".join(f":t{i}" for i in range(len(scope)))
    return f" AND {column} {'NOT IN' if negate else 'IN'} ({names})"


def _others_have_documents(session: Session, scope: list[int]) -> bool:
    """Whether any tracker outside `scope` has documents (index look-ups, one per tracker)."""
    params: dict[str, Any] = {}
    outside = _in_scope("t.id", scope, params, negate=True)
    found = session.execute(
        text(
            "SELECT 1 FROM trackers t WHERE EXISTS "
            f"(SELECT 1 FROM documents d WHERE d.tracker_id = t.id){outside} LIMIT 1"
        ),
        params,
    ).first()
    return found is not None


def _count(session: Session, from_where: str, params: dict[str, Any]) -> int:
    """The number of rows of `FROM … WHERE …`."""
    return int(session.execute(text(f"SELECT count(*) {from_where}"), params).scalar_one())


def search_documents(
    session: Session,
    query: str,
    *,
    tracker_id: int | None = None,
    tracker_ids: Collection[int] | None = None,
    limit: int = 20,
    offset: int = 0,
    count_limit: int | None = MAX_COUNT,
    reuse: bool = False,
) -> SearchPage:
    """Documents holding every word of the query (as a word prefix where an index is used), of
    `tracker_id` and/or `tracker_ids` when given, best first: `limit` of them from `offset`.

    At most `count_limit` hits are counted and ranked (None: all of them): with more, the
    total is `count_limit`, `capped` is set, and the page ranks the newest `count_limit` hits
    (the highest ids: the last added). Finding the newest hits walks the index in id order and
    scores nothing: however common the words, at most `count_limit` hits are scored.

    `reuse`: a page worked out before for the same query, scope and paging is used
    again while `documents_stamp` is unchanged (see `_PageCache`)."""
    parsed = parse_query(query)
    scope = _scope(tracker_id, tracker_ids)
    if not parsed.words or scope == []:
        return SearchPage(0)
    key: Hashable = None
    if reuse and documents_stamped(session):
        # the stamp is read first: a page computed after it can only be newer than it says
        key = (
            parsed.words,
            None if scope is None else tuple(scope),
            limit,
            offset,
            count_limit,
            fts_available(session, "documents_fts"),
            documents_stamp(session),
        )
    hits = None if key is None else page_cache(session).get(key)
    if hits is None:
        hits = _hits(session, parsed, scope, limit, offset, count_limit)
        if key is not None:
            page_cache(session).put(key, hits)
    return SearchPage(hits.total, _documents(session, hits.ids), hits.method, hits.capped)


def candidate_ids(
    session: Session, pledge_text: str, *, tracker_id: int, limit: int | None
) -> list[int] | None:
    """Ids of the tracker's documents holding at least one word of `pledge_text`, best first
    by the index's rank, at most `limit`: the few an editor's search from a pledge ranks with
    the linker, out of a record of thousands (QA: ranking all 8,942 took 10-16 s). None without
    an index (the LIKE fallback) or without words: the caller ranks every document then.
    `limit` None: all of them, in that order."""
    some = parse_query(pledge_text, max_terms=ANY_TERMS)
    if not some.words:
        return None
    params: dict[str, Any] = {"limit": limit, "t": tracker_id}
    cut = "" if limit is None else " LIMIT :limit"
    if session.get_bind().dialect.name == "postgresql":
        params["q"] = " | ".join(f"'{t}':*" for t in some.forms)  # word characters only
        query = (
            "SELECT d.id FROM documents d WHERE d.tracker_id = :t AND "
            "d.search_vector @@ to_tsquery('swedish', :q) "
            "ORDER BY ts_rank(d.search_vector, to_tsquery('swedish', :q)) DESC, d.id DESC" + cut
        )
    elif fts_available(session, "documents_fts"):
        params["q"] = " OR ".join(f'"{t}"*' for t in some.stems)
        query = (
            "SELECT d.id FROM documents_fts CROSS JOIN documents d ON d.id = documents_fts.rowid "
            "WHERE documents_fts MATCH :q AND d.tracker_id = :t "
            "ORDER BY documents_fts.rank, d.id DESC" + cut
        )
    else:
        return None
    return [int(i) for i in session.execute(text(query), params).scalars()]


def _hits(
    session: Session,
    parsed: SearchQuery,
    scope: list[int] | None,
    limit: int,
    offset: int,
    count_limit: int | None,
) -> _Hits:
    """search_documents' page of ids (see there)."""
    dialect = session.get_bind().dialect.name
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    key = select_id = "d.id"  # the id to order the newest hits by, and the one to return
    if dialect == "postgresql":
        params["q"] = _pg_tsquery(parsed.forms)  # PostgreSQL stems them itself
        from_where = (
            "FROM documents d WHERE d.search_vector @@ to_tsquery('swedish', :q)"
            + _in_scope("d.tracker_id", scope, params)
        )
        rank = "ts_rank(d.search_vector, to_tsquery('swedish', :q))"
        if count_limit is not None:
            return _window(session, "postgres", f"d.id, {rank}", "d.id", from_where, params,
                           count_limit, lambda row: (-row[1], -row[0]))  # fmt: skip
        order = f"{rank} DESC, d.id DESC"
        method = "postgres"
    elif fts_available(session, "documents_fts"):
        params["q"] = _fts5_match(parsed.stems)
        key = "documents_fts.rowid"  # FTS5 walks its doclists in rowid order: no sort
        if scope is None or not _others_have_documents(session, scope):
            # every document is in scope: the index alone answers, no row is looked up
            from_where = "FROM documents_fts WHERE documents_fts MATCH :q"
            select_id = key
        else:
            from_where = (  # CROSS JOIN: the FTS table first
                "FROM documents_fts CROSS JOIN documents d ON d.id = documents_fts.rowid "
                "WHERE documents_fts MATCH :q" + _in_scope("d.tracker_id", scope, params)
            )
        if count_limit is not None:  # as ORDER BY rank, rowid DESC: best bm25 (lowest) first
            return _window(session, "fts5", f"{key}, documents_fts.rank", key, from_where,
                           params, count_limit, lambda row: (row[1], -row[0]))  # fmt: skip
        order = f"documents_fts.rank, {key} DESC"
        method = "fts5"
    else:
        return _like_documents(session, parsed.stems, scope, limit, offset, count_limit)
    # every hit counted and ranked (count_limit None)
    total = _count(session, from_where, params)
    ids = session.execute(
        text(f"SELECT {select_id} {from_where} ORDER BY {order} LIMIT :limit OFFSET :offset"),
        params,
    ).scalars()
    return _Hits(total, False, method, tuple(ids))


def _window(
    session: Session,
    method: str,
    id_and_rank: str,
    key: str,
    from_where: str,
    params: dict[str, Any],
    count_limit: int,
    best_first: Callable[[Any], Any],
) -> _Hits:
    """The page in one statement: the newest `count_limit` + 1 hits in `key` order (FTS5 walks
    its doclists in rowid order; PostgreSQL walks the primary key back and checks each row's
    vector) with their rank, counted and ranked here. Separate statements to count, then to
    rank the same hits, matched every hit again (FTS5: about half of a common-word search;
    PostgreSQL: 38 ms against 15 ms for one at 255,000 documents, each planned anew)."""
    rows = session.execute(
        text(f"SELECT {id_and_rank} {from_where} ORDER BY {key} DESC LIMIT :window"),
        {k: v for k, v in params.items() if k not in ("limit", "offset")}
        | {"window": count_limit + 1},
    ).all()
    capped = len(rows) > count_limit
    ranked = sorted(rows[:count_limit], key=best_first)
    page = ranked[params["offset"] : params["offset"] + params["limit"]]
    return _Hits(min(len(rows), count_limit), capped, method, tuple(r[0] for r in page))


def _like_documents(
    session: Session,
    terms: Sequence[str],
    scope: list[int] | None,
    limit: int,
    offset: int,
    count_limit: int | None,
) -> _Hits:
    """search_documents on SQLite without the FTS5 index: a LIKE scan, newest first."""
    like = _like_all([DocumentRow.title, DocumentRow.body], terms)
    if scope is not None:
        like = and_(like, DocumentRow.tracker_id.in_(scope))
    matching = select(DocumentRow.id).where(like)
    counted = matching if count_limit is None else matching.limit(count_limit + 1)
    found = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    capped = count_limit is not None and found > count_limit
    ids = session.scalars(
        matching.order_by(DocumentRow.date_value.desc().nulls_last(), DocumentRow.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    total = min(found, count_limit) if count_limit is not None else found
    return _Hits(total, capped, "like", tuple(ids))


def _documents(session: Session, ids: Sequence[int]) -> list[Document]:
    """The documents `ids`, in that order."""
    rows = {r.id: r for r in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(ids)))}
    return [document_record(rows[i]) for i in ids if i in rows]


def pledges_by_id(session: Session, ids: Sequence[int]) -> list[Pledge]:
    """The pledges `ids`, in that order (a search's page of hits)."""
    rows = {r.id: r for r in session.scalars(select(PledgeRow).where(PledgeRow.id.in_(ids)))}
    return [pledge_record(rows[i]) for i in ids if i in rows]


def ranked_pledge_ids(
    session: Session,
    query: str,
    *,
    tracker_id: int | None = None,
    exclude_states: Sequence[PledgeState] = (PledgeState.REJECTED,),
) -> tuple[list[int], str]:
    """The ids of all pledges whose quote or policy area holds every word of the query, best
    first, and the method (no records loaded: a program's pledges number in the thousands)."""
    hits = newest_pledge_ids(
        session, query, tracker_id=tracker_id, exclude_states=exclude_states, count_limit=None
    )
    return list(hits.ids), hits.method


def newest_pledge_ids(
    session: Session,
    query: str,
    *,
    tracker_id: int | None = None,
    exclude_states: Sequence[PledgeState] = (PledgeState.REJECTED,),
    count_limit: int | None = MAX_COUNT,
) -> _Hits:
    """`ranked_pledge_ids` of at most `count_limit` hits (None: all of them), as
    `search_documents` bounds its own: with more, `capped` is set and the newest `count_limit`
    hits (the highest ids) are ranked, found by walking the index in id order (nothing scored).
    QA: "skolan" in 760,000 pledges ranked them all and asked for their outline with a SQL
    variable each ("too many SQL variables" after 16 s)."""
    parsed = parse_query(query)
    if not parsed.words:
        return _Hits(0, False, "none", ())
    terms = parsed.stems
    dialect = session.get_bind().dialect.name
    params: dict[str, Any] = {}
    extra = _in_scope("p.tracker_id", None if tracker_id is None else [tracker_id], params)
    if exclude_states:
        names = ", ".join(f":s{i}" for i in range(len(exclude_states)))
        params.update({f"s{i}": s.value for i, s in enumerate(exclude_states)})
        extra += f" AND p.state NOT IN ({names})"
    if dialect == "postgresql":
        params["q"] = _pg_tsquery(parsed.forms)  # PostgreSQL stems them itself
        from_where = f"FROM pledges p WHERE p.search_vector @@ to_tsquery('swedish', :q){extra}"
        rank = "ts_rank(p.search_vector, to_tsquery('swedish', :q))"
        order, best_first = f"{rank} DESC, p.id", lambda row: (-row[1], row[0])
        key = "p.id"  # PostgreSQL walks the primary key back, checking each row's vector
        method = "postgres"
    elif fts_available(session, "pledges_fts"):
        params["q"] = _fts5_match(terms)
        from_where = (  # CROSS JOIN: the FTS table first
            "FROM pledges_fts CROSS JOIN pledges p ON p.id = pledges_fts.rowid "
            f"WHERE pledges_fts MATCH :q{extra}"
        )
        rank = "pledges_fts.rank"
        order, best_first = "pledges_fts.rank, p.id", lambda row: (row[1], row[0])
        key = "pledges_fts.rowid"  # FTS5 walks its doclists in rowid order: no sort
        method = "fts5"
    else:
        like = _like_all([PledgeRow.quote, PledgeRow.area], terms)
        if tracker_id is not None:
            like = and_(like, PledgeRow.tracker_id == tracker_id)
        if exclude_states:
            like = and_(like, PledgeRow.state.not_in([s.value for s in exclude_states]))
        if count_limit is None:
            ids = session.scalars(select(PledgeRow.id).where(like).order_by(PledgeRow.id)).all()
            return _Hits(len(ids), False, "like", tuple(ids))
        newest = session.scalars(
            select(PledgeRow.id).where(like).order_by(PledgeRow.id.desc()).limit(count_limit + 1)
        ).all()
        ids = sorted(newest[:count_limit])  # in id order, as without a cap
        return _Hits(len(ids), len(newest) > count_limit, "like", tuple(ids))
    if count_limit is None:
        sql = f"SELECT p.id {from_where} ORDER BY {order}"
        found = tuple(session.execute(text(sql), params).scalars())
        return _Hits(len(found), False, method, found)
    rows = session.execute(
        text(f"SELECT p.id, {rank} {from_where} ORDER BY {key} DESC LIMIT :window"),
        params | {"window": count_limit + 1},
    ).all()
    ranked = sorted(rows[:count_limit], key=best_first)
    return _Hits(len(ranked), len(rows) > count_limit, method, tuple(r[0] for r in ranked))


def search_pledges(
    session: Session,
    query: str,
    *,
    tracker_id: int | None = None,
    exclude_states: Sequence[PledgeState] = (PledgeState.REJECTED,),
    limit: int | None = 20,
    offset: int = 0,
) -> SearchPage:
    """Pledges whose quote or policy area holds every word of the query, best first: `limit`
    of them (None: all) from `offset`, with the number of all."""
    ids, method = ranked_pledge_ids(
        session, query, tracker_id=tracker_id, exclude_states=exclude_states
    )
    chosen = ids[offset:] if limit is None else ids[offset : offset + limit]
    return SearchPage(len(ids), pledges_by_id(session, chosen), method)
