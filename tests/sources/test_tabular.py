"""CSV and JSON import of documents (docs/import-schema.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lofte.errors import ParseError
from lofte.model import DatePrecision, DateProvenance, RawInput
from lofte.publish import opendata

# plaintext first: the registry loads its built-ins only while it is empty (see the report).
from lofte.sources import plaintext, tabular, textdump  # noqa: F401
from lofte.sources.decode import decode_text
from lofte.sources.registry import parse_input

CSV_READER, JSON_READER = tabular.CSV_IMPORT, tabular.JSON_IMPORT


def raw(name: str = "import.csv") -> RawInput:
    return RawInput(data=b"", origin=name)


def read_csv(text: str):
    return CSV_READER.parse(raw(), text)


def read_json(text: str):
    return JSON_READER.parse(raw("import.json"), text)


# -- CSV --------------------------------------------------------------------------------------


def test_csv_with_every_field() -> None:
    text = (
        "id,title,body,url,date,category,language\n"
        'a1,Budget 2025,"Två stycken.\n\nAndra stycket.",'
        "https://example.org/a,2025-03-04,Ekonomi,SV\n"
    )
    (doc,) = read_csv(text)
    assert (doc.item_key, doc.title) == ("a1", "Budget 2025")
    assert doc.body == "Två stycken.\n\nAndra stycket."
    assert doc.url == "https://example.org/a"
    assert doc.date is not None and doc.date.value == dt.date(2025, 3, 4)
    assert doc.date.precision is DatePrecision.DAY
    assert doc.date.provenance is DateProvenance.EXPLICIT
    assert (doc.category, doc.language, doc.extra) == ("Ekonomi", "sv", {})


@pytest.mark.parametrize(
    ("value", "day", "precision"),
    [
        ("2024", dt.date(2024, 1, 1), DatePrecision.YEAR),
        ("2024-05", dt.date(2024, 5, 1), DatePrecision.MONTH),
        ("2024-02-29", dt.date(2024, 2, 29), DatePrecision.DAY),
    ],
)
def test_dates_keep_their_precision(value: str, day: dt.date, precision: DatePrecision) -> None:
    (doc,) = read_csv(f"title,body,date\nT,B,{value}\n")
    assert doc.date is not None
    assert (doc.date.value, doc.date.precision) == (day, precision)
    assert doc.date.provenance is DateProvenance.EXPLICIT


def test_the_open_data_documents_table_imports_with_its_dates_precision() -> None:
    """documents.csv of `lofte export --format csv` writes a date as the first day of its
    period with `date_precision` beside it: imported again, each date keeps its precision
    (it used to become a day: 2024 became 1 January 2024), and the title and body their text."""
    dates = [
        ("2024-01-01", DatePrecision.YEAR),
        ("2023-06-01", DatePrecision.SEASON),
        ("2024-11-01", DatePrecision.MONTH),
        ("2024-03-02", DatePrecision.DAY),
        (None, None),
    ]
    table = opendata.TABLES["documents"]
    rows = [
        dict.fromkeys(table.header)
        | {
            "document_id": i,
            "tracker": "sjovik",
            "kind": "news",
            "title": f"Nyhet {i}",
            "date": value,
            "date_precision": None if precision is None else precision.value,
            "content_hash": "0" * 64,
            "parser": "test/1",
            "body": f'Första stycket {i}.\n\nAndra stycket, med "citat", komma.',
        }
        for i, (value, precision) in enumerate(dates, 1)
    ]
    text = opendata.to_csv(table, rows).decode("utf-8")
    docs = read_csv(text)
    assert [(d.title, d.body) for d in docs] == [(r["title"], r["body"]) for r in rows]
    got = [(d.date.value, d.date.precision) if d.date else (None, None) for d in docs]
    assert got == [
        (dt.date.fromisoformat(value) if value else None, precision) for value, precision in dates
    ]
    assert all("date_precision" not in d.extra for d in docs)


def test_a_row_with_an_empty_body_is_a_document_of_its_title_alone() -> None:
    # QA: the open data's documents.csv of a government record (22 title-only press invitations
    # read from Markdown) failed to import again: "'body' is missing or empty" on row 63
    docs = read_csv("title,body\nPressträff om Nato,\nBudget,Budgeten läggs fram.\n")
    assert [(d.title, d.body) for d in docs] == [
        ("Pressträff om Nato", ""),
        ("Budget", "Budgeten läggs fram."),
    ]
    (doc,) = read_json('[{"title": "Pressträff", "body": ""}]')
    assert doc.body == ""


def test_row_numbers_are_item_keys_without_id_and_optional_fields_may_be_empty() -> None:
    docs = read_csv("title,body,date,url\nA,B,,\n\nC,D,,\n")
    assert [d.item_key for d in docs] == ["1", "2"]
    assert all(d.date is None and d.url is None and d.category is None for d in docs)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_bom_and_header_case(delimiter: str) -> None:
    header, row = delimiter.join(["Title", " BODY ", "Källa"]), delimiter.join(["T", "B", "SVT"])
    text = f"\ufeff{header}\n{row}\n"
    assert CSV_READER.sniff(raw(), text) > 0.1
    (doc,) = read_csv(text)
    assert (doc.title, doc.body, doc.extra) == ("T", "B", {"källa": "SVT"})


def test_csv_title_is_one_line_body_keeps_its_lines() -> None:
    (doc,) = read_csv('title,body\n"  Två\n rader ","rad 1\nrad 2"\n')
    assert (doc.title, doc.body) == ("Två rader", "rad 1\nrad 2")


def test_csv_from_bytes_like_the_pipeline_reads_them() -> None:
    data = "title;body\nÅtgärder;Söder om Slussen\n".encode("cp1252")
    (doc,) = read_csv(decode_text(data, "x.csv"))
    assert doc.title == "Åtgärder"


BAD_CSV = [
    ("title,body\nA,B\n,C\n", "row 2 (line 3)", "'title'"),
    ("title,body\n,B\n", "row 1 (line 2)", "'title'"),
    ("title,body\nA,B,C\n", "row 1 (line 2)", "3 cells"),
    ("title,body\nA\n", "row 1 (line 2)", "1 cells"),
    ("title,body,date\nA,B,2024-1-5\n", "row 1", "YYYY"),
    ("title,body,date\nA,B,2024-02-30\n", "row 1", "does not exist"),
    ("title,body,date\nA,B,igår\n", "row 1", "YYYY"),
    ("title,body,url\nA,B,www.example.org\n", "row 1", "http"),
    ("title,body,language\nA,B,svenska språket\n", "row 1", "language"),
    ("id,title,body\nx,A,B\ny,C,D\nx,E,F\n", "row 3 (line 4)", "repeats row 1"),
    ("title,body,\nA,B,stray\n", "row 1", "unnamed"),
    ('title,body\nA,"B\n', "row 1", "broken CSV"),
    ("title,body,Title\nA,B,C\n", "header", "title"),
    ("title,body\n", "no documents", "no rows"),
    ("rubrik,text\nA,B\n", "header", "'title'"),
    ("title,body,date,date_precision\nA,B,2024-05,day\n", "row 1", "not written to the day"),
    ("title,body,date,date_precision\nA,B,2024,month\n", "row 1", "not written to the month"),
    ("title,body,date,date_precision\nA,B,2024-05-01,vecka\n", "row 1", "date_precision"),
    ("title,body,date,date_precision\nA,B,,year\n", "row 1", "without a date"),
]


@pytest.mark.parametrize(("text", "where", "what"), BAD_CSV)
def test_a_broken_csv_fails_whole_naming_input_and_row(text: str, where: str, what: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_csv(text)
    assert caught.value.origin == "import.csv"
    assert where in caught.value.message and what in caught.value.message


def test_one_broken_row_fails_the_input_even_after_good_rows() -> None:
    good = "".join(f"T{n},B{n}\n" for n in range(50))
    with pytest.raises(ParseError, match="row 51"):
        read_csv("title,body\n" + good + ",B\n")


def test_long_bodies_pass_the_csv_field_cap() -> None:
    body = "ord " * 60_000
    (doc,) = read_csv(f'title,body\nT,"{body}"\n')
    assert doc.body == body.strip()


# -- JSON -------------------------------------------------------------------------------------


def test_json_list_and_documents_object() -> None:
    item = {"title": "T", "body": "B", "id": 7, "date": "2023-11", "tags": ["a"], "note": None}
    for text in (json.dumps([item]), json.dumps({"documents": [item], "generated": "2024"})):
        assert JSON_READER.sniff(raw(), text) > 0.1
        (doc,) = read_json(text)
        assert (doc.item_key, doc.title, doc.body, doc.extra) == ("7", "T", "B", {"tags": ["a"]})
        assert doc.date is not None and doc.date.precision is DatePrecision.MONTH


BAD_JSON = [
    ('[{"title": "T", "body": "B"}, {"title": "T"}]', "row 2", "'body'"),
    ('[{"title": "T", "body": 5}]', "row 1", "text"),
    ('[{"title": "T", "body": "B", "date": 2024}]', "row 1", "text"),
    ('[{"title": "T", "body": "B", "id": true}]', "row 1", "text"),
    ('[{"title": "T", "body": "B"}, "x"]', "row 2", "object"),
    ('{"items": []}', "expected a list", ""),
    ("[]", "no documents", ""),
    ('[{"title": "T",', "line 1", "broken JSON"),
    # json's message is cut where its own position was: said whole (QA)
    ('[{"title": "abc', "column 12: Unterminated string", "broken JSON"),
    ("[" * 100_000, "broken JSON", ""),
    ('[{"title": "T", "body": "B", "n": ' + "9" * 5000 + "}]", "broken JSON", "digits"),
    (
        '[{"title": "A", "body": "B", "id": "2"}, {"title": "C", "body": "D"}]',
        "row 2",
        "repeats row 1",  # a missing id is the row number, which may collide
    ),
]


def test_json_nested_too_deep_for_the_steps_after_reading_fails_naming_it() -> None:
    # 900 levels inside a document's extra field: json reads it, but cleaning the texts (and
    # storing extra as JSON) recursed and failed with a bare RecursionError
    deep = '{"a": ' * 900 + "1" + "}" * 900
    text = f'[{{"title": "T", "body": "B", "extra": {deep}}}]'
    data = RawInput(text.encode("utf-8"), "djup.json")
    with pytest.raises(ParseError, match="nested more than") as caught:
        parse_input(JSON_READER, data, text)
    assert caught.value.origin == "djup.json"
    shallow = '{"a": ' * 20 + "1" + "}" * 20
    text = f'[{{"title": "T", "body": "B", "extra": {shallow}}}]'
    (doc,) = parse_input(JSON_READER, RawInput(text.encode("utf-8"), "grund.json"), text)
    assert json.dumps(doc.extra).count("{") == 21


@pytest.mark.parametrize(("text", "where", "what"), BAD_JSON)
def test_a_broken_json_fails_whole_naming_input_and_row(text: str, where: str, what: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_json(text)
    assert caught.value.origin == "import.json"
    assert where in caught.value.message and what in caught.value.message


@pytest.mark.parametrize(
    ("text", "got"),
    [
        ('"en mening om skolan"', "a string"),
        ("42", "a number"),
        ("null", "null"),
        ("true", "true or false"),
        ('{"a": 1}', "an object"),
        ("bara text", "broken JSON"),
    ],
)
def test_a_declared_json_of_another_shape_fails_naming_what_it_holds(text: str, got: str) -> None:
    # QA: a .json file holding `null` or a bare string was stored as a text document
    data = RawInput(text.encode("utf-8"), "nyheter.json", media_type="application/json")
    assert JSON_READER.sniff(data, text) == 0.5  # beats the plain-text reader
    with pytest.raises(ParseError, match=got):
        read_json(text)


# -- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "title body\nA B\n",
        "rubrik,text\nA,B\n",
        '{"title": "T", "body": "B"}',
        '[{"title": "T"}]',
        "[1, 2]",
        "[]",
    ],
)
def test_sniff_says_no_to_what_is_not_an_import(text: str) -> None:
    assert CSV_READER.sniff(raw(), text) == 0.0
    assert JSON_READER.sniff(raw(), text) == 0.0


def test_sniff_says_no_to_the_seeds_and_binary(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        text = decode_text(path.read_bytes(), str(path))
        assert CSV_READER.sniff(raw(), text) == JSON_READER.sniff(raw(), text) == 0.0
    assert CSV_READER.sniff(raw(), None) == JSON_READER.sniff(raw(), None) == 0.0
    with pytest.raises(ParseError):
        CSV_READER.parse(raw(), None)


def test_text_dump_readers_leave_imports_alone() -> None:
    csv_text = "title,body\n" + "".join(f"T{n},{'ord ' * 30}...\n" for n in range(10))
    for reader in (textdump.EXCERPT_LINES, textdump.BULLET_LISTING, textdump.READ_MORE_PAGE):
        assert reader.sniff(raw(), csv_text) < CSV_READER.sniff(raw(), csv_text)


# -- properties -------------------------------------------------------------------------------

CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
FIELD = st.text(alphabet=CHARS, min_size=1, max_size=40).filter(str.strip)
DOCS = st.lists(
    st.fixed_dictionaries(
        {"title": FIELD.map(lambda s: " ".join(s.split())), "body": FIELD.map(str.strip)},
        optional={
            "category": FIELD.map(str.strip),
            "date": st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
        },
    ),
    min_size=1,
    max_size=10,
)


def check_round_trip(rows: list[dict[str, str]], docs) -> None:
    assert [d.item_key for d in docs] == [str(n) for n in range(1, len(rows) + 1)]
    for row, doc in zip(rows, docs):
        assert (doc.title, doc.body) == (row["title"], row["body"])
        assert doc.category == row.get("category")
        assert (doc.date.value.isoformat() if doc.date else None) == row.get("date")


@settings(max_examples=200, deadline=None)
@given(rows=DOCS, delimiter=st.sampled_from([",", ";", "\t"]))
def test_csv_round_trip(rows: list[dict[str, str]], delimiter: str) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["title", "body", "category", "date"], delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    assert CSV_READER.sniff(raw(), out.getvalue()) > 0.1
    check_round_trip(rows, read_csv(out.getvalue()))


@settings(max_examples=200, deadline=None)
@given(rows=DOCS, wrapped=st.booleans())
def test_json_round_trip(rows: list[dict[str, str]], wrapped: bool) -> None:
    text = json.dumps({"documents": rows} if wrapped else rows, ensure_ascii=False)
    assert JSON_READER.sniff(raw(), text) > 0.1
    check_round_trip(rows, read_json(text))


CSV_JSON_TOKENS = [
    "title",
    "body",
    "id",
    "date",
    ",",
    ";",
    '"',
    "\n",
    "\r",
    "2024",
    "x",
    "\x00",
    "[",
    "{",
    "}",
    "]",
    ":",
    '"title"',
    '"body"',
    '"documents"',
    "\ufeff",
    "null",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.text(),
        st.lists(st.sampled_from(CSV_JSON_TOKENS), max_size=60).map("".join),
    )
)
def test_any_text_gives_documents_or_a_parse_error(text: str) -> None:
    for reader in (CSV_READER, JSON_READER):
        assert reader.sniff(raw(), text) in (0.0, 0.9)
        try:
            docs = reader.parse(raw(), text)
        except ParseError as exc:
            assert exc.origin == "import.csv"
            continue
        assert docs and all(d.title and d.body for d in docs)


def test_a_cut_off_body_marks_the_document_truncated() -> None:
    docs = read_csv("title,body\nA,Texten slutar mitt i…\nB,Hel text.\n")
    assert [d.truncated for d in docs] == [True, False]


def test_big_json_is_sniffed_by_its_head() -> None:
    rows = [{"title": f"T{n}", "body": "ord " * 100} for n in range(3000)]
    text = json.dumps({"documents": rows})
    assert len(text) > tabular._SNIFF_PARSE_LIMIT
    assert JSON_READER.sniff(raw(), text) == 0.9
    assert len(read_json(text)) == 3000
    assert JSON_READER.sniff(raw(), "[" + " " * tabular._SNIFF_PARSE_LIMIT + "1]") == 0.0


@pytest.mark.parametrize(
    ("name", "media", "text", "message"),
    [
        ("bad.json", "application/json", '[{"title":"A","body":"x"},{"title":"B"', "broken JSON"),
        ("keys.json", "application/json", '[{"rubrik":"A","text":"x"}]', "row 1"),
        ("obj.json", "application/json", '{"items": []}', "expected a list of documents"),
        ("sv.csv", "text/csv", "Titel;Text;Datum\r\nA;b;2024\r\n", "'Titel;Text;Datum'"),
    ],
)
def test_declared_json_or_csv_of_another_shape_fails_naming_it_not_stored_as_text(
    name: str, media: str, text: str, message: str
) -> None:
    """A .json or .csv that is broken or lacks the import's columns was stored whole as one
    plain-text document, without a word."""
    from lofte.sources.registry import pick_reader

    item = RawInput(data=text.encode(), origin=name, media_type=media)
    reader, decoded = pick_reader(item)
    assert reader.name in ("json-import", "csv-import")
    with pytest.raises(ParseError, match=message):
        reader.parse(item, decoded)
    # undeclared, the same text is still anybody's: plain text takes it
    assert pick_reader(RawInput(data=text.encode(), origin="notes.txt"))[0].name == "plaintext"


def test_a_cut_json_string_is_said_whole() -> None:
    with pytest.raises(ParseError) as caught:
        read_json('[{"title": "abc')
    assert caught.value.message.endswith("column 12: Unterminated string")
