"""Writing a report as an Excel workbook (openpyxl): a sheet per section, and the period's tickets.

:func:`write_xlsx` writes one sheet per section, named by its title, in the
report's order: the section's paragraphs as lines of text (highlights,
lowlights and risks marked ``▲`` ``▼`` ``⚠``), its tables with a bold header
row, and each chart as the table of its figures (a series per column; the
quadrants as one row per point, with its label). A cell that shows a number
is written as a number (``96.0%`` as 0.96 shown ``0.0%``, ``1,234`` as 1234,
``12.5 h`` stays text): what the supervisor sums or sorts. A cell marked
``met`` / ``missed`` is filled green / red. Texts are always texts, never
formulas.

``tickets`` (see :func:`tickets_of_period`) adds a last sheet, the period's
tickets one per row, their contact masked by the process's masking policy
(``138****5678``): a workbook is passed around, a contact is not.

Example:
    >>> import tempfile, pathlib
    >>> from aftersales.reports.blocks import Section, Table
    >>> book = pathlib.Path(tempfile.mkdtemp()) / "report.xlsx"
    >>> kpi = Table(["KPI", "value"], [["closure", "96.0%"]], marks=[[None, "met"]])
    >>> _ = write_xlsx(book, "Monthly", [Section("KPI", [kpi], key="kpi")], lang="en")
    >>> from openpyxl import load_workbook
    >>> sheet = load_workbook(book)["KPI"]
    >>> sheet["A1"].value, sheet["A2"].value, sheet["A4"].value
    ('Monthly', 'KPI', 'KPI')
    >>> sheet["B5"].value, sheet["B5"].number_format, sheet["B5"].fill.fgColor.rgb
    (0.96, '0.0%', '00DCFCE7')
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from aftersales.kpi.facts import as_of
from aftersales.kpi.periods import Period
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.reports.blocks import Chart, Paragraph, Section, Table
from aftersales.reports.labels import check_lang
from aftersales.reports.office import (
    MARK_FILLS,
    checked_output,
    optional_module,
    xml_safe,
    xml_text,
)
from aftersales.reports.pptx_writer import PARAGRAPH_PREFIXES
from aftersales.reports.reading import TicketSource
from aftersales.reports.slide_layout import display_width
from aftersales.reports.templating import block_kind, numeric_columns

__all__ = ["TICKET_COLUMNS", "tickets_of_period", "write_xlsx"]

#: The columns of the tickets sheet, in Chinese and English.
TICKET_COLUMNS: Final = {
    "zh": (
        "工单编号",
        "客户",
        "联系人(已脱敏)",
        "渠道",
        "问题类型",
        "优先级",
        "状态",
        "受理时间",
        "问题描述",
    ),
    "en": (
        "Ticket",
        "Customer",
        "Contact (masked)",
        "Channel",
        "Problem type",
        "Priority",
        "Status",
        "Received",
        "Problem",
    ),
}
_TICKETS_SHEET: Final = {"zh": "工单明细", "en": "Tickets"}
_KIND_COLOURS: Final = {
    "highlight": "166534",
    "lowlight": "B45309",
    "risk": "B91C1C",
    "supervisor": "1E40AF",
}
_PERCENT = re.compile(r"^([+\-]?\d+(?:\.(\d+))?)%$")
_INTEGER = re.compile(r"^[+\-]?\d{1,3}(?:,\d{3})*$|^[+\-]?\d+$")
_DECIMAL = re.compile(r"^[+\-]?\d+\.(\d+)$")
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_WIDEST = 60


def tickets_of_period(
    source: TicketSource | Iterable[Ticket], period: Period, at: Any = None
) -> list[Ticket]:
    """The tickets received in ``period``, as they stood at ``at`` (default: as they are).

    ``source`` is a store (anything with ``find``) or an iterable of tickets,
    as for the report builders; the tickets come in the order received.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> may = Period.parse("2024-05", "Asia/Shanghai")
        >>> [t.id for t in tickets_of_period([sample_ticket()], may)]
        ['T202405001']
        >>> tickets_of_period([sample_ticket()], Period.parse("2024-06", "Asia/Shanghai"))
        []
    """
    if isinstance(source, TicketSource):
        query = TicketQuery(received_from=period.start, received_before=period.end, limit=None)
        found = list(source.find(query))
    else:
        found = [t for t in source if period.start <= t.received_at < period.end]
    if at is not None:
        found = [seen for t in found if (seen := as_of(t, at)) is not None]
    return sorted(found, key=lambda t: (t.received_at, t.id))


def _sheet_title(title: str, taken: set[str]) -> str:
    base = _SHEET_NAME.sub(" ", title).strip()[:28] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        name, number = f"{base[:26]} {number}", number + 1
    taken.add(name.lower())
    return name


def _number(cell: str) -> tuple[float | int, str] | None:
    """A cell's number and its Excel format, when it shows a plain number or a percentage.

    A number written with its ``+`` (a change) keeps it: the format shows the sign.
    """
    found: tuple[float | int, str] | None = None
    percent = _PERCENT.match(cell)
    decimal = _DECIMAL.match(cell)
    if percent:
        places = len(percent.group(2) or "")
        shown = "0." + "0" * places + "%" if places else "0%"
        found = float(Decimal(percent.group(1)) / 100), shown
    elif _INTEGER.match(cell):
        found = int(cell.replace(",", "")), "#,##0" if "," in cell else "0"
    elif decimal:
        found = float(cell), "0." + "0" * len(decimal.group(1))
    if found is not None and cell.startswith("+"):
        value, shown = found
        found = value, f"+{shown};-{shown};{shown}"
    return found


class _Sheet:
    """Rows written one after the other on a worksheet, with the widths they need."""

    def __init__(self, openpyxl: Any, sheet: Any) -> None:
        self.xl, self.sheet, self.row = openpyxl, sheet, 1
        self.widths: dict[int, int] = {}

    def put(self, column: int, value: object, *, measure: bool = True, **style: Any) -> Any:
        if isinstance(value, str):
            value = xml_text(value)
        cell = self.sheet.cell(row=self.row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # a text, never a formula
            if measure:
                self.widths[column] = max(self.widths.get(column, 0), display_width(value))
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def text(self, value: str, **style: Any) -> None:
        """A line of text in the first column (it runs over the empty cells beside it)."""
        self.put(1, value, measure=False, **style)
        self.row += 1

    def header(self, headers: Sequence[str], numeric: Sequence[bool]) -> None:
        styles = self.xl.styles
        fill = styles.PatternFill("solid", fgColor="E2E8F0")
        for column, header in enumerate(headers, 1):
            right = styles.Alignment(horizontal="right" if numeric[column - 1] else "general")
            self.put(column, header, font=styles.Font(bold=True), fill=fill, alignment=right)
        self.row += 1

    def table(self, table: Table) -> None:
        styles = self.xl.styles
        numeric = numeric_columns(table)
        self.header(table.headers, numeric)
        if not table.rows:
            self.text("—")
        right = styles.Alignment(horizontal="right")
        for r, row in enumerate(table.rows):
            for c, value in enumerate(row):
                number = _number(value)
                cell = self.put(c + 1, value if number is None else number[0])
                if number is not None:
                    cell.number_format = number[1]
                    self.widths[c + 1] = max(self.widths.get(c + 1, 0), len(value))
                elif numeric[c]:
                    cell.alignment = right
                mark = table.marks[r][c] if table.marks else None
                if mark:
                    cell.fill = styles.PatternFill(
                        "solid", fgColor="".join(f"{part:02X}" for part in MARK_FILLS[mark])
                    )
                    cell.font = styles.Font(bold=True)
            self.row += 1

    def figures(
        self, headers: Sequence[str], labels: int, rows: Sequence[Sequence[object]]
    ) -> None:
        """A chart's figures: ``labels`` columns of texts, then numbers (a float shown ``0.0#``)."""
        self.header(headers, [column >= labels for column in range(len(headers))])
        for row in rows:
            for column, value in enumerate(row, 1):
                if isinstance(value, float):
                    self.put(column, round(value, 4)).number_format = "0.0#"
                else:
                    self.put(column, "—" if value is None else value)
            self.row += 1

    def chart(self, chart: Chart) -> None:
        self.text(chart.title, font=self.xl.styles.Font(italic=True, bold=True))
        if chart.kind == "scatter":
            labels = iter(chart.labels)
            axes = (chart.x_labels + ["x", "y"])[:2]
            points = [
                [next(labels, ""), name, float(x), float(y)]
                for name, series in chart.series
                for x, y in series
            ]
            self.figures(["", "", *axes], 2, points)
            return
        rows = [
            [label, *(values[i] for _, values in chart.series)]
            for i, label in enumerate(chart.x_labels)
        ]
        self.figures(["", *(name for name, _ in chart.series)], 1, rows)

    def fit(self) -> None:
        letter = self.xl.utils.get_column_letter
        for column, width in self.widths.items():
            self.sheet.column_dimensions[letter(column)].width = min(_WIDEST, width + 2)


def _paragraph(sheet: _Sheet, paragraph: Paragraph) -> None:
    font = sheet.xl.styles.Font(
        color=_KIND_COLOURS.get(paragraph.kind), italic=paragraph.kind == "supervisor"
    )
    sheet.text(PARAGRAPH_PREFIXES[paragraph.kind] + paragraph.text, font=font)


def _tickets(sheet: _Sheet, tickets: Sequence[Ticket], lang: str, tz: str) -> None:
    bold = sheet.xl.styles.Font(bold=True)
    for column, heading in enumerate(TICKET_COLUMNS[lang], 1):
        sheet.put(column, heading, font=bold)
    sheet.row += 1
    for ticket in tickets:
        contact = ""
        if ticket.contact is not None:
            shown = ticket.contact.masked()
            contact = " ".join(part for part in (shown.name, shown.phone, shown.email) if part)
        received = ticket.received_at.in_timezone(tz).naive()
        cells: list[object] = [
            ticket.id,
            ticket.customer_name,
            contact,
            ticket.channel.label(lang),
            ticket.category.label(lang),
            ticket.priority.label(lang),
            ticket.status.label(lang),
            received,
            ticket.description,
        ]
        for column, value in enumerate(cells, 1):
            cell = sheet.put(column, value)
            if column == 8:
                cell.number_format = "yyyy-mm-dd hh:mm"
                sheet.widths[column] = 17
        sheet.row += 1
    sheet.sheet.freeze_panes = "A2"
    sheet.sheet.auto_filter.ref = sheet.sheet.dimensions


def write_xlsx(
    path: str | os.PathLike[str],
    title: str,
    sections: Sequence[Section],
    *,
    lang: str,
    note: str = "",
    tickets: Sequence[Ticket] | None = None,
    tz: str = "Asia/Shanghai",
) -> Path:
    """Write ``sections`` (and ``tickets``, received times in ``tz``) as a workbook at ``path``.

    Returns the path (see the module for what each sheet holds).

    Example:
        >>> import tempfile, pathlib
        >>> from aftersales.reports.blocks import Paragraph, Section
        >>> from aftersales.testing.samples import sample_ticket
        >>> book = pathlib.Path(tempfile.mkdtemp()) / "r.xlsx"
        >>> _ = write_xlsx(book, "T", [Section("S", [Paragraph("a")])], lang="zh", tickets=[sample_ticket()])
        >>> from openpyxl import load_workbook
        >>> loaded = load_workbook(book)
        >>> loaded.sheetnames, loaded["工单明细"]["C2"].value
        (['S', '工单明细'], '张先生 138****5678')
    """
    check_lang(lang)
    where = checked_output(path, ".xlsx")
    for section in sections:
        for block in section.blocks:
            block_kind(block)  # refuses what is not a block, before anything is written
    sections, title, note = xml_safe(sections), xml_text(title), xml_text(note)
    openpyxl = optional_module("openpyxl", "openpyxl", "Excel workbooks")
    for name in ("styles", "utils"):
        optional_module(f"openpyxl.{name}", "openpyxl", "Excel workbooks")
    book = openpyxl.Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for section in sections:
        sheet = _Sheet(openpyxl, book.create_sheet(_sheet_title(section.title, taken)))
        sheet.text(title, font=openpyxl.styles.Font(size=11, color="6B7280"))
        sheet.text(section.title, font=openpyxl.styles.Font(size=14, bold=True))
        if note and section is sections[0]:
            sheet.text(note, font=openpyxl.styles.Font(color="6B7280"))
        for block in section.blocks:
            sheet.row += 1
            if isinstance(block, Paragraph):
                _paragraph(sheet, block)
            elif isinstance(block, Table):
                sheet.table(block)
            else:
                sheet.chart(block)
        sheet.fit()
    if tickets is not None:
        sheet = _Sheet(openpyxl, book.create_sheet(_sheet_title(_TICKETS_SHEET[lang], taken)))
        _tickets(sheet, tickets, lang, tz)
        sheet.fit()
    if not book.sheetnames:
        book.create_sheet(_sheet_title(title, taken))
    book.save(str(where))
    return where
