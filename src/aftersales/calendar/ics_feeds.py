"""Holidays from iCalendar feeds: an ``.ics`` file, or the content of a calendar URL, one schedule per year.

Helpdesks (Zammad, for one) take their holidays from an iCalendar URL: a
public-holiday calendar (Google's "Holidays in China", a calendarlabs or an
Outlook export) that holds several years, all-day events with or without
``DTEND``, ``DURATION:P1D``, yearly rules (``RRULE``) with ``EXDATE``, date-times
in a ``TZID`` for a day off, folded lines. :func:`schedules_from_ics` reads
such a feed with the ``icalendar`` library, expands its recurrences with
``recurring-ical-events`` and gives one
:class:`~aftersales.calendar.schedules.OfficialSchedule` per year, ready for
:meth:`WorkCalendar.china(schedules=...) <aftersales.calendar.WorkCalendar.china>`
or :meth:`~aftersales.calendar.WorkCalendar.for_country`. Both libraries are
the optional extra ``ical`` (``pip install 'aftersales[ical]'``), imported on
first use. The library does no network I/O: fetch the feed yourself and pass
its bytes.

Reading rules (``docs/calendar-schedules.md``):

* each ``VEVENT`` is a span of whole days: ``DTSTART;VALUE=DATE`` (or a bare
  date) with an exclusive ``DTEND``, a ``DURATION`` in days, or neither (one
  day); or date-times from 00:00 to 00:00 of a later day, read as the dates
  they cover in their own zone (a ``TZID``, UTC, floating, or the feed's
  ``X-WR-TIMEZONE``). Anything shorter or ragged is refused, naming the event:
  a calendar of days off cannot hold part of a day;
* an event is a working day (调休) when its ``CATEGORIES`` hold ``WORKDAY``
  or its ``SUMMARY`` holds one of ``working_day_words`` (上班, 补班); every
  other event is days off, named by its ``SUMMARY``. A date in two day-off
  events keeps both names; a date both off and working is refused;
* ``STATUS:CANCELLED`` events are left out;
* the years: those asked for; else the year ``X-AFTERSALES-YEAR`` names; else
  every year in which an event that does not recur lists a day. Recurring
  events (``RRULE``, ``RDATE``, ``EXDATE``, ``RECURRENCE-ID``) are expanded in
  those years only: a rule alone never makes a year covered.

Imports only :mod:`aftersales.calendar.schedules`, the text reader
(``schedule_text``), the reading of one event (``ics_events``) and the domain
helpers.

Example:
    >>> feed = '''BEGIN:VCALENDAR
    ... BEGIN:VEVENT
    ... SUMMARY:元旦
    ... DTSTART;VALUE=DATE:20310101
    ... RRULE:FREQ=YEARLY
    ... END:VEVENT
    ... BEGIN:VEVENT
    ... SUMMARY:国庆节
    ... DTSTART;VALUE=DATE:20311001
    ... DURATION:P3D
    ... END:VEVENT
    ... BEGIN:VEVENT
    ... SUMMARY:国庆节
    ... DTSTART;VALUE=DATE:20321001
    ... END:VEVENT
    ... END:VCALENDAR
    ... '''
    >>> [(s.year, len(s.days_off)) for s in schedules_from_ics(feed)]  # a made-up feed
    [(2031, 4), (2032, 2)]
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import date
from itertools import islice
from types import ModuleType
from typing import TYPE_CHECKING, Final

from aftersales._shown import shown
from aftersales.calendar.ics_events import (
    RECURRENCE,
    EventDay,
    days_between,
    event_day,
    event_label,
    event_span,
    library_message,
)
from aftersales.calendar.schedule_text import schedule_text
from aftersales.calendar.schedules import OfficialSchedule
from aftersales.calendar.zone import MAX_YEAR, MIN_YEAR
from aftersales.errors import ScheduleError

if TYPE_CHECKING:
    from icalendar import Calendar, Event

__all__ = ["WORKING_DAY_WORDS", "ics_schedules", "schedules_from_ics"]

#: The words of a ``SUMMARY`` that make an event a working day (调休), by default.
WORKING_DAY_WORDS: Final = ("上班", "补班")

_MOST_YEARS = MAX_YEAR - MIN_YEAR + 1
_MOST_WORDS = 100
_SOURCE_RULE = (
    "a pathlib.Path, a file name, the text of an iCalendar file, or its bytes"
    " (e.g. urllib.request.urlopen(url).read())"
)


def schedules_from_ics(
    source: str | os.PathLike[str] | bytes,
    *,
    years: Iterable[int] | None = None,
    country: str | None = None,
    working_day_words: Iterable[str] = WORKING_DAY_WORDS,
) -> tuple[OfficialSchedule, ...]:
    """One official schedule per year of an iCalendar feed, recurrences expanded, by year.

    The library does no network I/O. For a feed at a URL (Zammad's way),
    fetch its content and pass the bytes, e.g.
    ``schedules_from_ics(urllib.request.urlopen(url).read(), country="DE")``.

    Args:
        source: a ``pathlib.Path`` or a file name, the feed's text, or its
            bytes (UTF-8).
        years: the years to read (days of other years are left out); ``None``:
            the year ``X-AFTERSALES-YEAR`` names, else every year in which an
            event that does not recur lists a day. Each year read must have a
            day off: a year is taken as complete, so ask only for the years the
            feed covers in full.
        country: the ISO 3166 code of the schedules; ``None``: the feed's
            ``X-AFTERSALES-COUNTRY``, else ``"CN"``.
        working_day_words: the ``SUMMARY`` words that make an event a working
            day (调休), besides ``CATEGORIES:WORKDAY``.

    Raises:
        ScheduleError: every problem at once, each naming the event (its
            ``SUMMARY`` or ``UID`` and ``DTSTART``) and what is accepted:
            a text that is not iCalendar, an event without ``DTSTART``, one
            that is not whole days, a date both off and working, a year
            without a day off; or the ``ical`` extra not installed.
        OSError: a file that cannot be read.

    Example:
        >>> feed = '''BEGIN:VCALENDAR
        ... BEGIN:VEVENT
        ... SUMMARY:国庆节
        ... DTSTART;TZID=Asia/Shanghai:20311001T000000
        ... DTEND;TZID=Asia/Shanghai:20311004T000000
        ... END:VEVENT
        ... BEGIN:VEVENT
        ... SUMMARY:国庆节补班
        ... DTSTART:20310927
        ... END:VEVENT
        ... END:VCALENDAR
        ... '''
        >>> (schedule,) = schedules_from_ics(feed.encode())  # made-up dates
        >>> list(schedule.days_off), dict(schedule.working_days)
        ([datetime.date(2031, 10, 1), datetime.date(2031, 10, 2), datetime.date(2031, 10, 3)], {datetime.date(2031, 9, 27): '国庆节补班'})
        >>> schedules_from_ics(feed.replace("T000000", "T090000", 1))
        Traceback (most recent call last):
        ...
        aftersales.errors.ScheduleError: the text: VEVENT #1 '国庆节' (DTSTART 20311001T090000): 2031-10-01T09:00:00+08:00 – 2031-10-04T00:00:00+08:00 is not whole days (a calendar of days off cannot hold part of a day); accepted: an all-day event (DTSTART;VALUE=DATE:YYYYMMDD with DTEND the day after its last day, DURATION:P<n>D, or neither for one day), or date-times from 00:00 to 00:00 of a later day
    """
    text = schedule_text(source, accepted=_SOURCE_RULE, allow_bytes=True)
    return ics_schedules(
        text.text,
        text.where,
        years=years,
        country=country,
        working_day_words=working_day_words,
    )


def ics_schedules(
    text: str,
    where: str,
    *,
    years: Iterable[int] | None = None,
    country: str | None = None,
    working_day_words: Iterable[str] = WORKING_DAY_WORDS,
    single_year: bool = False,
) -> tuple[OfficialSchedule, ...]:
    """:func:`schedules_from_ics` on a text; ``single_year``: refuse days of several years.

    ``where`` names the text in messages. With ``single_year`` (what
    :func:`~aftersales.calendar.load_schedule` reads: one file per year) a
    feed whose events lie in several years is refused, naming them.

    Example:
        >>> ics_schedules("BEGIN:VCALENDAR\\nEND:VCALENDAR\\n", "cn.ics")
        Traceback (most recent call last):
        ...
        aftersales.errors.ScheduleError: cn.ics: events: none; accepted: all-day VEVENTs, one per holiday
    """
    problems: list[tuple[str, str]] = []
    wanted = _checked_years(years, problems)
    words = _checked_words(working_day_words, problems)
    if country is not None and not isinstance(country, str):
        problems.append(
            (
                "country",
                f"{shown(country)} is not a country code; accepted: None (the feed's) or two"
                " capital letters (ISO 3166), e.g. 'CN'",
            )
        )
    if problems:
        raise _refused(where, problems)
    calendar = _parsed(text, where)
    headers = {
        name: _header(calendar, name)
        for name in ("X-AFTERSALES-COUNTRY", "X-AFTERSALES-YEAR", "X-AFTERSALES-SOURCE")
    }
    declared = _declared_year(headers["X-AFTERSALES-YEAR"], problems)
    country = _country(country, headers["X-AFTERSALES-COUNTRY"], problems)
    scale = str(calendar.get("CALSCALE", "GREGORIAN")).upper()
    if scale != "GREGORIAN":
        problems.append(("CALSCALE", f"{shown(scale)}; accepted: GREGORIAN"))
    singles, recurring = _sorted_events(calendar, problems)
    if problems:
        raise _refused(where, problems)
    # with the year declared, every day is kept: the schedule refuses one outside that year
    keep_outside = wanted is None and declared is not None
    if wanted is None:
        wanted = _years_listed(singles, declared, single_year, where)
    days: dict[date, EventDay] = {}
    for label, (first, stop), event in singles:
        for day in days_between(first, stop):
            if keep_outside or day.year in wanted:
                _add(days, day, event_day(event, label, words), problems)
    for event in _occurrences(calendar, recurring, wanted, problems):
        label = event_label(event, None)
        span = event_span(event)
        if isinstance(span, str):
            problems.append((label, span))
            continue
        for day in days_between(*span):
            if day.year in wanted:
                _add(days, day, event_day(event, label, words), problems)
    if problems:
        raise _refused(where, problems)
    source = headers["X-AFTERSALES-SOURCE"] or _header(calendar, "X-WR-CALNAME") or ""
    return _schedules(
        days, sorted(wanted), declared if keep_outside else None, country, source, where
    )


def _sorted_events(
    calendar: Calendar, problems: list[tuple[str, str]]
) -> tuple[list[tuple[str, tuple[date, date], Event]], list[tuple[str, Event]]]:
    """The events that do not recur, each with its label and days; and the recurring ones."""
    singles: list[tuple[str, tuple[date, date], Event]] = []
    recurring: list[tuple[str, Event]] = []
    for index, event in enumerate(_events(calendar.walk("VEVENT")), 1):
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        label = event_label(event, index)
        span = event_span(event)
        if isinstance(span, str):
            problems.append((label, span))
        elif any(name in event for name in RECURRENCE):
            recurring.append((label, event))
        else:
            singles.append((label, span, event))
    if not singles and not recurring and not problems:
        problems.append(("events", "none; accepted: all-day VEVENTs, one per holiday"))
    return singles, recurring


def _years_listed(
    singles: list[tuple[str, tuple[date, date], Event]],
    declared: int | None,
    single_year: bool,
    where: str,
) -> frozenset[int]:
    """The years to read when none are asked for: the declared one, else those listed."""
    if declared is not None:
        return frozenset({declared})
    found = frozenset(d.year for _, span, _ in singles for d in days_between(*span))
    if single_year and len(found) > 1:
        message = (
            f"dates in {', '.join(map(str, sorted(found)))}; accepted: the events of one year"
            " (one file per year), X-AFTERSALES-YEAR naming the year, or schedules_from_ics()"
            " for a feed of several years"
        )
        raise _refused(where, [("events", message)])
    if not found:
        message = (
            "every event recurs (RRULE, RDATE), so no year is listed in full; accepted:"
            " X-AFTERSALES-YEAR, or schedules_from_ics(..., years=[...]) naming the years to"
            " expand"
        )
        raise _refused(where, [("events", message)])
    return found


# -- the libraries -------------------------------------------------------------------------


def _libraries() -> tuple[ModuleType, ModuleType, ModuleType]:
    """``icalendar``, ``recurring_ical_events`` and ``x_wr_timezone``, imported now."""
    try:
        import icalendar
        import recurring_ical_events  # type: ignore[import-untyped]
        import x_wr_timezone  # type: ignore[import-untyped]
    except ImportError as error:
        message = (
            f"reading iCalendar needs the optional packages icalendar and recurring-ical-events"
            f" ({error}); accepted: pip install 'aftersales[ical]'"
        )
        raise ScheduleError(f"ics: {message}", problems=[("ics", message)]) from None
    return icalendar, recurring_ical_events, x_wr_timezone


def _parsed(text: str, where: str) -> Calendar:
    """The one ``VCALENDAR`` of ``text``, its UTC times moved to its ``X-WR-TIMEZONE``."""
    icalendar, _, x_wr_timezone = _libraries()
    accepted = (
        "accepted: one iCalendar (RFC 5545) VCALENDAR, BEGIN:VCALENDAR … END:VCALENDAR,"
        " each BEGIN closed by its END"
    )
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as error:  # the parser meets hostile text with assorted errors
        message = f"not an iCalendar text ({library_message(error)}); {accepted}"
        raise ScheduleError(f"{where}: {message}", problems=[("", message)]) from None
    if not isinstance(calendar, icalendar.Calendar):
        message = f"a {calendar.name} is not a calendar; {accepted}"
        raise ScheduleError(f"{where}: {message}", problems=[("", message)])
    try:
        standard: Calendar = x_wr_timezone.to_standard(calendar)
    except Exception as error:  # an unknown zone, or several
        message = (
            f"{shown(str(calendar.get('X-WR-TIMEZONE')))} cannot be applied ({library_message(error)});"
            " accepted: one IANA time zone, e.g. Asia/Shanghai"
        )
        raise ScheduleError(
            f"{where}: X-WR-TIMEZONE: {message}", problems=[("X-WR-TIMEZONE", message)]
        ) from None
    return standard


def _events(components: Iterable[object]) -> list[Event]:
    icalendar = _libraries()[0]
    return [c for c in components if isinstance(c, icalendar.Event)]


def _occurrences(
    calendar: Calendar,
    recurring: list[tuple[str, Event]],
    years: frozenset[int],
    problems: list[tuple[str, str]],
) -> list[Event]:
    """Every occurrence of the ``recurring`` events that touches ``years``, series by series."""
    icalendar, recurring_ical_events, _ = _libraries()
    series: dict[str, list[tuple[str, Event]]] = {}
    for label, event in recurring:  # a modified instance shares its series' UID
        series.setdefault(str(event.get("UID", "")).strip() or label, []).append((label, event))
    zones = calendar.walk("VTIMEZONE")
    found: list[Event] = []
    for members in series.values():
        one = icalendar.Calendar()
        for component in (*zones, *(event for _, event in members)):
            one.add_component(component)
        try:
            query = recurring_ical_events.of(one)
            for first, last in _runs(years):
                found += _events(query.between(date(first, 1, 1), date(last + 1, 1, 1)))
        except Exception as error:  # the library meets hostile rules with assorted errors
            problems.append(
                (
                    members[0][0],
                    f"its recurrence cannot be expanded ({library_message(error)}); accepted: RRULE,"
                    " RDATE and EXDATE as RFC 5545 defines them",
                )
            )
    return found


def _runs(years: frozenset[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for year in sorted(years):
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def _add(
    days: dict[date, EventDay], day: date, found: EventDay, problems: list[tuple[str, str]]
) -> None:
    earlier = days.get(day)
    if earlier is None:
        days[day] = found
    elif earlier.working != found.working:
        kind = "a working day" if earlier.working else "a day off"
        problems.append(
            (
                found.event,
                f"{day.isoformat()} is {kind} in {earlier.event}; accepted: a date either off or"
                " working",
            )
        )
    elif found.name and found.name not in earlier.name.split(" / "):
        days[day] = earlier._replace(name=f"{earlier.name} / {found.name}")


# -- the calendar's own properties ---------------------------------------------------------


def _header(calendar: Calendar, name: str) -> str | None:
    """A calendar property's text, its escapes (RFC 5545 §3.3.11) undone."""
    value = calendar.get(name)
    if value is None:
        return None
    raw = value.to_ical().decode("utf-8", "replace") if hasattr(value, "to_ical") else str(value)
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def _declared_year(value: str | None, problems: list[tuple[str, str]]) -> int | None:
    if value is None:
        return None
    if value.strip().isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
        return int(value)
    problems.append(
        (
            "X-AFTERSALES-YEAR",
            f"{shown(value)} is not a year; accepted: an integer {MIN_YEAR}–{MAX_YEAR}",
        )
    )
    return None


def _country(given: str | None, declared: str | None, problems: list[tuple[str, str]]) -> str:
    if given is None:
        return (declared or "CN").strip()
    if declared is not None and declared.strip() != given:
        problems.append(
            (
                "country",
                f"{shown(given)}, but the feed says X-AFTERSALES-COUNTRY:{declared.strip()};"
                f" accepted: None (the feed's) or {shown(declared.strip())}",
            )
        )
    return given


def _checked_years(years: object, problems: list[tuple[str, str]]) -> frozenset[int] | None:
    if years is None:
        return None
    accepted = f"accepted: None or a non-empty list of years {MIN_YEAR}–{MAX_YEAR}"
    if isinstance(years, str | bytes) or not isinstance(years, Iterable):
        problems.append(("years", f"{shown(years)} is not a list of years; {accepted}"))
        return None
    found = list(islice(years, _MOST_YEARS + 1))
    bad = [y for y in found if type(y) is not int or not MIN_YEAR <= y <= MAX_YEAR]
    if bad or not found or len(found) > _MOST_YEARS:
        what = (
            f"{shown(bad[0])} is not a year"
            if bad
            else "is empty"
            if not found
            else f"holds more than {_MOST_YEARS} items"
        )
        problems.append(("years", f"{what}; {accepted}"))
        return None
    return frozenset(found)


def _checked_words(words: object, problems: list[tuple[str, str]]) -> tuple[str, ...]:
    accepted = "accepted: a list of non-blank texts, e.g. ('上班', '补班')"
    if isinstance(words, str | bytes) or not isinstance(words, Iterable):
        problems.append(("working_day_words", f"{shown(words)} is not a list; {accepted}"))
        return ()
    found = tuple(islice(words, _MOST_WORDS + 1))
    bad = [w for w in found if not isinstance(w, str) or not w.strip()]
    if bad:
        problems.append(("working_day_words", f"{shown(bad[0])} is not a word; {accepted}"))
    elif len(found) > _MOST_WORDS:
        problems.append(("working_day_words", f"more than {_MOST_WORDS} words; {accepted}"))
    return found


# -- the schedules -------------------------------------------------------------------------


def _schedules(
    days: dict[date, EventDay],
    years: list[int],
    declared: int | None,
    country: str,
    source: str,
    where: str,
) -> tuple[OfficialSchedule, ...]:
    """One schedule per year; every day goes to the ``declared`` year when there is one."""
    problems: list[tuple[str, str]] = []
    built: list[OfficialSchedule] = []
    for year in years:
        mine = {d: v for d, v in days.items() if (declared or d.year) == year}
        try:
            built.append(
                OfficialSchedule(
                    year,
                    {d: v.name for d, v in sorted(mine.items()) if not v.working},
                    {d: v.name for d, v in sorted(mine.items()) if v.working},
                    country=country,
                    source=source,
                )
            )
        except ScheduleError as error:
            prefix = "" if len(years) == 1 else f"{year} "
            problems += [(f"{prefix}{path}", message) for path, message in error.problems]
    if problems:
        raise _refused(where, problems)
    return tuple(built)


def _refused(where: str, problems: list[tuple[str, str]]) -> ScheduleError:
    message = str(ScheduleError.from_problems(problems))
    return ScheduleError(f"{where}: {message}", problems=problems)
