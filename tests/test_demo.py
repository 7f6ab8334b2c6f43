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
