"""What a report reads from a store beside its tickets: :func:`read_report_inputs` → :class:`ReportInputs`.

A report builder reads its tickets from a store; the rest it is fed — the
answered surveys (NPS, satisfaction, feedback), the root causes, the
improvement actions, the key customers — comes from the same store when the
store keeps them. This module gathers them in one place, so that every
entry point that builds a report of a store (the HTTP API's
``GET /reports/{kind}``, ``aftersales report``, the demo) shows the same:

* **surveys**: those answered from a year before the period's start (the
  same period last year, for 同比) or from two periods before it (the
  rolling comparison), whichever is earlier, to the period's end — a store
  with ``find_surveys`` (:class:`~aftersales.storage.SurveyStore`);
* **root causes**: every stored one (the report lists those explaining the
  period's tickets) — a store with ``find_root_causes``;
* **actions**: the open improvement actions (the plan, and the ones due next
  month) — a store with ``find_actions``;
* **key customers**: the ids of the customers marked key accounts — a store
  with ``find_customer_ids``;
* **installed base**: units in service per product model, for the product
  batch failures (failure rates) — a store with ``find_installed_base``
  (:class:`~aftersales.storage.InstalledBaseStore`).

A source without one of these simply gives none of it (an iterable of
tickets gives nothing). Reports are domain: this module knows stores only
by the methods it calls.

Example:
    >>> from aftersales.kpi import Period
    >>> from aftersales.storage import SQLiteStore
    >>> inputs = read_report_inputs(SQLiteStore(":memory:"), Period.parse("2026-12", "Asia/Shanghai"))
    >>> inputs.arguments("monthly")
    {'key_customers': frozenset(), 'surveys': (), 'actions': (), 'root_causes': (), 'installed_base': {}}
    >>> read_report_inputs([], Period.parse("2026-12", "UTC")).arguments("daily")
    {'key_customers': frozenset()}
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import attrs
import pendulum

from aftersales.calendar import WorkCalendar
from aftersales.errors import UnknownValue
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.kpi.periods import Period
from aftersales.kpi.surveys import SurveyResponse

__all__ = ["REPORT_INPUTS", "ReportInputs", "read_report_inputs", "report_period", "survey_span"]

#: The inputs each report kind takes beside its tickets, by kind.
REPORT_INPUTS: dict[str, tuple[str, ...]] = {
    "daily": ("key_customers",),
    "weekly": ("key_customers", "actions"),
    "monthly": ("key_customers", "surveys", "actions", "root_causes", "installed_base"),
    "quarterly": ("key_customers", "surveys", "actions", "root_causes", "installed_base"),
    "yearly": ("key_customers", "surveys", "actions", "root_causes", "installed_base"),
}

#: The period kind of each report kind.
_PERIOD_KINDS = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "yearly": "year",
}


@runtime_checkable
class _SurveySource(Protocol):
    def find_surveys(
        self, *, start: pendulum.DateTime | None = None, end: pendulum.DateTime | None = None
    ) -> list[SurveyResponse]: ...


@runtime_checkable
class _ImprovementSource(Protocol):
    def find_root_causes(self) -> list[RootCause]: ...

    def find_actions(self, *, open_only: bool = False) -> list[ImprovementAction]: ...


@runtime_checkable
class _InstalledBaseSource(Protocol):
    def find_installed_base(self) -> dict[str, int]: ...


@runtime_checkable
class _CustomerSource(Protocol):
    def find_customer_ids(self, *, key_account: bool | None = None) -> list[str]: ...


@attrs.frozen(slots=True, kw_only=True)
class ReportInputs:
    """The surveys, root causes, open actions, key customers and installed base a report of a store is fed.

    Example:
        >>> ReportInputs(key_customers=frozenset({"C1"})).arguments("weekly")
        {'key_customers': frozenset({'C1'}), 'actions': ()}
        >>> ReportInputs().arguments("hourly")
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: kind: 'hourly' is not a known value; accepted: 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'
    """

    surveys: tuple[SurveyResponse, ...] = ()
    root_causes: tuple[RootCause, ...] = ()
    actions: tuple[ImprovementAction, ...] = ()
    key_customers: frozenset[str] = frozenset()
    installed_base: dict[str, int] = attrs.field(factory=dict)

    def arguments(self, kind: str) -> dict[str, Any]:
        """The keyword arguments of the ``kind`` report's builder (``monthly(source, month, **...)``)."""
        names = REPORT_INPUTS.get(kind)
        if names is None:
            raise UnknownValue("kind", kind, list(REPORT_INPUTS))
        return {name: getattr(self, name) for name in names}


def report_period(kind: str, value: str | Period, calendar: WorkCalendar) -> Period:
    """The period a ``kind`` report of ``value`` covers, in the calendar's zone, as the builders read it.

    A date in the period is enough (``"2026-12-15"`` for a monthly report is December).

    Example:
        >>> report_period("monthly", "2026-12-15", WorkCalendar.always("Asia/Shanghai")).label
        '2026-12'
        >>> report_period("hourly", "2026-12-15", WorkCalendar.always("UTC"))
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: kind: 'hourly' is not a known value; accepted: 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'
    """
    wanted = _PERIOD_KINDS.get(kind)
    if wanted is None:
        raise UnknownValue("kind", kind, list(_PERIOD_KINDS))
    tz = str(calendar.tz)
    period = value if isinstance(value, Period) else Period.parse(value, tz)
    if period.kind != wanted:
        period = Period.of_date(wanted, period.first, period.tz)  # type: ignore[arg-type]
    return period


def survey_span(period: Period) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """The span ``[start, end)`` of the surveys a report of ``period`` reads (see the module).

    Example:
        >>> start, end = survey_span(Period.parse("2026-12", "Asia/Shanghai"))
        >>> start.in_timezone("Asia/Shanghai").date().isoformat(), end.in_timezone("Asia/Shanghai").date().isoformat()
        ('2025-12-01', '2027-01-01')
        >>> survey_span(Period.parse("2026", "UTC"))[0].date().isoformat()
        '2024-01-01'
    """
    rolling = period.previous().previous().start
    return min(rolling, period.start.subtract(years=1)), period.end


def read_report_inputs(source: object, period: Period) -> ReportInputs:
    """What ``source`` keeps for a report of ``period`` beside its tickets (see the module).

    Example:
        >>> import pendulum
        >>> from aftersales.kpi import SurveyResponse
        >>> from aftersales.storage import MemoryStore
        >>> store = MemoryStore()
        >>> at = pendulum.datetime(2026, 12, 3, 10, tz="Asia/Shanghai")
        >>> store.save_survey(SurveyResponse(id="S-1", at=at, channel="wechat", recorded_by="李娜", nps=9))
        >>> store.save_survey(SurveyResponse(id="S-2", at=at.add(months=1), channel="wechat", recorded_by="李娜", nps=3))
        >>> [s.id for s in read_report_inputs(store, Period.parse("2026-12", "Asia/Shanghai")).surveys]
        ['S-1']
    """
    surveys: tuple[SurveyResponse, ...] = ()
    causes: tuple[RootCause, ...] = ()
    actions: tuple[ImprovementAction, ...] = ()
    keys: frozenset[str] = frozenset()
    units: dict[str, int] = {}
    if isinstance(source, _SurveySource):
        start, end = survey_span(period)
        surveys = tuple(source.find_surveys(start=start, end=end))
    if isinstance(source, _ImprovementSource):
        causes = tuple(source.find_root_causes())
        actions = tuple(source.find_actions(open_only=True))
    if isinstance(source, _CustomerSource):
        keys = frozenset(source.find_customer_ids(key_account=True))
    if isinstance(source, _InstalledBaseSource):
        units = source.find_installed_base()
    return ReportInputs(
        surveys=surveys,
        root_causes=causes,
        actions=actions,
        key_customers=keys,
        installed_base=units,
    )
