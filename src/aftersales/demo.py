"""A handful of realistic tickets walked through the real service desk.

The scenarios cover the lifecycle's main paths: the follow-up template's own
example (an ``A型智能办公设备`` that freezes, memory module replaced, 5-point
visit), a consultation solved on first contact, a dispute and a revised
solution, a new problem found during execution with escalation and a
low-score visit, an escalated complaint still open, and a cancelled duplicate.

Example:
    >>> from aftersales import ServiceDesk, FixedClock
    >>> desk = ServiceDesk(clock=FixedClock(DEMO_START))
    >>> ids = run_scenarios(desk)
    >>> [desk.get(i).status.value for i in ids]
    ['closed', 'closed', 'closed', 'analysing', 'analysing', 'cancelled']
    >>> ids == list(SCENARIO_IDS)
    True
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import attrs
import pendulum

from aftersales.desk import ServiceDesk
from aftersales.improvement import FiveWhys, ImprovementAction, RootCause
from aftersales.model.customer import Contact, Customer
from aftersales.model.events import EVENTS_BY_COMMAND, TicketOpened
from aftersales.model.product import Product, Purchase
from aftersales.model.solution import SolutionStep
from aftersales.model.ticket import Ticket
from aftersales.priority import DEFAULT_PRIORITY_RULES, IntakeFacts
from aftersales.time import FixedClock
from aftersales.vocab import Channel, Demand, ProblemCategory, RootCauseCategory

__all__ = [
    "DEMO_END",
    "DEMO_START",
    "INSTALLED_BASE",
    "QUARTER_END",
    "QUARTER_START",
    "SCENARIO_IDS",
    "PlannedTicket",
    "Step",
    "plan_quarter",
    "play",
    "quarter_improvements",
    "replay",
    "run_scenarios",
]

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
)

_XX = Customer(
    id="C202405001",
    name="XX科技有限公司",
    industry="软件与信息服务",
    contacts=(
        Contact(name="张先生", phone="13812345678", email="zhang@xxtech.cn", role="行政主管"),
    ),
    key_account=True,
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
_A_DEVICE = Purchase(
    product=Product(model="A型智能办公设备"),
    purchased_on=date(2026, 3, 15),
    serial_number="SN-A2603-0158",
    warranty_months=12,
)


def _clock(desk: ServiceDesk) -> FixedClock:
    clock = desk.clock
    if not isinstance(clock, FixedClock):
        raise TypeError("the demo needs a FixedClock to play its scenarios")
    return clock


def run_scenarios(desk: ServiceDesk) -> list[str]:
    """Play every scenario on ``desk`` (whose clock must be a ``FixedClock``); return the ids."""
    return [
        _template_example(desk),
        _first_contact(desk),
        _dispute(desk),
        _new_problem_and_low_score(desk),
        _escalated_complaint(desk),
        _duplicate(desk),
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
    desk.customer_agrees(tid, by="李工", words="同意,明天上午上门即可")
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
        tid, by="回访专员小周", resolved=True, score=5, comment="问题已解决,工程师很专业"
    )
    desk.suggest_improvement(tid, by="李工", text="同批次内存模块出厂前增加老化测试")
    return tid


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
    ).id
    clock.advance(minutes=9)
    desk.resolve_on_first_contact(
        tid, by="客服小刘", answer="指导客户切换到 2.4GHz 频段后重新配网,已连接成功"
    )
    clock.advance(days=1)
    desk.record_visit(tid, by="回访专员小周", resolved=True, score=4, comment="讲解清楚")
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
    desk.customer_disputes(
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
    desk.customer_agrees(tid, by="客服主管", words="可以,明天务必送到")
    clock.advance(hours=20)
    desk.record_progress(tid, by="物流专员老陈", result="20 台已签收")
    clock.advance(hours=20)
    desk.finish_execution(tid, by="客服小刘", summary="已送达并寄出滤芯")
    clock.advance(days=1)
    desk.record_visit(tid, by="回访专员小周", resolved=True, score=3, comment="补偿还行,但延误太久")
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
    desk.customer_agrees(tid, by="李工", words="好的")
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
    desk.customer_agrees(tid, by="李工", words="同意整机更换")
    clock.advance(days=1)
    desk.finish_execution(tid, by="王工程师", summary="已整机更换")
    clock.advance(days=1)
    desk.record_visit(
        tid, by="回访专员小周", resolved=True, score=2, comment="来回折腾三次,耽误了会议"
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
    ).id
    clock.advance(minutes=30)
    desk.acknowledge(tid, by="客服小刘", note="已致歉并承诺 24 小时内答复")
    desk.escalate(tid, by="客服小刘", reason="公开渠道投诉,需要主管处理", to="售后主管")
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
    ).id
    desk.cancel(tid, by="客服小刘", reason="与 T20261015-001 重复")
    return tid


# -- a realistic quarter ------------------------------------------------------------------

#: The demo quarter: Q4 2026 in Shanghai time, half-open.
QUARTER_START = pendulum.datetime(2026, 10, 1, tz="Asia/Shanghai")
QUARTER_END = pendulum.datetime(2027, 1, 1, tz="Asia/Shanghai")

#: Units in service per product model (for failure rates); the B-model robot's
#: December batch crosses the 5 % failure-rate line.
INSTALLED_BASE = {
    "A型智能办公设备": 6000,
    "B型扫地机器人": 1500,
    "C型商用咖啡机": 1800,
    "D型空气净化器": 5200,
    "E型智能门锁": 7000,
}

_CHANNELS = (
    ("phone", 30), ("online_chat", 20), ("wechat", 15), ("ecommerce", 12), ("email", 8),
    ("web_form", 5), ("store_desk", 4), ("service_outlet", 3), ("social_media", 3),
)  # fmt: skip
_CATEGORIES = (
    ("product_quality", 24), ("usage_guidance", 24), ("consultation", 17),
    ("logistics_delay", 14), ("aftersales_process", 12), ("service_attitude", 9),
)  # fmt: skip
_PROBLEMS = {
    "product_quality": ("开机后黑屏,指示灯不亮", "运行中异响并自动停机", "频繁死机,约每小时一次"),
    "usage_guidance": ("无法连接家庭 Wi-Fi", "不会设置定时任务", "安装支架不匹配"),
    "consultation": ("咨询保修期限", "咨询配件价格", "咨询以旧换新政策"),
    "logistics_delay": ("超过承诺到货日仍未送达", "物流信息三天未更新", "配件寄错地址"),
    "aftersales_process": ("退款申请一周未处理", "维修进度无人告知", "换货流程太复杂"),
    "service_attitude": ("上门工程师迟到两小时", "客服电话多次被挂断", "服务人员态度生硬"),
}
_ROOT = {
    "product_quality": ("hardware_fault", "product_defect", "software_defect"),
    "usage_guidance": ("operation_error",),
    "consultation": ("operation_error",),
    "logistics_delay": ("logistics", "supplier"),
    "aftersales_process": ("process_gap",),
    "service_attitude": ("service",),
}
_AGENTS = ("李工", "客服小刘", "客服小陈", "客服小王", "售后小周", "技术支持老赵")
_CITIES = ("上海", "北京", "深圳", "杭州", "成都", "武汉", "南京", "西安", "苏州", "广州")
_TRADES = ("科技", "餐饮", "贸易", "物业", "酒店", "连锁超市", "医疗器械", "教育")
_SURNAMES = "王李张刘陈杨赵黄周吴"
_COMMENTS = {
    5: ("问题已解决,非常满意", "工程师很专业", "响应很快"),
    4: ("解决了,速度还可以", "讲解清楚", ""),
    3: ("解决了但等得有点久", "一般", ""),
    2: ("来回折腾好几次", "等了太久,影响使用"),
    1: ("非常失望,问题反复出现", "没人主动联系我"),
}


@attrs.frozen(slots=True)
class Step:
    """One planned command: what, when, by whom, with which arguments.

    Example:
        >>> Step("acknowledge", DEMO_START, "李工", {}).command
        'acknowledge'
    """

    command: str
    at: pendulum.DateTime
    by: str
    payload: dict[str, Any]


@attrs.frozen(slots=True)
class PlannedTicket:
    """A generated ticket: its customer, its intake and the commands that follow.

    Example:
        >>> planned = next(plan_quarter(seed=1, scale=0.05))
        >>> planned.steps[0].command
        'open_ticket'
    """

    ticket_id: str
    customer: Customer
    steps: tuple[Step, ...]


def _customers(rnd: random.Random) -> list[Customer]:
    people = []
    for n in range(400):
        city, trade = rnd.choice(_CITIES), rnd.choice(_TRADES)
        if n % 3:
            name = (
                f"{city}{rnd.choice('华宏盛远恒泰安嘉')}{rnd.choice('信达丰源和美')}{trade}有限公司"
            )
        else:
            name = f"{rnd.choice(_SURNAMES)}{rnd.choice(('先生', '女士'))}"
        phone = f"1{rnd.choice('3589')}{rnd.randrange(10**9):09d}"
        contact = Contact(name=name if n % 3 == 0 else f"{rnd.choice(_SURNAMES)}经理", phone=phone)
        people.append(
            Customer(
                id=f"C2026{n:05d}",
                name=name,
                contacts=(contact,),
                key_account=n % 3 != 0 and rnd.random() < 0.15,
            )
        )
    return people


def _weighted(rnd: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rnd.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _office(at: pendulum.DateTime) -> pendulum.DateTime:
    """The next moment the team is at work (09:00–18:00, Monday–Saturday)."""
    local = at.in_timezone("Asia/Shanghai")
    if local.hour >= 18:
        local = local.add(days=1).set(hour=9, minute=0)
    elif local.hour < 9:
        local = local.set(hour=9, minute=0)
    if local.day_of_week == pendulum.SUNDAY:
        local = local.add(days=1).set(hour=9, minute=0)
    return local


def plan_quarter(
    *,
    seed: int = 2026,
    start: pendulum.DateTime = QUARTER_START,
    end: pendulum.DateTime = QUARTER_END,
    scale: float = 1.0,
) -> Iterator[PlannedTicket]:
    """Generate a quarter of realistic tickets, deterministic for a ``seed``.

    About 15 tickets a working day (``scale`` multiplies it), fewer at
    weekends; a Double-11 logistics wave in mid-November; a batch failure of
    the B-model robot in early December (with one chain customer's batch
    complaint); disputes, new problems with escalation, low scores sent back
    to analysis, reopenings, cancellations, and tickets still open at ``end``.
    Commands planned at or after ``end`` are left out.

    Example:
        >>> tickets = list(plan_quarter(seed=7, scale=0.05))
        >>> tickets == list(plan_quarter(seed=7, scale=0.05))
        True
        >>> all(s.at < QUARTER_END for t in tickets for s in t.steps)
        True
    """
    rnd = random.Random(seed)
    customers = _customers(rnd)
    chain = next(c for c in customers if c.key_account)
    models = list(INSTALLED_BASE)
    day = start
    number = 0
    while day < end:
        local = day.in_timezone("Asia/Shanghai")
        weekend = local.day_of_week in (pendulum.SATURDAY, pendulum.SUNDAY)
        volume = (7 if weekend else 15) * scale
        double11 = local.month == 11 and 11 <= local.day <= 20
        batch = local.month == 12 and 1 <= local.day <= 12
        volume *= 1.35 if double11 else (1.25 if batch else 1.0)
        count = int(volume) + (1 if rnd.random() < volume - int(volume) else 0)
        for _ in range(count):
            number += 1
            minute = (
                rnd.choice(range(8 * 60, 21 * 60)) if rnd.random() < 0.9 else rnd.randrange(1440)
            )
            received = local.add(minutes=minute, seconds=rnd.randrange(60))
            category = _weighted(rnd, _CATEGORIES)
            if double11 and rnd.random() < 0.4:
                category = "logistics_delay"
            model = rnd.choice(models)
            customer = rnd.choice(customers)
            if batch and rnd.random() < 0.35:
                category, model = "product_quality", "B型扫地机器人"
                if rnd.random() < 0.3:
                    customer = chain
            planned = _plan_ticket(
                rnd, f"T{received.format('YYYYMMDD')}-{number:06d}", customer, category,
                model, received, end,
            )  # fmt: skip
            yield planned
        day = day.add(days=1)


def _plan_ticket(
    rnd: random.Random,
    ticket_id: str,
    customer: Customer,
    category: str,
    model: str,
    received: pendulum.DateTime,
    end: pendulum.DateTime,
) -> PlannedTicket:
    agent = rnd.choice(_AGENTS)
    steps: list[Step] = []
    now = received

    stopped = False

    def step(command: str, after_minutes: float, by: str = agent, **payload: Any) -> bool:
        nonlocal now, stopped
        at = now.add(seconds=int(after_minutes * 60))
        if stopped or at >= end:
            stopped = True  # the quarter ends here for this ticket
            return False
        now = at
        steps.append(Step(command, at, by, payload))
        return True

    urgent = category == "product_quality" and rnd.random() < 0.3
    facts = IntakeFacts(
        core_business_stopped=urgent,
        partial_function_affected=category in ("product_quality", "logistics_delay") and not urgent,
        consultation=category in ("consultation", "usage_guidance"),
    )
    purchase = Purchase(
        product=Product(model=model),
        purchased_on=date(2026, 1 + rnd.randrange(9), 1 + rnd.randrange(28)),
        serial_number=f"SN{rnd.randrange(10**8):08d}",
        warranty_months=12,
    )
    steps.append(
        Step(
            "open_ticket",
            received,
            agent,
            {
                "channel": _weighted(rnd, _CHANNELS),
                "category": category,
                "description": rnd.choice(_PROBLEMS[category]),
                "occurred_at": received.subtract(minutes=rnd.randrange(10, 600)),
                "facts": facts,
                "purchase": purchase,
                "demands": [],
            },
        )
    )
    if rnd.random() < 0.02:
        step("cancel", rnd.uniform(5, 90), reason="重复登记")
        return PlannedTicket(ticket_id, customer, tuple(steps))
    response = rnd.expovariate(1 / (20 if urgent else 75))
    first_answer = max(0.0, (_office(received) - received).total_seconds() / 60) + response
    simple = category in ("consultation", "usage_guidance") and rnd.random() < 0.65
    if simple:
        if not step("resolve_on_first_contact", first_answer, answer="电话指导后已解决"):
            return PlannedTicket(ticket_id, customer, tuple(steps))
    else:
        if not step("acknowledge", first_answer):
            return PlannedTicket(ticket_id, customer, tuple(steps))
        root = rnd.choice(_ROOT[category])
        if not step("record_analysis", rnd.uniform(30, 600), finding="已定位原因", root_cause=root):
            return PlannedTicket(ticket_id, customer, tuple(steps))
        deadline_days = 1 if urgent else 3
        plan_args: dict[str, Any] = {
            "summary": "维修/更换并跟进",
            "steps": [SolutionStep("执行方案", "王工程师", now.add(days=deadline_days))],
        }
        if not step("propose_solution", rnd.uniform(10, 240), **plan_args):
            return PlannedTicket(ticket_id, customer, tuple(steps))
        if rnd.random() < 0.1:
            if not step(
                "customer_disputes", rnd.uniform(60, 1440), words="方案不能接受,要求更换新机"
            ):
                return PlannedTicket(ticket_id, customer, tuple(steps))
            if not step("propose_solution", rnd.uniform(60, 600), **plan_args):
                return PlannedTicket(ticket_id, customer, tuple(steps))
        if not step("customer_agrees", rnd.uniform(20, 1440), words="同意"):
            return PlannedTicket(ticket_id, customer, tuple(steps))
        if rnd.random() < 0.06:
            if not step(
                "report_new_problem", rnd.uniform(120, 2880), description="执行中发现新故障"
            ):
                return PlannedTicket(ticket_id, customer, tuple(steps))
            if not step("escalate", 5, reason="需要二线技术支持", to="二线专家"):
                return PlannedTicket(ticket_id, customer, tuple(steps))
            if not step(
                "record_analysis", rnd.uniform(120, 1440), by="技术支持老赵", finding="批次缺陷"
            ):
                return PlannedTicket(ticket_id, customer, tuple(steps))
            if not step("propose_solution", 30, by="技术支持老赵", **plan_args):
                return PlannedTicket(ticket_id, customer, tuple(steps))
            if not step("customer_agrees", rnd.uniform(20, 600), words="同意整机更换"):
                return PlannedTicket(ticket_id, customer, tuple(steps))
        elif rnd.random() < 0.04:
            step("escalate", rnd.uniform(10, 300), reason="客户要求主管处理", to="售后主管")
        work = rnd.lognormvariate(7.0 if urgent else 7.8, 0.8)
        if not step(
            "record_progress", work * 0.6, by="王工程师", result="已上门处理", onsite=urgent
        ):
            return PlannedTicket(ticket_id, customer, tuple(steps))
        if not step("finish_execution", work * 0.4, by="王工程师", summary="方案执行完毕"):
            return PlannedTicket(ticket_id, customer, tuple(steps))
    visits = 0
    while visits < 3 and rnd.random() < (0.88 if visits == 0 else 0.95):
        visits += 1
        score = rnd.choices((5, 4, 3, 2, 1), weights=(46, 30, 12, 8, 4))[0]
        if category == "service_attitude" and rnd.random() < 0.3:
            score = max(1, score - 2)
        resolved = score >= 3 or rnd.random() < 0.5
        comment = rnd.choice(_COMMENTS[score])
        if not step("record_visit", rnd.uniform(600, 4000), by="回访专员小周",
                    resolved=resolved, score=score, comment=comment):  # fmt: skip
            break
        if resolved and score >= 3:
            if rnd.random() < 0.03:
                step("reopen", rnd.uniform(1440, 10000), reason="问题再次出现")
                step("resolve_on_first_contact", rnd.uniform(600, 3000), answer="再次处理完毕")
                continue
            break
        if rnd.random() < 0.75:
            step("record_contact", rnd.uniform(60, 3600), by="售后主管",
                 channel="phone", summary="主管回电致歉并了解情况")  # fmt: skip
        if not step("record_analysis", rnd.uniform(60, 1440), finding="回访不满意,重新分析"):
            break
        if not step("resolve_on_first_contact", rnd.uniform(60, 1440), answer="补充处理"):
            break
    return PlannedTicket(ticket_id, customer, tuple(steps))


def play(desk: ServiceDesk, planned: PlannedTicket) -> Ticket:
    """Run a planned ticket's commands through ``desk`` (whose clock must be a ``FixedClock``).

    Example:
        >>> from aftersales import ServiceDesk, FixedClock
        >>> desk = ServiceDesk(clock=FixedClock(QUARTER_START))
        >>> planned = next(plan_quarter(seed=3, scale=0.05))
        >>> play(desk, planned).version == len(planned.steps)
        True
    """
    clock = _clock(desk)
    ticket: Ticket | None = None
    for item in planned.steps:
        clock.set(item.at)
        if item.command == "open_ticket":
            ticket = desk.open_ticket(
                ticket_id=planned.ticket_id, customer=planned.customer, by=item.by, **item.payload
            )
        else:
            ticket = getattr(desk, item.command)(planned.ticket_id, by=item.by, **item.payload)
    assert ticket is not None
    return ticket


def replay(planned: PlannedTicket, *, visit_threshold: int = 3) -> Ticket:
    """Build a planned ticket straight from events (no desk, no store): the fast path.

    Gives the ticket :func:`play` gives on a desk with the default priority rules.

    Example:
        >>> from aftersales import ServiceDesk, FixedClock
        >>> planned = next(plan_quarter(seed=3, scale=0.05))
        >>> replay(planned) == play(ServiceDesk(clock=FixedClock(QUARTER_START)), planned)
        True
    """
    opening = planned.steps[0]
    payload = dict(opening.payload)
    assessment = DEFAULT_PRIORITY_RULES.assess(payload.pop("facts"))
    customer = planned.customer
    ticket = Ticket.replay(
        [
            TicketOpened(
                ticket_id=planned.ticket_id,
                seq=1,
                at=opening.at,
                by=opening.by,
                customer_id=customer.id,
                customer_name=customer.name,
                contact=customer.primary_contact,
                priority=assessment.priority,
                priority_reason=assessment.reason,
                handler=opening.by,
                **payload,
            )
        ]
    )
    for item in planned.steps[1:]:
        extra = dict(item.payload)
        if item.command == "escalate":
            extra["level"] = ticket.escalation_level + 1
        elif item.command == "record_visit":
            extra["threshold"] = visit_threshold
        if "steps" in extra:
            extra["steps"] = tuple(extra["steps"])
        event = ticket.new_event(EVENTS_BY_COMMAND[item.command], by=item.by, at=item.at, **extra)
        ticket = ticket.apply(event)
    return ticket


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
