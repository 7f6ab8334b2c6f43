"""Charts drawn as inline SVG with pygal, an optional dependency (the ``report`` extra).

:func:`charts_available` tells whether pygal can be imported; :func:`chart_svg`
draws one :class:`~aftersales.reports.blocks.Chart`. pygal is imported on
first use only, so ``import aftersales`` never needs it.

Example:
    >>> isinstance(charts_available(), bool)
    True
"""

from __future__ import annotations

import html as _html
import importlib
import math
import re
import unicodedata
from typing import Any, Final

from aftersales.reports.blocks import Chart

__all__ = ["FONT_FAMILY", "axis_top", "chart_svg", "charts_available"]


def charts_available() -> bool:
    """True when pygal (the ``report`` extra) can be imported.

    Example:
        >>> isinstance(charts_available(), bool)
        True
    """
    try:
        importlib.import_module("pygal")
    except ImportError:
        return False
    return True


#: The fonts of chart texts: Chinese fonts of every common system first, then any sans-serif.
FONT_FAMILY: Final = (
    '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",'
    '"Source Han Sans SC","WenQuanYi Micro Hei",sans-serif'
)

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def chart_svg(chart: Chart) -> str:
    """The chart as one inline SVG element, script-free (needs pygal: see :func:`charts_available`).

    Example:
        >>> bar = Chart("bar", "Volumes", ["phone", "web"], [("tickets", [3, 1])])
        >>> svg = chart_svg(bar) if charts_available() else "<svg>(pygal missing)</svg>"
        >>> svg.startswith("<svg"), "<script" in svg
        (True, False)
    """
    pygal: Any = importlib.import_module("pygal")
    Style: Any = importlib.import_module("pygal.style").Style

    style = Style(
        background="white",
        plot_background="white",
        font_family=FONT_FAMILY,
        colors=("#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6"),
        title_font_size=16,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        value_font_size=12,
        value_label_font_size=12,
        tooltip_font_size=12,
        no_data_font_size=16,
    )
    options: dict[str, Any] = {
        "style": style,
        "title": chart.title,
        "width": 760,
        "height": 340,
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "show_legend": len(chart.series) > 1,
        "js": [],
    }
    made: Any
    if chart.kind == "line":
        made = pygal.Line(x_label_rotation=45 if len(chart.x_labels) > 12 else 0, **options)
        made.x_labels = chart.x_labels
        if len(chart.x_labels) > 12:
            made.x_labels_major_every = 7
            made.show_minor_x_labels = False
        for name, values in chart.series:
            made.add(name, values)
    elif chart.kind == "bar":
        options["print_values"] = True
        made = pygal.HorizontalBar(**options) if len(chart.x_labels) > 5 else pygal.Bar(**options)
        made.x_labels = chart.x_labels
        for name, values in chart.series:
            made.add(name, values)
    else:
        options["show_legend"] = True
        options["height"] = 440
        made = pygal.XY(
            stroke=False,
            dots_size=6,
            print_labels=True,
            range=(0, axis_top([y for _, points in chart.series for _, y in points])),
            xrange=(0, axis_top([x for _, points in chart.series for x, _ in points])),
            x_title=chart.x_labels[0] if chart.x_labels else "",
            y_title=chart.x_labels[1] if len(chart.x_labels) > 1 else "",
            **options,
        )
        labels = iter(chart.labels)
        for name, points in chart.series:
            made.add(name, [{"value": p, "label": next(labels, "")} for p in points])
    svg = _SCRIPT.sub("", str(made.render(is_unicode=True)))  # the page stays script-free
    if chart.kind != "scatter":
        return svg
    return _placed_labels(svg, [(float(x), float(y)) for _, ps in chart.series for x, y in ps])


_LABEL = re.compile(r'<text x="(-?[\d.]+)" y="(-?[\d.]+)" class="label">([^<]*)</text>')
_DOT = re.compile(r'<circle cx="(-?[\d.]+)" cy="(-?[\d.]+)" r="[\d.]+" class="dot')
#: Where a point's label may go, tried in order: (dx, dy, text-anchor).
_SPOTS = (
    (9, 4, "start"),
    (-9, 4, "end"),
    (9, -9, "start"),
    (9, 17, "start"),
    (-9, -9, "end"),
    (-9, 17, "end"),
    (0, -12, "middle"),
    (0, 22, "middle"),
)


def _text_width(text: str) -> float:
    return sum(12.5 if unicodedata.east_asian_width(char) in "WF" else 7.0 for char in text)


def axis_top(values: list[float]) -> float:
    """The top of a percentage axis: the next ten above the largest value and a margin, at most 100.

    The quadrants' points crowd near the origin on a 0–100 axis; this spreads them.

    Example:
        >>> axis_top([34.3, 12.5]), axis_top([95.0]), axis_top([]), axis_top([0.0])
        (40, 100, 100, 10)
    """
    if not values:
        return 100
    return min(100, max(10, 10 * math.ceil(max(values) * 1.1 / 10)))


def _plot_box(
    points: list[tuple[float, float]], dots: list[tuple[float, float]]
) -> tuple[float, float, float, float] | None:
    """The plot area (0 to each axis' top) in the SVG's units, from two points set apart."""
    if len(points) != len(dots) or len(points) < 2:
        return None
    ends = []
    for axis in (0, 1):
        low = min(range(len(points)), key=lambda i: points[i][axis])
        high = max(range(len(points)), key=lambda i: points[i][axis])
        if points[high][axis] - points[low][axis] < 1:
            return None
        scale = (dots[high][axis] - dots[low][axis]) / (points[high][axis] - points[low][axis])
        zero = dots[low][axis] - scale * points[low][axis]
        top = axis_top([point[axis] for point in points])
        ends.append((zero, zero + top * scale))
    (x0, x100), (y0, y100) = ends
    return (min(x0, x100), min(y0, y100), max(x0, x100), max(y0, y100))


def _placed_labels(svg: str, points: list[tuple[float, float]]) -> str:
    """Each point's label beside its dot (pygal sets it below right), where it hides no other.

    ``points`` are the chart's values in the order pygal draws the dots and the labels.
    """
    dots = [(float(x), float(y)) for x, y in _DOT.findall(svg)]
    taken = [(x - 7, y - 7, x + 7, y + 7) for x, y in dots]
    plot = _plot_box(points, dots)
    labels = iter(dots if len(dots) == len(points) else [])

    def free(box: tuple[float, float, float, float]) -> bool:
        if plot is not None and (box[0] < plot[0] or box[3] > plot[3] or box[2] > plot[2] + 60):
            return False  # over an axis and its figures
        return all(
            box[2] <= other[0] or other[2] <= box[0] or box[3] <= other[1] or other[3] <= box[1]
            for other in taken
        )

    def place(match: re.Match[str]) -> str:
        x, y = next(labels, (float(match[1]), float(match[2])))
        label = match[3]
        width = _text_width(_html.unescape(label))
        found = None
        for dx, dy, anchor in _SPOTS:
            left = x + dx - {"start": 0, "middle": width / 2, "end": width}[anchor]
            box = (left, y + dy - 12, left + width, y + dy + 2)
            if free(box):
                found = (dx, dy, anchor, box)
                break
        dx, dy, anchor, box = found or (9, 4, "start", (x + 9, y - 8, x + 9 + width, y + 6))
        taken.append(box)
        return (
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" class="label"'
            f' style="text-anchor:{anchor}">{label}</text>'
        )

    return _LABEL.sub(place, svg)
