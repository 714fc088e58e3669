"""Pledge attributes: type, quantity, deadline, conditional, checkable (fictional sentences)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lofte.language.segment import split_sentences
from lofte.pipeline.attributes import (
    Term,
    commitment_type,
    describes,
    is_conditional,
    pledge_attributes,
    pledge_sentences,
    starts_with_verb,
)


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        (
            "Vår målsättning är att bygga 100 000 nya arbetsplatser till år 2030.",
            "100 000 nya arbetsplatser",
        ),
        ("Skydda 25 procent av Sjöviks skogar.", "25 procent"),
        ("Minst två skolor i varje stadsdel ska ha öppna lokaler.", "Minst två skolor"),
        ("Anslagen ska öka med 3,5 miljarder kronor.", "3,5 miljarder kronor"),
        ("Det ska finnas minst en förskollärare i varje grupp.", "minst en förskollärare"),
        ("Varje förälder ska ta ut en tredjedel av dagarna.", "en tredjedel"),
        ("Bygga ut antalet praktikplatser med 30 000", None),  # a bare number counts nothing
        ("Införa avgiftsfria resor, senast år 2026.", None),  # a year is not an amount
        ("Förenkla 3:12-reglerna och stoppa covid-19-bedrägerier.", None),
        ("Öka stödet till föreningslivet.", None),
        # QA: a word that opens the time limit is not part of what is counted
        ("Vi ska bygga 500 nya förskoleplatser före år 2025.", "500 nya förskoleplatser"),
        ("Vi ska bygga 500 nya förskoleplatser innan 2026.", "500 nya förskoleplatser"),
        ("Vi ska bygga 500 nya förskoleplatser fram till 2030.", "500 nya förskoleplatser"),
        ("Vi ska anställa 500 poliser tills 2026.", "500 poliser"),
        ("Vi ska anställa 500 poliser före utgången av 2026.", "500 poliser"),
        ("Vi ska anställa 500 poliser nästa år.", "500 poliser"),
        ("Vi ska anställa 500 poliser denna mandatperiod.", "500 poliser"),
        ("Vi ska anställa 500 poliser omgående.", "500 poliser"),
        ("Vi ska anställa 500 poliser fr.o.m. 2024.", "500 poliser"),
        ("Vi ska anställa 500 poliser senast 2025.", "500 poliser"),
        ("Vi ska anställa 500 poliser inom fyra år.", "500 poliser"),
        ("Vi ska anställa 500 poliser under mandatperioden.", "500 poliser"),
        # no time limit found, the words still open one
        ("Vi ska bygga 500 platser innan valet.", "500 platser"),
        ("Vi ska anställa 300 nya poliser varje år.", "300 nya poliser"),
        ("Vi ska anställa 500 poliser mellan 2023 och 2026.", "500 poliser"),
    ],
)
def test_quantity(text: str, quantity: str | None) -> None:
    assert pledge_attributes(text)["quantity"] == quantity


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("Bygga 100 000 nya arbetsplatser till år 2030.", "till år 2030"),
        ("Den som vill ha stöd ska få kontakt inom 24 timmar.", "inom 24 timmar"),
        ("Unga ska få en första kontakt snabbt, och senast inom en månad.", "senast inom en månad"),
        ("Införa ett skattestopp under mandatperioden.", "under mandatperioden"),
        (
            "Införa ett skattestopp under den kommande mandatperioden.",
            "under den kommande mandatperioden",
        ),
        ("Sjövik ska inte ha några utsatta områden år 2030.", "år 2030"),
        ("Bara fossilfria bilar ska säljas från 2025.", "från 2025"),
        ("Vi ska omgående sänka avgiften.", "omgående"),
        ("Unga ska ha arbete inom 90 dagar, och det omgående.", "inom 90 dagar"),
        ("Öka stödet till föreningslivet.", None),
        ("Kulturpolitisk reformagenda 2022-2026", None),
    ],
)
def test_deadline(text: str, deadline: str | None) -> None:
    assert pledge_attributes(text)["deadline"] == deadline


@pytest.mark.parametrize(
    ("text", "conditional"),
    [
        ("Om en region inte uppfyller vårdgarantin ska vård erbjudas i en annan region.", True),
        ("Vi sänker skatten, om ekonomin tillåter det.", True),
        ("Ifall hyrorna stiger ska bostadsbidraget höjas.", True),
        ("Vi bygger hallen förutsatt att staten bidrar.", True),
        ("Utbyggnaden sker under förutsättning att regionen betalar.", True),
        ("Vi höjer lönerna om vi får förtroendet att styra.", True),
        ("Tillsätta en utredning om hur nämnderna kan stärka demokratin.", False),
        ("Försöket ska utvärderas för att se om det är en modell för hela staden.", False),
        ("Öka stödet till föreningslivet.", False),
    ],
)
def test_conditional(text: str, conditional: bool) -> None:
    assert pledge_attributes(text)["conditional"] is conditional


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Öka stödet till samlingslokaler.", "action"),
        ("Införa en fast läkarkontakt.", "action"),
        ("Bygga fler hyresrätter med rimliga hyror.", "action"),
        ("Sänk skatten för pensionärer.", "action"),  # imperative
        ("Aktivt arbeta med nyföretagande i alla stadsdelar.", "action"),
        ("Kraftigt öka antalet poliser.", "action"),
        ("I samarbete med civilsamhället utföra uppsökande verksamhet.", "action"),
        ("Återinföra möjligheten att delta på skoltid.", "action"),
        ("Vi vill förbjuda vinstuttag i skolan.", "action"),
        ("Därför vill vi bygga ut vården.", "action"),
        ("Mer långsiktiga verksamhetsstöd ska införas.", "action"),
        ("En ny garanti införs så att unga får jobb.", "action"),
        ("Staden ska bygga äldreboenden i egen regi.", "action"),
        ("Personaltätheten i förskolan ska öka.", "outcome"),
        ("Ungdomsarbetslösheten ska halveras.", "outcome"),
        ("Alla ska kunna ta sig till en samlingslokal på 15 minuter.", "outcome"),
        ("Vår målsättning är att ingen ung dras in i kriminalitet.", "outcome"),
        ("Vi vill att fler ska kunna arbeta heltid.", "outcome"),
        ("Polisen samarbetar med flera andra myndigheter.", None),
        ("Det innebär att stadsdelen hjälper företag att etablera sig.", None),
        ("Att socialtjänsten stärks är centralt.", None),
        ("För det krävs mer resurser.", None),
        ("Alla stadsdelar i Sjövik.", None),
    ],
)
def test_type(text: str, kind: str | None) -> None:
    assert pledge_attributes(text)["type"] == kind
    assert commitment_type(text) == kind


def test_verb_openings_are_not_fooled_by_adjectives_and_pronouns() -> None:
    for text in (
        "Alla barn ska ha en plats.",
        "Nya skolor behövs.",
        "Hela staden växer.",
        "Flera kommuner deltar.",
        "Unga ska få jobb.",
    ):
        assert starts_with_verb(text) is None, text
    assert starts_with_verb("Storsatsa på solceller.") == "storsatsa"
    assert starts_with_verb("Avgiftsbefria fritidsklubbarna.") == "avgiftsbefria"
    assert starts_with_verb("Prioritera vården.") == "prioritera"


@pytest.mark.parametrize(
    ("text", "checkable"),
    [
        ("en stad som håller ihop", False),
        ("ett tryggare Stockholm", False),
        ("Verka för ett tryggare Sjövik.", False),
        ("Sjövik ska vara en stad som håller ihop.", False),
        ("Arbeta för ett bättre Sverige för alla.", False),
        ("Införa gratis resor för barn under 12 år.", True),
        ("Stärka arbetet mot mäns våld mot kvinnor.", True),
        ("Verka för att återinföra kulturskolan på skoltid.", True),
        ("Personaltätheten i förskolan ska öka.", True),
        ("Sjövik ska bli tryggare till år 2030.", True),  # a deadline makes it measurable
        ("Ett tryggare Sjövik med 200 fler poliser.", True),
    ],
)
def test_checkable(text: str, checkable: bool) -> None:
    assert pledge_attributes(text)["checkable"] is checkable


def test_all_keys_are_always_present() -> None:
    expected = {
        "type": None,
        "quantity": None,
        "deadline": None,
        "deadline_year": None,
        "conditional": False,
        "checkable": False,
    }
    assert pledge_attributes("") == expected
    assert pledge_attributes("", Term.after_election(2022)) == expected


# -- the term and deadlines resolved against it (issue 10) -------------------------------------

TERM = Term.after_election(2022)


def test_term_after_an_election() -> None:
    assert Term(2022, date(2022, 10, 1), date(2026, 9, 30)) == TERM
    assert Term.after_election(2026).end == date(2030, 9, 30)
    assert Term.after_election(1991).end.year == 1994  # three-year terms before 1994
    with pytest.raises(ValueError):
        Term.after_election(22)


@pytest.mark.parametrize(
    ("text", "deadline", "year"),
    [
        (
            "Vi ska under nästa mandatperiod bygga tre nya simhallar.",
            "under nästa mandatperiod",
            2026,
        ),
        ("Införa fri kollektivtrafik för unga under mandatperioden.", "under mandatperioden", 2026),
        (
            "Alla skolor i Sjövik ska få en bibliotekarie under kommande mandatperiod.",
            "under kommande mandatperiod",
            2026,
        ),
        ("Avgiften ska tas bort denna mandatperiod.", "denna mandatperiod", 2026),
        # QA: "vid mandatperiodens slut" gave no deadline (the pledge was never due)
        (
            "Barngrupperna ska ha högst 18 barn vid mandatperiodens slut.",
            "vid mandatperiodens slut",
            2026,
        ),
        (
            "Bron ska vara klar före denna mandatperiods utgång.",
            "före denna mandatperiods utgång",
            2026,
        ),
        (
            "Vi vill avskaffa köerna med start nästa mandatperiod.",
            "med start nästa mandatperiod",
            2026,
        ),
        ("Bussarna i Sjövik ska vara eldrivna redan 2025.", "redan 2025", 2025),
        ("Stödet ska fördubblas redan år 2024.", "redan år 2024", 2024),
        ("Sjövik ska vara fossilfritt senast 2030.", "senast 2030", 2030),
        ("Vi vill halvera köerna till 2030.", "till 2030", 2030),
        ("År 2030 ska ingen elev lämna skolan utan behörighet.", "År 2030", 2030),
        ("Bygga den nya bron före 2028.", "före 2028", 2028),
        # a season, a school term or a month of the year (QA: no deadline at all)
        ("Servera frukost senast höstterminen 2023.", "senast höstterminen 2023", 2023),
        ("Öppna simhallen senast hösten 2025.", "senast hösten 2025", 2025),
        ("Bygga bostäder till våren 2024.", "till våren 2024", 2024),
        ("Bygga bostäder senast i december 2024.", "senast i december 2024", 2024),
        ("Sverige ska vara klimatneutralt inom tio år.", "inom tio år", 2032),
        ("Vi ska halvera arbetslösheten inom fem år.", "inom fem år", 2027),
        ("Vi ska bygga om stationen inom 2 år.", "inom 2 år", 2024),
        ("Alla hyresrätter ska renoveras till nästa val.", "till nästa val", 2026),
        ("Vi vill dubbla stödet under de kommande fyra åren.", "under de kommande fyra åren", 2026),
        ("Vi ska sänka avgiften nästa år.", "nästa år", 2023),
        ("Den som söker stöd ska få svar inom 24 timmar.", "inom 24 timmar", None),
        ("Vi ska omgående sänka avgiften.", "omgående", None),
    ],
)
def test_deadline_resolved_against_the_term(text: str, deadline: str, year: int | None) -> None:
    attributes = pledge_attributes(text, TERM)
    assert (attributes["deadline"], attributes["deadline_year"]) == (deadline, year)


def test_without_a_term_relative_deadlines_keep_their_words_but_no_year() -> None:
    relative = pledge_attributes("Vi ska under nästa mandatperiod bygga tre simhallar.")
    assert (relative["deadline"], relative["deadline_year"]) == ("under nästa mandatperiod", None)
    span = pledge_attributes("Sverige ska vara klimatneutralt inom tio år.")
    assert (span["deadline"], span["deadline_year"]) == ("inom tio år", None)
    absolute = pledge_attributes("Bussarna i Sjövik ska vara eldrivna redan 2025.")
    assert (absolute["deadline"], absolute["deadline_year"]) == ("redan 2025", 2025)


def test_a_year_before_the_election_is_no_deadline_with_a_term() -> None:
    text = "Vi ska höja stödet från år 2018 till år 2030."
    assert pledge_attributes(text)["deadline"] == "från år 2018"  # no term: no past known
    assert pledge_attributes(text, TERM)["deadline"] == "till år 2030"
    assert pledge_attributes(text, TERM)["deadline_year"] == 2030


def test_ska_omedelbart_kunna_is_a_power_not_a_deadline() -> None:
    assert pledge_attributes("Rektorn ska omedelbart kunna stänga av en elev.")["deadline"] is None


# -- amounts only from the pledge sentences ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("Biståndet ska vara en procent av BNI.", "en procent av BNI"),
        ("Vi vill att biståndet ligger på 0,7 procent av BNP.", "0,7 procent av BNP"),
        ("Försvaret ska få 3 procent av BNP.", "3 procent av BNP"),
        (
            "Vi vill höja anslaget till motsvarande två procent av BNP.",
            "motsvarande två procent av BNP",
        ),
        ("Vi ska satsa 10 miljarder kronor på järnvägen.", "10 miljarder kronor"),
        ("Vi ska satsa tio miljarder kronor per år på vården.", "tio miljarder kronor per år"),
        ("Varje nyblivet par ska få 100 000 kronor i startbidrag.", "100 000 kronor"),
        ("Polisen ska bli 33 000 poliser.", "33 000 poliser"),
        ("Skapa 10 000 fler platser i förskolan.", "10 000 fler platser"),
        ("Vi ska sänka skatten med en procent.", "en procent"),
        (
            "Skärpa straffet från dagens två års fängelse till fyra års fängelse.",
            "fyra års fängelse",
        ),
        ("Slopa rabatten för den som fyllt 21 år.", None),  # an age is the scope here
        ("Införa ett nytt prov i årskurs nio.", None),  # a label, not a count
        ("Skydda en skog i varje kommun.", None),  # an article, not an amount
        ("Vi ska stärka kontrollen av samtycke till sex.", None),
    ],
)
def test_amounts(text: str, quantity: str | None) -> None:
    assert pledge_attributes(text, TERM)["quantity"] == quantity


def test_descriptions_lend_no_amount() -> None:
    # a description alone, and a pledge wrapped in descriptions: amounts and deadlines only
    # from the sentence that commits
    described = pledge_attributes("Elpriserna steg med över 500 procent förra vintern.")
    assert described["quantity"] is None
    assert pledge_attributes("År 2019 lämnade 4 000 elever skolan utan betyg.")["deadline"] is None
    text = (
        "Sänk elpriset. Elpriserna steg med över 500 procent under 2021. "
        "Vi vill sänka elskatten med 20 öre per kilowattimme senast 2024."
    )
    attributes = pledge_attributes(text, TERM)
    assert attributes["quantity"] == "20 öre"
    assert (attributes["deadline"], attributes["deadline_year"]) == ("senast 2024", 2024)
    rhetoric_only = "Det är dyrt att leva. Hyrorna har stigit med 30 procent sedan 2015."
    assert pledge_attributes(rhetoric_only)["quantity"] is None
    assert pledge_attributes(rhetoric_only)["deadline"] is None


def test_verbless_items_keep_their_amounts() -> None:
    assert pledge_attributes("10 000 fler poliser")["quantity"] == "10 000 fler poliser"
    assert pledge_attributes("Gratis busskort för 5 000 pensionärer.")["quantity"] == (
        "5 000 pensionärer"
    )
    assert not describes("Ett tryggare Sjövik med 200 fler poliser.")
    assert describes("Elpriserna steg med över 500 procent.")


def test_pledge_sentences_skip_descriptions_sources_and_tables() -> None:
    text = (
        "Sjövik växer. Vi ska bygga 2 000 bostäder. Källa: SCB 2021. + 3 000 kr/år "
        "För pengarna hade 300 lärare kunnat anställas."
    )
    kept = [text[s:e] for s, e in pledge_sentences(text)]
    assert kept == ["Vi ska bygga 2 000 bostäder."]


# -- conditions only for real conditionals -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Om kommunen inte klarar målet, ska staten ta över ansvaret.",
        "Vi bygger en ny sporthall i den mån pengarna räcker.",
        "Avgiften ska sänkas, såvida inte regionen höjer sin.",
        "Vi vill utöka stödet ifall fler ansöker.",
        "Vi bygger hallen förutsatt att regionen bidrar.",
        "Vi inför läxhjälp under förutsättning att skolorna vill.",
        "Vi ska, om möjligt, öppna biblioteket på söndagar.",
        "Vi ska ge stöd när du blir sjuk eller om det inte finns jobb.",
        "Skolan ska anställa kuratorer – om elevhälsan inte räcker till ska kommunen betala.",
    ],
)
def test_real_conditionals(text: str) -> None:
    assert is_conditional(text)
    assert pledge_attributes(text, TERM)["conditional"] is True


@pytest.mark.parametrize(
    "text",
    [
        "Alla ska ha rätt till vård oavsett om de bor i stan eller på landet.",
        "Vi ska sänka skatten även om det kostar.",
        "Vårt program handlar om klimatet.",
        "Om klimatet",
        "Skolan ska ge information om klimatet.",
        "Kommunen ska fatta beslut om nya bussar.",
        "Vi ska ta ansvar om vården.",
        "Vi vill ta hand om varandra.",
        "Vi vill ställa om energisystemet.",
        "Vi ska slå vakt om din rätt att välja skola.",
        "Fler ska få kunskap om samtycke och om våld i nära relationer.",
        "Vi ska bygga en ny skola om två år.",
        "Vi höjer bidraget med 500 kronor om året.",
        "Vi ska utreda om taxan kan sänkas.",
        "Frågan är om vi ska bygga mer.",
        "Det ska inte spela någon roll om du bor i stan.",
        "Vi vill veta ifall taxan kan sänkas.",
        "Skolan ska berätta om det som hänt.",
    ],
)
def test_not_conditionals(text: str) -> None:
    assert not is_conditional(text)
    assert pledge_attributes(text, TERM)["conditional"] is False


def test_a_condition_in_a_description_does_not_make_the_pledge_conditional() -> None:
    text = (
        "Om fler jobbade skulle kommunen spara 2 miljoner kronor. "
        "Vi vill därför införa en jobbgaranti."
    )
    assert pledge_attributes(text, TERM)["conditional"] is False
    assert pledge_attributes(text, TERM)["quantity"] is None


# -- the real 2022 manifestos (read at run time, never copied) ---------------------------------


@pytest.fixture(scope="module")
def manifesto_texts(shared_dir: Path) -> dict[str, tuple[str, list[str]]]:
    """Per manifesto: its body and the quotes of its extracted candidates."""
    from lofte.pipeline.extract import extract_pledges
    from lofte.sources.pdf import parse_pdf

    folder = shared_dir / "data" / "manifestos-2022"
    out = {}
    for pdf in sorted(folder.glob("*.pdf")):
        doc = parse_pdf(pdf.read_bytes(), pdf.name)
        out[pdf.name] = (doc.body, [c.quote for c in extract_pledges(doc)])
    assert len(out) == 4
    return out


def _commits(sentence: str) -> bool:
    return commitment_type(sentence) is not None or not describes(sentence)


def test_manifesto_attributes_come_from_commitments(
    manifesto_texts: dict[str, tuple[str, list[str]]],
) -> None:
    amounts = years = 0
    for name, (_, quotes) in manifesto_texts.items():
        for quote in quotes:
            attributes = pledge_attributes(quote, TERM)
            sentences = [quote[s:e] for s, e in split_sentences(quote)]
            for key in ("quantity", "deadline"):
                if attributes[key]:
                    assert any(attributes[key] in s and _commits(s) for s in sentences), (
                        name,
                        key,
                        quote,
                    )
            if attributes["conditional"]:
                assert any(is_conditional(s) and _commits(s) for s in sentences), (name, quote)
            year = attributes["deadline_year"]
            if year is not None:
                assert TERM.election_year <= year <= TERM.election_year + 30, (name, quote)
                years += 1
            if attributes["deadline"] and "mandatperiod" in attributes["deadline"]:
                assert year == TERM.end.year, (name, quote)
            amounts += attributes["quantity"] is not None
    # measured with the extractor of this commit: 23 amounts, 13 deadline years
    assert amounts >= 12 and years >= 8, (amounts, years)


def test_manifesto_sentences_with_oavsett_om_are_no_conditions(
    manifesto_texts: dict[str, tuple[str, list[str]]],
) -> None:
    import re

    checked = 0
    for body, _ in manifesto_texts.values():
        for s, e in split_sentences(body):
            sentence = body[s:e]
            oms = re.findall(r"(\w+)\s+om\b", sentence, re.IGNORECASE)
            if (
                oms
                and all(w.lower() in ("oavsett", "även", "handlar") for w in oms)
                and not (
                    sentence.lower().startswith("om ")
                    or re.search(r"ifall|förutsatt|förutsättning|såvida|i den mån", sentence, re.I)
                )
            ):
                checked += 1
                assert not is_conditional(sentence), sentence
    assert checked >= 5, checked
