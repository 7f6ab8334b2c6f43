"""A report laid out as sections: what each report shows, in which order, with which labels.

:func:`daily_sections`, :func:`weekly_sections` and :func:`monthly_sections`
turn a report into :class:`~aftersales.reports.blocks.Section` values (tables,
paragraphs, charts) in one language; the renderers then write them as Markdown
or HTML. :data:`INDICATORS` is the monthly KPI table: each indicator, how it is
read from :class:`~aftersales.kpi.KpiFigures` and its unit.

The layout reads a report through the small protocols below (its figures,
lines and comparisons), so it never imports the report classes that call it.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.reports import daily
    >>> report = daily([], "2026-10-12", calendar=WorkCalendar.china())
    >>> [section.title for section in daily_sections(report, "en")]
    ['Overview', 'Problems received today', 'Problem classification', 'Open backlog']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, Protocol

from aftersales.errors import UnknownValue
from aftersales.improvement.analysis import RootCauseRow
from aftersales.kpi.accumulators import Rate
from aftersales.kpi.figures import KpiFigures, Quadrant
from aftersales.kpi.periods import Period
from aftersales.model.substatus import SubStatuses
from aftersales.reports.blocks import Chart, Paragraph, Section, Table
from aftersales.reports.breakdowns import dimension_table, type_table
from aftersales.reports.labels import metric_label, text
from aftersales.reports.lines import ActionItem, FeedbackLine, TicketLine
from aftersales.vocab import Channel, Priority, ProblemCategory, RootCauseCategory, TicketStatus

__all__ = [
    "INDICATORS",
    "daily_sections",
    "indicator_value",
    "monthly_sections",
    "weekly_sections",
]


class _DailyContent(Protocol):
    """What the daily layout reads from a report."""

    @property
    def period(self) -> Period: ...
    @property
    def figures(self) -> KpiFigures: ...
    @property
    def tickets(self) -> tuple[TicketLine, ...]: ...


class _WeeklyContent(Protocol):
    """What the weekly layout reads from a report."""

    @property
    def figures(self) -> KpiFigures: ...
    @property
    def previous(self) -> KpiFigures: ...
    @property
    def lagging(self) -> tuple[ActionItem, ...]: ...


class _MonthlyContent(Protocol):
    """What the monthly layout reads from a report."""

    @property
    def figures(self) -> KpiFigures: ...
    @property
    def history(self) -> tuple[KpiFigures, ...]: ...
    @property
    def feedback(self) -> tuple[FeedbackLine, ...]: ...
    @property
    def actions(self) -> tuple[ActionItem, ...]: ...
    @property
    def root_causes(self) -> tuple[RootCauseRow, ...]: ...
    @property
    def substatuses(self) -> SubStatuses | None: ...
    def value(self, indicator: str, months_back: int = 0) -> float | None: ...
    def change(self, indicator: str) -> float | None: ...
    def rolling(self, indicator: str) -> float | None: ...
    def months_with_data(self) -> int: ...


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


# -- sections ----------------------------------------------------------------------------------


def _overview(f: KpiFigures, lang: str) -> Paragraph:
    zh = lang == "zh"
    fr = _fmt(_hours(f.first_response.mean), "h")
    sat = _fmt(f.satisfaction.mean, "score")
    complaints = f.closure.denominator
    if zh:
        return Paragraph(
            f"本期受理 {f.received} 单(取消 {f.cancelled} 单),其中投诉 {complaints} 单,"
            f"投诉闭环率 {_fmt(f.closure.percent, 'pct')},"
            f"一线解决率 {_fmt(f.first_line.percent, 'pct')},平均首次响应 {fr}(工作时),"
            f"满意度 {sat} 分,未结工单 {f.backlog} 单。"
        )
    return Paragraph(
        f"{f.received} tickets received ({f.cancelled} cancelled), {complaints} of them"
        f" complaints; complaint closure rate "
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


def _substatus_table(f: KpiFigures, lang: str, declared: SubStatuses | None) -> Table:
    """Per sub-status entered: tickets, still waiting, time of the stays that ended."""
    rows = []
    for item in f.substatuses:
        label = item.substatus
        if declared is not None and item.substatus in declared:
            label = declared.get(item.substatus).label(lang)
        rows.append(
            [
                label,
                str(item.entered),
                str(item.waiting),
                _fmt(_hours(item.working_total) if item.working.count else None, "h"),
                _fmt(_hours(item.working.mean), "h"),
                _fmt(_hours(item.working.median), "h"),
                _fmt(_hours(item.calendar.mean), "h"),
            ]
        )
    headers = ("substatus", "entered", "still_waiting", "wait_total", "wait_mean", "wait_median")
    return Table([*(text(k, lang) for k in headers), text("wait_mean_calendar", lang)], rows)


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


def daily_sections(report: _DailyContent, lang: str) -> list[Section]:
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
    try:
        return TicketStatus.parse(code).label(lang)
    except UnknownValue:
        return code


def weekly_sections(report: _WeeklyContent, lang: str) -> list[Section]:
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


def _root_cause_table(report: _MonthlyContent, lang: str) -> Table | Paragraph:
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


def monthly_sections(report: _MonthlyContent, lang: str) -> list[Section]:
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
    by_dimension = dimension_table(f, lang)
    if by_dimension is not None:
        feedback_blocks += [Paragraph(text("by_dimension", lang)), by_dimension]
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
    waits = [Section(text("substatus_time", lang), [_substatus_table(f, lang, report.substatuses)])]
    types = [Section(text("by_type", lang), [type_table(f, lang)])]
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
        *(waits if f.substatuses else []),
        *(types if f.volumes["ticket_type"] else []),
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
