"""The conditional attribute reads "om" as a condition on the pledge only: not the person a
service is for ("… korta väntetiderna om man ringer 1177", QA of the 2022 manifestos), not a
purpose ("… måste minska om vi ska klara klimatmålen"), not "ringer om" ("calls about").

Both readings are tested: the real conditions next to their look-alikes. Fictional texts.
"""

from __future__ import annotations

import time

import pytest

from lofte.pipeline.attributes import is_conditional, pledge_attributes


@pytest.mark.parametrize(
    "text",
    [
        # the person a service or a right is for
        "Vi vill korta väntetiderna om man ringer vårdcentralen och bygga ut chatten.",
        "Vi vill att man ska få svar inom en timme om man ringer kommunens kundtjänst.",
        "Vi ska ge besked inom en vecka om man söker bygglov i Sjövik.",
        "Om man blir sjuk ska man få träffa en läkare inom tre dagar.",
        "Vi vill att du ska få hjälp inom en dag om du ringer socialtjänsten.",
        "Om du blir sjuk ska du få en fast läkarkontakt.",
        # "om" as "about" after a verb of asking, calling or applying
        "Vi vill att den som ringer om det ska få svar inom en timme.",
        "Den som ansöker om bostadstillägg ska få besked inom två veckor.",
        "Alla som ringer om de har blivit utsatta för brott ska få svar direkt.",
        # a purpose, not a condition
        "Utsläppen från trafiken måste minska om vi ska klara klimatmålen.",
        "Alla behövs om det ska lyckas.",
    ],
)
def test_om_that_is_no_condition_on_the_pledge(text: str) -> None:
    assert not is_conditional(text)
    assert pledge_attributes(text)["conditional"] is False


@pytest.mark.parametrize(
    "text",
    [
        "Om vi får makten ska vi sänka skatten för pensionärer.",
        "Vi sänker skatten om vi vinner valet.",
        "Om du röstar på oss sänker vi skatten.",
        "Om ekonomin tillåter ska vi höja pensionerna.",
        "Vi ska höja pensionerna om det finns utrymme i budgeten.",
        "Om det ska byggas kärnkraft, ska staten ta risken.",
        "Om regionen inte klarar vårdgarantin ska vården erbjudas i en annan region.",
        "Vi ska ge stöd när du blir sjuk eller om det inte finns jobb.",
    ],
)
def test_real_conditions_stay_conditions(text: str) -> None:
    assert is_conditional(text)
    assert pledge_attributes(text)["conditional"] is True


def test_many_generic_oms_stay_linear() -> None:
    """Each "om du" looks at a bounded window around it, not the whole text."""

    def run(n: int) -> float:
        text = "Vi ska ge stöd om du ringer. " * n
        began = time.perf_counter()
        is_conditional(text)
        return time.perf_counter() - began

    small, large = run(500), run(4000)
    assert large < 20 * small + 0.5
