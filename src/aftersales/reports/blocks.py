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

from typing import Any

import attrs

__all__ = ["Chart", "Paragraph", "Section", "Table"]


@attrs.frozen(slots=True)
class Table:
    """A table: header cells and rows of text cells.

    Example:
        >>> Table(["a"], [["1"]]).rows
        [['1']]
    """

    headers: list[str]
    rows: list[list[str]]


@attrs.frozen(slots=True)
class Paragraph:
    """A line of text.

    Example:
        >>> Paragraph("hello").text
        'hello'
    """

    text: str


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
    """A titled part of a report.

    Example:
        >>> Section("Overview", [Paragraph("…")]).title
        'Overview'
    """

    title: str
    blocks: list[Table | Paragraph | Chart]
