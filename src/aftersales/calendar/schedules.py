"""An official holiday schedule for one year: days off with their names, and 调休 working weekends.

The State Council publishes each year's schedule (国务院办公厅关于部分节假日安排的通知)
weeks before the ``holidays`` package has it. An :class:`OfficialSchedule` holds
one such notice: the year, every day off with its holiday's name, every
weekend day that becomes a working day (调休) with what it makes up for, and
where it comes from. :meth:`WorkCalendar.china(schedules=...)
<aftersales.calendar.WorkCalendar.china>` merges schedules over the package's
data; :func:`~aftersales.calendar.schedule_files.load_schedule` reads one
from a TOML, JSON or iCalendar file (``docs/calendar-schedules.md``).

The dictionary form (:meth:`OfficialSchedule.to_dict`, the JSON and TOML
files) keys days by ISO date, or by an inclusive span ``"2026-10-01/2026-10-07"``.

Imports only the calendar's zone module and the domain helpers.

Example:
    >>> from datetime import date
    >>> schedule = OfficialSchedule.from_dict(
    ...     {"year": 2031, "days_off": {"2031-10-01/2031-10-03": "国庆节"},
    ...      "working_days": {"2031-09-28": "国庆节调休"}})
    >>> schedule.days_off[date(2031, 10, 2)], len(schedule.days_off)
    ('国庆节', 3)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Final

import attrs

from aftersales._checks import text_problem
from aftersales._shown import shown
from aftersales.calendar.zone import MAX_YEAR, MIN_YEAR
from aftersales.errors import ScheduleError

__all__ = ["SCHEDULE_KEYS", "DateNames", "OfficialSchedule"]

#: The keys of a schedule's dictionary form (and of its TOML and JSON files).
SCHEDULE_KEYS: Final = ("country", "year", "source", "days_off", "working_days")

_COUNTRY = re.compile(r"[A-Z]{2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_NAME = 200
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SPAN_RULE = "an ISO date 2031-10-01 or an inclusive span 2031-10-01/2031-10-07"


class DateNames(Mapping[date, str]):
    """A read-only ``{date: name}`` mapping in date order; hashable, equal to any equal mapping.

    Example:
        >>> from datetime import date
        >>> names = DateNames({date(2031, 1, 2): "b", date(2031, 1, 1): "a"})
        >>> list(names), names == {date(2031, 1, 1): "a", date(2031, 1, 2): "b"}
        ([datetime.date(2031, 1, 1), datetime.date(2031, 1, 2)], True)
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[date, str] = {}) -> None:
        self._items = dict(sorted(items.items()))

    def __getitem__(self, key: date) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[date]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        return f"DateNames({self._items!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (DateNames, (self._items,))


@attrs.frozen(slots=True)
class OfficialSchedule:
    """One year's official days off and in-lieu working weekends (调休) of a country.

    Args:
        year: the year of the notice; every date lies in it.
        days_off: ``{date: holiday name}`` (e.g. 国庆节); weekend days inside a
            holiday may be listed or not, they are off either way.
        working_days: ``{date: reason}`` (e.g. 国庆节调休): Saturdays or
            Sundays that are working days.
        country: the ISO 3166 code of the country (default ``"CN"``).
        source: the notice, free text (may be empty).

    Raises:
        ScheduleError: every problem at once, each with its path: a date
            outside ``year``, a date both off and working, a working day that
            is not a Saturday or Sunday, an empty or non-text name, a year
            outside 1900–2399, a country that is not two capital letters, no
            day off at all.

    Example:
        >>> from datetime import date
        >>> OfficialSchedule(2031, {date(2031, 1, 1): "元旦"}).days_off
        DateNames({datetime.date(2031, 1, 1): '元旦'})
        >>> OfficialSchedule(2031, {date(2031, 1, 1): "元旦"}, {date(2031, 1, 3): "元旦调休"})
        Traceback (most recent call last):
        ...
        aftersales.errors.ScheduleError: working_days[2031-01-03]: 2031-01-03 is a Friday; accepted: a Saturday or Sunday (a Monday–Friday is a working day already)
    """

    year: int
    days_off: Mapping[date, str]
    working_days: Mapping[date, str] = attrs.field(factory=dict)
    country: str = "CN"
    source: str = ""

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        year: int | None = self.year
        if type(year) is not int or not MIN_YEAR <= year <= MAX_YEAR:
            problems.append(
                ("year", f"{shown(year)} is not a year; accepted: an integer {MIN_YEAR}–{MAX_YEAR}")
            )
            year = None
        if not isinstance(self.country, str) or not _COUNTRY.fullmatch(self.country):
            problems.append(
                (
                    "country",
                    f"{shown(self.country)} is not a country code; accepted: two capital letters"
                    " (ISO 3166), e.g. 'CN'",
                )
            )
        if not isinstance(self.source, str) or text_problem(self.source) or len(self.source) > 2000:
            problems.append(
                (
                    "source",
                    f"{shown(self.source)} is not usable; accepted: a text of up to 2,000"
                    " characters without NUL (may be empty)",
                )
            )
        off = _checked_days(self.days_off, "days_off", year, problems)
        work = _checked_days(self.working_days, "working_days", year, problems)
        if isinstance(self.days_off, Mapping) and not self.days_off:
            problems.append(("days_off", "is empty; accepted: at least one day off"))
        for day in sorted(set(off) & set(work)):
            problems.append(
                (
                    f"working_days[{day.isoformat()}]",
                    f"{day.isoformat()} is also a day off ({off[day]}); accepted: a date that is"
                    " either off or working",
                )
            )
        for day in sorted(work):
            if day.weekday() < 5:
                problems.append(
                    (
                        f"working_days[{day.isoformat()}]",
                        f"{day.isoformat()} is a {day.strftime('%A')}; accepted: a Saturday or"
                        " Sunday (a Monday–Friday is a working day already)",
                    )
                )
        if problems:
            raise ScheduleError.from_problems(problems)
        object.__setattr__(self, "days_off", DateNames(off))
        object.__setattr__(self, "working_days", DateNames(work))

    # -- the dictionary form -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-shaped form, one key per date: what :meth:`from_dict` reads back.

        Example:
            >>> from datetime import date
            >>> OfficialSchedule(2031, {date(2031, 1, 1): "元旦"}).to_dict()["days_off"]
            {'2031-01-01': '元旦'}
        """
        return {
            "country": self.country,
            "year": self.year,
            "source": self.source,
            "days_off": {d.isoformat(): n for d, n in self.days_off.items()},
            "working_days": {d.isoformat(): n for d, n in self.working_days.items()},
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as compact JSON text (Chinese kept as it is).

        Example:
            >>> from datetime import date
            >>> OfficialSchedule(2031, {date(2031, 1, 1): "元旦"}).to_json()[:30]
            '{"country":"CN","year":2031,"s'
        """
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: object, *, where: str = "") -> OfficialSchedule:
        """The schedule a dictionary (a parsed TOML or JSON file) describes.

        Keys: ``year`` (required), ``days_off`` (required), ``working_days``,
        ``country`` (default ``"CN"``) and ``source``; a day is an ISO date or
        an inclusive span ``"2031-10-01/2031-10-07"``. Every problem is
        reported at once; ``where`` (a file name) starts the message.

        Example:
            >>> OfficialSchedule.from_dict({"year": 2031, "days_off": {"2031-02-30": "春节"},
            ...                             "holidays": {}}, where="cn-2031.toml")
            Traceback (most recent call last):
            ...
            aftersales.errors.ScheduleError: cn-2031.toml: 2 invalid values:
              holidays: unknown key; accepted: country, year, source, days_off, working_days
              days_off[2031-02-30]: not a date (day is out of range for month); accepted: an ISO date 2031-10-01 or an inclusive span 2031-10-01/2031-10-07
        """
        problems: list[tuple[str, str]] = []
        if not isinstance(data, Mapping):
            problems.append(
                (
                    "",
                    f"{type(data).__name__} is not a table; accepted: a table of the keys "
                    + ", ".join(SCHEDULE_KEYS),
                )
            )
            raise _refused(problems, where)
        for key in data:
            if key not in SCHEDULE_KEYS:
                problems.append((str(key), f"unknown key; accepted: {', '.join(SCHEDULE_KEYS)}"))
        for key in ("year", "days_off"):
            if key not in data:
                problems.append((key, "missing; it is required"))
        off = _parsed_days(data.get("days_off", {}), "days_off", problems)
        work = _parsed_days(data.get("working_days", {}), "working_days", problems)
        if problems:
            raise _refused(problems, where)
        try:
            return cls(
                data["year"],
                off,  # type: ignore[arg-type]  # the names are checked by the schedule
                work,  # type: ignore[arg-type]
                country=data.get("country", "CN"),
                source=data.get("source", ""),
            )
        except ScheduleError as error:
            raise _refused(list(error.problems), where) from None

    def to_toml(self) -> str:
        """The schedule as a TOML file, consecutive days of one name written as a span.

        Example:
            >>> from datetime import date
            >>> s = OfficialSchedule(2031, {date(2031, 10, d): "国庆节" for d in (1, 2, 3)},
            ...                      {date(2031, 9, 28): "国庆节调休"}, source="example")
            >>> print(s.to_toml())
            country = "CN"
            year = 2031
            source = "example"
            <BLANKLINE>
            [days_off]
            "2031-10-01/2031-10-03" = "国庆节"  # Wed–Fri
            <BLANKLINE>
            [working_days]
            "2031-09-28" = "国庆节调休"  # Sun
            <BLANKLINE>
        """
        lines = [
            f"country = {_toml_text(self.country)}",
            f"year = {self.year}",
            f"source = {_toml_text(self.source)}",
        ]
        for table, days in (("days_off", self.days_off), ("working_days", self.working_days)):
            lines += ["", f"[{table}]"]
            for first, last, name in _spans(days):
                key = first.isoformat() if first == last else f"{first}/{last}"
                weekdays = _WEEKDAYS[first.weekday()]
                if first != last:
                    weekdays += f"–{_WEEKDAYS[last.weekday()]}"
                lines.append(f'"{key}" = {_toml_text(name)}  # {weekdays}')
        return "\n".join(lines) + "\n"


def _refused(problems: list[tuple[str, str]], where: str) -> ScheduleError:
    message = str(ScheduleError.from_problems(problems))
    return ScheduleError(f"{where}: {message}" if where else message, problems=problems)


def _checked_days(
    days: object, name: str, year: int | None, problems: list[tuple[str, str]]
) -> dict[date, str]:
    """``days`` as ``{date: name}``; a problem for each bad entry (the entry is left out)."""
    if not isinstance(days, Mapping):
        problems.append((name, f"{type(days).__name__} is not a mapping; accepted: {{date: name}}"))
        return {}
    checked: dict[date, str] = {}
    for day, label in days.items():
        path = f"{name}[{day.isoformat() if isinstance(day, date) else shown(day)}]"
        if isinstance(day, datetime) or not isinstance(day, date):
            problems.append((path, f"{shown(day)} is not a date; accepted: a datetime.date"))
            continue
        if year is not None and day.year != year:
            problems.append(
                (
                    path,
                    f"{day.isoformat()} is not in {year}; accepted: dates of the schedule's year",
                )
            )
            continue
        if not isinstance(label, str) or not label.strip() or len(label) > _MAX_NAME:
            problems.append(
                (
                    path,
                    f"{shown(label)} is not a name; accepted: a non-blank text of up to"
                    f" {_MAX_NAME} characters",
                )
            )
            continue
        problem = text_problem(label)
        if problem is not None:
            problems.append((path, f"the name {problem}; accepted: text without NUL"))
            continue
        checked[day] = label
    return checked


def _parsed_days(value: object, name: str, problems: list[tuple[str, str]]) -> dict[date, object]:
    """A file's ``{"2031-10-01/2031-10-03": name}`` table as ``{date: name}``."""
    if not isinstance(value, Mapping):
        problems.append((name, f"{type(value).__name__} is not a table; accepted: {{day: name}}"))
        return {}
    days: dict[date, object] = {}
    for key, label in value.items():
        path = f"{name}[{key}]"
        span = _span(str(key))
        if isinstance(span, str):
            problems.append((path, f"{span}; accepted: {_SPAN_RULE}"))
            continue
        first, last = span
        day = first
        while day <= last:
            if day in days:
                problems.append(
                    (path, f"{day.isoformat()} is listed twice; accepted: each date once")
                )
            days[day] = label
            day += timedelta(days=1)
    return days


def _span(key: str) -> tuple[date, date] | str:
    """The inclusive span a key names, or what is wrong with it."""
    parts = key.split("/")
    if len(parts) > 2 or not all(_DAY.fullmatch(p) for p in parts):
        return "not a date"
    try:
        first, last = date.fromisoformat(parts[0]), date.fromisoformat(parts[-1])
    except ValueError as error:
        return f"not a date ({error})"
    if last < first:
        return f"the span ends before it starts ({last} < {first})"
    if (last - first).days > 366:
        return "the span is longer than a year"
    return first, last


def _spans(days: Mapping[date, str]) -> list[tuple[date, date, str]]:
    spans: list[tuple[date, date, str]] = []
    for day, name in days.items():
        if spans and spans[-1][2] == name and spans[-1][1] + timedelta(days=1) == day:
            spans[-1] = (spans[-1][0], day, name)
        else:
            spans.append((day, day, name))
    return spans


def _toml_text(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (control characters as ``\\uXXXX``)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
