"""Judging a clock cycle under another policy's target without running the clock again.

When a proposed policy changes only targets and warning levels (same
triggers, pauses, reopen policy, categories, calendar; every priority keeps a
target of the same family), the working time each cycle used is unchanged:
:func:`shared_clocks` says whether two policies are so related,
:func:`rejudge` gives a cycle evaluated under one policy its result under the
other, and :func:`judge_stored` does the same from the stored facts of a
cycle (:class:`~aftersales.readmodel.facts.CycleFacts`), or answers ``None``
when the stored facts cannot tell (then the ticket is replayed).

A cycle's state under a target is fixed by the working time it used: breached
once that exceeds the budget, else met when stopped, else running or paused.
The stored facts keep, of a met cycle, its due time, so the working time it
used is the budget less the working time from its stop to its due time (the
whole budget when the due time is not after the stop); of a
running cycle, the instant it breaches, so the working time used at ``T`` is
the budget (plus one microsecond) less the working time from ``T`` to that
instant. Domain layer: imports the SLA classes and the read models' facts.

Example:
    >>> from datetime import timedelta
    >>> import attrs
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy, WorkingTime
    >>> from aftersales.testing.samples import sample_ticket
    >>> current = SlaPolicy.default(WorkCalendar.china())
    >>> first = current.metrics[0]
    >>> strict = attrs.evolve(first, targets={**first.targets, "urgent": WorkingTime(timedelta(minutes=4))})
    >>> proposed = SlaPolicy([strict, *current.metrics[1:]], current.calendar)
    >>> shared_clocks(current, proposed)
    True
    >>> ticket = sample_ticket()  # urgent, first response after 5 minutes
    >>> result = current.evaluate(ticket, ticket.updated_at)["first_response"]
    >>> result.state.value, rejudge(result, proposed["first_response"], ticket.priority).state.value
    ('met', 'breached')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import timedelta

import attrs

from aftersales.calendar import WorkCalendar
from aftersales.readmodel.facts import CycleFacts
from aftersales.readmodel.fingerprint import describe
from aftersales.sla import CalendarTime, MetricResult, SlaPolicies, SlaPolicy, SlaState, Target
from aftersales.sla.clocks import MetricClock
from aftersales.sla.policy_document import MetricSpec
from aftersales.vocab import Priority

__all__ = ["clock_pairs", "judge_stored", "rejudge", "shared_clocks"]

_ENDED = frozenset({SlaState.CANCELLED, SlaState.NOT_APPLICABLE})
_SEEDS = frozenset(p.value for p in Priority)
_STATES = {state.value: state for state in SlaState}


def _clock_shape(policy: SlaPolicy, name: str) -> object:
    """What a metric's clock runs on, without its targets and warning levels."""
    clock = policy[name]
    metric = clock.metric
    try:
        spec: object = attrs.evolve(
            MetricSpec.of(attrs.evolve(metric, calendar=None)),
            label_zh="-",
            label_en="-",
            targets={},
            warn_at=(),
        )
    except ValueError:  # a trigger filter no file can hold: compare the triggers themselves
        spec = (metric.starts, metric.stops, metric.restarts, metric.resumes, metric.void)
        spec = (spec, metric.pause_in, metric.categories, metric.reopen)
    calendar = describe(None, clock.calendar, timedelta(0))["calendar"]
    return (spec, calendar, sorted(clock.paused_substatuses))


def _family(target: Target) -> bool:
    """True for a target measured on the 24×7 calendar (calendar time)."""
    return isinstance(target, CalendarTime)


def _named(policy: SlaPolicy) -> dict[str, SlaPolicy]:
    """The single policies a policy judges with, by name (``""`` for a single policy)."""
    return dict(policy.policies) if isinstance(policy, SlaPolicies) else {"": policy}


def _shared_pair(current: SlaPolicy, proposed: SlaPolicy) -> bool:
    names = [m.name for m in current.metrics]
    if sorted(names) != sorted(m.name for m in proposed.metrics):
        return False
    for name in names:
        mine, theirs = current[name].metric.targets, proposed[name].metric.targets
        if set(mine) != set(theirs) or not {str(k) for k in mine} <= _SEEDS:
            return False
        if any(_family(mine[key]) != _family(theirs[key]) for key in mine):
            return False
        if _clock_shape(current, name) != _clock_shape(proposed, name):
            return False
    return True


def shared_clocks(current: SlaPolicy, proposed: SlaPolicy) -> bool:
    """True when every clock of the two policies runs alike and only targets or warnings differ.

    Both are single policies, or both named policies
    (:class:`~aftersales.sla.SlaPolicies`) with the same names and default,
    compared name by name. Each metric starts, stops, pauses, resumes and
    reopens alike on equal calendars, has a target for the same priorities
    (seed priorities only), each of the same family (working time or working
    days on the calendar, or calendar time).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> china = SlaPolicy.default(WorkCalendar.china())
        >>> shared_clocks(china, SlaPolicy.default(WorkCalendar.china()))
        True
        >>> shared_clocks(china, SlaPolicy.default(WorkCalendar.always("Asia/Shanghai")))
        False
    """
    if isinstance(current, SlaPolicies) != isinstance(proposed, SlaPolicies):
        return False
    mine, theirs = _named(current), _named(proposed)
    if (
        isinstance(current, SlaPolicies)
        and isinstance(proposed, SlaPolicies)
        and (set(mine) != set(theirs) or current.default_name != proposed.default_name)
    ):
        return False
    return all(_shared_pair(mine[name], theirs[name]) for name in mine)


def clock_pairs(
    current: SlaPolicy, proposed: SlaPolicy
) -> dict[str, tuple[tuple[MetricClock, MetricClock], ...]]:
    """Per metric, the clocks of each named policy under both: (current, proposed).

    For policies with :func:`shared_clocks`; a single policy has one pair per metric.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> policy = SlaPolicy.default(WorkCalendar.china())
        >>> len(clock_pairs(policy, policy)["resolution"])
        1
    """
    mine, theirs = _named(current), _named(proposed)
    return {
        metric.name: tuple((mine[n][metric.name], theirs[n][metric.name]) for n in mine)
        for metric in current.metrics
    }


def _state(elapsed: int, budget: int, stopped: bool, paused: bool) -> SlaState:
    if elapsed > budget:
        return SlaState.BREACHED
    if stopped:
        return SlaState.MET
    return SlaState.PAUSED if paused else SlaState.RUNNING


def rejudge(result: MetricResult, clock: MetricClock, priority: Priority) -> MetricResult:
    """``result`` (one cycle, evaluated under another policy) under ``clock``'s target.

    The cycle's stretches and working time are kept; its budget, warning
    thresholds, level and state follow ``clock``'s target for ``priority``.
    Only for clocks that run alike (:func:`shared_clocks`).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> policy = SlaPolicy.default(WorkCalendar.china())
        >>> ticket = sample_ticket()
        >>> result = policy.evaluate(ticket, ticket.updated_at)["resolution"]
        >>> rejudge(result, policy["resolution"], ticket.priority) == result
        True
    """
    target = clock.metric.target_for(priority)
    assert target is not None  # the clocks are shared: same priorities measured
    calendar: WorkCalendar = result.calendar
    budget = clock._budget(target, result.started_us, calendar)
    thresholds = clock._thresholds(budget)
    elapsed = result.elapsed_us
    if result.state in _ENDED:
        state = result.state
    else:
        paused = bool(result.spans) and result.spans[-1][2] == "paused"
        state = _state(elapsed, budget, result.stopped_us is not None, paused)
    return attrs.evolve(
        result,
        state=state,
        target=target,
        budget_us=budget,
        threshold_us=thresholds,
        level=sum(1 for threshold in thresholds if elapsed >= threshold),
    )


def judge_stored(
    cycle: CycleFacts,
    at_us: int,
    pairs: Sequence[tuple[MetricClock, MetricClock]],
    priority: Priority,
) -> tuple[SlaState, SlaState, bool | None] | None:
    """The stored ``cycle``'s state at ``at_us`` under the current and the proposed policy.

    ``pairs`` are the cycle's metric's clocks under both, one pair per named
    policy (:func:`clock_pairs`): the facts do not say which named policy
    judged the ticket, so every pair must give the same answer (the pair of
    the policy that did judge it is exact, so a unanimous answer is right).
    The third item is the same-policy check: judged under its own clock, the
    cycle has its stored state (``None``: not judged, the target being the
    same under both policies). ``at_us`` is an instant the cycle's facts apply at
    (after its version's last event). ``None`` when the stored facts cannot
    tell: a breached cycle under a looser target, a paused one under a
    stricter target, a cycle stored without its due time, or named policies
    that would judge it differently.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.readmodel.facts import FactsRules
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> policy = SlaPolicy.default(WorkCalendar.china())
        >>> ticket = sample_ticket()
        >>> facts = FactsRules(policy, policy.calendar).project(ticket)
        >>> from datetime import timedelta
        >>> from aftersales.sla import WorkingTime
        >>> from aftersales.backtest import with_target
        >>> strict = with_target(policy, "first_response", "urgent", WorkingTime(timedelta(minutes=4)))
        >>> pairs = clock_pairs(policy, strict)["first_response"]
        >>> judge_stored(facts.cycles[0], facts.last_event_us + 1, pairs, ticket.priority)
        (<SlaState.MET: 'met'>, <SlaState.BREACHED: 'breached'>, True)
    """
    now = _STATES[cycle.state_at(at_us)]
    plan = _plan(tuple(pairs), priority)
    if plan is None:
        return None
    if not plan:  # the same target under every named policy: the same judgement
        return now, now, None
    if now in _ENDED:
        return now, now, True
    answer = None
    for step in plan:
        judged = _judged(cycle, at_us, step)
        if judged is None or (answer is not None and judged != answer):
            return None
        answer = judged
    if answer is None:
        return None
    return now, answer[0], answer[1] is now


#: What judging a cycle of one metric and priority needs, per pair of clocks: the current
#: clock and target, the proposed target, and the working time of the measuring calendar.
_Step = tuple[MetricClock, Target, MetricClock, Target, WorkCalendar, Callable[[int, int], int]]


@functools.lru_cache(maxsize=4096)
def _plan(
    pairs: tuple[tuple[MetricClock, MetricClock], ...], priority: Priority
) -> tuple[_Step, ...] | None:
    """The steps of judging, per pair; ``()`` when every pair has one target; ``None``: unmeasured."""
    steps = []
    for current, proposed in pairs:
        mine = current.metric.target_for(priority)
        theirs = proposed.metric.target_for(priority)
        if mine is None or theirs is None:
            return None
        calendar = current.always if _family(mine) else current.calendar
        steps.append((current, mine, proposed, theirs, calendar, calendar._engine.working_time))
    if all(mine == theirs for _, mine, _, theirs, _, _ in steps):
        return ()
    return tuple(steps)


def _judged(cycle: CycleFacts, at_us: int, step: _Step) -> tuple[SlaState, SlaState] | None:
    """The stored ``cycle``'s state at ``at_us`` under the proposed target and under its own."""
    current, mine, proposed, theirs, calendar, working_time = step
    budget = current._budget(mine, cycle.started_us, calendar)
    proposed_budget = (
        budget if theirs == mine else proposed._budget(theirs, cycle.started_us, calendar)
    )
    stored = _STATES[cycle.state]
    due, stop = cycle.due_us, cycle.stopped_us
    if stored is SlaState.MET and due is not None and stop is not None:
        # the due time is projected from the stop while budget is left, else it is the
        # instant the budget ran out: then exactly the budget was used
        elapsed = budget - int(working_time(stop, due)) if due > stop else budget
        return _state(elapsed, proposed_budget, True, False), _state(elapsed, budget, True, False)
    if stored is SlaState.RUNNING and cycle.breach_us is not None:
        breach = cycle.breach_us
        if at_us < breach:
            elapsed = budget + 1 - int(working_time(at_us, breach))
        else:
            elapsed = budget + 1 + int(working_time(breach, at_us))
        return _state(elapsed, proposed_budget, False, False), _state(elapsed, budget, False, False)
    if stored is SlaState.BREACHED and proposed_budget <= budget:
        return SlaState.BREACHED, SlaState.BREACHED
    if stored is SlaState.PAUSED and proposed_budget >= budget:
        return SlaState.PAUSED, SlaState.PAUSED
    return None
