"""HTML and Markdown from templates: marks, paragraph kinds, company overrides, escaping, charts, CSS."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import markdown as python_markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import InvalidData
from aftersales.reports import charts as charts_module
from aftersales.reports.blocks import Chart, Paragraph, Section, Table
from aftersales.reports.html import html
from aftersales.reports.markdown import markdown
from aftersales.reports.templating import numeric_columns
from tests.test_report_escaping import CONFIGS, HOSTILE, parse, texts, visible

KPI = Table(
    ["KPI", "value", "target"],
    [["closure", "71.7%", "≥ 95.0%"], ["reopen", "2.5%", "≤ 5.0%"], ["NPS", "—", "—"]],
    marks=[[None, "missed", None], [None, "met", None], [None, None, None]],
)


def deck() -> list[Section]:
    return [
        Section("Overview", [Paragraph("439 received")], key="overview"),
        Section("KPI", [KPI], key="kpi"),
        Section(
            "Outlook",
            [
                Paragraph("NPS +35", kind="highlight"),
                Paragraph("closure 71.7%", kind="lowlight"),
                Paragraph("61 breaches", kind="risk"),
                Paragraph("We hire two agents.", kind="supervisor"),
            ],
            key="outlook",
        ),
    ]


# -- the package's templates --------------------------------------------------------------------


def test_markdown_marks_cells_and_sets_paragraph_kinds_apart() -> None:
    text = markdown("Monthly", deck(), note="as of today")
    assert text.startswith("# Monthly\n\nas of today\n\n## Overview\n\n439 received\n\n## KPI\n")
    assert "| closure | 71.7% ✘ | ≥ 95.0% |" in text
    assert "| reopen | 2.5% ✔ | ≤ 5.0% |" in text
    assert "| NPS | — | — |" in text
    for line in ("▲ NPS +35", "▼ closure 71.7%", "⚠ 61 breaches", "> We hire two agents."):
        assert f"\n{line}\n" in text
    assert text.endswith("We hire two agents.\n")
    rendered = parse(python_markdown.markdown(text, extensions=["tables"]))
    assert [tag for tag, _ in rendered.elements].count("blockquote") == 1


def test_html_colours_marked_cells_and_aligns_number_columns() -> None:
    page = html("Monthly", deck(), lang="en")
    assert '<td class="num missed">71.7%<span class="mark" title="missed"> ✘</span></td>' in page
    assert '<td class="num met">2.5%<span class="mark" title="met"> ✔</span></td>' in page
    assert '<th class="num">value</th>' in page
    assert "<th>KPI</th>" in page
    assert '<section id="kpi" class="section-kpi">' in page
    for kind in ("highlight", "lowlight", "risk", "supervisor"):
        assert f'<p class="{kind}">' in page
    assert parse(page).tables[0][1] == ["closure", "71.7% ✘", "≥ 95.0%"]


def test_a_column_is_numeric_when_every_cell_is_a_number_or_a_dash() -> None:
    assert numeric_columns(KPI) == [False, True, True]
    mixed = Table(["type", "count", "complaint"], [["投诉", "223", "是"], ["咨询", "151", "—"]])
    assert numeric_columns(mixed) == [False, True, False]
    assert numeric_columns(Table(["a"], [["—"]])) == [False]


def test_the_page_css_has_a_cjk_font_stack_and_prints_on_a4() -> None:
    page = html("T", deck(), lang="zh")
    fonts = re.search(r"font: 14px/1\.5 ([^;]+);", page)
    assert fonts is not None
    stack = [name.strip().strip('"') for name in fonts.group(1).split(",")]
    cjk = [
        "PingFang SC",
        "Hiragino Sans GB",
        "Microsoft YaHei",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "WenQuanYi Micro Hei",
    ]
    assert stack[: len(cjk)] == cjk
    assert stack[-1] == "sans-serif"
    assert "@page { size: A4;" in page
    printed = page[page.index("@media print") :]
    assert "break-before: page" in printed
    assert re.search(r"table, figure, p \{ break-inside: avoid; \}", printed)
    assert '<html lang="zh-CN">' in page


# -- overriding ---------------------------------------------------------------------------------


def test_a_company_logo_and_one_section_replace_the_packages_templates(tmp_path: Path) -> None:
    (tmp_path / "logo.html.j2").write_text('<img alt="ACME" src="data:,">', encoding="utf-8")
    (tmp_path / "section_kpi.html.j2").write_text(
        '<section class="ours"><h2>{{ section.title }} (ACME)</h2></section>', encoding="utf-8"
    )
    page = html("Monthly", deck(), lang="en", templates=tmp_path)
    assert '<header><img alt="ACME" src="data:,"><h1>Monthly</h1>' in page
    assert '<section class="ours"><h2>KPI (ACME)</h2></section>' in page
    assert "<table>" not in page  # the KPI section is the company's, without the table
    assert '<section id="overview" class="section-overview"><h2>Overview</h2>' in page
    assert html("Monthly", deck(), lang="en").count("<img") == 0  # the package's has no logo


def test_a_company_page_chooses_the_section_order(tmp_path: Path) -> None:
    (tmp_path / "page.md.j2").write_text(
        "# {{ title }}\n\n"
        "{% for key in ['outlook', 'kpi'] %}"
        "{% set section = sections_by_key[key] %}"
        '{% include ["section_" ~ key ~ ".md.j2", "section.md.j2"] %}'
        "{% endfor %}",
        encoding="utf-8",
    )
    text = markdown("Monthly", deck(), templates=str(tmp_path))
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Outlook", "## KPI"]
    assert "| closure | 71.7% ✘ | ≥ 95.0% |" in text  # the package's section and table templates


def test_a_jinja2_loader_works_as_templates() -> None:
    loader = jinja2.DictLoader({"footer.md.j2": "Prepared by the service desk.\n"})
    assert markdown("T", deck(), templates=loader).endswith("\nPrepared by the service desk.\n")


def test_templates_that_cannot_be_used_are_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(InvalidData, match=r"templates='/no/such/folder' is not a folder; accepted"):
        html("T", deck(), lang="en", templates="/no/such/folder")
    (tmp_path / "section.md.j2").write_text("## {{ section.title }\n", encoding="utf-8")
    with pytest.raises(InvalidData, match=r"report template section\.md\.j2, line 1: .*Jinja2"):
        markdown("T", deck(), templates=tmp_path)
    (tmp_path / "section.md.j2").write_text("{{ section.nothing.deeper }}\n", encoding="utf-8")
    with pytest.raises(InvalidData, match=r"error while writing page\.md\.j2: .*nothing"):
        markdown("T", deck(), templates=tmp_path)


# -- escaping is kept in a company's templates ----------------------------------------------------

_OWN_SECTION_MD = (
    "## {{ section.title }}\n\n"
    "{% for block in section.blocks %}"
    "{% if block_kind(block) == 'paragraph' %}{{ block.text }}\n\n"
    "{% elif block_kind(block) == 'table' %}"
    "| h | v |\n|---|---|\n{% for row in block.rows %}| a | {{ row[0]|md_cell }} |\n{% endfor %}\n"
    "{% endif %}{% endfor %}"
)


@pytest.mark.parametrize("extensions", CONFIGS, ids=["tables", "docs-site"])
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(text=texts)
def test_an_overridden_markdown_template_still_renders_data_as_exactly_its_text(
    tmp_path: Path, extensions: list[str], text: str
) -> None:
    (tmp_path / "section.md.j2").write_text(_OWN_SECTION_MD, encoding="utf-8")
    sections = [Section(text, [Paragraph(text), Table(["h"], [[text]])])]
    source = markdown("Title", sections, templates=tmp_path)
    parsed = parse(python_markdown.markdown(source, extensions=extensions))  # type: ignore[attr-defined]
    expected = visible(text)
    tags = [tag for tag, _ in parsed.elements]
    assert set(tags) <= {"h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td"}, tags
    assert parsed.tables == [[["h", "v"], ["a", expected]]]
    assert parsed.headings == ["Title", expected]
    if expected:
        assert expected in "".join(parsed.text)


@pytest.mark.parametrize("value", HOSTILE)
def test_an_overridden_html_template_still_escapes_data(tmp_path: Path, value: str) -> None:
    (tmp_path / "section.html.j2").write_text(
        "<section><h2>{{ section.title }}</h2>{% for block in section.blocks %}"
        "<div>{{ block.text }}</div>{% endfor %}</section>",
        encoding="utf-8",
    )
    page = html(value, [Section(value, [Paragraph(value)])], lang="en", templates=tmp_path)
    parsed = parse(page)
    tags = {tag for tag, _ in parsed.elements}
    assert not tags & {"script", "img", "iframe", "a"}
    assert parsed.headings == [value, value]
    assert value in "".join(parsed.text)


# -- charts ---------------------------------------------------------------------------------------

needs_pygal = pytest.mark.skipif(
    not charts_module.charts_available(), reason="charts need pygal (the report extra)"
)

QUADRANTS = Chart(
    "scatter",
    "Quadrants",
    ["Frequency %", "Impact %"],
    [
        ("high/high", [(34.3, 35.8)]),
        ("high/low", [(23.9, 3.9)]),
        ("low/high", []),
        ("low/low", [(12.5, 5.6), (11.8, 11.8), (11.1, 0.0), (6.3, 11.1)]),
    ],
    ["产品质量", "安装/使用指导", "售后流程", "物流延迟", "咨询", "服务态度"],
)


def _label_boxes(svg: str) -> list[tuple[str, tuple[float, float, float, float]]]:
    boxes = []
    pattern = r'<text x="([\d.\-]+)" y="([\d.\-]+)" class="label" style="text-anchor:(\w+)">([^<]*)</text>'
    for x, y, anchor, label in re.findall(pattern, svg):
        width = sum(12.5 if ord(c) > 0x2E80 else 7.0 for c in label)
        left = float(x) - {"start": 0, "middle": width / 2, "end": width}[anchor]
        boxes.append((label, (left, float(y) - 12, left + width, float(y) + 2)))
    return boxes


@needs_pygal
def test_the_quadrant_chart_labels_every_point_without_overlap() -> None:
    svg = charts_module.chart_svg(QUADRANTS)
    boxes = _label_boxes(svg)
    assert sorted(label for label, _ in boxes) == sorted(QUADRANTS.labels)
    for index, (_, one) in enumerate(boxes):
        for _, other in boxes[index + 1 :]:
            apart = (
                one[2] <= other[0] or other[2] <= one[0] or one[3] <= other[1] or other[3] <= one[1]
            )
            assert apart, (one, other)


@needs_pygal
@given(
    kind=st.sampled_from(["line", "bar", "scatter"]),
    values=st.lists(st.integers(0, 100), min_size=1, max_size=8),
)
@settings(max_examples=15, deadline=None)
def test_chart_texts_are_at_least_11_px_and_in_a_cjk_font(kind: str, values: list[int]) -> None:
    if kind == "scatter":
        chart = Chart(
            "scatter", "Q", ["x", "y"], [("s", [(v, v) for v in values])], ["p"] * len(values)
        )
    else:
        chart = Chart(
            kind, "C", [f"c{i}" for i in range(len(values))], [("s", values), ("t", values)]
        )
    svg = charts_module.chart_svg(chart)
    sizes = [float(size) for size in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    assert sizes
    assert min(sizes) >= 11, sorted(set(sizes))
    assert "PingFang SC" in svg
    assert "Noto Sans CJK SC" in svg
    assert "<script" not in svg
