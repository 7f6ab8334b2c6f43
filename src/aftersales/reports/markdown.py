"""Rendering sections as Markdown (GitHub-flavoured tables; charts are left out), from templates.

The page is written by the Jinja2 templates ``page.md.j2`` … (see
:mod:`~aftersales.reports.templating`): a company may override any of them with
``templates=``. Every text is escaped with
:func:`~aftersales.reports.escaping.escape_markdown`; a cell marked ``met`` or
``missed`` shows ``✔`` or ``✘`` after its value.

Example:
    >>> from aftersales.reports.blocks import Section, Table
    >>> section = Section("KPI", [Table(["a", "b"], [["1", "2"]], marks=[[None, "met"]])])
    >>> print(markdown("Title", [section]))
    # Title
    <BLANKLINE>
    ## KPI
    <BLANKLINE>
    | a | b |
    |---|---|
    | 1 | 2 ✔ |
    <BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Sequence

from aftersales.reports.blocks import Section
from aftersales.reports.templating import TemplateSource, render_page

__all__ = ["markdown"]


def markdown(
    title: str,
    sections: Sequence[Section],
    *,
    note: str = "",
    lang: str = "zh",
    templates: TemplateSource = None,
) -> str:
    """Sections as Markdown (charts are left out: they are pictures of the tables).

    ``note`` is a line under the title. Every text is escaped with
    :func:`~aftersales.reports.escaping.escape_markdown`: what comes from data
    renders as text, never as a tag, link, image, heading or list.
    ``templates`` (a folder or a Jinja2 loader) is looked up before the
    package's templates (see :mod:`~aftersales.reports.templating`).

    Example:
        >>> from aftersales.reports.blocks import Paragraph, Section
        >>> print(markdown("T", [Section("S", [Paragraph("- a", kind="risk")])]).splitlines()[-1])
        ⚠ \\- a
    """
    return render_page(
        "markdown",
        templates,
        title=title,
        note=note,
        lang=lang,
        sections=list(sections),
        sections_by_key={section.key: section for section in sections if section.key},
    )
