"""The plain-text dump readers: what a careful reader sees in each seed, plus property tests.

The seeds are read from ../shared at run time; expectations are either counts or computed from
the seed by a simpler, independent reading of its shape (no seed text is copied here).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lofte.errors import ParseError
from lofte.model import ParsedDocument, RawInput
from lofte.sources import plaintext, tabular, textdump
from lofte.sources.decode import decode_text

TEXT_READERS = [textdump.EXCERPT_LINES, textdump.BULLET_LISTING, textdump.READ_MORE_PAGE]
SNIFF_SET = [plaintext.PlainTextReader(), *TEXT_READERS, tabular.CSV_IMPORT, tabular.JSON_IMPORT]
READ_MORE = re.compile(r"^\s*läs mer\s*$", re.IGNORECASE)


def seed_text(seeds_dir: Path, number: str) -> tuple[RawInput, str]:
    (path,) = seeds_dir.glob(f"{number}_*.txt")
    data = path.read_bytes()
    return RawInput(data=data, origin=str(path)), decode_text(data, str(path))


def parse_seed(seeds_dir: Path, number: str, reader) -> tuple[str, list[ParsedDocument]]:
    raw, text = seed_text(seeds_dir, number)
    return text, reader.parse(raw, text)


def flat(text: str) -> str:
    return " ".join(text.split())


def paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]


def bullet_chunks(text: str) -> list[list[str]]:
    """Oracle for listings: the raw lines of each item, the bullet line first."""
    chunks: list[list[str]] = []
    for line in text.splitlines():
        if line.lstrip().startswith("•"):
            chunks.append([line])
        elif chunks:
            chunks[-1].append(line)
    return chunks


# -- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "winner"),
    [
        ("000", "excerpt-lines"),
        ("001", "bullet-listing"),
        ("002", "plaintext"),  # the program is not a listing: the PDF reader's business
        ("003", "bullet-listing"),
        ("004", "read-more-page"),
    ],
)
def test_each_seed_is_claimed_by_its_reader_only(seeds_dir: Path, number: str, winner: str) -> None:
    raw, text = seed_text(seeds_dir, number)
    scores = {reader.name: reader.sniff(raw, text) for reader in SNIFF_SET}
    assert max(scores, key=lambda name: scores[name]) == winner
    others = {name: score for name, score in scores.items() if name not in (winner, "plaintext")}
    assert all(score == 0.0 for score in others.values()), scores
    assert scores[winner] >= 0.1


def test_readers_refuse_binary_input() -> None:
    raw = RawInput(data=b"%PDF-1.4", origin="x.pdf")
    for reader in TEXT_READERS:
        assert reader.sniff(raw, None) == 0.0
        with pytest.raises(ParseError):
            reader.parse(raw, None)


# -- seed 000: one excerpt a line -------------------------------------------------------------


def test_seed_000_gives_one_document_per_line(seeds_dir: Path) -> None:
    text, docs = parse_seed(seeds_dir, "000", textdump.EXCERPT_LINES)
    lines = text.splitlines()
    assert len(docs) == 44
    assert [d.item_key for d in docs] == [str(n) for n in range(1, 45)]
    assert [d.body for d in docs] == [line.strip() for line in lines if line.strip()]


def test_seed_000_marks_cut_off_excerpts(seeds_dir: Path) -> None:
    text, docs = parse_seed(seeds_dir, "000", textdump.EXCERPT_LINES)
    cut = [line.rstrip().endswith("...") for line in text.splitlines()]
    assert [d.truncated for d in docs] == cut
    assert sum(d.truncated for d in docs) == 41  # three excerpts end on a full sentence


def test_seed_000_titles_are_the_lead_of_each_excerpt(seeds_dir: Path) -> None:
    _, docs = parse_seed(seeds_dir, "000", textdump.EXCERPT_LINES)
    for doc in docs:
        lead = flat(doc.title.removesuffix("…"))
        assert lead and flat(doc.body).startswith(lead)
        assert len(doc.title.split()) <= textdump.MAX_SENTENCE_WORDS
        assert len(doc.title) < len(doc.body)


# -- seeds 001 and 003: bullet listings -------------------------------------------------------


def test_seed_001_six_items_with_titles_and_summaries(seeds_dir: Path) -> None:
    text, docs = parse_seed(seeds_dir, "001", textdump.BULLET_LISTING)
    chunks = bullet_chunks(text)
    assert len(docs) == len(chunks) == 6
    for doc, chunk in zip(docs, chunks):
        assert doc.title == chunk[0].strip().lstrip("•").strip()
        # The summary is the item's one long line, and nothing else.
        assert doc.body == max((line.strip() for line in chunk[1:]), key=len)
        assert doc.category is None
        assert not doc.truncated
        assert doc.extra.get("listing") == text.splitlines()[0].strip()


def test_seed_001_line_under_a_title_belongs_to_its_item(seeds_dir: Path) -> None:
    text, docs = parse_seed(seeds_dir, "001", textdump.BULLET_LISTING)
    chunks = bullet_chunks(text)
    with_subtitle = [i for i, chunk in enumerate(chunks) if chunk[1].strip()]
    assert with_subtitle == [4]  # the fifth item has a line directly under its title
    doc = docs[4]
    assert doc.extra["subtitle"] == chunks[4][1].strip()
    assert doc.extra["subtitle"] not in doc.body.splitlines()
    assert not doc.body.startswith(doc.extra["subtitle"])
    assert all("subtitle" not in d.extra for i, d in enumerate(docs) if i != 4)


def test_seed_003_one_document_per_item_with_its_category(seeds_dir: Path) -> None:
    text, docs = parse_seed(seeds_dir, "003", textdump.BULLET_LISTING)
    chunks = bullet_chunks(text)
    assert len(docs) == len(chunks) == 12  # the last item ends the file without a newline
    for doc, chunk in zip(docs, chunks):
        filled = [line.strip() for line in chunk[1:] if line.strip()]
        assert doc.title == chunk[0].strip().lstrip("•").strip()
        assert doc.category == filled[-1]  # kept exactly as given, run-together words too
        assert doc.body == filled[0]
        assert doc.category not in doc.body.splitlines()
    assert all(doc.category and len(doc.category.split()) <= 4 for doc in docs)


# -- seed 004: "Läs mer" page -----------------------------------------------------------------


def read_more_chunks(text: str) -> list[list[str]]:
    """Oracle: the non-empty stripped lines between "Läs mer" lines."""
    chunks: list[list[str]] = [[]]
    for line in text.splitlines():
        if READ_MORE.match(line):
            chunks.append([])
        elif line.strip():
            chunks[-1].append(line.strip())
    return chunks


def test_seed_004_items_once_each_with_their_titles(seeds_dir: Path) -> None:
    text, docs = parse_seed(seeds_dir, "004", textdump.READ_MORE_PAGE)
    chunks = read_more_chunks(text)
    assert len(chunks) == 8  # seven items and the share footer
    assert len(docs) == 7
    assert [d.title for d in docs] == [chunk[0] for chunk in chunks[:-1]]
    assert len({d.title for d in docs}) == 7
    assert [d.truncated for d in docs] == [False, False, True, False, False, False, True]


def test_seed_004_has_no_read_more_nor_share_footer(seeds_dir: Path) -> None:
    text, docs = parse_seed(seeds_dir, "004", textdump.READ_MORE_PAGE)
    footer = read_more_chunks(text)[-1]
    assert footer  # the page does end with one
    for doc in docs:
        assert "läs mer" not in (doc.title + doc.body).casefold()
        for line in footer:
            assert line not in doc.body and line not in doc.title


def test_seed_004_repeated_summaries_are_kept_once(seeds_dir: Path) -> None:
    text, docs = parse_seed(seeds_dir, "004", textdump.READ_MORE_PAGE)
    chunks = read_more_chunks(text)
    for doc in docs:
        paras = [flat(p) for p in paragraphs(doc.body)]
        heads = [p[:60] for p in paras]
        assert len(heads) == len(set(heads)), doc.title  # no paragraph starts like another
    # The two items that repeat a paragraph keep one paragraph: the complete, longer one.
    repeated = [
        i
        for i, chunk in enumerate(chunks[:-1])
        if len({line[:60] for line in chunk[1:]}) < len(chunk) - 1
    ]
    assert repeated == [1, 3]
    for i in repeated:
        (kept,) = paragraphs(docs[i].body)
        assert not textdump.ends_cut(kept)
        assert all(flat(kept).startswith(textdump._core(line)) for line in chunks[i][1:])


def test_seed_004_keeps_paragraph_structure_of_a_longer_item(seeds_dir: Path) -> None:
    text, docs = parse_seed(seeds_dir, "004", textdump.READ_MORE_PAGE)
    counts = [len(paragraphs(d.body)) for d in docs]
    assert counts == [1, 1, 1, 1, 1, 3, 1]
    assert len(docs[5].body.split("\n\n")[-1].splitlines()) == 3  # three lines of one list


# -- properties -------------------------------------------------------------------------------

TOKENS = st.sampled_from(
    [
        "•",
        " • ",
        "▪",
        "Läs mer",
        "läs mer »",
        "…",
        "...",
        "\n",
        "\n\n",
        "  ",
        "\t",
        "\r",
        "\xa0",
        "Nyheter",
        "facebook Twitter Email",
        "Ord",
        "och",
        "mer",
        ".",
        "!",
        "?",
        ":",
        "Å",
        "1",
    ]
)
STRUCTURED = st.lists(st.one_of(TOKENS, st.text(max_size=12)), max_size=80).map("".join)
ANY_TEXT = st.one_of(st.text(), STRUCTURED)
RAW = RawInput(data=b"", origin="fuzz.txt")
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(text=ANY_TEXT)
def test_any_text_gives_documents_or_a_parse_error(text: str) -> None:
    for reader in TEXT_READERS:
        score = reader.sniff(RAW, text)
        assert 0.0 <= score <= 1.0
        try:
            docs = reader.parse(RAW, text)
        except ParseError as exc:
            assert exc.origin == RAW.origin
            continue
        assert docs and all(isinstance(d, ParsedDocument) for d in docs)
        assert len({d.item_key for d in docs}) == len(docs)


@FUZZ
@given(text=ANY_TEXT)
def test_titles_and_bodies_are_cut_from_the_input(text: str) -> None:
    whole = flat(text)
    for reader in TEXT_READERS:
        try:
            docs = reader.parse(RAW, text)
        except ParseError:
            continue
        for doc in docs:
            assert doc.title.strip() and flat(doc.title.rstrip("…")) in whole
            for line in doc.body.splitlines():
                assert line == line.strip() and line in text
            for value in [doc.category, *doc.extra.values()]:
                assert value is None or all(part in text for part in value.splitlines())
            assert doc.truncated == textdump.ends_cut(doc.body)


@FUZZ
@given(text=ANY_TEXT)
@example(text="LÄS MER Läs mer")  # found by the fuzzer: the tail's removal left a "Läs mer" line
def test_read_more_text_never_reaches_a_document(text: str) -> None:
    try:
        docs = textdump.READ_MORE_PAGE.parse(RAW, text)
    except ParseError:
        return
    for doc in docs:
        for line in [doc.title, *doc.body.splitlines()]:
            assert not READ_MORE.match(line)


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö", min_size=4, max_size=9)
CAP = WORD.map(str.capitalize)


def sentence(min_words: int = 6) -> st.SearchStrategy[str]:
    rest = st.lists(WORD, min_size=min_words - 1, max_size=14)
    return st.builds(lambda first, others: " ".join([first, *others]) + ".", CAP, rest)


@st.composite
def listing_items(draw) -> list[dict[str, str | None]]:
    items = []
    for _ in range(draw(st.integers(2, 8))):
        items.append(
            {
                "title": " ".join([draw(CAP), *draw(st.lists(WORD, max_size=8))]),
                "subtitle": draw(st.none() | st.lists(CAP, min_size=1, max_size=3).map(" ".join)),
                "body": " ".join(draw(st.lists(sentence(), min_size=1, max_size=4))),
                "category": draw(st.none() | st.lists(CAP, min_size=1, max_size=4).map(" ".join)),
            }
        )
    return items


@settings(max_examples=150, deadline=None)
@given(items=listing_items(), header=st.sampled_from(["Nyheter", "", "Aktuellt"]))
def test_a_rendered_listing_reads_back(items: list[dict[str, str | None]], header: str) -> None:
    parts = [f"{header}\n\n"] if header else []
    for item in items:
        parts.append(f" • {item['title']}\n")
        if item["subtitle"]:
            parts.append(f"  {item['subtitle']}\n")
        parts.append(f"\n  {item['body']}\xa0\n")
        if item["category"]:
            parts.append(f"\n  {item['category']}\n")
    text = "".join(parts)
    assert textdump.BULLET_LISTING.sniff(RAW, text) > 0.1
    assert textdump.EXCERPT_LINES.sniff(RAW, text) == textdump.READ_MORE_PAGE.sniff(RAW, text) == 0
    docs = textdump.BULLET_LISTING.parse(RAW, text)
    assert [(d.title, d.body, d.category, d.extra.get("subtitle")) for d in docs] == [
        (i["title"], i["body"], i["category"], i["subtitle"]) for i in items
    ]


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.lists(sentence(8), min_size=2, max_size=4).map(" ".join), st.booleans()),
        min_size=3,
        max_size=30,
    ),
    marker=st.sampled_from(["…", "..."]),
)
def test_excerpt_lines_read_back(lines: list[tuple[str, bool]], marker: str) -> None:
    rendered = [text[:-1] + marker if cut else text for text, cut in lines]
    text = "\n".join(rendered)
    docs = textdump.EXCERPT_LINES.parse(RAW, text)
    assert [d.body for d in docs] == rendered
    assert [d.truncated for d in docs] == [cut for _, cut in lines]
    cut_count = sum(cut for _, cut in lines)
    long_enough = all(len(line) >= 80 for line in rendered)
    if long_enough and cut_count >= max(2, 0.25 * len(lines)):
        assert textdump.EXCERPT_LINES.sniff(RAW, text) > 0.1
    assert textdump.BULLET_LISTING.sniff(RAW, text) == textdump.READ_MORE_PAGE.sniff(RAW, text) == 0


@st.composite
def read_more_items(draw) -> list[tuple[str, list[str], list[str]]]:
    """(title, paragraphs, paragraphs as rendered with repeats, lead-ins and teasers)."""
    items = []
    for n in range(draw(st.integers(2, 6))):
        paras = [f"P{n}x{k} " + draw(sentence(8)) for k in range(draw(st.integers(1, 3)))]
        rendered = list(paras)
        for para in paras:
            words = para.split()
            kind = draw(st.sampled_from(["none", "copy", "lead", "teaser", "overrun"]))
            cut = draw(st.integers(6, len(words) - 1))
            copy = {
                "none": None,
                "copy": para,
                "lead": " ".join(words[:cut]),
                "teaser": " ".join(words[:cut]) + "…",
                "overrun": para + " " + draw(CAP) + "…",
            }[kind]
            if copy is not None:
                rendered.insert(draw(st.integers(0, len(rendered))), copy)
        items.append((" ".join([draw(CAP), *draw(st.lists(WORD, max_size=6))]), paras, rendered))
    return items


@settings(max_examples=150, deadline=None)
@given(items=read_more_items(), footer=st.sampled_from(["facebook Twitter Email", "Dela", ""]))
def test_a_read_more_page_reads_back_with_repeats_dropped(items, footer: str) -> None:
    blocks = ["\n\n".join([title, *rendered]) + "\n\nLäs mer" for title, _, rendered in items]
    text = "\n\n".join(blocks) + ("\n" + footer if footer else "")
    assert textdump.READ_MORE_PAGE.sniff(RAW, text) > 0.1
    docs = textdump.READ_MORE_PAGE.parse(RAW, text)
    # Lead-ins and teasers go; of exact repeats the first stays where it is.
    expected = [
        (title, "\n\n".join(dict.fromkeys(r for r in shown if r in paras)))
        for title, paras, shown in items
    ]
    assert [(d.title, d.body) for d in docs] == expected


# -- repeated paragraphs inside one item ---------------------------------------------------------


def test_repeated_paragraphs_are_kept_once_in_their_fullest_form() -> None:
    from lofte.sources.textdump import dedup_paragraphs

    full = "Vi presenterar i dag en budget som stärker välfärden och skolan i hela staden."
    cut = "Vi presenterar i dag en budget som stärker välf…"
    dots = "Vi presenterar i dag en budget som stärker välfärden..."
    assert dedup_paragraphs([cut, full, dots, full]) == [full]
    assert dedup_paragraphs(["A", "B", "A", "C"]) == ["A", "B", "C"]


def test_an_uncut_prefix_needs_a_word_boundary() -> None:
    from lofte.sources.textdump import dedup_paragraphs

    a = "Stockholm ska vara en stad för alla där var och en kan leva"
    b = a + "nde vidare i trygghet"
    assert dedup_paragraphs([a, b]) == [a, b]
