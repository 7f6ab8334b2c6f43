"""Proposed policies made from the one in force: one target changed, the rest kept.

:func:`with_target` is the policy a supervisor asks about ("urgent first
response in 20 minutes instead of 30"): the same metrics, calendar,
sub-statuses and priority levels, one metric's target for one priority
replaced, in every named policy or in one of them. Imports the SLA classes.

Example:
    >>> from datetime import timedelta
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy, WorkingTime
    >>> policy = SlaPolicy.default(WorkCalendar.china())
    >>> stricter = with_target(policy, "first_response", "urgent", WorkingTime(timedelta(minutes=20)))
    >>> stricter["first_response"].metric.targets["urgent"].duration
    datetime.timedelta(seconds=1200)
"""

from __future__ import annotations

import attrs

from aftersales import _checks as check
from aftersales.errors import InvalidData, UnknownValue
from aftersales.sla import CalendarTime, SlaPolicies, SlaPolicy, Target, WorkingDays, WorkingTime
from aftersales.vocab import Priority

__all__ = ["with_target"]

_KINDS = "accepted: WorkingTime, CalendarTime or WorkingDays"


def _measures(policy: SlaPolicy, metric: str) -> bool:
    return any(m.name == metric for m in policy.metrics)


def _retargeted(policy: SlaPolicy, metric: str, priority: Priority, target: Target) -> SlaPolicy:
    clock = policy[metric]  # UnknownValue naming the metrics
    changed = attrs.evolve(clock.metric, targets={**clock.metric.targets, priority: target})
    return SlaPolicy(
        [changed if m.name == metric else m for m in policy.metrics],
        policy.calendar,
        substatuses=policy.substatuses,
        priority_scale=policy.priority_scale,
        default_priority=policy.default_priority,
    )


def with_target(
    policy: SlaPolicy,
    metric: str,
    priority: Priority | str,
    target: Target,
    *,
    named: str | None = None,
) -> SlaPolicy:
    """``policy`` with ``metric``'s target for ``priority`` set to ``target``.

    For named policies (:class:`~aftersales.sla.SlaPolicies`), in each of them
    that has the metric, or only in the one called ``named``.

    Raises:
        UnknownValue: no such metric or named policy (also a ``LookupError``).
        InvalidData: a bad priority or target.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> with_target(SlaPolicy.default(WorkCalendar.china()), "first_response", "urgent", 30)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: target: int is not a target; accepted: WorkingTime, CalendarTime or WorkingDays
    """
    level: Priority = check.member(Priority)(priority, "priority")
    if not isinstance(target, WorkingTime | CalendarTime | WorkingDays):
        message = f"{type(target).__name__} is not a target; {_KINDS}"
        raise InvalidData(f"target: {message}", problems=[("target", message)])
    if not isinstance(policy, SlaPolicies):
        return _retargeted(policy, metric, level, target)
    if named is not None and named not in policy.policies:
        raise UnknownValue("sla_policy", named, list(policy.policies))
    if not any(_measures(single, metric) for single in policy.policies.values()):
        policy[metric]  # UnknownValue naming the metrics
    policies = {}
    for name, single in policy.policies.items():
        wanted = (named is None or named == name) and _measures(single, metric)
        policies[name] = _retargeted(single, metric, level, target) if wanted else single
    return SlaPolicies(policies, policy.rules, default=policy.default_name)
