"""The cumulative-time engine behind :class:`~aftersales.calendar.WorkCalendar`.

Every query is a couple of ``bisect`` calls over plain ``list[int]`` of
instants (µs since the epoch, see :mod:`aftersales.calendar.zone`):

* *block*: the working intervals of one local calendar year, as instants;
* *run*: a maximal stretch of consecutive years the calendar may answer about
  (covered by official data or declared complete);
* *table*: the loaded, contiguous part of one run, with cumulative working time.

Internal to :mod:`aftersales.calendar`; imports only :mod:`aftersales.errors`
and the zone module.

Example:
    >>> from datetime import timezone
    >>> office = ((9 * HOUR_US, 17 * HOUR_US),)
    >>> engine = Engine(ZoneOffsets(timezone.utc), lambda day: DayPlan(office), [(2026, 2026)],
    ...                 covered=None, work_years=None)
    >>> monday_9 = wall_of_day(date(2026, 3, 2)) + 9 * HOUR_US
    >>> (engine.add(monday_9, 10 * HOUR_US) - monday_9) // HOUR_US  # 8 h Monday, 2 h Tuesday
    26
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import date

import attrs

from aftersales.calendar.zone import (
    DAY_US,
    EPOCH_ORDINAL,
    HOUR_US,
    MAX_YEAR,
    MIN_YEAR,
    ZoneOffsets,
    day_of_wall,
    wall_of_day,
)
from aftersales.errors import CalendarCoverageError, SpanTooLongError

__all__ = ["Block", "DayPlan", "Engine", "Run", "Table", "build_block"]


@attrs.frozen
class DayPlan:
    """The working time of one local date, as wall-clock microseconds of the day.

    ``intervals``: working ``[start, end)`` pairs; ``off_reason``: why a day
    without intervals is off; ``removed``/``removed_reason``: the parts of
    the normal hours taken away by a partial day off.
    """

    intervals: tuple[tuple[int, int], ...]
    off_reason: str | None = None
    removed: tuple[tuple[int, int], ...] = ()
    removed_reason: str | None = None


@attrs.frozen
class Block:
    """The working intervals of one local year, as instants."""

    year: int
    lo: int
    hi: int
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    day_ordinals: tuple[int, ...]
    day_ends: tuple[int, ...]


def build_block(year: int, zone: ZoneOffsets, plan: Callable[[date], DayPlan]) -> Block:
    """Map every working interval of local ``year`` to instants (wall-time membership).

    An instant is working time when its wall-clock reading lies in a working
    interval of its local date: a gap removes the skipped readings, a fold
    counts a repeated reading twice.
    """
    w0 = wall_of_day(date(year, 1, 1))
    w1 = wall_of_day(date(year + 1, 1, 1))
    pieces = zone.pieces(w0 - 30 * HOUR_US, w1 + 30 * HOUR_US)
    lo = zone.first_at_or_after(w0, pieces)
    hi = zone.first_at_or_after(w1, pieces)
    spans: list[tuple[int, int]] = []
    day_ordinals: list[int] = []
    day_ends: list[int] = []
    single = len(pieces) == 1
    only_off = pieces[0][2]
    day = date(year, 1, 1)
    ordinal = day.toordinal()
    last = date(year, 12, 31).toordinal()
    while ordinal <= last:
        day = date.fromordinal(ordinal)
        intervals = plan(day).intervals
        if intervals:
            base = (ordinal - EPOCH_ORDINAL) * DAY_US
            day_end = None
            for s, e in intervals:
                ws, we = base + s, base + e
                if single:
                    a, b = max(ws - only_off, lo), min(we - only_off, hi)
                    if a < b:
                        spans.append((a, b))
                        day_end = b
                    continue
                for ps, pe, off in pieces:
                    a = max(ps, ws - off, lo)
                    b = min(pe, we - off, hi)
                    if a < b:
                        spans.append((a, b))
                        day_end = b if day_end is None else max(day_end, b)
            if day_end is not None:
                day_ordinals.append(ordinal)
                day_ends.append(day_end)
        ordinal += 1
    spans.sort()
    starts: list[int] = []
    ends: list[int] = []
    for a, b in spans:
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return Block(year, lo, hi, tuple(starts), tuple(ends), tuple(day_ordinals), tuple(day_ends))


class Table:
    """A loaded, contiguous span of years of one run: flat arrays for bisecting.

    ``S``/``E`` are interval starts/ends; ``A[i] = cumulative working time before
    S[i], minus S[i]``, so working time from the table's start to ``t`` is
    ``A[i] + min(t, E[i])`` with ``i = bisect_right(S, t) - 1``; ``CE[i]`` is
    the cumulative working time at ``E[i]``; ``CS[i]`` at ``S[i]``.  Index 0 is
    an empty sentinel interval at ``lo``.
    """

    __slots__ = (
        "A",
        "CE",
        "CS",
        "E",
        "S",
        "day_ends",
        "day_ordinals",
        "hi",
        "hi_year",
        "lo",
        "lo_year",
    )

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.lo_year = blocks[0].year
        self.hi_year = blocks[-1].year
        self.lo = blocks[0].lo
        self.hi = blocks[-1].hi
        S = [self.lo]
        E = [self.lo]
        day_ordinals: list[int] = []
        day_ends: list[int] = []
        for block in blocks:
            S.extend(block.starts)
            E.extend(block.ends)
            day_ordinals.extend(block.day_ordinals)
            day_ends.extend(block.day_ends)
        A: list[int] = []
        CS: list[int] = []
        CE: list[int] = []
        total = 0
        for s, e in zip(S, E, strict=True):
            A.append(total - s)
            CS.append(total)
            total += e - s
            CE.append(total)
        self.S, self.E, self.A, self.CS, self.CE = S, E, A, CS, CE
        self.day_ordinals, self.day_ends = day_ordinals, day_ends

    def cumulative(self, t: int) -> int:
        """Working time from ``lo`` to ``t`` (``lo <= t <= hi``)."""
        i = bisect_right(self.S, t) - 1
        e = self.E[i]
        return self.A[i] + (t if t < e else e)


@attrs.define
class Run:
    """A maximal stretch of usable years and its loaded table."""

    first_year: int
    last_year: int
    table: Table | None = None


class Engine:
    """Loads year blocks lazily and answers queries on instants (µs)."""

    def __init__(
        self,
        zone: ZoneOffsets,
        plan: Callable[[date], DayPlan],
        runs: Sequence[tuple[int, int]],
        covered: tuple[int, ...] | None,
        work_years: tuple[int, int] | None,
        year_totals: Callable[[int], tuple[int, int]] | None = None,
    ) -> None:
        self.zone = zone
        self.plan = plan
        self.runs = [Run(a, b) for a, b in runs]
        self.covered = covered
        self.work_years = work_years
        self.year_totals = year_totals
        self._blocks: dict[int, Block] = {}
        self._lock = threading.RLock()

    # -- years and runs -------------------------------------------------
    def year_of(self, u: int) -> int:
        """The local year of instant ``u``."""
        return day_of_wall(self.zone.wall(u)).year

    def _refuse(self, year: int) -> Exception:
        if year < MIN_YEAR or year > MAX_YEAR:
            limit = f"{MIN_YEAR}-01-01 – {MAX_YEAR}-12-31 (local time)"
            return SpanTooLongError(f"the year {year}", limit=limit)
        return CalendarCoverageError(year, covered=self.covered or ())

    def _run_holding(self, year: int) -> Run | None:
        for run in self.runs:
            if run.first_year <= year <= run.last_year:
                return run
        return None

    def run_of(self, year: int) -> Run:
        """The run holding ``year``, or raise the coverage/span error."""
        run = self._run_holding(year)
        if run is None:
            raise self._refuse(year)
        return run

    def block(self, year: int) -> Block:
        """The (cached) block of one usable year."""
        found = self._blocks.get(year)
        if found is None:
            found = build_block(year, self.zone, self.plan)
            self._blocks[year] = found
        return found

    def load(self, run: Run, lo_year: int, hi_year: int) -> Table:
        """Make ``run``'s table cover ``[lo_year, hi_year]`` (inside the run)."""
        table = run.table
        if table is not None and table.lo_year <= lo_year and hi_year <= table.hi_year:
            return table
        with self._lock:
            table = run.table
            if table is not None:
                lo_year = min(lo_year, table.lo_year)
                hi_year = max(hi_year, table.hi_year)
            if lo_year < run.first_year:
                raise self._refuse(run.first_year - 1)
            if hi_year > run.last_year:
                raise self._refuse(run.last_year + 1)
            table = Table([self.block(y) for y in range(lo_year, hi_year + 1)])
            run.table = table
            return table

    def table_for(self, *instants: int) -> tuple[Run, Table]:
        """A table whose span holds every instant (all in one run)."""
        years = [self.year_of(u) for u in instants]
        lo_y, hi_y = min(years), max(years)
        run = self.run_of(lo_y)
        if hi_y > run.last_year:
            raise self._refuse(run.last_year + 1)
        return run, self.load(run, lo_y, hi_y)

    def table_at(self, u: int) -> tuple[Run, Table]:
        """A table holding instant ``u``, fast when it is already loaded."""
        for run in self.runs:
            table = run.table
            if table is not None and table.lo <= u < table.hi:
                return run, table
        return self.table_for(u)

    def batch_table(self, *instants: int) -> tuple[Run, Table] | None:
        """A table spanning ``instants`` when one run holds them all, else ``None``."""
        years = [self.year_of(u) for u in instants]
        lo_year, hi_year = min(years), max(years)
        run = self._run_holding(lo_year)
        if run is None or hi_year > run.last_year:
            return None
        return run, self.load(run, lo_year, hi_year)

    def _last(self, run: Run, forward: bool) -> int:
        """The last year (``forward``) or the first one a table of ``run`` may grow to."""
        if forward:
            return (
                run.last_year if self.work_years is None else min(run.last_year, self.work_years[1])
            )
        return (
            run.first_year if self.work_years is None else max(run.first_year, self.work_years[0])
        )

    def _beyond(self, run: Run, forward: bool) -> Exception:
        """Why a table of ``run`` cannot grow past :meth:`_last`."""
        year = self._last(run, forward) + (1 if forward else -1)
        if forward and self.work_years is not None and year > self.work_years[1]:
            return SpanTooLongError(
                f"{year}-01-01 (no working time after {self.work_years[1]})",
                limit=f"{self.work_years[1]}-12-31",
            )
        if not forward and self.work_years is not None and year < self.work_years[0]:
            return SpanTooLongError(
                f"{year}-12-31 (no working time before {self.work_years[0]})",
                limit=f"{self.work_years[0]}-01-01",
            )
        return self._refuse(year)

    def _grow(self, run: Run, table: Table, forward: bool, step: int) -> Table:
        """Extend the table by ``step`` years in one direction, or explain why not."""
        last = self._last(run, forward)
        if forward:
            if table.hi_year >= last:
                raise self._beyond(run, forward)
            return self.load(run, table.lo_year, min(last, table.hi_year + step))
        if table.lo_year <= last:
            raise self._beyond(run, forward)
        return self.load(run, max(last, table.lo_year - step), table.hi_year)

    def _reachable(self, run: Run, table: Table, forward: bool, need: int, days: bool) -> None:
        """Refuse at once, having built nothing, when the years left hold less than ``need``.

        ``need`` is working µs (or working days, with ``days``) still to find
        after (``forward``) or before the table; the years the table may grow
        into are summed with :attr:`year_totals`, exactly, without their blocks.
        """
        if self.year_totals is None:
            return
        last = self._last(run, forward)
        years = (
            range(table.hi_year + 1, last + 1)
            if forward
            else range(table.lo_year - 1, last - 1, -1)
        )
        found = 0
        for year in years:
            found += self.year_totals(year)[1 if days else 0]
            if found >= need:
                return
        raise self._beyond(run, forward)

    # -- queries --------------------------------------------------------
    def working_time(self, a: int, b: int) -> int:
        """Working microseconds in ``[a, b)``; negative when ``b < a``."""
        if a == b:
            self.table_at(a)
            return 0
        lo, hi = (a, b) if a < b else (b, a)
        for run in self.runs:
            table = run.table
            if table is not None and table.lo <= lo and hi <= table.hi:
                return table.cumulative(b) - table.cumulative(a)
        _, table = self.table_for(lo, hi - 1)
        return table.cumulative(b) - table.cumulative(a)

    def add(self, t: int, d: int) -> int:
        """The earliest (``d > 0``) or latest (``d < 0``) instant ``d`` working µs away."""
        run, table = self.table_at(t)
        if d == 0:
            return t
        step = 1
        checked = False
        if d > 0:
            while True:
                target = table.cumulative(t) + d
                if target <= table.CE[-1]:
                    j = bisect_left(table.CE, target)
                    return target - table.A[j]
                if not checked:
                    self._reachable(run, table, True, target - table.CE[-1], days=False)
                    checked = True
                table = self._grow(run, table, True, step)
                step *= 2
        while True:
            target = table.cumulative(t) + d
            if target >= 0:
                j = bisect_right(table.CS, target) - 1
                return target - table.A[j]
            if not checked:
                self._reachable(run, table, False, -target, days=False)
                checked = True
            table = self._grow(run, table, False, step)
            step *= 2

    def is_working(self, t: int) -> bool:
        """Whether ``t`` lies in a working interval."""
        _, table = self.table_at(t)
        i = bisect_right(table.S, t) - 1
        return t < table.E[i]

    def next_working(self, t: int) -> int:
        """``t`` if working, else the start of the next working interval."""
        run, table = self.table_at(t)
        step = 1
        while True:
            i = bisect_right(table.S, t) - 1
            if t < table.E[i]:
                return t
            if i + 1 < len(table.S):
                return table.S[i + 1]
            if step == 1:
                self._reachable(run, table, True, 1, days=False)
            table = self._grow(run, table, True, step)
            step *= 2

    def intervals(self, a: int, b: int) -> list[tuple[int, int]]:
        """The working intervals clipped to ``[a, b)`` (``a < b``)."""
        _, table = self.table_for(a, b - 1)
        S, E = table.S, table.E
        i = max(bisect_right(S, a) - 1, 1)
        result: list[tuple[int, int]] = []
        while i < len(S) and S[i] < b:
            s, e = max(S[i], a), min(E[i], b)
            if s < e:
                result.append((s, e))
            i += 1
        return result

    def working_day_end(self, day: date, n: int) -> int:
        """End of the ``n``-th working day after ``day`` (``n == 0``: first on/after)."""
        run = self.run_of(day.year)
        table = self.load(run, day.year, day.year)
        ordinal = day.toordinal()
        step = 1
        while True:
            ords = table.day_ordinals
            k = bisect_left(ords, ordinal) if n == 0 else bisect_right(ords, ordinal) + n - 1
            if k < len(ords):
                return table.day_ends[k]
            if step == 1:
                self._reachable(run, table, True, k - len(ords) + 1, days=True)
            table = self._grow(run, table, True, step)
            step *= 2

    def working_day(self, day: date) -> bool:
        """Whether ``day`` has working time (after DST mapping)."""
        self.run_of(day.year)
        ords = self.block(day.year).day_ordinals
        k = bisect_left(ords, day.toordinal())
        return k < len(ords) and ords[k] == day.toordinal()

    # -- batch queries --------------------------------------------------
    def add_many(self, starts: Sequence[int], durations: Sequence[int]) -> list[int]:
        """:meth:`add` over parallel lists (checked, of equal length), fast inside one table."""
        if not starts:
            return []
        spanned = self.batch_table(min(starts), max(starts))
        if spanned is None:  # across years it cannot answer about: one query at a time
            return [self.add(s, d) for s, d in zip(starts, durations, strict=True)]
        run, table = spanned
        out: list[int] = []
        append = out.append
        S, E, A, CE = table.S, table.E, table.A, table.CE
        lo, hi, total = table.lo, table.hi, table.CE[-1]
        br, bl = bisect_right, bisect_left
        for s, d in zip(starts, durations, strict=True):
            if lo <= s < hi and d > 0:
                i = br(S, s) - 1
                e = E[i]
                target = A[i] + (s if s < e else e) + d
                if target <= total:
                    append(target - A[bl(CE, target)])
                    continue
            append(self.add(s, d))
            if run.table is not None and run.table is not table:
                table = run.table
                S, E, A, CE = table.S, table.E, table.A, table.CE
                lo, hi, total = table.lo, table.hi, table.CE[-1]
        return out

    def working_time_many(self, starts: Sequence[int], ends: Sequence[int]) -> list[int]:
        """:meth:`working_time` over parallel lists (checked, of equal length), fast inside one table."""
        if not starts:
            return []
        spanned = self.batch_table(min(starts), max(starts), min(ends), max(ends))
        if spanned is None:  # across years it cannot answer about: one query at a time
            return [self.working_time(a, b) for a, b in zip(starts, ends, strict=True)]
        run, table = spanned
        out: list[int] = []
        append = out.append
        S, E, A = table.S, table.E, table.A
        lo, hi = table.lo, table.hi
        br = bisect_right
        for a, b in zip(starts, ends, strict=True):
            if lo <= a < hi and lo <= b < hi:
                i = br(S, a) - 1
                e = E[i]
                fa = A[i] + (a if a < e else e)
                j = br(S, b) - 1
                e = E[j]
                append(A[j] + (b if b < e else e) - fa)
                continue
            append(self.working_time(a, b))
            if run.table is not None and run.table is not table:
                table = run.table
                S, E, A = table.S, table.E, table.A
                lo, hi = table.lo, table.hi
        return out
