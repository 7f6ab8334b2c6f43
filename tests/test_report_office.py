"""PowerPoint and Excel: the files are opened again and checked against the report's own blocks."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from aftersales import InvalidData, SlaPolicy, TicketQuery
from aftersales.cli import main
from aftersales.reports import monthly
from aftersales.reports.blocks import Chart, Paragraph, Section, Table
from aftersales.reports.pptx_writer import write_pptx
from aftersales.reports.xlsx_writer import tickets_of_period, write_xlsx
from aftersales.storage import SQLiteStore
from aftersales.testing.samples import sample_ticket
from tests.test_kpi import _story
from tests.test_report_escaping import HOSTILE, hostile_desk
from tests.test_reports import CAL

KPI = Table(
    ["指标", "本期", "目标"],
    [["投诉闭环率", "71.7%", "≥ 95.0%"], ["重开率", "2.5%", "≤ 5.0%"], ["受理量", "1,234", "—"]],
    marks=[[None, "missed", None], [None, "met", None], [None, None, None]],
)
TREND = Chart(
    "line", "趋势", ["10", "11", "12"], [("结案率", [74.9, None, 71.7]), ("CSAT", [80, 81, 85])]
)
BARS = Chart("bar", "问题类型", ["质量", "物流"], [("数量", [148, 51])])
QUADRANTS = Chart(
    "scatter",
    "四象限",
    ["频次 %", "影响 %"],
    [
        ("高频高影响", [(34.3, 35.8)]),
        ("低频高影响", []),
        ("低频低影响", [(12.5, 5.6), (6.3, 11.1)]),
    ],
    ["产品质量", "售后流程", "服务态度"],
)


def deck() -> list[Section]:
    return [
        Section("月度工作概述", [Paragraph("本期受理 439 单"), TREND], key="overview"),
        Section("关键绩效指标", [KPI, BARS], key="kpi"),
        Section("问题与挑战分析", [QUADRANTS], key="problems"),
        Section(
            "总结与展望",
            [
                Paragraph("净推荐值 +35", kind="highlight"),
                Paragraph("闭环率 71.7%", kind="lowlight"),
                Paragraph("SLA 超时 61 次", kind="risk"),
                Paragraph("下月增加两名坐席。", kind="supervisor"),
            ],
            key="outlook",
        ),
    ]


def _tables(slide) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for shape in slide.shapes
        if shape.has_table
    ]


def _charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def _texts(slide) -> list[str]:
    return [
        paragraph.text
        for shape in slide.shapes
        if shape.has_text_frame and shape != slide.shapes.title
        for paragraph in shape.text_frame.paragraphs
    ]


# -- PowerPoint -----------------------------------------------------------------------------------


def test_the_deck_has_a_title_slide_then_the_sections_in_order(tmp_path: Path) -> None:
    path = write_pptx(
        tmp_path / "m.pptx", "售后服务月报 2026-12", deck(), lang="zh", note="数据截至 …"
    )
    slides = list(Presentation(str(path)).slides)
    assert [slide.shapes.title.text for slide in slides] == [
        "售后服务月报 2026-12",
        "月度工作概述",
        "关键绩效指标",
        "问题与挑战分析",
        "总结与展望",
    ]
    assert slides[0].placeholders[1].text == "数据截至 …"
    assert _texts(slides[1]) == ["本期受理 439 单"]
    assert _texts(slides[4]) == [
        "▲ 净推荐值 +35",
        "▼ 闭环率 71.7%",
        "⚠ SLA 超时 61 次",
        "下月增加两名坐席。",
    ]


def test_the_kpi_table_is_a_native_table_with_marked_cells_filled(tmp_path: Path) -> None:
    slide = Presentation(str(write_pptx(tmp_path / "m.pptx", "T", deck(), lang="zh"))).slides[2]
    (table,) = _tables(slide)
    assert table == [
        ["指标", "本期", "目标"],
        ["投诉闭环率", "71.7% ✘", "≥ 95.0%"],
        ["重开率", "2.5% ✔", "≤ 5.0%"],
        ["受理量", "1,234", "—"],
    ]
    grid = next(shape for shape in slide.shapes if shape.has_table).table
    assert str(grid.cell(1, 1).fill.fore_color.rgb) == "FEE2E2"
    assert str(grid.cell(2, 1).fill.fore_color.rgb) == "DCFCE7"
    assert grid.cell(3, 1).fill.type is None  # unmarked: the table style's own


def test_charts_are_native_with_the_blocks_series(tmp_path: Path) -> None:
    slides = Presentation(str(write_pptx(tmp_path / "m.pptx", "T", deck(), lang="zh"))).slides
    (line,) = _charts(slides[1])
    assert line.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert list(line.plots[0].categories) == TREND.x_labels
    assert [(s.name, list(s.values)) for s in line.plots[0].series] == [
        ("结案率", [74.9, None, 71.7]),
        ("CSAT", [80.0, 81.0, 85.0]),
    ]
    assert line.chart_title.text_frame.text == "趋势"
    assert line.has_legend
    (bars,) = _charts(slides[2])
    assert bars.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert list(bars.plots[0].series[0].values) == [148.0, 51.0]
    (xy,) = _charts(slides[3])
    assert xy.chart_type == XL_CHART_TYPE.XY_SCATTER
    series = list(xy.plots[0].series)
    # the empty quadrant left out; the series of most points first, since LibreOffice drops
    # a one-point series placed before the first series of several points
    assert [s.name for s in series] == ["低频低影响", "高频高影响"]
    points = [list(zip(s.iter_values(), strict=True)) for s in series]
    xml = [s._element.xml for s in series]
    assert "产品质量" in xml[1]
    assert "售后流程" in xml[0]
    assert "服务态度" in xml[0]
    assert points[0] == [(5.6,), (11.1,)]  # the y values; the labels follow their points
    for axis, values in ((xy.category_axis, (34.3, 12.5, 6.3)), (xy.value_axis, (35.8, 5.6, 11.1))):
        assert axis.minimum_scale == 0
        assert max(values) < axis.maximum_scale <= 100  # every point inside, spread out
        assert axis.maximum_scale % 10 == 0
    positions = [
        point.data_label.position for series in xy.plots[0].series for point in series.points
    ]
    assert all(position is not None for position in positions)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.integers(0, 70), marked=st.booleans())
def test_a_long_table_runs_over_slides_and_keeps_every_row_once(
    tmp_path: Path, rows: int, marked: bool
) -> None:
    cells = [[f"T{n}", str(n)] for n in range(rows)]
    marks = [[None, "met" if n % 2 else "missed"] for n in range(rows)] if marked else []
    section = Section("工单", [Table(["工单", "数量"], cells, marks)])
    slides = list(
        Presentation(str(write_pptx(tmp_path / "t.pptx", "T", [section], lang="zh"))).slides
    )[1:]
    assert slides[0].shapes.title.text == "工单"
    assert all(slide.shapes.title.text == "工单 (续)" for slide in slides[1:])
    seen = [row for slide in slides for table in _tables(slide) for row in table[1:]]
    if not rows:
        assert seen == [["—", ""]]
        return
    symbol = {"met": " ✔", "missed": " ✘", None: ""}
    assert seen == [
        [name, count + symbol[m[1] if m else None]]
        for (name, count), m in zip(cells, marks or [None] * rows, strict=True)
    ]
    assert all(table[0] == ["工单", "数量"] for slide in slides for table in _tables(slide))
    tables = [table for slide in slides for table in _tables(slide)]
    assert all(len(table) - 1 <= 15 for table in tables)
    assert len(slides) == max(1, -(-len(tables) // 2))  # two narrow tables side by side
    height = Presentation(str(tmp_path / "t.pptx")).slide_height
    assert all(shape.top + shape.height <= height for slide in slides for shape in slide.shapes)


def test_what_is_not_a_block_or_a_writable_file_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(InvalidData, match="is not a block; accepted: Table, Paragraph or Chart"):
        write_pptx(tmp_path / "x.pptx", "T", [Section("S", ["text"])], lang="zh")  # type: ignore[list-item]
    with pytest.raises(
        InvalidData, match=r"the folder .*missing does not exist; accepted: a \.pptx file"
    ):
        write_pptx(tmp_path / "missing" / "x.pptx", "T", deck(), lang="zh")
    with pytest.raises(InvalidData, match=r"is a folder; accepted: a \.xlsx file"):
        write_xlsx(tmp_path, "T", deck(), lang="zh")
    assert list(tmp_path.iterdir()) == []


# -- Excel ----------------------------------------------------------------------------------------


def test_a_sheet_per_section_with_numbers_as_numbers_and_marks_filled(tmp_path: Path) -> None:
    book = load_workbook(write_xlsx(tmp_path / "m.xlsx", "月报", deck(), lang="zh", note="截至"))
    assert book.sheetnames == ["月度工作概述", "关键绩效指标", "问题与挑战分析", "总结与展望"]
    kpi = book["关键绩效指标"]
    rows = [[cell.value for cell in row] for row in kpi.iter_rows()]
    assert rows[:2] == [["月报", None, None], ["关键绩效指标", None, None]]
    start = rows.index(["指标", "本期", "目标"])
    assert rows[start + 1 : start + 4] == [
        ["投诉闭环率", 0.717, "≥ 95.0%"],
        ["重开率", 0.025, "≤ 5.0%"],
        ["受理量", 1234, "—"],
    ]
    closure, reopen, received = (kpi.cell(start + n, 2) for n in (2, 3, 4))
    assert (closure.number_format, received.number_format) == ("0.0%", "#,##0")
    assert closure.fill.fgColor.rgb == "00FEE2E2"
    assert reopen.fill.fgColor.rgb == "00DCFCE7"
    assert received.fill.fill_type is None
    bars = rows[rows.index(["问题类型", None, None]) + 1 :]
    assert bars[:3] == [[None, "数量", None], ["质量", 148, None], ["物流", 51, None]]
    quadrants = [[c.value for c in row] for row in book["问题与挑战分析"].iter_rows(min_row=5)]
    assert quadrants == [
        [None, None, "频次 %", "影响 %"],
        ["产品质量", "高频高影响", 34.3, 35.8],
        ["售后流程", "低频低影响", 12.5, 5.6],
        ["服务态度", "低频低影响", 6.3, 11.1],
    ]
    outlook = [row[0].value for row in book["总结与展望"].iter_rows(min_row=3) if row[0].value]
    assert outlook == ["▲ 净推荐值 +35", "▼ 闭环率 71.7%", "⚠ SLA 超时 61 次", "下月增加两名坐席。"]


@given(
    value=st.decimals(min_value=-1000, max_value=1000, places=1, allow_nan=False),
    integer=st.integers(-(10**9), 10**9),
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_number_cell_keeps_its_value_and_its_places(tmp_path: Path, value, integer: int) -> None:
    shown = [f"{value}%", f"{value}", f"{integer:,}", f"{integer}"]
    path = write_xlsx(
        tmp_path / "n.xlsx", "T", [Section("S", [Table(list("abcd"), [shown])])], lang="en"
    )
    cells = next(iter(load_workbook(path)["S"].iter_rows(min_row=5, max_row=5)))
    assert cells[0].value == float(value / 100)
    assert cells[0].number_format == "0.0%"
    assert cells[1].value == float(value)
    assert cells[1].number_format == "0.0"
    assert cells[2].value == integer
    assert cells[3].value == integer
    change = write_xlsx(
        tmp_path / "c.xlsx", "T", [Section("S", [Table(["a"], [[f"+{abs(value)}%"]])])], lang="en"
    )
    cell = load_workbook(change)["S"]["A5"]
    assert cell.value == float(abs(value) / 100)
    assert cell.number_format == "+0.0%;-0.0%;0.0%"  # a change keeps its sign


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1+1", "@SUM(A1)", "-2+3"])
def test_a_text_that_looks_like_a_formula_stays_a_text(tmp_path: Path, text: str) -> None:
    section = Section(text, [Paragraph(text), Table([text], [[text]])])
    path = write_xlsx(tmp_path / "f.xlsx", text, [section], lang="en")
    with zipfile.ZipFile(path) as archive:
        sheets = [
            archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")
        ]
    assert all(b"<f>" not in sheet for sheet in sheets)
    values = [c.value for row in load_workbook(path).worksheets[0].iter_rows() for c in row]
    assert values.count(text) == 5  # report and section titles, paragraph, header, cell


def test_the_tickets_sheet_lists_the_period_with_contacts_masked(tmp_path: Path) -> None:
    ticket = sample_ticket()
    assert ticket.contact is not None
    assert ticket.contact.phone == "13812345678"
    path = write_xlsx(tmp_path / "t.xlsx", "T", [], lang="en", tickets=[ticket])
    sheet = load_workbook(path)["Tickets"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Ticket", "Customer", "Contact (masked)"]
    assert rows[1][:3] == ["T202405001", "XX科技有限公司", "张先生 138****5678"]
    assert rows[1][7].strftime("%Y-%m-%d %H:%M") == ticket.received_at.in_timezone(
        "Asia/Shanghai"
    ).strftime("%Y-%m-%d %H:%M")
    with zipfile.ZipFile(path) as archive:
        assert all(b"12345678" not in archive.read(name) for name in archive.namelist())


# -- a real report, the API and the command line ---------------------------------------------------


@pytest.fixture(scope="module")
def desk():
    return _story()


def test_a_monthly_report_writes_its_own_sections_and_tickets(desk, tmp_path: Path) -> None:
    report = monthly(desk.store, "2026-10", calendar=CAL, policy=SlaPolicy.default(CAL))
    sections = report.sections("en")
    slides = list(Presentation(str(report.to_pptx(tmp_path / "m.pptx", "en"))).slides)
    titles = [slide.shapes.title.text for slide in slides]
    assert titles[0] == report.title("en")
    assert [t for t in titles[1:] if not t.endswith("(cont.)")] == [s.title for s in sections]
    first_table = next(b for s in sections for b in s.blocks if isinstance(b, Table) and b.rows)
    shown = [table for slide in slides for table in _tables(slide)]
    assert shown[0][0] == first_table.headers
    assert [row[0] for row in shown[0][1:]] == [row[0] for row in first_table.rows][
        : len(shown[0]) - 1
    ]
    book = load_workbook(report.to_xlsx(tmp_path / "m.xlsx", "en", tickets=desk.store))
    assert book.sheetnames[:-1] == [s.title[:28] for s in sections]
    ids = [row[0].value for row in book["Tickets"].iter_rows(min_row=2)]
    expected = tickets_of_period(desk.find(), report.period, report.read_at)
    assert ids == [t.id for t in expected]
    assert len(ids) == report.figures.received


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quarter")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main(["demo", "--scale", "0.1", "--only", "--lang", "en"]) == 0
    return folder / "aftersales-demo"


def test_the_demo_writes_the_deck_and_the_workbook_beside_the_markdown(quarter: Path) -> None:
    deck_file, book_file = quarter / "monthly-2026-12.en.pptx", quarter / "monthly-2026-12.en.xlsx"
    slides = list(Presentation(str(deck_file)).slides)
    assert slides[0].shapes.title.text == "After-sales monthly report 2026-12"
    headings = [
        line[3:]
        for line in (quarter / "monthly-2026-12.en.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    ]
    assert [
        s.shapes.title.text for s in slides[1:] if not s.shapes.title.text.endswith("(cont.)")
    ] == headings
    book = load_workbook(book_file)
    with SQLiteStore(quarter / "aftersales.db") as store:
        december = sorted(
            (t.received_at, t.id)
            for t in store.find(TicketQuery(limit=None))
            if t.received_at.in_timezone("Asia/Shanghai").format("YYYY-MM") == "2026-12"
        )
    assert book.sheetnames[-1] == "Tickets"
    assert [row[0].value for row in book["Tickets"].iter_rows(min_row=2)] == [
        i for _, i in december
    ]


def test_the_cli_writes_pptx_and_xlsx_with_company_templates(
    quarter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "logo.md.j2").write_text("ACME after-sales\n\n", encoding="utf-8")
    deck_file, book_file, md = tmp_path / "r.pptx", tmp_path / "r.xlsx", tmp_path / "r.md"
    code = main(
        [
            "report",
            "monthly",
            "--db",
            str(quarter / "aftersales.db"),
            "--month",
            "2026-11",
            "--lang",
            "en",
            "--complete-years",
            "2027",
            "--md",
            str(md),
            "--pptx",
            str(deck_file),
            "--xlsx",
            str(book_file),
            "--templates",
            str(templates),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert f"PowerPoint: {deck_file}" in out
    assert f"Excel: {book_file}" in out
    assert md.read_text(encoding="utf-8").startswith(
        "ACME after-sales\n\n# After-sales monthly report 2026-11"
    )
    assert (
        Presentation(str(deck_file)).slides[0].shapes.title.text
        == "After-sales monthly report 2026-11"
    )
    assert "Tickets" in load_workbook(book_file).sheetnames


def test_the_cli_refuses_an_office_file_in_a_missing_folder_and_writes_nothing(
    quarter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md = tmp_path / "r.md"
    code = main(
        [
            "report",
            "monthly",
            "--db",
            str(quarter / "aftersales.db"),
            "--month",
            "2026-11",
            "--complete-years",
            "2027",
            "--md",
            str(md),
            "--pptx",
            str(tmp_path / "no" / "r.pptx"),
        ]
    )
    assert code == 2
    assert "--pptx" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# -- hostile data -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [*HOSTILE[:6], "=cmd|' /C calc'!A0", "bell\x07 and\x1b esc\ufffe"]
)
def test_hostile_data_is_written_as_text_in_the_deck_and_the_workbook(
    tmp_path: Path, value: str
) -> None:
    desk, causes, actions = hostile_desk(value)
    report = monthly(
        desk.store,
        "2026-10",
        calendar=CAL,
        actions=actions,
        root_causes=causes,
        installed_base={value: 10},
    )
    shown = "".join(c for c in value if c in "\t\n\r" or (ord(c) >= 0x20 and c != "\ufffe"))
    slides = Presentation(str(report.to_pptx(tmp_path / "h.pptx", "en"))).slides
    cells = [cell for slide in slides for table in _tables(slide) for row in table for cell in row]
    assert cells.count(shown) >= 3  # customer, root cause, action … each its own cell
    book = load_workbook(report.to_xlsx(tmp_path / "h.xlsx", "en", tickets=desk.store))
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert (
        values.count(shown) >= 5 + 5
    )  # in the sections, and the five tickets' customer and problem
    with zipfile.ZipFile(tmp_path / "h.xlsx") as archive:
        assert all(b"<f>" not in archive.read(n) for n in archive.namelist() if "worksheets" in n)
