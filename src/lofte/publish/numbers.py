"""Numbers as a reader of the page's language writes them: the decimal sign ("0,84" in
Swedish, "0.84" in English) and the space before "%" ("17 %", "17%"). Shared by the web's
templates and the printed account (`report_html`), which render in separate environments.
Only for visible text: an attribute a program reads (`<meter value>`, data-*) keeps the point.
"""

from __future__ import annotations

from typing import Any


def decimal(value: Any, lang: str = "sv", digits: int | None = None) -> str:
    """`{{ x | decimal(lang, 2) }}`: a number with the language's decimal sign; `digits` rounds
    it to that many decimals. Anything that is not a number is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    text = f"{value:.{digits}f}" if digits is not None else str(value)
    return text.replace(".", ",") if lang == "sv" else text


def percent(value: float, lang: str = "sv", digits: int = 0) -> str:
    """`{{ part / whole | percent(lang) }}`: a share (1.0 is all) as a percentage, whole unless
    `digits` asks for decimals ("12,5 %" in Swedish, "12.5%" in English)."""
    number = decimal(100 * value, lang, digits) if digits else str(round(100 * value))
    return f"{number} %" if lang == "sv" else f"{number}%"
