"""The deck's builders: :func:`monthly`, :func:`quarterly` and :func:`yearly` from tickets.

Each builds a :class:`~aftersales.reports.core.MonthlyReport` over its period
(a month, a quarter, a year) beside the two periods before and the same
period a year before, with the KPI targets, the host's figures and the
supervisor's notes it is given (see :func:`monthly` for every argument).

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
    >>> report.period.label, report.year_ago is None
    ('2024-05', True)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any, TypedDict, Unpack

from aftersales._shown import shown
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause, RootCauseRow, root_cause_rows
from aftersales.kpi.figures import KpiFigures
from aftersales.kpi.options import KpiOptions
from aftersales.kpi.periods import Period
from aftersales.kpi.surveys import NpsResponse, SurveyResponse
from aftersales.model.ticket import Ticket
from aftersales.reports._building import (
    feedback_lines,
    fill,
    kpis_for,
    period_of,
    stored_root_causes,
)
from aftersales.reports.core import MonthlyReport
from aftersales.reports.external_figures import ExternalFigure
from aftersales.reports.facts_reading import read_period, rebuild_note
from aftersales.reports.lines import ActionItem, FeedbackLine
from aftersales.reports.reading import TicketSource, checked_source, read_at, tickets_for
from aftersales.reports.targets import KpiTargets
from aftersales.sla import SlaPolicy
from aftersales.time import Clock
from aftersales.vocabulary import vocabulary_of

__all__ = ["DeckOptions", "monthly", "quarterly", "yearly"]


class DeckOptions(TypedDict, total=False):
    """The keyword arguments :func:`quarterly` and :func:`yearly` take, as :func:`monthly` does.

    Example:
        >>> sorted(DeckOptions.__annotations__)[:3]
        ['actions', 'at', 'clock']
    """

    policy: SlaPolicy | None
    options: KpiOptions | None
    key_customers: Collection[str]
    surveys: Iterable[NpsResponse | SurveyResponse]
    installed_base: Mapping[str, int] | None
    actions: Iterable[ActionItem | ImprovementAction]
    root_causes: Iterable[RootCause]
    targets: KpiTargets | None
    external_figures: Iterable[ExternalFigure]
    notes: str
    at: datetime | None
    clock: Clock | None


def monthly(
    source: TicketSource | Iterable[Ticket],
    month: str | Period,
    *,
    calendar: WorkCalendar,
    policy: SlaPolicy | None = None,
    options: KpiOptions | None = None,
    key_customers: Collection[str] = frozenset(),
    surveys: Iterable[NpsResponse | SurveyResponse] = (),
    installed_base: Mapping[str, int] | None = None,
    actions: Iterable[ActionItem | ImprovementAction] = (),
    root_causes: Iterable[RootCause] = (),
    targets: KpiTargets | None = None,
    external_figures: Iterable[ExternalFigure] = (),
    notes: str = "",
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
        surveys: NPS answers (:class:`~aftersales.kpi.NpsResponse`) and answered
            surveys (:class:`~aftersales.kpi.SurveyResponse`: satisfaction, NPS,
            feedback by class), counted when answered in the period.
        installed_base: units in service per product model (failure rates).
        actions: improvement actions for the plan section: open
            :class:`~aftersales.improvement.ImprovementAction` objects (listed with
            their status and lag reasons) or ready-made :class:`ActionItem` lines.
        root_causes: root causes to list by responsible department, with the number
            of the month's tickets each explains (those explaining none are left out).
        targets: the KPI table's targets (default :meth:`KpiTargets.default()
            <aftersales.reports.targets.KpiTargets.default>`; ``KpiTargets.none()``
            for none).
        external_figures: figures from the host's other systems
            (:class:`~aftersales.reports.external_figures.ExternalFigure`), shown with
            their targets in the KPI section.
        notes: the supervisor's own text for the summary and outlook (paragraphs
            separated by a blank line; shown as text, never as markup).
        at: the instant the figures are read at (default: ``min(clock.now(),
            end of the month)``, see :func:`~aftersales.reports.reading.read_at`);
            each earlier period (the two before, the same one a year before) is
            read at ``min(at, its end)``.
        clock: where "now" comes from when ``at`` is not given (default: the
            system clock).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> monthly([], "2026-10", calendar=WorkCalendar.china()).figures.closure.value is None
        True
    """
    return _deck(
        source,
        period_of(month, "month", calendar),
        calendar=calendar,
        policy=policy,
        options=options,
        key_customers=key_customers,
        surveys=surveys,
        installed_base=installed_base,
        actions=actions,
        root_causes=root_causes,
        targets=targets,
        external_figures=external_figures,
        notes=notes,
        at=at,
        clock=clock,
    )


def quarterly(
    source: TicketSource | Iterable[Ticket],
    quarter: str | Period,
    *,
    calendar: WorkCalendar,
    **options: Unpack[DeckOptions],
) -> MonthlyReport:
    """The quarterly report (季报) of ``quarter`` (``"2026-Q4"``, a day or month in it, or a
    quarter :class:`Period`): the monthly deck over the quarter, beside the two quarters
    before and the same quarter a year before. Takes the keyword arguments of :func:`monthly`.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> report = quarterly([], "2026-Q4", calendar=WorkCalendar.china())
        >>> report.period.label, [f.period.label for f in report.history], report.title("zh")
        ('2026-Q4', ['2026-Q3', '2026-Q2'], '售后服务季报 2026-Q4')
    """
    return _deck(source, period_of(quarter, "quarter", calendar), calendar=calendar, **options)


def yearly(
    source: TicketSource | Iterable[Ticket],
    year: str | Period,
    *,
    calendar: WorkCalendar,
    **options: Unpack[DeckOptions],
) -> MonthlyReport:
    """The yearly report (年报) of ``year`` (``"2026"``, any day, month or quarter in it, or a
    year :class:`Period`): the monthly deck over the year, beside the two years before (the
    previous year is also its 同比). Takes the keyword arguments of :func:`monthly`.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> report = yearly([], "2026", calendar=WorkCalendar.china())
        >>> report.period.label, [f.period.label for f in report.history], report.title("en")
        ('2026', ['2025', '2024'], 'After-sales yearly report 2026')
    """
    return _deck(source, period_of(year, "year", calendar), calendar=calendar, **options)


def _checked_items(items: Iterable[object], kind: type, name: str) -> list[Any]:
    checked = list(items)
    for index, item in enumerate(checked):
        if not isinstance(item, kind):
            message = f"{shown(item)} is not a {kind.__name__}"
            raise InvalidData(
                f"{name}[{index}]: {message}", problems=[(f"{name}[{index}]", message)]
            )
    return checked


def _deck(
    source: TicketSource | Iterable[Ticket],
    period: Period,
    *,
    calendar: WorkCalendar,
    policy: SlaPolicy | None = None,
    options: KpiOptions | None = None,
    key_customers: Collection[str] = frozenset(),
    surveys: Iterable[NpsResponse | SurveyResponse] = (),
    installed_base: Mapping[str, int] | None = None,
    actions: Iterable[ActionItem | ImprovementAction] = (),
    root_causes: Iterable[RootCause] = (),
    targets: KpiTargets | None = None,
    external_figures: Iterable[ExternalFigure] = (),
    notes: str = "",
    at: datetime | None = None,
    clock: Clock | None = None,
) -> MonthlyReport:
    """The deck report of ``period`` (a month, quarter or year)."""
    readable = checked_source(source)
    if targets is None:
        targets = KpiTargets.default()
    elif not isinstance(targets, KpiTargets):
        message = f"{shown(targets)} is not a KpiTargets; accepted: KpiTargets.default(), KpiTargets.from_toml(...)"
        raise InvalidData(f"targets: {message}", problems=[("targets", message)])
    figures = tuple(_checked_items(external_figures, ExternalFigure, "external_figures"))
    if not isinstance(notes, str):
        message = f"{shown(notes)} is not a text; accepted: the supervisor's text, or ''"
        raise InvalidData(f"notes: {message}", problems=[("notes", message)])
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
    causes = _checked_items(root_causes, RootCause, "root_causes")
    year_before = period.year_before()
    periods = [period, period.previous(), period.previous().previous()]
    if year_before not in periods:
        periods.append(year_before)
    results: list[KpiFigures] = []
    feedback: list[FeedbackLine] = []
    rows: list[RootCauseRow] = []
    foreign: list[int] = []
    cached = None if isinstance(readable, TicketSource) else readable
    for index, each in enumerate(periods):
        kpis = kpis_for(
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
                rows = stored_root_causes(readable, causes, period)
        else:
            tickets = cached if cached is not None else tickets_for(readable, kpis)
            fill(kpis, tickets, surveys)
            if index == 0:
                feedback = feedback_lines(tickets, kpis)
                rows = root_cause_rows(causes, tickets=tickets, start=period.start, end=period.end)
        results.append(kpis.result())
    year_ago = results[periods.index(year_before)]
    return MonthlyReport(
        period=period,
        figures=results[0],
        history=tuple(results[1:3]),
        feedback=tuple(feedback),
        actions=tuple(items),
        root_causes=tuple(rows),
        vocabulary=vocabulary_of(source),
        notes=rebuild_note(foreign),
        substatuses=None if policy is None else policy.substatuses,
        targets=targets,
        external_figures=figures,
        year_ago=year_ago if year_ago.received > 0 else None,
        supervisor_notes=notes,
    )
