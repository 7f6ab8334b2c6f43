"""The demo's Saturday at the Guangzhou outlet: a coffee machine repaired at the counter.

Example:
    >>> from aftersales.demo import SCENARIO_IDS
    >>> SCENARIO_IDS[-1]
    'T20261017-001'
"""

from __future__ import annotations

from datetime import date

import pendulum

from aftersales.demo.scenario_steps import attributes_declared, moving_clock
from aftersales.model.customer import Contact, Customer
from aftersales.model.product import Product, Purchase
from aftersales.model.solution import SolutionStep
from aftersales.priority import IntakeFacts
from aftersales.service.desk import ServiceDesk
from aftersales.vocab import Channel, Demand, ProblemCategory, RootCauseCategory, TicketType

__all__ = ["outlet_on_saturday"]

_GG = Customer(
    id="C202410031",
    name="GG咖啡(天河店)",
    industry="餐饮",
    contacts=(Contact(name="陈先生", phone="13711112222"),),
)


def outlet_on_saturday(desk: ServiceDesk) -> str:
    """A coffee machine brought to the Guangzhou outlet on a Saturday, measured on its calendar.

    The outlet is open Monday–Saturday, 9:00–12:00 and 13:00–17:30, and its
    tickets are read under the ``outlet`` policy
    (:func:`~aftersales.demo.contracts.demo_policies`): registered Saturday
    10:00, repaired by 14:20 with 10 minutes awaiting the customer's
    agreement, so resolution used 2 h + 1 h 20 min − 10 min = 3 h 10 min of
    Saturday's working time, where the head office's calendar counts none.
    """
    clock = moving_clock(desk)
    clock.set(pendulum.datetime(2026, 10, 17, 10, 0, tz="Asia/Shanghai"))
    tid = desk.open_ticket(
        ticket_id="T20261017-001",
        customer=_GG,
        purchase=Purchase(
            product=Product(model="C型商用咖啡机"),
            purchased_on=date(2026, 5, 20),
            serial_number="SN-C2605-0117",
            warranty_months=12,
        ),
        channel=Channel.SERVICE_OUTLET,
        category=ProblemCategory.PRODUCT_QUALITY,
        demands=[Demand.REPAIR],
        occurred_at=clock.now().subtract(hours=20),
        description="咖啡机蒸汽棒漏气,打不出奶泡",
        impact="门店无法制作奶咖,只能出美式",
        customer_words="周末客人多,今天能修好吗",
        facts=IntakeFacts(partial_function_affected=True),
        by="林工",
        ticket_type=TicketType.REPAIR,
        attributes=attributes_declared(desk, warranty_type="in_warranty"),
    ).id
    clock.advance(minutes=10)
    desk.acknowledge(tid, by="陈工", note="客户已送机到网点,当场检测")
    clock.advance(minutes=30)
    desk.record_analysis(
        tid,
        by="陈工",
        finding="蒸汽阀密封圈老化开裂",
        root_cause=RootCauseCategory.HARDWARE_FAULT,
    )
    clock.advance(minutes=10)
    desk.propose_solution(
        tid,
        by="陈工",
        summary="保修期内免费更换蒸汽阀密封圈,当天取机",
        steps=[SolutionStep("更换蒸汽阀密封圈", "陈工", clock.now().add(hours=4))],
    )
    clock.advance(minutes=10)
    desk.record_agreement(tid, by="林工", words="好,下午来取")
    clock.set(pendulum.datetime(2026, 10, 17, 13, 30, tz="Asia/Shanghai"))
    desk.record_progress(tid, by="陈工", result="已更换密封圈,蒸汽压力测试正常")
    clock.advance(minutes=50)
    desk.finish_execution(tid, by="陈工", summary="密封圈已更换,客户已取机")
    clock.set(pendulum.datetime(2026, 10, 17, 16, 50, tz="Asia/Shanghai"))
    desk.record_visit(
        tid,
        by="回访专员小周",
        resolved=True,
        score=5,
        comment="当天就修好了,机器使用正常",
        dimensions={"专业知识": 5, "服务态度": 5, "响应速度": 5, "解决效果": 5},
    )
    desk.add_tags(tid, by="回访专员小周", tags=["网点维修", "周末服务"])
    return tid
