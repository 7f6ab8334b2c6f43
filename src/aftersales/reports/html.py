"""Rendering sections as one self-contained HTML page, from templates: inline CSS, inline SVG charts, no scripts.

The page is written by the Jinja2 templates ``page.html.j2`` … (see
:mod:`~aftersales.reports.templating`), with autoescape on: a company may
override any of them with ``templates=``. Charts are drawn by
:mod:`~aftersales.reports.charts` when pygal is installed; without it the page
shows the tables alone, with a note saying so. A cell marked ``met`` or
``missed`` is coloured and shows ``✔`` or ``✘``; the CSS has a CJK font stack
and prints on A4, each section on a new page.

Example:
    >>> from aftersales.reports.blocks import Paragraph, Section
    >>> page = html("Title", [Section("Part", [Paragraph("a < b")])], lang="en")
    >>> "<h1>Title</h1>" in page, "<p>a &lt; b</p>" in page, "<script" in page
    (True, True, False)
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from aftersales.reports import charts as charts_module
from aftersales.reports.blocks import Chart, Section
from aftersales.reports.labels import text
from aftersales.reports.templating import TemplateSource, render_page

__all__ = ["html"]


def _chart_svg(chart: Chart) -> Markup:
    return Markup(charts_module.chart_svg(chart))  # pygal's SVG, its texts escaped by pygal


def html(
    title: str,
    sections: Sequence[Section],
    *,
    lang: str,
    charts: bool = True,
    note: str = "",
    templates: TemplateSource = None,
) -> str:
    """Sections as one self-contained HTML page (inline CSS, inline SVG charts, no scripts).

    ``note`` is a line under the title; every text is HTML-escaped.
    ``templates`` (a folder or a Jinja2 loader) is looked up before the
    package's templates (see :mod:`~aftersales.reports.templating`).

    Example:
        >>> from aftersales.reports.blocks import Section, Table
        >>> table = Table(["KPI", "value"], [["closure", "96.0%"]], marks=[[None, "met"]])
        >>> '<td class="num met">96.0%' in html("T", [Section("K", [table], key="kpi")], lang="en")
        True
    """
    draw = charts and charts_module.charts_available()
    return render_page(
        "html",
        templates,
        title=title,
        note=note,
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else "en",
        sections=list(sections),
        sections_by_key={section.key: section for section in sections if section.key},
        charts=draw,
        charts_missing=text("charts_missing", lang) if charts and not draw else "",
        chart_svg=_chart_svg,
    )
