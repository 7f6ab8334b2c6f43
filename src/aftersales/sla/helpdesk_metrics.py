"""The helpdesk clocks beside the seed's five: next reply, periodic update, requester wait, agent work.

Each is an :class:`~aftersales.sla.SlaMetric` like the built-in ones, defined
after the helpdesks that measure it (``docs/sla-examples.md`` works one
example of each):

* ``next_reply`` (下次回复): each customer message that waits for an answer
  starts a cycle, the next reply to the customer stops it; later messages
  while one waits change nothing (the oldest unanswered message counts).
  Zendesk's *next reply time*; Zammad's update time since its issue #3140.
* ``periodic_update`` (定期更新): from the first response, the time between
  two updates to the customer while the problem is unresolved; every update
  ends one cycle and starts the next (a clock that *restarts*). Zendesk's
  *periodic update*.
* ``requester_wait`` (客户等待时长): the total time the customer waits on the
  team, from registration to resolution, in every status but awaiting the
  customer's confirmation; a reopen continues it. Zendesk's *requester wait
  time* (New, Open and On-hold).
* ``agent_work`` (团队处理时长): the same total without the time on hold: the
  sub-statuses that wait on parts, the manufacturer or the customer pause it
  (declare them with ``pauses=("agent_work", …)``). Zendesk's *agent work
  time* (New and Open).

Each result gives its time in working time (``elapsed``) and calendar time
(``calendar_elapsed``). Imports the metric declaration, the targets and the
triggers.

Example:
    >>> [metric.name for metric in helpdesk_metrics()]
    ['next_reply', 'periodic_update', 'requester_wait', 'agent_work']
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from aftersales.errors import UnknownValue
from aftersales.model.events import ContactRecorded, VisitRecorded
from aftersales.sla.metrics import ReopenPolicy, SlaMetric
from aftersales.sla.targets import WorkingDays, WorkingTime
from aftersales.sla.triggers import Trigger
from aftersales.vocab import Priority, TicketStatus

__all__ = ["HELPDESK_METRIC_NAMES", "helpdesk_metrics"]

#: The names of the helpdesk clocks, in the order :func:`helpdesk_metrics` gives them.
HELPDESK_METRIC_NAMES: Final = ("next_reply", "periodic_update", "requester_wait", "agent_work")


def _inbound(event: ContactRecorded) -> bool:
    return event.inbound


def _outbound(event: ContactRecorded) -> bool:
    return not event.inbound


def _closes(event: VisitRecorded) -> bool:
    return event.visit_closes


def _customer_messages() -> tuple[Trigger, ...]:
    return (
        Trigger("record_contact", _inbound, "message from the customer"),
        Trigger("record_dispute", label="customer disputes the solution"),
        Trigger("report_new_problem", label="customer reports a new problem"),
        Trigger("reopen", label="customer reopens"),
    )


def _replies() -> tuple[Trigger, ...]:
    return (
        Trigger("record_contact", _outbound, "reply to the customer"),
        Trigger("acknowledge"),
        Trigger("propose_solution"),
        Trigger("resolve_on_first_contact"),
        Trigger("record_visit", label="return visit"),
    )


def _resolved() -> tuple[Trigger, ...]:
    return (Trigger("finish_execution"), Trigger("resolve_on_first_contact"))


def _resumed() -> tuple[Trigger, ...]:
    return (
        Trigger("reopen"),
        Trigger("record_visit", lambda e: not e.visit_closes, "unresolved or low-score visit"),
    )


def helpdesk_metrics(names: tuple[str, ...] = HELPDESK_METRIC_NAMES) -> tuple[SlaMetric, ...]:
    """The helpdesk clocks named (all four by default), with their documented targets.

    next reply: urgent 30 min, important 2 h, general 4 h of working time;
    periodic update: urgent 4 h, important 8 h of working time, general 2
    working days; requester wait: urgent 8 h, important 24 h of working time,
    general 5 working days; agent work: urgent 4 h, important 16 h, general
    24 h of working time. Add them to a policy beside the built-in five with
    ``SlaPolicy.default(calendar, extra_metrics=(...))``.

    Example:
        >>> update = helpdesk_metrics(("periodic_update",))[0]
        >>> [t.label or t.command for t in update.restarts][:2]
        ['reply to the customer', 'propose_solution']
        >>> helpdesk_metrics(("first_reply",))
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: metric: 'first_reply' is not a known value; accepted: 'next_reply', 'periodic_update', 'requester_wait', 'agent_work'
    """
    built = {
        "next_reply": _next_reply,
        "periodic_update": _periodic_update,
        "requester_wait": _requester_wait,
        "agent_work": _agent_work,
    }
    for name in names:
        if name not in built:
            raise UnknownValue("metric", name, HELPDESK_METRIC_NAMES)
    return tuple(built[name]() for name in names)


def _next_reply() -> SlaMetric:
    return SlaMetric(
        name="next_reply",
        label_zh="下次回复",
        label_en="next reply",
        starts=_customer_messages(),
        stops=_replies(),
        void=(Trigger("record_visit", _closes, "ticket closed"),),
        targets={
            Priority.URGENT: WorkingTime(timedelta(minutes=30)),
            Priority.IMPORTANT: WorkingTime(timedelta(hours=2)),
            Priority.GENERAL: WorkingTime(timedelta(hours=4)),
        },
        reopen=ReopenPolicy.NEW_CYCLE,
    )


def _periodic_update() -> SlaMetric:
    return SlaMetric(
        name="periodic_update",
        label_zh="定期更新",
        label_en="periodic update",
        starts=(Trigger("acknowledge"),),
        restarts=(
            Trigger("record_contact", _outbound, "reply to the customer"),
            Trigger("propose_solution"),
            Trigger("record_visit", lambda e: not e.visit_closes, "return visit, unresolved"),
        ),
        stops=_resolved(),
        resumes=(Trigger("reopen"),),
        targets={
            Priority.URGENT: WorkingTime(timedelta(hours=4)),
            Priority.IMPORTANT: WorkingTime(timedelta(hours=8)),
            Priority.GENERAL: WorkingDays(2),
        },
        reopen=ReopenPolicy.NEW_CYCLE,
    )


def _requester_wait() -> SlaMetric:
    return SlaMetric(
        name="requester_wait",
        label_zh="客户等待时长",
        label_en="requester wait time",
        starts=(Trigger("open_ticket"),),
        stops=_resolved(),
        resumes=_resumed(),
        pause_in=frozenset({TicketStatus.AWAITING_CONFIRMATION}),
        targets={
            Priority.URGENT: WorkingTime(timedelta(hours=8)),
            Priority.IMPORTANT: WorkingTime(timedelta(hours=24)),
            Priority.GENERAL: WorkingDays(5),
        },
    )


def _agent_work() -> SlaMetric:
    return SlaMetric(
        name="agent_work",
        label_zh="团队处理时长",
        label_en="agent work time",
        starts=(Trigger("open_ticket"),),
        stops=_resolved(),
        resumes=_resumed(),
        pause_in=frozenset({TicketStatus.AWAITING_CONFIRMATION}),
        targets={
            Priority.URGENT: WorkingTime(timedelta(hours=4)),
            Priority.IMPORTANT: WorkingTime(timedelta(hours=16)),
            Priority.GENERAL: WorkingTime(timedelta(hours=24)),
        },
    )
