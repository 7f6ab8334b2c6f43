"""How much working time, and how many working days, a local year holds — without building it.

The engine builds a year's block (every working interval as instants) only
when a query needs it. Before it grows a table year by year towards the end
of what it can compute, it asks these totals whether the years left can hold
what the query needs at all: a span past the end is refused at once, having
built nothing (``add(start, timedelta(days=36500))`` on office hours used to
build every year up to 2399 first).

A year's total is exact, and equal to the total of its block:

* a day whose plan is the weekly template and which is far from any change of
  the zone's offset contributes its template's wall-clock working time, so
  those days are counted by weekday, in O(1);
* a date with its own plan (a holiday, a 调休 working day, special hours, an
  official day) contributes its own plan's wall-clock time;
* a day near an offset change (a DST gap or fold) or at either end of a year
  that has one is mapped to instants exactly as the block maps it.

Internal to :mod:`aftersales.calendar`; imports only its zone and engine modules.

Example:
    >>> from datetime import timezone
    >>> from aftersales.calendar.engine import DayPlan
    >>> from aftersales.calendar.zone import HOUR_US, ZoneOffsets
    >>> office = ((9 * HOUR_US, 17 * HOUR_US),)
    >>> week = (office,) * 5 + ((), ())
    >>> years = YearTotals(ZoneOffsets(timezone.utc), lambda d: DayPlan(week[d.weekday()]),
    ...                    week, lambda year: ())
    >>> total, days = years.of(2026)
    >>> total // HOUR_US, days
    (2088, 261)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date
from itertools import pairwise

from aftersales.calendar.engine import DayPlan
from aftersales.calendar.zone import DAY_US, EPOCH_ORDINAL, HOUR_US, ZoneOffsets, wall_of_day

__all__ = ["YearTotals"]

Intervals = tuple[tuple[int, int], ...]


class YearTotals:
    """Working µs and working days of each local year, computed on demand and cached.

    Args:
        zone: the calendar's offsets.
        plan: the day rule (the same the blocks are built from).
        week: the weekly template, Mon … Sun: the plan of every date not
            listed by ``exceptions``.
        exceptions: the dates of a year whose plan may differ from the template.
    """

    def __init__(
        self,
        zone: ZoneOffsets,
        plan: Callable[[date], DayPlan],
        week: tuple[Intervals, ...],
        exceptions: Callable[[int], Iterable[date]],
    ) -> None:
        self.zone = zone
        self.plan = plan
        self.week = week
        self.exceptions = exceptions
        self._week_us = tuple(sum(e - s for s, e in day) for day in week)
        self._cache: dict[int, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def of(self, year: int) -> tuple[int, int]:
        """``(working µs, working days)`` of local ``year``."""
        found = self._cache.get(year)
        if found is None:
            found = self._count(year)
            with self._lock:
                self._cache[year] = found
        return found

    def _count(self, year: int) -> tuple[int, int]:
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        days = last - first + 1
        per_weekday = [days // 7] * 7
        for k in range(days % 7):
            per_weekday[(date(year, 1, 1).weekday() + k) % 7] += 1
        total = sum(n * us for n, us in zip(per_weekday, self._week_us, strict=True))
        working = sum(n for n, us in zip(per_weekday, self._week_us, strict=True) if us)
        w0 = wall_of_day(date(year, 1, 1))
        w1 = wall_of_day(date(year + 1, 1, 1))
        pieces = self.zone.pieces(w0 - 30 * HOUR_US, w1 + 30 * HOUR_US)
        near_change = _near_changes(pieces, first, last)
        own = {d.toordinal() for d in self.exceptions(year) if d.year == year}
        if not near_change and not own:
            return total, working
        lo = self.zone.first_at_or_after(w0, pieces)
        hi = self.zone.first_at_or_after(w1, pieces)
        for ordinal in near_change | own:
            day = date.fromordinal(ordinal)
            template = self._week_us[day.weekday()]
            total -= template
            working -= 1 if template else 0
            intervals = self.plan(day).intervals
            if ordinal in near_change:
                mapped = _mapped(ordinal, intervals, pieces, lo, hi)
            else:
                mapped = sum(e - s for s, e in intervals)
            total += mapped
            working += 1 if mapped else 0
        return total, working


def _near_changes(pieces: list[tuple[int, int, int]], first: int, last: int) -> set[int]:
    """Ordinals of the days of ``[first, last]`` next to an offset change, and the year's ends.

    An offset change at instant ``t`` from ``o1`` to ``o2`` skips or repeats the
    wall-clock readings between ``t + o1`` and ``t + o2``; the days holding
    them, and one more on each side, are mapped exactly.
    """
    if len(pieces) == 1:
        return set()
    near = {first, first + 1, last - 1, last}
    for (_, change, before), (_, _, after) in pairwise(pieces):
        a, b = sorted((change + before, change + after))
        near.update(range(EPOCH_ORDINAL + a // DAY_US - 1, EPOCH_ORDINAL + b // DAY_US + 2))
    return {ordinal for ordinal in near if first <= ordinal <= last}


def _mapped(
    ordinal: int, intervals: Intervals, pieces: list[tuple[int, int, int]], lo: int, hi: int
) -> int:
    """Working µs of one day's intervals mapped to instants, as ``build_block`` maps them."""
    base = (ordinal - EPOCH_ORDINAL) * DAY_US
    total = 0
    for s, e in intervals:
        for ps, pe, off in pieces:
            a = max(ps, base + s - off, lo)
            b = min(pe, base + e - off, hi)
            if a < b:
                total += b - a
    return total
