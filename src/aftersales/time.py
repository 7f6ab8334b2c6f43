"""Aware-datetime helpers and the injectable :class:`Clock`.

Every instant in ``aftersales`` is a timezone-aware :class:`pendulum.DateTime`.
Naive datetimes are refused with :class:`~aftersales.errors.NaiveDatetimeError`.
The core never reads the system clock: the service layer asks an injected
``Clock``, so tests and replays are deterministic.

Example:
    >>> import pendulum
    >>> clock = FixedClock(pendulum.datetime(2024, 5, 10, 14, 30, tz="Asia/Shanghai"))
    >>> clock.now().isoformat()
    '2024-05-10T06:30:00+00:00'
    >>> clock.advance(minutes=5).isoformat()
    '2024-05-10T06:35:00+00:00'
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

import pendulum

from aftersales._shown import shown
from aftersales.errors import InvalidData, NaiveDatetimeError

__all__ = ["Clock", "FixedClock", "SystemClock", "ensure_aware", "to_utc", "utc_us"]

_UTC = pendulum.UTC


def ensure_aware(value: object, name: str = "datetime") -> pendulum.DateTime:
    """Return ``value`` as an aware :class:`pendulum.DateTime`, keeping its zone.

    Raises :class:`NaiveDatetimeError` for a naive datetime and
    :class:`InvalidData` for anything that is not a datetime.

    Example:
        >>> from datetime import datetime, timezone
        >>> ensure_aware(datetime(2024, 5, 10, 6, 30, tzinfo=timezone.utc)).isoformat()
        '2024-05-10T06:30:00+00:00'
    """
    if not isinstance(value, datetime):
        message = f"{shown(value)} is not a datetime; accepted: an aware datetime"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(name, value)
    if isinstance(value, pendulum.DateTime):
        return value
    try:
        return pendulum.instance(value)
    except OverflowError:
        raise _out_of_range(value, name) from None


def _out_of_range(value: datetime, name: str) -> InvalidData:
    message = (
        f"{value.isoformat()} is outside the instants that can be stored;"
        " accepted: an aware datetime from 0001-01-01 to 9999-12-31 in UTC"
    )
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


def to_utc(value: object, name: str = "datetime") -> pendulum.DateTime:
    """Return ``value`` as an aware pendulum datetime in UTC (the stored form).

    Example:
        >>> import pendulum
        >>> to_utc(pendulum.datetime(2024, 5, 10, 14, 30, tz="Asia/Shanghai")).isoformat()
        '2024-05-10T06:30:00+00:00'
    """
    aware = ensure_aware(value, name)
    if aware.tzinfo is _UTC:
        return aware
    try:
        return aware.in_timezone(_UTC)
    except OverflowError:  # datetime.max behind UTC, datetime.min ahead of it
        raise _out_of_range(aware, name) from None


_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_ONE_US = timedelta(microseconds=1)


def utc_us(value: datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime, exactly.

    Fast for the UTC datetimes the library stores (no time-zone lookup).

    Example:
        >>> import pendulum
        >>> utc_us(pendulum.datetime(1970, 1, 1, 0, 0, 1, tz="UTC"))
        1000000
        >>> utc_us(pendulum.datetime(1970, 1, 1, 8, 0, 1, tz="Asia/Shanghai"))
        1000000
    """
    if value.tzinfo is _UTC:
        days = value.toordinal() - _EPOCH_ORDINAL
        seconds = days * 86400 + value.hour * 3600 + value.minute * 60 + value.second
        return seconds * 1_000_000 + value.microsecond
    return datetime.__sub__(value, _EPOCH) // _ONE_US


@runtime_checkable
class Clock(Protocol):
    """Where the service layer gets "now" from.

    Example:
        >>> isinstance(SystemClock(), Clock)
        True
    """

    def now(self) -> pendulum.DateTime:
        """The current instant, aware."""
        ...


class SystemClock:
    """The real clock, in UTC.

    Example:
        >>> SystemClock().now().tzinfo is not None
        True
    """

    def now(self) -> pendulum.DateTime:
        """The current instant in UTC."""
        return pendulum.now(_UTC)


class FixedClock:
    """A clock that stands still until moved: for tests, demos and replays.

    Example:
        >>> import pendulum
        >>> clock = FixedClock(pendulum.datetime(2026, 10, 9, 9, 0, tz="UTC"))
        >>> clock.set(pendulum.datetime(2026, 10, 10, 9, 0, tz="UTC")).day
        10
    """

    def __init__(self, at: datetime) -> None:
        self._now = to_utc(at, "at")

    def now(self) -> pendulum.DateTime:
        """The instant the clock stands at."""
        return self._now

    def set(self, at: datetime) -> pendulum.DateTime:
        """Move the clock to ``at`` (aware) and return it in UTC."""
        self._now = to_utc(at, "at")
        return self._now

    def advance(
        self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0
    ) -> pendulum.DateTime:
        """Move the clock forward (or back, with negative amounts) and return the new now."""
        self._now = self._now + pendulum.duration(
            days=days, hours=hours, minutes=minutes, seconds=seconds
        )
        return self._now
