"""A ticket reduced to what the KPIs read, as of an instant: :class:`TicketFacts`.

:func:`as_of` gives the ticket as it stood just before an instant (later events
dropped); :class:`FactsReader` turns it into one flat row of
:class:`TicketFacts` (durations in microseconds, SLA cycles counted per
metric) under one configuration: calendar, zone, SLA policy, callback rule
and key customers. :class:`~aftersales.kpi.ServiceKpis` adds those rows up.

Example:
    >>> import pendulum
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> reader = FactsReader(
    ...     at=pendulum.datetime(2024, 6, 1, tz="UTC"), calendar=WorkCalendar.always("UTC"), tz="UTC"
    ... )
    >>> facts = reader.facts(sample_ticket())
    >>> facts.channel, facts.closed, facts.resolution_us > facts.first_response_us
    ('phone', True, True)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from datetime import date, datetime, timedelta

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._renamed import renamed_attribute, renamed_keywords
from aftersales.calendar import WorkCalendar
from aftersales.kpi.sla_counts import CALLBACK_METRIC, callback_policy, count_cycles
from aftersales.model.ticket import Ticket
from aftersales.sla import MetricResult, SlaPolicy
from aftersales.vocab import Priority

__all__ = ["FactsReader", "TicketFacts", "as_of"]

_ONE = timedelta(microseconds=1)
#: Commands that send a ticket round again: a ticket that saw one is not one-touch.
_LOOPS = frozenset({"record_dispute", "report_new_problem", "reopen", "escalate"})


@renamed_keywords(moment="at")
def as_of(ticket: Ticket, at: datetime) -> Ticket | None:
    """The ticket as it stood just before ``at`` (events at or after it dropped).

    ``None`` when it was received at or after ``at``.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> as_of(ticket, ticket.history[2].at).version
        2
        >>> as_of(ticket, ticket.received_at) is None
        True
    """
    at = check.aware(at, "at")
    if ticket.updated_at < at:
        return ticket
    if ticket.received_at >= at:
        return None
    times = [event.at for event in ticket.history]
    return Ticket.replay(ticket.history[: bisect_left(times, at)])


@attrs.frozen(slots=True, kw_only=True)
class TicketFacts:
    """What the KPIs read from one ticket, as of an instant: one flat row.

    Durations are integer microseconds (``*_work_us``: working time on the
    calendar; the others: calendar time). ``sla`` is ``(metric, met, breached)``
    per metric, counting the cycles that count, and ``sla_in_progress``
    ``(metric, running or paused)``; ``callbacks_met`` / ``callbacks_missed``
    are the met / breached cycles of the ``low_score_callback`` metric (see
    :mod:`aftersales.kpi.sla_counts`). This is also the row the benchmark
    hands to pandas.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.kpi import Period, ServiceKpis
        >>> kpis = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC"))
        >>> facts = kpis.facts(sample_ticket())
        >>> facts.closed, facts.score, facts.first_response_us // 1_000_000
        (True, 5, 300)
    """

    ticket_id: str
    customer_id: str
    customer_name: str
    channel: str
    category: str
    product: str | None
    priority: str
    agent: str
    root_cause: str | None
    received_us: int
    local_date: date
    local_hour: int
    cancelled: bool
    closed: bool
    open: bool
    first_response_us: int | None
    first_response_work_us: int | None
    resolution_us: int | None
    resolution_work_us: int | None
    first_contact: bool
    escalated: bool
    reopened: bool
    ever_closed: bool
    one_touch: bool
    high_impact: bool
    score: int | None
    resolved: bool
    visited: bool
    callbacks_met: int
    callbacks_missed: int
    sla: tuple[tuple[str, int, int], ...]
    key_customer: bool
    age_us: int | None
    sla_in_progress: tuple[tuple[str, int], ...] = ()


class FactsReader:
    """Reduces tickets to their :class:`TicketFacts` as of one instant, under one configuration.

    Args:
        at: the instant the tickets are read at (see :func:`as_of`).
        calendar: the working calendar of the ``*_work_us`` durations.
        tz: the zone of the local date and hour of receipt.
        policy: the SLA policy whose cycles are counted (``None``: none).
        callback_within: the low-score callback's target when ``policy`` has
            no ``low_score_callback`` metric (see
            :func:`~aftersales.kpi.sla_counts.callback_policy`).
        key_customers: ids of the key customers.

    Example:
        >>> import pendulum
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> reader = FactsReader(at=ticket.received_at, calendar=WorkCalendar.always("UTC"), tz="UTC")
        >>> reader.facts(ticket) is None
        True
    """

    @renamed_keywords(as_of="at")
    def __init__(
        self,
        *,
        at: pendulum.DateTime,
        calendar: WorkCalendar,
        tz: str,
        policy: SlaPolicy | None = None,
        callback_within: timedelta = timedelta(hours=48),
        key_customers: Collection[str] = frozenset(),
    ) -> None:
        self.at = at
        self.calendar = calendar
        self.policy = policy
        self.callback_within = callback_within
        self.key_customers = frozenset(key_customers)
        self._at_us = WorkCalendar.epoch_us(at)
        self._zone = pendulum.timezone(tz)
        self._callbacks: SlaPolicy | None = None

    as_of = renamed_attribute("at")

    def facts(self, ticket: Ticket) -> TicketFacts | None:
        """``ticket`` reduced to what the KPIs read, as of ``at`` (``None``: not yet received)."""
        seen = as_of(ticket, self.at)
        if seen is None:
            return None
        cal = self.calendar
        received = seen.received_at
        received_us = WorkCalendar.epoch_us(received)
        local = received.in_timezone(self._zone)
        first_response_us = first_response_work_us = None
        if seen.first_response_at is not None:
            first_response_us = WorkCalendar.epoch_us(seen.first_response_at) - received_us
            first_response_work_us = cal.working_time(received, seen.first_response_at) // _ONE
        resolution_us = resolution_work_us = None
        if seen.resolved_at is not None:
            resolution_us = WorkCalendar.epoch_us(seen.resolved_at) - received_us
            resolution_work_us = cal.working_time(received, seen.resolved_at) // _ONE
        commands = {event.command for event in seen.history}
        visits = seen.visits
        closed = seen.closed_at is not None and not seen.is_open
        counts = {} if self.policy is None else count_cycles(self._evaluate(self.policy, seen))
        rule = self._callback_policy()
        rule_counts = counts if rule is self.policy else count_cycles(self._evaluate(rule, seen))
        callbacks = rule_counts.get(CALLBACK_METRIC)
        met, missed = (0, 0) if callbacks is None else (callbacks.met, callbacks.breached)
        sla = tuple((name, c.met, c.breached) for name, c in counts.items())
        in_progress = tuple((name, c.in_progress) for name, c in counts.items() if c.in_progress)
        escalated = seen.escalation_level > 0
        root = seen.root_cause
        return TicketFacts(
            ticket_id=seen.id,
            customer_id=seen.customer_id,
            customer_name=seen.customer_name,
            channel=seen.channel.code,
            category=seen.category.code,
            product=None if seen.purchase is None else seen.purchase.product.model,
            priority=seen.priority.value,
            agent=seen.assignee or seen.handler or "",
            root_cause=None if root is None else root.code,
            received_us=received_us,
            local_date=local.date(),
            local_hour=local.hour,
            cancelled=seen.cancelled_at is not None,
            closed=closed,
            open=seen.is_open,
            first_response_us=first_response_us,
            first_response_work_us=first_response_work_us,
            resolution_us=resolution_us,
            resolution_work_us=resolution_work_us,
            first_contact=seen.resolved_on_first_contact,
            escalated=escalated,
            reopened=seen.reopen_count > 0,
            ever_closed=closed or seen.reopen_count > 0,
            one_touch=closed
            and not (commands & _LOOPS)
            and all(visit.visit_closes for visit in visits),
            high_impact=escalated or seen.priority is Priority.URGENT,
            score=visits[-1].score if visits else None,
            resolved=seen.first_resolved_at is not None,
            visited=bool(visits),
            callbacks_met=met,
            callbacks_missed=missed,
            sla=sla,
            key_customer=seen.customer_id in self.key_customers,
            age_us=self._at_us - received_us if seen.is_open else None,
            sla_in_progress=in_progress,
        )

    def _evaluate(self, policy: SlaPolicy, ticket: Ticket) -> tuple[MetricResult, ...]:
        return policy.evaluate(ticket, self.at).results

    def _callback_policy(self) -> SlaPolicy:
        """The policy whose ``low_score_callback`` metric is the callback rule (built once)."""
        if self._callbacks is None:
            self._callbacks = callback_policy(self.policy, self.calendar, self.callback_within)
        return self._callbacks
