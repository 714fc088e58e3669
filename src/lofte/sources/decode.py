"""Turn bytes into text: UTF-8 (with or without BOM), else cp1252 / latin-1, else an error.

A file can also mix the two: UTF-8 text pasted into a Windows-1252 file, or the other way round.
Read whole as cp1252 its UTF-8 letters become mojibake ("Ã¥" for "å"); so when the bytes are not
UTF-8 but hold valid UTF-8 sequences, the valid runs are read as UTF-8 and only the invalid
bytes as cp1252, and the caller is told (the ingest report warns, naming the input).
"""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata

from ..errors import DecodingError

# Control bytes that never occur in text files; a few of them mean binary data.
_BINARY_BYTES = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27}
_SNIFF = 8192
MIXED = "utf-8+cp1252"
# A multi-byte UTF-8 sequence (lead byte and its continuation bytes); in cp1252 text they are rare
# ("Ã¥", "Â»"), so finding one in bytes that are not UTF-8 means the file mixes the two.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Each byte as cp1252 reads it; latin-1 for the five bytes cp1252 leaves undefined.
_CP1252 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
_fallbacks = threading.local()


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes UTF-8 cannot read, read as cp1252 (and counted)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    _fallbacks.count = getattr(_fallbacks, "count", 0) + len(bad)
    return "".join(_CP1252[b] for b in bad), exc.end


codecs.register_error("lofte-cp1252", _cp1252_fallback)


_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # before UTF-16: FF FE 00 00 starts both
# Files that start with these bytes are no text, however few control bytes their first bytes
# hold (QA: a short PNG uploaded as evidence was stored as the text "‰PNG" and published).
_MAGIC = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7fELF", "a program"),
    (b"\x1f\x8b", "gzip data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
)


def _magic(head: bytes) -> str | None:
    """What known binary format `head` starts as, if any (WebP and WAV are RIFF files)."""
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "a RIFF file (image, sound or video)"
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: many NUL or other control bytes in the first 8 KiB.
    A stray NUL in a text file is cleaned later like any control character."""
    head = data[:_SNIFF]
    if head.startswith((*_UTF32_BOMS, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if _magic(head):
        return True
    if not head or _utf16_without_bom(head):
        return False
    controls = sum(1 for b in head if b in _BINARY_BYTES)
    return controls > max(2, len(head) // 100)  # over 1 %; a short text may hold a stray NUL


def binary_reason(data: bytes) -> str:
    """Why `looks_binary` took the data for binary, for a person who forced a text reader
    (QA: a short text with a few colour codes was refused without a word of why)."""
    head = data[:_SNIFF]
    known = _magic(head)
    if known:
        return f"it starts as {known}"
    controls = sum(1 for b in head if b in _BINARY_BYTES)
    return (
        f"{controls} control bytes such as NUL or ESC in its first {len(head):,} bytes; "
        "text has next to none"
    )


def _utf16_without_bom(head: bytes) -> str | None:
    """utf-16-le or -be for text of Latin letters without its byte-order mark: the high byte of
    nearly every character is NUL, the low byte nearly never."""
    even, odd = head[0::2], head[1::2]
    if len(odd) < 8:
        return None
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if nul_odd >= 0.9 and nul_even <= 0.05:
        return "utf-16-le"
    if nul_even >= 0.9 and nul_odd <= 0.05:
        return "utf-16-be"
    return None


_CHECK_PIECE = 1 << 18  # bytes decoded at a time when only checking that they decode


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether `data.decode(encoding)` succeeds, without making that text: a throwaway copy of
    a 50 MB input's text was two to four times its bytes, on top of the text then decoded."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHECK_PIECE):
            decoder.decode(view[start : start + _CHECK_PIECE])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes) -> str:
    """The name of the encoding the bytes are in, among those Swedish sources use."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig" if _decodes(data, "utf-8-sig") else MIXED
    if data.startswith(_UTF32_BOMS):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    bare = _utf16_without_bom(data[:_SNIFF])
    if bare:
        return bare
    if _decodes(data, "utf-8"):
        return "utf-8"
    if _UTF8_SEQUENCE.search(data):
        return MIXED
    # cp1252 leaves five bytes undefined; where those occur, latin-1 is the honest reading.
    return "cp1252" if _decodes(data, "cp1252") else "latin-1"


def decode_text(data: bytes, origin: str, notes: list[str] | None = None) -> str:
    """Decoded, NFC-normalized text with unified line ends. Raises DecodingError.

    A mixed UTF-8 / cp1252 file is decoded run by run, with a warning appended to `notes`.
    """
    encoding = detect_encoding(data)
    if encoding == MIXED:
        _fallbacks.count = 0
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="lofte-cp1252")
        if notes is not None:
            notes.append(
                f"mixed encodings: {_fallbacks.count:,} bytes are not UTF-8 and were read as "
                "cp1252 (Windows-1252); check the text for wrong letters"
            )
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:  # only utf-16 and utf-32 can fail here
            raise DecodingError(origin, f"cannot decode as {encoding}: {exc.reason}") from exc
    if encoding in ("latin-1", MIXED) and _mostly_c1(text):  # cp1252's undefined bytes are C1
        raise DecodingError(
            origin, "unknown encoding: the bytes are not UTF-8, cp1252 or latin-1 text"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _mostly_c1(text: str) -> bool:
    c1 = sum(1 for ch in text if "\x80" <= ch <= "\x9f")
    return c1 > max(2, len(text) // 200)
