"""The standard formulas of after-sales KPIs, as plain functions.

Every function takes plain numbers and returns a plain number (or ``None``
when the figure is undefined because nothing was measured), so the same
formula serves the accumulators, a spreadsheet check and a SQL pushdown.

Example:
    >>> nps([10, 9, 8, 6, 3])
    0.0
    >>> csat([5, 4, 3, 1])
    50.0
    >>> percentile([1, 2, 3, 4], 0.5)
    2.5
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from aftersales import _checks as check
from aftersales.errors import InvalidData, ScoreOutOfRange

__all__ = [
    "coefficient_of_variation",
    "csat",
    "mean",
    "nps",
    "percentile",
    "rate",
    "satisfaction_mean",
]


def _scores(values: Iterable[int], low: int, high: int, name: str) -> list[int]:
    out = []
    for index, value in enumerate(check.items(values, name)):
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ScoreOutOfRange(f"{name}[{index}]", value, low=low, high=high)
        out.append(value)
    return out


def nps(scores_0_to_10: Iterable[int]) -> float | None:
    """Net Promoter Score: % of promoters (9–10) minus % of detractors (0–6), −100…100.

    Reichheld, F. F. (2003), "The One Number You Need to Grow", *Harvard
    Business Review* 81(12). ``None`` for no responses.

    Example:
        >>> nps([10, 10, 9, 7, 0])  # 3 promoters, 1 detractor of 5
        40.0
        >>> nps([]) is None
        True
        >>> nps([11])
        Traceback (most recent call last):
        ...
        aftersales.errors.ScoreOutOfRange: scores_0_to_10[0]: 11 is out of range; accepted: an integer from 0 to 10
    """
    values = _scores(scores_0_to_10, 0, 10, "scores_0_to_10")
    if not values:
        return None
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return 100.0 * (promoters - detractors) / len(values)


def csat(scores_1_to_5: Iterable[int], *, threshold: int = 4) -> float | None:
    """Customer satisfaction score: percent of scores at or above ``threshold`` (4 and 5).

    The usual "top-two-box" CSAT on a 1–5 scale (ACSI / ISO 10004 practice).
    ``None`` for no scores.

    Example:
        >>> csat([5, 4, 4, 2])
        75.0
        >>> csat([5, 3], threshold=5)
        50.0
    """
    if not isinstance(threshold, int) or isinstance(threshold, bool) or not 1 <= threshold <= 5:
        raise ScoreOutOfRange("threshold", threshold, low=1, high=5)
    values = _scores(scores_1_to_5, 1, 5, "scores_1_to_5")
    if not values:
        return None
    return 100.0 * sum(1 for v in values if v >= threshold) / len(values)


def satisfaction_mean(scores_1_to_5: Iterable[int]) -> float | None:
    """The mean satisfaction score on the 1–5 scale, ``None`` for no scores.

    Example:
        >>> satisfaction_mean([5, 4, 3])
        4.0
    """
    values = _scores(scores_1_to_5, 1, 5, "scores_1_to_5")
    return mean(values)


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, ``None`` for no values.

    Example:
        >>> mean([1, 2, 6])
        3.0
    """
    return math.fsum(values) / len(values) if values else None


def rate(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` as a fraction, ``None`` when the denominator is 0.

    Example:
        >>> rate(19, 20)
        0.95
        >>> rate(0, 0) is None
        True
    """
    if denominator < 0 or numerator < 0 or numerator > denominator:
        message = f"{numerator}/{denominator} is not a proportion; accepted: 0 <= numerator <= denominator"
        raise InvalidData(f"rate: {message}", problems=[("rate", message)])
    return numerator / denominator if denominator else None


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """The exact ``q``-quantile of already sorted values, by linear interpolation.

    Hyndman & Fan (1996) definition 7, the default of numpy and pandas:
    ``h = (n - 1) q``, then interpolate between the values of rank
    ``floor(h)`` and ``floor(h) + 1``. ``None`` for no values.

    Example:
        >>> percentile([10, 20, 30, 40, 50], 0.9)
        46.0
        >>> percentile([7], 0.9)
        7.0
    """
    if not 0.0 <= q <= 1.0:
        message = f"{q!r} is not a quantile; accepted: a number from 0 to 1"
        raise InvalidData(f"q: {message}", problems=[("q", message)])
    n = len(sorted_values)
    if n == 0:
        return None
    h = (n - 1) * q
    low = math.floor(h)
    if low + 1 >= n:
        return float(sorted_values[-1])
    a, b = sorted_values[low], sorted_values[low + 1]
    return float(a + (h - low) * (b - a))


def coefficient_of_variation(values: Sequence[float]) -> float | None:
    """Population standard deviation over mean: 0 when all values agree.

    Used for response-time consistency across channels (the per-channel means).
    ``None`` for fewer than two values or a zero mean.

    Example:
        >>> coefficient_of_variation([2.0, 2.0, 2.0])
        0.0
        >>> round(coefficient_of_variation([1.0, 3.0]), 3)
        0.5
    """
    if len(values) < 2:
        return None
    m = math.fsum(values) / len(values)
    if m == 0:
        return None
    variance = math.fsum((v - m) ** 2 for v in values) / len(values)
    return math.sqrt(variance) / m
