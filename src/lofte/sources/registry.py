"""The reader registry: picks a reader for raw bytes by sniffing their content.

A reader is a small object with a `name`, a `version`, a `sniff(raw, text)` that returns how sure
it is (0 = not mine, 1 = certainly mine) and a `parse(raw, text)` that returns documents. Readers
that work on text get the decoded text; binary readers (PDF) get `text=None`.
"""

from __future__ import annotations

from typing import Protocol

from ..errors import EmptyInputError, UnsupportedFormatError
from ..model import ParsedDocument, RawInput
from .decode import decode_text, looks_binary


class Reader(Protocol):
    name: str
    version: str
    binary: bool  # True: wants raw bytes only (text is None)

    def sniff(self, raw: RawInput, text: str | None) -> float: ...

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]: ...


_READERS: list[Reader] = []


def register(reader: Reader) -> Reader:
    """Add a reader; later registrations win ties, so specific readers go last."""
    _READERS.append(reader)
    return reader


def readers() -> list[Reader]:
    _load_builtin_readers()
    return list(_READERS)


def pick_reader(raw: RawInput, forced: str | None = None) -> tuple[Reader, str | None]:
    """The best reader for `raw` and the decoded text it will get (None for binary readers).

    Raises EmptyInputError for empty input and UnsupportedFormatError when no reader wants it.
    """
    if not raw.data or not raw.data.strip():
        raise EmptyInputError(raw.origin, "the input is empty")
    candidates = readers()
    if forced:
        candidates = [r for r in candidates if r.name == forced]
        if not candidates:
            names = ", ".join(sorted(r.name for r in readers()))
            raise UnsupportedFormatError(raw.origin, f"no reader named {forced!r} ({names})")
    binary = looks_binary(raw.data)
    text: str | None = None
    if not binary:
        text = decode_text(raw.data, raw.origin)
        if not text.strip():
            raise EmptyInputError(raw.origin, "the input holds no text")
    best: tuple[float, int, Reader] | None = None
    for order, reader in enumerate(candidates):
        if reader.binary != binary:
            continue
        score = reader.sniff(raw, None if reader.binary else text)
        if score > 0 and (best is None or (score, order) >= best[:2]):
            best = (score, order, reader)
    if best is None and forced:
        what = "binary data" if binary else "text"
        raise UnsupportedFormatError(raw.origin, f"the {forced} reader does not accept this {what}")
    if best is None:
        what = "binary data" if binary else "text"
        raise UnsupportedFormatError(raw.origin, f"no reader accepts this {what}")
    reader = best[2]
    return reader, (None if reader.binary else text)


_LOADED = False


def _load_builtin_readers() -> None:
    """Import the built-in reader modules once; each registers itself on import.

    Order matters only for ties: the generic plain-text reader goes first so that any
    specific reader that is equally sure wins.
    """
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from . import plaintext  # noqa: F401
    from . import textdump  # noqa: F401
    from . import tabular  # noqa: F401
    from . import program_text  # noqa: F401
    from . import pdf  # noqa: F401
    from . import html  # noqa: F401
    from . import feed  # noqa: F401
