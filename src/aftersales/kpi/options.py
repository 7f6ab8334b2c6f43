"""The configurable parts of the KPI definitions: :class:`KpiOptions`.

Thresholds, windows and buckets that a company may set otherwise than the
defaults (CSAT's "top two boxes", the repeat-complaint window, peak hours …).
Every value is checked when the options are built, so a KPI run never starts
on a definition it cannot apply.

Example:
    >>> KpiOptions().top_n, KpiOptions(top_n=10).top_n
    (5, 10)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData

__all__ = ["KpiOptions"]


def _fraction(value: Any, name: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
        message = f"{shown(value)} is not a fraction; accepted: a number from 0 to 1"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return float(value)


def _positive_td(value: Any, name: str) -> timedelta:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        message = f"{shown(value)} is not a positive duration; accepted: a timedelta > 0"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return value


def _hours(value: Any, name: str) -> frozenset[int]:
    listed = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else None
    ok = listed is not None and all(type(h) is int and 0 <= h <= 23 for h in listed)
    items = frozenset(listed) if ok and listed is not None else None
    if items is None:
        message = f"{shown(value)} is not a set of hours; accepted: integers 0–23"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return items


def _ageing(value: Any, name: str) -> tuple[int, ...]:
    items = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else ()
    if (
        not items
        or not all(type(d) is int and 0 < d <= check.MAX_INT for d in items)
        or list(items) != sorted(set(items))
    ):
        message = f"{shown(value)} is not an increasing list of days; accepted: e.g. (1, 3, 7, 30)"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return items


@attrs.frozen(slots=True, kw_only=True)
class KpiOptions:
    """The configurable parts of the KPI definitions.

    Args:
        csat_threshold: lowest score counted as satisfied by CSAT (4: "top two boxes").
        repeat_window: a ticket is a repeat complaint when the same customer
            opened another ticket of the same category within this time before it.
        peak_hours: local hours (0–23) of the calendar's zone counted as peak intake.
        callback_within: a low-score visit needs an outbound call within this time,
            when the SLA policy has no ``low_score_callback`` metric (or there is
            no policy); otherwise that metric is the rule.
        top_n: how many problem types the TOP list shows.
        frequency_threshold: a problem type is high-frequency when its share of
            the period's valid tickets is at least this.
        impact_threshold: a problem type is high-impact when at least this share of
            its tickets is urgent or escalated.
        batch_threshold: one customer with at least this many tickets of one
            category in the period is flagged as a batch complaint.
        failure_rate_threshold: a product whose tickets ÷ installed units reach
            this is flagged as a batch failure (when an installed base is given).
        ageing_days: the bounds, in days, of the backlog ageing buckets.

    Example:
        >>> KpiOptions(csat_threshold=5, repeat_window=timedelta(days=7)).repeat_window.days
        7
        >>> KpiOptions(frequency_threshold=1.5)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: frequency_threshold: 1.5 is not a fraction; accepted: a number from 0 to 1
    """

    csat_threshold: int = 4
    repeat_window: timedelta = timedelta(days=30)
    peak_hours: frozenset[int] = frozenset({9, 10, 11, 14, 15, 16})
    callback_within: timedelta = timedelta(hours=48)
    top_n: int = 5
    frequency_threshold: float = 0.15
    impact_threshold: float = 0.25
    batch_threshold: int = 5
    failure_rate_threshold: float = 0.05
    ageing_days: tuple[int, ...] = (1, 3, 7, 30)

    def __attrs_post_init__(self) -> None:
        check.run_checks(
            self,
            (
                ("csat_threshold", check.score(1, 5)),
                ("repeat_window", _positive_td),
                ("peak_hours", _hours),
                ("callback_within", _positive_td),
                ("top_n", check.integer(1)),
                ("frequency_threshold", _fraction),
                ("impact_threshold", _fraction),
                ("batch_threshold", check.integer(2)),
                ("failure_rate_threshold", _fraction),
                ("ageing_days", _ageing),
            ),
        )
