"""The indicators of the deck's KPI table: how each is read from the figures, its unit, which way is better.

:data:`INDICATORS` maps each key to how its value is read from
:class:`~aftersales.kpi.KpiFigures` and its unit: ``count``, ``pct`` (a rate
in percent), ``h`` (working hours), ``cal_h`` (calendar hours), ``score``
(satisfaction 1–5), ``nps`` (−100…100) or ``ratio``. :data:`BETTER` says
whether a higher value is better (``1``), a lower one (``-1``) or neither
(``0``, e.g. the volume received): the summary's improvements and declines
follow it.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.kpi import Period, ServiceKpis
    >>> figures = ServiceKpis(Period.parse("2026-10", "UTC"), WorkCalendar.always("UTC")).result()
    >>> indicator_value("received", figures), indicator_unit("closure"), BETTER["fr_mean"]
    (0.0, 'pct', -1)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Final

from aftersales.errors import UnknownValue
from aftersales.kpi.accumulators import Rate
from aftersales.kpi.figures import KpiFigures

__all__ = ["BETTER", "INDICATORS", "UNITS", "indicator_unit", "indicator_value"]

_H = timedelta(hours=1)

#: The units an indicator (or a host-supplied figure) may have.
UNITS: Final = ("count", "pct", "h", "cal_h", "score", "nps", "ratio")


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else value / _H


def _pct(rate: Rate) -> float | None:
    return rate.percent


def _sla_pct(metric: str) -> Callable[[KpiFigures], float | None]:
    def read(figures: KpiFigures) -> float | None:
        item = figures.sla_for(metric)
        return None if item is None else item.rate.percent

    return read


#: The KPI table's indicators: key → (value of the figures, unit).
INDICATORS: dict[str, tuple[Callable[[KpiFigures], float | None], str]] = {
    "received": (lambda f: float(f.received), "count"),
    "closure": (lambda f: _pct(f.closure), "pct"),
    "first_line": (lambda f: _pct(f.first_line), "pct"),
    "escalation": (lambda f: _pct(f.escalation), "pct"),
    "second_line": (lambda f: _pct(f.second_line), "pct"),
    "reopen": (lambda f: _pct(f.reopen), "pct"),
    "repeat": (lambda f: _pct(f.repeat), "pct"),
    "one_touch": (lambda f: _pct(f.one_touch), "pct"),
    "fr_mean": (lambda f: _hours(f.first_response.mean), "h"),
    "fr_median": (lambda f: _hours(f.first_response.median), "h"),
    "fr_p90": (lambda f: _hours(f.first_response.p90), "h"),
    "fr_cal": (lambda f: _hours(f.first_response_calendar.mean), "cal_h"),
    "res_mean": (lambda f: _hours(f.resolution.mean), "h"),
    "res_median": (lambda f: _hours(f.resolution.median), "h"),
    "res_p90": (lambda f: _hours(f.resolution.p90), "h"),
    "res_cal": (lambda f: _hours(f.resolution_calendar.mean), "cal_h"),
    "onsite_24h": (_sla_pct("onsite_within"), "pct"),
    "satisfaction": (lambda f: f.satisfaction.mean, "score"),
    "csat": (lambda f: f.satisfaction.csat, "pct"),
    "nps": (lambda f: f.nps.score, "nps"),
    "visit_coverage": (lambda f: _pct(f.visit_coverage), "pct"),
    "key_visit_coverage": (lambda f: _pct(f.key_visit_coverage), "pct"),
    "low_score_callback": (lambda f: _pct(f.low_score_callback), "pct"),
    "channel_consistency": (lambda f: f.channel_consistency, "ratio"),
    "peak_ratio": (lambda f: f.peak.ratio, "ratio"),
    "backlog_count": (lambda f: float(f.backlog), "count"),
}

#: Which way each indicator is better: 1 higher, -1 lower, 0 neither.
BETTER: dict[str, int] = {
    "received": 0,
    "closure": 1,
    "first_line": 1,
    "escalation": -1,
    "second_line": 1,
    "reopen": -1,
    "repeat": -1,
    "one_touch": 1,
    "fr_mean": -1,
    "fr_median": -1,
    "fr_p90": -1,
    "fr_cal": -1,
    "res_mean": -1,
    "res_median": -1,
    "res_p90": -1,
    "res_cal": -1,
    "onsite_24h": 1,
    "satisfaction": 1,
    "csat": 1,
    "nps": 1,
    "visit_coverage": 1,
    "key_visit_coverage": 1,
    "low_score_callback": 1,
    "channel_consistency": -1,
    "peak_ratio": -1,
    "backlog_count": -1,
}


def indicator_value(indicator: str, figures: KpiFigures) -> float | None:
    """The value of one KPI-table indicator (percent for rates, hours for durations).

    ``onsite_24h`` is the achievement rate of the SLA metric ``onsite_within``
    (``None`` when the policy has no such metric or nothing was measured).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.kpi import Period, ServiceKpis
        >>> figures = ServiceKpis(Period.parse("2026-10", "UTC"), WorkCalendar.always("UTC")).result()
        >>> indicator_value("received", figures), indicator_value("closure", figures)
        (0.0, None)
    """
    try:
        getter, _ = INDICATORS[indicator]
    except KeyError:
        raise UnknownValue("indicator", indicator, list(INDICATORS)) from None
    return getter(figures)


def indicator_unit(indicator: str) -> str:
    """The unit of one KPI-table indicator (one of :data:`UNITS`).

    Example:
        >>> indicator_unit("fr_mean"), indicator_unit("res_cal")
        ('h', 'cal_h')
        >>> indicator_unit("speed")
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: indicator: 'speed' is not a known value; accepted: 'received', 'closure', 'first_line', 'escalation', 'second_line', 'reopen', 'repeat', 'one_touch', 'fr_mean', 'fr_median', 'fr_p90', 'fr_cal', 'res_mean', 'res_median', 'res_p90', 'res_cal', 'onsite_24h', 'satisfaction', 'csat', 'nps', 'visit_coverage', 'key_visit_coverage', 'low_score_callback', 'channel_consistency', 'peak_ratio', 'backlog_count'
    """
    try:
        return INDICATORS[indicator][1]
    except KeyError:
        raise UnknownValue("indicator", indicator, list(INDICATORS)) from None
