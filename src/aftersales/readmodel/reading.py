"""Reading a period's figures from stored facts: the request, the answer, and the source protocol.

A report asks a store for its period read at ``at`` with a
:class:`FactsRequest`; a :class:`FactsSource` (every shipped store) answers
with a :class:`FactsReading`: the counters of the tickets whose stored facts
apply (:class:`~aftersales.kpi.summary.FactsSummary`), the lines the reports
list, and the tickets it could not answer for, which the report replays
from their events:

* ``fallback`` — tickets whose facts do not apply at ``at``: computed under
  another configuration (another ``key``), or of a later version than the
  ticket had at ``at`` with no earlier version kept for that instant; their
  arrival for repeat complaints is in the summary already;
* ``missing`` — tickets without stored facts (saved without a projection, or
  whose calendar could not give them); everything about them is replayed,
  and the summary then leaves repeat complaints unsettled (``arrivals``).

:func:`read_from_projections` is the reference answer, from projections held
in memory: the memory store answers with it, and the SQL stores give the
same counters with ``GROUP BY``. Domain layer: imports only the domain.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.kpi import Period, ServiceKpis
    >>> from aftersales.readmodel import Projector
    >>> from aftersales.testing.samples import sample_ticket
    >>> calendar = WorkCalendar.always("UTC")
    >>> ticket = sample_ticket()
    >>> kpis = ServiceKpis(Period.parse("2024-05", "UTC"), calendar)
    >>> projection = Projector(None, calendar).project(ticket)
    >>> reading = read_from_projections({ticket.id: ticket}, {ticket.id: projection}, FactsRequest.of(kpis))
    >>> reading.summary.received, reading.fallback, reading.missing
    (1, (), ())
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.kpi.summary import FactsSummary
from aftersales.model.ticket import Ticket
from aftersales.readmodel.facts import ProjectedFacts, finish
from aftersales.readmodel.projection import TicketProjection

if TYPE_CHECKING:
    from aftersales.kpi.service import ServiceKpis

__all__ = [
    "FactsReading",
    "FactsRequest",
    "FactsSource",
    "FeedbackRow",
    "TicketLineRow",
    "check_facts_query",
    "check_projections",
    "read_from_projections",
]

_ONE = timedelta(microseconds=1)

#: A cohort ticket as the daily report lists it: id, customer name, channel,
#: category, priority, status, description, received (µs since the epoch).
TicketLineRow = tuple[str, str, str, str, str, str, str, int]
#: A low-score visit of a cohort ticket: id, customer name, category, score,
#: comment, when (µs since the epoch).
FeedbackRow = tuple[str, str, str, int, str, int]


@attrs.frozen(slots=True, kw_only=True)
class FactsRequest:
    """A period's figures asked of a store's facts: the cohort, the look-back, the backlog.

        ``key`` is the fingerprint the facts must have been computed under;
        ``start``/``end`` bound the cohort (received in ``[start, min(end, at))``),
        ``at`` is the instant the figures are read at; ``repeat_window`` reaches
        back before ``start``; ``peak_hours``, ``ageing_days``, ``batch_threshold``
    and ``key_customers`` are the accumulator's options (a store may count
    only the customer and category pairs that reach ``batch_threshold``: a
    summary is final, never merged). ``lines`` and ``feedback`` ask for the daily
        report's ticket lines and the monthly report's low-score visits. ``kpis``
        is the accumulator asking (a store may fill an empty copy of it).

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.kpi import Period, ServiceKpis
            >>> request = FactsRequest.of(ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC")))
            >>> request.at == request.end, request.cohort_end_us == request.end_us
            (True, True)
    """

    key: str
    tz: str
    start: pendulum.DateTime
    end: pendulum.DateTime
    at: pendulum.DateTime
    repeat_window: timedelta
    peak_hours: frozenset[int]
    ageing_days: tuple[int, ...]
    batch_threshold: int
    key_customers: frozenset[str]
    lines: bool = False
    feedback: bool = False
    kpis: ServiceKpis = attrs.field(eq=False, repr=False)

    @classmethod
    def of(cls, kpis: ServiceKpis, *, lines: bool = False, feedback: bool = False) -> FactsRequest:
        """The request of the figures ``kpis`` accumulates."""
        options = kpis.options
        return cls(
            key=kpis.facts_key,
            tz=kpis.period.tz,
            start=kpis.period.start,
            end=kpis.period.end,
            at=pendulum.instance(kpis.at),
            repeat_window=options.repeat_window,
            peak_hours=options.peak_hours,
            ageing_days=options.ageing_days,
            batch_threshold=options.batch_threshold,
            key_customers=kpis.key_customers,
            lines=lines,
            feedback=feedback,
            kpis=kpis,
        )

    @property
    def start_us(self) -> int:
        """``start`` in µs since the epoch."""
        return WorkCalendar.epoch_us(self.start)

    @property
    def end_us(self) -> int:
        """``end`` in µs since the epoch."""
        return WorkCalendar.epoch_us(self.end)

    @property
    def at_us(self) -> int:
        """``at`` in µs since the epoch."""
        return WorkCalendar.epoch_us(self.at)

    @property
    def cohort_end_us(self) -> int:
        """The end of the cohort as read at ``at``: ``min(end, at)`` in µs."""
        return min(self.end_us, self.at_us)

    @property
    def window_us(self) -> int:
        """The repeat-complaint window in µs."""
        return self.repeat_window // _ONE

    @property
    def lookback_us(self) -> int:
        """The first instant of the look-back: ``start - repeat_window`` in µs."""
        return self.start_us - self.window_us


@attrs.frozen(slots=True, kw_only=True)
class FactsReading:
    """A store's answer to a :class:`FactsRequest` (see the module).

    ``foreign`` counts the ``fallback`` tickets whose facts were computed
    under another configuration. ``lines`` and ``feedback`` hold the rows
    asked for, of the tickets the summary holds and the ``fallback`` ones
    (feedback needs no configuration) respectively. ``summary`` is ``None``
    when no ticket has facts under the request's key: then the reader replays
    every ticket, and ``foreign`` counts the cohort's tickets with facts under
    another key.

    Example:
        >>> FactsReading(summary=FactsSummary()).missing
        ()
    """

    summary: FactsSummary | None
    fallback: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    foreign: int = 0
    lines: tuple[TicketLineRow, ...] = ()
    feedback: tuple[FeedbackRow, ...] = ()


@runtime_checkable
class FactsSource(Protocol):
    """A ticket source that keeps each ticket's facts beside it (every shipped store).

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> isinstance(MemoryStore(), FactsSource), isinstance([], FactsSource)
        (True, False)
    """

    def read_facts(self, request: FactsRequest) -> FactsReading:
        """The answer to ``request`` (its ``summary`` is ``None`` when no ticket has facts under its key)."""
        ...

    def find_facts(
        self,
        *,
        received_from: pendulum.DateTime | None = None,
        received_before: pendulum.DateTime | None = None,
        ticket_ids: Collection[str] | None = None,
        key: str | None = None,
    ) -> Iterator[ProjectedFacts]:
        """The current facts of the tickets received in the range (and among ``ticket_ids``)."""
        ...

    def get(self, ticket_id: str) -> Ticket:
        """The stored ticket (``NotFound`` when there is none)."""
        ...


def check_facts_query(
    received_from: object, received_before: object, ticket_ids: object, key: object
) -> tuple[pendulum.DateTime | None, pendulum.DateTime | None, frozenset[str] | None, str | None]:
    """Check the arguments of ``find_facts()``; return them normalised (times in UTC).

    Example:
        >>> check_facts_query(None, None, ["T1"], None)
        (None, None, frozenset({'T1'}), None)
        >>> check_facts_query("2026-10-01", None, None, None)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: received_from: '2026-10-01' is not a datetime; accepted: an aware datetime
    """
    check.run_checks_on(
        {
            "received_from": (received_from, check.optional_aware),
            "received_before": (received_before, check.optional_aware),
            "ticket_ids": (ticket_ids, check.optional(check.tuple_of(check.identifier))),
            "key": (key, check.optional(check.text)),
        }
    )
    return (
        None if received_from is None else check.aware(received_from, "received_from"),
        None if received_before is None else check.aware(received_before, "received_before"),
        None
        if ticket_ids is None
        else frozenset(check.tuple_of(check.identifier)(ticket_ids, "ticket_ids")),
        None if key is None else str(key),
    )


def check_projections(items: object) -> list[tuple[str, TicketProjection]]:
    """Check the items of ``save_projections()``: ``(ticket id, projection)`` pairs.

    Example:
        >>> check_projections([("T1", "p")])
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: items[0][1]: str is not a TicketProjection; accepted: a TicketProjection
    """
    pairs = check.items(items, "items")
    problems: list[tuple[str, str]] = []
    checked: list[tuple[str, TicketProjection]] = []
    for index, pair in enumerate(pairs):
        name = f"items[{index}]"
        if not isinstance(pair, tuple) or len(pair) != 2:
            problems.append(
                (name, f"{shown(pair)} is not a pair; accepted: (ticket id, projection)")
            )
            continue
        try:
            ticket_id = check.identifier(pair[0], f"{name}[0]")
            projection = check.instance_of(TicketProjection)(pair[1], f"{name}[1]")
        except InvalidData as error:
            problems.extend(error.problems)
            continue
        if projection.facts and projection.facts[-1].ticket_id != ticket_id:
            message = f"holds the facts of {projection.facts[-1].ticket_id!r}; accepted: those of {ticket_id!r}"
            problems.append((f"{name}[1]", message))
            continue
        checked.append((ticket_id, projection))
    if problems:
        raise InvalidData.from_problems(problems)
    return checked


def _arrives(facts: ProjectedFacts, at_us: int) -> bool:
    """True when the ticket counts as an arrival at ``at_us``: received, and not cancelled then."""
    cancelled = facts.cancelled_at_us
    return facts.received_us < at_us and (cancelled is None or cancelled >= at_us)


def read_from_projections(
    tickets: Mapping[str, Ticket],
    projections: Mapping[str, TicketProjection],
    request: FactsRequest,
) -> FactsReading:
    """The reference answer to ``request`` from ``tickets`` and their projections (see the module)."""
    check.instance_of(FactsRequest)(request, "request")
    if not any(p.key == request.key and p.facts for p in projections.values()):
        return FactsReading(summary=None, foreign=_cohort_with_facts(tickets, projections, request))
    at, start, cohort_end, lookback = (
        request.at_us,
        request.start_us,
        request.cohort_end_us,
        request.lookback_us,
    )
    kpis = request.kpis.empty()
    fallback: list[str] = []
    missing: list[str] = []
    lines: list[TicketLineRow] = []
    feedback: list[FeedbackRow] = []
    foreign = 0
    unsettled = False
    for ticket_id, ticket in tickets.items():
        received = ticket.history[0].at_us
        if received >= at:
            continue
        in_cohort = start <= received < cohort_end
        maybe_open = ticket.is_open or ticket.history[-1].at_us >= at
        projection = projections.get(ticket_id)
        facts = () if projection is None else projection.facts
        if not facts:
            if in_cohort or maybe_open or lookback <= received:
                missing.append(ticket_id)
                unsettled = unsettled or lookback <= received < cohort_end
            continue
        current = facts[-1]
        if lookback <= received < cohort_end and current.complaint and _arrives(current, at):
            kpis.add_arrival(current.customer_id, current.category, received)
        if request.feedback and start <= received < request.end_us:
            feedback += [
                (ticket_id, current.customer_name, current.category, v.score, v.comment, v.at_us)
                for v in current.visits
                if v.low_score and v.at_us < at
            ]
        if not (in_cohort or maybe_open):
            continue
        assert projection is not None
        found = _applying(facts, at)
        if found is None or projection.key != request.key:
            fallback.append(ticket_id)
            foreign += projection.key != request.key
            continue
        kpis.add_facts(finish(found, at, request.key_customers), arrival=False)
        if request.lines and in_cohort:
            lines.append(_line(found))
    return FactsReading(
        summary=kpis.summary(settle=not unsettled),
        fallback=tuple(fallback),
        missing=tuple(missing),
        foreign=foreign,
        lines=tuple(lines),
        feedback=tuple(feedback),
    )


def _applying(facts: tuple[ProjectedFacts, ...], at_us: int) -> ProjectedFacts | None:
    """The facts a reader at ``at_us`` finishes: the current ones, or those kept for that very instant."""
    current = facts[-1]
    if current.last_event_us < at_us:
        return current
    return next((f for f in facts[:-1] if at_us in f.as_of), None)


def _cohort_with_facts(
    tickets: Mapping[str, Ticket],
    projections: Mapping[str, TicketProjection],
    request: FactsRequest,
) -> int:
    start, end = request.start_us, request.cohort_end_us
    return sum(
        1
        for ticket_id, projection in projections.items()
        if projection.facts
        and ticket_id in tickets
        and start <= projection.facts[-1].received_us < end
    )


def _line(facts: ProjectedFacts) -> TicketLineRow:
    return (
        facts.ticket_id,
        facts.customer_name,
        facts.channel,
        facts.category,
        facts.priority,
        facts.status,
        facts.description,
        facts.received_us,
    )
