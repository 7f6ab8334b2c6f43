"""Daily, weekly and monthly after-sales reports (日报 / 周报 / 月报).

Each builder returns an immutable report with ``to_dict()``,
``to_markdown(lang="zh"|"en")`` and ``to_html(lang=...)`` (a self-contained
page; charts as inline SVG when the ``report`` extra, pygal, is installed).
A report is read at one instant (``at``; by default ``min(now, end of the
period)``, see :func:`read_at`), and its Markdown escapes every string that
comes from data (see :func:`escape_markdown`).

Modules: :mod:`~aftersales.reports.builders` (``daily``, ``weekly``,
``monthly``, ``quarterly``, ``yearly``), :mod:`~aftersales.reports.targets`
(``KpiTargets``), :mod:`~aftersales.reports.external_figures` (figures the
host supplies), :mod:`~aftersales.reports.outlook` (总结与展望), :mod:`~aftersales.reports.core` (the report values),
:mod:`~aftersales.reports.reading` (when a report reads, from which
``TicketSource``), :mod:`~aftersales.reports.layout` (a report as sections),
:mod:`~aftersales.reports.blocks` (tables, paragraphs, charts) and the
renderers :mod:`~aftersales.reports.markdown`, :mod:`~aftersales.reports.html`
and :mod:`~aftersales.reports.charts`. Imports go one way: builders → report
values (core) → layout and renderers → blocks, and nothing imports back.
Reports are domain: they import only the domain (kpi, model, improvement,
vocabulary …), never storage or the desk.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
    >>> "闭环率" in report.to_markdown(lang="zh")
    True
"""

from aftersales.reports.builders import daily, monthly, quarterly, weekly, yearly
from aftersales.reports.changes import Change
from aftersales.reports.charts import charts_available
from aftersales.reports.core import DailyReport, MonthlyReport, WeeklyReport
from aftersales.reports.escaping import escape_markdown
from aftersales.reports.external_figures import ExternalFigure, external_figures_from_toml
from aftersales.reports.layout import INDICATORS
from aftersales.reports.lines import ActionItem, FeedbackLine, TicketLine
from aftersales.reports.outlook import Outlook, OutlookItem
from aftersales.reports.reading import TicketSource, read_at
from aftersales.reports.targets import KpiTarget, KpiTargets

__all__ = [
    "INDICATORS",
    "ActionItem",
    "Change",
    "DailyReport",
    "ExternalFigure",
    "FeedbackLine",
    "KpiTarget",
    "KpiTargets",
    "MonthlyReport",
    "Outlook",
    "OutlookItem",
    "TicketLine",
    "TicketSource",
    "WeeklyReport",
    "charts_available",
    "daily",
    "escape_markdown",
    "external_figures_from_toml",
    "monthly",
    "quarterly",
    "read_at",
    "weekly",
    "yearly",
]
