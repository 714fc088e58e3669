"""Program-text clean-up: hyphen breaks, page furniture, whitespace; examples and properties."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lofte.language.normalize import (
    clean_line,
    collapse_whitespace,
    dehyphenate,
    furniture_key,
    hyphenated_words,
    is_page_number,
    join_hyphenated,
    join_lines,
    nfc,
    normalize_text,
    repeated_edge_lines,
    strip_page_furniture,
)

# -- hyphen breaks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("en bra utbild-", "ning för alla", "en bra utbildning för alla"),
        ("i Stockholms-", "regionen", "i Stockholmsregionen"),
        ("barn-", "och ungdomspsykiatrin", "barn- och ungdomspsykiatrin"),
        ("barn- ", "och fritidsprogram", "barn- och fritidsprogram"),
        ("vård-", "eller omsorgsyrken", "vård- eller omsorgsyrken"),
        ("enligt Sluta-", "skjut-modellen", "enligt Sluta-skjut-modellen"),
        ("fler EU-", "medborgare", "fler EU-medborgare"),
        ("under 2022-", "2026", "under 2022-2026"),
        ("för covid-", "19", "för covid-19"),
        ("den nya Öresunds-", "Bron", "den nya Öresunds-Bron"),
        ("boendesegrega\ufffe", "tionen", "boendesegregationen"),
        ("Höger\u00ad", "extrema", "Högerextrema"),
    ],
)
def test_join_hyphenated_decides_what_the_dash_was(left: str, right: str, joined: str) -> None:
    assert join_hyphenated(left, right) == joined


def test_a_hyphenated_form_seen_mid_line_is_kept_at_a_line_end() -> None:
    keep = hyphenated_words("arbetet med idéburet-offentligt partnerskap")
    assert join_hyphenated("ett idéburet-", "offentligt", keep) == "ett idéburet-offentligt"
    assert join_hyphenated("ett idéburet-", "offentligt") == "ett idéburetoffentligt"


def test_join_lines_uses_spaces_and_resolves_breaks() -> None:
    lines = ["Vi vill stärka ", "", "  utbild-", "ningen i hela", "landet."]
    assert join_lines(lines) == "Vi vill stärka utbildningen i hela landet."


def test_dehyphenate_keeps_lines_that_do_not_end_in_a_hyphen() -> None:
    text = "Vi vill\nsatsa på utbild-\nning och barn-\noch ungdomsvård.\nEn dash –\nsom står fritt."
    assert dehyphenate(text) == (
        "Vi vill\nsatsa på utbildning och barn- och ungdomsvård.\nEn dash –\nsom står fritt."
    )


def test_dehyphenate_leaves_a_final_hyphen_alone() -> None:
    assert dehyphenate("slutet av texten med barn-") == "slutet av texten med barn-"
    assert dehyphenate("barn-\n\nnästa stycke") == "barn-\n\nnästa stycke"


# -- whitespace and Unicode -------------------------------------------------------------------


def test_clean_line_normalises_spaces_invisibles_and_nfc() -> None:
    decomposed = "Fo\u0308rskola\u00a0och\u2009fritids\u200b  "
    assert clean_line(decomposed) == "Förskola och fritids"
    assert clean_line("sol\u00ad och vindkraft") == "sol- och vindkraft"
    assert clean_line("ut\u00adbildning") == "utbildning"


def test_clean_line_soft_hyphens_in_one_line_and_at_its_end() -> None:
    # the soft-hyphen rules only run on lines holding one (issue 9); all of them still apply
    assert clean_line("sol\u00ad och vind\u00adkraft\u00ad") == "sol- och vindkraft\u00ad"
    assert clean_line("  utan   mjuka bindestreck ") == "utan mjuka bindestreck"


def test_normalize_text_collapses_blank_runs_and_joins_breaks() -> None:
    text = "Rubrik\r\n\r\n\r\n\r\nVi ska ut-\r\nveckla  skolan.\r\n"
    assert normalize_text(text) == "Rubrik\n\nVi ska utveckla skolan."


# -- page furniture ---------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["7", " 12 ", "7 / 40", "sid 7", "10 11", "Sidan 3 av 17"])
def test_page_numbers(line: str) -> None:
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["7 procent", "2022 års val", "Kapitel 3", "år 2030."])
def test_not_page_numbers(line: str) -> None:
    assert not is_page_number(line)


def test_repeated_headers_and_numbers_are_stripped() -> None:
    pages = [
        ["Valplattform 2022", f"Text på sida {n} som är unik.", "Samma mening mitt på.", str(n)]
        for n in range(1, 6)
    ]
    kept, removed = strip_page_furniture(pages, edge=1)
    assert kept == [
        [f"Text på sida {n} som är unik.", "Samma mening mitt på."] for n in range(1, 6)
    ]
    assert removed.count("Valplattform 2022") == 5 and "3" in removed


def test_two_pages_are_too_few_to_call_a_repeat_furniture() -> None:
    assert repeated_edge_lines([["Rubrik", "a"], ["Rubrik", "b"]]) == frozenset()


def test_furniture_key_masks_numbers() -> None:
    assert furniture_key("Valmanifest 2022 · 7") == furniture_key("Valmanifest  2022 · 8")


# -- properties -------------------------------------------------------------------------------

_LETTERS = "abcdeåäöABCÅÄÖ"
words = st.text(alphabet=_LETTERS, min_size=1, max_size=8)
word_lines = st.lists(
    st.builds(
        lambda ws, dash: " ".join(ws) + ("-" if dash else ""),
        st.lists(words, min_size=1, max_size=6),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
)
any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x3000), max_size=200
)


def _letters(text: str) -> str:
    """Everything but whitespace and hyphens: what de-hyphenation may never change."""
    return re.sub(r"[\s\-\u00ad\u2010\ufffe]", "", text)


@given(word_lines)
def test_dehyphenate_loses_nothing_but_hyphens_and_breaks(lines: list[str]) -> None:
    text = "\n".join(lines)
    out = dehyphenate(text)
    assert _letters(out) == _letters(text)
    assert out.count("\n") <= text.count("\n")


@given(word_lines)
def test_dehyphenate_is_idempotent(lines: list[str]) -> None:
    once = dehyphenate("\n".join(lines))
    assert dehyphenate(once) == once


@given(word_lines)
def test_join_lines_loses_nothing_but_hyphens_and_spaces(lines: list[str]) -> None:
    joined = join_lines(lines)
    assert "\n" not in joined
    assert _letters(joined) == _letters("".join(lines))


@given(any_text)
def test_clean_line_is_idempotent_and_nfc(text: str) -> None:
    line = text.replace("\n", " ").replace("\r", " ")
    once = clean_line(line)
    assert clean_line(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "  " not in once and once == once.strip()


@given(any_text)
@example("\u033d\x1f\u08e9")  # marks reordered by NFC once the control character between goes
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(any_text)
def test_nfc_and_collapse_are_idempotent(text: str) -> None:
    assert nfc(nfc(text)) == nfc(text)
    assert collapse_whitespace(collapse_whitespace(text)) == collapse_whitespace(text)
