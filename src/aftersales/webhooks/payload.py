"""The body of a webhook: the event's masked public view, as canonical JSON.

Imports the domain only. The body is one JSON object with four keys,

* ``id``: the delivery id, ``"<ticket id>:<seq>"`` — the same on every retry
  and for the same event read from any store (a copy, a migration), so a
  receiver that already took it can answer 2xx and do nothing;
* ``position``: the event's position in the store's feed;
* ``type``: the event's type tag (``"ticket_opened"``, ``"sla_breached"`` …);
* ``event``: :func:`aftersales.views.event_view` of the event — the contact in
  it masked, never the stored form —

written with sorted keys, no spaces, UTF-8, non-ASCII characters as they are
(``ensure_ascii=False``). The signature covers these exact bytes: a receiver
checks it on the raw body, before parsing.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> opened = sample_ticket("T1").history[0]
    >>> body = delivery_body(7, opened)
    >>> body.decode("utf-8").startswith('{"event":{"at":"2024-05-10T06:45:00+00:00","attributes":{},"by":"李')
    True
    >>> import json
    >>> data = json.loads(body)
    >>> data["id"], data["position"], data["type"], data["event"]["contact"]["phone"]
    ('T1:1', 7, 'ticket_opened', '138****5678')
"""

from __future__ import annotations

import json
from typing import Final

from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.model.events import TicketEvent
from aftersales.views import event_view

__all__ = ["MAX_POSITION", "delivery_body", "delivery_id"]

#: The largest feed position (a signed 64-bit integer, as the stores keep it).
MAX_POSITION: Final = 2**63 - 1


def delivery_id(event: TicketEvent) -> str:
    """The id of a delivery of ``event``: ``"<ticket id>:<seq>"``, unique and store-agnostic.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> delivery_id(sample_ticket("T-9").history[2])
        'T-9:3'
    """
    return f"{event.ticket_id}:{event.seq}"


def delivery_body(position: int, event: TicketEvent) -> bytes:
    """The webhook body for ``event`` at feed ``position``: canonical UTF-8 JSON, contacts masked.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> delivery_body(0, sample_ticket().history[0])
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: position: 0 is out of range; accepted: an integer from 1 to 9223372036854775807
    """
    accepted = f"accepted: an integer from 1 to {MAX_POSITION}"
    if not isinstance(position, int) or isinstance(position, bool):
        message = f"{shown(position)} is not an integer; {accepted}"
        raise InvalidData(f"position: {message}", problems=[("position", message)])
    if not 1 <= position <= MAX_POSITION:
        message = f"{position} is out of range; {accepted}"
        raise InvalidData(f"position: {message}", problems=[("position", message)])
    view = event_view(event)
    document = {"id": delivery_id(event), "position": position, "type": event.type, "event": view}
    text = json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return text.encode("utf-8")
