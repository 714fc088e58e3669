"""Full-text search over documents and pledges, on SQLite and PostgreSQL.

Three ways, picked per query, same answers up to ranking:

- **SQLite with an FTS5 index** (`documents_fts`, `pledges_fts`, kept in step by triggers; see
  `SQLITE_FTS_STATEMENTS`): each word is a prefix query ("simhall" finds "simhallen"), ranked by
  bm25. Used whenever the index tables exist.
- **SQLite without the index**: every word must occur (LIKE, at any position), newest first.
  Correct but a full scan: fine for thousands of documents, slow for a hundred thousand.
- **PostgreSQL**: `to_tsvector('swedish', …) @@ to_tsquery('swedish', 'word:* & …')` computed at
  query time (Swedish stemming, prefix words), ranked by ts_rank. `POSTGRES_FTS_STATEMENTS` adds
  expression GIN indexes that the same query uses once they exist.

`install_fts(connection)` creates the index for the connection's dialect; a migration can call
it, and the benchmark and tests do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, text
from sqlalchemy.orm import Session

from ..model import Document, Pledge, PledgeState
from .documents import document_record
from .pledges import pledge_record
from .schema import DocumentRow, PledgeRow

MAX_TERMS = 8
_WORD = re.compile(r"\w+")

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

_PG_DOCUMENT_VECTOR = "to_tsvector('swedish', title || ' ' || body)"
_PG_PLEDGE_VECTOR = "to_tsvector('swedish', quote || ' ' || coalesce(area, ''))"

POSTGRES_FTS_STATEMENTS = [
    f"CREATE INDEX IF NOT EXISTS ix_documents_fts ON documents USING gin (({_PG_DOCUMENT_VECTOR}))",
    f"CREATE INDEX IF NOT EXISTS ix_pledges_fts ON pledges USING gin (({_PG_PLEDGE_VECTOR}))",
]


@dataclass(frozen=True)
class SearchPage:
    """One page of hits, best first, with the number of all hits and the way they were found."""

    total: int
    items: list[Any] = field(default_factory=list)
    method: str = "none"  # fts5 | like | postgres | none


def query_terms(query: str) -> list[str]:
    """The words of a query, lower-cased, at most MAX_TERMS; punctuation and operators dropped."""
    words = [w.casefold() for w in _WORD.findall(query or "") if any(c.isalnum() for c in w)]
    return list(dict.fromkeys(words))[:MAX_TERMS]


def install_fts(connection: Connection) -> None:
    """Create the full-text index for the connection's database (idempotent)."""
    statements = (
        SQLITE_FTS_STATEMENTS if connection.dialect.name == "sqlite" else POSTGRES_FTS_STATEMENTS
    )
    for statement in statements:
        connection.execute(text(statement))


def fts_available(session: Session, table: str = "documents_fts") -> bool:
    """Whether the SQLite FTS5 index `table` exists (always False on PostgreSQL)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": table}
    ).first()
    return found is not None


def _fts5_match(terms: Sequence[str]) -> str:
    return " AND ".join(f'"{t}"*' for t in terms)  # terms hold word characters only


def _pg_tsquery(terms: Sequence[str]) -> str:
    return " & ".join(f"{t}:*" for t in terms)


def _like_variants(term: str) -> set[str]:
    """LIKE in SQLite ignores case for ASCII only: also try the capitalised and upper forms."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {f"%{v}%" for v in (escaped, escaped.capitalize(), escaped.upper())}


def _like_all(columns: Sequence[Any], terms: Sequence[str]) -> Any:
    return and_(
        *[or_(*[c.like(v, escape="\\") for v in _like_variants(t) for c in columns]) for t in terms]
    )


def search_documents(
    session: Session,
    query: str,
    *,
    tracker_id: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Documents holding every word of the query (as a word prefix where an index is used)."""
    terms = query_terms(query)
    if not terms:
        return SearchPage(0)
    dialect = session.get_bind().dialect.name
    params: dict[str, Any] = {"tracker": tracker_id, "limit": limit, "offset": offset}
    where_tracker = "" if tracker_id is None else " AND d.tracker_id = :tracker"
    if dialect == "postgresql":
        params["q"] = _pg_tsquery(terms)
        match = f"{_PG_DOCUMENT_VECTOR.replace('title', 'd.title').replace('body', 'd.body')}"
        cond = f"{match} @@ to_tsquery('swedish', :q){where_tracker}"
        total = session.execute(
            text(f"SELECT count(*) FROM documents d WHERE {cond}"), params
        ).scalar_one()
        ids = (
            session.execute(
                text(
                    f"SELECT d.id FROM documents d WHERE {cond} "
                    f"ORDER BY ts_rank({match}, to_tsquery('swedish', :q)) DESC, d.id DESC "
                    "LIMIT :limit OFFSET :offset"
                ),
                params,
            )
            .scalars()
            .all()
        )
        method = "postgres"
    elif fts_available(session, "documents_fts"):
        params["q"] = _fts5_match(terms)
        cond = f"documents_fts MATCH :q{where_tracker}"
        join = (
            "FROM documents_fts CROSS JOIN documents d ON d.id = documents_fts.rowid"  # FTS first
        )
        total = session.execute(text(f"SELECT count(*) {join} WHERE {cond}"), params).scalar_one()
        ids = (
            session.execute(
                text(
                    f"SELECT d.id {join} WHERE {cond} ORDER BY bm25(documents_fts), d.id DESC "
                    "LIMIT :limit OFFSET :offset"
                ),
                params,
            )
            .scalars()
            .all()
        )
        method = "fts5"
    else:
        like = _like_all([DocumentRow.title, DocumentRow.body], terms)
        if tracker_id is not None:
            like = and_(like, DocumentRow.tracker_id == tracker_id)
        total = session.scalar(select(func.count(DocumentRow.id)).where(like)) or 0
        ids = session.scalars(
            select(DocumentRow.id)
            .where(like)
            .order_by(DocumentRow.date_value.desc().nulls_last(), DocumentRow.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        method = "like"
    rows = {r.id: r for r in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(ids)))}
    items: list[Document] = [document_record(rows[i]) for i in ids if i in rows]
    return SearchPage(int(total), items, method)


def search_pledges(
    session: Session,
    query: str,
    *,
    tracker_id: int | None = None,
    exclude_states: Sequence[PledgeState] = (PledgeState.REJECTED,),
    limit: int | None = 20,
    offset: int = 0,
) -> SearchPage:
    """Pledges whose quote or policy area holds every word of the query."""
    terms = query_terms(query)
    if not terms:
        return SearchPage(0)
    dialect = session.get_bind().dialect.name
    params: dict[str, Any] = {"tracker": tracker_id, "limit": limit or -1, "offset": offset}
    extra = "" if tracker_id is None else " AND p.tracker_id = :tracker"
    if exclude_states:
        names = ", ".join(f":s{i}" for i in range(len(exclude_states)))
        params.update({f"s{i}": s.value for i, s in enumerate(exclude_states)})
        extra += f" AND p.state NOT IN ({names})"
    limit_sql = " LIMIT :limit OFFSET :offset" if limit is not None else ""
    if dialect == "postgresql":
        params["q"] = _pg_tsquery(terms)
        vector = _PG_PLEDGE_VECTOR.replace("quote", "p.quote").replace("area", "p.area")
        cond = f"{vector} @@ to_tsquery('swedish', :q){extra}"
        total = session.execute(
            text(f"SELECT count(*) FROM pledges p WHERE {cond}"), params
        ).scalar_one()
        ids = (
            session.execute(
                text(
                    f"SELECT p.id FROM pledges p WHERE {cond} "
                    f"ORDER BY ts_rank({vector}, to_tsquery('swedish', :q)) DESC, p.id{limit_sql}"
                ),
                params,
            )
            .scalars()
            .all()
        )
        method = "postgres"
    elif fts_available(session, "pledges_fts"):
        params["q"] = _fts5_match(terms)
        join = "FROM pledges_fts CROSS JOIN pledges p ON p.id = pledges_fts.rowid"  # FTS first
        cond = f"pledges_fts MATCH :q{extra}"
        total = session.execute(text(f"SELECT count(*) {join} WHERE {cond}"), params).scalar_one()
        ids = (
            session.execute(
                text(
                    f"SELECT p.id {join} WHERE {cond} ORDER BY bm25(pledges_fts), p.id{limit_sql}"
                ),
                params,
            )
            .scalars()
            .all()
        )
        method = "fts5"
    else:
        like = _like_all([PledgeRow.quote, PledgeRow.area], terms)
        if tracker_id is not None:
            like = and_(like, PledgeRow.tracker_id == tracker_id)
        if exclude_states:
            like = and_(like, PledgeRow.state.not_in([s.value for s in exclude_states]))
        total = session.scalar(select(func.count(PledgeRow.id)).where(like)) or 0
        stmt = select(PledgeRow.id).where(like).order_by(PledgeRow.id)
        if limit is not None:
            stmt = stmt.limit(limit).offset(offset)
        ids = session.scalars(stmt).all()
        method = "like"
    rows = {r.id: r for r in session.scalars(select(PledgeRow).where(PledgeRow.id.in_(ids)))}
    items: list[Pledge] = [pledge_record(rows[i]) for i in ids if i in rows]
    return SearchPage(int(total), items, method)
