"""simplemma's stream dictionaries, with their block index built by a compiled pass.

`StreamMap` (simplemma 2.0) keeps a language's front-coded word list as one decompressed
stream and, to look words up, an index of every 32nd record. Building that index decodes each
record in Python: about 5 s for the eight languages of `detect.LANGUAGES`, paid at the first
language detection of every process. An ingest's worker paid it at the first text that is not
plainly Swedish or English, and the whole pipeline waited.

`_frontcode_kernel.block_seeds` builds the same index in C (a test holds it equal to
simplemma's); look-ups stay simplemma's own. Without the compiled module (a source checkout
not built) simplemma's class is used as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from simplemma.strategies.dictionaries import frontcode
from simplemma.strategies.dictionaries.dictionary_factory import _read_decompressed
from simplemma.strategies.dictionaries.stream_dictionary_factory import (
    _BLOCK_SIZE,
    StreamDictionaryFactory,
    StreamMap,
)

try:  # built by `pip install` (pyproject.toml's ext-modules)
    from . import _frontcode_kernel  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - only in an unbuilt checkout
    _frontcode_kernel = None


class IndexedStreamMap(StreamMap):
    """A `StreamMap` whose block index comes from the compiled pass."""

    __slots__ = ()

    def __init__(self, lang: str) -> None:  # replaces StreamMap's slow pass: no super call
        self._data = _read_decompressed(lang)
        self._rev, self._count, self._pos = frontcode._read_header(self._data)
        firsts, blocks, count = _frontcode_kernel.block_seeds(self._data, self._pos, _BLOCK_SIZE)
        if count != self._count:  # as StreamMap: a stream cut short at a block boundary
            raise ValueError(frontcode._CORRUPT_STREAM_MSG)
        self._firsts, self._blocks = firsts, blocks


class IndexedStreamDictionaryFactory(StreamDictionaryFactory):
    """simplemma's low-memory dictionary factory, quick to load."""

    __slots__ = ()

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        if _frontcode_kernel is None:
            return StreamMap(lang)
        return IndexedStreamMap(lang)
