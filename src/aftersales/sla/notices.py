"""Which SLA crossings to notify, and which the history already records.

A check of a ticket's SLA clocks (``ServiceDesk.check_sla``) notifies by one
rule, so that a check that comes late does not flood the host:

* per clock cycle, only the highest level crossed and not yet recorded is
  notified; the lower levels crossed since the last recorded one are passed
  over (:attr:`SlaNotice.passed`);
* only running or paused clocks of an open ticket notify: clocks that are met,
  stopped after their target, cancelled or not applicable, and every clock of
  a closed or cancelled ticket, never do.

Each notice is recorded as a ``SlaWarned``/``SlaBreached`` event; a recorded
level marks every lower level of its cycle recorded (:func:`recorded_levels`),
so the next check notifies nothing until a higher level is crossed. Histories
that recorded every level one by one read the same.

Imports the results and the event model; the report uses it.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.testing.samples import sample_ticket
    >>> ticket = sample_ticket()  # closed: its clocks never notify
    >>> report = SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at)
    >>> pending_notices(report.results, ticket.history, ticket.status)
    ()
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import pendulum

from aftersales.model.events import SlaBreached, SlaWarned, TicketEvent
from aftersales.sla.results import MetricResult
from aftersales.vocab import TicketStatus

__all__ = ["SlaNotice", "pending_notices", "recorded_levels"]


@attrs.frozen(slots=True)
class SlaNotice:
    """A warning level or a breach that a clock has crossed: something to notify once.

    ``level`` counts from 1 over the metric's warning levels; a breach has
    level ``len(warn_at) + 1``. The key ``(metric, cycle, level)`` is what makes
    notification idempotent: the service desk records each notice as a
    ``SlaWarned``/``SlaBreached`` event in the ticket's history. ``passed``
    lists the lower levels crossed since the last recorded one: they are not
    notified, and recording this notice records them as passed.

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2026, 3, 2, 10, tz="UTC")
        >>> notice = SlaNotice("resolution", 0, 3, True, at, at, passed=(1, 2))
        >>> notice.key, notice.passed
        (('resolution', 0, 3), (1, 2))
    """

    metric: str
    cycle: int
    level: int
    breach: bool
    crossed_at: pendulum.DateTime
    due_at: pendulum.DateTime
    passed: tuple[int, ...] = attrs.field(default=(), kw_only=True)

    @property
    def key(self) -> tuple[str, int, int]:
        """What identifies the notice across evaluations."""
        return (self.metric, self.cycle, self.level)


def recorded_levels(history: Iterable[TicketEvent]) -> dict[tuple[str, int], int]:
    """The highest SLA level recorded per ``(metric, cycle)``: every level up to it is recorded.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> recorded_levels(sample_ticket().history)
        {}
    """
    tops: dict[tuple[str, int], int] = {}
    for event in history:
        if isinstance(event, SlaWarned | SlaBreached):
            key = (event.metric, event.cycle)
            tops[key] = max(tops.get(key, 0), event.level)
    return tops


def pending_notices(
    results: Iterable[MetricResult], history: Iterable[TicketEvent], status: TicketStatus
) -> tuple[SlaNotice, ...]:
    """What to notify for a ticket in ``status`` whose clocks read ``results``, in time order.

    The rule is the module's: per running or paused cycle of an open ticket,
    the highest level crossed above the highest one ``history`` records.

    Example:
        >>> import pendulum
        >>> from aftersales import Channel, Customer, FixedClock, ProblemCategory, ServiceDesk
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai"))
        >>> desk = ServiceDesk(clock=clock, sla=SlaPolicy.default(WorkCalendar.china()))
        >>> ticket = desk.open_ticket(
        ...     customer=Customer(id="C1", name="甲公司"), channel=Channel.PHONE,
        ...     category=ProblemCategory.LOGISTICS_DELAY, description="发货延迟三天",
        ...     occurred_at=clock.now(), by="李工", priority="urgent")
        >>> report = desk.sla(ticket.id, at=clock.now().add(hours=1))  # 30 min were due
        >>> [(n.metric, n.level, n.passed) for n in pending_notices(report, ticket.history, ticket.status)]
        [('first_response', 3, (1, 2))]
    """
    if not status.is_open:
        return ()
    tops = recorded_levels(history)
    pending: list[SlaNotice] = []
    for result in results:
        if result.stopped_us is not None:
            continue
        breach = result.breached
        top = len(result.threshold_us) + 1 if breach else result.level
        done = tops.get((result.metric, result.cycle), 0)
        if top <= done:
            continue
        due = result.due_at
        crossed = due if breach else result.warned_at[top - 1]
        pending.append(
            SlaNotice(
                result.metric,
                result.cycle,
                top,
                breach,
                crossed,
                due,
                passed=tuple(range(done + 1, top)),
            )
        )
    return tuple(sorted(pending, key=lambda notice: notice.crossed_at))
