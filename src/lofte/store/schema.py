"""Database tables. Every table has created/modified times; every derived row names its stage.

Migrations in `migrations/versions` create exactly this schema; a test compares the two.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# A deleted row's id is never given again (SQLite's AUTOINCREMENT; PostgreSQL's sequences
# never do): public addresses and audit events name rows by id (migrations 0019, 0020).
NEVER_REUSED = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    pass


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    modified_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class Derived(Timestamped):
    """A row computed by a pipeline stage: which stage, which version."""

    stage: Mapped[str] = mapped_column(String(64), nullable=False)
    stage_version: Mapped[str] = mapped_column(String(32), nullable=False)


class TrackerRow(Timestamped, Base):
    __tablename__ = "trackers"
    __table_args__ = (NEVER_REUSED,)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    jurisdiction: Mapped[str | None] = mapped_column(String(200))
    actors: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    term_start: Mapped[dt.date | None] = mapped_column(Date)
    term_end: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    # A tracker is a draft (not on the public site) until an editor publishes it.
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    show_candidates: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), nullable=False
    )
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    methodology: Mapped[str | None] = mapped_column(Text)
    # when a document was last deleted from it (store.document_delete): the public pages' and
    # search's stamps read it; `modified_at` is the settings form's token (migration 0019)
    contents_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SourceRow(Timestamped, Base):
    __tablename__ = "sources"
    __table_args__ = (
        UniqueConstraint("tracker_id", "name", name="uq_sources_tracker_name"),
        NEVER_REUSED,
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracker_id: Mapped[int] = mapped_column(
        ForeignKey("trackers.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    publisher: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str | None] = mapped_column(Text)
    # A watched source (issue 15): fetched every `every_seconds` by `lofte update`; NULL for a
    # source that is only a label of ingested files. `shape` is feed, listing, sitemap or auto.
    shape: Mapped[str | None] = mapped_column(String(20))
    every_seconds: Mapped[int | None] = mapped_column(Integer)
    paused: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), nullable=False
    )
    next_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0", nullable=False)


class SourceRunRow(Timestamped, Base):
    """One run of a watched source: what was fetched, what was new, what failed and why."""

    __tablename__ = "source_runs"
    __table_args__ = (Index("ix_source_runs_source_started", "source_id", "started_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), nullable=False
    )
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # ok | not_modified | failed
    fetched: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    new: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    unchanged: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    failed: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)


class FetchValidatorRow(Timestamped, Base):
    """ETag / Last-Modified a server gave for a URL, for a watched source's next conditional
    GET. Per source: two sources on one URL must not answer each other's requests with a 304."""

    __tablename__ = "fetch_validators"
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)


class ArchivedResponseRow(Timestamped, Base):
    """A fetched URL's raw HTTP response as one gzipped WARC `response` record (warcio), with
    when it was fetched and the SHA-256 of its payload: the copy a verdict's source keeps when
    the original page changes or disappears."""

    __tablename__ = "archived_responses"
    __table_args__ = (Index("ix_archived_responses_url", "url"), NEVER_REUSED)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, nullable=False)
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    status: Mapped[int] = mapped_column(Integer, nullable=False)
    media_type: Mapped[str | None] = mapped_column(String(100))
    payload_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    warc: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class RawBlobRow(Timestamped, Base):
    """Input bytes as read, addressed by their SHA-256, so every document can be re-derived."""

    __tablename__ = "raw_blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    media_type: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class DocumentRow(Derived, Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("tracker_id", "origin", "item_key", name="uq_documents_identity"),
        Index("ix_documents_content_hash", "content_hash"),
        Index("ix_documents_tracker_date", "tracker_id", "date_value"),
        # the newest change of a tracker's documents in one probe (store.freshness)
        Index("ix_documents_tracker_modified", "tracker_id", "modified_at"),
        Index("ix_documents_tracker_id", "tracker_id", "id"),  # the public list's order
        NEVER_REUSED,
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracker_id: Mapped[int] = mapped_column(
        ForeignKey("trackers.id", ondelete="CASCADE"), nullable=False
    )
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    origin: Mapped[str] = mapped_column(Text, nullable=False)
    item_key: Mapped[str] = mapped_column(String(200), nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    url: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(200))
    date_value: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    date_provenance: Mapped[str | None] = mapped_column(String(10))
    date_confidence: Mapped[float | None] = mapped_column(Float)
    language: Mapped[str | None] = mapped_column(String(10))
    truncated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    raw_sha256: Mapped[str] = mapped_column(ForeignKey("raw_blobs.sha256"), nullable=False)
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    structure: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    party: Mapped[str | None] = mapped_column(String(100))  # a program's party (an actor)
    # MinHash of title + body for near-duplicate lookup (ingest); NULL: too short, or older
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    # the archived HTTP response this document was read from (fetched from a URL)
    archive_id: Mapped[int | None] = mapped_column(
        ForeignKey("archived_responses.id", ondelete="SET NULL"), index=True
    )


class DocumentBandRow(Base):
    """One LSH bucket key of a document's MinHash per band (pipeline.dedup.band_keys): ingest
    finds a new text's near-duplicates by looking its keys up here, so no process holds the
    signatures of a whole tracker. Written with the document, removed with it."""

    __tablename__ = "document_bands"
    __table_args__ = (Index("ix_document_bands_lookup", "tracker_id", "key"),)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    tracker_id: Mapped[int] = mapped_column(
        ForeignKey("trackers.id", ondelete="CASCADE"), nullable=False
    )
    key: Mapped[int] = mapped_column(BigInteger, nullable=False)


class PledgeRow(Derived, Base):
    __tablename__ = "pledges"
    __table_args__ = (
        # the tracker's newest pledge change in one probe, and its pledges' versions summed
        # from the index alone (store.freshness.tracker_stamp, on every kept page's request)
        Index("ix_pledges_tracker_modified", "tracker_id", "modified_at", "version"),
        # a document's pledges in program order, and those near one: an editor's pledge page
        # reads its neighbours and copies there (publish.editor_pages, migration 0018)
        Index("ix_pledges_document_start", "document_id", "start"),
        NEVER_REUSED,
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracker_id: Mapped[int] = mapped_column(
        ForeignKey("trackers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("pledges.id", ondelete="SET NULL"), index=True
    )
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    quote: Mapped[str] = mapped_column(Text, nullable=False)
    area: Mapped[str | None] = mapped_column(String(300))
    topic: Mapped[str | None] = mapped_column(String(100))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    confidence: Mapped[float] = mapped_column(Float, default=0.0, nullable=False)
    state: Mapped[str] = mapped_column(String(20), default="candidate", nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    party: Mapped[str | None] = mapped_column(String(100))  # whose program it comes from
    # set by an editor; else the end of `attributes["deadline_year"]` counts (review.deadlines)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    # Every ORM UPDATE or DELETE of a pledge says `WHERE version = <the version read>`, so two
    # writers that read the same version cannot both succeed: the second matches no row and
    # gets a ConflictError (see store.db.store_error). The code bumps `version` itself.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class EvidenceRow(Derived, Base):
    __tablename__ = "evidence"
    __table_args__ = (
        UniqueConstraint("pledge_id", "document_id", name="uq_evidence_pledge_document"),
        # the newest change of any evidence in one probe (store.freshness.tracker_stamp)
        Index("ix_evidence_modified", "modified_at"),
        NEVER_REUSED,
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        ForeignKey("pledges.id", ondelete="CASCADE"), nullable=False, index=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True
    )
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    score: Mapped[float] = mapped_column(Float, nullable=False)
    features: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    stance: Mapped[str] = mapped_column(String(20), default="mentions", nullable=False)
    review_state: Mapped[str] = mapped_column(String(20), default="suggested", nullable=False)


class UserRow(Timestamped, Base):
    __tablename__ = "users"
    __table_args__ = (NEVER_REUSED,)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(300), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    # Bumped by logout, password and role changes and disabling: every session cookie carries
    # the number it was issued under, and one that differs is refused (sessions end server-side).
    session_generation: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", nullable=False
    )
    disabled: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), nullable=False
    )


class LoginFailureRow(Timestamped, Base):
    """Recent failed logins per client address, per username and per (username, address):
    the login throttle's memory, in the database so every server process shares it."""

    __tablename__ = "login_failures"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_login_failures_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(10), nullable=False)  # address, user or pair
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    failures: Mapped[int] = mapped_column(Integer, nullable=False)
    last_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, index=True)


class VerdictRow(Timestamped, Base):
    """Append-only: a pledge's status is its published verdict about the latest moment
    (`verdicts.current_verdict_ids`)."""

    __tablename__ = "verdicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        ForeignKey("pledges.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    rationale: Mapped[str] = mapped_column(Text, default="", nullable=False)
    evidence_ids: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    # When the rated thing happened (a decision, a budget), at its precision; created_at is
    # when the verdict was recorded.
    as_of_value: Mapped[dt.date | None] = mapped_column(Date)
    as_of_precision: Mapped[str | None] = mapped_column(String(10))
    # the newest change of any verdict in one probe (store.freshness.tracker_stamp)
    __table_args__ = (Index("ix_verdicts_modified", "modified_at"), NEVER_REUSED)


class AuditEventRow(Timestamped, Base):
    """Append-only (triggers refuse UPDATE and DELETE) and hash-chained: see store/audit.py."""

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("seq", name="uq_audit_events_seq"),
        # one record's events in chain order, a probe (`audit.list_events`)
        Index("ix_audit_events_entity", "entity_type", "entity_id", "seq"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    action: Mapped[str] = mapped_column(String(50), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(30), nullable=False)
    entity_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditHeadRow(Timestamped, Base):
    """The one row naming the newest event (seq, hash). Appending bumps it with
    `UPDATE … SET seq = seq + 1 RETURNING`, so the database orders concurrent appenders."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class StageMarkRow(Timestamped, Base):
    """What a stage has already processed, so re-running it only does what is new.

    `extract` marks a document with the extractor version that read it; `link` marks a
    document with the linker version that scored it against all pledges, and a pledge with the
    linker version and the pledge version it was scored at (an edit bumps the latter). When a
    document's text changes, ingest drops its marks.
    """

    __tablename__ = "stage_marks"
    __table_args__ = (
        UniqueConstraint("stage", "entity_type", "entity_id", name="uq_stage_marks_entity"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), nullable=False)  # extract | link
    entity_type: Mapped[str] = mapped_column(String(20), nullable=False)  # document | pledge
    entity_id: Mapped[int] = mapped_column(Integer, nullable=False)
    stage_version: Mapped[str] = mapped_column(String(64), nullable=False)
    entity_version: Mapped[int | None] = mapped_column(Integer)


class DenseVectorRow(Timestamped, Base):
    """A text's embedding, kept so no text is encoded twice (issue 16).

    Keyed by the model (name and version: vectors of two models never mix), the side (`query`
    or `passage`: e5 embeds them with different prefixes) and the SHA-256 of the text; the
    text itself is not kept. Not a derived row of one document: the same passage of two
    documents, or a pledge after an edit back, hits the same vector.
    """

    __tablename__ = "dense_vectors"
    model: Mapped[str] = mapped_column(String(80), primary_key=True)
    side: Mapped[str] = mapped_column(String(10), primary_key=True)
    text_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)  # float32, little-endian


class SubscriptionRow(Timestamped, Base):
    """How one editor wants to hear about one tracker: a digest by e-mail and/or a signed
    webhook, and when the last digest went out (the next one covers what came after)."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "tracker_id", name="uq_subscriptions_user"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    tracker_id: Mapped[int] = mapped_column(
        ForeignKey("trackers.id", ondelete="CASCADE"), nullable=False
    )
    email: Mapped[str | None] = mapped_column(String(320))
    webhook_url: Mapped[str | None] = mapped_column(Text)
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    last_sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class DeliveryRow(Timestamped, Base):
    """One digest sent (or tried) on one channel: the outbox and its record."""

    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    channel: Mapped[str] = mapped_column(String(10), nullable=False)  # email | webhook
    status: Mapped[str] = mapped_column(String(10), nullable=False)  # sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)


class LinkBackgroundRow(Timestamped, Base):
    """A tracker's background statistics for the linker's IDFs (pipeline.link_index
    BackgroundStats, compressed), so `lofte link` adds a new document's counts instead of
    reading the whole background again. Documents up to `max_document_id` are counted (all of
    them, or a sample past linking.MAX_BACKGROUND); `revision` makes concurrent writers safe."""

    __tablename__ = "link_backgrounds"
    tracker_id: Mapped[int] = mapped_column(
        ForeignKey("trackers.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[str] = mapped_column(String(100), nullable=False)
    max_document_id: Mapped[int] = mapped_column(Integer, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class LinkClaimRow(Timestamped, Base):
    """Which `lofte link` run is linking a tracker now, until when (store.link_claims): one
    run per tracker at a time, taken and renewed by conditional UPDATEs. `holder` None: free."""

    __tablename__ = "link_claims"
    tracker_id: Mapped[int] = mapped_column(
        ForeignKey("trackers.id", ondelete="CASCADE"), primary_key=True
    )
    holder: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
