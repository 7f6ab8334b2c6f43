"""CalendarDefinition: the same calendar as the same arguments to WorkCalendar, its file forms, refusals.

The properties compare a definition's calendar with the one the public
constructors make from the same arguments (``WorkCalendar(...)``,
``WorkCalendar.china``, ``WorkCalendar.for_country``), query by query; the
examples are worked out by hand from the 2026 official schedule (National Day
1–7 October, 调休 Saturday 10 October) and the calendars' hours.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.calendar import CalendarDefinition, OfficialSchedule, WorkCalendar
from aftersales.errors import AftersalesError, EmptyCalendarError, InvalidData

SH = "Asia/Shanghai"
LUNCH = (("09:00", "12:00"), ("13:30", "18:00"))
ZONES = ("Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def day_hours(draw: st.DrawFn) -> tuple[tuple[str, str], ...]:
    """0–2 disjoint spans of a day on a half-hour grid (an end may be 24:00)."""
    bounds = sorted(draw(st.sets(st.integers(0, 48), max_size=4)))
    if len(bounds) % 2:
        bounds = bounds[:-1]
    return tuple(
        (_time(a * 30), _time(b * 30)) for a, b in zip(bounds[::2], bounds[1::2], strict=True)
    )


@st.composite
def arguments(draw: st.DrawFn) -> dict[str, Any]:
    """Random WorkCalendar arguments a definition also takes (no official country)."""
    week = {d: draw(day_hours()) for d in range(7)}
    if not any(week.values()):
        week[draw(st.integers(0, 6))] = (("08:00", "17:00"),)
    days = st.dates(date(2025, 1, 1), date(2027, 12, 31))
    off = draw(st.dictionaries(days, st.sampled_from(["年会", "盘点", "holiday"]), max_size=5))
    work = draw(st.dictionaries(days.filter(lambda d: d not in off), st.just("调休"), max_size=3))
    return {
        "tz": draw(st.sampled_from(ZONES)),
        "week": week,
        "days_off": off,
        "working_days": work,
        "complete_years": draw(st.sets(st.integers(2020, 2030), max_size=2)),
        "workday_hours": draw(st.integers(0, 6)),
    }


def _instants(tz: str) -> st.SearchStrategy[pendulum.DateTime]:
    start = pendulum.datetime(2025, 1, 1, tz=tz)
    return st.integers(0, 3 * 365 * 24 * 4).map(lambda q: start.add(minutes=15 * q))


def _same_answers(mine: WorkCalendar, theirs: WorkCalendar, data: Any, tz: str) -> None:
    """The two calendars answer every sampled query alike (or refuse it alike)."""
    assert mine.tz.name == theirs.tz.name
    assert mine.week == theirs.week
    assert dict(mine.holidays) == dict(theirs.holidays)
    assert dict(mine.workdays) == dict(theirs.workdays)
    assert mine.complete_years == theirs.complete_years
    assert mine.workday_hours == theirs.workday_hours
    assert mine.covered_years == theirs.covered_years
    assert mine.source == theirs.source
    for _ in range(6):
        at = data.draw(_instants(tz))
        span = timedelta(minutes=data.draw(st.integers(1, 20 * 24 * 60)))
        queries = (
            lambda c, at=at: c.is_working_time(at),
            lambda c, at=at, span=span: c.working_time(at, at + span),
            lambda c, at=at, span=span: c.add(at, span / 10),
            lambda c, at=at: c.day_off_reason(at.date()),
        )
        for query in queries:
            assert _outcome(query, mine) == _outcome(query, theirs)


def _outcome(query: Any, calendar: WorkCalendar) -> Any:
    try:
        return query(calendar)
    except AftersalesError as error:
        return type(error), str(error)


@SETTINGS
@given(arguments(), st.data())
def test_a_definition_builds_the_calendar_its_arguments_make(
    args: dict[str, Any], data: Any
) -> None:
    definition = CalendarDefinition(
        args["tz"],
        args["week"],
        days_off=args["days_off"],
        working_days=args["working_days"],
        complete_years=args["complete_years"],
        workday_hours=args["workday_hours"],
    )
    direct = WorkCalendar(
        args["tz"],
        args["week"],
        holidays=args["days_off"],
        workdays=args["working_days"],
        complete_years=args["complete_years"],
        workday_hours=args["workday_hours"],
    )
    _same_answers(definition.build(), direct, data, args["tz"])
    assert CalendarDefinition.from_dict(definition.to_dict()) == definition
    assert CalendarDefinition.from_dict(json.loads(definition.to_json())) == definition
    assert CalendarDefinition.from_toml(definition.to_toml()) == definition


@SETTINGS
@given(day_hours().filter(bool), st.sets(st.sampled_from([2027, 2028])), st.data())
def test_official_cn_on_monday_to_friday_is_the_china_calendar(
    hours: tuple[tuple[str, str], ...], complete: set[int], data: Any
) -> None:
    definition = CalendarDefinition(
        SH, dict.fromkeys(range(5), hours), official="CN", complete_years=complete
    )
    china = WorkCalendar.china(hours=hours, complete_years=complete)
    _same_answers(definition.build(), china, data, SH)


@settings(max_examples=20, deadline=None)
@given(day_hours().filter(bool), st.data())
def test_another_country_is_the_for_country_calendar(
    hours: tuple[tuple[str, str], ...], data: Any
) -> None:
    berlin = "Europe/Berlin"
    definition = CalendarDefinition(
        berlin, dict.fromkeys(range(5), hours), official="DE", subdiv="BE", language="en_US"
    )
    direct = WorkCalendar.for_country("DE", "BE", tz=berlin, hours=hours, language="en_US")
    _same_answers(definition.build(), direct, data, berlin)


# -- worked by hand ------------------------------------------------------------------------

HEAD_OFFICE = CalendarDefinition(SH, dict.fromkeys(range(5), LUNCH), official="CN")
OUTLET = CalendarDefinition(
    SH, dict.fromkeys(range(6), (("09:00", "12:00"), ("13:00", "17:30"))), official="CN"
)


@pytest.mark.parametrize(
    ("local", "head_office", "outlet"),
    [
        ((2026, 3, 7, 10, 0), False, True),  # an ordinary Saturday: only the outlet opens
        ((2026, 3, 6, 12, 15), False, False),  # Friday: lunch at both
        ((2026, 3, 6, 13, 0), False, True),  # the head office's lunch is longer
        ((2026, 3, 6, 13, 15), False, True),
        ((2026, 3, 6, 13, 30), True, True),
        ((2026, 3, 6, 17, 45), True, False),  # the outlet closes at 17:30
        ((2026, 10, 3, 10, 0), False, False),  # Saturday in the National Day holiday
        ((2026, 10, 10, 10, 0), True, True),  # 调休 Saturday: Monday's hours at the head office
        ((2026, 10, 10, 12, 45), False, False),
        ((2026, 3, 8, 10, 0), False, False),  # Sunday
    ],
)
def test_the_head_office_and_the_outlet_by_hand(
    local: tuple[int, ...], head_office: bool, outlet: bool
) -> None:
    at = pendulum.datetime(*local, tz=SH)
    assert HEAD_OFFICE.build().is_working_time(at) is head_office
    assert OUTLET.build().is_working_time(at) is outlet


def test_working_time_of_a_saturday_differs_by_hand() -> None:
    saturday = pendulum.datetime(2026, 3, 7, tz=SH)
    assert HEAD_OFFICE.build().working_time(saturday, saturday.add(days=1)) == timedelta(0)
    assert OUTLET.build().working_time(saturday, saturday.add(days=1)) == timedelta(hours=7.5)
    assert HEAD_OFFICE.build().day_off_reason(date(2026, 10, 3)) == "国庆节"


def test_stored_schedules_are_merged_for_the_official_country() -> None:
    fictional = OfficialSchedule(2031, {date(2031, 10, 1): "国庆节"})  # made up, not a notice
    built = HEAD_OFFICE.build([fictional])
    assert built.day_off_reason(date(2031, 10, 1)) == "国庆节"
    assert built.is_working_day(date(2031, 10, 2))


def test_a_definition_is_a_hashable_value_kept_in_canonical_form() -> None:
    by_name = CalendarDefinition(SH, {"Monday": [("9:00", "12:00")]}, days_off={})
    by_index = CalendarDefinition(pendulum.timezone(SH), {0: [("09:00", "12:00")]})
    assert by_name == by_index
    assert hash(by_name) == hash(by_index)
    assert by_name.week[0] == (("09:00", "12:00"),)
    assert by_name.to_dict() == {"tz": SH, "week": {"mon": ["09:00-12:00"]}}


def test_the_toml_form_reads_spans_of_days_and_the_weekday_of_extra_working_days() -> None:
    text = """
tz = "Asia/Shanghai"
workday_hours = "sat"
complete_years = [2027]
[week]
mon = ["09:00-12:00"]
sat = ["10:00-16:00"]
[days_off]
"2027-02-08/2027-02-10" = "春节加休"
[working_days]
"2027-02-14" = "补班"
"""
    definition = CalendarDefinition.from_toml(text)
    assert sorted(definition.days_off) == [date(2027, 2, d) for d in (8, 9, 10)]
    assert definition.workday_hours == 5
    calendar = definition.build()
    sunday = pendulum.datetime(2027, 2, 14, 10, tz=SH)
    assert calendar.working_time(sunday, sunday.add(hours=8)) == timedelta(hours=6)


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        ({"week": {}}, "tz", "missing; accepted: a value, it is required"),
        ({"tz": SH}, "week", "missing; accepted: a value, it is required"),
        ({"tz": SH, "week": {}, "hours": 1}, "hours", "unknown key"),
        ({"tz": "Mars/Olympus", "week": {"mon": ["09:00-12:00"]}}, "tz", "'Mars/Olympus'"),
        ({"tz": SH, "week": {"mon": ["9-12"]}}, "week.mon[0]", "'9-12' is not a span"),
        ({"tz": SH, "week": {"mon": "09:00-12:00"}}, "week.mon", "is not a list"),
        ({"tz": SH, "week": {"mon": ["12:00-09:00"]}}, "week.mon[0]", "reversed interval"),
        (
            {"tz": SH, "week": {"mon": ["09:00-12:00", "11:00-13:00"]}},
            "week.mon",
            "overlap",
        ),
        ({"tz": SH, "week": {"caturday": ["09:00-12:00"]}}, "week", "'caturday' is not a weekday"),
        (
            {"tz": SH, "week": {"mon": ["09:00-12:00"]}, "official": "XX"},
            "official",
            "'XX' / None is not known to the holidays package",
        ),
        ({"tz": SH, "week": {"mon": ["09:00-12:00"]}, "official": ""}, "official", "not a code"),
        (
            {
                "tz": SH,
                "week": {"mon": ["09:00-12:00"]},
                "days_off": {"2026-10-10": "x"},
                "working_days": {"2026-10-10": "y"},
            },
            "working_days[2026-10-10]",
            "",
        ),
        (
            {"tz": SH, "week": {"mon": ["09:00-12:00"]}, "days_off": {"2026-10-10": 5}},
            "days_off[2026-10-10]",
            "5 is not a name",
        ),
        (
            {"tz": SH, "week": {"mon": ["09:00-12:00"]}, "days_off": {"10/10": "x"}},
            "days_off[10/10]",
            "not a date",
        ),
        (
            {"tz": SH, "week": {"mon": ["09:00-12:00"]}, "complete_years": 2027},
            "complete_years",
            "not a list",
        ),
        (
            {"tz": SH, "week": {"mon": ["09:00-12:00"]}, "complete_years": ["2027"]},
            "complete_years",
            "'2027' is not a year",
        ),
        (
            {"tz": SH, "week": {"mon": ["09:00-12:00"]}, "workday_hours": "someday"},
            "workday_hours",
            "not a weekday",
        ),
    ],
)
def test_refusals_name_the_path_and_what_is_accepted(
    data: dict[str, Any], path: str, words: str
) -> None:
    with pytest.raises(InvalidData) as raised:
        CalendarDefinition.from_dict(data, where="outlet.toml")
    message = str(raised.value)
    assert message.startswith("outlet.toml: ")
    found = dict(raised.value.problems)
    assert path in found, raised.value.problems
    assert words in found[path]
    assert "accepted" in message or "required" in message


def test_a_calendar_without_working_time_is_refused() -> None:
    with pytest.raises(EmptyCalendarError):
        CalendarDefinition.from_dict({"tz": SH, "week": {}})


def test_a_file_that_is_not_toml_is_refused_naming_it() -> None:
    with pytest.raises(InvalidData, match=r"^outlet.toml: not TOML \("):
        CalendarDefinition.from_toml("tz = ", where="outlet.toml")
    with pytest.raises(InvalidData, match=r"^outlet.toml: list is not a table"):
        CalendarDefinition.from_dict([], where="outlet.toml")
