"""Next year's calendar before the package has it: a 2027 file moves a deadline across New Year.

The 2027 schedule here is ILLUSTRATIVE (made up for the test, in the form of the
State Council's notice), not the official one: when the notice is out a team
writes its dates in the same form and loads them the same way.
"""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from aftersales import Channel, Customer, FixedClock, ProblemCategory, ServiceDesk
from aftersales.calendar import WorkCalendar, load_schedule
from aftersales.cli import main
from aftersales.errors import CalendarCoverageError
from aftersales.sla import SlaPolicy
from aftersales.storage import SQLiteStore

SH = "Asia/Shanghai"
ILLUSTRATIVE_2027 = """\
# ILLUSTRATIVE 2027 schedule for the tests, not the official notice
year = 2027
source = "illustrative"

[days_off]
"2027-01-01" = "元旦"
"2027-01-04" = "元旦调休"

[working_days]
"2027-01-09" = "元旦调休上班"
"""


@pytest.fixture
def schedule(tmp_path: Path) -> Path:
    path = tmp_path / "cn-2027.toml"
    path.write_text(ILLUSTRATIVE_2027, encoding="utf-8")
    return path


def test_the_file_moves_a_deadline_across_new_year_as_it_says(schedule: Path) -> None:
    """Thursday 31 December 16:00 plus 4 working hours (9:00–12:00, 13:30–18:00): 2 h on
    Thursday; Friday 1 January off, the weekend, Monday 4 January off by the file; 2 h on
    Tuesday 5 January from 9:00: 11:00. Without the file 2027 is not covered."""
    start = pendulum.datetime(2026, 12, 31, 16, tz=SH)
    with pytest.raises(CalendarCoverageError):
        WorkCalendar.china().add(start, pendulum.duration(hours=4))
    calendar = WorkCalendar.china(schedules=[load_schedule(schedule)])
    assert calendar.add(start, pendulum.duration(hours=4)) == pendulum.datetime(
        2027, 1, 5, 11, tz=SH
    )
    # Saturday 9 January works by the file; Saturday 16 January does not
    saturday = pendulum.datetime(2027, 1, 9, 9, tz=SH)
    assert calendar.add(saturday, pendulum.duration(hours=1)) == saturday.add(hours=1)
    later = pendulum.datetime(2027, 1, 16, 9, tz=SH)
    assert calendar.add(later, pendulum.duration(hours=1)) == pendulum.datetime(
        2027, 1, 18, 10, tz=SH
    )


def test_the_december_report_needs_the_file_and_reads_with_it_once_stored(
    schedule: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "desk.db"
    opened_at = pendulum.datetime(2026, 12, 31, 16, tz=SH)
    with SQLiteStore(db) as store:
        desk = ServiceDesk(
            store,
            clock=FixedClock(opened_at),
            sla=SlaPolicy.default(WorkCalendar.china(complete_years=[2027])),
        )
        desk.open_ticket(
            customer=Customer(id="C1", name="甲公司"),
            channel=Channel.PHONE,
            category=ProblemCategory.LOGISTICS_DELAY,
            description="发货延迟",
            occurred_at=opened_at,
            by="李工",
            priority="general",
            ticket_id="G1",
        )
    report = [
        "report",
        "monthly",
        "--db",
        str(db),
        "--month",
        "2026-12",
        "--as-of",
        "2026-12-31T17:00",
    ]
    assert main(report) == 2
    assert "no official calendar data for 2027" in capsys.readouterr().err
    assert main(["calendar", "load", str(schedule), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["calendar", "show", "2027", "--db", str(db)]) == 0
    shown = capsys.readouterr().out
    assert "2027-01-04" in shown
    assert "元旦调休" in shown
    assert "2027-01-09" in shown
    assert main(report) == 0
    assert "no official calendar data" not in capsys.readouterr().err
