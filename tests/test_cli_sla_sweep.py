"""``aftersales sla sweep``, run as a user runs it: through ``main`` and in a subprocess.

The store holds three tickets registered on Monday 2026-03-02 (China office
hours, 09:00–12:00 and 13:30–18:00): U1 urgent at 09:00 (first response 30
min: warnings 09:15 and 09:24, breached after 09:30), G1 general at 09:00
(first response 4 h: first warning 11:00) and G2 general at 10:00 (first
warning 12:00). Swept at 11:30, U1's breach and G1's first warning are due.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from aftersales import Channel, Customer, FixedClock, ProblemCategory, ServiceDesk
from aftersales.calendar import WorkCalendar
from aftersales.cli import main
from aftersales.sla import SlaPolicy
from aftersales.storage import SQLiteStore

SH = "Asia/Shanghai"


def at(hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, 2, hour, minute, tz=SH)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    clock = FixedClock(at(9))
    with SQLiteStore(path) as store:
        desk = ServiceDesk(store, clock=clock, sla=SlaPolicy.default(WorkCalendar.china()))
        for ticket_id, priority, opened in (("U1", "urgent", at(9)), ("G1", "general", at(9))):
            clock.set(opened)
            _open(desk, ticket_id, priority)
        clock.set(at(10))
        _open(desk, "G2", "general")
    return path


def _open(desk: ServiceDesk, ticket_id: str, priority: str) -> None:
    desk.open_ticket(
        customer=Customer(id="C1", name="甲公司"),
        channel=Channel.PHONE,
        category=ProblemCategory.LOGISTICS_DELAY,
        description="发货延迟",
        occurred_at=desk.clock.now(),
        by="李工",
        priority=priority,
        ticket_id=ticket_id,
    )


def test_a_sweep_prints_each_notice_and_the_count(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sla", "sweep", "--db", str(db), "--at", "2026-03-02T11:30"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "U1  first_response  breach     crossed 2026-03-02 09:30  due 2026-03-02 09:30",
        "G1  first_response  warning 1  crossed 2026-03-02 11:00  due 2026-03-02 14:30",
        "2 SLA notices recorded",
    ]
    with SQLiteStore(db) as store:
        assert [e.command for e in store.get("U1").history] == ["open_ticket", "record_sla_breach"]
        assert store.get("G2").version == 1
    assert main(["sla", "sweep", "--db", str(db), "--at", "2026-03-02 11:30+08:00"]) == 0
    assert capsys.readouterr().out == "0 SLA notices recorded\n"


def _sweep(db: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aftersales", "sla", "sweep", "--db", str(db), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_sweep_in_a_subprocess_in_batches_of_one(db: Path) -> None:
    done = _sweep(db, "--at", "2026-03-02T04:05+00:00", "--batch", "1")  # 12:05 in Shanghai
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "3 SLA notices recorded"  # G2's first warning too, at 12:00
    assert sorted(line.split()[0] for line in lines[:-1]) == ["G1", "G2", "U1"]
    assert "G2  first_response  warning 1  crossed 2026-03-02 12:00  due 2026-03-02 15:30" in lines
    assert _sweep(db, "--at", "2026-03-02T04:05+00:00").stdout == "0 SLA notices recorded\n"


def test_a_sweep_on_another_calendar_than_the_stores_says_to_rebuild(db: Path) -> None:
    # Office hours in UTC start at 17:00 in Shanghai: at 11:30 there nothing has run on that
    # calendar, although the store's index (computed in Shanghai) says two tickets are due.
    done = _sweep(db, "--at", "2026-03-02T11:30+08:00", "--tz", "UTC")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "0 SLA notices recorded\n"
    assert "2 tickets were due" in done.stderr
    assert "aftersales projections rebuild" in done.stderr


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--db", "missing.db"], "aftersales: --db missing.db does not exist; accepted: "),
        (["--at", "2099-01-01T00:00"], "aftersales: at: 2098-12-31T16:00:00+00:00 is later than"),
    ],
)
def test_refusals_are_one_line_with_status_2(
    db: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], expected: str
) -> None:
    args = ["sla", "sweep", "--db", str(db), *arguments]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected)
    assert err.count("\n") == 1
    with SQLiteStore(db) as store:
        assert [store.get(i).version for i in ("U1", "G1", "G2")] == [1, 1, 1]


@pytest.mark.parametrize(
    "arguments",
    [["--batch", "0"], ["--batch", "x"], ["--at", "2026-03-02"], ["--tz", "Mars/Base"], []],
)
def test_usage_errors_exit_2(
    db: Path, capsys: pytest.CaptureFixture[str], arguments: list[str]
) -> None:
    args = ["sla", "sweep", *(["--db", str(db)] if arguments else []), *arguments]
    with pytest.raises(SystemExit) as stopped:
        main(args)
    assert stopped.value.code == 2
    assert "usage: aftersales sla sweep" in capsys.readouterr().err
