"""Time in sub-statuses ("how long do we wait for parts?"): a mergeable accumulator and its figure.

For the period's tickets (the cohort, cancelled ones left out), per
sub-status: how many tickets entered it, how many were in it still at the
instant the figures are read, and the time each ticket spent in it over its
stays that ended, in working time (the KPIs' calendar) and calendar time:
total, mean, median and p90 per ticket. A stay still going on counts in
``waiting``; its time counts once it ends. :class:`SubstatusWaits` adds
tickets' :attr:`~aftersales.kpi.TicketFacts.substatuses` rows, merges with
another partition and gives one :class:`SubstatusTime` per sub-status.

Example:
    >>> waits = SubstatusWaits()
    >>> waits.add((("waiting_parts", 1, 3_600_000_000, 7_200_000_000, False),))
    >>> waits.add((("waiting_parts", 0, 0, 0, True),))
    >>> figure = waits.result()[0]
    >>> figure.entered, figure.waiting, figure.working.median, figure.calendar_total
    (2, 1, datetime.timedelta(seconds=3600), datetime.timedelta(seconds=7200))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta

import attrs

from aftersales.kpi.accumulators import Durations, DurationStats

__all__ = ["SubstatusTime", "SubstatusWaits"]


@attrs.frozen(slots=True)
class SubstatusTime:
    """Time the period's tickets spent in one sub-status.

    ``entered`` counts the tickets that were in it; ``waiting`` those of them
    still in it at the figures' instant; ``working`` and ``calendar`` are the
    statistics, per ticket, of the time of its stays that ended (``count``:
    the tickets with one), and ``working_total``/``calendar_total`` their sums.

    Example:
        >>> two_hours = timedelta(hours=2)
        >>> SubstatusTime("waiting_parts", 1, 0, DurationStats.of([two_hours]),
        ...               DurationStats.of([two_hours]), two_hours, two_hours).working.median
        datetime.timedelta(seconds=7200)
    """

    substatus: str
    entered: int
    waiting: int
    working: DurationStats
    calendar: DurationStats
    working_total: timedelta
    calendar_total: timedelta


class SubstatusWaits:
    """Per sub-status: tickets that entered it, tickets still in it, the time of their ended stays.

    ``add(rows)`` takes one ticket's ``TicketFacts.substatuses``; ``merge`` and
    ``result`` as every accumulator of :mod:`aftersales.kpi.accumulators`.

    Example:
        >>> a, b = SubstatusWaits(), SubstatusWaits()
        >>> a.add((("waiting_parts", 1, 60_000_000, 60_000_000, False),))
        >>> b.add((("waiting_manufacturer", 0, 0, 0, True),))
        >>> [(f.substatus, f.entered) for f in a.merge(b).result()]
        [('waiting_manufacturer', 1), ('waiting_parts', 1)]
    """

    __slots__ = ("calendar", "entered", "waiting", "working")

    def __init__(self) -> None:
        self.entered: dict[str, int] = {}
        self.waiting: dict[str, int] = {}
        self.working: dict[str, Durations] = {}
        self.calendar: dict[str, Durations] = {}

    def add(self, rows: Iterable[tuple[str, int, int, int, bool]]) -> None:
        """Add one ticket: ``(code, stays ended, working µs, calendar µs, in it still)`` per sub-status."""
        for code, ended, working, calendar, waiting in rows:
            self.entered[code] = self.entered.get(code, 0) + 1
            if waiting:
                self.waiting[code] = self.waiting.get(code, 0) + 1
            if ended:
                self.working.setdefault(code, Durations()).add(working)
                self.calendar.setdefault(code, Durations()).add(calendar)

    def absorb(self, summary: Mapping[str, tuple[int, int, Sequence[int], Sequence[int]]]) -> None:
        """Add counters a store aggregated: ``code → (entered, waiting, working µs, calendar µs)``."""
        for code, (entered, waiting, working, calendar) in summary.items():
            self.entered[code] = self.entered.get(code, 0) + entered
            if waiting:
                self.waiting[code] = self.waiting.get(code, 0) + waiting
            if working:
                self.working.setdefault(code, Durations()).values.extend(working)
                self.calendar.setdefault(code, Durations()).values.extend(calendar)

    def summary(self) -> dict[str, tuple[int, int, list[int], list[int]]]:
        """The counters as :meth:`absorb` takes them.

        Example:
            >>> waits = SubstatusWaits()
            >>> waits.add((("waiting_parts", 1, 5, 9, True),))
            >>> waits.summary()
            {'waiting_parts': (1, 1, [5], [9])}
        """
        return {
            code: (
                entered,
                self.waiting.get(code, 0),
                list(self.working[code].values) if code in self.working else [],
                list(self.calendar[code].values) if code in self.calendar else [],
            )
            for code, entered in self.entered.items()
        }

    def merge(self, other: SubstatusWaits) -> SubstatusWaits:
        """A new accumulator holding both operands' tickets."""
        merged = SubstatusWaits()
        merged.absorb(self.summary())
        merged.absorb(other.summary())
        return merged

    def result(self) -> tuple[SubstatusTime, ...]:
        """One :class:`SubstatusTime` per sub-status entered, by code."""
        empty = Durations()
        figures = []
        for code in sorted(self.entered):
            working = self.working.get(code, empty)
            calendar = self.calendar.get(code, empty)
            figures.append(
                SubstatusTime(
                    code,
                    self.entered[code],
                    self.waiting.get(code, 0),
                    working.result(),
                    calendar.result(),
                    timedelta(microseconds=sum(working.values)),
                    timedelta(microseconds=sum(calendar.values)),
                )
            )
        return tuple(figures)
