"""Clocks that restart (update time, periodic update) and the helpdesk clocks.

The Zammad cases port the update-time checks of Zammad's unit test
``test/unit/ticket_sla_test.rb`` ('ticket sla'): a Berlin calendar, Monday to
Friday 08:00–18:00, an update time of 120 minutes, a ticket created on
Thursday 2013-03-21 at 09:30 UTC. Zammad's ``update_escalation_at`` is our
running cycle's ``due_at``; its ``update_in_min`` and ``update_diff_in_min``
are the finished cycle's ``elapsed`` and ``remaining``. Zammad (before its
issue #3140) restarted the update clock at every contact, agent or customer;
the metric below declares exactly that.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pendulum
import pytest
from hypothesis import given

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    InvalidData,
    Priority,
    ProblemCategory,
    ServiceDesk,
    SolutionStep,
    Ticket,
    TicketEvent,
)
from aftersales.calendar import WorkCalendar
from aftersales.sla import (
    ReopenPolicy,
    SlaMetric,
    SlaPolicy,
    SlaState,
    Trigger,
    WorkingTime,
)
from aftersales.sla.clocks import MetricClock
from aftersales.sla.helpdesk_metrics import helpdesk_metrics
from aftersales.testing.strategies import event_histories

BERLIN_8_18 = WorkCalendar("Europe/Berlin", {d: [("08:00", "18:00")] for d in range(5)})
BERLIN_9_17 = WorkCalendar("Europe/Berlin", {d: [("09:00", "17:00")] for d in range(5)})
SH = "Asia/Shanghai"
OFFICE = WorkCalendar(SH, {d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)})
CUSTOMER = Customer(id="C202405001", name="XX科技有限公司")


def zammad_update_time(minutes: int) -> SlaMetric:
    """Zammad's update time before #3140: every contact restarts the clock."""
    return SlaMetric(
        name="update_time",
        label_zh="更新时限",
        label_en="update time",
        starts=(Trigger("open_ticket"),),
        stops=(Trigger("finish_execution"), Trigger("resolve_on_first_contact")),
        restarts=(Trigger("record_contact"),),
        targets={p: WorkingTime(timedelta(minutes=minutes)) for p in Priority},
        reopen=ReopenPolicy.NEW_CYCLE,
    )


def utc(hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2013, 3, 21, hour, minute, tz="UTC")


def zammad_desk(calendar: WorkCalendar, minutes: int) -> tuple[ServiceDesk, FixedClock, str]:
    clock = FixedClock(utc(9, 30))
    desk = ServiceDesk(clock=clock, sla=SlaPolicy([zammad_update_time(minutes)], calendar))
    ticket = desk.open_ticket(
        customer=CUSTOMER,
        channel=Channel.EMAIL,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="some title",
        occurred_at=utc(9, 30),
        priority=Priority.GENERAL,
        by="agent",
    )
    return desk, clock, ticket.id


def contact(
    desk: ServiceDesk, clock: FixedClock, tid: str, when: pendulum.DateTime, *, inbound: bool
) -> None:
    clock.set(when)
    desk.record_contact(tid, channel=Channel.EMAIL, summary="update", inbound=inbound, by="agent")


def update_cycles(desk: ServiceDesk, tid: str, when: pendulum.DateTime) -> list:
    return [r for r in desk.sla(tid, at=when).results if r.metric == "update_time"]


def test_zammad_update_escalation_of_a_new_ticket() -> None:
    # 'verify 1': calendar 09:00-17:00, update time 180 min → 12:30 UTC.
    desk, _, tid = zammad_desk(BERLIN_9_17, 180)
    (running,) = update_cycles(desk, tid, utc(9, 31))
    assert running.state is SlaState.RUNNING
    assert running.due_at == utc(12, 30)
    # 'verify 2': calendar 08:00-18:00, update time 120 min → 11:30 UTC.
    desk, _, tid = zammad_desk(BERLIN_8_18, 120)
    (running,) = update_cycles(desk, tid, utc(9, 31))
    assert running.due_at == utc(11, 30)


def test_zammad_update_in_time_restarts_the_clock() -> None:
    # 'verify 5': an agent contact at 11:00 → update_in_min 90, diff 30, next 13:00.
    desk, clock, tid = zammad_desk(BERLIN_8_18, 120)
    contact(desk, clock, tid, utc(11), inbound=False)
    first, second = update_cycles(desk, tid, utc(11, 1))
    assert (first.state, first.elapsed, first.remaining) == (
        SlaState.MET,
        timedelta(minutes=90),
        timedelta(minutes=30),
    )
    assert first.stopped_at == second.started_at == utc(11)
    assert (second.state, second.due_at) == (SlaState.RUNNING, utc(13))


def test_zammad_update_over_time_then_contacts_move_the_escalation() -> None:
    # 'verify 6': the agent's contact at 12:00 → update_in_min 150, diff -30, next 14:00;
    # the customer's at 12:05 → 14:05; the agent's at 12:10 → 14:10.
    desk, clock, tid = zammad_desk(BERLIN_8_18, 120)
    contact(desk, clock, tid, utc(12), inbound=False)
    first, second = update_cycles(desk, tid, utc(12, 1))
    assert (first.state, first.elapsed, first.remaining) == (
        SlaState.BREACHED,
        timedelta(minutes=150),
        timedelta(minutes=-30),
    )
    assert second.due_at == utc(14)
    contact(desk, clock, tid, utc(12, 5), inbound=True)
    assert update_cycles(desk, tid, utc(12, 6))[-1].due_at == utc(14, 5)
    contact(desk, clock, tid, utc(12, 10), inbound=False)
    cycles = update_cycles(desk, tid, utc(12, 11))
    assert cycles[-1].due_at == utc(14, 10)
    assert [c.state for c in cycles] == [
        SlaState.BREACHED,
        SlaState.MET,
        SlaState.MET,
        SlaState.RUNNING,
    ]


def test_zammad_close_ends_the_update_clock() -> None:
    # 'verify 9': once the ticket is solved no update escalation is pending.
    desk, clock, tid = zammad_desk(BERLIN_8_18, 120)
    clock.set(utc(10))
    desk.resolve_on_first_contact(tid, answer="fixed", by="agent")
    (only,) = update_cycles(desk, tid, utc(15))
    assert (only.state, only.elapsed, only.stopped_at) == (
        SlaState.MET,
        timedelta(minutes=30),
        utc(10),
    )


def test_a_restart_with_a_restart_reopen_policy_is_refused() -> None:
    with pytest.raises(InvalidData, match="reopen: a metric with restarts counts every cycle"):
        SlaMetric(
            name="update",
            label_zh="更新",
            label_en="update",
            starts=(Trigger("open_ticket"),),
            stops=(Trigger("finish_execution"),),
            restarts=(Trigger("record_contact"),),
            targets={Priority.URGENT: WorkingTime(timedelta(hours=1))},
            reopen=ReopenPolicy.RESTART,
        )


# -- for all histories: restarts cut the running time, they never add or lose any --

_STOPS = (Trigger("finish_execution"), Trigger("resolve_on_first_contact"))
_RESTARTS = (Trigger("record_contact"), Trigger("add_note"), Trigger("assign"))


def _metric(restarts: tuple[Trigger, ...]) -> SlaMetric:
    return SlaMetric(
        name="update",
        label_zh="更新",
        label_en="update",
        starts=(Trigger("open_ticket"), Trigger("reopen")),
        stops=_STOPS,
        restarts=restarts,
        targets={p: WorkingTime(timedelta(hours=2)) for p in Priority},
        reopen=ReopenPolicy.NEW_CYCLE,
    )


@given(event_histories())
def test_restarts_partition_the_running_time(history: list[TicketEvent]) -> None:
    ticket = Ticket.replay(history)
    at = ticket.updated_at.add(days=3)
    plain = MetricClock(_metric(()), OFFICE).evaluate(ticket, at)
    cut = MetricClock(_metric(_RESTARTS), OFFICE).evaluate(ticket, at)
    assert sum((r.elapsed for r in cut), timedelta()) == sum(
        (r.elapsed for r in plain), timedelta()
    )
    assert sum((r.calendar_elapsed for r in cut), timedelta()) == sum(
        (r.calendar_elapsed for r in plain), timedelta()
    )
    # Each restart event inside a running cycle adds exactly one cycle, starting where
    # the previous one stopped (events at a cycle's very start or stop instant may fall
    # either side of it, hence the two bounds).
    strictly, loosely = 0, 0
    for cycle in plain:
        end = cycle.stopped_us if cycle.stopped_us is not None else 2**62
        for event in history:
            if event.command in {"record_contact", "add_note", "assign"}:
                strictly += cycle.started_us < event.at_us < end
                loosely += cycle.started_us <= event.at_us <= end
    assert strictly <= len(cut) - len(plain) <= loosely
    for before, after in pairwise(cut):
        assert before.stopped_us is not None
        assert before.stopped_us <= after.started_us


# -- the helpdesk clocks, worked by hand on the office calendar (09:00-12:00, 13:30-18:00) --


def at(month: int, day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, month, day, hour, minute, tz=SH)


def helpdesk_desk(start: pendulum.DateTime) -> tuple[ServiceDesk, FixedClock, str]:
    clock = FixedClock(start)
    policy = SlaPolicy(helpdesk_metrics(), OFFICE)
    desk = ServiceDesk(clock=clock, sla=policy)
    tid = desk.open_ticket(
        customer=CUSTOMER,
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="打印机卡纸",
        occurred_at=start,
        priority=Priority.GENERAL,
        by="李工",
    ).id
    return desk, clock, tid


def cycles_of(desk: ServiceDesk, tid: str, metric: str, when: pendulum.DateTime) -> list:
    return [r for r in desk.sla(tid, at=when).results if r.metric == metric]


def test_next_reply_counts_from_the_oldest_unanswered_message() -> None:
    # Monday 2026-03-02. Messages at 10:00 and 10:20, reply at 11:00: one cycle of 60 min.
    desk, clock, tid = helpdesk_desk(at(3, 2, 9))
    clock.set(at(3, 2, 9, 10))
    desk.acknowledge(tid, by="李工")
    for minute in (0, 20):
        clock.set(at(3, 2, 10, minute))
        desk.record_contact(tid, channel=Channel.WECHAT, summary="还没好", inbound=True, by="客户")
    clock.set(at(3, 2, 11))
    desk.record_contact(tid, channel=Channel.WECHAT, summary="今天修好", by="李工")
    # Friday 17:30 message, answered Monday 09:30: 30 + 30 working minutes, 64 h on the wall.
    clock.set(at(3, 6, 17, 30))
    desk.record_contact(tid, channel=Channel.WECHAT, summary="又卡纸", inbound=True, by="客户")
    clock.set(at(3, 9, 9, 30))
    desk.record_contact(tid, channel=Channel.PHONE, summary="下午上门", by="李工")
    first, second = cycles_of(desk, tid, "next_reply", at(3, 9, 10))
    assert (first.started_at, first.elapsed, first.state) == (
        at(3, 2, 10),
        timedelta(hours=1),
        SlaState.MET,
    )
    assert (second.elapsed, second.calendar_elapsed) == (timedelta(hours=1), timedelta(hours=64))


def test_periodic_update_restarts_at_every_update_until_resolved() -> None:
    # ack 09:00; update 11:00 (2 h); solution 15:00 (11-12 + 13:30-15 = 2.5 h);
    # execution finished 16:00 (1 h). General: 2 working days each, all met.
    desk, clock, tid = helpdesk_desk(at(3, 2, 8, 50))
    clock.set(at(3, 2, 9))
    desk.acknowledge(tid, by="李工")
    clock.set(at(3, 2, 11))
    desk.record_contact(tid, channel=Channel.PHONE, summary="在查", by="李工")
    clock.set(at(3, 2, 15))
    desk.propose_solution(
        tid,
        summary="更换搓纸轮",
        steps=[SolutionStep("更换搓纸轮", "王工", at(3, 3, 12))],
        by="李工",
    )
    clock.set(at(3, 2, 15, 30))
    desk.record_agreement(tid, words="同意", by="客户")
    clock.set(at(3, 2, 16))
    desk.finish_execution(tid, summary="已更换", by="王工")
    cycles = cycles_of(desk, tid, "periodic_update", at(3, 3, 9))
    assert [(c.elapsed, c.state) for c in cycles] == [
        (timedelta(hours=2), SlaState.MET),
        (timedelta(hours=2, minutes=30), SlaState.MET),
        (timedelta(hours=1), SlaState.MET),
    ]
    assert [c.started_at for c in cycles] == [at(3, 2, 9), at(3, 2, 11), at(3, 2, 15)]
    # Requester wait and agent work do not count the half hour the customer took to
    # confirm: 09:00-12:00 (opened 08:50, before office hours) + 13:30-15:00 + 15:30-16:00.
    (wait,) = cycles_of(desk, tid, "requester_wait", at(3, 3, 9))
    (work,) = cycles_of(desk, tid, "agent_work", at(3, 3, 9))
    assert wait.elapsed == work.elapsed == timedelta(minutes=180 + 90 + 30)
    assert wait.paused == timedelta(minutes=30)
    assert wait.calendar_elapsed == timedelta(hours=6, minutes=40)  # 08:50-15:00, 15:30-16:00


def test_stores_written_before_keep_their_facts_key() -> None:
    # The key of the default policy on the China calendar, as computed by the release
    # before restarts, sub-statuses and priority levels (commit 10cf0f4): a store's
    # facts stay valid after the upgrade, no rebuild needed.
    from aftersales.readmodel.fingerprint import projection_key

    china = WorkCalendar.china()
    assert projection_key(SlaPolicy.default(china), china, timedelta(hours=48)) == (
        "63950d1377f38b57f3c288f87138dd098a3b08b3d274bcab35842b8089da816d"
    )
    # Declaring no sub-statuses, or other pauses, is another configuration.
    from aftersales.model.substatus import SubStatuses

    bare = SlaPolicy.default(china, substatuses=SubStatuses())
    assert projection_key(bare, china, timedelta(hours=48)) != (
        "63950d1377f38b57f3c288f87138dd098a3b08b3d274bcab35842b8089da816d"
    )
