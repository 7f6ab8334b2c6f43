"""The per-cell error report of an import: every bad cell with its row, heading and reason.

A cell that cannot become part of a ticket is a :class:`CellProblem`: the row
as Excel numbers it (the heading row is row 1), the column's heading as the
file writes it, the value as an error may show it (contacts masked, any phone
number or e-mail address inside a text masked, long texts shortened), why it
was refused and what would be accepted. :class:`ImportRejected` carries all of
them: an import that finds any problem writes nothing (unless it was asked to
load the good rows only). Imports: the domain only.

Example:
    >>> problem = CellProblem(3, "优先级", "'高级'", "is not a priority", "紧急, 重要, 一般")
    >>> str(problem)
    "row 3, 优先级: '高级' is not a priority; accepted: 紧急, 重要, 一般"
    >>> error = ImportRejected([problem], source="legacy.csv")
    >>> print(error)
    legacy.csv: 1 bad cell, nothing imported:
      row 3, 优先级: '高级' is not a priority; accepted: 紧急, 重要, 一般
    >>> isinstance(error, ValueError), error.cells[0].row
    (True, 3)
"""

from __future__ import annotations

from aftersales._shown import shown
from aftersales.errors.import_cells import (
    LISTED,
    CellError,
    CellProblem,
    ImportRejected,
    shown_cell_reason,
)
from aftersales.model.masking import default_masking

__all__ = [
    "LISTED",
    "CellError",
    "CellProblem",
    "ImportRejected",
    "shown_cell",
    "shown_cell_reason",
]


def shown_cell(value: object, *, contact: bool = False) -> str:
    """A cell's value as a report shows it: shortened, and with every contact detail masked.

    A contact cell is masked character by character (as a phone number, or
    as an e-mail address when it holds an ``@``); any other text has the
    mobile numbers and e-mail addresses written in it masked.

    Example:
        >>> shown_cell("13812345678", contact=True)
        "'138****5678' (masked)"
        >>> shown_cell("请回电 13812345678")
        "'请回电 138****5678'"
        >>> shown_cell(None)
        ''
    """
    if value is None or value == "":
        return ""
    policy = default_masking()
    if contact:
        text = value if isinstance(value, str) else str(value)
        return policy.describe(text, "email" if "@" in text else "phone")
    if isinstance(value, str):
        return shown(policy.text(value))
    return shown(value)
