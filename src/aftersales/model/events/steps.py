"""The events of the six steps of a ticket (DOMAIN §3), from intake to the return visit.

Registration, first response and first-contact resolution; analysis, the
solution and the customer's answer; execution with its on-site bookings and
key nodes; the return visit; reopening. Imports: the event base and the model's
values.

Example:
    >>> ExecutionFinished.command, Reopened.type
    ('finish_execution', 'reopened')
"""

from __future__ import annotations

from typing import ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.model.attribute_values import AttributeValues, attribute_values
from aftersales.model.customer import Contact
from aftersales.model.events.base import BASE_CHECKS, TicketEvent
from aftersales.model.fields import OMITTED_WHEN_NONE, TicketDraft
from aftersales.model.location import Location
from aftersales.model.product import Purchase
from aftersales.model.satisfaction import DimensionScore, dimension_scores
from aftersales.model.solution import SolutionStep
from aftersales.time import utc_us
from aftersales.vocab import (
    Channel,
    Demand,
    Priority,
    ProblemCategory,
    RootCauseCategory,
    TicketType,
)

__all__ = [
    "Acknowledged",
    "AnalysisRecorded",
    "CustomerAgreed",
    "CustomerDisputed",
    "ExecutionFinished",
    "NewProblemReported",
    "OnsiteVisitBooked",
    "ProgressRecorded",
    "Reopened",
    "ResolvedOnFirstContact",
    "SolutionProposed",
    "TicketOpened",
    "VisitRecorded",
]


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
    #: The level of the company's priority scale, reported as ``priority``; ``None``
    #: on the seeds' three levels (and left out of the stored form then).
    priority_level: str | None = attrs.field(default=None, metadata={OMITTED_WHEN_NONE: True})
    contact: Contact | None = None
    purchase: Purchase | None = None
    demands: tuple[Demand, ...] = ()
    impact: str = ""
    customer_words: str = ""
    priority_reason: str = ""
    handler: str | None = None
    #: Where service is given on site, when known at intake; ``None`` otherwise
    #: (and left out of the stored form then).
    location: Location | None = attrs.field(default=None, metadata={OMITTED_WHEN_NONE: True})
    #: The kind of request (投诉, 报修 …), fixed at intake; ``None`` when not
    #: recorded (and left out of the stored form then).
    ticket_type: TicketType | None = attrs.field(default=None, metadata={OMITTED_WHEN_NONE: True})
    #: The company's own fields set at intake (checked by the desk against the store's
    #: declarations); empty (and left out of the stored form then) without any.
    attributes: AttributeValues = attrs.field(
        factory=AttributeValues, metadata={OMITTED_WHEN_NONE: True}
    )

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("customer_id", check.identifier),
        ("customer_name", check.text),
        ("channel", check.term(Channel)),
        ("category", check.term(ProblemCategory)),
        ("occurred_at", check.aware),
        ("description", check.text),
        ("priority", check.member(Priority)),
        ("priority_level", check.optional(check.identifier)),
        ("contact", check.optional(check.instance_of(Contact))),
        ("purchase", check.optional(check.instance_of(Purchase))),
        ("demands", check.tuple_of(check.term(Demand))),
        ("impact", check.optional_text),
        ("customer_words", check.optional_text),
        ("priority_reason", check.optional_text),
        ("handler", check.optional_name),
        ("location", check.optional(check.instance_of(Location))),
        ("ticket_type", check.optional(check.term(TicketType))),
        ("attributes", attribute_values),
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
        draft.priority_level = self.priority_level
        draft.description = self.description
        draft.impact = self.impact
        draft.customer_words = self.customer_words
        draft.occurred_at = self.occurred_at
        draft.received_at = self.at
        draft.handler = self.handler
        draft.assignee = self.handler
        draft.location = self.location
        draft.ticket_type = self.ticket_type
        draft.attributes = self.attributes


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

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("note", check.optional_text),)

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

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("answer", check.text),)

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

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
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

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("summary", check.text),
        ("steps", check.tuple_of(check.instance_of(SolutionStep), non_empty=True)),
    )


@attrs.frozen(slots=True, kw_only=True)
class CustomerAgreed(TicketEvent):
    """The customer agrees to the proposed solution; ``words`` verbatim (客户确认意见).

    Example:
        >>> CustomerAgreed.command
        'record_agreement'
    """

    command: ClassVar[str] = "record_agreement"
    type: ClassVar[str] = "customer_agreed"

    words: str

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("words", check.text),)


@attrs.frozen(slots=True, kw_only=True)
class CustomerDisputed(TicketEvent):
    """The customer disputes the solution or asks for a change; back to analysis.

    Example:
        >>> CustomerDisputed.command
        'record_dispute'
    """

    command: ClassVar[str] = "record_dispute"
    type: ClassVar[str] = "customer_disputed"

    words: str
    change_request: str = ""

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
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

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
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

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
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

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("description", check.text),)


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

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("summary", check.text),)

    def fold(self, draft: TicketDraft) -> None:
        if draft.first_resolved_at is None:
            draft.first_resolved_at = self.at
        draft.resolved_at = self.at


@attrs.frozen(slots=True, kw_only=True)
class VisitRecorded(TicketEvent):
    """The return visit (客户回访结果): resolved?, satisfaction 1–5, comment, scores by dimension.

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
        >>> attrs.evolve(visit, dimensions={"服务态度": 5}).dimensions[0].dimension.code
        'service_attitude'
    """

    command: ClassVar[str] = "record_visit"
    type: ClassVar[str] = "visit_recorded"

    resolved: bool
    score: int
    comment: str = ""
    channel: Channel = attrs.field(factory=lambda: Channel.RETURN_VISIT_CALL)
    threshold: int = 3
    #: The scores by dimension (专业知识, 服务态度 …, 1–5 each), sorted by code;
    #: ``None`` when the visit scored the overall satisfaction only (and left out
    #: of the stored form then). A mapping of dimensions to scores is accepted.
    dimensions: tuple[DimensionScore, ...] | None = attrs.field(
        default=None, metadata={OMITTED_WHEN_NONE: True}
    )

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("resolved", check.flag),
        ("score", check.score(1, 5)),
        ("comment", check.optional_text),
        ("channel", check.term(Channel)),
        ("threshold", check.score(1, 5)),
        ("dimensions", dimension_scores),
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

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("reason", check.text),)

    def fold(self, draft: TicketDraft) -> None:
        draft.reopen_count += 1
        draft.closed_at = None
