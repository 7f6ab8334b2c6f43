"""The fingerprint of a projection's configuration: what a ticket's stored facts depend on.

A ticket's projection (its facts, SLA cycles, due and alert instants) is a
function of its events *and* of a configuration: the SLA policy (metrics,
targets, triggers, warning levels, reopen policy, the visit threshold its
triggers hold), the working calendar (zone, weekly hours, days off, extra
working days, special hours, the official source with the ``holidays``
package version, complete and covered years, the official schedules merged
into it), the KPI callback rule and the
format of the facts. :func:`describe` writes that configuration as plain
JSON values, and :func:`projection_key` is the sha256 digest of its canonical
text: equal configurations give equal keys in every process, and any change
gives another key, so a reader never uses facts computed under another
configuration (it replays those tickets, and ``aftersales projections
rebuild`` brings them up to date).

Callables (a trigger's ``when``) are named by module and qualified name, with
the simple values their closure holds (the threshold of a "visit scored under
3" filter); a policy file's :class:`~aftersales.sla.trigger_filters.TriggerFilter`
by its kind and value. Domain layer: imports only the domain.

Example:
    >>> from datetime import timedelta
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> calendar = WorkCalendar.china()
    >>> key = projection_key(SlaPolicy.default(calendar), calendar, timedelta(hours=48))
    >>> key == projection_key(SlaPolicy.default(WorkCalendar.china()), calendar, timedelta(hours=48))
    True
    >>> key == projection_key(SlaPolicy.default(calendar, visit_threshold=4), calendar, timedelta(hours=48))
    False
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Final

from aftersales.calendar import WorkCalendar
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES
from aftersales.sla import SlaMetric, SlaPolicies, SlaPolicy
from aftersales.sla.targets import CalendarTime, Target, WorkingDays, WorkingTime
from aftersales.sla.trigger_filters import TriggerFilter
from aftersales.sla.triggers import Trigger

__all__ = ["FACTS_FORMAT", "describe", "projection_key"]

#: The version of the facts' format: raised whenever what a projection stores, or
#: how a figure is computed from a ticket, changes (every stored row then differs).
FACTS_FORMAT: Final = 1

_US = timedelta(microseconds=1)
_SIMPLE = (str, int, float, bool, type(None))


def _callable(function: Callable[..., Any] | None) -> Any:
    if function is None:
        return None
    if isinstance(function, TriggerFilter):  # a policy file's filter: by its name and value
        return ["filter", function.kind, function.value]
    name = f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"
    cells = getattr(function, "__closure__", None) or ()
    held = []
    for cell in cells:
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        held.append(value if isinstance(value, _SIMPLE) else type(value).__qualname__)
    return [name, held]


def _trigger(trigger: Trigger) -> Any:
    return [
        trigger.command,
        _callable(trigger.when),
        trigger.label,
        [_trigger(u) for u in trigger.unless],
    ]


def _target(target: Target) -> Any:
    if isinstance(target, WorkingDays):
        return ["working_days", target.days]
    kind = "calendar_time" if isinstance(target, CalendarTime) else "working_time"
    assert isinstance(target, CalendarTime | WorkingTime)
    return [kind, target.duration // _US]


def _level(level: float | timedelta) -> Any:
    return ["lead_us", level // _US] if isinstance(level, timedelta) else ["fraction", level]


_DEFAULT_PAUSES = {
    name: AFTER_SALES_SUBSTATUSES.pausing(name)
    for name in {name for item in AFTER_SALES_SUBSTATUSES for name in item.pauses}
}


def _metric(metric: SlaMetric, paused_substatuses: frozenset[str]) -> Any:
    described = {
        "name": metric.name,
        "starts": [_trigger(t) for t in metric.starts],
        "stops": [_trigger(t) for t in metric.stops],
        "resumes": [_trigger(t) for t in metric.resumes],
        "void": [_trigger(t) for t in metric.void],
        "pause_in": sorted(status.value for status in metric.pause_in),
        "targets": {str(p): _target(t) for p, t in metric.targets.items()},
        "categories": None if metric.categories is None else sorted(metric.categories),
        "warn_at": [_level(level) for level in metric.warn_at],
        "reopen": metric.reopen.value,
        "calendar": None if metric.calendar is None else _calendar(metric.calendar),
    }
    # Keys added after the first release appear only when used, so that the
    # fingerprint of a policy without them is the one its facts were stored under.
    if metric.restarts:
        described["restarts"] = [_trigger(t) for t in metric.restarts]
    if paused_substatuses != _DEFAULT_PAUSES.get(metric.name, frozenset()):
        # The built-in sub-statuses are left out: no ticket stored before them had one,
        # so their facts are the same with or without them.
        described["paused_substatuses"] = sorted(paused_substatuses)
    return described


def _calendar(calendar: WorkCalendar) -> Any:
    return {
        "tz": str(calendar.tz.name),
        "week": [[list(interval) for interval in day] for day in calendar.week],
        "holidays": {
            day.isoformat(): [
                off.name,
                None if off.hours is None else [list(map(str, h)) for h in off.hours],
            ]
            for day, off in sorted(calendar.holidays.items())
        },
        "workdays": {day.isoformat(): name for day, name in sorted(calendar.workdays.items())},
        "special_hours": {
            day.isoformat(): [list(h) for h in hours]
            for day, hours in sorted(calendar.special_hours.items())
        },
        "workday_hours": calendar.workday_hours,
        "source": calendar.source,
        "complete_years": sorted(calendar.complete_years),
        "covered_years": None if calendar.covered_years is None else list(calendar.covered_years),
        **_schedules(calendar),
    }


def _schedules(calendar: WorkCalendar) -> dict[str, Any]:
    """The official schedules merged into ``calendar``; nothing without any (older keys stay)."""
    if not calendar.schedules:
        return {}
    return {"schedules": [schedule.to_dict() for schedule in calendar.schedules]}


def describe(
    policy: SlaPolicy | None, calendar: WorkCalendar | None, callback_within: timedelta
) -> dict[str, Any]:
    """The configuration a projection depends on, as plain JSON values.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> described = describe(None, WorkCalendar.always("UTC"), timedelta(hours=48))
        >>> described["format"], described["policy"], described["calendar"]["tz"]
        (1, None, 'UTC')
    """
    return {
        "format": FACTS_FORMAT,
        "policy": None if policy is None else _policy(policy),
        "calendar": None if calendar is None else _calendar(calendar),
        "callback_within_us": callback_within // _US,
    }


def _policy(policy: SlaPolicy) -> dict[str, Any]:
    described: dict[str, Any] = {
        "metrics": [_metric(m, policy[m.name].paused_substatuses) for m in policy.metrics],
        "calendar": _calendar(policy.calendar),
    }
    if not policy.priority_scale.is_seed:
        described["priority_levels"] = [
            [level.code, level.reports_as.value] for level in policy.priority_scale
        ]
    if isinstance(policy, SlaPolicies):
        # Every policy a ticket may be measured under; the rules only choose (the
        # choice is in each ticket's history), so they are not part of the key.
        described["policies"] = {name: _policy(named) for name, named in policy.policies.items()}
        described["default_policy"] = policy.default_name
    return described


def projection_key(
    policy: SlaPolicy | None, calendar: WorkCalendar | None, callback_within: timedelta
) -> str:
    """The sha256 hex digest of the canonical text of :func:`describe`.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> len(projection_key(None, WorkCalendar.always("UTC"), timedelta(hours=48)))
        64
    """
    text = json.dumps(
        describe(policy, calendar, callback_within),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
