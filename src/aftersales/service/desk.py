"""The service desk: the commands of the lifecycle over a store and a clock.

:meth:`ServiceDesk.execute` runs any lifecycle command by name: it checks the
arguments against the command's declaration
(:data:`~aftersales.service.commands.COMMANDS`), loads the ticket, builds one
event, lets the ticket check it against the lifecycle, and saves the result
with optimistic concurrency. A refused command raises before anything is
written. ``at=`` back-dates a command (entering a paper record, say); by default
the injected clock says when. The named commands (:meth:`~ServiceDesk.acknowledge`
and the others, in :mod:`aftersales.service.named_commands`) are typed one-line
calls of ``execute``; :meth:`ServiceDesk.open_ticket` registers a new ticket.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._renamed import renamed_keywords
from aftersales.errors import ConcurrencyError, InvalidData, MissingPriority, UnknownValue
from aftersales.model.customer import Contact, Customer
from aftersales.model.events import TicketEvent, TicketOpened
from aftersales.model.location import Location
from aftersales.model.product import Purchase
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.priority import (
    DEFAULT_PRIORITY_RULES,
    IntakeFacts,
    PriorityAssessment,
    PriorityRules,
    is_complaint,
)
from aftersales.priority_levels import PriorityLevel, PriorityScale
from aftersales.readmodel.projection import Projector
from aftersales.service.assignment import AssignmentPlan, assigned_after
from aftersales.service.attribute_arguments import checked_attributes, declared_attributes
from aftersales.service.commands import Command, command_named, priority_scale_of
from aftersales.service.contact_access import ContactReveal, contact_reveal
from aftersales.service.named_commands import NamedCommands
from aftersales.service.sla_choice import chosen_sla_policy, rechosen
from aftersales.service.sla_policy_commands import SlaPolicyCommands
from aftersales.service.sla_sweep import sweep, watched_tickets
from aftersales.service.timing import (
    DEFAULT_CLOCK_SKEW,
    checked_clock,
    command_instant,
    query_instant,
)
from aftersales.sla import SlaAlert, SlaNotice, SlaPolicy, SlaReport
from aftersales.storage.memory import MemoryStore
from aftersales.storage.ports import TicketStore
from aftersales.time import Clock, SystemClock
from aftersales.views import ContactAccess
from aftersales.vocab import Channel, Demand, Priority, ProblemCategory, TicketType
from aftersales.vocabulary import in_store_vocabulary
from aftersales.warranty import WarrantyStatus, warranty_status

__all__ = ["DEFAULT_CLOCK_SKEW", "ServiceDesk"]

_log = logging.getLogger("aftersales.desk")


def _random_id(at: pendulum.DateTime) -> str:
    return f"T{at.format('YYYYMMDD')}-{uuid.uuid4().hex[:10]}"


class ServiceDesk(SlaPolicyCommands, NamedCommands):
    """The service layer every front end talks to.

    Args:
        store: where tickets live (default: a new :class:`MemoryStore`).
        clock: where "now" comes from (default: the system clock).
        priority_rules: decides the priority when ``open_ticket`` gets none;
            ``None`` consults no rules: such a ticket gets the SLA policy's
            ``default_priority`` (and is refused without one).
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
        assignment: the teams and the rule that assign a new ticket and an
            escalated one (:mod:`aftersales.service.assignment`; none by default).

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
        priority_rules: PriorityRules | None = DEFAULT_PRIORITY_RULES,
        visit_threshold: int = 3,
        id_factory: Callable[[pendulum.DateTime], str] = _random_id,
        sla: SlaPolicy | None = None,
        max_clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
        assignment: AssignmentPlan | None = None,
    ) -> None:
        check.run_checks_on(
            {
                "store": (store, check.optional(check.protocol(TicketStore, "a ticket store"))),
                "clock": (clock, check.optional(checked_clock)),
                "priority_rules": (
                    priority_rules,
                    check.optional(check.protocol(PriorityRules, "assess(facts)")),
                ),
                "visit_threshold": (visit_threshold, check.score(1, 5)),
                "id_factory": (id_factory, check.function("id_factory(at) -> str")),
                "sla": (sla, check.optional(check.instance_of(SlaPolicy))),
                "max_clock_skew": (max_clock_skew, check.duration(timedelta(0), timedelta(days=1))),
                "assignment": (assignment, check.optional(check.instance_of(AssignmentPlan))),
            }
        )
        self.store: TicketStore = MemoryStore() if store is None else store
        self.clock: Clock = SystemClock() if clock is None else clock
        self.priority_rules = priority_rules
        self.visit_threshold: int = visit_threshold
        self.id_factory = id_factory
        self.sla_policy = sla
        self._projector: Projector | None = None
        self.max_clock_skew: timedelta = max_clock_skew
        self.assignment = assignment

    @property
    def priority_scale(self) -> PriorityScale:
        """The priority levels the desk records: its SLA policy's (without one: the seeds' three).

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> policy = SlaPolicy.default(WorkCalendar.always()).with_options(
            ...     priority_scale=PriorityScale.four_levels())
            >>> ServiceDesk(sla=policy).priority_scale.codes
            ('urgent', 'high', 'medium', 'low')
        """
        return priority_scale_of(self)

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
        return self._policy().evaluate(self.store.get(ticket_id), query_instant(self.clock, at))

    @in_store_vocabulary
    def check_sla(
        self, ticket_id: str, *, by: str = "sla", at: datetime | None = None
    ) -> list[SlaNotice]:
        """Record the SLA notices due at ``at`` (default: now) and return them.

        Per running or paused clock cycle, only the highest level crossed and
        not yet recorded is notified; lower levels crossed since are recorded
        as passed without a notice (see ``SlaReport.notifications``). Met,
        cancelled and not-applicable clocks, and closed or cancelled tickets,
        never notify. Each notice becomes a ``SlaWarned``/``SlaBreached`` event
        in the ticket's history (all of them in one save), so checking again
        returns nothing new until a higher level is crossed: notify on what
        this returns. :meth:`sweep_sla` does the same for every ticket due.
        """
        at = command_instant(self.clock, self.max_clock_skew, at)
        ticket = self.store.get(ticket_id)
        updated, notices = self._with_notices(ticket, at, by)
        if notices:
            self._save(updated, expected_version=ticket.version, at=at)
        return list(notices)

    @in_store_vocabulary
    def sweep_sla(
        self, *, at: datetime | None = None, batch: int = 500, by: str = "sla"
    ) -> list[SlaNotice]:
        """Record the SLA notices due at ``at`` (default: now) on every ticket, and return them.

        What :meth:`check_sla` would record on each open ticket, read through
        the store's SLA alert index (:class:`~aftersales.storage.SlaAlertStore`):
        only the tickets whose next alert has come are read, ``batch`` at a
        time (1 to 10,000), one transaction per batch. Several processes may
        sweep at once: each crossing is recorded, and returned, exactly once.
        Each notice names its ticket (``notice.ticket_id``); they come batch by
        batch in the index's order. Tickets saved without read models (see
        ``aftersales projections rebuild``) are not in the index; a store
        without the index is swept by reading every open ticket.

        Example:
            >>> from aftersales import FixedClock
            >>> from aftersales.calendar import WorkCalendar
            >>> clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai"))
            >>> desk = ServiceDesk(clock=clock, sla=SlaPolicy.default(WorkCalendar.china()))
            >>> desk.sweep_sla(batch=0)
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: batch: 0 is out of range; accepted: an integer from 1 to 10000
        """
        check.run_checks_on({"batch": (batch, check.integer(1, 10_000)), "by": (by, check.text)})
        policy = self._policy()
        at = command_instant(self.clock, self.max_clock_skew, at)
        return sweep(
            self.store,
            at,
            record=lambda ticket: self._with_notices(ticket, at, by, policy),
            project=self.projector.project,
            batch=batch,
        )

    def _with_notices(
        self, ticket: Ticket, at: pendulum.DateTime, by: str, policy: SlaPolicy | None = None
    ) -> tuple[Ticket, tuple[SlaNotice, ...]]:
        """``ticket`` with the SLA notices due at ``at`` recorded as its events, and the notices."""
        notices = (policy or self._policy()).evaluate(ticket, at).notifications
        for notice in notices:
            payload = {
                "metric": notice.metric,
                "cycle": notice.cycle,
                "level": notice.level,
                "crossed_at": notice.crossed_at,
                "due_at": notice.due_at,
            }
            command = command_named("record_sla_breach" if notice.breach else "record_sla_warning")
            ticket = self._with_event(
                ticket, command, command.arguments_from(self, payload), by, at
            )
        return ticket, notices

    @renamed_keywords(before="due_before")
    def sla_watchlist(
        self, due_before: datetime, *, at: datetime | None = None
    ) -> list[tuple[Ticket, SlaAlert]]:
        """Open tickets whose clocks warn or breach by ``due_before``, read at ``at`` (default: now).

        Returns ``(ticket, alert)`` pairs in time order. The tickets come from
        the store's SLA alert index: only those with an alert by
        ``due_before`` (and those updated after ``at``) are evaluated.
        """
        policy = self._policy()
        at = query_instant(self.clock, at)
        bound = check.aware(due_before, "due_before")
        found = []
        for ticket in watched_tickets(self.store, bound, at):
            for alert in policy.evaluate(ticket, at).alerts_before(bound):
                found.append((ticket, alert))
        return sorted(found, key=lambda pair: pair[1].at)

    @property
    def projector(self) -> Projector:
        """The projector of the desk's read models, under its current SLA policy.

        Example:
            >>> ServiceDesk().projector.policy is None
            True
        """
        if self._projector is None or self._projector.policy is not self.sla_policy:
            self._projector = Projector(self.sla_policy)
        return self._projector

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
        priority: Priority | PriorityLevel | str | None = None,
        facts: IntakeFacts | None = None,
        contact: Contact | None = None,
        purchase: Purchase | None = None,
        demands: Iterable[Demand | str] = (),
        impact: str = "",
        customer_words: str = "",
        handler: str | None = None,
        ticket_id: str | None = None,
        at: datetime | None = None,
        location: Location | None = None,
        ticket_type: TicketType | str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Ticket:
        """Register a problem (受理登记) and return the new ticket.

        ``priority`` is a level of the desk's :attr:`priority_scale` (its code
        or a label) or a seed priority; the ticket records the seed priority
        it reports as and, on a scale other than the seeds' own, the level
        (``ticket.priority_level``). Without ``priority`` the priority rules
        decide from ``facts`` (their level if the scale has it, else its seed);
        when the new ticket is a complaint (see :func:`~aftersales.priority.is_complaint`:
        by its ``ticket_type`` when given, else by its category and facts), the
        customer's open complaints in the same category (a term, code or label)
        count as prior unresolved complaints. ``ticket_type`` (投诉, 报修 …; a
        :class:`~aftersales.vocab.TicketType` term, code, label or alias) is
        recorded on the ticket and fixed from then on. A desk without rules
        (``priority_rules=None``) gives the SLA policy's ``default_priority``
        instead, and raises :class:`~aftersales.errors.MissingPriority` when
        the policy has none. ``contact`` defaults to the customer's primary
        contact and ``handler`` to ``by``. ``location`` is where service is
        given on site, when known at intake (``set_location`` sets it later).
        ``attributes`` gives values of the custom attributes the store declares
        (checked as ``set_attributes`` checks them); every attribute declared
        required must have one, or :class:`~aftersales.errors.AttributesRefused`
        names each missing one.

        Example:
            >>> from aftersales import Customer, FixedClock
            >>> from aftersales.calendar import WorkCalendar
            >>> clock = FixedClock(pendulum.datetime(2024, 5, 10, 15, 0, tz="Asia/Shanghai"))
            >>> policy = SlaPolicy.default(WorkCalendar.china()).with_options(
            ...     priority_scale=PriorityScale.four_levels(), default_priority="low")
            >>> desk = ServiceDesk(clock=clock, sla=policy, priority_rules=None)
            >>> ticket = desk.open_ticket(
            ...     customer=Customer(id="C1", name="XX科技"), channel="phone",
            ...     category="consultation", description="咨询保修期",
            ...     occurred_at=clock.now(), by="李工")
            >>> ticket.priority, ticket.priority_level, ticket.history[0].priority_reason
            (<Priority.GENERAL: 'general'>, 'low', 'policy default priority')
        """
        at = command_instant(self.clock, self.max_clock_skew, at)
        check.instance_of(Customer)(customer, "customer")
        check.optional(check.instance_of(IntakeFacts))(facts, "facts")
        values, _ = checked_attributes(
            declared_attributes(self), {} if attributes is None else attributes, opening=True
        )
        scale = self.priority_scale
        rules = self.priority_rules
        reason = ""
        if priority is None and rules is not None:
            assessment = self._assessed(rules, customer.id, category, facts, ticket_type)
            given = assessment.level if assessment.level in scale.codes else assessment.priority
            priority, reason = given, assessment.reason
        elif priority is None:
            default = None if self.sla_policy is None else self.sla_policy.default_priority
            if default is None:
                raise MissingPriority(scale.codes)
            priority, reason = default, "policy default priority"
        seed, level = scale.recorded(priority)
        event = TicketOpened(
            ticket_id=ticket_id if ticket_id is not None else self.id_factory(at),
            seq=1,
            at=at,
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
            priority=seed,
            priority_level=level,
            priority_reason=reason,
            handler=handler if handler is not None else by,
            location=location,
            ticket_type=ticket_type,  # type: ignore[arg-type]
            attributes=values,
        )
        opened = chosen_sla_policy(self.sla_policy, Ticket.replay([event]), customer)
        opened = assigned_after(self, TicketOpened.command, opened, by, at)
        return self._save(opened, expected_version=0, at=at)

    def _assessed(
        self,
        rules: PriorityRules,
        customer_id: str,
        category: object,
        facts: IntakeFacts | None,
        ticket_type: object = None,
    ) -> PriorityAssessment:
        """The rules' priority for the intake ``facts``, counting the customer's open complaints."""
        base = facts or IntakeFacts()
        repeats = self._open_complaints(customer_id, category, base, ticket_type)
        counted = attrs.evolve(
            base, prior_unresolved_complaints=max(base.prior_unresolved_complaints, repeats)
        )
        return rules.assess(counted)

    def _open_complaints(
        self, customer_id: str, category: object, facts: IntakeFacts, ticket_type: object = None
    ) -> int:
        """How many open complaints the customer has in ``category``; 0 unless the new one is one."""
        try:
            term = ProblemCategory.get(category)
            kind = None if ticket_type is None else TicketType.get(ticket_type)
        except UnknownValue:
            return 0  # the opening event reports the unknown value with any other problem
        if not is_complaint(term, consultation=facts.consultation, ticket_type=kind):
            return 0
        query = TicketQuery(customer_id=customer_id, category=term, open_only=True)
        return sum(
            1
            for ticket in self.store.find(query)
            if is_complaint(ticket.category, ticket_type=ticket.ticket_type)
        )

    # -- any lifecycle command, by name -------------------------------------------------

    @in_store_vocabulary
    def execute(
        self,
        command: str,
        ticket_id: str,
        payload: Mapping[str, Any],
        *,
        by: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Run the lifecycle command named ``command`` on a ticket, with ``payload`` as its arguments.

        ``payload`` maps the command's arguments (its event's own fields, see
        :data:`~aftersales.service.commands.COMMANDS`) to their values, as the
        named method takes them: ``execute("reopen", tid, {"reason": r}, by=b)``
        is ``reopen(tid, by=b, reason=r)``. An unknown command raises
        :class:`~aftersales.errors.UnknownValue` listing the commands (an old
        name such as ``customer_agrees`` runs its command under the new name,
        ``record_agreement``, with a :class:`DeprecationWarning`); a key
        that is not an argument of the command, or a missing required one,
        :class:`~aftersales.errors.InvalidData` naming it. Everything is checked
        before anything is written; a command the status does not allow raises
        :class:`~aftersales.errors.InvalidTransition`.

        Example:
            >>> from aftersales.testing.samples import sample_ticket
            >>> desk = ServiceDesk()
            >>> desk.store.save(sample_ticket("T1"), expected_version=0)
            >>> desk.execute("reopen", "T1", {"reason": "问题复现"}, by="李工").status.value
            'analysing'
            >>> desk.execute("add_note", "T1", {"txt": "客户来电"}, by="李工")
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: 2 invalid values:
              payload['txt']: is not an argument of add_note; accepted: text
              payload['text']: is missing; accepted: a value for this argument of add_note
        """
        declared = command_named(command, stacklevel=3)  # the caller, past the vocabulary wrapper
        arguments = declared.arguments_from(self, payload)
        if expected_version is not None:
            check.integer(0)(expected_version, "expected_version")
        ticket = self.store.get(ticket_id)
        if expected_version is not None and expected_version != ticket.version:
            raise ConcurrencyError(
                "ticket", ticket_id, expected=expected_version, actual=ticket.version
            )
        instant = command_instant(self.clock, self.max_clock_skew, at)
        if at is not None and instant < ticket.updated_at:
            message = (
                f"{instant.isoformat()} is before the previous event at"
                f" {ticket.updated_at.isoformat()}; accepted: that instant or later"
            )
            raise InvalidData(f"at: {message}", problems=[("at", message)])
        updated = self._with_event(ticket, declared, arguments, by, instant)
        updated = rechosen(self.sla_policy, declared.name, updated, self.store)
        updated = assigned_after(self, declared.name, updated, by, instant)
        return self._save(updated, expected_version=ticket.version, at=instant)

    def reveal_contact(
        self,
        ticket_id: str,
        *,
        by: str,
        purpose: str,
        access: ContactAccess,
        at: datetime | None = None,
    ) -> ContactReveal:
        """Show the ticket's contact unmasked to ``by`` for ``purpose``, if ``access`` grants it.

        The host's policy decides (``access.decide(by, ticket, purpose, at=...)``);
        a refusal raises :class:`~aftersales.errors.AccessDenied` and records
        nothing. A grant is recorded first, as a ``ContactRevealed`` event in the
        ticket's history (who, why, when, the policy's grounds), so an audit can
        say who saw the customer's phone number and when; the returned
        :class:`~aftersales.service.contact_access.ContactReveal` holds the
        contact and unlocks the unmasked ticket view. Any status but cancelled.

        Example:
            >>> from aftersales.testing.samples import sample_ticket
            >>> from aftersales.views import AllowedViewers
            >>> desk = ServiceDesk()
            >>> desk.store.save(sample_ticket("T1"), expected_version=0)
            >>> reveal = desk.reveal_contact("T1", by="王经理", purpose="低分回访",
            ...                              access=AllowedViewers({"王经理"}))
            >>> reveal.contact.phone, desk.history("T1")[-1].purpose
            ('13812345678', '低分回访')
            >>> desk.reveal_contact("T1", by="实习生", purpose="好奇", access=AllowedViewers({"王经理"}))
            Traceback (most recent call last):
            ...
            aftersales.errors.AccessDenied: ticket 'T1': the contact is not revealed to by='实习生' for purpose='好奇' ('实习生' is not an allowed viewer); accepted: a viewer and purpose the access policy grants
        """
        instant = command_instant(self.clock, self.max_clock_skew, at)
        ticket = self.store.get(ticket_id)
        revealed, decision = contact_reveal(
            ticket, by=by, purpose=purpose, access=access, at=instant
        )
        self._save(revealed, expected_version=ticket.version, at=instant)
        return ContactReveal(revealed, decision)

    def _with_event(
        self,
        ticket: Ticket,
        command: Command,
        arguments: Mapping[str, Any],
        by: str,
        at: pendulum.DateTime,
    ) -> Ticket:
        """``ticket`` after the event of ``command`` with its checked ``arguments``."""
        fields = command.event_fields(self, ticket, arguments)
        return ticket.apply(ticket.new_event(command.event, by=by, at=at, **fields))

    def _save(self, ticket: Ticket, *, expected_version: int, at: pendulum.DateTime) -> Ticket:
        """Save ``ticket`` over ``expected_version`` with its read models (see :attr:`projector`)."""
        self.store.save(
            ticket, expected_version=expected_version, projection=self.projector.project(ticket)
        )
        return ticket
