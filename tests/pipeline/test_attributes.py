"""Pledge attributes: type, quantity, deadline, conditional, checkable (fictional sentences)."""

from __future__ import annotations

import pytest

from lofte.pipeline.attributes import commitment_type, pledge_attributes, starts_with_verb


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("Vår målsättning är att bygga 100 000 nya arbetsplatser till år 2030.",
         "100 000 nya arbetsplatser"),
        ("Skydda 25 procent av Sjöviks skogar.", "25 procent"),
        ("Minst två skolor i varje stadsdel ska ha öppna lokaler.", "Minst två skolor"),
        ("Anslagen ska öka med 3,5 miljarder kronor.", "3,5 miljarder"),
        ("Det ska finnas minst en förskollärare i varje grupp.", "minst en förskollärare"),
        ("Varje förälder ska ta ut en tredjedel av dagarna.", "en tredjedel"),
        ("Bygga ut antalet praktikplatser med 30 000", None),  # a bare number counts nothing
        ("Införa avgiftsfria resor, senast år 2026.", None),  # a year is not an amount
        ("Förenkla 3:12-reglerna och stoppa covid-19-bedrägerier.", None),
        ("Öka stödet till föreningslivet.", None),
    ],
)
def test_quantity(text: str, quantity: str | None) -> None:
    assert pledge_attributes(text)["quantity"] == quantity


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("Bygga 100 000 nya arbetsplatser till år 2030.", "till år 2030"),
        ("Den som vill ha stöd ska få kontakt inom 24 timmar.", "inom 24 timmar"),
        ("Unga ska få en första kontakt snabbt, och senast inom en månad.",
         "senast inom en månad"),
        ("Införa ett skattestopp under mandatperioden.", "under mandatperioden"),
        ("Införa ett skattestopp under den kommande mandatperioden.",
         "under den kommande mandatperioden"),
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
    for text in ("Alla barn ska ha en plats.", "Nya skolor behövs.", "Hela staden växer.",
                 "Flera kommuner deltar.", "Unga ska få jobb."):
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
    assert pledge_attributes("") == {
        "type": None, "quantity": None, "deadline": None, "conditional": False, "checkable": False,
    }
