"""The working calendar: when the service team works, and how much working time passes.

:class:`WorkCalendar` is the facade of :mod:`aftersales.calendar`: it parses its
rules (:mod:`~aftersales.calendar.rules`), reads official days
(:mod:`~aftersales.calendar.official`) through the day rule
(:mod:`~aftersales.calendar.days`), checks every argument
(:mod:`~aftersales.calendar.inputs`) and answers on the cumulative-time
engine (:mod:`~aftersales.calendar.engine`), one query or a batch of them.

Imports only the other modules of :mod:`aftersales.calendar` and the domain helpers.

Example:
    >>> import pendulum
    >>> cal = WorkCalendar.china()
    >>> start = pendulum.datetime(2026, 9, 30, 17, 0, tz="Asia/Shanghai")
    >>> cal.working_time(start, start.add(days=8)) / pendulum.duration(hours=1)  # 1 h + 6.5 h on 8 Oct
    7.5
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Final

import pendulum

from aftersales._shown import shown
from aftersales.calendar import inputs as checked
from aftersales.calendar.days import SPECIAL_CLOSED, DayRule
from aftersales.calendar.engine import Engine
from aftersales.calendar.official import OfficialSource
from aftersales.calendar.rules import (
    CalendarRules,
    DayOff,
    IntervalLike,
    WeekdayKey,
    format_time,
    parse_rules,
    resolve_tz,
)
from aftersales.calendar.schedules import OfficialSchedule
from aftersales.calendar.segments import CalendarSegment, segments_between
from aftersales.calendar.years import YearTotals
from aftersales.calendar.zone import EPOCH, MAX_YEAR, MIN_YEAR, ZoneOffsets, day_of_wall
from aftersales.errors import InvalidData, SpanTooLongError

__all__ = ["COMPUTABLE_YEARS", "WorkCalendar"]

#: The local years every calendar can compute (1900–2399); an instant or a
#: search outside them raises :class:`~aftersales.errors.SpanTooLongError`.
COMPUTABLE_YEARS: Final = range(MIN_YEAR, MAX_YEAR + 1)


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
        "_days",
        "_engine",
        "_rules",
        "_source",
        "_zone",
        "complete_years",
        "covered_years",
        "special_hours",
        "tz",
        "workday_hours",
    )

    tz: pendulum.Timezone | pendulum.FixedTimezone
    _zone: ZoneOffsets
    _rules: CalendarRules
    _days: DayRule
    _source: OfficialSource | None
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
        _source: OfficialSource | None = None,
    ) -> None:
        zone = resolve_tz(tz)
        rules = parse_rules(
            week,
            holidays,
            workdays,
            special_hours,
            complete_years,
            covered_years,
            workday_hours=workday_hours,
        )
        covered = rules.covered_years
        if covered is None and _source is not None:
            covered = _source.covered
        days = DayRule(rules, _source, covered)
        offsets = ZoneOffsets(zone)
        totals = YearTotals(offsets, days.plan, rules.week, days.dated_days)
        engine = Engine(offsets, days.plan, days.runs(), covered, days.working_years(), totals.of)
        self._set("tz", zone)
        self._set("_zone", offsets)
        self._set("_rules", rules)
        self._set("_days", days)
        self._set("_source", _source)
        self._set("_engine", engine)
        self._set("workday_hours", rules.workday_hours)
        self._set("special_hours", rules.public_special)
        self._set("complete_years", rules.complete_years)
        self._set("covered_years", covered)

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"WorkCalendar is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"WorkCalendar is immutable; cannot delete {name!r}")

    def __repr__(self) -> str:
        source = f", source={self.source!r}" if self.source else ""
        if self.schedules:
            years = ", ".join(f"{s.country} {s.year}" for s in self.schedules)
            source += f", schedules=[{years}]"
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
        schedules: Iterable[OfficialSchedule] = (),
    ) -> WorkCalendar:
        """Mainland China office hours with the official days off and 调休 working weekends.

        Days off and in-lieu working days come from the ``holidays`` package
        (State Council General Office notices); it covers the years for which
        the package lists official substitutions (2001–2026 in holidays 0.109).
        Other years raise :class:`~aftersales.errors.CalendarCoverageError`
        unless listed in ``complete_years`` (then Mon–Fri hours alone apply).
        In-lieu working weekends work ``hours``.  Names are in ``language``.

        ``schedules`` are official schedules
        (:class:`~aftersales.calendar.schedules.OfficialSchedule`, read by
        :func:`~aftersales.calendar.load_schedule`) merged over the package's
        data: a year a schedule covers is read from it (so next year's notice
        can be used before the package has it); one for a year the package
        covers must agree with it day for day, else
        :class:`~aftersales.errors.ScheduleError` names the dates that differ.

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar.china()
            >>> cal.is_working_day(date(2026, 10, 10)), cal.day_off_reason(date(2026, 10, 1))
            (True, '国庆节')
            >>> fictional = OfficialSchedule(2031, {date(2031, 10, 1): "国庆节"})  # not an official notice
            >>> WorkCalendar.china(schedules=[fictional]).day_off_reason(date(2031, 10, 1))
            '国庆节'
        """
        week = dict.fromkeys(range(5), tuple(checked.items(hours, "hours")))
        return cls(
            tz,
            week,
            complete_years=complete_years,
            _source=OfficialSource("CN", None, language, schedules),
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
        schedules: Iterable[OfficialSchedule] = (),
    ) -> WorkCalendar:
        """Office ``hours`` on the working days of any country the ``holidays`` package knows.

        The weekend is the package's weekend for the country; its public
        holidays are days off; its in-lieu working days (if it has any) work
        ``hours``.  Coverage: for a country that moves working days, the years
        from its first to its last listed substitution; otherwise the package's
        year range.  Holiday names are in ``language`` (``None``: the package's
        choice, which follows the environment's locale). ``schedules`` of the
        country are merged as in :meth:`china`.

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar.for_country("DE", "BE", tz="Europe/Berlin", language="en_US")
            >>> cal.day_off_reason(date(2026, 3, 9)), cal.day_off_reason(date(2026, 3, 8))
            (None, "Women's Day")
        """
        source = OfficialSource(code, subdiv, language, schedules)
        office = tuple(checked.items(hours, "hours"))
        week = {d: office for d in range(7) if d not in source.weekend}
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
        return tuple(
            tuple((format_time(s), format_time(e)) for s, e in d) for d in self._rules.week
        )

    @property
    def holidays(self) -> Mapping[date, DayOff]:
        """The explicit days off given to the constructor (official ones are not listed).

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar("UTC", {0: [("09:00", "17:00")]}, holidays=[date(2024, 1, 1)])
            >>> cal.holidays[date(2024, 1, 1)].name
            'holiday'
        """
        return self._rules.public_holidays

    @property
    def workdays(self) -> Mapping[date, str]:
        """The explicit extra working days given to the constructor.

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar("UTC", {0: [("09:00", "17:00")]}, workdays=[date(2024, 1, 6)])
            >>> dict(cal.workdays)
            {datetime.date(2024, 1, 6): 'workday'}
        """
        return self._rules.workdays

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

    @property
    def schedules(self) -> tuple[OfficialSchedule, ...]:
        """The official schedules merged over the package's data, by year (``()``: none).

        Example:
            >>> WorkCalendar.china().schedules
            ()
        """
        if self._source is None:
            return ()
        return tuple(self._source.schedules[y] for y in sorted(self._source.schedules))

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
        plan = self._days.plan(day)
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
        found = segments_between(
            a, b, engine=self._engine, zone=self._zone, plan=self._days.plan, out=self._out
        )
        return iter(found)

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
        return self._engine.add_many(starts, durations)

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
        return self._engine.working_time_many(starts, ends)

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
