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


def grouped(value: Any, lang: str = "sv") -> str:
    """`{{ n | count(lang) }}`: a whole count with its thousands grouped from 10,000 on, as
    each language writes it ("8942" and "12 345" with a no-break space in Swedish; "8,942"
    and "12,345" in English). Anything else is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return str(value)
    if lang == "sv":
        return f"{value:,}".replace(",", "\u00a0") if abs(value) >= 10_000 else str(value)
    return f"{value:,}"


def percent(value: float, lang: str = "sv", digits: int = 0) -> str:
    """`{{ part / whole | percent(lang) }}`: a share (1.0 is all) as a percentage, whole unless
    `digits` asks for decimals ("12,5 %" in Swedish, "12.5%" in English)."""
    number = decimal(100 * value, lang, digits) if digits else str(round(100 * value))
    return f"{number} %" if lang == "sv" else f"{number}%"


def shares(counts: dict[str, int], keys: list[str] | tuple[str, ...]) -> dict[str, float]:
    """`{% set share = meter.counts | shares(statuses) %}`: each key's share of the counts'
    sum, rounded to the nearest whole percent (a half up), as fractions for `percent`.

    Each share is right on its own, so equal counts read equal percents, and the column may
    add up to 99 or 101: the page says so (`shares_total`). Two earlier rules that forced the
    sum to 100 each showed a wrong share: largest remainder gave 1 of 12 "9 %" beside "8 %",
    and keeping ties equal then gave 2 of 6 "34 %" (QA)."""
    total = sum(counts.get(k, 0) for k in keys)
    if not total:
        return {k: 0.0 for k in keys}
    # integer arithmetic: 1 of 8 is exactly 12.5, rounded up, never a float's 12.4999
    return {k: (200 * counts.get(k, 0) + total) // (2 * total) / 100 for k in keys}


def shares_total(share: dict[str, float]) -> int:
    """What the rounded shares add up to, in whole percents (100 unless rounding moved it)."""
    return round(sum(share.values()) * 100)
