"""An editor's corrections to a document after ingest: its date, title, kind, party and
address, audited; and deleting one that should not be in its tracker.

A corrected date is the editor's word: its provenance is `explicit` whatever the reader or
the inference had said. A program's corrected party is carried to its pledges that still had
its old one (as a re-ingest with another `--party` does); an empty party clears it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import LinkBusyError, ValidationError, about
from ..language.controls import clean_text
from ..language.dates import parse_user_date
from ..linking_claim import LEASE, describe, gone_here, holder_name
from ..model import Document, SourceKind
from ..store import document_delete as delete_store
from ..store import documents as document_store
from ..store import link_claims
from ..store import trackers as tracker_store
from ..store.audit import record_event
from ..store.db import Session, Store, utcnow
from ..store.document_delete import Removed
from .reasons import addressable

MAX_TITLE = 500
MAX_URL = 2000  # longer is no address a reader follows
MAX_PARTY = 100  # the column's length
CLEAR = "none"  # --date none / an empty date field with "clear" clears the date


def edit_document(
    store: Store,
    document_id: int,
    *,
    actor: str,
    title: str | None = None,
    kind: str | SourceKind | None = None,
    date: str | None = None,
    party: str | None = None,
    url: str | None = None,
    expected: str | None = None,
) -> Document:
    """Correct a document. `date` is "YYYY", "YYYY-MM" or "YYYY-MM-DD" (kept at that
    precision) or "none" to clear it; None or "" leaves a field as it is. `party` (programs
    only): one of the tracker's actors, spelled as the tracker spells it, or "" (blank) to
    clear it; None leaves it. `url`: the original's public address (absolute http or https,
    no credentials), or "none" to clear it: a program read from a local file links to its
    PDF on the party's site (QA, a party's press officer). `expected`: the
    `correction_token` the editor's form saw (a ConflictError when the values changed
    since)."""
    if not actor or not actor.strip():
        raise ValidationError("a correction needs an actor (who makes it)")
    new_title: str | None = None
    if title:
        new_title = " ".join(title.split())
        if not new_title:
            raise ValidationError("a title cannot be blank", ("title",))
        if len(new_title) > MAX_TITLE:
            raise ValidationError(f"a title has at most {MAX_TITLE} characters", ("title",))
    new_kind: SourceKind | None = None
    if kind:
        try:
            new_kind = SourceKind(kind)
        except ValueError:
            names = ", ".join(k.value for k in SourceKind)
            raise ValidationError(f"kind must be one of {names}", ("kind",)) from None
    dated: dict[str, Any] = {}  # no date given: the stored one is kept
    if date is not None and date.strip():
        with about("date"):
            dated["date"] = None if date.strip().casefold() == CLEAR else parse_user_date(date)
    with store.session() as session:
        # the form sends the stored address back: one ingest kept as it was is no new one to
        # check (review: a feed's link with a space refused every correction)
        given = (url or "").strip()
        if given and given != document_store.get_document(session, document_id).url:
            dated["url"] = None if given.casefold() == CLEAR else checked_url(given)
        if party is not None:
            tracker_id = document_store.tracker_of_document(session, document_id)
            dated["party"] = _party(session, tracker_id, party)
        return document_store.correct_document(
            session,
            document_id,
            actor=actor.strip(),
            title=new_title,
            kind=new_kind,
            expected=expected,
            **dated,
        )


def checked_url(url: str) -> str:
    """An address a public page may link to: absolute http(s), with a host, without user
    name or password (they would be published), spaces or control characters; else a
    ValidationError naming it."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # "http://[abc/x": no address at all (review: a crash, not a refusal)
        host = None
    if (
        not host
        or parts.scheme.lower() not in ("http", "https")
        or "@" in parts.netloc
        or any(c.isspace() or not c.isprintable() for c in text)
        or len(text) > MAX_URL
    ):
        raise ValidationError(
            f"url {clean_text(text)[:200]!r} is not an absolute http(s) address without "
            f"credentials or spaces, of at most {MAX_URL} characters",
            ("url",),
        )
    return text


def _party(session: Session, tracker_id: int, party: str) -> str | None:
    """The party as the tracker spells it, None for a blank one (cleared); ValidationError
    for one not among the tracker's actors (any name, when it has none) or named "." or ".."
    (`addressable`)."""
    name = addressable("party", " ".join(clean_text(party).split()))
    if not name:
        return None
    if len(name) > MAX_PARTY:
        raise ValidationError(f"a party has at most {MAX_PARTY} characters", ("party",))
    actors = tracker_store.get_tracker_by_id(session, tracker_id).actors
    if not actors:
        return name
    for actor in actors:
        if actor.casefold() == name.casefold():
            return actor
    raise ValidationError(
        f"party {name!r} is not one of the tracker's actors: {', '.join(actors)}", ("party",)
    )


@dataclass(frozen=True)
class Going:
    """What deleting a document would take, for the question before it."""

    tracker_slug: str
    kind: str
    title: str
    pledges: int
    evidence: int


def deletion_preview(store: Store, document_id: int) -> Going:
    """The document's tracker, kind and title, and how many pledges and evidence rows are its
    own (a program's pledges with their suggestions, or its suggestions as news)."""
    with store.session() as session:
        document = document_store.get_document(session, document_id)
        slug = tracker_store.get_tracker_by_id(session, document.tracker_id).slug
        pledges, evidence = delete_store.counts(session, document_id)
    return Going(slug, document.kind.value, document.title, pledges, evidence)


def delete_document(store: Store, document_id: int, *, actor: str, confirm: str) -> Removed:
    """Delete a document that should not be in its tracker, with what the machine derived
    from it (store.document_delete says what stays and refuses); `confirm` must be its id.
    Audited as `document.delete` with the ids removed. Refused while a `lofte link` run links
    the tracker: the delete takes the run's claim for its transaction, so no run scores a
    document that is going."""
    if not actor or not actor.strip():
        raise ValidationError("a deletion needs an actor (who makes it)")
    if confirm.strip() != str(document_id):
        raise ValidationError(
            f"type the document's id {document_id} to confirm deleting it", ("confirm",)
        )
    holder = holder_name()
    with store.session() as session:
        tracker_id = delete_store.hold_tracker_of(session, document_id)
        _claim_for_the_delete(session, tracker_id, holder, document_id)
        removed = delete_store.delete_document(session, document_id)
        link_claims.release(session, tracker_id, holder)
        for pledge_id, evidence_ids in sorted(removed.decided.items()):
            record_event(
                session,
                "pledge.evidence_removed",
                "pledge",
                pledge_id,
                actor.strip(),
                document_id=document_id,
                title=removed.title,
                removed_evidence=evidence_ids,
            )
        record_event(
            session,
            "document.delete",
            "document",
            document_id,
            actor.strip(),
            tracker=removed.tracker_slug,
            title=removed.title,
            kind=removed.kind,
            origin=removed.origin,
            item_key=removed.item_key,
            content_hash=removed.content_hash,
            removed_pledges=removed.pledges,
            removed_evidence=removed.evidence,
            copies=removed.copies,
        )
        return removed


def _claim_for_the_delete(session: Session, tracker_id: int, holder: str, document_id: int) -> None:
    """Take the tracker's link claim in the delete's transaction (freed before it commits), so
    no `lofte link` run scores a document that is going; one left by a run that stopped on
    this host is taken over, as the next run would (review: refused for the lease's ten
    minutes after a crash). LinkBusyError naming the run that holds it."""
    now = utcnow()
    if link_claims.claim(session, tracker_id, holder, now, now + LEASE):
        return
    held = link_claims.current(session, tracker_id)
    dead = held.holder if held is not None and gone_here(held.holder) else None
    if dead and link_claims.claim(session, tracker_id, holder, now, now + LEASE, dead=dead):
        return
    slug = tracker_store.get_tracker_by_id(session, tracker_id).slug
    who = describe(held) if held else "another run"
    raise LinkBusyError(
        f"document {document_id} not deleted: a `lofte link` run is linking {slug} "
        f"({who}); try again when it has finished"
    )
