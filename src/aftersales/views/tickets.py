"""Public JSON views of a ticket and its events: JSON-ready, contacts masked by default.

``ticket_view(ticket)`` is the ticket's fields (the names of the stored form,
see :data:`~aftersales.views.shapes.TICKET_VIEW`) without its history, plus
``close_status``, ``allowed_commands`` and ``contact_masked``;
``event_view(event)`` is the event's stored form without ``schema_version``;
``history_view(ticket)`` is the list of its event views, oldest first. Values
are plain JSON (str, int, float, bool, None, list, dict): instants as ISO 8601
in UTC, vocabulary as codes.

The contact's phone and e-mail are masked with the default masking policy (or
the ``masking`` given), and so is every occurrence of them in the ticket's free
texts (a customer's words often hold a phone number). A view shows the contact
unmasked only with ``reveal=``: a granted
:class:`~aftersales.views.access.AccessDecision` for this ticket that the
ticket's history records (``ServiceDesk.reveal_contact`` does both), so every
unmasked view can be traced to an audit entry. Imports: the domain only.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> view = ticket_view(sample_ticket())
    >>> view["contact"]["phone"], view["status"], view["contact_masked"]
    ('138****5678', 'closed', True)
    >>> history_view(sample_ticket())[0]["type"]
    'ticket_opened'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from aftersales.errors import AccessDenied, InvalidData
from aftersales.model.customer import Contact
from aftersales.model.events import ContactRevealed, TicketEvent
from aftersales.model.masking import MaskingPolicy, default_masking
from aftersales.model.ticket import Ticket
from aftersales.serialization import converter
from aftersales.views.access import AccessDecision
from aftersales.views.shapes import TICKET_VIEW, event_view_shape

__all__ = ["event_view", "history_view", "masked_texts", "ticket_view"]


def ticket_view(
    ticket: Ticket,
    *,
    reveal: AccessDecision | None = None,
    masking: MaskingPolicy | None = None,
) -> dict[str, Any]:
    """The public JSON view of ``ticket``; contacts masked unless ``reveal`` is a recorded grant.

    Raises :class:`~aftersales.errors.AccessDenied` when ``reveal`` is refused,
    is for another ticket, or is not recorded in the ticket's history.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> sorted(ticket_view(sample_ticket()))[:4]
        ['allowed_commands', 'assignee', 'cancelled_at', 'category']
    """
    _checked(ticket)
    revealed = _revealed(ticket, reveal)
    data = {name: getattr(ticket, name, None) for name in TICKET_VIEW}
    data["allowed_commands"] = ticket.allowed_commands()
    data["contact_masked"] = not revealed
    return _masked(ticket, converter.unstructure(data), revealed, masking)


def event_view(event: TicketEvent, *, masking: MaskingPolicy | None = None) -> dict[str, Any]:
    """The public JSON view of one event: its stored form, any contact in it masked.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> opened = event_view(sample_ticket().history[0])
        >>> opened["type"], opened["contact"]["phone"]
        ('ticket_opened', '138****5678')
    """
    if not isinstance(event, TicketEvent):
        message = f"{type(event).__name__} is not a TicketEvent; accepted: a ticket event"
        raise InvalidData(f"event: {message}", problems=[("event", message)])
    return _masked_event(event, _contacts([event]), masking)


def history_view(
    ticket: Ticket,
    *,
    reveal: AccessDecision | None = None,
    masking: MaskingPolicy | None = None,
) -> list[dict[str, Any]]:
    """The views of the ticket's events, oldest first; contacts unmasked only with ``reveal``.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> [event["seq"] for event in history_view(sample_ticket())][:3]
        [1, 2, 3]
    """
    _checked(ticket)
    if _revealed(ticket, reveal):
        return [_event_data(event) for event in ticket.history]
    contacts = _contacts(ticket.history)
    return [_masked_event(event, contacts, masking) for event in ticket.history]


def _checked(ticket: object) -> None:
    if not isinstance(ticket, Ticket):
        message = f"{type(ticket).__name__} is not a Ticket; accepted: a ticket"
        raise InvalidData(f"ticket: {message}", problems=[("ticket", message)])


def _revealed(ticket: Ticket, reveal: object) -> bool:
    """True for a granted decision on ``ticket`` that its history records; refused otherwise."""
    if reveal is None:
        return False
    if not isinstance(reveal, AccessDecision):
        message = (
            f"{type(reveal).__name__} is not an AccessDecision;"
            " accepted: None, or the decision ServiceDesk.reveal_contact returned"
        )
        raise InvalidData(f"reveal: {message}", problems=[("reveal", message)])
    why = _refusal(ticket, reveal)
    if why:
        shown = default_masking().text
        raise AccessDenied(
            ticket.id, viewer=shown(reveal.viewer), purpose=shown(reveal.purpose), reason=why
        )
    return True


def _refusal(ticket: Ticket, decision: AccessDecision) -> str:
    if not decision.granted:
        return decision.reason or "the access policy refused"
    if decision.ticket_id != ticket.id:
        return f"the decision is for ticket {decision.ticket_id!r}"
    recorded = any(
        isinstance(event, ContactRevealed)
        and event.by == decision.viewer
        and event.purpose == decision.purpose
        and event.at == decision.at
        for event in ticket.history
    )
    return "" if recorded else "the reveal is not recorded in the ticket's history"


def _contacts(events: Iterable[TicketEvent]) -> list[Contact]:
    return [
        value
        for event in events
        for field in attrs.fields(type(event))
        if isinstance(value := getattr(event, field.name), Contact)
    ]


def _event_data(event: TicketEvent) -> dict[str, Any]:
    data: dict[str, Any] = converter.unstructure(event, unstructure_as=TicketEvent)
    return {name: data[name] for name in event_view_shape(type(event))}


def _masked_event(
    event: TicketEvent, contacts: list[Contact], masking: MaskingPolicy | None
) -> dict[str, Any]:
    policy = masking or default_masking()
    data = _event_data(event)
    for name in event_view_shape(type(event)):
        value = getattr(event, name, None)
        if isinstance(value, Contact):
            data[name] = converter.unstructure(value.masked(policy))
    scrubbed: dict[str, Any] = masked_texts(data, contacts=contacts, masking=policy)
    return scrubbed


def _masked(
    ticket: Ticket, data: dict[str, Any], revealed: bool, masking: MaskingPolicy | None
) -> dict[str, Any]:
    if revealed:
        return data
    policy = masking or default_masking()
    if ticket.contact is not None:
        data["contact"] = converter.unstructure(ticket.contact.masked(policy))
    scrubbed: dict[str, Any] = masked_texts(
        data, contacts=_contacts(ticket.history), masking=policy
    )
    return scrubbed


def masked_texts(
    data: Any, *, contacts: Iterable[Contact] = (), masking: MaskingPolicy | None = None
) -> Any:
    """JSON-shaped ``data`` with every raw phone and e-mail in its texts replaced, masked.

    The ``contacts``' own numbers and addresses, wherever they appear, and any
    other mainland mobile number or e-mail address written into a text (a
    note quoting a second number, an event viewed without its ticket, a
    knowledge article); see :meth:`MaskingPolicy.text`.

    Example:
        >>> masked_texts({"steps": ["联系仓库 13912345678"], "count": 2})
        {'steps': ['联系仓库 139****5678'], 'count': 2}
    """
    policy = masking or default_masking()
    replacements = sorted(
        {
            raw: policy.phone(raw) if kind == "phone" else policy.email(raw)
            for contact in contacts
            for kind, raw in (("phone", contact.phone), ("email", contact.email))
            if raw
        }.items(),
        key=lambda pair: -len(pair[0]),
    )

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            for raw, masked in replacements:
                value = value.replace(raw, masked)
            return policy.text(value)
        if isinstance(value, list):
            return [scrub(item) for item in value]
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        return value

    return scrub(data)
