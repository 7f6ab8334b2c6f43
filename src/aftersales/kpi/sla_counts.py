"""SLA clocks counted for the KPIs: met, breached and in progress per metric.

The KPIs do not re-implement any clock: SLA achievement and the low-score
callback rate both count the cycles that :meth:`aftersales.sla.SlaPolicy.evaluate`
returns. The callback rule is the policy's ``low_score_callback`` metric; with
no policy, or a policy without that metric, it is the built-in metric of
:meth:`SlaPolicy.default <aftersales.sla.SlaPolicy.default>` with the target
``KpiOptions.callback_within``.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> policy = SlaPolicy.default(WorkCalendar.always("UTC"))
    >>> ticket = sample_ticket()
    >>> count_cycles(policy.evaluate(ticket, ticket.updated_at).results)["first_response"]
    SlaCount(met=1, breached=0, in_progress=0)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import attrs

from aftersales.calendar import WorkCalendar
from aftersales.sla import CalendarTime, MetricResult, SlaPolicy, SlaState

__all__ = ["CALLBACK_METRIC", "SlaCount", "callback_policy", "count_cycles"]

#: The name of the SLA metric that defines the low-score callback KPI.
CALLBACK_METRIC = "low_score_callback"


@attrs.frozen(slots=True)
class SlaCount:
    """Cycles of one metric: met, breached, and still running or paused.

    Cycles in any other state (cancelled, not applicable, or a state a later
    SLA engine adds) count in none of the three.

    Example:
        >>> SlaCount(2, 1, 0).in_progress
        0
    """

    met: int = 0
    breached: int = 0
    in_progress: int = 0


_IN_PROGRESS = frozenset({SlaState.RUNNING, SlaState.PAUSED})


def count_cycles(results: Iterable[MetricResult]) -> dict[str, SlaCount]:
    """The counting cycles of each metric in ``results``, by state, metric by metric.

    Example:
        >>> count_cycles([])
        {}
    """
    counts: dict[str, list[int]] = {}
    for result in results:
        if not result.counts:
            continue
        row = counts.setdefault(result.metric, [0, 0, 0])
        if result.state is SlaState.MET:
            row[0] += 1
        elif result.state is SlaState.BREACHED:
            row[1] += 1
        elif result.state in _IN_PROGRESS:
            row[2] += 1
    return {metric: SlaCount(*row) for metric, row in sorted(counts.items())}


def callback_policy(
    policy: SlaPolicy | None, calendar: WorkCalendar, within: timedelta
) -> SlaPolicy:
    """The policy whose ``low_score_callback`` metric the callback KPI counts.

    ``policy`` itself when it has that metric; otherwise a policy holding only
    the built-in metric, its target ``within`` of calendar time for every priority.

    Example:
        >>> from datetime import timedelta
        >>> from aftersales.calendar import WorkCalendar
        >>> fallback = callback_policy(None, WorkCalendar.always("UTC"), timedelta(hours=24))
        >>> [m.name for m in fallback.metrics], set(fallback.metrics[0].targets.values())
        (['low_score_callback'], {CalendarTime(duration=datetime.timedelta(days=1))})
    """
    if policy is not None and any(m.name == CALLBACK_METRIC for m in policy.metrics):
        return policy
    built_in = next(m for m in SlaPolicy.default(calendar).metrics if m.name == CALLBACK_METRIC)
    target = CalendarTime(within)
    metric = attrs.evolve(built_in, targets=dict.fromkeys(built_in.targets, target))
    return SlaPolicy([metric], calendar)
