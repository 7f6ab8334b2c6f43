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

import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import pendulum

from aftersales import _checks as check
from aftersales.errors import CalendarCoverageError, ConcurrencyError, InvalidData
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
from aftersales.priority import DEFAULT_PRIORITY_RULES, IntakeFacts, PriorityRules
from aftersales.sla import SlaAlert, SlaNotice, SlaPolicy, SlaReport
from aftersales.storage.memory import MemoryStore
from aftersales.storage.protocols import TicketQuery, TicketStore
from aftersales.time import Clock, SystemClock
from aftersales.vocab import Channel, Demand, Priority, ProblemCategory, RootCauseCategory
from aftersales.warranty import WarrantyStatus, warranty_status

__all__ = ["ServiceDesk"]

_log = logging.getLogger("aftersales.desk")


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

    Example:
        >>> desk = ServiceDesk(visit_threshold=4)
        >>> desk.visit_threshold
        4
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
    ) -> None:
        self.store: TicketStore = MemoryStore() if store is None else store
        self.clock: Clock = SystemClock() if clock is None else clock
        self.priority_rules = priority_rules
        self.visit_threshold: int = check.score(1, 5)(visit_threshold, "visit_threshold")
        self.id_factory = id_factory
        self.sla_policy = sla

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
        return self._policy().evaluate(self.store.get(ticket_id), self._now(at))

    def check_sla(
        self, ticket_id: str, *, by: str = "sla", at: datetime | None = None
    ) -> list[SlaNotice]:
        """Record every warning or breach crossed and not yet recorded; return those notices.

        Each notice becomes a ``SlaWarning``/``SlaBreached`` event in the
        ticket's history, so checking again returns nothing new: notify on
        what this returns and every crossing is notified exactly once.
        """
        now = self._now(at)
        report = self._policy().evaluate(self.store.get(ticket_id), now)
        for notice in report.notifications:
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
        return list(report.notifications)

    def sla_watchlist(
        self, before: datetime, *, at: datetime | None = None
    ) -> list[tuple[Ticket, SlaAlert]]:
        """Open tickets whose clocks warn or breach by ``before``: ``(ticket, alert)`` in time order."""
        policy = self._policy()
        now = self._now(at)
        found = []
        for ticket in self.store.find(TicketQuery(open_only=True)):
            for alert in policy.evaluate(ticket, now).alerts_before(before):
                found.append((ticket, alert))
        return sorted(found, key=lambda pair: pair[1].at)

    # -- intake -----------------------------------------------------------------------

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

        Without ``priority`` the priority rules decide from ``facts``; the
        customer's open tickets in the same category count as prior unresolved
        complaints. ``contact`` defaults to the customer's primary contact and
        ``handler`` to ``by``.
        """
        now = self._now(at)
        if not isinstance(customer, Customer):
            message = f"{customer!r} is not a Customer; accepted: a Customer"
            raise InvalidData(f"customer: {message}", problems=[("customer", message)])
        reason = ""
        if priority is None:
            open_same = [
                t
                for t in self.store.find(TicketQuery(customer_id=customer.id, open_only=True))
                if t.category.code == getattr(category, "code", category)
            ]
            base = facts or IntakeFacts()
            facts = IntakeFacts(
                safety_hazard=base.safety_hazard,
                core_business_stopped=base.core_business_stopped,
                product_unusable=base.product_unusable,
                partial_function_affected=base.partial_function_affected,
                consultation=base.consultation,
                prior_unresolved_complaints=max(base.prior_unresolved_complaints, len(open_same)),
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
            demands=tuple(demands),  # type: ignore[arg-type]
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
            steps=tuple(steps),
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
        """Record that an SLA clock crossed a warning level (see :meth:`check_sla`)."""
        return self._run(
            ticket_id,
            SlaWarning,
            by,
            at,
            expected_version,
            metric=metric,
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
        """Record that an SLA clock went past its target (see :meth:`check_sla`)."""
        return self._run(
            ticket_id,
            SlaBreached,
            by,
            at,
            expected_version,
            metric=metric,
            cycle=cycle,
            level=level,
            crossed_at=crossed_at,
            due_at=due_at,
        )

    # -- machinery ----------------------------------------------------------------------

    def _now(self, at: datetime | None) -> pendulum.DateTime:
        return self.clock.now() if at is None else check.aware(at, "at")

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
        ticket = self.store.get(ticket_id) if _ticket is None else _ticket
        if expected_version is not None and expected_version != ticket.version:
            raise ConcurrencyError(
                "ticket", ticket_id, expected=expected_version, actual=ticket.version
            )
        now = self._now(at)
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
