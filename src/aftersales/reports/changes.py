"""How a figure changed against an earlier period: 环比 (previous period) and 同比 (a year before).

Counts and durations change relatively (``+9.3 %``: the difference divided by
the earlier value); rates change in percentage points (``-1.9 pp``, 个百分点:
the difference of two percentages); scores, NPS and ratios change in points
(the plain difference). :meth:`Change.between` picks the kind from the unit.

Example:
    >>> Change.between(106, 97, "count").value, Change.between(67.3, 69.2, "pct").kind
    (9.278350515463918, 'pp')
"""

from __future__ import annotations

import math
from typing import Final

import attrs

from aftersales.errors import UnknownValue

__all__ = ["CHANGE_KINDS", "Change", "point_change", "relative_change"]

#: What a change is measured in: a relative change (percent of the earlier value),
#: percentage points, or points of the figure itself.
CHANGE_KINDS: Final = ("relative", "pp", "points")

_KIND_OF_UNIT: Final = {
    "count": "relative",
    "h": "relative",
    "cal_h": "relative",
    "pct": "pp",
    "score": "points",
    "nps": "points",
    "ratio": "points",
}


def relative_change(now: float | None, before: float | None) -> float | None:
    """``(now - before) / |before|`` in percent; ``None`` when either is missing, ``before``
    is 0, or the quotient overflows.

    Example:
        >>> relative_change(110, 100), relative_change(5, 0), relative_change(None, 3)
        (10.0, None, None)
    """
    if now is None or before is None or before == 0:
        return None
    change = (now - before) / abs(before) * 100
    return change if math.isfinite(change) else None


def point_change(now: float | None, before: float | None) -> float | None:
    """``now - before``; ``None`` when either is missing.

    Example:
        >>> round(point_change(67.3, 69.2), 1), point_change(None, 1.0)
        (-1.9, None)
    """
    if now is None or before is None:
        return None
    return now - before


@attrs.frozen(slots=True)
class Change:
    """A change of one figure: its ``value`` (``None``: not measurable) and ``kind``.

    ``kind`` is one of :data:`CHANGE_KINDS`: ``"relative"`` (percent of the
    earlier value), ``"pp"`` (percentage points) or ``"points"``.

    Example:
        >>> Change.between(2.0, 2.5, "h")
        Change(value=-20.0, kind='relative')
        >>> Change.between(4.41, 4.19, "score").kind
        'points'
    """

    value: float | None
    kind: str = attrs.field(validator=attrs.validators.in_(CHANGE_KINDS))

    @classmethod
    def between(cls, now: float | None, before: float | None, unit: str) -> Change:
        """The change from ``before`` to ``now`` of a figure in ``unit`` (see
        :data:`~aftersales.reports.indicators.UNITS`)."""
        try:
            kind = _KIND_OF_UNIT[unit]
        except KeyError:
            raise UnknownValue("unit", unit, list(_KIND_OF_UNIT)) from None
        if kind == "relative":
            return cls(relative_change(now, before), kind)
        return cls(point_change(now, before), kind)

    def to_dict(self) -> dict[str, object]:
        """``{"value": …, "kind": …}``.

        Example:
            >>> Change(1.5, "pp").to_dict()
            {'value': 1.5, 'kind': 'pp'}
        """
        return {"value": self.value, "kind": self.kind}
