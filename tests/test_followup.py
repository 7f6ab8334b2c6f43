"""Scheduled follow-ups on the working calendar, and follow-ups that open tickets."""

from __future__ import annotations

from datetime import date, timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    Channel,
    Customer,
    DuplicateId,
    FixedClock,
    InvalidData,
    ServiceDesk,
    WorkCalendar,
)
from aftersales.followup import (
    DEFAULT_FOLLOWUP_POLICY,
    FollowUpOutcome,
    FollowUpPoint,
    FollowUpPolicy,
    FollowUpProblem,
    FollowUps,
    FollowUpTask,
    FollowUpTrigger,
    due_followups,
)
from aftersales.model import Product, Purchase
from aftersales.serialization import from_dict, to_dict
from aftersales.storage.memory import MemoryFollowUpStore
from aftersales.testing.contracts import FollowUpStoreContract
from aftersales.testing.samples import sample_ticket

TZ = "Asia/Shanghai"
CHINA = WorkCalendar.china()


class TestMemoryFollowUpStore(FollowUpStoreContract):
    def make_store(self) -> MemoryFollowUpStore:
        return MemoryFollowUpStore()


def test_default_points_are_one_week_one_month_three_months() -> None:
    assert [
        (p.code, p.days, p.months, p.label_zh) for p in DEFAULT_FOLLOWUP_POLICY.after_closure
    ] == [
        ("1w", 7, 0, "一周回访"),
        ("1m", 0, 1, "一个月回访"),
        ("3m", 0, 3, "三个月回访"),
    ]
    assert FollowUpTrigger.AFTER_PURCHASE.label_zh == "购买后回访"


def test_a_point_on_a_holiday_moves_to_the_next_working_day() -> None:
    # purchased 2024-09-24; +7 days = 1 October (National Day, off until the 7th)
    purchase = Purchase(product=Product("W10滚筒洗衣机"), purchased_on=date(2024, 9, 24))
    tasks = DEFAULT_FOLLOWUP_POLICY.for_purchase("C1", purchase, CHINA)
    assert [t.due_at for t in tasks] == [
        pendulum.datetime(2024, 10, 8, 18, tz=TZ),
        pendulum.datetime(2024, 10, 24, 18, tz=TZ),  # +1 month: Thursday 24 October
        pendulum.datetime(2024, 12, 24, 18, tz=TZ),  # +3 months: Tuesday 24 December
    ]
    assert all(t.trigger is FollowUpTrigger.AFTER_PURCHASE for t in tasks)


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 6, 30)),
    st.integers(1, 60),
    st.integers(0, 3),
)
def test_due_is_the_first_working_day_on_or_after_the_point(
    day: date, days: int, months: int
) -> None:
    point = FollowUpPoint("x", "x", "x", days=days, months=months)
    anchor = pendulum.datetime(day.year, day.month, day.day, 10, tz=TZ)
    due = FollowUpPolicy.due_at(point, anchor, CHINA).in_tz(TZ)
    target = anchor.add(days=days, months=months).date()
    assert due.date() >= target
    assert CHINA.is_working_day(due.date())
    between = [target + timedelta(n) for n in range((due.date() - target).days)]
    assert not any(CHINA.is_working_day(d) for d in between)
    assert (due.hour, due.minute) == (18, 0)


def test_scheduling_is_idempotent_and_due_lists_open_tasks() -> None:
    followups = FollowUps(calendar=CHINA)
    first = followups.schedule_after_closure(sample_ticket())
    assert len(first) == 3
    assert followups.schedule_after_closure(sample_ticket()) == []
    now = pendulum.datetime(2024, 6, 14, 9, tz=TZ)  # after the 1-week and 1-month points
    assert [t.point for t in followups.due(now)] == ["1w", "1m"]
    done = followups.record(first[0].id, by="回访专员", outcome="satisfied", score=5, at=now)
    assert done.record is not None
    assert done.record.score == 5
    assert [t.point for t in followups.due(now)] == ["1m"]
    with pytest.raises(InvalidData, match="already recorded"):
        followups.record(first[0].id, by="回访专员", outcome="no_answer", at=now)
    assert due_followups(followups.store.find_followups(), now) == followups.due(now)


def test_only_closed_tickets_get_after_closure_followups(desk: ServiceDesk) -> None:
    from tests.helpers import open_sample

    with pytest.raises(InvalidData, match="accepted: a closed ticket"):
        FollowUps(calendar=CHINA).schedule_after_closure(open_sample(desk))


@pytest.fixture
def setup() -> tuple[ServiceDesk, FollowUps, FollowUpTask]:
    clock = FixedClock(pendulum.datetime(2024, 5, 21, 10, tz=TZ))
    desk = ServiceDesk(clock=clock)
    desk.store.save_customer(Customer(id="C202405001", name="XX科技有限公司"))  # type: ignore[attr-defined]
    followups = FollowUps(calendar=CHINA, desk=desk)
    task = followups.schedule_after_closure(sample_ticket())[0]
    return desk, followups, task


def test_a_problem_found_opens_a_linked_ticket(
    setup: tuple[ServiceDesk, FollowUps, FollowUpTask],
) -> None:
    desk, followups, task = setup
    problem = FollowUpProblem(
        category="product_quality",
        description="设备偶尔死机,约每天一次",
        customer_words="又开始死机了",
    )
    done = followups.record(
        task.id, by="回访专员小周", outcome=FollowUpOutcome.PROBLEM_FOUND, problem=problem
    )
    assert done.record is not None
    ticket = desk.get(done.record.opened_ticket_id or "")
    assert ticket.channel == Channel.RETURN_VISIT_CALL
    assert ticket.customer_id == "C202405001"
    assert ticket.description == "设备偶尔死机,约每天一次"
    assert ticket.customer_words == "又开始死机了"
    assert ticket.received_at == done.record.at
    assert followups.store.get_followup(task.id) == done


def test_a_problem_found_without_details_writes_nothing(
    setup: tuple[ServiceDesk, FollowUps, FollowUpTask],
) -> None:
    desk, followups, task = setup
    with pytest.raises(InvalidData, match="problem"):
        followups.record(task.id, by="回访专员", outcome="problem_found")
    assert followups.store.get_followup(task.id) == task
    assert desk.find() == []
    with pytest.raises(InvalidData, match="problem"):
        followups.record(
            task.id,
            by="回访专员",
            outcome="satisfied",
            problem=FollowUpProblem(category="consultation", description="d"),
        )
    with pytest.raises(InvalidData, match="out of range"):
        followups.record(task.id, by="回访专员", outcome="satisfied", score=6)
    assert followups.store.get_followup(task.id) == task


def test_follow_up_tasks_round_trip_and_refuse_bad_data() -> None:
    followups = FollowUps(calendar=CHINA, clock=FixedClock(pendulum.datetime(2024, 6, 1, tz=TZ)))
    task = followups.schedule_after_closure(sample_ticket())[1]
    done = followups.record(task.id, by="回访专员", outcome="no_answer", note="无人接听")
    for value in (task, done):
        assert from_dict(FollowUpTask, to_dict(value)) == value
    data = to_dict(done)
    data["record"]["outcome"] = "happy"
    data["version"] = 1
    with pytest.raises(InvalidData) as error:
        from_dict(FollowUpTask, data)
    assert "record.outcome" in {p for p, _ in error.value.problems}
    with pytest.raises(InvalidData, match="used twice"):
        FollowUpPolicy(after_closure=(DEFAULT_FOLLOWUP_POLICY.after_closure[0],) * 2)
    with pytest.raises(DuplicateId):
        followups.store.save_followup(task, expected_version=0)
