"""The report builders: :func:`daily` and :func:`weekly` here, and the deck's :func:`monthly`,
:func:`quarterly` and :func:`yearly` (from :mod:`~aftersales.reports.deck_builders`), from tickets.

Each reads the tickets its period needs from a source (any
:class:`~aftersales.reports.reading.TicketSource`, such as a ticket store) or
from an iterable of tickets, feeds :class:`~aftersales.kpi.ServiceKpis` at the
instant the report is read (:func:`~aftersales.reports.reading.read_at`) and
returns an immutable report of :mod:`~aftersales.reports.core`.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> report = weekly([sample_ticket()], "2024-05-10", calendar=WorkCalendar.china())
    >>> report.period.label, report.figures.received
    ('2024-W19', 1)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from aftersales.calendar import WorkCalendar
from aftersales.improvement.actions import ImprovementAction, lagging
from aftersales.kpi.options import KpiOptions
from aftersales.kpi.periods import Period
from aftersales.model.ticket import Ticket
from aftersales.reports._building import as_of_kpis, fill, kpis_for, period_of, read_into
from aftersales.reports.core import DailyReport, WeeklyReport
from aftersales.reports.deck_builders import monthly, quarterly, yearly
from aftersales.reports.facts_reading import read_period, rebuild_note
from aftersales.reports.lines import ActionItem, TicketLine
from aftersales.reports.reading import TicketSource, checked_source, read_at, tickets_for
from aftersales.sla import SlaPolicy
from aftersales.time import Clock
from aftersales.vocabulary import vocabulary_of

__all__ = ["daily", "monthly", "quarterly", "weekly", "yearly"]


def daily(
    source: TicketSource | Iterable[Ticket],
    day: str | Period,
    *,
    calendar: WorkCalendar,
    policy: SlaPolicy | None = None,
    options: KpiOptions | None = None,
    key_customers: Collection[str] = frozenset(),
    at: datetime | None = None,
    clock: Clock | None = None,
) -> DailyReport:
    """The daily report of ``day`` (``"2026-10-12"`` or a day :class:`Period`).

    ``at`` is the instant the figures are read at; by default
    ``min(clock.now(), end of the day)`` (see :func:`~aftersales.reports.reading.read_at`;
    the clock is the system clock unless given).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> daily([], "2026-10-12", calendar=WorkCalendar.china()).figures.received
        0
    """
    readable = checked_source(source)
    period = period_of(day, "day", calendar)
    at = read_at(period, at=at, clock=clock)
    kpis = kpis_for(period, calendar, policy, options, key_customers, None, at)
    stored = read_period(readable, kpis, lines=True)
    lines = []
    if stored is not None and stored.filled:
        lines = stored.lines(kpis)
    else:
        tickets = tickets_for(readable, kpis)
        fill(kpis, tickets, ())
        for ticket in tickets:
            seen = as_of_kpis(ticket, kpis)
            if seen is not None and period.contains(seen.received_at):
                lines.append(TicketLine.of(seen))
    return DailyReport(
        period=period,
        figures=kpis.result(),
        tickets=tuple(lines),
        vocabulary=vocabulary_of(source),
        notes=rebuild_note([0 if stored is None else stored.reading.foreign]),
    )


def weekly(
    source: TicketSource | Iterable[Ticket],
    week: str | Period,
    *,
    calendar: WorkCalendar,
    policy: SlaPolicy | None = None,
    options: KpiOptions | None = None,
    key_customers: Collection[str] = frozenset(),
    actions: Iterable[ImprovementAction] = (),
    at: datetime | None = None,
    clock: Clock | None = None,
) -> WeeklyReport:
    """The weekly report of ``week`` (``"2026-W42"``, any day in it, or a week :class:`Period`).

    ``actions`` are the improvement actions to follow up: the open ones that lag
    behind when the report is read (overdue, not started near their due date, no
    progress note for a week) are listed with their reasons.

    ``at`` is the instant the figures are read at; by default
    ``min(clock.now(), end of the week)``. The previous week is read at
    ``min(at, its end)``.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> weekly([], "2026-10-14", calendar=WorkCalendar.china()).period.label
        '2026-W42'
    """
    readable = checked_source(source)
    period = period_of(week, "week", calendar)
    at = read_at(period, at=at, clock=clock)
    kpis = kpis_for(period, calendar, policy, options, key_customers, None, at)
    previous = period.previous()
    before = kpis_for(
        previous, calendar, policy, options, key_customers, None, min(at, previous.end)
    )
    foreign = [read_into(readable, kpis), read_into(readable, before)]
    behind = tuple(
        ActionItem.from_action(row.action, at=kpis.at) for row in lagging(actions, kpis.at)
    )
    return WeeklyReport(
        period=period,
        figures=kpis.result(),
        previous=before.result(),
        lagging=behind,
        vocabulary=vocabulary_of(source),
        notes=rebuild_note(foreign),
    )
