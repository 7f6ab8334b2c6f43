"""The demo and the command line, run as a user runs them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from aftersales import CloseStatus, FixedClock, ServiceDesk, Ticket, TicketStatus
from aftersales.cli import main
from aftersales.storage import SQLiteStore, TicketQuery
from aftersales.demo import DEMO_START, run_scenarios


def test_demo_scenarios_reach_the_statuses_their_stories_describe() -> None:
    desk = ServiceDesk(clock=FixedClock(DEMO_START))
    tickets = [desk.get(ticket_id) for ticket_id in run_scenarios(desk)]
    template, first_contact, dispute, low_score, complaint, duplicate = tickets
    assert template.purchase is not None
    assert template.purchase.product.model == "A型智能办公设备"
    assert template.status is TicketStatus.CLOSED
    assert template.satisfaction == 5
    assert template.execution_log[0].onsite
    assert first_contact.resolved_on_first_contact
    assert [c.command for c in dispute.confirmations] == ["customer_disputes", "customer_agrees"]
    assert len(dispute.solutions) == 2
    assert low_score.status is TicketStatus.ANALYSING
    assert low_score.visits[-1].low_score
    assert low_score.close_status is CloseStatus.NEEDS_ESCALATION
    assert complaint.close_status is CloseStatus.NEEDS_ESCALATION
    assert duplicate.status is TicketStatus.CANCELLED
    for ticket in tickets:
        assert Ticket.replay(ticket.history) == ticket


def test_demo_prints_every_history_with_masked_contacts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "A型智能办公设备" in out
    assert "138****5678" in out
    assert "13812345678" not in out
    assert out.count("受理登记") == 6
    header = re.match(r"aftersales demo: 6 tickets, (\d+) events, SQLite store (\S+)", out)
    assert header is not None
    times = re.findall(r"^  (\d{4}-\d\d-\d\d \d\d:\d\d)  ", out, flags=re.M)
    assert len(times) == int(header.group(1))
    assert "SLA 首次响应" in out


def test_demo_writes_a_sqlite_database_that_replays(tmp_path) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--only"]) == 0
    store = SQLiteStore(path)
    try:
        tickets = store.find(TicketQuery())
        assert len(tickets) == 6
        assert store.check_integrity() == []
        assert all(Ticket.replay(t.history) == t for t in tickets)
    finally:
        store.close()
    assert main(["demo", "--db", str(path)]) == 2


def test_the_installed_command_runs_the_demo() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aftersales", "demo", "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "return visit" in done.stdout


def test_unknown_options_fail_with_usage() -> None:
    with pytest.raises(SystemExit) as raised:
        main(["demo", "--lang", "fr"])
    assert raised.value.code == 2
