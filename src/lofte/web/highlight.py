"""Moved to `lofte.publish.highlight` (it is page data, not HTML); this name stays for old imports."""

from ..publish.highlight import (  # noqa: F401
    CONTEXT_CHARS,
    in_context,
    layered,
    pieces,
    snippet,
    term_spans,
    window,
)
