"""The meter's charts as SVG: drawn in publish/charts.py (the final account draws them too)."""

from __future__ import annotations

from ..publish.charts import (
    AREA_BAR,
    AREA_LABEL_CHARS,
    AREA_LABEL_WIDTH,
    AREA_LINE,
    AREA_WIDTH,
    STATUS_COLORS,
    Translate,
    area_chart,
    stacked_chart,
    status_chart,
    term_chart,
    wrap_label,
)

__all__ = [
    "AREA_BAR",
    "AREA_LABEL_CHARS",
    "AREA_LABEL_WIDTH",
    "AREA_LINE",
    "AREA_WIDTH",
    "STATUS_COLORS",
    "Translate",
    "area_chart",
    "stacked_chart",
    "status_chart",
    "term_chart",
    "wrap_label",
]
