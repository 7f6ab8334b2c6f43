"""Unit tests of WorkCalendar: hand-derived expectations, DST days, every error."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pendulum
import pytest

from aftersales.calendar import CalendarSegment, DayOff, WorkCalendar
from aftersales.errors import (
    CalendarCoverageError,
    EmptyCalendarError,
    InvalidData,
    NaiveDatetimeError,
    SpanTooLongError,
)

SH = "Asia/Shanghai"
LUNCH = (("09:00", "12:00"), ("13:30", "18:00"))
H = timedelta(hours=1)
M = timedelta(minutes=1)


def sh(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=SH)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def office() -> WorkCalendar:
    """Mon–Fri 09:00–12:00 / 13:30–18:00 in Shanghai, no holidays."""
    return WorkCalendar(SH, dict.fromkeys(range(5), LUNCH))


# --- lunch break, zero, negative --------------------------------------------


def test_deadline_across_the_lunch_break(office: WorkCalendar) -> None:
    monday = (2026, 3, 2)
    # 11:30 + 1h: 30 min until 12:00, 30 min from 13:30 → 14:00
    assert office.add(sh(*monday, 11, 30), H) == sh(*monday, 14, 0)
    # 11:25 + 1h: 35 min until 12:00, 25 min from 13:30 → 13:55
    assert office.add(sh(*monday, 11, 25), H) == sh(*monday, 13, 55)
    # exactly reaching the end of the morning: 12:00, not 13:30
    assert office.add(sh(*monday, 11, 0), H) == sh(*monday, 12, 0)
    # starting inside the lunch break: counts from 13:30
    assert office.add(sh(*monday, 12, 15), H) == sh(*monday, 14, 30)
    # Friday 17:00 + 2h → Monday 10:00
    assert office.add(sh(2026, 3, 6, 17), 2 * H) == sh(2026, 3, 9, 10)


def test_zero_and_negative_durations(office: WorkCalendar) -> None:
    start = pendulum.datetime(2026, 3, 2, 4, 17, tz="UTC")  # 12:17 in Shanghai, lunch
    same = office.add(start, timedelta(0))
    assert same == start
    assert same.timezone_name == SH
    # 13:45 − 30 min: 15 min back to 13:30, then 15 min before 12:00 → 11:45
    assert office.add(sh(2026, 3, 2, 13, 45), -30 * M) == sh(2026, 3, 2, 11, 45)
    # Monday 09:30 − 1h → Friday 17:30
    assert office.add(sh(2026, 3, 9, 9, 30), -H) == sh(2026, 3, 6, 17, 30)
    # backwards from the lunch break lands at the latest possible instant
    assert office.add(sh(2026, 3, 2, 13, 0), -H) == sh(2026, 3, 2, 11, 0)


def test_working_time_hand_counts(office: WorkCalendar) -> None:
    # a working day is 3h + 4.5h
    assert office.working_time(sh(2026, 3, 2), sh(2026, 3, 3)) == 7.5 * H
    # a full week: 5 × 7.5h
    assert office.working_time(sh(2026, 3, 2), sh(2026, 3, 9)) == 37.5 * H
    # 11:00 → 14:00 is 1h + 0.5h
    assert office.working_time(sh(2026, 3, 2, 11), sh(2026, 3, 2, 14)) == 1.5 * H
    # reversed span gives the negative
    assert office.working_time(sh(2026, 3, 2, 14), sh(2026, 3, 2, 11)) == -1.5 * H
    # microsecond precision
    a = sh(2026, 3, 2, 9).add(microseconds=1)
    assert office.working_time(a, sh(2026, 3, 2, 10)) == H - timedelta(microseconds=1)


def test_is_working_and_next(office: WorkCalendar) -> None:
    assert office.is_working_time(sh(2026, 3, 2, 9))  # start included
    assert not office.is_working_time(sh(2026, 3, 2, 12))  # end excluded
    assert office.is_working_time(sh(2026, 3, 2, 11, 59, 59))
    assert office.next_working_time(sh(2026, 3, 2, 10)) == sh(2026, 3, 2, 10)
    assert office.next_working_time(sh(2026, 3, 2, 12)) == sh(2026, 3, 2, 13, 30)
    assert office.next_working_time(sh(2026, 3, 6, 18)) == sh(2026, 3, 9, 9)
    assert office.is_working_day(date(2026, 3, 6))
    assert not office.is_working_day(date(2026, 3, 7))
    assert office.day_off_reason(date(2026, 3, 7)) == "weekend"
    assert office.day_off_reason(date(2026, 3, 6)) is None


def test_add_working_days(office: WorkCalendar) -> None:
    cal = WorkCalendar(
        SH,
        dict.fromkeys(range(5), LUNCH),
        holidays={date(2026, 3, 4): "Company day"},
    )
    # Monday 2026-03-02 + 3 working days: Tue 3, (Wed 4 off), Thu 5, Fri 6
    assert cal.add_working_days(sh(2026, 3, 2, 10), 3) == sh(2026, 3, 6, 18)
    # n = 0: end of the same day when it works, else of the next working day
    assert cal.add_working_days(sh(2026, 3, 2, 10), 0) == sh(2026, 3, 2, 18)
    assert cal.add_working_days(sh(2026, 3, 4, 10), 0) == sh(2026, 3, 5, 18)
    # from a Saturday: 1 → Monday
    assert cal.add_working_days(sh(2026, 3, 7, 23), 1) == sh(2026, 3, 9, 18)
    # local date counts, not UTC date: 2026-03-02 23:30 in Shanghai is Monday there
    assert cal.add_working_days(pendulum.datetime(2026, 3, 2, 15, 30, tz="UTC"), 1) == sh(
        2026, 3, 3, 18
    )
    with pytest.raises(InvalidData):
        cal.add_working_days(sh(2026, 3, 2), -1)


# --- holidays, partial days off, workdays, special hours --------------------


def test_partial_day_off_and_workdays() -> None:
    cal = WorkCalendar(
        SH,
        {"mon": LUNCH, "tue": [("08:00", "12:00")], "wed": LUNCH, "thu": LUNCH, "fri": LUNCH},
        holidays={date(2026, 3, 2): DayOff("Afternoon off", hours=[("13:30", "18:00")])},
        workdays={date(2026, 3, 7): "make-up Saturday"},
        special_hours={date(2026, 3, 5): [("10:00", "11:00")], date(2026, 3, 6): []},
    )
    assert cal.working_time(sh(2026, 3, 2), sh(2026, 3, 3)) == 3 * H
    assert cal.is_working_day(date(2026, 3, 2))
    assert cal.day_off_reason(date(2026, 3, 2)) is None
    reasons = [
        (s.start.hour, s.start.minute, s.working, s.reason)
        for s in cal.segments(sh(2026, 3, 2, 11), sh(2026, 3, 2, 20))
    ]
    assert reasons == [
        (11, 0, True, None),
        (12, 0, False, "off hours"),
        (13, 30, False, "Afternoon off"),
        (18, 0, False, "off hours"),
    ]
    # Saturday works Monday's hours (workday_hours default)
    assert cal.working_time(sh(2026, 3, 7), sh(2026, 3, 8)) == 7.5 * H
    # special hours replace the day, an empty list closes it
    assert cal.working_time(sh(2026, 3, 5), sh(2026, 3, 6)) == H
    assert cal.day_off_reason(date(2026, 3, 6)) == "special hours"
    # Tuesday hours for workdays when asked
    cal2 = WorkCalendar(
        SH,
        {"mon": LUNCH, "tue": [("08:00", "12:00")]},
        workdays=[date(2026, 3, 7)],
        workday_hours="tue",
    )
    assert cal2.working_time(sh(2026, 3, 7), sh(2026, 3, 8)) == 4 * H
    assert cal2.workdays == {date(2026, 3, 7): "workday"}


def test_holiday_forms() -> None:
    week = {0: [("09:00", "17:00")]}
    by_tuple = WorkCalendar(SH, week, holidays={date(2026, 3, 2): ("Half", [("09:00", "13:00")])})
    assert by_tuple.working_time(sh(2026, 3, 2), sh(2026, 3, 3)) == 4 * H
    by_list = WorkCalendar(SH, week, holidays=[date(2026, 3, 2)])
    assert by_list.day_off_reason(date(2026, 3, 2)) == "holiday"
    # a partial day off covering all the hours makes the day off
    all_off = WorkCalendar(SH, week, holidays={date(2026, 3, 2): ("All", [("00:00", "24:00")])})
    assert all_off.day_off_reason(date(2026, 3, 2)) == "All"


def test_input_forms() -> None:
    a = WorkCalendar(
        "UTC",
        {
            pendulum.WeekDay.MONDAY: [(time(9), time(12, 30))],
            "Tuesday": [("09:00:00", "24:00")],
            "周三": [("22:00", "24:00")],
        },
    )
    assert a.week[0] == (("09:00", "12:30"),)
    assert a.week[1] == (("09:00", "24:00"),)
    # touching intervals merge; a list of 7 is accepted
    b = WorkCalendar("UTC", [[("09:00", "12:00"), ("12:00", "13:00")], [], [], [], [], [], []])
    assert b.week[0] == (("09:00", "13:00"),)
    assert b.week[6] == ()
    # Wednesday 22:00 → Thursday has no hours → next Wednesday
    t = pendulum.datetime(2026, 3, 4, 23, tz="UTC")
    assert a.add(t, 2 * H) == pendulum.datetime(2026, 3, 9, 10, tz="UTC")


def test_immutable(office: WorkCalendar) -> None:
    with pytest.raises(AttributeError):
        office.tz = pendulum.timezone("UTC")  # type: ignore[misc]
    with pytest.raises(TypeError):
        office.holidays[date(2026, 1, 1)] = DayOff("x")  # type: ignore[index]


def test_always_is_elapsed_time() -> None:
    cal = WorkCalendar.always("Europe/Berlin")
    a = pendulum.datetime(2026, 3, 28, 12, tz="Europe/Berlin")
    b = pendulum.datetime(2026, 3, 30, 12, tz="Europe/Berlin")
    assert cal.working_time(a, b) == b - a == timedelta(hours=47)
    assert cal.add(a, timedelta(hours=47)) == b
    segments = list(cal.segments(a, b))
    assert segments == [CalendarSegment(segments[0].start, segments[0].end, True, None)]


# --- DST ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "spring", "autumn"),
    [
        ("Europe/Berlin", date(2026, 3, 29), date(2026, 10, 25)),
        ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
    ],
)
def test_night_shift_on_dst_days(tz: str, spring: date, autumn: date) -> None:
    cal = WorkCalendar(tz, {key: [("00:00", "06:00"), ("09:00", "18:00")] for key in range(7)})

    def at(d: date, hour: int) -> pendulum.DateTime:
        return pendulum.datetime(d.year, d.month, d.day, hour, tz=tz)

    # the 00:00–06:00 shift is 5 real hours when clocks go forward, 7 when back
    assert cal.working_time(at(spring, 0), at(spring, 6)) == 5 * H
    assert cal.working_time(at(autumn, 0), at(autumn, 6)) == 7 * H
    # 09:00–18:00 is untouched: 9 hours
    assert cal.working_time(at(spring, 9), at(spring, 18)) == 9 * H
    # adding 5h from midnight ends the shift at 06:00 local on the spring day
    assert cal.add(at(spring, 0), 5 * H) == at(spring, 6)
    # on the autumn day 6h from midnight is still inside the shift: 05:00 local
    assert cal.add(at(autumn, 0), 6 * H) == at(autumn, 5)
    # a whole switch day: 5 + 9 and 7 + 9 hours
    nxt = timedelta(days=1)
    assert cal.working_time(at(spring, 0), at(spring + nxt, 0)) == 14 * H
    assert cal.working_time(at(autumn, 0), at(autumn + nxt, 0)) == 16 * H


def test_boundary_in_gap_and_interval_in_fold() -> None:
    tz = "Europe/Berlin"
    gap = WorkCalendar(tz, {6: [("02:30", "04:00")]})  # Sunday 2026-03-29: 02:00→03:00
    day = pendulum.datetime(2026, 3, 29, tz=tz)
    assert gap.working_time(day, day.add(days=1)) == H  # 03:00–04:00 CEST only
    assert gap.next_working_time(day) == pendulum.datetime(2026, 3, 29, 1, tz="UTC")
    fold = WorkCalendar(tz, {6: [("02:30", "03:00")]})  # Sunday 2026-10-25: 03:00→02:00
    day = pendulum.datetime(2026, 10, 25, tz=tz)
    # 02:30–03:00 happens twice: 00:30–01:00Z and 01:30–02:00Z
    assert fold.working_time(day, day.add(days=1)) == H
    assert fold.is_working_time(pendulum.datetime(2026, 10, 25, 0, 45, tz="UTC"))
    assert not fold.is_working_time(pendulum.datetime(2026, 10, 25, 1, 15, tz="UTC"))
    assert fold.is_working_time(pendulum.datetime(2026, 10, 25, 1, 45, tz="UTC"))
    # the answer is the second 02:45 (fold=1); compare instants, as Python's inter-zone
    # comparison of a datetime inside a fold is always unequal (PEP 495)
    answer = fold.add(day, 45 * M)
    assert answer.timestamp() == pendulum.datetime(2026, 10, 25, 1, 45, tz="UTC").timestamp()
    assert (answer.hour, answer.minute, answer.fold) == (2, 45, 1)


# --- errors -------------------------------------------------------------------


def test_naive_datetimes_are_refused(office: WorkCalendar) -> None:
    naive = datetime(2026, 3, 2, 9)
    aware = sh(2026, 3, 2, 9)
    with pytest.raises(NaiveDatetimeError):
        office.add(naive, H)
    with pytest.raises(NaiveDatetimeError):
        office.working_time(aware, naive)
    with pytest.raises(NaiveDatetimeError):
        office.is_working_time(naive)
    with pytest.raises(NaiveDatetimeError):
        office.next_working_time(naive)
    with pytest.raises(NaiveDatetimeError):
        office.add_working_days(naive, 1)
    with pytest.raises(NaiveDatetimeError):
        list(office.segments(naive, aware))
    with pytest.raises(NaiveDatetimeError):
        office.add_many([naive], [H])


def test_reversed_and_overlapping_intervals() -> None:
    with pytest.raises(InvalidData) as reversed_:
        WorkCalendar(SH, {"mon": [("18:00", "09:00")]})
    assert reversed_.value.problems[0][0] == "week.mon[0]"
    assert "18:00–09:00" in str(reversed_.value)
    with pytest.raises(InvalidData) as overlap:
        WorkCalendar(SH, {"tue": [("09:00", "12:00"), ("11:00", "13:00")]})
    assert overlap.value.problems[0][0] == "week.tue"
    assert "09:00–12:00" in str(overlap.value)
    assert "11:00–13:00" in str(overlap.value)
    with pytest.raises(InvalidData) as many:
        WorkCalendar(SH, {"mon": [("25:00", "26:00")], "funday": [], 2: [("09:00", "09:00")]})
    assert len(many.value.problems) == 4  # 25:00, 26:00, 'funday', the empty interval
    with pytest.raises(InvalidData):
        WorkCalendar("Mars/Olympus", {"mon": LUNCH})
    with pytest.raises(InvalidData):
        WorkCalendar(SH, {"mon": LUNCH}, holidays={datetime(2026, 1, 1): "x"})  # type: ignore[dict-item]
    with pytest.raises(InvalidData):  # both a whole day off and a working day
        WorkCalendar(SH, {"mon": LUNCH}, holidays=[date(2026, 3, 7)], workdays=[date(2026, 3, 7)])


def test_empty_calendar() -> None:
    with pytest.raises(EmptyCalendarError):
        WorkCalendar(SH, {})
    with pytest.raises(EmptyCalendarError):
        WorkCalendar(SH, {key: [] for key in range(7)}, workdays=[date(2026, 3, 7)])
    with pytest.raises(EmptyCalendarError):  # the only special day is emptied by a day off
        WorkCalendar(
            SH,
            {},
            special_hours={date(2026, 3, 7): [("09:00", "10:00")]},
            holidays={date(2026, 3, 7): ("x", [("09:00", "10:00")])},
        )


def test_span_too_long() -> None:
    one_day = WorkCalendar(SH, {}, special_hours={date(2026, 3, 7): [("09:00", "10:00")]})
    assert one_day.add(sh(2026, 3, 1), 30 * M) == sh(2026, 3, 7, 9, 30)
    with pytest.raises(SpanTooLongError):
        one_day.add(sh(2026, 3, 1), 2 * H)
    with pytest.raises(SpanTooLongError):
        one_day.next_working_time(sh(2026, 3, 8))
    with pytest.raises(SpanTooLongError):
        one_day.add(sh(2026, 3, 1), -M)
    # answering about other years is fine: no working time there
    assert not one_day.is_working_time(sh(2030, 1, 1, 9))
    # far outside the computable years
    with pytest.raises(SpanTooLongError):
        WorkCalendar.always().working_time(sh(1850, 1, 1), sh(2026, 1, 1))
    with pytest.raises(SpanTooLongError):
        WorkCalendar.always().add(sh(2390, 1, 1), timedelta(days=4000))


# --- coverage -------------------------------------------------------------------


def test_coverage_of_the_china_calendar() -> None:
    cal = WorkCalendar.china()
    with pytest.raises(CalendarCoverageError) as error:
        cal.add(sh(2027, 3, 1, 9), H)
    assert error.value.year == 2027
    assert 2026 in error.value.covered
    with pytest.raises(CalendarCoverageError):
        cal.add(sh(2026, 12, 31, 17), 2 * H)  # would run into 2027
    with pytest.raises(CalendarCoverageError):
        cal.working_time(sh(2026, 12, 1), sh(2027, 1, 2))
    with pytest.raises(CalendarCoverageError):
        cal.is_working_day(date(2027, 1, 4))
    with pytest.raises(CalendarCoverageError):
        cal.is_working_time(sh(1999, 6, 1, 10))
    # the end of a half-open span may touch the next year
    assert cal.working_time(sh(2026, 12, 31), sh(2027, 1, 1)) == 7.5 * H
    declared = WorkCalendar.china(complete_years=[2027])
    # 2026-12-31 (Thursday) 17:00 + 2h → 2027-01-01 (a Friday, weekly hours alone) 10:00
    assert declared.add(sh(2026, 12, 31, 17), 2 * H) == sh(2027, 1, 1, 10)
    assert declared.is_working_day(date(2027, 1, 1))
    # a declared year that does not touch the covered run
    far = WorkCalendar.china(complete_years=[2030])
    assert far.add(sh(2030, 3, 4, 17), 2 * H) == sh(2030, 3, 5, 10)
    with pytest.raises(CalendarCoverageError) as error:
        far.add(sh(2030, 12, 31, 17), 2 * H)
    assert error.value.year == 2031


def test_hand_made_calendar_covers_every_year(office: WorkCalendar) -> None:
    assert office.covered_years is None
    assert office.add(sh(2099, 3, 2, 17), 2 * H) == sh(2099, 3, 3, 10)


def test_for_country() -> None:
    us = WorkCalendar.for_country("US", tz="America/New_York", language="en_US")
    # 2026-07-04 is a Saturday; Friday 07-03 is the observed holiday
    assert not us.is_working_day(date(2026, 7, 3))
    assert us.day_off_reason(date(2026, 7, 4)) == "Independence Day"
    friday = pendulum.datetime(2026, 7, 2, 16, tz="America/New_York")
    assert us.add(friday, 2 * H) == pendulum.datetime(2026, 7, 6, 10, tz="America/New_York")
    assert us.covered_years is not None
    assert us.covered_years[-1] == 2100
    with pytest.raises(CalendarCoverageError):
        us.is_working_day(date(2101, 1, 3))
    with pytest.raises(InvalidData):
        WorkCalendar.for_country("XX", tz="UTC")
