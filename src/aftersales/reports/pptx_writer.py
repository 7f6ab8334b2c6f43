"""Writing a report as a PowerPoint deck (python-pptx, the ``report`` extra): the file a supervisor presents.

:func:`write_pptx` writes a title slide (the report's title and read note),
then each section in its order on one slide, or on more when its blocks do not
fit (the next slides are titled "… (续)" / "… (cont.)"):

* paragraphs as text boxes, in their place among the tables and charts (a
  one-line paragraph just before a table or chart is its caption); highlights,
  lowlights and risks marked ``▲`` ``▼`` ``⚠`` and coloured, the supervisor's
  words in italics;
* tables as native tables, the header repeated on every slide a long table
  runs over; a cell marked ``met`` / ``missed`` is filled green / red and shows
  ``✔`` / ``✘`` after its value;
* charts as native charts: a line chart, a bar chart (horizontal bars beyond
  five categories), and the four-quadrant scatter as an XY chart whose points
  carry their labels.

Where each goes is decided by :mod:`~aftersales.reports.slide_layout`: two
narrow tables or charts side by side, a wide one across the slide.
python-pptx is imported when a deck is written; without it
:class:`~aftersales.errors.InvalidData` names the extra to install.

Example:
    >>> import tempfile, pathlib
    >>> from aftersales.reports.blocks import Paragraph, Section, Table
    >>> deck = pathlib.Path(tempfile.mkdtemp()) / "report.pptx"
    >>> sections = [Section("KPI", [Paragraph("ok"), Table(["a"], [["1"]])], key="kpi")]
    >>> write_pptx(deck, "Monthly", sections, lang="en") == deck
    True
    >>> from pptx import Presentation
    >>> [s.shapes.title.text for s in Presentation(str(deck)).slides]
    ['Monthly', 'KPI']
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from aftersales.reports.blocks import Chart, Paragraph, Section, Table
from aftersales.reports.charts import axis_top
from aftersales.reports.labels import check_lang
from aftersales.reports.office import (
    MARK_FILLS,
    checked_output,
    optional_module,
    xml_safe,
    xml_text,
)
from aftersales.reports.slide_layout import (
    CHART_HEIGHT,
    GAP,
    LINE,
    ROW,
    SLIDE_AREA,
    Tile,
    display_width,
    slide_plan,
)
from aftersales.reports.templating import MARK_SYMBOLS, block_kind, numeric_columns

__all__ = ["PARAGRAPH_PREFIXES", "write_pptx"]

#: What a paragraph of each kind starts with on a slide (and in the Markdown).
PARAGRAPH_PREFIXES: Final = {
    "text": "",
    "highlight": "▲ ",
    "lowlight": "▼ ",
    "risk": "⚠ ",
    "supervisor": "",
}

_COLOURS: Final = {
    "highlight": (0x16, 0x65, 0x34),
    "lowlight": (0xB4, 0x53, 0x09),
    "risk": (0xB9, 0x1C, 0x1C),
    "supervisor": (0x1E, 0x40, 0xAF),
}
#: The colours of the series, in the order of the HTML charts' colours.
_SERIES: Final = (
    (0x25, 0x63, 0xEB),
    (0xF5, 0x9E, 0x0B),
    (0x10, 0xB9, 0x81),
    (0xEF, 0x44, 0x44),
    (0x8B, 0x5C, 0xF6),
)
_CONTINUED: Final = {"zh": "(续)", "en": "(cont.)"}

_WIDTH, _HEIGHT = 13.333, 7.5  # the slide (16:9), in inches
_LEFT, _TOP, _AREA_WIDTH, _BOTTOM = SLIDE_AREA


def _rgb(pptx: Any, colour: tuple[int, int, int]) -> Any:
    return pptx.dml.color.RGBColor(*colour)


def _text_box(
    pptx: Any, slide: Any, paragraphs: Sequence[Paragraph], box: tuple[float, float, float]
) -> None:
    util = pptx.util
    left, top, width = box
    height = Tile(text=tuple(paragraphs)).height
    shape = slide.shapes.add_textbox(
        util.Inches(left), util.Inches(top), util.Inches(width), util.Inches(height)
    )
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = pptx.enum.text.MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for index, paragraph in enumerate(paragraphs):
        out = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = out.add_run()
        run.text = PARAGRAPH_PREFIXES[paragraph.kind] + paragraph.text
        run.font.size = util.Pt(14)
        if paragraph.kind in _COLOURS:
            run.font.color.rgb = _rgb(pptx, _COLOURS[paragraph.kind])
        run.font.italic = paragraph.kind == "supervisor"


def _tile(pptx: Any, slide: Any, tile: Tile, box: tuple[float, float, float]) -> None:
    left, top, width = box
    if tile.caption:
        _text_box(pptx, slide, [Paragraph(tile.caption)], box)
        top += LINE
    if isinstance(tile.block, Table):
        _table(pptx, slide, tile.block, (left, top, width))
    elif isinstance(tile.block, Chart):
        _chart(pptx, slide, tile.block, (left, top, width))
    else:
        _text_box(pptx, slide, tile.text, box)


def _table(pptx: Any, slide: Any, table: Table, box: tuple[float, float, float]) -> None:
    util = pptx.util
    left, top, width = box
    if not table.rows:
        empty = Table(table.headers, [["—"] + [""] * (len(table.headers) - 1)])
        _table(pptx, slide, empty, box)
        return
    shape = slide.shapes.add_table(
        len(table.rows) + 1,
        len(table.headers),
        util.Inches(left),
        util.Inches(top),
        util.Inches(width),
        util.Inches(ROW * (len(table.rows) + 1)),
    )
    grid = shape.table
    weights = [
        min(40, max(4, display_width(header) * 0.6, *(display_width(row[c]) for row in table.rows)))
        for c, header in enumerate(table.headers)
    ]
    for column, weight in enumerate(weights):
        grid.columns[column].width = util.Inches(width * weight / sum(weights))
    right = pptx.enum.text.PP_ALIGN.RIGHT
    numeric = numeric_columns(table)
    for column, header in enumerate(table.headers):
        paragraph = _cell_text(grid.cell(0, column), header, util, bold=True)
        if numeric[column]:
            paragraph.alignment = right
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row):
            mark = table.marks[r][c] if table.marks else None
            cell = grid.cell(r + 1, c)
            shown = f"{value} {MARK_SYMBOLS[mark]}" if mark else value
            paragraph = _cell_text(cell, shown, util, bold=mark is not None)
            if numeric[c]:
                paragraph.alignment = right
            if mark:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(pptx, MARK_FILLS[mark])


def _cell_text(cell: Any, value: str, util: Any, *, bold: bool) -> Any:
    cell.text = value
    paragraph = cell.text_frame.paragraphs[0]
    for run in paragraph.runs:
        run.font.size = util.Pt(11)
        run.font.bold = bold
    cell.margin_top = cell.margin_bottom = util.Inches(0.03)
    return paragraph


def _chart(pptx: Any, slide: Any, chart: Chart, box: tuple[float, float, float]) -> None:
    util, charts = pptx.util, pptx.chart
    kinds = pptx.enum.chart.XL_CHART_TYPE
    left, top, width = box
    place = (util.Inches(left), util.Inches(top), util.Inches(width), util.Inches(CHART_HEIGHT))
    colours = list(range(len(chart.series))) if chart.kind != "scatter" else []
    if chart.kind == "scatter":
        data = charts.data.XyChartData()
        labels = iter(chart.labels)
        present = []
        for position, (name, series_points) in enumerate(chart.series):
            names = [next(labels, "") for _ in series_points]
            if series_points:  # an empty quadrant: in the legend of no chart
                present.append((position, name, series_points, names))
        if not present:
            _text_box(pptx, slide, [Paragraph(f"{chart.title}: —")], box)
            return
        # the series with the most points first: LibreOffice drops one-point series
        # that come before the first series of several points
        present.sort(key=lambda entry: -len(entry[2]))
        shown = []
        for position, name, series_points, names in present:
            series = data.add_series(name)
            for x, y in series_points:
                series.add_data_point(x, y)
            shown.append(names)
            colours.append(position)
        made = slide.shapes.add_chart(kinds.XY_SCATTER, *place, data).chart
        points = [point for _, _, series_points, _ in present for point in series_points]
        tops = (axis_top([x for x, _ in points]), axis_top([y for _, y in points]))
        for axis, which in ((made.category_axis, 0), (made.value_axis, 1)):
            axis.minimum_scale, axis.maximum_scale = 0, tops[which]
            if len(chart.x_labels) > which:
                axis.has_title = True
                axis.axis_title.text_frame.text = chart.x_labels[which]
        spots = iter(_label_spots(points, [n for names in shown for n in names], box, tops))
        where = pptx.enum.chart.XL_DATA_LABEL_POSITION
        for series, names in zip(made.plots[0].series, shown, strict=True):
            for index, label in enumerate(names):
                data_label = series.points[index].data_label
                data_label.text_frame.text = label
                data_label.text_frame.paragraphs[0].runs[0].font.size = util.Pt(11)
                data_label.position = getattr(where, next(spots))
    elif not chart.x_labels or not chart.series:
        _text_box(pptx, slide, [Paragraph(f"{chart.title}: —")], box)
        return
    else:
        data = charts.data.CategoryChartData()
        data.categories = chart.x_labels
        for name, values in chart.series:
            data.add_series(name, values)
        if chart.kind == "line":
            kind = kinds.LINE_MARKERS
        else:
            kind = kinds.BAR_CLUSTERED if len(chart.x_labels) > 5 else kinds.COLUMN_CLUSTERED
        made = slide.shapes.add_chart(kind, *place, data).chart
        if chart.kind == "bar":
            made.plots[0].has_data_labels = True
            made.plots[0].data_labels.font.size = util.Pt(11)
    made.font.size = util.Pt(12)
    made.has_title = True
    made.chart_title.text_frame.text = chart.title
    made.chart_title.text_frame.paragraphs[0].runs[0].font.size = util.Pt(14)
    made.has_legend = len(chart.series) > 1
    if made.has_legend:
        made.legend.position = pptx.enum.chart.XL_LEGEND_POSITION.BOTTOM
        made.legend.include_in_layout = False
        made.legend.font.size = util.Pt(12)
    for index, series in zip(colours, made.plots[0].series, strict=True):
        colour = _rgb(pptx, _SERIES[index % len(_SERIES)])
        if chart.kind == "bar":
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
        else:
            series.marker.style = pptx.enum.chart.XL_MARKER_STYLE.CIRCLE
            series.marker.size = 11 if chart.kind == "scatter" else 5
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
            series.marker.format.line.color.rgb = colour
            if chart.kind == "line":
                series.format.line.color.rgb = colour
                series.smooth = False
    if chart.kind == "line" and len(chart.x_labels) > 12:
        _skip_labels(made.category_axis, 7)


def _skip_labels(axis: Any, every: int) -> None:
    """Show one category label in ``every`` (a month of days would overlap)."""
    element = axis._element  # python-pptx has no property for c:tickLblSkip
    skip = element.makeelement(
        "{http://schemas.openxmlformats.org/drawingml/2006/chart}tickLblSkip", {"val": str(every)}
    )
    before = element.find("{http://schemas.openxmlformats.org/drawingml/2006/chart}noMultiLvlLbl")
    if before is None:
        element.append(skip)
    else:
        before.addprevious(skip)


#: Where a point's label may go (python-pptx's XL_DATA_LABEL_POSITION), tried in order.
_SPOTS: Final = ("RIGHT", "LEFT", "ABOVE", "BELOW")


def _label_spots(
    points: list[tuple[float, float]],
    labels: list[str],
    box: tuple[float, float, float],
    tops: tuple[float, float],
) -> list[str]:
    """For each point, the side of its label that covers no other label or point (if any does)."""
    left, top, width = box
    # the plot area, roughly: the chart less its axis figures, title, axis titles and legend
    x0, x1, y0, y1 = left + 0.9, left + width - 0.3, top + CHART_HEIGHT - 1.0, top + 0.5
    where = [(x0 + (x1 - x0) * x / tops[0], y0 + (y1 - y0) * y / tops[1]) for x, y in points]
    taken = [(x - 0.08, y - 0.08, x + 0.08, y + 0.08) for x, y in where]
    chosen = []
    for (x, y), label in zip(where, labels, strict=True):
        wide, high = 0.08 * display_width(label) + 0.05, 0.2
        boxes = {
            "RIGHT": (x + 0.1, y - high / 2, x + 0.1 + wide, y + high / 2),
            "LEFT": (x - 0.1 - wide, y - high / 2, x - 0.1, y + high / 2),
            "ABOVE": (x - wide / 2, y - 0.1 - high, x + wide / 2, y - 0.1),
            "BELOW": (x - wide / 2, y + 0.1, x + wide / 2, y + 0.1 + high),
        }
        spot = next(
            (
                name
                for name in _SPOTS
                if all(
                    boxes[name][2] <= o[0]
                    or o[2] <= boxes[name][0]
                    or boxes[name][3] <= o[1]
                    or o[3] <= boxes[name][1]
                    for o in taken
                )
            ),
            "RIGHT",
        )
        taken.append(boxes[spot])
        chosen.append(spot)
    return chosen


def _slide(pptx: Any, deck: Any, title: str) -> Any:
    util = pptx.util
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    heading = slide.shapes.title
    heading.left, heading.top = util.Inches(_LEFT), util.Inches(0.35)
    heading.width, heading.height = util.Inches(_AREA_WIDTH), util.Inches(0.85)
    heading.text = title
    paragraph = heading.text_frame.paragraphs[0]
    paragraph.alignment = pptx.enum.text.PP_ALIGN.LEFT
    for run in paragraph.runs:
        run.font.size = util.Pt(28)
        run.font.bold = True
        run.font.color.rgb = _rgb(pptx, _SERIES[0])
    return slide


def _cover(pptx: Any, deck: Any, title: str, note: str) -> None:
    util = pptx.util
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    heading, subtitle = cover.shapes.title, cover.placeholders[1]
    heading.left, heading.top = util.Inches(1), util.Inches(2.4)
    heading.width, heading.height = util.Inches(_WIDTH - 2), util.Inches(1.4)
    subtitle.left, subtitle.top = util.Inches(1), util.Inches(4.0)
    subtitle.width, subtitle.height = util.Inches(_WIDTH - 2), util.Inches(1.0)
    heading.text = title
    subtitle.text = note


def write_pptx(
    path: str | os.PathLike[str],
    title: str,
    sections: Sequence[Section],
    *,
    lang: str,
    note: str = "",
) -> Path:
    """Write ``sections`` as a PowerPoint deck at ``path`` (see the module); returns the path.

    Example:
        >>> import tempfile, pathlib
        >>> from aftersales.reports.blocks import Chart, Section
        >>> deck = pathlib.Path(tempfile.mkdtemp()) / "r.pptx"
        >>> chart = Chart("bar", "Volumes", ["phone", "web"], [("tickets", [3, 1])])
        >>> _ = write_pptx(deck, "T", [Section("S", [chart])], lang="en")
        >>> from pptx import Presentation
        >>> shape = Presentation(str(deck)).slides[1].shapes[1]
        >>> shape.has_chart, list(shape.chart.plots[0].series[0].values)
        (True, [3.0, 1.0])
    """
    check_lang(lang)
    where = checked_output(path, ".pptx")
    for section in sections:
        for block in section.blocks:
            block_kind(block)  # refuses what is not a block, before anything is written
    sections, title, note = xml_safe(sections), xml_text(title), xml_text(note)
    pptx = optional_module("pptx", "python-pptx", "PowerPoint decks")
    for name in ("util", "chart.data", "dml.color", "enum.text", "enum.chart"):
        optional_module(f"pptx.{name}", "python-pptx", "PowerPoint decks")
    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = pptx.util.Inches(_WIDTH), pptx.util.Inches(_HEIGHT)
    _cover(pptx, deck, title, note)
    for section in sections:
        for number, rows in enumerate(slide_plan(section)):
            heading = section.title if number == 0 else f"{section.title} {_CONTINUED[lang]}"
            slide = _slide(pptx, deck, heading)
            top = _TOP
            for row in rows:
                width = (_AREA_WIDTH - GAP * (len(row) - 1)) / len(row)
                for index, tile in enumerate(row):
                    _tile(pptx, slide, tile, (_LEFT + index * (width + GAP), top, width))
                top += max(tile.height for tile in row) + GAP
    deck.save(str(where))
    return where
