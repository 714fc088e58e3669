"""language/dictionaries.py: simplemma's dictionary index built by the compiled pass is the
index simplemma builds, record for record, and bad streams fail the same way."""

from __future__ import annotations

import pytest
from simplemma.strategies.dictionaries import frontcode
from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap

from lofte.language import dictionaries
from lofte.language.detect import LANGUAGES

block_seeds = dictionaries._frontcode_kernel.block_seeds


def _python_seeds(data: bytes, pos: int, size: int) -> tuple[list[bytes], list[tuple], int]:
    """StreamMap.__init__'s pass, with any block size."""
    firsts, blocks, prev_key, prev_value, index = [], [], b"", b"", -1
    for index, (start, key, value) in enumerate(frontcode._iter_records(data, pos)):
        if index % size == 0:
            firsts.append(key)
            blocks.append((start, prev_key, prev_value))
        prev_key, prev_value = key, value
    return firsts, blocks, index + 1


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _record(shared: int, suffix: bytes, trim: int, value: bytes = b"") -> bytes:
    head = _varint(shared) + _varint(len(suffix)) + suffix + bytes([trim])
    return head if trim == 254 else head + _varint(len(value)) + value


# every kind of record: a literal value, one edited from its key, the previous value again, a
# trim longer than the key (Python's slice counts it from the end), a suffix and a value longer
# than 127 bytes (two-byte lengths), a shared prefix longer than the previous key (clamped)
STREAM = b"".join(
    [
        _record(0, b"abc", 255, b"x"),
        _record(2, b"d", 1, b"e"),
        _record(3, b"", 254),
        _record(1, b"zz", 5, b"v"),
        _record(0, b"k" * 200, 3, b"w" * 130),
        _record(250, b"q", 254),
        _record(0, b"", 0, b""),
    ]
)


@pytest.mark.parametrize("size", [1, 2, 3, 32])
def test_the_compiled_pass_seeds_every_kind_of_record_as_simplemma_does(size: int) -> None:
    assert block_seeds(STREAM, 0, size) == _python_seeds(STREAM, 0, size)


def test_a_stream_cut_anywhere_fails_or_reads_as_simplemma_reads_it() -> None:
    for end in range(len(STREAM)):
        cut = STREAM[:end]
        try:
            expected = _python_seeds(cut, 0, 2)
        except ValueError:
            with pytest.raises(ValueError, match="truncated or corrupt"):
                block_seeds(cut, 0, 2)
        else:
            assert block_seeds(cut, 0, 2) == expected


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        block_seeds(STREAM, 0, 0)
    with pytest.raises(TypeError):
        block_seeds("text", 0, 2)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_index_of_each_language_is_simplemmas(lang: str) -> None:
    reference = StreamMap(lang)
    ours = dictionaries.IndexedStreamMap(lang)
    assert (ours._firsts, ours._blocks, ours._count) == (
        reference._firsts,
        reference._blocks,
        reference._count,
    )
    words = [word for i, word in enumerate(reference) if i % 997 == 0][:200]
    assert [ours.get(w) for w in words] == [reference.get(w) for w in words]
    assert ours.get("qqqzzzxxx") is None


def test_the_detector_loads_its_dictionaries_through_the_compiled_index() -> None:
    factory = dictionaries.IndexedStreamDictionaryFactory(cache_max_size=1)
    assert type(factory.get_dictionary("sv")) is dictionaries.IndexedStreamMap
