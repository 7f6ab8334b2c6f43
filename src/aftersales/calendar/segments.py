"""Working and non-working stretches of a span, each with the reason it does not count.

:meth:`WorkCalendar.segments() <aftersales.calendar.WorkCalendar.segments>`
answers "which hours of this span counted, and why were the others skipped?":
the explanations of SLA due times (``MetricResult.explain``) and the SLA
pictures are built from it.

Imports only the lower modules of :mod:`aftersales.calendar`.

Example:
    >>> import pendulum
    >>> from aftersales.calendar import WorkCalendar
    >>> cal = WorkCalendar("UTC", {"mon": [("09:00", "17:00")]})
    >>> friday = pendulum.datetime(2024, 1, 5, 16, tz="UTC")
    >>> [(s.working, s.reason) for s in cal.segments(friday, friday.add(days=3))]
    [(False, 'weekend'), (False, 'off hours'), (True, None)]
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import attrs
import pendulum

from aftersales.calendar.days import OFF_HOURS
from aftersales.calendar.engine import DayPlan, Engine
from aftersales.calendar.zone import DAY_US, ZoneOffsets, day_of_wall, to_us, wall_of_day

__all__ = ["CalendarSegment", "segments_between"]

_Raw = tuple[int, int, bool, str | None]


@attrs.frozen
class CalendarSegment:
    """A stretch of ``[start, end)`` that is either all working time or all not.

    ``reason`` is ``None`` for working time, else why the time does not count:
    ``"off hours"`` (outside a working day's hours, lunch breaks included),
    ``"weekend"`` (a weekday without hours), a holiday's name (whole or the
    hours a partial day off removes) or ``"special hours"`` (a date whose
    special hours are empty).

    Example:
        >>> import pendulum
        >>> from aftersales.calendar import WorkCalendar
        >>> cal = WorkCalendar("UTC", {"mon": [("09:00", "12:00"), ("13:00", "17:00")]})
        >>> a = pendulum.datetime(2024, 1, 1, 11, tz="UTC")
        >>> [(s.working, s.reason, s.duration.seconds // 3600) for s in
        ...  cal.segments(a, a.add(hours=3))]
        [(True, None, 1), (False, 'off hours', 1), (True, None, 1)]
    """

    start: pendulum.DateTime
    end: pendulum.DateTime
    working: bool
    reason: str | None

    @property
    def duration(self) -> timedelta:
        """Real elapsed time of the segment.

        Example:
            >>> import pendulum
            >>> t = pendulum.datetime(2024, 1, 1, tz="UTC")
            >>> CalendarSegment(t, t.add(hours=2), True, None).duration
            datetime.timedelta(seconds=7200)
        """
        return timedelta(microseconds=to_us(self.end) - to_us(self.start))


def segments_between(
    a: int,
    b: int,
    *,
    engine: Engine,
    zone: ZoneOffsets,
    plan: Callable[[date], DayPlan],
    out: Callable[[int], pendulum.DateTime],
) -> list[CalendarSegment]:
    """Cover the instants ``[a, b)`` (µs, ``a < b``) with segments, in order.

    Adjacent segments never share both ``working`` and ``reason``; ``out``
    turns an instant into the calendar's datetime.
    """
    raw: list[_Raw] = []
    cursor = a
    for s, e in engine.intervals(a, b):
        if cursor < s:
            raw.extend(_gap(cursor, s, zone, plan))
        raw.append((s, e, True, None))
        cursor = e
    if cursor < b:
        raw.extend(_gap(cursor, b, zone, plan))
    merged: list[_Raw] = []
    for item in raw:
        if merged and merged[-1][1] == item[0] and merged[-1][2:] == item[2:]:
            merged[-1] = (merged[-1][0], item[1], item[2], item[3])
        else:
            merged.append(item)
    return [CalendarSegment(out(s), out(e), w, r) for s, e, w, r in merged]


def _gap(g0: int, g1: int, zone: ZoneOffsets, plan: Callable[[date], DayPlan]) -> list[_Raw]:
    """Reasons for a stretch that holds no working time."""
    found: list[_Raw] = []
    for ps, pe, off in zone.pieces(g0, g1):
        u = ps
        while u < pe:
            wall = u + off
            day = day_of_wall(wall)
            day_wall = wall_of_day(day)
            stop = min(pe, day_wall + DAY_US - off)
            day_plan = plan(day)
            if day_plan.off_reason is not None:
                found.append((u, stop, False, day_plan.off_reason))
            else:
                cursor = u
                for rs, re_ in day_plan.removed:
                    a = max(cursor, day_wall + rs - off)
                    b = min(stop, day_wall + re_ - off)
                    if a < b:
                        if cursor < a:
                            found.append((cursor, a, False, OFF_HOURS))
                        found.append((a, b, False, day_plan.removed_reason))
                        cursor = b
                if cursor < stop:
                    found.append((cursor, stop, False, OFF_HOURS))
            u = stop
    return found
