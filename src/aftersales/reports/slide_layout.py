"""Where a section's blocks go on slides: tiles in rows, rows on as many slides as they need.

The PowerPoint writer (:mod:`~aftersales.reports.pptx_writer`) draws what
:func:`slide_plan` decides; this module knows sizes in inches only, not
python-pptx. The blocks keep their order:

* a one-line plain paragraph just before a table or a chart is its caption,
  drawn above it; other paragraphs are text across the slide;
* a table longer than a slide is cut into parts of at most
  :data:`ROWS_PER_SLIDE` rows (the caption above the first part only);
* two narrow tiles (a table of at most four columns, a bar chart, a short
  line chart) share a row side by side; text, wide tables, long lines and
  the quadrant scatter take the whole row;
* rows fill a slide from the top; a row that does not fit starts the next slide.

Example:
    >>> from aftersales.reports.blocks import Paragraph, Section, Table
    >>> section = Section("S", [Paragraph("SLA"), Table(["a", "b"], [["1", "2"]] * 20)])
    >>> [[[len(tile.table_rows) for tile in row] for row in slide] for slide in slide_plan(section)]
    [[[14, 6]]]
    >>> slide_plan(section)[0][0][0].caption
    'SLA'
"""

from __future__ import annotations

import math
import unicodedata
from typing import Final

import attrs

from aftersales.reports.blocks import Chart, Paragraph, Section, Table

__all__ = ["ROWS_PER_SLIDE", "SLIDE_AREA", "Tile", "display_width", "slide_plan"]

#: The content area under a slide's title, in inches: left, top, width, bottom.
SLIDE_AREA: Final = (0.5, 1.35, 12.333, 7.1)
GAP: Final = 0.3
LINE: Final = 0.32  # a paragraph line at 14 pt
ROW: Final = 0.34  # a table row at 11 pt
CHART_HEIGHT: Final = 4.2
_CONTENT = SLIDE_AREA[3] - SLIDE_AREA[1]
#: The most rows of a table on one slide (under its header).
ROWS_PER_SLIDE: Final = int(_CONTENT / ROW) - 1


def display_width(text: str) -> int:
    """How wide ``text`` is in narrow characters: 2 for a wide (Chinese) character, else 1.

    Example:
        >>> display_width("产品质量"), display_width("96.0%")
        (8, 5)
    """
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def lines(paragraph: Paragraph) -> int:
    """How many lines a paragraph takes across the slide (about 150 narrow characters a line).

    Example:
        >>> lines(Paragraph("短")), lines(Paragraph("字" * 100))
        (1, 2)
    """
    return max(1, math.ceil(display_width(paragraph.text) / 150))


@attrs.frozen(slots=True)
class Tile:
    """One thing placed on a slide: a table (part), a chart, or text; with its caption.

    Example:
        >>> Tile(text=(Paragraph("a"), Paragraph("b"))).height
        0.74
    """

    block: Table | Chart | None = None
    caption: str = ""
    text: tuple[Paragraph, ...] = ()

    @property
    def table_rows(self) -> list[list[str]]:
        """The rows of a table tile (none for the others)."""
        return self.block.rows if isinstance(self.block, Table) else []

    @property
    def wide(self) -> bool:
        """True when the tile takes a whole row."""
        if isinstance(self.block, Table):
            return len(self.block.headers) > 4
        if isinstance(self.block, Chart):
            kind, points = self.block.kind, len(self.block.x_labels)
            return kind == "scatter" or (kind == "line" and points > 12)
        return True

    @property
    def height(self) -> float:
        """Its height in inches, caption included."""
        top = LINE if self.caption else 0.0
        if isinstance(self.block, Table):
            return round(top + ROW * (1 + max(1, len(self.block.rows))), 4)
        if isinstance(self.block, Chart):
            return round(top + CHART_HEIGHT, 4)
        return round(LINE * sum(lines(p) for p in self.text) + 0.1, 4)


def _text_tiles(paragraphs: list[Paragraph]) -> list[Tile]:
    tiles: list[Tile] = []
    group: list[Paragraph] = []
    for paragraph in paragraphs:
        if group and Tile(text=(*group, paragraph)).height > _CONTENT:
            tiles.append(Tile(text=tuple(group)))
            group = []
        group.append(paragraph)
    if group:
        tiles.append(Tile(text=tuple(group)))
    return tiles


def _table_tiles(table: Table, caption: str) -> list[Tile]:
    first = ROWS_PER_SLIDE - (1 if caption else 0)
    if len(table.rows) <= first:
        return [Tile(table, caption)]
    tiles = [Tile(Table(table.headers, table.rows[:first], table.marks[:first]), caption)]
    for start in range(first, len(table.rows), ROWS_PER_SLIDE):
        end = start + ROWS_PER_SLIDE
        tiles.append(Tile(Table(table.headers, table.rows[start:end], table.marks[start:end])))
    return tiles


def _tiles(section: Section) -> list[Tile]:
    tiles: list[Tile] = []
    pending: list[Paragraph] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            pending.append(block)
            continue
        caption = ""
        if pending and pending[-1].kind == "text" and lines(pending[-1]) == 1:
            caption = pending.pop().text
        tiles += _text_tiles(pending)
        pending = []
        tiles += (
            _table_tiles(block, caption) if isinstance(block, Table) else [Tile(block, caption)]
        )
    return tiles + _text_tiles(pending)


def slide_plan(section: Section) -> list[list[list[Tile]]]:
    """The slides of ``section``: each a list of rows, each row one or two tiles.

    A section without blocks still has its slide (with no rows).

    Example:
        >>> from aftersales.reports.blocks import Chart
        >>> bar = Chart("bar", "B", ["x"], [("n", [1])])
        >>> [[len(row) for row in slide] for slide in slide_plan(Section("S", [bar, bar, bar]))]
        [[2], [1]]
    """
    rows: list[list[Tile]] = []
    for tile in _tiles(section):
        last = rows[-1] if rows else None
        if last is not None and len(last) == 1 and not last[0].wide and not tile.wide:
            last.append(tile)
        else:
            rows.append([tile])
    slides: list[list[list[Tile]]] = [[]]
    room = _CONTENT
    for row in rows:
        height = max(tile.height for tile in row)
        if slides[-1] and height > room:
            slides.append([])
            room = _CONTENT
        slides[-1].append(row)
        room -= height + GAP
    return slides
