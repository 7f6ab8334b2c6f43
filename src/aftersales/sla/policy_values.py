"""The values of a policy file written as text: durations, targets and warning levels.

A duration is whole units, largest first: ``"30m"``, ``"1h30m"``, ``"2d"``,
``"45s"`` (``d`` days, ``h`` hours, ``m`` minutes, ``s`` seconds). A target
is a duration of working time (``"4h"``), a duration of calendar time
(``"48h calendar"``) or a number of working days (``"5 working days"``,
``"1 working day"``). A warning level is a fraction of the target (a number:
``0.8``) or a lead time before the due time (a duration: ``"2h"``). Each
reader returns the value or a message saying what is accepted; each writer
is its reader's inverse. Imports the targets only.

Example:
    >>> parse_target("1h30m", "urgent")
    WorkingTime(duration=datetime.timedelta(seconds=5400))
    >>> target_text(parse_target("48h calendar", "t")), target_text(parse_target("1 working day", "t"))
    ('48h calendar', '1 working day')
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Final

from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.sla.targets import CalendarTime, Target, WorkingDays, WorkingTime

__all__ = [
    "duration_text",
    "parse_duration",
    "parse_target",
    "parse_warn_level",
    "target_text",
    "warn_level_text",
]

_UNITS: Final = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_DURATION: Final = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_DAYS: Final = re.compile(r"^(\d+) working days?$")
_DURATION_RULE: Final = "a duration such as '30m', '1h30m', '2d' or '45s'"
_TARGET_RULE: Final = (
    "working time such as '4h', calendar time such as '48h calendar',"
    " or working days such as '5 working days'"
)


def _problem(path: str, message: str) -> InvalidData:
    return InvalidData(f"{path}: {message}", problems=[(path, message)])


def parse_duration(value: object, path: str) -> timedelta:
    """A positive duration written as whole units; ``InvalidData`` naming ``path`` otherwise.

    Example:
        >>> parse_duration("2h", "lead")
        datetime.timedelta(seconds=7200)
        >>> parse_duration("2 hours", "lead")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: lead: '2 hours' is not a duration; accepted: a duration such as '30m', '1h30m', '2d' or '45s'
    """
    found = _DURATION.match(value) if isinstance(value, str) and value else None
    seconds = 0
    if found is not None:
        seconds = sum(
            int(amount) * size
            for amount, (_, size) in zip(found.groups(), _UNITS, strict=True)
            if amount
        )
    if found is None or seconds <= 0:
        raise _problem(path, f"{shown(value)} is not a duration; accepted: {_DURATION_RULE}")
    return timedelta(seconds=seconds)


def duration_text(duration: timedelta) -> str:
    """A positive duration of whole seconds as :func:`parse_duration` reads it.

    Example:
        >>> duration_text(timedelta(days=1, minutes=5))
        '24h5m'
    """
    if duration <= timedelta(0) or duration.microseconds:
        raise _problem(
            "duration", f"{duration} is not a whole number of seconds > 0; accepted: one"
        )
    left = int(duration.total_seconds())
    parts = []
    for unit, size in _UNITS[1:]:  # in hours at most: "24h" of working time is not a day
        amount, left = divmod(left, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts)


def parse_target(value: object, path: str) -> Target:
    """A target written as text (see the module docstring); ``InvalidData`` naming ``path`` otherwise.

    Example:
        >>> parse_target("5 working days", "general")
        WorkingDays(days=5)
        >>> parse_target(30, "urgent")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: urgent: 30 is not a target; accepted: working time such as '4h', calendar time such as '48h calendar', or working days such as '5 working days'
    """
    refused = _problem(path, f"{shown(value)} is not a target; accepted: {_TARGET_RULE}")
    if not isinstance(value, str):
        raise refused
    days = _DAYS.match(value)
    try:
        if days is not None:
            return WorkingDays(int(days.group(1)))
        if value.endswith(" calendar"):
            return CalendarTime(parse_duration(value.removesuffix(" calendar"), path))
        return WorkingTime(parse_duration(value, path))
    except InvalidData:
        raise refused from None


def target_text(target: Target) -> str:
    """A target as :func:`parse_target` reads it.

    Example:
        >>> target_text(WorkingDays(3)), target_text(WorkingTime(timedelta(minutes=30)))
        ('3 working days', '30m')
    """
    if isinstance(target, WorkingDays):
        return f"{target.days} working day{'s' if target.days != 1 else ''}"
    if isinstance(target, CalendarTime):
        return f"{duration_text(target.duration)} calendar"
    return duration_text(target.duration)


def parse_warn_level(value: object, path: str) -> float | timedelta:
    """A fraction of the target (a number) or a lead time (a duration text).

    The range of a fraction is the metric's to check.

    Example:
        >>> parse_warn_level(0.8, "warn_at[0]"), parse_warn_level("2h", "warn_at[1]")
        (0.8, datetime.timedelta(seconds=7200))
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return parse_duration(value, path)
    message = f"{shown(value)} is not a warning level; accepted: a fraction such as 0.8, or {_DURATION_RULE}"
    raise _problem(path, message)


def warn_level_text(level: float | timedelta) -> float | str:
    """A warning level as the file holds it: the fraction, or the lead time's text.

    Example:
        >>> warn_level_text(0.5), warn_level_text(timedelta(hours=2))
        (0.5, '2h')
    """
    return duration_text(level) if isinstance(level, timedelta) else level
