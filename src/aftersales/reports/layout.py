"""A report laid out as sections: what each report shows, in which order, with which labels.

:func:`daily_sections` and :func:`weekly_sections` turn the daily and weekly
reports into :class:`~aftersales.reports.blocks.Section` values (tables,
paragraphs, charts) in one language; the renderers then write them as
Markdown or HTML. The monthly deck (also used for quarters and years) is laid
out by :mod:`~aftersales.reports.deck_layout` (:func:`monthly_sections`, also
importable from here), its KPI table's indicators are in
:mod:`~aftersales.reports.indicators` (:data:`INDICATORS`,
:func:`indicator_value`, also importable from here) and the numbers are
written by :mod:`~aftersales.reports.formats`.

The layout reads a report through small protocols (its figures, lines and
comparisons), so it never imports the report classes that call it.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.reports import daily
    >>> report = daily([], "2026-10-12", calendar=WorkCalendar.china())
    >>> [section.title for section in daily_sections(report, "en")]
    ['Overview', 'Problems received today', 'Problem classification', 'Open backlog']
"""

from __future__ import annotations

from typing import Protocol

from aftersales.kpi.figures import KpiFigures
from aftersales.kpi.periods import Period
from aftersales.reports._parts import (
    action_table,
    ageing_table,
    category_chart,
    classification,
    daily_chart,
    event_blocks,
    overview,
    priority_label,
    status_label,
    term,
    top_table,
)
from aftersales.reports.blocks import Section, Table
from aftersales.reports.deck_layout import monthly_sections
from aftersales.reports.indicators import INDICATORS, indicator_value
from aftersales.reports.labels import text
from aftersales.reports.lines import ActionItem, TicketLine
from aftersales.vocab import Channel, ProblemCategory

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


def daily_sections(report: _DailyContent, lang: str) -> list[Section]:
    """The daily report's sections."""
    f = report.figures
    rows = [
        [
            line.ticket_id,
            line.received_at.in_timezone(report.period.tz).format("HH:mm"),
            line.customer_name,
            term(Channel, line.channel, lang),
            term(ProblemCategory, line.category, lang),
            priority_label(line.priority, lang),
            status_label(line.status, lang),
            line.description,
        ]
        for line in report.tickets
    ]
    headers = ["ticket", "", "customer", "channel", "category", "priority", "status", "description"]
    return [
        Section(text("overview", lang), [overview(f, lang)]),
        Section(
            text("new_tickets", lang),
            [Table([text(h, lang) if h else "" for h in headers], rows)],
        ),
        Section(text("classification", lang), [classification(f, lang), category_chart(f, lang)]),
        Section(text("backlog", lang), [ageing_table(f, lang)]),
    ]


def weekly_sections(report: _WeeklyContent, lang: str) -> list[Section]:
    """The weekly report's sections: overview, classification with the previous week, TOP 5."""
    f = report.figures
    return [
        Section(text("overview", lang), [overview(f, lang)]),
        Section(
            text("classification", lang),
            [classification(f, lang, report.previous), category_chart(f, lang)],
        ),
        Section(text("top", lang), [top_table(f, lang)]),
        Section(text("trend", lang), [daily_chart(f, lang)]),
        Section(text("events", lang), event_blocks(f, lang)),  # type: ignore[arg-type]
        Section(text("backlog", lang), [ageing_table(f, lang)]),
        Section(text("lagging", lang), [action_table(report.lagging, "no_lagging", lang)]),
    ]
