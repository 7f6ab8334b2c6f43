"""The Jinja2 templates a report is written with, as HTML or Markdown, and how a company overrides them.

The package ships its templates in ``aftersales/reports/templates/``. A
company passes ``templates=`` to ``to_html`` / ``to_markdown`` (or to
:func:`~aftersales.reports.html.html` / :func:`~aftersales.reports.markdown.markdown`):
a folder, or any :class:`jinja2.BaseLoader`. Its templates are looked up
first and the package's after them, so it replaces only what it names: the
whole page (``page.html.j2``), one section by key (``section_kpi.html.j2``,
falling back to ``section.html.j2``), one kind of block
(``block_table.html.j2``), or just ``logo.html.j2``, ``header.html.j2``,
``footer.html.j2`` or ``style.css.j2``; the Markdown names end in ``.md.j2``.

Escaping stays on whatever the template says:

* HTML templates autoescape every ``{{ … }}``: a ticket's text never becomes a tag;
* Markdown templates escape every ``{{ … }}`` with
  :func:`~aftersales.reports.escaping.escape_markdown` (as a paragraph), unless
  it went through ``|md`` (a paragraph or heading), ``|md_cell`` (a table cell),
  or is trusted text the template marked ``|safe``.

Example:
    >>> env = environment("markdown")
    >>> env.from_string("{{ t }} | {{ t|md_cell }}").render(t="- <b>")
    '\\\\- &lt;b&gt; | - &lt;b&gt;'
    >>> environment("html").from_string("{{ t }}").render(t="<b>")
    '&lt;b&gt;'
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

import jinja2
from markupsafe import Markup

from aftersales.errors import InvalidData
from aftersales.reports.blocks import Chart, Paragraph, Table
from aftersales.reports.escaping import escape_markdown

__all__ = [
    "MARK_SYMBOLS",
    "MarkdownText",
    "TemplateSource",
    "block_kind",
    "environment",
    "numeric_cell",
    "numeric_columns",
    "render_page",
]

#: Where the templates come from: ``None`` (the package's), a folder, or a Jinja2 loader.
TemplateSource = str | os.PathLike[str] | jinja2.BaseLoader | None

Flavour = Literal["html", "markdown"]

#: The file name ending of each flavour's templates.
SUFFIX: Final = {"html": ".html.j2", "markdown": ".md.j2"}

_NUMBER = re.compile(
    r"^[≥≤<>]? ?[+\-±−]?\d[\d,.]*( ?(%|[A-Za-z]{1,3}|[\u4e00-\u9fff]{1,4}))?( \(\d+/\d+\))?$|^—$"
)

#: What a marked cell shows beside its value, in every format.
MARK_SYMBOLS: Final = {"met": "✔", "missed": "✘"}


class MarkdownText(str):
    """Markdown a template may output as it is: escaped already, or written by the template.

    Example:
        >>> environment("markdown").from_string("{{ t }}").render(t=MarkdownText("**bold**"))
        '**bold**'
    """

    __slots__ = ()


def block_kind(block: object) -> str:
    """The name of a block's kind, which names its template (``block_<kind>…``).

    Example:
        >>> block_kind(Paragraph("x")), block_kind(Table(["a"], []))
        ('paragraph', 'table')
    """
    if isinstance(block, Paragraph):
        return "paragraph"
    if isinstance(block, Table):
        return "table"
    if isinstance(block, Chart):
        return "chart"
    raise InvalidData(
        f"report block {type(block).__name__!r} is not a block;"
        " accepted: Table, Paragraph or Chart (aftersales.reports.blocks)"
    )


def numeric_cell(cell: object) -> bool:
    """True when a table cell shows a number (renderers align it right); the test ``number``.

    Example:
        >>> [numeric_cell(c) for c in ("96.0%", "-1.5 pp", "12 (3/25)", "≥ 95.0%", "0.83 小时")]
        [True, True, True, True, True]
        >>> [numeric_cell(c) for c in ("phone", "2026-10", "T1", "B 型扫地机器人")]
        [False, False, False, False]
    """
    return isinstance(cell, str) and bool(_NUMBER.match(cell))


def numeric_columns(table: Table) -> list[bool]:
    """For each column, whether it holds numbers (every cell a number or "—"; one at least a number).

    Renderers align those columns, header included, to the right.

    Example:
        >>> numeric_columns(Table(["KPI", "value", "note"], [["a", "1.0%", "—"], ["b", "—", "—"]]))
        [False, True, False]
    """
    return [
        all(numeric_cell(row[column]) for row in table.rows)
        and any(row[column] != "—" for row in table.rows)
        for column in range(len(table.headers))
    ]


def _mark(table: Table, row: int, column: int) -> str | None:
    return table.marks[row][column] if table.marks else None


def _md(value: object) -> MarkdownText:
    return MarkdownText(escape_markdown("" if value is None else str(value)))


def _md_cell(value: object) -> MarkdownText:
    return MarkdownText(escape_markdown("" if value is None else str(value), block=False))


def _finalize_markdown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, MarkdownText | Markup):
        return str(value)
    return escape_markdown(str(value))


def _common(env: jinja2.Environment) -> jinja2.Environment:
    env.globals["block_kind"] = block_kind
    env.globals["mark_of"] = _mark
    env.globals["mark_symbols"] = MARK_SYMBOLS
    env.tests["number"] = numeric_cell
    env.globals["numeric_columns"] = numeric_columns
    return env


def _loader(templates: TemplateSource) -> jinja2.BaseLoader:
    package = jinja2.PackageLoader("aftersales.reports", "templates")
    if templates is None:
        return package
    if isinstance(templates, jinja2.BaseLoader):
        return jinja2.ChoiceLoader([templates, package])
    folder = Path(templates)
    if not folder.is_dir():
        raise InvalidData(
            f"templates={str(folder)!r} is not a folder;"
            " accepted: a folder of report templates (*.html.j2, *.md.j2) or a jinja2 loader"
        )
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(folder), package])


def _build(flavour: Flavour, loader: jinja2.BaseLoader) -> jinja2.Environment:
    if flavour == "html":
        env = jinja2.Environment(
            loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True
        )
    else:
        env = jinja2.Environment(
            loader=loader,
            autoescape=False,
            finalize=_finalize_markdown,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["md"] = _md
        env.filters["md_cell"] = _md_cell
    return _common(env)


@lru_cache(maxsize=2)
def _packaged(flavour: Flavour) -> jinja2.Environment:
    return _build(flavour, _loader(None))


def environment(flavour: Flavour, templates: TemplateSource = None) -> jinja2.Environment:
    """The Jinja2 environment writing ``flavour`` (``"html"`` or ``"markdown"``) from ``templates``.

    ``templates`` is looked up before the package's own (see the module's
    documentation); ``None`` uses the package's alone.

    Example:
        >>> environment("html").get_template("page.html.j2").name
        'page.html.j2'
    """
    if flavour not in SUFFIX:
        raise InvalidData(f"flavour {flavour!r} is not known; accepted: 'html', 'markdown'")
    if templates is None:
        return _packaged(flavour)
    return _build(flavour, _loader(templates))


def render_page(flavour: Flavour, templates: TemplateSource, **variables: Any) -> str:
    """The page template of ``flavour`` rendered with ``variables``.

    A template that does not compile or fails while rendering raises
    :class:`~aftersales.errors.InvalidData` naming the template and the line.

    Example:
        >>> render_page("markdown", None, title="T", note="", lang="en", sections=[])
        '# T\\n'
    """
    name = "page" + SUFFIX[flavour]
    try:
        page = environment(flavour, templates).get_template(name).render(**variables)
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.name or error.filename or name}, line {error.lineno}"
        raise InvalidData(
            f"report template {where}: {error.message}; accepted: a Jinja2 template"
        ) from None
    except jinja2.TemplateError as error:
        raise InvalidData(
            f"report template error while writing {name}: {error};"
            " accepted: templates using the variables documented in 'Customise the report'"
        ) from None
    # a Markdown page ends with one line break, however its templates end
    return page.rstrip("\n") + "\n" if flavour == "markdown" else page
