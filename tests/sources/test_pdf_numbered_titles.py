"""A numbered title ("4. Gör det enklare att resa klimatsmart") is not run into the paragraph
under it (QA of Miljöpartiet's 2022 manifesto: 13 of its 19 numbered titles and their first
paragraph were one list item, "4. Gör det enklare att resa klimatsmart Transporterna står …").

The PDFs are written here, with fictional text; the manifesto is read from ../shared.
"""

from __future__ import annotations

from pathlib import Path

from lofte.model import ParsedDocument
from lofte.sources.pdf import parse_pdf
from tests.sources.pdf_bytes import text_pdf


def _line(x: float, y: float, text: str) -> str:
    escaped = text.replace("(", r"\(").replace(")", r"\)")
    return f"BT /F1 11 Tf {x} {y} Td ({escaped}) Tj ET"


def _program() -> ParsedDocument:
    lines = [
        (57, 780, "1. Ett grönt Sjövik"),
        (74, 766, "Sjövik ska bli en grön stad. Vi ska plantera träd i alla parker och bygga"),
        (74, 752, "ut cykelbanorna i hela staden, så att fler kan cykla till jobbet och skolan."),
        (74, 738, "Sjöviks natur ska skyddas."),
        (57, 710, "Vi vill:"),
        (74, 696, "• plantera tusen nya träd i parkerna."),
        (74, 682, "• bygga ut cykelbanorna i hela staden."),
        (57, 654, "2. Trygghet för alla"),
        (74, 640, "Alla ska kunna känna sig trygga i sin stadsdel, både på dagen och på natten."),
        (74, 626, "Därför behövs fler fritidsgårdar och mer ljus i parkerna och i gångtunnlarna."),
        (57, 598, "Det här ska vi göra:"),
        (74, 584, "1. Vi ska bygga en ny fritidsgård i varje stadsdel, med start i Norra Sjövik"),
        (88, 570, "Och Södra Sjövik, och hålla dem öppna varje kväll."),
        (74, 556, "2. Vi ska sätta upp ny belysning i alla parker och gångtunnlar."),
    ]
    data = text_pdf([_line(x, y, t) for x, y, t in lines])
    return parse_pdf(data, "sjövik.pdf")


def _items(doc: ParsedDocument) -> list[str]:
    return [" ".join(doc.body[s:e].split()) for s, e in doc.list_items]


def test_a_numbered_title_ends_before_its_paragraph() -> None:
    doc = _program()
    items = _items(doc)
    assert "1. Ett grönt Sjövik" in items
    assert "2. Trygghet för alla" in items  # "alla" leaves no sentence open after a title
    assert not any(item.startswith("1. Ett grönt Sjövik Sjövik ska") for item in items)
    assert "\n\nSjövik ska bli en grön stad." in doc.body
    assert "\n\nAlla ska kunna känna sig trygga" in doc.body


def test_a_numbered_list_item_that_fills_its_line_goes_on() -> None:
    """A numbered item's own second line goes on even with a capital (a name), when the first
    line was full: only a title ends early."""
    items = _items(_program())
    assert any(
        item.startswith("1. Vi ska bygga en ny fritidsgård") and "Och Södra Sjövik" in item
        for item in items
    ), items
    assert "2. Vi ska sätta upp ny belysning i alla parker och gångtunnlar." in items


def test_miljopartiet_numbered_titles_stand_alone(shared_dir: Path) -> None:
    path = shared_dir / "data" / "manifestos-2022" / "miljopartiet-valmanifest-2022.pdf"
    doc = parse_pdf(path.read_bytes(), path.name)
    titles = [
        item
        for item in _items(doc)
        if item[:1].isdigit() and item.split(maxsplit=1)[0].rstrip(".").isdigit()
    ]
    print(f"\nmiljopartiet: {len(titles)} numbered titles, longest {max(map(len, titles))} chars")
    assert len(titles) == 19
    assert all(len(t.split()) <= 12 and not t.endswith(".") for t in titles), titles
