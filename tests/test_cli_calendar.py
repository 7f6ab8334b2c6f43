"""``aftersales calendar load`` / ``show``, and the store's schedules in ``report``, ``sla sweep``
and ``projections rebuild``, run through ``main`` on temporary SQLite stores.

The 2031 schedule here is FICTIONAL (made up for the tests), not an official notice.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pendulum
import pytest

from aftersales import Channel, Customer, FixedClock, ProblemCategory, ServiceDesk
from aftersales.calendar import WorkCalendar, load_schedule
from aftersales.cli import main
from aftersales.sla import SlaPolicy
from aftersales.storage import SQLiteStore

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "calendars"
SH = "Asia/Shanghai"
FICTIONAL_2031 = """\
# FICTIONAL schedule for the tests, not an official notice
year = 2031
source = "fictional"

[days_off]
"2031-03-04" = "虚构假日"
"2031-10-01/2031-10-07" = "国庆节"

[working_days]
"2031-09-28" = "国庆节调休"
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    SQLiteStore(path).close()
    return path


@pytest.fixture
def fictional(tmp_path: Path) -> Path:
    path = tmp_path / "cn-2031.toml"
    path.write_text(FICTIONAL_2031, encoding="utf-8")
    return path


def _stored(db: Path) -> list[object]:
    with SQLiteStore(db) as store:
        return list(store.find_schedules())


def test_load_then_show(db: Path, fictional: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "load", str(fictional), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out == (
        f"CN 2031: stored 8 days off (6 on Monday–Friday) and 1 working weekend day in {db}\n"
    )
    assert "projections rebuild" in err
    assert _stored(db) == [load_schedule(fictional)]
    assert main(["calendar", "show", "2031", "--db", str(db)]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == [
        f"CN 2031, from the schedule stored in {db}",
        "source: fictional",
        "days off (8):",
        "  2031-03-04  Tue  虚构假日",
        *(
            f"  2031-10-{d:02}  {w}  国庆节"
            for d, w in zip(
                range(1, 8), ["Wed", "Thu", "Fri", "Sat", "Sun", "Mon", "Tue"], strict=True
            )
        ),
        "working weekends (1):",
        "  2031-09-28  Sun  国庆节调休",
    ]
    assert main(["calendar", "load", str(fictional), "--db", str(db)]) == 0
    assert "already stored" in capsys.readouterr().out


def test_show_a_package_year_and_as_toml(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["calendar", "show", "2026"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("CN 2026, from the holidays package ")
    assert "  2026-10-01  Thu  国庆节" in out.splitlines()
    assert "  2026-02-14  Sat  调休（2026-02-20 休息）" in out.splitlines()
    example = EXAMPLES / "cn-2026.ics"
    assert main(["calendar", "show", "2026", "--schedule", str(example), "--format", "toml"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith(f"# CN 2026, from the schedule file {example}\n")
    written = tmp_path / "again.toml"
    written.write_text(out, encoding="utf-8")
    assert load_schedule(written) == load_schedule(example)


def test_show_a_year_without_data_names_both_ways_out(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "show", "2031", "--db", str(db)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("aftersales: no official calendar data for 2031")
    assert "--complete-years 2031" in err
    assert "aftersales calendar load cn-2031.toml --db DB" in err


def test_a_file_contradicting_the_package_is_refused_and_nothing_stored(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (EXAMPLES / "cn-2026.toml").read_text(encoding="utf-8")
    wrong = tmp_path / "cn-2026.toml"
    wrong.write_text(
        text.replace('"2026-10-10" = "国庆节调休"', '"2026-10-11" = "国庆节调休"'), "utf-8"
    )
    before = db.read_bytes()
    assert main(["calendar", "load", str(wrong), "--db", str(db)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "contradicts the holidays package" in err
    assert "2026-10-10: the package has it working, the schedule has it off" in err
    assert "2026-10-11: the package has it off, the schedule has it working" in err
    assert db.read_bytes() == before
    assert _stored(db) == []


def test_a_self_contradicting_file_is_refused_with_every_problem(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        FICTIONAL_2031.replace('"2031-09-28"', '"2031-09-29"').replace(
            '"2031-03-04"', '"2030-03-04"'
        ),
        "utf-8",
    )
    assert main(["calendar", "load", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"aftersales: {bad}: 2 invalid values:")
    assert "days_off[2030-03-04]: 2030-03-04 is not in 2031" in err
    assert "working_days[2031-09-29]: 2031-09-29 is a Monday" in err
    assert _stored(db) == []


def test_a_different_schedule_needs_replace(
    db: Path, fictional: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "load", str(fictional), "--db", str(db)]) == 0
    other = tmp_path / "other.json"
    other.write_text('{"year": 2031, "days_off": {"2031-10-01/2031-10-08": "国庆节"}}', "utf-8")
    capsys.readouterr()
    assert main(["calendar", "load", str(other), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "another schedule is stored for that year" in err
    assert "--replace" in err
    assert _stored(db) == [load_schedule(fictional)]
    assert main(["calendar", "load", str(other), "--db", str(db), "--replace"]) == 0
    assert "replaced the stored schedule" in capsys.readouterr().out
    assert _stored(db) == [load_schedule(other)]


# -- an iCalendar feed of two years ----------------------------------------------------------
# FICTIONAL: New Year's Day as a yearly rule; 2031-10-01 a Wednesday, 2032-10-01 a Friday,
# 2031-09-28 and 2032-09-26 Sundays.

FEED_2031_2032 = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:FICTIONAL feed\r\n"
    "BEGIN:VEVENT\r\nSUMMARY:元旦\r\nDTSTART;VALUE=DATE:20310101\r\nRRULE:FREQ=YEARLY\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nSUMMARY:国庆节\r\nDTSTART;VALUE=DATE:20311001\r\nDURATION:P3D\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nSUMMARY:国庆节补班\r\nDTSTART;VALUE=DATE:20310928\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nSUMMARY:国庆节\r\nDTSTART;TZID=Asia/Shanghai:20321001T000000\r\n"
    "DTEND;TZID=Asia/Shanghai:20321003T000000\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nSUMMARY:国庆节上班\r\nDTSTART;VALUE=DATE:20320926\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "holidays-2031-2032.ics"
    path.write_text(FEED_2031_2032, encoding="utf-8", newline="")
    return path


def test_load_a_two_year_feed_stores_a_row_per_year_and_shows_each(
    db: Path, feed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "load", str(feed), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"CN 2031: stored 4 days off (4 on Monday–Friday) and 1 working weekend day in {db}",
        f"CN 2032: stored 3 days off (2 on Monday–Friday) and 1 working weekend day in {db}",
    ]
    assert err.count("projections rebuild") == 1
    with SQLiteStore(db) as store:
        assert [(s.country, s.year) for s in store.find_schedules()] == [
            ("CN", 2031),
            ("CN", 2032),
        ]
    assert main(["calendar", "show", "2031", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"CN 2031, from the schedule stored in {db}",
        "source: FICTIONAL feed",
        "days off (4):",
        "  2031-01-01  Wed  元旦",
        "  2031-10-01  Wed  国庆节",
        "  2031-10-02  Thu  国庆节",
        "  2031-10-03  Fri  国庆节",
        "working weekends (1):",
        "  2031-09-28  Sun  国庆节补班",
    ]
    assert main(["calendar", "show", "2032", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"CN 2032, from the schedule stored in {db}",
        "source: FICTIONAL feed",
        "days off (3):",
        "  2032-01-01  Thu  元旦",
        "  2032-10-01  Fri  国庆节",
        "  2032-10-02  Sat  国庆节",
        "working weekends (1):",
        "  2032-09-26  Sun  国庆节上班",
    ]
    assert main(["calendar", "load", str(feed), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.count("already stored") == 2


def test_a_feed_clashing_with_one_stored_year_stores_none_of_its_years(
    db: Path, feed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "cn-2032.json"
    other.write_text('{"year": 2032, "days_off": {"2032-10-01/2032-10-07": "国庆节"}}', "utf-8")
    assert main(["calendar", "load", str(other), "--db", str(db)]) == 0
    capsys.readouterr()
    before = _stored(db)
    assert main(["calendar", "load", str(feed), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "CN 2032: another schedule is stored for that year" in err
    assert _stored(db) == before  # 2031 was not stored either
    assert main(["calendar", "load", str(feed), "--db", str(db), "--replace"]) == 0
    assert [s.year for s in _stored(db)] == [2031, 2032]  # type: ignore[attr-defined]


def test_show_reads_every_year_of_a_feed_given_with_schedule(
    feed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "show", "2032", "--schedule", str(feed)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"CN 2032, from the schedule file {feed}"
    assert "  2032-10-02  Sat  国庆节" in out


# -- the store's schedules in the commands that read clocks ----------------------------------
# A past year the package does not cover (it starts in 2001), so that the sweep may read
# it now; the schedule is FICTIONAL.

FICTIONAL_1999 = """\
# FICTIONAL schedule for the tests, not the 1999 notice
year = 1999
[days_off]
"1999-03-02" = "虚构假日"
"""


def at(day: int, hour: int) -> pendulum.DateTime:
    return pendulum.datetime(1999, 3, day, hour, tz=SH)


@pytest.fixture
def desk_1999(tmp_path: Path) -> Path:
    """A store with one general ticket opened Monday 1999-03-01 17:00 (clocks on plain weeks)."""
    path = tmp_path / "desk1999.db"
    calendar = WorkCalendar.china(complete_years=[1999])
    with SQLiteStore(path) as store:
        desk = ServiceDesk(store, clock=FixedClock(at(1, 17)), sla=SlaPolicy.default(calendar))
        desk.open_ticket(
            customer=Customer(id="C1", name="甲公司"),
            channel=Channel.PHONE,
            category=ProblemCategory.LOGISTICS_DELAY,
            description="发货延迟",
            occurred_at=at(1, 17),
            by="李工",
            priority="general",
            ticket_id="G1",
        )
    return path


def test_report_sweep_and_rebuild_use_the_stored_schedule(
    desk_1999: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = str(desk_1999)
    schedule = tmp_path / "cn-1999.toml"
    schedule.write_text(FICTIONAL_1999, encoding="utf-8")
    sweep = ["sla", "sweep", "--db", db, "--at", "1999-03-03T11:30"]
    report = ["report", "daily", "--db", db, "--day", "1999-03-01", "--as-of", "1999-03-03T11:30"]
    rebuild = ["projections", "rebuild", "--db", db]
    # before: no data for 1999; the report refuses, the rebuild and the sweep skip the ticket
    assert main(report) == 2
    assert "no official calendar data for 1999" in capsys.readouterr().err
    assert main(rebuild) == 0
    assert "G1 has no SLA due time: no official calendar data for 1999" in caplog.text
    assert main(sweep) == 0
    assert capsys.readouterr().out.endswith("\n0 SLA notices recorded\n")
    assert "G1: its SLA clocks cannot be read: no official calendar data for 1999" in caplog.text
    assert main(["calendar", "load", str(schedule), "--db", db]) == 0
    caplog.clear()
    assert main(rebuild) == 0
    assert main(report) == 0
    assert "no official calendar data" not in caplog.text
    capsys.readouterr()
    # 1 h on Monday, Tuesday 2 March off, 2.5 h on Wednesday: 3.5 h of the 4 h first response
    assert main(sweep) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] != "0 SLA notices recorded"
    assert all("first_response  warning" in line for line in out[:-1])
    with SQLiteStore(desk_1999) as store:
        assert store.find_schedules("CN")[0].days_off[date(1999, 3, 2)] == "虚构假日"


def test_the_same_sweep_on_plain_weeks_finds_a_breach(
    desk_1999: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The counterpart of the test above: without the schedule Tuesday works, 4 h ran by then."""
    db = str(desk_1999)
    sweep = ["sla", "sweep", "--db", db, "--at", "1999-03-03T11:30", "--complete-years", "1999"]
    assert main(sweep) == 0
    assert "G1  first_response  breach" in capsys.readouterr().out
