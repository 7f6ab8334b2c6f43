"""The deck a supervisor presents (monthly, quarterly, yearly), laid out as its six sections.

In the deck's order, each :class:`~aftersales.reports.blocks.Section` with its key:

1. ``overview`` 月度工作概述 (季度 / 年度 for a quarter or a year): the period
   in one paragraph and the daily trend;
2. ``kpi`` 关键绩效指标: the KPI table (this period with its target and mark,
   the previous period, 环比, 同比 when last year has data, the rolling
   3-period mean), the host-supplied figures, the 3-period trend, SLA
   achievement and response by channel, the time in sub-statuses and the
   tickets by type (each when there is any);
3. ``problems`` 问题与挑战分析: TOP 5, the distribution by category, channel,
   priority, product and agent, the four quadrants, major events, root causes
   by department, the backlog's ageing;
4. ``actions`` 改进措施计划: the improvement plan;
5. ``feedback`` 客户反馈汇总: satisfaction, its distribution and dimensions,
   净推荐值 (NPS), the low-score feedback;
6. ``outlook`` 总结与展望: highlights, lowlights, actions due next period, main
   risks (see :mod:`~aftersales.reports.outlook`) and the supervisor's text.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.reports import monthly
    >>> report = monthly([], "2026-10", calendar=WorkCalendar.china())
    >>> [(s.key, s.title) for s in monthly_sections(report, "zh")][:3]
    [('overview', '月度工作概述'), ('kpi', '关键绩效指标'), ('problems', '问题与挑战分析')]
"""

from __future__ import annotations

from typing import Protocol

from aftersales.errors import UnknownValue
from aftersales.improvement.analysis import RootCauseRow
from aftersales.kpi.feedback import FeedbackClass
from aftersales.kpi.figures import KpiFigures
from aftersales.model.substatus import SubStatuses
from aftersales.reports._parts import (
    action_table,
    ageing_table,
    category_chart,
    classification,
    daily_chart,
    event_blocks,
    fmt,
    hours,
    overview,
    quadrant_chart,
    root_cause_table,
    sla_table,
    substatus_table,
    term,
    top_table,
    volume_tables,
)
from aftersales.reports.blocks import Chart, Paragraph, Section, Table
from aftersales.reports.breakdowns import dimension_table, type_table
from aftersales.reports.changes import Change
from aftersales.reports.formats import change_text, figure_text, target_text
from aftersales.reports.indicators import INDICATORS, indicator_value
from aftersales.reports.labels import metric_label, period_text, text
from aftersales.reports.lines import FeedbackLine
from aftersales.reports.outlook import Outlook, OutlookItem, _DeckContent
from aftersales.vocab import Channel, ProblemCategory

__all__ = ["SECTION_KEYS", "monthly_sections"]

#: The deck's sections, in order.
SECTION_KEYS = ("overview", "kpi", "problems", "actions", "feedback", "outlook")

#: SLA metrics whose achievement rate is a KPI-table indicator (its target marks the SLA row).
_SLA_INDICATORS = {"onsite_within": "onsite_24h"}


class _Deck(_DeckContent, Protocol):
    """What the deck layout reads from a report."""

    @property
    def history(self) -> tuple[KpiFigures, ...]: ...
    @property
    def year_ago(self) -> KpiFigures | None: ...
    @property
    def feedback(self) -> tuple[FeedbackLine, ...]: ...
    @property
    def root_causes(self) -> tuple[RootCauseRow, ...]: ...
    @property
    def substatuses(self) -> SubStatuses | None: ...
    def year_change(self, indicator: str) -> Change | None: ...
    def rolling(self, indicator: str) -> float | None: ...
    def months_with_data(self) -> int: ...
    def outlook(self) -> Outlook: ...


def _kpi_table(report: _Deck, lang: str) -> Table:
    with_targets = len(report.targets) > 0
    with_year = report.year_ago is not None
    rows: list[list[str]] = []
    marks: list[list[str | None]] = []
    for key, (_, unit) in INDICATORS.items():
        target = report.targets.get(key)
        row = [text(key, lang), figure_text(report.value(key), unit, lang)]
        mark = report.targets.mark(key, report.value(key))
        if with_targets:
            row.append(
                "—" if target is None else target_text(target.value, target.direction, unit, lang)
            )
        row.append(figure_text(report.value(key, 1), unit, lang) if report.history else "—")
        row.append(change_text(report.period_change(key), lang, unit))
        if with_year:
            year = report.year_change(key)
            row.append("—" if year is None else change_text(year, lang, unit))
        row.append(figure_text(report.rolling(key), unit, lang, mean=unit == "count"))
        rows.append(row)
        marks.append([None, mark, *([None] * (len(row) - 2))])
    months = report.months_with_data()
    headers = [text("indicator", lang), text("this_period", lang)]
    if with_targets:
        headers.append(text("target", lang))
    headers += [text("previous", lang), text("change", lang)]
    if with_year:
        headers.append(text("yoy", lang))
    rolling = "rolling_one" if months == 1 else "rolling"
    headers.append(period_text(rolling, report.period.kind, lang).format(n=months))
    return Table(headers, rows, marks if any(m for row in marks for m in row) else [])


def _external_table(report: _Deck, lang: str) -> list[Table | Paragraph | Chart]:
    figures = report.external_figures
    if not figures:
        return []
    rows = [[f.label(lang), f.value_text(), f.target_text()] for f in figures]
    marks: list[list[str | None]] = [[None, f.mark, None] for f in figures]
    headers = [text(k, lang) for k in ("indicator", "this_period", "target")]
    return [
        Paragraph(text("external_figures", lang)),
        Table(headers, rows, marks if any(f.mark for f in figures) else []),
    ]


def _sla_blocks(report: _Deck, lang: str) -> list[Table | Paragraph | Chart]:
    f = report.figures
    table = sla_table(f, lang)
    marks: list[list[str | None]] = []
    for item in f.sla:
        indicator = _SLA_INDICATORS.get(item.metric)
        mark = None if indicator is None else report.targets.mark(indicator, item.rate.percent)
        marks.append([None, None, None, None, mark])
    if any(m for row in marks for m in row):
        table = Table(table.headers, table.rows, marks)
    channels = Table(
        [text("channel", lang), text("count", lang), text("mean_fr", lang)],
        [
            [term(Channel, c.channel, lang), str(c.count), fmt(hours(c.mean), "h", lang)]
            for c in f.channel_response
        ],
    )
    return [Paragraph(text("sla", lang)), table, channels]


def _kpi_section(report: _Deck, lang: str) -> Section:
    f = report.figures
    shown = [*reversed(report.history), f]
    trend = Chart(
        "line",
        period_text("trend3", report.period.kind, lang),
        [m.period.label for m in shown],
        [
            (text(key, lang), [indicator_value(key, m) for m in shown])
            for key in ("closure", "first_line", "csat", "visit_coverage")
        ],
    )
    blocks: list[Table | Paragraph | Chart] = [
        _kpi_table(report, lang),
        *_external_table(report, lang),
        trend,
        *_sla_blocks(report, lang),
    ]
    if f.substatuses:
        blocks += [
            Paragraph(text("substatus_time", lang)),
            substatus_table(f, lang, report.substatuses),
        ]
    if f.volumes["ticket_type"]:
        blocks += [Paragraph(text("by_type", lang)), type_table(f, lang)]
    return Section(text("deck_kpi", lang), blocks, key="kpi")


def _problems_section(report: _Deck, lang: str) -> Section:
    f = report.figures
    dimensions = ("channel", "priority", "product", "agent")
    return Section(
        text("deck_problems", lang),
        [
            Paragraph(text("top", lang)),
            top_table(f, lang),
            category_chart(f, lang),
            Paragraph(text("volumes", lang)),
            *volume_tables(f, lang, dimensions),
            Paragraph(text("quadrants", lang)),
            classification(f, lang),
            quadrant_chart(f, lang),
            Paragraph(text("events", lang)),
            *event_blocks(f, lang),
            Paragraph(text("root_causes", lang)),
            root_cause_table(report.root_causes, lang),
            Paragraph(text("ageing", lang)),
            ageing_table(f, lang),
        ],
        key="problems",
    )


def _feedback_section(report: _Deck, lang: str) -> Section:
    f = report.figures
    sat = f.satisfaction
    blocks: list[Table | Paragraph | Chart] = [
        Paragraph(
            f"{text('visit_satisfaction', lang)}: {figure_text(sat.mean, 'score', lang)}"
            f" · CSAT {figure_text(sat.csat, 'pct', lang)}"
            f" · {text('nps', lang)} {figure_text(f.nps.score, 'nps', lang)}"
            f" ({f.nps.responses} {text('responses', lang)})"
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
        blocks += [Paragraph(text("by_dimension", lang)), by_dimension]
    if report.feedback:
        blocks += [
            Paragraph(text("low_scores", lang)),
            Table(
                [text(k, lang) for k in ("ticket", "customer", "category", "score", "comment")],
                [
                    [
                        line.ticket_id,
                        line.customer_name,
                        term(ProblemCategory, line.category, lang),
                        str(line.score),
                        line.comment or "—",
                    ]
                    for line in report.feedback[:10]
                ],
            ),
        ]
    return Section(text("deck_feedback", lang), blocks + _survey_blocks(f, lang), key="feedback")


def _feedback_class(code: str, lang: str) -> str:
    try:
        label = FeedbackClass.parse(code).label(lang)
    except UnknownValue:
        return code
    return label if lang == "zh" else label.capitalize()


def _survey_blocks(f: KpiFigures, lang: str) -> list[Table | Paragraph | Chart]:
    """The surveys answered in the period and their feedback by class (none: nothing)."""
    surveys = f.surveys
    if surveys.count == 0:
        return []
    line = text("surveys_line", lang).format(
        n=surveys.count,
        sat=figure_text(surveys.satisfaction.mean, "score", lang),
        csat=figure_text(surveys.satisfaction.csat, "pct", lang),
    )
    blocks: list[Table | Paragraph | Chart] = [Paragraph(line)]
    if surveys.commented:
        rows = [
            [
                _feedback_class(code, lang),
                str(count),
                f"{100 * count / surveys.commented:.1f}%",
            ]
            for code, count in surveys.feedback
        ]
        headers = [text(k, lang) for k in ("feedback_class", "count", "share")]
        blocks += [Paragraph(text("feedback_by_class", lang)), Table(headers, rows)]
    return blocks


def _label(key: str, report: _Deck, lang: str) -> tuple[str, str]:
    """The label and unit of an indicator or a host figure's key."""
    if key in INDICATORS:
        return text(key, lang), INDICATORS[key][1]
    for figure in report.external_figures:
        if figure.key == key:
            return figure.label(lang), ""
    return key, ""


def _figure(value: float | None, unit: str, report: _Deck, key: str, lang: str) -> str:
    if unit:
        return figure_text(value, unit, lang)
    figure = next(f for f in report.external_figures if f.key == key)
    return figure.value_text()


def _sentence(item: OutlookItem, report: _Deck, lang: str) -> str:
    """One line of the summary in ``lang``."""
    if item.kind in ("target_met", "target_missed", "improved", "declined"):
        label, unit = _label(item.indicator, report, lang)
        value = _figure(item.value, unit, report, item.indicator, lang)
        if item.kind in ("improved", "declined"):
            assert item.change is not None
            return text(f"say_{item.kind}", lang).format(
                label=label, change=change_text(item.change, lang, unit), value=value
            )
        if unit:
            target = target_text(item.target or 0.0, item.direction, unit, lang)
        else:
            figure = next(f for f in report.external_figures if f.key == item.indicator)
            target = figure.target_text()
        return text(f"say_{item.kind}", lang).format(label=label, value=value, target=target)
    if item.kind == "sla_breached":
        return text("say_sla_breached", lang).format(
            metric=metric_label(item.indicator, lang), n=item.count
        )
    if item.kind == "major_event":
        what = (
            text(item.indicator, lang)
            if item.indicator in ("customer_batch", "failure_rate")
            else item.indicator
        )
        rate = "" if item.value is None else f" ({item.value:.1f}%)"
        return text("say_major_event", lang).format(
            what=what, subject=item.subject, n=item.count, rate=rate
        )
    if item.kind == "overdue_action":
        due = "—" if item.due is None else item.due.isoformat()
        return text("say_overdue_action", lang).format(
            action=item.subject, owner=item.indicator, due=due
        )
    return text("say_old_backlog", lang).format(bucket=item.subject, n=item.count)


def _outlook_section(report: _Deck, lang: str) -> Section:
    outlook = report.outlook()
    kind = report.period.kind
    blocks: list[Table | Paragraph | Chart] = [Paragraph(text("highlights", lang))]
    blocks += [Paragraph(_sentence(i, report, lang), kind="highlight") for i in outlook.highlights]
    if not outlook.highlights:
        blocks.append(Paragraph(text("no_highlights", lang)))
    blocks.append(Paragraph(text("lowlights", lang)))
    blocks += [Paragraph(_sentence(i, report, lang), kind="lowlight") for i in outlook.lowlights]
    if not outlook.lowlights:
        blocks.append(Paragraph(text("no_lowlights", lang)))
    blocks.append(Paragraph(period_text("actions_due", kind, lang)))
    blocks.append(action_table(outlook.actions_due, "no_actions_due", lang))
    blocks.append(Paragraph(text("risks", lang)))
    blocks += [Paragraph(_sentence(i, report, lang), kind="risk") for i in outlook.risks]
    if not outlook.risks:
        blocks.append(Paragraph(text("no_risks", lang)))
    if outlook.supervisor.strip():
        blocks.append(Paragraph(text("supervisor", lang)))
        blocks += [
            Paragraph(part.strip(), kind="supervisor")
            for part in outlook.supervisor.strip().split("\n\n")
            if part.strip()
        ]
    return Section(text("outlook", lang), blocks, key="outlook")


def monthly_sections(report: _Deck, lang: str) -> list[Section]:
    """The deck's six sections (see the module's description), for a month, quarter or year.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.reports import monthly
        >>> report = monthly([], "2026-10", calendar=WorkCalendar.china())
        >>> [s.key for s in monthly_sections(report, "en")] == list(SECTION_KEYS)
        True
    """
    f = report.figures
    kind = report.period.kind
    return [
        Section(
            period_text("deck_overview", kind, lang),
            [overview(f, lang), daily_chart(f, lang)],
            key="overview",
        ),
        _kpi_section(report, lang),
        _problems_section(report, lang),
        Section(
            text("deck_actions", lang),
            [action_table(report.actions, "no_actions", lang)],
            key="actions",
        ),
        _feedback_section(report, lang),
        _outlook_section(report, lang),
    ]
