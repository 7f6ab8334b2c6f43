"""The follow-up template's columns (DOMAIN §1), in its order, with the library's three additions.

:data:`TEMPLATE` lists the 18 fields of the follow-up record under their
Chinese and English headings, then the columns the library adds so that an
export imports back to the same ticket: 工单号 (the ticket id), 渠道 (channel)
and 问题类型 (problem type). The template has no channel nor problem type, but
a ticket needs both: a file without those columns takes them from the mapping
file's ``[defaults]``. Each column reads its cells with the formats of
:mod:`aftersales.transfer.cells` and :mod:`aftersales.transfer.record_cells`
and writes a ticket back in the same form. Imports: the domain only.

Example:
    >>> [column.heading_zh for column in TEMPLATE][:4]
    ['客户编号', '客户名称', '联系人', '联系方式']
    >>> [column.key for column in TEMPLATE.required()]  # doctest: +NORMALIZE_WHITESPACE
    ['customer_id', 'customer_name', 'occurred_at', 'description', 'priority', 'first_handler',
     'close_status', 'updated_at', 'channel', 'category']
"""

from __future__ import annotations

from datetime import datetime

import pendulum

from aftersales.model.ticket import Ticket
from aftersales.transfer.cells import (
    format_contact_info,
    format_purchase,
    read_category,
    read_channel,
    read_close_state,
    read_contact_info,
    read_demands,
    read_id,
    read_instant,
    read_priority,
    read_purchase,
    read_text,
)
from aftersales.transfer.columns import CellValue, Column, Columns, WriteContext
from aftersales.transfer.record_cells import (
    format_answers,
    format_findings,
    format_nodes,
    format_plan,
    format_visit,
    read_answers,
    read_findings,
    read_nodes,
    read_plan,
    read_visit,
)
from aftersales.vocab import TicketStatus

__all__ = ["TEMPLATE", "handler_of", "local_time"]


def local_time(moment: datetime, tz: str) -> datetime:
    """``moment`` as a naive local time in ``tz``: what a workbook's date cell holds.

    Example:
        >>> local_time(pendulum.datetime(2024, 5, 10, 6, 30, tz="UTC"), "Asia/Shanghai")
        datetime.datetime(2024, 5, 10, 14, 30)
    """
    local = pendulum.instance(moment).in_timezone(tz)
    return datetime(local.year, local.month, local.day, local.hour, local.minute, local.second)


def handler_of(ticket: Ticket) -> str:
    """The first handler (初步对接人): the ticket's handler, or who registered it.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> handler_of(sample_ticket())
        '李工'
    """
    return ticket.handler if ticket.handler else ticket.history[0].by


def _contact_name(ticket: Ticket, context: WriteContext) -> CellValue:
    return None if context.contact is None else context.contact.name


def _contact_info(ticket: Ticket, context: WriteContext) -> CellValue:
    contact = context.contact
    return None if contact is None else format_contact_info(contact.phone, contact.email)


def _close_state(ticket: Ticket, context: WriteContext) -> CellValue:
    if ticket.status is TicketStatus.CANCELLED:
        return TicketStatus.CANCELLED.label_zh
    return ticket.close_status.label_zh


def _text_or_none(text: str) -> CellValue:
    return text or None


TEMPLATE = Columns(
    (
        Column(
            "customer_id",
            "客户编号",
            "Customer ID",
            read=read_id,
            write=lambda t, c: t.customer_id,
            required=True,
            aliases=("客户ID", "客户代码"),
        ),
        Column(
            "customer_name",
            "客户名称",
            "Customer name",
            read=read_text,
            write=lambda t, c: t.customer_name,
            required=True,
            aliases=("客户",),
        ),
        Column(
            "contact_person",
            "联系人",
            "Contact person",
            read=read_text,
            write=_contact_name,
            aliases=("contact",),
        ),
        Column(
            "contact_info",
            "联系方式",
            "Contact info",
            read=read_contact_info,
            write=_contact_info,
            aliases=("联系电话", "电话/邮箱", "phone/email"),
            contact=True,
        ),
        Column(
            "purchase",
            "购买产品/服务",
            "Product / service bought",
            read=read_purchase,
            write=lambda t, c: None if t.purchase is None else format_purchase(t.purchase),
            aliases=("购买产品", "购买产品或服务", "产品", "product"),
        ),
        Column(
            "occurred_at",
            "问题发生时间",
            "Occurred at",
            read=read_instant,
            write=lambda t, c: local_time(t.occurred_at, c.tz),
            required=True,
            aliases=("发生时间",),
        ),
        Column(
            "description",
            "问题描述",
            "Problem description",
            read=read_text,
            write=lambda t, c: t.description,
            required=True,
            aliases=("description",),
        ),
        Column(
            "demands",
            "客户期望",
            "Customer expectation",
            read=read_demands,
            write=lambda t, c: _text_or_none("、".join(d.label_zh for d in t.demands)),
            aliases=("客户期望/诉求", "客户诉求", "诉求", "demands"),
        ),
        Column(
            "priority",
            "优先级",
            "Priority",
            read=read_priority,
            write=lambda t, c: t.priority.label_zh,
            required=True,
        ),
        Column(
            "first_handler",
            "初步对接人",
            "First handler",
            read=read_text,
            write=lambda t, c: handler_of(t),
            required=True,
            aliases=("对接人", "handler"),
        ),
        Column(
            "analysis",
            "问题分析结果",
            "Analysis result",
            read=read_findings,
            write=lambda t, c: _text_or_none(format_findings(t)),
            aliases=("分析结果", "analysis"),
        ),
        Column(
            "solution",
            "解决方案",
            "Solution",
            read=read_plan,
            write=lambda t, c: _text_or_none(format_plan(t, c.tz)),
        ),
        Column(
            "confirmation",
            "客户确认意见",
            "Customer confirmation",
            read=read_answers,
            write=lambda t, c: _text_or_none(format_answers(t)),
            aliases=("确认意见",),
        ),
        Column(
            "execution_log",
            "方案执行记录",
            "Execution log",
            read=read_nodes,
            write=lambda t, c: _text_or_none(format_nodes(t, c.tz)),
            aliases=("执行记录",),
        ),
        Column(
            "return_visit",
            "客户回访结果",
            "Return visit",
            read=read_visit,
            write=lambda t, c: _text_or_none(format_visit(t, c.tz)),
            aliases=("回访结果",),
        ),
        Column(
            "improvement",
            "优化建议",
            "Improvement suggestion",
            read=read_text,
            write=lambda t, c: _text_or_none("\n".join(s.text for s in t.improvement_suggestions)),
        ),
        Column(
            "close_status",
            "关闭状态",
            "Close status",
            read=read_close_state,
            write=_close_state,
            required=True,
            aliases=("状态", "status"),
        ),
        Column(
            "updated_at",
            "更新时间",
            "Updated at",
            read=read_instant,
            write=lambda t, c: local_time(t.updated_at, c.tz),
            required=True,
            aliases=("最后更新时间",),
        ),
        Column(
            "ticket_id",
            "工单号",
            "Ticket ID",
            read=read_id,
            write=lambda t, c: t.id,
            aliases=("工单编号",),
            template=False,
        ),
        Column(
            "channel",
            "渠道",
            "Channel",
            read=read_channel,
            write=lambda t, c: t.channel.label_zh,
            required=True,
            aliases=("受理渠道",),
            template=False,
        ),
        Column(
            "category",
            "问题类型",
            "Problem type",
            read=read_category,
            write=lambda t, c: t.category.label_zh,
            required=True,
            aliases=("问题分类", "category"),
            template=False,
        ),
    )
)
