"""Invariants a company asserts on its own SLA policy, and the strategies that vary a policy.

Before adopting a policy (and backtesting it), a company can check that it
behaves as a promise should, on its own tickets or on drawn ones
(:func:`~aftersales.testing.strategies.tickets`):

* :func:`assert_stricter_never_fewer_breaches` — tightening targets never
  lowers the number of breached clocks (:func:`stricter_policies` draws such
  policies);
* :func:`assert_more_hours_never_unbreach` — adding working hours never turns a
  breached clock met (:func:`wider_calendars`, :func:`on_calendar`). Note the
  direction: more working hours make *more* of a wait count, so a clock met
  under the narrower calendar may breach under the wider one (a ticket left
  over a Saturday the hotline now works). Clocks with a working-days target
  are left out: their deadline is the end of a working day, which more hours
  move either way;
* :func:`assert_pause_never_ends_earlier` — a pause status never makes a
  clock's due time earlier nor a met clock breached (:func:`with_more_pauses`).

Each raises ``AssertionError`` naming the ticket, metric and cycle that
break it. Requires the ``test`` extra (hypothesis) for the strategies.

Example:
    >>> from hypothesis import given, settings
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.testing.samples import sample_ticket
    >>> policy = SlaPolicy.default(WorkCalendar.china())
    >>> ticket = sample_ticket()
    >>> @settings(max_examples=5, deadline=None)
    ... @given(stricter_policies(policy))
    ... def check(stricter):
    ...     assert_stricter_never_fewer_breaches(policy, stricter, [ticket], ticket.updated_at)
    >>> check()
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import attrs
from hypothesis import strategies as st

from aftersales.calendar import WorkCalendar
from aftersales.model.ticket import Ticket
from aftersales.sla import (
    CalendarTime,
    MetricResult,
    SlaMetric,
    SlaPolicy,
    SlaState,
    Target,
    WorkingDays,
    WorkingTime,
)
from aftersales.vocab import TicketStatus

__all__ = [
    "assert_more_hours_never_unbreach",
    "assert_pause_never_ends_earlier",
    "assert_stricter_never_fewer_breaches",
    "breached_clocks",
    "on_calendar",
    "stricter_policies",
    "wider_calendars",
    "with_more_pauses",
    "with_pauses",
]


def _cycles(
    policy: SlaPolicy, tickets: Iterable[Ticket], at: datetime
) -> dict[tuple[str, str, int], MetricResult]:
    return {
        (ticket.id, result.metric, result.cycle): result
        for ticket in tickets
        for result in policy.evaluate(ticket, at)
        if result.counts
    }


def breached_clocks(policy: SlaPolicy, tickets: Iterable[Ticket], at: datetime) -> int:
    """How many counting clock cycles of ``tickets`` are breached under ``policy`` at ``at``.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> breached_clocks(SlaPolicy.default(WorkCalendar.china()), [ticket], ticket.updated_at)
        0
    """
    return sum(r.state is SlaState.BREACHED for r in _cycles(policy, tickets, at).values())


def assert_stricter_never_fewer_breaches(
    policy: SlaPolicy, stricter: SlaPolicy, tickets: Sequence[Ticket], at: datetime
) -> None:
    """Every clock breached under ``policy`` is breached under ``stricter`` (so no fewer breaches).

    ``stricter`` has the same clocks with targets no longer (see :func:`stricter_policies`).

    Example:
        >>> from datetime import timedelta
        >>> from aftersales.backtest import with_target
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> policy = SlaPolicy.default(WorkCalendar.china())
        >>> looser = with_target(policy, "first_response", "urgent", WorkingTime(timedelta(hours=9)))
        >>> ticket = sample_ticket()
        >>> assert_stricter_never_fewer_breaches(policy, looser, [ticket], ticket.updated_at)  # holds here
    """
    theirs = _cycles(stricter, tickets, at)
    for key, result in _cycles(policy, tickets, at).items():
        other = theirs.get(key)
        if result.breached and (other is None or not other.breached):
            raise AssertionError(f"{key}: breached under the policy, not under the stricter one")
    assert breached_clocks(stricter, tickets, at) >= breached_clocks(policy, tickets, at)


def assert_more_hours_never_unbreach(
    policy: SlaPolicy, wider: SlaPolicy, tickets: Sequence[Ticket], at: datetime
) -> None:
    """Every clock breached under ``policy`` is breached under ``wider`` (more working hours).

    Clocks with a working-days target are not compared (see the module).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> office = SlaPolicy.default(WorkCalendar.china())
        >>> always = on_calendar(office, WorkCalendar.always("Asia/Shanghai"))
        >>> assert_more_hours_never_unbreach(office, always, [ticket], ticket.updated_at)
    """
    theirs = _cycles(wider, tickets, at)
    for key, result in _cycles(policy, tickets, at).items():
        if isinstance(result.target, WorkingDays) or not result.breached:
            continue
        other = theirs.get(key)
        if other is None or not other.breached:
            raise AssertionError(f"{key}: breached, but met once more hours count")


def assert_pause_never_ends_earlier(
    policy: SlaPolicy, paused: SlaPolicy, tickets: Sequence[Ticket], at: datetime
) -> None:
    """Under ``paused`` (more pause statuses) no clock is due earlier, uses more time or breaches anew.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.vocab import TicketStatus
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> policy = SlaPolicy.default(WorkCalendar.china())
        >>> paused = with_pauses(policy, {"resolution": [TicketStatus.IN_PROGRESS]})
        >>> assert_pause_never_ends_earlier(policy, paused, [ticket], ticket.updated_at)
    """
    theirs = _cycles(paused, tickets, at)
    for key, result in _cycles(policy, tickets, at).items():
        other = theirs[key]  # pauses move no cycle boundary
        if other.elapsed > result.elapsed:
            raise AssertionError(f"{key}: used {other.elapsed} paused, {result.elapsed} not")
        if other.state not in (SlaState.CANCELLED, SlaState.NOT_APPLICABLE) and (
            other.due_at < result.due_at
        ):
            raise AssertionError(f"{key}: due {other.due_at} paused, {result.due_at} not")
        if other.breached and not result.breached:
            raise AssertionError(f"{key}: breached only when paused")


def _rebuilt(
    policy: SlaPolicy, metrics: Sequence[SlaMetric], calendar: WorkCalendar | None = None
) -> SlaPolicy:
    return SlaPolicy(
        metrics,
        policy.calendar if calendar is None else calendar,
        substatuses=policy.substatuses,
        priority_scale=policy.priority_scale,
        default_priority=policy.default_priority,
    )


def with_pauses(policy: SlaPolicy, pauses: dict[str, Iterable[TicketStatus]]) -> SlaPolicy:
    """``policy`` with more statuses pausing some metrics (by metric name).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> policy = with_pauses(SlaPolicy.default(WorkCalendar.china()), {"resolution": [TicketStatus.ANALYSING]})
        >>> sorted(s.value for s in policy["resolution"].metric.pause_in)
        ['analysing', 'awaiting_confirmation']
    """
    return _rebuilt(
        policy,
        [
            attrs.evolve(m, pause_in=m.pause_in | frozenset(pauses.get(m.name, ())))
            for m in policy.metrics
        ],
    )


def on_calendar(policy: SlaPolicy, calendar: WorkCalendar) -> SlaPolicy:
    """``policy`` with every clock on ``calendar`` (metrics' own calendars too).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> on_calendar(SlaPolicy.default(WorkCalendar.china()), WorkCalendar.always()).calendar.week[5]
        (('00:00', '24:00'),)
    """
    return _rebuilt(policy, [attrs.evolve(m, calendar=None) for m in policy.metrics], calendar)


def _tighter(target: Target) -> st.SearchStrategy[Target]:
    if isinstance(target, WorkingDays):
        return st.integers(1, target.days).map(WorkingDays)
    minutes = max(1, target.duration // timedelta(minutes=1))
    kind = CalendarTime if isinstance(target, CalendarTime) else WorkingTime
    return st.integers(1, minutes).map(lambda m: kind(timedelta(minutes=m)))


@st.composite
def stricter_policies(draw: st.DrawFn, policy: SlaPolicy) -> SlaPolicy:
    """``policy`` with some targets tightened (same kind, no longer), the rest kept.

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales.calendar import WorkCalendar
        >>> policy = SlaPolicy.default(WorkCalendar.china())
        >>> @settings(max_examples=5, deadline=None)
        ... @given(stricter_policies(policy))
        ... def check(stricter):
        ...     assert stricter["resolution"].metric.targets.keys() == policy["resolution"].metric.targets.keys()
        >>> check()
    """
    metrics = []
    for metric in policy.metrics:
        targets = {
            key: draw(_tighter(target) | st.just(target)) for key, target in metric.targets.items()
        }
        metrics.append(attrs.evolve(metric, targets=targets))
    return _rebuilt(policy, metrics)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _union(day: Iterable[tuple[str, str]], extra: tuple[int, int]) -> list[tuple[str, str]]:
    spans = sorted([*((_minutes(a), _minutes(b)) for a, b in day), extra])
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(_hhmm(a), _hhmm(b)) for a, b in merged]


@st.composite
def wider_calendars(draw: st.DrawFn, calendar: WorkCalendar) -> WorkCalendar:
    """``calendar`` with a drawn interval added to 1–3 weekdays (hours it had stay working).

    Days off, extra working days and special hours are kept; official
    holiday data is not (the days off it gave are kept as plain days off).

    Example:
        >>> from hypothesis import given, settings
        >>> office = WorkCalendar("Asia/Shanghai", dict.fromkeys(range(5), [("09:00", "18:00")]))
        >>> @settings(max_examples=5, deadline=None)
        ... @given(wider_calendars(office))
        ... def check(wider):
        ...     assert sum(len(day) for day in wider.week) >= 5
        >>> check()
    """
    week = [list(day) for day in calendar.week]
    for weekday in draw(st.sets(st.integers(0, 6), min_size=1, max_size=3)):
        start = draw(st.integers(0, 23 * 60))
        end = draw(st.integers(start + 30, 24 * 60))
        week[weekday] = _union(week[weekday], (start, end))
    return WorkCalendar(
        calendar.tz,
        week,
        holidays=dict(calendar.holidays),
        workdays=dict(calendar.workdays),
        special_hours={day: list(hours) for day, hours in calendar.special_hours.items()},
        complete_years=calendar.complete_years,
        workday_hours=calendar.workday_hours,
    )


@st.composite
def with_more_pauses(draw: st.DrawFn, policy: SlaPolicy) -> SlaPolicy:
    """``policy`` with 1–3 open statuses added to the pause statuses of some metrics.

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales.calendar import WorkCalendar
        >>> policy = SlaPolicy.default(WorkCalendar.china())
        >>> @settings(max_examples=5, deadline=None)
        ... @given(with_more_pauses(policy))
        ... def check(paused):
        ...     assert policy["resolution"].metric.pause_in <= paused["resolution"].metric.pause_in
        >>> check()
    """
    open_statuses = [
        s for s in TicketStatus if s not in (TicketStatus.CLOSED, TicketStatus.CANCELLED)
    ]
    names = [m.name for m in policy.metrics]
    chosen = draw(st.sets(st.sampled_from(names), min_size=1))
    return with_pauses(
        policy,
        {
            name: draw(st.sets(st.sampled_from(open_statuses), min_size=1, max_size=3))
            for name in chosen
        },
    )
