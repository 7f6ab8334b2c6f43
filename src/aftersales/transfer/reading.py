"""Reading a CSV file or an Excel workbook into its heading row and data rows.

:func:`read_table` returns a :class:`Table`: the headings of the first row
and every following row with its number as Excel shows it (the heading row is
row 1; a CSV record whose quoted cell spans several lines is still one row).
Rows with no value at all are left out, without renumbering the others.

* ``.csv``: UTF-8 (with or without the BOM Excel writes), or GB18030 (what
  Excel writes on a Chinese Windows) when the file is not UTF-8; the
  delimiter is a comma, or a tab, semicolon or ``|`` when the heading row
  says so; a cell that the export guarded against Excel's formulas
  (``'=…``) is read without its apostrophe.
* ``.xlsx``: read with openpyxl (the ``xlsx`` extra, imported only here), the
  values as stored (a formula's last computed value), real dates as
  datetimes; the first sheet unless ``sheet`` names another.

A file that cannot be read raises :class:`~aftersales.errors.InvalidData`
naming it. Imports: the standard library, openpyxl when a workbook is read.

Example:
    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "legacy.csv"
    >>> _ = file.write_text("客户编号,优先级\\nC1,紧急\\n,\\nC2,一般\\n", encoding="utf-8-sig")
    >>> table = read_table(file)
    >>> table.headings, table.rows
    (('客户编号', '优先级'), [(2, ('C1', '紧急')), (4, ('C2', '一般'))])
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import attrs

from aftersales.errors import InvalidData

__all__ = [
    "FORMATS",
    "Table",
    "file_format",
    "guard_formula",
    "openpyxl_module",
    "read_table",
    "unguard_formula",
]

_FORMULA = re.compile(r"'*[=+\-@]")

#: The formats read and written, by file suffix.
FORMATS = ("csv", "xlsx")


@attrs.frozen(slots=True)
class Table:
    """A file's heading row and its non-empty data rows, each with its row number.

    Example:
        >>> Table(("客户编号",), [(2, ("C1",))]).rows[0][0]
        2
    """

    headings: tuple[str, ...]
    rows: list[tuple[int, tuple[Any, ...]]]


def guard_formula(text: str) -> str:
    """``text`` after an apostrophe when Excel would read it as a formula (``=``, ``+``, ``-``, ``@``).

    A CSV cell starting so is run as a formula when Excel opens the file; the
    export writes it after an apostrophe, which :func:`unguard_formula` (and
    so the CSV import) removes again.

    Example:
        >>> guard_formula("=1+1"), unguard_formula("'=1+1"), unguard_formula("'abc")
        ("'=1+1", '=1+1', "'abc")
    """
    return f"'{text}" if _FORMULA.match(text) else text


def unguard_formula(text: str) -> str:
    """``text`` without the apostrophe :func:`guard_formula` put before it."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text[1:]) else text


def _refused(path: Path, message: str) -> InvalidData:
    return InvalidData(f"{path}: {message}", problems=[(str(path), message)])


def file_format(path: Path, given: str | None = None) -> str:
    """``csv`` or ``xlsx``: ``given``, or the file's suffix.

    Example:
        >>> file_format(Path("records.XLSX")), file_format(Path("x.txt"), "csv")
        ('xlsx', 'csv')
        >>> file_format(Path("records.xls"))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: records.xls: the format 'xls' is not read; accepted: a .csv or .xlsx file (save an .xls workbook as .xlsx first)
    """
    kind = (given or path.suffix.lstrip(".")).casefold()
    if kind not in FORMATS:
        raise _refused(
            path,
            f"the format {kind!r} is not read; accepted: a .csv or .xlsx file"
            " (save an .xls workbook as .xlsx first)",
        )
    return kind


def openpyxl_module() -> Any:
    """openpyxl, imported now; ``InvalidData`` naming the ``xlsx`` extra when it is missing.

    Example:
        >>> openpyxl_module().__name__
        'openpyxl'
    """
    try:
        import openpyxl
    except ImportError as error:
        message = (
            f"Excel workbooks need the optional package openpyxl ({error});"
            " accepted: pip install 'aftersales[xlsx]', or a .csv file"
        )
        raise InvalidData(f"xlsx: {message}", problems=[("xlsx", message)]) from None
    return openpyxl


def read_table(path: str | Path, *, sheet: str | None = None, format: str | None = None) -> Table:
    """The heading row and the data rows of a ``.csv`` or ``.xlsx`` file (see the module)."""
    where = Path(path)
    kind = file_format(where, format)
    if not where.is_file():
        raise _refused(where, "is not a file; accepted: an existing .csv or .xlsx file")
    rows = _csv_rows(where) if kind == "csv" else _xlsx_rows(where, sheet)
    first = next(rows, None)
    if first is None:
        raise _refused(where, "is empty; accepted: a heading row, then one row per record")
    _, heading_cells = first
    headings = tuple("" if cell is None else str(cell).strip() for cell in heading_cells)
    while headings and not headings[-1]:
        headings = headings[:-1]
    data = []
    for number, cells in rows:
        if any(cell is not None and str(cell).strip() for cell in cells):
            data.append((number, tuple(cells)))
    return Table(headings, data)


def _csv_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise _refused(
            path, "is neither UTF-8 nor GB18030 text; accepted: a CSV in UTF-8"
        ) from None


def _csv_rows(path: Path) -> Any:
    text = _csv_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;|", key=first_line.count) if first_line else ","
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, 1):
            yield number, tuple(unguard_formula(cell) for cell in record)
    except csv.Error as error:
        raise _refused(path, f"cannot be read as CSV at row {reader.line_num} ({error})") from None


def _xlsx_rows(path: Path, sheet: str | None) -> Any:
    openpyxl = openpyxl_module()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _refused(
            path, f"cannot be read as an Excel workbook ({type(error).__name__}: {error})"
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise _refused(path, f"has no sheet {sheet!r}; accepted: {', '.join(book.sheetnames)}")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        for row in worksheet.iter_rows():
            cells = tuple(cell.value for cell in row)
            number = next((cell.row for cell in row if getattr(cell, "row", None)), None)
            if number is not None:
                yield number, cells
    finally:
        book.close()
