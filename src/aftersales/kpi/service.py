"""The KPIs of the monthly report (DOMAIN §5), as one mergeable accumulator.

:class:`ServiceKpis` takes tickets (``add``), merges with another partition
(``merge``) and gives every figure at once (``result`` → :class:`~aftersales.kpi.KpiFigures`).
Each ticket is first reduced to its :class:`~aftersales.kpi.TicketFacts` *as of*
an instant ``at`` (by default the end of the period): events at or after it are
ignored, so a report on October gives the same figures in November as on 1 November.

Populations (see ``docs/kpi.md`` for every formula):

* the **cohort**: tickets *received* in the period (``start <= received_at <
  end``); cancelled ones count in the volume but in no rate;
* the **backlog**: every ticket received before ``at`` and still open at
  ``at``, whatever period it came in;
* **complaints** (:func:`aftersales.priority.is_complaint`: the ticket type
  when recorded, else every ticket but a consultation) are the population of
  the closure rate, the repeat complaints and the batch complaints;
* **repeat complaints** look back ``repeat_window`` before each cohort
  complaint, so feed the tickets of that window too (they count nowhere else);
* **NPS** comes from survey answers (:class:`~aftersales.kpi.NpsResponse`
  or the ``nps`` of a :class:`~aftersales.kpi.SurveyResponse`, ``add_survey``)
  whose ``at`` falls in the period; a ``SurveyResponse`` also counts in
  ``KpiFigures.surveys`` (:mod:`~aftersales.kpi.survey_counts`: its
  satisfaction, by dimension, its comment by feedback class); **key
  customers** are a set of customer ids given to the constructor.

The options, survey answers, facts and figures live in their own modules
(:mod:`~aftersales.kpi.options`, :mod:`~aftersales.kpi.surveys`,
:mod:`~aftersales.kpi.facts`, :mod:`~aftersales.kpi.figures`) and
:class:`~aftersales.kpi.KpiGroups` in :mod:`~aftersales.kpi.groups`; importing
them from here still works for one release, with a :class:`DeprecationWarning`.
This module reaches them through their modules (``figures.KpiFigures``) so
that it never binds those names itself.

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

from collections.abc import Collection
from datetime import datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from aftersales import _checks as check
from aftersales._lazy import lazy_attributes
from aftersales._renamed import renamed_attribute, renamed_keywords
from aftersales._shown import shown
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.kpi import facts as kpi_facts
from aftersales.kpi import figures, formulas
from aftersales.kpi import options as kpi_options
from aftersales.kpi import summary as kpi_summary
from aftersales.kpi import surveys as kpi_surveys
from aftersales.kpi.accumulators import Durations, NpsTally, Rate, Ratio, Scores, Tally
from aftersales.kpi.dimension_scores import DimensionScores
from aftersales.kpi.periods import Period
from aftersales.kpi.substatus_time import SubstatusWaits
from aftersales.kpi.survey_counts import SurveyCounts
from aftersales.model.ticket import Ticket
from aftersales.sla import SlaPolicy

if TYPE_CHECKING:
    from aftersales.kpi.facts import TicketFacts
    from aftersales.kpi.figures import KpiFigures
    from aftersales.kpi.options import KpiOptions
    from aftersales.kpi.summary import FactsSummary
    from aftersales.kpi.surveys import NpsResponse, SurveyResponse

__all__ = ["ServiceKpis"]

_US = 1_000_000
_ONE = timedelta(microseconds=1)


def _us(at: datetime) -> int:
    return WorkCalendar.epoch_us(at)


class ServiceKpis:
    """Every KPI of one period as a mergeable accumulator over tickets.

    Args:
        period: the period whose received tickets form the cohort.
        calendar: the working calendar (working-time durations, local dates and hours).
        policy: the SLA policy for SLA achievement (``None``: no SLA figures).
        at: the instant the figures are taken at (default: the period's end).
        options: the configurable definitions (:class:`~aftersales.kpi.KpiOptions`).
        key_customers: ids of the key customers (for their return-visit coverage).
        installed_base: units in service per product model, for failure rates.

    ``add(ticket)`` / ``add_facts(facts)`` / ``add_survey(response)``;
    ``merge(other)`` returns a new accumulator (both must have the same
    configuration); ``result()`` → :class:`~aftersales.kpi.KpiFigures`.

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

    @renamed_keywords(as_of="at")
    def __init__(
        self,
        period: Period,
        calendar: WorkCalendar,
        *,
        policy: SlaPolicy | None = None,
        at: datetime | None = None,
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
        self.at = check.aware(period.end if at is None else at, "at")
        self.options = options or kpi_options.KpiOptions()
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
        self._at_us = _us(self.at)
        self._state = _State(self.options.csat_threshold)
        self._reader = kpi_facts.FactsReader(
            at=self.at,
            calendar=calendar,
            tz=period.tz,
            policy=policy,
            callback_within=self.options.callback_within,
            key_customers=self.key_customers,
        )

    # -- configuration ------------------------------------------------------------------

    def _config(self) -> tuple[Any, ...]:
        return (
            self.period,
            self.at,
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
            at=self.at,
            options=self.options,
            key_customers=self.key_customers,
            installed_base=self.installed_base,
        )

    as_of = renamed_attribute("at")

    # -- facts --------------------------------------------------------------------------

    def facts(self, ticket: Ticket) -> TicketFacts | None:
        """``ticket`` reduced to what the KPIs read, as of ``at`` (``None``: not yet received)."""
        return self._reader.facts(ticket)

    # -- accumulating -------------------------------------------------------------------

    def add(self, ticket: Ticket) -> None:
        """Add one ticket (in the cohort, the backlog or the repeat look-back, as it falls)."""
        facts = self.facts(ticket)
        if facts is not None:
            self.add_facts(facts)

    def add_facts(self, facts: TicketFacts, *, arrival: bool = True) -> None:
        """Add one ticket's facts (as computed by :meth:`facts` with this configuration).

        ``arrival=False`` leaves the ticket out of the repeat-complaint
        look-back: for a ticket whose arrival an absorbed summary already holds.
        """
        self._state.add(facts, self, arrival=arrival)

    def absorb(self, summary: FactsSummary) -> None:
        """Add the counters a store aggregated from its facts (see :mod:`aftersales.kpi.summary`).

        An accumulator that absorbed settled repeat complaints cannot be merged.
        """
        kpi_summary.absorb(self._state, summary)

    def add_arrival(self, customer_id: str, category: str, received_us: int) -> None:
        """Note one complaint's arrival for repeat complaints only (a ticket seen for nothing else)."""
        in_cohort = self._start_us <= received_us < self._end_us
        self._state.arrivals.setdefault((customer_id, category), []).append(
            (received_us, in_cohort)
        )

    def summary(self, *, settle: bool) -> FactsSummary:
        """The counters as a :class:`~aftersales.kpi.summary.FactsSummary` (repeats settled or not)."""
        window_us = self.options.repeat_window // _ONE
        return kpi_summary.summarize(self._state, settle=settle, window_us=window_us)

    @property
    def facts_key(self) -> str:
        """The fingerprint of the configuration the facts are computed under (:mod:`aftersales.readmodel.fingerprint`)."""
        return self._reader.rules.key

    def add_survey(self, response: NpsResponse | SurveyResponse) -> None:
        """Add one NPS answer or answered survey; counted when its ``at`` is in the period and before the figures' ``at``."""
        if not isinstance(response, kpi_surveys.NpsResponse | kpi_surveys.SurveyResponse):
            message = (
                f"{type(response).__name__} is not a survey answer; accepted: an NpsResponse or"
                " a SurveyResponse"
            )
            raise InvalidData(f"response: {message}", problems=[("response", message)])
        answered = _us(response.at)
        if not (self._start_us <= answered < self._end_us and answered < self._at_us):
            return
        if isinstance(response, kpi_surveys.SurveyResponse):
            self._state.surveys.add(response)
            if response.nps is not None:
                self._state.nps.add(response.nps)
        else:
            self._state.nps.add(response.score)

    def merge(self, other: ServiceKpis) -> ServiceKpis:
        """A new accumulator holding both operands' tickets (same configuration required)."""
        if not isinstance(other, ServiceKpis) or other._config() != self._config():
            message = "a ServiceKpis with another configuration; accepted: the same period, at, options, policy and calendar"
            raise InvalidData(f"other: {message}", problems=[("other", message)])
        if self._state.absorbed or other._state.absorbed:
            message = "an accumulator that absorbed settled repeat complaints; accepted: partitions that did not"
            raise InvalidData(f"other: {message}", problems=[("other", message)])
        merged = self.empty()
        merged._state = self._state.merge(other._state)
        return merged

    def result(self) -> KpiFigures:
        """Every figure (see :class:`~aftersales.kpi.KpiFigures`)."""
        return self._state.result(self)


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
        *figures.DIMENSIONS,
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
        self.dimensions = DimensionScores(csat_threshold=csat_threshold)
        self.nps = NpsTally()
        self.surveys = SurveyCounts(csat_threshold=csat_threshold)
        self.names: dict[str, tuple[int, str]] = {}
        #: (customer, category) → [(received_us, in cohort)], for repeat complaints.
        self.arrivals: dict[tuple[str, str], list[tuple[int, bool]]] = {}
        #: repeat complaints settled by an absorbed summary: [hits, total].
        self.settled = [0, 0]
        self.absorbed = False
        self.substatuses = SubstatusWaits()

    def add(self, f: TicketFacts, kpis: ServiceKpis, *, arrival: bool = True) -> None:
        in_cohort = kpis._start_us <= f.received_us < kpis._end_us
        if f.open:
            self.backlog += 1
            bounds = kpis.options.ageing_days
            age_days = (f.age_us or 0) / (86_400 * _US)
            bucket = next((i for i, d in enumerate(bounds) if age_days < d), len(bounds))
            self.tallies["ageing"].add(bucket)
        if arrival and not f.cancelled and f.complaint:
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
        if f.complaint:
            ratios["closure"].add(f.closed)
            tallies["batch"].add((f.customer_id, f.category))
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
        if f.dimensions:
            self.dimensions.add(f.dimensions)
        if f.substatuses:
            self.substatuses.add(f.substatuses)
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
        if f.ticket_type is not None:
            tallies["ticket_type"].add(f.ticket_type)
        if f.high_impact:
            tallies["impact"].add(f.category)
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
        merged.dimensions = self.dimensions.merge(other.dimensions)
        merged.nps = self.nps.merge(other.nps)
        merged.surveys = self.surveys.merge(other.surveys)
        merged.substatuses = self.substatuses.merge(other.substatuses)
        merged.names = dict(self.names)
        for key, value in other.names.items():
            if key not in merged.names or merged.names[key] < value:
                merged.names[key] = value
        merged.arrivals = {k: list(v) for k, v in self.arrivals.items()}
        for pair, times in other.arrivals.items():
            merged.arrivals.setdefault(pair, []).extend(times)
        return merged

    def _repeats(self, window_us: int) -> Rate:
        hits, total = self.repeat_counts(window_us)
        return Rate(hits + self.settled[0], total + self.settled[1])

    def repeat_counts(self, window_us: int) -> tuple[int, int]:
        """Repeat complaints among the arrivals held: ``(hits, cohort arrivals)``."""
        hits = total = 0
        for times in self.arrivals.values():
            ordered = sorted(times)
            for index, (at, in_cohort) in enumerate(ordered):
                if not in_cohort:
                    continue
                total += 1
                if index and at - ordered[index - 1][0] <= window_us:
                    hits += 1
        return hits, total

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
                figures.QuadrantEntry(
                    category,
                    count,
                    frequency,
                    impact.get(category, 0),
                    share,
                    figures.classify_quadrant(
                        frequency,
                        share,
                        frequency_threshold=options.frequency_threshold,
                        impact_threshold=options.impact_threshold,
                    ),
                )
            )
        events = [
            figures.BatchEvent("customer_batch", customer, self.names[customer][1], category, count)
            for (customer, category), count in tallies["batch"].result()
            if count >= options.batch_threshold
        ]
        for model, count in tallies["product"].result():
            units = kpis.installed_base.get(model)
            if units and count / units >= options.failure_rate_threshold:
                events.append(
                    figures.BatchEvent("failure_rate", model, model, None, count, count / units)
                )
        sums = tallies["channel_sum"].counts
        channel_response = tuple(
            figures.ChannelResponse(channel, n, timedelta(microseconds=round(sums[channel] / n)))
            for channel, n in tallies["channel_count"].result()
        )
        met, breached = tallies["sla_met"].counts, tallies["sla_breached"].counts
        running = tallies["sla_in_progress"].counts
        sla = tuple(
            figures.SlaAchievement(
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
        return figures.KpiFigures(
            period=kpis.period,
            at=kpis.at,
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
            satisfaction_by_dimension=self.dimensions.result(),
            nps=self.nps.result(),
            surveys=self.surveys.result(),
            visit_coverage=ratios["visit_coverage"].result(),
            key_visit_coverage=ratios["key_visit_coverage"].result(),
            low_score_callback=ratios["low_score_callback"].result(),
            channel_response=channel_response,
            channel_consistency=formulas.coefficient_of_variation(
                [c.mean / timedelta(seconds=1) for c in channel_response]
            ),
            peak=figures.PeakResponse(durations["peak"].result(), durations["off_peak"].result()),
            backlog=self.backlog,
            ageing=tuple((name, ageing_counts.get(i, 0)) for i, name in enumerate(names)),
            volumes={name: tallies[name].result() for name in figures.DIMENSIONS},
            daily=daily,
            top=tallies["category"].top(options.top_n),
            quadrants=tuple(quadrants),
            events=tuple(events),
            substatuses=self.substatuses.result(),
        )


#: Where the names that moved out of this module live now (old path: a DeprecationWarning).
__getattr__ = lazy_attributes(
    __name__,
    {},
    deprecated={
        "DIMENSIONS": "aftersales.kpi.figures:DIMENSIONS",
        "BatchEvent": "aftersales.kpi.figures:BatchEvent",
        "ChannelResponse": "aftersales.kpi.figures:ChannelResponse",
        "KpiFigures": "aftersales.kpi.figures:KpiFigures",
        "KpiGroups": "aftersales.kpi.groups:KpiGroups",
        "KpiOptions": "aftersales.kpi.options:KpiOptions",
        "NpsResponse": "aftersales.kpi.surveys:NpsResponse",
        "PeakResponse": "aftersales.kpi.figures:PeakResponse",
        "Quadrant": "aftersales.kpi.figures:Quadrant",
        "QuadrantEntry": "aftersales.kpi.figures:QuadrantEntry",
        "SlaAchievement": "aftersales.kpi.figures:SlaAchievement",
        "TicketFacts": "aftersales.kpi.facts:TicketFacts",
        "as_of": "aftersales.kpi.facts:as_of",
        "classify_quadrant": "aftersales.kpi.figures:classify_quadrant",
    },
)
