"""Scheduled follow-ups (定期回访): after a purchase or after a ticket is closed.

A :class:`FollowUpPolicy` lists the follow-up points (default: one week, one
month and three months) after a purchase and after closure. Each point gives
a :class:`FollowUpTask` due at the end of the working day it falls on (or the
next working day) on a :class:`~aftersales.WorkCalendar`. :class:`FollowUps`
schedules tasks into a :class:`FollowUpStore`, lists the due ones, and records
the contact and its outcome; a problem found at follow-up opens a ticket
through :meth:`ServiceDesk.open_ticket <aftersales.ServiceDesk.open_ticket>`,
and the follow-up keeps that ticket's id.

Example:
    >>> import pendulum
    >>> from aftersales import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> followups = FollowUps(calendar=WorkCalendar.china())
    >>> tasks = followups.schedule_after_closure(sample_ticket())
    >>> [(t.point, t.due_at.in_tz("Asia/Shanghai").to_date_string()) for t in tasks]
    [('1w', '2024-05-20'), ('1m', '2024-06-13'), ('3m', '2024-08-13')]
    >>> [t.point for t in followups.due(pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai"))]
    ['1w']
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.calendar import WorkCalendar
from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData, NotFound
from aftersales.model.customer import Customer
from aftersales.model.product import Purchase
from aftersales.model.ticket import Ticket
from aftersales.time import Clock, SystemClock
from aftersales.vocab import Channel, ProblemCategory, TicketStatus, _Labelled

TYPE_DESK = Any  # ServiceDesk, imported lazily to keep this module free of the desk's imports

__all__ = [
    "DEFAULT_FOLLOWUP_POLICY",
    "DEFAULT_POINTS",
    "FollowUpOutcome",
    "FollowUpPoint",
    "FollowUpPolicy",
    "FollowUpProblem",
    "FollowUpRecord",
    "FollowUpStore",
    "FollowUpTask",
    "FollowUpTrigger",
    "FollowUps",
    "MemoryFollowUpStore",
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


def _code(value: Any, name: str) -> str:
    if isinstance(value, str) and value.isascii() and value.isalnum() and len(value) <= 16:
        return value
    message = f"{value!r} is not a point code; accepted: 1–16 ASCII letters or digits"
    raise InvalidData(f"{name}: {message}", problems=[(name, message)])


@attrs.frozen(slots=True)
class FollowUpPoint:
    """One follow-up point: ``days`` and ``months`` after the anchor, with labels.

    Example:
        >>> FollowUpPoint("2w", "two weeks", "两周回访", days=14).days
        14
        >>> FollowUpPoint("0", "now", "立即", days=0)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: days: 0 days and 0 months is no delay; accepted: at least one day or month
    """

    code: str
    label_en: str
    label_zh: str
    days: int = 0
    months: int = 0

    _checks: ClassVar[check.Checks] = (
        ("code", _code),
        ("label_en", check.text),
        ("label_zh", check.text),
        ("days", check.integer(0, 3660)),
        ("months", check.integer(0, 120)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        if self.days == 0 and self.months == 0:
            message = "0 days and 0 months is no delay; accepted: at least one day or month"
            raise InvalidData(f"days: {message}", problems=[("days", message)])

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``."""
        return self.label_zh if lang == "zh" else self.label_en


#: One week, one month and three months.
DEFAULT_POINTS: tuple[FollowUpPoint, ...] = (
    FollowUpPoint("1w", "one week", "一周回访", days=7),
    FollowUpPoint("1m", "one month", "一个月回访", months=1),
    FollowUpPoint("3m", "three months", "三个月回访", months=3),
)


def _points(value: Any, name: str) -> tuple[FollowUpPoint, ...]:
    points: tuple[FollowUpPoint, ...] = check.tuple_of(check.instance_of(FollowUpPoint))(
        value, name
    )
    codes = [p.code for p in points]
    for index, code in enumerate(codes):
        if code in codes[:index]:
            message = f"{code!r} is used twice; accepted: each code once"
            raise InvalidData(
                f"{name}[{index}].code: {message}", problems=[(f"{name}[{index}].code", message)]
            )
    return points


def _task_id(*parts: object) -> str:
    digest = hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
    return f"FU-{digest}"


@attrs.frozen(slots=True)
class FollowUpPolicy:
    """The follow-up points after a purchase and after a ticket's closure.

    A point's due time is the end of the working day on which ``anchor +
    days + months`` falls (in the calendar's zone), or of the next working day.

    Example:
        >>> policy = FollowUpPolicy(after_purchase=(), after_closure=DEFAULT_POINTS[:1])
        >>> [p.code for p in policy.points(FollowUpTrigger.AFTER_CLOSURE)]
        ['1w']
    """

    after_purchase: tuple[FollowUpPoint, ...] = DEFAULT_POINTS
    after_closure: tuple[FollowUpPoint, ...] = DEFAULT_POINTS

    _checks: ClassVar[check.Checks] = (
        ("after_purchase", _points),
        ("after_closure", _points),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def points(self, trigger: FollowUpTrigger) -> tuple[FollowUpPoint, ...]:
        """The points of ``trigger``."""
        if trigger is FollowUpTrigger.AFTER_PURCHASE:
            return self.after_purchase
        return self.after_closure

    @staticmethod
    def due_at(point: FollowUpPoint, anchor: datetime, calendar: WorkCalendar) -> pendulum.DateTime:
        """When ``point`` after ``anchor`` is due on ``calendar``.

        Example:
            >>> import pendulum
            >>> from aftersales import WorkCalendar
            >>> friday = pendulum.datetime(2024, 9, 27, 15, tz="Asia/Shanghai")
            >>> FollowUpPolicy.due_at(DEFAULT_POINTS[0], friday, WorkCalendar.china())
            DateTime(2024, 10, 8, 18, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        start = pendulum.instance(check.aware(anchor, "anchor")).in_tz(calendar.tz)
        target = start.add(days=point.days, months=point.months)
        return calendar.add_working_days(target, 0)

    def for_closed_ticket(self, ticket: Ticket, calendar: WorkCalendar) -> list[FollowUpTask]:
        """The tasks after a closed ticket (``InvalidData`` when it is not closed).

        Example:
            >>> from aftersales import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> len(DEFAULT_FOLLOWUP_POLICY.for_closed_ticket(sample_ticket(), WorkCalendar.china()))
            3
        """
        check.instance_of(Ticket)(ticket, "ticket")
        if ticket.status is not TicketStatus.CLOSED or ticket.closed_at is None:
            message = f"{ticket.status.value}; accepted: a closed ticket"
            raise InvalidData(f"ticket.status: {message}", problems=[("ticket.status", message)])
        model = None if ticket.purchase is None else ticket.purchase.product.model
        return [
            FollowUpTask(
                id=_task_id("closure", ticket.id, point.code),
                customer_id=ticket.customer_id,
                trigger=FollowUpTrigger.AFTER_CLOSURE,
                point=point.code,
                anchor_at=ticket.closed_at,
                due_at=self.due_at(point, ticket.closed_at, calendar),
                source_ticket_id=ticket.id,
                product_model=model,
            )
            for point in self.after_closure
        ]

    def for_purchase(
        self, customer_id: str, purchase: Purchase, calendar: WorkCalendar
    ) -> list[FollowUpTask]:
        """The tasks after a purchase, counted from the start of its date in the calendar's zone.

        Example:
            >>> from datetime import date
            >>> from aftersales import WorkCalendar
            >>> from aftersales.model import Product, Purchase
            >>> p = Purchase(product=Product("W10滚筒洗衣机"), purchased_on=date(2024, 6, 3),
            ...              order_number="SO-1")
            >>> [t.due_at.in_tz("Asia/Shanghai").to_date_string()
            ...  for t in DEFAULT_FOLLOWUP_POLICY.for_purchase("C1", p, WorkCalendar.china())]
            ['2024-06-11', '2024-07-03', '2024-09-03']
        """
        check.identifier(customer_id, "customer_id")
        check.instance_of(Purchase)(purchase, "purchase")
        day = purchase.purchased_on
        anchor = pendulum.datetime(day.year, day.month, day.day, tz=calendar.tz)
        ref = (purchase.product.model, day, purchase.serial_number, purchase.order_number)
        return [
            FollowUpTask(
                id=_task_id("purchase", customer_id, *ref, point.code),
                customer_id=customer_id,
                trigger=FollowUpTrigger.AFTER_PURCHASE,
                point=point.code,
                anchor_at=anchor,
                due_at=self.due_at(point, anchor, calendar),
                product_model=purchase.product.model,
                serial_number=purchase.serial_number,
                order_number=purchase.order_number,
            )
            for point in self.after_purchase
        ]


#: One week, one month and three months after purchase and after closure.
DEFAULT_FOLLOWUP_POLICY = FollowUpPolicy()


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
    concurrency in a :class:`FollowUpStore`).

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
        ("point", _code),
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

    def is_due(self, now: datetime) -> bool:
        """True when not done and ``due_at <= now``."""
        return not self.done and self.due_at <= check.aware(now, "now")

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


def due_followups(tasks: Iterable[FollowUpTask], now: datetime) -> list[FollowUpTask]:
    """The open tasks due at ``now``, earliest first (then by id).

    Example:
        >>> import pendulum
        >>> due_followups([], pendulum.now("UTC"))
        []
    """
    at = check.aware(now, "now")
    listed = check.tuple_of(check.instance_of(FollowUpTask))(tasks, "tasks")
    return sorted((t for t in listed if t.is_due(at)), key=lambda t: (t.due_at, t.id))


@runtime_checkable
class FollowUpStore(Protocol):
    """Scheduled follow-up tasks.

    Example:
        >>> isinstance(MemoryFollowUpStore(), FollowUpStore)
        True
    """

    def add_followup(self, task: FollowUpTask) -> None:
        """Store a new task; ``DuplicateId`` when its id is taken (nothing written)."""
        ...

    def save_followup(self, task: FollowUpTask, *, expected_version: int) -> None:
        """Replace a stored task whose version is ``expected_version``.

        ``NotFound`` when absent, ``ConcurrencyError`` when the stored version
        differs, ``InvalidData`` when ``task.version`` is not newer.
        """
        ...

    def get_followup(self, task_id: str) -> FollowUpTask:
        """The stored task; ``NotFound`` when there is none."""
        ...

    def followups(
        self,
        *,
        customer_id: str | None = None,
        open_only: bool = False,
        due_before: datetime | None = None,
    ) -> list[FollowUpTask]:
        """Tasks matching every filter (``due_before``: ``due_at <= due_before``), by ``(due_at, id)``."""
        ...


class MemoryFollowUpStore:
    """:class:`FollowUpStore` in a dictionary; thread-safe.

    Example:
        >>> MemoryFollowUpStore().followups()
        []
    """

    def __init__(self) -> None:
        self._tasks: dict[str, FollowUpTask] = {}
        self._lock = threading.Lock()

    def add_followup(self, task: FollowUpTask) -> None:
        """Store a new task; ``DuplicateId`` when its id is taken."""
        check.instance_of(FollowUpTask)(task, "task")
        with self._lock:
            if task.id in self._tasks:
                raise DuplicateId("follow-up", task.id)
            self._tasks[task.id] = task

    def save_followup(self, task: FollowUpTask, *, expected_version: int) -> None:
        """Replace a stored task whose version is ``expected_version``."""
        check.instance_of(FollowUpTask)(task, "task")
        expected = check.integer(1)(expected_version, "expected_version")
        if task.version <= expected:
            message = f"{task.version} is not newer than {expected}; accepted: above {expected}"
            raise InvalidData(f"task.version: {message}", problems=[("task.version", message)])
        with self._lock:
            stored = self._tasks.get(task.id)
            if stored is None:
                raise NotFound("follow-up", task.id)
            if stored.version != expected:
                raise ConcurrencyError(
                    "follow-up", task.id, expected=expected, actual=stored.version
                )
            self._tasks[task.id] = task

    def get_followup(self, task_id: str) -> FollowUpTask:
        """The stored task; ``NotFound`` when there is none."""
        try:
            return self._tasks[task_id]
        except KeyError:
            raise NotFound("follow-up", task_id) from None

    def followups(
        self,
        *,
        customer_id: str | None = None,
        open_only: bool = False,
        due_before: datetime | None = None,
    ) -> list[FollowUpTask]:
        """Tasks matching every filter, by ``(due_at, id)``."""
        limit = None if due_before is None else check.aware(due_before, "due_before")
        with self._lock:
            found = [
                t
                for t in self._tasks.values()
                if (customer_id is None or t.customer_id == customer_id)
                and (not open_only or not t.done)
                and (limit is None or t.due_at <= limit)
            ]
        return sorted(found, key=lambda t: (t.due_at, t.id))


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


class FollowUps:
    """The follow-up service: schedule, list the due ones, record contacts.

    Args:
        store: where tasks live (default: a new :class:`MemoryFollowUpStore`).
        calendar: the working calendar due times are computed on.
        policy: the follow-up points (default: 1 week, 1 month, 3 months).
        desk: the service desk that opens a ticket for a problem found
            (needed only for :attr:`FollowUpOutcome.PROBLEM_FOUND`).
        clock: "now" when a call gets no ``at=`` (default: the desk's clock,
            else the system clock).

    Example:
        >>> from aftersales import WorkCalendar
        >>> FollowUps(calendar=WorkCalendar.always("UTC")).policy == DEFAULT_FOLLOWUP_POLICY
        True
    """

    def __init__(
        self,
        store: FollowUpStore | None = None,
        *,
        calendar: WorkCalendar,
        policy: FollowUpPolicy = DEFAULT_FOLLOWUP_POLICY,
        desk: TYPE_DESK | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.store: FollowUpStore = MemoryFollowUpStore() if store is None else store
        self.calendar = check.instance_of(WorkCalendar)(calendar, "calendar")
        self.policy = check.instance_of(FollowUpPolicy)(policy, "policy")
        self.desk = desk
        if clock is None:
            clock = desk.clock if desk is not None else SystemClock()
        self.clock: Clock = clock

    def _now(self, at: datetime | None) -> pendulum.DateTime:
        return self.clock.now() if at is None else check.aware(at, "at")

    def _add(self, tasks: list[FollowUpTask]) -> list[FollowUpTask]:
        added = []
        for task in tasks:
            try:
                self.store.add_followup(task)
            except DuplicateId:
                continue  # scheduled before: scheduling is idempotent
            added.append(task)
        return added

    def schedule_after_closure(self, ticket: Ticket) -> list[FollowUpTask]:
        """Schedule the after-closure points of a closed ticket; returns the new tasks only."""
        return self._add(self.policy.for_closed_ticket(ticket, self.calendar))

    def schedule_after_purchase(self, customer_id: str, purchase: Purchase) -> list[FollowUpTask]:
        """Schedule the after-purchase points; returns the new tasks only."""
        return self._add(self.policy.for_purchase(customer_id, purchase, self.calendar))

    def due(self, now: datetime | None = None) -> list[FollowUpTask]:
        """The open tasks due at ``now`` (default: the clock), earliest first."""
        at = self._now(now)
        return due_followups(self.store.followups(open_only=True, due_before=at), at)

    def record(
        self,
        task_id: str,
        *,
        by: str,
        outcome: FollowUpOutcome | str,
        note: str = "",
        score: int | None = None,
        channel: Channel | str = Channel.RETURN_VISIT_CALL,
        problem: FollowUpProblem | None = None,
        customer: Customer | None = None,
        at: datetime | None = None,
    ) -> FollowUpTask:
        """Record the follow-up contact; a problem found opens a linked ticket.

        With ``outcome=PROBLEM_FOUND``, ``problem`` is required, and a ticket
        is opened through the desk (channel: the follow-up's channel; id:
        derived from the task, so a retried call finds the same ticket) for
        ``customer`` (default: the desk store's customer). Everything is
        checked before anything is written.
        """
        now = self._now(at)
        task = self.store.get_followup(task_id)
        kind = check.member(FollowUpOutcome)(outcome, "outcome")
        found = kind is FollowUpOutcome.PROBLEM_FOUND
        ticket_id = f"{task.id}-T" if found else None
        record = FollowUpRecord(
            at=now,
            by=by,
            outcome=kind,
            note=note,
            score=score,
            channel=channel,  # type: ignore[arg-type]
            opened_ticket_id=ticket_id,
        )
        done = task.with_record(record)
        if ticket_id is not None:
            self._open_ticket(task, record, problem, customer, ticket_id)
        elif problem is not None:
            message = f"given for outcome {kind.value}; accepted: none"
            raise InvalidData(f"problem: {message}", problems=[("problem", message)])
        self.store.save_followup(done, expected_version=task.version)
        return done

    def _open_ticket(
        self,
        task: FollowUpTask,
        record: FollowUpRecord,
        problem: FollowUpProblem | None,
        customer: Customer | None,
        ticket_id: str,
    ) -> None:
        problems = []
        if problem is None:
            problems.append(("problem", "is missing; accepted: a FollowUpProblem"))
        if self.desk is None:
            problems.append(("desk", "is missing; accepted: FollowUps(..., desk=ServiceDesk(...))"))
        if problems:
            raise InvalidData.from_problems(problems)
        assert problem is not None
        assert self.desk is not None
        check.instance_of(FollowUpProblem)(problem, "problem")
        if customer is None:
            customer = self.desk.store.get_customer(task.customer_id)
        if ticket_id in self.desk.store:
            return  # opened by an earlier attempt whose follow-up save failed
        self.desk.open_ticket(
            customer=customer,
            channel=record.channel,
            category=problem.category,
            description=problem.description,
            customer_words=problem.customer_words,
            impact=problem.impact,
            occurred_at=record.at,
            by=record.by,
            ticket_id=ticket_id,
            at=record.at,
        )
