"""The KPIs of the monthly report (DOMAIN §5), as one mergeable accumulator.

:class:`ServiceKpis` takes tickets (``add``), merges with another partition
(``merge``) and gives every figure at once (``result`` → :class:`KpiFigures`).
Each ticket is first reduced to its :class:`TicketFacts` *as of* an instant
(by default the end of the period): events at or after ``as_of`` are ignored,
so a report on October gives the same figures in November as on 1 November.

Populations (see ``docs/kpi.md`` for every formula):

* the **cohort**: tickets *received* in the period (``start <= received_at <
  end``); cancelled ones count in the volume but in no rate;
* the **backlog**: every ticket received before ``as_of`` and still open at
  ``as_of``, whatever period it came in;
* **repeat complaints** look back ``repeat_window`` before each cohort
  ticket, so feed the tickets of that window too (they count nowhere else);
* **NPS** comes from survey answers (:class:`NpsResponse`, ``add_survey``)
  whose ``at`` falls in the period; **key customers** are a set of customer
  ids given to the constructor.

Example:
    >>> import pendulum
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> from aftersales.kpi.periods import Period
    >>> kpis = ServiceKpis(Period.parse("2024-05", "Asia/Shanghai"), WorkCalendar.always("Asia/Shanghai"))
    >>> kpis.add(sample_ticket())
    >>> figures = kpis.result()
    >>> figures.received, figures.closure.percent, figures.satisfaction.mean
    (1, 100.0, 5.0)
    >>> figures.first_response.median
    datetime.timedelta(seconds=300)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any, ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.kpi import formulas
from aftersales.kpi.accumulators import (
    Durations,
    DurationStats,
    NpsStats,
    NpsTally,
    Rate,
    Ratio,
    Scores,
    ScoreStats,
    Tally,
)
from aftersales.kpi.periods import Period
from aftersales.kpi.sla_counts import CALLBACK_METRIC, callback_policy, count_cycles
from aftersales.model.ticket import Ticket
from aftersales.sla import MetricResult, SlaPolicy
from aftersales.vocab import Priority

__all__ = [
    "DIMENSIONS",
    "BatchEvent",
    "ChannelResponse",
    "KpiFigures",
    "KpiGroups",
    "KpiOptions",
    "NpsResponse",
    "PeakResponse",
    "Quadrant",
    "QuadrantEntry",
    "ServiceKpis",
    "SlaAchievement",
    "TicketFacts",
    "as_of",
    "classify_quadrant",
]

_US = 1_000_000
_LOOPS = frozenset({"customer_disputes", "report_new_problem", "reopen", "escalate"})
#: The dimensions tickets can be counted and grouped by.
DIMENSIONS = ("channel", "category", "product", "priority", "agent", "root_cause")


def _us(moment: datetime) -> int:
    return WorkCalendar.epoch_us(moment)


def _fraction(value: Any, name: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
        message = f"{shown(value)} is not a fraction; accepted: a number from 0 to 1"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return float(value)


def _positive_td(value: Any, name: str) -> timedelta:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        message = f"{shown(value)} is not a positive duration; accepted: a timedelta > 0"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return value


def _hours(value: Any, name: str) -> frozenset[int]:
    listed = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else None
    ok = listed is not None and all(type(h) is int and 0 <= h <= 23 for h in listed)
    items = frozenset(listed) if ok and listed is not None else None
    if items is None:
        message = f"{shown(value)} is not a set of hours; accepted: integers 0–23"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return items


def _ageing(value: Any, name: str) -> tuple[int, ...]:
    items = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else ()
    if (
        not items
        or not all(type(d) is int and 0 < d <= check.MAX_INT for d in items)
        or list(items) != sorted(set(items))
    ):
        message = f"{shown(value)} is not an increasing list of days; accepted: e.g. (1, 3, 7, 30)"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return items


@attrs.frozen(slots=True, kw_only=True)
class KpiOptions:
    """The configurable parts of the KPI definitions.

    Args:
        csat_threshold: lowest score counted as satisfied by CSAT (4: "top two boxes").
        repeat_window: a ticket is a repeat complaint when the same customer
            opened another ticket of the same category within this time before it.
        peak_hours: local hours (0–23) of the calendar's zone counted as peak intake.
        callback_within: a low-score visit needs an outbound call within this time,
            when the SLA policy has no ``low_score_callback`` metric (or there is
            no policy); otherwise that metric is the rule.
        top_n: how many problem types the TOP list shows.
        frequency_threshold: a problem type is high-frequency when its share of
            the period's valid tickets is at least this.
        impact_threshold: a problem type is high-impact when at least this share of
            its tickets is urgent or escalated.
        batch_threshold: one customer with at least this many tickets of one
            category in the period is flagged as a batch complaint.
        failure_rate_threshold: a product whose tickets ÷ installed units reach
            this is flagged as a batch failure (when an installed base is given).
        ageing_days: the bounds, in days, of the backlog ageing buckets.

    Example:
        >>> KpiOptions(csat_threshold=5, repeat_window=timedelta(days=7)).repeat_window.days
        7
        >>> KpiOptions(frequency_threshold=1.5)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: frequency_threshold: 1.5 is not a fraction; accepted: a number from 0 to 1
    """

    csat_threshold: int = 4
    repeat_window: timedelta = timedelta(days=30)
    peak_hours: frozenset[int] = frozenset({9, 10, 11, 14, 15, 16})
    callback_within: timedelta = timedelta(hours=48)
    top_n: int = 5
    frequency_threshold: float = 0.15
    impact_threshold: float = 0.25
    batch_threshold: int = 5
    failure_rate_threshold: float = 0.05
    ageing_days: tuple[int, ...] = (1, 3, 7, 30)

    def __attrs_post_init__(self) -> None:
        check.run_checks(
            self,
            (
                ("csat_threshold", check.score(1, 5)),
                ("repeat_window", _positive_td),
                ("peak_hours", _hours),
                ("callback_within", _positive_td),
                ("top_n", check.integer(1)),
                ("frequency_threshold", _fraction),
                ("impact_threshold", _fraction),
                ("batch_threshold", check.integer(2)),
                ("failure_rate_threshold", _fraction),
                ("ageing_days", _ageing),
            ),
        )


@attrs.frozen(slots=True, kw_only=True)
class NpsResponse:
    """One answer to "how likely are you to recommend us?" (0–10), from a survey.

    NPS is not a ticket field: surveys are usually sent per customer, not per
    ticket, so answers come in as their own records.

    Example:
        >>> import pendulum
        >>> NpsResponse(customer_id="C1", score=9, at=pendulum.datetime(2026, 10, 3, tz="UTC")).score
        9
        >>> NpsResponse(customer_id="C1", score=11, at=pendulum.datetime(2026, 10, 3, tz="UTC"))
        Traceback (most recent call last):
        ...
        aftersales.errors.ScoreOutOfRange: score: 11 is out of range; accepted: an integer from 0 to 10
    """

    customer_id: str
    score: int
    at: pendulum.DateTime
    ticket_id: str | None = None
    comment: str = ""

    def __attrs_post_init__(self) -> None:
        check.run_checks(
            self,
            (
                ("customer_id", check.identifier),
                ("score", check.score(0, 10)),
                ("at", check.aware),
                ("ticket_id", check.optional(check.identifier)),
                ("comment", check.optional_text),
            ),
        )


def as_of(ticket: Ticket, moment: datetime) -> Ticket | None:
    """The ticket as it stood just before ``moment`` (events at or after it dropped).

    ``None`` when it was received at or after ``moment``.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> as_of(ticket, ticket.history[2].at).version
        2
        >>> as_of(ticket, ticket.received_at) is None
        True
    """
    at = check.aware(moment, "moment")
    if ticket.updated_at < at:
        return ticket
    if ticket.received_at >= at:
        return None
    times = [event.at for event in ticket.history]
    return Ticket.replay(ticket.history[: bisect_left(times, at)])


@attrs.frozen(slots=True, kw_only=True)
class TicketFacts:
    """What the KPIs read from one ticket, as of an instant: one flat row.

    Durations are integer microseconds (``*_work_us``: working time on the
    calendar; the others: calendar time). ``sla`` is ``(metric, met, breached)``
    per metric, counting the cycles that count, and ``sla_in_progress``
    ``(metric, running or paused)``; ``callbacks_met`` / ``callbacks_missed``
    are the met / breached cycles of the ``low_score_callback`` metric (see
    :mod:`aftersales.kpi.sla_counts`). This is also the row the benchmark
    hands to pandas.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> from aftersales.calendar import WorkCalendar
        >>> kpis = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC"))
        >>> facts = kpis.facts(sample_ticket())
        >>> facts.closed, facts.score, facts.first_response_us // 1_000_000
        (True, 5, 300)
    """

    ticket_id: str
    customer_id: str
    customer_name: str
    channel: str
    category: str
    product: str | None
    priority: str
    agent: str
    root_cause: str | None
    received_us: int
    local_date: date
    local_hour: int
    cancelled: bool
    closed: bool
    open: bool
    first_response_us: int | None
    first_response_work_us: int | None
    resolution_us: int | None
    resolution_work_us: int | None
    first_contact: bool
    escalated: bool
    reopened: bool
    ever_closed: bool
    one_touch: bool
    high_impact: bool
    score: int | None
    resolved: bool
    visited: bool
    callbacks_met: int
    callbacks_missed: int
    sla: tuple[tuple[str, int, int], ...]
    key_customer: bool
    age_us: int | None
    sla_in_progress: tuple[tuple[str, int], ...] = ()


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
    count)`` pairs, most frequent first. See ``docs/kpi.md`` for the formulas.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> empty = ServiceKpis(Period.parse("2026-10", "UTC"), WorkCalendar.always("UTC")).result()
        >>> empty.received, empty.closure.value, empty.nps.score
        (0, None, None)
    """

    period: Period
    as_of: pendulum.DateTime
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

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> data = ServiceKpis(Period.parse("2026-10", "UTC"), WorkCalendar.always("UTC")).result().to_dict()
            >>> data["period"], data["closure"]
            ('2026-10', {'numerator': 0, 'denominator': 0, 'value': None})
        """
        return _plain(self)  # type: ignore[no-any-return]


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


class ServiceKpis:
    """Every KPI of one period as a mergeable accumulator over tickets.

    Args:
        period: the period whose received tickets form the cohort.
        calendar: the working calendar (working-time durations, local dates and hours).
        policy: the SLA policy for SLA achievement (``None``: no SLA figures).
        as_of: the instant the figures are taken at (default: the period's end).
        options: the configurable definitions (:class:`KpiOptions`).
        key_customers: ids of the key customers (for their return-visit coverage).
        installed_base: units in service per product model, for failure rates.

    ``add(ticket)`` / ``add_facts(facts)`` / ``add_survey(response)``;
    ``merge(other)`` returns a new accumulator (both must have the same
    configuration); ``result()`` → :class:`KpiFigures`.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> period = Period.parse("2024-05", "UTC")
        >>> a = ServiceKpis(period, WorkCalendar.always("UTC"))
        >>> b = ServiceKpis(period, WorkCalendar.always("UTC"))
        >>> a.add(sample_ticket("T1")); b.add(sample_ticket("T2"))
        >>> a.merge(b).result().received
        2
    """

    def __init__(
        self,
        period: Period,
        calendar: WorkCalendar,
        *,
        policy: SlaPolicy | None = None,
        as_of: datetime | None = None,
        options: KpiOptions | None = None,
        key_customers: Collection[str] = frozenset(),
        installed_base: dict[str, int] | None = None,
    ) -> None:
        if not isinstance(period, Period):
            message = f"{shown(period)} is not a Period; accepted: e.g. Period.parse('2026-10', tz)"
            raise InvalidData(f"period: {message}", problems=[("period", message)])
        check.instance_of(WorkCalendar)(calendar, "calendar")
        self.period = period
        self.calendar = calendar
        self.policy = policy
        self.as_of = check.aware(period.end if as_of is None else as_of, "as_of")
        self.options = options or KpiOptions()
        self.key_customers = frozenset(key_customers)
        base = dict(installed_base or {})
        for model, units in base.items():
            if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
                message = f"{units!r} units for {model!r}; accepted: a positive integer"
                raise InvalidData(
                    f"installed_base: {message}", problems=[("installed_base", message)]
                )
        self.installed_base = base
        self._start_us = _us(period.start)
        self._end_us = _us(period.end)
        self._as_of_us = _us(self.as_of)
        self._zone = pendulum.timezone(period.tz)
        self._state = _State(self.options.csat_threshold)
        self._callbacks: SlaPolicy | None = None

    # -- configuration ------------------------------------------------------------------

    def _config(self) -> tuple[Any, ...]:
        return (
            self.period,
            self.as_of,
            self.options,
            self.key_customers,
            tuple(sorted(self.installed_base.items())),
            None if self.policy is None else tuple(m.name for m in self.policy.metrics),
            str(self.calendar.tz),
            self.calendar.week,
        )

    def empty(self) -> ServiceKpis:
        """A new, empty accumulator with this one's configuration."""
        return ServiceKpis(
            self.period,
            self.calendar,
            policy=self.policy,
            as_of=self.as_of,
            options=self.options,
            key_customers=self.key_customers,
            installed_base=self.installed_base,
        )

    # -- facts --------------------------------------------------------------------------

    def facts(self, ticket: Ticket) -> TicketFacts | None:
        """``ticket`` reduced to what the KPIs read, as of ``as_of`` (``None``: not yet received)."""
        seen = as_of(ticket, self.as_of)
        if seen is None:
            return None
        cal = self.calendar
        received = seen.received_at
        received_us = _us(received)
        local = received.in_timezone(self._zone)
        first_response_us = first_response_work_us = None
        if seen.first_response_at is not None:
            first_response_us = _us(seen.first_response_at) - received_us
            first_response_work_us = cal.working_time(received, seen.first_response_at) // _ONE
        resolution_us = resolution_work_us = None
        if seen.resolved_at is not None:
            resolution_us = _us(seen.resolved_at) - received_us
            resolution_work_us = cal.working_time(received, seen.resolved_at) // _ONE
        commands = {event.command for event in seen.history}
        visits = seen.visits
        closed = seen.closed_at is not None and not seen.is_open
        counts = {} if self.policy is None else count_cycles(self._evaluate(self.policy, seen))
        rule = self._callback_policy()
        rule_counts = counts if rule is self.policy else count_cycles(self._evaluate(rule, seen))
        callbacks = rule_counts.get(CALLBACK_METRIC)
        met, missed = (0, 0) if callbacks is None else (callbacks.met, callbacks.breached)
        sla = tuple((name, c.met, c.breached) for name, c in counts.items())
        in_progress = tuple((name, c.in_progress) for name, c in counts.items() if c.in_progress)
        escalated = seen.escalation_level > 0
        root = seen.root_cause
        return TicketFacts(
            ticket_id=seen.id,
            customer_id=seen.customer_id,
            customer_name=seen.customer_name,
            channel=seen.channel.code,
            category=seen.category.code,
            product=None if seen.purchase is None else seen.purchase.product.model,
            priority=seen.priority.value,
            agent=seen.assignee or seen.handler or "",
            root_cause=None if root is None else root.code,
            received_us=received_us,
            local_date=local.date(),
            local_hour=local.hour,
            cancelled=seen.cancelled_at is not None,
            closed=closed,
            open=seen.is_open,
            first_response_us=first_response_us,
            first_response_work_us=first_response_work_us,
            resolution_us=resolution_us,
            resolution_work_us=resolution_work_us,
            first_contact=seen.resolved_on_first_contact,
            escalated=escalated,
            reopened=seen.reopen_count > 0,
            ever_closed=closed or seen.reopen_count > 0,
            one_touch=closed
            and not (commands & _LOOPS)
            and all(visit.visit_closes for visit in visits),
            high_impact=escalated or seen.priority is Priority.URGENT,
            score=visits[-1].score if visits else None,
            resolved=seen.first_resolved_at is not None,
            visited=bool(visits),
            callbacks_met=met,
            callbacks_missed=missed,
            sla=sla,
            key_customer=seen.customer_id in self.key_customers,
            age_us=self._as_of_us - received_us if seen.is_open else None,
            sla_in_progress=in_progress,
        )

    def _evaluate(self, policy: SlaPolicy, ticket: Ticket) -> tuple[MetricResult, ...]:
        return policy.evaluate(ticket, self.as_of).results

    def _callback_policy(self) -> SlaPolicy:
        """The policy whose ``low_score_callback`` metric is the callback rule (built once)."""
        if self._callbacks is None:
            self._callbacks = callback_policy(
                self.policy, self.calendar, self.options.callback_within
            )
        return self._callbacks

    # -- accumulating -------------------------------------------------------------------

    def add(self, ticket: Ticket) -> None:
        """Add one ticket (in the cohort, the backlog or the repeat look-back, as it falls)."""
        facts = self.facts(ticket)
        if facts is not None:
            self.add_facts(facts)

    def add_facts(self, facts: TicketFacts) -> None:
        """Add one ticket's facts (as computed by :meth:`facts` with this configuration)."""
        self._state.add(facts, self)

    def add_survey(self, response: NpsResponse) -> None:
        """Add one NPS answer; counted when its ``at`` is in the period and before ``as_of``."""
        at = _us(response.at)
        if self._start_us <= at < self._end_us and at < self._as_of_us:
            self._state.nps.add(response.score)

    def merge(self, other: ServiceKpis) -> ServiceKpis:
        """A new accumulator holding both operands' tickets (same configuration required)."""
        if not isinstance(other, ServiceKpis) or other._config() != self._config():
            message = "a ServiceKpis with another configuration; accepted: the same period, as_of, options, policy and calendar"
            raise InvalidData(f"other: {message}", problems=[("other", message)])
        merged = self.empty()
        merged._state = self._state.merge(other._state)
        return merged

    def result(self) -> KpiFigures:
        """Every figure (see :class:`KpiFigures`)."""
        return self._state.result(self)


_ONE = timedelta(microseconds=1)


class _State:
    """The counters behind :class:`ServiceKpis` (integers, histograms and buffers)."""

    _RATIOS = (
        "closure",
        "first_line",
        "escalation",
        "second_line",
        "reopen",
        "one_touch",
        "visit_coverage",
        "key_visit_coverage",
        "low_score_callback",
    )
    _DURATIONS = ("fr", "fr_cal", "res", "res_cal", "peak", "off_peak")
    _TALLIES = (
        *DIMENSIONS,
        "cancelled",
        "sla_met",
        "sla_breached",
        "sla_in_progress",
        "impact",
        "batch",
        "channel_sum",
        "channel_count",
        "ageing",
        "daily",
        "daily_closed",
    )

    def __init__(self, csat_threshold: int) -> None:
        self.received = 0
        self.backlog = 0
        self.ratios = {name: Ratio() for name in self._RATIOS}
        self.durations = {name: Durations() for name in self._DURATIONS}
        self.tallies: dict[str, Tally[Any]] = {name: Tally() for name in self._TALLIES}
        self.scores = Scores(csat_threshold=csat_threshold)
        self.nps = NpsTally()
        self.names: dict[str, tuple[int, str]] = {}
        #: (customer, category) → [(received_us, in cohort)], for repeat complaints.
        self.arrivals: dict[tuple[str, str], list[tuple[int, bool]]] = {}

    def add(self, f: TicketFacts, kpis: ServiceKpis) -> None:
        in_cohort = kpis._start_us <= f.received_us < kpis._end_us
        if f.open:
            self.backlog += 1
            bounds = kpis.options.ageing_days
            age_days = (f.age_us or 0) / (86_400 * _US)
            bucket = next((i for i, d in enumerate(bounds) if age_days < d), len(bounds))
            self.tallies["ageing"].add(bucket)
        if not f.cancelled:
            self.arrivals.setdefault((f.customer_id, f.category), []).append(
                (f.received_us, in_cohort)
            )
        if not in_cohort:
            return
        self.received += 1
        tallies = self.tallies
        tallies["daily"].add(f.local_date)
        if f.cancelled:
            tallies["cancelled"].add(f.category)
            return
        ratios = self.ratios
        ratios["closure"].add(f.closed)
        if f.closed:
            tallies["daily_closed"].add(f.local_date)
            ratios["one_touch"].add(f.one_touch)
        ratios["first_line"].add(f.first_contact)
        ratios["escalation"].add(f.escalated)
        if f.escalated:
            ratios["second_line"].add(f.closed)
        if f.ever_closed:
            ratios["reopen"].add(f.reopened)
        if f.resolved:
            ratios["visit_coverage"].add(f.visited)
            if f.key_customer:
                ratios["key_visit_coverage"].add(f.visited)
        callbacks = ratios["low_score_callback"]
        callbacks.hits += f.callbacks_met
        callbacks.total += f.callbacks_met + f.callbacks_missed
        durations = self.durations
        if f.first_response_us is not None and f.first_response_work_us is not None:
            durations["fr"].add(f.first_response_work_us)
            durations["fr_cal"].add(f.first_response_us)
            peak = f.local_hour in kpis.options.peak_hours
            durations["peak" if peak else "off_peak"].add(f.first_response_work_us)
            tallies["channel_sum"].add(f.channel, f.first_response_work_us)
            tallies["channel_count"].add(f.channel)
        if f.resolution_us is not None and f.resolution_work_us is not None:
            durations["res"].add(f.resolution_work_us)
            durations["res_cal"].add(f.resolution_us)
        if f.score is not None:
            self.scores.add(f.score)
        for metric, met, breached in f.sla:
            tallies["sla_met"].add(metric, met)
            tallies["sla_breached"].add(metric, breached)
        for metric, running in f.sla_in_progress:
            tallies["sla_in_progress"].add(metric, running)
        tallies["channel"].add(f.channel)
        tallies["category"].add(f.category)
        tallies["priority"].add(f.priority)
        tallies["agent"].add(f.agent)
        if f.product is not None:
            tallies["product"].add(f.product)
        if f.root_cause is not None:
            tallies["root_cause"].add(f.root_cause)
        if f.high_impact:
            tallies["impact"].add(f.category)
        tallies["batch"].add((f.customer_id, f.category))
        known = self.names.get(f.customer_id)
        if known is None or known < (f.received_us, f.customer_name):
            self.names[f.customer_id] = (f.received_us, f.customer_name)

    def merge(self, other: _State) -> _State:
        merged = _State(self.scores.csat_threshold)
        merged.received = self.received + other.received
        merged.backlog = self.backlog + other.backlog
        merged.ratios = {k: v.merge(other.ratios[k]) for k, v in self.ratios.items()}
        merged.durations = {k: v.merge(other.durations[k]) for k, v in self.durations.items()}
        merged.tallies = {k: v.merge(other.tallies[k]) for k, v in self.tallies.items()}
        merged.scores = self.scores.merge(other.scores)
        merged.nps = self.nps.merge(other.nps)
        merged.names = dict(self.names)
        for key, value in other.names.items():
            if key not in merged.names or merged.names[key] < value:
                merged.names[key] = value
        merged.arrivals = {k: list(v) for k, v in self.arrivals.items()}
        for pair, times in other.arrivals.items():
            merged.arrivals.setdefault(pair, []).extend(times)
        return merged

    def _repeats(self, window_us: int) -> Rate:
        hits = total = 0
        for times in self.arrivals.values():
            ordered = sorted(times)
            for index, (at, in_cohort) in enumerate(ordered):
                if not in_cohort:
                    continue
                total += 1
                if index and at - ordered[index - 1][0] <= window_us:
                    hits += 1
        return Rate(hits, total)

    def result(self, kpis: ServiceKpis) -> KpiFigures:
        options = kpis.options
        tallies = self.tallies
        counts = dict(tallies["category"].counts)
        valid = sum(counts.values())
        impact = tallies["impact"].counts
        quadrants = []
        for category, count in tallies["category"].result():
            frequency = count / valid
            share = impact.get(category, 0) / count
            quadrants.append(
                QuadrantEntry(
                    category,
                    count,
                    frequency,
                    impact.get(category, 0),
                    share,
                    classify_quadrant(
                        frequency,
                        share,
                        frequency_threshold=options.frequency_threshold,
                        impact_threshold=options.impact_threshold,
                    ),
                )
            )
        events = [
            BatchEvent("customer_batch", customer, self.names[customer][1], category, count)
            for (customer, category), count in tallies["batch"].result()
            if count >= options.batch_threshold
        ]
        for model, count in tallies["product"].result():
            units = kpis.installed_base.get(model)
            if units and count / units >= options.failure_rate_threshold:
                events.append(BatchEvent("failure_rate", model, model, None, count, count / units))
        sums = tallies["channel_sum"].counts
        channel_response = tuple(
            ChannelResponse(channel, n, timedelta(microseconds=round(sums[channel] / n)))
            for channel, n in tallies["channel_count"].result()
        )
        met, breached = tallies["sla_met"].counts, tallies["sla_breached"].counts
        running = tallies["sla_in_progress"].counts
        sla = tuple(
            SlaAchievement(
                metric,
                met.get(metric, 0),
                breached.get(metric, 0),
                in_progress=running.get(metric, 0),
            )
            for metric in sorted(set(met) | set(breached) | set(running))
        )
        bounds = options.ageing_days
        names = [f"<{bounds[0]}d"]
        names += [f"{a}–{b}d" for a, b in pairwise(bounds)]
        names.append(f"≥{bounds[-1]}d")
        ageing_counts = tallies["ageing"].counts
        closed_by_day = tallies["daily_closed"].counts
        daily = tuple(
            (day, n, closed_by_day.get(day, 0))
            for day, n in sorted(tallies["daily"].counts.items())
        )
        ratios = self.ratios
        durations = self.durations
        return KpiFigures(
            period=kpis.period,
            as_of=kpis.as_of,
            received=self.received,
            cancelled=sum(tallies["cancelled"].counts.values()),
            closure=ratios["closure"].result(),
            first_line=ratios["first_line"].result(),
            escalation=ratios["escalation"].result(),
            second_line=ratios["second_line"].result(),
            reopen=ratios["reopen"].result(),
            repeat=self._repeats(options.repeat_window // _ONE),
            one_touch=ratios["one_touch"].result(),
            first_response=durations["fr"].result(),
            first_response_calendar=durations["fr_cal"].result(),
            resolution=durations["res"].result(),
            resolution_calendar=durations["res_cal"].result(),
            sla=sla,
            satisfaction=self.scores.result(),
            nps=self.nps.result(),
            visit_coverage=ratios["visit_coverage"].result(),
            key_visit_coverage=ratios["key_visit_coverage"].result(),
            low_score_callback=ratios["low_score_callback"].result(),
            channel_response=channel_response,
            channel_consistency=formulas.coefficient_of_variation(
                [c.mean / timedelta(seconds=1) for c in channel_response]
            ),
            peak=PeakResponse(durations["peak"].result(), durations["off_peak"].result()),
            backlog=self.backlog,
            ageing=tuple((name, ageing_counts.get(i, 0)) for i, name in enumerate(names)),
            volumes={name: tallies[name].result() for name in DIMENSIONS},
            daily=daily,
            top=tallies["category"].top(options.top_n),
            quadrants=tuple(quadrants),
            events=tuple(events),
        )


class KpiGroups:
    """:class:`ServiceKpis` per value of a dimension or per day / ISO week / month.

    ``by`` is one of :data:`DIMENSIONS` or ``"day"``, ``"week"``, ``"month"``
    (the local date of receipt, in the period's zone). Each group is a
    :class:`ServiceKpis` with the template's configuration holding the tickets
    of its key: its cohort, backlog and repeat look-back see only those
    tickets (a repeat complaint that came in through another channel is not
    seen by the channel groups; the overall figure sees it).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> groups = KpiGroups(ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC")), "channel")
        >>> groups.add(sample_ticket())
        >>> {key: figures.received for key, figures in groups.result().items()}
        {'phone': 1}
    """

    def __init__(self, template: ServiceKpis, by: str) -> None:
        check.instance_of(ServiceKpis)(template, "template")
        if not isinstance(by, str) or by not in (*DIMENSIONS, "day", "week", "month"):
            from aftersales.errors import UnknownValue

            raise UnknownValue("by", by, (*DIMENSIONS, "day", "week", "month"))
        self.template = template.empty()
        self.by = by
        self.groups: dict[str, ServiceKpis] = {}

    def key(self, facts: TicketFacts) -> str:
        """The group of one ticket's facts."""
        if self.by in ("day", "week", "month"):
            return Period.of_date(self.by, facts.local_date, self.template.period.tz).label  # type: ignore[arg-type]
        value = getattr(facts, self.by)
        return "" if value is None else str(value)

    def add(self, ticket: Ticket) -> None:
        """Add one ticket to its group."""
        facts = self.template.facts(ticket)
        if facts is not None:
            self.add_facts(facts)

    def add_facts(self, facts: TicketFacts) -> None:
        """Add one ticket's facts to its group."""
        key = self.key(facts)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = self.template.empty()
        group.add_facts(facts)

    def merge(self, other: KpiGroups) -> KpiGroups:
        """A new grouping with each key's accumulators merged."""
        if not isinstance(other, KpiGroups) or other.by != self.by:
            message = f"{other!r} groups otherwise; accepted: KpiGroups by {self.by!r}"
            raise InvalidData(f"other: {message}", problems=[("other", message)])
        merged = KpiGroups(self.template, self.by)
        keys: set[str] = set(self.groups) | set(other.groups)
        for key in keys:
            a = self.groups.get(key) or self.template.empty()
            b = other.groups.get(key) or self.template.empty()
            merged.groups[key] = a.merge(b)
        return merged

    def result(self) -> dict[str, KpiFigures]:
        """``{key: figures}`` in key order."""
        return {key: self.groups[key].result() for key in sorted(self.groups)}
