"""How a deck report compares its period: 环比, 同比, the rolling mean, targets and the summary.

:class:`PeriodComparisons` is the part of
:class:`~aftersales.reports.core.MonthlyReport` (monthly, quarterly, yearly)
that reads its figures against the previous periods (``history``), the same
period a year before (``year_ago``) and the ``targets``; the layout and the
JSON read these methods.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.reports import monthly
    >>> from aftersales.testing.samples import sample_ticket
    >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
    >>> report.value("received"), report.period_change("closure").kind, report.year_change("received")
    (1.0, 'pp', None)
"""

from __future__ import annotations

from typing import Any

from aftersales.kpi.figures import KpiFigures
from aftersales.kpi.periods import Period
from aftersales.reports.changes import Change
from aftersales.reports.external_figures import ExternalFigure
from aftersales.reports.indicators import indicator_unit, indicator_value
from aftersales.reports.lines import ActionItem
from aftersales.reports.outlook import Outlook, summarize
from aftersales.reports.targets import KpiTargets

__all__ = ["PeriodComparisons"]


class PeriodComparisons:
    """The comparisons of a deck report (a mix-in: the report holds the figures).

    Example:
        >>> from aftersales.reports import MonthlyReport
        >>> issubclass(MonthlyReport, PeriodComparisons)
        True
    """

    __slots__ = ()

    period: Period
    figures: KpiFigures
    history: tuple[KpiFigures, ...]
    year_ago: KpiFigures | None
    targets: KpiTargets
    actions: tuple[ActionItem, ...]
    external_figures: tuple[ExternalFigure, ...]
    supervisor_notes: str

    def value(self, indicator: str, months_back: int = 0) -> float | None:
        """An indicator of the KPI table (see :data:`~aftersales.reports.layout.INDICATORS`)
        for this month (0) or one of the two before (1, 2).

        Example:
            >>> from aftersales.reports import monthly
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
            >>> report.value("received"), report.value("received", 1)
            (1.0, 0.0)
        """
        figures = self.figures if months_back == 0 else self.history[months_back - 1]
        return indicator_value(indicator, figures)

    def change(self, indicator: str) -> float | None:
        """This period minus the previous one, in the indicator's unit (see
        :meth:`period_change` for the change the report shows)."""
        now, before = self.value(indicator), self.value(indicator, 1)
        return None if now is None or before is None else now - before

    def period_change(self, indicator: str) -> Change:
        """环比: the change from the previous period, relative for counts and durations,
        in percentage points for rates, in points otherwise (see :class:`~aftersales.reports.changes.Change`).

        Example:
            >>> from aftersales.reports import monthly
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
            >>> report.period_change("received"), report.period_change("closure").kind
            (Change(value=None, kind='relative'), 'pp')
        """
        unit = indicator_unit(indicator)
        return Change.between(self.value(indicator), self.value(indicator, 1), unit)

    def year_change(self, indicator: str) -> Change | None:
        """同比: the change from the same period a year before; ``None`` without last year's data.

        Example:
            >>> from aftersales.reports import monthly
            >>> from aftersales.calendar import WorkCalendar
            >>> monthly([], "2026-10", calendar=WorkCalendar.china()).year_change("received") is None
            True
        """
        if self.year_ago is None:
            return None
        unit = indicator_unit(indicator)
        before = indicator_value(indicator, self.year_ago)
        return Change.between(self.value(indicator), before, unit)

    def outlook(self) -> Outlook:
        """总结与展望: highlights, lowlights, actions due next period, main risks and the
        supervisor's text (see :func:`~aftersales.reports.outlook.summarize`)."""
        return summarize(self)

    def months_with_data(self) -> int:
        """How many of this month and the two before received at least one ticket.

        Example:
            >>> from aftersales.reports import monthly
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china()).months_with_data()
            1
        """
        return sum(1 for f in (self.figures, *self.history) if f.received > 0)

    def _rolling_values(self, indicator: str) -> list[float]:
        values = []
        for index, figures in enumerate((self.figures, *self.history)):
            value = self.value(indicator, index)
            if figures.received > 0 and value is not None:
                values.append(value)
        return values

    def rolling(self, indicator: str) -> float | None:
        """The mean of this month and the two before, over the months with data.

        A month with data received at least one ticket; a month without is
        left out, never counted as zero, and so is a month whose figures did
        not measure the indicator (a rate with nothing to divide by).
        ``None`` when no month is left.

        Example:
            >>> from aftersales.reports import monthly
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
            >>> report.value("received", 1), report.rolling("received"), report.rolling_months("received")
            (0.0, 1.0, 1)
        """
        values = self._rolling_values(indicator)
        return sum(values) / len(values) if values else None

    def rolling_months(self, indicator: str) -> int:
        """How many months :meth:`rolling` averaged ``indicator`` over.

        Example:
            >>> from aftersales.reports import monthly
            >>> from aftersales.calendar import WorkCalendar
            >>> report = monthly([], "2026-10", calendar=WorkCalendar.china())
            >>> report.rolling_months("received"), report.rolling("received")
            (0, None)
        """
        return len(self._rolling_values(indicator))

    def kpi_row(self, key: str) -> dict[str, Any]:
        """One indicator's row of the KPI table as JSON: value, target and mark, the previous
        value, 环比 and 同比 (``period_change`` / ``year_change``), the rolling mean.

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.reports import monthly
            >>> row = monthly([], "2026-10", calendar=WorkCalendar.china()).kpi_row("closure")
            >>> row["target"], row["mark"], row["period_change"]
            ({'value': 95.0, 'direction': 'at_least'}, None, {'value': None, 'kind': 'pp'})
        """
        year = self.year_change(key)
        return {
            "indicator": key,
            "unit": indicator_unit(key),
            "value": self.value(key),
            "target": _target(self.targets, key),
            "mark": self.targets.mark(key, self.value(key)),
            "previous": self.value(key, 1),
            "change": self.change(key),
            "period_change": self.period_change(key).to_dict(),
            "year_ago": None if self.year_ago is None else indicator_value(key, self.year_ago),
            "year_change": None if year is None else year.to_dict(),
            "rolling_3_months": self.rolling(key),
            "rolling_months": self.rolling_months(key),
        }


def _target(targets: KpiTargets, indicator: str) -> dict[str, Any] | None:
    target = targets.get(indicator)
    return None if target is None else {"value": target.value, "direction": target.direction}
