"""Follow-up tasks (定期回访): what is due when, how the contact went, a problem it found.

A :class:`FollowUpTask` is one scheduled follow-up (after a purchase or after a
ticket's closure, see :class:`FollowUpTrigger`) and, once done, its
:class:`FollowUpRecord`; :func:`due_followups` lists the open ones due. A
problem found at follow-up is a :class:`FollowUpProblem`, what a new ticket
needs. Domain values: this module imports the model and the vocabulary only.

Example:
    >>> import pendulum
    >>> at = pendulum.datetime(2024, 6, 1, tz="UTC")
    >>> task = FollowUpTask(id="FU-1", customer_id="C1", trigger="after_closure", point="1w",
    ...                     anchor_at=at, due_at=at.add(days=7))
    >>> [t.id for t in due_followups([task], at.add(days=8))]
    ['FU-1']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._renamed import renamed_keywords
from aftersales.errors import InvalidData
from aftersales.vocab import Channel, ProblemCategory, _Labelled

__all__ = [
    "FollowUpOutcome",
    "FollowUpProblem",
    "FollowUpRecord",
    "FollowUpTask",
    "FollowUpTrigger",
    "due_followups",
]


class FollowUpTrigger(_Labelled):
    """What a follow-up is counted from.

    Example:
        >>> FollowUpTrigger.AFTER_CLOSURE.label_zh
        '结案后回访'
    """

    AFTER_PURCHASE = ("after_purchase", "购买后回访")
    AFTER_CLOSURE = ("after_closure", "结案后回访")


class FollowUpOutcome(_Labelled):
    """How a follow-up contact ended.

    Example:
        >>> FollowUpOutcome.PROBLEM_FOUND.label_zh
        '发现问题'
    """

    SATISFIED = ("satisfied", "满意无问题")
    PROBLEM_FOUND = ("problem_found", "发现问题")
    NO_ANSWER = ("no_answer", "未接通")
    DECLINED = ("declined", "拒绝回访")


def _point_code(value: Any, name: str) -> str:
    if isinstance(value, str) and value.isascii() and value.isalnum() and len(value) <= 16:
        return value
    message = f"{value!r} is not a point code; accepted: 1–16 ASCII letters or digits"
    raise InvalidData(f"{name}: {message}", problems=[(name, message)])


@attrs.frozen(slots=True, kw_only=True)
class FollowUpRecord:
    """A follow-up contact: when, who, how, the outcome, and the ticket it opened.

    Example:
        >>> import pendulum
        >>> FollowUpRecord(at=pendulum.datetime(2024, 6, 1, tz="UTC"), by="回访专员",
        ...                outcome="problem_found", note="滤网异响")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: opened_ticket_id: is missing; accepted: the id of the ticket opened for the problem found
    """

    at: pendulum.DateTime
    by: str
    outcome: FollowUpOutcome
    note: str = ""
    score: int | None = None
    channel: Channel = attrs.field(factory=lambda: Channel.RETURN_VISIT_CALL)
    opened_ticket_id: str | None = None

    _checks: ClassVar[check.Checks] = (
        ("at", check.aware),
        ("by", check.text),
        ("outcome", check.member(FollowUpOutcome)),
        ("note", check.optional_text),
        ("score", check.optional(check.score(1, 5))),
        ("channel", check.term(Channel)),
        ("opened_ticket_id", check.optional(check.identifier)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        found = self.outcome is FollowUpOutcome.PROBLEM_FOUND
        if found and self.opened_ticket_id is None:
            message = "is missing; accepted: the id of the ticket opened for the problem found"
            raise InvalidData(
                f"opened_ticket_id: {message}", problems=[("opened_ticket_id", message)]
            )
        if not found and self.opened_ticket_id is not None:
            message = (
                f"{self.opened_ticket_id!r} given for outcome {self.outcome.value}; accepted: none"
            )
            raise InvalidData(
                f"opened_ticket_id: {message}", problems=[("opened_ticket_id", message)]
            )


@attrs.frozen(slots=True, kw_only=True)
class FollowUpTask:
    """One scheduled follow-up, and its record once done.

    ``version`` is 1 when scheduled and 2 once recorded (for optimistic
    concurrency in a :class:`~aftersales.storage.FollowUpStore`).

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2024, 6, 1, tz="UTC")
        >>> task = FollowUpTask(id="FU-1", customer_id="C1", trigger="after_purchase", point="1w",
        ...                     anchor_at=at, due_at=at.add(days=7))
        >>> task.is_due(at.add(days=7)), task.is_due(at.add(days=6))
        (True, False)
    """

    id: str
    customer_id: str
    trigger: FollowUpTrigger
    point: str
    anchor_at: pendulum.DateTime
    due_at: pendulum.DateTime
    source_ticket_id: str | None = None
    product_model: str | None = None
    serial_number: str | None = None
    order_number: str | None = None
    record: FollowUpRecord | None = None
    version: int = 1

    _checks: ClassVar[check.Checks] = (
        ("id", check.identifier),
        ("customer_id", check.identifier),
        ("trigger", check.member(FollowUpTrigger)),
        ("point", _point_code),
        ("anchor_at", check.aware),
        ("due_at", check.aware),
        ("source_ticket_id", check.optional(check.identifier)),
        ("product_model", check.optional_name),
        ("serial_number", check.optional_name),
        ("order_number", check.optional_name),
        ("record", check.optional(check.instance_of(FollowUpRecord))),
        ("version", check.integer(1, 2)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        problems = []
        if self.due_at < self.anchor_at:
            problems.append(("due_at", "is before anchor_at; accepted: a later time"))
        expected = 1 if self.record is None else 2
        if self.version != expected:
            problems.append(("version", f"{self.version}; accepted: {expected}"))
        if problems:
            raise InvalidData.from_problems(problems)

    @property
    def done(self) -> bool:
        """True once the contact is recorded."""
        return self.record is not None

    @renamed_keywords(now="at")
    def is_due(self, at: datetime) -> bool:
        """True when not done and ``due_at <= at``."""
        return not self.done and self.due_at <= check.aware(at, "at")

    def with_record(self, record: FollowUpRecord) -> FollowUpTask:
        """The task done with ``record`` (``InvalidData`` when already done)."""
        if self.record is not None:
            message = f"already recorded at {self.record.at.isoformat()}; accepted: an open task"
            raise InvalidData(f"task: {message}", problems=[("task", message)])
        check.instance_of(FollowUpRecord)(record, "record")
        if record.at < self.anchor_at:
            message = f"{record.at.isoformat()} is before the anchor; accepted: a later time"
            raise InvalidData(f"record.at: {message}", problems=[("record.at", message)])
        return attrs.evolve(self, record=record, version=2)


@renamed_keywords(now="at")
def due_followups(tasks: Iterable[FollowUpTask], at: datetime) -> list[FollowUpTask]:
    """The open tasks due at ``at``, earliest first (then by id).

    Example:
        >>> import pendulum
        >>> due_followups([], pendulum.now("UTC"))
        []
    """
    at = check.aware(at, "at")
    listed = check.tuple_of(check.instance_of(FollowUpTask))(tasks, "tasks")
    return sorted((t for t in listed if t.is_due(at)), key=lambda t: (t.due_at, t.id))


@attrs.frozen(slots=True, kw_only=True)
class FollowUpProblem:
    """A problem the customer reports at follow-up: what a new ticket needs.

    Example:
        >>> FollowUpProblem(category="product_quality", description="滤网处有异响").category.label_zh
        '产品质量'
    """

    category: ProblemCategory
    description: str
    customer_words: str = ""
    impact: str = ""

    _checks: ClassVar[check.Checks] = (
        ("category", check.term(ProblemCategory)),
        ("description", check.text),
        ("customer_words", check.optional_text),
        ("impact", check.optional_text),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
