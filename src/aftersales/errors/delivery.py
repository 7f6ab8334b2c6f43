"""The errors of delivering the event feed: a webhook that did not accept, a subscription's lost lease.

Example:
    >>> from aftersales.errors import ConcurrencyError
    >>> issubclass(LeaseLost, ConcurrencyError)
    True
"""

from __future__ import annotations

from collections.abc import Iterable

from aftersales._shown import shown
from aftersales.errors import AftersalesError, ConcurrencyError

__all__ = ["LeaseLost", "WebhookDeliveryError"]


class WebhookDeliveryError(AftersalesError):
    """An event that a webhook endpoint did not accept (``aftersales.webhooks``).

    ``failures`` holds one ``(endpoint, problem, retryable)`` triple per
    endpoint that did not answer 2xx (its URL, a password in it hidden).
    ``retryable`` is True when trying again later may help (a timeout, a
    connection error, a 5xx, 408 or 429 answer at any endpoint); False when
    every failure is permanent (another 4xx, a redirect): a subscription parks
    such an event at once instead of retrying it.

    Example:
        >>> error = WebhookDeliveryError("T1:3", 7, [
        ...     ("https://hooks.example.com/in", "answered 400 Bad Request", False)])
        >>> error.retryable, error.delivery_id, error.position
        (False, 'T1:3', 7)
        >>> print(error)
        webhook delivery 'T1:3' (position 7) was not accepted: https://hooks.example.com/in answered 400 Bad Request (permanent); accepted: a 2xx answer from each endpoint whose filter takes the event
    """

    def __init__(
        self, delivery_id: str, position: int, failures: Iterable[tuple[str, str, bool]]
    ) -> None:
        self.delivery_id = delivery_id
        self.position = position
        self.failures = tuple(failures)
        self.retryable = any(retryable for _, _, retryable in self.failures)
        listed = "; ".join(
            f"{url} {problem} ({'retryable' if retryable else 'permanent'})"
            for url, problem, retryable in self.failures
        )
        super().__init__(
            f"webhook delivery {shown(delivery_id)} (position {position}) was not accepted:"
            f" {listed}; accepted: a 2xx answer from each endpoint whose filter takes the event"
        )


class LeaseLost(ConcurrencyError):
    """A subscription's owner wrote after its lease ended (another copy may have taken over).

    Nothing was written; the copy stops delivering and claims again.

    Example:
        >>> print(LeaseLost("notices", "worker-1"))
        subscription 'notices' is not leased to 'worker-1' (its lease ended or another owner holds it); accepted: claim it again before advancing
    """

    def __init__(self, name: str, owner: str) -> None:
        AftersalesError.__init__(
            self,
            f"subscription {name!r} is not leased to {owner!r} (its lease ended or another"
            " owner holds it); accepted: claim it again before advancing",
        )
        self.kind = "subscription"
        self.key = name
        self.owner = owner
        self.expected = 0
        self.actual = None
