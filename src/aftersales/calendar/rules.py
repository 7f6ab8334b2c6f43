"""The rules a working calendar is made of, parsed and formatted: hours, weeks, days off, dates.

What a user writes (``("09:00", "12:00")``, ``{"mon": [...]}``, ``{date: "国庆节"}``,
``DayOff(name, hours=...)``, a zone name) becomes here the plain values the
engine reads: wall-clock microseconds of the day, one tuple of intervals per
weekday, dated exceptions. Every problem is collected and reported at once in
one :class:`~aftersales.errors.InvalidData`, naming the place (``week.mon[1]``,
``holidays[2026-10-01]``) and what would be accepted.

Imports only the lower modules of :mod:`aftersales.calendar` and the domain helpers.

Example:
    >>> rules = parse_rules({"mon": [("13:30", "18:00"), ("09:00", "12:00")]})
    >>> [format_time(us) for pair in rules.week[0] for us in pair]
    ['09:00', '12:00', '13:30', '18:00']
    >>> parse_rules({"mon": [("12:00", "09:00")]})
    Traceback (most recent call last):
    ...
    aftersales.errors.InvalidData: week.mon[0]: reversed interval 12:00–09:00; accepted: a start before the end (use '24:00' for midnight at the day's end)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, tzinfo
from datetime import timezone as dt_timezone
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs
import pendulum

from aftersales._checks import text
from aftersales._shown import shown
from aftersales.calendar import inputs as checked
from aftersales.errors import InvalidData

__all__ = [
    "CalendarRules",
    "DayOff",
    "IntervalLike",
    "Intervals",
    "TimeLike",
    "WeekdayKey",
    "format_time",
    "parse_intervals",
    "parse_rules",
    "resolve_tz",
    "subtract",
]

TimeLike: TypeAlias = "str | time"
"""A wall-clock time: ``"HH:MM"``, ``"HH:MM:SS"`` or :class:`datetime.time`."""
IntervalLike: TypeAlias = "tuple[TimeLike, TimeLike] | Sequence[TimeLike]"
"""A half-open working interval ``(start, end)``; ``"24:00"`` is a valid end."""
WeekdayKey: TypeAlias = "int | str"
"""Mon=0 … Sun=6, a :class:`pendulum.WeekDay`, or a name: ``"mon"``, ``"Monday"``, ``"周一"``."""
Intervals: TypeAlias = tuple[tuple[int, int], ...]
"""Parsed intervals: sorted, disjoint ``(start, end)`` wall-clock microseconds of the day."""

Problems: TypeAlias = list[tuple[str, str]]

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_ALIASES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "周一", "星期一"),
        ("tue", "tues", "tuesday", "周二", "星期二"),
        ("wed", "wednesday", "周三", "星期三"),
        ("thu", "thur", "thurs", "thursday", "周四", "星期四"),
        ("fri", "friday", "周五", "星期五"),
        ("sat", "saturday", "周六", "星期六"),
        ("sun", "sunday", "周日", "星期日", "星期天"),
    )
):
    for _name in _names:
        _WEEKDAY_ALIASES[_name] = _index

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$")
_HOUR_US = 3_600_000_000
_MIN_US = 60_000_000
_SEC_US = 1_000_000


def _hours_tuple(value: Iterable[Any] | None) -> tuple[tuple[TimeLike, TimeLike], ...] | None:
    if value is None:
        return None
    pairs = checked.items(value, "hours")
    return tuple(tuple(checked.items(pair, f"hours[{i}]")) for i, pair in enumerate(pairs))


@attrs.frozen
class DayOff:
    """A day off: the whole day (``hours=None``) or only some hours of it.

    ``hours`` lists the half-open wall-clock intervals that are off; the rest
    of that date's normal working hours still count.  In :meth:`WorkCalendar.segments`
    the hours taken off carry ``name`` as their reason.

    Example:
        >>> DayOff("Company anniversary", hours=[("13:30", "18:00")]).partial
        True
        >>> DayOff("Spring outing").partial
        False
    """

    name: str = attrs.field(validator=lambda _, a, value: text(value, a.name))
    hours: tuple[tuple[TimeLike, TimeLike], ...] | None = attrs.field(
        default=None, converter=_hours_tuple
    )

    @property
    def partial(self) -> bool:
        """Whether only part of the day is off.

        Example:
            >>> DayOff("x", hours=[("09:00", "12:00")]).partial
            True
        """
        return self.hours is not None


# ---------------------------------------------------------------------------
# times and intervals


def _parse_time(value: object, path: str, problems: Problems, *, end: bool) -> int:
    if isinstance(value, time):
        if value.tzinfo is not None:
            problems.append((path, f"{shown(value)} has a time zone; accepted: a wall-clock time"))
            return 0
        return (
            value.hour * _HOUR_US
            + value.minute * _MIN_US
            + value.second * _SEC_US
            + value.microsecond
        )
    if isinstance(value, str):
        match = _TIME_RE.match(value.strip())
        if match:
            h, m = int(match[1]), int(match[2])
            s = int(match[3] or 0)
            frac = int((match[4] or "").ljust(6, "0"))
            total = h * _HOUR_US + m * _MIN_US + s * _SEC_US + frac
            if m < 60 and s < 60 and (total < 24 * _HOUR_US or (end and total == 24 * _HOUR_US)):
                return total
    accepted = '"HH:MM", "HH:MM:SS" or a datetime.time' + (' ("24:00" for midnight)' if end else "")
    problems.append((path, f"{shown(value)} is not a wall-clock time; accepted: {accepted}"))
    return 0


def format_time(us: int) -> str:
    """A wall-clock time of the day (µs since midnight) as ``"HH:MM"``, with seconds if any.

    Example:
        >>> format_time(9 * 3_600_000_000), format_time(24 * 3_600_000_000 - 1)
        ('09:00', '23:59:59.999999')
    """
    h, rest = divmod(us, _HOUR_US)
    m, rest = divmod(rest, _MIN_US)
    s, frac = divmod(rest, _SEC_US)
    shown_time = f"{h:02d}:{m:02d}"
    if s or frac:
        shown_time += f":{s:02d}"
    if frac:
        shown_time += f".{frac:06d}"
    return shown_time


def _format_interval(pair: tuple[int, int]) -> str:
    return f"{format_time(pair[0])}–{format_time(pair[1])}"


def parse_intervals(value: object, path: str, problems: Problems) -> Intervals:
    """Parse, check (reversed, empty, overlapping) and sort a list of intervals.

    Adjacent intervals are merged; each problem is appended to ``problems``.

    Example:
        >>> problems = []
        >>> parse_intervals([("13:00", "17:00"), ("09:00", "13:00")], "hours", problems)
        ((32400000000, 61200000000),)
        >>> parse_intervals([("09:00", "08:00")], "hours", problems), problems
        ((), [('hours[0]', "reversed interval 09:00–08:00; accepted: a start before the end (use '24:00' for midnight at the day's end)")])
    """
    if isinstance(value, str) or not isinstance(value, Iterable):
        problems.append(
            (path, f"{shown(value)} is not a list of intervals; accepted: [('09:00', '12:00'), …]")
        )
        return ()
    parsed: list[tuple[int, int, int]] = []
    for k, pair in enumerate(value):
        where = f"{path}[{k}]"
        if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
            problems.append(
                (where, f"{shown(pair)} is not an interval; accepted: a (start, end) pair")
            )
            continue
        before = len(problems)
        s = _parse_time(pair[0], where, problems, end=False)
        e = _parse_time(pair[1], where, problems, end=True)
        if len(problems) > before:
            continue
        if s >= e:
            kind = "empty" if s == e else "reversed"
            problems.append(
                (
                    where,
                    f"{kind} interval {_format_interval((s, e))}; "
                    "accepted: a start before the end (use '24:00' for midnight at the day's end)",
                )
            )
            continue
        parsed.append((s, e, k))
    parsed.sort()
    merged: list[tuple[int, int]] = []
    for i, (s, e, k) in enumerate(parsed):
        if i and s < parsed[i - 1][1]:
            prev = parsed[i - 1]
            problems.append(
                (
                    path,
                    f"intervals {_format_interval((prev[0], prev[1]))} (#{prev[2]}) and "
                    f"{_format_interval((s, e))} (#{k}) overlap; accepted: disjoint intervals",
                )
            )
            continue
        if merged and merged[-1][1] == s:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return tuple(merged)


def subtract(base: Intervals, off: Intervals) -> tuple[Intervals, Intervals]:
    """``base`` minus ``off``, and the part of ``base`` that ``off`` removed.

    Example:
        >>> subtract(((9, 18),), ((12, 14),))
        (((9, 12), (14, 18)), ((12, 14),))
    """
    kept: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    for s, e in base:
        cursor = s
        for os_, oe in off:
            if oe <= cursor or os_ >= e:
                continue
            if os_ > cursor:
                kept.append((cursor, os_))
            removed.append((max(os_, cursor), min(oe, e)))
            cursor = max(cursor, oe)
            if cursor >= e:
                break
        if cursor < e:
            kept.append((cursor, e))
    return tuple(kept), tuple(removed)


# ---------------------------------------------------------------------------
# weeks, dates, zones


def _weekday_index(key: object) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return int(key) if 0 <= key <= 6 else None
    if isinstance(key, str):
        return _WEEKDAY_ALIASES.get(key.strip().lower())
    return None


def _parse_week(value: object, problems: Problems) -> tuple[Intervals, ...]:
    week: list[Intervals] = [() for _ in range(7)]
    seen: dict[int, object] = {}
    if isinstance(value, Mapping):
        items: Iterable[tuple[object, object]] = value.items()
    elif isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 7:
        items = enumerate(value)
    else:
        problems.append(
            (
                "week",
                f"{shown(value)} is not a week; accepted: a mapping weekday → intervals "
                "(Mon=0 … Sun=6 or 'mon' … 'sun') or a list of 7 interval lists",
            )
        )
        return tuple(week)
    for key, intervals in items:
        index = _weekday_index(key)
        if index is None:
            problems.append(
                ("week", f"{shown(key)} is not a weekday; accepted: 0–6 (Mon=0), 'mon' … 'sun'")
            )
            continue
        if index in seen:
            problems.append(
                (
                    "week",
                    f"{shown(key)} repeats weekday {_DAY_NAMES[index]!r} (given as {shown(seen[index])})",
                )
            )
            continue
        seen[index] = key
        week[index] = parse_intervals(intervals, f"week.{_DAY_NAMES[index]}", problems)
    return tuple(week)


def _key(key: object) -> str:
    """A date key as it appears in a path: ``holidays[2026-10-01]``."""
    return key.isoformat() if isinstance(key, date) else shown(key)


def _check_date(key: object, path: str, problems: Problems) -> date | None:
    if isinstance(key, datetime) or not isinstance(key, date):
        problems.append((path, f"{shown(key)} is not a date; accepted: a datetime.date"))
        return None
    return key


def _check_years(value: object, name: str, problems: Problems) -> set[int]:
    years: set[int] = set()
    for year in checked.items(value, name):
        if isinstance(year, bool) or not isinstance(year, int):
            problems.append((name, f"{shown(year)} is not a year; accepted: an int"))
        else:
            years.add(year)
    return years


def resolve_tz(tz: object) -> pendulum.Timezone | pendulum.FixedTimezone:
    """The pendulum zone of ``tz``: an IANA name, a pendulum, ``zoneinfo`` or fixed-offset zone.

    Example:
        >>> resolve_tz("Asia/Shanghai").name
        'Asia/Shanghai'
        >>> resolve_tz("Mars/Olympus")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: tz: 'Mars/Olympus' is not a time zone; accepted: an IANA name such as 'Asia/Shanghai'
    """
    if isinstance(tz, pendulum.Timezone | pendulum.FixedTimezone):
        return tz
    if isinstance(tz, dt_timezone):
        offset = tz.utcoffset(None)
        return pendulum.FixedTimezone(int(offset.total_seconds()))
    key = getattr(tz, "key", None) if isinstance(tz, tzinfo) else tz
    if isinstance(key, str):
        try:
            return pendulum.timezone(key)
        except (ValueError, OSError):  # unknown name, or one that names no zone file
            pass
    message = f"{shown(tz)} is not a time zone; accepted: an IANA name such as 'Asia/Shanghai'"
    raise InvalidData(f"tz: {message}", problems=[("tz", message)])


# ---------------------------------------------------------------------------
# the calendar's rules


@attrs.frozen
class CalendarRules:
    """A calendar's own rules, checked: the weekly hours and the dated exceptions.

    ``holidays`` maps a date to its name and the hours off (``None``: the whole
    day); ``special`` to the hours replacing that date's. ``public_*`` are the
    same as given back to users (:class:`DayOff` values, ``"HH:MM"`` pairs).
    """

    week: tuple[Intervals, ...]
    workday_hours: int
    holidays: Mapping[date, tuple[str, Intervals | None]]
    workdays: Mapping[date, str]
    special: Mapping[date, Intervals]
    public_holidays: Mapping[date, DayOff]
    public_special: Mapping[date, tuple[tuple[str, str], ...]]
    complete_years: frozenset[int]
    covered_years: tuple[int, ...] | None


def parse_rules(
    week: object,
    holidays: object = (),
    workdays: object = (),
    special_hours: object = None,
    complete_years: object = (),
    covered_years: object = None,
    *,
    workday_hours: object = 0,
) -> CalendarRules:
    """Check and parse :class:`~aftersales.calendar.WorkCalendar`'s rule arguments.

    Raises one :class:`~aftersales.errors.InvalidData` listing every problem.

    Example:
        >>> from datetime import date
        >>> rules = parse_rules({0: [("09:00", "17:00")]}, holidays=[date(2026, 1, 1)])
        >>> rules.holidays, rules.workday_hours
        ({datetime.date(2026, 1, 1): ('holiday', None)}, 0)
    """
    problems: Problems = []
    parsed_week = _parse_week(week, problems)
    template = _weekday_index(workday_hours)
    if template is None:
        problems.append(
            ("workday_hours", f"{shown(workday_hours)} is not a weekday; accepted: 0–6, 'mon' …")
        )
        template = 0
    plan_holidays, public_holidays = _parse_holidays(holidays, problems)
    plan_workdays = _parse_workdays(workdays, plan_holidays, problems)
    plan_special: dict[date, Intervals] = {}
    public_special: dict[date, tuple[tuple[str, str], ...]] = {}
    for key, intervals in checked.mapping(special_hours, "special_hours").items():
        path = f"special_hours[{_key(key)}]"
        day = _check_date(key, path, problems)
        if day is None:
            continue
        if day in plan_holidays and plan_holidays[day][1] is None:
            problems.append((path, f"{day} is also a whole day off; accepted: one or the other"))
            continue
        parsed = parse_intervals(intervals, path, problems)
        plan_special[day] = parsed
        public_special[day] = tuple((format_time(s), format_time(e)) for s, e in parsed)
    complete = _check_years(complete_years, "complete_years", problems)
    covered = (
        None
        if covered_years is None
        else tuple(sorted(_check_years(covered_years, "covered_years", problems)))
    )
    if problems:
        raise InvalidData.from_problems(problems)
    return CalendarRules(
        week=parsed_week,
        workday_hours=template,
        holidays=plan_holidays,
        workdays=MappingProxyType(plan_workdays),
        special=plan_special,
        public_holidays=MappingProxyType(public_holidays),
        public_special=MappingProxyType(public_special),
        complete_years=frozenset(complete),
        covered_years=covered,
    )


def _parse_holidays(
    holidays: object, problems: Problems
) -> tuple[dict[date, tuple[str, Intervals | None]], dict[date, DayOff]]:
    plan: dict[date, tuple[str, Intervals | None]] = {}
    public: dict[date, DayOff] = {}
    if isinstance(holidays, Mapping):
        items: Iterable[tuple[object, object]] = holidays.items()
    else:
        items = ((d, "holiday") for d in checked.items(holidays, "holidays"))
    for key, raw in items:
        path = f"holidays[{_key(key)}]"
        day = _check_date(key, path, problems)
        if day is None:
            continue
        if isinstance(raw, str):
            off = DayOff(raw)
        elif isinstance(raw, DayOff):
            off = raw
        elif isinstance(raw, tuple) and len(raw) == 2 and isinstance(raw[0], str):
            off = DayOff(raw[0], hours=raw[1])
        else:
            problems.append(
                (path, f"{shown(raw)} is not a day off; accepted: a name, DayOff(name, hours=…)")
            )
            continue
        hours = None if off.hours is None else parse_intervals(off.hours, path, problems)
        plan[day] = (off.name, hours)
        public[day] = off
    return plan, public


def _parse_workdays(
    workdays: object, holidays: Mapping[date, tuple[str, Intervals | None]], problems: Problems
) -> dict[date, str]:
    plan: dict[date, str] = {}
    if isinstance(workdays, Mapping):
        items: Iterable[tuple[object, object]] = workdays.items()
    else:
        items = ((d, "workday") for d in checked.items(workdays, "workdays"))
    for key, name in items:
        path = f"workdays[{_key(key)}]"
        day = _check_date(key, path, problems)
        if day is None:
            continue
        if day in holidays and holidays[day][1] is None:
            problems.append((path, f"{day} is also a whole day off; accepted: one or the other"))
            continue
        if not isinstance(name, str):
            problems.append((path, f"{shown(name)} is not a name; accepted: a text"))
            continue
        plan[day] = name
    return plan
