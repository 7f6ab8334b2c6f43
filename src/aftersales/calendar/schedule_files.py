"""Reading an official schedule from a file: TOML, JSON or iCalendar (``docs/calendar-schedules.md``).

:func:`load_schedule` reads one :class:`~aftersales.calendar.schedules.OfficialSchedule`
from a file or a text. TOML and JSON hold the dictionary form of
:meth:`OfficialSchedule.from_dict <aftersales.calendar.schedules.OfficialSchedule.from_dict>`;
an iCalendar file (RFC 5545) holds all-day events: ``DTSTART;VALUE=DATE``,
an optional exclusive ``DTEND`` (a span of days) and the holiday's name as
``SUMMARY``; an event is a working day (调休) when its ``CATEGORIES`` contain
``WORKDAY`` or its ``SUMMARY`` contains 上班 or 补班. Anything else that would
change the days (a time of day, a recurrence, a duration) is refused, naming
the line.

Imports only :mod:`aftersales.calendar.schedules` and the domain helpers.

Example:
    >>> ics = '''BEGIN:VCALENDAR
    ... BEGIN:VEVENT
    ... DTSTART;VALUE=DATE:20311001
    ... DTEND;VALUE=DATE:20311004
    ... SUMMARY:国庆节
    ... END:VEVENT
    ... BEGIN:VEVENT
    ... DTSTART;VALUE=DATE:20310928
    ... SUMMARY:国庆节补班
    ... END:VEVENT
    ... END:VCALENDAR
    ... '''
    >>> schedule = load_schedule(ics)
    >>> schedule.year, len(schedule.days_off), dict(schedule.working_days)
    (2031, 3, {datetime.date(2031, 9, 28): '国庆节补班'})
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Final

from aftersales._shown import shown
from aftersales.calendar.schedules import OfficialSchedule
from aftersales.errors import ScheduleError

__all__ = ["FORMATS", "load_schedule"]

#: The file formats :func:`load_schedule` reads, by name and file suffix.
FORMATS: Final = {"toml": (".toml",), "json": (".json",), "ics": (".ics", ".ical", ".ifb")}

_ICS_DATE = re.compile(r"\d{8}")
_WORK_WORDS = ("上班", "补班")
_REFUSED_PROPERTIES = {
    "RRULE": "a recurring event",
    "RDATE": "a recurring event",
    "EXDATE": "a recurring event",
    "DURATION": "a duration (use DTEND, the day after the last day)",
}


def load_schedule(source: str | os.PathLike[str], *, format: str | None = None) -> OfficialSchedule:
    """The official schedule in a file, or in a text.

    Args:
        source: a path (``pathlib.Path``, or a one-line ``str`` not starting
            with ``{``), or the file's text itself.
        format: ``"toml"``, ``"json"`` or ``"ics"``; ``None``: from the file's
            suffix, or for a text from its start (``{`` JSON,
            ``BEGIN:VCALENDAR`` iCalendar, else TOML).

    Raises:
        ScheduleError: a text that is not the format, or a schedule that
            contradicts itself; the message starts with the file's name and
            lists every problem with its key or line.
        OSError: a file that cannot be read.

    Example:
        >>> s = load_schedule('year = 2031\\n[days_off]\\n"2031-01-01" = "元旦"\\n')
        >>> s.country, s.year, dict(s.days_off)
        ('CN', 2031, {datetime.date(2031, 1, 1): '元旦'})
        >>> load_schedule('{"year": 2031, "days_off": {"2031-01-01": ""}}')
        Traceback (most recent call last):
        ...
        aftersales.errors.ScheduleError: the text: days_off[2031-01-01]: '' is not a name; accepted: a non-blank text of up to 200 characters
    """
    if format is not None and format not in FORMATS:
        message = f"{shown(format)} is not a format; accepted: {', '.join(FORMATS)} or None"
        raise ScheduleError(f"format: {message}", problems=[("format", message)])
    if not isinstance(source, str | os.PathLike) or "\x00" in os.fspath(source):
        message = (
            f"{shown(source)} is neither a path nor a schedule's text; accepted: a"
            " pathlib.Path, a file name, or the text of a TOML, JSON or iCalendar schedule"
        )
        raise ScheduleError(f"source: {message}", problems=[("source", message)])
    is_text = isinstance(source, str) and ("\n" in source or source.lstrip().startswith("{"))
    if is_text:
        assert isinstance(source, str)
        where, text = "the text", source
        kind = format or _sniffed(text)
    else:
        path = Path(source)
        where = str(path)
        kind = format or _format_of(path)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            message = f"byte {error.start} is not UTF-8; accepted: a UTF-8 text file"
            raise ScheduleError(f"{where}: {message}", problems=[("", message)]) from None
    if kind == "ics":
        return _from_ics(text, where)
    try:
        data = json.loads(text) if kind == "json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        message = f"not {kind.upper()} ({error}); accepted: a {kind.upper()} schedule file"
        raise ScheduleError(f"{where}: {message}", problems=[("", message)]) from None
    return OfficialSchedule.from_dict(data, where=where)


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    accepted = ", ".join(s for suffixes in FORMATS.values() for s in suffixes)
    message = f"the suffix {shown(path.suffix)} names no format; accepted: {accepted}, or format="
    raise ScheduleError(f"{path}: {message}", problems=[("format", message)])


def _sniffed(text: str) -> str:
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("{"):
        return "json"
    if start[:15].upper() == "BEGIN:VCALENDAR":
        return "ics"
    return "toml"


# -- iCalendar ------------------------------------------------------------------------------


def _unfolded(text: str) -> list[tuple[int, str]]:
    """RFC 5545 §3.1: a line starting with a space or a tab continues the previous one."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + line[1:])
        elif line.strip():
            lines.append((number, line))
    return lines


def _content(line: str) -> tuple[str, dict[str, str], str] | None:
    """``NAME;PARAM=V:value`` as ``(NAME, {PARAM: V}, value)``; ``None`` without a colon."""
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:i], line[i + 1 :]
            name, *params = head.split(";")
            found = {}
            for param in params:
                key, _, v = param.partition("=")
                found[key.upper()] = v.strip('"').upper()
            return name.upper(), found, value
    return None


def _unescaped(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


class _Event:
    __slots__ = ("categories", "end", "line", "start", "summary")

    def __init__(self, line: int) -> None:
        self.line = line
        self.start: date | None = None
        self.end: date | None = None
        self.summary = ""
        self.categories: set[str] = set()


def _ics_date(
    name: str, params: dict[str, str], value: str, at: str, problems: list[tuple[str, str]]
) -> date | None:
    accepted = f"accepted: {name};VALUE=DATE:YYYYMMDD (an all-day event)"
    if params.get("VALUE", "DATE") != "DATE" or not _ICS_DATE.fullmatch(value.strip()):
        problems.append((at, f"{name} {shown(value)} is not a date; {accepted}"))
        return None
    v = value.strip()
    try:
        return date(int(v[:4]), int(v[4:6]), int(v[6:]))
    except ValueError as error:
        problems.append((at, f"{name} {shown(value)} is not a date ({error}); {accepted}"))
        return None


def _from_ics(text: str, where: str) -> OfficialSchedule:
    problems: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    events: list[_Event] = []
    stack: list[str] = []
    event: _Event | None = None
    for number, line in _unfolded(text):
        at = f"line {number}"
        parsed = _content(line)
        if parsed is None:
            problems.append((at, f"{shown(line)} is not a content line; accepted: NAME:value"))
            continue
        name, params, value = parsed
        if name == "BEGIN":
            stack.append(value.upper())
            if stack == ["VCALENDAR", "VEVENT"]:
                event = _Event(number)
            elif len(stack) == 1 and stack[0] != "VCALENDAR":
                problems.append((at, f"BEGIN:{value} first; accepted: BEGIN:VCALENDAR"))
            continue
        if name == "END":
            if not stack or stack[-1] != value.upper():
                problems.append((at, f"END:{value} closes nothing open; accepted: BEGIN/END pairs"))
                continue
            if stack == ["VCALENDAR", "VEVENT"] and event is not None:
                events.append(event)
                event = None
            stack.pop()
            continue
        if stack == ["VCALENDAR"]:
            headers[name] = _unescaped(value)
        elif stack == ["VCALENDAR", "VEVENT"] and event is not None:
            _event_property(event, name, params, value, at, problems)
        elif not stack:
            problems.append((at, f"{name} outside the calendar; accepted: inside BEGIN:VCALENDAR"))
    if stack:
        problems.append(("end", f"BEGIN:{stack[-1]} is never closed; accepted: END:{stack[-1]}"))
    if not events and not problems:
        problems.append(("events", "none; accepted: all-day VEVENTs, one per holiday"))
    off: dict[date, str] = {}
    work: dict[date, str] = {}
    for item in events:
        _add_event(item, off, work, problems)
    year: object = headers.get("X-AFTERSALES-YEAR")
    if year is None:
        years = sorted({d.year for d in (*off, *work)})
        if len(years) > 1:
            problems.append(
                (
                    "events",
                    f"dates in {', '.join(map(str, years))}; accepted: the events of one year"
                    " (one file per year), or X-AFTERSALES-YEAR naming the year",
                )
            )
        year = years[0] if years else None
    elif isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    if problems:
        message = str(ScheduleError.from_problems(problems))
        raise ScheduleError(f"{where}: {message}", problems=problems)
    source = headers.get("X-AFTERSALES-SOURCE", headers.get("X-WR-CALNAME", ""))
    try:
        return OfficialSchedule(
            year,  # type: ignore[arg-type]  # checked by the schedule
            off,
            work,
            country=headers.get("X-AFTERSALES-COUNTRY", "CN"),
            source=source,
        )
    except ScheduleError as error:
        raise ScheduleError(f"{where}: {error}", problems=error.problems) from None


def _event_property(
    event: _Event,
    name: str,
    params: dict[str, str],
    value: str,
    at: str,
    problems: list[tuple[str, str]],
) -> None:
    if name in ("DTSTART", "DTEND"):
        day = _ics_date(name, params, value, at, problems)
        if name == "DTSTART":
            event.start = day
        else:
            event.end = day
    elif name == "SUMMARY":
        event.summary = _unescaped(value).strip()
    elif name == "CATEGORIES":
        event.categories |= {c.strip().upper() for c in re.split(r"(?<!\\),", value)}
    elif name in _REFUSED_PROPERTIES:
        problems.append(
            (at, f"{name}: {_REFUSED_PROPERTIES[name]}; accepted: one event per span of days")
        )


def _add_event(
    event: _Event, off: dict[date, str], work: dict[date, str], problems: list[tuple[str, str]]
) -> None:
    at = f"line {event.line}"
    if event.start is None:
        problems.append((at, "a VEVENT without DTSTART; accepted: DTSTART;VALUE=DATE:YYYYMMDD"))
        return
    end = event.end or event.start + timedelta(days=1)
    if end <= event.start or (end - event.start).days > 366:
        problems.append(
            (
                at,
                f"DTEND {end.isoformat()} is not after DTSTART {event.start.isoformat()} (or more"
                " than a year after); accepted: the day after the event's last day",
            )
        )
        return
    working = "WORKDAY" in event.categories or any(w in event.summary for w in _WORK_WORDS)
    target = work if working else off
    day = event.start
    while day < end:
        if day in off or day in work:
            problems.append(
                (at, f"{day.isoformat()} is in an earlier event too; accepted: each date once")
            )
        target[day] = event.summary
        day += timedelta(days=1)
