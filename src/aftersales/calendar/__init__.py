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

The package, lowest module first: ``zone`` (instants and wall-clock readings),
``engine`` (cumulative working time over year tables) and ``years`` (a year's
totals without building it), ``inputs`` (argument checks), ``rules`` (parsing
hours, weeks, days off), ``schedules``, ``schedule_text``, ``ics_events``,
``ics_feeds`` and ``schedule_files`` (official schedules loaded from TOML,
JSON or iCalendar files, and one per year from iCalendar feeds with the
``ical`` extra, see ``docs/calendar-schedules.md``), ``official`` (the ``holidays`` package with
the schedules merged over it), ``days``
(the working hours of each date), ``segments`` (working and skipped
stretches), ``work_calendar`` (the :class:`WorkCalendar` facade) and
``definitions`` (:class:`CalendarDefinition`, a calendar as data that a
store keeps under a name, see ``docs/teams.md``). It imports
only :mod:`aftersales.errors`, :mod:`aftersales.time` and the private domain
helpers; import its names from here.

Example:
    >>> import pendulum
    >>> cal = WorkCalendar.china()
    >>> start = pendulum.datetime(2026, 9, 30, 17, 0, tz="Asia/Shanghai")
    >>> cal.add(start, pendulum.duration(hours=2)).isoformat()  # National Day week skipped
    '2026-10-08T10:00:00+08:00'
"""

from aftersales.calendar.days import OFF_HOURS, SPECIAL_CLOSED, WEEKEND
from aftersales.calendar.definitions import CalendarDefinition
from aftersales.calendar.ics_feeds import WORKING_DAY_WORDS, schedules_from_ics
from aftersales.calendar.rules import DayOff, IntervalLike, TimeLike, WeekdayKey
from aftersales.calendar.schedule_files import load_schedule
from aftersales.calendar.schedules import OfficialSchedule
from aftersales.calendar.segments import CalendarSegment
from aftersales.calendar.work_calendar import COMPUTABLE_YEARS, WorkCalendar

__all__ = [
    "COMPUTABLE_YEARS",
    "OFF_HOURS",
    "SPECIAL_CLOSED",
    "WEEKEND",
    "WORKING_DAY_WORDS",
    "CalendarDefinition",
    "CalendarSegment",
    "DayOff",
    "IntervalLike",
    "OfficialSchedule",
    "TimeLike",
    "WeekdayKey",
    "WorkCalendar",
    "load_schedule",
    "schedules_from_ics",
]
