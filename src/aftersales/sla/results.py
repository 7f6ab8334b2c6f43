"""SLA results: where one clock cycle stands at an instant, and how its due time was reached.

A :class:`MetricResult` is one cycle of one metric, evaluated: its state
(:class:`SlaState`), the working time it has used and has left, its due time,
the warning levels crossed and its running and paused stretches
(:class:`Interval`); :meth:`MetricResult.explain` tells, stretch by stretch,
which hours counted and which were skipped.

Imports the targets, the calendar and the vocabulary; never the clocks that
build results.

Example:
    >>> SlaState.PAUSED.label_zh
    '已暂停'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import attrs
import pendulum

from aftersales.calendar import WorkCalendar
from aftersales.sla.targets import Target
from aftersales.vocab import _Labelled

__all__ = ["Interval", "MetricResult", "SlaState"]


class SlaState(_Labelled):
    """Where one SLA clock stands.

    ``cancelled``: the ticket was cancelled while the clock ran;
    ``not_applicable``: the metric stopped applying to the ticket while the
    clock ran (see ``SlaMetric.void``). Neither counts as met or breached.

    Example:
        >>> SlaState.BREACHED.label_zh
        '已超时'
        >>> SlaState.NOT_APPLICABLE.label_zh, SlaState.NOT_APPLICABLE.label("en")
        ('不适用', 'not applicable')
    """

    RUNNING = ("running", "计时中")
    PAUSED = ("paused", "已暂停")
    MET = ("met", "已达标")
    BREACHED = ("breached", "已超时")
    CANCELLED = ("cancelled", "已取消")
    NOT_APPLICABLE = ("not_applicable", "不适用")


@attrs.frozen(slots=True)
class Interval:
    """One stretch of a clock's cycle, for :meth:`MetricResult.explain`.

    ``kind`` is ``"running"`` or ``"paused"``.

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2026, 3, 2, 9, tz="UTC")
        >>> Interval(at, at.add(hours=1), "running", timedelta(hours=1)).kind
        'running'
    """

    start: pendulum.DateTime
    end: pendulum.DateTime
    kind: str
    working_time: timedelta


@attrs.frozen(slots=True)
class MetricResult:
    """One cycle of one metric, evaluated at an instant.

    ``elapsed`` and ``remaining`` are in the metric's working time;
    ``paused`` is the working time spent paused. ``due_at`` is when the target
    is (or was) reached: the crossing instant when breached, otherwise the
    projection from the moment the clock was read or stopped (``anchor_us``).
    ``level`` counts the warning
    levels crossed. ``first_stopped_at``/``first_elapsed`` keep the cycle's first
    stop (first resolution) even after a ``continue`` reopen resumed it.
    ``void_reason`` says why a ``not_applicable`` cycle ended (the label, or
    else the command, of the ``void`` trigger that ended it).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> result = SlaPolicy.default(WorkCalendar.china())["resolution"].evaluate(ticket, ticket.updated_at)[0]
        >>> result.state, result.first
        (<SlaState.MET: 'met'>, True)
    """

    metric: str
    cycle: int
    state: SlaState
    target: Target
    level: int
    counts: bool
    budget_us: int
    elapsed_us: int
    paused_us: int
    started_us: int
    stopped_us: int | None
    first_stopped_us: int | None
    first_elapsed_us: int | None
    anchor_us: int
    threshold_us: tuple[int, ...]
    spans: tuple[tuple[int, int, str, int], ...] = attrs.field(repr=False)
    calendar: WorkCalendar = attrs.field(repr=False, eq=False)
    void_reason: str = ""

    @property
    def budget(self) -> timedelta:
        """The target as working time of the clock's calendar."""
        return timedelta(microseconds=self.budget_us)

    @property
    def elapsed(self) -> timedelta:
        """Working time the clock has run."""
        return timedelta(microseconds=self.elapsed_us)

    @property
    def calendar_elapsed(self) -> timedelta:
        """Calendar time the clock has run (its running stretches end to end, nights included).

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.sla import SlaPolicy
            >>> from aftersales.testing.samples import sample_ticket
            >>> ticket = sample_ticket()
            >>> policy = SlaPolicy.default(WorkCalendar.china())
            >>> result = policy["first_response"].evaluate(ticket, ticket.updated_at)[0]
            >>> result.calendar_elapsed, result.elapsed
            (datetime.timedelta(seconds=300), datetime.timedelta(seconds=300))
        """
        return timedelta(
            microseconds=sum(b - a for a, b, kind, _ in self.spans if kind == "running")
        )

    @property
    def remaining(self) -> timedelta:
        """``budget - elapsed`` (negative once breached)."""
        return timedelta(microseconds=self.budget_us - self.elapsed_us)

    @property
    def paused(self) -> timedelta:
        """Working time spent paused."""
        return timedelta(microseconds=self.paused_us)

    @property
    def started_at(self) -> pendulum.DateTime:
        """When the cycle started."""
        return self.calendar.from_epoch_us(self.started_us)

    @property
    def stopped_at(self) -> pendulum.DateTime | None:
        """When the cycle stopped (``None`` while running or paused)."""
        return None if self.stopped_us is None else self.calendar.from_epoch_us(self.stopped_us)

    @property
    def first_stopped_at(self) -> pendulum.DateTime | None:
        """When the cycle first stopped, even if a ``continue`` reopen resumed it."""
        first = self.first_stopped_us
        return None if first is None else self.calendar.from_epoch_us(first)

    @property
    def first_elapsed(self) -> timedelta | None:
        """Working time used up to the first stop (first resolution)."""
        first = self.first_elapsed_us
        return None if first is None else timedelta(microseconds=first)

    @property
    def due_us(self) -> int:
        """:attr:`due_at` in µs since the epoch."""
        engine = self.calendar._engine
        if self.elapsed_us >= self.budget_us:
            return _crossing(self.spans, self.budget_us, engine)
        return int(engine.add(self.anchor_us, self.budget_us - self.elapsed_us))

    @property
    def due_at(self) -> pendulum.DateTime:
        """When the target is or was reached (see the class docstring)."""
        return self.calendar.from_epoch_us(self.due_us)

    @property
    def warning_thresholds(self) -> tuple[timedelta, ...]:
        """The elapsed working time at which each warning level is crossed."""
        return tuple(timedelta(microseconds=t) for t in self.threshold_us)

    @property
    def warned_us(self) -> tuple[int, ...]:
        """When each warning level crossed so far was crossed, in µs since the epoch."""
        engine = self.calendar._engine
        return tuple(_crossing(self.spans, t, engine) for t in self.threshold_us[: self.level])

    @property
    def warned_at(self) -> tuple[pendulum.DateTime, ...]:
        """When each warning level crossed so far was crossed."""
        return tuple(self.calendar.from_epoch_us(t) for t in self.warned_us)

    @property
    def intervals(self) -> tuple[Interval, ...]:
        """The running and paused stretches of the cycle, in order."""
        out = self.calendar.from_epoch_us
        return tuple(
            Interval(out(a), out(b), kind, timedelta(microseconds=w))
            for a, b, kind, w in self.spans
        )

    @property
    def first(self) -> bool:
        """True for the first cycle (the first-resolution figure)."""
        return self.cycle == 0

    @property
    def breached(self) -> bool:
        """True when the elapsed working time went past the target."""
        return self.state is SlaState.BREACHED

    def explain(self, lang: str = "en") -> str:
        """How the due time was reached: the stretches that counted and those skipped.

        Working stretches count; off hours, weekends, holidays (by name) and
        pauses are listed as skipped. A cycle that ended ``not_applicable`` or
        ``cancelled`` has no due time: the first line says when it ended (and why).
        """
        zh = lang == "zh"
        zone = self.calendar.tz
        stopped = self.stopped_at
        if self.state in (SlaState.NOT_APPLICABLE, SlaState.CANCELLED) and stopped is not None:
            why = f": {self.void_reason}" if self.void_reason else ""
            end = f"{'结束' if zh else 'ended'} {stopped.in_timezone(zone).format('YYYY-MM-DD HH:mm')}{why}"
        else:
            end = f"{'到期' if zh else 'due'} {self.due_at.in_timezone(zone).format('YYYY-MM-DD HH:mm')}"
        lines = [
            f"{self.metric} #{self.cycle + 1}: {self.state.label(lang)}, "
            f"{'已用' if zh else 'elapsed'} {_hm(self.elapsed)} / {_hm(self.budget)}, {end}"
        ]
        for interval in self.intervals:
            if interval.kind == "paused":
                lines.append(
                    f"  {_span(interval, self.calendar)}  {'暂停' if zh else 'paused'}"
                    f" ({_hm(interval.working_time)} {'工作时间未计' if zh else 'working time not counted'})"
                )
                continue
            for segment in self.calendar.segments(interval.start, interval.end):
                if segment.working:
                    label = "计入" if zh else "counted"
                else:
                    label = f"{'跳过' if zh else 'skipped'}: {segment.reason}"
                lines.append(f"  {_span(segment, self.calendar)}  {label}")
        return "\n".join(lines)


def _hm(value: timedelta) -> str:
    total = int(value.total_seconds())
    sign = "-" if total < 0 else ""
    hours, rest = divmod(abs(total), 3600)
    return f"{sign}{hours}h{rest // 60:02d}m"


def _span(item: Any, calendar: WorkCalendar) -> str:
    start = item.start.in_timezone(calendar.tz).format("MM-DD HH:mm")
    end = item.end.in_timezone(calendar.tz).format("MM-DD HH:mm")
    return f"{start} → {end}"


def _crossing(measured: Sequence[tuple[int, int, str, int]], amount: int, engine: Any) -> int:
    """The instant the running stretches reach ``amount`` of working time."""
    done = 0
    last_end = measured[0][0] if measured else 0
    for a, b, kind, worked in measured:
        if kind != "running":
            continue
        if done + worked >= amount:
            return int(engine.add(a, amount - done))
        done += worked
        last_end = b
    return last_end
