"""Hypothesis strategies for working calendars and the SLA policies measured on them.

:func:`work_calendars` draws calendars with lunch breaks, whole and partial
days off, extra working days, special hours and zones with DST, around
:data:`CALENDAR_ANCHORS`; :func:`sla_targets` and :func:`sla_policies` draw
targets and policies on them. :mod:`aftersales.testing.strategies`
re-exports them. Requires the ``test`` extra (hypothesis).

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, deadline=None)
    ... @given(sla_policies())
    ... def check(policy):
    ...     assert policy.metrics
    >>> check()
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import strategies as st

from aftersales.calendar import DayOff, WorkCalendar
from aftersales.sla import (
    CalendarTime,
    ReopenPolicy,
    SlaMetric,
    SlaPolicy,
    Target,
    WorkingDays,
    WorkingTime,
)
from aftersales.vocab import Priority

__all__ = ["CALENDAR_ANCHORS", "sla_policies", "sla_targets", "work_calendars"]


#: Dates around which the days off, extra working days and special hours of
#: :func:`work_calendars` are drawn: each zone's 2026 DST changes (two dates of
#: national holidays for zones without DST).
CALENDAR_ANCHORS: dict[str, tuple[date, ...]] = {
    "Europe/Berlin": (date(2026, 3, 29), date(2026, 10, 25)),
    "America/New_York": (date(2026, 3, 8), date(2026, 11, 1)),
    "Asia/Shanghai": (date(2026, 5, 1), date(2026, 10, 1)),
    "UTC": (date(2026, 5, 1), date(2026, 12, 25)),
    "Australia/Lord_Howe": (date(2026, 4, 5), date(2026, 10, 4)),  # 30-minute DST
}

_Intervals = tuple[tuple[str, str], ...]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def _day_intervals(draw: st.DrawFn, max_count: int = 3, min_count: int = 0) -> _Intervals:
    """``min_count``–``max_count`` disjoint wall-clock intervals on 5-minute marks."""
    n = draw(st.integers(min_count, max_count))
    points = sorted(
        draw(st.lists(st.integers(0, 288), min_size=2 * n, max_size=2 * n, unique=True))
    )
    return tuple((_hhmm(points[i] * 5), _hhmm(points[i + 1] * 5)) for i in range(0, len(points), 2))


@st.composite
def _office_week(draw: st.DrawFn) -> tuple[_Intervals, ...]:
    """Office hours with a lunch break on the working weekdays, nothing on the others."""
    start = draw(st.integers(6 * 12, 10 * 12)) * 5  # 06:00–10:00
    lunch = draw(st.integers(11 * 12, 13 * 12)) * 5  # 11:00–13:00
    back = lunch + draw(st.integers(6, 18)) * 5  # 30–90 minutes
    end = draw(st.integers(16 * 12, 21 * 12)) * 5  # 16:00–21:00
    day = ((_hhmm(start), _hhmm(lunch)), (_hhmm(back), _hhmm(end)))
    days = draw(st.sampled_from([range(5), range(6), range(1, 6)]))
    return tuple(day if weekday in days else () for weekday in range(7))


@st.composite
def _random_week(draw: st.DrawFn) -> tuple[_Intervals, ...]:
    return tuple(draw(_day_intervals()) for _ in range(7))


def _weekly_minutes(week: tuple[_Intervals, ...]) -> int:
    def minutes(text: str) -> int:
        hours, mins = text.split(":")
        return int(hours) * 60 + int(mins)

    return sum(minutes(b) - minutes(a) for day in week for a, b in day)


@st.composite
def _work_calendar(
    draw: st.DrawFn, zones: tuple[str, ...], min_weekly_hours: float
) -> WorkCalendar:
    tz = draw(st.sampled_from(zones))
    week = draw(st.one_of(_office_week(), _random_week()))
    if _weekly_minutes(week) < min_weekly_hours * 60:
        week = (*week[:6], (("00:00", "24:00"),))  # a 24-hour Sunday shift
    anchors = CALENDAR_ANCHORS.get(tz, (date(2026, 5, 1), date(2026, 10, 1)))
    near = st.builds(
        lambda anchor, k: anchor + timedelta(days=k),
        st.sampled_from(anchors),
        st.integers(-10, 10),
    )
    off_hours = st.none() | _day_intervals(2, min_count=1)
    holidays: dict[date, str | DayOff] = {}
    for day, (name, hours) in draw(
        st.dictionaries(
            near, st.tuples(st.sampled_from(["Holiday", "公司庆典"]), off_hours), max_size=4
        )
    ).items():
        holidays[day] = name if hours is None else DayOff(name, hours=hours)
    whole_days_off = {day for day, value in holidays.items() if isinstance(value, str)}
    workdays = dict.fromkeys(draw(st.sets(near, max_size=3)) - whole_days_off, "调休")
    special = {
        day: list(hours)
        for day, hours in draw(st.dictionaries(near, _day_intervals(2), max_size=2)).items()
        if day not in whole_days_off
    }
    return WorkCalendar(
        tz,
        list(map(list, week)),
        holidays=holidays,
        workdays=workdays,
        special_hours=special,
        workday_hours=draw(st.integers(0, 6)),
    )


def work_calendars(
    *, zones: tuple[str, ...] = tuple(CALENDAR_ANCHORS), min_weekly_hours: float = 4
) -> st.SearchStrategy[WorkCalendar]:
    """Working calendars built with :class:`~aftersales.calendar.WorkCalendar`'s constructor.

    The week is either office hours with a lunch break (Mon–Fri, Mon–Sat or
    Tue–Sat) or 0–3 random intervals per weekday (a day may end at ``24:00``);
    a week with fewer than ``min_weekly_hours`` gets a 24-hour Sunday, so every
    calendar has working time every week. Up to four days off (whole, or
    partial with ``DayOff(name, hours=...)``), three extra working days (调休)
    and two dates of special hours (possibly closed) are drawn within ten days
    of the zone's :data:`CALENDAR_ANCHORS` (its 2026 DST changes), in zones
    with and without DST. No official holiday data is used, so the calendars
    cover every year.

    Example:
        >>> from datetime import timedelta
        >>> import pendulum
        >>> from hypothesis import given, settings
        >>> start = pendulum.datetime(2026, 3, 27, 16, tz="UTC")
        >>> @settings(max_examples=10, deadline=None)
        ... @given(work_calendars())
        ... def check(cal):
        ...     due = cal.add(start, timedelta(hours=3))
        ...     assert cal.working_time(start, due) == timedelta(hours=3)
        >>> check()
    """
    return _work_calendar(zones, min_weekly_hours)


def sla_targets(
    *, max_working_hours: int = 40, max_working_days: int = 5
) -> st.SearchStrategy[Target]:
    """SLA targets: working time (whole minutes), working days or calendar time.

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales import CalendarTime, WorkingDays, WorkingTime
        >>> @settings(max_examples=10)
        ... @given(sla_targets())
        ... def check(target):
        ...     assert isinstance(target, WorkingTime | WorkingDays | CalendarTime)
        >>> check()
    """
    minutes = st.integers(1, max_working_hours * 60).map(lambda m: timedelta(minutes=m))
    return st.one_of(
        st.builds(WorkingTime, minutes),
        st.builds(WorkingDays, st.integers(1, max_working_days)),
        st.builds(CalendarTime, minutes),
    )


def _warning_levels() -> st.SearchStrategy[tuple[float | timedelta, ...]]:
    fractions = st.integers(1, 19).map(lambda k: k / 20)  # 0.05 … 0.95
    leads = st.integers(1, 8 * 60).map(lambda m: timedelta(minutes=m))
    return st.lists(fractions | leads, max_size=3, unique=True).map(tuple)


@st.composite
def _sla_policy(
    draw: st.DrawFn,
    calendars: st.SearchStrategy[WorkCalendar],
    targets: st.SearchStrategy[Target],
) -> SlaPolicy:
    calendar = draw(calendars)
    base = SlaPolicy.default(
        calendar,
        visit_threshold=draw(st.integers(1, 5)),
        reopen=draw(st.sampled_from(list(ReopenPolicy))),
    )
    chosen = draw(st.lists(st.sampled_from(base.metrics), min_size=1, unique_by=lambda m: m.name))
    metrics: list[SlaMetric] = []
    for metric in sorted(chosen, key=base.metrics.index):
        measured = draw(st.sets(st.sampled_from(list(Priority)), min_size=1))
        metrics.append(
            attrs.evolve(
                metric,
                targets={p: draw(targets) for p in Priority if p in measured},
                warn_at=draw(_warning_levels()),
                reopen=draw(st.sampled_from(list(ReopenPolicy))),
                calendar=draw(st.none() | calendars),
            )
        )
    return SlaPolicy(metrics, calendar)


def sla_policies(
    calendars: st.SearchStrategy[WorkCalendar] | None = None,
    *,
    targets: st.SearchStrategy[Target] | None = None,
) -> st.SearchStrategy[SlaPolicy]:
    """SLA policies: a non-empty subset of the built-in metrics, re-targeted at random.

    Each metric keeps its start/stop/pause rules and gets random targets for a
    non-empty set of priorities (:func:`sla_targets`), 0–3 warning levels
    (fractions of the target and lead times), a random :class:`ReopenPolicy`
    and sometimes a calendar of its own; the policy's calendar and the
    ``visit_threshold`` of the low-score callback are drawn too.

    Args:
        calendars: where the calendars come from (default :func:`work_calendars`).
        targets: where the targets come from (default :func:`sla_targets`).

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> @settings(max_examples=10, deadline=None)
        ... @given(sla_policies())
        ... def check(policy):
        ...     report = policy.evaluate(ticket, ticket.updated_at)
        ...     assert {r.metric for r in report.results} <= {m.name for m in policy.metrics}
        >>> check()
    """
    return _sla_policy(
        work_calendars() if calendars is None else calendars,
        sla_targets() if targets is None else targets,
    )
