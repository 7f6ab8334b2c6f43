"""KPIs of after-sales service as mergeable accumulators, and their plain formulas.

* :mod:`~aftersales.kpi.formulas`: ``nps``, ``csat``, ``percentile`` … on plain numbers;
* :mod:`~aftersales.kpi.accumulators`: ``Ratio``, ``Durations``, ``Scores``,
  ``NpsTally``, ``Tally``, ``GroupBy`` — ``add``, ``merge``, ``result``;
* :mod:`~aftersales.kpi.periods`: ``Period`` (day, ISO week, month in a zone);
* :mod:`~aftersales.kpi.options`: ``KpiOptions``, the configurable definitions;
* :mod:`~aftersales.kpi.surveys`: ``NpsResponse``, one NPS answer, and
  ``SurveyResponse``, one answered survey (by ticket or on its own);
* :mod:`~aftersales.kpi.feedback`: ``FeedbackClass`` (服务人员, 解决效果, 建议)
  and ``classify_feedback``, the rule that puts a comment in one class;
* :mod:`~aftersales.kpi.survey_counts`: ``SurveyCounts``, the surveys of a
  period counted, and its figure ``SurveyFigures``;
* :mod:`~aftersales.kpi.facts`: ``as_of`` and ``TicketFacts``, a ticket
  reduced to what the KPIs read;
* :mod:`~aftersales.kpi.figures`: ``KpiFigures`` and its parts (SLA
  achievement, quadrants, batch events …);
* :mod:`~aftersales.kpi.service`: ``ServiceKpis``, every KPI of the monthly
  report over tickets;
* :mod:`~aftersales.kpi.groups`: ``KpiGroups``, the KPIs by dimension or period;
* :mod:`~aftersales.kpi.sla_counts`: SLA cycles counted per metric (met,
  breached, in progress), and the one rule of the low-score callback KPI;
* :mod:`~aftersales.kpi.substatus_time`: ``SubstatusWaits``, the time tickets
  spent in each sub-status (待备件 …), and its figure ``SubstatusTime``;
* :mod:`~aftersales.kpi.dimension_scores`: ``DimensionScores``, satisfaction
  per dimension (专业知识, 服务态度 …), and its figure ``DimensionSatisfaction``.

Feed one accumulator, or one per partition and merge them in any order: the
figures are the same (see ``docs/kpi.md``). The KPIs are domain code: they
import only the domain (model, calendar, sla, vocabulary, errors …), never
storage, the desk or the reports.

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
from aftersales.kpi.dimension_scores import DimensionSatisfaction, DimensionScores
from aftersales.kpi.facts import TicketFacts, as_of
from aftersales.kpi.feedback import FeedbackClass, classify_feedback
from aftersales.kpi.figures import (
    DIMENSIONS,
    BatchEvent,
    ChannelResponse,
    KpiFigures,
    PeakResponse,
    Quadrant,
    QuadrantEntry,
    SlaAchievement,
    classify_quadrant,
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
from aftersales.kpi.groups import KpiGroups
from aftersales.kpi.options import KpiOptions
from aftersales.kpi.periods import GRANULARITIES, Granularity, Period
from aftersales.kpi.service import ServiceKpis
from aftersales.kpi.sla_counts import CALLBACK_METRIC, SlaCount, callback_policy, count_cycles
from aftersales.kpi.substatus_time import SubstatusTime, SubstatusWaits
from aftersales.kpi.survey_counts import SurveyCounts, SurveyFigures
from aftersales.kpi.surveys import NpsResponse, SurveyResponse

__all__ = [
    "CALLBACK_METRIC",
    "DIMENSIONS",
    "GRANULARITIES",
    "Accumulator",
    "BatchEvent",
    "ChannelResponse",
    "DimensionSatisfaction",
    "DimensionScores",
    "DurationStats",
    "Durations",
    "FeedbackClass",
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
    "SubstatusTime",
    "SubstatusWaits",
    "SurveyCounts",
    "SurveyFigures",
    "SurveyResponse",
    "Tally",
    "TicketFacts",
    "as_of",
    "callback_policy",
    "classify_feedback",
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
