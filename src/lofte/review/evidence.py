"""Evidence an editor attaches by hand: a stored document, a URL or an uploaded file.

The linker suggests only pairs that reach its threshold; an editor who knows better attaches
the document. The link is stored as accepted evidence with provenance stage `editor`, its
passage the best one the linker finds in the document for the pledge (else the start of the
document), and one audit event naming the actor (`evidence.attach`; when the linker had
already suggested the pair, the suggestion is accepted instead: `evidence.accept`).

The editor may give a reason (why this is evidence: kept in the event, as a decision's reason
is, where the pledge's history shows it) and may choose the passage: a quote from the
document, found as whole words (spaces and line breaks between them as they come, letter case
ignored); a quote the document does not hold is refused naming it, and nothing is stored.

A URL is fetched by the project's fetcher (public addresses only, size cap, deadline), an
upload read from its bytes and a file of the server (`--file`) as `lofte ingest` reads it (its
folders date and file it); each is stored through `ingest` like any input (raw bytes and
their hash, the fetch time, the reader that parsed it) before it is attached. A bad URL or
file fails with an error naming it, and nothing of it is stored; so does a feed or a listing
none of whose items is about the pledge (it is read and scored before anything is stored).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import mimetypes
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..config import Settings, get_settings
from ..errors import InputError, TooLargeError, ValidationError
from ..ingest import IngestOptions, InputReport, prepare_raw, store_prepared
from ..language.controls import clean_text
from ..model import Evidence, Pledge, PledgeState, RawInput, SourceKind, Stance
from ..sources import paths
from ..sources.read import is_url, read_file
from ..store import documents as document_store
from ..store import evidence as evidence_store
from ..store import pledges as pledge_store
from ..store import trackers as tracker_store
from ..store.db import Store
from .reasons import MAX_RATIONALE_LENGTH, checked_length, checked_reason, visible

PASSAGE_FALLBACK = 500  # characters from the start when no passage shares a word with the pledge
UPLOAD_SCHEME = "upload:"


@dataclass(frozen=True)
class Attached:
    """What attaching did: the accepted evidence, and how its document came to be."""

    evidence: Evidence
    document_id: int
    was_suggested: bool  # the linker had suggested the pair: the suggestion was accepted
    ingest: InputReport | None = None  # for a URL or an upload: what storing it did
    # the document's dates put it before the program or outside the term: the linker would
    # never suggest it; the editor is told, and the attach stands (their call)
    outside_period: bool = False


def _pledge_to_attach_to(store: Store, pledge_id: int) -> tuple[Pledge, str]:
    with store.session() as session:
        pledge = pledge_store.get_pledge(session, pledge_id)
        slug = tracker_store.get_tracker_by_id(session, pledge.tracker_id).slug
    if pledge.state is PledgeState.REJECTED:
        raise ValidationError(f"pledge {pledge_id} is rejected: it takes no evidence")
    return pledge, slug


def _actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not actor:
        raise ValidationError("attaching evidence needs an actor (who attaches it)")
    return actor


def checked_passage(passage: str | None) -> str | None:
    """The quote an editor chose as the passage, without control characters (`checked_reason`),
    None when it holds no text; refused when too long (before anything is fetched or
    written)."""
    passage = unicodedata.normalize("NFC", clean_text(passage or "").strip())
    if not passage or not visible(passage):
        return None
    return checked_length("passage", passage, MAX_RATIONALE_LENGTH)


def _passage_pattern(passage: str) -> re.Pattern[str]:
    """The quote's words in order, any spaces between them, letter case ignored; a word at
    either end must be whole there (not the start or end of a longer word)."""
    words = [re.escape(w) for w in passage.split()]
    head = r"(?<!\w)" if re.match(r"\w", passage) else ""
    tail = r"(?!\w)" if re.search(r"\w\Z", passage) else ""
    return re.compile(head + r"\s+".join(words) + tail, re.IGNORECASE)


def find_passage(
    body: str, passage: str, near: tuple[int, int] | None = None
) -> tuple[int, int] | None:
    """Where the quote `passage` is in `body` (whole words, see `_passage_pattern`), as
    (start, end); when it is there several times, the first one inside the linker's passage
    `near` if any is, else the first. None when it is not there."""
    found = [m.span() for m in _passage_pattern(passage).finditer(body)]
    if not found:
        return None
    if near is not None:
        inside = [f for f in found if f[0] < near[1] and f[1] > near[0]]
        if inside:
            return inside[0]
    return found[0]


def _not_found(passage: str, document_id: int | None = None) -> ValidationError:
    shown = " ".join(passage.split())  # on one line, as the message is
    shown = shown if len(shown) <= SHOWN_PASSAGE else shown[: SHOWN_PASSAGE - 1] + "…"
    where = f"document {document_id}" if document_id is not None else "the document"
    return ValidationError(
        f"the passage '{shown}' is not in {where} (as whole words): copy it from the text",
        ("passage",),
    )


SHOWN_PASSAGE = 80  # characters of a quote not found that its error message repeats


def attach_document(
    store: Store,
    pledge_id: int,
    document_id: int,
    *,
    actor: str,
    how: dict[str, Any] | None = None,
    reason: str | None = None,
    passage: str | None = None,
) -> Attached:
    """Attach a stored document of the pledge's tracker as accepted evidence of the pledge.
    `reason`: why (kept in the audit event); `passage`: a quote from the document to cite
    instead of the linker's passage (ValidationError when the document does not hold it)."""
    from ..linking import best_passage, in_period  # the linker's index: only when attaching
    from ..pipeline.status import status_hint

    actor = _actor(actor)
    reason = checked_reason(reason)
    passage = checked_passage(passage)
    pledge, _ = _pledge_to_attach_to(store, pledge_id)
    with store.session() as session:
        document = document_store.get_document(session, document_id)
        if document.tracker_id != pledge.tracker_id:
            theirs, ours = (
                tracker_store.get_tracker_by_id(session, i).slug
                for i in (document.tracker_id, pledge.tracker_id)
            )
            raise ValidationError(
                f"document {document_id} is in tracker {theirs}, pledge {pledge_id} in {ours}"
            )
    if document.id == pledge.document_id:
        raise ValidationError(
            f"document {document_id} is the program pledge {pledge_id} comes from"
        )
    match = best_passage(store, pledge_id, document_id)
    features: dict[str, Any] = {"attached_by": actor}
    if match is not None:
        start, end = match.span
        score, stance = match.score, match.stance
        features = match.features | features
        outside = not match.allowed
    else:
        start, end = 0, min(len(document.body), PASSAGE_FALLBACK)
        score, stance = 0.0, Stance.MENTIONS
        outside = not in_period(store, pledge, document.date)
    chosen = None
    if passage is not None:
        chosen = find_passage(document.body, passage, (start, end) if match else None)
        if chosen is None:
            raise _not_found(passage, document_id)
        start, end = chosen
        hint = status_hint(document.body[start:end], pledge.quote)
        stance = hint.stance
        features |= {
            "status_hint": hint.status.value if hint.status else None,
            "stance_confidence": hint.confidence,
            "cues": list(hint.cues),
            "passage_chosen_by": actor,
        }
    how = {"from": "document"} | (how or {})
    features["attached"] = how
    suggestion = evidence_store.NewSuggestion(
        pledge_id=pledge_id,
        document_id=document_id,
        start=start,
        end=end,
        score=round(float(score), 4),
        features=features,
        stance=stance,
        linker=evidence_store.EDITOR_STAGE,
        linker_version=evidence_store.EDITOR_STAGE_VERSION,
    )
    with store.session() as session:
        evidence, was_suggested = evidence_store.attach_evidence(
            session,
            suggestion,
            actor=actor,
            how=how,
            reason=reason,
            passage_chosen=chosen is not None,
        )
    return Attached(evidence, document_id, was_suggested, outside_period=outside)


def attach_url(
    store: Store,
    pledge_id: int,
    url: str,
    *,
    actor: str,
    kind: SourceKind = SourceKind.NEWS,
    settings: Settings | None = None,
    fetch: Callable[[str], RawInput] | None = None,
    reason: str | None = None,
    passage: str | None = None,
) -> Attached:
    """Fetch a URL (the guarded fetcher: public addresses only), store it as a document of the
    pledge's tracker and attach it. `fetch` replaces the fetcher (tests); `reason` and
    `passage` as for `attach_document` (a quote the page does not hold: nothing is stored).

    A URL the tracker already has documents from (ingested, watched, attached before) is not
    fetched again: its stored document is attached as it is, so attaching neither duplicates it
    nor rewrites it (its kind, the reader that read it, the spans of its other evidence)."""
    settings = settings or get_settings()
    actor = _actor(actor)
    reason, passage = checked_reason(reason), checked_passage(passage)
    url = (url or "").strip()
    if not is_url(url):
        raise ValidationError(f"not an http(s) address: {url!r}")
    pledge, _ = _pledge_to_attach_to(store, pledge_id)  # a rejected or unknown one: no fetch
    with store.session() as session:
        stored = document_store.ids_of_origin(session, pledge.tracker_id, url)
    if stored:
        document_id = _one_of(store, pledge_id, url, stored)
        how = {"from": "url", "url": url, "stored": True}
        return attach_document(
            store, pledge_id, document_id, actor=actor, how=how, reason=reason, passage=passage
        )
    if fetch is None:
        from ..sources.fetch import fetch_raw  # httpx only when a URL is fetched

        raw = fetch_raw(url, settings=settings)
    else:
        raw = fetch(url)
    how = {"from": "url", "url": url, "fetched_at": _time(raw.fetched_at)}
    return _ingest_and_attach(
        store, pledge_id, raw, kind, settings, actor, how, _Choice(reason, passage)
    )


def attach_upload(
    store: Store,
    pledge_id: int,
    data: bytes,
    filename: str,
    *,
    actor: str,
    kind: SourceKind = SourceKind.NEWS,
    settings: Settings | None = None,
    reason: str | None = None,
    passage: str | None = None,
) -> Attached:
    """Store an uploaded file (PDF, HTML, text: the readers decide) as a document of the
    pledge's tracker and attach it. Its origin is `upload:<hash>/<name>`, so the same bytes
    are the same document and two files of one name stay apart. `reason` and `passage` as for
    `attach_document`."""
    settings = settings or get_settings()
    actor = _actor(actor)
    reason, passage = checked_reason(reason), checked_passage(passage)
    name = upload_name(filename)
    if len(data) > settings.max_input_bytes:
        raise TooLargeError(
            name,
            f"{len(data):,} bytes is over the limit of {settings.max_input_bytes:,} "
            "(LOFTE_MAX_INPUT_BYTES)",
        )
    if not data:
        raise InputError(name, "the file is empty")
    _pledge_to_attach_to(store, pledge_id)
    digest = hashlib.sha256(data).hexdigest()
    media_type, _ = mimetypes.guess_type(name)
    raw = RawInput(
        data=data,
        origin=f"{UPLOAD_SCHEME}{digest[:16]}/{name}",
        media_type=media_type,
        fetched_at=dt.datetime.now(dt.UTC),
    )
    how = {"from": "upload", "filename": name, "fetched_at": _time(raw.fetched_at)}
    return _ingest_and_attach(
        store, pledge_id, raw, kind, settings, actor, how, _Choice(reason, passage)
    )


def attach_file(
    store: Store,
    pledge_id: int,
    path: str,
    *,
    actor: str,
    settings: Settings | None = None,
    reason: str | None = None,
    passage: str | None = None,
) -> Attached:
    """Store a file of the server (`lofte evidence attach --file`) as a document of the
    pledge's tracker and attach it. It is read as `lofte ingest` reads that file: stored under
    its absolute path (ingesting it again, or its folder, finds it stored), dated and filed by
    its folders (`…/pressmeddelanden/2024/01/x.md`: January 2024, path provenance, category
    `pressmeddelanden`; a `proposition/` folder makes it a decision), else news. QA: read as an
    upload of its name alone, it was dated by a guess from its text and had no category.
    `reason` and `passage` as for `attach_document`; an unreadable file is an error naming it.
    A file the tracker has stored already (ingested or attached before) is attached as it is
    stored, as `attach_url` does: its kind, given at ingest or corrected by an editor, stays
    (review: ingesting it again with the folder's kind rewrote a decision as news)."""
    settings = settings or get_settings()
    actor = _actor(actor)
    reason, passage = checked_reason(reason), checked_passage(passage)
    pledge, _ = _pledge_to_attach_to(store, pledge_id)
    raw = read_file(path, settings.max_input_bytes)  # ReadError, TooLargeError: naming it
    if not raw.data:
        raise InputError(path, "the file is empty")
    how: dict[str, Any] = {"from": "upload", "filename": upload_name(raw.origin)}
    with store.session() as session:
        stored = document_store.ids_of_origin(session, pledge.tracker_id, raw.origin)
    if stored:
        document_id = _one_of(store, pledge_id, raw.origin, stored)
        return attach_document(
            store,
            pledge_id,
            document_id,
            actor=actor,
            how=how | {"stored": True},
            reason=reason,
            passage=passage,
        )
    kind = paths.kind_from_category(paths.category_from_path(raw.origin)) or SourceKind.NEWS
    how["fetched_at"] = _time(raw.fetched_at)
    return _ingest_and_attach(
        store, pledge_id, raw, kind, settings, actor, how, _Choice(reason, passage)
    )


def shown_origin(origin: str) -> str:
    """An input's origin as its user knows it: an upload's file name, not `upload:<hash>/`."""
    if origin.startswith(UPLOAD_SCHEME):
        return origin.split("/", 1)[-1]
    return origin


def upload_name(filename: str | None) -> str:
    """The file's own name: no folders, no control characters, at most 200 characters."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = clean_text(name).strip()[:200]
    return name or "upload"


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


@dataclass(frozen=True)
class _Choice:
    """What the editor gave with a URL or a file: the reason, the passage (checked already)."""

    reason: str | None = None
    passage: str | None = None


def _ingest_and_attach(
    store: Store,
    pledge_id: int,
    raw: RawInput,
    kind: SourceKind,
    settings: Settings,
    actor: str,
    how: dict[str, Any],
    choice: _Choice,
) -> Attached:
    pledge, slug = _pledge_to_attach_to(store, pledge_id)
    options = IngestOptions(tracker=slug, kind=kind, actor=actor)
    prepared = prepare_raw(raw, options, settings)
    if isinstance(prepared, InputReport):  # unreadable: nothing was stored
        raise InputError(
            shown_origin(raw.origin), (prepared.error or "").removeprefix(f"{raw.origin}: ")
        )
    quoted: set[str] | None = None  # the bodies holding the chosen passage
    if choice.passage is not None:
        # refused before anything of the input is stored (as an input about nothing is)
        quoted = {
            d.doc.body
            for d in prepared.documents
            if find_passage(d.doc.body, choice.passage) is not None
        }
        if not quoted:
            raise _not_found(choice.passage)
    if len(prepared.documents) > 1:
        # a feed or a listing: refused before anything is stored when no item is about the
        # pledge (storing first left the items in the tracker after a refused attach)
        from ..linking import DocumentText, best_passages_of_texts

        texts = [
            DocumentText(i, d.doc.title, d.doc.body, d.doc.date)
            for i, d in enumerate(prepared.documents)
        ]
        if not best_passages_of_texts(store, pledge.id, texts):
            raise _none_about(raw.origin, len(texts), pledge.id)
    report = store_prepared(store, prepared, options, settings=settings)
    if report.error:  # rolled back whole: nothing of the input is stored
        raise InputError(shown_origin(raw.origin), report.error.removeprefix(f"{raw.origin}: "))
    ids = list(dict.fromkeys(report.document_ids))
    if not ids:
        raise InputError(shown_origin(raw.origin), "no document was stored")
    if quoted is not None and len(ids) > 1:  # of a feed's items, one that holds the quote
        with store.session() as session:
            holding = [i for i in ids if document_store.get_document(session, i).body in quoted]
        ids = holding or ids
    document_id = _one_of(store, pledge_id, raw.origin, ids)
    attached = attach_document(
        store,
        pledge.id,
        document_id,
        actor=actor,
        how=how,
        reason=choice.reason,
        passage=choice.passage,
    )
    return dataclasses.replace(attached, ingest=report)


def _one_of(store: Store, pledge_id: int, origin: str, document_ids: list[int]) -> int:
    """The document to attach of those one input gave: the only one, else (a feed, a listing
    page) the one the linker scores best. When none of several shares a word with the pledge,
    any would be a guess: InputError naming the input. (A fetched input is checked before it
    is stored, see `_ingest_and_attach`; documents found here were stored before.)"""
    if len(document_ids) == 1:
        return document_ids[0]
    from ..linking import best_passages

    found = best_passages(store, pledge_id, document_ids)
    if not found:
        raise _none_about(origin, len(document_ids), pledge_id)
    return min(found, key=lambda i: (-found[i].score, i))


def _none_about(origin: str, documents: int, pledge_id: int) -> InputError:
    return InputError(
        origin,
        f"it holds {documents} documents (a feed or a listing page) and none "
        f"shares a word with pledge {pledge_id}: attach the item's own address",
    )
