"""SLA clocks: worked examples computed by hand, and properties over random histories."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    IntakeFacts,
    InvalidData,
    Priority,
    ProblemCategory,
    ServiceDesk,
    SolutionStep,
    Ticket,
    TicketEvent,
)
from aftersales.calendar import WorkCalendar
from aftersales.model.events import SlaBreached as SlaBreachedEvent
from aftersales.model.events import SlaWarned as SlaWarnedEvent
from aftersales.sla import (
    CalendarTime,
    ReopenPolicy,
    SlaMetric,
    SlaPolicy,
    SlaState,
    Trigger,
    WorkingDays,
    WorkingTime,
)
from aftersales.testing.strategies import event_histories

SH = "Asia/Shanghai"
OFFICE = WorkCalendar(SH, {d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)})
CUSTOMER = Customer(id="C202405001", name="XX科技有限公司")


def at(month: int, day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=SH)


def desk_at(start: pendulum.DateTime, calendar: WorkCalendar = OFFICE, **policy: object):
    clock = FixedClock(start)
    sla = SlaPolicy.default(calendar, **policy)  # type: ignore[arg-type]
    return ServiceDesk(clock=clock, sla=sla), clock


def open_urgent(desk: ServiceDesk, **overrides: object) -> str:
    fields: dict[str, object] = {
        "customer": CUSTOMER,
        "channel": Channel.PHONE,
        "category": ProblemCategory.PRODUCT_QUALITY,
        "description": "产线设备停机",
        "occurred_at": desk.clock.now(),
        "by": "李工",
        "facts": IntakeFacts(core_business_stopped=True),
    }
    fields.update(overrides)
    return desk.open_ticket(**fields).id  # type: ignore[arg-type]


def test_first_response_deadline_skips_the_lunch_break() -> None:
    # Monday 2026-03-02 11:50, urgent: 30 working minutes = 11:50–12:00 + 13:30–13:50.
    desk, clock = desk_at(at(3, 2, 11, 50))
    tid = open_urgent(desk)
    running = desk.sla(tid, at=at(3, 2, 12, 30))["first_response"]
    assert running.state is SlaState.RUNNING
    assert running.elapsed == timedelta(minutes=10)
    assert running.due_at == at(3, 2, 13, 50)
    clock.set(at(3, 2, 13, 40))
    desk.acknowledge(tid, by="李工")
    met = desk.sla(tid, at=at(3, 5, 9))["first_response"]
    assert (met.state, met.elapsed, met.remaining) == (
        SlaState.MET,
        timedelta(minutes=20),
        timedelta(minutes=10),
    )


def test_breach_with_warning_levels_crossed_at_the_right_instants() -> None:
    desk, clock = desk_at(at(3, 2, 11, 50))
    tid = open_urgent(desk)
    clock.set(at(3, 2, 14, 0))
    desk.acknowledge(tid, by="李工")
    result = desk.sla(tid)["first_response"]
    assert result.state is SlaState.BREACHED
    assert result.elapsed == timedelta(minutes=40)
    assert result.due_at == at(3, 2, 13, 50)
    # 50 % = 15 min → 13:35; 80 % = 24 min → 13:44.
    assert result.warned_at == (at(3, 2, 13, 35), at(3, 2, 13, 44))
    assert result.level == 2


def test_return_visit_within_three_working_days_over_national_day() -> None:
    # Working days after 2026-09-30: 10-08, 10-09, 10-10 (a 调休 Saturday) → due 10-10 18:00.
    desk, clock = desk_at(at(9, 30, 9), WorkCalendar.china())
    tid = open_urgent(desk)
    desk.resolve_on_first_contact(tid, by="李工", answer="远程重启恢复")
    clock.set(at(9, 30, 15))
    result = desk.sla(tid, at=at(10, 9, 12))["return_visit"]
    assert result.state is SlaState.RUNNING
    assert result.due_at == at(10, 10, 18)
    explained = result.explain()
    assert "国庆节" in explained


def test_time_awaiting_the_customer_pauses_resolution() -> None:
    # Mon 09:00 open; 10:00 proposal (pause); Tue 10:00 agreed; Tue 11:00 done.
    desk, clock = desk_at(at(3, 2, 9))
    tid = open_urgent(desk)
    desk.acknowledge(tid, by="李工")
    clock.set(at(3, 2, 10))
    desk.propose_solution(
        tid, by="李工", summary="更换主板", steps=[SolutionStep("更换主板", "王工", at(3, 4, 18))]
    )
    paused = desk.sla(tid, at=at(3, 2, 16))["resolution"]
    assert paused.state is SlaState.PAUSED
    assert paused.elapsed == timedelta(hours=1)
    clock.set(at(3, 3, 10))
    desk.record_agreement(tid, by="李工", words="同意")
    clock.set(at(3, 3, 11))
    desk.finish_execution(tid, by="王工", summary="已更换")
    result = desk.sla(tid)["resolution"]
    assert result.state is SlaState.MET
    assert result.elapsed == timedelta(hours=2)
    assert result.paused == timedelta(hours=7, minutes=30)
    assert "paused" in result.explain()
    assert "暂停" in result.explain("zh")


def test_a_priority_change_keeps_the_time_already_used() -> None:
    desk, clock = desk_at(at(3, 2, 9))
    tid = open_urgent(desk, facts=IntakeFacts(consultation=True))
    clock.set(at(3, 2, 17))
    general = desk.sla(tid)["resolution"]
    assert general.elapsed == timedelta(hours=6, minutes=30)
    desk.change_priority(tid, by="主管", priority=Priority.URGENT, reason="影响产线")
    urgent = desk.sla(tid)["resolution"]
    assert urgent.elapsed == general.elapsed
    assert urgent.remaining == timedelta(hours=1, minutes=30)
    assert urgent.due_at == at(3, 3, 9, 30)


@pytest.mark.parametrize(
    ("policy", "cycles", "second_elapsed"),
    [
        (ReopenPolicy.CONTINUE, 1, timedelta(hours=3)),
        (ReopenPolicy.RESTART, 2, timedelta(hours=2)),
        (ReopenPolicy.NEW_CYCLE, 2, timedelta(hours=2)),
    ],
)
def test_reopen_policies(policy: ReopenPolicy, cycles: int, second_elapsed: timedelta) -> None:
    desk, clock = desk_at(at(3, 2, 9), reopen=policy)
    tid = open_urgent(desk)
    clock.set(at(3, 2, 10))
    desk.resolve_on_first_contact(tid, by="李工", answer="重置")
    clock.set(at(3, 2, 11))
    desk.record_visit(tid, by="回访", resolved=True, score=5)
    clock.set(at(3, 3, 9))
    desk.reopen(tid, by="李工", reason="复发")
    clock.set(at(3, 3, 11))
    report = desk.sla(tid)
    resolution = report.cycles("resolution")
    assert len(resolution) == cycles
    first = report.first("resolution")
    assert first.first_stopped_at == at(3, 2, 10)
    assert first.first_elapsed == timedelta(hours=1)
    assert report["resolution"].elapsed == second_elapsed
    if policy is ReopenPolicy.RESTART:
        assert [c.counts for c in resolution] == [True, True]
    first_after = desk.sla(tid, at=at(3, 9, 9)).first("resolution")
    assert first_after.first_elapsed == timedelta(hours=1)
    if policy is ReopenPolicy.CONTINUE:
        # 1 h used before the reopen; the other 7 h run out on 03-03 at 17:30.
        assert first_after.state is SlaState.BREACHED
        assert first_after.due_at == at(3, 3, 17, 30)
    else:
        assert first_after.state is SlaState.MET


def test_low_score_callback_within_48_hours_and_onsite_within_24() -> None:
    desk, clock = desk_at(at(3, 2, 9))
    tid = open_urgent(desk)
    desk.resolve_on_first_contact(tid, by="李工", answer="远程指导")
    clock.set(at(3, 3, 9))
    desk.record_visit(tid, by="回访", resolved=True, score=2, comment="不满意")
    clock.set(at(3, 4, 8))
    desk.record_contact(tid, by="主管", channel=Channel.PHONE, summary="回电致歉")
    report = desk.sla(tid, at=at(3, 6, 9))
    callback = report["low_score_callback"]
    assert callback.state is SlaState.MET
    assert callback.elapsed == timedelta(hours=23)
    # Issue 10: resolved on first contact, nobody had to go on site. The clock
    # used to run on and breach on 03-03 at 09:00; it now ends not applicable.
    onsite = report["onsite_within"]
    assert onsite.state is SlaState.NOT_APPLICABLE
    assert onsite.stopped_at == at(3, 2, 9)


def test_metrics_apply_by_priority_and_category() -> None:
    desk, _ = desk_at(at(3, 2, 9))
    tid = open_urgent(desk, facts=IntakeFacts(consultation=True))
    assert "onsite_within" not in desk.sla(tid).metrics()
    other = open_urgent(desk, category=ProblemCategory.LOGISTICS_DELAY)
    assert "onsite_within" not in desk.sla(other).metrics()


def test_check_sla_records_each_crossing_once() -> None:
    desk, clock = desk_at(at(3, 2, 9))
    tid = open_urgent(desk)
    clock.set(at(3, 2, 9, 20))
    first = desk.check_sla(tid)
    assert [(n.metric, n.level, n.breach) for n in first] == [("first_response", 1, False)]
    version = desk.get(tid).version
    assert desk.check_sla(tid) == []
    assert desk.get(tid).version == version
    clock.set(at(3, 2, 10))
    later = desk.check_sla(tid)
    # Issue 10: a check that finds several levels crossed notifies the highest
    # only (it used to notify warning 2 and the breach together); warning 2 is
    # recorded as passed by the breach.
    assert [(n.metric, n.level, n.breach, n.passed) for n in later] == [
        ("first_response", 3, True, (2,))
    ]
    recorded = [e.command for e in desk.get(tid).history if e.command.startswith("record_sla")]
    assert recorded == ["record_sla_warning", "record_sla_breach"]
    assert {1, 2, 3} <= {level for _, _, level in desk.sla(tid).recorded}


def test_watchlist_lists_open_tickets_that_warn_or_breach_before_a_time() -> None:
    desk, _ = desk_at(at(3, 2, 9))
    soon = open_urgent(desk)
    calm = open_urgent(desk, facts=IntakeFacts(consultation=True))
    desk.acknowledge(calm, by="李工")
    watch = desk.sla_watchlist(at(3, 2, 9, 30))
    assert {(t.id, a.metric, a.breach) for t, a in watch} == {
        (soon, "first_response", False),
        (soon, "first_response", True),
    }
    assert [a.at for _, a in watch] == sorted(a.at for _, a in watch)


def test_a_desk_without_policy_says_so() -> None:
    desk = ServiceDesk(clock=FixedClock(at(3, 2, 9)))
    tid = open_urgent(desk)
    with pytest.raises(InvalidData, match="no SLA policy"):
        desk.sla(tid)


def test_metric_definitions_are_validated() -> None:
    with pytest.raises(InvalidData) as raised:
        SlaMetric(
            name="x",
            label_zh="x",
            label_en="x",
            starts=(),
            stops=(Trigger("acknowledge"),),
            targets={Priority.URGENT: WorkingTime(timedelta(hours=1))},
            warn_at=(1.5, timedelta(0)),
        )
    assert len(raised.value.problems) == 3
    with pytest.raises(InvalidData):
        WorkingTime(timedelta(0))
    with pytest.raises(InvalidData):
        WorkingDays(0)
    with pytest.raises(InvalidData):
        Trigger("teleport")
    with pytest.raises(InvalidData):
        SlaPolicy([], OFFICE)["nope"]


POLICY = SlaPolicy.default(OFFICE)
ALWAYS = SlaPolicy.default(WorkCalendar.always("UTC"))


@given(event_histories(), st.integers(0, 400 * 24 * 3600))
def test_a_closed_tickets_results_never_change(history: list[TicketEvent], later: int) -> None:
    ticket = Ticket.replay(history)
    if ticket.is_open:
        return
    first = POLICY.evaluate(ticket, ticket.updated_at)
    again = POLICY.evaluate(ticket, ticket.updated_at + timedelta(seconds=later))
    assert first.results == again.results


@given(event_histories())
def test_first_response_equals_the_working_time_to_the_first_answer(
    history: list[TicketEvent],
) -> None:
    ticket = Ticket.replay(history)
    now = ticket.updated_at + timedelta(hours=5)
    result = POLICY.evaluate(ticket, now)["first_response"]
    end = ticket.first_response_at
    if end is None:
        end = ticket.cancelled_at or ticket.closed_at or now
    assert result.elapsed == OFFICE.working_time(ticket.received_at, end)


@given(event_histories(), st.integers(0, 30 * 24 * 3600), st.integers(0, 30 * 24 * 3600))
def test_open_clocks_only_move_forward(history: list[TicketEvent], a: int, b: int) -> None:
    ticket = Ticket.replay(history)
    early = ticket.updated_at + timedelta(seconds=min(a, b))
    late = ticket.updated_at + timedelta(seconds=max(a, b))
    before = POLICY.evaluate(ticket, early).results
    after = POLICY.evaluate(ticket, late).results
    assert len(before) == len(after)
    for x, y in zip(before, after, strict=True):
        assert y.elapsed >= x.elapsed
        assert y.level >= x.level
        if x.state is SlaState.BREACHED:
            assert y.state is SlaState.BREACHED


@given(event_histories())
def test_recording_the_notices_leaves_nothing_pending(history: list[TicketEvent]) -> None:
    ticket = Ticket.replay(history)
    if ticket.status.value == "cancelled":
        return
    now = ticket.updated_at + timedelta(days=10)
    report = ALWAYS.evaluate(ticket, now)
    for notice in report.notifications:
        event_type = SlaBreachedEvent if notice.breach else SlaWarnedEvent
        ticket = ticket.apply(
            ticket.new_event(
                event_type,
                by="sla",
                at=now,
                metric=notice.metric,
                cycle=notice.cycle,
                level=notice.level,
                crossed_at=notice.crossed_at,
                due_at=notice.due_at,
            )
        )
    assert ALWAYS.evaluate(ticket, now).notifications == ()


@given(event_histories())
def test_calendar_time_targets_count_every_second(history: list[TicketEvent]) -> None:
    ticket = Ticket.replay(history)
    report = ALWAYS.evaluate(ticket, ticket.updated_at)
    for result in report.cycles("low_score_callback"):
        assert result.target == CalendarTime(timedelta(hours=48))
        spans = [i for i in result.intervals if i.kind == "running"]
        assert result.elapsed == sum((i.end - i.start for i in spans), timedelta(0))


# -- not applicable (issue 10) --------------------------------------------------------


def test_onsite_clock_is_not_applicable_when_resolved_on_first_contact() -> None:
    # Urgent product fault at Mon 09:00, solved by phone at 09:40: nobody goes on site.
    desk, clock = desk_at(at(3, 2, 9))
    tid = open_urgent(desk)
    clock.set(at(3, 2, 9, 40))
    desk.resolve_on_first_contact(tid, by="李工", answer="远程重启后恢复")
    onsite = desk.sla(tid, at=at(3, 4, 12))["onsite_within"]
    assert onsite.state is SlaState.NOT_APPLICABLE
    assert onsite.elapsed == timedelta(minutes=40)  # calendar time, 09:00 → 09:40
    assert onsite.stopped_at == at(3, 2, 9, 40)
    assert onsite.void_reason == "resolved on first contact"
    assert not onsite.breached
    explained = onsite.explain()
    assert explained.splitlines()[0] == (
        "onsite_within #1: not applicable, elapsed 0h40m / 24h00m, "
        "ended 2026-03-02 09:40: resolved on first contact"
    )
    assert "不适用" in onsite.explain("zh")
    assert "结束 2026-03-02 09:40" in onsite.explain("zh")
    clock.set(at(3, 4, 12))
    assert "onsite_within" not in {n.metric for n in desk.check_sla(tid)}


def _remote_fix(desk: ServiceDesk, tid: str, *, booked: bool = False) -> None:
    """Mon 09:10 answered, 10:00 plan, 10:30 agreed, (booked), 11:00 progress, 15:00 done."""
    clock = desk.clock
    assert isinstance(clock, FixedClock)
    clock.set(at(3, 2, 9, 10))
    desk.acknowledge(tid, by="李工")
    clock.set(at(3, 2, 10))
    steps = [SolutionStep("远程升级固件", "王工", at(3, 2, 18))]
    desk.propose_solution(tid, by="李工", summary="远程升级固件", steps=steps)
    clock.set(at(3, 2, 10, 30))
    desk.record_agreement(tid, by="李工", words="同意")
    if booked:
        desk.book_onsite_visit(tid, by="李工", appointment_at=at(3, 3, 9), engineer="王工")
    clock.set(at(3, 2, 11))
    desk.record_progress(tid, by="王工", result="远程连接成功")
    clock.set(at(3, 2, 15))
    desk.finish_execution(tid, by="王工", summary="固件已升级")


def test_onsite_clock_is_not_applicable_when_execution_finishes_without_a_visit() -> None:
    desk, _ = desk_at(at(3, 2, 9))
    tid = open_urgent(desk)
    _remote_fix(desk, tid)
    onsite = desk.sla(tid, at=at(3, 4, 12))["onsite_within"]
    # Before issue 10 this clock ran on and was breached on 03-03 at 09:00.
    assert onsite.state is SlaState.NOT_APPLICABLE
    assert onsite.elapsed == timedelta(hours=6)  # 09:00 → 15:00
    assert onsite.void_reason == "finished without an on-site visit"


def test_a_booked_visit_keeps_the_onsite_clock_applicable() -> None:
    desk, _ = desk_at(at(3, 2, 9))
    tid = open_urgent(desk)
    _remote_fix(desk, tid, booked=True)
    onsite = desk.sla(tid, at=at(3, 4, 12))["onsite_within"]
    # Booked, but no arrival recorded: the clock still runs and is breached 24 h on.
    assert onsite.state is SlaState.BREACHED
    assert onsite.due_at == at(3, 3, 9)


def test_an_onsite_arrival_still_meets_the_clock() -> None:
    desk, clock = desk_at(at(3, 2, 9))
    tid = open_urgent(desk)
    desk.acknowledge(tid, by="李工")
    steps = [SolutionStep("上门更换主板", "王工", at(3, 2, 18))]
    desk.propose_solution(tid, by="李工", summary="上门更换主板", steps=steps)
    desk.record_agreement(tid, by="李工", words="同意")
    clock.set(at(3, 2, 14, 5))
    desk.record_progress(tid, by="王工", result="工程师到场", onsite=True)
    clock.set(at(3, 2, 16))
    desk.finish_execution(tid, by="王工", summary="已更换")
    onsite = desk.sla(tid)["onsite_within"]
    assert (onsite.state, onsite.elapsed) == (SlaState.MET, timedelta(hours=5, minutes=5))


def test_a_void_trigger_after_the_target_still_ends_not_applicable() -> None:
    # Fixed remotely 26 h after registration: the on-site target never applied.
    desk, clock = desk_at(at(3, 2, 9))
    tid = open_urgent(desk)
    desk.acknowledge(tid, by="李工")
    clock.set(at(3, 3, 11))
    desk.resolve_on_first_contact(tid, by="李工", answer="远程修复")
    onsite = desk.sla(tid)["onsite_within"]
    assert onsite.state is SlaState.NOT_APPLICABLE
    assert onsite.elapsed == timedelta(hours=26)


def test_unless_only_looks_at_events_since_the_clock_started() -> None:
    # A custom clock from the customer's agreement to the engineer's arrival,
    # void when execution finishes, unless a visit was booked since it started.
    metric = SlaMetric(
        name="visit_plan",
        label_zh="上门计划",
        label_en="visit plan",
        starts=(Trigger("record_agreement"),),
        stops=(Trigger("record_progress", lambda e: e.onsite),),
        void=(Trigger("finish_execution", unless=(Trigger("book_onsite_visit"),)),),
        targets={p: WorkingTime(timedelta(hours=8)) for p in Priority},
    )
    policy = SlaPolicy([metric], OFFICE)
    clock = FixedClock(at(3, 2, 9))
    desk = ServiceDesk(clock=clock, sla=policy)
    tid = open_urgent(desk)
    desk.acknowledge(tid, by="李工")
    # booked before the clock starts: does not count
    desk.book_onsite_visit(tid, by="李工", appointment_at=at(3, 3, 9), engineer="王工")
    steps = [SolutionStep("远程升级固件", "王工", at(3, 2, 18))]
    desk.propose_solution(tid, by="李工", summary="远程升级固件", steps=steps)
    clock.set(at(3, 2, 10))
    desk.record_agreement(tid, by="李工", words="同意")
    clock.set(at(3, 2, 11))
    desk.finish_execution(tid, by="王工", summary="完成")
    result = desk.sla(tid)["visit_plan"]
    assert (result.state, result.elapsed) == (SlaState.NOT_APPLICABLE, timedelta(hours=1))
    assert result.void_reason == "finish_execution"


def test_unless_must_hold_plain_triggers() -> None:
    with pytest.raises(InvalidData, match="unless"):
        Trigger("finish_execution", unless=("book_onsite_visit",))  # type: ignore[arg-type]
    nested = Trigger("book_onsite_visit", unless=(Trigger("acknowledge"),))
    with pytest.raises(InvalidData, match="unless"):
        Trigger("finish_execution", unless=(nested,))


def test_the_timeline_picture_shows_a_clock_that_ended_not_applicable() -> None:
    from aftersales.sla.picture import timeline_svg

    desk, clock = desk_at(at(3, 2, 9))
    tid = open_urgent(desk)
    clock.set(at(3, 2, 9, 40))
    desk.resolve_on_first_contact(tid, by="李工", answer="远程重启后恢复")
    onsite = desk.sla(tid, at=at(3, 4, 12))["onsite_within"]
    svg = timeline_svg(onsite)
    assert "not applicable" in svg
    assert "ended (not applicable) 03-02 09:40" in svg
    assert "due 03-" not in svg
    zh = timeline_svg(onsite, lang="zh")
    assert "结束 (不适用) 03-02 09:40" in zh


# -- the report as a collection (issue 10) ----------------------------------------------


def test_a_report_iterates_over_its_results() -> None:
    desk, clock = desk_at(at(3, 2, 9))
    tid = open_urgent(desk)
    clock.set(at(3, 2, 10))
    report = desk.sla(tid)
    # urgent product fault, open: first response, resolution and on site are measured
    assert [result.metric for result in report] == [
        "first_response",
        "resolution",
        "onsite_within",
    ]
    assert len(report) == 3
    assert list(report) == list(report.results)
    assert "resolution" in report
    assert "return_visit" not in report
    assert report["first_response"].state is SlaState.BREACHED
    assert {r.metric: r.state for r in report}["onsite_within"] is SlaState.RUNNING
