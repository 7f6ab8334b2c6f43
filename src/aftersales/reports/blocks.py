"""The parts a report is laid out in: :class:`Section` values holding tables, paragraphs and charts.

The layout (:mod:`~aftersales.reports.layout`) turns a report into these
values; the renderers (:mod:`~aftersales.reports.markdown`,
:mod:`~aftersales.reports.html`, :mod:`~aftersales.reports.charts`) turn them
into text and know nothing else of reports.

Example:
    >>> section = Section("KPI", [Table(["a", "b"], [["1", "2"]]), Paragraph("note")])
    >>> [type(block).__name__ for block in section.blocks]
    ['Table', 'Paragraph']
"""

from __future__ import annotations

from typing import Any, Final

import attrs

__all__ = ["MARKS", "PARAGRAPH_KINDS", "Chart", "Paragraph", "Section", "Table"]

#: What a table cell may be marked with: a figure that meets its target or misses it.
MARKS: Final = frozenset({"met", "missed"})

#: What a paragraph may be: plain text, a highlight or lowlight of the period, a risk,
#: or the supervisor's own words (renderers set each apart; the text is the same).
PARAGRAPH_KINDS: Final = frozenset({"text", "highlight", "lowlight", "risk", "supervisor"})


def _marks_fit(
    instance: Table, attribute: attrs.Attribute[Any], marks: list[list[str | None]]
) -> None:
    if not marks:
        return
    if len(marks) != len(instance.rows) or any(
        len(row) != len(cells) for row, cells in zip(marks, instance.rows, strict=True)
    ):
        raise ValueError("Table.marks: one mark (or None) per cell of rows, or no marks")
    unknown = {mark for row in marks for mark in row if mark is not None} - MARKS
    if unknown:
        raise ValueError(f"Table.marks: {sorted(unknown)!r} unknown; accepted: {sorted(MARKS)}")


@attrs.frozen(slots=True)
class Table:
    """A table: header cells and rows of text cells, each cell optionally marked.

    ``marks`` is empty, or holds one entry per cell of ``rows``: ``"met"``,
    ``"missed"`` (a figure against its target; renderers colour it) or ``None``.

    Example:
        >>> Table(["a"], [["1"]]).rows
        [['1']]
        >>> Table(["KPI", "value"], [["closure", "96 %"]], marks=[[None, "met"]]).marks[0][1]
        'met'
    """

    headers: list[str]
    rows: list[list[str]]
    marks: list[list[str | None]] = attrs.field(factory=list, validator=_marks_fit)


@attrs.frozen(slots=True)
class Paragraph:
    """A line of text; ``kind`` (one of :data:`PARAGRAPH_KINDS`) says what it is.

    Example:
        >>> Paragraph("hello").text
        'hello'
        >>> Paragraph("结案率 97.1 %, 目标 95 %", kind="highlight").kind
        'highlight'
    """

    text: str
    kind: str = attrs.field(default="text", validator=attrs.validators.in_(PARAGRAPH_KINDS))


@attrs.frozen(slots=True)
class Chart:
    """A chart: ``kind`` is ``"line"``, ``"bar"`` or ``"scatter"``.

    ``series`` are ``(name, values)``; for a scatter, values are ``(x, y)``
    points and ``labels`` name each point.

    Example:
        >>> Chart("bar", "Volumes", ["phone"], [("tickets", [3])]).kind
        'bar'
    """

    kind: str
    title: str
    x_labels: list[str]
    series: list[tuple[str, list[Any]]]
    labels: list[str] = attrs.field(factory=list)


@attrs.frozen(slots=True)
class Section:
    """A titled part of a report; ``key`` names it for templates and writers (``""``: none).

    Example:
        >>> Section("Overview", [Paragraph("…")]).title
        'Overview'
        >>> Section("关键绩效指标", [], key="kpi").key
        'kpi'
    """

    title: str
    blocks: list[Table | Paragraph | Chart]
    key: str = ""
