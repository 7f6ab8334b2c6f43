"""How a report reads its period from a store's stored facts instead of replaying its tickets.

When the source keeps facts (:class:`~aftersales.readmodel.reading.FactsSource`,
every shipped store) under the configuration the report computes with (its
calendar, SLA policy and callback rule: :attr:`ServiceKpis.facts_key
<aftersales.kpi.ServiceKpis.facts_key>`), and the report's zone is the
calendar's, :func:`read_period` fills the accumulator from the store's
answer and replays only the tickets the store could not answer for (see
:mod:`aftersales.readmodel.reading`). The figures are those of the replay
path, ticket for ticket; a report says how many tickets had facts computed
under another configuration (:func:`rebuild_note`).

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.kpi import Period, ServiceKpis
    >>> kpis = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC"))
    >>> read_period([], kpis) is None  # a list keeps no facts: the report replays
    True
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

import attrs

from aftersales.calendar import WorkCalendar
from aftersales.errors import NotFound
from aftersales.kpi.facts import as_of
from aftersales.kpi.service import ServiceKpis
from aftersales.model.events import VisitRecorded
from aftersales.model.ticket import Ticket
from aftersales.readmodel.reading import FactsReading, FactsRequest, FactsSource
from aftersales.reports.lines import FeedbackLine, TicketLine

__all__ = ["PeriodRead", "read_period", "rebuild_note", "received_ids"]

_UTC = WorkCalendar.always("UTC")


@attrs.frozen(slots=True)
class PeriodRead:
    """What :func:`read_period` read: the store's answer and the tickets it replayed.

    Example:
        >>> from aftersales.kpi.summary import FactsSummary
        >>> PeriodRead(FactsReading(summary=FactsSummary()), ()).filled
        True
    """

    reading: FactsReading
    replayed: tuple[Ticket, ...]

    @property
    def filled(self) -> bool:
        """True when the accumulator was filled (else the caller replays every ticket)."""
        return self.reading.summary is not None

    def lines(self, kpis: ServiceKpis) -> list[TicketLine]:
        """The daily report's lines: the cohort as it stood at the figures' instant."""
        lines = [
            TicketLine(i, name, channel, category, priority, status, text, _UTC.from_epoch_us(at))
            for i, name, channel, category, priority, status, text, at in self.reading.lines
        ]
        for ticket in self.replayed:
            seen = as_of(ticket, kpis.at)
            if seen is not None and kpis.period.contains(seen.received_at):
                lines.append(TicketLine.of(seen))
        lines.sort(key=lambda line: (line.received_at, line.ticket_id))
        return lines

    def feedback(self, kpis: ServiceKpis) -> list[FeedbackLine]:
        """The monthly report's low-score visits of the cohort, lowest score first, then latest."""
        lines = [
            FeedbackLine(i, name, category, score, comment, _UTC.from_epoch_us(at))
            for i, name, category, score, comment, at in self.reading.feedback
        ]
        missing = set(self.reading.missing)
        for ticket in self.replayed:
            seen = as_of(ticket, kpis.at) if ticket.id in missing else None
            if seen is None or not kpis.period.contains(seen.received_at):
                continue
            lines += [
                FeedbackLine(
                    seen.id, seen.customer_name, seen.category.code, v.score, v.comment, v.at
                )
                for v in seen.visits
                if isinstance(v, VisitRecorded) and v.low_score
            ]
        lines.sort(key=lambda line: (line.score, -line.at.timestamp(), line.ticket_id))
        return lines


def read_period(
    source: object, kpis: ServiceKpis, *, lines: bool = False, feedback: bool = False
) -> PeriodRead | None:
    """Fill ``kpis`` from ``source``'s stored facts; ``None`` (nothing added) when it cannot.

    It cannot when ``source`` keeps no facts or when the period's zone is not
    the calendar's. When no ticket has facts under ``kpis.facts_key``, nothing
    is added either, and the answer's ``summary`` is ``None`` (see
    :attr:`PeriodRead.filled`): the caller replays every ticket.
    """
    if not isinstance(source, FactsSource) or kpis.period.tz != kpis.calendar.tz.name:
        return None
    reading = source.read_facts(FactsRequest.of(kpis, lines=lines, feedback=feedback))
    if reading.summary is None:
        return PeriodRead(reading, ())
    kpis.absorb(reading.summary)
    replayed: list[Ticket] = []
    for ticket_id in reading.fallback:
        ticket = source.get(ticket_id)
        facts = kpis.facts(ticket)
        if facts is not None:
            kpis.add_facts(facts, arrival=False)
        replayed.append(ticket)
    for ticket_id in reading.missing:
        ticket = source.get(ticket_id)
        kpis.add(ticket)
        replayed.append(ticket)
    return PeriodRead(reading, tuple(replayed))


def received_ids(
    source: FactsSource, ticket_ids: Collection[str], start: datetime, end: datetime
) -> set[str]:
    """Those of ``ticket_ids`` received in ``[start, end)``, read from stored facts (else the ticket)."""
    low, high = WorkCalendar.epoch_us(start), WorkCalendar.epoch_us(end)
    found: set[str] = set()
    seen: set[str] = set()
    for facts in source.find_facts(ticket_ids=ticket_ids):
        seen.add(facts.ticket_id)
        if low <= facts.received_us < high:
            found.add(facts.ticket_id)
    for ticket_id in sorted(set(ticket_ids) - seen):
        try:
            received = WorkCalendar.epoch_us(source.get(ticket_id).received_at)
        except NotFound:
            continue
        if low <= received < high:
            found.add(ticket_id)
    return found


def rebuild_note(foreign: Iterable[int]) -> tuple[str, ...]:
    """The note a report carries when facts under another configuration were replayed.

    Example:
        >>> rebuild_note([0, 2, 1])
        ('facts of 3 tickets were computed under another policy or calendar; run `aftersales projections rebuild`',)
        >>> rebuild_note([0])
        ()
    """
    total = sum(foreign)
    if not total:
        return ()
    return (
        f"facts of {total} tickets were computed under another policy or calendar;"
        " run `aftersales projections rebuild`",
    )
