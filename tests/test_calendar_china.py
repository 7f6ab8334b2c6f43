"""The China calendar against the State Council schedule as the holidays package records it."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pendulum
import pytest

from aftersales.calendar import WorkCalendar

SH = "Asia/Shanghai"
H = timedelta(hours=1)


def sh(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=SH)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def china() -> WorkCalendar:
    return WorkCalendar.china()


def test_national_day_2026(china: WorkCalendar) -> None:
    for day in range(1, 8):
        assert not china.is_working_day(date(2026, 10, day)), day
    assert china.day_off_reason(date(2026, 10, 1)) == "国庆节"
    assert china.day_off_reason(date(2026, 10, 4)) == "weekend"  # an ordinary Sunday
    assert china.is_working_day(date(2026, 10, 8))
    # 2026-10-10 is a Saturday worked in lieu (调休); 10-11 is an ordinary Sunday
    assert date(2026, 10, 10).weekday() == 5
    assert china.is_working_day(date(2026, 10, 10))
    assert not china.is_working_day(date(2026, 10, 11))
    # Friday 10-09 17:00 + 2h → Saturday 10-10 10:00
    assert china.add(sh(2026, 10, 9, 17), 2 * H) == sh(2026, 10, 10, 10)
    # 2026-09-20 (Sunday) is also worked in lieu
    assert china.is_working_day(date(2026, 9, 20))


def test_spring_festival_2026(china: WorkCalendar) -> None:
    # Saturdays 02-14 and 02-28 are worked; 02-16 … 02-20 and 02-23 are off
    assert china.is_working_day(date(2026, 2, 14))
    assert china.is_working_day(date(2026, 2, 28))
    for day in (15, 16, 17, 18, 19, 20, 21, 22, 23):
        assert not china.is_working_day(date(2026, 2, day)), day
    assert china.day_off_reason(date(2026, 2, 17)) == "春节"
    # Friday 02-13 17:00 + 2h → Saturday 02-14 10:00 (a working Saturday)
    assert china.add(sh(2026, 2, 13, 17), 2 * H) == sh(2026, 2, 14, 10)
    # Saturday 02-14 17:00 + 2h → Tuesday 02-24 10:00
    assert china.add(sh(2026, 2, 14, 17), 2 * H) == sh(2026, 2, 24, 10)
    # "return visit within 3 working days" from Thursday 02-12:
    # 02-13 (Fri), 02-14 (Sat, 调休), 02-24 (Tue)
    assert china.add_working_days(sh(2026, 2, 12, 15), 3) == sh(2026, 2, 24, 18)


def test_lunch_break(china: WorkCalendar) -> None:
    assert china.add(sh(2026, 3, 2, 11, 30), H) == sh(2026, 3, 2, 14, 0)
    assert china.add(sh(2026, 3, 2, 11, 25), H) == sh(2026, 3, 2, 13, 55)


def test_every_day_of_2025_and_2026_matches_the_package(china: WorkCalendar) -> None:
    package = holidays.country_holidays("CN", years=[2025, 2026, 2027])
    day = date(2025, 1, 1)
    working_days = 0
    while day.year < 2027:
        expected = package.is_working_day(day)
        assert china.is_working_day(day) == expected, day
        working_days += expected
        day += timedelta(days=1)
    # each working day holds 3h + 4.5h
    total = china.working_time(sh(2025, 1, 1), sh(2027, 1, 1))
    assert total == working_days * 7.5 * H
    assert working_days == package.get_working_days_count(date(2025, 1, 1), date(2026, 12, 31))


def test_coverage_years(china: WorkCalendar) -> None:
    assert china.covered_years is not None
    assert china.covered_years[0] == 2001
    assert china.covered_years[-1] == 2026
    assert china.source is not None
    assert "CN" in china.source


def test_segments_over_national_day(china: WorkCalendar) -> None:
    segments = list(china.segments(sh(2026, 9, 30, 17), sh(2026, 10, 8, 10)))
    first, last = segments[0], segments[-1]
    assert (first.working, first.duration) == (True, H)
    assert (last.working, last.start, last.duration) == (True, sh(2026, 10, 8, 9), H)
    middle = segments[1:-1]
    assert not any(s.working for s in middle)
    assert middle[0].reason == "off hours"  # the evening of 09-30
    assert middle[-1].reason == "off hours"  # the early morning of 10-08
    reasons = [s.reason for s in middle]
    assert "国庆节" in reasons
    assert "weekend" in reasons  # Sunday 10-04
    assert sum((s.duration for s in segments), timedelta()) == timedelta(days=7, hours=17)
