"""Reading an official schedule from a file: TOML, JSON or iCalendar (``docs/calendar-schedules.md``).

:func:`load_schedule` reads one :class:`~aftersales.calendar.schedules.OfficialSchedule`
from a file or a text. TOML and JSON hold the dictionary form of
:meth:`OfficialSchedule.from_dict <aftersales.calendar.schedules.OfficialSchedule.from_dict>`;
an iCalendar file (RFC 5545) holds all-day events of one year, read by
:mod:`~aftersales.calendar.ics_feeds` with the ``icalendar`` library (the
``ical`` extra): ``DTSTART`` of the first day, an optional exclusive
``DTEND`` or a ``DURATION`` in days, recurrences expanded in the year, the
holiday's name as ``SUMMARY``; an event is a working day (调休) when its
``CATEGORIES`` contain ``WORKDAY`` or its ``SUMMARY`` contains 上班 or 补班.
An event that is not whole days is refused, naming it. A feed of several
years is :func:`~aftersales.calendar.ics_feeds.schedules_from_ics`'s.

Imports only :mod:`aftersales.calendar.schedules`, the iCalendar reader and
the domain helpers.

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
import tomllib
from pathlib import Path
from typing import Final

from aftersales._shown import shown
from aftersales.calendar.ics_feeds import ics_schedules
from aftersales.calendar.schedule_text import schedule_text
from aftersales.calendar.schedules import OfficialSchedule
from aftersales.errors import ScheduleError

__all__ = ["FORMATS", "load_schedule"]

#: The file formats :func:`load_schedule` reads, by name and file suffix.
FORMATS: Final = {"toml": (".toml",), "json": (".json",), "ics": (".ics", ".ical", ".ifb")}


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
            lists every problem with its key, or its event (``SUMMARY`` or
            ``UID``, and ``DTSTART``); an iCalendar file without the ``ical``
            extra installed.
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
    read = schedule_text(
        source,
        accepted="a pathlib.Path, a file name, or the text of a TOML, JSON or iCalendar schedule",
    )
    where, text = read.where, read.text
    kind = format or (_sniffed(text) if read.path is None else _format_of(read.path))
    if kind == "ics":
        return ics_schedules(text, where, single_year=True)[0]
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
