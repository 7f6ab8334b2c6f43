"""The ticket (售后服务跟进记录): the fold of its events.

A :class:`Ticket` is never edited. A command produces an event
(:meth:`Ticket.new_event`), :meth:`Ticket.apply` checks it against the
lifecycle and returns the next ticket, and :meth:`Ticket.replay` rebuilds a
ticket from its whole history. Both go through one fold over a mutable
:class:`~aftersales.model.fields.TicketDraft`, driven by the transition table
compiled from the lifecycle declaration, so a million events replay without
building a state machine per ticket. The fields are declared once, in
:mod:`aftersales.model.fields`. Imports: the model's fields and events, the
lifecycle.

Example:
    >>> import pendulum
    >>> from aftersales.model.events import TicketOpened, Acknowledged
    >>> from aftersales.vocab import Channel, ProblemCategory, Priority
    >>> at = pendulum.datetime(2024, 5, 10, 15, 0, tz="Asia/Shanghai")
    >>> opened = TicketOpened(
    ...     ticket_id="T1", seq=1, at=at, by="李工", customer_id="C202405001",
    ...     customer_name="XX科技有限公司", channel=Channel.PHONE,
    ...     category=ProblemCategory.PRODUCT_QUALITY, occurred_at=at.subtract(minutes=30),
    ...     description="开机后频繁死机", priority=Priority.URGENT)
    >>> ticket = Ticket.replay([opened])
    >>> ticket = ticket.apply(ticket.new_event(Acknowledged, by="李工", at=at.add(minutes=12)))
    >>> ticket.status.label_zh, ticket.version
    ('分析中', 2)
    >>> Ticket.replay(ticket.history) == ticket
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

import attrs

from aftersales.errors import InvalidData, InvalidTransition
from aftersales.lifecycle import OPEN_COMMAND, TRANSITIONS
from aftersales.model.events import (
    AnalysisRecorded,
    ContactRecorded,
    CustomerAgreed,
    CustomerDisputed,
    Escalated,
    ImprovementSuggested,
    NoteAdded,
    OnsiteVisitBooked,
    ProgressRecorded,
    SolutionProposed,
    TicketEvent,
    TicketOpened,
    VisitRecorded,
)
from aftersales.model.fields import TicketDraft, TicketFields
from aftersales.model.pending_history import read_on_first_use
from aftersales.priority_levels import PriorityScale
from aftersales.vocab import CloseStatus, RootCauseCategory, TicketStatus

__all__ = ["Ticket", "TicketDraft"]

E = TypeVar("E", bound=TicketEvent)


@attrs.frozen(slots=True, eq=True)
class Ticket(TicketFields):
    """One customer problem and everything that happened to it.

    Fields are the follow-up record of DOMAIN §1 (declared in
    :class:`~aftersales.model.fields.TicketFields`); the lists of the record
    (analyses, solution, confirmations, execution log, visits, notes) are views
    of :attr:`history`. Build tickets with :meth:`replay` or through a
    :class:`~aftersales.ServiceDesk`, not by calling the constructor.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> ticket.status, ticket.close_status.label_zh, ticket.satisfaction
        (<TicketStatus.CLOSED: 'closed'>, '已关闭', 5)
    """

    history: tuple[TicketEvent, ...] = attrs.field(repr=False)
    #: The status after each event of :attr:`history` (derived by the fold; not
    #: stored, not compared): the ticket's path through the lifecycle.
    statuses: tuple[TicketStatus, ...] = attrs.field(init=False, eq=False, repr=False)

    # -- building -----------------------------------------------------------------

    @classmethod
    def replay(cls, events: Iterable[TicketEvent]) -> Ticket:
        """Rebuild a ticket from its complete history, checking every event.

        Raises :class:`InvalidData` for a broken sequence (wrong ticket, gap in
        ``seq``, time going backwards, no opening event) and
        :class:`InvalidTransition` for a step the lifecycle does not allow.
        """
        iterator = iter(events)
        first = next(iterator, None)
        if not isinstance(first, TicketOpened):
            message = f"{type(first).__name__} cannot start a history; accepted: TicketOpened"
            raise InvalidData(f"events[0]: {message}", problems=[("events[0]", message)])
        if first.seq != 1:
            message = f"{first.seq} is not 1; accepted: 1 for the opening event"
            raise InvalidData(f"events[0].seq: {message}", problems=[("events[0].seq", message)])
        draft = _opened(first)
        for index, event in enumerate(iterator, start=1):
            _fold(draft, event, index)
        return _frozen(draft)

    def new_event(self, event_type: type[E], *, by: str, at: datetime, **payload: Any) -> E:
        """The next event of this ticket (``ticket_id`` and ``seq`` filled in), not yet applied.

        Example:
            >>> from aftersales.testing.samples import sample_ticket
            >>> from aftersales.model.events import Reopened
            >>> ticket = sample_ticket()
            >>> event = ticket.new_event(Reopened, by="李工", at=ticket.updated_at.add(days=3),
            ...                          reason="又出现死机")
            >>> event.seq == ticket.version + 1
            True
        """
        stamp: Any = at  # checked and normalised to UTC by the event itself
        return event_type(ticket_id=self.id, seq=self.version + 1, by=by, at=stamp, **payload)

    def apply(self, event: TicketEvent) -> Ticket:
        """The ticket after ``event``; this ticket is left as it is.

        Raises :class:`InvalidTransition` when the lifecycle refuses the event in
        the current status, :class:`InvalidData` when it does not follow this
        ticket (other ticket, wrong ``seq``, earlier than the last event).
        """
        draft = _draft_of(self)
        _fold(draft, event, len(self.history))
        return _frozen(draft)

    def allowed_commands(self) -> tuple[str, ...]:
        """The commands the lifecycle allows in the current status, sorted.

        Example:
            >>> from aftersales.testing.samples import sample_ticket
            >>> sample_ticket().allowed_commands()
            ('add_tags', 'attach', 'detach', 'record_sla_breach', 'record_sla_warning', 'remove_tags', 'reopen', 'reveal_contact', 'set_attributes', 'suggest_improvement')
        """
        return TRANSITIONS.allowed(self.status)

    # -- the template's views -------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """True until closed or cancelled."""
        return self.status.is_open

    def priority_label(self, lang: str = "zh", scale: PriorityScale | None = None) -> str:
        """The priority as a person reads it: the level's label, or the seed priority's.

        A ticket with a ``priority_level`` shows that level's label on ``scale``
        (by default the four-level scale, :meth:`PriorityScale.four_levels`),
        or the level's code when the scale has no such level; a ticket without
        one shows its seed priority's label.

        Example:
            >>> from aftersales.testing.samples import sample_ticket
            >>> ticket = sample_ticket()
            >>> ticket.priority_label(), attrs.evolve(ticket, priority_level="high").priority_label()
            ('紧急', '高')
        """
        if self.priority_level is None:
            return self.priority.label(lang)
        levels = PriorityScale.four_levels() if scale is None else scale
        if self.priority_level not in levels.codes:
            return self.priority_level
        return levels.get(self.priority_level).label(lang)

    @property
    def product_model(self) -> str | None:
        """The product model the ticket is about (``purchase.product.model``), or ``None``.

        Example:
            >>> from aftersales.testing.samples import sample_ticket
            >>> sample_ticket().product_model
            'A型智能办公设备'
        """
        return None if self.purchase is None else self.purchase.product.model

    @property
    def close_status(self) -> CloseStatus:
        """The template's view: closed, in progress, or needs escalation (escalated and open)."""
        if not self.status.is_open:
            return CloseStatus.CLOSED
        if self.escalation_level > 0:
            return CloseStatus.NEEDS_ESCALATION
        return CloseStatus.IN_PROGRESS

    @property
    def analyses(self) -> tuple[AnalysisRecorded, ...]:
        """Every analysis finding, oldest first (问题分析结果)."""
        return _of_type(self.history, AnalysisRecorded)

    @property
    def root_cause(self) -> RootCauseCategory | None:
        """The root-cause category of the latest analysis that named one."""
        for analysis in reversed(self.analyses):
            if analysis.root_cause is not None:
                return analysis.root_cause
        return None

    @property
    def solutions(self) -> tuple[SolutionProposed, ...]:
        """Every solution proposed, oldest first."""
        return _of_type(self.history, SolutionProposed)

    @property
    def solution(self) -> SolutionProposed | None:
        """The latest solution proposed (解决方案), or ``None``."""
        proposals = self.solutions
        return proposals[-1] if proposals else None

    @property
    def confirmations(self) -> tuple[CustomerAgreed | CustomerDisputed, ...]:
        """The customer's answers to proposals, verbatim (客户确认意见)."""
        return tuple(e for e in self.history if isinstance(e, CustomerAgreed | CustomerDisputed))

    @property
    def execution_log(self) -> tuple[ProgressRecorded, ...]:
        """Key nodes of execution: time, operator, result (方案执行记录)."""
        return _of_type(self.history, ProgressRecorded)

    @property
    def onsite_bookings(self) -> tuple[OnsiteVisitBooked, ...]:
        """On-site appointments agreed with the customer (预约上门)."""
        return _of_type(self.history, OnsiteVisitBooked)

    @property
    def visits(self) -> tuple[VisitRecorded, ...]:
        """Every return visit (客户回访结果), oldest first."""
        return _of_type(self.history, VisitRecorded)

    @property
    def satisfaction(self) -> int | None:
        """The score of the latest return visit (1–5), or ``None``."""
        visits = self.visits
        return visits[-1].score if visits else None

    @property
    def escalations(self) -> tuple[Escalated, ...]:
        """Every escalation, oldest first."""
        return _of_type(self.history, Escalated)

    @property
    def notes(self) -> tuple[NoteAdded, ...]:
        """Internal notes."""
        return _of_type(self.history, NoteAdded)

    @property
    def contacts_log(self) -> tuple[ContactRecorded, ...]:
        """Recorded contacts with the customer."""
        return _of_type(self.history, ContactRecorded)

    @property
    def improvement_suggestions(self) -> tuple[ImprovementSuggested, ...]:
        """Improvements proposed from this case (优化建议)."""
        return _of_type(self.history, ImprovementSuggested)


#: A store's streaming read may leave the history undecoded until it is first read
#: (see :mod:`aftersales.model.pending_history`); ``ticket.history`` is a tuple all the same.
read_on_first_use(Ticket, "history")


def _of_type(history: tuple[TicketEvent, ...], kind: type[E]) -> tuple[E, ...]:
    return tuple(event for event in history if isinstance(event, kind))


#: The ticket's fields in their stored order (the draft's and the ticket's, ``history`` last).
_FIELDS = tuple(field.name for field in attrs.fields(Ticket) if field.init)
_STATE = _FIELDS[:-1]  # every field but the history, which the draft holds as a list


def _opened(event: TicketOpened) -> TicketDraft:
    """A draft holding just the opening event."""
    draft = TicketDraft()
    draft.id = event.ticket_id
    draft.version = 1
    draft.status = TicketStatus.RECEIVED
    draft.substatus = None
    draft.tags = frozenset()
    draft.attachments = ()
    draft.ticket_type = None
    draft.escalation_level = 0
    draft.first_response_at = None
    draft.first_resolved_at = None
    draft.resolved_at = None
    draft.closed_at = None
    draft.cancelled_at = None
    draft.reopen_count = 0
    draft.resolved_on_first_contact = False
    draft.updated_at = event.at
    draft.history = [event]
    draft.statuses = [TicketStatus.RECEIVED]
    event.fold(draft)
    return draft


def _draft_of(ticket: Ticket) -> TicketDraft:
    """A draft copy of ``ticket``."""
    draft = TicketDraft()
    for name in _STATE:
        setattr(draft, name, getattr(ticket, name))
    draft.history = list(ticket.history)
    draft.statuses = list(ticket.statuses)
    return draft


def _fold(draft: TicketDraft, event: TicketEvent, index: int) -> None:
    """Check ``event`` (the ``index``-th of the history) against ``draft`` and fold it in."""
    if not isinstance(event, TicketEvent):
        message = f"{event!r} is not a TicketEvent"
        raise InvalidData(f"events[{index}]: {message}", problems=[(f"events[{index}]", message)])
    problems = []
    if event.ticket_id != draft.id:
        problems.append(
            (f"events[{index}].ticket_id", f"{event.ticket_id!r} is not this ticket {draft.id!r}")
        )
    if event.seq != draft.version + 1:
        problems.append(
            (
                f"events[{index}].seq",
                f"{event.seq} does not follow {draft.version}; accepted: {draft.version + 1}",
            )
        )
    if event.at < draft.updated_at:
        problems.append(
            (
                f"events[{index}].at",
                f"{event.at.isoformat()} is before the previous event at "
                f"{draft.updated_at.isoformat()}; accepted: that time or later",
            )
        )
    if problems:
        raise InvalidData.from_problems(problems)
    if event.command == OPEN_COMMAND:
        raise InvalidTransition(
            draft.id, draft.status, OPEN_COMMAND, TRANSITIONS.allowed(draft.status)
        )
    target = TRANSITIONS.target(
        draft.status, event.command, draft.id, lambda name: bool(getattr(event, name))
    )
    event.check_against(draft)
    event.fold(draft)
    if target is not draft.status:
        draft.substatus = None  # a sub-status belongs to the status it was set in
    draft.status = target
    draft.version = event.seq
    draft.updated_at = event.at
    draft.history.append(event)
    draft.statuses.append(target)


def _frozen(draft: TicketDraft) -> Ticket:
    """The immutable ticket of ``draft``."""
    values: dict[str, Any] = {name: getattr(draft, name) for name in _STATE}
    values["history"] = tuple(draft.history)
    ticket = Ticket(**values)
    object.__setattr__(ticket, "statuses", tuple(draft.statuses))
    return ticket
