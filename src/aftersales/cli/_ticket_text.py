"""Plain-text rendering of a ticket for a terminal: its follow-up record, history and SLA clocks.

Contacts, the street address of the on-site location and any phone number in
an attachment's name are masked. Used by ``aftersales demo``; imports the
domain only.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> render_ticket(sample_ticket(), lang="en").splitlines()[1]
    '  contact: 张先生 138****5678'
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import attrs

from aftersales.model.attachments import AttachmentRef
from aftersales.model.attribute_values import AttributeValues
from aftersales.model.attributes import AttributeDefinitions
from aftersales.model.events import TicketEvent
from aftersales.model.location import Location
from aftersales.model.masking import default_masking
from aftersales.model.ticket import Ticket
from aftersales.reports.labels import SLA_METRIC_LABELS
from aftersales.sla import SlaReport

__all__ = ["render_sla", "render_ticket"]

_COMMAND_LABELS = {
    "open_ticket": ("受理登记", "registered"),
    "acknowledge": ("首次响应", "acknowledged"),
    "resolve_on_first_contact": ("一线解决", "resolved on first contact"),
    "record_analysis": ("问题分析", "analysis"),
    "propose_solution": ("提出方案", "solution proposed"),
    "record_agreement": ("客户同意", "customer agrees"),
    "record_dispute": ("客户异议", "customer disputes"),
    "book_onsite_visit": ("预约上门", "on-site visit booked"),
    "record_progress": ("执行记录", "progress"),
    "report_new_problem": ("发现新问题", "new problem found"),
    "finish_execution": ("执行完成", "execution finished"),
    "record_visit": ("客户回访", "return visit"),
    "reopen": ("重新打开", "reopened"),
    "escalate": ("升级", "escalated"),
    "assign": ("转派", "assigned"),
    "change_priority": ("调整优先级", "priority changed"),
    "add_note": ("备注", "note"),
    "record_contact": ("联系客户", "contact"),
    "set_substatus": ("子状态", "sub-status"),
    "add_tags": ("添加标签", "tags added"),
    "remove_tags": ("移除标签", "tags removed"),
    "attach": ("添加附件", "file attached"),
    "detach": ("移除附件", "file detached"),
    "set_location": ("服务地点", "location set"),
    "change_sla_policy": ("SLA 策略", "SLA policy"),
    "set_attributes": ("自定义字段", "attributes set"),
    "suggest_improvement": ("优化建议", "improvement suggested"),
    "cancel": ("取消", "cancelled"),
    "record_sla_warning": ("SLA预警", "SLA warning"),
    "record_sla_breach": ("SLA超时", "SLA breached"),
}

_METRIC_LABELS = SLA_METRIC_LABELS

_DETAIL_FIELDS = (
    "description",
    "note",
    "answer",
    "finding",
    "root_cause",
    "summary",
    "words",
    "change_request",
    "appointment_at",
    "engineer",
    "result",
    "resolved",
    "score",
    "comment",
    "sla_policy",
    "reason",
    "level",
    "to",
    "assignee",
    "priority",
    "text",
    "channel",
    "metric",
    "substatus",
    "tags",
    "attachment",
    "sha256",
    "location",
    "attributes",
    "cleared",
)


def _minute(ticket_zone: str, moment: object) -> str:
    return moment.in_timezone(ticket_zone).format("YYYY-MM-DD HH:mm")  # type: ignore[attr-defined,no-any-return]


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - columns)


def _value_text(value: object, lang: str) -> str:
    if isinstance(value, AttributeValues):
        shown = AttributeDefinitions().shown(value)
        return default_masking().text(", ".join(f"{s.name}: {s.shown_en}" for s in shown))
    if isinstance(value, AttachmentRef):
        return default_masking().text(f"{value.name} ({value.media_type}, {value.size} B)")
    if isinstance(value, Location):
        masked = value.masked()
        return " ".join(part for part in (masked.region, masked.address) if part)
    if isinstance(value, tuple):
        return ", ".join(_value_text(item, lang) for item in value)
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    label = getattr(value, "label", None)
    if callable(label):
        return str(label(lang))
    if hasattr(value, "in_timezone"):
        return _minute("Asia/Shanghai", value)
    return str(value)


def _event_line(event: TicketEvent, lang: str, zone: str) -> str:
    zh, en = _COMMAND_LABELS[event.command]
    names = {field.name for field in attrs.fields(type(event))}
    if event.command == "open_ticket":
        details = []
    else:
        details = [
            f"{name}={_value_text(getattr(event, name), lang)}"
            for name in _DETAIL_FIELDS
            if name in names and getattr(event, name) not in (None, "", ())
        ]
    steps = getattr(event, "steps", ())
    details += [f"step: {s.action} / {s.executor} / {_minute(zone, s.deadline)}" for s in steps]
    label = zh if lang == "zh" else en
    line = f"  {_minute(zone, event.at)}  {_pad(event.by, 14)}{_pad(label, 26)}" + "; ".join(
        details
    )
    return line.rstrip()


def render_sla(report: SlaReport, *, lang: str = "zh") -> list[str]:
    """One line per SLA clock cycle: state, used / target, due time (in the clock's zone).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> report = SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at)
        >>> render_sla(report, lang="en")[0]
        '  SLA first response            met       0h05m / 0h30m  due 2024-05-10 15:15'
    """
    lines = []
    for result in report.results:
        metric = _METRIC_LABELS.get(result.metric, (result.metric, result.metric))
        name = metric[0] if lang == "zh" else metric[1]
        cycle = f" #{result.cycle + 1}" if result.cycle else ""
        due = result.due_at.in_timezone(result.calendar.tz).format("YYYY-MM-DD HH:mm")
        used = f"{_hm(result.elapsed)} / {_hm(result.budget)}"
        lines.append(
            f"  SLA {_pad(name + cycle, 26)}{_pad(result.state.label(lang), 10)}{used}  due {due}"
        )
    return lines


def _hm(value: timedelta) -> str:
    total = int(value.total_seconds()) // 60
    return f"{total // 60}h{total % 60:02d}m"


def render_ticket(
    ticket: Ticket,
    *,
    lang: str = "zh",
    zone: str = "Asia/Shanghai",
    attribute_definitions: AttributeDefinitions | None = None,
) -> str:
    """The follow-up record of ``ticket`` and its history, as plain text (contacts masked).

    The custom attributes are labelled by ``attribute_definitions`` (the
    store's), or by their names without it.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> print(render_ticket(sample_ticket(), lang="en").splitlines()[0])
        T202405001  XX科技有限公司  phone  product_quality  urgent  closed (closed)
    """
    status = f"{ticket.status.label(lang)} ({ticket.close_status.label(lang)})"
    if lang == "en":
        head = (
            f"{ticket.id}  {ticket.customer_name}  {ticket.channel.code}  "
            f"{ticket.category.code}  {ticket.priority_level or ticket.priority.value}  {status}"
        )
    else:
        head = (
            f"{ticket.id}  {ticket.customer_name}  {ticket.channel.label_zh}  "
            f"{ticket.category.label_zh}  {ticket.priority_label('zh')}  {status}"
        )
    lines = [head]
    if ticket.contact is not None:
        masked = ticket.contact.masked()
        lines.append(f"  contact: {masked.name} {masked.phone or ''} {masked.email or ''}".rstrip())
    if ticket.purchase is not None:
        purchase = ticket.purchase
        lines.append(
            f"  product: {purchase.product.model} ({purchase.purchased_on.isoformat()}), "
            f"in warranty: {purchase.in_warranty(ticket.received_at)}"
        )
    lines.append(f"  occurred: {_minute(zone, ticket.occurred_at)}  problem: {ticket.description}")
    if ticket.tags:
        lines.append(f"  tags: {', '.join(sorted(ticket.tags))}")
    if ticket.location is not None:
        lines.append(f"  location: {_value_text(ticket.location, lang)}")
    if ticket.attributes:
        declared = attribute_definitions or AttributeDefinitions()
        shown = [
            f"{s.label_zh if lang == 'zh' else s.label_en}={s.shown_zh if lang == 'zh' else s.shown_en}"
            for s in declared.shown(ticket.attributes)
        ]
        lines.append(default_masking().text(f"  attributes: {'; '.join(shown)}"))
    lines += [_event_line(event, lang, zone) for event in ticket.history]
    return "\n".join(lines)
