"""The reason an editor gives for a decision (rejecting a pledge, accepting or rejecting
evidence): one line, as the pledge's history shows it, and a sentence or two, not a document."""

from __future__ import annotations

from ..errors import ValidationError
from ..language.normalize import collapse_whitespace

MAX_REASON_LENGTH = 2000


def checked_reason(reason: str | None) -> str | None:
    """The reason on one line, or None when it holds no text; refused when too long (before
    anything is written, so the editor keeps what they typed)."""
    reason = collapse_whitespace(reason or "") or None
    if reason is not None and len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            f"the reason has {len(reason)} characters; at most {MAX_REASON_LENGTH} are kept"
        )
    return reason
