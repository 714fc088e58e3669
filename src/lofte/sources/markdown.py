"""Markdown files: one document each, titled by the first `# ` heading, the body as plain text.

The markup that only formats is removed (heading marks, emphasis, link targets, backslash
escapes) so that the body reads as the page did; paragraphs stay apart. Every pattern is linear:
no nested or adjacent unbounded quantifiers over the same characters.
"""

from __future__ import annotations

import re

from ..language.normalize import drop_soft_hyphens
from ..model import ParsedDocument, RawInput

_SUFFIXES = (".md", ".markdown")
_HEADING = re.compile(r"^#{1,6}[ \t]+")
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")  # [text](target) → text
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)([^*_\n]+)\1")  # **bold** → bold
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")  # \* → *
_RULE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # --- and *** lines


def _plain(line: str) -> str:
    line = _HEADING.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _EMPHASIS.sub(r"\2", line)
    return _ESCAPE.sub(r"\1", line)


class MarkdownReader:
    name = "markdown"
    version = "1"
    binary = False
    ceiling = 0.9  # the highest score its sniff gives

    def sniff(self, raw: RawInput, text: str | None) -> float:
        if text is None:
            return 0.0
        if raw.origin.lower().endswith(_SUFFIXES) or raw.media_type == "text/markdown":
            return 0.9
        return 0.0

    def parse(self, raw: RawInput, text: str | None) -> list[ParsedDocument]:
        assert text is not None
        lines = drop_soft_hyphens(text).replace("\r\n", "\n").split("\n")
        title = ""
        for i, line in enumerate(lines):
            if _HEADING.match(line) and line.startswith("# "):
                title = _plain(line).strip()
                del lines[i]
                break
            if line.strip():
                break  # no heading before the text: the first line titles it, as plain text
        body_lines = ["" if _RULE.match(line) else _plain(line).rstrip() for line in lines]
        body = re.sub(r"\n{3,}", "\n\n", "\n".join(body_lines)).strip("\n")
        if not title:
            title = next((line.strip() for line in body.split("\n") if line.strip()), "")
        if len(title) > 300:
            title = title[:299].rstrip() + "…"
        return [ParsedDocument(title=title, body=body)]


MARKDOWN = MarkdownReader()
