"""Writing the template's rows to a file: CSV with a BOM for Excel, or an Excel workbook.

:func:`write_rows` writes a heading row and data rows whose cells are text,
real dates (naive local datetimes) or empty:

* ``csv``: UTF-8 with a byte-order mark (so that Excel opens Chinese text
  correctly), quoted where needed, dates as ``YYYY-MM-DD HH:MM[:SS]``. A text
  that Excel would run as a formula (starting with ``=``, ``+``, ``-`` or
  ``@``) is written after an apostrophe, which the import removes again.
* ``xlsx`` (openpyxl, the ``xlsx`` extra): the heading row bold and frozen,
  each column as wide as its content (up to a limit), dates as real Excel
  dates shown ``yyyy-mm-dd hh:mm``, texts always as texts (never formulas),
  cells of several lines wrapped.

Imports: the standard library, openpyxl when a workbook is written.

Example:
    >>> import tempfile, pathlib
    >>> from datetime import datetime
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> write_rows(file, "csv", ["客户编号", "更新时间"], [["C1", datetime(2024, 5, 10, 14, 30)]])
    >>> file.read_bytes()[:3], file.read_text(encoding="utf-8-sig").splitlines()
    (b'\\xef\\xbb\\xbf', ['客户编号,更新时间', 'C1,2024-05-10 14:30'])
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from aftersales.errors import InvalidData
from aftersales.transfer.cells import format_instant
from aftersales.transfer.columns import CellValue
from aftersales.transfer.reading import guard_formula, openpyxl_module

__all__ = ["display_width", "write_rows"]

_WIDEST = 60
_SHEET = "跟进记录"


def display_width(text: str) -> int:
    """How many columns ``text``'s longest line takes: 2 for a wide (Chinese) character, else 1.

    Example:
        >>> display_width("客户编号"), display_width("C202405001\\nab")
        (8, 10)
    """
    return max(
        (
            sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            for line in text.split("\n")
        ),
        default=0,
    )


def write_rows(
    path: Path, format: str, headings: Sequence[str], rows: Iterable[Sequence[CellValue]]
) -> None:
    """Write ``headings`` and ``rows`` to ``path`` as ``csv`` or ``xlsx`` (see the module)."""
    if format == "csv":
        _write_csv(path, headings, rows)
    else:
        _write_xlsx(path, headings, rows)


def _write_csv(path: Path, headings: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(headings)
        for row in rows:
            writer.writerow([_csv_cell(cell) for cell in row])


def _csv_cell(cell: CellValue) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return format_instant(cell)
    return guard_formula(cell)


def _write_xlsx(path: Path, headings: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> None:
    openpyxl = openpyxl_module()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    all_rows = [list(row) for row in rows]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(_SHEET)
    for index, heading in enumerate(headings):
        widths = [display_width(heading)]
        for row in all_rows[:500]:
            value = row[index]
            widths.append(16 if isinstance(value, datetime) else display_width(value or ""))
        width = min(_WIDEST, max(widths) + 2)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    header = []
    for heading in headings:
        title = WriteOnlyCell(sheet, value=heading)
        title.font = bold
        header.append(title)
    sheet.append(header)
    for number, row in enumerate(all_rows, 2):
        out: list[object] = []
        for index, value in enumerate(row):
            if isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm:ss" if value.second else "yyyy-mm-dd hh:mm"
                out.append(cell)
            elif isinstance(value, str):
                if ILLEGAL_CHARACTERS_RE.search(value):
                    message = (
                        "a control character cannot be written to a workbook;"
                        " accepted: export as csv, or remove the character"
                    )
                    where = f"row {number}, {headings[index]}"
                    raise InvalidData(f"{where}: {message}", problems=[(where, message)])
                if not value.startswith("=") and "\n" not in value:
                    out.append(value)
                    continue
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # a text, never a formula
                if "\n" in value:
                    cell.alignment = wrapped
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
    book.save(path)
