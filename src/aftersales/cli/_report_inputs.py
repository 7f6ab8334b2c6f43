"""What ``aftersales report KIND --db STORE`` reads from the store beside the tickets.

The same as the HTTP API's ``GET /reports/{kind}`` reads
(:func:`aftersales.reports.stored_inputs.read_report_inputs`): the answered
surveys (NPS, satisfaction, feedback by class), the root causes, the open
improvement actions, the key customers and the installed base. :func:`stored_report_arguments`
gives them as the keyword arguments of the report's builder, for the period
the command names (a date in it is enough: ``--month 2026-12-15`` is
December).

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.storage import SQLiteStore
    >>> sorted(stored_report_arguments(SQLiteStore(":memory:"), "monthly", "2026-12", WorkCalendar.always("UTC")))
    ['actions', 'installed_base', 'key_customers', 'root_causes', 'surveys']
"""

from __future__ import annotations

from typing import Any

from aftersales.calendar import WorkCalendar
from aftersales.reports.stored_inputs import read_report_inputs, report_period

__all__ = ["stored_report_arguments"]


def stored_report_arguments(
    store: object, kind: str, text: str, calendar: WorkCalendar
) -> dict[str, Any]:
    """The builder's keyword arguments ``store`` keeps for a ``kind`` report of ``text``."""
    period = report_period(kind, text, calendar)
    return read_report_inputs(store, period).arguments(kind)
