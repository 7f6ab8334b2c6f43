"""A webhook endpoint: where events go, the secret that signs them, and which events it takes.

Imports the domain only. An endpoint is checked when it is built: an
``http``/``https`` URL, a secret of at least 16 bytes, known event names in
its filter, plain header lines, a timeout from a millisecond to 5 minutes.
Its repr and its errors never show the secret, a password in the URL, or a
header's value (a header often carries a token).

Example:
    >>> endpoint = WebhookEndpoint(
    ...     "https://crm.example.com/hooks/aftersales",
    ...     secret="whsec-0123456789abcdef",
    ...     events={"SlaBreached"},
    ...     headers={"Authorization": "Bearer t0k3n"},
    ... )
    >>> endpoint
    WebhookEndpoint(url='https://crm.example.com/hooks/aftersales', secret=<hidden>, events=frozenset({'sla_breached'}), headers=('Authorization',), timeout=10.0)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any, Final
from urllib.parse import urlsplit

import attrs

from aftersales._shown import shown
from aftersales.errors import InvalidData, UnknownValue
from aftersales.model.events import EVENT_TYPES, TicketEvent
from aftersales.webhooks.signing import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from aftersales.webhooks.signing import secret_bytes as _secret

__all__ = ["RESERVED_HEADERS", "WebhookEndpoint", "event_filter", "shown_url"]

#: Headers the sender sets itself; an endpoint's ``headers`` may not name them.
RESERVED_HEADERS: Final = frozenset(
    name.lower()
    for name in (
        "Content-Type",
        "Content-Length",
        "Content-Encoding",
        "Transfer-Encoding",
        "Host",
        "Connection",
        SIGNATURE_HEADER,
        TIMESTAMP_HEADER,
        DELIVERY_HEADER,
    )
)
_LONGEST_URL: Final = 2048
_LONGEST_HEADER: Final = 8192
_TIMEOUTS: Final = (0.001, 300.0)
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}")

#: Every name a filter accepts (event type tag, event class name, command) → the type tag.
_EVENT_NAMES: Final[dict[str, str]] = {
    name: tag for tag, cls in EVENT_TYPES.items() for name in (tag, cls.__name__, cls.command)
}


def _bad(name: str, message: str) -> InvalidData:
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


def shown_url(url: str) -> str:
    """``url`` as a message shows it: a password in it hidden.

    Example:
        >>> shown_url("https://bot:s3cret@hooks.example.com/in?x=1")
        'https://bot:***@hooks.example.com/in?x=1'
    """
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "<an unreadable URL>"
    if not password:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{user}:***@{host}").geturl()


def _url(value: object) -> str:
    accepted = "accepted: an http:// or https:// URL with a host"
    if not isinstance(value, str):
        raise _bad("url", f"{type(value).__name__} is not a URL; {accepted}")
    if len(value) > _LONGEST_URL or any(c.isspace() or ord(c) < 32 for c in value):
        raise _bad("url", f"{shown(shown_url(value))} is not a URL; {accepted}")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise _bad("url", f"{shown(shown_url(value))} is not a URL; {accepted}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or port == 0:
        raise _bad("url", f"{shown(shown_url(value))} is not a webhook URL; {accepted}")
    return value


def event_filter(names: object) -> frozenset[str]:
    """The type tags of the events a filter takes, from type tags, class names or commands.

    An empty filter takes every event.

    Example:
        >>> sorted(event_filter(["SlaBreached", "record_visit", "ticket_opened"]))
        ['sla_breached', 'ticket_opened', 'visit_recorded']
        >>> event_filter({"SlaBreach"})
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: events: 'SlaBreach' is not a known value; accepted: ...
    """
    accepted = "a set of event types, event class names or commands, such as {'SlaBreached'}"
    if isinstance(names, str | bytes) or not isinstance(names, Iterable):
        raise _bad("events", f"{shown(names)} is not a set of names; accepted: {accepted}")
    tags = set()
    for name in names:
        if not isinstance(name, str) or name not in _EVENT_NAMES:
            raise UnknownValue("events", name, sorted(_EVENT_NAMES))
        tags.add(_EVENT_NAMES[name])
    return frozenset(tags)


def _headers(value: object) -> tuple[tuple[str, str], ...]:
    accepted = "a mapping of header names to text"
    if not isinstance(value, Mapping):
        raise _bad("headers", f"{type(value).__name__} is not a mapping; accepted: {accepted}")
    pairs: list[tuple[str, str]] = []
    for name, text in value.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise _bad(
                "headers", f"{shown(name)} is not a header name; accepted: 1–128 token characters"
            )
        if name.lower() in RESERVED_HEADERS:
            raise _bad(
                f"headers[{name!r}]",
                "is set by the sender; accepted: any header except "
                + ", ".join(sorted(RESERVED_HEADERS)),
            )
        if (
            not isinstance(text, str)
            or len(text) > _LONGEST_HEADER
            or any(c in text for c in "\r\n\0")
        ):
            raise _bad(
                f"headers[{name!r}]",
                "the value is not one line of text (not shown); accepted: text without CR, LF"
                f" or NUL, at most {_LONGEST_HEADER} characters",
            )
        pairs.append((name, text))
    if len({name.lower() for name, _ in pairs}) < len(pairs):
        raise _bad("headers", "a header is named twice (names ignore case); accepted: one each")
    return tuple(pairs)


def _timeout(value: object) -> float:
    low, high = _TIMEOUTS
    accepted = f"accepted: seconds (a number or a timedelta) from {low} to {high:g}"
    seconds: Any = value.total_seconds() if isinstance(value, timedelta) else value
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        raise _bad("timeout", f"{shown(value)} is not a duration; {accepted}")
    if not math.isfinite(seconds) or not low <= seconds <= high:
        raise _bad("timeout", f"{shown(value)} is out of range; {accepted}")
    return float(seconds)


def _url_repr(url: str) -> str:
    return repr(shown_url(url))


def _hidden(_: object) -> str:
    return "<hidden>"


def _header_names(pairs: tuple[tuple[str, str], ...]) -> str:
    return repr(tuple(name for name, _ in pairs))


@attrs.frozen(slots=True)
class WebhookEndpoint:
    """One receiver of webhooks: its URL, signing secret, event filter, headers and timeout.

    Args:
        url: where each event is POSTed (``http`` or ``https``).
        secret: the shared signing key, bytes or text (UTF-8), at least 16 bytes.
        events: the events it takes, by type tag (``"sla_breached"``), class
            name (``"SlaBreached"``) or command (``"record_visit"``); kept as
            type tags. Empty (the default): every event.
        headers: extra request headers (an ``Authorization`` token …); kept as
            ``(name, value)`` pairs. The sender's own headers cannot be set.
        timeout: seconds (or a timedelta) to connect, to send and to wait for
            each part of the answer.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> opened, acknowledged = sample_ticket().history[:2]
        >>> endpoint = WebhookEndpoint("http://127.0.0.1:8080/in", secret=b"0" * 16,
        ...                            events={"TicketOpened"})
        >>> endpoint.accepts(opened), endpoint.accepts(acknowledged)
        (True, False)
        >>> WebhookEndpoint("ftp://example.com", secret=b"0" * 16)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: url: 'ftp://example.com' is not a webhook URL; accepted: an http:// or https:// URL with a host
    """

    url: str = attrs.field(converter=_url, repr=_url_repr)
    secret: bytes = attrs.field(converter=_secret, repr=_hidden)
    events: frozenset[str] = attrs.field(default=frozenset(), converter=event_filter)
    headers: tuple[tuple[str, str], ...] = attrs.field(
        default=attrs.Factory(dict), converter=_headers, repr=_header_names
    )
    timeout: float = attrs.field(default=10.0, converter=_timeout)

    def accepts(self, event: TicketEvent) -> bool:
        """Whether the filter takes ``event`` (an empty filter takes all).

        Example:
            >>> from aftersales.testing.samples import sample_ticket
            >>> WebhookEndpoint("https://a.example", secret=b"0" * 16).accepts(
            ...     sample_ticket().history[-1])
            True
        """
        return not self.events or event.type in self.events
