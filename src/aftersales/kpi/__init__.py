"""KPIs of after-sales service as mergeable accumulators, and their plain formulas.

* :mod:`~aftersales.kpi.formulas`: ``nps``, ``csat``, ``percentile`` … on plain numbers;
* :mod:`~aftersales.kpi.accumulators`: ``Ratio``, ``Durations``, ``Scores``,
  ``NpsTally``, ``Tally``, ``GroupBy`` — ``add``, ``merge``, ``result``;
* :mod:`~aftersales.kpi.periods`: ``Period`` (day, ISO week, month in a zone);
* :mod:`~aftersales.kpi.service`: ``ServiceKpis``, every KPI of the monthly
  report over tickets, and ``KpiGroups`` by dimension or period;
* :mod:`~aftersales.kpi.sla_counts`: SLA cycles counted per metric (met,
  breached, in progress), and the one rule of the low-score callback KPI.

Feed one accumulator, or one per partition and merge them in any order: the
figures are the same (see ``docs/kpi.md``).

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> kpis = ServiceKpis(Period.parse("2024-05", "Asia/Shanghai"), WorkCalendar.china())
    >>> kpis.add(sample_ticket())
    >>> kpis.result().first_line.value, nps([9, 10, 6])
    (0.0, 33.333333333333336)
"""

from aftersales.kpi.accumulators import (
    Accumulator,
    Durations,
    DurationStats,
    GroupBy,
    NpsStats,
    NpsTally,
    Rate,
    Ratio,
    Scores,
    ScoreStats,
    Tally,
)
from aftersales.kpi.formulas import (
    coefficient_of_variation,
    csat,
    mean,
    nps,
    percentile,
    rate,
    satisfaction_mean,
)
from aftersales.kpi.periods import GRANULARITIES, Granularity, Period
from aftersales.kpi.service import (
    DIMENSIONS,
    BatchEvent,
    ChannelResponse,
    KpiFigures,
    KpiGroups,
    KpiOptions,
    NpsResponse,
    PeakResponse,
    Quadrant,
    QuadrantEntry,
    ServiceKpis,
    SlaAchievement,
    TicketFacts,
    as_of,
    classify_quadrant,
)
from aftersales.kpi.sla_counts import CALLBACK_METRIC, SlaCount, callback_policy, count_cycles

__all__ = [
    "CALLBACK_METRIC",
    "DIMENSIONS",
    "GRANULARITIES",
    "Accumulator",
    "BatchEvent",
    "ChannelResponse",
    "DurationStats",
    "Durations",
    "Granularity",
    "GroupBy",
    "KpiFigures",
    "KpiGroups",
    "KpiOptions",
    "NpsResponse",
    "NpsStats",
    "NpsTally",
    "PeakResponse",
    "Period",
    "Quadrant",
    "QuadrantEntry",
    "Rate",
    "Ratio",
    "ScoreStats",
    "Scores",
    "ServiceKpis",
    "SlaAchievement",
    "SlaCount",
    "Tally",
    "TicketFacts",
    "as_of",
    "callback_policy",
    "classify_quadrant",
    "coefficient_of_variation",
    "count_cycles",
    "csat",
    "mean",
    "nps",
    "percentile",
    "rate",
    "satisfaction_mean",
]
