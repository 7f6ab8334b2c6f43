"""The webhook sender: a subscription handler that POSTs each event, signed, to its endpoints.

Imports the domain and :mod:`aftersales.views`; ``httpx`` (the ``webhooks``
extra) only when a sender is built, so ``import aftersales`` never loads it.

``sender(position, event)`` is the handler a subscription calls for each
event of the feed. It sends the event to every endpoint whose filter takes
it, each with its own quick retries (:class:`~aftersales.webhooks.retries.WebhookRetry`),
and returns once all of them answered 2xx. Otherwise it raises
:class:`~aftersales.errors.WebhookDeliveryError` after trying every endpoint:
the subscription's own retries and dead letters take over from there.
``retryable`` on the error is False when every failure is permanent (a 4xx
other than 408 and 429, or a redirect): retrying cannot help, park it.

When the subscription calls again for the same event, the endpoints that
already accepted it (in this process) are skipped; after a restart they may
receive it again — delivery is at least once, and the delivery id lets a
receiver drop a repeat. One ``httpx.Client`` per sender keeps connections
open between deliveries: close the sender (or use it in a ``with`` block).

Example:
    >>> sender = WebhookSender([WebhookEndpoint("http://127.0.0.1:9/in",
    ...                                          secret="0123456789abcdef",
    ...                                          events={"SlaBreached"})])
    >>> from aftersales.testing.samples import sample_ticket
    >>> sender(1, sample_ticket().history[0])  # no endpoint takes a ticket_opened event
    >>> sender.close()
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final

import attrs

from aftersales._shown import shown
from aftersales._version import __version__
from aftersales.errors import InvalidData, WebhookDeliveryError
from aftersales.model.events import TicketEvent
from aftersales.webhooks.endpoints import WebhookEndpoint, shown_url
from aftersales.webhooks.payload import delivery_body, delivery_id
from aftersales.webhooks.retries import WebhookRetry
from aftersales.webhooks.signing import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)

if TYPE_CHECKING:
    from types import TracebackType

    import httpx

__all__ = ["USER_AGENT", "WebhookSender"]

#: The ``User-Agent`` of every request.
USER_AGENT: Final = f"aftersales-webhooks/{__version__}"
#: Answers worth retrying besides 5xx: Request Timeout, Too Many Requests.
_RETRYABLE_STATUSES: Final = frozenset({408, 429})
#: How much of an answer's body is read (so that its connection can be reused).
_MOST_DRAINED: Final = 64 * 1024
#: How many events' partial successes are remembered between the subscription's retries.
_REMEMBERED: Final = 1024
_LONGEST_RETRY_AFTER: Final = 10_000


@attrs.frozen(slots=True)
class _Outcome:
    """One attempt's result: ``ok``, or a problem and whether retrying may help."""

    ok: bool
    problem: str = ""
    retryable: bool = False
    retry_after: float | None = None


def _bad(name: str, message: str) -> InvalidData:
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


def _http_client() -> httpx.Client:
    try:
        import httpx
    except ImportError as missing:  # pragma: no cover - the extra is installed in the tests
        raise ModuleNotFoundError(
            "aftersales.webhooks needs httpx: pip install 'aftersales[webhooks]'"
        ) from missing
    return httpx.Client(follow_redirects=False, trust_env=True)


class WebhookSender:
    """A subscription handler POSTing each event, signed, to the endpoints whose filter takes it.

    Args:
        endpoints: the receivers (at least one :class:`WebhookEndpoint`).
        retry: the quick retries of one endpoint within one call (default:
            3 attempts, waits of about 0.5 s and 1 s).
        sleep: how to wait (``time.sleep``; a test passes a recorder).
        clock: unix seconds for the timestamp header (``time.time``).
        draw: random numbers in [0, 1] for the jitter (``random.random``).
        client: an ``httpx.Client`` of the host's (proxies, certificates);
            by default the sender makes its own, and closes only that one.

    Example:
        >>> endpoint = WebhookEndpoint("https://crm.example.com/in", secret=b"k" * 16)
        >>> with WebhookSender([endpoint], retry=WebhookRetry(attempts=5)) as sender:
        ...     sender.endpoints == (endpoint,)
        True
        >>> WebhookSender([])
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: endpoints: none given; accepted: one or more WebhookEndpoint
    """

    def __init__(
        self,
        endpoints: Iterable[WebhookEndpoint],
        *,
        retry: WebhookRetry | None = None,
        sleep: Callable[[float], object] = time.sleep,
        clock: Callable[[], float] = time.time,
        draw: Callable[[], float] = random.random,
        client: httpx.Client | None = None,
    ) -> None:
        accepted = "accepted: one or more WebhookEndpoint"
        if isinstance(endpoints, WebhookEndpoint) or not isinstance(endpoints, Iterable):
            raise _bad("endpoints", f"{type(endpoints).__name__} is not a list; {accepted}")
        listed = tuple(endpoints)
        for index, endpoint in enumerate(listed):
            if not isinstance(endpoint, WebhookEndpoint):
                raise _bad(
                    f"endpoints[{index}]",
                    f"{type(endpoint).__name__} is not a WebhookEndpoint; {accepted}",
                )
        if not listed:
            raise _bad("endpoints", f"none given; {accepted}")
        if retry is not None and not isinstance(retry, WebhookRetry):
            raise _bad("retry", f"{type(retry).__name__} is not a WebhookRetry; accepted: None")
        for name, function in (("sleep", sleep), ("clock", clock), ("draw", draw)):
            if not callable(function):
                raise _bad(name, f"{type(function).__name__} is not callable; accepted: a function")
        self.endpoints = listed
        self.retry = retry or WebhookRetry()
        self._sleep = sleep
        self._clock = clock
        self._draw = draw
        self._owns_client = client is None
        self._client = _http_client() if client is None else client
        self._accepted: OrderedDict[str, set[int]] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"WebhookSender(endpoints={list(self.endpoints)!r}, retry={self.retry!r})"

    def __enter__(self) -> WebhookSender:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections (the host's own ``client`` is left open).

        Example:
            >>> sender = WebhookSender([WebhookEndpoint("https://a.example", secret=b"k" * 16)])
            >>> sender.close()
            >>> sender.close()  # closing twice is harmless
        """
        if self._owns_client:
            self._client.close()

    def __call__(self, position: int, event: TicketEvent) -> None:
        """Deliver ``event`` (at feed ``position``) to every endpoint whose filter takes it.

        Raises :class:`~aftersales.errors.WebhookDeliveryError` when an
        endpoint did not accept it; ``InvalidData`` (nothing sent) for a bad
        position or something that is not an event.
        """
        body = delivery_body(position, event)
        wanted = [i for i, endpoint in enumerate(self.endpoints) if endpoint.accepts(event)]
        key = delivery_id(event)
        with self._lock:
            done = set(self._accepted.get(key, ()))
        failures: list[tuple[str, str, bool]] = []
        for index in wanted:
            if index in done:
                continue
            endpoint = self.endpoints[index]
            failure = self._deliver(endpoint, key, body)
            if failure is None:
                done.add(index)
            else:
                failures.append((shown_url(endpoint.url), failure.problem, failure.retryable))
        with self._lock:
            self._accepted.pop(key, None)
            if failures:
                self._accepted[key] = done
                while len(self._accepted) > _REMEMBERED:
                    self._accepted.popitem(last=False)
        if failures:
            raise WebhookDeliveryError(key, position, failures)

    def _deliver(self, endpoint: WebhookEndpoint, key: str, body: bytes) -> _Outcome | None:
        """None once ``endpoint`` accepted ``body``; the last failure after the retries."""
        attempts = self.retry.attempts
        for attempt in range(1, attempts + 1):
            outcome = self._post(endpoint, key, body)
            if outcome.ok:
                return None
            if not outcome.retryable or attempt == attempts:
                tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
                return attrs.evolve(outcome, problem=f"{outcome.problem} after {tries}")
            self._sleep(
                self.retry.delay(attempt, draw=self._draw(), retry_after=outcome.retry_after)
            )
        raise AssertionError("unreachable: the last attempt returns")  # pragma: no cover

    def _post(self, endpoint: WebhookEndpoint, key: str, body: bytes) -> _Outcome:
        import httpx

        timestamp = int(self._clock())
        headers = {
            **dict(endpoint.headers),
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body),
            DELIVERY_HEADER: key,
        }
        try:
            with self._client.stream(
                "POST", endpoint.url, content=body, headers=headers, timeout=endpoint.timeout
            ) as response:
                drained = 0
                for chunk in response.iter_raw():
                    drained += len(chunk)
                    if drained > _MOST_DRAINED:
                        break
                status, reason = response.status_code, response.reason_phrase
                retry_after = _seconds(response.headers.get("Retry-After"))
        except httpx.TimeoutException as error:
            return _Outcome(
                False, f"timed out ({type(error).__name__}, {endpoint.timeout:g} s)", True
            )
        except httpx.TransportError as error:
            return _Outcome(
                False, f"could not be reached ({type(error).__name__}: {shown(str(error))})", True
            )
        if 200 <= status < 300:
            return _Outcome(True)
        retryable = status >= 500 or status in _RETRYABLE_STATUSES
        return _Outcome(False, f"answered {status} {reason}".rstrip(), retryable, retry_after)


def _seconds(header: str | None) -> float | None:
    """A ``Retry-After`` in seconds (the HTTP-date form is ignored)."""
    if header is None or not header.strip().isdigit() or len(header.strip()) > 6:
        return None
    return float(min(int(header.strip()), _LONGEST_RETRY_AFTER))
