"""Webhooks: a ready subscription handler that POSTs each event as signed JSON.

* :class:`WebhookEndpoint`: a receiver's URL, signing secret, event filter,
  headers and timeout;
* :class:`WebhookSender`: the handler a subscription calls with
  ``(position, event)``; it POSTs the event's masked view to each endpoint
  whose filter takes it, retries quickly with backoff (:class:`WebhookRetry`),
  and raises :class:`WebhookDeliveryError` so that the subscription retries
  later or parks the event;
* :func:`verify_signature` (and :func:`sign`): how a receiver checks the
  ``X-Aftersales-Signature`` header.

``docs/webhooks.md`` describes the body, the headers and a receiver. Sending
needs the ``webhooks`` extra (``httpx``), imported only when a sender is
built; verifying needs nothing more than the library.

Example:
    >>> from aftersales.webhooks import sign, verify_signature
    >>> signature = sign("0123456789abcdef", 1700000000, b"{}")
    >>> verify_signature("0123456789abcdef", "1700000000", b"{}", signature, now=1700000000)
    True
"""

from aftersales.errors import WebhookDeliveryError
from aftersales.webhooks.endpoints import RESERVED_HEADERS, WebhookEndpoint
from aftersales.webhooks.payload import delivery_body, delivery_id
from aftersales.webhooks.retries import WebhookRetry
from aftersales.webhooks.sender import USER_AGENT, WebhookSender
from aftersales.webhooks.signing import (
    DELIVERY_HEADER,
    MIN_SECRET_BYTES,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
    verify_signature,
)

__all__ = [
    "DELIVERY_HEADER",
    "MIN_SECRET_BYTES",
    "RESERVED_HEADERS",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "USER_AGENT",
    "WebhookDeliveryError",
    "WebhookEndpoint",
    "WebhookRetry",
    "WebhookSender",
    "delivery_body",
    "delivery_id",
    "sign",
    "verify_signature",
]
