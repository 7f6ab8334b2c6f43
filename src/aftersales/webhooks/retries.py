"""How a webhook sender retries one endpoint: a few attempts, exponential backoff with jitter.

Imports the domain only. The wait before retry ``n`` (1, 2, …) is
``first_delay * 2 ** (n - 1)``, stretched by a random factor from 1 to
``1 + jitter`` (so that many senders do not retry in step), never more than
``max_delay``. With ``jitter`` under 1 each wait is longer than the one
before, until ``max_delay``. An answer's ``Retry-After`` (in seconds, on a 429
or a 503) lengthens the wait, up to ``max_delay`` too.

Example:
    >>> retry = WebhookRetry(attempts=4, first_delay=0.5, max_delay=3.0, jitter=0.5)
    >>> [retry.delay(n, draw=0.0) for n in (1, 2, 3)]
    [0.5, 1.0, 2.0]
    >>> [retry.delay(n, draw=1.0) for n in (1, 2, 3)]
    [0.75, 1.5, 3.0]
    >>> retry.delay(1, draw=0.0, retry_after=2.0)
    2.0
"""

from __future__ import annotations

import math
from typing import Any, Final

import attrs

from aftersales._shown import shown
from aftersales.errors import InvalidData

__all__ = ["WebhookRetry"]

_MOST_ATTEMPTS: Final = 10
_LONGEST_DELAY: Final = 600.0


def _bad(name: str, message: str) -> InvalidData:
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


def _number(value: Any, name: str, low: float, high: float) -> None:
    accepted = f"accepted: a number of seconds from {low:g} to {high:g}"
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _bad(name, f"{shown(value)} is not a number; {accepted}")
    if not math.isfinite(value) or not low <= value <= high:
        raise _bad(name, f"{shown(value)} is out of range; {accepted}")


@attrs.frozen(slots=True)
class WebhookRetry:
    """The sender's own retries of one endpoint, before the subscription's retries take over.

    Args:
        attempts: tries in all, from 1 (no retry) to 10.
        first_delay: seconds before the first retry (0 to 600).
        max_delay: the longest wait, in seconds (at least ``first_delay``, at most 600).
        jitter: the random stretch of each wait, from 0 (none) to under 1.

    Example:
        >>> WebhookRetry(attempts=0)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: attempts: 0 is out of range; accepted: an integer from 1 to 10
    """

    attempts: int = 3
    first_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25

    def __attrs_post_init__(self) -> None:
        accepted = f"accepted: an integer from 1 to {_MOST_ATTEMPTS}"
        if not isinstance(self.attempts, int) or isinstance(self.attempts, bool):
            raise _bad("attempts", f"{shown(self.attempts)} is not an integer; {accepted}")
        if not 1 <= self.attempts <= _MOST_ATTEMPTS:
            raise _bad("attempts", f"{self.attempts} is out of range; {accepted}")
        _number(self.first_delay, "first_delay", 0, _LONGEST_DELAY)
        _number(self.max_delay, "max_delay", self.first_delay, _LONGEST_DELAY)
        if not isinstance(self.jitter, int | float) or isinstance(self.jitter, bool):
            raise _bad("jitter", f"{shown(self.jitter)} is not a number; accepted: 0 to under 1")
        if not 0 <= self.jitter < 1:
            raise _bad("jitter", f"{shown(self.jitter)} is out of range; accepted: 0 to under 1")

    def delay(self, retry: int, *, draw: float, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (from 1), ``draw`` a random number in [0, 1].

        Example:
            >>> WebhookRetry(first_delay=1.0, max_delay=5.0, jitter=0.0).delay(4, draw=0.5)
            5.0
        """
        wait = self.first_delay * 2 ** (retry - 1) * (1 + self.jitter * draw)
        if retry_after is not None:
            wait = max(wait, retry_after)
        return float(min(wait, self.max_delay))
