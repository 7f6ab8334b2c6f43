"""When reports read their figures (``at`` / ``clock``), and the rolling 3-month average."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    InvalidData,
    NaiveDatetimeError,
    Priority,
    ProblemCategory,
    ServiceDesk,
    SlaPolicy,
    WorkCalendar,
)
from aftersales.kpi import Period, SlaAchievement
from aftersales.reports import daily, monthly, read_at, weekly

TZ = "Asia/Shanghai"
CAL = WorkCalendar.always(TZ)
POLICY = SlaPolicy.default(CAL)


def at(month: int, day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=TZ)


def _open(desk: ServiceDesk, tid: str, when: pendulum.DateTime) -> None:
    desk.open_ticket(
        ticket_id=tid,
        customer=Customer(id="C1", name="ACME"),
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="死机",
        occurred_at=when.subtract(minutes=30),
        by="李工",
        priority=Priority.URGENT,  # first response within 30 minutes
        at=when,
    )


# -- as of ------------------------------------------------------------------------------------

NOW = at(10, 14, 10)  # Wednesday of 2026-W42, in October


@pytest.fixture
def fresh() -> ServiceDesk:
    """One urgent ticket opened five minutes before NOW, not yet answered."""
    desk = ServiceDesk(clock=FixedClock(NOW))
    _open(desk, "T1", NOW.subtract(minutes=5))
    return desk


def test_reports_of_the_current_period_are_read_now(fresh: ServiceDesk) -> None:
    clock = FixedClock(NOW)
    running = SlaAchievement("first_response", 0, 0, in_progress=1)
    for report in (
        daily(fresh.store, "2026-10-14", calendar=CAL, policy=POLICY, clock=clock),
        weekly(fresh.store, "2026-W42", calendar=CAL, policy=POLICY, clock=clock),
        monthly(fresh.store, "2026-10", calendar=CAL, policy=POLICY, clock=clock),
    ):
        assert report.read_at == NOW
        assert report.figures.sla_for("first_response") == running
        assert report.figures.backlog == 1
        assert report.to_dict()["read_at"] == "2026-10-14T10:00:00+08:00"  # in the period's zone
        assert (
            "Figures as of 2026-10-14 10:00 (Asia/Shanghai) · period still running"
            in (report.to_markdown(lang="en").splitlines()[2])
        )
        assert "数据截至 2026-10-14 10:00 (Asia/Shanghai) · 本期尚未结束" in report.to_html("zh")


def test_the_same_ticket_read_at_the_period_end_is_breached(fresh: ServiceDesk) -> None:
    day = daily(fresh.store, "2026-10-14", calendar=CAL, policy=POLICY, at=at(10, 15, 0))
    assert day.figures.sla_for("first_response") == SlaAchievement("first_response", 0, 1)
    assert day.read_at == at(10, 15, 0)
    assert "period still running" not in day.to_markdown(lang="en")


def test_a_past_period_is_read_at_its_end_whatever_today_is(fresh: ServiceDesk) -> None:
    yesterday = Period.parse("2026-10-13", TZ)
    for clock in (FixedClock(NOW), FixedClock(at(12, 25, 9))):
        report = daily(fresh.store, "2026-10-13", calendar=CAL, policy=POLICY, clock=clock)
        assert report.read_at == yesterday.end
    # the previous week / months of a report are read at their own ends
    week = weekly(fresh.store, "2026-W42", calendar=CAL, clock=FixedClock(NOW))
    assert week.previous.at == Period.parse("2026-W41", TZ).end
    month = monthly(fresh.store, "2026-10", calendar=CAL, clock=FixedClock(NOW))
    assert [f.at for f in month.history] == [at(10, 1, 0), at(9, 1, 0)]


def test_an_explicit_instant_after_the_period_sees_late_events(fresh: ServiceDesk) -> None:
    fresh.clock.set(at(10, 15, 9))
    fresh.acknowledge("T1", by="李工")
    at_end = daily(fresh.store, "2026-10-14", calendar=CAL, policy=POLICY)
    assert at_end.figures.first_response.count == 0
    late = daily(fresh.store, "2026-10-14", calendar=CAL, policy=POLICY, at=at(10, 16, 0))
    # read on the 16th: the answer of the 15th is seen, and its clock stopped late
    assert late.figures.first_response.count == 1
    assert late.figures.sla_for("first_response") == SlaAchievement("first_response", 0, 1)


def test_bad_instants_and_clocks_are_refused(fresh: ServiceDesk) -> None:
    with pytest.raises(NaiveDatetimeError):
        daily(fresh.store, "2026-10-14", calendar=CAL, at=NOW.naive())
    with pytest.raises(InvalidData, match="'10:00' is not a datetime"):
        monthly(fresh.store, "2026-10", calendar=CAL, at="10:00")  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="clock: 'now' is not a Clock"):
        weekly(fresh.store, "2026-W42", calendar=CAL, clock="now")  # type: ignore[arg-type]
    assert fresh.get("T1").version == 1  # reading never writes


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(offset=st.integers(-40 * 86400, 40 * 86400))
def test_read_at_is_the_earlier_of_now_and_the_period_end(offset: int) -> None:
    period = Period.parse("2026-10", TZ)
    now = period.end.add(seconds=offset)
    read = read_at(period, clock=FixedClock(now))
    assert read == (now if offset < 0 else period.end)
    assert read_at(period, at=now, clock=FixedClock(period.start)) == now


# -- rolling 3-month average ------------------------------------------------------------------


def _months(counts: dict[int, int]) -> ServiceDesk:
    """``counts[month]`` tickets received on the 10th of each month of 2026, all closed."""
    desk = ServiceDesk(clock=FixedClock(at(12, 31, 23)))  # every command is back-dated
    for month, count in counts.items():
        for index in range(count):
            tid = f"T{month:02d}{index:02d}"
            _open(desk, tid, at(month, 10, 9, index))
            desk.resolve_on_first_contact(tid, by="李工", answer="好", at=at(month, 10, 10))
    return desk


def test_the_rolling_average_skips_months_without_data() -> None:
    desk = _months({10: 4, 11: 2})  # nothing in September
    report = monthly(desk.store, "2026-11", calendar=CAL, clock=FixedClock(at(12, 5, 9)))
    assert report.months_with_data() == 2
    assert report.rolling("received") == 3.0  # (2 + 4) / 2, not (2 + 4 + 0) / 3
    assert report.rolling_months("received") == 2
    assert report.value("received", 2) == 0.0  # September itself still shows its 0
    row = next(r for r in report.to_dict()["kpi_table"] if r["indicator"] == "received")
    assert (row["rolling_3_months"], row["rolling_months"]) == (3.0, 2)
    assert report.to_dict()["months_with_data"] == 2
    assert "| 3-month average (2 months with data) |" in report.to_markdown(lang="en")
    assert "| 近3个月均值(有数据2个月) |" in report.to_markdown(lang="zh")
    # 环比 of a count is relative: (2 - 4) / 4 = -50 %; received has no target ("—")
    assert "| Tickets received | 2 | — | 4 | -50.0% | 3.0 |" in report.to_markdown(lang="en")


def test_a_gap_in_the_middle_and_a_single_month() -> None:
    desk = _months({8: 3, 10: 6})
    october = monthly(desk.store, "2026-10", calendar=CAL, clock=FixedClock(at(12, 5, 9)))
    assert october.rolling("received") == 4.5  # August and October
    assert october.rolling("closure") == 0.0  # resolved, never visited: nothing closed
    only = monthly(desk.store, "2026-08", calendar=CAL, clock=FixedClock(at(12, 5, 9)))
    assert (only.months_with_data(), only.rolling("received")) == (1, 3.0)
    assert "3-month average (1 month with data)" in only.to_markdown(lang="en")
    empty = monthly(desk.store, "2026-06", calendar=CAL, clock=FixedClock(at(12, 5, 9)))
    assert (empty.months_with_data(), empty.rolling("received")) == (0, None)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(counts=st.tuples(*(st.integers(0, 3) for _ in range(3))))
def test_the_rolling_volume_is_the_mean_over_months_with_tickets(counts) -> None:
    desk = _months(dict(zip((8, 9, 10), counts, strict=True)))
    report = monthly(desk.store, "2026-10", calendar=CAL, at=at(11, 1, 0))
    received = [n for n in counts if n]
    assert report.months_with_data() == len(received)
    expected = sum(received) / len(received) if received else None
    assert report.rolling("received") == expected
