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


FILLER = " Den ska ha lekplats, odlingslotter och en damm." * 8
CONTROL_INPUTS = [
    ("nyhet.txt", f"Ny park\x0c i Ekbacken\n\nParken\x0c öppnar i maj.\x01{FILLER}\n".encode()),
    ("import.json", b'[{"title": "Ny park\\u000b i Ekbacken", "body": "Parken\\u0001 \\u0085\\ufffe\\ud800'
                    b'\\u00e4r klar.", "date": "2024-05-01", "category": "Milj\\u00f6\\u001b"}]'),
    ("import.csv", f"title,body,date\n\"Ny park\x0b\",\"Parken\x1f öppnar\x7f.{FILLER}\",2024-05-01\n".encode()),
    ("sida.html", b"<html><head><title>Ny park&#x1b; i &#x85;Ekbacken</title></head><body><article>"
                  b"<h1>Ny park&#xb; i Ekbacken</h1><p>Parken &#1;&#xfffe;&#x1fffe;\xc3\xb6ppnar i maj "
                  b"och blir stadsdelens st\xc3\xb6rsta gr\xc3\xb6nomr\xc3\xa5de.</p></article></body></html>"),
]


@pytest.mark.parametrize("name,data", CONTROL_INPUTS, ids=[n for n, _ in CONTROL_INPUTS])
def test_readers_hand_over_text_without_control_characters(name: str, data: bytes) -> None:
    from lofte.language.controls import has_forbidden
    from lofte.sources.registry import parse_input

    raw = RawInput(data, name)
    reader, text = pick_reader(raw)
    plain = reader.parse(raw, text)
    docs = parse_input(reader, raw, text)
    assert docs and all(not has_forbidden(d.title + d.body + (d.category or "")) for d in docs)
    for before, after in zip(plain, docs):
        assert len(after.body) == len(before.body)  # the readers' spans stay valid
    assert "park" in docs[0].title


def test_only_the_registry_calls_a_reader_parse() -> None:
    """Readers are reached through `parse_input`, so none can skip the cleaning."""
    import re
    from pathlib import Path

    import lofte

    package = Path(lofte.__file__).parent
    direct = [str(p.relative_to(package)) for p in package.rglob("*.py")
              if p.name != "registry.py" and re.search(r"\breader\.parse\(|_READER\.parse\(", p.read_text())]
    assert direct == []
