"""The follow-up service (定期回访): schedule tasks, list the due ones, record contacts.

:class:`FollowUps` schedules the tasks of a
:class:`~aftersales.followup.FollowUpPolicy` into a
:class:`~aftersales.storage.ports.FollowUpStore`, lists the due ones, and
records the contact and its outcome; a problem found at follow-up opens a
ticket through :meth:`ServiceDesk.open_ticket <aftersales.ServiceDesk.open_ticket>`,
and the follow-up keeps that ticket's id. This module imports the domain, the
storage ports, the memory adapter and the desk.

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

from datetime import datetime
from typing import Any

import pendulum

from aftersales import _checks as check
from aftersales._renamed import renamed_keywords
from aftersales.calendar import WorkCalendar
from aftersales.errors import DuplicateId, InvalidData
from aftersales.followup.policy import DEFAULT_FOLLOWUP_POLICY, FollowUpPolicy
from aftersales.followup.tasks import (
    FollowUpOutcome,
    FollowUpProblem,
    FollowUpRecord,
    FollowUpTask,
    due_followups,
)
from aftersales.model.customer import Customer
from aftersales.model.product import Purchase
from aftersales.model.ticket import Ticket
from aftersales.service.desk import ServiceDesk
from aftersales.storage.memory import MemoryFollowUpStore
from aftersales.storage.ports import FollowUpStore
from aftersales.time import Clock, SystemClock
from aftersales.vocab import Channel

__all__ = ["FollowUps"]


class FollowUps:
    """The follow-up service: schedule, list the due ones, record contacts.

    Args:
        store: where tasks live (default: a new
            :class:`~aftersales.storage.memory.MemoryFollowUpStore`).
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
        desk: ServiceDesk | None = None,
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
                self.store.save_followup(task, expected_version=0)
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

    @renamed_keywords(now="at")
    def due(self, at: datetime | None = None) -> list[FollowUpTask]:
        """The open tasks due at ``at`` (default: the clock's now), earliest first."""
        at = self._now(at)
        return due_followups(self.store.find_followups(open_only=True, due_before=at), at)

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
        at = self._now(at)
        task = self.store.get_followup(task_id)
        kind = check.member(FollowUpOutcome)(outcome, "outcome")
        found = kind is FollowUpOutcome.PROBLEM_FOUND
        ticket_id = f"{task.id}-T" if found else None
        record = FollowUpRecord(
            at=at,
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
        store: Any = self.desk.store  # a store with customers (a Store), not only tickets
        if customer is None:
            customer = store.get_customer(task.customer_id)
        if ticket_id in store:
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
