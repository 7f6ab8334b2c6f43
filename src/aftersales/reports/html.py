"""Rendering sections as one self-contained HTML page: inline CSS, inline SVG charts, no scripts.

Charts are drawn by :mod:`~aftersales.reports.charts` when pygal is installed;
without it the page shows the tables alone, with a note saying so.

Example:
    >>> from aftersales.reports.blocks import Paragraph, Section
    >>> page = html("Title", [Section("Part", [Paragraph("a < b")])], lang="en")
    >>> "<h1>Title</h1>" in page, "<p>a &lt; b</p>" in page, "<script" in page
    (True, True, False)
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Sequence

from aftersales.reports import charts as charts_module
from aftersales.reports.blocks import Paragraph, Section, Table
from aftersales.reports.labels import text

__all__ = ["html"]


_CSS = """
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --accent:#2563eb; --bg:#f8fafc; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 14px/1.5 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei","Segoe UI",Roboto,sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 48px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 18px; padding-bottom: 8px; }
h1 { font-size: 26px; margin: 0; }
h2 { font-size: 18px; margin: 0 0 10px; color: var(--accent); }
section { background:#fff; border:1px solid var(--line); border-radius:10px;
  padding:16px 20px; margin:16px 0; box-shadow:0 1px 2px rgba(0,0,0,.04); }
.blocks { display:flex; flex-wrap:wrap; gap:16px; align-items:flex-start; }
.blocks > * { flex: 1 1 480px; min-width: 0; }
.blocks > p { flex-basis: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background:#f1f5f9; font-weight:600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin:0; }
figure svg { width:100%; height:auto; max-height: 360px; }
.note { color: var(--muted); font-size: 12px; }
"""


_NUMBER = re.compile(r"^[+\-±]?[\d,.]+(%| h| pp)?( \(\d+/\d+\))?$|^—$")


def _num(cell: str) -> bool:
    return bool(_NUMBER.match(cell))


def _table_html(table: Table) -> str:
    if not table.rows:
        return "<p>—</p>"
    head = "".join(f"<th>{_html.escape(h)}</th>" for h in table.headers)
    body = []
    for row in table.rows:
        cells = "".join(
            f'<td class="num">{_html.escape(c)}</td>' if _num(c) else f"<td>{_html.escape(c)}</td>"
            for c in row
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def html(
    title: str, sections: Sequence[Section], *, lang: str, charts: bool = True, note: str = ""
) -> str:
    """Sections as one self-contained HTML page (inline CSS, inline SVG charts, no scripts).

    ``note`` is a line under the title; every text is HTML-escaped.
    """
    draw = charts and charts_module.charts_available()
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_html.escape(title)}</title><style>{_CSS}</style></head>",
        f"<body><main><header><h1>{_html.escape(title)}</h1>",
        f'<p class="note">{_html.escape(note)}</p></header>' if note else "</header>",
    ]
    if charts and not draw:
        parts.append(f'<p class="note">{_html.escape(text("charts_missing", lang))}</p>')
    for section in sections:
        parts.append(f'<section><h2>{_html.escape(section.title)}</h2><div class="blocks">')
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(f"<p>{_html.escape(block.text)}</p>")
            elif isinstance(block, Table):
                parts.append(f"<div>{_table_html(block)}</div>")
            elif draw:
                parts.append(f"<figure>{charts_module.chart_svg(block)}</figure>")
        parts.append("</div></section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
