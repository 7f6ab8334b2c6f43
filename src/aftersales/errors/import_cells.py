"""The errors of an import: every refused cell of a file, and the internal signals that find them.

:class:`ImportRejected` (an :class:`~aftersales.errors.InvalidData`) carries
every :class:`CellProblem` of a file: the row as Excel numbers it (the heading
row is row 1), the heading, the value as shown (contacts masked), the reason
and what is accepted. :class:`CellError` and :class:`RowConflict` are raised
inside :mod:`aftersales.transfer` by a cell's reader and by a row's history
and turned into cell problems there; they never reach a caller. Imports the
errors only.

Example:
    >>> problem = CellProblem(3, "优先级", "'高级'", "is not a priority", "紧急, 重要, 一般")
    >>> print(ImportRejected([problem], source="legacy.csv"))
    legacy.csv: 1 bad cell, nothing imported:
      row 3, 优先级: '高级' is not a priority; accepted: 紧急, 重要, 一般
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from aftersales.errors import InvalidData

__all__ = [
    "LISTED",
    "CellError",
    "CellProblem",
    "ImportRejected",
    "RowConflict",
    "shown_cell_reason",
]

#: How many problems the message of :class:`ImportRejected` lists; ``cells`` holds all.
LISTED = 100


@attrs.frozen(slots=True)
class CellProblem:
    """One refused cell: its row (Excel's number; 1 is the heading row), heading, value and reason.

    ``value`` is already the shown form (see :func:`shown_cell`); ``accepted``
    says what the cell may hold.

    Example:
        >>> CellProblem(7, "联系方式", "'138****567?' (masked)", "is not a phone number or e-mail",
        ...             "a phone number and/or an e-mail address").row
        7
    """

    row: int
    heading: str
    value: str
    reason: str
    accepted: str

    def __str__(self) -> str:
        shown_value = f"{self.value} " if self.value else ""
        return (
            f"row {self.row}, {self.heading}: {shown_value}{self.reason}; accepted: {self.accepted}"
        )


class ImportRejected(InvalidData):
    """An import refused: every bad cell of the file, and nothing written.

    ``cells`` holds each :class:`CellProblem` in row order (then column
    order); ``problems`` (as for any :class:`~aftersales.errors.InvalidData`)
    pairs ``"row R, heading"`` with the reason. The message lists the first
    100.

    Example:
        >>> cells = [CellProblem(2, "客户编号", "", "is empty", "a customer id")] * 2
        >>> ImportRejected(cells).problems[0]
        ('row 2, 客户编号', 'is empty; accepted: a customer id')
    """

    cells: tuple[CellProblem, ...]

    def __init__(self, cells: Iterable[CellProblem], *, source: str = "the file") -> None:
        self.cells = tuple(sorted(cells, key=lambda cell: cell.row))
        count = len(self.cells)
        noun = "bad cell" if count == 1 else "bad cells"
        lines = [f"  {cell}" for cell in self.cells[:LISTED]]
        if count > LISTED:
            lines.append(f"  … and {count - LISTED} more")
        message = "\n".join([f"{source}: {count} {noun}, nothing imported:", *lines])
        problems = [
            (f"row {cell.row}, {cell.heading}", f"{shown_cell_reason(cell)}") for cell in self.cells
        ]
        super().__init__(message, problems=problems)


def shown_cell_reason(cell: CellProblem) -> str:
    """The reason and what is accepted, as ``problems`` pairs them with the cell."""
    shown_value = f"{cell.value} " if cell.value else ""
    return f"{shown_value}{cell.reason}; accepted: {cell.accepted}"


class CellError(Exception):
    """Raised by a cell reader: why the cell is refused and what it may hold (internal).

    Example:
        >>> CellError("is not a date", "YYYY-MM-DD HH:MM").accepted
        'YYYY-MM-DD HH:MM'
    """

    def __init__(self, reason: str, accepted: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.accepted = accepted


class RowConflict(Exception):
    """Cells of one row that contradict the lifecycle: the column, the reason, what is accepted.

    Example:
        >>> RowConflict("close_status", "says 已关闭", "a closing visit").key
        'close_status'
    """

    def __init__(self, key: str, reason: str, accepted: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason
        self.accepted = accepted
