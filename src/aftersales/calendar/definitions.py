"""A working calendar as data: what a store keeps under a name, and builds a :class:`WorkCalendar` from.

A service company runs several calendars at once: the head office on office
hours with a lunch break, a service outlet also open on Saturdays, a 24×7
hotline. A :class:`CalendarDefinition` holds what makes one of them, checked
and in a canonical form: the zone, the working hours of each weekday, where
the official days off come from (a country the ``holidays`` package knows,
or none), and the company's own extra days off and working days. It is
frozen and hashable, has a dictionary form (:meth:`~CalendarDefinition.to_dict`,
:meth:`~CalendarDefinition.from_dict`) and a TOML file form
(:meth:`~CalendarDefinition.to_toml`, :meth:`~CalendarDefinition.from_toml`),
and :meth:`~CalendarDefinition.build` gives the calendar the same arguments
to :class:`WorkCalendar` give: ``official="CN"`` with one set of Monday–Friday
hours is :meth:`WorkCalendar.china`, another country is
:meth:`WorkCalendar.for_country`, no country is the plain constructor.

The dictionary form keys weekdays ``mon`` … ``sun``, writes a span of working
hours as ``"09:00-12:00"`` and a day as an ISO date or an inclusive span
``"2026-10-01/2026-10-07"``; a weekday left out has no hours.

Imports only the other modules of :mod:`aftersales.calendar` and the domain helpers.

Example:
    >>> import pendulum
    >>> outlet = CalendarDefinition.from_dict({
    ...     "tz": "Asia/Shanghai", "official": "CN",
    ...     "week": {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}})
    >>> outlet.build().is_working_time(pendulum.datetime(2026, 3, 7, 10, tz="Asia/Shanghai"))
    True
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, tzinfo
from typing import Any, Final

import attrs

from aftersales._checks import text_problem
from aftersales._shown import shown
from aftersales.calendar.official import OfficialSource
from aftersales.calendar.rules import IntervalLike, WeekdayKey
from aftersales.calendar.schedules import DateNames, OfficialSchedule, _parsed_days
from aftersales.calendar.work_calendar import WorkCalendar
from aftersales.errors import InvalidData

__all__ = ["DEFINITION_KEYS", "WEEKDAY_KEYS", "CalendarDefinition"]

#: The keys of a definition's dictionary form (and of its TOML file).
DEFINITION_KEYS: Final = (
    "tz",
    "official",
    "subdiv",
    "language",
    "week",
    "workday_hours",
    "days_off",
    "working_days",
    "complete_years",
)
#: The weekday keys of the dictionary form, Monday first.
WEEKDAY_KEYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_SPAN_RULE = "a span of working hours such as '09:00-12:00'"
#: The language of holiday names when none is given: Chinese for China, as WorkCalendar.china.
_CHINESE = "zh_CN"

Week = tuple[tuple[tuple[str, str], ...], ...]


@attrs.frozen(slots=True, init=False)
class CalendarDefinition:
    """The arguments of a working calendar, checked and in canonical form; :meth:`build` makes it.

    Args:
        tz: the calendar's zone (an IANA name, or a zone: kept as its name).
        week: the working hours of each weekday, as :class:`WorkCalendar`
            takes them (``{"mon": [("09:00", "12:00"), ("13:30", "18:00")]}``
            or seven lists); kept as seven tuples of ``("HH:MM", "HH:MM")``.
        official: the ISO 3166 code of the country whose official days off
            (and in-lieu working days, the Chinese 调休) apply, ``None`` for
            none (a 24×7 line, or a calendar made by hand).
        subdiv: the country's subdivision (a state, a province), if any.
        language: the language of the official holidays' names (default:
            ``zh_CN`` for China, else the ``holidays`` package's choice).
        days_off: the company's own days off, ``{date: name}``.
        working_days: the company's own extra working days, ``{date: name}``;
            they work the hours of weekday ``workday_hours`` (default Monday).
        complete_years: years outside the official data whose weekly hours
            (and the dates above) are declared right.
        workday_hours: the weekday whose hours an extra working day works.

    Raises:
        InvalidData: every problem at once: a bad zone, weekday, span or
            year, a day both off and working, a day off given as anything
            but a name, a country or subdivision the ``holidays`` package
            does not know. :class:`~aftersales.errors.EmptyCalendarError`
            for a calendar without working time.

    Example:
        >>> head_office = CalendarDefinition(
        ...     "Asia/Shanghai",
        ...     {d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)},
        ...     official="CN")
        >>> head_office.week[0], head_office.week[5]
        ((('09:00', '12:00'), ('13:30', '18:00')), ())
        >>> CalendarDefinition("Asia/Shanghai", {"mon": [("09:00", "18:00")]}, official="XX")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: official: 'XX' / None is not known to the holidays package (Country XX not available); accepted: a country code the holidays package knows, such as 'CN', or None
    """

    tz: str
    week: Week
    official: str | None = attrs.field(default=None, kw_only=True)
    subdiv: str | None = attrs.field(default=None, kw_only=True)
    language: str | None = attrs.field(default=None, kw_only=True)
    days_off: Mapping[date, str] = attrs.field(factory=dict, kw_only=True)
    working_days: Mapping[date, str] = attrs.field(factory=dict, kw_only=True)
    complete_years: tuple[int, ...] = attrs.field(default=(), kw_only=True)
    workday_hours: int = attrs.field(default=0, kw_only=True)

    def __init__(
        self,
        tz: str | tzinfo,
        week: Mapping[Any, Iterable[IntervalLike]] | Sequence[Iterable[IntervalLike]],
        *,
        official: str | None = None,
        subdiv: str | None = None,
        language: str | None = None,
        days_off: Mapping[date, str] | None = None,
        working_days: Mapping[date, str] | None = None,
        complete_years: Iterable[int] = (),
        workday_hours: WeekdayKey = 0,
    ) -> None:
        problems: list[tuple[str, str]] = []
        for name, value in (("official", official), ("subdiv", subdiv), ("language", language)):
            if value is not None and (
                not isinstance(value, str)
                or not value.strip()
                or value != value.strip()
                or len(value) > 64
                or text_problem(value) is not None
            ):
                problems.append(
                    (
                        name,
                        f"{shown(value)} is not a code; accepted: a text of 1–64 characters"
                        " (such as 'CN', 'BE', 'zh_CN'), or None",
                    )
                )
        off = _names(days_off, "days_off", problems)
        work = _names(working_days, "working_days", problems)
        if problems:
            raise InvalidData.from_problems(problems)
        source = _source(official, subdiv, language, ())
        try:
            calendar = WorkCalendar(
                tz,
                week,
                holidays=off,
                workdays=work,
                complete_years=complete_years,
                workday_hours=workday_hours,
                _source=source,
            )
        except InvalidData as error:  # named as the definition names them
            raise InvalidData.from_problems([(_renamed(p), m) for p, m in error.problems]) from None
        self.__attrs_init__(
            calendar.tz.name,
            calendar.week,
            official=official,
            subdiv=subdiv,
            language=language,
            days_off=DateNames(off),
            working_days=DateNames(work),
            complete_years=tuple(sorted(calendar.complete_years)),
            workday_hours=calendar.workday_hours,
        )

    def build(self, schedules: Iterable[OfficialSchedule] = ()) -> WorkCalendar:
        """The working calendar: what the same arguments to :class:`WorkCalendar` make.

        ``schedules`` are official schedules of the :attr:`official` country
        merged over the ``holidays`` package's data (those a store keeps:
        ``store.find_schedules(definition.official)``), as in
        :meth:`WorkCalendar.china`; ignored without an official country.

        Example:
            >>> from datetime import date
            >>> hotline = CalendarDefinition("Asia/Shanghai", [[("00:00", "24:00")]] * 7)
            >>> hotline.build().is_working_day(date(2026, 10, 1))
            True
        """
        return WorkCalendar(
            self.tz,
            self.week,
            holidays=self.days_off,
            workdays=self.working_days,
            complete_years=self.complete_years,
            workday_hours=self.workday_hours,
            _source=_source(self.official, self.subdiv, self.language, schedules),
        )

    # -- the dictionary form -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-shaped form (what :meth:`from_dict` reads back); unset keys left out.

        Example:
            >>> CalendarDefinition("UTC", {"sat": [("10:00", "16:00")]}).to_dict()
            {'tz': 'UTC', 'week': {'sat': ['10:00-16:00']}}
        """
        data: dict[str, Any] = {"tz": self.tz}
        for key in ("official", "subdiv", "language"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        data["week"] = {
            WEEKDAY_KEYS[i]: [f"{start}-{end}" for start, end in hours]
            for i, hours in enumerate(self.week)
            if hours
        }
        if self.workday_hours:
            data["workday_hours"] = WEEKDAY_KEYS[self.workday_hours]
        for key, days in (("days_off", self.days_off), ("working_days", self.working_days)):
            if days:
                data[key] = {d.isoformat(): name for d, name in days.items()}
        if self.complete_years:
            data["complete_years"] = list(self.complete_years)
        return data

    def to_json(self) -> str:
        """:meth:`to_dict` as compact JSON text (Chinese kept as it is).

        Example:
            >>> CalendarDefinition("UTC", {"mon": [("09:00", "17:00")]}).to_json()
            '{"tz":"UTC","week":{"mon":["09:00-17:00"]}}'
        """
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: object, *, where: str = "") -> CalendarDefinition:
        """The definition a dictionary (a parsed TOML or JSON file) describes.

        Keys: ``tz`` and ``week`` (required), ``official``, ``subdiv``,
        ``language``, ``workday_hours`` (``"mon"`` … ``"sun"``), ``days_off``
        and ``working_days`` (``{day: name}``, a day an ISO date or an
        inclusive span ``"2026-10-01/2026-10-07"``) and ``complete_years``.
        Every problem is reported at once; ``where`` (a file name) starts the message.

        Example:
            >>> CalendarDefinition.from_dict({"tz": "Asia/Shanghai", "week": {"mon": ["9-12"]},
            ...                               "hours": []}, where="outlet.toml")
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: outlet.toml: 2 invalid values:
              hours: unknown key; accepted: tz, official, subdiv, language, week, workday_hours, days_off, working_days, complete_years
              week.mon[0]: '9-12' is not a span; accepted: a span of working hours such as '09:00-12:00'
        """
        problems: list[tuple[str, str]] = []
        if not isinstance(data, Mapping):
            message = f"{type(data).__name__} is not a table; accepted: a table of the keys " + (
                ", ".join(DEFINITION_KEYS)
            )
            raise _refused([("", message)], where)
        for key in data:
            if key not in DEFINITION_KEYS:
                problems.append((str(key), f"unknown key; accepted: {', '.join(DEFINITION_KEYS)}"))
        for key in ("tz", "week"):
            if key not in data:
                problems.append((key, "missing; accepted: a value, it is required"))
        week = _parsed_week(data.get("week", {}), problems)
        off = _parsed_days(data.get("days_off", {}), "days_off", problems)
        work = _parsed_days(data.get("working_days", {}), "working_days", problems)
        years = data.get("complete_years", [])
        if not isinstance(years, list):
            problems.append(
                ("complete_years", f"{shown(years)} is not a list; accepted: a list of years")
            )
        if problems:
            raise _refused(problems, where)
        try:
            return cls(
                data["tz"],
                week,
                official=data.get("official"),
                subdiv=data.get("subdiv"),
                language=data.get("language"),
                days_off=off,  # type: ignore[arg-type]  # the names are checked by the definition
                working_days=work,  # type: ignore[arg-type]
                complete_years=years,
                workday_hours=data.get("workday_hours", 0),
            )
        except InvalidData as error:
            raise _refused(list(error.problems), where) from None

    @classmethod
    def from_toml(cls, text: str, *, where: str = "") -> CalendarDefinition:
        """The definition a TOML file's text describes (see :meth:`from_dict` for its keys).

        Example:
            >>> text = 'tz = "Asia/Shanghai"\\nofficial = "CN"\\n[week]\\nmon = ["09:00-18:00"]\\n'
            >>> CalendarDefinition.from_toml(text).official
            'CN'
            >>> CalendarDefinition.from_toml("tz = ", where="bad.toml")
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: bad.toml: not TOML (Invalid value (at end of document)); accepted: a TOML file of a calendar definition (docs/teams.md)
        """
        if not isinstance(text, str):
            message = f"{type(text).__name__} is not a text; accepted: the text of a TOML file"
            raise InvalidData(f"text: {message}", problems=[("text", message)])
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            message = (
                f"not TOML ({error}); accepted: a TOML file of a calendar definition"
                " (docs/teams.md)"
            )
            raise InvalidData(
                f"{where}: {message}" if where else message, problems=[(where, message)]
            ) from None
        return cls.from_dict(data, where=where)

    def to_toml(self) -> str:
        """The definition as a TOML file, what :meth:`from_toml` reads back.

        Example:
            >>> from datetime import date
            >>> print(CalendarDefinition(
            ...     "Asia/Shanghai", {d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)},
            ...     official="CN", days_off={date(2026, 12, 31): "年终盘点"}).to_toml())
            tz = "Asia/Shanghai"
            official = "CN"
            <BLANKLINE>
            [week]
            mon = ["09:00-12:00", "13:30-18:00"]
            tue = ["09:00-12:00", "13:30-18:00"]
            wed = ["09:00-12:00", "13:30-18:00"]
            thu = ["09:00-12:00", "13:30-18:00"]
            fri = ["09:00-12:00", "13:30-18:00"]
            <BLANKLINE>
            [days_off]
            "2026-12-31" = "年终盘点"
            <BLANKLINE>
        """
        data = self.to_dict()
        lines: list[str] = []
        tables: list[str] = []
        for key, value in data.items():
            if isinstance(value, dict):
                tables += ["", f"[{key}]"]
                tables += [f"{_toml_key(k)} = {_toml(v)}" for k, v in value.items()]
            else:
                lines.append(f"{key} = {_toml(value)}")
        return "\n".join(lines + tables) + "\n"


def _source(
    official: str | None,
    subdiv: str | None,
    language: str | None,
    schedules: Iterable[OfficialSchedule],
) -> OfficialSource | None:
    """The official days of ``official`` (``None``: none), as ``china``/``for_country`` read them."""
    if official is None:
        return None
    if language is None and official == "CN":
        language = _CHINESE
    try:
        return OfficialSource(official, subdiv, language, schedules)
    except InvalidData as error:
        if error.problems and error.problems[0][0] != "code":
            raise
        message = error.problems[0][1]
        if subdiv is not None and "subdivision" in message:
            path, accepted = "subdiv", "a subdivision of the country the holidays package knows"
        else:
            path, accepted = "official", "a country code the holidays package knows, such as 'CN'"
        message = f"{message}; accepted: {accepted}, or None"
        raise InvalidData(f"{path}: {message}", problems=[(path, message)]) from None


def _renamed(path: str) -> str:
    """A path of :class:`WorkCalendar`'s arguments as the definition's: ``holidays`` is ``days_off``."""
    for theirs, mine in (("holidays", "days_off"), ("workdays", "working_days")):
        if path == theirs or path.startswith(f"{theirs}["):
            return mine + path[len(theirs) :]
    return path


def _names(value: object, name: str, problems: list[tuple[str, str]]) -> dict[date, str]:
    """``{date: name}`` days (``None``: none); a problem for anything else (the days are checked later)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append((name, f"{shown(value)} is not a mapping; accepted: {{date: name}}"))
        return {}
    found: dict[date, str] = {}
    for day, label in value.items():
        if not isinstance(label, str):
            path = f"{name}[{day.isoformat() if isinstance(day, date) else shown(day)}]"
            problems.append((path, f"{shown(label)} is not a name; accepted: a non-blank text"))
            continue
        found[day] = label
    return found


def _parsed_week(value: object, problems: list[tuple[str, str]]) -> dict[object, Any]:
    """A file's ``{"mon": ["09:00-12:00", …]}`` table as the constructor's ``week``."""
    if not isinstance(value, Mapping):
        problems.append(
            ("week", f"{type(value).__name__} is not a table; accepted: {{weekday: [spans]}}")
        )
        return {}
    week: dict[object, Any] = {}
    for key, spans in value.items():
        path = f"week.{key}"
        if not isinstance(spans, list):
            problems.append((path, f"{shown(spans)} is not a list; accepted: a list of spans"))
            continue
        pairs: list[tuple[str, str]] = []
        for i, span in enumerate(spans):
            parts = span.split("-") if isinstance(span, str) else []
            if len(parts) != 2 or not all(":" in p for p in parts):
                problems.append(
                    (f"{path}[{i}]", f"{shown(span)} is not a span; accepted: {_SPAN_RULE}")
                )
                continue
            pairs.append((parts[0].strip(), parts[1].strip()))
        week[key] = pairs
    return week


def _refused(problems: list[tuple[str, str]], where: str) -> InvalidData:
    """One error of every problem, ``where`` (a file name) first; a problem of the whole without a path."""
    whole = len(problems) == 1 and not problems[0][0]
    message = problems[0][1] if whole else str(InvalidData.from_problems(problems))
    return InvalidData(f"{where}: {message}" if where else message, problems=problems)


def _toml_key(key: str) -> str:
    """A weekday bare (``mon``), a date quoted (``"2026-12-31"``)."""
    return key if key.isalpha() and key.isascii() else _toml(key)


def _toml(value: object) -> str:
    """A TOML value: JSON's texts, numbers and lists are TOML's (control characters escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
