"""Reports: content, languages, renderings; figures checked against the hand-built story."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from aftersales import InvalidData, SlaPolicy, UnknownValue, WorkCalendar
from aftersales.reports import INDICATORS, ActionItem, KpiTargets, daily, monthly, weekly
from aftersales.reports import charts as charts_module
from tests.test_kpi import TZ, _story

CAL = WorkCalendar.always(TZ)


@pytest.fixture(scope="module")
def desk():
    return _story()


def test_monthly_kpi_table_compares_with_previous_months(desk) -> None:
    report = monthly(desk.store, "2026-10", calendar=CAL, policy=SlaPolicy.default(CAL))
    # October: 4 received (1 cancelled); of the complaints T1 and T3, T1 closed (T2 is a
    # consultation). September: T5 only, a consultation: no complaint to close
    assert report.value("received") == 4.0
    assert report.value("received", 1) == 1.0
    assert report.value("closure") == 50.0
    assert report.value("closure", 1) is None
    assert report.change("closure") is None
    # rolling: only October measured complaints
    assert report.rolling("closure") == 50.0
    assert [f.period.label for f in report.history] == ["2026-09", "2026-08"]
    data = report.to_dict()
    assert data["figures"]["received"] == 4
    assert {row["indicator"] for row in data["kpi_table"]} == set(INDICATORS)
    with pytest.raises(UnknownValue):
        report.value("happiness")


def test_store_and_iterable_sources_give_the_same_report(desk) -> None:
    from_store = monthly(desk.store, "2026-10", calendar=CAL)
    from_list = monthly(desk.find(), "2026-10", calendar=CAL)
    assert from_store.to_dict() == from_list.to_dict()


def test_markdown_in_both_languages(desk) -> None:
    actions = [ActionItem("同批次内存模块增加老化测试", "质量部", "2026-11-15")]
    report = monthly(desk.store, "2026-10", calendar=CAL, actions=actions)
    zh, en = report.to_markdown(lang="zh"), report.to_markdown(lang="en")
    assert zh.startswith("# 售后服务月报 2026-10")
    headings = [line[3:] for line in zh.splitlines() if line.startswith("## ")]
    assert headings == [
        "月度工作概述",
        "关键绩效指标",
        "问题与挑战分析",
        "改进措施计划",
        "客户反馈汇总",
        "总结与展望",
    ]
    for part in ("SLA 达成", "重大事件", "根因分析(按责任部门)", "亮点", "不足", "主要风险"):
        assert part in zh
    untargeted = monthly(desk.store, "2026-10", calendar=CAL, targets=KpiTargets.none())
    assert "| 投诉闭环率 | 50.0% | — | — | 50.0% |" in untargeted.to_markdown(lang="zh")
    closure = next(r for r in report.to_dict()["kpi_table"] if r["indicator"] == "closure")
    assert (closure["target"], closure["mark"]) == (
        {"value": 95.0, "direction": "at_least"},
        "missed",
    )
    assert "| Complaint closure rate | 50.0% ✘ | ≥ 95.0% |" in en
    assert "同批次内存模块增加老化测试" in zh
    assert "产品质量" in zh
    assert "Product quality defect" in en
    with pytest.raises(UnknownValue):
        report.to_markdown(lang="fr")
    with pytest.raises(InvalidData):
        monthly([], "2026-10", calendar=CAL, actions=["not an action"])  # type: ignore[list-item]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


def test_html_is_self_contained_with_charts_or_tables(desk, monkeypatch) -> None:
    report = monthly(desk.store, "2026-10", calendar=CAL)
    page = report.to_html(lang="zh")
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "link" not in parser.tags
    assert not re.search(r"(src|href)=\"https?:", page)
    if charts_module.charts_available():
        assert page.count("<svg") >= 4  # daily trend, 3-month trend, categories, quadrants …
    monkeypatch.setattr(charts_module, "charts_available", lambda: False)
    plain = report.to_html(lang="en")
    assert "<svg" not in plain
    assert "<table>" in plain
    assert "install the report extra" in plain


def test_weekly_has_the_classification_and_top5(desk) -> None:
    report = weekly(desk.store, "2026-W43", calendar=CAL)
    # W43: T3 (product quality, 20 Oct) and T4 (cancelled, 21 Oct)
    assert report.figures.received == 2
    assert report.figures.top == (("product_quality", 1),)
    assert report.previous.period.label == "2026-W42"
    assert "TOP" in report.to_markdown(lang="en")
    assert weekly(desk.store, "2026-10-21", calendar=CAL).period == report.period


def test_daily_lists_the_days_problems(desk) -> None:
    report = daily(desk.store, "2026-10-05", calendar=CAL)
    assert [line.ticket_id for line in report.tickets] == ["T1"]
    md = report.to_markdown(lang="zh")
    assert "死机" in md
    assert "紧急" in md
    assert report.to_dict()["tickets"][0]["ticket_id"] == "T1"


def _action(action_id: str, title: str, due_day: int):
    from aftersales.improvement import ImprovementAction
    from tests.test_kpi import at

    return ImprovementAction.plan(
        id=action_id,
        problem="频繁死机",
        cause_id="RC-1",
        category="product_quality",
        type="long_term_prevention",
        title=title,
        owner="质量部",
        acceptance="同批次返修率 < 1%",
        at=at(10, 1, 9),
        by="李工",
        due_at=at(10, due_day, 18),
    )


def test_weekly_report_lists_the_lagging_improvement_actions(desk) -> None:
    from tests.test_kpi import at

    late = _action("A1", "内存模块增加老化测试", 10)  # still planned, due 10-10
    busy = (
        _action("A2", "更新安装手册", 30)
        .start(by="王", at=at(10, 2, 9))
        .note_progress(by="王", at=at(10, 16, 9), text="初稿完成")
    )
    done = _action("A3", "客服话术培训", 12).start(by="王", at=at(10, 2, 9))
    done = done.complete(by="王", at=at(10, 9, 9)).verify(by="主管", at=at(10, 11, 9))
    report = weekly(desk.store, "2026-W42", calendar=CAL, actions=[late, busy, done])
    # read at the end of the week (10-19 00:00): only A1 is behind (overdue since 10-10)
    assert [item.title for item in report.lagging] == ["内存模块增加老化测试"]
    assert "已逾期" in report.lagging[0].status
    assert report.lagging[0].due == "2026-10-10"
    assert "跟进滞后的改进措施" in report.to_markdown(lang="zh")
    assert report.to_dict()["lagging"][0]["owner"] == "质量部"
    calm = weekly(desk.store, "2026-W42", calendar=CAL, actions=[busy, done])
    assert calm.lagging == ()
    assert "No improvement action is lagging" in calm.to_markdown(lang="en")


def test_monthly_report_lists_root_causes_by_department(desk) -> None:
    from aftersales.improvement import RootCause
    from tests.test_kpi import at

    def cause(cause_id: str, department: str, tickets: tuple[str, ...]) -> RootCause:
        return RootCause(
            id=cause_id,
            summary=f"{cause_id} 的根因",
            category="hardware_fault",
            department=department,
            identified_at=at(10, 25, 9),
            identified_by="李工",
            ticket_ids=tickets,
        )

    causes = [
        cause("RC-1", "质量部", ("T1", "T3", "T5")),
        cause("RC-2", "产品部", ("T2",)),
        cause("RC-3", "采购部", ("T5",)),  # September only: not in October's table
    ]
    report = monthly(desk.store, "2026-10", calendar=CAL, root_causes=causes)
    rows = [(r.department, r.root_cause_id, r.tickets) for r in report.root_causes]
    assert rows == [("产品部", "RC-2", 1), ("质量部", "RC-1", 2)]
    zh = report.to_markdown(lang="zh")
    problems = next(s for s in report.sections("zh") if s.key == "problems")
    assert "根因分析(按责任部门)" in [getattr(block, "text", None) for block in problems.blocks]
    assert "| 质量部 | 硬件故障 | RC-1 的根因 | 2 |" in zh
    with pytest.raises(InvalidData, match="root_causes"):
        monthly(desk.store, "2026-10", calendar=CAL, root_causes=["RC-1"])  # type: ignore[list-item]


def test_monthly_plan_section_takes_improvement_actions(desk) -> None:
    open_action = _action("A1", "内存模块增加老化测试", 10)
    finished = (
        _action("A3", "客服话术培训", 12)
        .start(by="王", at=open_action.created_at.add(days=1))
        .complete(by="王", at=open_action.created_at.add(days=5))
        .verify(by="主管", at=open_action.created_at.add(days=6))
    )
    report = monthly(desk.store, "2026-10", calendar=CAL, actions=[open_action, finished])
    assert [item.title for item in report.actions] == ["内存模块增加老化测试"]
