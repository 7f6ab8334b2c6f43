"""A realistic quarter of generated tickets: planned from a seed, played on a desk or replayed.

:func:`plan_quarter` generates a quarter of :class:`PlannedTicket` values
(deterministic for a seed: volumes by weekday, a Double-11 logistics wave, a
batch failure, disputes, escalations, low scores, reopenings); :func:`play`
runs one through a :class:`~aftersales.ServiceDesk` and :func:`replay` folds
its events straight into a ticket (the fast path, the same ticket). Entry
point: this module may import every layer below.

Example:
    >>> planned = next(plan_quarter(seed=3, scale=0.05))
    >>> replay(planned).version == len(planned.steps)
    True
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from itertools import accumulate
from typing import Any

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.demo.scenario_steps import moving_clock as _clock
from aftersales.model.customer import Contact, Customer
from aftersales.model.events import TicketOpened
from aftersales.model.product import Product, Purchase
from aftersales.model.solution import SolutionStep
from aftersales.model.ticket import Ticket
from aftersales.priority import DEFAULT_PRIORITY_RULES, IntakeFacts
from aftersales.service.commands import COMMANDS
from aftersales.service.desk import ServiceDesk

__all__ = [
    "INSTALLED_BASE",
    "QUARTER_END",
    "QUARTER_START",
    "PlannedTicket",
    "Step",
    "installed_base",
    "plan_quarter",
    "play",
    "replay",
]

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


def installed_base(scale: float = 1.0) -> dict[str, int]:
    """:data:`INSTALLED_BASE` for a quarter of ``scale`` (the units grow with the ticket volume).

    A smaller company has fewer tickets and fewer units in service, so the
    failure rates, and the B-model's December batch failure, stay the same.

    Example:
        >>> installed_base(0.2)["B型扫地机器人"], installed_base()["B型扫地机器人"]
        (300, 1500)
    """
    return {model: max(1, round(units * scale)) for model, units in INSTALLED_BASE.items()}


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
        >>> Step("acknowledge", QUARTER_START, "李工", {}).command
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


class _Clientele:
    """``count`` customers drawn by a Zipf-like law: the customer of rank ``k`` weighs ``k ** -0.8``.

    A few large accounts come back often, most customers once or twice, so
    repeat complaints are common without being the rule. Each customer is
    built on demand from the seed and its rank (the same customer every
    time); companies among the top 1 % are mostly key accounts.
    """

    EXPONENT = 0.8

    def __init__(self, seed: int, count: int) -> None:
        self.seed = seed
        self.count = count
        self._cumulative = list(accumulate(rank**-self.EXPONENT for rank in range(1, count + 1)))
        self.customer = lru_cache(maxsize=8192)(self._build)

    def draw(self, rnd: random.Random) -> Customer:
        """A customer, the larger ones more often."""
        index = bisect_right(self._cumulative, rnd.random() * self._cumulative[-1])
        return self.customer(min(index, self.count - 1))

    def first_key_account(self) -> Customer:
        """The largest key account (the chain of the December batch complaint), else the largest."""
        found = (c for c in map(self.customer, range(self.count)) if c.key_account)
        return next(found, self.customer(0))

    def _build(self, rank: int) -> Customer:
        rnd = random.Random(self.seed * 1_000_003 + rank)
        city, trade = rnd.choice(_CITIES), rnd.choice(_TRADES)
        company = rank % 3 != 0 or rank < 3
        surname = rnd.choice(_SURNAMES)
        if company:
            name = (
                f"{city}{rnd.choice('华宏盛远恒泰安嘉')}{rnd.choice('信达丰源和美')}{trade}有限公司"
            )
            contact_name = f"{surname}经理"
        else:
            name = contact_name = f"{surname}{rnd.choice(('先生', '女士'))}"
        phone = f"1{rnd.choice('3589')}{rnd.randrange(10**9):09d}"
        key = company and rnd.random() < (0.6 if rank < self.count / 100 else 0.05)
        return Customer(
            id=f"C{rank:07d}",
            name=name,
            industry=trade if company else None,
            contacts=(Contact(name=contact_name, phone=phone),),
            key_account=key,
        )


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
    customers: int | None = None,
) -> Iterator[PlannedTicket]:
    """Generate a quarter of realistic tickets, deterministic for a ``seed``.

    About 15 tickets a working day (``scale`` multiplies it), fewer at
    weekends; a Double-11 logistics wave in mid-November; a batch failure of
    the B-model robot in early December (with one chain customer's batch
    complaint); disputes, new problems with escalation, low scores sent back
    to analysis, reopenings, cancellations, and tickets still open at ``end``.
    Commands planned at or after ``end`` are left out.

    ``start`` and ``end`` may span several years (every November has its
    wave, every December its batch failure). By default the tickets come
    from the demo's 400 customers, each equally likely; ``customers=n``
    draws them from ``n`` customers by a Zipf-like law instead (a few large
    accounts, mostly key accounts, and a long tail), for stores of realistic
    size: about a third as many customers as tickets.

    Example:
        >>> tickets = list(plan_quarter(seed=7, scale=0.05))
        >>> tickets == list(plan_quarter(seed=7, scale=0.05))
        True
        >>> all(s.at < QUARTER_END for t in tickets for s in t.steps)
        True
        >>> years = list(plan_quarter(seed=7, scale=0.05, customers=60,
        ...     start=pendulum.datetime(2024, 1, 1, tz="Asia/Shanghai")))
        >>> len({t.ticket_id for t in years}) == len(years) > 3 * len(tickets)
        True
        >>> 1 < len({t.customer.id for t in years}) <= 60
        True
    """
    rnd = random.Random(seed)
    if customers is None:
        people = _customers(rnd)
        chain = next(c for c in people if c.key_account)

        def draw() -> Customer:
            return rnd.choice(people)
    else:
        clientele = _Clientele(seed, check.integer(1)(customers, "customers"))
        chain = clientele.first_key_account()

        def draw() -> Customer:
            return clientele.draw(rnd)

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
            customer = draw()
            failed_batch = batch and rnd.random() < 0.35
            if failed_batch:
                category, model = "product_quality", "B型扫地机器人"
                if rnd.random() < 0.3:
                    customer = chain
            ticket_id = f"T{received.format('YYYYMMDD')}-{number:06d}"
            planned = _plan_ticket(
                rnd, ticket_id, customer, category, model, received, end,
                _ticket_type(ticket_id, category, failed_batch),
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
    ticket_type: str,
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
    purchased_on = date(received.year, 1 + rnd.randrange(9), 1 + rnd.randrange(28))
    if purchased_on >= received.date():
        purchased_on = purchased_on.replace(year=received.year - 1)
    purchase = Purchase(
        product=Product(model=model),
        purchased_on=purchased_on,
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
                "ticket_type": ticket_type,
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
            if not step("record_dispute", rnd.uniform(60, 1440), words="方案不能接受,要求更换新机"):
                return PlannedTicket(ticket_id, customer, tuple(steps))
            if not step("propose_solution", rnd.uniform(60, 600), **plan_args):
                return PlannedTicket(ticket_id, customer, tuple(steps))
        if not step("record_agreement", rnd.uniform(20, 1440), words="同意"):
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
            if not step("record_agreement", rnd.uniform(20, 600), words="同意整机更换"):
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
        dimensions = _dimension_scores(ticket_id, visits, score)
        if not step("record_visit", rnd.uniform(600, 4000), by="回访专员小周", resolved=resolved,
                    score=score, comment=comment, dimensions=dimensions):  # fmt: skip
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


def _ticket_type(ticket_id: str, category: str, failed_batch: bool) -> str:
    """The type of a generated ticket, drawn apart from the quarter's sequence (which it leaves as it is).

    Questions are consultations; delays, attitude and process problems
    complaints; a product fault a repair request, or a complaint one time in
    three (and always in the December batch failure).
    """
    if category in ("consultation", "usage_guidance"):
        return "consultation"
    if category != "product_quality" or failed_batch:
        return "complaint"
    return "complaint" if random.Random(ticket_id).random() < 1 / 3 else "repair"


#: The satisfaction dimensions a return visit of the quarter scores.
_DIMENSIONS = ("professional_knowledge", "service_attitude", "response_speed", "resolution_effect")


def _dimension_scores(ticket_id: str, visit: int, score: int) -> dict[str, int] | None:
    """Scores by dimension near the overall ``score`` (none on one visit in four), drawn apart."""
    local = random.Random(f"{ticket_id}/{visit}")
    if local.random() < 0.25:
        return None
    return {code: min(5, max(1, score + local.choice((-1, 0, 0, 0, 1)))) for code in _DIMENSIONS}


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
    desk = _ReplayDesk(visit_threshold=visit_threshold)
    for item in planned.steps[1:]:
        declared = COMMANDS[item.command]
        arguments = declared.arguments_from(desk, item.payload)
        fields = declared.event_fields(desk, ticket, arguments)
        ticket = ticket.apply(ticket.new_event(declared.event, by=item.by, at=item.at, **fields))
    return ticket


@attrs.frozen(slots=True)
class _ReplayDesk:
    """What the command table reads from a desk, for a replay without one."""

    visit_threshold: int
    sla_policy: None = None
