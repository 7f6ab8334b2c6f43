"""SLA targets: how long a clock may run, in working time, working days or calendar time.

A metric has one target per priority (:class:`SlaMetric.targets
<aftersales.sla.SlaMetric>`); which calendar measures it depends on the kind:
working time and working days on the metric's calendar, calendar time on a
24×7 calendar in the same zone.

Imports only the domain helpers and the errors.

Example:
    >>> from datetime import timedelta
    >>> [type(t).__name__ for t in (WorkingTime(timedelta(hours=4)), WorkingDays(3))]
    ['WorkingTime', 'WorkingDays']
"""

from __future__ import annotations

from datetime import timedelta

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData

__all__ = ["CalendarTime", "Target", "WorkingDays", "WorkingTime"]


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
"""Any SLA target: working time, calendar time or working days."""


def _positive(value: object, name: str) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        message = f"{shown(value)} is not a positive duration; accepted: a timedelta > 0"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
