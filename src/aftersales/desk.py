"""The service desk: the commands of the lifecycle over a store and a clock.

Each command loads the ticket, builds one event, lets the ticket check it
against the lifecycle, and saves the result with optimistic concurrency. A
refused command raises before anything is written. ``at=`` back-dates a command
(entering a paper record, say); by default the injected clock says when.

Example:
    >>> import pendulum
    >>> from aftersales import ServiceDesk, FixedClock, Customer, Channel, ProblemCategory
    >>> clock = FixedClock(pendulum.datetime(2024, 5, 10, 15, 0, tz="Asia/Shanghai"))
    >>> desk = ServiceDesk(clock=clock)
    >>> ticket = desk.open_ticket(
    ...     customer=Customer(id="C202405001", name="XX科技有限公司"),
    ...     channel=Channel.PHONE, category=ProblemCategory.PRODUCT_QUALITY,
    ...     description="开机后频繁死机", occurred_at=clock.now().subtract(minutes=30),
    ...     by="李工", ticket_id="T1")
    >>> ticket.priority
    <Priority.GENERAL: 'general'>
    >>> desk.acknowledge("T1", by="李工").status.label_zh
    '分析中'
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

import pendulum

from aftersales import _checks as check
from aftersales.calendar import COMPUTABLE_YEARS, WorkCalendar
from aftersales.errors import CalendarCoverageError, ConcurrencyError, InvalidData, UnknownValue
from aftersales.model.customer import Contact, Customer
from aftersales.model.events import (
    Acknowledged,
    AnalysisRecorded,
    Assigned,
    Cancelled,
    ContactRecorded,
    CustomerAgreed,
    CustomerDisputed,
    Escalated,
    ExecutionFinished,
    ImprovementSuggested,
    NewProblemReported,
    NoteAdded,
    OnsiteVisitBooked,
    PriorityChanged,
    ProgressRecorded,
    Reopened,
    ResolvedOnFirstContact,
    SlaBreached,
    SlaWarning,
    SolutionProposed,
    TicketEvent,
    TicketOpened,
    VisitRecorded,
)
from aftersales.model.product import Purchase
from aftersales.model.solution import SolutionStep
from aftersales.model.ticket import Ticket
from aftersales.priority import DEFAULT_PRIORITY_RULES, IntakeFacts, PriorityRules, is_complaint
from aftersales.sla import SlaAlert, SlaNotice, SlaPolicy, SlaReport
from aftersales.storage.memory import MemoryStore
from aftersales.storage.protocols import TicketQuery, TicketStore
from aftersales.time import Clock, SystemClock
from aftersales.vocab import Channel, Demand, Priority, ProblemCategory, RootCauseCategory
from aftersales.vocabulary import in_store_vocabulary
from aftersales.warranty import WarrantyStatus, warranty_status

__all__ = ["ServiceDesk"]

_log = logging.getLogger("aftersales.desk")


#: How far past the clock's now a command's ``at=`` may lie by default.
DEFAULT_CLOCK_SKEW: Final = timedelta(minutes=5)


def _clock(value: Any, name: str) -> Clock:
    """A :class:`~aftersales.time.Clock`: an object with ``now()`` (a datetime is not one)."""
    if isinstance(value, datetime) or not isinstance(value, Clock):
        message = (
            f"{type(value).__name__} is not a clock; accepted: an object with now(),"
            " such as FixedClock(at) or SystemClock()"
        )
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return value


@functools.cache
def _built_in_metrics() -> tuple[str, ...]:
    """The names of the metrics of :meth:`SlaPolicy.default`."""
    return tuple(m.name for m in SlaPolicy.default(WorkCalendar.always()).metrics)


def _random_id(at: pendulum.DateTime) -> str:
    return f"T{at.format('YYYYMMDD')}-{uuid.uuid4().hex[:10]}"


class ServiceDesk:
    """The service layer every front end talks to.

    Args:
        store: where tickets live (default: a new :class:`MemoryStore`).
        clock: where "now" comes from (default: the system clock).
        priority_rules: decides the priority when ``open_ticket`` gets none.
        visit_threshold: the lowest satisfaction score (1–5) that closes a
            ticket at its return visit; a lower score sends it back to analysis.
        id_factory: makes a ticket id from the registration time when
            ``open_ticket`` gets none.
        sla: the SLA policy behind :meth:`sla`, :meth:`check_sla` and
            :meth:`sla_watchlist` (none by default).
        max_clock_skew: how far past the clock's now a command's ``at=`` may
            lie (default 5 minutes, at most a day): a command cannot happen
            later than the clock's now plus this skew. Back-dating stays
            allowed (entering a paper record). Queries (:meth:`sla`,
            :meth:`sla_watchlist`) may look at any instant of the years the
            calendars compute (1900–2399).

    Every argument is checked where it enters: a value of the wrong type or
    out of range raises an :class:`~aftersales.errors.InvalidData` naming the
    argument and what is accepted, before anything is read or written. Texts
    must be valid Unicode without NUL characters (no lone surrogates), at most
    10,000 characters; integers (versions, levels, cycles, limits) at most
    2**31 - 1; see "Errors and input rules" in ``docs/getting-started.md``.

    Example:
        >>> desk = ServiceDesk(visit_threshold=4)
        >>> desk.visit_threshold, desk.max_clock_skew
        (4, datetime.timedelta(seconds=300))
        >>> from aftersales import FixedClock
        >>> from aftersales.testing.samples import sample_ticket
        >>> clock = FixedClock(pendulum.datetime(2026, 10, 9, 9, tz="Asia/Shanghai"))
        >>> desk = ServiceDesk(clock=clock)
        >>> desk.store.save(sample_ticket("T1"), expected_version=0)
        >>> desk.reopen("T1", by="李工", reason="问题复现", at=clock.now().add(hours=1))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: at: 2026-10-09T02:00:00+00:00 is later than the clock's now 2026-10-09T01:00:00+00:00 plus the allowed skew of 0:05:00; accepted: an instant up to 2026-10-09T01:05:00+00:00 (earlier instants back-date the command)
    """

    def __init__(
        self,
        store: TicketStore | None = None,
        *,
        clock: Clock | None = None,
        priority_rules: PriorityRules = DEFAULT_PRIORITY_RULES,
        visit_threshold: int = 3,
        id_factory: Callable[[pendulum.DateTime], str] = _random_id,
        sla: SlaPolicy | None = None,
        max_clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
    ) -> None:
        check.run_checks_on(
            {
                "store": (store, check.optional(check.protocol(TicketStore, "a ticket store"))),
                "clock": (clock, check.optional(_clock)),
                "priority_rules": (priority_rules, check.protocol(PriorityRules, "assess(facts)")),
                "visit_threshold": (visit_threshold, check.score(1, 5)),
                "id_factory": (id_factory, check.function("id_factory(at) -> str")),
                "sla": (sla, check.optional(check.instance_of(SlaPolicy))),
                "max_clock_skew": (max_clock_skew, check.duration(timedelta(0), timedelta(days=1))),
            }
        )
        self.store: TicketStore = MemoryStore() if store is None else store
        self.clock: Clock = SystemClock() if clock is None else clock
        self.priority_rules = priority_rules
        self.visit_threshold: int = visit_threshold
        self.id_factory = id_factory
        self.sla_policy = sla
        self.max_clock_skew: timedelta = max_clock_skew

    # -- reading ---------------------------------------------------------------------

    def get(self, ticket_id: str) -> Ticket:
        """The current ticket; ``NotFound`` when there is none."""
        return self.store.get(ticket_id)

    def history(self, ticket_id: str) -> Sequence[TicketEvent]:
        """The ticket's events, oldest first."""
        return self.store.history(ticket_id)

    def find(self, query: TicketQuery | None = None, **filters: Any) -> list[Ticket]:
        """Tickets matching ``query`` (or the ``TicketQuery`` fields given as keywords)."""
        return self.store.find(query if query is not None else TicketQuery(**filters))

    def warranty(self, ticket_id: str, *, at: datetime | None = None) -> WarrantyStatus:
        """The warranty of the ticket's purchase (保修判定), by default when the problem occurred.

        The service-confirmation step asks this before proposing a paid or free solution.

        Example:
            >>> from aftersales.testing.samples import sample_ticket
            >>> desk = ServiceDesk()
            >>> desk.store.save(sample_ticket(), expected_version=0)
            >>> desk.warranty("T202405001").state.label_zh
            '保修期内'
        """
        ticket = self.store.get(ticket_id)
        return warranty_status(ticket, ticket.occurred_at if at is None else check.aware(at, "at"))

    # -- SLA ----------------------------------------------------------------------------

    def _policy(self) -> SlaPolicy:
        if self.sla_policy is None:
            message = "this desk has no SLA policy; accepted: ServiceDesk(..., sla=SlaPolicy(...))"
            raise InvalidData(f"sla: {message}", problems=[("sla", message)])
        return self.sla_policy

    def sla(self, ticket_id: str, *, at: datetime | None = None) -> SlaReport:
        """The SLA clocks of a ticket at ``at`` (default: now)."""
        return self._policy().evaluate(self.store.get(ticket_id), self._looking_at(at))

    def check_sla(
        self, ticket_id: str, *, by: str = "sla", at: datetime | None = None
    ) -> list[SlaNotice]:
        """Record the SLA notices due at ``at`` (default: now) and return them.

        Per running or paused clock cycle, only the highest level crossed and
        not yet recorded is notified; lower levels crossed since are recorded
        as passed without a notice (see ``SlaReport.notifications``). Met,
        cancelled and not-applicable clocks, and closed or cancelled tickets,
        never notify. Each notice becomes a ``SlaWarning``/``SlaBreached`` event
        in the ticket's history, so checking again returns nothing new until a
        higher level is crossed: notify on what this returns.
        """
        now = self._now(at)
        notices = self._policy().evaluate(self.store.get(ticket_id), now).notifications
        for notice in notices:
            record = self.record_sla_breach if notice.breach else self.record_sla_warning
            record(
                ticket_id,
                by=by,
                metric=notice.metric,
                cycle=notice.cycle,
                level=notice.level,
                crossed_at=notice.crossed_at,
                due_at=notice.due_at,
                at=now,
            )
        return list(notices)

    def sla_watchlist(
        self, before: datetime, *, at: datetime | None = None
    ) -> list[tuple[Ticket, SlaAlert]]:
        """Open tickets whose clocks warn or breach by ``before``: ``(ticket, alert)`` in time order."""
        policy = self._policy()
        now = self._looking_at(at)
        found = []
        for ticket in self.store.find(TicketQuery(open_only=True)):
            for alert in policy.evaluate(ticket, now).alerts_before(before):
                found.append((ticket, alert))
        return sorted(found, key=lambda pair: pair[1].at)

    # -- intake -----------------------------------------------------------------------

    @in_store_vocabulary
    def open_ticket(
        self,
        *,
        customer: Customer,
        channel: Channel | str,
        category: ProblemCategory | str,
        description: str,
        occurred_at: datetime,
        by: str,
        priority: Priority | str | None = None,
        facts: IntakeFacts | None = None,
        contact: Contact | None = None,
        purchase: Purchase | None = None,
        demands: Iterable[Demand | str] = (),
        impact: str = "",
        customer_words: str = "",
        handler: str | None = None,
        ticket_id: str | None = None,
        at: datetime | None = None,
    ) -> Ticket:
        """Register a problem (受理登记) and return the new ticket.

        Without ``priority`` the priority rules decide from ``facts``; when the
        new ticket is a complaint (see :func:`~aftersales.priority.is_complaint`),
        the customer's open complaints in the same category (given as a term,
        code or label) count as prior unresolved complaints. ``contact``
        defaults to the customer's primary contact and ``handler`` to ``by``.
        """
        now = self._now(at)
        check.instance_of(Customer)(customer, "customer")
        check.optional(check.instance_of(IntakeFacts))(facts, "facts")
        reason = ""
        if priority is None:
            base = facts or IntakeFacts()
            repeats = self._open_complaints(customer.id, category, base)
            facts = IntakeFacts(
                safety_hazard=base.safety_hazard,
                core_business_stopped=base.core_business_stopped,
                product_unusable=base.product_unusable,
                partial_function_affected=base.partial_function_affected,
                consultation=base.consultation,
                prior_unresolved_complaints=max(base.prior_unresolved_complaints, repeats),
            )
            assessment = self.priority_rules.assess(facts)
            priority, reason = assessment.priority, assessment.reason
        event = TicketOpened(
            ticket_id=ticket_id if ticket_id is not None else self.id_factory(now),
            seq=1,
            at=now,
            by=by,
            customer_id=customer.id,
            customer_name=customer.name,
            contact=contact if contact is not None else customer.primary_contact,
            purchase=purchase,
            channel=channel,  # type: ignore[arg-type]
            category=category,  # type: ignore[arg-type]
            demands=check.items(demands, "demands"),
            occurred_at=occurred_at,  # type: ignore[arg-type]
            description=description,
            impact=impact,
            customer_words=customer_words,
            priority=priority,  # type: ignore[arg-type]
            priority_reason=reason,
            handler=handler if handler is not None else by,
        )
        ticket = Ticket.replay([event])
        self.store.save(ticket, expected_version=0, due_at=self._next_due(ticket, now))
        return ticket

    def _open_complaints(self, customer_id: str, category: object, facts: IntakeFacts) -> int:
        """How many open complaints the customer has in ``category``; 0 unless the new one is one."""
        try:
            term = ProblemCategory.get(category)
        except UnknownValue:
            return 0  # the opening event reports the unknown category with any other problem
        if not is_complaint(term, consultation=facts.consultation):
            return 0
        query = TicketQuery(customer_id=customer_id, category=term, open_only=True)
        return sum(1 for ticket in self.store.find(query) if is_complaint(ticket.category))

    # -- the lifecycle commands --------------------------------------------------------

    def acknowledge(
        self,
        ticket_id: str,
        *,
        by: str,
        note: str = "",
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """First response to the customer: RECEIVED → ANALYSING."""
        return self._run(ticket_id, Acknowledged, by, at, expected_version, note=note)

    def resolve_on_first_contact(
        self,
        ticket_id: str,
        *,
        by: str,
        answer: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Solved at first contact (一线解决): RECEIVED or ANALYSING → AWAITING_VISIT."""
        return self._run(ticket_id, ResolvedOnFirstContact, by, at, expected_version, answer=answer)

    def record_analysis(
        self,
        ticket_id: str,
        *,
        by: str,
        finding: str,
        root_cause: RootCauseCategory | str | None = None,
        resolution_deadline: datetime | None = None,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Record a finding and its root-cause category; status stays ANALYSING."""
        return self._run(
            ticket_id,
            AnalysisRecorded,
            by,
            at,
            expected_version,
            finding=finding,
            root_cause=root_cause,
            resolution_deadline=resolution_deadline,
        )

    def propose_solution(
        self,
        ticket_id: str,
        *,
        by: str,
        summary: str,
        steps: Iterable[SolutionStep],
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Put a plan to the customer: ANALYSING → AWAITING_CONFIRMATION."""
        return self._run(
            ticket_id,
            SolutionProposed,
            by,
            at,
            expected_version,
            summary=summary,
            steps=check.items(steps, "steps"),
        )

    def customer_agrees(
        self,
        ticket_id: str,
        *,
        by: str,
        words: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The customer agrees (words verbatim): AWAITING_CONFIRMATION → IN_PROGRESS."""
        return self._run(ticket_id, CustomerAgreed, by, at, expected_version, words=words)

    def customer_disputes(
        self,
        ticket_id: str,
        *,
        by: str,
        words: str,
        change_request: str = "",
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The customer disputes or asks for a change: AWAITING_CONFIRMATION → ANALYSING."""
        return self._run(
            ticket_id,
            CustomerDisputed,
            by,
            at,
            expected_version,
            words=words,
            change_request=change_request,
        )

    def book_onsite_visit(
        self,
        ticket_id: str,
        *,
        by: str,
        appointment_at: datetime,
        engineer: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Agree an on-site service time with the customer (预约上门)."""
        return self._run(
            ticket_id,
            OnsiteVisitBooked,
            by,
            at,
            expected_version,
            appointment_at=appointment_at,
            engineer=engineer,
        )

    def record_progress(
        self,
        ticket_id: str,
        *,
        by: str,
        result: str,
        onsite: bool = False,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Record a key node of execution (time, operator, result); stays IN_PROGRESS."""
        return self._run(
            ticket_id, ProgressRecorded, by, at, expected_version, result=result, onsite=onsite
        )

    def report_new_problem(
        self,
        ticket_id: str,
        *,
        by: str,
        description: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """A new problem found during execution: IN_PROGRESS → ANALYSING."""
        return self._run(
            ticket_id, NewProblemReported, by, at, expected_version, description=description
        )

    def finish_execution(
        self,
        ticket_id: str,
        *,
        by: str,
        summary: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The plan is carried out: IN_PROGRESS → AWAITING_VISIT."""
        return self._run(ticket_id, ExecutionFinished, by, at, expected_version, summary=summary)

    def record_visit(
        self,
        ticket_id: str,
        *,
        by: str,
        resolved: bool,
        score: int,
        comment: str = "",
        channel: Channel | str | None = None,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The return visit: → CLOSED, or → ANALYSING when unresolved or scored under the threshold."""
        extra: dict[str, Any] = {} if channel is None else {"channel": channel}
        return self._run(
            ticket_id,
            VisitRecorded,
            by,
            at,
            expected_version,
            resolved=resolved,
            score=score,
            comment=comment,
            threshold=self.visit_threshold,
            **extra,
        )

    def reopen(
        self,
        ticket_id: str,
        *,
        by: str,
        reason: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The problem came back: CLOSED → ANALYSING."""
        return self._run(ticket_id, Reopened, by, at, expected_version, reason=reason)

    def escalate(
        self,
        ticket_id: str,
        *,
        by: str,
        reason: str,
        to: str = "",
        level: int | None = None,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Escalate (升级): the level goes up by one, or to ``level`` when given (must be higher)."""
        current = self.store.get(ticket_id)
        new_level = current.escalation_level + 1 if level is None else level
        return self._run(
            ticket_id,
            Escalated,
            by,
            at,
            expected_version,
            _ticket=current,
            level=new_level,
            reason=reason,
            to=to,
        )

    def assign(
        self,
        ticket_id: str,
        *,
        by: str,
        assignee: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Hand the ticket to another handler; status unchanged."""
        return self._run(ticket_id, Assigned, by, at, expected_version, assignee=assignee)

    def change_priority(
        self,
        ticket_id: str,
        *,
        by: str,
        priority: Priority | str,
        reason: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Re-assess the priority; status unchanged."""
        return self._run(
            ticket_id, PriorityChanged, by, at, expected_version, priority=priority, reason=reason
        )

    def add_note(
        self,
        ticket_id: str,
        *,
        by: str,
        text: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Add an internal note; status unchanged."""
        return self._run(ticket_id, NoteAdded, by, at, expected_version, text=text)

    def record_contact(
        self,
        ticket_id: str,
        *,
        by: str,
        channel: Channel | str,
        summary: str,
        inbound: bool = False,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Record a contact with the customer; status unchanged."""
        return self._run(
            ticket_id,
            ContactRecorded,
            by,
            at,
            expected_version,
            channel=channel,
            summary=summary,
            inbound=inbound,
        )

    def suggest_improvement(
        self,
        ticket_id: str,
        *,
        by: str,
        text: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Propose a product, service or process improvement from this case (优化建议)."""
        return self._run(ticket_id, ImprovementSuggested, by, at, expected_version, text=text)

    def cancel(
        self,
        ticket_id: str,
        *,
        by: str,
        reason: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Withdraw an open ticket: → CANCELLED."""
        return self._run(ticket_id, Cancelled, by, at, expected_version, reason=reason)

    def record_sla_warning(
        self,
        ticket_id: str,
        *,
        by: str,
        metric: str,
        cycle: int,
        level: int,
        crossed_at: datetime,
        due_at: datetime,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Record that an SLA clock crossed a warning level (see :meth:`check_sla`).

        ``metric`` names a metric of the desk's SLA policy (without a policy:
        one of the built-in metrics of :meth:`SlaPolicy.default`); ``cycle`` is
        0 to 2**31 - 1 and ``level`` 1 to 99.
        """
        return self._run(
            ticket_id,
            SlaWarning,
            by,
            at,
            expected_version,
            metric=self._metric_name(metric),
            cycle=cycle,
            level=level,
            crossed_at=crossed_at,
            due_at=due_at,
        )

    def record_sla_breach(
        self,
        ticket_id: str,
        *,
        by: str,
        metric: str,
        cycle: int,
        level: int,
        crossed_at: datetime,
        due_at: datetime,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Record that an SLA clock went past its target (see :meth:`check_sla`).

        ``metric`` names a metric of the desk's SLA policy (without a policy:
        one of the built-in metrics of :meth:`SlaPolicy.default`); ``cycle`` is
        0 to 2**31 - 1 and ``level`` 1 to 99.
        """
        return self._run(
            ticket_id,
            SlaBreached,
            by,
            at,
            expected_version,
            metric=self._metric_name(metric),
            cycle=cycle,
            level=level,
            crossed_at=crossed_at,
            due_at=due_at,
        )

    # -- machinery ----------------------------------------------------------------------

    def _metric_name(self, metric: object) -> str:
        """``metric`` when it names a metric of the desk's SLA policy (without one: a built-in)."""
        policy = self.sla_policy
        names = _built_in_metrics() if policy is None else tuple(m.name for m in policy.metrics)
        if not isinstance(metric, str) or metric not in names:
            raise UnknownValue("metric", metric, names)
        return metric

    def _now(self, at: datetime | None) -> pendulum.DateTime:
        """When a command happens: ``at`` (back-dated, or up to the allowed skew ahead), else now."""
        now = self.clock.now()
        if at is None:
            return now
        when = check.aware(at, "at")
        latest = now + self.max_clock_skew
        if when > latest:
            message = (
                f"{when.isoformat()} is later than the clock's now {now.isoformat()} plus the"
                f" allowed skew of {self.max_clock_skew}; accepted: an instant up to"
                f" {latest.isoformat()} (earlier instants back-date the command)"
            )
            raise InvalidData(f"at: {message}", problems=[("at", message)])
        return when

    def _looking_at(self, at: datetime | None) -> pendulum.DateTime:
        """The instant a query looks at: ``at`` (any computable instant), else now."""
        if at is None:
            return self.clock.now()
        when = check.aware(at, "at")
        if when.year not in COMPUTABLE_YEARS:
            first, last = COMPUTABLE_YEARS[0], COMPUTABLE_YEARS[-1]
            message = (
                f"{when.isoformat()} is outside the years the calendars compute;"
                f" accepted: an instant from {first}-01-01 to {last}-12-31"
            )
            raise InvalidData(f"at: {message}", problems=[("at", message)])
        return when

    @in_store_vocabulary
    def _run(
        self,
        ticket_id: str,
        event_type: type[TicketEvent],
        by: str,
        at: datetime | None,
        expected_version: int | None,
        _ticket: Ticket | None = None,
        **payload: Any,
    ) -> Ticket:
        if expected_version is not None:
            check.integer(0)(expected_version, "expected_version")
        ticket = self.store.get(ticket_id) if _ticket is None else _ticket
        if expected_version is not None and expected_version != ticket.version:
            raise ConcurrencyError(
                "ticket", ticket_id, expected=expected_version, actual=ticket.version
            )
        now = self._now(at)
        if at is not None and now < ticket.updated_at:
            message = (
                f"{now.isoformat()} is before the previous event at"
                f" {ticket.updated_at.isoformat()}; accepted: that instant or later"
            )
            raise InvalidData(f"at: {message}", problems=[("at", message)])
        event = ticket.new_event(event_type, by=by, at=now, **payload)
        updated = ticket.apply(event)
        self.store.save(
            updated, expected_version=ticket.version, due_at=self._next_due(updated, now)
        )
        return updated

    def _next_due(self, ticket: Ticket, now: pendulum.DateTime) -> pendulum.DateTime | None:
        """The earliest SLA due time of the ticket's running clocks, for the store's index."""
        if self.sla_policy is None or not ticket.is_open:
            return None
        try:
            return self.sla_policy.evaluate(ticket, now).next_due
        except CalendarCoverageError as error:
            # The command itself is valid; only its deadline cannot be known yet.
            _log.warning("ticket %s saved without an SLA due time: %s", ticket.id, error)
            return None
