"""The demo's VIP contract: XX科技's tickets are judged on the contract's targets, recorded at registration."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aftersales import FixedClock, ServiceDesk, SlaState, WorkCalendar
from aftersales.demo import DEMO_END, DEMO_START, demo_policy, run_scenarios
from aftersales.demo.contracts import VIP_CONTRACT
from aftersales.sla import SlaPolicy

_IDS: list[str] = []


@pytest.fixture(scope="module")
def desk() -> ServiceDesk:
    desk = ServiceDesk(clock=FixedClock(DEMO_START), sla=demo_policy(WorkCalendar.china()))
    _IDS[:] = run_scenarios(desk)
    return desk


def test_the_vip_customers_ticket_records_the_contracts_policy_at_registration(
    desk: ServiceDesk,
) -> None:
    ticket = desk.get("T20261012-001")
    chosen = [e for e in ticket.history if e.command == "change_sla_policy"]
    assert [(e.seq, e.sla_policy, e.reason) for e in chosen] == [
        (2, "vip", f"VIP 服务合同 {VIP_CONTRACT}")
    ]
    assert chosen[0].at == ticket.history[0].at


def test_the_contract_holders_tickets_are_vip_and_the_others_standard(desk: ServiceDesk) -> None:
    chosen = {
        ticket_id: [
            e.sla_policy for e in desk.get(ticket_id).history if e.command == "change_sla_policy"
        ]
        for ticket_id in _IDS
    }
    holders = {t for t in _IDS if desk.get(t).customer_id == "C202405001"}
    assert holders == {"T20261012-001", "T20261014-001"}
    assert {t: c for t, c in chosen.items() if t in holders} == {t: ["vip"] for t in holders}
    outlet = {"T20261017-001"}  # registered at the Guangzhou outlet
    assert {t: c for t, c in chosen.items() if t in outlet} == {"T20261017-001": ["outlet"]}
    assert {t: c for t, c in chosen.items() if t not in holders | outlet} == {
        t: ["standard"] for t in _IDS if t not in holders | outlet
    }
    assert len(_IDS) == 8


def test_the_contract_changes_the_targets_not_the_time_used(desk: ServiceDesk) -> None:
    """Registered Monday 09:05; acknowledged 09:17; execution finished Tuesday 10:32, with
    10 min awaiting the customer's confirmation (9:00–12:00, 13:30–18:00): 2 h 55 + 4 h 30
    + 1 h 32 − 10 min = 8 h 47 min of resolution time."""
    ticket = desk.get("T20261012-001")
    calendar = WorkCalendar.china()
    vip = demo_policy(calendar).evaluate(ticket, DEMO_END)
    standard = SlaPolicy.default(calendar).evaluate(ticket, DEMO_END)
    assert vip["first_response"].elapsed == standard["first_response"].elapsed
    assert vip["first_response"].elapsed == timedelta(minutes=12)
    assert vip["resolution"].elapsed == standard["resolution"].elapsed
    assert vip["resolution"].elapsed == timedelta(hours=8, minutes=47)
    assert vip["first_response"].target.duration == timedelta(minutes=15)
    assert standard["first_response"].target.duration == timedelta(minutes=30)
    assert vip["resolution"].target.duration == timedelta(hours=4)
    assert standard["resolution"].target.duration == timedelta(hours=8)
    assert vip["first_response"].state is SlaState.MET
    assert vip["resolution"].state is SlaState.BREACHED


def test_the_demo_command_prints_the_contract_and_its_targets(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from aftersales.cli import main

    status = main(
        ["demo", "--out", str(tmp_path), "--lang", "en", "--scale", "0", "--only", "T20261012-001"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert f"sla_policy=vip; reason=VIP 服务合同 {VIP_CONTRACT}" in out
    assert "0h12m / 0h15m" in out
    assert "8h47m / 4h00m" in out


def test_the_demo_command_assigns_the_outlets_ticket_within_the_outlets_team(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from aftersales.cli import main

    status = main(
        ["demo", "--out", str(tmp_path), "--lang", "en", "--scale", "0", "--only", "T20261017-001"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "sla_policy=outlet" in out
    assert "team '广州网点': by skill C型商用咖啡机" in out
    assert "assignee=陈工" in out
    assert "3h10m / 24h00m" in out


def test_the_outlets_saturday_counts_on_its_calendar_and_not_on_the_head_offices(
    desk: ServiceDesk,
) -> None:
    """Saturday 17 October: registered 10:00, acknowledged 10:10, awaiting agreement
    10:50–11:00, finished 14:20; the outlet works 9:00–12:00 and 13:00–17:30 on Saturdays:
    2 h + 1 h 20 min − 10 min = 3 h 10 min. The head office does not work on Saturdays."""
    ticket = desk.get("T20261017-001")
    calendar = WorkCalendar.china()
    outlet = demo_policy(calendar).evaluate(ticket, DEMO_END)
    head_office = SlaPolicy.default(calendar).evaluate(ticket, DEMO_END)
    assert outlet["first_response"].elapsed == timedelta(minutes=10)
    assert outlet["resolution"].elapsed == timedelta(hours=3, minutes=10)
    assert head_office["first_response"].elapsed == timedelta(0)
    assert head_office["resolution"].elapsed == timedelta(0)
