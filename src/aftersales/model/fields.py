"""The ticket's fields, declared once: the base of the frozen ticket and of its fold's draft.

:class:`TicketFields` lists the follow-up record of DOMAIN §1 as it stands
after some events. :class:`~aftersales.model.ticket.Ticket` is its frozen
subclass (with the history); :class:`TicketDraft` is its mutable subclass, the
copy a ticket is folded into, which each event's ``fold`` changes. Events
depend on this module and the ticket on the events, so the model has no import
cycle. Imports: the model's values and the vocabulary only.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> isinstance(sample_ticket(), TicketFields)
    True
    >>> draft = TicketDraft()
    >>> draft.escalation_level = 2
    >>> draft.escalation_level
    2
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from aftersales.model.customer import Contact
from aftersales.model.product import Purchase
from aftersales.vocab import Channel, Demand, Priority, ProblemCategory, TicketStatus

__all__ = ["TicketDraft", "TicketFields"]


@attrs.define(slots=True, init=False, eq=False, repr=False)
class TicketFields:
    """The fields of a ticket (DOMAIN §1), in their stored order; no behaviour of its own.

    Example:
        >>> [field.name for field in attrs.fields(TicketFields)][:3]
        ['id', 'version', 'status']
    """

    id: str
    version: int
    status: TicketStatus
    customer_id: str
    customer_name: str
    contact: Contact | None
    purchase: Purchase | None
    channel: Channel
    category: ProblemCategory
    demands: tuple[Demand, ...]
    priority: Priority
    description: str
    impact: str
    customer_words: str
    occurred_at: pendulum.DateTime
    received_at: pendulum.DateTime
    handler: str | None
    assignee: str | None
    escalation_level: int
    first_response_at: pendulum.DateTime | None
    first_resolved_at: pendulum.DateTime | None
    resolved_at: pendulum.DateTime | None
    closed_at: pendulum.DateTime | None
    cancelled_at: pendulum.DateTime | None
    reopen_count: int
    resolved_on_first_contact: bool
    updated_at: pendulum.DateTime


class TicketDraft(TicketFields):
    """A ticket being folded: mutable, private to the ticket and its events.

    ``history`` holds the events folded so far and ``statuses`` the status
    after each of them.

    Example:
        >>> import pendulum
        >>> from aftersales.model.events import Assigned
        >>> draft = TicketDraft()
        >>> Assigned(ticket_id="T1", seq=2, by="李工", assignee="赵工",
        ...          at=pendulum.datetime(2024, 5, 10, tz="UTC")).fold(draft)
        >>> draft.assignee
        '赵工'
    """

    __slots__ = ("history", "statuses")

    history: list[Any]
    statuses: list[TicketStatus]
