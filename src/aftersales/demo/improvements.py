"""The demo quarter's improvements: the root causes the team found and the actions it planned.

The B-model robot's December batch failure traced with a 5-Why chain to a
supplier's motor batch; the Double-11 delays to a warehouse capacity plan made
without the promotion forecast; each with actions of the three kinds.
:func:`store_quarter_improvements` keeps them in a store, so that every report
of the store lists them. Entry point: this module may import every layer below.

Example:
    >>> causes, actions = quarter_improvements([])
    >>> [c.id for c in causes]
    ['RC-2026-12-01', 'RC-2026-11-01']
"""

from __future__ import annotations

from collections.abc import Iterable

import pendulum

from aftersales.improvement import FiveWhys, ImprovementAction, RootCause
from aftersales.model.ticket import Ticket
from aftersales.storage.ports.records import ImprovementStore

__all__ = ["quarter_improvements", "store_quarter_improvements"]


def quarter_improvements(
    tickets: Iterable[Ticket],
) -> tuple[list[RootCause], list[ImprovementAction]]:
    """The root causes the team found in the quarter and the actions it planned.

    The B-model robot's December batch failure is traced with a 5-Why chain to a
    supplier's motor batch; the Double-11 delays to a warehouse capacity plan made
    without the promotion forecast. Each gets actions of the three kinds.

    Example:
        >>> causes, actions = quarter_improvements([])
        >>> [c.department for c in causes], [a.status.value for a in actions]
        (['采购部', '物流部'], ['in_progress', 'verified', 'planned'])
    """
    seen = list(tickets)
    batch = [
        t.id
        for t in seen
        if t.purchase is not None
        and t.purchase.product.model == "B型扫地机器人"
        and t.category.code == "product_quality"
        and t.received_at.month == 12
    ]
    delays = [
        t.id for t in seen if t.category.code == "logistics_delay" and t.received_at.month == 11
    ]
    found = pendulum.datetime(2026, 12, 8, 16, tz="Asia/Shanghai")
    motor = (
        FiveWhys("B型扫地机器人运行中异响并自动停机")
        .ask("为什么自动停机?", "电机过热保护触发")
        .ask("为什么电机过热?", "电机轴承润滑不足")
        .ask("为什么润滑不足?", "11 月批次电机的润滑脂规格与图纸不符")
        .ask("为什么规格不符未被发现?", "来料检验只抽检尺寸,不检润滑脂")
        .to_root_cause(
            id="RC-2026-12-01",
            category="supplier",
            department="采购部",
            identified_at=found,
            identified_by="质量工程师老孙",
            ticket_ids=batch,
            problem_category="product_quality",
        )
    )
    warehouse = (
        FiveWhys("双11期间多单超过承诺到货日")
        .ask("为什么超期?", "华东仓出库排队超过 48 小时")
        .ask("为什么排队?", "临时仓储和承运商未按大促单量扩容")
        .ask("为什么未扩容?", "大促预测没有共享给物流部")
        .to_root_cause(
            id="RC-2026-11-01",
            category="logistics",
            department="物流部",
            identified_at=pendulum.datetime(2026, 11, 25, 10, tz="Asia/Shanghai"),
            identified_by="物流主管老陈",
            ticket_ids=delays,
            problem_category="logistics_delay",
        )
    )
    prevention = (
        ImprovementAction.plan(
            id="IA-2026-12-01",
            problem="B型扫地机器人批次停机",
            cause_id=motor.id,
            category="product_quality",
            type="long_term_prevention",
            title="来料检验增加润滑脂规格检测,批次电机全部更换",
            owner="采购部 · 老孙",
            acceptance="12 月批次返修率降到 1% 以下",
            at=found,
            by="售后主管",
            due_at=found.add(days=21),
            product_model="B型扫地机器人",
        )
        .start(by="老孙", at=found.add(days=1))
        .note_progress(by="老孙", at=found.add(days=16), text="已更换 80% 批次电机")
    )
    compensation = (
        ImprovementAction.plan(
            id="IA-2026-12-02",
            problem="B型扫地机器人批次停机",
            cause_id=motor.id,
            category="product_quality",
            type="immediate_fix",
            title="受影响客户免费上门更换并赠送一年延保",
            owner="售后服务部 · 李工",
            acceptance="受影响客户全部回访满意度 ≥ 4",
            at=found,
            by="售后主管",
            due_at=found.add(days=10),
        )
        .start(by="李工", at=found.add(hours=2))
        .complete(by="李工", at=found.add(days=9))
        .verify(by="售后主管", at=found.add(days=12))
    )
    forecast = ImprovementAction.plan(
        id="IA-2026-11-01",
        problem="双11 物流延迟",
        cause_id=warehouse.id,
        category="logistics_delay",
        type="process_change",
        title="大促前两周向物流部共享销量预测,提前锁定临时仓储与承运商",
        owner="物流部 · 老陈",
        acceptance="下次大促超期单占比 < 2%",
        at=pendulum.datetime(2026, 11, 25, 14, tz="Asia/Shanghai"),
        by="售后主管",
        due_at=pendulum.datetime(2026, 12, 20, 18, tz="Asia/Shanghai"),
    )
    return [motor, warehouse], [prevention, compensation, forecast]


def store_quarter_improvements(
    store: ImprovementStore, tickets: Iterable[Ticket]
) -> tuple[list[RootCause], list[ImprovementAction]]:
    """Keep the quarter's root causes and actions (:func:`quarter_improvements`) in ``store``; return them.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> store = SQLiteStore(":memory:")
        >>> causes, actions = store_quarter_improvements(store, [])
        >>> [c.id for c in store.find_root_causes()], [a.id for a in store.find_actions(open_only=True)]
        (['RC-2026-11-01', 'RC-2026-12-01'], ['IA-2026-11-01', 'IA-2026-12-01'])
    """
    causes, actions = quarter_improvements(tickets)
    for cause in causes:
        store.save_root_cause(cause)
    for action in actions:
        store.save_action(action, expected_version=0)
    return causes, actions
