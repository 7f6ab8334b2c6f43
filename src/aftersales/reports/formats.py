"""How the reports write numbers: figures, changes and targets in the report's language.

English keeps the compact forms (``106``, ``67.3%``, ``0.93 h``, ``4.41``,
``+12.0``). The Chinese report writes units out: counts with 件, working hours
with 小时, calendar durations of 48 hours or more in 天 (days of 24 hours; a
working-time figure stays in 小时, since a working day is not 24 hours),
scores with 分; percentages stay ``95.0%``. Changes are written with their
kind: ``+9.3%`` relative, ``-1.9 pp`` / ``-1.9 个百分点`` for rates, points
for the rest.

Example:
    >>> figure_text(106, "count", "zh"), figure_text(0.93, "h", "zh"), figure_text(71.89, "cal_h", "zh")
    ('106 件', '0.93 小时', '3.0 天')
    >>> change_text(Change(-1.9, "pp"), "zh"), change_text(Change(-1.9, "pp"), "en")
    ('-1.9 个百分点', '-1.9 pp')
"""

from __future__ import annotations

from aftersales.reports.changes import Change
from aftersales.reports.labels import check_lang

__all__ = ["MISSING", "change_text", "figure_text", "target_text"]

#: What a figure that could not be measured shows.
MISSING = "—"


def figure_text(value: float | None, unit: str, lang: str, *, mean: bool = False) -> str:
    """``value`` in ``unit`` written for a ``lang`` report; ``mean=True`` for an average
    of counts (one decimal).

    Example:
        >>> figure_text(101.5, "count", "en", mean=True), figure_text(None, "pct", "zh")
        ('101.5', '—')
        >>> figure_text(4.41, "score", "zh"), figure_text(12, "nps", "en")
        ('4.41 分', '+12.0')
    """
    zh = check_lang(lang) == "zh"
    if value is None:
        return MISSING
    if unit == "count":
        shown = f"{value:,.1f}" if mean else f"{value:,.0f}"
        return f"{shown} 件" if zh else shown
    if unit == "pct":
        return f"{value:.1f}%"
    if unit in ("h", "cal_h"):
        if zh and unit == "cal_h" and value >= 48:
            return f"{value / 24:.1f} 天"
        return f"{value:.2f} 小时" if zh else f"{value:.2f} h"
    if unit == "score":
        return f"{value:.2f} 分" if zh else f"{value:.2f}"
    if unit == "nps":
        return f"{value:+.1f}"
    return f"{value:.2f}"


def change_text(change: Change, lang: str, unit: str = "") -> str:
    """A change written with its kind: relative ``+9.3%``, rates in pp / 个百分点, points
    (NPS points, ``unit="nps"``, with one decimal like NPS itself).

    Example:
        >>> change_text(Change(9.278, "relative"), "en"), change_text(Change(0.0, "pp"), "en")
        ('+9.3%', '±0.0 pp')
        >>> change_text(Change(None, "relative"), "zh"), change_text(Change(-0.14, "points"), "zh")
        ('—', '-0.14')
        >>> change_text(Change(8.68, "points"), "zh", "nps")
        '+8.7'
    """
    zh = check_lang(lang) == "zh"
    value = change.value
    if value is None:
        return MISSING
    sign = "+" if value > 0 else ("±" if value == 0 else "")
    if change.kind == "relative":
        return f"{sign}{value:.1f}%"
    if change.kind == "pp":
        return f"{sign}{value:.1f} {'个百分点' if zh else 'pp'}"
    return f"{sign}{value:.1f}" if unit == "nps" else f"{sign}{value:.2f}"


def target_text(value: float, direction: str, unit: str, lang: str) -> str:
    """A target written with its direction: ``≥ 95.0%``, ``≤ 2.00 小时``.

    Example:
        >>> target_text(95, "at_least", "pct", "zh"), target_text(2, "at_most", "h", "en")
        ('≥ 95.0%', '≤ 2.00 h')
    """
    sign = "≥" if direction == "at_least" else "≤"
    return f"{sign} {figure_text(value, unit, lang)}"
