"""The clock engine: SLA clock cycles rebuilt from a ticket's history, to the microsecond.

A :class:`MetricClock` is one metric compiled against its calendar. It reads
the ticket's events in order: a start trigger opens a cycle, statuses in
``pause_in`` pause it, a stop or void trigger (or cancellation) ends it, a
resume trigger brings it back per the metric's reopen policy. Each cycle's
running and paused stretches are then measured in working time, against the
target, into a :class:`~aftersales.sla.MetricResult`. Nothing is stored as a
counter, so the same history always gives the same results.

Imports the metrics, targets, triggers and results, the calendar and the
domain model; the policy uses it.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla.metrics import default_metrics
    >>> from aftersales.testing.samples import sample_ticket
    >>> ticket = sample_ticket()
    >>> clock = MetricClock(default_metrics()[0], WorkCalendar.china())
    >>> [(r.metric, r.state.value) for r in clock.evaluate(ticket, ticket.updated_at)]
    [('first_response', 'met')]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from aftersales import _checks as check
from aftersales._renamed import renamed_keywords
from aftersales.calendar import WorkCalendar
from aftersales.calendar.zone import day_of_wall
from aftersales.model.events import TicketEvent
from aftersales.model.substatus import substatus_path
from aftersales.model.ticket import Ticket
from aftersales.sla.metrics import ReopenPolicy, SlaMetric
from aftersales.sla.results import MetricResult, SlaState
from aftersales.sla.targets import CalendarTime, Target, WorkingDays
from aftersales.sla.triggers import Trigger
from aftersales.time import utc_us
from aftersales.vocab import TicketStatus

__all__ = ["MetricClock", "evaluate_clocks"]


@renamed_keywords(now="at")
def evaluate_clocks(
    clocks: Iterable[MetricClock],
    ticket: Ticket,
    at: datetime,
    *,
    calendars: Mapping[str, Sequence[tuple[int, WorkCalendar]]] | None = None,
) -> list[MetricResult]:
    """Every cycle of every clock that measures ``ticket``, at ``at``, in the clocks' order.

    The ticket's events are indexed once for all clocks; a clock whose start
    never happened is skipped without reading them. ``calendars`` gives, per
    metric name, from which instant (µs since the epoch) which calendar
    measures the clock's stretches (a ticket that changed SLA policy); the
    target is always the clock's own, on its own calendar.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla.metrics import default_metrics
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> clocks = [MetricClock(m, WorkCalendar.china()) for m in default_metrics()]
        >>> [r.metric for r in evaluate_clocks(clocks, ticket, ticket.updated_at)]
        ['first_response', 'resolution', 'return_visit', 'onsite_within']
    """
    at = check.aware(at, "at")
    check.instance_of(Ticket)(ticket, "ticket")
    timeline = _Timeline(ticket)
    horizon = _horizon(ticket, at)
    positions = timeline.positions
    results: list[MetricResult] = []
    for clock in clocks:
        # A clock whose start never happened has no cycle: skip it cheaply.
        if clock.start_commands.isdisjoint(positions) or not clock.metric.applies_to(ticket):
            continue
        path = None if calendars is None else calendars.get(clock.metric.name)
        results.extend(clock._evaluate(ticket, horizon, timeline, path))
    return results


class _Timeline:
    """A ticket's events with the status after each, their instants in µs, and an index."""

    __slots__ = ("_substatuses", "entries", "positions", "ticket")

    def __init__(self, ticket: Ticket) -> None:
        self.ticket = ticket
        self._substatuses: tuple[str | None, ...] | None = None
        history = ticket.history
        entries = list(zip(history, ticket.statuses, [e.at_us for e in history], strict=True))
        positions: dict[str, list[int]] = {}
        for index, event in enumerate(ticket.history):
            known = positions.get(event.command)
            if known is None:
                positions[event.command] = [index]
            else:
                known.append(index)
        self.entries = entries
        self.positions = positions

    def substatuses(self) -> tuple[str | None, ...]:
        """The sub-status after each event (worked out once, for the clocks that need it)."""
        if self._substatuses is None:
            self._substatuses = substatus_path(self.ticket)
        return self._substatuses

    def select(
        self, commands: frozenset[str] | None
    ) -> list[tuple[TicketEvent, TicketStatus, int]]:
        """Every entry, or only those recording one of ``commands``, in order."""
        if commands is None:
            return self.entries
        positions = self.positions
        picked = [i for command in commands if command in positions for i in positions[command]]
        picked.sort()
        entries = self.entries
        return [entries[i] for i in picked]


class _Cycle:
    __slots__ = (
        "cancelled",
        "counts",
        "first_stop",
        "intervals",
        "paused_since",
        "running_since",
        "start",
        "stop",
        "void_reason",
    )

    def __init__(self, start: int, paused: bool) -> None:
        self.start = start
        self.stop: int | None = None
        self.first_stop: int | None = None
        self.cancelled = False
        #: ``None`` unless a void trigger ended the cycle: then its label.
        self.void_reason: str | None = None
        self.counts = True
        self.intervals: list[tuple[int, int, str]] = []
        self.running_since: int | None = None if paused else start
        self.paused_since: int | None = start if paused else None

    def close(self, at: int) -> None:
        if self.running_since is not None:
            self.intervals.append((self.running_since, at, "running"))
            self.running_since = None
        if self.paused_since is not None:
            self.intervals.append((self.paused_since, at, "paused"))
            self.paused_since = None


class MetricClock:
    """One metric compiled against its calendar (the policy's or its own).

    ``SlaPolicy(...)[name]`` gives a policy's clock of that metric.
    ``paused_substatuses`` are the codes of the sub-statuses in which it does
    not run (the policy's sub-statuses that pause it).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla.metrics import default_metrics
        >>> clock = MetricClock(default_metrics()[1], WorkCalendar.china())
        >>> clock.metric.name, sorted(clock.start_commands)
        ('resolution', ['open_ticket'])
    """

    def __init__(
        self,
        metric: SlaMetric,
        calendar: WorkCalendar,
        paused_substatuses: frozenset[str] = frozenset(),
    ) -> None:
        self.metric = metric
        self.calendar = calendar
        self.always = WorkCalendar.always(calendar.tz)
        self._starts = _by_command(metric.starts)
        self._stops = _by_command(metric.stops)
        self._restarts = _by_command(metric.restarts)
        self._resumes = _by_command(metric.resumes)
        self._voids = _by_command(metric.void)
        every = (*metric.starts, *metric.stops, *metric.restarts, *metric.resumes, *metric.void)
        #: The ``unless`` triggers of every trigger, by command: events to remember.
        self._watched = _by_command(tuple(u for t in every for u in t.unless))
        #: The commands that can start a cycle of this clock.
        self.start_commands = frozenset(self._starts)
        self._pause_in = metric.pause_in
        #: The sub-statuses in which the clock does not run.
        self.paused_substatuses = frozenset(paused_substatuses)
        self._threshold_cache: dict[int, tuple[int, ...]] = {}
        self._offsets: dict[int, tuple[int, int]] = {}
        self._day_ends: dict[tuple[date, int], int] = {}
        # Without pauses, only the trigger commands and cancellation can move the clock.
        self._relevant: frozenset[str] | None = (
            None
            if metric.pause_in or self.paused_substatuses
            else frozenset(
                {
                    *self._starts,
                    *self._stops,
                    *self._restarts,
                    *self._resumes,
                    *self._voids,
                    *self._watched,
                    "cancel",
                }
            )
        )

    @renamed_keywords(now="at")
    def evaluate(self, ticket: Ticket, at: datetime) -> list[MetricResult]:
        """Every cycle of this metric on ``ticket`` at ``at``, oldest first.

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.sla.metrics import default_metrics
            >>> from aftersales.testing.samples import sample_ticket
            >>> ticket = sample_ticket()
            >>> clock = MetricClock(default_metrics()[1], WorkCalendar.china())
            >>> [result.first for result in clock.evaluate(ticket, ticket.updated_at)]
            [True]

        A ticket the metric does not measure (its priority has no target, or
        its category does not fit) has no cycles.
        """
        at = check.aware(at, "at")
        check.instance_of(Ticket)(ticket, "ticket")
        if not self.metric.applies_to(ticket):
            return []
        return self._evaluate(ticket, _horizon(ticket, at), _Timeline(ticket))

    def _evaluate(
        self,
        ticket: Ticket,
        horizon: int,
        timeline: _Timeline,
        calendar_path: Sequence[tuple[int, WorkCalendar]] | None = None,
    ) -> list[MetricResult]:
        substatuses = timeline.substatuses() if self.paused_substatuses else None
        cycles = self._cycles(timeline.select(self._relevant), substatuses)
        if not cycles:
            return []
        target = self.metric.target_of(ticket)
        assert target is not None  # the metric applies to the ticket
        return [
            self._result(index, cycle, target, horizon, calendar_path)
            for index, cycle in enumerate(cycles)
        ]

    def _cycles(
        self,
        timeline: list[tuple[TicketEvent, TicketStatus, int]],
        substatuses: tuple[str | None, ...] | None = None,
    ) -> list[_Cycle]:
        """The cycles of the clock over ``timeline``.

        ``substatuses`` (the sub-status after each entry, given only when some
        sub-status pauses the clock) requires the whole timeline.
        """
        starts, stops, resumes, voids = self._starts, self._stops, self._resumes, self._voids
        restarts = self._restarts
        pause_in, reopen, watched = self._pause_in, self.metric.reopen, self._watched
        paused_substatuses = self.paused_substatuses
        pauses = bool(pause_in or paused_substatuses)
        cycles: list[_Cycle] = []
        current: _Cycle | None = None
        # ids of the ``unless`` triggers matched since the last start, stop or resume
        seen: set[int] = set()
        for index, (event, status, at) in enumerate(timeline):
            command = event.command
            paused = status in pause_in or (
                substatuses is not None and substatuses[index] in paused_substatuses
            )
            if current is not None and current.stop is None:
                if command in stops and _fires(stops[command], event, seen):
                    current.close(at)
                    current.stop = at
                    if current.first_stop is None:
                        current.first_stop = at
                    seen.clear()
                    continue
                if command in voids:
                    trigger = _fires(voids[command], event, seen)
                    if trigger is not None:
                        current.close(at)
                        current.stop = at
                        current.void_reason = trigger.label or trigger.command
                        seen.clear()
                        continue
                if status is TicketStatus.CANCELLED:
                    current.close(at)
                    current.stop = at
                    current.cancelled = True
                    continue
                if command in restarts and _fires(restarts[command], event, seen):
                    current.close(at)
                    current.stop = current.first_stop = at
                    seen.clear()
                    current = _Cycle(at, paused)
                    cycles.append(current)
                    continue
                if command in watched:
                    _remember(watched[command], event, seen)
            elif (
                current is not None and command in resumes and _fires(resumes[command], event, seen)
            ):
                seen.clear()
                if reopen is not ReopenPolicy.CONTINUE:
                    current = _Cycle(at, paused)
                    cycles.append(current)
                    continue
                current.stop = None
                current.void_reason = None
                current.running_since = at
            elif command in starts and _fires(starts[command], event, seen):
                seen.clear()
                current = _Cycle(at, paused)
                cycles.append(current)
                continue
            elif command in watched:
                _remember(watched[command], event, seen)
            if current is None or current.stop is not None or not pauses:
                continue
            if paused:
                if current.running_since is not None:
                    current.intervals.append((current.running_since, at, "running"))
                    current.running_since, current.paused_since = None, at
            elif current.paused_since is not None:
                current.intervals.append((current.paused_since, at, "paused"))
                current.paused_since, current.running_since = None, at
        if reopen is ReopenPolicy.RESTART:
            for cycle in cycles[1:-1]:
                cycle.counts = False
        return cycles

    def _result(
        self,
        index: int,
        cycle: _Cycle,
        target: Target,
        horizon: int,
        calendar_path: Sequence[tuple[int, WorkCalendar]] | None = None,
    ) -> MetricResult:
        calendar = self.always if isinstance(target, CalendarTime) else self.calendar
        engine = calendar._engine
        measure = (
            engine.working_time
            if calendar_path is None or calendar is self.always or len(calendar_path) < 2
            else _piecewise(calendar_path)
        )
        spans = cycle.intervals
        if cycle.stop is None:
            spans = list(spans)
            if cycle.running_since is not None:
                spans.append((cycle.running_since, max(horizon, cycle.running_since), "running"))
            elif cycle.paused_since is not None:
                spans.append((cycle.paused_since, max(horizon, cycle.paused_since), "paused"))
        budget = self._budget(target, cycle.start, calendar)
        elapsed = paused = 0
        first_elapsed = None if cycle.first_stop is None else 0
        measured = []
        for a, b, kind in spans:
            worked = measure(a, b) if b > a else 0
            measured.append((a, b, kind, worked))
            if kind == "running":
                elapsed += worked
                if first_elapsed is not None and b <= cycle.first_stop:  # type: ignore[operator]
                    first_elapsed += worked
            else:
                paused += worked
        thresholds = self._thresholds(budget)
        level = 0
        for threshold in thresholds:
            if elapsed >= threshold:
                level += 1
        anchor = cycle.stop if cycle.stop is not None else max(horizon, cycle.start)
        if cycle.cancelled:
            state = SlaState.CANCELLED
        elif cycle.void_reason is not None:
            state = SlaState.NOT_APPLICABLE
        elif elapsed > budget:
            state = SlaState.BREACHED
        elif cycle.stop is not None:
            state = SlaState.MET
        elif cycle.paused_since is not None:
            state = SlaState.PAUSED
        else:
            state = SlaState.RUNNING
        return MetricResult(
            self.metric.name,
            index,
            state,
            target,
            level,
            cycle.counts,
            budget,
            elapsed,
            paused,
            cycle.start,
            cycle.stop,
            cycle.first_stop,
            first_elapsed,
            anchor,
            thresholds,
            tuple(measured),
            calendar,
            cycle.void_reason or "",
        )

    def _budget(self, target: Target, start: int, calendar: WorkCalendar) -> int:
        if isinstance(target, WorkingDays):
            end = self._day_end(calendar, start, target.days)
            return int(calendar._engine.working_time(start, end))
        return target.duration // _ONE_US

    def _day_end(self, calendar: WorkCalendar, start: int, days: int) -> int:
        """End of the working hours of the ``days``-th working day after ``start``'s local date.

        Cached per UTC day and count: the zone's offset is read at both ends of the
        UTC day, and only a day with a transition inside is worked out instant by instant.
        """
        utc_day = start // _DAY_US
        offsets = self._offsets.get(utc_day)
        if offsets is None:
            zone = calendar._zone
            offsets = (zone.offset(utc_day * _DAY_US), zone.offset((utc_day + 1) * _DAY_US - 1))
            self._offsets[utc_day] = offsets
        first, last = offsets
        offset = first if first == last else calendar._zone.offset(start)
        key = (day_of_wall(start + offset), days)
        end = self._day_ends.get(key)
        if end is None:
            end = int(calendar._engine.working_day_end(key[0], days))
            if len(self._day_ends) < 100_000:
                self._day_ends[key] = end
        return end

    def _thresholds(self, budget: int) -> tuple[int, ...]:
        known = self._threshold_cache.get(budget)
        if known is not None:
            return known
        levels = []
        for level in self.metric.warn_at:
            if isinstance(level, timedelta):
                levels.append(max(0, budget - level // _ONE_US))
            else:
                levels.append(int(budget * level))
        found = tuple(sorted(levels))
        if len(self._threshold_cache) < 1024:
            self._threshold_cache[budget] = found
        return found


def _piecewise(path: Sequence[tuple[int, WorkCalendar]]) -> Callable[[int, int], int]:
    """Working time between two instants, each stretch on the calendar in force then."""
    switches = [start for start, _ in path]
    engines = [calendar._engine for _, calendar in path]

    def measure(a: int, b: int) -> int:
        total = 0
        index = max(0, bisect_right(switches, a) - 1)
        while True:
            last = index + 1 >= len(switches)
            end = b if last else min(b, switches[index + 1])
            if end > a:
                total += int(engines[index].working_time(a, end))
                a = end
            if last or a >= b:
                return total
            index += 1

    return measure


def _horizon(ticket: Ticket, at: datetime) -> int:
    """The instant clocks are read at: ``at``, or the close of a closed ticket."""
    horizon = utc_us(at)
    if not ticket.is_open:
        terminal = ticket.closed_at or ticket.cancelled_at
        if terminal is not None:
            horizon = min(horizon, utc_us(terminal))
    return horizon


def _by_command(triggers: tuple[Trigger, ...]) -> dict[str, tuple[Trigger, ...]]:
    table: dict[str, list[Trigger]] = {}
    for trigger in triggers:
        table.setdefault(trigger.command, []).append(trigger)
    return {command: tuple(found) for command, found in table.items()}


def _fires(triggers: tuple[Trigger, ...], event: TicketEvent, seen: set[int]) -> Trigger | None:
    """The first of ``triggers`` that fires on ``event``, given the ``unless`` triggers ``seen``."""
    for trigger in triggers:
        if (trigger.when is None or trigger.when(event)) and not any(
            id(u) in seen for u in trigger.unless
        ):
            return trigger
    return None


def _remember(watched: tuple[Trigger, ...], event: TicketEvent, seen: set[int]) -> None:
    """Note which ``unless`` triggers ``event`` matches (it is no boundary of the clock)."""
    seen.update(id(trigger) for trigger in watched if trigger.when is None or trigger.when(event))


_ONE_US = timedelta(microseconds=1)
_DAY_US = 86_400_000_000
