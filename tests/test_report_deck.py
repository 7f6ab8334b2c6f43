"""The deck (monthly, quarterly, yearly report): its sections, targets, 环比 / 同比, summary.

The fixture's figures are worked out by hand in ``_desk``'s docstring; the
tests compare the report against those numbers, never against its own output.
"""

from __future__ import annotations

import json
import math
from datetime import date

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    InvalidData,
    Priority,
    ProblemCategory,
    ServiceDesk,
    WorkCalendar,
)
from aftersales.errors import ReportSettingsRefused
from aftersales.kpi import Period
from aftersales.kpi.surveys import SurveyResponse
from aftersales.reports import (
    INDICATORS,
    ActionItem,
    Change,
    ExternalFigure,
    KpiTarget,
    KpiTargets,
    external_figures_from_toml,
    monthly,
    quarterly,
    yearly,
)
from aftersales.reports.blocks import Paragraph, Table
from aftersales.reports.changes import point_change, relative_change
from aftersales.reports.deck_layout import SECTION_KEYS
from aftersales.reports.formats import change_text, figure_text

TZ = "Asia/Shanghai"
CAL = WorkCalendar.always(TZ)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


def _desk(store: object = None) -> ServiceDesk:
    """Tickets received on the 10th (Dec 2025: the 12th), resolved on first contact unless said.

    ======== ======== ============ =====================================
    month    received first-line   note
    ======== ======== ============ =====================================
    2025-11  2        2 (100 %)
    2025-12  1        1 (100 %)
    2026-09  2        2 (100 %)
    2026-10  4        4 (100 %)
    2026-11  5        3 (60 %)     2 left open (the backlog at 1 Dec)
    ======== ======== ============ =====================================

    So: 2026-11 against 2026-10, received +25.0 % (5 vs 4), first-line
    -40.0 pp; against 2025-11 (同比) +150.0 % and -40.0 pp; rolling mean of
    received (5 + 4 + 2) / 3 = 3.67, of first-line (60 + 100 + 100) / 3 = 86.67 %.
    2026-Q4 received 9 against 2 in Q3 (+350.0 %) and 3 in 2025-Q4 (+200.0 %).
    Nobody closes a ticket (resolved is not closed), so the backlog is every
    ticket received before the instant: 9 at the end of October, 14 at the
    end of November (+55.6 %); at 1 December the 9 received before November
    are 30 days old or more. Each ticket has its own customer (no batch).
    2026 received 11 against 3 in 2025 (+266.7 %, both 环比 and 同比).
    """
    desk = ServiceDesk(store, clock=FixedClock(at(2027, 1, 15)))  # type: ignore[arg-type]
    plan = {(2025, 11): 2, (2025, 12): 1, (2026, 9): 2, (2026, 10): 4, (2026, 11): 5}
    for (year, month), count in plan.items():
        day = 12 if (year, month) == (2025, 12) else 10
        for index in range(count):
            tid = f"T{year}{month:02d}{index:02d}"
            when = at(year, month, day, 9, index)
            desk.open_ticket(
                ticket_id=tid,
                customer=Customer(id=f"C-{tid}", name=f"客户{tid}"),
                channel=Channel.PHONE,
                category=ProblemCategory.PRODUCT_QUALITY,
                description="死机",
                occurred_at=when.subtract(minutes=30),
                by="李工",
                priority=Priority.GENERAL,
                at=when,
            )
            if (year, month) != (2026, 11) or index < 3:
                desk.resolve_on_first_contact(tid, by="李工", answer="好", at=when.add(hours=1))
    return desk


@pytest.fixture(scope="module")
def desk() -> ServiceDesk:
    return _desk()


def _november(desk: ServiceDesk, **options: object) -> object:
    return monthly(desk.store, "2026-11", calendar=CAL, at=at(2026, 12, 1, 0), **options)  # type: ignore[arg-type]


def _kpi_table(report: object, lang: str = "en") -> Table:
    kpi = next(s for s in report.sections(lang) if s.key == "kpi")  # type: ignore[attr-defined]
    table = kpi.blocks[0]
    assert isinstance(table, Table)
    return table


def _row(table: Table, label: str) -> tuple[list[str], list[str | None]]:
    index = next(i for i, row in enumerate(table.rows) if row[0] == label)
    return table.rows[index], (table.marks[index] if table.marks else [None] * len(table.headers))


# -- the hand-worked month, quarter and year -----------------------------------------------------


def test_the_month_against_the_previous_month_and_the_same_month_last_year(desk) -> None:
    report = _november(desk)
    assert report.value("received") == 5
    assert report.value("received", 1) == 4
    assert report.period_change("received") == Change(25.0, "relative")
    assert report.year_change("received") == Change(150.0, "relative")
    first_line = report.period_change("first_line")
    assert first_line.kind == "pp"
    assert math.isclose(first_line.value, -40.0)
    assert math.isclose(report.year_change("first_line").value, -40.0)
    backlog = report.period_change("backlog_count")
    assert (report.value("backlog_count"), report.value("backlog_count", 1)) == (14, 9)
    assert math.isclose(backlog.value, 500 / 9)  # (14 - 9) / 9
    table = _kpi_table(report)
    assert table.headers == [
        "Indicator",
        "This period",
        "Target",
        "Previous",
        "Change",
        "Year on year",
        "3-month average (3 months with data)",
    ]
    row, marks = _row(table, "Tickets received")
    assert row == ["Tickets received", "5", "—", "4", "+25.0%", "+150.0%", "3.7"]
    assert marks == [None] * 7  # no target
    row, marks = _row(table, "First-line resolution rate")
    assert row == [
        "First-line resolution rate",
        "60.0%",
        "≥ 70.0%",
        "100.0%",
        "-40.0 pp",
        "-40.0 pp",
        "86.7%",
    ]
    assert marks[1] == "missed"
    assert marks[2:] == [None] * 5


def test_the_chinese_table_writes_its_units_out(desk) -> None:
    table = _kpi_table(_november(desk), "zh")
    assert table.headers[5] == "同比"
    assert _row(table, "受理量")[0] == [
        "受理量",
        "5 件",
        "—",
        "4 件",
        "+25.0%",
        "+150.0%",
        "3.7 件",
    ]
    assert _row(table, "一线解决率")[0][4] == "-40.0 个百分点"
    assert _row(table, "净推荐值")[0][0] == "净推荐值"


def test_the_year_column_shows_only_when_last_year_has_data(desk) -> None:
    october = monthly(desk.store, "2026-10", calendar=CAL, at=at(2026, 11, 1, 0))
    assert october.year_ago is None
    assert october.year_change("received") is None
    assert "Year on year" not in _kpi_table(october).headers
    row = next(r for r in october.to_dict()["kpi_table"] if r["indicator"] == "received")
    assert (row["year_ago"], row["year_change"]) == (None, None)


def test_a_quarter_and_a_year_are_the_same_deck_over_their_period(desk) -> None:
    q4 = quarterly(desk.store, "2026-Q4", calendar=CAL, at=at(2027, 1, 1, 0))
    assert [f.period.label for f in q4.history] == ["2026-Q3", "2026-Q2"]
    assert (q4.value("received"), q4.value("received", 1), q4.year_ago.received) == (9, 2, 3)
    assert q4.period_change("received") == Change(350.0, "relative")
    assert q4.year_change("received") == Change(200.0, "relative")
    assert q4.title("zh") == "售后服务季报 2026-Q4"
    assert q4.to_dict()["kind"] == "quarterly"
    sections = q4.sections("zh")
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert sections[0].title == "季度工作概述"
    assert _kpi_table(q4, "zh").headers[-1] == "近3个季度均值(有数据2个季度)"
    year = yearly(desk.store, "2026", calendar=CAL, at=at(2027, 1, 1, 0))
    assert [f.period.label for f in year.history] == ["2025", "2024"]
    assert (year.value("received"), year.year_ago.received) == (11, 3)
    change = year.period_change("received")
    assert change.kind == "relative"
    assert math.isclose(change.value, 800 / 3)
    assert year.year_change("received") == change
    assert year.title("en") == "After-sales yearly report 2026"
    assert year.sections("en")[0].title == "Yearly overview"


def test_the_deck_has_its_six_sections_in_order_with_their_titles(desk) -> None:
    report = _november(desk)
    assert [(s.key, s.title) for s in report.sections("zh")] == [
        ("overview", "月度工作概述"),
        ("kpi", "关键绩效指标"),
        ("problems", "问题与挑战分析"),
        ("actions", "改进措施计划"),
        ("feedback", "客户反馈汇总"),
        ("outlook", "总结与展望"),
    ]
    assert [s.title for s in report.sections("en")] == [
        "Monthly overview",
        "Key performance indicators",
        "Problems and challenges",
        "Improvement plan",
        "Customer feedback",
        "Summary and outlook",
    ]
    problems = next(s for s in report.sections("zh") if s.key == "problems")
    headings = [b.text for b in problems.blocks if isinstance(b, Paragraph)]
    for part in ("TOP 问题类型", "工单分布", "问题四象限", "重大事件", "根因分析(按责任部门)"):
        assert part in headings
    kpi = next(s for s in report.sections("zh") if s.key == "kpi")
    assert "SLA 达成" in [b.text for b in kpi.blocks if isinstance(b, Paragraph)]


# -- targets ------------------------------------------------------------------------------------


def test_a_target_met_exactly_is_met(desk) -> None:
    targets = KpiTargets.from_toml(
        "use_defaults = false\n[targets]\nfirst_line = { at_least = 60 }\n"
    )
    report = _november(desk, targets=targets)
    row, marks = _row(_kpi_table(report), "First-line resolution rate")
    assert row[2] == "≥ 60.0%"
    assert marks[1] == "met"
    assert [r["mark"] for r in report.to_dict()["kpi_table"] if r["mark"]] == ["met"]


def test_no_target_no_column_and_no_marks(desk) -> None:
    table = _kpi_table(_november(desk, targets=KpiTargets.none()))
    assert "Target" not in table.headers
    assert table.marks == []


def test_the_default_targets_name_where_they_come_from() -> None:
    defaults = KpiTargets.default()
    assert defaults.get("closure") == KpiTarget("closure", 95, "at_least")
    assert defaults.get("key_visit_coverage") == KpiTarget("key_visit_coverage", 80, "at_least")
    assert defaults.mark("onsite_24h", 12.2) == "missed"  # the demo's December
    assert all(t.indicator in INDICATORS for t in defaults)
    assert "DOMAIN.md" in (KpiTargets.__doc__ or "")


@given(
    value=st.floats(-1e6, 1e6, allow_nan=False) | st.none(),
    target=st.floats(-1e6, 1e6, allow_nan=False),
    direction=st.sampled_from(["at_least", "at_most"]),
    indicator=st.sampled_from(list(INDICATORS)),
)
def test_a_mark_is_met_exactly_when_the_value_meets_its_target(
    value, target, direction, indicator
) -> None:
    targets = KpiTargets((KpiTarget(indicator, target, direction),))
    mark = targets.mark(indicator, value)
    if value is None:
        assert mark is None
    else:
        meets = value >= target if direction == "at_least" else value <= target
        assert mark == ("met" if meets else "missed")
    other = next(key for key in INDICATORS if key != indicator)
    assert targets.mark(other, value) is None


@given(
    chosen=st.dictionaries(
        st.sampled_from(list(INDICATORS)),
        st.tuples(st.floats(-1e9, 1e9, allow_nan=False), st.sampled_from(["at_least", "at_most"])),
    )
)
def test_targets_read_back_from_their_toml(chosen) -> None:
    targets = KpiTargets(tuple(KpiTarget(k, v, d) for k, (v, d) in chosen.items()))
    lines = [f"{k} = {{ {d} = {v!r} }}" for k, (v, d) in chosen.items()]
    text = "use_defaults = false\n[targets]\n" + "\n".join(lines) + "\n"
    assert KpiTargets.from_toml(text) == targets
    assert KpiTargets.from_dict({"use_defaults": False, "targets": targets.to_dict()}) == targets


def test_a_targets_file_names_every_problem_at_once(tmp_path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(
        "colour = 1\n[targets]\n"
        'closure = { at_least = "95" }\nspeed = { at_most = 1 }\n'
        "nps = { above = 3 }\nrepeat = { at_least = 1, at_most = 2 }\nreopen = true\n",
        encoding="utf-8",
    )
    with pytest.raises(ReportSettingsRefused) as caught:
        KpiTargets.from_toml(path)
    paths = [p for p, _ in caught.value.problems]
    assert paths == [
        f"{path}:colour",
        f"{path}:targets.closure.at_least",
        f"{path}:targets.speed",
        f"{path}:targets.nps.above",
        f"{path}:targets.repeat",
        f"{path}:targets.reopen",
    ]
    assert isinstance(caught.value, InvalidData)
    messages = dict(caught.value.problems)
    assert "'95' is not a number" in messages[f"{path}:targets.closure.at_least"]
    assert "accepted: 'received', 'closure'" in messages[f"{path}:targets.speed"]
    with pytest.raises(ReportSettingsRefused, match="not TOML"):
        KpiTargets.from_toml("closure = ")
    with pytest.raises(ReportSettingsRefused, match="FileNotFoundError"):
        KpiTargets.from_toml(tmp_path / "none.toml")
    with pytest.raises(ReportSettingsRefused, match="a second target of 'closure'"):
        KpiTargets((KpiTarget("closure", 1), KpiTarget("closure", 2)))
    for bad in (math.nan, math.inf, True, "95"):
        with pytest.raises(ReportSettingsRefused, match="value"):
            KpiTarget("closure", bad)  # type: ignore[arg-type]


def test_a_target_can_be_dropped_and_the_rest_kept() -> None:
    targets = KpiTargets.from_toml("[targets]\nfirst_line = false\nclosure = { at_least = 90 }\n")
    assert targets.get("first_line") is None
    assert targets.get("closure") == KpiTarget("closure", 90)
    assert targets.get("key_visit_coverage") == KpiTargets.default().get("key_visit_coverage")


# -- the host's figures -------------------------------------------------------------------------


def test_host_figures_show_in_the_kpi_section_with_their_target(desk) -> None:
    turnover = ExternalFigure(
        "parts_turnover", "备件库存周转率", "Spare-part inventory turnover", 5.8, "次/年", target=6
    )
    stock_out = ExternalFigure("stock_out", "缺件率", "Stock-out rate", 1.5, "%", 2, "at_most")
    report = _november(desk, external_figures=[turnover, stock_out])
    kpi = next(s for s in report.sections("zh") if s.key == "kpi")
    table = next(b for b in kpi.blocks if isinstance(b, Table) and b.rows[0][0] == "备件库存周转率")
    assert table.rows == [
        ["备件库存周转率", "5.8 次/年", "≥ 6 次/年"],
        ["缺件率", "1.5 %", "≤ 2 %"],
    ]
    assert [marks[1] for marks in table.marks] == ["missed", "met"]
    data = report.to_dict()["external_figures"]
    assert [(f["key"], f["mark"]) for f in data] == [
        ("parts_turnover", "missed"),
        ("stock_out", "met"),
    ]
    lowlights = [i.indicator for i in report.outlook().lowlights if i.kind == "target_missed"]
    assert "parts_turnover" in lowlights


def test_a_figures_file_names_every_problem_at_once() -> None:
    text = """
[[figures]]
key = "a"
label_zh = "甲"
label_en = "A"
value = "high"
direction = "up"

[[figures]]
label_zh = "乙"
label_en = "B"
value = 1
colour = "red"
"""
    with pytest.raises(ReportSettingsRefused) as caught:
        external_figures_from_toml(text)
    assert [p for p, _ in caught.value.problems] == [
        "figures[0].value",
        "figures[0].direction",
        "figures[1].colour",
        "figures[1].key",
    ]
    twice = '[[figures]]\nkey = "a"\nlabel_zh = "甲"\nlabel_en = "A"\nvalue = 1\n' * 2
    with pytest.raises(ReportSettingsRefused, match=r"figures\[1\]\.key: 'a' is a second figure"):
        external_figures_from_toml(twice)


# -- the summary and outlook ------------------------------------------------------------------


def test_the_summary_lists_missed_targets_due_actions_and_overdue_ones(desk) -> None:
    actions = [
        ActionItem("排查主板批次", "质量部", "2026-12-15"),
        ActionItem("增配坐席", "客服中心", "2027-01-05"),
        ActionItem("更新话术", "客服中心", date(2026, 11, 20)),
    ]
    targets = KpiTargets((KpiTarget("first_line", 70),))
    report = _november(desk, actions=actions, targets=targets, notes="下月重点:备件\n\n第二段 <b>")
    outlook = report.outlook()
    missed = [i for i in outlook.lowlights if i.kind == "target_missed"]
    assert [(i.indicator, i.value, i.target) for i in missed] == [("first_line", 60.0, 70.0)]
    assert [a.title for a in outlook.actions_due] == ["排查主板批次"]
    assert [(r.kind, r.subject, r.due, r.count) for r in outlook.risks] == [
        ("overdue_action", "更新话术", date(2026, 11, 20), None),
        ("old_backlog", "≥30d", None, 9),
    ]
    section = next(s for s in report.sections("zh") if s.key == "outlook")
    kinds = [(b.kind, b.text) for b in section.blocks if isinstance(b, Paragraph)]
    assert ("lowlight", "一线解决率 60.0%,未达目标 ≥ 70.0%") in kinds
    assert ("risk", "改进措施已逾期:更新话术(负责人 客服中心,截止 2026-11-20)") in kinds
    assert [t for k, t in kinds if k == "supervisor"] == ["下月重点:备件", "第二段 <b>"]
    assert report.to_dict()["outlook"]["supervisor"] == "下月重点:备件\n\n第二段 <b>"
    assert "第二段 &lt;b&gt;" in report.to_html(lang="zh")


def test_improvements_and_declines_follow_which_way_is_better(desk) -> None:
    outlook = _november(desk, targets=KpiTargets.none()).outlook()
    declined = {i.indicator for i in outlook.lowlights}
    improved = {i.indicator for i in outlook.highlights}
    assert "first_line" in declined  # 60 % after 100 %: higher is better
    assert "received" not in declined | improved  # neither way is better
    assert len(declined) <= 3
    assert len(improved) <= 3


# -- changes, periods, formats ----------------------------------------------------------------


finite = st.floats(-1e6, 1e6, allow_nan=False)


measured = st.floats(1e-3, 1e6) | st.floats(-1e6, -1e-3)


@given(now=finite, before=measured)
def test_a_relative_change_is_the_difference_over_the_earlier_value(now, before) -> None:
    change = relative_change(now, before)
    assert change is not None
    assert math.isclose(before + change / 100 * abs(before), now, rel_tol=1e-9, abs_tol=1e-6)
    assert (change > 0) == (now > before)
    assert (change == 0) == (now == before)


@given(now=finite, before=st.just(0.0) | st.floats(-1e-300, 1e-300))
def test_no_relative_change_from_nothing_or_an_overflow(now, before) -> None:
    change = relative_change(now, before)
    assert change is None or math.isfinite(change)
    assert (relative_change(now, 0.0), relative_change(None, 1.0)) == (None, None)


@given(a=finite, b=finite)
def test_a_point_change_is_antisymmetric_and_adds_up(a, b) -> None:
    assert point_change(a, b) == -point_change(b, a)
    assert math.isclose(b + point_change(a, b), a, abs_tol=1e-6)
    assert point_change(None, b) is None
    assert point_change(a, None) is None


@given(
    now=finite,
    before=finite,
    unit=st.sampled_from(["count", "h", "cal_h", "pct", "score", "nps", "ratio"]),
)
def test_counts_and_durations_change_relatively_rates_in_points(now, before, unit) -> None:
    change = Change.between(now, before, unit)
    expected = {"count": "relative", "h": "relative", "cal_h": "relative", "pct": "pp"}
    assert change.kind == expected.get(unit, "points")
    shown_zh, shown_en = change_text(change, "zh"), change_text(change, "en")
    if change.kind == "pp":
        assert shown_zh.endswith(" 个百分点")
        assert shown_en.endswith(" pp")
    if change.kind == "relative" and change.value is not None:
        assert shown_en.endswith("%")


@given(
    kind=st.sampled_from(["quarter", "year"]),
    day=st.dates(min_value=date(1001, 1, 1), max_value=date(9998, 12, 31)),
)
def test_quarters_and_years_read_back_from_their_labels(kind, day) -> None:
    period = Period.of_date(kind, day, TZ)
    assert Period.parse(period.label, TZ) == period
    assert period.first <= day <= period.last
    assert period.year_before().first == period.first.replace(year=period.first.year - 1)
    assert period.year_before().kind == kind


@given(
    text=st.from_regex(r"\A\d{4}-Q[05-9]\Z")
    | st.from_regex(r"\A\d{4}Q[1-4]\Z")
    | st.from_regex(r"\A\d{4}-q[1-4]\Z")
    | st.from_regex(r"\A\d{1,3}\Z")
    | st.from_regex(r"\A\d{5}\Z")
)
def test_other_forms_of_a_quarter_or_a_year_are_refused_naming_the_accepted_ones(text) -> None:
    with pytest.raises(InvalidData) as caught:
        Period.parse(text, TZ)
    assert "accepted: 2026-10-12, 2026-W42, 2026-10, 2026-Q4 or 2026" in str(caught.value)


def test_a_report_refuses_a_period_longer_than_its_own(desk) -> None:
    with pytest.raises(InvalidData, match="'2026-Q4' is a quarter; accepted for a month's report"):
        monthly(desk.store, "2026-Q4", calendar=CAL)
    with pytest.raises(InvalidData, match="'2026' is a year; accepted for a quarter's report"):
        quarterly(desk.store, "2026", calendar=CAL)
    assert quarterly(desk.store, "2026-11-03", calendar=CAL).period.label == "2026-Q4"


def test_the_deck_builders_refuse_wrong_arguments(desk) -> None:
    with pytest.raises(InvalidData, match=r"targets: .* is not a KpiTargets"):
        monthly(desk.store, "2026-11", calendar=CAL, targets={"closure": 95})  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match=r"external_figures\[0\]"):
        monthly(desk.store, "2026-11", calendar=CAL, external_figures=[("a", 1)])  # type: ignore[list-item]
    with pytest.raises(InvalidData, match="notes: "):
        monthly(desk.store, "2026-11", calendar=CAL, notes=["x"])  # type: ignore[arg-type]


def test_chinese_figures_write_their_units() -> None:
    assert figure_text(106, "count", "zh") == "106 件"
    assert figure_text(0.93, "h", "zh") == "0.93 小时"
    assert figure_text(100, "h", "zh") == "100.00 小时"  # working hours stay hours
    assert figure_text(49, "cal_h", "zh") == "2.0 天"  # 49 calendar hours
    assert figure_text(47.9, "cal_h", "zh") == "47.90 小时"
    assert figure_text(95, "pct", "zh") == "95.0%"
    assert figure_text(4.5, "score", "zh") == "4.50 分"
    assert figure_text(49, "cal_h", "en") == "49.00 h"
    assert figure_text(106, "count", "en") == "106"


def test_the_json_carries_targets_marks_changes_figures_and_the_summary(desk) -> None:
    figure = ExternalFigure("parts_turnover", "备件库存周转率", "Turnover", 5.8, "次/年", target=6)
    report = _november(
        desk,
        targets=KpiTargets((KpiTarget("first_line", 70),)),
        external_figures=[figure],
        notes="说明",
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert data["targets"] == {"first_line": {"at_least": 70.0}}
    rows = {row["indicator"]: row for row in data["kpi_table"]}
    assert rows["first_line"]["mark"] == "missed"
    assert rows["first_line"]["target"] == {"value": 70.0, "direction": "at_least"}
    assert rows["received"]["period_change"] == {"value": 25.0, "kind": "relative"}
    assert rows["received"]["year_change"] == {"value": 150.0, "kind": "relative"}
    assert (rows["received"]["year_ago"], rows["received"]["unit"]) == (2.0, "count")
    assert rows["first_line"]["period_change"]["kind"] == "pp"
    assert data["year_ago"]["period"] == "2025-11"
    assert data["external_figures"][0]["mark"] == "missed"
    outlook = data["outlook"]
    assert [
        item["indicator"] for item in outlook["lowlights"] if item["kind"] == "target_missed"
    ] == [
        "first_line",
        "parts_turnover",
    ]
    assert outlook["supervisor"] == "说明"


def test_contacts_in_the_supervisors_text_are_masked(desk) -> None:
    report = _november(desk, notes="回访请联系 13812345678 或 zhang.san@example.com")
    shown_as = (report.to_markdown(lang="zh"), str(report.to_dict()), report.to_html(lang="en"))
    for shown in (*shown_as, repr(report)):
        assert "13812345678" not in shown
        assert "zhang.san@" not in shown
    assert report.outlook().supervisor == "回访请联系 138****5678 或 z********@example.com"


def test_the_feedback_section_counts_the_surveys_feedback_by_class(desk) -> None:
    answered = at(2026, 11, 20)
    surveys = [
        SurveyResponse(
            id="S1",
            at=answered,
            channel="phone",
            recorded_by="李娜",
            satisfaction=5,
            comment="很好",
        ),
        SurveyResponse(
            id="S2",
            at=answered,
            channel="phone",
            recorded_by="李娜",
            satisfaction=2,
            comment="没修好",
        ),
    ]
    feedback = next(
        s for s in _november(desk, surveys=surveys).sections("zh") if s.key == "feedback"
    )
    texts = [b.text for b in feedback.blocks if isinstance(b, Paragraph)]
    # two surveys: mean (5 + 2) / 2 = 3.5, one of two scored 4–5 (CSAT 50 %)
    assert "调查问卷 2 份 · 问卷满意度均分 3.50 分 · CSAT 50.0%" in texts
    table = feedback.blocks[-1]
    assert isinstance(table, Table)
    # "很好" from a satisfied customer is a suggestion, "没修好" at 2 is on the resolution
    assert table.rows == [
        ["服务人员", "0", "0.0%"],
        ["解决效果", "1", "50.0%"],
        ["建议", "1", "50.0%"],
    ]
    without = next(s for s in _november(desk).sections("zh") if s.key == "feedback")
    assert "客户反馈分类" not in [b.text for b in without.blocks if isinstance(b, Paragraph)]
