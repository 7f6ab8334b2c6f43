"""Working calendars: when the service team works, and how much working time passes.

A :class:`WorkCalendar` knows, in its own time zone, the working intervals of
every weekday (several per day: a lunch break is simply a gap), days off (whole
or partial), extra working days (the Chinese 调休 in-lieu working weekends) and
per-date exceptions.  It answers in O(log n): the working intervals of each
local year are precomputed once as absolute instants with a cumulative
working-time array, and every query is a couple of ``bisect`` calls.

Rules (see ``docs/calendar.md``):

* intervals are half-open ``[start, end)`` wall-clock times; ``"24:00"`` ends a day;
* an instant is working time when its wall-clock reading in the calendar's zone
  lies in a working interval of its local date.  A DST gap removes the skipped
  readings (a boundary in the gap acts as the first instant after it); in a
  fold the repeated readings count twice.  Durations are real elapsed time;
* a calendar built from official data covers only the years it has data for:
  asking about another year raises :class:`~aftersales.errors.CalendarCoverageError`
  unless that year is declared complete;
* no sentinel values: a search that finds no working time in the computable
  years (1900–2399) raises :class:`~aftersales.errors.SpanTooLongError`.

Example:
    >>> import pendulum
    >>> cal = WorkCalendar.china()
    >>> start = pendulum.datetime(2026, 9, 30, 17, 0, tz="Asia/Shanghai")
    >>> cal.add(start, pendulum.duration(hours=2)).isoformat()  # National Day week skipped
    '2026-10-08T10:00:00+08:00'
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from datetime import timezone as dt_timezone
from types import MappingProxyType
from typing import Any, Final, TypeAlias

import attrs
import pendulum

from aftersales import _calendar_input as checked
from aftersales._calendar_engine import (
    DAY_US,
    EPOCH,
    MAX_YEAR,
    MIN_YEAR,
    DayPlan,
    Engine,
    ZoneOffsets,
    day_of_wall,
    to_us,
    wall_of_day,
)
from aftersales._calendar_years import YearTotals
from aftersales._checks import text
from aftersales._shown import shown
from aftersales.errors import EmptyCalendarError, InvalidData, SpanTooLongError

__all__ = ["COMPUTABLE_YEARS", "CalendarSegment", "DayOff", "WorkCalendar"]

#: The local years every calendar can compute (1900–2399); an instant or a
#: search outside them raises :class:`~aftersales.errors.SpanTooLongError`.
COMPUTABLE_YEARS: Final = range(MIN_YEAR, MAX_YEAR + 1)

TimeLike: TypeAlias = "str | time"
"""A wall-clock time: ``"HH:MM"``, ``"HH:MM:SS"`` or :class:`datetime.time`."""
IntervalLike: TypeAlias = "tuple[TimeLike, TimeLike] | Sequence[TimeLike]"
"""A half-open working interval ``(start, end)``; ``"24:00"`` is a valid end."""
WeekdayKey: TypeAlias = "int | str"
"""Mon=0 … Sun=6, a :class:`pendulum.WeekDay`, or a name: ``"mon"``, ``"Monday"``, ``"周一"``."""

OFF_HOURS = "off hours"
WEEKEND = "weekend"
SPECIAL_CLOSED = "special hours"

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

Intervals: TypeAlias = tuple[tuple[int, int], ...]


# ---------------------------------------------------------------------------
# value classes


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


@attrs.frozen
class CalendarSegment:
    """A stretch of ``[start, end)`` that is either all working time or all not.

    ``reason`` is ``None`` for working time, else why the time does not count:
    ``"off hours"`` (outside a working day's hours, lunch breaks included),
    ``"weekend"`` (a weekday without hours), a holiday's name (whole or the
    hours a partial day off removes) or ``"special hours"`` (a date whose
    special hours are empty).

    Example:
        >>> import pendulum
        >>> cal = WorkCalendar("UTC", {"mon": [("09:00", "12:00"), ("13:00", "17:00")]})
        >>> a = pendulum.datetime(2024, 1, 1, 11, tz="UTC")
        >>> [(s.working, s.reason, s.duration.seconds // 3600) for s in
        ...  cal.segments(a, a.add(hours=3))]
        [(True, None, 1), (False, 'off hours', 1), (True, None, 1)]
    """

    start: pendulum.DateTime
    end: pendulum.DateTime
    working: bool
    reason: str | None

    @property
    def duration(self) -> timedelta:
        """Real elapsed time of the segment.

        Example:
            >>> import pendulum
            >>> t = pendulum.datetime(2024, 1, 1, tz="UTC")
            >>> CalendarSegment(t, t.add(hours=2), True, None).duration
            datetime.timedelta(seconds=7200)
        """
        return timedelta(microseconds=to_us(self.end) - to_us(self.start))


# ---------------------------------------------------------------------------
# parsing helpers


def _parse_time(value: object, path: str, problems: list[tuple[str, str]], *, end: bool) -> int:
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


def _format_time(us: int) -> str:
    h, rest = divmod(us, _HOUR_US)
    m, rest = divmod(rest, _MIN_US)
    s, frac = divmod(rest, _SEC_US)
    text = f"{h:02d}:{m:02d}"
    if s or frac:
        text += f":{s:02d}"
    if frac:
        text += f".{frac:06d}"
    return text


def _format_interval(pair: tuple[int, int]) -> str:
    return f"{_format_time(pair[0])}–{_format_time(pair[1])}"


def _parse_intervals(value: object, path: str, problems: list[tuple[str, str]]) -> Intervals:
    """Parse, check (reversed, empty, overlapping) and sort a list of intervals."""
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


def _weekday_index(key: object) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return int(key) if 0 <= key <= 6 else None
    if isinstance(key, str):
        return _WEEKDAY_ALIASES.get(key.strip().lower())
    return None


def _parse_week(value: object, problems: list[tuple[str, str]]) -> tuple[Intervals, ...]:
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
        week[index] = _parse_intervals(intervals, f"week.{_DAY_NAMES[index]}", problems)
    return tuple(week)


def _key(key: object) -> str:
    """A date key as it appears in a path: ``holidays[2026-10-01]``."""
    return key.isoformat() if isinstance(key, date) else shown(key)


def _check_date(key: object, path: str, problems: list[tuple[str, str]]) -> date | None:
    if isinstance(key, datetime) or not isinstance(key, date):
        problems.append((path, f"{shown(key)} is not a date; accepted: a datetime.date"))
        return None
    return key


def _subtract(base: Intervals, off: Intervals) -> tuple[Intervals, Intervals]:
    """``base`` minus ``off``, and the part of ``base`` that ``off`` removed."""
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


def _resolve_tz(tz: object) -> tuple[pendulum.Timezone | pendulum.FixedTimezone, tzinfo]:
    """The pendulum zone for results and the tzinfo used for offsets."""
    try:
        if isinstance(tz, pendulum.Timezone | pendulum.FixedTimezone):
            zone: pendulum.Timezone | pendulum.FixedTimezone = tz
        elif isinstance(tz, str):
            zone = pendulum.timezone(tz)
        elif isinstance(tz, dt_timezone):
            offset = tz.utcoffset(None)
            zone = pendulum.FixedTimezone(int(offset.total_seconds()))
        elif isinstance(tz, tzinfo) and hasattr(tz, "key"):
            zone = pendulum.timezone(tz.key)
        else:
            raise TypeError(tz)
    except Exception:
        message = f"{shown(tz)} is not a time zone; accepted: an IANA name such as 'Asia/Shanghai'"
        raise InvalidData(f"tz: {message}", problems=[("tz", message)]) from None
    return zone, zone


# ---------------------------------------------------------------------------
# the official source (the ``holidays`` package)


class _OfficialSource:
    """Days off and in-lieu working days of one country, read year by year."""

    def __init__(self, code: str, subdiv: str | None, language: str | None) -> None:
        import holidays

        self.code = code
        self.subdiv = subdiv
        self.language = language
        try:
            probe = holidays.country_holidays(code, subdiv=subdiv, language=language)
        except NotImplementedError as error:
            message = (
                f"{shown(code)} / {shown(subdiv)} is not known to the holidays package ({error})"
            )
            raise InvalidData(f"code: {message}", problems=[("code", message)]) from None
        self.weekend: frozenset[int] = frozenset(int(d) for d in probe.weekend)
        self.version: str = getattr(holidays, "__version__", "?")
        special = getattr(probe, "special_public_holidays", {}) or {}
        if getattr(probe, "has_substituted_holidays", False):
            years = [
                year
                for year, entries in special.items()
                if any(isinstance(e, tuple) and len(e) >= 4 for e in _as_entries(entries))
            ]
            first, last = min(years), max(years)
        else:
            first, last = probe.start_year, probe.end_year
        self.covered = tuple(range(max(first, MIN_YEAR), min(last, MAX_YEAR) + 1))
        self._years: dict[int, tuple[dict[date, str], frozenset[date]]] = {}

    def year(self, year: int) -> tuple[dict[date, str], frozenset[date]]:
        """``(days off → name, in-lieu working days)`` of one year."""
        found = self._years.get(year)
        if found is None:
            import holidays

            h = holidays.country_holidays(
                self.code, subdiv=self.subdiv, years=year, language=self.language
            )
            off = {d: str(name) for d, name in h.items() if d.year == year}
            work = frozenset(d for d in h.weekend_workdays if d.year == year)
            found = (off, work)
            self._years[year] = found
        return found


def _as_entries(entries: object) -> tuple[object, ...]:
    if isinstance(entries, tuple) and entries and isinstance(entries[0], tuple):
        return entries
    return (entries,)


# ---------------------------------------------------------------------------
# the calendar


class WorkCalendar:
    """When work happens, in one time zone; immutable, thread-safe, O(log n) queries.

    Args:
        tz: the calendar's zone (IANA name or pendulum zone); working hours are
            wall-clock times there.
        week: per weekday, a list of half-open working intervals
            ``[("09:00", "12:00"), ("13:30", "18:00")]``; keys Mon=0 … Sun=6,
            :class:`pendulum.WeekDay`, ``"mon"``/``"Monday"``/``"周一"``; or a
            list of 7 lists.  Missing weekdays have no hours.
        holidays: days off: ``{date: name}``, ``{date: DayOff(name, hours=…)}``
            (a partial day off lists the hours that are off), ``{date: (name,
            hours)}``, or an iterable of dates (named ``"holiday"``).
        workdays: extra working days (调休): ``{date: name}`` or dates; they
            work the hours of weekday ``workday_hours`` (default Monday's).
        special_hours: ``{date: intervals}`` replacing that date's hours
            (an empty list closes the day).
        complete_years: years outside the official data for which the weekly
            hours (plus the explicit dates above) are declared right.
        workday_hours: the weekday whose hours an extra working day works.
        covered_years: the years the calendar has authoritative data for
            (``None``: every year, the default for a hand-made calendar).

    Raises:
        InvalidData: a bad zone, weekday, time, reversed/overlapping interval, or
            a date that is both a day off and a working day.
        EmptyCalendarError: no working time at all.

    Example:
        >>> import pendulum
        >>> from datetime import date
        >>> cal = WorkCalendar(
        ...     "Asia/Shanghai",
        ...     {d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)},
        ...     holidays={date(2026, 10, 1): "国庆节"},
        ... )
        >>> cal.add(pendulum.datetime(2026, 9, 30, 17, tz="Asia/Shanghai"),
        ...         pendulum.duration(hours=2)).isoformat()
        '2026-10-02T10:00:00+08:00'
    """

    __slots__ = (
        "_covered_set",
        "_dated",
        "_engine",
        "_holidays",
        "_plan_holidays",
        "_plan_special",
        "_source",
        "_tzinfo",
        "_usable",
        "_week",
        "_workdays",
        "_zone",
        "complete_years",
        "covered_years",
        "special_hours",
        "tz",
        "workday_hours",
    )

    tz: pendulum.Timezone | pendulum.FixedTimezone
    _zone: ZoneOffsets
    _dated: dict[int, set[date]]
    _tzinfo: tzinfo
    _week: tuple[Intervals, ...]
    _plan_holidays: dict[date, tuple[str, Intervals | None]]
    _holidays: Mapping[date, DayOff]
    _workdays: Mapping[date, str]
    _plan_special: dict[date, Intervals]
    _covered_set: frozenset[int] | None
    _source: _OfficialSource | None
    _usable: frozenset[int]
    _engine: Engine
    complete_years: frozenset[int]
    covered_years: tuple[int, ...] | None
    special_hours: Mapping[date, tuple[tuple[str, str], ...]]
    workday_hours: int

    def __init__(
        self,
        tz: str | tzinfo,
        week: Mapping[Any, Iterable[IntervalLike]] | Sequence[Iterable[IntervalLike]],
        holidays: Mapping[date, str | DayOff | tuple[str, Iterable[IntervalLike]]]
        | Iterable[date] = (),
        workdays: Mapping[date, str] | Iterable[date] = (),
        special_hours: Mapping[date, Iterable[IntervalLike]] | None = None,
        complete_years: Iterable[int] = (),
        *,
        workday_hours: WeekdayKey = 0,
        covered_years: Iterable[int] | None = None,
        _source: _OfficialSource | None = None,
    ) -> None:
        problems: list[tuple[str, str]] = []
        zone, offsets_tz = _resolve_tz(tz)
        parsed_week = _parse_week(week, problems)
        template = _weekday_index(workday_hours)
        if template is None:
            problems.append(
                (
                    "workday_hours",
                    f"{shown(workday_hours)} is not a weekday; accepted: 0–6, 'mon' …",
                )
            )
            template = 0

        plan_holidays: dict[date, tuple[str, Intervals | None]] = {}
        public_holidays: dict[date, DayOff] = {}
        if isinstance(holidays, Mapping):
            holiday_items: Iterable[tuple[object, object]] = holidays.items()
        else:
            holiday_items = ((d, "holiday") for d in checked.items(holidays, "holidays"))
        for key, raw in holiday_items:
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
                    (
                        path,
                        f"{shown(raw)} is not a day off; accepted: a name, DayOff(name, hours=…)",
                    )
                )
                continue
            hours = None if off.hours is None else _parse_intervals(off.hours, path, problems)
            plan_holidays[day] = (off.name, hours)
            public_holidays[day] = off

        plan_workdays: dict[date, str] = {}
        if isinstance(workdays, Mapping):
            work_items: Iterable[tuple[object, object]] = workdays.items()
        else:
            work_items = ((d, "workday") for d in checked.items(workdays, "workdays"))
        for key, name in work_items:
            path = f"workdays[{_key(key)}]"
            day = _check_date(key, path, problems)
            if day is None:
                continue
            if day in plan_holidays and plan_holidays[day][1] is None:
                problems.append(
                    (path, f"{day} is also a whole day off; accepted: one or the other")
                )
                continue
            if not isinstance(name, str):
                problems.append((path, f"{shown(name)} is not a name; accepted: a text"))
                continue
            plan_workdays[day] = name

        plan_special: dict[date, Intervals] = {}
        public_special: dict[date, tuple[tuple[str, str], ...]] = {}
        for key, intervals in checked.mapping(special_hours, "special_hours").items():
            path = f"special_hours[{_key(key)}]"
            day = _check_date(key, path, problems)
            if day is None:
                continue
            if day in plan_holidays and plan_holidays[day][1] is None:
                problems.append(
                    (path, f"{day} is also a whole day off; accepted: one or the other")
                )
                continue
            parsed = _parse_intervals(intervals, path, problems)
            plan_special[day] = parsed
            public_special[day] = tuple((_format_time(s), _format_time(e)) for s, e in parsed)

        complete: set[int] = set()
        for year in checked.items(complete_years, "complete_years"):
            if isinstance(year, bool) or not isinstance(year, int):
                problems.append(
                    ("complete_years", f"{shown(year)} is not a year; accepted: an int")
                )
            else:
                complete.add(year)
        covered: tuple[int, ...] | None = None
        if covered_years is not None:
            covered = tuple(sorted(set(covered_years)))
        elif _source is not None:
            covered = _source.covered
        if problems:
            raise InvalidData.from_problems(problems)

        self._set("tz", zone)
        self._set("_zone", ZoneOffsets(offsets_tz))
        self._set("_tzinfo", offsets_tz)
        self._set("_week", parsed_week)
        self._set("workday_hours", template)
        self._set("_plan_holidays", plan_holidays)
        self._set("_holidays", MappingProxyType(public_holidays))
        self._set("_workdays", MappingProxyType(plan_workdays))
        self._set("_plan_special", plan_special)
        self._set("special_hours", MappingProxyType(public_special))
        self._set("complete_years", frozenset(complete))
        self._set("covered_years", covered)
        self._set("_covered_set", None if covered is None else frozenset(covered))
        self._set("_source", _source)

        # Is there any working time at all?  Where can it be?
        explicit_work = sorted(
            d for d in set(plan_special) | set(plan_workdays) if self._plan(d).intervals
        )
        if not any(parsed_week) and not explicit_work:
            raise EmptyCalendarError(
                "the calendar has no working time (no weekday has hours and no date adds any)"
            )
        work_years = None if any(parsed_week) else (explicit_work[0].year, explicit_work[-1].year)
        if covered is None:
            usable = set(range(MIN_YEAR, MAX_YEAR + 1))
        else:
            usable = {y for y in set(covered) | complete if MIN_YEAR <= y <= MAX_YEAR}
        runs: list[tuple[int, int]] = []
        for year in sorted(usable):
            if runs and runs[-1][1] == year - 1:
                runs[-1] = (runs[-1][0], year)
            else:
                runs.append((year, year))
        self._set("_usable", frozenset(usable))
        dated: dict[int, set[date]] = {}
        for day in (*plan_special, *plan_holidays, *plan_workdays):
            dated.setdefault(day.year, set()).add(day)
        self._set("_dated", dated)
        totals = YearTotals(self._zone, self._plan, parsed_week, self._dated_days)
        engine = Engine(self._zone, self._plan, runs, covered, work_years, totals.of)
        self._set("_engine", engine)

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"WorkCalendar is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"WorkCalendar is immutable; cannot delete {name!r}")

    def __repr__(self) -> str:
        source = f", source={self.source!r}" if self.source else ""
        return f"WorkCalendar(tz={self.tz.name!r}, week={self.week!r}{source})"

    # -- constructors ---------------------------------------------------
    @classmethod
    def china(
        cls,
        tz: str | tzinfo = "Asia/Shanghai",
        hours: Iterable[IntervalLike] = (("09:00", "12:00"), ("13:30", "18:00")),
        complete_years: Iterable[int] = (),
        *,
        language: str | None = "zh_CN",
    ) -> WorkCalendar:
        """Mainland China office hours with the official days off and 调休 working weekends.

        Days off and in-lieu working days come from the ``holidays`` package
        (State Council General Office notices); it covers the years for which
        the package lists official substitutions (2001–2026 in holidays 0.109).
        Other years raise :class:`~aftersales.errors.CalendarCoverageError`
        unless listed in ``complete_years`` (then Mon–Fri hours alone apply).
        In-lieu working weekends work ``hours``.  Names are in ``language``.

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar.china()
            >>> cal.is_working_day(date(2026, 10, 10)), cal.day_off_reason(date(2026, 10, 1))
            (True, '国庆节')
        """
        week = dict.fromkeys(range(5), tuple(hours))
        return cls(
            tz,
            week,
            complete_years=complete_years,
            _source=_OfficialSource("CN", None, language),
        )

    @classmethod
    def for_country(
        cls,
        code: str,
        subdiv: str | None = None,
        *,
        tz: str | tzinfo,
        hours: Iterable[IntervalLike] = (("09:00", "17:00"),),
        complete_years: Iterable[int] = (),
        language: str | None = None,
    ) -> WorkCalendar:
        """Office ``hours`` on the working days of any country the ``holidays`` package knows.

        The weekend is the package's weekend for the country; its public
        holidays are days off; its in-lieu working days (if it has any) work
        ``hours``.  Coverage: for a country that moves working days, the years
        from its first to its last listed substitution; otherwise the package's
        year range.  Holiday names are in ``language`` (``None``: the package's
        choice, which follows the environment's locale).

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar.for_country("DE", "BE", tz="Europe/Berlin", language="en_US")
            >>> cal.day_off_reason(date(2026, 3, 9)), cal.day_off_reason(date(2026, 3, 8))
            (None, "Women's Day")
        """
        source = _OfficialSource(code, subdiv, language)
        hours = tuple(hours)
        week = {d: hours for d in range(7) if d not in source.weekend}
        return cls(tz, week, complete_years=complete_years, _source=source)

    @classmethod
    def always(cls, tz: str | tzinfo = "UTC") -> WorkCalendar:
        """A 24×7 calendar (every instant is working time; covers every year).

        Example:
            >>> import pendulum
            >>> cal = WorkCalendar.always()
            >>> t = pendulum.datetime(2026, 1, 1, tz="UTC")
            >>> cal.working_time(t, t.add(days=2))
            datetime.timedelta(days=2)
        """
        return cls(tz, [(("00:00", "24:00"),)] * 7)

    # -- attributes -----------------------------------------------------
    @property
    def week(self) -> tuple[tuple[tuple[str, str], ...], ...]:
        """The weekly hours, Mon … Sun, as ``("HH:MM", "HH:MM")`` pairs.

        Example:
            >>> WorkCalendar("UTC", {"tue": [("09:00", "17:30")]}).week[1]
            (('09:00', '17:30'),)
        """
        return tuple(tuple((_format_time(s), _format_time(e)) for s, e in d) for d in self._week)

    @property
    def holidays(self) -> Mapping[date, DayOff]:
        """The explicit days off given to the constructor (official ones are not listed).

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar("UTC", {0: [("09:00", "17:00")]}, holidays=[date(2024, 1, 1)])
            >>> cal.holidays[date(2024, 1, 1)].name
            'holiday'
        """
        return self._holidays

    @property
    def workdays(self) -> Mapping[date, str]:
        """The explicit extra working days given to the constructor.

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar("UTC", {0: [("09:00", "17:00")]}, workdays=[date(2024, 1, 6)])
            >>> dict(cal.workdays)
            {datetime.date(2024, 1, 6): 'workday'}
        """
        return self._workdays

    @property
    def source(self) -> str | None:
        """Where the official days come from, or ``None`` for a hand-made calendar.

        Example:
            >>> WorkCalendar.china().source.startswith("holidays ")
            True
        """
        if self._source is None:
            return None
        sub = f"-{self._source.subdiv}" if self._source.subdiv else ""
        return f"holidays {self._source.version}: {self._source.code}{sub}"

    # -- the day rule ---------------------------------------------------
    def _plan(self, day: date) -> DayPlan:
        special = self._plan_special.get(day)
        holiday = self._plan_holidays.get(day)
        if special is not None:
            base, reason = special, SPECIAL_CLOSED
        elif day in self._workdays:
            base, reason = self._week[self.workday_hours], WEEKEND
        elif holiday is not None and holiday[1] is None:
            return DayPlan((), holiday[0])
        else:
            base, reason = self._week[day.weekday()], WEEKEND
            covered = self._covered_set
            if self._source is not None and covered is not None and day.year in covered:
                off, work = self._source.year(day.year)
                name = off.get(day)
                if name is not None:
                    return DayPlan((), name)
                if day in work:
                    base = self._week[self.workday_hours]
        if holiday is not None and holiday[1] is not None:
            kept, removed = _subtract(base, holiday[1])
            if not kept:
                return DayPlan((), holiday[0])
            return DayPlan(kept, None, removed, holiday[0])
        return DayPlan(base, None if base else reason)

    def _dated_days(self, year: int) -> set[date]:
        """The dates of ``year`` whose plan may differ from the weekly hours."""
        days = set(self._dated.get(year, ()))
        covered = self._covered_set
        if self._source is not None and covered is not None and year in covered:
            off, work = self._source.year(year)
            days.update(off, work)
        return days

    # -- conversions ----------------------------------------------------
    @staticmethod
    def _in(value: object, name: str) -> int:
        return checked.instant_us(value, name)

    def _out(self, u: int) -> pendulum.DateTime:
        d = (EPOCH + timedelta(microseconds=u)).astimezone(self.tz)
        return pendulum.DateTime(
            d.year,
            d.month,
            d.day,
            d.hour,
            d.minute,
            d.second,
            d.microsecond,
            tzinfo=self.tz,
            fold=d.fold,
        )

    @staticmethod
    def epoch_us(value: datetime) -> int:
        """Microseconds since the Unix epoch of an aware datetime (the bulk API's unit).

        Example:
            >>> import pendulum
            >>> WorkCalendar.epoch_us(pendulum.datetime(1970, 1, 1, 0, 0, 1, tz="UTC"))
            1000000
        """
        return WorkCalendar._in(value, "value")

    def from_epoch_us(self, value: int) -> pendulum.DateTime:
        """The instant ``value`` (µs since the epoch) as a pendulum datetime in the calendar's zone.

        Example:
            >>> WorkCalendar.always("Asia/Shanghai").from_epoch_us(0).isoformat()
            '1970-01-01T08:00:00+08:00'
        """
        return self._out(checked.epoch_us_value(value, "value"))

    # -- scalar queries -------------------------------------------------
    def add(self, start: datetime, duration: timedelta) -> pendulum.DateTime:
        """The earliest instant at which ``duration`` of working time has passed since ``start``.

        ``duration == 0`` returns ``start``; a negative duration counts backwards
        (the latest ``t <= start`` with ``working_time(t, start) == -duration``).
        A deadline landing exactly at the end of a working interval is that end
        (12:00, not 13:30 after lunch).

        Example:
            >>> import pendulum
            >>> cal = WorkCalendar.china()
            >>> cal.add(pendulum.datetime(2026, 3, 2, 11, 30, tz="Asia/Shanghai"),
            ...         pendulum.duration(hours=1)).isoformat()
            '2026-03-02T14:00:00+08:00'
        """
        d = checked.duration_us(duration, "duration")
        u = self._in(start, "start")
        with checked.naming("duration"):
            return self._out(self._engine.add(u, d))

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """Working time in ``[start, end)``; ``-working_time(end, start)`` when ``end < start``.

        Example:
            >>> import pendulum
            >>> cal = WorkCalendar.china()
            >>> day = pendulum.datetime(2026, 3, 2, tz="Asia/Shanghai")
            >>> cal.working_time(day, day.add(days=1))
            datetime.timedelta(seconds=27000)
        """
        a, b = self._in(start, "start"), self._in(end, "end")
        return timedelta(microseconds=self._engine.working_time(a, b))

    def add_working_days(self, start: datetime, n: int) -> pendulum.DateTime:
        """The end of the working hours of the ``n``-th working day after ``start``'s local date.

        ``n = 0`` gives the end of ``start``'s own day if it is a working day,
        else of the next working day.  A working day is a local date with any
        working time (a partial day off still counts).

        Example:
            >>> import pendulum
            >>> cal = WorkCalendar.china()
            >>> cal.add_working_days(pendulum.datetime(2026, 9, 30, 15, tz="Asia/Shanghai"), 1)
            DateTime(2026, 10, 8, 18, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        n = checked.day_count(n, "n")
        u = self._in(start, "start")
        day = day_of_wall(self._zone.wall(u))
        with checked.naming("n"):
            return self._out(self._engine.working_day_end(day, n))

    def is_working_time(self, at: datetime) -> bool:
        """Whether ``at`` lies inside working hours (start included, end excluded).

        Example:
            >>> import pendulum
            >>> cal = WorkCalendar.china()
            >>> [cal.is_working_time(pendulum.datetime(2026, 3, 2, h, tz="Asia/Shanghai"))
            ...  for h in (9, 12, 13, 18)]
            [True, False, False, False]
        """
        return self._engine.is_working(self._in(at, "at"))

    def next_working_time(self, at: datetime) -> pendulum.DateTime:
        """``at`` itself if it is working time, else the next instant that is.

        Example:
            >>> import pendulum
            >>> cal = WorkCalendar.china()
            >>> cal.next_working_time(pendulum.datetime(2026, 3, 2, 12, 15, tz="Asia/Shanghai"))
            DateTime(2026, 3, 2, 13, 30, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        u = self._in(at, "at")
        with checked.naming("at"):
            return self._out(self._engine.next_working(u))

    def is_working_day(self, day: date) -> bool:
        """Whether the local date ``day`` has any working time.

        Example:
            >>> from datetime import date
            >>> WorkCalendar.china().is_working_day(date(2026, 2, 14))  # a 调休 Saturday
            True
        """
        return self._engine.working_day(self._date(day))

    def day_off_reason(self, day: date) -> str | None:
        """Why ``day`` is off: the holiday's name, ``"weekend"``, ``"special hours"``; else ``None``.

        A partial day off still has working time, so it gives ``None``.

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar.china()
            >>> [cal.day_off_reason(date(2026, 10, d)) for d in (1, 4, 8)]
            ['国庆节', 'weekend', None]
        """
        day = self._date(day)
        self._engine.run_of(day.year)
        if self._engine.working_day(day):
            return None
        plan = self._plan(day)
        return plan.off_reason or SPECIAL_CLOSED

    def _date(self, day: object) -> date:
        if isinstance(day, datetime) or not isinstance(day, date):
            message = f"{shown(day)} is not a date; accepted: a datetime.date"
            raise InvalidData(f"day: {message}", problems=[("day", message)])
        if day.year not in COMPUTABLE_YEARS:
            raise SpanTooLongError(day.isoformat(), limit=checked.LIMIT, name="day")
        return day

    def segments(self, start: datetime, end: datetime) -> Iterator[CalendarSegment]:
        """Cover ``[start, end)`` with working and non-working stretches, in order.

        Adjacent segments never share both ``working`` and ``reason``; a
        non-working stretch spanning several reasons (evening, weekend, a
        holiday) is split by reason.  Empty when ``end <= start``.

        Example:
            >>> import pendulum
            >>> cal = WorkCalendar.china()
            >>> a = pendulum.datetime(2026, 10, 9, 17, tz="Asia/Shanghai")
            >>> [(s.start.day, s.start.hour, s.working, s.reason)
            ...  for s in cal.segments(a, a.add(days=1, hours=-7))]
            [(9, 17, True, None), (9, 18, False, 'off hours'), (10, 9, True, None)]
        """
        a, b = self._in(start, "start"), self._in(end, "end")
        if a >= b:
            return iter(())
        raw: list[tuple[int, int, bool, str | None]] = []
        cursor = a
        for s, e in self._engine.intervals(a, b):
            if cursor < s:
                raw.extend(self._gap(cursor, s))
            raw.append((s, e, True, None))
            cursor = e
        if cursor < b:
            raw.extend(self._gap(cursor, b))
        merged: list[tuple[int, int, bool, str | None]] = []
        for item in raw:
            if merged and merged[-1][1] == item[0] and merged[-1][2:] == item[2:]:
                merged[-1] = (merged[-1][0], item[1], item[2], item[3])
            else:
                merged.append(item)
        return iter([CalendarSegment(self._out(s), self._out(e), w, r) for s, e, w, r in merged])

    def _gap(self, g0: int, g1: int) -> list[tuple[int, int, bool, str | None]]:
        """Reasons for a stretch that holds no working time."""
        out: list[tuple[int, int, bool, str | None]] = []
        for ps, pe, off in self._zone.pieces(g0, g1):
            u = ps
            while u < pe:
                wall = u + off
                day = day_of_wall(wall)
                day_wall = wall_of_day(day)
                stop = min(pe, day_wall + DAY_US - off)
                plan = self._plan(day)
                if plan.off_reason is not None:
                    out.append((u, stop, False, plan.off_reason))
                else:
                    cursor = u
                    for rs, re_ in plan.removed:
                        a = max(cursor, day_wall + rs - off)
                        b = min(stop, day_wall + re_ - off)
                        if a < b:
                            if cursor < a:
                                out.append((cursor, a, False, OFF_HOURS))
                            out.append((a, b, False, plan.removed_reason))
                            cursor = b
                    if cursor < stop:
                        out.append((cursor, stop, False, OFF_HOURS))
                u = stop
        return out

    # -- bulk queries ---------------------------------------------------
    def add_many_epoch(self, starts: Sequence[int], durations: Sequence[int]) -> list[int]:
        """:meth:`add` over many queries, on integer microseconds since the Unix epoch.

        ``starts`` are instants and ``durations`` working time, both ``int`` µs;
        returns instants as ``int`` µs.  Same results (and errors) as :meth:`add`.
        This is the fast path (well over a million queries a second): convert
        with :meth:`epoch_us` / :meth:`from_epoch_us`, or from numpy
        ``datetime64[us]`` / pandas ``.astype("int64")`` values.

        Example:
            >>> cal = WorkCalendar.always()
            >>> cal.add_many_epoch([0, 10], [5, 0])
            [5, 10]
        """
        starts = checked.epoch_list(starts, "starts", instants=True)
        durations = checked.epoch_list(durations, "durations", instants=False)
        checked.same_length(starts, durations, ("starts", "durations"))
        engine = self._engine
        out: list[int] = []
        append = out.append
        if not starts:
            return out
        try:
            run, table = engine.table_for(min(starts), max(starts))
        except Exception:
            run, table = engine.table_at(starts[0])
        S, E, A, CE = table.S, table.E, table.A, table.CE
        lo, hi, total = table.lo, table.hi, table.CE[-1]
        br, bl = bisect_right, bisect_left
        for s, d in zip(starts, durations, strict=True):
            if lo <= s < hi and d > 0:
                i = br(S, s) - 1
                e = E[i]
                target = A[i] + (s if s < e else e) + d
                if target <= total:
                    append(target - A[bl(CE, target)])
                    continue
            append(engine.add(s, d))
            if run.table is not None and run.table is not table:
                table = run.table
                S, E, A, CE = table.S, table.E, table.A, table.CE
                lo, hi, total = table.lo, table.hi, table.CE[-1]
        return out

    def working_time_many_epoch(self, starts: Sequence[int], ends: Sequence[int]) -> list[int]:
        """:meth:`working_time` over many queries, on integer microseconds since the epoch.

        Example:
            >>> cal = WorkCalendar.always()
            >>> cal.working_time_many_epoch([0, 10], [5, 4])
            [5, -6]
        """
        starts = checked.epoch_list(starts, "starts", instants=True)
        ends = checked.epoch_list(ends, "ends", instants=True)
        checked.same_length(starts, ends, ("starts", "ends"))
        engine = self._engine
        out: list[int] = []
        append = out.append
        if not starts:
            return out
        try:
            run, table = engine.table_for(min(starts), max(starts), min(ends), max(ends))
        except Exception:
            run, table = engine.table_at(starts[0])
        S, E, A = table.S, table.E, table.A
        lo, hi = table.lo, table.hi
        br = bisect_right
        for a, b in zip(starts, ends, strict=True):
            if lo <= a < hi and lo <= b < hi:
                i = br(S, a) - 1
                e = E[i]
                fa = A[i] + (a if a < e else e)
                j = br(S, b) - 1
                e = E[j]
                append(A[j] + (b if b < e else e) - fa)
                continue
            append(engine.working_time(a, b))
            if run.table is not None and run.table is not table:
                table = run.table
                S, E, A = table.S, table.E, table.A
                lo, hi = table.lo, table.hi
        return out

    def add_many(
        self, starts: Iterable[datetime], durations: Iterable[timedelta]
    ) -> list[pendulum.DateTime]:
        """:meth:`add` over many aware datetimes and timedeltas (convenience; see :meth:`add_many_epoch`).

        Example:
            >>> import pendulum
            >>> cal = WorkCalendar.always("UTC")
            >>> t = pendulum.datetime(2026, 1, 1, tz="UTC")
            >>> [r.hour for r in cal.add_many([t, t], [pendulum.duration(hours=1)] * 2)]
            [1, 1]
        """
        us = [self._in(s, f"starts[{i}]") for i, s in enumerate(checked.items(starts, "starts"))]
        ds = [
            checked.duration_us(d, f"durations[{i}]")
            for i, d in enumerate(checked.items(durations, "durations"))
        ]
        return [self._out(u) for u in self.add_many_epoch(us, ds)]

    def working_time_many(
        self, starts: Iterable[datetime], ends: Iterable[datetime]
    ) -> list[timedelta]:
        """:meth:`working_time` over many pairs of aware datetimes (convenience).

        Example:
            >>> import pendulum
            >>> cal = WorkCalendar.always("UTC")
            >>> t = pendulum.datetime(2026, 1, 1, tz="UTC")
            >>> cal.working_time_many([t], [t.add(hours=3)])
            [datetime.timedelta(seconds=10800)]
        """
        a = [self._in(s, f"starts[{i}]") for i, s in enumerate(checked.items(starts, "starts"))]
        b = [self._in(e, f"ends[{i}]") for i, e in enumerate(checked.items(ends, "ends"))]
        return [timedelta(microseconds=v) for v in self.working_time_many_epoch(a, b)]
