"""Instants and wall-clock readings of one zone: the units the calendar engine works in.

Everything here works on integer microseconds since the Unix epoch (UTC):

* *instant* ``u``: microseconds since 1970-01-01T00:00Z;
* *wall* ``w``: the local wall-clock reading in the calendar's zone, written as
  microseconds since 1970-01-01T00:00 *as if it were UTC* (``w = u + offset(u)``).

Internal to :mod:`aftersales.calendar` (import the package, not this module);
it imports nothing from ``aftersales``.

Example:
    >>> from datetime import timezone
    >>> zone = ZoneOffsets(timezone.utc)
    >>> zone.offset(0)
    0
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo

__all__ = [
    "DAY_US",
    "EPOCH",
    "EPOCH_ORDINAL",
    "HOUR_US",
    "MAX_YEAR",
    "MIN_YEAR",
    "ONE_US",
    "US",
    "ZoneOffsets",
    "day_of_wall",
    "to_us",
    "wall_of_day",
]

US = 1_000_000
HOUR_US = 3600 * US
DAY_US = 86_400 * US
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
ONE_US = timedelta(microseconds=1)

#: The local years a calendar can compute; a search reaching outside raises
#: :class:`~aftersales.errors.SpanTooLongError`.
MIN_YEAR = 1900
MAX_YEAR = 2399

#: How often a UTC year is sampled for offset changes. An offset change that
#: is reverted within one step would be missed: in the tz database (1900–2400)
#: no two offset changes of a zone lie closer than 3.9 days (Africa/Freetown,
#: 1939), and changes of a zone are otherwise weeks to months apart.
_SAMPLE_STEP = DAY_US


def to_us(value: datetime) -> int:
    """Microseconds since the epoch of an aware datetime, exactly.

    Example:
        >>> to_us(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))
        1000000
    """
    return datetime.__sub__(value, EPOCH) // ONE_US


def wall_of_day(day: date) -> int:
    """The wall-clock microseconds of ``day`` at 00:00.

    Example:
        >>> wall_of_day(date(1970, 1, 2)) == DAY_US
        True
    """
    return (day.toordinal() - EPOCH_ORDINAL) * DAY_US


def day_of_wall(wall: int) -> date:
    """The local date of a wall-clock reading.

    Example:
        >>> day_of_wall(DAY_US + 5)
        datetime.date(1970, 1, 2)
    """
    return date.fromordinal(EPOCH_ORDINAL + wall // DAY_US)


class ZoneOffsets:
    """UTC offsets of one zone, with its transitions found and cached per UTC year.

    Example:
        >>> from zoneinfo import ZoneInfo
        >>> zone = ZoneOffsets(ZoneInfo("Europe/Berlin"))
        >>> [(t // US, off // HOUR_US) for t, off in zone.transitions(2026)]
        [(1774746000, 2), (1792890000, 1)]
    """

    def __init__(self, tz: tzinfo) -> None:
        self._tz = tz
        self._cache: dict[int, tuple[tuple[int, int], ...]] = {}
        self._lock = threading.Lock()

    def offset(self, u: int) -> int:
        """The offset (wall minus instant) in force at instant ``u``, in microseconds."""
        delta = (EPOCH + timedelta(microseconds=u)).astimezone(self._tz).utcoffset()
        assert delta is not None
        return delta // ONE_US

    def wall(self, u: int) -> int:
        """The wall-clock reading at instant ``u``."""
        return u + self.offset(u)

    def transitions(self, utc_year: int) -> tuple[tuple[int, int], ...]:
        """``(instant, new offset)`` of every offset change within a UTC year.

        Found by sampling once a day and bisecting to the second; a change
        reverted within a day would be missed (see ``_SAMPLE_STEP``: no zone
        has done so).
        """
        found = self._cache.get(utc_year)
        if found is not None:
            return found
        lo = to_us(datetime(utc_year, 1, 1, tzinfo=UTC))
        hi = to_us(datetime(utc_year + 1, 1, 1, tzinfo=UTC))
        result: list[tuple[int, int]] = []
        u = lo
        off = self.offset(u)
        while u < hi:
            u = self._same_offset_until(u, hi, off)
            nxt = min(u + _SAMPLE_STEP, hi)
            off_next = self.offset(nxt)
            if off_next != off:
                a, b = u // US, nxt // US  # offset(a) == off, offset(b) != off
                while b - a > 1:
                    mid = (a + b) // 2
                    if self.offset(mid * US) == off:
                        a = mid
                    else:
                        b = mid
                result.append((b * US, self.offset(b * US)))
                off = self.offset(b * US)
                if off != off_next:  # another change before ``nxt``: rescan from it
                    u = b * US
                    continue
            u, off = nxt, off_next
        found = tuple(result)
        with self._lock:
            self._cache[utc_year] = found
        return found

    def _same_offset_until(self, u: int, hi: int, off: int) -> int:
        """The last sample from ``u`` on (every ``_SAMPLE_STEP``) whose next one still has ``off``.

        The same samples :meth:`offset` would take, read on datetimes directly:
        this loop is most of the cost of a year without offset changes.
        """
        at = EPOCH + timedelta(microseconds=u)
        end = EPOCH + timedelta(microseconds=hi)
        step = timedelta(microseconds=_SAMPLE_STEP)
        expected = timedelta(microseconds=off)
        zone = self._tz
        moved = False
        while True:
            nxt = at + step
            if nxt >= end or nxt.astimezone(zone).utcoffset() != expected:
                return to_us(at) if moved else u
            at, moved = nxt, True

    def pieces(self, u0: int, u1: int) -> list[tuple[int, int, int]]:
        """Split ``[u0, u1)`` into ``(start, end, offset)`` pieces of constant offset."""
        if u0 >= u1:
            return []
        y0 = (EPOCH + timedelta(microseconds=u0)).year
        y1 = (EPOCH + timedelta(microseconds=u1)).year
        result: list[tuple[int, int, int]] = []
        start, off = u0, self.offset(u0)
        for year in range(y0, y1 + 1):
            for at, new_off in self.transitions(year):
                if u0 < at < u1:
                    result.append((start, at, off))
                    start, off = at, new_off
        result.append((start, u1, off))
        return result

    def first_at_or_after(self, wall: int, pieces: Sequence[tuple[int, int, int]]) -> int:
        """The first instant whose wall-clock reading is ``wall`` or later.

        A reading inside a gap gives the first instant after the gap; inside a
        fold, its first occurrence.  ``pieces`` must cover the answer.
        """
        for start, end, off in pieces:
            candidate = max(start, wall - off)
            if candidate < end:
                return candidate
        raise AssertionError("pieces do not cover the wall time")  # pragma: no cover
