"""The registry picks a reader by content and refuses what no reader wants."""

from __future__ import annotations

from pathlib import Path

import pytest

from lofte.errors import EmptyInputError, UnsupportedFormatError
from lofte.model import RawInput
from lofte.sources.registry import Reader, pick_reader, readers

from .pdf_bytes import text_pdf


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


def test_a_forced_text_reader_on_binary_looking_data_says_why() -> None:
    data = b"Kontrolltecken \x1b[31mR\xc3\x96TT\x1b[0m och klocka \x07 i texten.\n"
    with pytest.raises(UnsupportedFormatError) as info:
        pick_reader(RawInput(data, "ctrl.txt"), forced="plaintext")
    assert "3 control bytes such as NUL or ESC in its first 53 bytes" in info.value.message


def test_every_reader_has_a_name_and_version() -> None:
    names = [r.name for r in readers()]
    assert len(names) == len(set(names))
    assert all(r.version for r in readers())


FILLER = " Den ska ha lekplats, odlingslotter och en damm." * 8
CONTROL_INPUTS = [
    ("nyhet.txt", f"Ny park\x0c i Ekbacken\n\nParken\x0c öppnar i maj.\x01{FILLER}\n".encode()),
    (
        "import.json",
        b'[{"title": "Ny park\\u000b i Ekbacken", "body": "Parken\\u0001 \\u0085\\ufffe\\ud800'
        b'\\u00e4r klar.", "date": "2024-05-01", "category": "Milj\\u00f6\\u001b"}]',
    ),
    (
        "import.csv",
        f'title,body,date\n"Ny park\x0b","Parken\x1f öppnar\x7f.{FILLER}",2024-05-01\n'.encode(),
    ),
    (
        "sida.html",
        b"<html><head><title>Ny park&#x1b; i &#x85;Ekbacken</title></head><body><article>"
        b"<h1>Ny park&#xb; i Ekbacken</h1><p>Parken &#1;&#xfffe;&#x1fffe;\xc3\xb6ppnar i maj "
        b"och blir stadsdelens st\xc3\xb6rsta gr\xc3\xb6nomr\xc3\xa5de.</p></article></body></html>",
    ),
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
    direct = [
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if p.name != "registry.py"
        and re.search(r"\breader\.parse\(|_READER\.parse\(", p.read_text())
    ]
    assert direct == []


def _reader_classes() -> set[type]:
    """Every class defined in a lofte.sources module that has a reader's shape."""
    import importlib
    import inspect
    import pkgutil

    import lofte.sources

    found: set[type] = set()
    for info in pkgutil.iter_modules(lofte.sources.__path__):
        module = importlib.import_module(f"lofte.sources.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            shaped = all(hasattr(cls, a) for a in ("name", "version", "binary", "sniff", "parse"))
            if cls.__module__ == module.__name__ and shaped:
                found.add(cls)
    return found


def test_the_tuple_lists_every_reader_class_once() -> None:
    from lofte.sources.registry import READERS

    classes = _reader_classes()
    assert len(classes) >= 11  # the walk finds readers at all
    listed = [type(r) for r in READERS]
    assert len(listed) == len(set(listed)), "a reader class is listed twice"
    assert set(listed) == classes, "every reader class in lofte.sources is in READERS"
    assert READERS[0].name == "plaintext"  # the generic fallback loses every tie


# Inputs of every kind; imported in any order, the registry must pick the same reader for each.
ORDER_SAMPLES = [
    *CONTROL_INPUTS,
    ("rad.txt", b"Bara en rad text om en ny park."),
    (
        "flode.xml",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Ekby</title><item>'
        b"<title>Ny skola</title><description>Den byggs.</description></item>"
        b"</channel></rss>",
    ),
    (
        "lista.txt",
        b"Nyheter\n\n"
        + b"".join(
            f" \u2022 {title}\n\n  {title} blir klar under hösten, enligt nämnden.\xa0\n".encode()
            for title in ("Ny park i Ekbacken", "Ny skola i Lunda", "Ny väg i Norrby", "Nytt bad")
        ),
    ),
    (
        "utdrag.txt",
        "\n".join(
            f"Nämnden i Ekby har beslutat om {what}, och arbetet ska vara klart inom två år enligt…"
            for what in ("en ny park", "en ny skola", "en ny väg", "ett nytt bad")
        ).encode(),
    ),
]
_PICK_SCRIPT = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
from lofte.model import RawInput
from lofte.sources.registry import pick_reader, readers
picks = [pick_reader(RawInput(bytes.fromhex(data), origin))[0].name
         for origin, data in json.load(sys.stdin)]
print(json.dumps({"readers": [r.name for r in readers()], "picks": picks}))
"""


def test_picking_a_reader_does_not_depend_on_import_order() -> None:
    """Fresh interpreters import the reader modules in different orders first, then pick."""
    import json
    import subprocess
    import sys

    modules = [
        f"lofte.sources.{m}"
        for m in ("plaintext", "textdump", "tabular", "program_text", "pdf", "html", "feed")
    ]
    orders = [[], modules, modules[::-1], ["lofte.sources.feed", "lofte.sources.plaintext"]]
    samples = json.dumps([(origin, data.hex()) for origin, data in ORDER_SAMPLES])
    results = []
    for order in orders:
        done = subprocess.run(
            [sys.executable, "-c", _PICK_SCRIPT, *order],
            input=samples,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        results.append(json.loads(done.stdout))
    assert all(r == results[0] for r in results[1:]), results
    assert len(set(results[0]["picks"])) >= 6  # the samples reach several readers


# -- stopping at the ceiling ------------------------------------------------------------------

SHARED = Path(__file__).resolve().parents[3] / "shared"
_MEDIA_TYPES = (None, "text/html", "application/rss+xml", "text/csv", "application/json")
_NAMES = ("", ".md", ".csv", ".json", ".xml", ".html")


def _sniff_corpus() -> list[RawInput]:
    """Every shape the project knows, each under several names and declared types, so that
    ties and the scores that depend on a name or type are reached."""
    import lofte

    files = sorted((Path(lofte.__file__).parent / "demo" / "corpus").iterdir())
    files += sorted((Path(__file__).parent / "fixtures").glob("*.pdf"))
    files += sorted((SHARED / "seeds").glob("*"))
    files += sorted((SHARED / "data" / "manifestos-2022").glob("*.pdf"))
    for folder in ("pressmeddelanden/2024/03", "rattsliga-dokument", "tal", "debattartiklar"):
        files += sorted((SHARED / "data" / "regeringen" / folder).rglob("*.md"))[:8]
    samples = [*ORDER_SAMPLES, *((str(f), f.read_bytes()) for f in files)]
    return [
        RawInput(data, origin + suffix, media_type)
        for origin, data in samples
        for suffix in _NAMES
        for media_type in _MEDIA_TYPES
    ]


def _exhaustive_pick(raw: RawInput) -> str | None:
    """The rule itself: every reader sniffs, the highest (score, place in READERS) wins."""
    from lofte.sources.decode import decode_text, looks_binary

    binary = looks_binary(raw.data)
    text = None if binary else decode_text(raw.data, raw.origin, [])
    scored = [
        (reader.sniff(raw, None if binary else text), order, reader.name)
        for order, reader in enumerate(readers())
        if reader.binary == binary
    ]
    best = max((s for s in scored if s[0] > 0), default=None)
    return None if best is None else best[2]


def test_stopping_at_a_readers_ceiling_picks_what_asking_every_reader_picks() -> None:
    corpus = _sniff_corpus()
    assert len(corpus) > 1000
    picked: dict[str, int] = {}
    for raw in corpus:
        try:
            name: str | None = pick_reader(raw)[0].name
        except UnsupportedFormatError:
            name = None
        assert name == _exhaustive_pick(raw), raw.origin
        picked[str(name)] = picked.get(str(name), 0) + 1
    assert len(picked) >= 8, picked  # the corpus reaches most readers


def test_no_reader_scores_above_its_ceiling() -> None:
    from lofte.sources.decode import decode_text, looks_binary

    for raw in _sniff_corpus()[::3]:
        binary = looks_binary(raw.data)
        text = None if binary else decode_text(raw.data, raw.origin, [])
        for reader in readers():
            if reader.binary == binary:
                assert reader.sniff(raw, text) <= reader.ceiling, (reader.name, raw.origin)


def test_a_markdown_file_is_not_sniffed_by_readers_that_cannot_win(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the feed reader (ceiling 0.95) is asked before Markdown's certain 0.9 ends it."""
    asked: list[str] = []
    for reader in readers():
        sniff = type(reader).sniff

        def spy(self: Reader, raw: RawInput, text: str | None, _sniff=sniff) -> float:
            asked.append(self.name)
            return float(_sniff(self, raw, text))

        monkeypatch.setattr(type(reader), "sniff", spy)
    reader, _ = pick_reader(RawInput("# Ny park\n\nParken öppnar i maj.\n".encode(), "a.md"))
    assert reader.name == "markdown"
    assert asked == ["feed", "markdown"]


def test_content_that_contradicts_its_name_is_read_with_a_warning() -> None:
    # QA: a "program.pdf" that was a saved login page went in as an HTML article, unsaid
    page = b"<html><head><title>Logga in</title></head><body><p>Logga in.</p></body></html>"
    notes: list[str] = []
    reader, _ = pick_reader(
        RawInput(page, "program.pdf", media_type="application/pdf"), None, notes
    )
    assert reader.name == "html-article"
    assert notes == [
        "named or served as a PDF, but it is text: read as html-article (the wrong file?)"
    ]
    notes = []
    pdf = text_pdf(["BT /F1 12 Tf 72 720 Td (Vi ska bygga en simhall.) Tj ET"])
    reader, _ = pick_reader(RawInput(pdf, "p.txt", media_type="text/plain"), None, notes)
    assert reader.name == "pdf"
    assert notes == ["named or served as text/plain, but it is a PDF: read as a PDF"]
    notes = []  # a forced reader is the user's word: no second guess
    pick_reader(RawInput(page, "p.pdf", media_type="application/pdf"), "plaintext", notes)
    pick_reader(RawInput(page, "p.html", media_type="text/html"), None, notes)
    assert notes == []


@pytest.mark.parametrize(
    "forced, data, origin",
    [
        ("markdown", "# Rubrik om skolan\n\nText om skolan i Årsta.\n", "md.txt"),
        ("program-text", "Vi ska bygga en skola.\n\nVi ska öppna en park.\n", "program.txt"),
    ],
)
def test_a_forced_reader_reads_what_its_sniff_would_not_pick(
    forced: str, data: str, origin: str
) -> None:
    """QA: `--reader markdown` on a .txt and `--reader program-text` on a short program were
    refused ("does not accept this text"): the docs say the option forces a reader."""
    reader, text = pick_reader(RawInput(data.encode(), origin), forced)
    assert reader.name == forced and text == data
    assert reader.parse(RawInput(data.encode(), origin), text)[0].body


def test_a_zip_file_is_refused_saying_what_to_do_instead() -> None:
    """QA: a zip of news items got "no reader accepts this binary data", and the docs never
    said zip files are not read."""
    import io
    import zipfile

    from lofte.web.messages import message

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("nyhet.txt", "Kommunen bygger en ny simhall i Norrvik.")
    with pytest.raises(UnsupportedFormatError) as info:
        pick_reader(RawInput(packed.getvalue(), "nyheter.zip"))
    said = str(info.value)
    assert "zip file: unpack an archive and ingest its folder" in said
    assert "packa upp ett arkiv" in message(said, "sv")  # the web's Swedish, not the English


@pytest.mark.parametrize(
    ("origin", "data", "controls"),
    [
        (
            "farg.txt",
            "Vi ska bygga \x1b]0;titel\x07 fler bostäder \x1b]0;x\x07 i Sjövik.\n".encode(),
            4,
        ),
        ("nul.txt", ("Vi ska\x00 bygga\x00\x00 bostäder åt alla.\n" * 10).encode(), 30),
    ],
)
def test_a_text_with_control_bytes_is_refused_saying_why(
    origin: str, data: bytes, controls: int
) -> None:
    """QA: a Swedish text with two ESC…BEL sequences (or 30 NULs in 490 bytes) was refused as
    "no reader accepts this binary data" without a reason; only a forced reader gave one."""
    with pytest.raises(UnsupportedFormatError) as info:
        pick_reader(RawInput(data, origin))
    said = str(info.value)
    assert said.startswith(f"{origin}: no reader accepts this binary data (")
    assert f"{controls} control bytes such as NUL or ESC in its first {len(data):,} bytes" in said
