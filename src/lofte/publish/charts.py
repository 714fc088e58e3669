"""The meter's charts as SVG, drawn by pygal on the server (no JavaScript needed or sent).

They live in publish/ because the web pages and the final account (report.py) both draw them;
`web/charts.py` re-exports them. Pages show them as `<img>` with a text alternative and a table
beside them holding the same numbers. The SVG is served with a CSP that forbids scripts;
pygal's own tooltip script (fetched from the web by default) is switched off. Every label goes
through `xml_safe`: lxml refuses control characters (a 500) and a bidi override would reorder
the chart's text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import lxml.etree
import pygal  # type: ignore[import-untyped]
from pygal.etree import etree  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

from ..language.controls import xml_safe
from .meter import STATUS_ORDER

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

# Each chart comes in two widths. An <img> scales its SVG to the column: the wide one on a
# phone (343 px of a 375 px screen) would draw its 13 px labels 5-6 px tall, so phones get
# the narrow one, drawn for about their width with the same font sizes (pages pick by CSS).
# The narrow one is as wide as the smallest phone's column (320 px less the page's 2 x 16 px
# padding), so it is never scaled down: drawn 360 wide, a 320 px screen showed its 12 px
# values 9.6 px tall (QA). Wider phones scale it up.
WIDE_WIDTH = 800
NARROW_WIDTH = 288
VALUE_FONT_SIZE = 12  # px, the values printed beside the status chart's bars
CHART_HEIGHT = 420
NARROW_TERM_HEIGHT = 540  # the narrow term chart's legend: a line per status, under the plot


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
        value_font_size=VALUE_FONT_SIZE,
        opacity="1",
        opacity_hover=".85",
    )


def _config(title: str, narrow: bool = False, **extra: Any) -> dict[str, Any]:
    return {
        "title": xml_safe(title),
        "style": _style(),
        "js": [],  # no tooltip script from the web
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        # a phone's legend in one column: in two, "Delvis uppfyllt" ran past the 288 px edge
        "legend_at_bottom_columns": 1 if narrow else 4,
        "truncate_legend": -1,  # a status name cut to "Delvis uppfyl…" is no key
        "width": NARROW_WIDTH if narrow else WIDE_WIDTH,
        "height": CHART_HEIGHT,
        "no_data_text": "–",
        "print_values": False,
        "explicit_size": True,
        **extra,
    }


def _count_axis(largest: int, headroom: bool = False, ticks: int = 6) -> dict[str, Any]:
    """Whole-number ticks for an axis of pledge counts (pygal's own ran 0, 0.2 … 1.8), about
    `ticks` of them. `headroom`: the last tick beyond the largest count, so that a value
    printed after the longest bar still fits inside the drawing."""
    step = next(
        s
        for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 10**9)
        if largest <= ticks * s
    )
    return {
        "y_labels": list(range(0, max(largest, 1) + step + int(headroom), step)),
        "value_formatter": lambda v: f"{v:.0f}",
    }


_DROPPED = {"script", "desc"}


def _render(chart: Any, values_after_bars: bool = False) -> bytes:
    """The chart's SVG without the config script pygal always embeds (pages need no script),
    and the same bytes for the same chart: pygal names each drawing with a random uuid4 (the
    root's id, every CSS rule) and stamps it with today's date in a comment, so a static site
    or a final account published twice from the same data would differ in every chart. The
    comments go, and the id becomes a hash of the drawing itself."""
    root = chart.render_tree()
    if values_after_bars:
        _values_after_bars(root)
    for parent in list(root.iter()):
        for child in list(parent):
            # a comment or processing instruction (not a str tag), the script, and the
            # tooltips' texts: with no script they never show, and the term chart's 1,372 of
            # them were most of its 129 KB on a phone (QA)
            if not isinstance(child.tag, str) or child.tag.rsplit("}", 1)[-1] in _DROPPED:
                parent.remove(child)
    svg: bytes = etree.tostring(root, encoding="utf-8")
    random_id = str(chart.uuid).encode("ascii")
    stable_id = hashlib.sha256(svg.replace(random_id, b"")).hexdigest()[:32].encode("ascii")
    return svg.replace(random_id, stable_id)


VALUE_GAP = 4  # px between a bar's end and its printed value


def _values_after_bars(root: Any) -> None:
    """Each printed value starts just after its bar's end, on the white background. pygal
    centres it just after the end (`print_values_position="top"`), where a number of three
    digits ran into the bar; its default, the bar's middle, drew black digits on the dark
    status colours at about 3.3:1 (WCAG asks 4.5:1) and on nothing at all for a zero. pygal's
    own offset after the end is half the value's font size."""
    for text in root.iter("{*}text"):
        if "value" in (text.get("class") or "").split():
            text.set("text-anchor", "start")
            text.set("x", f"{float(text.get('x')) - VALUE_FONT_SIZE / 2 + VALUE_GAP:.2f}")


def status_chart(counts: dict[str, int], t: Translate, *, narrow: bool = False) -> bytes:
    """One bar per status, in the meter's order."""
    if narrow:
        # on a phone each status's name above its bar (`stacked_chart`'s phone layout): beside
        # the names, 288 px left the bars a 74 px plot
        rows = [
            (
                t(f"status_{s.value}"),
                {o.value: counts.get(s.value, 0) * (o is s) for o in STATUS_ORDER},
            )
            for s in STATUS_ORDER
        ]
        return stacked_chart(rows, t("meter_chart_title"), t, narrow=True, legend=False)
    chart = pygal.HorizontalBar(
        **_config(
            t("meter_chart_title"),
            show_legend=False,
            print_values=True,
            print_values_position="top",  # after the bar's end (moved by `_values_after_bars`)
            **_count_axis(max(counts.values(), default=0), headroom=True),
        )
    )
    order = list(reversed(STATUS_ORDER))  # pygal draws the first label at the bottom
    chart.x_labels = [xml_safe(t(f"status_{s.value}")) for s in order]
    chart.add(
        xml_safe(t("pledges")),
        [{"value": counts.get(s.value, 0), "color": STATUS_COLORS[s.value]} for s in order],
    )
    return _render(chart, values_after_bars=True)


# The area chart is drawn here rather than by pygal: its labels are long Swedish area names
# ("Arbetsmarknad, näringsliv och stadens ekonomi"), which pygal cuts or lets overflow. Each
# label is wrapped onto as many lines as it needs beside its bar, and the chart is as tall as
# its rows.
AREA_WIDTH = WIDE_WIDTH
AREA_LABEL_WIDTH = 300  # the label column, left of the bars
AREA_LABEL_CHARS = 34  # characters per label line (13 px system-ui fits them in the column)
AREA_LINE = 17  # px per label line
AREA_BAR = 24  # px bar height


@dataclass(frozen=True)
class _Frame:
    """A stacked chart's measures across: the whole, the label column, the legend's grid."""

    width: int = AREA_WIDTH
    label_width: int = AREA_LABEL_WIDTH
    label_chars: int = AREA_LABEL_CHARS
    legend_columns: int = 3
    legend_step: int = 260
    legend_left: int = 20
    labels_above: bool = False  # each label on its own lines above its bar, across the width


# On a phone each label goes above its bar: beside it, a 288 px chart left the bars a third of
# the width and the labels a dozen characters a line.
LABEL_X = 12  # px: the left edge of the labels above the bars, and of those bars
_NARROW_FRAME = _Frame(
    NARROW_WIDTH,
    label_width=0,
    label_chars=30,
    legend_columns=2,
    legend_step=136,
    legend_left=LABEL_X,
    labels_above=True,
)


def wrap_label(text: str, width: int = AREA_LABEL_CHARS) -> list[str]:
    """`text` on lines of at most `width` characters, broken at spaces (a longer word is
    broken inside itself); nothing is cut off."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line or not lines:
        lines.append(line)
    return lines


def area_chart(by_area: Sequence[dict[str, Any]], t: Translate, *, narrow: bool = False) -> bytes:
    """A stacked horizontal bar per policy area, one segment per status, labels wrapped."""
    labelled = [(a["area"] or t("no_area"), a["counts"]) for a in by_area]
    return stacked_chart(labelled, t("areas_chart_title"), t, narrow=narrow)


def stacked_chart(
    labelled: Sequence[tuple[str, dict[str, int]]],
    title_text: str,
    t: Translate,
    *,
    narrow: bool = False,
    legend: bool = True,
) -> bytes:
    """A stacked horizontal bar per (label, counts by status) row, labels wrapped; a legend of
    the statuses' colours under them unless the labels name the statuses."""
    svg_ns = "http://www.w3.org/2000/svg"
    frame = _NARROW_FRAME if narrow else _Frame()
    statuses = [s.value for s in STATUS_ORDER]
    rows = [
        (wrap_label(xml_safe(label) or "–", frame.label_chars), counts)
        for label, counts in labelled
    ]
    most = max([sum(c[s] for s in statuses) for _, c in rows] + [1])
    bar_left, bar_right = frame.label_width + LABEL_X, frame.width - 40
    title_height, y = 40, 40
    if frame.labels_above:
        heights = [AREA_LINE * len(lines) + AREA_BAR + 14 for lines, _ in rows]
    else:
        heights = [max(AREA_BAR + 12, AREA_LINE * len(lines) + 12) for lines, _ in rows]
    legend_rows = -(-len(statuses) // frame.legend_columns) if legend else 0
    height = title_height + sum(heights) + (24 + 22 * legend_rows if legend else 0) + 10
    root = lxml.etree.Element(
        f"{{{svg_ns}}}svg",
        nsmap={None: svg_ns},  # type: ignore[dict-item]  # lxml's default namespace key
        width=str(frame.width),
        height=str(height),
        viewBox=f"0 0 {frame.width} {height}",
        role="img",
    )
    style = "font-family: system-ui, sans-serif; fill: #1b1b1b"
    lxml.etree.SubElement(root, f"{{{svg_ns}}}rect", width="100%", height="100%", fill="#ffffff")
    title = lxml.etree.SubElement(
        root, f"{{{svg_ns}}}text", x=str(frame.width // 2), y="26", style=style
    )
    title.set("text-anchor", "middle")
    title.set("font-size", "16")
    title.text = xml_safe(title_text)
    for (lines, counts), row_height in zip(rows, heights, strict=True):
        label = lxml.etree.SubElement(root, f"{{{svg_ns}}}text", style=style)
        label.set("font-size", "13")
        if frame.labels_above:
            label.set("text-anchor", "start")
            x_label, first = LABEL_X, y + 14.0
            middle = y + AREA_LINE * len(lines) + 4 + AREA_BAR / 2
        else:
            label.set("text-anchor", "end")
            middle = y + row_height / 2
            x_label, first = frame.label_width, middle - (len(lines) - 1) * AREA_LINE / 2 + 4.5
        for i, line in enumerate(lines):
            span = lxml.etree.SubElement(
                label,
                f"{{{svg_ns}}}tspan",
                x=str(x_label),
                y=f"{first + i * AREA_LINE:.1f}",
            )
            span.text = line
        x = float(bar_left)
        for s in statuses:
            if counts[s]:
                w = (bar_right - bar_left) * counts[s] / most
                lxml.etree.SubElement(
                    root,
                    f"{{{svg_ns}}}rect",
                    x=f"{x:.1f}",
                    y=f"{middle - AREA_BAR / 2:.1f}",
                    width=f"{w:.1f}",
                    height=str(AREA_BAR),
                    fill=STATUS_COLORS[s],
                )
                x += w
        total = lxml.etree.SubElement(
            root, f"{{{svg_ns}}}text", x=f"{x + 6:.1f}", y=f"{middle + 4.5:.1f}", style=style
        )
        total.set("font-size", "13")
        total.text = str(sum(counts[s] for s in statuses))
        y += row_height
    y += 24
    for i, s in enumerate(statuses if legend else []):
        legend_row, legend_column = divmod(i, frame.legend_columns)
        lx, ly = frame.legend_left + legend_column * frame.legend_step, y + legend_row * 22
        lxml.etree.SubElement(
            root,
            f"{{{svg_ns}}}rect",
            x=str(lx),
            y=str(ly - 11),
            width="14",
            height="14",
            fill=STATUS_COLORS[s],
        )
        key = lxml.etree.SubElement(
            root, f"{{{svg_ns}}}text", x=str(lx + 20), y=str(ly), style=style
        )
        key.set("font-size", "13")
        key.text = xml_safe(t(f"status_{s}"))
    return lxml.etree.tostring(root, encoding="utf-8")


def term_chart(points: Sequence[dict[str, Any]], t: Translate, *, narrow: bool = False) -> bytes:
    """Status counts at each month end of the term, stacked."""
    largest = max((sum(p["counts"].values()) for p in points), default=0)
    chart = pygal.StackedBar(
        **_config(
            t("term_chart_title"),
            narrow,
            **({"height": NARROW_TERM_HEIGHT} if narrow else {}),
            x_label_rotation=-45,
            show_minor_x_labels=False,
            **_count_axis(largest),
        )
    )
    chart.x_labels = [p["date"] for p in points]
    majors = 4 if narrow else 8  # month labels across the chart's width
    if len(points) > 12 or (narrow and len(points) > majors):
        chart.x_labels_major = [p["date"] for p in points[:: max(1, len(points) // majors)]]
    for s in STATUS_ORDER:
        chart.add(xml_safe(t(f"status_{s.value}")), [p["counts"][s.value] for p in points])
    return _render(chart)
