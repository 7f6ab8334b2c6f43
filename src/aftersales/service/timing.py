"""When a desk command happens and which instant a desk query looks at.

A command happens at the clock's now, or at an ``at=`` the caller gives:
back-dated freely (entering a paper record), ahead of the clock by no more than
the desk's allowed skew. A query (an SLA report, the watchlist) may look at any
instant of the years the calendars compute. Imports: the domain only.

Example:
    >>> import pendulum
    >>> from datetime import timedelta
    >>> from aftersales.time import FixedClock
    >>> clock = FixedClock(pendulum.datetime(2026, 10, 9, 9, tz="Asia/Shanghai"))
    >>> command_instant(clock, timedelta(minutes=5), None) == clock.now()
    True
    >>> query_instant(clock, pendulum.datetime(2030, 1, 1, tz="UTC")).year
    2030
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

import pendulum

from aftersales import _checks as check
from aftersales.calendar import COMPUTABLE_YEARS
from aftersales.errors import InvalidData
from aftersales.time import Clock

__all__ = ["DEFAULT_CLOCK_SKEW", "checked_clock", "command_instant", "query_instant"]

#: How far past the clock's now a command's ``at=`` may lie by default.
DEFAULT_CLOCK_SKEW: Final = timedelta(minutes=5)


def checked_clock(value: Any, name: str) -> Clock:
    """A :class:`~aftersales.time.Clock`: an object with ``now()`` (a datetime is not one).

    Example:
        >>> checked_clock(pendulum.now(), "clock")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: clock: DateTime is not a clock; accepted: an object with now(), such as FixedClock(at) or SystemClock()
    """
    if isinstance(value, datetime) or not isinstance(value, Clock):
        message = (
            f"{type(value).__name__} is not a clock; accepted: an object with now(),"
            " such as FixedClock(at) or SystemClock()"
        )
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return value


def command_instant(clock: Clock, skew: timedelta, at: datetime | None) -> pendulum.DateTime:
    """When a command happens: ``at`` (back-dated, or up to ``skew`` ahead), else the clock's now.

    Example:
        >>> from aftersales.time import FixedClock
        >>> clock = FixedClock(pendulum.datetime(2026, 10, 9, 9, tz="UTC"))
        >>> command_instant(clock, timedelta(0), clock.now().add(minutes=1))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: at: 2026-10-09T09:01:00+00:00 is later than the clock's now 2026-10-09T09:00:00+00:00 plus the allowed skew of 0:00:00; accepted: an instant up to 2026-10-09T09:00:00+00:00 (earlier instants back-date the command)
    """
    now = clock.now()
    if at is None:
        return now
    when = check.aware(at, "at")
    latest = now + skew
    if when > latest:
        message = (
            f"{when.isoformat()} is later than the clock's now {now.isoformat()} plus the"
            f" allowed skew of {skew}; accepted: an instant up to"
            f" {latest.isoformat()} (earlier instants back-date the command)"
        )
        raise InvalidData(f"at: {message}", problems=[("at", message)])
    return when


def query_instant(clock: Clock, at: datetime | None) -> pendulum.DateTime:
    """The instant a query looks at: ``at`` (any computable instant), else the clock's now.

    Example:
        >>> from aftersales.time import FixedClock
        >>> query_instant(FixedClock(pendulum.datetime(2026, 1, 1, tz="UTC")),
        ...               pendulum.datetime(2400, 1, 1, tz="UTC"))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: at: 2400-01-01T00:00:00+00:00 is outside the years the calendars compute; accepted: an instant from 1900-01-01 to 2399-12-31
    """
    if at is None:
        return clock.now()
    when = check.aware(at, "at")
    if when.year not in COMPUTABLE_YEARS:
        first, last = COMPUTABLE_YEARS[0], COMPUTABLE_YEARS[-1]
        message = (
            f"{when.isoformat()} is outside the years the calendars compute;"
            f" accepted: an instant from {first}-01-01 to {last}-12-31"
        )
        raise InvalidData(f"at: {message}", problems=[("at", message)])
    return when
