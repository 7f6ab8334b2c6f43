"""The lines of a report: a ticket received, a low-score visit, an improvement action.

Each is a small immutable value the report builders fill from tickets and
improvement actions, and the renderers show as one table row.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> line = TicketLine.of(sample_ticket())
    >>> line.ticket_id, line.priority
    ('T202405001', 'urgent')
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import pendulum

from aftersales._renamed import renamed_keywords
from aftersales.improvement.actions import ImprovementAction, lagging
from aftersales.model.ticket import Ticket
from aftersales.time import ensure_aware

__all__ = ["ActionItem", "FeedbackLine", "TicketLine"]


@attrs.frozen(slots=True)
class TicketLine:
    """One ticket as a line of the daily report.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> TicketLine.of(sample_ticket()).category
        'product_quality'
    """

    ticket_id: str
    customer_name: str
    channel: str
    category: str
    priority: str
    status: str
    description: str
    received_at: pendulum.DateTime

    @classmethod
    def of(cls, ticket: Ticket) -> TicketLine:
        """The line of ``ticket``."""
        return cls(
            ticket.id,
            ticket.customer_name,
            ticket.channel.code,
            ticket.category.code,
            ticket.priority.value,
            ticket.status.value,
            ticket.description,
            ticket.received_at,
        )


@attrs.frozen(slots=True)
class FeedbackLine:
    """A return visit scored under its threshold, with the customer's words.

    Example:
        >>> import pendulum
        >>> FeedbackLine("T1", "XX", "product_quality", 2, "太慢", pendulum.datetime(2026, 10, 3, tz="UTC")).score
        2
    """

    ticket_id: str
    customer_name: str
    category: str
    score: int
    comment: str
    at: pendulum.DateTime


@attrs.frozen(slots=True)
class ActionItem:
    """An open improvement action shown in the monthly report's plan section.

    The improvement-tracking module fills these; the report only shows them.

    Example:
        >>> from datetime import date
        >>> ActionItem("同批次内存模块增加老化测试", "质量部", date(2026, 11, 15)).status
        'open'
    """

    title: str
    owner: str
    due: Any
    status: str = "open"

    @classmethod
    @renamed_keywords(now="at")
    def from_action(
        cls, action: ImprovementAction, *, at: datetime, lang: str = "zh"
    ) -> ActionItem:
        """The report line of an improvement action: due date local to its zone, status
        label, and the reasons it lags behind at ``at`` when it does.

        Example:
            >>> import pendulum
            >>> from aftersales.improvement import ImprovementAction
            >>> at = pendulum.datetime(2026, 11, 2, 9, tz="Asia/Shanghai")
            >>> action = ImprovementAction.plan(
            ...     id="A1", problem="频繁死机", cause_id="RC-1", category="product_quality",
            ...     type="long_term_prevention", title="内存模块增加老化测试", owner="质量部",
            ...     acceptance="同批次返修率 < 1%", at=at, by="李工", due_at=at.add(days=14))
            >>> ActionItem.from_action(action, at=at.add(days=20))
            ActionItem(title='内存模块增加老化测试', owner='质量部', due='2026-11-16', status='计划中 · 已逾期 / 本周无进展')
        """
        at = ensure_aware(at, "at")
        status = action.status.label(lang)
        behind = [row for row in lagging([action], at) if row.action.id == action.id]
        if behind:
            reasons = " / ".join(reason.label(lang) for reason in behind[0].reasons)
            status = f"{status} · {reasons}"
        due = action.due_at.in_timezone(action.created_at.tzinfo).date().isoformat()  # type: ignore[arg-type]
        return cls(action.title, action.owner, due, status)
