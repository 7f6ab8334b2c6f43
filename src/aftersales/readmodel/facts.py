"""A ticket's facts as a store keeps them, and how a reader finishes them at any later instant.

:class:`ProjectedFacts` is one version of a ticket reduced to what the KPIs
and reports read, computed by :meth:`FactsRules.project` *as of just after
that version's last event*: everything :class:`~aftersales.kpi.TicketFacts`
holds except what depends on the reader's instant or options, plus what lets
a reader finish it at any instant ``T`` after that event. Of each SLA cycle
(:class:`CycleFacts`) it keeps the state and, for a clock still running on an
open ticket, ``breach_us``: the first instant at which it is breached (a
running clock read at ``T >= breach_us`` is breached, earlier it is still in
progress; a paused one stays as it is until an event). :func:`finish` turns
it and ``T`` into the :class:`~aftersales.kpi.TicketFacts` of the ticket at
``T`` (age, running clocks, key customers).

There is one definition of each figure: :class:`~aftersales.kpi.facts.FactsReader`
(the replay path) computes the facts of the ticket truncated at ``T`` with
:meth:`FactsRules.project` and finishes them at ``T`` with :func:`finish`;
the facts path finishes the stored facts at ``T``. Stored facts apply only
at instants after their version's last event, up to the next event
(``valid_until_us``); :func:`boundaries` names the instants (month starts
by default, :data:`KEEP`; week starts too on request) at which a projector
also keeps an earlier version, so that reports of past months read stored
facts for the tickets that straddle their ends (about one ticket in seven
straddles a month end; most straddle a week end, and a weekly report
replays those few of its previous week). Domain layer: imports only the domain.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.testing.samples import sample_ticket
    >>> calendar = WorkCalendar.always("UTC")
    >>> ticket = sample_ticket()
    >>> opened = type(ticket).replay(ticket.history[:1])
    >>> stored = FactsRules(SlaPolicy.default(calendar), calendar).project(opened)
    >>> [(c.metric, c.state) for c in stored.cycles][:2]
    [('first_response', 'running'), ('resolution', 'running')]
    >>> later = stored.cycles[0].breach_us + 1
    >>> dict((m, b) for m, _, b in finish(stored, later).sla)["first_response"]
    1
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache, cached_property
from typing import Any, Final

import attrs
import pendulum

from aftersales.calendar import WorkCalendar
from aftersales.kpi.periods import Period
from aftersales.kpi.sla_counts import CALLBACK_METRIC, callback_policy
from aftersales.kpi.ticket_facts import TicketFacts
from aftersales.model.events import SlaCrossing
from aftersales.model.ticket import Ticket
from aftersales.priority import is_complaint
from aftersales.readmodel.fingerprint import projection_key
from aftersales.readmodel.substatus_spans import SpanFacts, substatus_spans, substatus_time
from aftersales.readmodel.visit_facts import (
    DimensionPairs,
    VisitFacts,
    latest_dimension_scores,
    visit_facts,
)
from aftersales.sla import MetricResult, SlaPolicy, SlaState
from aftersales.sla.notices import crossing_us
from aftersales.time import utc_us
from aftersales.vocab import Priority

__all__ = [
    "KEEP",
    "CycleFacts",
    "FactsRules",
    "ProjectedFacts",
    "VisitFacts",
    "boundaries",
    "finish",
]

_ONE = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Commands that send a ticket round again: a ticket that saw one is not one-touch.
_LOOPS = frozenset({"record_dispute", "report_new_problem", "reopen", "escalate"})
_RUNNING = SlaState.RUNNING.value
_IN_PROGRESS = frozenset({SlaState.RUNNING.value, SlaState.PAUSED.value})

#: The period starts a projector keeps earlier versions for, by default: month
#: starts (the monthly report's previous months). Weeks cost more to keep (most
#: tickets straddle one) than replaying the few tickets a weekly report needs.
KEEP: Final = ("month",)


@attrs.frozen(slots=True)
class CycleFacts:
    """One SLA clock cycle of a ticket version, as read just after its last event.

    ``rule_only`` marks a cycle of the KPI's low-score callback rule when the
    SLA policy has no such metric (it counts for the callback rate only).
    ``state`` is a :class:`~aftersales.sla.SlaState` value; ``due_us`` the due
    instant (``None`` for a paused, cancelled or not applicable cycle);
    ``breach_us`` the first instant a running cycle of an open ticket is
    breached (``None`` otherwise). Instants in µs since the epoch.

    Example:
        >>> CycleFacts("first_response", 0, False, True, "met", 0, 60, 1800, None).state
        'met'
    """

    metric: str
    cycle: int
    rule_only: bool
    counts: bool
    state: str
    started_us: int
    stopped_us: int | None
    due_us: int | None
    breach_us: int | None

    def state_at(self, at_us: int) -> str:
        """The cycle's state read at ``at_us`` (after its version's last event).

        Example:
            >>> CycleFacts("resolution", 0, False, True, "running", 0, None, 10, 11).state_at(11)
            'breached'
        """
        if self.state == _RUNNING and self.breach_us is not None and at_us >= self.breach_us:
            return SlaState.BREACHED.value
        return self.state


@attrs.frozen(slots=True, kw_only=True)
class ProjectedFacts:
    """One version of a ticket reduced to what the KPIs and reports read (see the module).

    Instants are µs since the epoch (``*_us`` of an instant: ``received_us``,
    ``last_event_us``, ``valid_until_us`` and the ``*_at_us`` fields);
    ``first_response_us`` … ``resolution_work_us`` are durations in µs as in
    :class:`~aftersales.kpi.TicketFacts` (``*_work_us``: working time).
    ``local_date`` and ``local_hour`` are those of receipt in the zone the
    facts were computed for. ``last_event_us`` is the instant of the
    version's last event that bears on the facts (SLA notices recorded after
    it do not: :meth:`FactsRules.settled`). ``valid_until_us`` is ``None`` for the ticket's
    current version, else the instant of the next event: the facts apply to
    readers at ``last_event_us < T <= valid_until_us``; ``as_of`` lists the
    period starts in that span for which a projector kept them.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> facts = FactsRules(None, WorkCalendar.always("UTC")).project(sample_ticket())
        >>> facts.status, facts.closed, facts.visits[0].score
        ('closed', True, 5)
    """

    ticket_id: str
    version: int
    last_event_us: int
    valid_until_us: int | None = None
    as_of: tuple[int, ...] = ()
    received_us: int
    local_date: date
    local_hour: int
    customer_id: str
    customer_name: str
    channel: str
    category: str
    product: str | None
    priority: str
    agent: str
    root_cause: str | None
    #: The ticket's type code (``None``: not recorded) and whether it is a complaint
    #: (:func:`~aftersales.priority.is_complaint`): what the complaint figures count.
    ticket_type: str | None
    complaint: bool
    status: str
    description: str
    cancelled_at_us: int | None
    closed_at_us: int | None
    first_resolved_at_us: int | None
    closed: bool
    open: bool
    first_response_us: int | None
    first_response_work_us: int | None
    resolution_us: int | None
    resolution_work_us: int | None
    first_contact: bool
    escalated: bool
    escalation_level: int
    reopened: bool
    reopen_count: int
    ever_closed: bool
    one_touch: bool
    high_impact: bool
    score: int | None
    resolved: bool
    visited: bool
    cycles: tuple[CycleFacts, ...] = ()
    visits: tuple[VisitFacts, ...] = ()
    #: The stays in sub-statuses (:mod:`aftersales.readmodel.substatus_spans`).
    substatus_spans: tuple[SpanFacts, ...] = ()
    #: Per satisfaction dimension, the latest score the visits gave it
    #: (:func:`~aftersales.readmodel.visit_facts.latest_dimension_scores`).
    dimension_scores: DimensionPairs = ()

    @property
    def cancelled(self) -> bool:
        """True when the version is cancelled."""
        return self.cancelled_at_us is not None

    def applies_at(self, at_us: int) -> bool:
        """True when a reader at ``at_us`` may finish these facts (see the class).

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> facts = FactsRules(None, WorkCalendar.always("UTC")).project(sample_ticket())
            >>> facts.applies_at(facts.last_event_us), facts.applies_at(facts.last_event_us + 1)
            (False, True)
        """
        return self.last_event_us < at_us and (
            self.valid_until_us is None or at_us <= self.valid_until_us
        )


def _us(value: datetime | None) -> int | None:
    """An aware instant of the model (already checked) in µs since the epoch."""
    return None if value is None else utc_us(value)


class FactsRules:
    """The configuration facts are computed under: SLA policy, calendar, callback rule.

    ``calendar`` measures the working-time durations (``*_work_us``);
    ``policy`` gives the SLA cycles (``None``: none); ``callback_within`` is
    the low-score callback's target when the policy has no
    ``low_score_callback`` metric (see :func:`~aftersales.kpi.callback_policy`).
    :attr:`key` fingerprints the three (see :mod:`aftersales.readmodel.fingerprint`).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> rules = FactsRules(None, WorkCalendar.always("UTC"))
        >>> rules.key == FactsRules(None, WorkCalendar.always("UTC")).key
        True
    """

    def __init__(
        self,
        policy: SlaPolicy | None,
        calendar: WorkCalendar,
        callback_within: timedelta = timedelta(hours=48),
    ) -> None:
        self.policy = policy
        self.calendar = calendar
        self.callback_within = callback_within
        self.callbacks = callback_policy(policy, calendar, callback_within)
        self.triggering = _trigger_commands(policy) | _trigger_commands(self.callbacks)

    def settled(self, ticket: Ticket) -> int:
        """How many of ``ticket``'s events bear on its facts: all but trailing SLA notices.

        A recorded warning or breach (``SlaWarned``/``SlaBreached``) changes no
        figure unless a clock of the configuration is triggered by recording
        it; the facts of a ticket whose last events are such notices are
        those of the version before them, and apply from that version's last
        event on. A sweep recording notices thus leaves a past period's
        reading on stored facts.

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> ticket = sample_ticket()
            >>> FactsRules(None, WorkCalendar.always("UTC")).settled(ticket) == len(ticket.history)
            True
        """
        history = ticket.history
        settled = len(history)
        while (
            settled > 1
            and isinstance(history[settled - 1], SlaCrossing)
            and history[settled - 1].command not in self.triggering
        ):
            settled -= 1
        return settled

    @cached_property
    def key(self) -> str:
        """The fingerprint of this configuration."""
        return projection_key(self.policy, self.calendar, self.callback_within)

    def project(
        self,
        ticket: Ticket,
        *,
        at: pendulum.DateTime | None = None,
        tz: Any = None,
        crossings: bool = True,
        results: tuple[MetricResult, ...] | None = None,
    ) -> ProjectedFacts:
        """The facts of ``ticket`` with its SLA clocks read at ``at`` (default: its last event).

        ``tz`` is the zone of the local date and hour (default: the calendar's).
        With ``crossings``, due and breach instants are computed (what a store
        keeps); without, a running cycle stays running whatever instant it is
        finished at (the replay path finishes at ``at`` itself). ``results``
        are the policy's results at ``at`` when the caller has them already.
        Raises :class:`~aftersales.CalendarCoverageError` when the calendar has
        no data for an instant a figure needs.
        """
        history = ticket.history
        last = len(history)
        if at is None:
            last = self.settled(ticket)
            if last < len(history):
                results = None  # the caller's were read at the notices' instant
        read_at = history[last - 1].at if at is None else at
        zone = self.calendar.tz if tz is None else tz
        working_time = self.calendar._engine.working_time
        received_us = history[0].at_us
        local = (_EPOCH + timedelta(microseconds=received_us)).astimezone(zone)
        first_response_us = first_response_work_us = None
        responded = _us(ticket.first_response_at)
        if responded is not None:
            first_response_us = responded - received_us
            first_response_work_us = int(working_time(received_us, responded))
        resolution_us = resolution_work_us = None
        resolved = _us(ticket.resolved_at)
        if resolved is not None:
            resolution_us = resolved - received_us
            resolution_work_us = int(working_time(received_us, resolved))
        commands = {event.command for event in ticket.history}
        visits = ticket.visits
        visited = visit_facts(ticket)
        closed = ticket.closed_at is not None and not ticket.is_open
        escalated = ticket.escalation_level > 0
        root = ticket.root_cause
        return ProjectedFacts(
            ticket_id=ticket.id,
            version=ticket.version,
            last_event_us=history[last - 1].at_us,
            received_us=received_us,
            local_date=local.date(),
            local_hour=local.hour,
            customer_id=ticket.customer_id,
            customer_name=ticket.customer_name,
            channel=ticket.channel.code,
            category=ticket.category.code,
            product=ticket.product_model,
            priority=ticket.priority.value,
            agent=ticket.assignee or ticket.handler or "",
            root_cause=None if root is None else root.code,
            ticket_type=None if ticket.ticket_type is None else ticket.ticket_type.code,
            complaint=is_complaint(ticket.category, ticket_type=ticket.ticket_type),
            status=ticket.status.value,
            description=ticket.description,
            cancelled_at_us=_us(ticket.cancelled_at),
            closed_at_us=_us(ticket.closed_at),
            first_resolved_at_us=_us(ticket.first_resolved_at),
            closed=closed,
            open=ticket.is_open,
            first_response_us=first_response_us,
            first_response_work_us=first_response_work_us,
            resolution_us=resolution_us,
            resolution_work_us=resolution_work_us,
            first_contact=ticket.resolved_on_first_contact,
            escalated=escalated,
            escalation_level=ticket.escalation_level,
            reopened=ticket.reopen_count > 0,
            reopen_count=ticket.reopen_count,
            ever_closed=closed or ticket.reopen_count > 0,
            one_touch=closed
            and not (commands & _LOOPS)
            and all(visit.visit_closes for visit in visits),
            high_impact=escalated or ticket.priority is Priority.URGENT,
            score=visits[-1].score if visits else None,
            resolved=ticket.first_resolved_at is not None,
            visited=bool(visits),
            cycles=self._cycles(ticket, read_at, crossings, results),
            visits=visited,
            substatus_spans=substatus_spans(ticket, working_time),
            dimension_scores=latest_dimension_scores(visited),
        )

    def timeline(
        self,
        ticket: Ticket,
        *,
        results: tuple[MetricResult, ...] | None = None,
        keep: tuple[str, ...] = KEEP,
    ) -> tuple[ProjectedFacts, ...]:
        """The facts a store keeps for ``ticket``: earlier versions, then the current one.

        An earlier version is kept when it was current at a ``keep`` start
        (``"week"``, ``"month"``) of the calendar's zone (see
        :func:`boundaries`), so that a report of a past period finds it;
        ``results`` are the policy's results read at the ticket's last event,
        when the caller has them.

        Example (the sample ticket's visit, version 9, comes on Monday 13 May
        2024, after the week started with version 8):
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> rules = FactsRules(None, WorkCalendar.always("UTC"))
            >>> [(f.version, len(f.as_of)) for f in rules.timeline(sample_ticket(), keep=("week",))]
            [(8, 1), (9, 0)]
            >>> [f.version for f in rules.timeline(sample_ticket())]  # no month start straddled
            [9]
        """
        times = [event.at_us for event in ticket.history[: self.settled(ticket)]]
        versions: dict[int, list[int]] = {}
        for instant in boundaries(times[0], times[-1], self.calendar.tz.name, keep):
            # the version current at the boundary: the events before it
            versions.setdefault(bisect_left(times, instant), []).append(instant)
        kept = [
            attrs.evolve(
                self.project(Ticket.replay(ticket.history[:version])),
                valid_until_us=times[version],
                as_of=tuple(instants),
            )
            for version, instants in versions.items()
        ]
        kept.append(self.project(ticket, results=results))
        return tuple(kept)

    def _cycles(
        self,
        ticket: Ticket,
        at: pendulum.DateTime,
        crossings: bool,
        results: tuple[MetricResult, ...] | None,
    ) -> tuple[CycleFacts, ...]:
        policy = self.policy
        if results is None:
            results = () if policy is None else policy.evaluate(ticket, at).results
        cycles = [self._cycle(r, False, crossings and ticket.is_open, crossings) for r in results]
        if self.callbacks is not policy:
            cycles += [
                self._cycle(r, True, crossings and ticket.is_open, crossings)
                for r in self.callbacks.evaluate(ticket, at).results
            ]
        return tuple(cycles)

    @staticmethod
    def _cycle(result: MetricResult, rule_only: bool, running: bool, due: bool) -> CycleFacts:
        state = result.state
        breach = None
        if running and state is SlaState.RUNNING:
            breach = crossing_us(result, len(result.threshold_us) + 1)
        has_due = due and state in (SlaState.RUNNING, SlaState.MET, SlaState.BREACHED)
        return CycleFacts(
            result.metric,
            result.cycle,
            rule_only,
            result.counts,
            state.value,
            result.started_us,
            result.stopped_us,
            result.due_us if has_due else None,
            breach,
        )


def finish(
    facts: ProjectedFacts, at_us: int, key_customers: Collection[str] = frozenset()
) -> TicketFacts:
    """The :class:`~aftersales.kpi.TicketFacts` of ``facts`` read at ``at_us`` (µs since the epoch).

    ``at_us`` must be one the facts apply at (see :meth:`ProjectedFacts.applies_at`),
    or the instant their clocks were read at.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> facts = FactsRules(None, WorkCalendar.always("UTC")).project(sample_ticket())
        >>> finish(facts, facts.last_event_us + 1).age_us is None  # closed: no age
        True
    """
    counts: dict[str, list[int]] = {}
    callbacks = [0, 0]
    for cycle in facts.cycles:
        if not cycle.counts:
            continue
        state = cycle.state_at(at_us)
        if cycle.metric == CALLBACK_METRIC:
            if state == SlaState.MET.value:
                callbacks[0] += 1
            elif state == SlaState.BREACHED.value:
                callbacks[1] += 1
        if cycle.rule_only:
            continue
        row = counts.setdefault(cycle.metric, [0, 0, 0])
        if state == SlaState.MET.value:
            row[0] += 1
        elif state == SlaState.BREACHED.value:
            row[1] += 1
        elif state in _IN_PROGRESS:
            row[2] += 1
    ordered = sorted(counts.items())
    return TicketFacts(
        ticket_id=facts.ticket_id,
        customer_id=facts.customer_id,
        customer_name=facts.customer_name,
        channel=facts.channel,
        category=facts.category,
        product=facts.product,
        priority=facts.priority,
        agent=facts.agent,
        root_cause=facts.root_cause,
        ticket_type=facts.ticket_type,
        complaint=facts.complaint,
        received_us=facts.received_us,
        local_date=facts.local_date,
        local_hour=facts.local_hour,
        cancelled=facts.cancelled_at_us is not None,
        closed=facts.closed,
        open=facts.open,
        first_response_us=facts.first_response_us,
        first_response_work_us=facts.first_response_work_us,
        resolution_us=facts.resolution_us,
        resolution_work_us=facts.resolution_work_us,
        first_contact=facts.first_contact,
        escalated=facts.escalated,
        reopened=facts.reopened,
        ever_closed=facts.ever_closed,
        one_touch=facts.one_touch,
        high_impact=facts.high_impact,
        score=facts.score,
        resolved=facts.resolved,
        visited=facts.visited,
        callbacks_met=callbacks[0],
        callbacks_missed=callbacks[1],
        sla=tuple((metric, row[0], row[1]) for metric, row in ordered),
        key_customer=facts.customer_id in key_customers,
        age_us=at_us - facts.received_us if facts.open else None,
        sla_in_progress=tuple((metric, row[2]) for metric, row in ordered if row[2]),
        substatuses=substatus_time(facts.substatus_spans),
        dimensions=facts.dimension_scores,
    )


def boundaries(
    first_us: int, last_us: int, tz: str, keep: tuple[str, ...] = ("week", "month")
) -> Iterator[int]:
    """The ``keep`` starts (``"week"``, ``"month"``; local midnights in ``tz``) ``M`` with ``first_us < M <= last_us``.

    The instants at which a projector keeps the version of a ticket that was
    current then (see the module), in µs since the epoch, in order.

    Example:
        >>> import pendulum
        >>> start = WorkCalendar.epoch_us(pendulum.datetime(2026, 10, 30, tz="UTC"))
        >>> end = WorkCalendar.epoch_us(pendulum.datetime(2026, 11, 3, tz="UTC"))
        >>> [WorkCalendar.always("UTC").from_epoch_us(m).date().isoformat() for m in boundaries(start, end, "UTC")]
        ['2026-11-01', '2026-11-02']
    """
    if last_us <= first_us:
        return
    zone = _zone(tz)
    day = (_EPOCH + timedelta(microseconds=first_us)).astimezone(zone).date()
    last_day = (_EPOCH + timedelta(microseconds=last_us)).astimezone(zone).date()
    while day < last_day:
        day += timedelta(days=1)
        if not ((day.day == 1 and "month" in keep) or (day.weekday() == 0 and "week" in keep)):
            continue
        start = WorkCalendar.epoch_us(Period.day(day, tz).start)
        if first_us < start <= last_us:
            yield start


@cache
def _zone(name: str) -> Any:
    """The time zone named ``name`` (looked up once)."""
    return pendulum.timezone(name)


def _trigger_commands(policy: SlaPolicy | None) -> frozenset[str]:
    """Every command a trigger of ``policy``'s metrics names, ``unless`` clauses included."""
    if policy is None:
        return frozenset()
    triggers = [
        trigger
        for metric in policy.metrics
        for trigger in (*metric.starts, *metric.stops, *metric.resumes, *metric.void)
    ]
    return frozenset(t.command for trigger in triggers for t in (trigger, *trigger.unless))
