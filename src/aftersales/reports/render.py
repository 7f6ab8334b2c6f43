"""Rendering of reports: sections of tables, paragraphs and charts → Markdown or HTML.

A report is a list of :class:`Section` values; each holds :class:`Table`,
:class:`Paragraph` and :class:`Chart` blocks. Markdown shows the tables and
paragraphs; HTML also draws the charts as inline SVG with pygal (the
``report`` extra) and, without pygal, shows the tables alone.

Example:
    >>> section = Section("KPI", [Table(["a", "b"], [["1", "2"]])])
    >>> print(markdown("Title", [section]))
    # Title
    <BLANKLINE>
    ## KPI
    <BLANKLINE>
    | a | b |
    |---|---|
    | 1 | 2 |
    <BLANKLINE>
"""

from __future__ import annotations

import html as _html
import importlib
import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import attrs

from aftersales.errors import UnknownValue
from aftersales.kpi.accumulators import Rate
from aftersales.kpi.service import KpiFigures, Quadrant
from aftersales.reports.escaping import escape_markdown
from aftersales.reports.labels import metric_label, text
from aftersales.vocab import Channel, Priority, ProblemCategory, RootCauseCategory

if TYPE_CHECKING:
    from aftersales.reports.core import ActionItem, DailyReport, MonthlyReport, WeeklyReport

__all__ = [
    "INDICATORS",
    "Chart",
    "Paragraph",
    "Section",
    "Table",
    "charts_available",
    "html",
    "indicator_value",
    "markdown",
]


@attrs.frozen(slots=True)
class Table:
    """A table: header cells and rows of text cells.

    Example:
        >>> Table(["a"], [["1"]]).rows
        [['1']]
    """

    headers: list[str]
    rows: list[list[str]]


@attrs.frozen(slots=True)
class Paragraph:
    """A line of text.

    Example:
        >>> Paragraph("hello").text
        'hello'
    """

    text: str


@attrs.frozen(slots=True)
class Chart:
    """A chart: ``kind`` is ``"line"``, ``"bar"`` or ``"scatter"``.

    ``series`` are ``(name, values)``; for a scatter, values are ``(x, y)``
    points and ``labels`` name each point.

    Example:
        >>> Chart("bar", "Volumes", ["phone"], [("tickets", [3])]).kind
        'bar'
    """

    kind: str
    title: str
    x_labels: list[str]
    series: list[tuple[str, list[Any]]]
    labels: list[str] = attrs.field(factory=list)


@attrs.frozen(slots=True)
class Section:
    """A titled part of a report.

    Example:
        >>> Section("Overview", [Paragraph("…")]).title
        'Overview'
    """

    title: str
    blocks: list[Table | Paragraph | Chart]


# -- values and labels ----------------------------------------------------------------------

_H = timedelta(hours=1)


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else value / _H


def _pct(rate: Rate) -> float | None:
    return rate.percent


#: The KPI table's indicators: key → (value of the figures, unit).
INDICATORS: dict[str, tuple[Callable[[KpiFigures], float | None], str]] = {
    "received": (lambda f: float(f.received), "count"),
    "closure": (lambda f: _pct(f.closure), "pct"),
    "first_line": (lambda f: _pct(f.first_line), "pct"),
    "escalation": (lambda f: _pct(f.escalation), "pct"),
    "second_line": (lambda f: _pct(f.second_line), "pct"),
    "reopen": (lambda f: _pct(f.reopen), "pct"),
    "repeat": (lambda f: _pct(f.repeat), "pct"),
    "one_touch": (lambda f: _pct(f.one_touch), "pct"),
    "fr_mean": (lambda f: _hours(f.first_response.mean), "h"),
    "fr_median": (lambda f: _hours(f.first_response.median), "h"),
    "fr_p90": (lambda f: _hours(f.first_response.p90), "h"),
    "fr_cal": (lambda f: _hours(f.first_response_calendar.mean), "h"),
    "res_mean": (lambda f: _hours(f.resolution.mean), "h"),
    "res_median": (lambda f: _hours(f.resolution.median), "h"),
    "res_p90": (lambda f: _hours(f.resolution.p90), "h"),
    "res_cal": (lambda f: _hours(f.resolution_calendar.mean), "h"),
    "satisfaction": (lambda f: f.satisfaction.mean, "score"),
    "csat": (lambda f: f.satisfaction.csat, "pct"),
    "nps": (lambda f: f.nps.score, "nps"),
    "visit_coverage": (lambda f: _pct(f.visit_coverage), "pct"),
    "key_visit_coverage": (lambda f: _pct(f.key_visit_coverage), "pct"),
    "low_score_callback": (lambda f: _pct(f.low_score_callback), "pct"),
    "channel_consistency": (lambda f: f.channel_consistency, "ratio"),
    "peak_ratio": (lambda f: f.peak.ratio, "ratio"),
    "backlog_count": (lambda f: float(f.backlog), "count"),
}


def indicator_value(indicator: str, figures: KpiFigures) -> float | None:
    """The value of one KPI-table indicator (percent for rates, hours for durations).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.kpi import Period, ServiceKpis
        >>> figures = ServiceKpis(Period.parse("2026-10", "UTC"), WorkCalendar.always("UTC")).result()
        >>> indicator_value("received", figures), indicator_value("closure", figures)
        (0.0, None)
    """
    try:
        getter, _ = INDICATORS[indicator]
    except KeyError:
        raise UnknownValue("indicator", indicator, list(INDICATORS)) from None
    return getter(figures)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "mean_count":
        return f"{value:,.1f}"
    if unit == "pct":
        return f"{value:.1f}%"
    if unit == "h":
        return f"{value:.2f} h"
    if unit == "score":
        return f"{value:.2f}"
    if unit == "nps":
        return f"{value:+.1f}"
    return f"{value:.2f}"


def _delta(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("±" if value == 0 else "")
    if unit == "pct":
        return f"{sign}{value:.1f} pp"
    if unit == "count":
        return f"{sign}{value:,.0f}"
    if unit == "h":
        return f"{sign}{value:.2f} h"
    return f"{sign}{value:.2f}"


def _term(vocabulary: Any, code: str | None, lang: str) -> str:
    if code is None or code == "":
        return "—"
    try:
        return str(vocabulary.get(code).label(lang))
    except UnknownValue:
        return code


def _priority(code: str, lang: str) -> str:
    try:
        return Priority.parse(code).label(lang)
    except UnknownValue:
        return code


def _dimension_label(dimension: str, key: str, lang: str) -> str:
    if dimension == "channel":
        return _term(Channel, key, lang)
    if dimension == "category":
        return _term(ProblemCategory, key, lang)
    if dimension == "root_cause":
        return _term(RootCauseCategory, key, lang)
    if dimension == "priority":
        return _priority(key, lang)
    return key or "—"


def _rate_cell(rate: Rate) -> str:
    return f"{_fmt(rate.percent, 'pct')} ({rate.numerator}/{rate.denominator})"


# -- sections ----------------------------------------------------------------------------------


def _overview(f: KpiFigures, lang: str) -> Paragraph:
    zh = lang == "zh"
    fr = _fmt(_hours(f.first_response.mean), "h")
    sat = _fmt(f.satisfaction.mean, "score")
    if zh:
        return Paragraph(
            f"本期受理 {f.received} 单(取消 {f.cancelled} 单),闭环率 {_fmt(f.closure.percent, 'pct')},"
            f"一线解决率 {_fmt(f.first_line.percent, 'pct')},平均首次响应 {fr}(工作时),"
            f"满意度 {sat} 分,未结工单 {f.backlog} 单。"
        )
    return Paragraph(
        f"{f.received} tickets received ({f.cancelled} cancelled); closure rate "
        f"{_fmt(f.closure.percent, 'pct')}, first-line resolution {_fmt(f.first_line.percent, 'pct')}, "
        f"mean first response {fr} (working time), satisfaction {sat}, open backlog {f.backlog}."
    )


def _sla_table(f: KpiFigures, lang: str) -> Table:
    rows = []
    for item in f.sla:
        rows.append(
            [
                metric_label(item.metric, lang),
                str(item.achieved),
                str(item.breached),
                str(item.in_progress),
                _fmt(item.rate.percent, "pct"),
            ]
        )
    headers = ("metric", "achieved", "breached", "in_progress", "rate")
    return Table([text(k, lang) for k in headers], rows)


def _classification(f: KpiFigures, lang: str, previous: KpiFigures | None = None) -> Table:
    before = dict(previous.volumes["category"]) if previous is not None else {}
    headers = [text("category", lang), text("count", lang), text("share", lang)]
    if previous is not None:
        headers.append(text("previous", lang))
    headers += [text("impact", lang), text("quadrant", lang)]
    rows = []
    for q in f.quadrants:
        row = [_term(ProblemCategory, q.category, lang), str(q.count), f"{100 * q.frequency:.1f}%"]
        if previous is not None:
            row.append(str(before.get(q.category, 0)))
        row += [f"{100 * q.impact:.1f}%", Quadrant.label(q.quadrant, lang)]
        rows.append(row)
    return Table(headers, rows)


def _top(f: KpiFigures, lang: str) -> Table:
    valid = max(f.valid, 1)
    rows = [
        [str(i + 1), _term(ProblemCategory, code, lang), str(n), f"{100 * n / valid:.1f}%"]
        for i, (code, n) in enumerate(f.top)
    ]
    return Table(
        [text("rank", lang), text("category", lang), text("count", lang), text("share", lang)], rows
    )


def _volumes(f: KpiFigures, lang: str, dimensions: Sequence[str]) -> list[Table]:
    tables = []
    for dimension in dimensions:
        pairs = f.volumes[dimension][:10]
        if not pairs:
            continue
        rows = [[_dimension_label(dimension, k, lang), str(n)] for k, n in pairs]
        tables.append(Table([text(dimension, lang), text("count", lang)], rows))
    return tables


def _category_chart(f: KpiFigures, lang: str) -> Chart:
    pairs = f.volumes["category"]
    return Chart(
        "bar",
        text("volumes", lang) + " · " + text("category", lang),
        [_term(ProblemCategory, k, lang) for k, _ in pairs],
        [(text("count", lang), [n for _, n in pairs])],
    )


def _daily_chart(f: KpiFigures, lang: str) -> Chart:
    days = {d: (n, c) for d, n, c in f.daily}
    dates = [f.period.first + timedelta(days=i) for i in range(f.period.days)]
    return Chart(
        "line",
        text("trend", lang),
        [d.strftime("%m-%d") for d in dates],
        [
            (text("received_short", lang), [days.get(d, (0, 0))[0] for d in dates]),
            (text("closed_short", lang), [days.get(d, (0, 0))[1] for d in dates]),
        ],
    )


def _quadrant_chart(f: KpiFigures, lang: str) -> Chart:
    return Chart(
        "scatter",
        text("quadrants", lang),
        [text("frequency", lang) + " %", text("impact", lang) + " %"],
        [
            (
                Quadrant.label(quadrant, lang),
                [
                    (round(100 * q.frequency, 1), round(100 * q.impact, 1))
                    for q in f.quadrants
                    if q.quadrant == quadrant
                ],
            )
            for quadrant in Quadrant.LABELS
        ],
        [
            _term(ProblemCategory, q.category, lang)
            for quadrant in Quadrant.LABELS
            for q in f.quadrants
            if q.quadrant == quadrant
        ],
    )


def _events(f: KpiFigures, lang: str) -> list[Table | Paragraph]:
    if not f.events:
        return [Paragraph(text("no_events", lang))]
    rows = []
    for event in f.events:
        if event.kind == "customer_batch":
            what = f"{event.name} ({event.key}) · {_term(ProblemCategory, event.category, lang)}"
            figure = f"{event.count}"
        else:
            what = event.key
            figure = f"{event.count} ({100 * (event.rate or 0):.1f}%)"
        rows.append([text(event.kind, lang), what, figure])
    return [
        Table(
            ["", text("customer", lang) + " / " + text("product", lang), text("count", lang)], rows
        )
    ]


def _ageing(f: KpiFigures, lang: str) -> Table:
    return Table([text("age", lang), text("count", lang)], [[name, str(n)] for name, n in f.ageing])


def daily_sections(report: DailyReport, lang: str) -> list[Section]:
    """The daily report's sections."""
    f = report.figures
    rows = [
        [
            line.ticket_id,
            line.received_at.in_timezone(report.period.tz).format("HH:mm"),
            line.customer_name,
            _term(Channel, line.channel, lang),
            _term(ProblemCategory, line.category, lang),
            _priority(line.priority, lang),
            _status(line.status, lang),
            line.description,
        ]
        for line in report.tickets
    ]
    headers = ["ticket", "", "customer", "channel", "category", "priority", "status", "description"]
    return [
        Section(text("overview", lang), [_overview(f, lang)]),
        Section(
            text("new_tickets", lang),
            [Table([text(h, lang) if h else "" for h in headers], rows)],
        ),
        Section(text("classification", lang), [_classification(f, lang), _category_chart(f, lang)]),
        Section(text("backlog", lang), [_ageing(f, lang)]),
    ]


def _status(code: str, lang: str) -> str:
    from aftersales.vocab import TicketStatus

    try:
        return TicketStatus.parse(code).label(lang)
    except Exception:
        return code


def weekly_sections(report: WeeklyReport, lang: str) -> list[Section]:
    """The weekly report's sections: overview, classification with the previous week, TOP 5."""
    f = report.figures
    return [
        Section(text("overview", lang), [_overview(f, lang)]),
        Section(
            text("classification", lang),
            [_classification(f, lang, report.previous), _category_chart(f, lang)],
        ),
        Section(text("top", lang), [_top(f, lang)]),
        Section(text("trend", lang), [_daily_chart(f, lang)]),
        Section(text("events", lang), _events(f, lang)),  # type: ignore[arg-type]
        Section(text("backlog", lang), [_ageing(f, lang)]),
        Section(text("lagging", lang), [_action_table(report.lagging, "no_lagging", lang)]),
    ]


def _action_table(items: Sequence[ActionItem], empty: str, lang: str) -> Table | Paragraph:
    """Improvement actions as a table, or a sentence when there are none."""
    if not items:
        return Paragraph(text(empty, lang))
    return Table(
        [
            text("rank", lang),
            text("action", lang),
            text("owner", lang),
            text("due", lang),
            text("status", lang),
        ],
        [[str(i + 1), a.title, a.owner, str(a.due), a.status] for i, a in enumerate(items)],
    )


def _root_cause_table(report: MonthlyReport, lang: str) -> Table | Paragraph:
    """Root causes by responsible department, most tickets first within each."""
    if not report.root_causes:
        return Paragraph(text("no_root_causes", lang))
    return Table(
        [
            text(k, lang)
            for k in ("department", "root_cause_category", "root_cause", "tickets_explained")
        ],
        [
            [row.department, row.category.label(lang), row.summary, str(row.tickets)]
            for row in report.root_causes
        ],
    )


def monthly_sections(report: MonthlyReport, lang: str) -> list[Section]:
    """The monthly report's sections."""
    f = report.figures
    kpi_rows = []
    for key, (_, unit) in INDICATORS.items():
        kpi_rows.append(
            [
                text(key, lang),
                _fmt(report.value(key), unit),
                _fmt(report.value(key, 1), unit) if report.history else "—",
                _delta(report.change(key), unit),
                _fmt(report.rolling(key), "mean_count" if unit == "count" else unit),
            ]
        )
    months = report.months_with_data()
    rolling = text("rolling_one", lang) if months == 1 else text("rolling", lang).format(n=months)
    kpi_table = Table(
        [*(text(k, lang) for k in ("indicator", "this_period", "previous", "change")), rolling],
        kpi_rows,
    )
    shown = [*reversed(report.history), f]
    trend = Chart(
        "line",
        text("trend3", lang),
        [m.period.label for m in shown],
        [
            (text(key, lang), [indicator_value(key, m) for m in shown])
            for key in ("closure", "first_line", "csat", "visit_coverage")
        ],
    )
    channel_rows = [
        [_term(Channel, c.channel, lang), str(c.count), _fmt(_hours(c.mean), "h")]
        for c in f.channel_response
    ]
    sat = f.satisfaction
    feedback_blocks: list[Table | Paragraph | Chart] = [
        Paragraph(
            f"{text('satisfaction', lang)}: {_fmt(sat.mean, 'score')} · CSAT {_fmt(sat.csat, 'pct')}"
            f" · NPS {_fmt(f.nps.score, 'nps')} ({f.nps.responses} {text('responses', lang)})"
        ),
        Table(
            [text("score", lang), "1", "2", "3", "4", "5"],
            [[text("count", lang), *[str(n) for n in sat.distribution]]],
        ),
        Chart(
            "bar",
            text("distribution", lang),
            ["1", "2", "3", "4", "5"],
            [(text("count", lang), list(sat.distribution))],
        ),
    ]
    if report.feedback:
        feedback_blocks.append(
            Table(
                [text(k, lang) for k in ("ticket", "customer", "category", "score", "comment")],
                [
                    [
                        line.ticket_id,
                        line.customer_name,
                        _term(ProblemCategory, line.category, lang),
                        str(line.score),
                        line.comment or "—",
                    ]
                    for line in report.feedback[:10]
                ],
            )
        )
    return [
        Section(text("overview", lang), [_overview(f, lang), _daily_chart(f, lang)]),
        Section(text("kpis", lang), [kpi_table, trend]),
        Section(
            text("sla", lang),
            [
                _sla_table(f, lang),
                Table(
                    [text("channel", lang), text("count", lang), text("mean_fr", lang)],
                    channel_rows,
                ),
            ],
        ),
        Section(
            text("problems", lang),
            [
                _top(f, lang),
                _category_chart(f, lang),
                _classification(f, lang),
                _quadrant_chart(f, lang),
            ],
        ),
        Section(text("events", lang), _events(f, lang)),  # type: ignore[arg-type]
        Section(text("feedback", lang), feedback_blocks),
        Section(
            text("volumes", lang),
            [*_volumes(f, lang, ("channel", "priority", "product", "agent")), _ageing(f, lang)],
        ),
        Section(text("root_causes", lang), [_root_cause_table(report, lang)]),
        Section(text("actions", lang), [_action_table(report.actions, "no_actions", lang)]),
    ]


# -- Markdown ---------------------------------------------------------------------------------


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(escape_markdown(c, block=False) for c in cells) + " |"


def markdown(title: str, sections: Sequence[Section], *, note: str = "") -> str:
    """Sections as Markdown (charts are left out: they are pictures of the tables).

    ``note`` is a line under the title. Every text is escaped with
    :func:`~aftersales.reports.escaping.escape_markdown`: what comes from data
    renders as text, never as a tag, link, image, heading or list.
    """
    lines = [f"# {escape_markdown(title)}", ""]
    if note:
        lines += [escape_markdown(note), ""]
    for section in sections:
        lines += [f"## {escape_markdown(section.title)}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                lines += [escape_markdown(block.text), ""]
            elif isinstance(block, Table):
                if not block.rows:
                    lines += ["—", ""]
                    continue
                lines.append(_md_row(block.headers))
                lines.append("|" + "|".join("---" for _ in block.headers) + "|")
                lines.extend(_md_row(row) for row in block.rows)
                lines.append("")
    return "\n".join(lines)


# -- HTML ---------------------------------------------------------------------------------------


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


_CSS = """
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --accent:#2563eb; --bg:#f8fafc; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 14px/1.5 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei","Segoe UI",Roboto,sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 48px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 18px; padding-bottom: 8px; }
h1 { font-size: 26px; margin: 0; }
h2 { font-size: 18px; margin: 0 0 10px; color: var(--accent); }
section { background:#fff; border:1px solid var(--line); border-radius:10px;
  padding:16px 20px; margin:16px 0; box-shadow:0 1px 2px rgba(0,0,0,.04); }
.blocks { display:flex; flex-wrap:wrap; gap:16px; align-items:flex-start; }
.blocks > * { flex: 1 1 480px; min-width: 0; }
.blocks > p { flex-basis: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background:#f1f5f9; font-weight:600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin:0; }
figure svg { width:100%; height:auto; max-height: 360px; }
.note { color: var(--muted); font-size: 12px; }
"""


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_NUMBER = re.compile(r"^[+\-±]?[\d,.]+(%| h| pp)?( \(\d+/\d+\))?$|^—$")


def _num(cell: str) -> bool:
    return bool(_NUMBER.match(cell))


def _table_html(table: Table) -> str:
    if not table.rows:
        return "<p>—</p>"
    head = "".join(f"<th>{_html.escape(h)}</th>" for h in table.headers)
    body = []
    for row in table.rows:
        cells = "".join(
            f'<td class="num">{_html.escape(c)}</td>' if _num(c) else f"<td>{_html.escape(c)}</td>"
            for c in row
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _chart_svg(chart: Chart) -> str:
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


def html(
    title: str, sections: Sequence[Section], *, lang: str, charts: bool = True, note: str = ""
) -> str:
    """Sections as one self-contained HTML page (inline CSS, inline SVG charts, no scripts).

    ``note`` is a line under the title; every text is HTML-escaped.
    """
    draw = charts and charts_available()
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_html.escape(title)}</title><style>{_CSS}</style></head>",
        f"<body><main><header><h1>{_html.escape(title)}</h1>",
        f'<p class="note">{_html.escape(note)}</p></header>' if note else "</header>",
    ]
    if charts and not draw:
        parts.append(f'<p class="note">{_html.escape(text("charts_missing", lang))}</p>')
    for section in sections:
        parts.append(f'<section><h2>{_html.escape(section.title)}</h2><div class="blocks">')
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(f"<p>{_html.escape(block.text)}</p>")
            elif isinstance(block, Table):
                parts.append(f"<div>{_table_html(block)}</div>")
            elif draw:
                parts.append(f"<figure>{_chart_svg(block)}</figure>")
        parts.append("</div></section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
