from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lofte.errors import ValidationError
from lofte.language import dates as dates_module
from lofte.language.dates import (
    DateMention,
    find_dates,
    infer_publication_date,
    parse_user_date,
)
from lofte.model import DatePrecision, DateProvenance

BASE = dt.date(2024, 5, 20)  # a Monday
D = dt.date
DAY, MONTH, SEASON, YEAR = (
    DatePrecision.DAY,
    DatePrecision.MONTH,
    DatePrecision.SEASON,
    DatePrecision.YEAR,
)


def only(text: str, base: dt.date | None = BASE) -> DateMention:
    mentions = find_dates(text, base)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    "text, span, kind, value, precision",
    [
        ("Beslutet togs 2024-02-15 i fullmäktige.", "2024-02-15", "absolute", D(2024, 2, 15), DAY),
        ("Beslutet togs 15 februari 2024.", "15 februari 2024", "absolute", D(2024, 2, 15), DAY),
        ("Beslutet togs 15 feb. 2024.", "15 feb. 2024", "absolute", D(2024, 2, 15), DAY),
        ("Beslutet togs 15 feb 2024.", "15 feb 2024", "absolute", D(2024, 2, 15), DAY),
        ("Mötet hölls den 3 mars.", "3 mars", "absolute", D(2024, 3, 3), DAY),
        ("Mötet hölls den 3:e mars.", "3:e mars", "absolute", D(2024, 3, 3), DAY),
        ("Välkommen till första maj 2017!", "första maj 2017", "absolute", D(2017, 5, 1), DAY),
        ("Tåget går under våren 2024.", "våren 2024", "season", D(2024, 3, 1), SEASON),
        ("Arbetet startar hösten 2023.", "hösten 2023", "season", D(2023, 9, 1), SEASON),
        ("Badet öppnar sommaren 2024.", "sommaren 2024", "season", D(2024, 6, 1), SEASON),
        ("Det var kallt vintern 2023/24.", "vintern 2023/24", "season", D(2023, 12, 1), SEASON),
        ("Det var kallt vintern 2023/2024.", "vintern 2023/2024", "season", D(2023, 12, 1), SEASON),
        ("Beslut fattas i mars 2024.", "mars 2024", "month", D(2024, 3, 1), MONTH),
        ("Utredningen kom februari 2024.", "februari 2024", "month", D(2024, 2, 1), MONTH),
        ("Utredningen kom i sept. 2023.", "sept. 2023", "month", D(2023, 9, 1), MONTH),
        ("Valet i juni!", "juni", "month", D(2024, 6, 1), MONTH),
        ("Antalet ökade 2024 enligt staden.", "2024", "year", D(2024, 1, 1), YEAR),
        ("Det beslutades redan år 2019.", "år 2019", "year", D(2019, 1, 1), YEAR),
        (
            "Senast år 2030 ska staden vara klimatpositiv.",
            "år 2030",
            "target_year",
            D(2030, 1, 1),
            YEAR,
        ),
        ("Målet gäller till 2030.", "2030", "target_year", D(2030, 1, 1), YEAR),
        (
            "Stadens budget för 2025 presenterades.",
            "budget för 2025",
            "budget_year",
            D(2024, 1, 1),
            YEAR,
        ),
        (
            "I budgeten för 2025 finns mer pengar.",
            "budgeten för 2025",
            "budget_year",
            D(2024, 1, 1),
            YEAR,
        ),
        (
            "Styret presenterar 2025 års budget.",
            "2025 års budget",
            "budget_year",
            D(2024, 1, 1),
            YEAR,
        ),
        ("Styret presenterar 2025:s budget.", "2025:s budget", "budget_year", D(2024, 1, 1), YEAR),
        (
            "I budgetpropositionen för år 2025 står det.",
            "budgetpropositionen för år 2025",
            "budget_year",
            D(2024, 1, 1),
            YEAR,
        ),
        ("Skolan börjar höstterminen 2024.", "höstterminen 2024", "season", D(2024, 8, 1), SEASON),
        ("Läsåret 2023/2024 var tufft.", "2023/2024", "range", D(2023, 1, 1), YEAR),
        ("Det kommer 2024-05-17T10:00.", "2024-05-17", "absolute", D(2024, 5, 17), DAY),
        (
            "I förslaget till budget 2025 slopas avgiften.",
            "budget 2025",
            "budget_year",
            D(2024, 1, 1),
            YEAR,
        ),
        ("Ansvar i kris – Budget 2024", "Budget 2024", "budget_year", D(2023, 1, 1), YEAR),
        ("Igår presenterades förslaget.", "Igår", "relative", D(2024, 5, 19), DAY),
        ("Förslaget presenterades i går.", "i går", "relative", D(2024, 5, 19), DAY),
        ("Idag kallade regeringen till möte.", "Idag", "relative", D(2024, 5, 20), DAY),
        ("Regeringen kallade i dag till möte.", "i dag", "relative", D(2024, 5, 20), DAY),
        ("Det hände i förrgår.", "i förrgår", "relative", D(2024, 5, 18), DAY),
        ("Det beslutades förra månaden.", "förra månaden", "relative", D(2024, 4, 1), MONTH),
        ("Det hände i fjol.", "i fjol", "relative", D(2023, 1, 1), YEAR),
        ("Under fjolåret ökade antalet.", "fjolåret", "relative", D(2023, 1, 1), YEAR),
        ("Sedan förra året serveras frukost.", "förra året", "relative", D(2023, 1, 1), YEAR),
        ("Kostnaderna ökar nästa år.", "nästa år", "relative", D(2025, 1, 1), YEAR),
        ("Redan i år blir det val.", "i år", "relative", D(2024, 1, 1), YEAR),
        ("Projektet startade i våras.", "i våras", "relative", D(2024, 3, 1), SEASON),
    ],
)
def test_finds_date(text, span, kind, value, precision):
    m = only(text)
    assert (m.text, m.kind, m.value.value, m.value.precision) == (span, kind, value, precision)
    assert text[m.start : m.end] == m.text
    assert m.value.provenance is DateProvenance.INFERRED
    assert 0 < m.value.confidence <= 1


@pytest.mark.parametrize(
    "text, span, first, last",
    [
        (
            "Den 15 och 16 februari står regionen värd.",
            "15 och 16 februari",
            D(2024, 2, 15),
            D(2024, 2, 16),
        ),
        ("Den 4 – 6 maj 2026 på mässan.", "4 – 6 maj 2026", D(2026, 5, 4), D(2026, 5, 6)),
        ("Mässan pågår 4-6 maj.", "4-6 maj", D(2024, 5, 4), D(2024, 5, 6)),
        ("Dagarna 15, 16 och 17 juni.", "15, 16 och 17 juni", D(2024, 6, 15), D(2024, 6, 17)),
        (
            "Från 30 april till 2 maj 2025.",
            "30 april till 2 maj 2025",
            D(2025, 4, 30),
            D(2025, 5, 2),
        ),
        (
            "Stängt 28 december – 2 januari 2025.",
            "28 december – 2 januari 2025",
            D(2024, 12, 28),
            D(2025, 1, 2),
        ),
        ("Reformagenda 2022–2026 för staden.", "2022–2026", D(2022, 1, 1), D(2026, 1, 1)),
        (
            "Ökade mellan 2013 och 2023 kraftigt.",
            "mellan 2013 och 2023",
            D(2013, 1, 1),
            D(2023, 1, 1),
        ),
    ],
)
def test_finds_range(text, span, first, last):
    m = only(text)
    assert (m.text, m.kind, m.value.value, m.range_end.value) == (span, "range", first, last)
    assert m.range_end.precision is m.value.precision


def test_last_week_is_monday_to_sunday_before_base():
    m = only("Riktlinjerna reviderades förra veckan.")
    assert (m.value.value, m.range_end.value, m.kind) == (
        D(2024, 5, 13),
        D(2024, 5, 19),
        "relative",
    )


@pytest.mark.parametrize(
    "abbr, month",
    [
        ("jan", 1),
        ("feb", 2),
        ("apr", 4),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("sept", 9),
        ("okt", 10),
        ("nov", 11),
        ("dec", 12),
    ],
)
@pytest.mark.parametrize("dot", ["", "."])
def test_month_abbreviations(abbr, month, dot):
    m = only(f"Beslut den 15 {abbr}{dot} 2024 i nämnden.", None)
    assert m.value.value == D(2024, month, 15)
    assert m.text == f"15 {abbr}{dot} 2024"


@pytest.mark.parametrize(
    "name, month",
    [
        ("januari", 1),
        ("februari", 2),
        ("mars", 3),
        ("april", 4),
        ("maj", 5),
        ("juni", 6),
        ("juli", 7),
        ("augusti", 8),
        ("september", 9),
        ("oktober", 10),
        ("november", 11),
        ("december", 12),
    ],
)
def test_month_names(name, month):
    assert only(f"Beslut den 15 {name} 2024.", None).value.value == D(2024, month, 15)
    assert only(f"Beslut den 15 {name.capitalize()}.").text == f"15 {name.capitalize()}"
    assert only(f"Beslut i {name} 2023.", None).value.value == D(2023, month, 1)


def test_christmas_is_not_july():
    assert [m.text for m in find_dates("Till jul 2024 är det klart.")] == ["2024"]


@pytest.mark.parametrize(
    "text",
    [
        "Mötet hölls den 3 mars.",
        "Den 15 och 16 februari.",
        "Igår presenterades budgeten.",
        "förra veckan",
        "i fjol",
        "nästa år",
        "i dag",
        "Valet i juni!",
        "4-6 maj",
    ],
)
def test_without_base_yearless_and_relative_dates_are_skipped(text):
    assert find_dates(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Tåget avgår kl 14:00 från torget.",
        "Öppet från kl. 9.30 varje dag.",
        "Över 10 000 medarbetare har fått utbildning.",
        "Budgeten omfattar 2 000 000 kronor.",
        "Resultatet blev -1,0 miljard kronor.",
        "Busslinjerna 25M och 26M fortsätter.",
        "För unga 14-21 år.",
        "Ring 08-508 290 00 eller 070-123 45 67.",
        "Ring +46 8 508 290 00.",
        "Schablonen höjs med 5,1 procent.",
        "Det var för 3:e gången och hon kom på 2:a plats.",
        "Över 2000 elever började skolan.",
        "Det byggdes många hus på 1990-talet.",
        "Det kostar 2025 kronor.",
        "Se ärende nr 2024 i listan.",
        "Serienumret är 20245 och 12024.",
        "Räntan var 2024,5 enheter.",
        "Kostnaden var 1 2024 000 kr.",
        "Under 2 000 år.",
        "Mars är en planet och maj ett namn.",
        "Enligt SFS 2024:123 gäller lagen.",
        "Sedan 1990-talet och 2000-talets början.",
        "Varken år 1899 eller år 2101.",
        "Nu är det vecka 12.",
    ],
)
def test_not_dates(text):
    assert find_dates(text, BASE) == []


def test_numbers_next_to_years_do_not_hide_them():
    found = [(m.text, m.kind) for m in find_dates("Över 10 000 medarbetare under 2024.", BASE)]
    assert found == [("2024", "year")]


def test_overlaps_keep_the_longest_reading():
    text = "Stadens budget för 2025 och 15 februari 2024 samt våren 2023."
    assert [m.text for m in find_dates(text)] == [
        "budget för 2025",
        "15 februari 2024",
        "våren 2023",
    ]


def test_invalid_calendar_dates_are_skipped():
    assert find_dates("Beslutet 2024-02-30.") == []
    # The day is impossible, the month still stands.
    assert [(m.text, m.kind) for m in find_dates("Den 31 februari 2024.")] == [
        ("februari 2024", "month")
    ]


def seed(seeds_dir: Path, number: str) -> str:
    (path,) = seeds_dir.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def test_seed_dates(seeds_dir):
    base = D(2025, 1, 15)
    found = {
        (m.text, m.kind)
        for n in ("000", "001", "003", "004")
        for m in find_dates(seed(seeds_dir, n), base)
    }
    for expected in [
        ("budget för 2025", "budget_year"),
        ("2025 års budget", "budget_year"),
        ("budget 2025", "budget_year"),
        ("Igår", "relative"),
        ("förra veckan", "relative"),
        ("4 – 6 maj 2026", "range"),
        ("15 och 16 februari", "range"),
        ("våren 2024", "season"),
        ("år 2030", "target_year"),
        ("Första maj 2017", "absolute"),
    ]:
        assert expected in found


def test_seed_numbers_are_not_dates(seeds_dir):
    for n in ("000", "001", "002", "003", "004"):
        text = seed(seeds_dir, n)
        for m in find_dates(text, D(2025, 1, 15)):
            assert text[m.start : m.end] == m.text
            assert not re.search(r"kl|miljard|procent|%|[0-9] [0-9]{3}|[0-9]M\b", m.text), m
            assert (
                not text[m.start - 1 : m.start].isdigit() and not text[m.end : m.end + 1].isdigit()
            )


# infer_publication_date


def test_budget_year_means_the_year_before():
    v = infer_publication_date("Igår presenterades Stockholms stads budget för 2025.")
    assert (v.value, v.precision, v.provenance) == (D(2024, 1, 1), YEAR, DateProvenance.INFERRED)
    assert v.confidence == pytest.approx(0.6)


def test_budget_year_is_refined_by_a_full_date_in_that_year():
    v = infer_publication_date("Budgeten för 2025 presenterades den 14 oktober 2024.")
    assert (v.value, v.precision) == (D(2024, 10, 14), DAY)


def test_full_date_gives_day_precision():
    v = infer_publication_date("Kandidater till Europavalet den 9 juni 2024 är klara.")
    assert (v.value, v.precision) == (D(2024, 6, 9), DAY)
    assert v.confidence < 0.9


def test_latest_written_year_then_finest_precision():
    v = infer_publication_date("Sedan 2018 har det ökat. Under våren 2023 och 2023 i stort.")
    assert (v.value, v.precision) == (D(2023, 3, 1), SEASON)


def test_deadlines_do_not_count():
    assert infer_publication_date("Senast år 2030 ska staden vara klimatpositiv.") is None
    v = infer_publication_date("Sedan 2022 arbetar vi för att senast 2030 vara klara.")
    assert v.value == D(2022, 1, 1)


def test_an_election_looked_ahead_to_and_an_expiry_do_not_count():
    """QA: news items were dated 2026 by "till och med valet 2026" and "löper ut under 2026"."""
    assert infer_publication_date("Tjänsten gäller till och med valet 2026.") is None
    assert infer_publication_date("Fram till valet 2026 ska två förskolor byggas.") is None
    assert infer_publication_date("De flesta leasingavtalen löper ut under 2026.") is None
    assert infer_publication_date("Valet 2022 gav oss mandat.").value == D(2022, 1, 1)
    assert infer_publication_date("Avtalet löpte ut under 2023.").value == D(2023, 1, 1)


def test_future_mentions_after_base_are_skipped():
    text = "Valet 2022 gav oss mandat. Den 4 – 6 maj 2026 hölls mässan."
    # without a limit a range counts by its end (a text looks back on a period it names)
    assert infer_publication_date(text).value == D(2026, 5, 6)
    assert infer_publication_date(text, D(2025, 1, 1)).value == D(2022, 1, 1)


def test_a_fronted_date_with_a_forecast_verb_is_an_event_to_come():
    """QA: a news item was dated to the fair it announced ("Den 4 – 6 maj 2026 ska ... tävla")."""
    text = "Valet 2022 gav oss mandat. Den 4 – 6 maj 2026 ska lagen tävla i Malmö."
    assert infer_publication_date(text).value == D(2022, 1, 1)
    for after in (" kommer mässan", " hålls mässan", " äger rum mässan"):
        assert infer_publication_date(f"Den 4 maj 2026{after}.") is None
    assert infer_publication_date("I maj 2026 kommer beslutet.") is None
    assert infer_publication_date("Från och med hösten 2026 ska skolan ha nya lokaler.") is None
    assert infer_publication_date("Från och med den 1 juli 2026 ska lagen gälla.") is None
    # a comma parts the date from the verb: no V2 clause, the date is kept (a dateline:
    # "Uppdaterad 12 mars 2025, kommer …")
    assert infer_publication_date("Den 4 maj 2026, ska vi tävla.").value == D(2026, 5, 4)
    # a past verb after the same date still dates the text
    v = infer_publication_date("Den 4 – 6 maj 2026 tävlade lagen i Malmö.")
    assert (v.value, v.precision) == (D(2026, 5, 6), DAY)


def test_a_forecast_verb_after_a_date_inside_a_sentence_keeps_the_date():
    """QA: the after-rule fired on dates that do not open their sentence, and across a comma."""
    v = infer_publication_date(
        "Det bygglov som nämnden beviljade den 9 oktober 2025 kommer att prövas i domstol."
    )
    assert (v.value, v.precision) == (D(2025, 10, 9), DAY)
    v = infer_publication_date("Publicerad 3 februari 2025, kommer att uppdateras löpande.")
    assert (v.value, v.precision) == (D(2025, 2, 3), DAY)
    # a date after a full sentence is fronted in its own
    assert (
        infer_publication_date("Nämnden har sagt ja. Den 9 oktober 2026 ska bygget starta.") is None
    )


def test_not_before_skips_old_mentions():
    text = "Sedan 2014 har vi satsat. Valet 2022 gav oss mandat."
    assert infer_publication_date(text, not_before=D(2022, 9, 11)).value == D(2022, 1, 1)
    assert infer_publication_date("Sedan 2014 har vi satsat.", not_before=D(2022, 9, 11)) is None


def test_past_range_counts_by_its_end_when_base_is_known():
    text = "Antalet ökade mellan 2013 och 2023."
    assert infer_publication_date(text, D(2024, 6, 1)).value == D(2023, 1, 1)


def test_relative_phrases_only_as_last_resort():
    v = infer_publication_date("Igår presenterades förslaget.", D(2024, 5, 20))
    assert (v.value, v.precision) == (D(2024, 5, 19), DAY)
    assert v.confidence <= 0.5
    assert infer_publication_date("Igår presenterades förslaget.") is None
    assert infer_publication_date("Inga datum här.") is None


# parse_user_date


@pytest.mark.parametrize(
    "value, date, precision",
    [
        ("2024", D(2024, 1, 1), YEAR),
        ("2024-05", D(2024, 5, 1), MONTH),
        ("2024-05-17", D(2024, 5, 17), DAY),
        (" 2024-02-29 ", D(2024, 2, 29), DAY),
    ],
)
def test_parse_user_date(value, date, precision):
    v = parse_user_date(value)
    assert (v.value, v.precision, v.provenance, v.confidence) == (
        date,
        precision,
        DateProvenance.EXPLICIT,
        1.0,
    )


@pytest.mark.parametrize(
    "value",
    [
        "",
        "24",
        "20245",
        "2024-13",
        "2024-00",
        "2023-02-29",
        "2024-5-1",
        "2024/05/01",
        "maj 2024",
        "2024-05-17T10:00",
        "1800",
        "2024-05-",
        "１２３４",
    ],
)
def test_parse_user_date_rejects(value):
    with pytest.raises(ValidationError) as err:
        parse_user_date(value)
    assert repr(value) in str(err.value)


def test_parse_user_date_rejects_non_strings():
    with pytest.raises(ValidationError):
        parse_user_date(None)  # type: ignore[arg-type]


# properties

_TOKENS = st.sampled_from(
    [
        "15",
        "4",
        "-",
        "–",
        "och",
        "till",
        "februari",
        "feb.",
        "maj",
        "mars",
        "2024",
        "2025",
        "10",
        "000",
        "kl",
        "14:00",
        "budget",
        "för",
        "års",
        "våren",
        "vintern",
        "2023/24",
        "i",
        "går",
        "idag",
        "förra",
        "veckan",
        "år",
        "2030",
        "första",
        "3:e",
        ",",
        ".",
        "1,0",
        "senast",
        "2024-02-15",
        "mellan",
        "19",
        "2100",
        "1899",
        "31",
        "ſept",
        "İ",
        "ı",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(), st.lists(_TOKENS, max_size=12).map(" ".join)),
    base=st.one_of(st.none(), st.dates()),
)
def test_find_dates_never_raises_and_spans_point_into_text(text, base):
    mentions = find_dates(text, base)
    last_end = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end  # sorted, not overlapping
        last_end = m.end
    infer_publication_date(text, base)


# --- issue 12: a publication date, not the earliest year nor a future event -------------------


def test_a_year_range_gives_its_end_not_its_start() -> None:
    from lofte.language.dates import infer_publication_date

    got = infer_publication_date("Mellan 2013 och 2023 ökade antalet elever i kommunen.")
    assert got is not None and got.value.year == 2023
    got = infer_publication_date(
        "Mellan 2013 och 2023 ökade antalet.", not_after=dt.date(2024, 2, 1)
    )
    assert got is not None and got.value.year == 2023


def test_a_program_s_year_range_is_the_term_it_plans_for_so_its_start() -> None:
    """A 2022 program's "Kulturpolitisk reformagenda 2022-2026" dated it 2026 (QA): a text
    that looks ahead counts a range by its start; news still counts it by its end."""
    from lofte.language.dates import infer_publication_date

    text = "Kulturpolitisk reformagenda 2022-2026. Vi vill bygga fler bibliotek."
    today = dt.date(2026, 12, 1)
    program = infer_publication_date(text, not_after=today, looking_ahead=True)
    assert program is not None and program.value.year == 2022
    news = infer_publication_date(text, not_after=today)
    assert news is not None and news.value.year == 2026
    # QA: the years it promises things by are no writing time: its term's start is
    text = (
        "Valprogram för Sjövik 2022–2026\n\nVi kommer att öppna ett nytt äldreboende med 60 "
        "platser i Västerby före utgången av 2024."
    )
    program = infer_publication_date(text, not_after=today, looking_ahead=True)
    assert program is not None and program.value.year == 2022


def test_a_future_event_is_not_the_publication_date() -> None:
    from lofte.language.dates import infer_publication_date

    text = "Beslutet fattades i maj 2024. Konferensen hålls den 15 mars 2030."
    got = infer_publication_date(text, not_after=dt.date(2024, 6, 1))
    assert got is not None and (got.value, got.precision) == (dt.date(2024, 5, 1), MONTH)
    only_future = "Konferensen hålls den 15 mars 2030."
    assert infer_publication_date(only_future, not_after=dt.date(2024, 6, 1)) is None


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1950, max_value=2090),
    st.integers(min_value=1, max_value=30),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 1, 1)),
)
def test_never_after_the_fetch_and_never_the_start_of_a_past_range(
    first: int, length: int, fetched: dt.date
) -> None:
    from lofte.language.dates import infer_publication_date

    last = first + length
    text = f"Mellan {first} och {last} ändrades mycket. Nästa steg tas {last + 3}."
    got = infer_publication_date(text, not_after=fetched)
    if got is not None:
        assert got.value <= fetched
        if dt.date(last, 1, 1) <= fetched:
            assert got.value.year >= last  # the range's end (or later), never its start


def test_forecasts_do_not_count_as_the_writing_time():
    """A news item on a ground-breaking was dated to the move-in it forecasts (QA pass)."""
    text = (
        "Den 3 mars togs det första spadtaget för äldreboendet. "
        "Inflyttningen beräknas ske under hösten 2026, något senare än väntat."
    )
    assert infer_publication_date(text) is None
    v = infer_publication_date("Bygget startade i maj 2024. Det ska vara klart 2027.")
    assert (v.value, v.precision) == (D(2024, 5, 1), MONTH)
    # a past year after a forecast sentence still counts
    v = infer_publication_date("Skolan ska byggas om 2027. Beslutet togs i juni 2025.")
    assert v.value == D(2025, 6, 1)
    assert infer_publication_date("Fullmäktige ska anta budgeten för 2025.").value == D(2024, 1, 1)


# Issue 9: find_dates tries the patterns that start with a number only where a run of digits
# starts, and skips those that need `base` without one; what it finds must be what scanning the
# whole text with every pattern finds.
def _full_scan(text: str, base: dt.date | None) -> list[DateMention]:
    candidates = []
    for order, rule in enumerate(dates_module._PATTERNS):
        for m in rule.pattern.finditer(text):
            try:
                built = rule.build(m, base)
            except (ValueError, OverflowError, KeyError):
                continue
            if built is not None:
                start, end = m.span("x") if "x" in rule.pattern.groupindex else m.span()
                mention = DateMention(start, end, text[start:end], built[1], built[0], built[2])
                candidates.append((start - end, order, mention))
    taken: set[int] = set()
    chosen = []
    for _, _, c in sorted(candidates, key=lambda t: t[:2]):
        if not taken & set(range(c.start, c.end)):
            taken.update(range(c.start, c.end))
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


_DATE_PARTS = [
    "15",
    "1",
    "3:e",
    "2024",
    "1999",
    "2100",
    "24",
    "05",
    "-",
    "–",
    " ",
    "  ",
    ",",
    ".",
    ":",
    "/",
    "+",
    "mars",
    "feb.",
    "maj",
    "dec",
    "juni",
    "och",
    "till",
    "i",
    "våren",
    "år",
    "budget för",
    "budgetpropositionen",
    "års budget",
    ":s",
    "mellan",
    "första",
    "MARS",
    "År",
    "hösten",
    "sept.",
    "jul",
    "tal",
    "xår",
    "igår",
    "kl",
    "%",
    "x",
    "\n",
    "0",
    "31",
    "12",
]


@given(st.lists(st.sampled_from(_DATE_PARTS), max_size=14), st.booleans())
@settings(max_examples=500, deadline=None)
def test_find_dates_finds_what_a_full_scan_finds(parts, with_base):
    text = "".join(parts)
    base = BASE if with_base else None
    assert find_dates(text, base) == _full_scan(text, base)


def test_find_dates_on_the_demo_corpus_finds_what_a_full_scan_finds():
    corpus = Path(dates_module.__file__).parents[1] / "demo" / "corpus"
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for base in (None, BASE):
            assert find_dates(text, base) == _full_scan(text, base), path.name


def test_digit_first_patterns_match_only_where_digits_start():
    text = "".join(_DATE_PARTS) * 3 + " 3 mars 2024, 4–6 maj 2026, 2024-05-06, 2023-11 "
    for rule in dates_module._PATTERNS:
        if rule.digit_first:
            for m in rule.pattern.finditer(text):
                assert text[m.start()].isdigit() and not text[m.start() - 1 : m.start()].isdigit()


def test_word_first_patterns_match_only_where_a_start_word_or_digits_start():
    text = (
        " ".join(_DATE_PARTS) * 3 + " första maj 2020, budgeten för år 2025, mellan 2013 och 2023"
    )
    starts = {m.start() for m in dates_module._START_WORDS.finditer(text)}
    for rule in dates_module._PATTERNS:
        if rule.word_first:
            assert all(m.start() in starts for m in rule.pattern.finditer(text))


def test_patterns_that_need_a_base_are_not_run_without_one(monkeypatch):
    def refuse(m, base):
        raise AssertionError("a pattern needing base ran without one")

    rules = [
        dataclasses.replace(r, build=refuse) if r.needs_base else r for r in dates_module._PATTERNS
    ]
    assert any(r.needs_base for r in rules)
    monkeypatch.setattr(dates_module, "_PATTERNS", rules)
    assert [m.text for m in find_dates("i juni igår, den 3 mars 2024")] == ["3 mars 2024"]


@pytest.mark.parametrize(
    "start, last",
    [
        (dt.date(2024, 9, 1), dt.date(2024, 11, 30)),  # hösten: not into December (QA: 1 Dec)
        (dt.date(2024, 1, 1), dt.date(2024, 3, 31)),  # a leap year's winter: not 1 April
        (dt.date(2023, 12, 1), dt.date(2024, 2, 29)),  # across the new year
    ],
)
def test_a_season_ends_on_the_last_day_of_its_third_month(start: dt.date, last: dt.date) -> None:
    from lofte.model import DateProvenance, DateValue

    assert DateValue(start, SEASON, DateProvenance.EXPLICIT).latest() == last


def test_a_text_looking_back_on_a_budget_is_dated_by_its_later_day() -> None:
    """QA: "Stockholm den 3 november 2026. … slopades i budget 2025." was dated 2024 (the
    budget rule), and so read as written in the term it reports after. A day in the budget's
    own year keeps the rule (a 2024 text on the 2025 budget names its days in 2025)."""
    today = dt.date(2026, 12, 6)
    late = infer_publication_date(
        "Stockholm den 3 november 2026. Avgifterna slopades i budget 2025.", not_after=today
    )
    assert late is not None and (late.value, late.precision) == (dt.date(2026, 11, 3), DAY)
    ahead = infer_publication_date(
        "Kommunen antar budget för 2025. Från den 1 januari 2025 sänks avgiften.",
        not_after=today,
    )
    assert ahead is not None and (ahead.value, ahead.precision) == (dt.date(2024, 1, 1), YEAR)


@pytest.mark.parametrize(
    "title, body, day",
    [
        ("Nytt boende", "Stockholm 2026-11-02 – Nämnden beslutade om bygget.", D(2026, 11, 2)),
        ("STOCKHOLM den 3 november 2026.", "Nämnden beslutade.", D(2026, 11, 3)),
        ("Rubrik", "\n\nPublicerad: 3 nov. 2026 kl. 14.05\nNämnden beslutade.", D(2026, 11, 3)),
        ("Rubrik", "Göteborg (TT) 2 maj 2024: Nämnden beslutade.", D(2024, 5, 2)),
        ("Rubrik", "Riksdagen den 25 januari 2024.\n\nDet talade ordet gäller.", D(2024, 1, 25)),
        ("Rubrik", "2026-11-02\n\nNämnden beslutade.", D(2026, 11, 2)),  # alone on its line
        # review: a comma after the place, HTML's no-break space
        ("Rubrik", "Stockholm, 3 november 2026\nNämnden beslutade.", D(2026, 11, 3)),
        ("Rubrik", "Göteborg, 2026-11-03: Region Västra Götaland", D(2026, 11, 3)),
        ("Rubrik", "Publicerad:\u00a03 nov 2026\nText.", D(2026, 11, 3)),
        ("Rubrik", "Stockholm\u00a0den 3 november 2026\u00a0– Nämnden.", D(2026, 11, 3)),
        # a speech's place and day (regeringen.se, "Det talade ordet gäller" below it)
        ("Rubrik", "Arlanda XPO, 25 oktober 2023.\n\nDet talade ordet gäller.", D(2023, 10, 25)),
    ],
)
def test_a_dateline_says_when_the_text_was_written(title: str, body: str, day: dt.date) -> None:
    found = dates_module.dateline_date(title, body, not_after=D(2026, 12, 7))
    assert found is not None
    assert (found.value, found.precision, found.provenance) == (
        day,
        DAY,
        DateProvenance.DATELINE,
    )


@pytest.mark.parametrize(
    "title, body",
    [
        ("Rubrik", "Den 1 juni 2022 beslutade nämnden om bygget."),  # an event it tells of
        ("Rubrik", "Beslutet fattas i fullmäktige den 16 november 2026."),  # mid-sentence
        ("Första maj 2017", "Välkommen att fira!"),  # a day to celebrate, not a dateline
        ("Rubrik", "I Stockholm 2 maj 2024 – nämnden beslutade."),  # "I" is no place
        ("Rubrik", "2 maj 2024 öppnade gården."),  # a bare day with text after it
        ("Rubrik", "Stockholm i november 2026 – nämnden."),  # not a day
        ("Rubrik", "Stockholm 2027-01-02 – nämnden."),  # after the day it was fetched
        ("Rubrik", "Första stycket.\nStockholm 2026-11-02 – nämnden."),  # not its first line
        # review: the first line of a 2025 press release on Ukraine's independence day
        ("Rubrik", "Den 24 augusti 1991, då Ukraina förklarade sig självständigt, …"),
        ("Rubrik", "Den 1 juni 2022. Beslutet fattades av nämnden."),
        ("Från 1 januari 2026: höjd pension", "Text."),  # a day from which something holds
        ("Sedan 1 juli 2025: nya regler", "Text."),
        ("Rubrik", "Uppdaterad 2025-11-02"),  # a change, not the writing
        ("Verksamhetsplan 2023-01-01 – 2026-12-31", "Text."),  # a period
        ("Rubrik", "Handlingsplan 1 januari 2023 – 31 december 2026"),
        ("Rubrik", "Torsdagen den 14 mars 2024, klockan 10.00, håller ministern en pressträff."),
    ],
)
def test_what_is_no_dateline(title: str, body: str) -> None:
    assert dates_module.dateline_date(title, body, not_after=D(2026, 12, 7)) is None
