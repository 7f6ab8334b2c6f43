"""SLA policies: a set of metrics on a working calendar, evaluated on a ticket at an instant.

:meth:`SlaPolicy.evaluate` reads every metric's clock from the ticket's history
and gives an :class:`~aftersales.sla.SlaReport`; :meth:`SlaPolicy.default` is
the five built-in metrics (:func:`~aftersales.sla.metrics.default_metrics`).

Imports the metrics, the clock engine and the report.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> ticket = sample_ticket()
    >>> report = SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at)
    >>> report["resolution"].state.value
    'met'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aftersales import _checks as check
from aftersales._renamed import renamed_keywords
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData, UnknownValue
from aftersales.model.ticket import Ticket
from aftersales.sla.clocks import MetricClock, evaluate_clocks
from aftersales.sla.metrics import ReopenPolicy, SlaMetric, default_metrics
from aftersales.sla.report import SlaReport

__all__ = ["SlaPolicy"]


class SlaPolicy:
    """A set of SLA metrics on a working calendar.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> policy = SlaPolicy.default(WorkCalendar.china(), visit_threshold=4)
        >>> [m.name for m in policy.metrics]
        ['first_response', 'resolution', 'return_visit', 'low_score_callback', 'onsite_within']
    """

    def __init__(self, metrics: Sequence[SlaMetric], calendar: WorkCalendar) -> None:
        check.run_checks_on(
            {
                "metrics": (metrics, check.tuple_of(check.instance_of(SlaMetric))),
                "calendar": (calendar, check.instance_of(WorkCalendar)),
            }
        )
        names = [metric.name for metric in metrics]
        if len(set(names)) != len(names):
            message = f"{names} has duplicates; accepted: distinct metric names"
            raise InvalidData(f"metrics: {message}", problems=[("metrics", message)])
        self.metrics = tuple(metrics)
        self.calendar = calendar
        self._clocks = {m.name: MetricClock(m, m.calendar or calendar) for m in self.metrics}

    @classmethod
    def default(
        cls,
        calendar: WorkCalendar,
        *,
        visit_threshold: int = 3,
        reopen: ReopenPolicy = ReopenPolicy.CONTINUE,
    ) -> SlaPolicy:
        """The five built-in metrics with the documented default targets.

        first response: urgent 30 min, important 2 h, general 4 h of working time;
        resolution: urgent 8 h, important 24 h of working time, general 5 working
        days, paused while awaiting the customer's confirmation; return visit: 3
        working days after execution; low-score callback: 48 h after a visit
        scored under ``visit_threshold``; on-site within 24 h for urgent product
        faults, not applicable when the fault is resolved on first contact or
        execution finishes without an on-site visit booked.
        """
        return cls(default_metrics(visit_threshold=visit_threshold, reopen=reopen), calendar)

    def __getitem__(self, name: str) -> MetricClock:
        try:
            return self._clocks[name]
        except KeyError:
            raise UnknownValue("metric", name, list(self._clocks)) from None

    @renamed_keywords(now="at")
    def evaluate(self, ticket: Ticket, at: datetime) -> SlaReport:
        """Every applicable metric's cycles for ``ticket`` at ``at``, and pending notifications."""
        at = check.aware(at, "at")
        results = evaluate_clocks(self._clocks.values(), ticket, at)
        return SlaReport(ticket.id, at, tuple(results), ticket.history, status=ticket.status)
