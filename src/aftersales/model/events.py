"""Ticket events: the immutable facts a ticket is folded from.

Every accepted command appends exactly one event. An event knows the lifecycle
command it records (``command``), checks its own fields on construction, and
knows how it changes the ticket (``fold``). The lifecycle decides *whether* it
may happen; see :mod:`aftersales.lifecycle`.

Example:
    >>> import pendulum
    >>> event = Acknowledged(ticket_id="T1", seq=2, by="李工",
    ...                      at=pendulum.datetime(2024, 5, 10, 14, 42, tz="Asia/Shanghai"))
    >>> event.command, event.at.isoformat()
    ('acknowledge', '2024-05-10T06:42:00+00:00')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.model.customer import Contact
from aftersales.model.product import Purchase
from aftersales.model.solution import SolutionStep
from aftersales.time import utc_us
from aftersales.vocab import Channel, Demand, Priority, ProblemCategory, RootCauseCategory

if TYPE_CHECKING:
    from aftersales.model.ticket import TicketDraft

__all__ = [
    "EVENTS_BY_COMMAND",
    "EVENT_TYPES",
    "Acknowledged",
    "AnalysisRecorded",
    "Assigned",
    "Cancelled",
    "ContactRecorded",
    "CustomerAgreed",
    "CustomerDisputed",
    "Escalated",
    "ExecutionFinished",
    "ImprovementSuggested",
    "NewProblemReported",
    "NoteAdded",
    "OnsiteVisitBooked",
    "PriorityChanged",
    "ProgressRecorded",
    "Reopened",
    "ResolvedOnFirstContact",
    "SlaBreached",
    "SlaCrossing",
    "SlaWarning",
    "SolutionProposed",
    "TicketEvent",
    "TicketOpened",
    "VisitRecorded",
]

_BASE_CHECKS: check.Checks = (
    ("ticket_id", check.identifier),
    ("seq", check.integer(1)),
    ("at", check.aware),
    ("by", check.text),
)


@attrs.frozen(slots=True, kw_only=True)
class TicketEvent:
    """Base of all ticket events: which ticket, its position, when and by whom.

    ``seq`` is the event's 1-based position in the ticket's history, which is
    also the ticket's version once the event is applied. ``at`` is stored in UTC.

    Example:
        >>> issubclass(VisitRecorded, TicketEvent)
        True
        >>> VisitRecorded.command
        'record_visit'
    """

    ticket_id: str
    seq: int
    at: pendulum.DateTime
    by: str
    #: ``at`` in microseconds since the Unix epoch, derived on construction for the
    #: clock arithmetic of SLA and KPI code (not stored, not compared).
    at_us: int = attrs.field(init=False, eq=False, repr=False)

    command: ClassVar[str] = ""
    type: ClassVar[str] = ""
    _checks: ClassVar[check.Checks] = _BASE_CHECKS

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        object.__setattr__(self, "at_us", utc_us(self.at))

    def check_against(self, draft: TicketDraft) -> None:
        """Refuse an event that contradicts the ticket it is applied to (beyond its status)."""

    def fold(self, draft: TicketDraft) -> None:
        """Apply this event's change to a ticket being rebuilt."""


@attrs.frozen(slots=True, kw_only=True)
class TicketOpened(TicketEvent):
    """A problem registered (受理登记): every intake field of the follow-up record.

    Example:
        >>> import pendulum
        >>> from aftersales.vocab import Channel, ProblemCategory, Priority
        >>> opened = TicketOpened(
        ...     ticket_id="T1", seq=1, by="李工", at=pendulum.datetime(2024, 5, 10, 15, 0, tz="Asia/Shanghai"),
        ...     customer_id="C202405001", customer_name="XX科技有限公司",
        ...     channel=Channel.PHONE, category=ProblemCategory.PRODUCT_QUALITY,
        ...     occurred_at=pendulum.datetime(2024, 5, 10, 14, 30, tz="Asia/Shanghai"),
        ...     description="开机后频繁死机,约每小时一次", priority=Priority.URGENT)
        >>> opened.channel.label_zh
        '电话'
    """

    command: ClassVar[str] = "open_ticket"
    type: ClassVar[str] = "ticket_opened"

    customer_id: str
    customer_name: str
    channel: Channel
    category: ProblemCategory
    occurred_at: pendulum.DateTime
    description: str
    priority: Priority
    contact: Contact | None = None
    purchase: Purchase | None = None
    demands: tuple[Demand, ...] = ()
    impact: str = ""
    customer_words: str = ""
    priority_reason: str = ""
    handler: str | None = None

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("customer_id", check.identifier),
        ("customer_name", check.text),
        ("channel", check.term(Channel)),
        ("category", check.term(ProblemCategory)),
        ("occurred_at", check.aware),
        ("description", check.text),
        ("priority", check.member(Priority)),
        ("contact", check.optional(check.instance_of(Contact))),
        ("purchase", check.optional(check.instance_of(Purchase))),
        ("demands", check.tuple_of(check.term(Demand))),
        ("impact", check.optional_text),
        ("customer_words", check.optional_text),
        ("priority_reason", check.optional_text),
        ("handler", check.optional_name),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        object.__setattr__(self, "at_us", utc_us(self.at))
        if self.occurred_at > self.at:
            message = (
                f"{self.occurred_at.isoformat()} is after registration at {self.at.isoformat()};"
                " accepted: a time no later than the registration"
            )
            raise InvalidData(f"occurred_at: {message}", problems=[("occurred_at", message)])

    def fold(self, draft: TicketDraft) -> None:
        draft.customer_id = self.customer_id
        draft.customer_name = self.customer_name
        draft.contact = self.contact
        draft.purchase = self.purchase
        draft.channel = self.channel
        draft.category = self.category
        draft.demands = self.demands
        draft.priority = self.priority
        draft.description = self.description
        draft.impact = self.impact
        draft.customer_words = self.customer_words
        draft.occurred_at = self.occurred_at
        draft.received_at = self.at
        draft.handler = self.handler
        draft.assignee = self.handler


@attrs.frozen(slots=True, kw_only=True)
class Acknowledged(TicketEvent):
    """First response to the customer; analysis starts (首次响应).

    Example:
        >>> Acknowledged.command
        'acknowledge'
    """

    command: ClassVar[str] = "acknowledge"
    type: ClassVar[str] = "acknowledged"

    note: str = ""

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (("note", check.optional_text),)

    def fold(self, draft: TicketDraft) -> None:
        if draft.first_response_at is None:
            draft.first_response_at = self.at


@attrs.frozen(slots=True, kw_only=True)
class ResolvedOnFirstContact(TicketEvent):
    """Solved by the first line on first contact (一线解决); the return visit follows.

    Example:
        >>> ResolvedOnFirstContact.command
        'resolve_on_first_contact'
    """

    command: ClassVar[str] = "resolve_on_first_contact"
    type: ClassVar[str] = "resolved_on_first_contact"

    answer: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (("answer", check.text),)

    def fold(self, draft: TicketDraft) -> None:
        if draft.first_response_at is None:
            draft.first_response_at = self.at
        if draft.first_resolved_at is None:
            draft.first_resolved_at = self.at
            draft.resolved_on_first_contact = True
        draft.resolved_at = self.at


@attrs.frozen(slots=True, kw_only=True)
class AnalysisRecorded(TicketEvent):
    """A finding of the analysis (问题分析结果): root cause and a resolution deadline.

    Example:
        >>> from aftersales.vocab import RootCauseCategory
        >>> AnalysisRecorded.command
        'record_analysis'
    """

    command: ClassVar[str] = "record_analysis"
    type: ClassVar[str] = "analysis_recorded"

    finding: str
    root_cause: RootCauseCategory | None = None
    resolution_deadline: pendulum.DateTime | None = None

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("finding", check.text),
        ("root_cause", check.optional(check.term(RootCauseCategory))),
        ("resolution_deadline", check.optional_aware),
    )


@attrs.frozen(slots=True, kw_only=True)
class SolutionProposed(TicketEvent):
    """A solution put to the customer (解决方案): concrete steps, each with executor and deadline.

    Example:
        >>> SolutionProposed.command
        'propose_solution'
    """

    command: ClassVar[str] = "propose_solution"
    type: ClassVar[str] = "solution_proposed"

    summary: str
    steps: tuple[SolutionStep, ...]

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("summary", check.text),
        ("steps", check.tuple_of(check.instance_of(SolutionStep), non_empty=True)),
    )


@attrs.frozen(slots=True, kw_only=True)
class CustomerAgreed(TicketEvent):
    """The customer agrees to the proposed solution; ``words`` verbatim (客户确认意见).

    Example:
        >>> CustomerAgreed.command
        'customer_agrees'
    """

    command: ClassVar[str] = "customer_agrees"
    type: ClassVar[str] = "customer_agreed"

    words: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (("words", check.text),)


@attrs.frozen(slots=True, kw_only=True)
class CustomerDisputed(TicketEvent):
    """The customer disputes the solution or asks for a change; back to analysis.

    Example:
        >>> CustomerDisputed.command
        'customer_disputes'
    """

    command: ClassVar[str] = "customer_disputes"
    type: ClassVar[str] = "customer_disputed"

    words: str
    change_request: str = ""

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("words", check.text),
        ("change_request", check.optional_text),
    )


@attrs.frozen(slots=True, kw_only=True)
class OnsiteVisitBooked(TicketEvent):
    """An on-site service time agreed with the customer (预约上门).

    Example:
        >>> OnsiteVisitBooked.command
        'book_onsite_visit'
    """

    command: ClassVar[str] = "book_onsite_visit"
    type: ClassVar[str] = "onsite_visit_booked"

    appointment_at: pendulum.DateTime
    engineer: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("appointment_at", check.aware),
        ("engineer", check.text),
    )


@attrs.frozen(slots=True, kw_only=True)
class ProgressRecorded(TicketEvent):
    """A key node of execution (方案执行记录): time, operator (``by``) and result.

    ``onsite`` marks the engineer's arrival on site.

    Example:
        >>> ProgressRecorded.command
        'record_progress'
    """

    command: ClassVar[str] = "record_progress"
    type: ClassVar[str] = "progress_recorded"

    result: str
    onsite: bool = False

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("result", check.text),
        ("onsite", check.flag),
    )


@attrs.frozen(slots=True, kw_only=True)
class NewProblemReported(TicketEvent):
    """A new problem found during execution; back to analysis.

    Example:
        >>> NewProblemReported.command
        'report_new_problem'
    """

    command: ClassVar[str] = "report_new_problem"
    type: ClassVar[str] = "new_problem_reported"

    description: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (("description", check.text),)


@attrs.frozen(slots=True, kw_only=True)
class ExecutionFinished(TicketEvent):
    """The plan is carried out; the return visit is due next.

    Example:
        >>> ExecutionFinished.command
        'finish_execution'
    """

    command: ClassVar[str] = "finish_execution"
    type: ClassVar[str] = "execution_finished"

    summary: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (("summary", check.text),)

    def fold(self, draft: TicketDraft) -> None:
        if draft.first_resolved_at is None:
            draft.first_resolved_at = self.at
        draft.resolved_at = self.at


@attrs.frozen(slots=True, kw_only=True)
class VisitRecorded(TicketEvent):
    """The return visit (客户回访结果): resolved?, satisfaction 1–5, comment.

    The visit closes the ticket when the problem is resolved and ``score`` is at
    least ``threshold`` (the policy's low-score threshold at the time, kept in
    the event so that replays never depend on today's policy); otherwise the
    ticket goes back to analysis.

    Example:
        >>> import pendulum
        >>> visit = VisitRecorded(ticket_id="T1", seq=9, by="回访专员", resolved=True, score=5,
        ...                       comment="很满意", at=pendulum.datetime(2024, 5, 14, tz="UTC"))
        >>> visit.visit_closes
        True
        >>> attrs.evolve(visit, score=2).visit_closes
        False
    """

    command: ClassVar[str] = "record_visit"
    type: ClassVar[str] = "visit_recorded"

    resolved: bool
    score: int
    comment: str = ""
    channel: Channel = attrs.field(factory=lambda: Channel.RETURN_VISIT_CALL)
    threshold: int = 3

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("resolved", check.flag),
        ("score", check.score(1, 5)),
        ("comment", check.optional_text),
        ("channel", check.term(Channel)),
        ("threshold", check.score(1, 5)),
    )

    @property
    def visit_closes(self) -> bool:
        """Lifecycle guard: resolved and scored at or above the threshold."""
        return self.resolved and self.score >= self.threshold

    @property
    def low_score(self) -> bool:
        """Scored under the threshold (a proactive callback is due)."""
        return self.score < self.threshold

    def fold(self, draft: TicketDraft) -> None:
        if self.visit_closes:
            draft.closed_at = self.at


@attrs.frozen(slots=True, kw_only=True)
class Reopened(TicketEvent):
    """A closed ticket reopened (the problem came back); back to analysis.

    Example:
        >>> Reopened.command
        'reopen'
    """

    command: ClassVar[str] = "reopen"
    type: ClassVar[str] = "reopened"

    reason: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (("reason", check.text),)

    def fold(self, draft: TicketDraft) -> None:
        draft.reopen_count += 1
        draft.closed_at = None


@attrs.frozen(slots=True, kw_only=True)
class Escalated(TicketEvent):
    """Escalation (升级) to a higher level: second line, expert, manager.

    ``level`` is the new level and must be higher than the ticket's current one.

    Example:
        >>> Escalated.command
        'escalate'
    """

    command: ClassVar[str] = "escalate"
    type: ClassVar[str] = "escalated"

    level: int
    reason: str
    to: str = ""

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("level", check.integer(1, 99)),
        ("reason", check.text),
        ("to", check.optional_text),
    )

    def check_against(self, draft: TicketDraft) -> None:
        if self.level <= draft.escalation_level:
            message = (
                f"{self.level} does not raise the current level {draft.escalation_level};"
                f" accepted: an integer above {draft.escalation_level}"
            )
            raise InvalidData(f"level: {message}", problems=[("level", message)])

    def fold(self, draft: TicketDraft) -> None:
        draft.escalation_level = self.level


@attrs.frozen(slots=True, kw_only=True)
class Assigned(TicketEvent):
    """The ticket handed to another handler.

    Example:
        >>> Assigned.command
        'assign'
    """

    command: ClassVar[str] = "assign"
    type: ClassVar[str] = "assigned"

    assignee: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (("assignee", check.text),)

    def fold(self, draft: TicketDraft) -> None:
        draft.assignee = self.assignee


@attrs.frozen(slots=True, kw_only=True)
class PriorityChanged(TicketEvent):
    """The priority re-assessed; SLA clocks keep the time already used.

    Example:
        >>> PriorityChanged.command
        'change_priority'
    """

    command: ClassVar[str] = "change_priority"
    type: ClassVar[str] = "priority_changed"

    priority: Priority
    reason: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("priority", check.member(Priority)),
        ("reason", check.text),
    )

    def check_against(self, draft: TicketDraft) -> None:
        if self.priority is draft.priority:
            others = [p.value for p in Priority if p is not self.priority]
            message = f"the ticket is already {self.priority.value}; accepted: {', '.join(others)}"
            raise InvalidData(f"priority: {message}", problems=[("priority", message)])

    def fold(self, draft: TicketDraft) -> None:
        draft.priority = self.priority


@attrs.frozen(slots=True, kw_only=True)
class NoteAdded(TicketEvent):
    """An internal note.

    Example:
        >>> NoteAdded.command
        'add_note'
    """

    command: ClassVar[str] = "add_note"
    type: ClassVar[str] = "note_added"

    text: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (("text", check.text),)


@attrs.frozen(slots=True, kw_only=True)
class ContactRecorded(TicketEvent):
    """A contact with the customer (call, message, visit) and what was said.

    Example:
        >>> ContactRecorded.command
        'record_contact'
    """

    command: ClassVar[str] = "record_contact"
    type: ClassVar[str] = "contact_recorded"

    channel: Channel
    summary: str
    inbound: bool = False

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("channel", check.term(Channel)),
        ("summary", check.text),
        ("inbound", check.flag),
    )


@attrs.frozen(slots=True, kw_only=True)
class ImprovementSuggested(TicketEvent):
    """A product, service or process improvement proposed from this case (优化建议).

    Example:
        >>> ImprovementSuggested.command
        'suggest_improvement'
    """

    command: ClassVar[str] = "suggest_improvement"
    type: ClassVar[str] = "improvement_suggested"

    text: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (("text", check.text),)


@attrs.frozen(slots=True, kw_only=True)
class Cancelled(TicketEvent):
    """The ticket withdrawn (duplicate, customer withdrew, wrong entry).

    Example:
        >>> Cancelled.command
        'cancel'
    """

    command: ClassVar[str] = "cancel"
    type: ClassVar[str] = "cancelled"

    reason: str

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (("reason", check.text),)

    def fold(self, draft: TicketDraft) -> None:
        draft.cancelled_at = self.at


@attrs.frozen(slots=True, kw_only=True)
class SlaCrossing(TicketEvent):
    """What an SLA notice records: which clock, which cycle and level, and when.

    ``at`` is when the crossing was noticed; ``crossed_at`` when it happened.

    Example:
        >>> issubclass(SlaWarning, SlaCrossing) and issubclass(SlaBreached, SlaCrossing)
        True
    """

    metric: str
    cycle: int
    level: int
    crossed_at: pendulum.DateTime
    due_at: pendulum.DateTime

    _checks: ClassVar[check.Checks] = _BASE_CHECKS + (
        ("metric", check.identifier),
        ("cycle", check.integer(0)),
        ("level", check.integer(1, 99)),
        ("crossed_at", check.aware),
        ("due_at", check.aware),
    )


@attrs.frozen(slots=True, kw_only=True)
class SlaWarning(SlaCrossing):
    """An SLA clock crossed a warning level (recorded once, so hosts notify once).

    Example:
        >>> SlaWarning.command
        'record_sla_warning'
    """

    command: ClassVar[str] = "record_sla_warning"
    type: ClassVar[str] = "sla_warning"


@attrs.frozen(slots=True, kw_only=True)
class SlaBreached(SlaCrossing):
    """An SLA clock went past its target (recorded once, so hosts notify once).

    Example:
        >>> SlaBreached.command
        'record_sla_breach'
    """

    command: ClassVar[str] = "record_sla_breach"
    type: ClassVar[str] = "sla_breached"


#: Every concrete event class, keyed by its serialized ``type`` tag.
EVENT_TYPES: dict[str, type[TicketEvent]] = {
    cls.type: cls
    for cls in (
        TicketOpened,
        Acknowledged,
        ResolvedOnFirstContact,
        AnalysisRecorded,
        SolutionProposed,
        CustomerAgreed,
        CustomerDisputed,
        OnsiteVisitBooked,
        ProgressRecorded,
        NewProblemReported,
        ExecutionFinished,
        VisitRecorded,
        Reopened,
        Escalated,
        Assigned,
        PriorityChanged,
        NoteAdded,
        ContactRecorded,
        ImprovementSuggested,
        Cancelled,
        SlaWarning,
        SlaBreached,
    )
}

#: Every event class keyed by the lifecycle command it records.
EVENTS_BY_COMMAND: dict[str, type[TicketEvent]] = {cls.command: cls for cls in EVENT_TYPES.values()}
