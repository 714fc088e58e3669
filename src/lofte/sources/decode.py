"""Turn bytes into text: UTF-8 (with or without BOM), else cp1252 / latin-1, else an error."""

from __future__ import annotations

import codecs
import unicodedata

from ..errors import DecodingError

# Control bytes that never occur in text files; a few of them mean binary data.
_BINARY_BYTES = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27}
_SNIFF = 8192


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control bytes in the first 8 KiB."""
    head = data[:_SNIFF]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head or head.startswith(b"%PDF"):
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b in _BINARY_BYTES)
    return controls / len(head) > 0.01


def detect_encoding(data: bytes) -> str:
    """The name of the encoding the bytes are in, among those Swedish sources use."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; where those occur, latin-1 is the honest reading.
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def decode_text(data: bytes, origin: str) -> str:
    """Decoded, NFC-normalized text with unified line ends. Raises DecodingError."""
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:  # only utf-16 can fail here
        raise DecodingError(origin, f"cannot decode as {encoding}: {exc.reason}") from exc
    if encoding == "latin-1" and _mostly_c1(text):
        raise DecodingError(origin, "unknown encoding: the bytes are not UTF-8, cp1252 or latin-1 text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _mostly_c1(text: str) -> bool:
    c1 = sum(1 for ch in text if "\x80" <= ch <= "\x9f")
    return c1 > max(2, len(text) // 200)
