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

from typing import Any, Final

import attrs
import pendulum

from aftersales.model.customer import Contact
from aftersales.model.product import Purchase
from aftersales.vocab import Channel, Demand, Priority, ProblemCategory, TicketStatus

__all__ = [
    "OMITTED_WHEN_NONE",
    "TicketDraft",
    "TicketFields",
    "omitted_fields",
    "omitted_when_none",
]

#: Field metadata: the stored form leaves the field out while it holds ``None``, and
#: writes it after the other fields when set. A field added after values were stored
#: carries it (``attrs.field(default=None, kw_only=True, metadata={OMITTED_WHEN_NONE: True})``),
#: so that a value not using the field is written, and read back, exactly as before:
#: a ticket of a three-level store has no ``priority_level``, and its events and
#: snapshot are the text they always were.
OMITTED_WHEN_NONE: Final = "aftersales.omitted_when_none"


def omitted_when_none() -> Any:
    """An optional keyword field (default ``None``) that the stored form leaves out while ``None``.

    For a class whose fields are all keyword-only (the events); in another
    class declare ``attrs.field(default=None, kw_only=True,
    metadata={OMITTED_WHEN_NONE: True})`` itself, since mypy's attrs plugin
    does not see through this function.

    Example:
        >>> @attrs.frozen(kw_only=True)
        ... class Sample:
        ...     code: str | None = omitted_when_none()
        >>> Sample().code, omitted_fields(Sample)
        (None, frozenset({'code'}))
    """
    return attrs.field(default=None, kw_only=True, metadata={OMITTED_WHEN_NONE: True})


def omitted_fields(cls: type) -> frozenset[str]:
    """The fields of the attrs class ``cls`` whose metadata holds :data:`OMITTED_WHEN_NONE`.

    Example:
        >>> "priority_level" in omitted_fields(TicketFields)
        True
    """
    return frozenset(
        field.name for field in attrs.fields(cls) if field.metadata.get(OMITTED_WHEN_NONE)
    )


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
