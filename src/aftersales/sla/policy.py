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
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES, SubStatuses
from aftersales.model.ticket import Ticket
from aftersales.priority_levels import PriorityScale
from aftersales.sla.clocks import MetricClock, evaluate_clocks
from aftersales.sla.helpdesk_metrics import HELPDESK_METRIC_NAMES, helpdesk_metrics
from aftersales.sla.metrics import ReopenPolicy, SlaMetric, default_metrics
from aftersales.sla.report import SlaReport
from aftersales.vocab import Priority

__all__ = ["SlaPolicy"]


class SlaPolicy:
    """A set of SLA metrics on a working calendar.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> policy = SlaPolicy.default(WorkCalendar.china(), visit_threshold=4)
        >>> [m.name for m in policy.metrics]
        ['first_response', 'resolution', 'return_visit', 'low_score_callback', 'onsite_within']
    """

    def __init__(
        self,
        metrics: Sequence[SlaMetric],
        calendar: WorkCalendar,
        *,
        substatuses: SubStatuses | None = None,
        priority_scale: PriorityScale | None = None,
        default_priority: Priority | str | None = None,
    ) -> None:
        check.run_checks_on(
            {
                "metrics": (metrics, check.tuple_of(check.instance_of(SlaMetric))),
                "calendar": (calendar, check.instance_of(WorkCalendar)),
                "substatuses": (substatuses, check.optional(check.instance_of(SubStatuses))),
                "priority_scale": (
                    priority_scale,
                    check.optional(check.instance_of(PriorityScale)),
                ),
            }
        )
        names = [metric.name for metric in metrics]
        if len(set(names)) != len(names):
            message = f"{names} has duplicates; accepted: distinct metric names"
            raise InvalidData(f"metrics: {message}", problems=[("metrics", message)])
        scale = priority_scale if priority_scale is not None else PriorityScale.three_levels()
        catalog = substatuses if substatuses is not None else AFTER_SALES_SUBSTATUSES
        _check_pauses(catalog, names)
        _check_level_targets(metrics, scale)
        #: The metrics, in their order.
        self.metrics = tuple(metrics)
        #: The policy's working calendar (a metric may have its own).
        self.calendar = calendar
        #: The company's sub-statuses (``set_substatus`` accepts these codes); the
        #: after-sales ones (:data:`~aftersales.model.substatus.AFTER_SALES_SUBSTATUSES`)
        #: unless declared, ``SubStatuses()`` for none.
        self.substatuses = catalog
        #: The company's priority levels (the seeds' three unless declared).
        self.priority_scale = scale
        #: The level a new ticket gets when intake gives no priority and no rules
        #: are consulted (``None``: such a ticket is refused).
        self.default_priority = (
            None if default_priority is None else scale.get(default_priority).code
        )
        self._clocks = {
            m.name: MetricClock(m, m.calendar or calendar, catalog.pausing(m.name))
            for m in self.metrics
        }

    @classmethod
    def default(
        cls,
        calendar: WorkCalendar,
        *,
        visit_threshold: int = 3,
        reopen: ReopenPolicy = ReopenPolicy.CONTINUE,
        extra_metrics: Sequence[str] = (),
        substatuses: SubStatuses | None = None,
        priority_scale: PriorityScale | None = None,
        default_priority: Priority | str | None = None,
    ) -> SlaPolicy:
        """The five built-in metrics with the documented default targets.

        first response: urgent 30 min, important 2 h, general 4 h of working time;
        resolution: urgent 8 h, important 24 h of working time, general 5 working
        days, paused while awaiting the customer's confirmation; return visit: 3
        working days after execution; low-score callback: 48 h after a visit
        scored under ``visit_threshold``; on-site within 24 h for urgent product
        faults, not applicable when the fault is resolved on first contact or
        execution finishes without an on-site visit booked.

        ``extra_metrics`` adds helpdesk clocks by name after the five
        (:func:`~aftersales.sla.helpdesk_metrics.helpdesk_metrics`:
        ``next_reply``, ``periodic_update``, ``requester_wait``, ``agent_work``);
        the other keywords are those of the constructor.

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> policy = SlaPolicy.default(WorkCalendar.china(), extra_metrics=["next_reply"])
            >>> [m.name for m in policy.metrics][-2:]
            ['onsite_within', 'next_reply']
        """
        extra = check.tuple_of(check.member_of(HELPDESK_METRIC_NAMES))(
            extra_metrics, "extra_metrics"
        )
        return cls(
            (
                *default_metrics(visit_threshold=visit_threshold, reopen=reopen),
                *helpdesk_metrics(extra),
            ),
            calendar,
            substatuses=substatuses,
            priority_scale=priority_scale,
            default_priority=default_priority,
        )

    def with_options(
        self,
        *,
        substatuses: SubStatuses | None = None,
        priority_scale: PriorityScale | None = None,
        default_priority: Priority | str | None = None,
    ) -> SlaPolicy:
        """This policy's metrics and calendar with other sub-statuses, levels or default.

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES
            >>> from aftersales.model.substatus import SubStatuses
            >>> policy = SlaPolicy.default(WorkCalendar.china()).with_options(
            ...     substatuses=SubStatuses(), default_priority="general")
            >>> len(policy.substatuses), policy.default_priority
            (0, 'general')
        """
        return SlaPolicy(
            self.metrics,
            self.calendar,
            substatuses=substatuses if substatuses is not None else self.substatuses,
            priority_scale=priority_scale if priority_scale is not None else self.priority_scale,
            default_priority=default_priority
            if default_priority is not None
            else self.default_priority,
        )

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


def _check_pauses(catalog: SubStatuses, metric_names: Sequence[str]) -> None:
    """Every clock a sub-status pauses is a metric of the policy or a built-in one.

    A built-in clock the policy does not measure is accepted (and pauses
    nothing), so one catalog serves policies with and without it.
    """
    accepted = [*metric_names, *(n for n in _BUILT_IN if n not in metric_names)]
    problems = []
    for index, item in enumerate(catalog):
        for name in sorted(item.pauses):
            if name not in accepted:
                message = f"{name!r} is not a metric of the policy; accepted: {accepted}"
                problems.append((f"substatuses[{index}].pauses", message))
    if problems:
        raise InvalidData.from_problems(problems)


_BUILT_IN = (
    *(metric.name for metric in default_metrics()),
    *HELPDESK_METRIC_NAMES,
)


def _check_level_targets(metrics: Sequence[SlaMetric], scale: PriorityScale) -> None:
    """Every target set for a level (not a seed priority) names a level of the scale."""
    seeds = {p.value for p in Priority}
    problems = []
    for metric in metrics:
        for key in metric.targets:
            if key not in seeds and key not in scale.codes:
                message = (
                    f"{key!r} is not a priority level of the policy;"
                    f" accepted: {[*scale.codes, *sorted(seeds - set(scale.codes))]}"
                )
                problems.append((f"{metric.name}.targets", message))
    if problems:
        raise InvalidData.from_problems(problems)
