"""The reason an editor gives for a decision (rejecting a pledge, accepting or rejecting
evidence): one line, as the pledge's history shows it, and a sentence or two, not a document."""

from __future__ import annotations

import unicodedata

from ..errors import ValidationError
from ..language.controls import clean_text
from ..language.normalize import collapse_whitespace

MAX_REASON_LENGTH = 2000
MAX_RATIONALE_LENGTH = 10_000  # a verdict's rationale: paragraphs, not a report
MAX_LABEL_LENGTH = 200  # an area's or a topic's name: a meter's row, a feed's address
# Names that are a path segment of their own page's or feed's address (/parties/NAME,
# /areas/NAME/feed.xml): what each names in a refusal
_ADDRESSED = {"area": ("an area", "its feed"), "party": ("a party", "its page")}


def visible(text: str) -> bool:
    """Whether the text shows anything: zero-width and other format characters and spaces
    alone do not (QA: a rationale of two U+200B passed "needs a rationale")."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc") for ch in text)


def checked_length(what: str, text: str, most: int) -> str:
    """`text`, refused when longer than `most` (before anything is written)."""
    if len(text) > most:
        raise ValidationError(
            f"the {what} has {len(text)} characters; at most {most} are allowed, nothing was saved",
            (what,),
        )
    return text


def is_addressable(name: str) -> bool:
    """Whether a name can be a path segment of its page's address: "." and ".." cannot, encoded
    or not. New ones are refused (`addressable`); the pages show one stored earlier unlinked."""
    return name.strip() not in (".", "..")


def addressable(kind: str, name: str) -> str:
    """An area's or a party's `name` (trimmed), refused when it is "." or "..": the name is a
    path segment of its page's or feed's address, and every browser and HTTP client resolves
    those two away (/trackers/x/parties/.. is /trackers/x/), %2E and %2E%2E as well, so no
    encoding of the link would reach it (security QA)."""
    if not is_addressable(name):
        what, address = _ADDRESSED[kind]
        raise ValidationError(
            f"{what} cannot be named {name.strip()!r}: {address} could not be addressed",
            (kind,),
        )
    return name


def checked_reason(reason: str | None) -> str | None:
    """The reason on one line, without control characters (the web's urlencoded forms lose
    them at the edge, the upload form and the CLI did not: QA, a bell and escape codes were
    stored and shown), or None when it holds no text; refused when too long (before anything
    is written, so the editor keeps what they typed)."""
    reason = collapse_whitespace(clean_text(reason or "")) or None
    if reason is not None and len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            f"the reason has {len(reason)} characters; at most {MAX_REASON_LENGTH} are allowed, "
            "nothing was saved",
            ("reason",),
        )
    return reason
