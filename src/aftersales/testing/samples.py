"""Realistic sample tickets, built through the real lifecycle.

:func:`sample_ticket` is the follow-up template's own worked example: an
``A型智能办公设备`` that freezes frequently, a memory module replaced on site,
and a 5-point return visit.

Example:
    >>> ticket = sample_ticket()
    >>> [event.command for event in ticket.history]  # doctest: +NORMALIZE_WHITESPACE
    ['open_ticket', 'acknowledge', 'record_analysis', 'propose_solution', 'record_agreement',
     'book_onsite_visit', 'record_progress', 'finish_execution', 'record_visit']
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pendulum

from aftersales.model.customer import Contact
from aftersales.model.events import (
    Acknowledged,
    AnalysisRecorded,
    CustomerAgreed,
    ExecutionFinished,
    OnsiteVisitBooked,
    ProgressRecorded,
    SolutionProposed,
    TicketEvent,
    TicketOpened,
    VisitRecorded,
)
from aftersales.model.product import Product, Purchase
from aftersales.model.solution import SolutionStep
from aftersales.model.ticket import Ticket
from aftersales.vocab import Channel, Demand, Priority, ProblemCategory, RootCauseCategory

if TYPE_CHECKING:
    from aftersales.sla.policy_document import PolicyDocument

__all__ = ["sample_policy_document", "sample_ticket"]

_TZ = "Asia/Shanghai"


def _at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2024, 5, day, hour, minute, tz=_TZ)


def sample_ticket(ticket_id: str = "T202405001") -> Ticket:
    """The template's example ticket, closed after a 5-point return visit.

    Example:
        >>> ticket = sample_ticket()
        >>> ticket.root_cause.label_zh, ticket.satisfaction, ticket.contact.masked().phone
        ('硬件故障', 5, '138****5678')
    """
    ticket = Ticket.replay(
        [
            TicketOpened(
                ticket_id=ticket_id,
                seq=1,
                at=_at(10, 14, 45),
                by="李工",
                customer_id="C202405001",
                customer_name="XX科技有限公司",
                contact=Contact(name="张先生", phone="13812345678", role="行政主管"),
                purchase=Purchase(
                    product=Product(model="A型智能办公设备"),
                    purchased_on=date(2024, 3, 15),
                    serial_number="SN-A2403-0158",
                    warranty_months=12,
                ),
                channel=Channel.PHONE,
                category=ProblemCategory.PRODUCT_QUALITY,
                demands=(Demand.REPAIR,),
                occurred_at=_at(10, 14, 30),
                description="设备开机后频繁死机,约每小时一次,重启后可短暂恢复",
                impact="行政部 3 台设备中 1 台受影响,打印与扫描业务中断",
                customer_words="每天死机好几次,严重影响办公",
                priority=Priority.URGENT,
                priority_reason="product unusable",
                handler="李工",
            )
        ]
    )
    steps: list[tuple[type[TicketEvent], str, pendulum.DateTime, dict[str, Any]]] = [
        (Acknowledged, "李工", _at(10, 14, 50), {"note": "已致电客户,告知将安排工程师排查"}),
        (
            AnalysisRecorded,
            "李工",
            _at(10, 16, 20),
            {
                "finding": "远程诊断日志显示内存校验错误,判断为内存模块故障",
                "root_cause": RootCauseCategory.HARDWARE_FAULT,
                "resolution_deadline": _at(11, 18),
            },
        ),
        (
            SolutionProposed,
            "李工",
            _at(10, 16, 40),
            {
                "summary": "保修期内免费上门更换内存模块",
                "steps": (SolutionStep("上门更换内存模块", "王工程师", _at(11, 12)),),
            },
        ),
        (CustomerAgreed, "李工", _at(10, 16, 55), {"words": "同意,明天上午上门即可"}),
        (
            OnsiteVisitBooked,
            "李工",
            _at(10, 17, 0),
            {"appointment_at": _at(11, 9, 30), "engineer": "王工程师"},
        ),
        (
            ProgressRecorded,
            "王工程师",
            _at(11, 10, 40),
            {"result": "已到达现场并更换内存模块,连续运行测试 1 小时无死机", "onsite": True},
        ),
        (
            ExecutionFinished,
            "王工程师",
            _at(11, 11, 30),
            {"summary": "内存模块已更换,设备恢复正常"},
        ),
        (
            VisitRecorded,
            "回访专员小周",
            _at(13, 10, 0),
            {"resolved": True, "score": 5, "comment": "问题已解决,工程师很专业"},
        ),
    ]
    for event_type, by, at, payload in steps:
        ticket = ticket.apply(ticket.new_event(event_type, by=by, at=at, **payload))
    return ticket


def sample_policy_document() -> PolicyDocument:
    """A policy file's document: :meth:`SlaPolicy.default <aftersales.sla.SlaPolicy.default>` on ``china``.

    Example:
        >>> sample_policy_document().calendar_names
        ('china',)
    """
    from aftersales.calendar import WorkCalendar
    from aftersales.sla import SlaPolicy
    from aftersales.sla.policy_document import document_of

    calendar = WorkCalendar.china()
    return document_of(SlaPolicy.default(calendar), {"china": calendar})
