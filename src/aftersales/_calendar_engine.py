"""Private engine behind :class:`aftersales.calendar.WorkCalendar`.

Everything here works on integer microseconds since the Unix epoch (UTC), so
that a query is a couple of ``bisect`` calls over plain ``list[int]``.

Vocabulary:

* *instant* ``u``: microseconds since 1970-01-01T00:00Z;
* *wall* ``w``: the local wall-clock reading in the calendar's zone, written as
  microseconds since 1970-01-01T00:00 *as if it were UTC* (``w = u + offset(u)``);
* *block*: the working intervals of one local calendar year, as instants;
* *run*: a maximal stretch of consecutive years the calendar may answer about
  (covered by official data or declared complete);
* *table*: the loaded, contiguous part of one run, with cumulative working time.

Example:
    >>> from datetime import timezone
    >>> zone = ZoneOffsets(timezone.utc)
    >>> zone.offset(0)
    0
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo

import attrs

from aftersales.errors import CalendarCoverageError, SpanTooLongError

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

    def run_of(self, year: int) -> Run:
        """The run holding ``year``, or raise the coverage/span error."""
        for run in self.runs:
            if run.first_year <= year <= run.last_year:
                return run
        raise self._refuse(year)

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
