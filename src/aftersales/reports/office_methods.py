"""The report's methods that write office files: ``to_pptx`` (PowerPoint) and ``to_xlsx`` (Excel).

Every report (daily, weekly, monthly, quarterly, yearly) has them through
:class:`OfficeFiles`; they write the same sections as ``to_markdown`` and
``to_html``, with :func:`~aftersales.reports.pptx_writer.write_pptx` and
:func:`~aftersales.reports.xlsx_writer.write_xlsx`.

Example:
    >>> import tempfile, pathlib
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.reports import monthly
    >>> from aftersales.testing.samples import sample_ticket
    >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> report.to_pptx(folder / "m.pptx", "en").name, report.to_xlsx(folder / "m.xlsx", "en").name
    ('m.pptx', 'm.xlsx')
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pendulum

from aftersales.kpi.periods import Period
from aftersales.model.ticket import Ticket
from aftersales.reports.blocks import Section
from aftersales.reports.labels import check_lang
from aftersales.reports.pptx_writer import write_pptx
from aftersales.reports.reading import TicketSource
from aftersales.reports.xlsx_writer import tickets_of_period, write_xlsx

__all__ = ["OfficeFiles"]


class OfficeFiles:
    """``to_pptx`` and ``to_xlsx`` for a report with sections, a title and a read note.

    Example:
        >>> from aftersales.reports import MonthlyReport
        >>> issubclass(MonthlyReport, OfficeFiles)
        True
    """

    period: Period

    @property
    def read_at(self) -> pendulum.DateTime:
        raise NotImplementedError

    def sections(self, lang: str) -> list[Section]:
        raise NotImplementedError

    def title(self, lang: str) -> str:
        raise NotImplementedError

    def read_note(self, lang: str) -> str:
        raise NotImplementedError

    def _labels(self) -> AbstractContextManager[object]:
        raise NotImplementedError

    def to_pptx(self, path: str | os.PathLike[str], lang: str = "zh") -> Path:
        """Write the report as a PowerPoint deck at ``path`` (python-pptx, the ``report`` extra).

        A title slide, then each section in order on its own slide(s): native
        tables (met / missed cells filled), native charts, text boxes. Returns
        the path. See :mod:`~aftersales.reports.pptx_writer`.

        Example:
            >>> import tempfile, pathlib
            >>> from pptx import Presentation
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.reports import daily
            >>> report = daily([], "2026-10-12", calendar=WorkCalendar.china())
            >>> deck = report.to_pptx(pathlib.Path(tempfile.mkdtemp()) / "d.pptx", "en")
            >>> Presentation(str(deck)).slides[0].shapes.title.text
            'After-sales daily problem report 2026-10-12'
        """
        check_lang(lang)
        with self._labels():
            return write_pptx(
                path, self.title(lang), self.sections(lang), lang=lang, note=self.read_note(lang)
            )

    def to_xlsx(
        self,
        path: str | os.PathLike[str],
        lang: str = "zh",
        *,
        tickets: TicketSource | Iterable[Ticket] | None = None,
    ) -> Path:
        """Write the report as an Excel workbook at ``path`` (openpyxl): a sheet per section.

        ``tickets`` (the store or tickets the report was built from) adds a
        sheet of the tickets received in the period, as they stood when the
        report was read, contacts masked. Returns the path. See
        :mod:`~aftersales.reports.xlsx_writer`.

        Example:
            >>> import tempfile, pathlib
            >>> from openpyxl import load_workbook
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.reports import daily
            >>> from aftersales.testing.samples import sample_ticket
            >>> report = daily([sample_ticket()], "2024-05-10", calendar=WorkCalendar.china())
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.xlsx"
            >>> book = load_workbook(report.to_xlsx(path, "en", tickets=[sample_ticket()]))
            >>> [row[0].value for row in book["Tickets"].iter_rows()]
            ['Ticket', 'T202405001']
        """
        check_lang(lang)
        listed: Any = None
        if tickets is not None:
            listed = tickets_of_period(tickets, self.period, self.read_at)
        with self._labels():
            return write_xlsx(
                path,
                self.title(lang),
                self.sections(lang),
                lang=lang,
                note=self.read_note(lang),
                tickets=listed,
                tz=self.period.tz,
            )
