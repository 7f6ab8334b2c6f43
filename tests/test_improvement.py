"""Root causes, improvement actions with their lifecycle, and the effect review."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statemachine.exceptions import TransitionNotAllowed

from aftersales import (
    Customer,
    FixedClock,
    InvalidData,
    InvalidTransition,
    NaiveDatetimeError,
    ProblemCategory,
    ServiceDesk,
    WorkCalendar,
)
from aftersales.improvement import (
    ACTION_TRANSITIONS,
    ActionLifecycle,
    ActionStatus,
    ActionType,
    EffectReview,
    Fishbone,
    FishboneCategory,
    FiveWhys,
    ImprovementAction,
    InvalidActionTransition,
    LagReason,
    ReviewWindow,
    RootCause,
    effect_review,
    lagging,
    overdue,
    review_action,
    root_cause_rows,
)
from aftersales.serialization import from_dict, from_json, to_dict, to_json
from aftersales.storage import MemoryImprovementStore
from aftersales.testing.contracts import ImprovementStoreContract, make_action
from aftersales.vocab import RootCauseCategory

TZ = "Asia/Shanghai"
AT = pendulum.datetime(2024, 5, 20, 10, tz=TZ)


class TestMemoryImprovementStore(ImprovementStoreContract):
    def make_store(self) -> MemoryImprovementStore:
        return MemoryImprovementStore()


# -- 5-Why, fishbone, root causes ------------------------------------------------------


def test_five_whys_chain_ends_in_the_root_cause() -> None:
    chain = FiveWhys("延迟发货")
    for why, because in [
        ("为什么延迟?", "缺货"),
        ("为什么缺货?", "采购预测偏低"),
        ("为什么预测偏低?", "历史数据里没有促销"),
        ("为什么没有促销数据?", "供应链没有数据共享"),
    ]:
        chain = chain.ask(why, because)
    assert chain.depth == 4
    assert chain.root_cause == "供应链没有数据共享"
    assert next(s.why for s in chain.steps) == "为什么延迟?"
    cause = chain.to_root_cause(
        id="RC-1",
        category="process_gap",
        department="供应链部",
        identified_at=AT,
        identified_by="王经理",
        ticket_ids=["T1"],
    )
    assert cause.summary == "供应链没有数据共享"
    assert cause.five_whys == chain
    assert cause.category is RootCauseCategory.PROCESS_GAP


def test_five_whys_refuses_blank_steps_and_endless_chains() -> None:
    with pytest.raises(InvalidData, match="because"):
        FiveWhys("p").ask("why?", "  ")
    chain = FiveWhys("p")
    for n in range(12):
        chain = chain.ask(f"why {n}?", f"because {n}")
    with pytest.raises(InvalidData, match="at most 12"):
        chain.ask("why 13?", "because 13")
    with pytest.raises(InvalidData, match="steps"):
        FiveWhys("p").to_root_cause(
            id="RC-1", category="service", department="d", identified_at=AT, identified_by="w"
        )


def test_fishbone_has_the_six_bones_in_order() -> None:
    assert [(c.value, c.label_zh) for c in FishboneCategory] == [
        ("man", "人"),
        ("machine", "机"),
        ("material", "料"),
        ("method", "法"),
        ("environment", "环"),
        ("measurement", "测"),
    ]
    fish = (
        Fishbone("破损率上升")
        .add("measurement", "跌落测试标准过低")
        .add("人", "新员工未培训")
        .add(FishboneCategory.MATERIAL, "纸箱强度不足", "换了供应商", "纸板克重降低")
    )
    assert fish.categories_used == (
        FishboneCategory.MAN,
        FishboneCategory.MATERIAL,
        FishboneCategory.MEASUREMENT,
    )
    assert fish.causes_in("material")[0].sub_causes == ("换了供应商", "纸板克重降低")
    assert fish.to_markdown(lang="en").splitlines()[2:] == [
        "- **man**: 新员工未培训",
        "- **material**: 纸箱强度不足 (换了供应商; 纸板克重降低)",
        "- **measurement**: 跌落测试标准过低",
    ]
    with pytest.raises(InvalidData, match="'money' is not a known value"):
        fish.add("money", "预算不足")


def test_root_cause_reports_every_bad_field_at_once() -> None:
    with pytest.raises(InvalidData) as error:
        RootCause(
            id="bad id",
            summary="",
            category="typo",
            department="d",
            identified_at=pendulum.naive(2024, 5, 1),
            identified_by="w",
            ticket_ids=("T1", "T1"),
        )
    paths = {path for path, _ in error.value.problems}
    assert paths == {"id", "summary", "category", "identified_at", "ticket_ids[1]"}


@given(st.lists(st.sampled_from(["T1", "T2", "T3", "T4"]), max_size=12))
def test_linking_keeps_each_ticket_once_in_first_link_order(links: list[str]) -> None:
    cause = RootCause(
        id="RC-1",
        summary="s",
        category="supplier",
        department="采购部",
        identified_at=AT,
        identified_by="w",
    )
    for ticket_id in links:
        cause = cause.link(ticket_id)
    expected = list(dict.fromkeys(links))
    assert list(cause.ticket_ids) == expected
    assert all(cause.explains(t) for t in links)
    for ticket_id in expected:
        assert not cause.unlink(ticket_id).explains(ticket_id)


def test_root_cause_rows_by_department_count_the_period(desk: ServiceDesk) -> None:
    from tests.helpers import open_sample

    t1 = open_sample(desk, "T1")
    desk.clock.advance(days=10)  # type: ignore[attr-defined]
    t2 = open_sample(desk, "T2")
    t3 = open_sample(desk, "T3")
    causes = [
        RootCause(
            id="RC-A",
            summary="电容不良",
            category="supplier",
            department="采购部",
            identified_at=AT,
            identified_by="w",
            ticket_ids=("T1", "T2"),
        ),
        RootCause(
            id="RC-B",
            summary="说明书缺图",
            category="process_gap",
            department="产品部",
            identified_at=AT,
            identified_by="w",
            ticket_ids=("T1",),
        ),
        RootCause(
            id="RC-C",
            summary="安装不规范",
            category="service",
            department="产品部",
            identified_at=AT,
            identified_by="w",
            ticket_ids=("T2", "T3"),
        ),
    ]
    everything = root_cause_rows(causes)
    assert [(r.department, r.root_cause_id, r.tickets) for r in everything] == [
        ("产品部", "RC-C", 2),
        ("产品部", "RC-B", 1),
        ("采购部", "RC-A", 2),
    ]
    # only T2 and T3 are received in the second period
    later = root_cause_rows(causes, tickets=[t1, t2, t3], start=t2.received_at)
    assert [(r.root_cause_id, r.tickets) for r in later] == [("RC-C", 2), ("RC-A", 1)]
    assert later[0].label("zh") == "产品部 · 服务问题: 安装不规范 (2 单)"
    with pytest.raises(InvalidData, match="tickets"):
        root_cause_rows(causes, start=t2.received_at)


# -- the action lifecycle -----------------------------------------------------------------

COMMANDS = sorted(ACTION_TRANSITIONS.commands)


def _apply(action: ImprovementAction, command: str, at: pendulum.DateTime) -> ImprovementAction:
    if command == "note_progress":
        return action.note_progress(by="赵经理", at=at, text="本周进展")
    if command in ("drop", "reject"):
        return getattr(action, command)(by="王经理", at=at, reason="验收未通过")  # type: ignore[no-any-return]
    return getattr(action, command)(by="赵经理", at=at)  # type: ignore[no-any-return]


@given(st.lists(st.sampled_from(COMMANDS), max_size=15))
def test_actions_follow_the_declared_state_machine(commands: list[str]) -> None:
    action = make_action()
    machine = ActionLifecycle()
    at = action.created_at
    for command in commands:
        at = at.add(hours=1)
        try:
            machine.send(command)
            accepted = True
        except TransitionNotAllowed:
            accepted = False
        if accepted:
            action = _apply(action, command, at)
        else:
            before = action
            with pytest.raises(InvalidActionTransition) as error:
                _apply(action, command, at)
            assert isinstance(error.value, InvalidTransition)
            assert error.value.allowed == ACTION_TRANSITIONS.allowed(action.status)
            assert action == before
        assert action.status is machine.current_state_value
    assert action.version == 1 + len(action.changes) + len(action.notes)
    assert from_dict(ImprovementAction, to_dict(action)) == action


def test_full_path_keeps_every_change_and_note() -> None:
    action = make_action()
    action = action.start(by="赵经理", at=AT.add(days=1))
    action = action.note_progress(by="赵经理", at=AT.add(days=5), text="新规范已起草")
    action = action.complete(by="赵经理", at=AT.add(days=8), summary="规范发布")
    action = action.reject(by="王经理", at=AT.add(days=9), reason="仓库未执行")
    action = action.complete(by="赵经理", at=AT.add(days=12))
    action = action.verify(by="王经理", at=AT.add(days=20), evidence="两周破损 1 单")
    assert action.status is ActionStatus.VERIFIED
    assert [c.command for c in action.changes] == [
        "start",
        "complete",
        "reject",
        "complete",
        "verify",
    ]
    assert action.completed_at == AT.add(days=12)
    assert action.version == 7
    assert action.allowed_commands() == ()
    with pytest.raises(InvalidActionTransition, match="nothing \\(final status\\)"):
        action.note_progress(by="x", at=AT.add(days=21), text="n")


def test_drop_needs_a_reason_and_time_cannot_go_back() -> None:
    action = make_action().start(by="赵经理", at=AT.add(days=2))
    with pytest.raises(InvalidData, match="reason"):
        action.drop(by="王经理", at=AT.add(days=3), reason=" ")
    with pytest.raises(InvalidData, match="before the action's last change"):
        action.complete(by="赵经理", at=AT.add(days=1))
    with pytest.raises(NaiveDatetimeError):
        action.complete(by="赵经理", at=pendulum.naive(2024, 6, 1))
    dropped = action.drop(by="王经理", at=AT.add(days=3), reason="产品停产")
    assert dropped.drop_reason == "产品停产"
    assert dropped.status.label_zh == "已放弃"


def test_a_stored_form_with_a_forged_status_is_refused() -> None:
    data = to_dict(make_action().start(by="赵经理", at=AT.add(days=1)))
    data["status"] = "verified"
    with pytest.raises(InvalidData, match="disagrees with the changes"):
        from_dict(ImprovementAction, data)
    data = to_dict(make_action())
    data["changes"] = [
        {
            "command": "verify",
            "source": "planned",
            "target": "verified",
            "at": "2024-05-21T00:00:00+00:00",
            "by": "x",
            "reason": "",
        }
    ]
    data["status"], data["version"] = "verified", 2
    with pytest.raises(InvalidData, match="does not follow planned"):
        from_dict(ImprovementAction, data)


def test_due_date_counts_working_days_on_the_china_calendar() -> None:
    # 2024-09-30 (Mon) + 1 working day: 1–7 October is National Day, so Tuesday 8 October
    action = ImprovementAction.plan(
        id="IA-9",
        problem="国庆前投诉积压",
        cause_id="RC-9",
        category="aftersales_process",
        type=ActionType.IMMEDIATE_FIX,
        title="节前加派人手",
        owner="客服主管",
        acceptance="积压清零",
        at=pendulum.datetime(2024, 9, 30, 10, tz=TZ),
        by="王经理",
        calendar=WorkCalendar.china(),
        working_days=1,
    )
    assert action.due_at == pendulum.datetime(2024, 10, 8, 18, tz=TZ)
    with pytest.raises(InvalidData, match="due_at"):
        ImprovementAction.plan(
            id="IA-9",
            problem="p",
            cause_id="RC-9",
            category="consultation",
            type="process_change",
            title="t",
            owner="o",
            acceptance="a",
            at=AT,
            by="b",
        )


def test_overdue_and_lagging_for_the_weekly_report() -> None:
    late = make_action("IA-1", days=3).start(by="o", at=AT.add(days=1))
    quiet = make_action("IA-2", days=30).start(by="o", at=AT.add(days=1))
    soon = make_action("IA-3", days=10)
    busy = make_action("IA-4", days=30).note_progress(by="o", at=AT.add(days=8), text="进展")
    finished = make_action("IA-5", days=3).start(by="o", at=AT).complete(by="o", at=AT.add(days=1))
    actions = [busy, soon, quiet, late, finished]
    now = AT.add(days=9)
    assert [a.id for a in overdue(actions, now)] == ["IA-1"]
    rows = {row.action.id: row.reasons for row in lagging(actions, now)}
    assert rows == {
        "IA-1": (LagReason.OVERDUE, LagReason.NO_RECENT_PROGRESS),
        "IA-2": (LagReason.NO_RECENT_PROGRESS,),
        "IA-3": (LagReason.NOT_STARTED, LagReason.NO_RECENT_PROGRESS),
    }
    assert [r.action.id for r in lagging(actions, now)] == ["IA-1", "IA-3", "IA-2"]
    assert LagReason.OVERDUE.label_zh == "已逾期"


@given(st.integers(0, 40), st.integers(1, 30))
def test_overdue_means_open_and_past_due(day: int, due: int) -> None:
    action = make_action(days=due)
    now = AT.add(days=day, minutes=1)
    assert action.overdue(now) == (now > action.due_at)
    assert not action.start(by="o", at=AT).complete(by="o", at=AT).overdue(now)


# -- effect review --------------------------------------------------------------------------


def _closed(desk: ServiceDesk, ticket_id: str, category: ProblemCategory, score: int) -> None:
    desk.open_ticket(
        customer=Customer(id="C1", name="某公司"),
        channel="phone",
        category=category,
        description="物流延迟,超过承诺时间未送达",
        occurred_at=desk.clock.now().subtract(hours=1),
        by="李工",
        ticket_id=ticket_id,
    )
    desk.resolve_on_first_contact(ticket_id, by="李工", answer="已催促物流")
    desk.record_visit(ticket_id, by="回访", resolved=True, score=score)


def test_effect_review_compares_two_periods_from_the_tickets() -> None:
    clock = FixedClock(pendulum.datetime(2024, 5, 6, 10, tz=TZ))
    desk = ServiceDesk(clock=clock, visit_threshold=1)
    delay, quality = ProblemCategory.LOGISTICS_DELAY, ProblemCategory.PRODUCT_QUALITY
    for n, score in enumerate([3, 3, 4, 2, 4]):  # before: 16 / 5 = 3.2
        _closed(desk, f"B{n}", delay, score)
    _closed(desk, "BQ", quality, 1)  # another problem type: not counted
    clock.advance(days=21)
    for n, score in enumerate([5, 4]):  # after: 9 / 2 = 4.5
        _closed(desk, f"A{n}", delay, score)
    desk.open_ticket(
        customer=Customer(id="C1", name="某公司"),
        channel="phone",
        category=delay,
        description="物流延迟",
        occurred_at=clock.now(),
        by="李工",
        ticket_id="A-cancel",
    )
    desk.cancel("A-cancel", by="李工", reason="重复登记")
    tickets = desk.find()
    before = ReviewWindow(
        pendulum.datetime(2024, 5, 1, tz=TZ), pendulum.datetime(2024, 5, 20, tz=TZ)
    )
    after = ReviewWindow(
        pendulum.datetime(2024, 5, 20, tz=TZ), pendulum.datetime(2024, 6, 3, tz=TZ)
    )
    review = effect_review(tickets, category="物流延迟", before=before, after=after)
    assert (review.before.tickets, review.before.mean_satisfaction) == (5, 3.2)
    assert (review.after.tickets, review.after.mean_satisfaction) == (2, 4.5)
    assert review.satisfaction_change == 1.3
    assert review.volume_change == -3
    assert review.improved is True
    assert review.summary("en") == (
        "Logistics delay: satisfaction 3.2 → 4.5 (+1.3), tickets 5 → 2 (-3)"
    )
    assert from_dict(EffectReview, to_dict(review)) == review


def test_review_action_uses_the_completion_date() -> None:
    action = make_action().start(by="o", at=AT).complete(by="o", at=AT.add(days=7))
    review = review_action(action, [], weeks_before=2, weeks_after=1)
    assert review.before.tickets == review.after.tickets == 0
    assert review.satisfaction_change is None
    assert review.improved is None
    assert "–" in review.summary("zh")


def test_review_window_must_be_forward_and_aware() -> None:
    with pytest.raises(InvalidData, match="not after start"):
        ReviewWindow(AT, AT)
    with pytest.raises(NaiveDatetimeError):
        ReviewWindow(pendulum.naive(2024, 5, 1), AT)
    before, after = ReviewWindow.around(AT)
    assert before.end == after.start == AT
    assert after.end - after.start == timedelta(weeks=2)


# -- serialization and labels -------------------------------------------------------------


def test_root_cause_round_trips_with_its_analysis() -> None:
    cause = (
        FiveWhys("漏水")
        .ask("为什么漏水?", "排水管坡度不足")
        .to_root_cause(
            id="RC-7",
            category="operation_error",
            department="安装服务部",
            identified_at=AT,
            identified_by="王工",
            ticket_ids=["T1", "T2"],
            problem_category="usage_guidance",
            fishbone=Fishbone("漏水").add("method", "安装规范未写坡度"),
        )
    )
    assert from_json(RootCause, to_json(cause)) == cause
    data = to_dict(cause)
    assert data["fishbone"]["causes"][0]["category"] == "method"
    data["fishbone"]["causes"][0]["category"] = "money"
    data["ticket_ids"] = ["T1", 7]
    with pytest.raises(InvalidData) as error:
        from_dict(RootCause, data)
    assert {p for p, _ in error.value.problems} == {
        "fishbone.causes[0].category",
        "ticket_ids[1]",
    }


def test_labels_are_bilingual() -> None:
    assert [s.label_zh for s in ActionStatus] == ["计划中", "进行中", "已完成", "已验证", "已放弃"]
    assert [t.label_zh for t in ActionType] == ["即时补救与补偿", "流程优化", "长期预防"]
    assert ActionType.LONG_TERM_PREVENTION.label("en") == "long term prevention"
    # 7 status changes (start, complete, verify, reject, 3× drop) + entry + 2 exits
    assert ACTION_TRANSITIONS.to_mermaid().count("-->") == 10


def test_the_action_diagram_in_the_docs_is_the_generated_one() -> None:
    import re
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "improvement.md").read_text(encoding="utf-8")
    diagram = re.search(r"```mermaid\n(.*?)\n```", page, flags=re.S)
    assert diagram is not None
    assert diagram.group(1) == ACTION_TRANSITIONS.to_mermaid()
