"""The registry picks a reader by content and refuses what no reader wants."""

from __future__ import annotations

import pytest

from lofte.errors import EmptyInputError, UnsupportedFormatError
from lofte.model import RawInput
from lofte.sources.registry import pick_reader, readers


def test_plain_text_falls_back_to_the_plaintext_reader() -> None:
    reader, text = pick_reader(RawInput(b"Bara en rad text om en ny park.", "x.txt"))
    assert reader.name == "plaintext"
    assert text == "Bara en rad text om en ny park."


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(EmptyInputError):
        pick_reader(RawInput(data, "tom.txt"))


def test_binary_data_no_reader_wants_is_refused_by_name() -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        pick_reader(RawInput(b"\x00\x01\x02garbage\x00" * 100, "blob.bin"))
    assert info.value.origin == "blob.bin"


def test_a_forced_reader_must_exist() -> None:
    with pytest.raises(UnsupportedFormatError, match="no reader named"):
        pick_reader(RawInput(b"text", "x.txt"), forced="nonexistent")


def test_every_reader_has_a_name_and_version() -> None:
    names = [r.name for r in readers()]
    assert len(names) == len(set(names))
    assert all(r.version for r in readers())
