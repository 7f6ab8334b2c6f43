"""Public JSON views of a ticket and its events: JSON-ready, contacts masked by default.

``ticket_view(ticket)`` is the ticket's fields (the names of the stored form,
see :data:`~aftersales.views.shapes.TICKET_VIEW`) without its history, plus
``close_status``, ``allowed_commands``, ``contact_masked``, the labels of
the sub-status (``substatus_label_zh``, ``substatus_label_en``: the declared
labels with ``substatuses=``, the code otherwise) and of the priority
(``priority_label_zh``, ``priority_label_en``: the level's, on the scale given
as ``priority_scale=``, when the ticket has a level; the seed priority's otherwise);
``event_view(event)`` is the event's stored form without ``schema_version``;
``history_view(ticket)`` is the list of its event views, oldest first. Values
are plain JSON (str, int, float, bool, None, list, dict): instants as ISO 8601
in UTC, vocabulary as codes.

The contact's phone and e-mail are masked with the default masking policy (or
the ``masking`` given), and so is every occurrence of them in the ticket's free
texts (a customer's words often hold a phone number, an attachment's file name
too). The street address of the ticket's on-site location is personal data as
well: views show it masked (:func:`~aftersales.model.location.masked_address`),
its region, province, city and district as they are. A view shows the contact
and the address unmasked only with ``reveal=``: a granted
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
from aftersales.model.attributes import AttributeDefinitions, ShownAttribute
from aftersales.model.customer import Contact
from aftersales.model.events import ContactRevealed, TicketEvent
from aftersales.model.location import Location
from aftersales.model.masking import MaskingPolicy, default_masking
from aftersales.model.substatus import SubStatuses
from aftersales.model.ticket import Ticket
from aftersales.priority_levels import PriorityScale
from aftersales.serialization import converter
from aftersales.views.access import AccessDecision
from aftersales.views.shapes import TICKET_VIEW, event_view_shape

__all__ = ["event_view", "history_view", "masked_texts", "ticket_view"]


def ticket_view(
    ticket: Ticket,
    *,
    reveal: AccessDecision | None = None,
    masking: MaskingPolicy | None = None,
    substatuses: SubStatuses | None = None,
    priority_scale: PriorityScale | None = None,
    attribute_definitions: AttributeDefinitions | None = None,
) -> dict[str, Any]:
    """The public JSON view of ``ticket``; contacts masked unless ``reveal`` is a recorded grant.

    ``substatuses`` (the company's declaration, ``policy.substatuses``) gives
    the sub-status its labels; without it, or for a code it does not declare,
    both labels are the code. ``priority_scale`` (``policy.priority_scale``)
    labels a ticket's priority level (see :meth:`Ticket.priority_label
    <aftersales.model.ticket.Ticket.priority_label>`). ``attribute_definitions``
    (the store's, ``store.attribute_definitions()``) labels the custom
    attributes in ``attributes_shown`` (see :meth:`AttributeDefinitions.shown
    <aftersales.model.attributes.AttributeDefinitions.shown>`: a value the
    declarations would not store now is marked ``legacy``); without it each is
    labelled by its name and shown as stored. Raises :class:`~aftersales.errors.AccessDenied`
    when ``reveal`` is refused, is for another ticket, or is not recorded in
    the ticket's history.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> sorted(ticket_view(sample_ticket()))[:2]
        ['allowed_commands', 'assignee']
        >>> from aftersales.model.events import SubstatusSet
        >>> from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES
        >>> ticket = sample_ticket()
        >>> ticket = type(ticket).replay(ticket.history[:4])  # in progress
        >>> ticket = ticket.apply(ticket.new_event(SubstatusSet, by="李工",
        ...                       at=ticket.updated_at, substatus="waiting_parts"))
        >>> view = ticket_view(ticket, substatuses=AFTER_SALES_SUBSTATUSES)
        >>> view["substatus"], view["substatus_label_zh"], ticket_view(ticket)["substatus_label_en"]
        ('waiting_parts', '待备件', 'waiting_parts')
    """
    _checked(ticket)
    if substatuses is not None and not isinstance(substatuses, SubStatuses):
        message = f"{type(substatuses).__name__} is not SubStatuses; accepted: None or SubStatuses"
        raise InvalidData(f"substatuses: {message}", problems=[("substatuses", message)])
    if priority_scale is not None and not isinstance(priority_scale, PriorityScale):
        message = (
            f"{type(priority_scale).__name__} is not a PriorityScale;"
            " accepted: None or a PriorityScale"
        )
        raise InvalidData(f"priority_scale: {message}", problems=[("priority_scale", message)])
    revealed = _revealed(ticket, reveal)
    data = {name: getattr(ticket, name, None) for name in TICKET_VIEW}
    data["allowed_commands"] = ticket.allowed_commands()
    data["contact_masked"] = not revealed
    data["substatus_label_zh"], data["substatus_label_en"] = _substatus_labels(
        ticket.substatus, substatuses
    )
    data["priority_label_zh"] = ticket.priority_label("zh", priority_scale)
    data["priority_label_en"] = ticket.priority_label("en", priority_scale)
    data["attributes_shown"] = _shown_attributes(ticket, attribute_definitions)
    return _masked(ticket, converter.unstructure(data), revealed, masking)


def _shown_attributes(
    ticket: Ticket, declared: AttributeDefinitions | None
) -> tuple[ShownAttribute, ...]:
    """The ticket's attributes as read under ``declared`` (without: by name, as stored)."""
    if declared is None:
        return tuple(
            attrs.evolve(shown, label_zh=shown.name, label_en=shown.name, legacy=False)
            for shown in AttributeDefinitions().shown(ticket.attributes)
        )
    if not isinstance(declared, AttributeDefinitions):
        message = (
            f"{type(declared).__name__} is not AttributeDefinitions;"
            " accepted: None or store.attribute_definitions()"
        )
        raise InvalidData(
            f"attribute_definitions: {message}", problems=[("attribute_definitions", message)]
        )
    return declared.shown(ticket.attributes)


def _substatus_labels(code: str | None, substatuses: SubStatuses | None) -> tuple[Any, Any]:
    """The sub-status's Chinese and English labels: declared ones, or the code itself."""
    if code is None:
        return None, None
    if substatuses is not None and code in substatuses:
        declared = substatuses.get(code)
        return declared.label_zh, declared.label_en
    return code, code


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
    # a field the stored form leaves out while unset is its value in the view: null
    # (``priority_level``), or an empty collection (``attributes``)
    return {
        name: data[name] if name in data else converter.unstructure(getattr(event, name))
        for name in event_view_shape(type(event))
    }


def _masked_event(
    event: TicketEvent, contacts: list[Contact], masking: MaskingPolicy | None
) -> dict[str, Any]:
    policy = masking or default_masking()
    data = _event_data(event)
    for name in event_view_shape(type(event)):
        value = getattr(event, name, None)
        if isinstance(value, Contact):
            data[name] = converter.unstructure(value.masked(policy))
        elif isinstance(value, Location):
            data[name] = converter.unstructure(value.masked())
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
    if ticket.location is not None:
        data["location"] = converter.unstructure(ticket.location.masked())
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
