"""Scheduled follow-ups (定期回访): after a purchase or after a ticket is closed.

The domain of follow-ups: the policy and its points
(:mod:`~aftersales.followup.policy`: :class:`FollowUpPolicy`,
:class:`FollowUpPoint`, one week, one month and three months by default) and
the tasks they give (:mod:`~aftersales.followup.tasks`: :class:`FollowUpTask`,
its :class:`FollowUpRecord`, :func:`due_followups`, :class:`FollowUpProblem`).
:class:`FollowUps`, the service that schedules and records them, lives in
:mod:`aftersales.service.followups` and is re-exported here, imported on first
use. The store port is :class:`aftersales.storage.ports.FollowUpStore` and the
memory store :class:`aftersales.storage.memory.MemoryFollowUpStore`; their old
names here warn. This package imports the domain only.

Example:
    >>> import pendulum
    >>> from aftersales import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> tasks = DEFAULT_FOLLOWUP_POLICY.for_closed_ticket(sample_ticket(), WorkCalendar.china())
    >>> [t.point for t in due_followups(tasks, pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai"))]
    ['1w']
"""

from typing import TYPE_CHECKING

from aftersales._lazy import lazy_attributes
from aftersales.followup.policy import (
    DEFAULT_FOLLOWUP_POLICY,
    DEFAULT_POINTS,
    FollowUpPoint,
    FollowUpPolicy,
)
from aftersales.followup.tasks import (
    FollowUpOutcome,
    FollowUpProblem,
    FollowUpRecord,
    FollowUpTask,
    FollowUpTrigger,
    due_followups,
)

if TYPE_CHECKING:
    from aftersales.service.followups import FollowUps

__all__ = [
    "DEFAULT_FOLLOWUP_POLICY",
    "DEFAULT_POINTS",
    "FollowUpOutcome",
    "FollowUpPoint",
    "FollowUpPolicy",
    "FollowUpProblem",
    "FollowUpRecord",
    "FollowUpTask",
    "FollowUpTrigger",
    "FollowUps",
    "due_followups",
]

__getattr__ = lazy_attributes(
    __name__,
    {"FollowUps": "aftersales.service.followups:FollowUps"},
    deprecated={
        "FollowUpStore": "aftersales.storage.ports:FollowUpStore",
        "MemoryFollowUpStore": "aftersales.storage.memory:MemoryFollowUpStore",
    },
)
