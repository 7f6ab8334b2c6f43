"""The day rule: the working hours of each local date, and why a date or an hour is off.

A date's hours are decided in this order: its special hours; else, for an
extra working day (调休), the hours of the ``workday_hours`` weekday; else
nothing for a whole day off; else an official day off or in-lieu working day
(in the years the official data covers); else its weekday's hours. A partial
day off then takes its hours away from the result.

Imports only the lower modules of :mod:`aftersales.calendar` and the errors.

Example:
    >>> from datetime import date
    >>> from aftersales.calendar.rules import parse_rules
    >>> rules = parse_rules({d: [("09:00", "18:00")] for d in range(5)},
    ...                     holidays={date(2026, 10, 1): "国庆节"})
    >>> days = DayRule(rules, source=None, covered=None)
    >>> days.plan(date(2026, 10, 1)).off_reason, days.plan(date(2026, 10, 3)).off_reason
    ('国庆节', 'weekend')
"""

from __future__ import annotations

from datetime import date

from aftersales.calendar.engine import DayPlan
from aftersales.calendar.official import OfficialSource
from aftersales.calendar.rules import CalendarRules, subtract
from aftersales.calendar.zone import MAX_YEAR, MIN_YEAR
from aftersales.errors import EmptyCalendarError

__all__ = ["OFF_HOURS", "SPECIAL_CLOSED", "WEEKEND", "DayRule"]

#: Why time inside a working day does not count: before, after or between its hours.
OFF_HOURS = "off hours"
#: Why a date without a holiday has no hours: its weekday has none.
WEEKEND = "weekend"
#: Why a date has no hours: its special hours are empty.
SPECIAL_CLOSED = "special hours"


class DayRule:
    """A calendar's rules and official source, read as the working hours of each date.

    ``covered`` are the years the official ``source`` is read for (``None``:
    every year, or no source).

    Example:
        >>> from datetime import date
        >>> from aftersales.calendar.rules import parse_rules
        >>> rules = parse_rules({0: [("09:00", "12:00")]}, workdays=[date(2026, 2, 14)])
        >>> DayRule(rules, source=None, covered=None).plan(date(2026, 2, 14)).intervals
        ((32400000000, 43200000000),)
    """

    __slots__ = (
        "_covered",
        "_dated",
        "_holidays",
        "_source",
        "_special",
        "_template",
        "_week",
        "_workdays",
        "rules",
    )

    def __init__(
        self,
        rules: CalendarRules,
        source: OfficialSource | None,
        covered: tuple[int, ...] | None,
    ) -> None:
        self.rules = rules
        self._week = rules.week
        self._template = rules.week[rules.workday_hours]
        self._holidays = rules.holidays
        self._workdays = rules.workdays
        self._special = rules.special
        self._source = source
        self._covered = None if covered is None else frozenset(covered)
        dated: dict[int, set[date]] = {}
        for day in (*rules.special, *rules.holidays, *rules.workdays):
            dated.setdefault(day.year, set()).add(day)
        self._dated = dated

    def plan(self, day: date) -> DayPlan:
        """The working hours of ``day`` (wall-clock µs of the day), or why it has none."""
        special = self._special.get(day)
        holiday = self._holidays.get(day)
        if special is not None:
            base, reason = special, SPECIAL_CLOSED
        elif day in self._workdays:
            base, reason = self._template, WEEKEND
        elif holiday is not None and holiday[1] is None:
            return DayPlan((), holiday[0])
        else:
            base, reason = self._week[day.weekday()], WEEKEND
            covered = self._covered
            if self._source is not None and covered is not None and day.year in covered:
                off, work = self._source.year(day.year)
                name = off.get(day)
                if name is not None:
                    return DayPlan((), name)
                if day in work:
                    base = self._template
        if holiday is not None and holiday[1] is not None:
            kept, removed = subtract(base, holiday[1])
            if not kept:
                return DayPlan((), holiday[0])
            return DayPlan(kept, None, removed, holiday[0])
        return DayPlan(base, None if base else reason)

    def dated_days(self, year: int) -> set[date]:
        """The dates of ``year`` whose plan may differ from the weekly hours."""
        days = set(self._dated.get(year, ()))
        covered = self._covered
        if self._source is not None and covered is not None and year in covered:
            off, work = self._source.year(year)
            days.update(off, work)
        return days

    def working_years(self) -> tuple[int, int] | None:
        """The first and last year with working time, or ``None`` when the week has hours.

        Raises:
            EmptyCalendarError: no weekday has hours and no date adds any.
        """
        rules = self.rules
        explicit_work = sorted(
            d for d in set(rules.special) | set(rules.workdays) if self.plan(d).intervals
        )
        if not any(rules.week) and not explicit_work:
            raise EmptyCalendarError(
                "the calendar has no working time (no weekday has hours and no date adds any)"
            )
        return None if any(rules.week) else (explicit_work[0].year, explicit_work[-1].year)

    def runs(self) -> list[tuple[int, int]]:
        """The stretches of consecutive years the calendar may answer about.

        Every computable year when the coverage is ``None``; else the covered
        years and those declared complete.
        """
        if self._covered is None:
            usable = set(range(MIN_YEAR, MAX_YEAR + 1))
        else:
            complete = self.rules.complete_years
            usable = {y for y in self._covered | complete if MIN_YEAR <= y <= MAX_YEAR}
        runs: list[tuple[int, int]] = []
        for year in sorted(usable):
            if runs and runs[-1][1] == year - 1:
                runs[-1] = (runs[-1][0], year)
            else:
                runs.append((year, year))
        return runs
