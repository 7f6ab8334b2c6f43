"""A backtest written out: Markdown, HTML with charts, and JSON of a documented shape.

Each starts with the same-policy check (the current policy judged against
itself: ``same policy: 0 flips``), then per metric the met and breached
cycles and the met rate under each policy, the flips by priority, category,
channel and team, and the flipped cycles (the first ones with an
``explain()`` of each side). Nothing about the customer is written: a flip
names its ticket by id. JSON (:func:`backtest_json`)::

    {"period": "2026-11", "current": "...", "proposed": "...",
     "tickets": 100000, "from_facts": 99000,
     "same_policy": {"cycles": 250000, "flips": 0},
     "metrics": [{"metric": "first_response", "cycles": ..., "current": {"met": ...,
                  "breached": ..., "rate": 0.97}, "proposed": {...},
                  "to_breached": ..., "to_met": ...}],
     "breakdowns": {"priority": [{"value": "urgent", "metric": ..., <as a metric row>}], ...},
     "flips": [{"ticket_id": ..., "metric": ..., "cycle": 0, "current": "met",
                "proposed": "breached", "priority": ..., "category": ..., "channel": ...,
                "team": ..., "current_explain": "...", "proposed_explain": "..."}]}

Rates are ``null`` without a judged cycle. Imports the backtest's values and
the reports' chart drawing.

Example:
    >>> from aftersales.backtest.tally import BacktestTally
    >>> backtest_markdown(BacktestTally().result(), period="2026-11").splitlines()[2]
    '**same policy: 0 flips** (the current policy judged against itself, 0 clock cycles re-judged)'
"""

from __future__ import annotations

import html
import json
from typing import Any

from aftersales.backtest.tally import DIMENSIONS, Backtest, MetricComparison
from aftersales.reports.blocks import Chart
from aftersales.reports.charts import chart_svg, charts_available
from aftersales.reports.escaping import escape_markdown

__all__ = ["backtest_html", "backtest_json", "backtest_markdown"]

_HEAD = (
    "metric",
    "cycles",
    "met now",
    "breached now",
    "rate now",
    "met proposed",
    "breached proposed",
    "rate proposed",
    "newly breached",
    "no longer breached",
)


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _cells(row: MetricComparison) -> list[str]:
    return [
        row.metric,
        f"{row.cycles:,}",
        f"{row.current_met:,}",
        f"{row.current_breached:,}",
        _rate(row.current_rate),
        f"{row.proposed_met:,}",
        f"{row.proposed_breached:,}",
        _rate(row.proposed_rate),
        f"{row.to_breached:,}",
        f"{row.to_met:,}",
    ]


def sanity_line(result: Backtest) -> str:
    """The first line a reader sees: the flips of the current policy against itself.

    Example:
        >>> from aftersales.backtest.tally import BacktestTally
        >>> sanity_line(BacktestTally().result())
        'same policy: 0 flips (the current policy judged against itself, 0 clock cycles re-judged)'
    """
    return (
        f"same policy: {result.same_policy_flips:,} flips (the current policy judged against"
        f" itself, {result.same_policy_cycles:,} clock cycles re-judged)"
    )


def _md_table(head: tuple[str, ...] | list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += [
        "| " + " | ".join(escape_markdown(c, block=False) for c in row) + " |" for row in rows
    ]
    return lines


def backtest_markdown(
    result: Backtest, *, period: str, current: str = "current", proposed: str = "proposed"
) -> str:
    """The backtest as Markdown (see the module); ``current``/``proposed`` name the policies.

    Example:
        >>> from aftersales.backtest.tally import BacktestTally
        >>> backtest_markdown(BacktestTally().result(), period="2026-11").splitlines()[0]
        '# SLA backtest 2026-11: proposed vs current'
    """
    sanity = sanity_line(result).split(" (", 1)
    lines = [
        f"# SLA backtest {escape_markdown(period, block=False)}: "
        f"{escape_markdown(proposed, block=False)} vs {escape_markdown(current, block=False)}",
        "",
        f"**{sanity[0]}** ({sanity[1]}",
        "",
        f"{result.tickets:,} tickets compared, {result.from_facts:,} of them from their stored"
        f" facts; {len(result.flips):,} clock cycles flip.",
        "",
        "## Per metric",
        "",
        *_md_table(_HEAD, [_cells(row) for row in result.metrics]),
    ]
    for dimension in DIMENSIONS:
        rows = [
            [g.value, *_cells(g.comparison)]
            for g in result.breakdown(dimension)
            if g.comparison.flips
        ]
        lines += ["", f"## Flips by {dimension}", ""]
        lines += _md_table([dimension, *_HEAD], rows) if rows else ["No flips."]
    lines += ["", "## Flipped cycles", ""]
    if not result.flips:
        lines.append("No flips.")
    for flip in result.flips[: max(result.explained, 20)]:
        lines.append(
            f"- {escape_markdown(flip.ticket_id, block=False)} {flip.metric} #{flip.cycle + 1}:"
            f" {flip.current} → {flip.proposed}"
        )
        if flip.current_explain:
            lines += ["", "  ```", *("  " + line for line in flip.current_explain.splitlines())]
            lines += ["  ```", "", "  ```"]
            lines += [*("  " + line for line in flip.proposed_explain.splitlines()), "  ```", ""]
    if len(result.flips) > max(result.explained, 20):
        lines.append(f"- … and {len(result.flips) - max(result.explained, 20):,} more (see --json)")
    return "\n".join(lines) + "\n"


def _charts(result: Backtest, current: str, proposed: str) -> list[Chart]:
    metrics = [row.metric for row in result.metrics]
    charts = [
        Chart(
            "bar",
            "Met rate per metric (%)",
            metrics,
            [
                (current, [round(100 * (row.current_rate or 0), 1) for row in result.metrics]),
                (proposed, [round(100 * (row.proposed_rate or 0), 1) for row in result.metrics]),
            ],
        )
    ]
    for dimension in DIMENSIONS:
        totals: dict[str, list[int]] = {}
        for group in result.breakdown(dimension):
            row = totals.setdefault(group.value, [0, 0])
            row[0] += group.comparison.to_breached
            row[1] += group.comparison.to_met
        flipped = {value: row for value, row in totals.items() if any(row)}
        if flipped:
            charts.append(
                Chart(
                    "bar",
                    f"Flips by {dimension}",
                    list(flipped),
                    [
                        ("newly breached", [row[0] for row in flipped.values()]),
                        ("no longer breached", [row[1] for row in flipped.values()]),
                    ],
                )
            )
    return charts


def _html_table(head: tuple[str, ...] | list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def backtest_html(
    result: Backtest, *, period: str, current: str = "current", proposed: str = "proposed"
) -> str:
    """The backtest as one HTML page with its charts inline (SVG; a note instead without pygal).

    Example:
        >>> from aftersales.backtest.tally import BacktestTally
        >>> page = backtest_html(BacktestTally().result(), period="2026-11")
        >>> "same policy: 0 flips" in page, "<script" in page
        (True, False)
    """
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>SLA backtest {html.escape(period)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px}pre{background:#f6f6f6;padding:8px}</style>",
        "</head><body>",
        f"<h1>SLA backtest {html.escape(period)}: {html.escape(proposed)} vs"
        f" {html.escape(current)}</h1>",
        f"<p><strong>{html.escape(sanity_line(result))}</strong></p>",
        f"<p>{result.tickets:,} tickets compared, {result.from_facts:,} of them from their"
        f" stored facts; {len(result.flips):,} clock cycles flip.</p>",
        "<h2>Per metric</h2>",
        _html_table(_HEAD, [_cells(row) for row in result.metrics]),
    ]
    if charts_available():
        parts += [
            f"<figure>{chart_svg(chart)}</figure>" for chart in _charts(result, current, proposed)
        ]
    else:
        parts.append("<p>(charts need pygal: pip install 'aftersales[report]')</p>")
    for dimension in DIMENSIONS:
        rows = [
            [g.value, *_cells(g.comparison)]
            for g in result.breakdown(dimension)
            if g.comparison.flips
        ]
        parts.append(f"<h2>Flips by {html.escape(dimension)}</h2>")
        parts.append(_html_table([dimension, *_HEAD], rows) if rows else "<p>No flips.</p>")
    parts.append("<h2>Flipped cycles</h2>")
    for flip in result.flips[: max(result.explained, 20)]:
        parts.append(
            f"<h3>{html.escape(flip.ticket_id)} {html.escape(flip.metric)} #{flip.cycle + 1}:"
            f" {html.escape(flip.current)} → {html.escape(flip.proposed)}</h3>"
        )
        if flip.current_explain:
            parts.append(f"<pre>{html.escape(flip.current_explain)}</pre>")
            parts.append(f"<pre>{html.escape(flip.proposed_explain)}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _row(row: MetricComparison) -> dict[str, Any]:
    return {
        "metric": row.metric,
        "cycles": row.cycles,
        "current": {
            "met": row.current_met,
            "breached": row.current_breached,
            "rate": row.current_rate,
        },
        "proposed": {
            "met": row.proposed_met,
            "breached": row.proposed_breached,
            "rate": row.proposed_rate,
        },
        "to_breached": row.to_breached,
        "to_met": row.to_met,
    }


def backtest_dict(
    result: Backtest, *, period: str, current: str = "current", proposed: str = "proposed"
) -> dict[str, Any]:
    """The backtest as plain JSON values (the shape in the module).

    Example:
        >>> from aftersales.backtest.tally import BacktestTally
        >>> backtest_dict(BacktestTally().result(), period="2026-11")["same_policy"]
        {'cycles': 0, 'flips': 0}
    """
    return {
        "period": period,
        "current": current,
        "proposed": proposed,
        "tickets": result.tickets,
        "from_facts": result.from_facts,
        "same_policy": {"cycles": result.same_policy_cycles, "flips": result.same_policy_flips},
        "metrics": [_row(row) for row in result.metrics],
        "breakdowns": {
            dimension: [
                {"value": g.value, **_row(g.comparison)} for g in result.breakdown(dimension)
            ]
            for dimension in DIMENSIONS
        },
        "flips": [
            {
                "ticket_id": f.ticket_id,
                "metric": f.metric,
                "cycle": f.cycle,
                "current": f.current,
                "proposed": f.proposed,
                **{dimension: f.keys.of(dimension) for dimension in DIMENSIONS},
                "current_explain": f.current_explain,
                "proposed_explain": f.proposed_explain,
            }
            for f in result.flips
        ],
    }


def backtest_json(
    result: Backtest, *, period: str, current: str = "current", proposed: str = "proposed"
) -> str:
    """:func:`backtest_dict` as JSON text (UTF-8 as is, indented).

    Example:
        >>> from aftersales.backtest.tally import BacktestTally
        >>> json.loads(backtest_json(BacktestTally().result(), period="2026-11"))["tickets"]
        0
    """
    data = backtest_dict(result, period=period, current=current, proposed=proposed)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
