"""Which SLA crossings are notified (issue 10): the highest level per clock, open clocks only.

Worked examples computed by hand on office hours (09:00–12:00, 13:30–18:00),
then properties over random histories, policies and check instants.
"""

from __future__ import annotations

from datetime import timedelta

import attrs
import pendulum
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    IntakeFacts,
    ProblemCategory,
    ServiceDesk,
    SolutionStep,
    Ticket,
    TicketEvent,
)
from aftersales.calendar import WorkCalendar
from aftersales.model.events import SlaBreached, SlaWarned
from aftersales.sla import SlaNotice, SlaPolicy, SlaReport, SlaState
from aftersales.testing.strategies import event_histories, sla_policies

SH = "Asia/Shanghai"
OFFICE = WorkCalendar(SH, {d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)})


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, day, hour, minute, tz=SH)


def urgent_desk() -> tuple[ServiceDesk, FixedClock, str]:
    """An urgent product fault registered on Monday 2026-03-02 at 09:00.

    First response: 30 working minutes, warnings at 50 % (09:15) and 80 %
    (09:24), breached after 09:30. Resolution: 8 working hours, warnings at
    4 h (3 h before lunch + 1 h: 14:30) and 6 h 24 min (16:54). On site: 24 h
    calendar time, warnings at 12 h and 19 h 12 min.
    """
    clock = FixedClock(at(2, 9))
    desk = ServiceDesk(clock=clock, sla=SlaPolicy.default(OFFICE))
    ticket = desk.open_ticket(
        customer=Customer(id="C1", name="甲公司"),
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="产线设备停机",
        occurred_at=clock.now(),
        facts=IntakeFacts(core_business_stopped=True),
        by="李工",
        ticket_id="T1",
    )
    return desk, clock, ticket.id


def summary(notices: list[SlaNotice]) -> list[tuple[str, int, bool, tuple[int, ...]]]:
    return [(n.metric, n.level, n.breach, n.passed) for n in notices]


def test_a_late_first_check_notifies_only_the_breach() -> None:
    desk, clock, tid = urgent_desk()
    clock.set(at(2, 10))
    notices = desk.check_sla(tid)
    assert summary(notices) == [("first_response", 3, True, (1, 2))]
    assert notices[0].crossed_at == at(2, 9, 30)
    history = desk.get(tid).history
    assert [type(e) for e in history[1:]] == [SlaBreached]
    assert desk.sla(tid).recorded == {("first_response", 0, level) for level in (1, 2, 3)}


def test_each_level_crossed_between_checks_is_notified_once() -> None:
    desk, clock, tid = urgent_desk()
    found = []
    for minute in (10, 16, 20, 25, 31, 45):
        clock.set(at(2, 9, minute))
        found.append(summary(desk.check_sla(tid)))
        assert desk.check_sla(tid) == []  # the same instant again: nothing new
    assert found == [
        [],
        [("first_response", 1, False, ())],
        [],
        [("first_response", 2, False, ())],
        [("first_response", 3, True, ())],
        [],
    ]


def test_a_late_check_notifies_the_highest_level_of_every_clock() -> None:
    # At 16:30: first response breached at 09:30 (its warnings passed over);
    # resolution has used 6 h, past its 4 h level (14:30), not yet its 6 h 24 min
    # one (16:54); on site has used 7 h 30 min of 24 h: nothing.
    desk, clock, tid = urgent_desk()
    clock.set(at(2, 16, 30))
    notices = desk.check_sla(tid)
    assert summary(notices) == [
        ("first_response", 3, True, (1, 2)),
        ("resolution", 1, False, ()),
    ]
    assert [n.crossed_at for n in notices] == [at(2, 9, 30), at(2, 14, 30)]


def test_a_clock_stopped_after_its_breach_does_not_notify_later() -> None:
    desk, clock, tid = urgent_desk()
    clock.set(at(2, 10))
    desk.acknowledge(tid, by="李工")  # answered late, never checked in between
    clock.set(at(2, 10, 5))
    result = desk.sla(tid)["first_response"]
    assert result.state is SlaState.BREACHED
    assert result.stopped_at == at(2, 10)
    assert desk.check_sla(tid) == []


def test_a_closed_ticket_never_notifies() -> None:
    desk, clock, tid = urgent_desk()
    clock.set(at(2, 10))
    desk.resolve_on_first_contact(tid, by="李工", answer="远程重启")
    clock.set(at(9, 10))  # a week later: the return visit is late
    desk.record_visit(tid, by="回访", resolved=True, score=5)
    version = desk.get(tid).version
    report = desk.sla(tid, at=at(20, 9))
    assert report["return_visit"].state is SlaState.BREACHED
    assert report.notifications == ()
    clock.set(at(20, 9))
    assert desk.check_sla(tid) == []
    assert desk.get(tid).version == version


def test_a_cancelled_ticket_never_notifies() -> None:
    desk, clock, tid = urgent_desk()
    clock.set(at(2, 11))
    desk.cancel(tid, by="李工", reason="重复登记")
    report = desk.sla(tid, at=at(5, 9))
    assert {r.state for r in report} == {SlaState.CANCELLED}
    assert report.notifications == ()
    clock.set(at(5, 9))
    assert desk.check_sla(tid) == []


def test_a_not_applicable_clock_never_notifies() -> None:
    desk, clock, tid = urgent_desk()
    clock.set(at(3, 11))  # 26 h: the on-site clock would have breached at 03-03 09:00
    desk.resolve_on_first_contact(tid, by="李工", answer="远程修复")
    report = desk.sla(tid)
    assert report["onsite_within"].state is SlaState.NOT_APPLICABLE
    assert "onsite_within" not in {n.metric for n in report.notifications}


def test_levels_recorded_by_older_versions_one_by_one_still_count() -> None:
    desk, clock, tid = urgent_desk()
    for level in (1, 2):
        desk.record_sla_warning(
            tid,
            by="sla",
            metric="first_response",
            cycle=0,
            level=level,
            crossed_at=at(2, 9, 15),
            due_at=at(2, 9, 30),
        )
    clock.set(at(2, 9, 40))
    assert summary(desk.check_sla(tid)) == [("first_response", 3, True, ())]


# -- properties ----------------------------------------------------------------------

POLICIES = sla_policies(st.sampled_from([OFFICE, WorkCalendar.always("UTC")]))


def record(ticket: Ticket, notices: tuple[SlaNotice, ...], now: pendulum.DateTime) -> Ticket:
    for notice in notices:
        event_type = SlaBreached if notice.breach else SlaWarned
        event = ticket.new_event(
            event_type,
            by="sla",
            at=now,
            metric=notice.metric,
            cycle=notice.cycle,
            level=notice.level,
            crossed_at=notice.crossed_at,
            due_at=notice.due_at,
        )
        ticket = ticket.apply(event)
    return ticket


def tops(report: SlaReport) -> dict[tuple[str, int], int]:
    """The highest recorded level per (metric, cycle), read from ``recorded``."""
    found: dict[tuple[str, int], int] = {}
    for metric, cycle, level in report.recorded:
        found[(metric, cycle)] = max(found.get((metric, cycle), 0), level)
    return found


def span(history: list[TicketEvent]) -> timedelta:
    """From registration to three days after the last event."""
    return history[-1].at - history[0].at + timedelta(days=3)


def replay_with_checks(
    policy: SlaPolicy, history: list[TicketEvent], permille: list[int]
) -> tuple[Ticket, list[tuple[SlaReport, tuple[SlaNotice, ...]]]]:
    """Replay ``history`` with a check (evaluate, record the notices) at each instant.

    Instants are ``permille`` thousandths of :func:`span` after registration; a
    check between two events happens before the later one, whose ``seq``
    moves up accordingly.
    """
    opened = history[0]
    instants = sorted(opened.at + span(history) * p / 1000 for p in permille)
    ticket = Ticket.replay(history[:1])
    checks = []
    pending = list(history[1:])
    while pending or instants:
        if instants and (not pending or instants[0] < pending[0].at):
            now = instants.pop(0)
            report = policy.evaluate(ticket, now)
            notices = report.notifications
            checks.append((report, notices))
            ticket = record(ticket, notices, now)
        else:
            event = pending.pop(0)
            ticket = ticket.apply(attrs.evolve(event, seq=ticket.version + 1))
    return ticket, checks


def without_priority_changes(history: list[TicketEvent]) -> list[TicketEvent]:
    """The history with its priority changes left out, renumbered.

    A priority change measures the time used against another target, so the
    level a clock reached can go down; property (a) is about a fixed target.
    """
    kept = [e for e in history if e.command != "change_priority"]
    return [attrs.evolve(e, seq=index) for index, e in enumerate(kept, start=1)]


#: Check instants, spread over the history and the three days after it.
CHECKS = st.lists(st.integers(0, 1000), max_size=8)


@given(POLICIES, event_histories(max_events=12), CHECKS)
def test_checks_record_what_one_check_at_the_end_records(
    policy: SlaPolicy, history: list[TicketEvent], permille: list[int]
) -> None:
    # (a) for every clock still running or paused at the end, the levels
    # recorded by any sequence of checks are those one check at the end records.
    history = without_priority_changes(history)
    checked, _ = replay_with_checks(policy, history, [*permille, 1000])
    once, _ = replay_with_checks(policy, history, [1000])
    end = history[0].at + span(history)
    report_checked = policy.evaluate(checked, end)
    report_once = policy.evaluate(once, end)
    assert report_checked.notifications == report_once.notifications == ()
    levels_checked, levels_once = tops(report_checked), tops(report_once)
    for result in report_once:
        if once.is_open and result.stopped_at is None:
            key = (result.metric, result.cycle)
            assert levels_checked.get(key, 0) == levels_once.get(key, 0)


@given(POLICIES, event_histories(max_events=12), CHECKS)
def test_no_notice_for_a_closed_ticket_or_a_stopped_clock(
    policy: SlaPolicy, history: list[TicketEvent], permille: list[int]
) -> None:
    # (b) and (d): only running or paused clocks of open tickets notify, once per cycle.
    _, checks = replay_with_checks(policy, history, permille)
    for report, notices in checks:
        if not report.status.is_open:
            assert notices == ()
        cycles = {(r.metric, r.cycle): r for r in report}
        for notice in notices:
            result = cycles[(notice.metric, notice.cycle)]
            assert result.stopped_at is None
            assert result.state in (SlaState.RUNNING, SlaState.PAUSED, SlaState.BREACHED)
            assert notice.breach == (result.state is SlaState.BREACHED)
        keys = [(n.metric, n.cycle) for n in notices]
        assert len(keys) == len(set(keys))


@given(POLICIES, event_histories(max_events=12), CHECKS)
def test_a_later_check_never_notifies_a_level_already_recorded(
    policy: SlaPolicy, history: list[TicketEvent], permille: list[int]
) -> None:
    # (c): every notice is above the level its cycle had recorded before the
    # check, passes over exactly the levels in between, and is then recorded.
    ticket, checks = replay_with_checks(policy, history, permille)
    for report, notices in checks:
        before = tops(report)
        for notice in notices:
            done = before.get((notice.metric, notice.cycle), 0)
            assert notice.level > done
            assert notice.passed == tuple(range(done + 1, notice.level))
    recorded = [e for e in ticket.history if isinstance(e, SlaWarned | SlaBreached)]
    notified = sum(len(notices) for _, notices in checks)
    original = sum(isinstance(e, SlaWarned | SlaBreached) for e in history)
    assert len(recorded) == original + notified


def test_a_paused_clock_notifies_when_it_runs_on_and_crosses_a_level() -> None:
    # Resolution (urgent, 8 h) pauses while the customer decides; on site (24 h
    # calendar time) runs on.
    desk, clock, tid = urgent_desk()
    desk.acknowledge(tid, by="李工")
    clock.set(at(2, 13, 30))  # resolution: 3 h used
    steps = [SolutionStep("更换主板", "王工", at(4, 18))]
    desk.propose_solution(tid, by="李工", summary="更换主板", steps=steps)
    clock.set(at(3, 9))
    # Resolution paused at 3 h, under its 4 h level. On site: 24 h used, not
    # more: its 12 h and 19 h 12 min levels are crossed, not the target.
    notices = desk.check_sla(tid)
    assert summary(notices) == [("onsite_within", 2, False, (1,))]
    assert notices[0].crossed_at == at(3, 4, 12)
    desk.record_agreement(tid, by="李工", words="同意")
    clock.set(at(3, 10, 30))  # resolution: 4 h 30 min used, 4 h reached at 10:00
    assert summary(desk.check_sla(tid)) == [
        ("onsite_within", 3, True, ()),
        ("resolution", 1, False, ()),
    ]
    assert desk.check_sla(tid) == []
