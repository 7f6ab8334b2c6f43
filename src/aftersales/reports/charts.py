"""Charts drawn as inline SVG with pygal, an optional dependency (the ``report`` extra).

:func:`charts_available` tells whether pygal can be imported; :func:`chart_svg`
draws one :class:`~aftersales.reports.blocks.Chart`. pygal is imported on
first use only, so ``import aftersales`` never needs it.

Example:
    >>> isinstance(charts_available(), bool)
    True
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from aftersales.reports.blocks import Chart

__all__ = ["chart_svg", "charts_available"]


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
        font_family='"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif',
        colors=("#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6"),
        title_font_size=16,
        label_font_size=11,
        legend_font_size=12,
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
        made = pygal.HorizontalBar(**options) if len(chart.x_labels) > 5 else pygal.Bar(**options)
        made.x_labels = chart.x_labels
        for name, values in chart.series:
            made.add(name, values)
    else:
        options["show_legend"] = True
        made = pygal.XY(
            stroke=False,
            dots_size=7,
            range=(0, 100),
            xrange=(0, 100),
            x_title=chart.x_labels[0] if chart.x_labels else "",
            y_title=chart.x_labels[1] if len(chart.x_labels) > 1 else "",
            **options,
        )
        labels = iter(chart.labels)
        for name, points in chart.series:
            made.add(name, [{"value": p, "label": next(labels, "")} for p in points])
    svg = str(made.render(is_unicode=True))
    return _SCRIPT.sub("", svg)  # pygal's config script: the page stays script-free
