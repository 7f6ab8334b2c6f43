"""The report builders: :func:`daily`, :func:`weekly` and :func:`monthly` from tickets.

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

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime

import attrs

from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.improvement.actions import ImprovementAction, lagging
from aftersales.improvement.analysis import RootCause, RootCauseRow, root_cause_rows
from aftersales.kpi.facts import as_of
from aftersales.kpi.figures import KpiFigures
from aftersales.kpi.options import KpiOptions
from aftersales.kpi.periods import Period
from aftersales.kpi.service import ServiceKpis
from aftersales.kpi.surveys import NpsResponse
from aftersales.model.events import VisitRecorded
from aftersales.model.ticket import Ticket
from aftersales.readmodel.reading import FactsSource
from aftersales.reports.core import DailyReport, MonthlyReport, WeeklyReport
from aftersales.reports.facts_reading import read_period, rebuild_note, received_ids
from aftersales.reports.lines import ActionItem, FeedbackLine, TicketLine
from aftersales.reports.reading import TicketSource, checked_source, read_at, tickets_for
from aftersales.sla import SlaPolicy
from aftersales.time import Clock
from aftersales.vocabulary import vocabulary_of

__all__ = ["daily", "monthly", "weekly"]


def _period(value: str | Period, kind: str, calendar: WorkCalendar) -> Period:
    tz = str(calendar.tz)
    period = value if isinstance(value, Period) else Period.parse(value, tz)
    if period.kind != kind:
        # a day or any date in the week/month is fine: take the period holding it
        period = Period.of_date(kind, period.first, period.tz)  # type: ignore[arg-type]
    return period


def _kpis(
    period: Period,
    calendar: WorkCalendar,
    policy: SlaPolicy | None,
    options: KpiOptions | None,
    key_customers: Collection[str],
    installed_base: Mapping[str, int] | None,
    at: datetime | None,
) -> ServiceKpis:
    return ServiceKpis(
        period,
        calendar,
        policy=policy,
        at=at,
        options=options,
        key_customers=key_customers,
        installed_base=dict(installed_base or {}),
    )


def _fill(kpis: ServiceKpis, tickets: Iterable[Ticket], surveys: Iterable[NpsResponse]) -> None:
    for ticket in tickets:
        kpis.add(ticket)
    for response in surveys:
        kpis.add_survey(response)


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
    period = _period(day, "day", calendar)
    at = read_at(period, at=at, clock=clock)
    kpis = _kpis(period, calendar, policy, options, key_customers, None, at)
    stored = read_period(readable, kpis, lines=True)
    lines = []
    if stored is not None and stored.filled:
        lines = stored.lines(kpis)
    else:
        tickets = tickets_for(readable, kpis)
        _fill(kpis, tickets, ())
        for ticket in tickets:
            seen = _as_of(ticket, kpis)
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
    period = _period(week, "week", calendar)
    at = read_at(period, at=at, clock=clock)
    kpis = _kpis(period, calendar, policy, options, key_customers, None, at)
    previous = period.previous()
    before = _kpis(previous, calendar, policy, options, key_customers, None, min(at, previous.end))
    foreign = [_read(readable, kpis), _read(readable, before)]
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


def monthly(
    source: TicketSource | Iterable[Ticket],
    month: str | Period,
    *,
    calendar: WorkCalendar,
    policy: SlaPolicy | None = None,
    options: KpiOptions | None = None,
    key_customers: Collection[str] = frozenset(),
    surveys: Iterable[NpsResponse] = (),
    installed_base: Mapping[str, int] | None = None,
    actions: Iterable[ActionItem | ImprovementAction] = (),
    root_causes: Iterable[RootCause] = (),
    at: datetime | None = None,
    clock: Clock | None = None,
) -> MonthlyReport:
    """The monthly report of ``month`` (``"2026-10"`` or a month :class:`Period`).

    Args:
        source: a ticket store (any :class:`~aftersales.reports.reading.TicketSource`),
            or the tickets themselves.
        calendar: the working calendar; its zone decides the month's boundaries.
        policy: the SLA policy (``None``: no SLA section figures).
        options: KPI definitions (:class:`~aftersales.kpi.KpiOptions`).
        key_customers: ids of key customers (their return-visit coverage).
        surveys: NPS answers (:class:`~aftersales.kpi.NpsResponse`).
        installed_base: units in service per product model (failure rates).
        actions: improvement actions for the plan section: open
            :class:`~aftersales.improvement.ImprovementAction` objects (listed with
            their status and lag reasons) or ready-made :class:`ActionItem` lines.
        root_causes: root causes to list by responsible department, with the number
            of the month's tickets each explains (those explaining none are left out).
        at: the instant the figures are read at (default: ``min(clock.now(),
            end of the month)``, see :func:`~aftersales.reports.reading.read_at`);
            each of the two previous months is read at ``min(at, its end)``.
        clock: where "now" comes from when ``at`` is not given (default: the
            system clock).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> monthly([], "2026-10", calendar=WorkCalendar.china()).figures.closure.value is None
        True
    """
    readable = checked_source(source)
    period = _period(month, "month", calendar)
    surveys = list(surveys)
    at = read_at(period, at=at, clock=clock)
    items: list[ActionItem] = []
    for index, item in enumerate(actions):
        if isinstance(item, ImprovementAction):
            if item.status.is_open:
                items.append(ActionItem.from_action(item, at=at))
        elif isinstance(item, ActionItem):
            items.append(item)
        else:
            message = f"{item!r} is not an ActionItem or ImprovementAction"
            raise InvalidData(
                f"actions[{index}]: {message}", problems=[(f"actions[{index}]", message)]
            )
    causes = list(root_causes)
    for index, cause in enumerate(causes):
        if not isinstance(cause, RootCause):
            message = f"{cause!r} is not a RootCause"
            raise InvalidData(
                f"root_causes[{index}]: {message}", problems=[(f"root_causes[{index}]", message)]
            )
    months = [period, period.previous(), period.previous().previous()]
    results: list[KpiFigures] = []
    feedback: list[FeedbackLine] = []
    rows: list[RootCauseRow] = []
    foreign: list[int] = []
    cached = None if isinstance(readable, TicketSource) else readable
    for index, each in enumerate(months):
        kpis = _kpis(
            each,
            calendar,
            policy,
            options,
            key_customers,
            installed_base,
            at if index == 0 else min(at, each.end),
        )
        stored = None if cached is not None else read_period(readable, kpis, feedback=index == 0)
        foreign.append(0 if stored is None else stored.reading.foreign)
        if stored is not None and stored.filled:
            for response in surveys:
                kpis.add_survey(response)
            if index == 0:
                feedback = stored.feedback(kpis)
                rows = _stored_root_causes(readable, causes, period)
        else:
            tickets = cached if cached is not None else tickets_for(readable, kpis)
            _fill(kpis, tickets, surveys)
            if index == 0:
                feedback = _feedback(tickets, kpis)
                rows = root_cause_rows(causes, tickets=tickets, start=period.start, end=period.end)
        results.append(kpis.result())
    return MonthlyReport(
        period=period,
        figures=results[0],
        history=tuple(results[1:]),
        feedback=tuple(feedback),
        actions=tuple(items),
        root_causes=tuple(rows),
        vocabulary=vocabulary_of(source),
        notes=rebuild_note(foreign),
        substatuses=None if policy is None else policy.substatuses,
    )


def _read(readable: TicketSource | list[Ticket], kpis: ServiceKpis) -> int:
    """Fill ``kpis`` from stored facts, else from the tickets; how many facts were foreign."""
    stored = read_period(readable, kpis)
    if stored is None or not stored.filled:
        _fill(kpis, tickets_for(readable, kpis), ())
    return 0 if stored is None else stored.reading.foreign


def _stored_root_causes(
    source: object, causes: list[RootCause], period: Period
) -> list[RootCauseRow]:
    """The root-cause table of ``period``'s cohort, its tickets' receipt read from stored facts."""
    assert isinstance(source, FactsSource)
    wanted = {ticket_id for cause in causes for ticket_id in cause.ticket_ids}
    allowed = received_ids(source, wanted, period.start, period.end)
    linked = [
        attrs.evolve(cause, ticket_ids=tuple(i for i in cause.ticket_ids if i in allowed))
        for cause in causes
        if any(i in allowed for i in cause.ticket_ids)
    ]
    return root_cause_rows(linked)


def _as_of(ticket: Ticket, kpis: ServiceKpis) -> Ticket | None:
    return as_of(ticket, kpis.at)


def _feedback(tickets: Iterable[Ticket], kpis: ServiceKpis) -> list[FeedbackLine]:
    """Low-score visits of the cohort, lowest score first, then latest first."""
    lines = []
    for ticket in tickets:
        seen = _as_of(ticket, kpis)
        if seen is None or not kpis.period.contains(seen.received_at):
            continue
        for visit in seen.visits:
            if isinstance(visit, VisitRecorded) and visit.low_score:
                lines.append(
                    FeedbackLine(
                        seen.id,
                        seen.customer_name,
                        seen.category.code,
                        visit.score,
                        visit.comment,
                        visit.at,
                    )
                )
    lines.sort(key=lambda line: (line.score, -line.at.timestamp(), line.ticket_id))
    return lines
