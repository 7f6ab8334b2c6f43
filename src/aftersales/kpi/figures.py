"""What :class:`~aftersales.kpi.ServiceKpis` gives: :class:`KpiFigures` and its parts.

Every KPI of a period as of an instant, in one immutable value: rates kept as
numerator and denominator, durations as mean / median / p90, volumes per
dimension (:data:`DIMENSIONS`), SLA achievement per metric, first response per
channel and at peak hours, the four quadrants of problem types and the major
events flagged apart. ``KpiFigures.to_dict()`` is its JSON-ready form.

Example:
    >>> classify_quadrant(0.2, 0.1, frequency_threshold=0.15, impact_threshold=0.25)
    'plan'
    >>> SlaAchievement("resolution", 3, 1).rate.percent
    75.0
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, ClassVar

import attrs
import pendulum

from aftersales._renamed import renamed_attribute
from aftersales.kpi.accumulators import DurationStats, NpsStats, Rate, ScoreStats
from aftersales.kpi.dimension_scores import DimensionSatisfaction
from aftersales.kpi.periods import Period
from aftersales.kpi.substatus_time import SubstatusTime
from aftersales.kpi.survey_counts import SurveyFigures

__all__ = [
    "DIMENSIONS",
    "BatchEvent",
    "ChannelResponse",
    "KpiFigures",
    "PeakResponse",
    "Quadrant",
    "QuadrantEntry",
    "SlaAchievement",
    "classify_quadrant",
]

#: The dimensions tickets can be counted and grouped by.
DIMENSIONS = ("channel", "category", "product", "priority", "agent", "root_cause", "ticket_type")


@attrs.frozen(slots=True)
class SlaAchievement:
    """One SLA metric over the period: cycles met, breached, and the achievement rate.

    ``rate = achieved ÷ (achieved + breached)``; clocks still running or paused
    at the instant the figures are read count in neither: they are ``in_progress``.

    Example:
        >>> SlaAchievement("first_response", 18, 2, in_progress=3).rate.percent
        90.0
    """

    metric: str
    achieved: int
    breached: int
    in_progress: int = attrs.field(default=0, kw_only=True)

    @property
    def rate(self) -> Rate:
        """``achieved`` of ``achieved + breached``."""
        return Rate(self.achieved, self.achieved + self.breached)


@attrs.frozen(slots=True)
class ChannelResponse:
    """Mean working first-response time of one channel.

    Example:
        >>> ChannelResponse("phone", 4, timedelta(minutes=10)).mean.seconds
        600
    """

    channel: str
    count: int
    mean: timedelta


@attrs.frozen(slots=True)
class PeakResponse:
    """First-response time at peak hours beside the rest of the day.

    ``ratio`` is the peak mean ÷ off-peak mean (1.0: as fast at peak; above 1:
    slower). ``spread`` is the peak p90 ÷ peak median (how uneven peak
    responses are).

    Example:
        >>> stats = DurationStats.of([timedelta(minutes=20)])
        >>> PeakResponse(stats, DurationStats.of([timedelta(minutes=10)])).ratio
        2.0
    """

    peak: DurationStats
    off_peak: DurationStats

    @property
    def ratio(self) -> float | None:
        """Peak mean ÷ off-peak mean."""
        a, b = self.peak.mean, self.off_peak.mean
        return None if a is None or not b else a / b

    @property
    def spread(self) -> float | None:
        """Peak p90 ÷ peak median."""
        a, b = self.peak.p90, self.peak.median
        return None if a is None or not b else a / b


class Quadrant:
    """The four quadrants of problem types (frequency × impact), bilingual.

    Example:
        >>> Quadrant.label(Quadrant.HANDLE_FIRST, "zh")
        '高频高影响·优先处理'
    """

    HANDLE_FIRST = "handle_first"
    PLAN = "plan"
    SPECIAL = "special"
    DEFER = "defer"
    LABELS: ClassVar[dict[str, tuple[str, str]]] = {
        HANDLE_FIRST: ("high frequency, high impact: handle first", "高频高影响·优先处理"),
        PLAN: ("high frequency, low impact: plan", "高频低影响·计划改进"),
        SPECIAL: ("low frequency, high impact: special handling", "低频高影响·专项处理"),
        DEFER: ("low frequency, low impact: defer", "低频低影响·暂缓"),
    }

    @classmethod
    def label(cls, quadrant: str, lang: str = "en") -> str:
        """The quadrant's label in ``lang``."""
        en, zh = cls.LABELS[quadrant]
        return zh if lang == "zh" else en


def classify_quadrant(
    frequency: float, impact: float, *, frequency_threshold: float, impact_threshold: float
) -> str:
    """The quadrant of a problem type: high means at or above the threshold.

    Example:
        >>> classify_quadrant(0.3, 0.5, frequency_threshold=0.15, impact_threshold=0.25)
        'handle_first'
        >>> classify_quadrant(0.05, 0.1, frequency_threshold=0.15, impact_threshold=0.25)
        'defer'
    """
    high_f = frequency >= frequency_threshold
    high_i = impact >= impact_threshold
    if high_f:
        return Quadrant.HANDLE_FIRST if high_i else Quadrant.PLAN
    return Quadrant.SPECIAL if high_i else Quadrant.DEFER


@attrs.frozen(slots=True)
class QuadrantEntry:
    """One problem type in the four-quadrant table.

    Example:
        >>> QuadrantEntry("product_quality", 30, 0.3, 12, 0.4, Quadrant.HANDLE_FIRST).quadrant
        'handle_first'
    """

    category: str
    count: int
    frequency: float
    high_impact: int
    impact: float
    quadrant: str


@attrs.frozen(slots=True)
class BatchEvent:
    """A major event flagged apart: one customer's batch complaint, or a product batch failure.

    ``kind`` is ``"customer_batch"`` (``key`` the customer id, ``count`` its
    tickets of ``category``) or ``"failure_rate"`` (``key`` the product model,
    ``rate`` its tickets ÷ installed units).

    Example:
        >>> BatchEvent("customer_batch", "C1", "XX科技", "product_quality", 6).count
        6
    """

    kind: str
    key: str
    name: str
    category: str | None
    count: int
    rate: float | None = None


@attrs.frozen(slots=True, kw_only=True)
class KpiFigures:
    """Every KPI of a period, as of an instant (the result of :class:`ServiceKpis`).

    Rates are :class:`Rate` values (numerator and denominator kept); durations
    are :class:`DurationStats` (mean, median, p90); volumes are ``(key,
    count)`` pairs, most frequent first (``volumes["ticket_type"]`` counts
    the tickets whose type was recorded). The closure rate, the repeat
    complaints and the batch complaints count complaints only
    (:func:`aftersales.priority.is_complaint`): ``closure.denominator`` is
    the valid complaints. See ``docs/kpi.md`` for the formulas.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.kpi import ServiceKpis
        >>> empty = ServiceKpis(Period.parse("2026-10", "UTC"), WorkCalendar.always("UTC")).result()
        >>> empty.received, empty.closure.value, empty.nps.score
        (0, None, None)
    """

    period: Period
    at: pendulum.DateTime
    received: int
    cancelled: int
    closure: Rate
    first_line: Rate
    escalation: Rate
    second_line: Rate
    reopen: Rate
    repeat: Rate
    one_touch: Rate
    first_response: DurationStats
    first_response_calendar: DurationStats
    resolution: DurationStats
    resolution_calendar: DurationStats
    sla: tuple[SlaAchievement, ...]
    satisfaction: ScoreStats
    nps: NpsStats
    visit_coverage: Rate
    key_visit_coverage: Rate
    low_score_callback: Rate
    channel_response: tuple[ChannelResponse, ...]
    channel_consistency: float | None
    peak: PeakResponse
    backlog: int
    ageing: tuple[tuple[str, int], ...]
    volumes: dict[str, tuple[tuple[str, int], ...]]
    daily: tuple[tuple[date, int, int], ...]
    top: tuple[tuple[str, int], ...]
    quadrants: tuple[QuadrantEntry, ...]
    events: tuple[BatchEvent, ...]
    #: Time in sub-statuses (待备件 …), one entry per sub-status the cohort entered.
    substatuses: tuple[SubstatusTime, ...] = ()
    #: Satisfaction per dimension (专业知识, 服务态度 …), one entry per dimension scored.
    satisfaction_by_dimension: tuple[DimensionSatisfaction, ...] = ()
    #: The surveys answered in the period (:class:`~aftersales.kpi.SurveyFigures`):
    #: their satisfaction apart from the return visits', their comments by feedback class.
    surveys: SurveyFigures = attrs.field(factory=SurveyFigures.empty)

    as_of = renamed_attribute("at")

    @property
    def valid(self) -> int:
        """Tickets received and not cancelled: the denominator of most rates."""
        return self.received - self.cancelled

    def sla_for(self, metric: str) -> SlaAchievement | None:
        """The achievement of one SLA metric, ``None`` when it measured nothing."""
        for item in self.sla:
            if item.metric == metric:
                return item
        return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: rates as ``{numerator, denominator, value}``, durations in seconds.

        The instant ``at`` is under the key ``"as_of"``, as the JSON has always had it.

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.kpi import ServiceKpis
            >>> data = ServiceKpis(Period.parse("2026-10", "UTC"), WorkCalendar.always("UTC")).result().to_dict()
            >>> data["period"], data["closure"]
            ('2026-10', {'numerator': 0, 'denominator': 0, 'value': None})
        """
        plain: dict[str, Any] = _plain(self)
        return {("as_of" if key == "at" else key): value for key, value in plain.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Period):
        return value.label
    if isinstance(value, Rate):
        return {
            "numerator": value.numerator,
            "denominator": value.denominator,
            "value": value.value,
        }
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, SlaAchievement):
        return {
            "metric": value.metric,
            "achieved": value.achieved,
            "breached": value.breached,
            "rate": value.rate.value,
        }
    if isinstance(value, PeakResponse):
        return {
            "peak": _plain(value.peak),
            "off_peak": _plain(value.off_peak),
            "ratio": value.ratio,
            "spread": value.spread,
        }
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
