"""One iCalendar event read as days: the span of whole days it covers, its name, off or working.

:mod:`~aftersales.calendar.ics_feeds` reads a feed event by event with these:
:func:`event_span` is the days ``[first, stop)`` an event covers, or what is
wrong with it (an event is whole days: dates, or date-times from 00:00 to
00:00 in their own zone; a calendar of days off cannot hold part of a day);
:func:`event_day` tells a working day (调休) from a day off; :func:`event_label`
names the event in a message, since the parsing library gives no line
numbers. The events are ``icalendar`` components (the ``ical`` extra).

Imports only the domain helpers (``icalendar`` for the type checker).

Example:
    >>> import icalendar
    >>> event = icalendar.Event.from_ical(
    ...     "BEGIN:VEVENT\\r\\nSUMMARY:国庆节\\r\\nDTSTART;VALUE=DATE:20311001\\r\\n"
    ...     "DURATION:P3D\\r\\nEND:VEVENT\\r\\n")
    >>> event_label(event, 1), event_span(event)
    ("VEVENT #1 '国庆节' (DTSTART 20311001)", (datetime.date(2031, 10, 1), datetime.date(2031, 10, 4)))
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Final, NamedTuple

from aftersales._shown import shown

if TYPE_CHECKING:
    from icalendar import Event

__all__ = [
    "RECURRENCE",
    "SPAN_RULE",
    "EventDay",
    "days_between",
    "event_day",
    "event_label",
    "event_span",
    "library_message",
]

#: The properties that make an event recur (or modify one instance of a series).
RECURRENCE: Final = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
#: What :func:`event_span` accepts, for its messages.
SPAN_RULE: Final = (
    "accepted: an all-day event (DTSTART;VALUE=DATE:YYYYMMDD with DTEND the day after its"
    " last day, DURATION:P<n>D, or neither for one day), or date-times from 00:00 to 00:00"
    " of a later day"
)

_WORKDAY_CATEGORY = "WORKDAY"
_USED = ("DTSTART", "DTEND", "DURATION", *RECURRENCE)
_SUB_DAILY = {"HOURLY", "MINUTELY", "SECONDLY"}
_MAX_DAYS = 366
_MIDNIGHT = time(0, 0)


class EventDay(NamedTuple):
    """A date as one event lists it: the name, whether it is a working day, the event's label.

    Example:
        >>> EventDay("国庆节", False, "VEVENT #1").working
        False
    """

    name: str
    working: bool
    event: str


def library_message(error: Exception) -> str:
    """The first line of a library's error message, at most 160 characters.

    Example:
        >>> library_message(ValueError("Found no components\\nBEGIN:VCALENDAR"))
        'Found no components'
    """
    lines = str(error).splitlines()
    return (lines[0] if lines else type(error).__name__)[:160]


def event_label(event: Event, index: int | None) -> str:
    """``VEVENT #3 '国庆节' (DTSTART 20311001)``: how a message names an event.

    Its position in the file (``index``, when known), its ``SUMMARY`` (else
    its ``UID``) and its ``DTSTART`` as written.

    Example:
        >>> import icalendar
        >>> event_label(icalendar.Event.from_ical(
        ...     "BEGIN:VEVENT\\r\\nUID:x-1\\r\\nDTSTART:20311001T130000\\r\\nEND:VEVENT\\r\\n"), None)
        "VEVENT UID 'x-1' (DTSTART 20311001T130000)"
    """
    summary = str(event.get("SUMMARY", "")).strip()
    uid = str(event.get("UID", "")).strip()
    name = shown(summary) if summary else f"UID {shown(uid)}" if uid else "without SUMMARY"
    number = f" #{index}" if index is not None else ""
    start = event.get("DTSTART")
    raw = ""
    if start is not None:
        try:
            raw = f" (DTSTART {start.to_ical().decode('utf-8', 'replace')})"
        except (AttributeError, ValueError):
            raw = f" (DTSTART {shown(start)})"
    return f"VEVENT{number} {name}{raw}"


def event_span(event: Event) -> tuple[date, date] | str:
    """The days ``[first, stop)`` an event covers, or what is wrong with it (ending ``accepted: …``).

    Example:
        >>> import icalendar
        >>> half = icalendar.Event.from_ical(
        ...     "BEGIN:VEVENT\\r\\nDTSTART;TZID=Asia/Shanghai:20311001T000000\\r\\n"
        ...     "DTEND;TZID=Asia/Shanghai:20311001T120000\\r\\nEND:VEVENT\\r\\n")
        >>> event_span(half).split(";")[0]
        '2031-10-01T00:00:00+08:00 – 2031-10-01T12:00:00+08:00 is not whole days (a calendar of days off cannot hold part of a day)'
    """
    broken = [(name, detail) for name, detail in event.errors if name in _USED]
    if broken:
        name, detail = broken[0]
        return f"{name} cannot be read ({detail}); {SPAN_RULE}"
    if "DTSTART" not in event:
        return f"no DTSTART; {SPAN_RULE}"
    for rule in _rules(event):
        frequency = "".join(str(f) for f in rule.get("FREQ", ()))
        if not frequency:
            return "RRULE without FREQ; accepted: FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"
        if frequency.upper() in _SUB_DAILY:
            return (
                f"RRULE FREQ={frequency} repeats within a day; accepted: FREQ=DAILY, WEEKLY,"
                " MONTHLY or YEARLY"
            )
    try:
        start, end = event.start, event.end
        duration = event.duration if "DURATION" in event else None
    except Exception as error:  # InvalidCalendar, IncompleteComponent, others on hostile values
        return f"{library_message(error)}; {SPAN_RULE}"
    ending = "DURATION" if "DURATION" in event else "DTEND" if "DTEND" in event else "its end"
    if isinstance(start, datetime) and isinstance(end, datetime):
        if (start.tzinfo is None) != (end.tzinfo is None):
            return f"DTSTART and DTEND: one has a time zone, the other not; {SPAN_RULE}"
        if start.tzinfo is not None:
            end = end.astimezone(start.tzinfo)
        if start.time() != _MIDNIGHT or end.time() != _MIDNIGHT or end.date() <= start.date():
            return (
                f"{start.isoformat()} – {end.isoformat()} is not whole days (a calendar of days"
                f" off cannot hold part of a day); {SPAN_RULE}"
            )
        first, stop = start.date(), end.date()
    elif isinstance(start, datetime) or isinstance(end, datetime):
        return f"DTSTART and {ending} are not both dates or both date-times; {SPAN_RULE}"
    else:
        first, stop = start, end
        if stop <= first or (duration is not None and duration.days <= 0):
            return (
                f"{ending} is not after DTSTART {first.isoformat()}; accepted: DTEND the day"
                " after the event's last day, or a positive DURATION in days"
            )
    if (stop - first).days > _MAX_DAYS:
        return f"{(stop - first).days} days long; accepted: at most {_MAX_DAYS} days"
    return first, stop


def _rules(event: Event) -> list[dict[str, list[str]]]:
    value = event.get("RRULE")
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def days_between(first: date, stop: date) -> list[date]:
    """The dates from ``first`` up to ``stop`` excluded.

    Example:
        >>> days_between(date(2031, 12, 31), date(2032, 1, 2))
        [datetime.date(2031, 12, 31), datetime.date(2032, 1, 1)]
    """
    return [date.fromordinal(o) for o in range(first.toordinal(), stop.toordinal())]


def event_day(event: Event, label: str, words: tuple[str, ...]) -> EventDay:
    """The event as a day off, or as a working day (``CATEGORIES:WORKDAY`` or one of ``words``).

    Example:
        >>> import icalendar
        >>> event = icalendar.Event.from_ical(
        ...     "BEGIN:VEVENT\\r\\nSUMMARY:国庆节补班\\r\\nDTSTART:20310927\\r\\nEND:VEVENT\\r\\n")
        >>> event_day(event, "VEVENT #2", ("上班", "补班"))
        EventDay(name='国庆节补班', working=True, event='VEVENT #2')
    """
    summary = str(event.get("SUMMARY", "")).strip()
    categories = {str(c).strip().upper() for c in event.categories}
    working = _WORKDAY_CATEGORY in categories or any(w in summary for w in words)
    return EventDay(summary, working, label)
