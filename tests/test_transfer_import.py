"""Importing follow-up records: headings, the history rule, every refusal, all or nothing.

The expected values are written from the rows (what a person reads in the
cells), never taken from the importer's own output.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import FixedClock, Priority, ServiceDesk, TicketStatus
from aftersales.errors import InvalidData
from aftersales.model.query import TicketQuery
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.strategies import texts
from aftersales.transfer import (
    TEMPLATE,
    ImportMapping,
    ImportRejected,
    import_records,
    template_cells,
)
from aftersales.transfer.cells import format_instant, read_instant
from aftersales.transfer.columns import CellContext
from aftersales.transfer.reading import guard_formula, unguard_formula
from aftersales.transfer.writing import write_rows

NOW = pendulum.datetime(2024, 6, 1, 9, tz="Asia/Shanghai")

#: A closed ticket with every field of the template filled.
CLOSED: dict[str, str] = {
    "客户编号": "C202405001",
    "客户名称": "XX科技有限公司",
    "联系人": "张先生",
    "联系方式": "13812345678 / zhang@example.com",
    "购买产品/服务": "A型智能办公设备（2024-03-15购买）；序列号：SN-A-0001",
    "问题发生时间": "2024-05-10 14:30",
    "问题描述": "开机后黑屏，指示灯不亮，客户称“设备完全无法使用”",
    "客户期望": "维修、更换",
    "优先级": "紧急",
    "初步对接人": "李工",
    "问题分析结果": "【硬件故障】电源板击穿",
    "解决方案": "更换电源板\n1. 上门更换电源板（执行人：王工，期限：2024-05-12 18:00）",
    "客户确认意见": "同意：尽快安排上门",
    "方案执行记录": "2024-05-11 10:00 王工：【上门】已更换电源板",
    "客户回访结果": "2024-05-14 10:00 已解决，满意度 5分，评价：师傅很专业",
    "优化建议": "电源板批次抽检",
    "关闭状态": "已关闭",
    "更新时间": "2024-05-14 10:30",
    "渠道": "电话",
    "问题类型": "产品质量",
}

#: A ticket still waiting for the customer's answer.
WAITING: dict[str, str] = {
    **CLOSED,
    "客户编号": "C202405002",
    "联系方式": "13900001111",
    "问题发生时间": "2024-05-20 09:00",
    "问题描述": "打印卡纸",
    "客户期望": "",
    "优先级": "一般",
    "问题分析结果": "",
    "解决方案": "寄送操作视频\n1. 微信发送卡纸处理视频（执行人：小刘，期限：2024-05-21 12:00）",
    "客户确认意见": "",
    "方案执行记录": "",
    "客户回访结果": "",
    "优化建议": "",
    "关闭状态": "处理中",
    "更新时间": "2024-05-20 11:00",
    "购买产品/服务": "",
}


def write_csv(
    path: Path, rows: Iterable[Mapping[str, str]], headings: list[str] | None = None
) -> Path:
    rows = list(rows)
    names = headings or list(rows[0])
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(name, "") for name in names])
    return path


def desk_on(store: Any = None) -> ServiceDesk:
    return ServiceDesk(store if store is not None else MemoryStore(), clock=FixedClock(NOW))


def snapshot(store: Any) -> tuple[Any, ...]:
    """Everything an import could change in a store: tickets with histories, customers, feed."""
    tickets = [(t.id, t.version, t.history) for t in store.find(TicketQuery())]
    customers = store.find_customers()
    feed = list(store.events_since(0, limit=10_000)) if hasattr(store, "events_since") else []
    return tickets, customers, len(feed)


# -- what a row becomes ------------------------------------------------------------------------------


def test_a_closed_row_becomes_a_closed_ticket_with_every_field(tmp_path: Path) -> None:
    desk = desk_on()
    result = import_records(desk, write_csv(tmp_path / "a.csv", [CLOSED]))
    (ticket_id,) = result.created
    ticket = desk.get(ticket_id)
    utc = pendulum.timezone("UTC")
    assert ticket.status is TicketStatus.CLOSED
    assert (ticket.customer_id, ticket.customer_name) == ("C202405001", "XX科技有限公司")
    assert ticket.contact is not None
    assert (ticket.contact.name, ticket.contact.phone, ticket.contact.email) == (
        "张先生",
        "13812345678",
        "zhang@example.com",
    )
    assert ticket.purchase is not None
    assert ticket.purchase.product.model == "A型智能办公设备"
    assert ticket.purchase.purchased_on == date(2024, 3, 15)
    assert ticket.purchase.serial_number == "SN-A-0001"
    assert ticket.occurred_at == pendulum.datetime(2024, 5, 10, 6, 30, tz=utc)
    assert ticket.received_at == ticket.occurred_at
    assert [d.code for d in ticket.demands] == ["repair", "replace"]
    assert ticket.priority is Priority.URGENT
    assert ticket.handler == "李工"
    assert [(a.finding, a.root_cause.code) for a in ticket.analyses] == [
        ("电源板击穿", "hardware_fault")
    ]
    assert ticket.solution is not None
    assert ticket.solution.summary == "更换电源板"
    step = ticket.solution.steps[0]
    assert (step.action, step.executor) == ("上门更换电源板", "王工")
    assert step.deadline == pendulum.datetime(2024, 5, 12, 10, tz=utc)
    assert [(c.command, c.words) for c in ticket.confirmations] == [
        ("record_agreement", "尽快安排上门")
    ]
    node = ticket.execution_log[0]
    assert (node.at, node.by, node.result, node.onsite) == (
        pendulum.datetime(2024, 5, 11, 2, tz=utc),
        "王工",
        "已更换电源板",
        True,
    )
    visit = ticket.visits[-1]
    assert (visit.at, visit.resolved, visit.score, visit.comment) == (
        pendulum.datetime(2024, 5, 14, 2, tz=utc),
        True,
        5,
        "师傅很专业",
    )
    assert [s.text for s in ticket.improvement_suggestions] == ["电源板批次抽检"]
    assert ticket.updated_at == pendulum.datetime(2024, 5, 14, 2, 30, tz=utc)
    assert (ticket.channel.code, ticket.category.code) == ("phone", "product_quality")


def test_the_history_rule_orders_the_commands_and_spreads_the_free_instants(
    tmp_path: Path,
) -> None:
    desk = desk_on()
    (ticket_id,) = import_records(desk, write_csv(tmp_path / "a.csv", [CLOSED])).created
    history = desk.history(ticket_id)
    assert [e.command for e in history] == [
        "open_ticket",
        "acknowledge",
        "record_analysis",
        "propose_solution",
        "record_agreement",
        "record_progress",
        "finish_execution",
        "record_visit",
        "suggest_improvement",
    ]
    local = [e.at.in_timezone("Asia/Shanghai").format("MM-DD HH:mm:ss") for e in history]
    # registered at 05-10 14:30, the key node at 05-11 10:00 (19.5 h later): the four
    # free steps between them at fifths of that span; the finish halfway to the visit
    assert local == [
        "05-10 14:30:00",
        "05-10 18:24:00",
        "05-10 22:18:00",
        "05-11 02:12:00",
        "05-11 06:06:00",
        "05-11 10:00:00",
        "05-12 22:00:00",
        "05-14 10:00:00",
        "05-14 10:30:00",
    ]


@pytest.mark.parametrize(
    ("changes", "status", "commands"),
    [
        (
            {},
            TicketStatus.AWAITING_CONFIRMATION,
            ["open_ticket", "acknowledge", "propose_solution"],
        ),
        (
            {
                "解决方案": "一线解决：电话指导清理卡纸",
                "客户回访结果": "满意 4分",
                "关闭状态": "已关闭",
            },
            TicketStatus.CLOSED,
            ["open_ticket", "resolve_on_first_contact", "record_visit"],
        ),
        (
            {"解决方案": "", "关闭状态": "需升级"},
            TicketStatus.RECEIVED,
            ["open_ticket", "escalate"],
        ),
        (
            {"解决方案": "", "关闭状态": "已取消"},
            TicketStatus.CANCELLED,
            ["open_ticket", "cancel"],
        ),
        (
            {
                "客户确认意见": "异议：希望换新机\n同意：先试视频",
                "方案执行记录": "2024-05-20 10:30 小刘：已发送",
            },
            TicketStatus.IN_PROGRESS,
            [
                "open_ticket",
                "acknowledge",
                "propose_solution",
                "record_dispute",
                "propose_solution",
                "record_agreement",
                "record_progress",
            ],
        ),
        (
            {
                "客户确认意见": "同意：先试视频\n同意：改为上门",
                "方案执行记录": "2024-05-20 10:30 小刘：已发送",
            },
            TicketStatus.IN_PROGRESS,
            [
                "open_ticket",
                "acknowledge",
                "propose_solution",
                "record_agreement",
                "record_progress",
                "report_new_problem",
                "propose_solution",
                "record_agreement",
            ],
        ),
        (
            {
                "客户确认意见": "同意：好",
                "客户回访结果": "2024-05-20 10:40 满意度 2分，评价：还是卡",
                "关闭状态": "处理中",
            },
            TicketStatus.ANALYSING,
            [
                "open_ticket",
                "acknowledge",
                "propose_solution",
                "record_agreement",
                "finish_execution",
                "record_visit",
            ],
        ),
    ],
)
def test_each_close_state_reaches_its_status(
    tmp_path: Path, changes: dict[str, str], status: TicketStatus, commands: list[str]
) -> None:
    desk = desk_on()
    (ticket_id,) = import_records(
        desk, write_csv(tmp_path / "a.csv", [{**WAITING, **changes}])
    ).created
    ticket = desk.get(ticket_id)
    assert ticket.status is status
    assert [e.command for e in ticket.history] == commands
    # the last command is at 更新时间, unless it has a time of its own (a key node, a dated visit)
    own_time = {"record_progress": "2024-05-20 10:30", "record_visit": "2024-05-20 10:40"}
    dated = "客户回访结果" not in changes or changes["客户回访结果"][:4] == "2024"
    expected = own_time[commands[-1]] if commands[-1] in own_time and dated else "2024-05-20 11:00"
    assert ticket.updated_at == read_instant(expected, CellContext())


def test_a_row_with_only_the_registration_is_registered_at_its_update_time(
    tmp_path: Path,
) -> None:
    row = {**WAITING, "解决方案": "", "关闭状态": "处理中"}
    desk = desk_on()
    (ticket_id,) = import_records(desk, write_csv(tmp_path / "a.csv", [row])).created
    ticket = desk.get(ticket_id)
    assert ticket.received_at == read_instant("2024-05-20 11:00", CellContext())
    assert ticket.occurred_at == read_instant("2024-05-20 09:00", CellContext())


# -- headings -------------------------------------------------------------------------------------------


def test_english_headings_and_a_workbook_give_the_same_tickets_as_chinese_ones(
    tmp_path: Path,
) -> None:
    english = {TEMPLATE.find(h).heading_en: v for h, v in CLOSED.items()}  # type: ignore[union-attr]
    zh_desk, en_desk, book_desk = desk_on(), desk_on(), desk_on()
    (zh,) = import_records(zh_desk, write_csv(tmp_path / "zh.csv", [CLOSED])).created
    (en,) = import_records(en_desk, write_csv(tmp_path / "en.csv", [english])).created
    book = tmp_path / "zh.xlsx"
    write_rows(book, "xlsx", list(CLOSED), [list(CLOSED.values())])
    (xl,) = import_records(book_desk, book).created
    assert zh == en == xl
    assert zh_desk.get(zh).history == en_desk.get(en).history == book_desk.get(xl).history


def test_a_mapping_file_maps_headings_values_and_defaults(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[options]\ntimezone = "UTC"\n'
        '[headings]\n"客户ID号" = "客户编号"\n"紧急程度" = "priority"\n'
        '[values."优先级"]\n"高" = "紧急"\n"低" = "一般"\n'
        '[defaults]\n"渠道" = "公众号消息"\n"问题类型" = "consultation"\n',
        encoding="utf-8",
    )
    legacy = {
        k: v for k, v in WAITING.items() if k not in ("渠道", "问题类型", "客户编号", "优先级")
    }
    legacy |= {"客户ID号": "C9", "紧急程度": "高", "备注": "老系统字段"}
    desk = desk_on()
    result = import_records(desk, write_csv(tmp_path / "a.csv", [legacy]), mapping=mapping)
    ticket = desk.get(result.created[0])
    assert (ticket.customer_id, ticket.priority) == ("C9", Priority.URGENT)
    assert (ticket.channel.code, ticket.category.code) == ("wechat", "consultation")
    assert ticket.occurred_at == pendulum.datetime(2024, 5, 20, 9, tz="UTC")  # mapped zone
    assert result.ignored_headings == ("备注",)


def test_a_mapping_file_naming_no_column_is_refused_by_its_place() -> None:
    with pytest.raises(InvalidData) as refused:
        ImportMapping.from_dict({"headings": {"紧急程度": "urgency"}, "defaults": {"x": "1"}})
    assert [path for path, _ in refused.value.problems] == ["headings.'紧急程度'", "defaults.'x'"]


def test_a_missing_column_and_a_repeated_one_are_problems_of_row_1(tmp_path: Path) -> None:
    headings = [h for h in CLOSED if h != "渠道"] + ["Priority"]
    with pytest.raises(ImportRejected) as refused:
        import_records(desk_on(), write_csv(tmp_path / "a.csv", [CLOSED], headings))
    assert {(c.row, c.heading) for c in refused.value.cells} == {(1, "Priority"), (1, "渠道")}


# -- every refusal -------------------------------------------------------------------------------------------

REFUSALS = [
    ("问题发生时间", "2024-13-40 14:30", "is not a valid date and time"),
    ("问题发生时间", "2024-05-10", "has no time of day"),
    ("问题发生时间", "昨天下午", "is not a date and time"),
    ("优先级", "高级", "is not a priority"),
    ("客户编号", "", "is empty"),
    ("客户编号", "C 2024", "is not an id"),
    ("客户名称", "  ", "is empty"),
    ("联系方式", "call me", "is not a phone number or an e-mail address"),
    ("联系方式", "138****5678", "looks masked"),
    ("联系方式", "13812345678 / 13900001111", "two phone numbers"),
    ("联系人", "", "is empty but 联系方式 is given"),
    ("购买产品/服务", "A型智能办公设备", "has no purchase date"),
    ("购买产品/服务", "A型（2024-02-30购买）", "does not exist"),
    ("客户期望", "换个心情", "is not a known customer demand"),
    ("渠道", "飞鸽传书", "is not a known channel"),
    ("问题类型", "", "is empty"),
    ("问题分析结果", "【外星人】信号干扰", "names no known root cause"),
    ("解决方案", "更换电源板", "has no step"),
    ("解决方案", "更换电源板\n上门更换", "line 2 is not a step"),
    ("解决方案", "更换\n1. 上门（执行人：王工，期限：下周）", "has a deadline that"),
    ("客户确认意见", "好的", "does not say whether the customer agreed"),
    ("客户确认意见", "异议：太慢", "has no agreement of the customer"),
    ("方案执行记录", "王工：已更换", "does not start with a time"),
    ("方案执行记录", "2024-05-11 10:00 已更换", "does not give an operator and a result"),
    ("方案执行记录", "2024-05-09 10:00 王工：已更换", "earlier than the step before"),
    ("客户回访结果", "满意", "gives no satisfaction score"),
    ("客户回访结果", "满意度 8分", "out of range"),
    ("客户回访结果", "3分，后来改 5分", "2 different scores"),
    ("客户回访结果", "未解决，满意度 2分", "no return visit closes the ticket", "关闭状态"),
    ("关闭状态", "完成", "is not a close status"),
    ("关闭状态", "处理中", "says the ticket is open"),
    ("更新时间", "2024-05-09 10:00", "is earlier than 问题发生时间"),
    ("更新时间", "2099-01-01 00:00", "is later than now"),
    ("更新时间", "", "is empty"),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: f"{refusal[0]}:{refusal[1]}")
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_refusal_names_the_row_as_excel_numbers_it_and_the_heading(
    tmp_path: Path, refusal: tuple[str, ...], kind: str
) -> None:
    heading, value, reason = refusal[:3]
    reported = refusal[3] if len(refusal) > 3 else heading
    good = dict(WAITING)
    bad = {**CLOSED, heading: value}
    rows = [good, bad]
    path = tmp_path / f"a.{kind}"
    if kind == "csv":
        write_csv(path, rows)
    else:  # an empty row between them: Excel's numbers are kept
        empty = [None] * len(CLOSED)
        write_rows(path, "xlsx", list(CLOSED), [list(good.values()), empty, list(bad.values())])
    store = SQLiteStore(":memory:")
    before = snapshot(store)
    with pytest.raises(ImportRejected) as refused:
        import_records(desk_on(store), path)
    (problem,) = refused.value.cells
    assert (problem.row, problem.heading) == (3 if kind == "csv" else 4, reported)
    assert reason in problem.reason
    assert problem.accepted
    assert snapshot(store) == before
    assert "13812345678" not in str(refused.value)
    assert "zhang@example.com" not in str(refused.value)


def test_every_bad_cell_of_a_file_is_reported_not_only_the_first(tmp_path: Path) -> None:
    rows = [dict(CLOSED), {**WAITING, "优先级": "高", "问题发生时间": "x"}, {**CLOSED, "渠道": "?"}]
    with pytest.raises(ImportRejected) as refused:
        import_records(desk_on(), write_csv(tmp_path / "a.csv", rows))
    assert [(c.row, c.heading) for c in refused.value.cells] == [
        (3, "问题发生时间"),
        (3, "优先级"),
        (4, "渠道"),
    ]
    assert str(refused.value).startswith(
        "a.csv: 3 bad cells, nothing imported:\n  row 3, 问题发生时间:"
    )


# -- all or nothing, dry run, partial, idempotence ---------------------------------------------------------


def test_a_rejected_file_leaves_a_sqlite_store_exactly_as_it_was(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "desk.db")
    desk = desk_on(store)
    import_records(desk, write_csv(tmp_path / "first.csv", [CLOSED]))
    before = snapshot(store)
    rows = [
        WAITING,
        {**WAITING, "客户编号": "C3", "问题描述": "另一个问题"},
        {**CLOSED, "优先级": "?"},
    ]
    with pytest.raises(ImportRejected):
        import_records(desk, write_csv(tmp_path / "second.csv", rows))
    assert snapshot(store) == before


def test_a_dry_run_checks_everything_and_writes_nothing(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "desk.db")
    before = snapshot(store)
    result = import_records(
        desk_on(store), write_csv(tmp_path / "a.csv", [CLOSED, WAITING]), dry_run=True
    )
    assert len(result.created) == 2
    assert not result.written
    assert snapshot(store) == before
    with pytest.raises(ImportRejected):
        import_records(
            desk_on(store), write_csv(tmp_path / "b.csv", [{**CLOSED, "优先级": "?"}]), dry_run=True
        )


def test_partial_loads_the_good_rows_and_returns_the_problems(tmp_path: Path) -> None:
    store = MemoryStore()
    rows = [CLOSED, {**WAITING, "优先级": "?"}, {**WAITING, "客户编号": "C7"}]
    result = import_records(desk_on(store), write_csv(tmp_path / "a.csv", rows), partial=True)
    assert [(p.row, p.heading) for p in result.problems] == [(3, "优先级")]
    assert sorted(t.customer_id for t in store.find(TicketQuery())) == ["C202405001", "C7"]
    assert sorted(c.id for c in store.find_customers()) == ["C202405001", "C7"]


def test_importing_the_same_file_twice_adds_nothing(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "desk.db")
    path = write_csv(tmp_path / "a.csv", [CLOSED, WAITING])
    first = import_records(desk_on(store), path)
    before = snapshot(store)
    again = import_records(desk_on(store), path)
    assert again.created == ()
    assert set(again.unchanged) == set(first.created)
    assert snapshot(store) == before


def test_a_changed_row_of_a_stored_ticket_is_refused_at_the_changed_cell(tmp_path: Path) -> None:
    store = MemoryStore()
    import_records(desk_on(store), write_csv(tmp_path / "a.csv", [WAITING]))
    changed = {**WAITING, "优先级": "紧急"}
    with pytest.raises(ImportRejected) as refused:
        import_records(desk_on(store), write_csv(tmp_path / "b.csv", [changed]))
    (problem,) = refused.value.cells
    assert (problem.row, problem.heading) == (2, "优先级")
    assert "already in the store with '一般'" in problem.reason


def test_two_rows_of_one_ticket_with_other_cells_are_refused(tmp_path: Path) -> None:
    rows = [WAITING, WAITING, {**WAITING, "优先级": "紧急"}]
    with pytest.raises(ImportRejected) as refused:
        import_records(desk_on(), write_csv(tmp_path / "a.csv", rows))
    (problem,) = refused.value.cells
    assert (problem.row, problem.heading) == (4, "问题描述")
    assert "as row 2" in problem.reason


def test_a_ticket_id_column_keeps_the_ids(tmp_path: Path) -> None:
    desk = desk_on()
    rows = [{**CLOSED, "工单号": "T202405001"}, {**WAITING, "工单号": "T202405002"}]
    assert import_records(desk, write_csv(tmp_path / "a.csv", rows)).created == (
        "T202405001",
        "T202405002",
    )


# -- "for all" rules -------------------------------------------------------------------------------------------


@given(
    st.datetimes(
        min_value=pendulum.datetime(2000, 1, 1).naive(),
        max_value=pendulum.datetime(2099, 1, 1).naive(),
    )
)
def test_every_instant_written_reads_back_the_same(moment: Any) -> None:
    at = pendulum.instance(moment.replace(microsecond=0), tz="UTC")
    text = format_instant(at, "Asia/Shanghai")
    assert read_instant(text, CellContext()) == at


@given(texts(60))
def test_every_text_guarded_against_formulas_reads_back_the_same(text: str) -> None:
    guarded = guard_formula(text)
    assert unguard_formula(guarded) == text
    assert guarded[0] not in "=+-@"


@given(texts(30), texts(30))
def test_the_derived_id_is_stable_and_tells_rows_apart(first: str, second: str) -> None:
    from aftersales.transfer.record import ticket_id_of

    at = pendulum.datetime(2024, 5, 10, tz="UTC")
    assert ticket_id_of(None, "C1", at, first) == ticket_id_of(
        None, "C1", at.in_timezone("Asia/Shanghai"), first
    )
    assert (ticket_id_of(None, "C1", at, first) == ticket_id_of(None, "C1", at, second)) == (
        first == second
    )


def test_template_cells_show_the_contact_unmasked_for_comparison(tmp_path: Path) -> None:
    desk = desk_on()
    (ticket_id,) = import_records(desk, write_csv(tmp_path / "a.csv", [CLOSED])).created
    cells = dict(zip(TEMPLATE.column_keys(), template_cells(desk.get(ticket_id)), strict=True))
    assert cells["contact_info"] == "13812345678 / zhang@example.com"
    assert cells["priority"] == "紧急"


def test_an_executor_named_like_an_offset_is_a_name_not_utc(tmp_path: Path) -> None:
    """``2024-05-11 10:00 Z0：…`` is 10:00 in Shanghai by Z0, not 10:00 UTC by "0"
    (the export→import round trip found it); ``10:00 Z 王工`` is still UTC."""
    desk = desk_on()
    row = dict(CLOSED, 方案执行记录="2024-05-11 10:00 Z0：【上门】已更换电源板")
    (ticket_id,) = import_records(desk, write_csv(tmp_path / "z.csv", [row])).created
    node = desk.get(ticket_id).execution_log[0]
    assert (node.at, node.by) == (pendulum.datetime(2024, 5, 11, 2, tz="UTC"), "Z0")
    utc_row = dict(CLOSED, 客户编号="C202405002", 方案执行记录="2024-05-11 01:00 Z 王工：已更换")
    (utc_id,) = import_records(desk, write_csv(tmp_path / "u.csv", [utc_row])).created
    node = desk.get(utc_id).execution_log[0]
    assert (node.at, node.by) == (pendulum.datetime(2024, 5, 11, 1, tz="UTC"), "王工")
