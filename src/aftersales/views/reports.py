"""The public JSON view of a daily, weekly or monthly report.

A report's own ``to_dict()`` is its JSON form; :func:`report_view` checks that
it is one of the three reports and returns that form as plain JSON data (lists,
never tuples). Reports name customers but hold no contact details, so nothing
needs masking. Imports: the domain only.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.reports import monthly
    >>> from aftersales.testing.samples import sample_ticket
    >>> view = report_view(monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china()))
    >>> view["kind"], view["period"], view["figures"]["received"]
    ('monthly', '2024-05', 1)
"""

from __future__ import annotations

from typing import Any

from aftersales.errors import InvalidData
from aftersales.reports.core import DailyReport, MonthlyReport, WeeklyReport

__all__ = ["REPORT_KINDS", "report_view"]

#: The report classes by the ``kind`` their view carries.
REPORT_KINDS: dict[str, type] = {
    "daily": DailyReport,
    "weekly": WeeklyReport,
    "monthly": MonthlyReport,
}


def report_view(report: DailyReport | WeeklyReport | MonthlyReport) -> dict[str, Any]:
    """The report's JSON form (``kind``, ``period``, ``read_at``, ``figures`` …) as plain data.

    Example:
        >>> report_view("monthly")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: report: str is not a report; accepted: a DailyReport, WeeklyReport or MonthlyReport
    """
    if not isinstance(report, tuple(REPORT_KINDS.values())):
        message = (
            f"{type(report).__name__} is not a report;"
            " accepted: a DailyReport, WeeklyReport or MonthlyReport"
        )
        raise InvalidData(f"report: {message}", problems=[("report", message)])
    plain: dict[str, Any] = _plain(report.to_dict())
    return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
