"""KPI formulas, periods and the ServiceKpis accumulator.

Expected figures are derived by hand from the stories below (or from the
standard library's ``statistics`` as an independent reference), never copied
from the code's output.
"""

from __future__ import annotations

import random
import statistics
from datetime import date, timedelta
from functools import reduce

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    InvalidData,
    Priority,
    ProblemCategory,
    ScoreOutOfRange,
    ServiceDesk,
    SolutionStep,
    UnknownValue,
    WorkCalendar,
    is_complaint,
)
from aftersales.kpi import (
    Durations,
    KpiGroups,
    KpiOptions,
    NpsResponse,
    NpsTally,
    Period,
    Quadrant,
    Rate,
    Ratio,
    Scores,
    ServiceKpis,
    Tally,
    as_of,
    classify_quadrant,
    csat,
    nps,
    percentile,
)
from aftersales.sla import SlaPolicy
from aftersales.testing.strategies import tickets

TZ = "Asia/Shanghai"
FAST = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))


def at(month: int, day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=TZ)


#: The desks' clock in the stories: after every event, which are all back-dated with ``at=``.
LATE = at(12, 31, 23)


# -- formulas -------------------------------------------------------------------------


def test_nps_is_promoters_minus_detractors_in_percent() -> None:
    # 3 promoters (10, 9, 9), 2 passives (8, 7), 2 detractors (6, 0) of 7
    assert nps([10, 9, 9, 8, 7, 6, 0]) == pytest.approx(100 * (3 - 2) / 7)
    assert nps([9] * 4) == 100.0
    assert nps([6, 0]) == -100.0
    assert nps([]) is None
    with pytest.raises(ScoreOutOfRange, match="accepted: an integer from 0 to 10"):
        nps([5, -1])


@given(st.lists(st.integers(0, 10), min_size=1))
def test_nps_stays_in_range_and_matches_the_tally(scores: list[int]) -> None:
    value = nps(scores)
    assert value is not None
    assert -100 <= value <= 100
    stats = NpsTally.of(scores).result()
    assert stats.promoters + stats.passives + stats.detractors == len(scores)
    assert stats.score == pytest.approx(value)


def test_csat_counts_the_top_two_boxes_by_default() -> None:
    assert csat([5, 4, 3, 2, 1]) == 40.0
    assert csat([5, 4, 3, 2, 1], threshold=3) == 60.0
    assert csat([]) is None
    with pytest.raises(ScoreOutOfRange):
        csat([0])
    with pytest.raises(ScoreOutOfRange):
        csat([4], threshold=6)


@given(st.lists(st.integers(0, 10**9), min_size=2, max_size=60))
def test_percentile_agrees_with_the_statistics_module(values: list[int]) -> None:
    ordered = sorted(values)
    assert percentile(ordered, 0.5) == pytest.approx(statistics.median(values))
    p90 = statistics.quantiles(values, n=10, method="inclusive")[8]
    assert percentile(ordered, 0.9) == pytest.approx(p90, rel=1e-9, abs=1e-6)


def test_percentile_refuses_a_quantile_outside_zero_to_one() -> None:
    with pytest.raises(InvalidData, match="accepted: a number from 0 to 1"):
        percentile([1, 2], 1.5)
    assert percentile([], 0.5) is None


def test_rate_refuses_impossible_proportions() -> None:
    with pytest.raises(InvalidData, match="0 <= numerator <= denominator"):
        Rate(3, 2)
    assert Rate(1, 4).percent == 25.0


# -- generic accumulators ---------------------------------------------------------------


@given(st.lists(st.integers(0, 10**12), max_size=40), st.data())
def test_durations_merge_in_any_split_equals_one_pass(values: list[int], data) -> None:
    cut = data.draw(st.integers(0, len(values)))
    a, b, whole = Durations(values[:cut]), Durations(values[cut:]), Durations(values)
    assert a.merge(b).result() == b.merge(a).result() == whole.result()
    assert a.values == values[:cut]  # merging leaves the operands alone


@given(st.lists(st.booleans()), st.lists(st.booleans()), st.lists(st.booleans()))
def test_ratio_merge_is_associative_and_commutative(x, y, z) -> None:
    def of(flags: list[bool]) -> Ratio:
        ratio = Ratio()
        for flag in flags:
            ratio.add(flag)
        return ratio

    a, b, c = of(x), of(y), of(z)
    left = a.merge(b).merge(c).result()
    assert left == a.merge(b.merge(c)).result() == c.merge(a).merge(b).result()
    assert left == Rate(sum(x + y + z), len(x + y + z))


def test_scores_and_tallies_refuse_mismatched_merges() -> None:
    with pytest.raises(InvalidData, match="csat_threshold"):
        Scores(csat_threshold=4).merge(Scores(csat_threshold=5))
    with pytest.raises(InvalidData, match="cannot be merged"):
        Ratio().merge(Tally())  # type: ignore[arg-type]
    with pytest.raises(ScoreOutOfRange):
        Scores().add(6)
    tally = Tally[str]()
    for key in "abcab":
        tally.add(key)
    assert tally.top(2) == (("a", 2), ("b", 2))


# -- periods ------------------------------------------------------------------------------


def test_month_boundaries_are_local_midnights() -> None:
    october = Period.parse("2026-10", TZ)
    assert october.contains(at(10, 31, 23, 59))
    assert not october.contains(at(11, 1, 0, 0))
    assert october.contains(pendulum.datetime(2026, 9, 30, 16, 0, tz="UTC"))  # 00:00 in Shanghai
    assert (october.days, october.previous().label, october.next().label) == (
        31,
        "2026-09",
        "2026-11",
    )


def test_iso_weeks_cross_years() -> None:
    week = Period.parse("2026-W53", "UTC")
    assert (week.first, week.last) == (date(2026, 12, 28), date(2027, 1, 3))
    assert week.next().label == "2027-W01"
    with pytest.raises(InvalidData, match="accepted: a Monday"):
        Period("week", date(2026, 10, 13), "UTC")
    with pytest.raises(UnknownValue):
        Period("fortnight", date(2026, 10, 1), "UTC")  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="known time zone"):
        Period.parse("2026-10", "Mars/Olympus")


@given(
    st.sampled_from(["day", "week", "month", "quarter", "year"]),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.sampled_from(["UTC", TZ, "America/New_York", "Europe/Berlin"]),
)
def test_periods_tile_time(kind, day, tz) -> None:
    period = Period.of_date(kind, day, tz)
    assert period.first <= day <= period.last
    assert period.next().previous() == period
    assert period.end == period.next().start
    assert period.contains(period.start)
    assert not period.contains(period.end)
    assert Period.parse(period.label, tz) == period


# -- the service KPIs on hand-built stories ------------------------------------------------

_ACME = Customer(id="C1", name="ACME")
_BETA = Customer(id="C2", name="Beta")
_GAMMA = Customer(id="C3", name="Gamma")


def _story(calendar: WorkCalendar | None = None) -> ServiceDesk:
    """Five tickets; the figures expected from them are worked out in each test."""
    desk = ServiceDesk(clock=FixedClock(LATE))

    # T5: Beta, consultation, 25 Sep (before October): context for repeats only.
    desk.open_ticket(
        ticket_id="T5",
        customer=_BETA,
        channel=Channel.WECHAT,
        category=ProblemCategory.CONSULTATION,
        description="怎么开机",
        occurred_at=at(9, 25, 8),
        by="a",
        priority=Priority.GENERAL,
        at=at(9, 25, 9),
    )
    desk.resolve_on_first_contact("T5", by="a", answer="长按电源键", at=at(9, 25, 9))
    desk.record_visit("T5", by="v", resolved=True, score=5, at=at(9, 26, 9))

    # T1: ACME, product quality, urgent; first response 20 min, resolved 4 h, visit 5.
    desk.open_ticket(
        ticket_id="T1",
        customer=_ACME,
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="死机",
        occurred_at=at(10, 5, 9),
        by="李工",
        priority=Priority.URGENT,
        at=at(10, 5, 10),
    )
    desk.acknowledge("T1", by="李工", at=at(10, 5, 10, 20))
    desk.record_analysis("T1", by="李工", finding="内存", at=at(10, 5, 11))
    desk.propose_solution(
        "T1",
        by="李工",
        summary="换内存",
        steps=[SolutionStep("换", "王", at(10, 6, 9))],
        at=at(10, 5, 11),
    )
    desk.record_agreement("T1", by="李工", words="好", at=at(10, 5, 11))
    desk.finish_execution("T1", by="王", summary="已换", at=at(10, 5, 14))
    desk.record_visit("T1", by="v", resolved=True, score=5, at=at(10, 6, 10))

    # T2: Beta, consultation again 11 days after T5 (a repeat); first contact in 10 min; visit 4.
    desk.open_ticket(
        ticket_id="T2",
        customer=_BETA,
        channel=Channel.WECHAT,
        category=ProblemCategory.CONSULTATION,
        description="怎么关机",
        occurred_at=at(10, 6, 8),
        by="a",
        priority=Priority.GENERAL,
        at=at(10, 6, 9),
    )
    desk.resolve_on_first_contact("T2", by="a", answer="长按", at=at(10, 6, 9, 10))
    desk.record_visit("T2", by="v", resolved=True, score=4, at=at(10, 7, 9))

    # T3: ACME, product quality again 15 days after T1 (a repeat); acknowledged after 60 min,
    # escalated, still open at the end of October.
    desk.open_ticket(
        ticket_id="T3",
        customer=_ACME,
        channel=Channel.EMAIL,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="又死机",
        occurred_at=at(10, 20, 10),
        by="李工",
        priority=Priority.IMPORTANT,
        at=at(10, 20, 11),
    )
    desk.acknowledge("T3", by="李工", at=at(10, 20, 12))
    desk.escalate("T3", by="李工", reason="批次", to="二线", at=at(10, 20, 12))
    # ... and closed in November, which an October report must not see.
    desk.record_analysis("T3", by="赵工", finding="芯片", at=at(11, 2, 9))
    desk.resolve_on_first_contact("T3", by="赵工", answer="远程修复", at=at(11, 2, 10))
    desk.record_visit("T3", by="v", resolved=True, score=1, at=at(11, 3, 9))

    # T4: Gamma, a duplicate, cancelled.
    desk.open_ticket(
        ticket_id="T4",
        customer=_GAMMA,
        channel=Channel.PHONE,
        category=ProblemCategory.SERVICE_ATTITUDE,
        description="重复",
        occurred_at=at(10, 21, 8),
        by="a",
        priority=Priority.GENERAL,
        at=at(10, 21, 9),
    )
    desk.cancel("T4", by="a", reason="重复", at=at(10, 21, 9, 5))
    return desk


def _october(desk: ServiceDesk, **kwargs) -> ServiceKpis:
    kpis = ServiceKpis(Period.parse("2026-10", TZ), WorkCalendar.always(TZ), **kwargs)
    for ticket in desk.find():
        kpis.add(ticket)
    return kpis


def test_october_figures_of_the_story() -> None:
    figures = _october(_story(), key_customers={"C1"}).result()
    assert (figures.received, figures.cancelled, figures.valid) == (4, 1, 3)
    # closure counts complaints: T1 closed, T3 open on 31 Oct; T2 is a consultation
    assert figures.closure == Rate(1, 2)
    assert figures.first_line == Rate(1, 3)  # T2
    assert figures.escalation == Rate(1, 3)  # T3
    assert figures.second_line == Rate(0, 1)  # T3 not yet closed
    assert figures.repeat == Rate(1, 2)  # T3 (after T1); T2 after T5: consultations, no complaints
    assert figures.reopen == Rate(0, 2)
    assert figures.one_touch == Rate(2, 2)
    # first responses 20, 10 and 60 minutes (24×7 calendar: working = calendar time)
    fr = figures.first_response
    assert (fr.count, fr.mean, fr.median) == (3, timedelta(minutes=30), timedelta(minutes=20))
    assert fr.p90 == timedelta(minutes=20 + 0.8 * 40)  # h = 2 × 0.9 = 1.8
    assert figures.first_response_calendar == fr
    assert figures.resolution.count == 2  # T1 4 h, T2 10 min
    assert figures.resolution.mean == timedelta(minutes=(240 + 10) / 2)
    assert (figures.satisfaction.count, figures.satisfaction.mean) == (2, 4.5)
    assert figures.satisfaction.csat == 100.0
    assert figures.visit_coverage == Rate(2, 2)
    assert figures.key_visit_coverage == Rate(1, 1)  # ACME's T1 (T3 not resolved yet)
    assert figures.backlog == 1  # T3
    assert dict(figures.ageing)["7–30d"] == 1  # 11 days 13 h old on 1 Nov
    assert dict(figures.volumes["channel"]) == {"phone": 1, "wechat": 1, "email": 1}
    assert figures.top[0] == ("product_quality", 2)
    assert [c.channel for c in figures.channel_response] == ["email", "phone", "wechat"]


def test_a_later_report_sees_november_but_october_never_changes() -> None:
    desk = _story()
    october = _october(desk).result()
    late = _october(desk, at=at(11, 30, 0)).result()
    # T3 was resolved in November but the score-1 visit sent it back to analysis
    assert late.closure == Rate(1, 2)  # T1 of the complaints T1 and T3
    assert late.second_line == Rate(0, 1)
    assert late.resolution.count == 3
    assert late.satisfaction.distribution == (1, 0, 0, 1, 1)
    assert late.low_score_callback == Rate(0, 1)  # the score-1 visit was never called back
    assert october.low_score_callback == Rate(0, 0)
    assert october.resolution.count == 2
    assert late.backlog == 1


def test_working_time_differs_from_calendar_time_over_a_weekend() -> None:
    office = WorkCalendar(TZ, {d: [("09:00", "18:00")] for d in range(5)})
    desk = ServiceDesk(clock=FixedClock(LATE))
    desk.open_ticket(
        ticket_id="W1",
        customer=_ACME,
        channel=Channel.PHONE,
        category=ProblemCategory.CONSULTATION,
        description="周末前",
        occurred_at=at(10, 9, 17),
        by="a",
        priority=Priority.GENERAL,
        at=at(10, 9, 17, 30),  # Friday 17:30
    )
    desk.acknowledge("W1", by="a", at=at(10, 12, 9, 30))  # Monday 09:30
    kpis = ServiceKpis(Period.parse("2026-10", TZ), office)
    kpis.add(desk.get("W1"))
    figures = kpis.result()
    assert figures.first_response.mean == timedelta(hours=1)  # 17:30–18:00 + 09:00–09:30
    assert figures.first_response_calendar.mean == timedelta(hours=64)
    assert figures.peak.off_peak.count == 1  # received at 17:xx, outside peak hours


def test_sla_achievement_counts_met_and_breached_cycles() -> None:
    policy = SlaPolicy.default(WorkCalendar.always(TZ))
    figures = _october(_story(), policy=policy).result()
    first_response = figures.sla_for("first_response")
    # urgent T1 answered in 20 of 30 min; general T2 in 10 min of 4 h; important T3 in 60 of 120 min
    assert first_response is not None
    assert (first_response.achieved, first_response.breached) == (3, 0)
    assert first_response.rate.percent == 100.0


def test_low_score_callback_within_48_hours() -> None:
    desk = ServiceDesk(clock=FixedClock(LATE))
    for tid, callback_hours in (("L1", 47), ("L2", 49)):
        desk.open_ticket(
            ticket_id=tid,
            customer=_ACME,
            channel=Channel.PHONE,
            category=ProblemCategory.CONSULTATION,
            description="x",
            occurred_at=at(10, 1, 8),
            by="a",
            priority=Priority.GENERAL,
            at=at(10, 1, 9),
        )
        desk.resolve_on_first_contact(tid, by="a", answer="y", at=at(10, 1, 10))
        desk.record_visit(tid, by="v", resolved=True, score=2, at=at(10, 2, 10))
        desk.record_contact(
            tid,
            by="主管",
            channel=Channel.PHONE,
            summary="回电",
            at=at(10, 2, 10).add(hours=callback_hours),
        )
    figures = _october(desk).result()
    assert figures.low_score_callback == Rate(1, 2)
    assert figures.satisfaction.csat == 0.0


def test_batch_complaints_and_failure_rates_are_flagged() -> None:
    desk = ServiceDesk(clock=FixedClock(LATE))
    for n in range(6):
        desk.open_ticket(
            ticket_id=f"B{n}",
            customer=_ACME,
            channel=Channel.PHONE,
            category=ProblemCategory.PRODUCT_QUALITY,
            description="批量黑屏",
            occurred_at=at(10, 1, 8),
            by="a",
            priority=Priority.URGENT,
            at=at(10, 1 + n, 9),
        )
    desk.open_ticket(
        ticket_id="O1",
        customer=_BETA,
        channel=Channel.PHONE,
        category=ProblemCategory.CONSULTATION,
        description="咨询",
        occurred_at=at(10, 1, 8),
        by="a",
        priority=Priority.GENERAL,
        at=at(10, 9, 9),
    )
    figures = _october(desk).result()
    batch = [e for e in figures.events if e.kind == "customer_batch"]
    assert [(e.key, e.name, e.category, e.count) for e in batch] == [
        ("C1", "ACME", "product_quality", 6)
    ]
    quadrants = {q.category: q.quadrant for q in figures.quadrants}
    # product quality: 6 of 7 tickets, all urgent; consultation: 1 of 7, not urgent
    assert quadrants == {"product_quality": Quadrant.HANDLE_FIRST, "consultation": Quadrant.DEFER}
    strict = _october(desk, options=KpiOptions(batch_threshold=7)).result()
    assert not strict.events


def test_quadrant_thresholds_are_inclusive() -> None:
    kw = {"frequency_threshold": 0.05, "impact_threshold": 0.5}
    assert classify_quadrant(0.05, 0.5, **kw) == Quadrant.HANDLE_FIRST
    assert classify_quadrant(0.05, 0.49, **kw) == Quadrant.PLAN
    assert classify_quadrant(0.04, 0.5, **kw) == Quadrant.SPECIAL
    assert Quadrant.label(Quadrant.PLAN, "zh") == "高频低影响·计划改进"


def test_nps_comes_from_survey_answers_in_the_period() -> None:
    kpis = ServiceKpis(Period.parse("2026-10", TZ), WorkCalendar.always(TZ))
    for score, day in ((10, 3), (9, 4), (3, 5), (0, 31)):
        kpis.add_survey(NpsResponse(customer_id="C1", score=score, at=at(10, day, 12)))
    kpis.add_survey(NpsResponse(customer_id="C1", score=0, at=at(11, 1, 0)))  # November
    stats = kpis.result().nps
    assert (stats.responses, stats.promoters, stats.detractors) == (4, 2, 2)
    assert stats.score == 0.0


def test_options_and_merges_are_checked() -> None:
    with pytest.raises(InvalidData, match="peak_hours"):
        KpiOptions(peak_hours={25})
    with pytest.raises(InvalidData, match="ageing_days"):
        KpiOptions(ageing_days=(7, 3))
    with pytest.raises(ScoreOutOfRange):
        KpiOptions(csat_threshold=0)
    october = ServiceKpis(Period.parse("2026-10", TZ), WorkCalendar.always(TZ))
    november = ServiceKpis(Period.parse("2026-11", TZ), WorkCalendar.always(TZ))
    with pytest.raises(InvalidData, match="another configuration"):
        october.merge(november)
    with pytest.raises(UnknownValue):
        KpiGroups(october, "colour")


def test_groups_by_channel_and_by_week_partition_the_cohort() -> None:
    desk = _story()
    template = ServiceKpis(Period.parse("2026-10", TZ), WorkCalendar.always(TZ))
    by_week = KpiGroups(template, "week")
    for ticket in desk.find():
        by_week.add(ticket)
    received = {k: f.received for k, f in by_week.result().items() if f.received}
    # T1 5 Oct (W41), T2 6 Oct (W41), T3 20 Oct (W43), T4 21 Oct (W43)
    assert received == {"2026-W41": 2, "2026-W43": 2}


# -- for all tickets: partitions merged in any order equal one pass -------------------------


def _period_of(ticket_list) -> Period:
    first = ticket_list[0].received_at
    return Period.of("month", first, "UTC")


@FAST
@given(st.lists(tickets(max_events=10), min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_merging_partitions_in_any_order_equals_one_pass(ticket_list, rnd: random.Random) -> None:
    period = _period_of(ticket_list)
    calendar = WorkCalendar.always("UTC")
    policy = SlaPolicy.default(calendar)

    def fresh() -> ServiceKpis:
        return ServiceKpis(
            period, calendar, policy=policy, key_customers={ticket_list[0].customer_id}
        )

    whole = fresh()
    for ticket in ticket_list:
        whole.add(ticket)
    parts = []
    shuffled = list(ticket_list)
    rnd.shuffle(shuffled)
    while shuffled:
        size = rnd.randint(1, len(shuffled))
        part = fresh()
        for ticket in shuffled[:size]:
            part.add(ticket)
        parts.append(part)
        shuffled = shuffled[size:]
    rnd.shuffle(parts)
    left = reduce(lambda a, b: a.merge(b), parts)
    right = reduce(lambda a, b: b.merge(a), reversed(parts))
    assert left.result() == right.result() == whole.result()
    assert whole.result().received >= 1


@FAST
@given(tickets(max_events=12), tickets(max_events=12), tickets(max_events=12))
def test_merge_is_associative_and_commutative(t1, t2, t3) -> None:
    period = _period_of([t1])

    def of(ticket) -> ServiceKpis:
        kpis = ServiceKpis(period, WorkCalendar.always("UTC"))
        kpis.add(ticket)
        return kpis

    a, b, c = of(t1), of(t2), of(t3)
    assert a.merge(b).merge(c).result() == a.merge(b.merge(c)).result()
    assert a.merge(b).result() == b.merge(a).result()


@FAST
@given(tickets(max_events=15), st.integers(1, 20 * 24 * 3600))
def test_figures_as_of_an_instant_ignore_later_events(ticket, seconds) -> None:
    cut = ticket.received_at.add(seconds=seconds)
    period = _period_of([ticket])
    full = ServiceKpis(period, WorkCalendar.always("UTC"), at=cut)
    full.add(ticket)
    truncated = ServiceKpis(period, WorkCalendar.always("UTC"), at=cut)
    earlier = as_of(ticket, cut)
    assert earlier is not None
    assert all(e.at < cut for e in earlier.history)
    truncated.add(earlier)
    assert full.result() == truncated.result()


@FAST
@given(st.lists(tickets(max_events=10), min_size=1, max_size=6))
def test_rates_stay_proportions_and_groups_sum_to_the_whole(ticket_list) -> None:
    period = _period_of(ticket_list)
    whole = ServiceKpis(period, WorkCalendar.always("UTC"))
    groups = KpiGroups(whole, "channel")
    for ticket in ticket_list:
        whole.add(ticket)
        groups.add(ticket)
    figures = whole.result()
    assert sum(g.received for g in groups.result().values()) == figures.received
    assert sum(g.backlog for g in groups.result().values()) == figures.backlog
    for rate in (figures.first_line, figures.escalation):
        assert rate.denominator == figures.valid
    seen = [whole.facts(ticket) for ticket in ticket_list]
    complaints = sum(
        1
        for ticket, facts in zip(ticket_list, seen, strict=True)
        if facts is not None
        and period.start <= ticket.received_at < period.end
        and not facts.cancelled
        and is_complaint(ticket.category, ticket_type=ticket.ticket_type)
    )
    assert figures.closure.denominator == figures.repeat.denominator == complaints
    assert sum(n for _, n in figures.volumes["channel"]) == figures.valid


def test_periods_take_a_calendars_zone_object_as_well_as_its_name() -> None:
    from aftersales.calendar import WorkCalendar
    from aftersales.kpi import Period

    calendar = WorkCalendar.china()
    assert Period.month(2026, 10, calendar.tz) == Period.month(2026, 10, "Asia/Shanghai")
