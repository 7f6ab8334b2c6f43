"""Daily, weekly and monthly after-sales reports (日报 / 周报 / 月报).

Each builder returns an immutable report with ``to_dict()``,
``to_markdown(lang="zh"|"en")`` and ``to_html(lang=...)`` (a self-contained
page; charts as inline SVG when the ``report`` extra, pygal, is installed).
A report is read at one instant (``at``; by default ``min(now, end of the
period)``, see :func:`read_at`), and its Markdown escapes every string that
comes from data (see :func:`escape_markdown`).

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
    >>> "闭环率" in report.to_markdown(lang="zh")
    True
"""

from aftersales.reports.core import (
    ActionItem,
    DailyReport,
    FeedbackLine,
    MonthlyReport,
    TicketLine,
    WeeklyReport,
    daily,
    monthly,
    weekly,
)
from aftersales.reports.escaping import escape_markdown
from aftersales.reports.reading import read_at
from aftersales.reports.render import INDICATORS, charts_available

__all__ = [
    "INDICATORS",
    "ActionItem",
    "DailyReport",
    "FeedbackLine",
    "MonthlyReport",
    "TicketLine",
    "WeeklyReport",
    "charts_available",
    "daily",
    "escape_markdown",
    "monthly",
    "read_at",
    "weekly",
]
