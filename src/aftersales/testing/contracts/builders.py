"""The values the contract suites write: tickets, root causes, actions, articles, uses, follow-ups.

Each is built at a fixed time, so a suite's expectations do not depend on the
clock: tickets from :data:`BASE`, the closing-the-loop records from
:data:`RECORDS_BASE`. :data:`HOSTILE_TEXTS` are texts every store must keep
unchanged. Imports neither pytest nor hypothesis.

Example:
    >>> from aftersales.model.events import NoteAdded
    >>> ticket = advance(build_ticket("T1"), NoteAdded, text="已致电")
    >>> ticket.version, make_action().status.value, make_followup("FU-1", 7).done
    (2, 'planned', False)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pendulum

from aftersales.followup.tasks import FollowUpOutcome, FollowUpRecord, FollowUpTask, FollowUpTrigger
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.knowledge.article import ArticleUse, KnowledgeArticle
from aftersales.model.customer import Customer
from aftersales.model.events import TicketEvent, TicketOpened
from aftersales.model.product import Product, Purchase
from aftersales.model.ticket import Ticket
from aftersales.service.desk import ServiceDesk
from aftersales.time import FixedClock
from aftersales.vocab import Channel, Priority, ProblemCategory, RootCauseCategory

__all__ = [
    "BASE",
    "CUSTOMER",
    "HOSTILE_TEXTS",
    "RECORDS_BASE",
    "advance",
    "build_ticket",
    "followup_done",
    "ids_of",
    "make_action",
    "make_article",
    "make_followup",
    "make_root_cause",
    "make_use",
    "open_on",
]

#: Moment the contracts' tickets are registered from.
BASE: pendulum.DateTime = pendulum.datetime(2024, 5, 10, 9, 0, tz="Asia/Shanghai")
#: Moment the contracts' closing-the-loop records are created from.
RECORDS_BASE: pendulum.DateTime = pendulum.datetime(2024, 5, 20, 9, tz="Asia/Shanghai")

#: Texts that must round-trip through a store unchanged: SQL metacharacters,
#: right-to-left text, emoji, control characters (no NUL), CJK, very long text.
HOSTILE_TEXTS: tuple[str, ...] = (
    "'; DROP TABLE tickets; --",
    'Robert"); DELETE FROM ticket_events WHERE ("1"="1',
    "%s %(name)s ? ?1 :name $1 \\ \\\\ \\' \\x00 ` [ ] {} ; --",
    "עברית ומספרים 123 \u202eRTL override\u202c \u200f",
    "عربي \u061c مرحبا",
    "emoji 🧯🔥👩🏽‍🔧 🇨🇳 \U0001f600",
    "控制\x01\x07\x08\t\n\r\x0b\x0c\x1b\x1f\x7f\x85 字符",
    "中文测试,繁體字,日本語のテキスト,한국어",
    "\ufeffBOM \u2028line\u2029para \ud7ff \ue000 \U0010fffd",
    "長" * 10_000,
)

#: The customer :func:`open_on` opens tickets for.
CUSTOMER = Customer(id="C1", name="XX科技有限公司")

# -- tickets ----------------------------------------------------------------------------------


def build_ticket(
    ticket_id: str,
    *,
    minutes: int = 0,
    customer_id: str = "C202405001",
    channel: Channel = Channel.PHONE,
    category: ProblemCategory = ProblemCategory.PRODUCT_QUALITY,
    priority: Priority = Priority.GENERAL,
    handler: str = "李工",
    product_model: str | None = None,
    description: str = "设备开机后频繁死机",
    customer_name: str = "XX科技有限公司",
    priority_level: str | None = None,
) -> Ticket:
    """A freshly opened ticket, registered ``minutes`` after :data:`BASE`.

    ``priority_level`` is a level of a company's scale, reported as ``priority``.

    Example:
        >>> ticket = build_ticket("T1", minutes=5, product_model="A型")
        >>> ticket.version, ticket.purchase.product.model, ticket.assignee
        (1, 'A型', '李工')
    """
    at = BASE.add(minutes=minutes)
    purchase = (
        None
        if product_model is None
        else Purchase(product=Product(model=product_model), purchased_on=at.date())
    )
    opened = TicketOpened(
        ticket_id=ticket_id,
        seq=1,
        at=at,
        by=handler,
        customer_id=customer_id,
        customer_name=customer_name,
        channel=channel,
        category=category,
        occurred_at=at.subtract(minutes=10),
        description=description,
        priority=priority,
        priority_level=priority_level,
        purchase=purchase,
        handler=handler,
    )
    return Ticket.replay([opened])


def advance(
    ticket: Ticket, event_type: type[TicketEvent], *, by: str = "李工", **payload: Any
) -> Ticket:
    """``ticket`` after one more event, one minute after its last one.

    Example:
        >>> from aftersales.model.events import NoteAdded
        >>> advance(build_ticket("T1"), NoteAdded, text="已致电").version
        2
    """
    event = ticket.new_event(event_type, by=by, at=ticket.updated_at.add(minutes=1), **payload)
    return ticket.apply(event)


def ids_of(tickets: Iterable[Ticket]) -> list[str]:
    """The ids of ``tickets``, in their order: what a suite compares a ``find`` with.

    Example:
        >>> ids_of([build_ticket("T2"), build_ticket("T1")])
        ['T2', 'T1']
    """
    return [ticket.id for ticket in tickets]


def open_on(store: Any, ticket_id: str, channel: Channel | str, *, minutes: int = 0) -> Ticket:
    """Open a ticket through a :class:`~aftersales.ServiceDesk` on ``store``, ``minutes`` after BASE.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> open_on(MemoryStore(), "V1", "电话").channel
        Channel('phone')
    """
    desk = ServiceDesk(store, clock=FixedClock(BASE.add(minutes=minutes)))
    return desk.open_ticket(
        customer=CUSTOMER,
        channel=channel,
        category="product_quality",
        description="设备开机后频繁死机",
        occurred_at=BASE.subtract(hours=1),
        by="李工",
        priority="general",
        ticket_id=ticket_id,
    )


# -- closing-the-loop records -----------------------------------------------------------------


def make_root_cause(cause_id: str = "RC-1", *tickets: str, department: str = "采购部") -> RootCause:
    """A root cause linked to ``tickets``.

    Example:
        >>> make_root_cause("RC-2", "T1").ticket_ids
        ('T1',)
    """
    return RootCause(
        id=cause_id,
        summary="供应商电容批次不良",
        category=RootCauseCategory.SUPPLIER,
        department=department,
        identified_at=RECORDS_BASE,
        identified_by="王经理",
        ticket_ids=tickets,
    )


def make_action(
    action_id: str = "IA-1", *, days: int = 10, cause_id: str = "RC-1"
) -> ImprovementAction:
    """A planned action due ``days`` after :data:`RECORDS_BASE`.

    Example:
        >>> make_action().status.value
        'planned'
    """
    return ImprovementAction.plan(
        id=action_id,
        problem="运输破损投诉增加",
        cause_id=cause_id,
        category="logistics_delay",
        type="process_change",
        title="装箱规范增加缓冲材料",
        owner="赵经理",
        acceptance="两周内破损投诉 ≤ 2 单",
        at=RECORDS_BASE,
        by="王经理",
        due_at=RECORDS_BASE.add(days=days),
    )


def make_article(article_id: str = "KB-1", *, product: str | None = "X200") -> KnowledgeArticle:
    """A draft article.

    Example:
        >>> make_article().status.value
        'draft'
    """
    return KnowledgeArticle(
        id=article_id,
        title="打印机频繁卡纸",
        symptoms="每打十几页卡一次纸",
        root_cause="搓纸轮磨损",
        solution_steps=("清洁搓纸轮", "更换搓纸轮"),
        category=ProblemCategory.PRODUCT_QUALITY,
        product=product,
        created_at=RECORDS_BASE,
        created_by="李工",
    )


def make_use(article_id: str, ticket_id: str, minutes: int = 0) -> ArticleUse:
    """A use of an article on a ticket, ``minutes`` after :data:`RECORDS_BASE`.

    Example:
        >>> make_use("KB-1", "T1").helpful
        True
    """
    return ArticleUse(
        article_id=article_id, ticket_id=ticket_id, by="李工", at=RECORDS_BASE.add(minutes=minutes)
    )


def make_followup(task_id: str, days: int, customer_id: str = "C1") -> FollowUpTask:
    """An open after-closure follow-up due ``days`` after :data:`RECORDS_BASE`.

    Example:
        >>> make_followup("FU-1", 7).version
        1
    """
    return FollowUpTask(
        id=task_id,
        customer_id=customer_id,
        trigger=FollowUpTrigger.AFTER_CLOSURE,
        point="1w",
        anchor_at=RECORDS_BASE,
        due_at=RECORDS_BASE.add(days=days),
        source_ticket_id="T1",
    )


def followup_done(followup: FollowUpTask, days: int = 40) -> FollowUpTask:
    """``followup`` recorded as done (satisfied) ``days`` after :data:`RECORDS_BASE`.

    Example:
        >>> followup_done(make_followup("FU-1", 7)).done
        True
    """
    record = FollowUpRecord(
        at=RECORDS_BASE.add(days=days), by="回访专员", outcome=FollowUpOutcome.SATISFIED
    )
    return followup.with_record(record)
