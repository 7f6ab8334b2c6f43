"""Helpers shared by the tests: a sample intake and one valid call per command."""

from __future__ import annotations

import hashlib
from typing import Any

import pendulum
from hypothesis import settings

from aftersales import (
    Channel,
    Customer,
    Priority,
    ProblemCategory,
    RootCauseCategory,
    ServiceDesk,
    SolutionStep,
    Ticket,
    TicketStatus,
)
from aftersales.model.attachments import AttachmentRef
from aftersales.model.location import Location
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES, SubStatus, SubStatuses

START = pendulum.datetime(2026, 10, 9, 9, 0, tz="Asia/Shanghai")
CUSTOMER = Customer(id="C202405001", name="XX科技有限公司")

#: The after-sales sub-statuses and one under each other open status, so that
#: ``set_substatus`` has a valid call in every status the lifecycle allows it in.
SUBSTATUSES = SubStatuses(
    [
        *AFTER_SALES_SUBSTATUSES,
        SubStatus(
            "waiting_callback",
            "待客户回电",
            "waiting for the customer to call back",
            under=TicketStatus.RECEIVED,
        ),
        SubStatus(
            "waiting_quote_approval",
            "待报价审批",
            "waiting for the quote to be approved",
            under=TicketStatus.AWAITING_CONFIRMATION,
        ),
        SubStatus(
            "waiting_visit_slot",
            "待回访排期",
            "waiting for a return-visit slot",
            under=TicketStatus.AWAITING_VISIT,
        ),
    ]
)


def substatus_for(ticket: Ticket) -> str:
    """A sub-status of :data:`SUBSTATUSES` for ``set_substatus`` on ``ticket``: one of its
    status (not the one it has), or any other where its status has none."""
    here = [s.code for s in SUBSTATUSES.under(ticket.status) if s.code != ticket.substatus]
    return (here or [s.code for s in SUBSTATUSES if s.code != ticket.substatus])[0]


def open_sample(desk: ServiceDesk, ticket_id: str = "T1", **overrides: object):
    """Open a realistic ticket on ``desk`` (fields overridable)."""
    fields: dict[str, object] = {
        "customer": CUSTOMER,
        "channel": Channel.PHONE,
        "category": ProblemCategory.PRODUCT_QUALITY,
        "description": "开机后黑屏,指示灯不亮",
        "occurred_at": desk.clock.now().subtract(minutes=15),
        "by": "李工",
        "ticket_id": ticket_id,
    }
    fields.update(overrides)
    return desk.open_ticket(**fields)  # type: ignore[arg-type]


def command_kwargs(command: str, ticket: Ticket, *, visit_closes: bool = True) -> dict[str, Any]:
    """Valid keyword arguments for ``command`` on ``ticket`` (apart from ``by``)."""
    soon = ticket.updated_at.add(hours=4)
    sla_notice = {
        "metric": "resolution",
        "cycle": 0,
        "level": 1,
        "crossed_at": ticket.updated_at,
        "due_at": soon,
    }
    other_priority: Priority | str = (
        Priority.GENERAL if ticket.priority is not Priority.GENERAL else Priority.URGENT
    )
    if ticket.priority_level is not None:  # a four-level ticket moves to another level
        other_priority = "low" if ticket.priority_level != "low" else "high"
    return {
        "acknowledge": {"note": "已电话联系客户"},
        "resolve_on_first_contact": {"answer": "指导客户长按电源键 10 秒重置"},
        "record_analysis": {
            "finding": "电源模块老化",
            "root_cause": RootCauseCategory.HARDWARE_FAULT,
            "resolution_deadline": soon,
        },
        "propose_solution": {
            "summary": "上门更换电源模块",
            "steps": [SolutionStep("更换电源模块", "王工程师", soon)],
        },
        "record_agreement": {"words": "同意"},
        "record_dispute": {"words": "不同意,要求换新机", "change_request": "换新机"},
        "book_onsite_visit": {"appointment_at": soon, "engineer": "王工程师"},
        "record_progress": {"result": "已到场", "onsite": True},
        "report_new_problem": {"description": "主板也有烧痕"},
        "finish_execution": {"summary": "已更换"},
        "record_visit": {
            "resolved": visit_closes,
            "score": 5 if visit_closes else 2,
            "comment": "满意" if visit_closes else "还是会黑屏",
            "dimensions": {"服务态度": 5, "解决效果": 5 if visit_closes else 2},
        },
        "reopen": {"reason": "问题复现"},
        "escalate": {
            "reason": "客户要求主管介入",
            "to": "二线专家",
            "level": ticket.escalation_level + 1,
        },
        "assign": {"assignee": "赵工", "reason": "二线值班"},
        "change_priority": {"priority": other_priority, "reason": "影响扩大"},
        "add_note": {"text": "客户只在上午有空"},
        "record_contact": {"channel": Channel.WECHAT, "summary": "告知预计明天修复"},
        "suggest_improvement": {"text": "电源模块改用新供应商"},
        "cancel": {"reason": "客户撤回"},
        "record_sla_warning": sla_notice,
        "record_sla_breach": {**sla_notice, "level": 3},
        "reveal_contact": {"purpose": "投诉处理", "grounds": "值班经理"},
        "set_substatus": {"substatus": substatus_for(ticket), "reason": "等备件到货"},
        "change_sla_policy": {"sla_policy": "default", "reason": "客户升级为 VIP"},
        # a serial number the ticket does not hold yet (its store declares SAMPLE_ATTRIBUTES)
        "set_attributes": {"attributes": {"serial_number": f"SN-{ticket.version:04d}"}},
        **detail_kwargs(ticket),
    }[command]


def detail_kwargs(ticket: Ticket) -> dict[str, dict[str, Any]]:
    """Valid keyword arguments of the commands on ``ticket``'s details (``remove_tags`` and
    ``detach`` are valid when the ticket has a tag and an attachment)."""
    number = ticket.version + 1  # the attaching event's: never a file attached before
    attachment = AttachmentRef(
        uri=f"s3://after-sales/{ticket.id}/现场照片-{number}.jpg",
        name=f"现场照片-{number}.jpg",
        media_type="image/jpeg",
        size=482_113,
        sha256=hashlib.sha256(f"{ticket.id}/{number}".encode()).hexdigest(),
        attached_by="王工",
        attached_at=ticket.updated_at,
    )
    here = Location("天河路385号太古汇1座1203室", "广州市天河区", province="广东省")
    there = Location("长江路18号", "南京市玄武区", province="江苏省")
    return {
        "add_tags": {"tags": [f"回访{len(ticket.tags) + 1}", "VIP"]},
        "remove_tags": {"tags": sorted(ticket.tags)[:1] or ["vip"]},
        "attach": {"attachment": attachment},
        "detach": {
            "sha256": ticket.attachments[0].sha256 if ticket.attachments else "0" * 64,
            "reason": "传错了文件",
        },
        "set_location": {"location": there if ticket.location == here else here, "reason": "上门"},
    }


def payload_of(command: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """A command's arguments as drawn by ``command_arguments`` (its event's fields) in the
    form its payload takes: ``set_attributes`` clears with ``None`` what the event lists."""
    if command != "set_attributes":
        return arguments
    cleared = dict.fromkeys(arguments["cleared"])
    return {"attributes": {**arguments["attributes"], **cleared}}


def run_command(
    desk: ServiceDesk, ticket_id: str, command: str, *, visit_closes: bool = True, **extra: Any
) -> Ticket:
    """Call the desk's method for ``command`` with valid arguments."""
    ticket = desk.get(ticket_id)
    kwargs = command_kwargs(command, ticket, visit_closes=visit_closes)
    kwargs.update(extra)
    return getattr(desk, command)(ticket_id, by="李工", **kwargs)  # type: ignore[no-any-return]


#: One path into each status, written from the lifecycle table of DESIGN.md.
PATHS: dict[TicketStatus, list[str]] = {
    TicketStatus.RECEIVED: [],
    TicketStatus.ANALYSING: ["acknowledge"],
    TicketStatus.AWAITING_CONFIRMATION: ["acknowledge", "propose_solution"],
    TicketStatus.IN_PROGRESS: ["acknowledge", "propose_solution", "record_agreement"],
    TicketStatus.AWAITING_VISIT: [
        "acknowledge",
        "propose_solution",
        "record_agreement",
        "finish_execution",
    ],
    TicketStatus.CLOSED: [
        "acknowledge",
        "propose_solution",
        "record_agreement",
        "finish_execution",
        "record_visit",
    ],
    TicketStatus.CANCELLED: ["cancel"],
}


def ticket_in(desk: ServiceDesk, status: TicketStatus, ticket_id: str = "T1") -> Ticket:
    """Open a ticket and walk it into ``status``."""
    ticket = open_sample(desk, ticket_id)
    for command in PATHS[status]:
        ticket = run_command(desk, ticket_id, command)
    assert ticket.status is status
    return ticket


def examples(share: float) -> int:
    """``share`` of the loaded profile's examples per property, at least 10.

    For properties whose every example builds whole stores or long histories:
    they draw fewer than the others under every profile, and more under
    ``HYPOTHESIS_PROFILE=thorough``.
    """
    return max(10, round(settings().max_examples * share))
