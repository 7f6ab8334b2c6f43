"""The demo and the command line, run as a user runs them.

Every test runs in a temporary current directory: the demo writes its folder
there, never into the repository.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import shlex
import sqlite3
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    CloseStatus,
    FixedClock,
    ServiceDesk,
    Ticket,
    TicketStatus,
    WorkCalendar,
)
from aftersales.cli import _args as types
from aftersales.cli import build_parser, main
from aftersales.demo import DEMO_START, SCENARIO_IDS, demo_policy, run_scenarios
from aftersales.kpi.periods import Period
from aftersales.storage import SQLiteStore, TicketQuery
from aftersales.testing.samples import sample_ticket


@pytest.fixture(autouse=True)
def _in_a_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def quarter_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo folder with a small generated quarter (about 140 tickets)."""
    folder = tmp_path_factory.mktemp("quarter")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main(["demo", "--scale", "0.1", "--only", "--lang", "en"]) == 0
    return folder / "aftersales-demo" / "aftersales.db"


def _command(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aftersales", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


# -- the demo -------------------------------------------------------------------------------


def test_demo_scenarios_reach_the_statuses_their_stories_describe() -> None:
    desk = ServiceDesk(clock=FixedClock(DEMO_START), sla=demo_policy(WorkCalendar.china()))
    ids = run_scenarios(desk)
    assert ids == list(SCENARIO_IDS)
    tickets = [desk.get(ticket_id) for ticket_id in ids]
    template, first_contact, dispute, low_score, complaint, duplicate, parts, outlet = tickets
    assert template.purchase is not None
    assert template.purchase.product.model == "A型智能办公设备"
    assert template.status is TicketStatus.CLOSED
    assert template.satisfaction == 5
    assert template.execution_log[0].onsite
    assert first_contact.resolved_on_first_contact
    assert [c.command for c in dispute.confirmations] == ["record_dispute", "record_agreement"]
    assert len(dispute.solutions) == 2
    assert low_score.status is TicketStatus.ANALYSING
    assert low_score.visits[-1].low_score
    assert low_score.close_status is CloseStatus.NEEDS_ESCALATION
    assert complaint.close_status is CloseStatus.NEEDS_ESCALATION
    assert duplicate.status is TicketStatus.CANCELLED
    assert [e.substatus for e in parts.history if e.command == "set_substatus"] == [
        "waiting_parts",
        None,
    ]
    assert parts.status is TicketStatus.CLOSED
    assert outlet.channel.code == "service_outlet"
    assert outlet.status is TicketStatus.CLOSED
    for ticket in tickets:
        assert Ticket.replay(ticket.history) == ticket


def test_demo_writes_into_a_named_folder_of_the_current_directory_and_says_so_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--scale", "0"]) == 0
    out = capsys.readouterr().out
    folder = tmp_path / "aftersales-demo"
    assert out.splitlines()[0] == f"aftersales demo: writing into {folder}{os.sep}"
    assert "A型智能办公设备" in out
    assert "138****5678" in out
    assert "13812345678" not in out
    assert out.count("受理登记") == 8
    assert "substatus=waiting_parts" in out  # the repair that waits for its spare part
    header = re.search(r"aftersales demo: 8 tickets, (\d+) events, SQLite store ([^,]+),", out)
    assert header is not None
    assert Path(header.group(2)).resolve() == folder / "aftersales.db"
    times = re.findall(r"^  (\d{4}-\d\d-\d\d \d\d:\d\d)  ", out, flags=re.M)
    assert len(times) == int(header.group(1))
    assert "SLA 首次响应" in out
    assert [p.name for p in tmp_path.iterdir()] == ["aftersales-demo"]
    with SQLiteStore(folder / "aftersales.db") as store:
        tickets = store.find(TicketQuery())
        assert sorted(t.id for t in tickets) == sorted(SCENARIO_IDS)
        assert store.check_integrity() == []
        assert all(Ticket.replay(t.history) == t for t in tickets)


def test_a_second_run_replaces_its_own_database_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--scale", "0", "--only"]) == 0
    assert "replacing" not in capsys.readouterr().out
    assert main(["demo", "--scale", "0", "--only", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("aftersales demo: replacing the demo database of an earlier run")
    with SQLiteStore(tmp_path / "aftersales-demo" / "aftersales.db") as store:
        assert store.count(TicketQuery()) == 8  # replaced, not added to


@pytest.mark.parametrize("kind", ["text", "other sqlite", "other store"])
def test_the_demo_never_replaces_a_file_that_is_not_its_own(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "aftersales-demo" / "aftersales.db"
    path.parent.mkdir()
    if kind == "text":
        path.write_text("my notes", encoding="utf-8")
    elif kind == "other sqlite":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE mine (a)")
        connection.close()
    else:
        with SQLiteStore(path) as store:
            store.save(sample_ticket(), expected_version=0)
    before = path.read_bytes()
    assert main(["demo", "--scale", "0", "--only"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("aftersales: ")
    assert f"{path.relative_to(tmp_path)} exists and is not a demo database" in err
    assert path.read_bytes() == before


def test_an_explicit_db_must_be_a_new_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "mine.db"
    assert main(["demo", "--db", str(path), "--only", "--scale", "0"]) == 0
    with SQLiteStore(path) as store:
        assert store.count(TicketQuery()) == 8
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["demo", "--db", str(path), "--scale", "0"]) == 2
    assert f"--db {path} exists" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_only_prints_the_named_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--scale", "0", "--only", "T20261013-001", "T20261015-002"]) == 0
    printed = re.findall(r"^(T\d{8}-\d{3})  ", capsys.readouterr().out, flags=re.M)
    assert printed == ["T20261013-001", "T20261015-002"]


def test_the_installed_command_runs_the_demo(tmp_path: Path) -> None:
    done = _command("demo", "--lang", "en", "--scale", "0", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "return visit" in done.stdout
    assert (tmp_path / "aftersales-demo" / "aftersales.db").is_file()


def test_the_demo_quarter_writes_its_monthly_report_beside_the_database(
    quarter_store: Path,
) -> None:
    folder = quarter_store.parent
    md = folder / "monthly-2026-12.en.md"
    page = folder / "monthly-2026-12.en.html"
    assert md.read_text(encoding="utf-8").startswith("# After-sales monthly report 2026-12")
    assert "Figures as of 2027-01-01 00:00" in md.read_text(encoding="utf-8")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with SQLiteStore(quarter_store) as store:
        assert store.count(TicketQuery()) > 6
        assert store.check_integrity() == []


# -- progress --------------------------------------------------------------------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--scale", "0.05", "--only"]) == 0
    err = capsys.readouterr().err
    assert err == ""


def test_no_progress_bar_in_a_pipe_and_none_needed_without_tqdm(tmp_path: Path) -> None:
    script = (
        "import sys; sys.modules['tqdm'] = None\n"  # import tqdm now fails
        "from aftersales.cli import main\n"
        "sys.exit(main(['demo', '--scale', '0.05', '--only']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, cwd=tmp_path, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert (tmp_path / "aftersales-demo" / "monthly-2026-12.zh.html").is_file()


def test_the_progress_bar_draws_on_a_terminal(tmp_path: Path) -> None:
    pytest.importorskip("tqdm", reason="the bar comes with the 'cli' extra")
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    child = subprocess.Popen(
        [sys.executable, "-m", "aftersales", "demo", "--scale", "0.05", "--only"],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        cwd=tmp_path,
    )
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the child
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    assert child.wait(timeout=120) == 0
    text = drawn.decode("utf-8")
    assert "\r" in text
    assert re.search(r"quarter: 100%\|█+\| (\d+)/\1", text), text[-400:]


# -- strict arguments ------------------------------------------------------------------------

REFUSED = [
    (["report", "monthly", "--month", "2026-13"], "'2026-13' is not a month"),
    (["report", "monthly", "--month", "2026-W42"], "'2026-W42' is not a month"),
    (["report", "weekly", "--week", "2026-10"], "'2026-10' is not an ISO week"),
    (["report", "weekly", "--week", "2025-W53"], "a week 01–52 for 2025"),
    (["report", "daily", "--day", "12/10/2026"], "'12/10/2026' is not a date"),
    (["report", "daily", "--day", "2026-02-30"], "'2026-02-30' is not a date"),
    (["report", "daily", "--day", "2026-10-12", "--month", "2026-10"], "--month 2026-10"),
    (["report", "daily", "--day", "2026-10-12", "--tz", "Mars/Base"], "'Mars/Base'"),
    (["report", "daily", "--day", "2026-10-12", "--as-of", "2026-10-15"], "'2026-10-15'"),
    (["report", "daily", "--day", "2026-10-12", "--as-of", "noon"], "'noon'"),
    (["report", "daily", "--day", "2026-10-12", "--complete-years", "27"], "'27'"),
    (["report", "monthly", "--db", "x.db"], "--month"),
    (["demo", "--scale", "-1"], "'-1' is not a scale"),
    (["demo", "--scale", "nan"], "'nan' is not a scale"),
    (["demo", "--only", "NOPE"], "'NOPE'"),
    (["demo", "--lang", "fr"], "'fr'"),
]


@pytest.mark.parametrize(("argv", "named"), REFUSED)
def test_bad_arguments_are_usage_errors_naming_the_value(
    argv: list[str], named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if argv[0] == "report" and "--db" not in argv:
        argv = [*argv, "--db", "x.db"]
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert named in err
    assert "accepted" in err or "choose from" in err or "required" in err or "unrecognized" in err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_accepted_ids_of_only_are_named() -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--only", "T20261012-009"])
    parser = build_parser()
    only = next(
        a for a in _sub(parser, "demo")._actions if a.option_strings == ["--only"]
    )  # the choices argparse lists in its message
    assert only.choices == SCENARIO_IDS


MONTHS = st.tuples(st.integers(0, 9999), st.integers(0, 99))


@given(MONTHS)
def test_month_accepts_exactly_the_months_period_parse_reads_as_months(ym: tuple[int, int]) -> None:
    text = f"{ym[0]:04d}-{ym[1]:02d}"
    if ym[0] >= 1 and 1 <= ym[1] <= 12:
        assert types.month(text) == text
        period = Period.parse(text, "UTC")
        assert period.first == date(ym[0], ym[1], 1)
        assert period.last.month == ym[1]
    else:
        with pytest.raises(argparse.ArgumentTypeError, match=re.escape(repr(text))):
            types.month(text)


@given(st.integers(1, 9999), st.integers(0, 99))
def test_iso_week_accepts_exactly_the_weeks_the_year_has(year: int, week: int) -> None:
    text = f"{year:04d}-W{week:02d}"
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        with pytest.raises(argparse.ArgumentTypeError, match="accepted"):
            types.iso_week(text)
    else:
        assert types.iso_week(text) == text
        assert Period.parse(text, "UTC").first == monday


@given(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32))
def test_day_accepts_exactly_the_calendar_dates(year: int, month: int, day: int) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        expected = date(year, month, day)
    except ValueError:
        with pytest.raises(argparse.ArgumentTypeError, match="accepted: YYYY-MM-DD"):
            types.day(text)
    else:
        assert types.day(text) == text
        assert Period.parse(text, "UTC").first == expected


@given(st.text(max_size=12) | st.from_regex(r"\d{4}-(W?\d\d|\d\d-\d\d)", fullmatch=True))
def test_no_text_is_read_as_two_kinds_of_period(text: str) -> None:
    """A value of one form is never reinterpreted as another (a week as a month …)."""
    accepted = []
    for parse in (types.month, types.iso_week, types.day):
        try:
            parse(text)
        except argparse.ArgumentTypeError as error:
            refusal = str(error)
        else:
            accepted.append(parse)
            continue
        assert refusal.startswith(f"{text!r} is not ")
    assert len(accepted) <= 1


OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))


@given(st.datetimes(timezones=st.none() | OFFSETS), st.sampled_from(["T", " "]))
def test_as_of_reads_back_every_iso_date_time(moment: datetime, separator: str) -> None:
    assert types.instant(moment.isoformat(sep=separator)) == moment


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_scale_accepts_exactly_the_finite_numbers_from_zero(number: float) -> None:
    text = repr(number)
    if number >= 0 and number != float("inf"):
        assert types.scale(text) == number
    else:
        with pytest.raises(argparse.ArgumentTypeError, match="accepted: a number ≥ 0"):
            types.scale(text)


@given(st.sampled_from(["Asia/Shanghai", "UTC", "Europe/Paris", "America/New_York"]) | st.text())
def test_zone_accepts_the_iana_names_and_nothing_else(name: str) -> None:
    import zoneinfo

    if name in zoneinfo.available_timezones():
        assert types.zone(name) == name
    elif "/" not in name and name.isalpha() and name.isascii():
        return  # a bare alias may be a legacy zone (EST, GMT): not decided here
    else:
        with pytest.raises(argparse.ArgumentTypeError, match="accepted: an IANA name"):
            types.zone(name)


# -- one line on stderr, status 2 ------------------------------------------------------------


def _one_line(err: str) -> str:
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert err.startswith("aftersales: ")
    assert "Traceback" not in err
    return err


def test_a_file_that_is_not_a_database_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.db").write_text("not a database", encoding="utf-8")
    assert main(["report", "daily", "--day", "2026-10-12", "--db", "notes.db"]) == 2
    assert "--db notes.db is not a SQLite database" in _one_line(capsys.readouterr().err)


def test_another_programs_sqlite_file_is_refused_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "crm.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE contacts (name)")
    connection.close()
    before = path.read_bytes()
    assert main(["report", "daily", "--day", "2026-10-12", "--db", str(path)]) == 2
    assert "a SQLite database of something else" in _one_line(capsys.readouterr().err)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.sqlite"]


def test_a_missing_store_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "daily", "--day", "2026-10-12", "--db", "none.db"]) == 2
    assert "--db none.db does not exist" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("flag", ["--md", "--html"])
def test_an_output_in_a_missing_folder_is_named_and_nothing_is_written(
    flag: str, quarter_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "reports" / "oct.out"
    argv = ["report", "monthly", "--month", "2026-10", "--db", str(quarter_store)]
    assert main([*argv, flag, str(target)]) == 2
    assert f"the folder {target.parent} does not exist" in _one_line(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_a_file_system_error_is_one_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "plain").write_text("", encoding="utf-8")
    assert main(["demo", "--out", "plain/demo", "--scale", "0"]) == 2
    err = capsys.readouterr().err
    assert _one_line(err).startswith("aftersales: plain/demo: Not a directory")


def test_a_report_past_the_calendar_data_names_the_flag_that_fixes_it(
    quarter_store: Path, tmp_path: Path
) -> None:
    db = str(quarter_store)
    as_of = ["--as-of", "2026-12-31T20:00"]  # read with December's clocks running into 2027
    done = _command("report", "monthly", "--month", "2026-12", "--db", db, *as_of, cwd=tmp_path)
    assert done.returncode == 2
    err = _one_line(done.stderr)
    assert "no official calendar data for 2027" in err
    assert "--complete-years 2027" in err
    assert "complete_years=[2027]" in err
    assert done.stdout == ""
    fixed = _command(
        "report", "monthly", "--month", "2026-12", "--db", db, *as_of, "--complete-years", "2027"
    )
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout.startswith("# 售后服务月报 2026-12")


def test_usage_errors_exit_with_status_2_from_the_installed_command(tmp_path: Path) -> None:
    done = _command("report", "weekly", "--week", "2026-10", "--db", "x.db", cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "'2026-10' is not an ISO week" in done.stderr


def test_output_piped_to_a_reader_that_goes_away_ends_quietly(
    quarter_store: Path, tmp_path: Path
) -> None:
    args = ["report", "monthly", "--month", "2026-10", "--db", str(quarter_store)]
    child = subprocess.Popen(
        [sys.executable, "-m", "aftersales", *args, "--complete-years", "2027"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    child.stdout.close()  # like `| head -1` that has read its line, before the report is written
    err = child.stderr.read()
    assert child.wait(timeout=120) == 141
    assert err == b""


def test_multi_line_messages_are_indented_under_the_first(capsys) -> None:
    from aftersales import InvalidData
    from aftersales.cli.program import _complain

    _complain(str(InvalidData.from_problems([("score", "7 is out of range"), ("at", "naive")])))
    assert capsys.readouterr().err == (
        "aftersales: 2 invalid values:\n  score: 7 is out of range\n  at: naive\n"
    )


# -- reports ---------------------------------------------------------------------------------


def test_report_reads_the_demo_store(quarter_store: Path, tmp_path: Path, capsys) -> None:
    db = str(quarter_store)
    with SQLiteStore(quarter_store) as store:
        october = [
            t
            for t in store.find(TicketQuery())
            if t.received_at.in_timezone("Asia/Shanghai").month == 10
        ]
    out = tmp_path / "oct.html"
    assert main(["report", "monthly", "--month", "2026-10", "--db", db, "--lang", "zh",
                 "--html", str(out), "--complete-years", "2027"]) == 0  # fmt: skip
    assert out.read_text(encoding="utf-8").count("售后服务月报 2026-10") >= 1
    capsys.readouterr()
    assert main(["report", "monthly", "--month", "2026-10", "--db", db, "--lang", "en",
                 "--complete-years", "2027"]) == 0  # fmt: skip
    assert f"| Tickets received | {len(october)} |" in capsys.readouterr().out
    assert main(["report", "weekly", "--week", "2026-W42", "--db", db,
                 "--complete-years", "2027"]) == 0  # fmt: skip
    assert "售后问题周报 2026-W42" in capsys.readouterr().out


def _daily(db: Path, as_of: str) -> str:
    done = _command(
        "report", "daily", "--day", "2026-10-15", "--db", str(db), "--lang", "en", "--as-of", as_of
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_as_of_reads_the_figures_at_that_instant_in_the_calendars_zone(tmp_path: Path) -> None:
    assert main(["demo", "--scale", "0", "--only"]) == 0
    db = tmp_path / "aftersales-demo" / "aftersales.db"
    noon = _daily(db, "2026-10-15T12:00")  # T20261015-001 and -002 come in at 15:05 and 16:05
    assert "Figures as of 2026-10-15 12:00 (Asia/Shanghai)" in noon
    assert "T20261015-001" not in noon
    assert re.search(r"^0 tickets received", noon, flags=re.M)
    assert _daily(db, "2026-10-15 04:00+00:00") == noon  # the same instant, written in UTC
    night = _daily(db, "2026-10-15T23:00")
    assert "T20261015-001" in night
    assert re.search(r"^2 tickets received \(1 cancelled\)", night, flags=re.M)


# -- help ------------------------------------------------------------------------------------


def _sub(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found: argparse.ArgumentParser = action.choices[name]
    return found


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


COMMANDS = [path for path, _ in _commands(build_parser())]


def test_the_help_covers_every_command() -> None:
    assert COMMANDS == [
        (),
        ("demo",),
        ("report",),
        ("report", "daily"),
        ("report", "weekly"),
        ("report", "monthly"),
        ("report", "quarterly"),
        ("report", "yearly"),
        ("sla",),
        ("sla", "sweep"),
        ("sla", "policy"),
        ("sla", "policy", "show"),
        ("sla", "policy", "load"),
        ("sla", "backtest"),
        ("projections",),
        ("projections", "rebuild"),
        ("calendar",),
        ("calendar", "load"),
        ("calendar", "show"),
        ("calendar", "define"),
        ("calendar", "list"),
        ("team",),
        ("team", "define"),
        ("team", "list"),
        ("attributes",),
        ("attributes", "declare"),
        ("attributes", "list"),
        ("attributes", "schema"),
        ("schema",),
        ("db",),
        ("db", "upgrade"),
        ("db", "current"),
        ("db", "history"),
        ("serve",),
        ("subscribe",),
        ("import",),
        ("export",),
    ]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "aftersales")
def test_help_has_a_description_the_defaults_and_a_working_example(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    parser = dict(_commands(build_parser()))[path]
    with pytest.raises(SystemExit) as raised:
        main([*path, "--help"])
    assert raised.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert parser.description
    assert " ".join(parser.description.split()) in shown
    for action in parser._actions:
        if action.default not in (None, False, argparse.SUPPRESS):
            assert "%(default)s" in str(action.help), action.dest
            assert f"(default: {action.default}" in shown, action.dest
    assert parser.epilog is not None
    examples = re.findall(r"^  (aftersales .*?)(?:\s+#.*)?$", parser.epilog, flags=re.M)
    assert examples, "no example in the epilog"
    for example in examples:
        assert " ".join(example.split()) in shown
        words = shlex.split(example)[1:]
        if "--help" not in words:
            build_parser().parse_args(words)  # the example is a valid command line
