"""The SLA report of one ticket at one instant: every clock cycle, alerts and what to notify.

Imports the results and the notification rule; the policy builds reports.

Example:
    >>> import pendulum
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.testing.samples import sample_ticket
    >>> ticket = sample_ticket()
    >>> report = SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at)
    >>> report.next_due is None, report.alerts_before(ticket.updated_at.add(days=30))
    (True, [])
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._renamed import renamed_keywords
from aftersales.errors import MetricNotMeasured
from aftersales.model.events import TicketEvent
from aftersales.sla.notices import SlaNotice, pending_notices, recorded_levels
from aftersales.sla.results import MetricResult, SlaState
from aftersales.vocab import TicketStatus

__all__ = ["SlaAlert", "SlaReport"]


@attrs.frozen(slots=True)
class SlaReport:
    """Every metric's cycles for one ticket at one instant, and what to notify.

    Iterating a report gives its results (a :class:`MetricResult` per cycle of
    every measured metric, in policy order); ``report["resolution"]`` is a
    metric's current cycle. ``status`` is the ticket's status at evaluation.

    ``notifications`` follow the rule of :mod:`aftersales.sla.notices`: per
    clock cycle, only the highest level crossed and not yet recorded, and only
    for running or paused clocks of an open ticket. Recording them (see
    ``ServiceDesk.check_sla``) makes the next evaluation return none until a
    higher level is crossed.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> report = SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at)
        >>> sorted(report.metrics())
        ['first_response', 'onsite_within', 'resolution', 'return_visit']
        >>> len(report), [result.state.value for result in report][:2]
        (4, ['met', 'met'])
    """

    ticket_id: str
    at: pendulum.DateTime
    results: tuple[MetricResult, ...]
    history: tuple[TicketEvent, ...] = attrs.field(repr=False, eq=False)
    status: TicketStatus = attrs.field(kw_only=True)

    def __iter__(self) -> Iterator[MetricResult]:
        """Every cycle of every measured metric, in policy order."""
        return iter(self.results)

    def __len__(self) -> int:
        """How many cycles the report holds."""
        return len(self.results)

    def __contains__(self, item: object) -> bool:
        """True for a measured metric's name, or for one of the report's results."""
        if isinstance(item, str):
            return any(result.metric == item for result in self.results)
        return item in self.results

    @property
    def recorded(self) -> frozenset[tuple[str, int, int]]:
        """The ``(metric, cycle, level)`` the history records as notified or passed.

        A recorded ``SlaWarned``/``SlaBreached`` of level ``n`` records every
        level up to ``n`` of its cycle: the ones below were notified earlier
        or passed over.
        """
        return frozenset(
            (metric, cycle, level)
            for (metric, cycle), top in recorded_levels(self.history).items()
            for level in range(1, top + 1)
        )

    @property
    def notifications(self) -> tuple[SlaNotice, ...]:
        """Per running or paused clock, the highest level crossed and not recorded, in time order."""
        return pending_notices(self.results, self.history, self.status, ticket_id=self.ticket_id)

    def metrics(self) -> set[str]:
        """The names of the metrics that measured this ticket."""
        return {result.metric for result in self.results}

    def __getitem__(self, metric: str) -> MetricResult:
        """The current (latest) cycle of ``metric``.

        Raises:
            MetricNotMeasured: ``metric`` did not measure the ticket (also a ``KeyError``).
        """
        for result in reversed(self.results):
            if result.metric == metric:
                return result
        raise self._not_measured(metric)

    def cycles(self, metric: str) -> tuple[MetricResult, ...]:
        """Every cycle of ``metric``, oldest first."""
        return tuple(result for result in self.results if result.metric == metric)

    def first(self, metric: str) -> MetricResult:
        """The first cycle of ``metric`` (e.g. first resolution beside full resolution).

        Raises:
            MetricNotMeasured: ``metric`` did not measure the ticket (also a ``KeyError``).
        """
        for result in self.results:
            if result.metric == metric:
                return result
        raise self._not_measured(metric)

    def _not_measured(self, metric: object) -> MetricNotMeasured:
        measured = dict.fromkeys(result.metric for result in self.results)
        return MetricNotMeasured(metric, ticket_id=self.ticket_id, measured=measured)

    @property
    def next_due(self) -> pendulum.DateTime | None:
        """The earliest due time among the clocks not stopped yet (the worklist's order).

        Running and paused clocks count, and so does a breached clock that
        still runs: an overdue ticket stays at the head of the worklist after
        its breach was recorded.
        """
        pending = [
            r.due_at
            for r in self.results
            if r.state in (SlaState.RUNNING, SlaState.PAUSED)
            or (r.state is SlaState.BREACHED and r.stopped_at is None)
        ]
        return min(pending) if pending else None

    @renamed_keywords(before="due_before")
    def alerts_before(self, due_before: datetime) -> list[SlaAlert]:
        """Warnings and breaches of running or paused clocks reached by ``due_before``, in time order.

        Levels already crossed keep their crossing instant; levels still ahead
        are projected assuming the clock runs from the report's instant on (a
        paused clock as if it resumed now). A breach is level ``len(warn_at) + 1``.
        """
        limit = check.aware(due_before, "due_before")
        found = []
        for result in self.results:
            if result.state is SlaState.CANCELLED or result.stopped_at is not None:
                continue
            for level, threshold in enumerate(result.warning_thresholds, start=1):
                if level <= len(result.warned_at):
                    when = result.warned_at[level - 1]
                else:
                    when = result.calendar.add(self.at, threshold - result.elapsed)
                if when <= limit:
                    found.append(
                        SlaAlert(self.ticket_id, result.metric, result.cycle, level, False, when)
                    )
            if result.due_at <= limit:
                breach = len(result.warning_thresholds) + 1
                found.append(
                    SlaAlert(
                        self.ticket_id, result.metric, result.cycle, breach, True, result.due_at
                    )
                )
        return sorted(found, key=lambda alert: alert.at)


@attrs.frozen(slots=True)
class SlaAlert:
    """A warning or breach of one ticket's clock, past or projected (for watch lists).

    Example:
        >>> import pendulum
        >>> SlaAlert("T1", "resolution", 0, 3, True, pendulum.datetime(2026, 3, 2, tz="UTC")).breach
        True
    """

    ticket_id: str
    metric: str
    cycle: int
    level: int
    breach: bool
    at: pendulum.DateTime
