"""Plain text: one document per input, titled by its first non-empty line."""

from __future__ import annotations

from ..model import ParsedDocument, RawInput


class PlainTextReader:
    name = "plaintext"
    version = "1"
    binary = False
    ceiling = 0.1  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        # The fallback for any text: other readers score higher for shapes they know.
        return 0.1 if text is not None else 0.0

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        assert text is not None
        body = text.strip("\n")
        first = next((line.strip() for line in body.splitlines() if line.strip()), "")
        title = first if len(first) <= 120 else first[:119].rstrip() + "…"
        return [ParsedDocument(title=title, body=body)]


PLAIN_TEXT = PlainTextReader()
