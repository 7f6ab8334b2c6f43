"""A handful of realistic tickets walked through the real service desk.

The scenarios cover the lifecycle's main paths: the follow-up template's own
example (an ``A型智能办公设备`` that freezes, memory module replaced, 5-point
visit), a consultation solved on first contact, a dispute and a revised
solution, a new problem found during execution with escalation and a
low-score visit, an escalated complaint still open, a cancelled duplicate,
and a repair that waits three days for its spare part (待备件): its
resolution clock pauses meanwhile, so it is met where it would otherwise be
breached, and a coffee machine repaired at the Guangzhou outlet on a Saturday
(:mod:`~aftersales.demo.outlet_scenario`), measured on the outlet's calendar.
XX科技's tickets are read under its VIP contract
(:mod:`~aftersales.demo.contracts`). Each ticket records its type (报修, 咨询, 投诉) and the return
visits score the satisfaction dimensions (专业知识, 服务态度 …) they asked
about. The desk's SLA policy must declare the after-sales sub-statuses
(:func:`demo_policy` does). Entry point: this module may import every layer
below (the desk among them).

Example:
    >>> from aftersales import ServiceDesk, FixedClock, WorkCalendar
    >>> desk = ServiceDesk(clock=FixedClock(DEMO_START), sla=demo_policy(WorkCalendar.china()))
    >>> ids = run_scenarios(desk)
    >>> [desk.get(i).status.value for i in ids]
    ['closed', 'closed', 'closed', 'analysing', 'analysing', 'cancelled', 'closed', 'closed']
    >>> ids == list(SCENARIO_IDS)
    True
"""

from __future__ import annotations

from datetime import date

import pendulum

from aftersales.calendar import WorkCalendar
from aftersales.demo.attributes import declare_demo_attributes
from aftersales.demo.contracts import VIP_CONTRACT, demo_policies
from aftersales.demo.outlet_scenario import outlet_on_saturday
from aftersales.demo.scenario_steps import attributes_declared as _attributes
from aftersales.demo.scenario_steps import moving_clock as _clock
from aftersales.demo.scenario_steps import set_declared_attributes as _set_attributes
from aftersales.errors import InvalidData
from aftersales.model.attachments import AttachmentRef
from aftersales.model.customer import Contact, Customer
from aftersales.model.location import Location
from aftersales.model.product import Product, Purchase
from aftersales.model.solution import SolutionStep
from aftersales.model.substatus import SubStatuses
from aftersales.priority import IntakeFacts
from aftersales.service.desk import ServiceDesk
from aftersales.sla import SlaPolicy
from aftersales.vocab import (
    Channel,
    Demand,
    ProblemCategory,
    RootCauseCategory,
    TicketStatus,
    TicketType,
)

__all__ = ["DEMO_END", "DEMO_START", "SCENARIO_IDS", "demo_policy", "run_scenarios"]

#: When the demo's first ticket comes in.
DEMO_START = pendulum.datetime(2026, 10, 12, 9, 5, tz="Asia/Shanghai")
#: When the demo reads the SLA clocks, after the last scenario.
DEMO_END = pendulum.datetime(2026, 10, 19, 9, 0, tz="Asia/Shanghai")
#: The ids of the scenario tickets, in the order :func:`run_scenarios` plays them.
SCENARIO_IDS = (
    "T20261012-001",
    "T20261012-002",
    "T20261013-001",
    "T20261014-001",
    "T20261015-001",
    "T20261015-002",
    "T20261012-003",
    "T20261017-001",
)
#: The sub-status the spare-part scenario waits in (待备件).
_WAITING_PARTS = "waiting_parts"
#: Where XX's device is repaired on site: its administration office.
_XX_OFFICE = Location(
    "张江路88号3号楼行政部", "上海市浦东新区", province="上海市", city="上海市", district="浦东新区"
)
#: Where the coffee machine is serviced on site: a shop of YY (the address is masked in views).
_YY_STORE = Location(
    "南京西路1266号恒隆广场B1层",
    "上海市静安区",
    province="上海市",
    city="上海市",
    district="静安区",
)

_XX = Customer(
    id="C202405001",
    name="XX科技有限公司",
    industry="软件与信息服务",
    contacts=(
        Contact(name="张先生", phone="13812345678", email="zhang@xxtech.cn", role="行政主管"),
    ),
    key_account=True,
    tier="vip",
    contract=VIP_CONTRACT,
)
_YY = Customer(
    id="C202407013",
    name="YY连锁餐饮",
    industry="餐饮",
    contacts=(Contact(name="王女士", phone="13900001111"),),
)
_ZZ = Customer(
    id="C202409027",
    name="刘女士",
    contacts=(Contact(name="刘女士", phone="18611112222", email="liu.nvshi@example.com"),),
)
_COFFEE_MACHINE = Purchase(
    product=Product(model="C型商用咖啡机"),
    purchased_on=date(2026, 6, 1),
    serial_number="SN-C2606-0042",
    warranty_months=12,
)
_A_DEVICE = Purchase(
    product=Product(model="A型智能办公设备"),
    purchased_on=date(2026, 3, 15),
    serial_number="SN-A2603-0158",
    warranty_months=12,
)


def demo_policy(calendar: WorkCalendar) -> SlaPolicy:
    """The demo's SLA policies: the standard and the VIP contract's, with the after-sales sub-statuses.

    That is :func:`~aftersales.demo.contracts.demo_policies`: the built-in
    clocks of :meth:`SlaPolicy.default` on ``calendar`` for every ticket but
    those of a customer holding the VIP contract, which get its stricter
    first-response and resolution targets; waiting for spare parts, for the
    customer to send the product back and for the manufacturer pause the
    resolution clock (see :data:`~aftersales.model.substatus.AFTER_SALES_SUBSTATUSES`).

    Example:
        >>> policy = demo_policy(WorkCalendar.china())
        >>> parts = policy.substatuses.get("待备件")
        >>> parts.code, "resolution" in parts.pauses
        ('waiting_parts', True)
    """
    return demo_policies(calendar)


def _declares_the_substatuses(desk: ServiceDesk) -> None:
    declared = SubStatuses() if desk.sla_policy is None else desk.sla_policy.substatuses
    if (
        _WAITING_PARTS in declared
        and declared.get(_WAITING_PARTS).under is TicketStatus.IN_PROGRESS
    ):
        return
    message = (
        f"its SLA policy does not declare the sub-status {_WAITING_PARTS!r} (待备件) under"
        " in_progress; accepted: a desk whose policy declares the after-sales sub-statuses,"
        " e.g. ServiceDesk(clock=..., sla=demo_policy(calendar))"
    )
    raise InvalidData(f"desk.sla_policy: {message}", problems=[("desk.sla_policy", message)])


def run_scenarios(desk: ServiceDesk) -> list[str]:
    """Play every scenario on ``desk`` (whose clock must be a ``FixedClock``); return the ids.

    The desk's SLA policy must declare the after-sales sub-statuses
    (:func:`demo_policy`); nothing is played otherwise.

    Example:
        >>> from aftersales import FixedClock, ServiceDesk, SystemClock
        >>> run_scenarios(ServiceDesk(clock=SystemClock()))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: desk.clock: <aftersales.time.SystemClock object at ...> is not a FixedClock; accepted: ...
        >>> run_scenarios(ServiceDesk(clock=FixedClock(DEMO_START)))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: desk.sla_policy: its SLA policy does not declare the sub-status 'waiting_parts' (待备件) under in_progress; accepted: ...
    """
    _clock(desk)
    _declares_the_substatuses(desk)
    declare_demo_attributes(desk.store)
    return [
        _template_example(desk),
        _first_contact(desk),
        _dispute(desk),
        _new_problem_and_low_score(desk),
        _escalated_complaint(desk),
        _duplicate(desk),
        _waiting_for_parts(desk),
        outlet_on_saturday(desk),
    ]


def _template_example(desk: ServiceDesk) -> str:
    clock = _clock(desk)
    clock.set(DEMO_START)
    ticket = desk.open_ticket(
        ticket_id="T20261012-001",
        customer=_XX,
        purchase=_A_DEVICE,
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        demands=[Demand.REPAIR],
        occurred_at=DEMO_START.subtract(minutes=35),
        description="设备开机后频繁死机,约每小时一次,重启后可短暂恢复",
        impact="行政部 1 台设备,打印与扫描业务中断",
        customer_words="每天死机好几次,严重影响办公",
        facts=IntakeFacts(core_business_stopped=True),
        by="李工",
        location=_XX_OFFICE,
        ticket_type=TicketType.REPAIR,
        attributes=_attributes(desk, warranty_type="保内"),
    )
    tid = ticket.id
    clock.advance(minutes=12)
    desk.acknowledge(tid, by="李工", note="已致电客户,安排远程诊断")
    clock.advance(hours=1, minutes=20)
    desk.record_analysis(
        tid,
        by="李工",
        finding="远程诊断日志显示内存校验错误,判断为内存模块故障",
        root_cause=RootCauseCategory.HARDWARE_FAULT,
        resolution_deadline=clock.now().add(days=1),
    )
    clock.advance(minutes=15)
    desk.propose_solution(
        tid,
        by="李工",
        summary="保修期内免费上门更换内存模块",
        steps=[SolutionStep("上门更换内存模块", "王工程师", clock.now().add(hours=24))],
    )
    clock.advance(minutes=10)
    desk.record_agreement(tid, by="李工", words="同意,明天上午上门即可")
    desk.book_onsite_visit(
        tid, by="李工", appointment_at=clock.now().add(hours=22), engineer="王工程师"
    )
    clock.advance(hours=22, minutes=40)
    desk.record_progress(
        tid, by="王工程师", result="已到达现场并更换内存模块,连续运行 1 小时无死机", onsite=True
    )
    clock.advance(minutes=50)
    desk.finish_execution(tid, by="王工程师", summary="内存模块已更换,设备恢复正常")
    clock.advance(days=2)
    desk.record_visit(
        tid,
        by="回访专员小周",
        resolved=True,
        score=5,
        comment="问题已解决,工程师很专业",
        dimensions={"专业知识": 5, "服务态度": 5, "响应速度": 4, "解决效果": 5},
    )
    desk.suggest_improvement(tid, by="李工", text="同批次内存模块出厂前增加老化测试")
    clock.advance(minutes=30)
    desk.attach(tid, by="王工程师", attachment=_signed_report(tid, clock.now()))
    desk.add_tags(tid, by="李工", tags=["VIP", "上门维修", "内存批次回溯"])
    _set_attributes(desk, tid, by="王工程师", replaced_part="内存模块 8GB DDR4")
    return tid


def _signed_report(ticket_id: str, at: pendulum.DateTime) -> AttachmentRef:
    """The service report the customer signed on site, as the host's file store keeps it."""
    return AttachmentRef(
        uri=f"s3://after-sales-files/{ticket_id}/服务确认单.pdf",
        name="服务确认单.pdf",
        media_type="application/pdf",
        size=184_320,
        sha256="5f2b0c1ad2c5e7d1f0e2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8",
        attached_by="王工程师",
        attached_at=at,
    )


def _first_contact(desk: ServiceDesk) -> str:
    clock = _clock(desk)
    clock.set(DEMO_START.add(hours=2))
    tid = desk.open_ticket(
        ticket_id="T20261012-002",
        customer=_ZZ,
        channel=Channel.WECHAT,
        category=ProblemCategory.USAGE_GUIDANCE,
        demands=[Demand.GUIDANCE],
        occurred_at=clock.now().subtract(minutes=5),
        description="扫地机器人无法连接家庭 Wi-Fi,APP 提示配网失败",
        customer_words="说明书看不懂,连了好几次都不行",
        facts=IntakeFacts(consultation=True),
        by="客服小刘",
        ticket_type=TicketType.CONSULTATION,
    ).id
    clock.advance(minutes=9)
    desk.resolve_on_first_contact(
        tid, by="客服小刘", answer="指导客户切换到 2.4GHz 频段后重新配网,已连接成功"
    )
    clock.advance(days=1)
    desk.record_visit(
        tid,
        by="回访专员小周",
        resolved=True,
        score=4,
        comment="讲解清楚",
        dimensions={"专业知识": 4, "服务态度": 5, "响应速度": 5},
    )
    return tid


def _dispute(desk: ServiceDesk) -> str:
    clock = _clock(desk)
    clock.set(DEMO_START.add(days=1, hours=1))
    tid = desk.open_ticket(
        ticket_id="T20261013-001",
        customer=_YY,
        channel=Channel.ECOMMERCE,
        category=ProblemCategory.LOGISTICS_DELAY,
        demands=[Demand.COMPENSATION],
        occurred_at=clock.now().subtract(hours=3),
        description="订购的 20 台商用咖啡机超过承诺到货日 4 天仍未送达",
        customer_words="新店开业在即,再不到货损失谁负责",
        facts=IntakeFacts(partial_function_affected=True),
        by="客服小刘",
        ticket_type=TicketType.COMPLAINT,
    ).id
    clock.advance(minutes=25)
    desk.acknowledge(tid, by="客服小刘")
    clock.advance(hours=2)
    desk.record_analysis(
        tid,
        by="物流专员老陈",
        finding="区域仓缺货,调拨单延误两天未发出",
        root_cause=RootCauseCategory.LOGISTICS,
    )
    desk.propose_solution(
        tid,
        by="客服小刘",
        summary="从华东仓加急调货,预计 3 天内送达",
        steps=[SolutionStep("华东仓加急发货", "物流专员老陈", clock.now().add(days=3))],
    )
    clock.advance(hours=3)
    desk.record_dispute(
        tid, by="客服小刘", words="3 天太久,而且延误要有补偿", change_request="次日达并补偿"
    )
    clock.advance(hours=1)
    desk.propose_solution(
        tid,
        by="客服主管",
        summary="次日专车送达,并赠送一年滤芯作为补偿",
        steps=[
            SolutionStep("专车次日送达", "物流专员老陈", clock.now().add(days=1)),
            SolutionStep("寄送一年滤芯", "客服小刘", clock.now().add(days=2)),
        ],
    )
    clock.advance(minutes=30)
    desk.record_agreement(tid, by="客服主管", words="可以,明天务必送到")
    clock.advance(hours=20)
    desk.record_progress(tid, by="物流专员老陈", result="20 台已签收")
    clock.advance(hours=20)
    desk.finish_execution(tid, by="客服小刘", summary="已送达并寄出滤芯")
    clock.advance(days=1)
    desk.record_visit(
        tid,
        by="回访专员小周",
        resolved=True,
        score=3,
        comment="补偿还行,但延误太久",
        dimensions={"服务态度": 4, "响应速度": 2, "解决效果": 3},
    )
    return tid


def _new_problem_and_low_score(desk: ServiceDesk) -> str:
    clock = _clock(desk)
    clock.set(DEMO_START.add(days=2, hours=3))
    tid = desk.open_ticket(
        ticket_id="T20261014-001",
        customer=_XX,
        purchase=_A_DEVICE,
        channel=Channel.EMAIL,
        category=ProblemCategory.PRODUCT_QUALITY,
        demands=[Demand.REPLACE],
        occurred_at=clock.now().subtract(hours=20),
        description="会议室投影模块开机后黑屏,指示灯不亮",
        customer_words="周五有重要客户来访,必须修好",
        facts=IntakeFacts(partial_function_affected=True),
        by="李工",
        ticket_type=TicketType.REPAIR,
    ).id
    clock.advance(minutes=40)
    desk.acknowledge(tid, by="李工")
    desk.record_analysis(
        tid, by="李工", finding="电源适配器损坏", root_cause=RootCauseCategory.HARDWARE_FAULT
    )
    desk.propose_solution(
        tid,
        by="李工",
        summary="寄送新电源适配器",
        steps=[SolutionStep("顺丰寄送电源适配器", "备件库小孙", clock.now().add(days=1))],
    )
    desk.record_agreement(tid, by="李工", words="好的")
    clock.advance(days=1)
    desk.report_new_problem(tid, by="李工", description="更换适配器后仍黑屏,主板有烧痕")
    desk.escalate(tid, by="李工", reason="疑似批次质量问题,需要研发分析", to="二线技术支持")
    clock.advance(hours=5)
    desk.record_analysis(
        tid,
        by="二线专家赵工",
        finding="主板电源管理芯片批次缺陷",
        root_cause=RootCauseCategory.PRODUCT_DEFECT,
    )
    desk.propose_solution(
        tid,
        by="二线专家赵工",
        summary="整机更换",
        steps=[SolutionStep("整机更换", "王工程师", clock.now().add(days=2))],
    )
    desk.record_agreement(tid, by="李工", words="同意整机更换")
    clock.advance(days=1)
    desk.finish_execution(tid, by="王工程师", summary="已整机更换")
    clock.advance(days=1)
    desk.record_visit(
        tid,
        by="回访专员小周",
        resolved=True,
        score=2,
        comment="来回折腾三次,耽误了会议",
        dimensions={"专业知识": 2, "服务态度": 4, "响应速度": 2, "解决效果": 3},
    )
    return tid


def _escalated_complaint(desk: ServiceDesk) -> str:
    clock = _clock(desk)
    clock.set(DEMO_START.add(days=3, hours=6))
    tid = desk.open_ticket(
        ticket_id="T20261015-001",
        customer=_YY,
        channel=Channel.SOCIAL_MEDIA,
        category=ProblemCategory.SERVICE_ATTITUDE,
        demands=[Demand.COMPENSATION],
        occurred_at=clock.now().subtract(hours=26),
        description="客户在微博私信投诉上门工程师态度恶劣、迟到两小时",
        customer_words="从来没见过这样的服务",
        by="客服小刘",
        ticket_type=TicketType.COMPLAINT,
    ).id
    clock.advance(minutes=30)
    desk.acknowledge(tid, by="客服小刘", note="已致歉并承诺 24 小时内答复")
    desk.escalate(tid, by="客服小刘", reason="公开渠道投诉,需要主管处理", to="售后主管")
    desk.add_tags(tid, by="客服小刘", tags=["舆情", "服务态度"])
    desk.record_contact(
        tid, by="售后主管", channel=Channel.PHONE, summary="主管致电客户致歉,约定明天上门沟通"
    )
    return tid


def _duplicate(desk: ServiceDesk) -> str:
    clock = _clock(desk)
    clock.set(DEMO_START.add(days=3, hours=7))
    tid = desk.open_ticket(
        ticket_id="T20261015-002",
        customer=_YY,
        channel=Channel.PHONE,
        category=ProblemCategory.SERVICE_ATTITUDE,
        occurred_at=clock.now().subtract(hours=27),
        description="同一投诉的电话来电",
        by="客服小刘",
        ticket_type=TicketType.COMPLAINT,
    ).id
    desk.cancel(tid, by="客服小刘", reason="与 T20261015-001 重复")
    return tid


def _waiting_for_parts(desk: ServiceDesk) -> str:
    """A coffee machine's grinder motor, out of stock for three days: the wait pauses resolution.

    Important: 24 working hours to resolve. Working time (9:00–12:00,
    13:30–18:00) runs 1 h 10 min before the wait (the ten minutes awaiting
    the customer's confirmation pause it anyway), 22 h 30 min during it and
    5 h 20 min after: 29 h in all, 6 h 30 min without the wait.
    """
    clock = _clock(desk)
    clock.set(pendulum.datetime(2026, 10, 12, 14, 0, tz="Asia/Shanghai"))
    tid = desk.open_ticket(
        ticket_id="T20261012-003",
        customer=_YY,
        purchase=_COFFEE_MACHINE,
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        demands=[Demand.REPAIR],
        occurred_at=clock.now().subtract(hours=2),
        description="商用咖啡机研磨时异响后停转,无法出粉",
        impact="门店 1 台咖啡机停用,另一台可维持营业",
        customer_words="高峰期只剩一台机器,排队很长",
        facts=IntakeFacts(partial_function_affected=True),
        by="客服小刘",
        ticket_type=TicketType.REPAIR,
        attributes=_attributes(desk, warranty_type="in_warranty"),
    ).id
    clock.advance(minutes=15)
    desk.acknowledge(tid, by="客服小刘", note="已安排工程师远程查看运行日志")
    clock.advance(minutes=30)
    desk.record_analysis(
        tid,
        by="王工程师",
        finding="研磨电机绕组烧毁,需更换研磨电机",
        root_cause=RootCauseCategory.HARDWARE_FAULT,
    )
    clock.advance(minutes=15)
    desk.propose_solution(
        tid,
        by="王工程师",
        summary="保修期内免费更换研磨电机,备件到货后上门",
        steps=[SolutionStep("上门更换研磨电机", "王工程师", clock.now().add(days=4))],
    )
    clock.advance(minutes=10)
    desk.record_agreement(tid, by="客服小刘", words="可以,到货后尽快上门")
    clock.advance(minutes=10)
    desk.set_substatus(
        tid, by="备件库小孙", substatus=_WAITING_PARTS, reason="研磨电机缺货,厂家调货约 3 天"
    )
    clock.advance(days=3)
    desk.set_substatus(tid, by="备件库小孙", substatus=None, reason="研磨电机到货")
    clock.advance(minutes=40)
    desk.set_location(tid, by="客服小刘", location=_YY_STORE, reason="上门更换研磨电机")
    desk.book_onsite_visit(
        tid, by="客服小刘", appointment_at=clock.now().add(hours=18), engineer="王工程师"
    )
    clock.advance(hours=19, minutes=10)
    desk.record_progress(tid, by="王工程师", result="已上门更换研磨电机,试磨正常", onsite=True)
    clock.advance(minutes=30)
    desk.finish_execution(tid, by="王工程师", summary="研磨电机已更换,咖啡机恢复营业")
    clock.advance(hours=5)
    desk.record_visit(
        tid,
        by="回访专员小周",
        resolved=True,
        score=4,
        comment="修好了,就是等件久",
        dimensions={"服务态度": 5, "响应速度": 2, "解决效果": 5},
    )
    desk.add_tags(tid, by="回访专员小周", tags=["备件缺货", "上门维修"])
    _set_attributes(desk, tid, by="王工程师", replaced_part="研磨电机")
    return tid
