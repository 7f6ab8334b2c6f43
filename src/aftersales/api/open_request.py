"""The JSON body of ``POST /tickets``: the arguments of ``ServiceDesk.open_ticket``.

:class:`OpenTicketRequest` declares them once; its JSON Schema
(:func:`open_request_schema`) is generated from that declaration by the
library's :class:`~aftersales.schemas.SchemaBuilder`, and a body is read with
the library's strict converter (:func:`aftersales.serialization.structure`):
unknown keys, wrong types and naive instants are refused with an
:class:`~aftersales.errors.InvalidData` listing every path. Channel, category
and demands are codes (or labels, aliases) looked up in the store's vocabulary
by ``open_ticket``. Imports: the domain and the service desk.

Example:
    >>> request = read_open_request({
    ...     "customer": {"id": "C1", "name": "XX科技"}, "channel": "phone",
    ...     "category": "product_quality", "description": "开机死机",
    ...     "occurred_at": "2024-05-10T14:30:00+08:00"})
    >>> request.customer.name, request.occurred_at.isoformat()
    ('XX科技', '2024-05-10T06:30:00+00:00')
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from aftersales.model.attribute_values import AttributeValues
from aftersales.model.customer import Contact, Customer
from aftersales.model.location import Location
from aftersales.model.product import Purchase
from aftersales.model.ticket import Ticket
from aftersales.priority import IntakeFacts
from aftersales.schemas import SchemaBuilder
from aftersales.serialization import structure
from aftersales.service.desk import ServiceDesk
from aftersales.views.shapes import value_shape

__all__ = ["OpenTicketRequest", "open_request_schema", "open_ticket", "read_open_request"]


@attrs.frozen(slots=True, kw_only=True)
class OpenTicketRequest:
    """What a front end sends to open a ticket (受理登记); see ``ServiceDesk.open_ticket``.

    ``contact`` defaults to the customer's first contact, ``handler`` to the
    caller; ``priority`` is a level of the desk's priority scale (code or
    label) or a seed priority; without it the desk's priority rules decide
    from ``facts`` (or its policy's default priority); without ``ticket_id``
    the desk makes one. ``ticket_type`` (投诉, 报修 …: a code, label or
    alias) is recorded when given; ``location`` is where service is given on
    site; ``attributes`` are values of the custom attributes the desk's store
    declares (checked against the declarations, as ``set_attributes`` is).

    Example:
        >>> OpenTicketRequest(customer=Customer(id="C1", name="X"), channel="phone",
        ...     category="product_quality", description="d",
        ...     occurred_at=pendulum.datetime(2024, 5, 10, tz="UTC")).priority is None
        True
    """

    customer: Customer
    channel: str
    category: str
    description: str
    occurred_at: pendulum.DateTime
    priority: str | None = None
    facts: IntakeFacts | None = None
    contact: Contact | None = None
    purchase: Purchase | None = None
    demands: tuple[str, ...] = ()
    impact: str = ""
    customer_words: str = ""
    handler: str | None = None
    ticket_id: str | None = None
    ticket_type: str | None = None
    location: Location | None = None
    attributes: AttributeValues = attrs.field(factory=AttributeValues)


def open_request_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an :class:`OpenTicketRequest` body.

    Example:
        >>> schema = open_request_schema()
        >>> schema["required"], schema["$id"]
        (['customer', 'channel', 'category', 'description', 'occurred_at'], 'urn:aftersales:schema:v1:api/OpenTicketRequest')
    """
    builder = SchemaBuilder()
    fields = attrs.fields(OpenTicketRequest)
    body = builder.object(
        value_shape(OpenTicketRequest, masked=False),
        required=[f.name for f in fields if f.default is attrs.NOTHING],
        title="open_ticket request",
        description=(OpenTicketRequest.__doc__ or "").strip().splitlines()[0],
    )
    return builder.finished("api/OpenTicketRequest", body)


def read_open_request(body: object) -> OpenTicketRequest:
    """``body`` (parsed JSON) as an :class:`OpenTicketRequest`; ``InvalidData`` listing every path.

    Example:
        >>> read_open_request({"customer": {"id": "C1", "name": "X"}, "chanel": "phone"})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: 5 invalid values:
        ...
    """
    request: OpenTicketRequest = structure(OpenTicketRequest, body)
    return request


def open_ticket(desk: ServiceDesk, request: OpenTicketRequest, *, by: str) -> Ticket:
    """Open the ticket ``request`` describes on ``desk``, registered by ``by``.

    Example:
        >>> request = read_open_request({
        ...     "customer": {"id": "C1", "name": "XX科技"}, "channel": "phone",
        ...     "category": "product_quality", "description": "开机死机",
        ...     "occurred_at": "2024-05-10T14:30:00+08:00", "ticket_id": "T1"})
        >>> open_ticket(ServiceDesk(), request, by="李工").status.value
        'received'
    """
    arguments = {
        field.name: getattr(request, field.name) for field in attrs.fields(OpenTicketRequest)
    }
    return desk.open_ticket(**arguments, by=by)
