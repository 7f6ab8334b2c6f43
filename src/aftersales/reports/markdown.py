"""Rendering sections as Markdown (GitHub-flavoured tables; charts are left out).

Example:
    >>> from aftersales.reports.blocks import Section, Table
    >>> section = Section("KPI", [Table(["a", "b"], [["1", "2"]])])
    >>> print(markdown("Title", [section]))
    # Title
    <BLANKLINE>
    ## KPI
    <BLANKLINE>
    | a | b |
    |---|---|
    | 1 | 2 |
    <BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Sequence

from aftersales.reports.blocks import Paragraph, Section, Table
from aftersales.reports.escaping import escape_markdown

__all__ = ["markdown"]


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(escape_markdown(c, block=False) for c in cells) + " |"


def markdown(title: str, sections: Sequence[Section], *, note: str = "") -> str:
    """Sections as Markdown (charts are left out: they are pictures of the tables).

    ``note`` is a line under the title. Every text is escaped with
    :func:`~aftersales.reports.escaping.escape_markdown`: what comes from data
    renders as text, never as a tag, link, image, heading or list.
    """
    lines = [f"# {escape_markdown(title)}", ""]
    if note:
        lines += [escape_markdown(note), ""]
    for section in sections:
        lines += [f"## {escape_markdown(section.title)}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                lines += [escape_markdown(block.text), ""]
            elif isinstance(block, Table):
                if not block.rows:
                    lines += ["—", ""]
                    continue
                lines.append(_md_row(block.headers))
                lines.append("|" + "|".join("---" for _ in block.headers) + "|")
                lines.extend(_md_row(row) for row in block.rows)
                lines.append("")
    return "\n".join(lines)
