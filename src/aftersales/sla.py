"""SLA clocks rebuilt from a ticket's history, on working calendars.

An :class:`SlaMetric` is a clock: the events that start it, stop it, resume
it after a stop or end it as not applicable, the statuses that pause it, a
target per priority (working time, working days or calendar time) and warning
levels. An :class:`SlaPolicy` evaluates its metrics on a ticket at an
instant; nothing is stored as a counter, so the same history always gives the
same result, and a closed ticket's results do not depend on when they are
asked for.

Built in (see :meth:`SlaPolicy.default`): ``first_response``, ``resolution``,
``return_visit`` (3 working days after execution), ``low_score_callback``
(48 h after a visit scored under the threshold) and ``onsite_within`` (24 h for
urgent product faults; not applicable when the fault is fixed without an
on-site visit).

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> policy = SlaPolicy.default(WorkCalendar.china())
    >>> ticket = sample_ticket()
    >>> report = policy.evaluate(ticket, ticket.updated_at)
    >>> report["first_response"].state, report["first_response"].elapsed
    (<SlaState.MET: 'met'>, datetime.timedelta(seconds=300))
    >>> report["return_visit"].state
    <SlaState.MET: 'met'>
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._calendar_engine import day_of_wall
from aftersales._shown import shown
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData, UnknownValue
from aftersales.lifecycle import TRANSITIONS
from aftersales.model.events import (
    ContactRecorded,
    ProgressRecorded,
    TicketEvent,
    VisitRecorded,
)
from aftersales.model.ticket import Ticket
from aftersales.sla_notices import SlaNotice, pending_notices, recorded_levels
from aftersales.time import utc_us
from aftersales.vocab import Priority, TicketStatus, _Labelled

__all__ = [
    "CalendarTime",
    "MetricResult",
    "ReopenPolicy",
    "SlaAlert",
    "SlaMetric",
    "SlaNotice",
    "SlaPolicy",
    "SlaReport",
    "SlaState",
    "Trigger",
    "WorkingDays",
    "WorkingTime",
]

_US = 1_000_000


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


class ReopenPolicy(StrEnum):
    """What a clock does when its ticket comes back after the clock stopped.

    ``continue``: the same cycle resumes where it stopped; ``restart``: a new
    cycle with a fresh target replaces the old one (the first is kept as the
    first result); ``new_cycle``: a new cycle, and every cycle counts.

    Example:
        >>> ReopenPolicy("new_cycle") is ReopenPolicy.NEW_CYCLE
        True
    """

    CONTINUE = "continue"
    RESTART = "restart"
    NEW_CYCLE = "new_cycle"


@attrs.frozen(slots=True)
class WorkingTime:
    """A target in working time on the metric's calendar.

    Example:
        >>> WorkingTime(timedelta(hours=4)).duration
        datetime.timedelta(seconds=14400)
    """

    duration: timedelta

    def __attrs_post_init__(self) -> None:
        _positive(self.duration, "duration")


@attrs.frozen(slots=True)
class CalendarTime:
    """A target in elapsed calendar time (24×7), whatever the working hours.

    Example:
        >>> CalendarTime(timedelta(hours=48)).duration.days
        2
    """

    duration: timedelta

    def __attrs_post_init__(self) -> None:
        _positive(self.duration, "duration")


@attrs.frozen(slots=True)
class WorkingDays:
    """A target of ``days`` working days: the end of the working hours of the
    ``days``-th working day after the cycle's start.

    Example:
        >>> WorkingDays(3).days
        3
    """

    days: int

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, (("days", check.integer(1, 366)),))


Target = WorkingTime | CalendarTime | WorkingDays


def _positive(value: object, name: str) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        message = f"{shown(value)} is not a positive duration; accepted: a timedelta > 0"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])


def _targets(value: Any, name: str) -> dict[Priority, Target]:
    """Targets per priority: a mapping of priorities (or their codes) to targets."""
    if not isinstance(value, Mapping):
        message = f"{type(value).__name__} is not a mapping; accepted: {{Priority: target}}"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    problems: list[tuple[str, str]] = []
    targets: dict[Priority, Target] = {}
    for key, target in value.items():
        try:
            priority = check.member(Priority)(key, name)
        except InvalidData as error:
            problems.extend(error.problems)
            continue
        if not isinstance(target, WorkingTime | CalendarTime | WorkingDays):
            message = (
                f"{type(target).__name__} is not a target;"
                " accepted: WorkingTime, CalendarTime or WorkingDays"
            )
            problems.append((f"{name}[{priority.value}]", message))
            continue
        targets[priority] = target
    if problems:
        raise InvalidData.from_problems(problems)
    return targets


def _warn_levels(value: Any, name: str) -> tuple[float | timedelta, ...]:
    """Warning levels: fractions in (0, 1) of the target or positive lead times."""
    levels = check.items(value, name)
    problems: list[tuple[str, str]] = []
    for index, level in enumerate(levels):
        if isinstance(level, timedelta):
            if level <= timedelta(0):
                problems.append(
                    (f"{name}[{index}]", f"{level} is not a positive lead; accepted: a lead > 0")
                )
        elif not isinstance(level, int | float) or isinstance(level, bool) or not 0 < level < 1:
            problems.append(
                (
                    f"{name}[{index}]",
                    f"{shown(level)}; accepted: a fraction in (0, 1) or a lead time",
                )
            )
    if problems:
        raise InvalidData.from_problems(problems)
    return levels


def _statuses(value: Any, name: str) -> frozenset[TicketStatus]:
    items = check.tuple_of(check.member(TicketStatus))(value, name)
    return frozenset(items)


def _codes(value: Any, name: str) -> frozenset[str] | None:
    return None if value is None else frozenset(check.tuple_of(check.text)(value, name))


@attrs.frozen(slots=True)
class Trigger:
    """An event that starts, stops, resumes or voids a clock: a command, optionally filtered.

    ``unless`` holds triggers that keep this one from firing when one of them
    matched an earlier event since the clock last started, stopped or resumed
    (since the ticket opened, before any cycle): "execution finished, unless an
    on-site visit was booked".

    Example:
        >>> low = Trigger("record_visit", lambda e: e.low_score, "low-score visit")
        >>> low.command, low.label
        ('record_visit', 'low-score visit')
        >>> remote = Trigger("finish_execution", unless=(Trigger("book_onsite_visit"),))
        >>> [t.command for t in remote.unless]
        ['book_onsite_visit']
    """

    command: str
    when: Callable[[Any], bool] | None = attrs.field(default=None, eq=False)
    label: str = ""
    unless: tuple[Trigger, ...] = attrs.field(default=(), kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.command not in TRANSITIONS.commands and self.command != "open_ticket":
            raise UnknownValue("command", self.command, ("open_ticket", *TRANSITIONS.commands))
        if not isinstance(self.unless, tuple) or not all(
            isinstance(t, Trigger) and not t.unless for t in self.unless
        ):
            message = (
                f"{shown(self.unless)}; accepted: a tuple of Trigger values"
                " without an unless of their own"
            )
            raise InvalidData(f"unless: {message}", problems=[("unless", message)])

    def matches(self, event: TicketEvent) -> bool:
        """True when ``event`` records this command and passes the filter.

        ``unless`` is not looked at here: it depends on the events before, which
        the clock follows.
        """
        return event.command == self.command and (self.when is None or bool(self.when(event)))


@attrs.frozen(slots=True, kw_only=True)
class SlaMetric:
    """One SLA clock.

    Args:
        name: stable identifier (``"resolution"``).
        label_zh, label_en: labels for reports.
        starts: events that start a cycle when none is active.
        stops: events that stop the active cycle.
        resumes: events that bring a stopped cycle back (per ``reopen``).
        void: events after which the metric no longer applies to the ticket:
            the active cycle ends as ``not_applicable`` (neither met nor
            breached), e.g. an on-site clock when the fault was fixed remotely.
        pause_in: statuses during which the clock does not run.
        targets: per priority; a ticket whose priority has no target is not measured.
        categories: problem-category codes the metric applies to (``None``: all).
        warn_at: warning levels, as fractions of the target (``0.8``) or lead
            times before the due time (``timedelta(hours=2)``).
        reopen: what happens on resume (see :class:`ReopenPolicy`).
        calendar: the clock's own calendar (``None``: the policy's).

    Example:
        >>> from aftersales import Priority
        >>> metric = SlaMetric(
        ...     name="quote", label_zh="报价时限", label_en="quote within",
        ...     starts=(Trigger("acknowledge"),), stops=(Trigger("propose_solution"),),
        ...     targets={Priority.URGENT: WorkingTime(timedelta(hours=2))},
        ... )
        >>> metric.target_for(Priority.GENERAL) is None
        True
    """

    name: str
    label_zh: str
    label_en: str
    starts: tuple[Trigger, ...]
    stops: tuple[Trigger, ...]
    targets: Mapping[Priority, Target]
    resumes: tuple[Trigger, ...] = ()
    void: tuple[Trigger, ...] = ()
    pause_in: frozenset[TicketStatus] = frozenset()
    categories: frozenset[str] | None = None
    warn_at: tuple[float | timedelta, ...] = (0.5, 0.8)
    reopen: ReopenPolicy = ReopenPolicy.CONTINUE
    calendar: WorkCalendar | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        triggers = check.tuple_of(check.instance_of(Trigger))
        check.run_checks(
            self,
            [
                ("name", check.identifier),
                ("label_zh", check.text),
                ("label_en", check.text),
                ("starts", check.tuple_of(check.instance_of(Trigger), non_empty=True)),
                ("stops", check.tuple_of(check.instance_of(Trigger), non_empty=True)),
                ("targets", _targets),
                ("resumes", triggers),
                ("void", triggers),
                ("pause_in", _statuses),
                ("categories", _codes),
                ("warn_at", _warn_levels),
                ("reopen", check.member(ReopenPolicy)),
                ("calendar", check.optional(check.instance_of(WorkCalendar))),
            ],
        )

    def target_for(self, priority: Priority) -> Target | None:
        """The target for a priority, or ``None`` when that priority is not measured."""
        return self.targets.get(priority)

    def applies_to(self, ticket: Ticket) -> bool:
        """True when the metric measures ``ticket`` (its priority has a target, its category fits)."""
        return self.targets.get(ticket.priority) is not None and (
            self.categories is None or ticket.category.code in self.categories
        )


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


@attrs.frozen(slots=True)
class SlaReport:
    """Every metric's cycles for one ticket at one instant, and what to notify.

    Iterating a report gives its results (a :class:`MetricResult` per cycle of
    every measured metric, in policy order); ``report["resolution"]`` is a
    metric's current cycle. ``status`` is the ticket's status at evaluation.

    ``notifications`` follow the rule of :mod:`aftersales.sla_notices`: per
    clock cycle, only the highest level crossed and not yet recorded, and only
    for running or paused clocks of an open ticket. Recording them (see
    ``ServiceDesk.check_sla``) makes the next evaluation return none until a
    higher level is crossed.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> report = SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at)
        >>> sorted(report.metrics())
        ['first_response', 'onsite_within', 'resolution', 'return_visit']
        >>> len(report), [result.state.value for result in report][:2]
        (4, ['met', 'met'])
    """

    ticket_id: str
    at: pendulum.DateTime
    results: tuple[MetricResult, ...]
    history: tuple[TicketEvent, ...] = attrs.field(repr=False, eq=False)
    status: TicketStatus = attrs.field(kw_only=True)

    def __iter__(self) -> Iterator[MetricResult]:
        """Every cycle of every measured metric, in policy order."""
        return iter(self.results)

    def __len__(self) -> int:
        """How many cycles the report holds."""
        return len(self.results)

    def __contains__(self, item: object) -> bool:
        """True for a measured metric's name, or for one of the report's results."""
        if isinstance(item, str):
            return any(result.metric == item for result in self.results)
        return item in self.results

    @property
    def recorded(self) -> frozenset[tuple[str, int, int]]:
        """The ``(metric, cycle, level)`` the history records as notified or passed.

        A recorded ``SlaWarning``/``SlaBreached`` of level ``n`` records every
        level up to ``n`` of its cycle: the ones below were notified earlier
        or passed over.
        """
        return frozenset(
            (metric, cycle, level)
            for (metric, cycle), top in recorded_levels(self.history).items()
            for level in range(1, top + 1)
        )

    @property
    def notifications(self) -> tuple[SlaNotice, ...]:
        """Per running or paused clock, the highest level crossed and not recorded, in time order."""
        return pending_notices(self.results, self.history, self.status)

    def metrics(self) -> set[str]:
        """The names of the metrics that measured this ticket."""
        return {result.metric for result in self.results}

    def __getitem__(self, metric: str) -> MetricResult:
        """The current (latest) cycle of ``metric``; ``KeyError`` when not measured."""
        for result in reversed(self.results):
            if result.metric == metric:
                return result
        raise KeyError(metric)

    def cycles(self, metric: str) -> tuple[MetricResult, ...]:
        """Every cycle of ``metric``, oldest first."""
        return tuple(result for result in self.results if result.metric == metric)

    def first(self, metric: str) -> MetricResult:
        """The first cycle of ``metric`` (e.g. first resolution beside full resolution)."""
        return self.cycles(metric)[0]

    @property
    def next_due(self) -> pendulum.DateTime | None:
        """The earliest due time among running or paused clocks (for the store's index)."""
        pending = [r.due_at for r in self.results if r.state in (SlaState.RUNNING, SlaState.PAUSED)]
        return min(pending) if pending else None

    def alerts_before(self, before: datetime) -> list[SlaAlert]:
        """Warnings and breaches of running or paused clocks reached by ``before``, in time order.

        Levels already crossed keep their crossing instant; levels still ahead
        are projected assuming the clock runs from the report's instant on (a
        paused clock as if it resumed now). A breach is level ``len(warn_at) + 1``.
        """
        limit = check.aware(before, "before")
        found = []
        for result in self.results:
            if result.state is SlaState.CANCELLED or result.stopped_at is not None:
                continue
            for level, threshold in enumerate(result.warning_thresholds, start=1):
                if level <= len(result.warned_at):
                    when = result.warned_at[level - 1]
                else:
                    when = result.calendar.add(self.at, threshold - result.elapsed)
                if when <= limit:
                    found.append(
                        SlaAlert(self.ticket_id, result.metric, result.cycle, level, False, when)
                    )
            if result.due_at <= limit:
                breach = len(result.warning_thresholds) + 1
                found.append(
                    SlaAlert(
                        self.ticket_id, result.metric, result.cycle, breach, True, result.due_at
                    )
                )
        return sorted(found, key=lambda alert: alert.at)


@attrs.frozen(slots=True)
class SlaAlert:
    """A warning or breach of one ticket's clock, past or projected (for watch lists).

    Example:
        >>> import pendulum
        >>> SlaAlert("T1", "resolution", 0, 3, True, pendulum.datetime(2026, 3, 2, tz="UTC")).breach
        True
    """

    ticket_id: str
    metric: str
    cycle: int
    level: int
    breach: bool
    at: pendulum.DateTime


class SlaPolicy:
    """A set of SLA metrics on a working calendar.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> policy = SlaPolicy.default(WorkCalendar.china(), visit_threshold=4)
        >>> [m.name for m in policy.metrics]
        ['first_response', 'resolution', 'return_visit', 'low_score_callback', 'onsite_within']
    """

    def __init__(self, metrics: Sequence[SlaMetric], calendar: WorkCalendar) -> None:
        check.run_checks_on(
            {
                "metrics": (metrics, check.tuple_of(check.instance_of(SlaMetric))),
                "calendar": (calendar, check.instance_of(WorkCalendar)),
            }
        )
        names = [metric.name for metric in metrics]
        if len(set(names)) != len(names):
            message = f"{names} has duplicates; accepted: distinct metric names"
            raise InvalidData(f"metrics: {message}", problems=[("metrics", message)])
        self.metrics = tuple(metrics)
        self.calendar = calendar
        self._clocks = {m.name: _Clock(m, m.calendar or calendar) for m in self.metrics}

    @classmethod
    def default(
        cls,
        calendar: WorkCalendar,
        *,
        visit_threshold: int = 3,
        reopen: ReopenPolicy = ReopenPolicy.CONTINUE,
    ) -> SlaPolicy:
        """The five built-in metrics with the documented default targets.

        first response: urgent 30 min, important 2 h, general 4 h of working time;
        resolution: urgent 8 h, important 24 h of working time, general 5 working
        days, paused while awaiting the customer's confirmation; return visit: 3
        working days after execution; low-score callback: 48 h after a visit
        scored under ``visit_threshold``; on-site within 24 h for urgent product
        faults, not applicable when the fault is resolved on first contact or
        execution finishes without an on-site visit booked.
        """
        every = {p: WorkingDays(3) for p in Priority}
        return cls(
            [
                SlaMetric(
                    name="first_response",
                    label_zh="首次响应",
                    label_en="first response",
                    starts=(Trigger("open_ticket"),),
                    stops=(Trigger("acknowledge"), Trigger("resolve_on_first_contact")),
                    targets={
                        Priority.URGENT: WorkingTime(timedelta(minutes=30)),
                        Priority.IMPORTANT: WorkingTime(timedelta(hours=2)),
                        Priority.GENERAL: WorkingTime(timedelta(hours=4)),
                    },
                ),
                SlaMetric(
                    name="resolution",
                    label_zh="问题解决",
                    label_en="resolution",
                    starts=(Trigger("open_ticket"),),
                    stops=(Trigger("finish_execution"), Trigger("resolve_on_first_contact")),
                    resumes=(
                        Trigger("reopen"),
                        Trigger("record_visit", _visit_reopens, "unresolved or low-score visit"),
                    ),
                    pause_in=frozenset({TicketStatus.AWAITING_CONFIRMATION}),
                    targets={
                        Priority.URGENT: WorkingTime(timedelta(hours=8)),
                        Priority.IMPORTANT: WorkingTime(timedelta(hours=24)),
                        Priority.GENERAL: WorkingDays(5),
                    },
                    reopen=reopen,
                ),
                SlaMetric(
                    name="return_visit",
                    label_zh="回访时限",
                    label_en="return visit",
                    starts=(Trigger("finish_execution"), Trigger("resolve_on_first_contact")),
                    stops=(Trigger("record_visit"),),
                    targets=every,
                    reopen=ReopenPolicy.NEW_CYCLE,
                ),
                SlaMetric(
                    name="low_score_callback",
                    label_zh="低分回电",
                    label_en="low-score callback",
                    starts=(
                        Trigger(
                            "record_visit",
                            lambda e: e.score < visit_threshold,
                            f"visit scored under {visit_threshold}",
                        ),
                    ),
                    stops=(
                        Trigger("record_contact", _outbound, "call to the customer"),
                        Trigger("record_visit"),
                    ),
                    targets={p: CalendarTime(timedelta(hours=48)) for p in Priority},
                    reopen=ReopenPolicy.NEW_CYCLE,
                ),
                SlaMetric(
                    name="onsite_within",
                    label_zh="24小时上门",
                    label_en="on site within 24 h",
                    starts=(Trigger("open_ticket"),),
                    stops=(Trigger("record_progress", _onsite, "engineer on site"),),
                    void=(
                        Trigger("resolve_on_first_contact", label="resolved on first contact"),
                        Trigger(
                            "finish_execution",
                            label="finished without an on-site visit",
                            unless=(Trigger("book_onsite_visit"),),
                        ),
                    ),
                    targets={Priority.URGENT: CalendarTime(timedelta(hours=24))},
                    categories=frozenset({"product_quality"}),
                ),
            ],
            calendar,
        )

    def __getitem__(self, name: str) -> _Clock:
        try:
            return self._clocks[name]
        except KeyError:
            raise UnknownValue("metric", name, list(self._clocks)) from None

    def evaluate(self, ticket: Ticket, now: datetime) -> SlaReport:
        """Every applicable metric's cycles for ``ticket`` at ``now``, and pending notifications."""
        at = check.aware(now, "now")
        timeline = _Timeline(ticket)
        horizon = _horizon(ticket, at)
        positions = timeline.positions
        results: list[MetricResult] = []
        for clock in self._clocks.values():
            # A clock whose start never happened has no cycle: skip it cheaply.
            if clock.start_commands.isdisjoint(positions) or not clock.metric.applies_to(ticket):
                continue
            results.extend(clock._evaluate(ticket, horizon, timeline))
        return SlaReport(ticket.id, at, tuple(results), ticket.history, status=ticket.status)


def _visit_reopens(event: VisitRecorded) -> bool:
    return not event.visit_closes


def _outbound(event: ContactRecorded) -> bool:
    return not event.inbound


def _onsite(event: ProgressRecorded) -> bool:
    return event.onsite


class _Timeline:
    """A ticket's events with the status after each, their instants in µs, and an index."""

    __slots__ = ("entries", "positions")

    def __init__(self, ticket: Ticket) -> None:
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


class _Clock:
    """One metric compiled against its calendar (the policy's or its own)."""

    def __init__(self, metric: SlaMetric, calendar: WorkCalendar) -> None:
        self.metric = metric
        self.calendar = calendar
        self.always = WorkCalendar.always(calendar.tz)
        self._starts = _by_command(metric.starts)
        self._stops = _by_command(metric.stops)
        self._resumes = _by_command(metric.resumes)
        self._voids = _by_command(metric.void)
        every = (*metric.starts, *metric.stops, *metric.resumes, *metric.void)
        #: The ``unless`` triggers of every trigger, by command: events to remember.
        self._watched = _by_command(tuple(u for t in every for u in t.unless))
        #: The commands that can start a cycle of this clock.
        self.start_commands = frozenset(self._starts)
        self._pause_in = metric.pause_in
        self._threshold_cache: dict[int, tuple[int, ...]] = {}
        self._offsets: dict[int, tuple[int, int]] = {}
        self._day_ends: dict[tuple[date, int], int] = {}
        # Without pauses, only the trigger commands and cancellation can move the clock.
        self._relevant: frozenset[str] | None = (
            None
            if metric.pause_in
            else frozenset(
                {
                    *self._starts,
                    *self._stops,
                    *self._resumes,
                    *self._voids,
                    *self._watched,
                    "cancel",
                }
            )
        )

    def evaluate(self, ticket: Ticket, now: datetime) -> list[MetricResult]:
        """Every cycle of this metric on ``ticket`` at ``now``."""
        at = check.aware(now, "now")
        return self._evaluate(ticket, _horizon(ticket, at), _Timeline(ticket))

    def _evaluate(
        self,
        ticket: Ticket,
        horizon: int,
        timeline: _Timeline,
    ) -> list[MetricResult]:
        cycles = self._cycles(timeline.select(self._relevant))
        if not cycles:
            return []
        target = self.metric.targets[ticket.priority]
        return [self._result(index, cycle, target, horizon) for index, cycle in enumerate(cycles)]

    def _cycles(self, timeline: list[tuple[TicketEvent, TicketStatus, int]]) -> list[_Cycle]:
        starts, stops, resumes, voids = self._starts, self._stops, self._resumes, self._voids
        pause_in, reopen, watched = self._pause_in, self.metric.reopen, self._watched
        cycles: list[_Cycle] = []
        current: _Cycle | None = None
        # ids of the ``unless`` triggers matched since the last start, stop or resume
        seen: set[int] = set()
        for event, status, at in timeline:
            command = event.command
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
                if command in watched:
                    _remember(watched[command], event, seen)
            elif (
                current is not None and command in resumes and _fires(resumes[command], event, seen)
            ):
                seen.clear()
                if reopen is not ReopenPolicy.CONTINUE:
                    current = _Cycle(at, status in pause_in)
                    cycles.append(current)
                    continue
                current.stop = None
                current.void_reason = None
                current.running_since = at
            elif command in starts and _fires(starts[command], event, seen):
                seen.clear()
                current = _Cycle(at, status in pause_in)
                cycles.append(current)
                continue
            elif command in watched:
                _remember(watched[command], event, seen)
            if current is None or current.stop is not None or not pause_in:
                continue
            if status in pause_in:
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

    def _result(self, index: int, cycle: _Cycle, target: Target, horizon: int) -> MetricResult:
        calendar = self.always if isinstance(target, CalendarTime) else self.calendar
        engine = calendar._engine
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
            worked = engine.working_time(a, b) if b > a else 0
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


def _horizon(ticket: Ticket, now: datetime) -> int:
    """The instant clocks are read at: ``now``, or the close of a closed ticket."""
    horizon = utc_us(now)
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


_ONE_US = timedelta(microseconds=1)
_DAY_US = 86_400_000_000
_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
