"""The demo and the command line, run as a user runs them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from aftersales import CloseStatus, FixedClock, ServiceDesk, Ticket, TicketStatus
from aftersales.cli import main
from aftersales.demo import DEMO_START, run_scenarios
from aftersales.storage import SQLiteStore, TicketQuery


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
    assert main(["demo", "--scale", "0"]) == 0
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
    assert main(["demo", "--db", str(path), "--only", "--scale", "0"]) == 0
    store = SQLiteStore(path)
    try:
        tickets = store.find(TicketQuery())
        assert len(tickets) == 6  # --only and no quarter: the six scenarios
        assert store.check_integrity() == []
        assert all(Ticket.replay(t.history) == t for t in tickets)
    finally:
        store.close()
    assert main(["demo", "--db", str(path)]) == 2


def test_the_installed_command_runs_the_demo() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aftersales", "demo", "--lang", "en", "--scale", "0"],
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


def test_demo_quarter_writes_the_monthly_report_and_report_reads_it(tmp_path, capsys) -> None:
    db = tmp_path / "q.db"
    assert main(["demo", "--db", str(db), "--scale", "0.25", "--lang", "en", "--only"]) == 0
    captured = capsys.readouterr()
    assert re.search(r"quarter \[#+\] \d+/\d+ tickets", captured.err)  # the progress bar
    paths = re.findall(r"monthly report \((?:Markdown|HTML)\):\s+(\S+)", captured.out)
    md, page = (tmp_path / name.split("/")[-1] for name in paths)
    assert md.read_text(encoding="utf-8").startswith("# After-sales monthly report 2026-12")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    store = SQLiteStore(db)
    try:
        tickets = store.find(TicketQuery())
        assert len(tickets) > 6
        assert store.check_integrity() == []
        october = [t for t in tickets if t.received_at.in_timezone("Asia/Shanghai").month == 10]
    finally:
        store.close()
    out = tmp_path / "oct.html"
    assert main(["report", "monthly", "--month", "2026-10", "--db", str(db), "--lang", "zh",
                 "--html", str(out), "--complete-years", "2027"]) == 0  # fmt: skip
    assert out.read_text(encoding="utf-8").count("售后服务月报 2026-10") >= 1
    capsys.readouterr()
    assert main(["report", "monthly", "--month", "2026-10", "--db", str(db), "--lang", "en",
                 "--complete-years", "2027"]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert f"| Tickets received | {len(october)} |" in printed
    assert main(["report", "weekly", "--week", "2026-W42", "--db", str(db),
                 "--complete-years", "2027"]) == 0  # fmt: skip
    assert main(["report", "daily", "--day", "2026-10-12", "--db", str(db),
                 "--complete-years", "2027"]) == 0  # fmt: skip
    assert "T20261012-001" in capsys.readouterr().out


def test_report_needs_its_period_and_an_existing_store(tmp_path) -> None:
    with pytest.raises(SystemExit):
        main(["report", "monthly", "--db", str(tmp_path / "x.db")])
    assert main(["report", "daily", "--day", "2026-10-12", "--db", str(tmp_path / "none.db")]) == 2
