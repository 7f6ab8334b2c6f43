"""The parts the daily, weekly and deck layouts share: labels of codes, and the common tables and charts.

Private to :mod:`aftersales.reports`: :mod:`~aftersales.reports.layout` and
:mod:`~aftersales.reports.deck_layout` build their sections from these.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from aftersales.errors import UnknownValue
from aftersales.improvement.analysis import RootCauseRow
from aftersales.kpi.figures import KpiFigures, Quadrant
from aftersales.model.substatus import SubStatuses
from aftersales.reports.blocks import Chart, Paragraph, Table
from aftersales.reports.formats import figure_text
from aftersales.reports.labels import metric_label, text
from aftersales.reports.lines import ActionItem
from aftersales.vocab import Channel, Priority, ProblemCategory, RootCauseCategory, TicketStatus

_H = timedelta(hours=1)


def hours(value: timedelta | None) -> float | None:
    return None if value is None else value / _H


def fmt(value: float | None, unit: str, lang: str) -> str:
    return figure_text(value, unit, lang)


def term(vocabulary: Any, code: str | None, lang: str) -> str:
    if code is None or code == "":
        return "—"
    try:
        return str(vocabulary.get(code).label(lang))
    except UnknownValue:
        return code


def priority_label(code: str, lang: str) -> str:
    try:
        return Priority.parse(code).label(lang)
    except UnknownValue:
        return code


def dimension_label(dimension: str, key: str, lang: str) -> str:
    if dimension == "channel":
        return term(Channel, key, lang)
    if dimension == "category":
        return term(ProblemCategory, key, lang)
    if dimension == "root_cause":
        return term(RootCauseCategory, key, lang)
    if dimension == "priority":
        return priority_label(key, lang)
    return key or "—"


def overview(f: KpiFigures, lang: str) -> Paragraph:
    zh = lang == "zh"
    fr = fmt(hours(f.first_response.mean), "h", lang)
    sat = fmt(f.satisfaction.mean, "score", lang)
    complaints = f.closure.denominator
    if zh:
        return Paragraph(
            f"本期受理 {f.received} 单(取消 {f.cancelled} 单),其中投诉 {complaints} 单,"
            f"投诉闭环率 {fmt(f.closure.percent, 'pct', lang)},"
            f"一线解决率 {fmt(f.first_line.percent, 'pct', lang)},平均首次响应 {fr}(工作时),"
            f"满意度 {sat},未结工单 {f.backlog} 单。"
        )
    return Paragraph(
        f"{f.received} tickets received ({f.cancelled} cancelled), {complaints} of them"
        f" complaints; complaint closure rate "
        f"{fmt(f.closure.percent, 'pct', lang)}, first-line resolution {fmt(f.first_line.percent, 'pct', lang)}, "
        f"mean first response {fr} (working time), satisfaction {sat}, open backlog {f.backlog}."
    )


def sla_table(f: KpiFigures, lang: str) -> Table:
    rows = []
    for item in f.sla:
        rows.append(
            [
                metric_label(item.metric, lang),
                str(item.achieved),
                str(item.breached),
                str(item.in_progress),
                fmt(item.rate.percent, "pct", lang),
            ]
        )
    headers = ("metric", "achieved", "breached", "in_progress", "rate")
    return Table([text(k, lang) for k in headers], rows)


def substatus_table(f: KpiFigures, lang: str, declared: SubStatuses | None) -> Table:
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
                fmt(hours(item.working_total) if item.working.count else None, "h", lang),
                fmt(hours(item.working.mean), "h", lang),
                fmt(hours(item.working.median), "h", lang),
                fmt(hours(item.calendar.mean), "cal_h", lang),
            ]
        )
    headers = ("substatus", "entered", "still_waiting", "wait_total", "wait_mean", "wait_median")
    return Table([*(text(k, lang) for k in headers), text("wait_mean_calendar", lang)], rows)


def classification(f: KpiFigures, lang: str, previous: KpiFigures | None = None) -> Table:
    before = dict(previous.volumes["category"]) if previous is not None else {}
    headers = [text("category", lang), text("count", lang), text("share", lang)]
    if previous is not None:
        headers.append(text("previous", lang))
    headers += [text("impact", lang), text("quadrant", lang)]
    rows = []
    for q in f.quadrants:
        row = [term(ProblemCategory, q.category, lang), str(q.count), f"{100 * q.frequency:.1f}%"]
        if previous is not None:
            row.append(str(before.get(q.category, 0)))
        row += [f"{100 * q.impact:.1f}%", Quadrant.label(q.quadrant, lang)]
        rows.append(row)
    return Table(headers, rows)


def top_table(f: KpiFigures, lang: str) -> Table:
    valid = max(f.valid, 1)
    rows = [
        [str(i + 1), term(ProblemCategory, code, lang), str(n), f"{100 * n / valid:.1f}%"]
        for i, (code, n) in enumerate(f.top)
    ]
    return Table(
        [text("rank", lang), text("category", lang), text("count", lang), text("share", lang)], rows
    )


def volume_tables(f: KpiFigures, lang: str, dimensions: Sequence[str]) -> list[Table]:
    tables = []
    for dimension in dimensions:
        pairs = f.volumes[dimension][:10]
        if not pairs:
            continue
        rows = [[dimension_label(dimension, k, lang), str(n)] for k, n in pairs]
        tables.append(Table([text(dimension, lang), text("count", lang)], rows))
    return tables


def category_chart(f: KpiFigures, lang: str) -> Chart:
    pairs = f.volumes["category"]
    return Chart(
        "bar",
        text("volumes", lang) + " · " + text("category", lang),
        [term(ProblemCategory, k, lang) for k, _ in pairs],
        [(text("count", lang), [n for _, n in pairs])],
    )


def daily_chart(f: KpiFigures, lang: str) -> Chart:
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


def quadrant_chart(f: KpiFigures, lang: str) -> Chart:
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
            term(ProblemCategory, q.category, lang)
            for quadrant in Quadrant.LABELS
            for q in f.quadrants
            if q.quadrant == quadrant
        ],
    )


def event_blocks(f: KpiFigures, lang: str) -> list[Table | Paragraph]:
    if not f.events:
        return [Paragraph(text("no_events", lang))]
    rows = []
    for event in f.events:
        if event.kind == "customer_batch":
            what = f"{event.name} ({event.key}) · {term(ProblemCategory, event.category, lang)}"
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


def ageing_table(f: KpiFigures, lang: str) -> Table:
    return Table([text("age", lang), text("count", lang)], [[name, str(n)] for name, n in f.ageing])


def status_label(code: str, lang: str) -> str:
    try:
        return TicketStatus.parse(code).label(lang)
    except UnknownValue:
        return code


def action_table(items: Sequence[ActionItem], empty: str, lang: str) -> Table | Paragraph:
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


def root_cause_table(root_causes: Sequence[RootCauseRow], lang: str) -> Table | Paragraph:
    """Root causes by responsible department, most tickets first within each."""
    if not root_causes:
        return Paragraph(text("no_root_causes", lang))
    return Table(
        [
            text(k, lang)
            for k in ("department", "root_cause_category", "root_cause", "tickets_explained")
        ],
        [
            [row.department, row.category.label(lang), row.summary, str(row.tickets)]
            for row in root_causes
        ],
    )
