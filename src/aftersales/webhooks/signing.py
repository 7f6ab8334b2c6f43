"""Webhook signatures: HMAC-SHA256 over a timestamp and the body, and how a receiver checks one.

The sender puts the unix time of the attempt in ``X-Aftersales-Timestamp``
and ``sha256=<hex>`` in ``X-Aftersales-Signature``, where ``<hex>`` is
HMAC-SHA256 keyed with the endpoint's secret over ``f"{timestamp}.".encode()
+ body`` (the convention of Stripe and GitHub). The timestamp is signed, so a
captured request cannot be replayed later with a fresh one; a receiver
refuses a timestamp further than ``tolerance`` seconds from its own clock.
Imports: the standard library and :mod:`aftersales.errors` only (a receiver
can use it without the ``webhooks`` extra).

Example:
    >>> secret = "whsec-0123456789abcdef"
    >>> signature = sign(secret, 1767225600, b'{"id":"T1:1"}')
    >>> signature[:7], len(signature)
    ('sha256=', 71)
    >>> verify_signature(secret, "1767225600", b'{"id":"T1:1"}', signature, now=1767225660)
    True
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from typing import Final

from aftersales._shown import shown
from aftersales.errors import InvalidData

__all__ = [
    "DELIVERY_HEADER",
    "MIN_SECRET_BYTES",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "secret_bytes",
    "sign",
    "verify_signature",
]

#: The header holding ``sha256=<hex digest>``.
SIGNATURE_HEADER: Final = "X-Aftersales-Signature"
#: The header holding the unix time (whole seconds) at which the attempt was signed.
TIMESTAMP_HEADER: Final = "X-Aftersales-Timestamp"
#: The header holding the delivery id (the same on every retry of one event).
DELIVERY_HEADER: Final = "X-Aftersales-Delivery"
#: The shortest secret accepted, in bytes (text counts in UTF-8).
MIN_SECRET_BYTES: Final = 16

_PREFIX: Final = "sha256="
_LONGEST_TIMESTAMP: Final = 12  # digits: unix seconds until the year 33658


def _bad(name: str, message: str) -> InvalidData:
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


def secret_bytes(secret: object, name: str = "secret") -> bytes:
    """``secret`` as bytes (text in UTF-8), at least 16 of them; the refusal never shows it.

    Example:
        >>> secret_bytes("0123456789abcdef")
        b'0123456789abcdef'
        >>> secret_bytes("short")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: secret: a secret of 5 bytes is too short; accepted: bytes or text of at least 16 bytes (UTF-8)
    """
    accepted = f"accepted: bytes or text of at least {MIN_SECRET_BYTES} bytes (UTF-8)"
    if isinstance(secret, str):
        try:
            value = secret.encode("utf-8")
        except UnicodeEncodeError:
            raise _bad(name, f"the text cannot be encoded in UTF-8; {accepted}") from None
    elif isinstance(secret, bytes | bytearray):
        value = bytes(secret)
    else:
        raise _bad(name, f"{type(secret).__name__} is not a secret; {accepted}")
    if len(value) < MIN_SECRET_BYTES:
        raise _bad(name, f"a secret of {len(value)} bytes is too short; {accepted}")
    return value


def sign(secret: str | bytes, timestamp: int, body: bytes) -> str:
    """The ``X-Aftersales-Signature`` value for ``body`` sent at ``timestamp`` (unix seconds).

    Example:
        >>> import hashlib, hmac
        >>> key = b"0123456789abcdef"
        >>> sign(key, 1700000000, b"{}") == "sha256=" + hmac.new(
        ...     key, b"1700000000.{}", hashlib.sha256).hexdigest()
        True
    """
    key = secret_bytes(secret)
    if not isinstance(timestamp, int) or isinstance(timestamp, bool) or timestamp < 0:
        raise _bad(
            "timestamp", f"{shown(timestamp)} is not a unix time; accepted: an integer from 0"
        )
    if not isinstance(body, bytes):
        raise _bad("body", f"{type(body).__name__} is not bytes; accepted: the body as bytes")
    return _PREFIX + _digest(key, timestamp, body)


def _digest(key: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(key, f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str | bytes,
    timestamp: str | int | None,
    body: bytes,
    signature: str | None,
    *,
    tolerance: float = 300,
    now: float | None = None,
) -> bool:
    """Whether ``signature`` is the sender's for ``body`` at ``timestamp``, and that is recent.

    For receivers: pass the raw request body (the bytes received, never JSON
    parsed and dumped again) and the two headers as they came (``None`` for a
    missing one). True only when the timestamp lies within ``tolerance``
    seconds of ``now`` (default: the system clock), in either direction, and
    the signature matches, compared in constant time. A malformed header gives
    False, never an error; ``InvalidData`` is only for the receiver's own
    arguments (a short secret, a body that is not bytes, a negative tolerance).

    Example:
        >>> key, body = "0123456789abcdef", '{"type":"ticket_opened"}'.encode()
        >>> good = sign(key, 1700000000, body)
        >>> verify_signature(key, "1700000000", body, good, now=1700000100)
        True
        >>> verify_signature(key, "1700000000", body + b" ", good, now=1700000100)
        False
        >>> verify_signature(key, "1700000000", body, good, now=1700000301)  # stale
        False
        >>> verify_signature(key, "17e8", body, good, now=1700000000)
        False
    """
    key = secret_bytes(secret)
    if not isinstance(body, bytes | bytearray | memoryview):
        raise _bad(
            "body",
            f"{type(body).__name__} is not bytes; accepted: the raw request body as bytes",
        )
    if (
        not isinstance(tolerance, int | float)
        or isinstance(tolerance, bool)
        or not 0 <= tolerance < math.inf
    ):
        raise _bad(
            "tolerance", f"{shown(tolerance)} is not allowed; accepted: a number of seconds from 0"
        )
    if now is not None and (
        not isinstance(now, int | float) or isinstance(now, bool) or not math.isfinite(now)
    ):
        raise _bad("now", f"{shown(now)} is not a unix time; accepted: None or a number")
    sent_at = _timestamp(timestamp)
    if sent_at is None or not isinstance(signature, str) or not signature.startswith(_PREFIX):
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance:
        return False
    expected = _digest(key, sent_at, bytes(body))
    given = signature[len(_PREFIX) :].strip().lower()
    return hmac.compare_digest(expected.encode("ascii"), given.encode("ascii", "replace"))


def _timestamp(value: object) -> int | None:
    """The header's unix seconds, or None when it is not a plain number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= _LONGEST_TIMESTAMP:
            return int(text)
    return None
