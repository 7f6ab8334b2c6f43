"""Official schedules: the shipped 2026 files against the holidays package, fictional years, refusals.

Every schedule for a year after 2026 here is FICTIONAL (made up for the tests);
the only official data is the 2026 example, checked against the ``holidays``
package, an independent source.
"""

from __future__ import annotations

import pickle
from datetime import date, timedelta
from pathlib import Path

import holidays
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.calendar import OfficialSchedule, WorkCalendar, load_schedule
from aftersales.errors import CalendarCoverageError, InvalidData, ScheduleError
from aftersales.readmodel.fingerprint import describe, projection_key
from aftersales.sla import SlaPolicy

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "calendars"
SH = "Asia/Shanghai"


def _days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def _package_2026() -> tuple[dict[date, str], set[date]]:
    package = holidays.country_holidays("CN", years=2026, language="zh_CN")
    off = {d: str(n) for d, n in package.items() if d.year == 2026}
    return off, {d for d in package.weekend_workdays if d.year == 2026}


def fictional(year: int = 2031) -> OfficialSchedule:
    """A made-up schedule (NOT an official notice)."""
    return OfficialSchedule(
        year,
        {date(year, 3, 4): "虚构假日", date(year, 10, 1): "国庆节"},
        {date(year, 9, 28): "国庆节调休"} if date(year, 9, 28).weekday() >= 5 else {},
        source="FICTIONAL example for tests",
    )


# -- the shipped 2026 example --------------------------------------------------------------


@pytest.mark.parametrize("name", ["cn-2026.toml", "cn-2026.json", "cn-2026.ics"])
def test_the_2026_example_agrees_with_the_holidays_package(name: str) -> None:
    schedule = load_schedule(EXAMPLES / name)
    off, work = _package_2026()
    assert (schedule.country, schedule.year) == ("CN", 2026)
    assert set(schedule.working_days) == work
    assert {d for d in schedule.days_off if d.weekday() < 5} == {d for d in off if d.weekday() < 5}
    calendar = WorkCalendar.china(schedules=[schedule])  # accepted: no contradiction
    assert calendar.schedules == (schedule,)
    for day in _days(2026):
        expected = day not in off and (day.weekday() < 5 or day in work)
        assert calendar.is_working_day(day) is expected, day


def test_the_three_2026_files_hold_the_same_days() -> None:
    toml, json_, ics = (load_schedule(EXAMPLES / f"cn-2026.{s}") for s in ("toml", "json", "ics"))
    assert toml == json_
    assert dict(toml.days_off) == dict(ics.days_off)
    assert set(toml.working_days) == set(ics.working_days)
    assert ics.source == toml.source  # a folded iCalendar line, unfolded


def test_the_2026_example_names_the_national_day_week() -> None:
    schedule = load_schedule(EXAMPLES / "cn-2026.toml")
    calendar = WorkCalendar.china(schedules=[schedule])
    assert [calendar.day_off_reason(date(2026, 10, d)) for d in (1, 4, 7, 8)] == [
        "国庆节",
        "国庆节",
        "国庆节",
        None,
    ]
    assert calendar.is_working_day(date(2026, 10, 10))  # a 调休 Saturday


# -- a fictional year -----------------------------------------------------------------------


def test_a_schedule_removes_the_coverage_error_of_its_year() -> None:
    start = pendulum.datetime(2031, 3, 3, 17, tz=SH)  # Monday
    with pytest.raises(CalendarCoverageError):
        WorkCalendar.china().add(start, pendulum.duration(hours=2))
    calendar = WorkCalendar.china(schedules=[fictional()])
    # 1 h on Monday, Tuesday 4 March is the fictional day off, 1 h on Wednesday
    assert calendar.add(start, pendulum.duration(hours=2)) == pendulum.datetime(
        2031, 3, 5, 10, tz=SH
    )
    assert calendar.covered_years[-1] == 2031
    with pytest.raises(CalendarCoverageError):
        calendar.add(pendulum.datetime(2030, 3, 4, tz=SH), pendulum.duration(hours=1))


def test_coverage_error_names_both_ways_out() -> None:
    with pytest.raises(CalendarCoverageError) as raised:
        WorkCalendar.china().is_working_day(date(2031, 5, 6))
    message = str(raised.value)
    assert "complete_years=[2031]" in message
    assert "--complete-years 2031" in message
    assert 'WorkCalendar.china(schedules=[load_schedule("cn-2031.toml")])' in message
    assert "aftersales calendar load cn-2031.toml --db DB" in message


schedule_years = st.integers(2027, 2399)


@st.composite
def schedules(draw: st.DrawFn) -> OfficialSchedule:
    year = draw(schedule_years)
    days = _days(year)
    names = st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1
    ).filter(lambda t: t.strip() and len(t) <= 200)
    off = draw(st.dictionaries(st.sampled_from(days), names, min_size=1, max_size=12))
    weekends = [d for d in days if d.weekday() >= 5 and d not in off]
    work = draw(st.dictionaries(st.sampled_from(weekends), names, max_size=6))
    source = draw(
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
        )
    )
    return OfficialSchedule(year, off, work, source=source)


@settings(max_examples=60, deadline=None)
@given(schedules())
def test_any_schedule_round_trips_through_toml_json_and_dict(schedule: OfficialSchedule) -> None:
    assert load_schedule(schedule.to_toml(), format="toml") == schedule
    assert load_schedule(schedule.to_json()) == schedule
    assert OfficialSchedule.from_dict(schedule.to_dict()) == schedule
    assert pickle.loads(pickle.dumps(schedule)) == schedule
    assert hash(OfficialSchedule.from_dict(schedule.to_dict())) == hash(schedule)


@settings(max_examples=25, deadline=None)
@given(schedules())
def test_a_calendar_answers_every_day_of_a_scheduled_year_per_the_schedule(
    schedule: OfficialSchedule,
) -> None:
    calendar = WorkCalendar.china(schedules=[schedule])
    for day in _days(schedule.year):
        if day in schedule.days_off:
            expected = False
        elif day.weekday() >= 5:
            expected = day in schedule.working_days
        else:
            expected = True
        assert calendar.is_working_day(day) is expected, day


# -- refusals -------------------------------------------------------------------------------


def test_a_file_contradicting_itself_is_refused_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "cn-2031.toml"
    path.write_text(
        "year = 2031\n"
        "[days_off]\n"
        '"2031-10-01/2031-10-04" = "国庆节"\n'
        '"2032-01-01" = "元旦"\n'
        '"2031-05-01" = "  "\n'
        "[working_days]\n"
        '"2031-10-04" = "国庆节调休"\n'
        '"2031-09-29" = "国庆节调休"\n',
        encoding="utf-8",
    )
    with pytest.raises(ScheduleError) as raised:
        load_schedule(path)
    paths = [p for p, _ in raised.value.problems]
    assert paths == [
        "days_off[2032-01-01]",
        "days_off[2031-05-01]",
        "working_days[2031-10-04]",
        "working_days[2031-09-29]",
    ]
    message = str(raised.value)
    assert message.startswith(f"{path}: 4 invalid values:")
    assert "2032-01-01 is not in 2031" in message
    assert "2031-10-04 is also a day off (国庆节)" in message
    assert "2031-09-29 is a Monday; accepted: a Saturday or Sunday" in message
    assert isinstance(raised.value, InvalidData)


def test_a_schedule_contradicting_the_package_is_refused_naming_the_dates() -> None:
    good = load_schedule(EXAMPLES / "cn-2026.toml")
    off = {**good.days_off, date(2026, 10, 8): "国庆节"}
    work = {d: n for d, n in good.working_days.items() if d != date(2026, 10, 10)}
    bad = OfficialSchedule(2026, off, work)
    with pytest.raises(ScheduleError) as raised:
        WorkCalendar.china(schedules=[bad])
    message = str(raised.value)
    assert "schedules[0] (CN 2026): contradicts the holidays package" in message
    assert "2026-10-08: the package has it working, the schedule has it off" in message
    assert "2026-10-10: the package has it working, the schedule has it off" in message


def test_two_schedules_of_one_year_must_be_equal() -> None:
    one = fictional()
    assert WorkCalendar.china(schedules=[one, fictional()]).schedules == (one,)
    other = OfficialSchedule(2031, {date(2031, 3, 5): "虚构假日"})
    with pytest.raises(ScheduleError, match=r"2031-03-04: the other schedule has it off"):
        WorkCalendar.china(schedules=[one, other])


def test_a_schedule_of_another_country_or_not_a_schedule_is_refused() -> None:
    hk = OfficialSchedule(2031, {date(2031, 10, 1): "National Day"}, country="HK")
    with pytest.raises(ScheduleError) as raised:
        WorkCalendar.china(schedules=[hk, "cn-2031.toml"])
    assert [p for p, _ in raised.value.problems] == ["schedules[0] (HK 2031)", "schedules[1]"]
    with pytest.raises(ScheduleError, match="not a list of schedules"):
        WorkCalendar.china(schedules=fictional())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("year = 2031\n[days_off\n", "not TOML"),
        ('{"year": 2031, "days_off": }', "not JSON"),
        ('year = 2031\nmonth = 1\n[days_off]\n"2031-01-01" = "元旦"\n', "month: unknown key"),
        ('year = "2031"\n[days_off]\n"2031-01-01" = "元旦"\n', "year: '2031' is not a year"),
        ('year = 2031\n[days_off]\n"2031-01-05/2031-01-01" = "x"\n', "ends before it starts"),
        (
            'year = 2031\n[days_off]\n"2031-01-01/2031-01-03" = "a"\n"2031-01-02" = "b"\n',
            "listed twice",
        ),
        ("year = 2031\n", "days_off: missing"),
        ('country = "cn"\nyear = 2031\n[days_off]\n"2031-01-01" = "元旦"\n', "country: 'cn'"),
    ],
)
def test_malformed_texts_are_refused_naming_the_problem(text: str, problem: str) -> None:
    with pytest.raises(ScheduleError, match=problem):
        load_schedule(text)


_ICS_HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"


@pytest.mark.parametrize(
    ("events", "problem"),
    [
        (
            "BEGIN:VEVENT\r\nDTSTART:20311001T090000\r\nSUMMARY:x\r\nEND:VEVENT\r\n",
            r"VEVENT #1 'x' \(DTSTART 20311001T090000\): 2031-10-01T09:00:00 – "
            r"2031-10-01T09:00:00 is not whole days .*accepted: an all-day event",
        ),
        (
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20311001\r\nRRULE:FREQ=HOURLY\r\nSUMMARY:x\r\n"
            "END:VEVENT\r\n",
            r"VEVENT #1 'x' \(DTSTART 20311001\): RRULE FREQ=HOURLY repeats within a day",
        ),
        (
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20311001\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:x\r\n"
            "END:VEVENT\r\n",
            r"every event recurs .*accepted: X-AFTERSALES-YEAR",
        ),
        (
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20311001\r\nSUMMARY:x\r\n",
            r"not an iCalendar text \(.*\); accepted: .*each BEGIN closed by its END",
        ),
        (
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20311231\r\nDTEND;VALUE=DATE:20320102\r\n"
            "SUMMARY:元旦\r\nEND:VEVENT\r\n",
            "dates in 2031, 2032",
        ),
        (
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20311001\r\nDTEND;VALUE=DATE:20311001\r\n"
            "SUMMARY:x\r\nEND:VEVENT\r\n",
            r"VEVENT #1 'x' \(DTSTART 20311001\): DTEND is not after DTSTART 2031-10-01",
        ),
        ("", "events: none"),
    ],
)
def test_icalendar_refusals_name_the_event(events: str, problem: str) -> None:
    with pytest.raises(ScheduleError, match=problem):
        load_schedule(_ICS_HEAD + events + "END:VCALENDAR\r\n")


def test_icalendar_working_days_by_category_or_summary_and_unfolding() -> None:
    text = (
        _ICS_HEAD + "X-AFTERSALES-SOURCE:FICTIONAL\r\n  example\r\n"
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20311001\r\nDTEND;VALUE=DATE:20311003\r\n"
        "SUMMARY:国庆\r\n 节\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20310927\r\nSUMMARY:调休\r\nCATEGORIES:HOLIDAY,WORKDAY\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20310928\r\nSUMMARY:国庆节上班\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    schedule = load_schedule(text)
    assert schedule.source == "FICTIONAL example"
    assert dict(schedule.days_off) == {date(2031, 10, 1): "国庆节", date(2031, 10, 2): "国庆节"}
    assert dict(schedule.working_days) == {
        date(2031, 9, 27): "调休",
        date(2031, 9, 28): "国庆节上班",
    }


def test_a_file_with_an_unknown_suffix_or_not_utf8_is_refused(tmp_path: Path) -> None:
    odd = tmp_path / "cn-2031.yaml"
    odd.write_text("year: 2031\n", encoding="utf-8")
    with pytest.raises(ScheduleError, match=r"accepted: \.toml, \.json, \.ics"):
        load_schedule(odd)
    gbk = tmp_path / "cn-2031.toml"
    gbk.write_bytes('year = 2031\n[days_off]\n"2031-01-01" = "元旦"\n'.encode("gbk"))
    with pytest.raises(ScheduleError, match="is not UTF-8"):
        load_schedule(gbk)


# -- identity of a calendar with schedules --------------------------------------------------


def test_a_schedule_changes_the_projection_key_and_the_same_one_keeps_it() -> None:
    def key(calendar: WorkCalendar) -> str:
        return projection_key(SlaPolicy.default(calendar), calendar, timedelta(hours=48))

    plain = WorkCalendar.china()
    with_one = WorkCalendar.china(schedules=[fictional()])
    assert key(with_one) != key(plain)
    assert key(with_one) == key(WorkCalendar.china(schedules=[fictional()]))
    assert key(with_one) != key(WorkCalendar.china(schedules=[fictional(2032)]))
    # a 2026 schedule agreeing with the package still changes the key: its names may differ
    example = load_schedule(EXAMPLES / "cn-2026.toml")
    assert key(WorkCalendar.china(schedules=[example])) != key(plain)
    assert "schedules" not in describe(None, plain, timedelta(hours=48))["calendar"]


def test_the_repr_of_a_calendar_names_its_schedules() -> None:
    assert "schedules=[CN 2031]" in repr(WorkCalendar.china(schedules=[fictional()]))
    assert "schedules" not in repr(WorkCalendar.china())


@pytest.mark.parametrize("source", [123, b"year = 2031", "cn\x00.toml", None])
def test_load_schedule_refuses_what_is_neither_a_path_nor_a_text(source: object) -> None:
    with pytest.raises(ScheduleError, match="is neither a path nor a schedule's text"):
        load_schedule(source)  # type: ignore[arg-type]
