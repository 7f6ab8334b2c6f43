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
from aftersales.sla.results import MetricResult, SlaState
from aftersales.vocab import TicketStatus

__all__ = ["SlaNotice", "crossing_us", "open_cycles", "pending_notices", "recorded_levels"]


@attrs.frozen(slots=True)
class SlaNotice:
    """A warning level or a breach that a clock has crossed: something to notify once.

    ``level`` counts from 1 over the metric's warning levels; a breach has
    level ``len(warn_at) + 1``. The key ``(metric, cycle, level)`` is what makes
    notification idempotent: the service desk records each notice as a
    ``SlaWarned``/``SlaBreached`` event in the ticket's history. ``passed``
    lists the lower levels crossed since the last recorded one: they are not
    notified, and recording this notice records them as passed. ``ticket_id``
    names the ticket (a sweep over many tickets returns their notices together).

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2026, 3, 2, 10, tz="UTC")
        >>> notice = SlaNotice("resolution", 0, 3, True, at, at, passed=(1, 2), ticket_id="T1")
        >>> notice.key, notice.passed, notice.ticket_id
        (('resolution', 0, 3), (1, 2), 'T1')
    """

    metric: str
    cycle: int
    level: int
    breach: bool
    crossed_at: pendulum.DateTime
    due_at: pendulum.DateTime
    passed: tuple[int, ...] = attrs.field(default=(), kw_only=True)
    ticket_id: str = attrs.field(default="", kw_only=True)

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


def open_cycles(
    results: Iterable[MetricResult], history: Iterable[TicketEvent], status: TicketStatus
) -> list[tuple[MetricResult, int, int]]:
    """The cycles that may notify, each as ``(result, crossed, recorded)``: the rule of this module.

    Only running or paused cycles of a ticket in an open ``status`` may notify;
    ``crossed`` is the highest level the cycle has crossed (a breach is level
    ``len(warn_at) + 1``), ``recorded`` the highest level ``history`` records
    for it. The cycle notifies when ``crossed > recorded``.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()  # closed
        >>> report = SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at)
        >>> open_cycles(report.results, ticket.history, ticket.status)
        []
    """
    if not status.is_open:
        return []
    tops = recorded_levels(history)
    found = []
    for result in results:
        if result.stopped_us is not None:
            continue
        crossed = len(result.threshold_us) + 1 if result.breached else result.level
        found.append((result, crossed, tops.get((result.metric, result.cycle), 0)))
    return found


def crossing_us(result: MetricResult, level: int) -> int | None:
    """When the running or paused cycle ``result`` crosses ``level``, in µs since the epoch.

    A warning level is crossed once the elapsed working time reaches its
    threshold; the breach (level ``len(warn_at) + 1``) once it exceeds the
    target. A level already crossed gives the instant it was crossed (for the
    breach, the due time: the notice's ``crossed_at``); a level ahead of a
    running clock, the first instant at which an evaluation finds it crossed,
    as long as no event comes first; a level ahead of a paused clock, or a
    level the metric does not have, ``None``.

    Example:
        >>> import pendulum
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> opened = type(sample_ticket()).replay(sample_ticket().history[:1])  # urgent, 14:45
        >>> policy = SlaPolicy.default(WorkCalendar.china())  # 30 min, warnings at 50 %, 80 %
        >>> result = policy.evaluate(opened, opened.updated_at)["first_response"]
        >>> [policy.calendar.from_epoch_us(crossing_us(result, n)).isoformat() for n in (1, 3)]
        ['2024-05-10T15:00:00+08:00', '2024-05-10T15:15:00.000001+08:00']
    """
    thresholds = result.threshold_us
    if level > len(thresholds) + 1 or level < 1:
        return None
    breach = level == len(thresholds) + 1
    if result.breached or (not breach and result.level >= level):
        return result.due_us if breach else result.warned_us[level - 1]
    if result.state is not SlaState.RUNNING:
        return None
    if breach:  # the first instant the elapsed time exceeds the target
        needed = result.budget_us - result.elapsed_us + 1
    else:  # the first instant it reaches the threshold
        needed = thresholds[level - 1] - result.elapsed_us
    return result.calendar.add_many_epoch([result.anchor_us], [needed])[0]


def pending_notices(
    results: Iterable[MetricResult],
    history: Iterable[TicketEvent],
    status: TicketStatus,
    *,
    ticket_id: str = "",
) -> tuple[SlaNotice, ...]:
    """What to notify for a ticket in ``status`` whose clocks read ``results``, in time order.

    The rule is the module's (:func:`open_cycles`): per running or paused cycle
    of an open ticket, the highest level crossed above the highest one
    ``history`` records. The notices carry ``ticket_id``.

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
    pending: list[SlaNotice] = []
    for result, top, done in open_cycles(results, history, status):
        if top <= done:
            continue
        breach = result.breached
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
                ticket_id=ticket_id,
            )
        )
    return tuple(sorted(pending, key=lambda notice: notice.crossed_at))
