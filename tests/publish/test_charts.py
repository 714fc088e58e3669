"""The charts are a pure function of their data: the same counts give the same bytes."""

from __future__ import annotations

import lxml.etree

from lofte.publish import charts
from lofte.publish.meter import STATUS_ORDER

ZERO = {s.value: 0 for s in STATUS_ORDER}
COUNTS = ZERO | {"kept": 3, "broken": 1, "in_the_works": 2, "not_rated": 5}
POINTS = [
    {"date": "2023-01-31", "counts": ZERO | {"kept": 1, "not_rated": 9}},
    {"date": "2023-02-28", "counts": ZERO | {"kept": 2, "broken": 1, "not_rated": 7}},
]


def t(key: str) -> str:
    return key


def _all_charts() -> list[bytes]:
    out = []
    for narrow in (False, True):
        out.append(charts.status_chart(COUNTS, t, narrow=narrow))
        out.append(charts.term_chart(POINTS, t, narrow=narrow))
        out.append(charts.stacked_chart([("A", COUNTS), ("B", ZERO | {"kept": 1})], "title", t))
    return out


def test_the_same_data_draws_the_same_bytes() -> None:
    # a static site or a final account published twice from the same store must not differ
    assert _all_charts() == _all_charts()


def test_a_chart_has_no_date_stamp_and_a_consistent_id() -> None:
    for svg in _all_charts():
        root = lxml.etree.fromstring(svg)
        assert not [c for c in root.iter() if not isinstance(c.tag, str)]  # no comments
        chart_id = root.get("id")
        if chart_id is not None:  # pygal's charts (the stacked one is drawn here, no id)
            assert chart_id.startswith("chart-")
            style = "".join(root.itertext())
            assert f"#{chart_id}" in style  # the CSS rules still name the root


def test_different_data_gets_a_different_id() -> None:
    one = lxml.etree.fromstring(charts.status_chart(COUNTS, t))
    two = lxml.etree.fromstring(charts.status_chart(COUNTS | {"kept": 4}, t))
    assert one.get("id") != two.get("id")


def test_charts_carry_no_tooltip_texts_that_can_never_show() -> None:
    # QA: the term chart of a real tracker was 129 KB on a phone, mostly pygal's <desc>
    # tooltips, which need the script the pages never send
    for svg in _all_charts():
        root = lxml.etree.fromstring(svg)
        assert not [e for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("desc")]
    months = [{"date": f"2023-{m:02d}-28", "counts": COUNTS} for m in range(1, 13)]
    assert len(charts.term_chart(months * 4, t)) < 90_000  # 48 months, every status (was 129 KB)


def test_status_values_are_printed_after_their_bars_on_white() -> None:
    """QA: the values sat in the bars' middle, black on the dark status colours (about 3.3:1,
    below WCAG's 4.5:1), and a zero sat on nothing. Now each starts after its bar's end, and
    the axis leaves room for the largest inside the plot."""
    svg_ns = "{http://www.w3.org/2000/svg}"
    for narrow in (False,):  # the phone's drawing: test_the_phone_status_chart_…
        counts = ZERO | {"kept": 120, "broken": 7, "in_the_works": 1}
        root = lxml.etree.fromstring(charts.status_chart(counts, t, narrow=narrow))
        plot = next(g for g in root.iter(f"{svg_ns}g") if g.get("class") == "plot")
        width = float(next(plot.iter(f"{svg_ns}rect")).get("width"))  # the plot's background
        bars = [r for r in root.iter(f"{svg_ns}rect") if "rect" in (r.get("class") or "").split()]
        values = [x for x in root.iter(f"{svg_ns}text") if x.get("class") == "value"]
        assert len(bars) == len(values) == len(STATUS_ORDER)
        for bar, value in zip(bars, values, strict=True):
            end = float(bar.get("x")) + float(bar.get("width") or 0)
            assert value.get("text-anchor") == "start"
            assert end < float(value.get("x")) <= end + 6
            # digits of about 0.6 em: the text ends inside the plot
            digits = len(value.text) * 0.6 * charts.VALUE_FONT_SIZE
            assert float(value.get("x")) + digits <= width, (narrow, value.text)
        counts_axis = next(
            g for g in root.iter(f"{svg_ns}g") if (g.get("class") or "").startswith("axis x")
        )
        ticks = [x.text for x in counts_axis.iter(f"{svg_ns}text")]
        assert ticks and all(x.isdigit() for x in ticks), ticks  # none cut to "1…"


SVG = "{http://www.w3.org/2000/svg}"


def _row_layout(svg: bytes) -> list[tuple[str, float, float, float, float]]:
    """(label, label's baseline, its x, the bar's top, the bar's left) of each row of a chart
    drawn by `stacked_chart` in its phone layout."""
    root = lxml.etree.fromstring(svg)
    labels = [x for x in root.iter(f"{SVG}text") if x.get("text-anchor") == "start"]
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == str(charts.AREA_BAR)]
    bars = [b for i, b in enumerate(bars) if i == 0 or b.get("y") != bars[i - 1].get("y")]
    return [
        (
            "".join(label.itertext()),
            float(label[-1].get("y")),
            float(label[0].get("x")),
            float(bar.get("y")),
            float(bar.get("x")),
        )
        for label, bar in zip(labels, bars, strict=False)
    ]


def test_the_phone_status_chart_puts_each_name_above_its_bar_at_the_phones_width() -> None:
    """QA: drawn 360 px wide for a phone, a 320 px screen scaled the labels to 9.6 px; at 288
    px the names beside the bars left them a 74 px plot, so each name goes above its bar."""
    counts = ZERO | {"kept": 120, "broken": 7, "in_the_works": 1}
    root = lxml.etree.fromstring(charts.status_chart(counts, t, narrow=True))
    assert root.get("width") == str(charts.NARROW_WIDTH) == "288"
    texts = ["".join(x.itertext()) for x in root.iter(f"{SVG}text")]
    assert texts[0] == "meter_chart_title"
    names = [f"status_{s.value}" for s in STATUS_ORDER]
    assert [x for x in texts if x.startswith("status_")] == names  # the meter's order, no legend
    assert [x for x in texts if x.isdigit()] == [str(counts[s.value]) for s in STATUS_ORDER]
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == str(charts.AREA_BAR)]
    assert [r.get("fill") for r in bars] == [
        charts.STATUS_COLORS[s] for s in ("kept", "broken", "in_the_works")
    ]
    # the longest bar and its value end inside the drawing
    widest = max(float(r.get("x")) + float(r.get("width")) for r in bars)
    assert widest + 6 + 3 * 0.6 * 13 <= charts.NARROW_WIDTH
    every = {s.value: i + 1 for i, s in enumerate(STATUS_ORDER)}  # a bar in every row
    rows = _row_layout(charts.status_chart(every, t, narrow=True))
    assert [r[0] for r in rows] == names
    for _, baseline, x, bar_top, bar_left in rows:
        assert baseline < bar_top and x == bar_left == charts.LABEL_X


def test_the_phone_area_chart_wraps_long_names_above_their_bars() -> None:
    name = "Arbetsmarknad, näringsliv och stadens ekonomi"
    svg = charts.stacked_chart(
        [(name, COUNTS), ("Skola", ZERO | {"kept": 1})], "title", t, narrow=True
    )
    rows = _row_layout(svg)
    assert [r[0] for r in rows] == ["Arbetsmarknad, näringsliv ochstadens ekonomi", "Skola"]
    for _, baseline, x, bar_top, bar_left in rows:
        assert baseline < bar_top and x == bar_left == charts.LABEL_X
    legend = [x.text for x in lxml.etree.fromstring(svg).iter(f"{SVG}text") if x.text]
    assert "status_not_checkable" in legend  # colours need their key here
