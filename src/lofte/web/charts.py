"""The meter's charts as SVG, drawn by pygal on the server (no JavaScript needed or sent).

Pages show them as `<img>` with a text alternative and a table beside them holding the same
numbers. The SVG is served with a CSP that forbids scripts; pygal's own tooltip script (fetched
from the web by default) is switched off. Every label goes through `xml_safe`: lxml refuses
control characters (a 500) and a bidi override would reorder the chart's text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pygal
from pygal.etree import etree
from pygal.style import Style

from ..language.controls import xml_safe
from ..publish.meter import STATUS_ORDER

# Dark enough for white text (WCAG AA, at least 4.5:1) and told apart by more than hue.
STATUS_COLORS: dict[str, str] = {
    "kept": "#1b6e3a",
    "partially_kept": "#4f6d00",
    "broken": "#b01c2e",
    "in_the_works": "#1f5fa8",
    "stalled": "#8a4b00",
    "not_rated": "#595959",
    "not_checkable": "#6a3d9a",
}

Translate = Callable[[str], str]


def _style() -> Style:
    return Style(
        colors=tuple(STATUS_COLORS[s.value] for s in STATUS_ORDER),
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1b1b1b",
        foreground_strong="#1b1b1b",
        foreground_subtle="#595959",
        font_family="system-ui, sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        title_font_size=16,
        value_font_size=12,
        opacity="1",
        opacity_hover=".85",
    )


def _config(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": xml_safe(title),
        "style": _style(),
        "js": [],  # no tooltip script from the web
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 4,
        "width": 800,
        "height": 420,
        "no_data_text": "–",
        "print_values": False,
        "explicit_size": True,
        **extra,
    }


def _render(chart: Any) -> bytes:
    """The chart's SVG without the config script pygal always embeds (pages need no script)."""
    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return etree.tostring(root, encoding="utf-8")  # type: ignore[no-any-return]


def status_chart(counts: dict[str, int], t: Translate) -> bytes:
    """One bar per status, in the meter's order."""
    chart = pygal.HorizontalBar(
        **_config(t("meter_chart_title"), show_legend=False, print_values=True)
    )
    order = list(reversed(STATUS_ORDER))  # pygal draws the first label at the bottom
    chart.x_labels = [xml_safe(t(f"status_{s.value}")) for s in order]
    chart.add(
        xml_safe(t("pledges")),
        [{"value": counts.get(s.value, 0), "color": STATUS_COLORS[s.value]} for s in order],
    )
    return _render(chart)


def area_chart(by_area: Sequence[dict[str, Any]], t: Translate) -> bytes:
    """A stacked bar per policy area, one segment per status."""
    height = max(300, 120 + 34 * len(by_area))
    chart = pygal.HorizontalStackedBar(**_config(t("areas_chart_title"), height=height))
    areas = list(reversed(by_area))  # pygal draws the first label at the bottom
    chart.x_labels = [xml_safe(a["area"] or "") or t("no_area") for a in areas]
    for s in STATUS_ORDER:
        chart.add(xml_safe(t(f"status_{s.value}")), [a["counts"][s.value] for a in areas])
    return _render(chart)


def term_chart(points: Sequence[dict[str, Any]], t: Translate) -> bytes:
    """Status counts at each month end of the term, stacked."""
    chart = pygal.StackedBar(
        **_config(t("term_chart_title"), x_label_rotation=-45, show_minor_x_labels=False)
    )
    chart.x_labels = [p["date"] for p in points]
    if len(points) > 12:
        chart.x_labels_major = [p["date"] for p in points[:: max(1, len(points) // 8)]]
    for s in STATUS_ORDER:
        chart.add(xml_safe(t(f"status_{s.value}")), [p["counts"][s.value] for p in points])
    return _render(chart)
