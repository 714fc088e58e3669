"""Decoding: UTF-8 with and without BOM, cp1252 and latin-1, binary refused."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lofte.errors import DecodingError
from lofte.sources.decode import _utf16_without_bom, decode_text, detect_encoding, looks_binary

SV = "Förskolan på Ängsvägen får 20 nya platser – och äldreboendet öppnar i höst. ”Äntligen”, säger de."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SV.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SV.encode("utf-8"), "utf-8-sig"),
        (SV.encode("cp1252"), "cp1252"),
        (SV.encode("utf-16"), "utf-16"),
        (SV.encode("utf-32"), "utf-32"),  # its mark starts with UTF-16's: read as UTF-16 before
        (SV.encode("utf-16-le"), "utf-16-le"),  # without a byte-order mark
        (SV.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_swedish_text_decodes_in_every_common_encoding(data: bytes, encoding: str) -> None:
    assert detect_encoding(data) == encoding
    assert decode_text(data, "x.txt") == SV


def test_latin1_without_cp1252_characters_decodes() -> None:
    text = "Västerås och Örebro får nya bibliotek."
    assert decode_text(text.encode("latin-1"), "x.txt") == text


def test_line_ends_are_unified_and_text_is_nfc() -> None:
    decomposed = "A\u030angström\r\nrad två\rrad tre"
    assert decode_text(decomposed.encode(), "x") == "Ångström\nrad två\nrad tre"


def test_binary_data_is_recognised() -> None:
    assert looks_binary(bytes(range(256)))
    assert looks_binary(b"%PDF-1.7\n...")
    assert not looks_binary(SV.encode("cp1252"))
    assert not looks_binary(SV.encode("utf-16"))
    assert not looks_binary(SV.encode("utf-32")) and not looks_binary(SV.encode("utf-16-le"))
    # a stray NUL (or two) does not make a text binary; it is cleaned like any control character
    assert not looks_binary("Vi lovar bostäder.\x00\n".encode())
    assert looks_binary(bytes(200) + SV.encode())  # but a run of them does
    assert looks_binary(bytes([0, 1, 2, 3]) + b"abc")


def test_control_garbage_in_latin1_is_an_unknown_encoding() -> None:
    garbage = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50
    with pytest.raises(DecodingError, match="unknown encoding") as info:
        decode_text(garbage, "konstig.txt")
    assert info.value.origin == "konstig.txt"


@given(st.text())
@example("\ufeff")  # the byte-order mark alone (found by hypothesis in CI)
def test_any_utf8_text_round_trips(text: str) -> None:
    data = text.encode("utf-8")
    # NUL in nearly every other byte is read as UTF-16 without its byte-order mark, by design
    if not looks_binary(data) and _utf16_without_bom(data[:8192]) is None:
        decoded = decode_text(data, "x")
        # a leading U+FEFF is UTF-8's byte-order mark in bytes: read as one, not as text
        # (hypothesis found text="\ufeff", decoded "")
        text = text.removeprefix("\ufeff")
        assert decoded.replace("\n", "") == __import__("unicodedata").normalize(
            "NFC", text.replace("\r\n", "\n").replace("\r", "\n")
        ).replace("\n", "")


MIXED_BYTES = (
    "Förskolan på Ängsvägen får 20 nya platser.\n".encode()
    + "Äldreboendet i Västerås öppnar – ”äntligen”.\n".encode("cp1252")
)


def test_a_file_mixing_utf8_and_cp1252_is_read_run_by_run_and_noted() -> None:
    notes: list[str] = []
    text = decode_text(MIXED_BYTES, "blandad.txt", notes)
    assert (
        text
        == "Förskolan på Ängsvägen får 20 nya platser.\nÄldreboendet i Västerås öppnar – ”äntligen”.\n"
    )
    assert "Ã" not in text
    assert len(notes) == 1 and "mixed encodings" in notes[0] and "8 bytes" in notes[0]
    bom = decode_text(codecs.BOM_UTF8 + MIXED_BYTES, "bom.txt")
    assert bom.startswith("Förskolan") and "Västerås" in bom


def test_clean_files_are_not_noted() -> None:
    for data in (SV.encode("utf-8"), SV.encode("cp1252"), "Västerås".encode("latin-1")):
        notes: list[str] = []
        decode_text(data, "x", notes)
        assert notes == []


@pytest.mark.parametrize(
    "head",
    [
        b"\x89PNG\r\n\x1a\n0000",  # QA: a short PNG upload was published as the text "‰PNG"
        b"\xff\xd8\xff\xe0 JFIF",
        b"GIF89a Sj\xc3\xb6vik",
        b"RIFF\x10\x00\x00\x00WEBPVP8 ",
    ],
)
def test_a_known_binary_format_is_binary_however_short(head: bytes) -> None:
    from lofte.sources.decode import binary_reason

    assert looks_binary(head)
    assert binary_reason(head).startswith("it starts as a")
    assert not looks_binary(b"GIF-bilden visar Sj\xc3\xb6vik.")  # text that names a format
