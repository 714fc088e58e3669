"""store.trackers.check_slug: the whole string is a slug, or it is refused."""

from __future__ import annotations

import pytest

from lofte.errors import ValidationError
from lofte.store.trackers import check_slug


@pytest.mark.parametrize("slug", ["a", "sthlm", "val-2026", "0x", "a" * 100])
def test_a_slug_passes(slug: str) -> None:
    check_slug(slug)


@pytest.mark.parametrize(
    "slug", ["", "abc\n", "abc\n\n", "\nabc", "abc ", "Abc", "-abc", "a/b", "a" * 101]
)
def test_anything_else_is_refused(slug: str) -> None:
    """ "abc\\n" passed while the pattern was matched with `$` (which also matches before a
    final newline); a slug names URLs and files, so the whole string must be one."""
    with pytest.raises(ValidationError, match="tracker slug"):
        check_slug(slug)
