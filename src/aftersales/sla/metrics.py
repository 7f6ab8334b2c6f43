"""SLA metrics: one clock each, and the five built in.

An :class:`SlaMetric` is a clock: the events that start it, stop it, resume
it after a stop or end it as not applicable, the statuses that pause it, a
target per priority (working time, working days or calendar time) and warning
levels. :func:`default_metrics` are the built-in ones: ``first_response``,
``resolution``, ``return_visit`` (3 working days after execution),
``low_score_callback`` (48 h after a visit scored under the threshold) and
``onsite_within`` (24 h for urgent product faults; not applicable when the
fault is fixed without an on-site visit).

Imports the targets and triggers, the calendar and the domain model.

Example:
    >>> [metric.name for metric in default_metrics()][:2]
    ['first_response', 'resolution']
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum
from typing import Any

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.model.events import ContactRecorded, ProgressRecorded, VisitRecorded
from aftersales.model.ticket import Ticket
from aftersales.sla.targets import CalendarTime, Target, WorkingDays, WorkingTime
from aftersales.sla.triggers import Trigger
from aftersales.vocab import Priority, TicketStatus

__all__ = ["ReopenPolicy", "SlaMetric", "default_metrics"]


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


def _target_key(key: Any, name: str) -> Priority | str:
    """A seed priority (value, name or Chinese label), or a level code of a priority scale."""
    try:
        priority: Priority = check.member(Priority)(key, name)
    except InvalidData:
        if isinstance(key, str) and not isinstance(key, Priority):
            try:
                return check.identifier(key, name)
            except InvalidData:
                pass
        accepted = f"a priority ({', '.join(p.value for p in Priority)}) or a level code"
        message = f"{shown(key)} is not a priority; accepted: {accepted}"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)]) from None
    return priority


def _as_targets(value: Mapping[Any, Target]) -> Mapping[Priority | str, Target]:
    """The targets as given (checked after construction): any mapping's keys are accepted here."""
    return value


def _targets(value: Any, name: str) -> dict[Priority | str, Target]:
    """Targets per priority: a mapping of priorities or level codes to targets."""
    if not isinstance(value, Mapping):
        message = f"{type(value).__name__} is not a mapping; accepted: {{Priority: target}}"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    problems: list[tuple[str, str]] = []
    targets: dict[Priority | str, Target] = {}
    for key, target in value.items():
        try:
            priority = _target_key(key, name)
        except InvalidData as error:
            problems.extend(error.problems)
            continue
        if not isinstance(target, WorkingTime | CalendarTime | WorkingDays):
            message = (
                f"{type(target).__name__} is not a target;"
                " accepted: WorkingTime, CalendarTime or WorkingDays"
            )
            problems.append((f"{name}[{priority}]", message))
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


@attrs.frozen(slots=True, kw_only=True)
class SlaMetric:
    """One SLA clock.

    Args:
        name: stable identifier (``"resolution"``).
        label_zh, label_en: labels for reports.
        starts: events that start a cycle when none is active.
        stops: events that stop the active cycle.
        restarts: events that stop the active cycle and start the next one at
            the same instant (an update-time clock: every agent update restarts
            it); they do nothing while no cycle runs.
        resumes: events that bring a stopped cycle back (per ``reopen``).
        void: events after which the metric no longer applies to the ticket:
            the active cycle ends as ``not_applicable`` (neither met nor
            breached), e.g. an on-site clock when the fault was fixed remotely.
        pause_in: statuses during which the clock does not run.
        targets: per priority (a :class:`~aftersales.vocab.Priority`) or per
            level code of the policy's priority scale (``"low"``); a ticket's
            level is looked up first, then its priority; a ticket with neither
            is not measured.
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
    targets: Mapping[Priority | str, Target] = attrs.field(converter=_as_targets)
    restarts: tuple[Trigger, ...] = ()
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
                ("restarts", triggers),
                ("resumes", triggers),
                ("void", triggers),
                ("pause_in", _statuses),
                ("categories", _codes),
                ("warn_at", _warn_levels),
                ("reopen", check.member(ReopenPolicy)),
                ("calendar", check.optional(check.instance_of(WorkCalendar))),
            ],
        )
        if self.restarts and self.reopen is ReopenPolicy.RESTART:
            message = (
                "a metric with restarts counts every cycle;"
                " accepted: reopen 'continue' or 'new_cycle'"
            )
            raise InvalidData(f"reopen: {message}", problems=[("reopen", message)])

    def target_for(self, priority: Priority, level: str | None = None) -> Target | None:
        """The target for a level (when set for it) or else for a priority; ``None``: not measured."""
        if level is not None:
            found = self.targets.get(level)
            if found is not None:
                return found
        return self.targets.get(priority)

    def target_of(self, ticket: Ticket) -> Target | None:
        """The target for ``ticket``'s priority level or priority, or ``None``."""
        return self.target_for(ticket.priority, ticket.priority_level)

    def applies_to(self, ticket: Ticket) -> bool:
        """True when the metric measures ``ticket`` (it has a target, its category fits)."""
        return self.target_of(ticket) is not None and (
            self.categories is None or ticket.category.code in self.categories
        )


def default_metrics(
    *, visit_threshold: int = 3, reopen: ReopenPolicy = ReopenPolicy.CONTINUE
) -> tuple[SlaMetric, ...]:
    """The five built-in metrics with the documented default targets.

    first response: urgent 30 min, important 2 h, general 4 h of working time;
    resolution: urgent 8 h, important 24 h of working time, general 5 working
    days, paused while awaiting the customer's confirmation, reopened per
    ``reopen``; return visit: 3 working days after execution; low-score
    callback: 48 h after a visit scored under ``visit_threshold``; on-site
    within 24 h for urgent product faults, not applicable when the fault is
    resolved on first contact or execution finishes without an on-site visit
    booked. :meth:`SlaPolicy.default <aftersales.sla.SlaPolicy.default>` puts
    them on a calendar.

    Example:
        >>> resolution = default_metrics(reopen=ReopenPolicy.RESTART)[1]
        >>> resolution.reopen, sorted(status.value for status in resolution.pause_in)
        (<ReopenPolicy.RESTART: 'restart'>, ['awaiting_confirmation'])
    """
    threshold = check.score(1, 5)(visit_threshold, "visit_threshold")
    every = {p: WorkingDays(3) for p in Priority}
    return (
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
                    lambda e: e.score < threshold,
                    f"visit scored under {threshold}",
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
    )


def _visit_reopens(event: VisitRecorded) -> bool:
    return not event.visit_closes


def _outbound(event: ContactRecorded) -> bool:
    return not event.inbound


def _onsite(event: ProgressRecorded) -> bool:
    return event.onsite
