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

from aftersales.model.attachments import AttachmentRef
from aftersales.model.attribute_values import AttributeValues
from aftersales.model.customer import Contact
from aftersales.model.location import Location
from aftersales.model.product import Purchase
from aftersales.model.stored_form import OMITTED_WHEN_NONE, omitted_fields, omitted_when_none
from aftersales.vocab import Channel, Demand, Priority, ProblemCategory, TicketStatus, TicketType

__all__ = [
    "OMITTED_WHEN_NONE",
    "TicketDraft",
    "TicketFields",
    "omitted_fields",
    "omitted_when_none",
    "sorted_set_repr",
]


def sorted_set_repr(values: frozenset[str]) -> str:
    """A set's repr with its items sorted, so that equal sets always read the same.

    A ``frozenset`` lists its items in an order that depends on how it was
    built; a ticket's tags read back from its snapshot and the same tags
    replayed from its events are equal sets, and must show alike.

    Example:
        >>> sorted_set_repr(frozenset({"vip 返修", "σίσυφοσ"})), sorted_set_repr(frozenset())
        ("frozenset({'vip 返修', 'σίσυφοσ'})", 'frozenset()')
    """
    if not values:
        return "frozenset()"
    return "frozenset({" + ", ".join(repr(value) for value in sorted(values)) + "})"


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
    #: What the ticket waits on inside its status (a sub-status code such as
    #: ``"waiting_parts"``), or ``None``; set by ``set_substatus``, cleared by any
    #: change of status.
    substatus: str | None = attrs.field(
        default=None, kw_only=True, metadata={OMITTED_WHEN_NONE: True}
    )
    customer_id: str
    customer_name: str
    contact: Contact | None
    purchase: Purchase | None
    channel: Channel
    category: ProblemCategory
    #: The kind of request recorded at intake (投诉, 报修 …; a
    #: :class:`~aftersales.vocab.TicketType`), or ``None`` when it was not
    #: recorded (every ticket stored before types existed).
    ticket_type: TicketType | None = attrs.field(
        default=None, kw_only=True, metadata={OMITTED_WHEN_NONE: True}
    )
    demands: tuple[Demand, ...]
    priority: Priority
    #: The level of the company's priority scale (``"high"``), or ``None`` on the
    #: seeds' three levels and for every ticket stored before levels existed;
    #: :attr:`priority` is the seed it reports as.
    priority_level: str | None = attrs.field(
        default=None, kw_only=True, metadata={OMITTED_WHEN_NONE: True}
    )
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
    #: The ticket's tags (标签) in their normal form (see :mod:`aftersales.model.tags`),
    #: set by ``add_tags`` and ``remove_tags``; empty for every ticket stored before tags.
    tags: frozenset[str] = attrs.field(
        factory=frozenset, kw_only=True, metadata={OMITTED_WHEN_NONE: True}, repr=sorted_set_repr
    )
    #: References to the files attached (``attach``, ``detach``), oldest first.
    attachments: tuple[AttachmentRef, ...] = attrs.field(
        factory=tuple, kw_only=True, metadata={OMITTED_WHEN_NONE: True}
    )
    #: Where service is given on site (at intake or by ``set_location``), or ``None``.
    location: Location | None = attrs.field(
        default=None, kw_only=True, metadata={OMITTED_WHEN_NONE: True}
    )
    #: The company's own fields (custom attributes) by name, as ``open_ticket`` and
    #: ``set_attributes`` set them (see :mod:`aftersales.model.attributes`); empty
    #: (and left out of the stored form) for every ticket without any.
    attributes: AttributeValues = attrs.field(
        factory=AttributeValues, kw_only=True, metadata={OMITTED_WHEN_NONE: True}
    )


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
