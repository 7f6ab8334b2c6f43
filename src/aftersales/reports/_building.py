"""What the report builders share: the period a report covers, its KPI accumulator, and
filling it from stored facts or from the tickets.

Private to :mod:`aftersales.reports`: :mod:`~aftersales.reports.builders` and
:mod:`~aftersales.reports.deck_builders` build their reports with these.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime

import attrs

from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.improvement.analysis import RootCause, RootCauseRow, root_cause_rows
from aftersales.kpi.facts import as_of
from aftersales.kpi.options import KpiOptions
from aftersales.kpi.periods import Period
from aftersales.kpi.service import ServiceKpis
from aftersales.kpi.surveys import NpsResponse, SurveyResponse
from aftersales.model.events import VisitRecorded
from aftersales.model.ticket import Ticket
from aftersales.readmodel.reading import FactsSource
from aftersales.reports.facts_reading import read_period, received_ids
from aftersales.reports.lines import FeedbackLine
from aftersales.reports.reading import TicketSource, tickets_for
from aftersales.sla import SlaPolicy

_ORDER = ("day", "week", "month", "quarter", "year")
_EXAMPLES = {
    "day": "a day such as 2026-10-12",
    "week": "a week such as 2026-W42",
    "month": "a month such as 2026-10",
    "quarter": "a quarter such as 2026-Q4",
    "year": "a year such as 2026",
}


def period_of(value: str | Period, kind: str, calendar: WorkCalendar) -> Period:
    tz = str(calendar.tz)
    period = value if isinstance(value, Period) else Period.parse(value, tz)
    if _ORDER.index(period.kind) > _ORDER.index(kind):
        message = (
            f"{period.label!r} is a {period.kind}; accepted for a {kind}'s report:"
            f" {_EXAMPLES[kind]}, or a shorter period in it"
        )
        raise InvalidData(f"period: {message}", problems=[("period", message)])
    if period.kind != kind:
        # a day or any date in the week/month is fine: take the period holding it
        period = Period.of_date(kind, period.first, period.tz)  # type: ignore[arg-type]
    return period


def kpis_for(
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


def fill(
    kpis: ServiceKpis, tickets: Iterable[Ticket], surveys: Iterable[NpsResponse | SurveyResponse]
) -> None:
    for ticket in tickets:
        kpis.add(ticket)
    for response in surveys:
        kpis.add_survey(response)


def read_into(readable: TicketSource | list[Ticket], kpis: ServiceKpis) -> int:
    """Fill ``kpis`` from stored facts, else from the tickets; how many facts were foreign."""
    stored = read_period(readable, kpis)
    if stored is None or not stored.filled:
        fill(kpis, tickets_for(readable, kpis), ())
    return 0 if stored is None else stored.reading.foreign


def stored_root_causes(
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


def as_of_kpis(ticket: Ticket, kpis: ServiceKpis) -> Ticket | None:
    return as_of(ticket, kpis.at)


def feedback_lines(tickets: Iterable[Ticket], kpis: ServiceKpis) -> list[FeedbackLine]:
    """Low-score visits of the cohort, lowest score first, then latest first."""
    lines = []
    for ticket in tickets:
        seen = as_of_kpis(ticket, kpis)
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
