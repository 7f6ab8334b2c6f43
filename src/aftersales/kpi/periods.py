"""Reporting periods: a day, an ISO week, a month, a quarter or a year in a calendar's time zone.

A :class:`Period` is half-open, ``[start, end)``, with both ends at local
midnight of its zone, so a ticket received at 23:59 Shanghai time on 31 October
belongs to October even though it is 15:59 UTC. Weeks are ISO weeks (Monday to
Sunday, week 1 holds the year's first Thursday).

Example:
    >>> october = Period.parse("2026-10", "Asia/Shanghai")
    >>> october.start.isoformat(), october.end.isoformat()
    ('2026-10-01T00:00:00+08:00', '2026-11-01T00:00:00+08:00')
    >>> october.previous().label, Period.parse("2026-W42", "UTC").start.date().isoformat()
    ('2026-09', '2026-10-12')
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Literal

import attrs
import pendulum

from aftersales._renamed import renamed_keywords
from aftersales._shown import shown
from aftersales.errors import InvalidData, UnknownValue
from aftersales.time import ensure_aware

__all__ = ["GRANULARITIES", "Granularity", "Period"]

#: The kinds of period.
Granularity = Literal["day", "week", "month", "quarter", "year"]
#: Every accepted granularity.
GRANULARITIES: tuple[Granularity, ...] = ("day", "week", "month", "quarter", "year")

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
#: The forms :meth:`Period.parse` accepts, as named in its refusals.
_FORMS = "2026-10-12, 2026-W42, 2026-10, 2026-Q4 or 2026"


def _zone(value: object) -> str:
    named = getattr(value, "name", None) or getattr(value, "key", None)
    if not isinstance(value, str) and isinstance(named, str):
        value = named  # a pendulum or zoneinfo zone, e.g. ``WorkCalendar.tz``
    if not isinstance(value, str):
        message = f"{shown(value)} is not a time-zone name; accepted: an IANA name such as 'Asia/Shanghai'"
        raise InvalidData(f"tz: {message}", problems=[("tz", message)])
    try:
        pendulum.timezone(value)
    except (ValueError, OSError):  # unknown name (InvalidTimezone is a ValueError), bad path
        message = (
            f"{value!r} is not a known time zone; accepted: an IANA name such as 'Asia/Shanghai'"
        )
        raise InvalidData(f"tz: {message}", problems=[("tz", message)]) from None
    return value


def _kind(instance: Period, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in GRANULARITIES:
        raise UnknownValue("kind", value, GRANULARITIES)


@attrs.frozen(slots=True)
class Period:
    """One day, ISO week, month, quarter or year, in a time zone; half-open ``[start, end)``.

    ``first`` is the local date the period starts on (a Monday for weeks, the
    1st for months, 1 January, April, July or October for quarters, 1 January
    for years). Build one with :meth:`day`, :meth:`week`, :meth:`month`,
    :meth:`quarter`, :meth:`year`, :meth:`of` or :meth:`parse`.

    Example:
        >>> week = Period.week(date(2026, 10, 14), "Asia/Shanghai")
        >>> week.label, week.first.isoformat(), week.days
        ('2026-W42', '2026-10-12', 7)
        >>> week.contains(pendulum.datetime(2026, 10, 18, 23, 59, tz="Asia/Shanghai"))
        True
    """

    kind: Granularity = attrs.field(validator=_kind)
    first: date
    tz: str = attrs.field(converter=_zone)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.first, datetime) or not isinstance(self.first, date):
            message = f"{shown(self.first)} is not a date; accepted: a date such as 2026-10-01"
            raise InvalidData(f"first: {message}", problems=[("first", message)])
        aligned = {
            "day": True,
            "week": self.first.weekday() == 0,
            "month": self.first.day == 1,
            "quarter": self.first.day == 1 and self.first.month % 3 == 1,
            "year": (self.first.month, self.first.day) == (1, 1),
        }[self.kind]
        if not aligned:
            message = (
                f"{self.first.isoformat()} does not start a {self.kind}; accepted: "
                + {
                    "week": "a Monday",
                    "month": "the 1st of a month",
                    "quarter": "1 January, April, July or October",
                    "year": "1 January",
                }[self.kind]
            )
            raise InvalidData(f"first: {message}", problems=[("first", message)])

    # -- constructors -------------------------------------------------------------------

    @classmethod
    def day(cls, day: date, tz: str) -> Period:
        """The local day ``day``.

        Example:
            >>> Period.day(date(2026, 10, 12), "UTC").label
            '2026-10-12'
        """
        return cls("day", day, tz)

    @classmethod
    def week(cls, day: date, tz: str) -> Period:
        """The ISO week (Monday–Sunday) holding ``day``.

        Example:
            >>> Period.week(date(2027, 1, 1), "UTC").label  # a Friday of 2026's week 53
            '2026-W53'
        """
        return cls("week", day - timedelta(days=day.weekday()), tz)

    @classmethod
    def month(cls, year: int, month: int, tz: str) -> Period:
        """The calendar month ``year``-``month``.

        Example:
            >>> Period.month(2026, 12, "UTC").next().label
            '2027-01'
        """
        try:
            first = date(year, month, 1)
        except (TypeError, ValueError):
            message = f"{year!r}-{month!r} is not a month; accepted: a year and a month 1–12"
            raise InvalidData(f"month: {message}", problems=[("month", message)]) from None
        return cls("month", first, tz)

    @classmethod
    def quarter(cls, year: int, quarter: int, tz: str) -> Period:
        """The calendar quarter ``quarter`` (1–4) of ``year``.

        Example:
            >>> q4 = Period.quarter(2026, 4, "UTC")
            >>> q4.label, q4.first.isoformat(), q4.last.isoformat(), q4.next().label
            ('2026-Q4', '2026-10-01', '2026-12-31', '2027-Q1')
        """
        if not isinstance(quarter, int) or not 1 <= quarter <= 4:
            message = f"{quarter!r} is not a quarter; accepted: 1, 2, 3 or 4"
            raise InvalidData(f"quarter: {message}", problems=[("quarter", message)])
        try:
            first = date(year, 3 * quarter - 2, 1)
        except (TypeError, ValueError):
            message = f"{year!r} is not a year; accepted: a year 1–9999"
            raise InvalidData(f"year: {message}", problems=[("year", message)]) from None
        return cls("quarter", first, tz)

    @classmethod
    def year(cls, year: int, tz: str) -> Period:
        """The calendar year ``year``.

        Example:
            >>> Period.year(2026, "UTC").days, Period.year(2028, "UTC").previous().label
            (365, '2027')
        """
        try:
            first = date(year, 1, 1)
        except (TypeError, ValueError):
            message = f"{year!r} is not a year; accepted: a year 1–9999"
            raise InvalidData(f"year: {message}", problems=[("year", message)]) from None
        return cls("year", first, tz)

    @classmethod
    @renamed_keywords(moment="at")
    def of(cls, kind: Granularity, at: datetime, tz: str) -> Period:
        """The period of kind ``kind`` holding the aware instant ``at`` (read in ``tz``).

        Example:
            >>> at = pendulum.datetime(2026, 10, 31, 16, 30, tz="UTC")  # 00:30 on 1 Nov in Shanghai
            >>> Period.of("month", at, "Asia/Shanghai").label
            '2026-11'
        """
        local = ensure_aware(at, "at").in_timezone(_zone(tz)).date()
        return cls.of_date(kind, local, tz)

    @classmethod
    def of_date(cls, kind: Granularity, day: date, tz: str) -> Period:
        """The period of kind ``kind`` holding the local date ``day``.

        Example:
            >>> Period.of_date("week", date(2026, 10, 18), "UTC").first.isoformat()
            '2026-10-12'
        """
        if kind == "day":
            return cls.day(day, tz)
        if kind == "week":
            return cls.week(day, tz)
        if kind == "month":
            return cls.month(day.year, day.month, tz)
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1, tz)
        if kind == "year":
            return cls.year(day.year, tz)
        raise UnknownValue("kind", kind, GRANULARITIES)

    @classmethod
    def parse(cls, text: str, tz: str) -> Period:
        """``2026-10-12`` (a day), ``2026-W42`` (an ISO week), ``2026-10`` (a month),
        ``2026-Q4`` (a quarter) or ``2026`` (a year); any other form is refused.

        Example:
            >>> Period.parse("2026-W53", "UTC").first.isoformat()
            '2026-12-28'
            >>> Period.parse("2026-Q4", "UTC").kind, Period.parse("2026", "UTC").kind
            ('quarter', 'year')
            >>> Period.parse("2026/10", "UTC")
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: period: '2026/10' is not a period; accepted: 2026-10-12, 2026-W42, 2026-10, 2026-Q4 or 2026
        """
        value = text.strip() if isinstance(text, str) else ""
        try:
            if match := _DAY.match(value):
                return cls.day(date(*map(int, match.groups())), tz)
            if match := _WEEK.match(value):
                year, week = map(int, match.groups())
                return cls.week(date.fromisocalendar(year, week, 1), tz)
            if match := _MONTH.match(value):
                return cls.month(int(match.group(1)), int(match.group(2)), tz)
            if match := _QUARTER.match(value):
                return cls.quarter(int(match.group(1)), int(match.group(2)), tz)
            if match := _YEAR.match(value):
                return cls.year(int(match.group(1)), tz)
        except InvalidData:
            raise
        except ValueError:
            pass
        message = f"{text!r} is not a period; accepted: {_FORMS}"
        raise InvalidData(f"period: {message}", problems=[("period", message)])

    # -- views --------------------------------------------------------------------------

    @property
    def last(self) -> date:
        """The last local date in the period.

        Example:
            >>> Period.month(2028, 2, "UTC").last.isoformat()
            '2028-02-29'
        """
        return self.next().first - timedelta(days=1)

    @property
    def days(self) -> int:
        """How many local dates the period holds."""
        return (self.last - self.first).days + 1

    @property
    def start(self) -> pendulum.DateTime:
        """Local midnight of the first day (inclusive)."""
        d = self.first
        return pendulum.datetime(d.year, d.month, d.day, tz=self.tz)

    @property
    def end(self) -> pendulum.DateTime:
        """Local midnight after the last day (exclusive): the next period's start."""
        return self.next().start

    @property
    def label(self) -> str:
        """``2026-10-12``, ``2026-W42``, ``2026-10``, ``2026-Q4`` or ``2026``."""
        if self.kind == "day":
            return self.first.isoformat()
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.first.year)
        return f"{self.first.year}-{self.first.month:02d}"

    @renamed_keywords(moment="at")
    def contains(self, at: datetime) -> bool:
        """True when ``start <= at < end``."""
        at = ensure_aware(at, "at")
        return self.start <= at < self.end

    def next(self) -> Period:
        """The following period of the same kind."""
        d = self.first
        if self.kind == "day":
            return Period("day", d + timedelta(days=1), self.tz)
        if self.kind == "week":
            return Period("week", d + timedelta(days=7), self.tz)
        step = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        months = d.year * 12 + d.month - 1 + step
        return Period(self.kind, date(months // 12, months % 12 + 1, 1), self.tz)

    def previous(self) -> Period:
        """The preceding period of the same kind."""
        d = self.first
        if self.kind == "day":
            return Period("day", d - timedelta(days=1), self.tz)
        if self.kind == "week":
            return Period("week", d - timedelta(days=7), self.tz)
        step = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        months = d.year * 12 + d.month - 1 - step
        return Period(self.kind, date(months // 12, months % 12 + 1, 1), self.tz)

    def year_before(self) -> Period:
        """The same period one year earlier (同比): the same month, quarter, day or year;
        for a week, the ISO week of the same number (or the last one, for week 53).

        Example:
            >>> Period.parse("2026-Q4", "UTC").year_before().label
            '2025-Q4'
            >>> Period.parse("2028-02-29", "UTC").year_before().label
            '2027-02-28'
        """
        d = self.first
        if self.kind == "week":
            year, week, _ = d.isocalendar()
            weeks = date(year - 1, 12, 28).isocalendar()[1]
            return Period("week", date.fromisocalendar(year - 1, min(week, weeks), 1), self.tz)
        if self.kind == "day":
            day = d.day if (d.month, d.day) != (2, 29) else 28
            return Period("day", date(d.year - 1, d.month, day), self.tz)
        return Period(self.kind, date(d.year - 1, d.month, 1), self.tz)

    def dates(self) -> list[date]:
        """Every local date of the period, in order."""
        return [self.first + timedelta(days=i) for i in range(self.days)]
