"""The generated demo quarter: deterministic, valid, and shaped like its story."""

from __future__ import annotations

from collections import Counter

from aftersales import FixedClock, ServiceDesk, Ticket, TicketStatus
from aftersales.demo import QUARTER_END, QUARTER_START, plan_quarter, play, replay


def test_the_quarter_is_deterministic_and_inside_the_quarter() -> None:
    first = list(plan_quarter(seed=11, scale=0.3))
    assert first == list(plan_quarter(seed=11, scale=0.3))
    assert first != list(plan_quarter(seed=12, scale=0.3))
    assert all(QUARTER_START <= s.at < QUARTER_END for t in first for s in t.steps)
    assert len({t.ticket_id for t in first}) == len(first)


def test_desk_and_fast_replay_build_the_same_tickets() -> None:
    desk = ServiceDesk(clock=FixedClock(QUARTER_START))
    for planned in list(plan_quarter(seed=5, scale=0.1))[:60]:
        played = play(desk, planned)
        assert replay(planned) == played
        assert Ticket.replay(played.history) == played


def test_the_quarter_has_its_story() -> None:
    tickets = [replay(p) for p in plan_quarter(seed=2026, scale=0.5)]
    statuses = Counter(t.status for t in tickets)
    assert statuses[TicketStatus.CLOSED] > len(tickets) / 2
    assert statuses[TicketStatus.CANCELLED] >= 1
    assert sum(t.is_open for t in tickets) >= 1
    assert any(t.reopen_count for t in tickets)
    assert any(c.command == "record_dispute" for t in tickets for c in t.confirmations)
    assert any(v.low_score for t in tickets for v in t.visits)

    def share(month: int, category: str) -> float:
        cohort = [t for t in tickets if t.received_at.in_timezone("Asia/Shanghai").month == month]
        return sum(t.category.code == category for t in cohort) / len(cohort)

    # Double 11: logistics delays rise in November; the B-model batch fails on 1–12 December
    assert share(11, "logistics_delay") > share(10, "logistics_delay")
    december_b = [
        t for t in tickets
        if t.purchase and t.purchase.product.model == "B型扫地机器人"
        and t.received_at.in_timezone("Asia/Shanghai").month == 12
        and t.received_at.in_timezone("Asia/Shanghai").day <= 12
    ]  # fmt: skip
    october_b = [
        t for t in tickets
        if t.purchase and t.purchase.product.model == "B型扫地机器人"
        and t.received_at.in_timezone("Asia/Shanghai").month == 10
        and t.received_at.in_timezone("Asia/Shanghai").day <= 12
    ]  # fmt: skip
    assert len(december_b) > 2 * len(october_b)


def test_the_scenarios_refuse_a_desk_whose_clock_they_cannot_move() -> None:
    import pytest

    from aftersales import InvalidData, SystemClock
    from aftersales.demo.scenarios import run_scenarios

    desk = ServiceDesk(clock=SystemClock())
    with pytest.raises(InvalidData, match=r"^desk\.clock: .* is not a FixedClock; accepted: "):
        run_scenarios(desk)
    assert desk.find() == []  # nothing was played


def test_the_repair_waiting_for_parts_meets_its_resolution_clock_only_thanks_to_the_pause() -> None:
    """T20261012-003 (important: 24 working hours) runs 1 h 10 min before its three-day wait
    for a grinder motor, 22 h 30 min during it and 5 h 20 min after (9:00–12:00, 13:30–18:00)."""
    from datetime import timedelta

    from aftersales import SlaState, WorkCalendar
    from aftersales.demo import DEMO_END, DEMO_START, demo_policy, run_scenarios
    from aftersales.model.substatus import SubStatuses

    calendar = WorkCalendar.china()
    desk = ServiceDesk(clock=FixedClock(DEMO_START), sla=demo_policy(calendar))
    run_scenarios(desk)
    ticket = desk.get("T20261012-003")
    waits = [e.substatus for e in ticket.history if e.command == "set_substatus"]
    assert waits == ["waiting_parts", None]
    assert ticket.priority.value == "important"
    paused = demo_policy(calendar).evaluate(ticket, DEMO_END)["resolution"]
    without_pauses = demo_policy(calendar).with_options(substatuses=SubStatuses())
    unpaused = without_pauses.evaluate(ticket, DEMO_END)["resolution"]
    assert (paused.state, paused.elapsed) == (SlaState.MET, timedelta(hours=6, minutes=30))
    assert (unpaused.state, unpaused.elapsed) == (SlaState.BREACHED, timedelta(hours=29))
