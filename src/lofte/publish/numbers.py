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


def shares(counts: dict[str, int], keys: list[str] | tuple[str, ...]) -> dict[str, float]:
    """`{% set share = meter.counts | shares(statuses) %}`: each key's share of the counts'
    sum, rounded to whole percents that add up to 100 (largest remainder: the shares rounded
    one by one showed 102 % beside "Totalt 100 %"), as fractions for `percent`. Equal counts
    show equal percents: a percent left over that would go to some of them only is not handed
    out (three thirds are 33 % each, 99 % in all; QA: 1 of 12 read 9 % beside 8 %)."""
    total = sum(counts.get(k, 0) for k in keys)
    if not total:
        return {k: 0.0 for k in keys}
    exact = {k: 100 * counts.get(k, 0) / total for k in keys}
    whole = {k: int(v) for k, v in exact.items()}
    # the largest remainders get the percents left, all keys of one count together
    tied: dict[int, list[str]] = {}
    for k in keys:
        tied.setdefault(counts.get(k, 0), []).append(k)
    left = 100 - sum(whole.values())
    for count in sorted(tied, key=lambda c: -(exact[tied[c][0]] - whole[tied[c][0]])):
        group = tied[count]
        if exact[group[0]] - whole[group[0]] <= 0 or len(group) > left:
            continue
        for k in group:
            whole[k] += 1
        left -= len(group)
    return {k: whole[k] / 100 for k in keys}
