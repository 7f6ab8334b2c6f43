"""Storage port of subscriptions: their checkpoints, leases and dead letters, beside the feed.

Part of :mod:`aftersales.storage.ports` (imports the domain only). A named
subscription reads the event feed (:class:`~aftersales.storage.ports.feed.EventFeed`)
from its checkpoint, the position of the last event its handler accepted.
The store keeps, per name: the checkpoint, the owner that holds the lease
(one running copy of the subscription) and until when, and the dead letters
(events whose handler kept failing, parked for an operator). They live in the
same database as the events, so a checkpoint never outlives the events it
counts. The processor is :class:`aftersales.service.subscriptions.Subscription`.

Leases are measured on the clock of the processes that claim them (``at``,
default: the system clock): hosts sharing a database keep their clocks in
step within a small part of the lease.

Example:
    >>> from datetime import timedelta
    >>> from aftersales.storage import SQLiteStore
    >>> store = SQLiteStore(":memory:")
    >>> isinstance(store, SubscriptionStore)
    True
    >>> store.claim("notices", "worker-1", lease=timedelta(seconds=30))
    0
    >>> store.claim("notices", "worker-2", lease=timedelta(seconds=30)) is None  # held
    True
    >>> store.advance("notices", "worker-1", 7)
    >>> store.release("notices", "worker-1")
    >>> store.claim("notices", "worker-2", lease=timedelta(seconds=30))
    7
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Final, Protocol, runtime_checkable

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData, LeaseLost
from aftersales.storage.ports.feed import MAX_POSITION

__all__ = [
    "LONGEST_LEASE",
    "DeadLetter",
    "LeaseLost",
    "SubscriptionStore",
    "check_claim",
    "check_name_and_position",
    "error_text",
    "micros_at",
]

#: The longest lease a claim takes.
LONGEST_LEASE: Final = timedelta(days=1)
#: The longest error text a dead letter keeps (the start of a longer one, with a mark).
_ERROR_TEXT: Final = 2000


@attrs.frozen(slots=True)
class DeadLetter:
    """An event a subscription's handler kept failing on, parked for an operator.

    ``error`` is the last failure (the exception's class and message, cut at
    2,000 characters); ``attempts`` how many deliveries failed.

    Example:
        >>> import pendulum
        >>> letter = DeadLetter("notices", 12, "TimeoutError: smtp", 5, pendulum.datetime(2026, 3, 2))
        >>> letter.position, letter.attempts
        (12, 5)
    """

    name: str
    position: int
    error: str
    attempts: int
    parked_at: pendulum.DateTime


@runtime_checkable
class SubscriptionStore(Protocol):
    """Checkpoints, leases and dead letters of named subscriptions.

    Example:
        >>> from datetime import timedelta
        >>> from aftersales.storage import MemoryStore
        >>> store = MemoryStore()
        >>> store.claim("bi-export", "w1", lease=timedelta(minutes=1))
        0
        >>> store.park("bi-export", 3, "ValueError: bad row", 5)
        >>> [(d.position, d.attempts) for d in store.dead_letters("bi-export")]
        [(3, 5)]
        >>> store.discard("bi-export", 3)
        >>> store.dead_letters("bi-export")
        []
    """

    def claim(
        self, name: str, owner: str, *, lease: timedelta, at: datetime | None = None
    ) -> int | None:
        """Take or renew the lease of ``name`` for ``owner`` until ``at + lease``; its checkpoint.

        A new name starts at checkpoint 0. ``None`` (nothing written) while
        another owner's lease lasts. ``at`` defaults to the system clock.
        """
        ...

    def advance(self, name: str, owner: str, position: int, *, at: datetime | None = None) -> None:
        """Move ``name``'s checkpoint to ``position`` (never back).

        :class:`LeaseLost` (nothing written) when ``owner`` does not hold a
        lease lasting past ``at``; ``InvalidData`` for a position before the
        checkpoint.
        """
        ...

    def release(self, name: str, owner: str) -> None:
        """End ``owner``'s lease of ``name`` (nothing when it does not hold it)."""
        ...

    def checkpoint(self, name: str) -> int:
        """``name``'s checkpoint (0 for a subscription never claimed)."""
        ...

    def park(self, name: str, position: int, error: str, attempts: int) -> None:
        """Keep the event at ``position`` as a dead letter of ``name`` (replacing one kept there)."""
        ...

    def dead_letters(self, name: str) -> list[DeadLetter]:
        """The dead letters of ``name``, by position."""
        ...

    def discard(self, name: str, position: int) -> None:
        """Forget the dead letter at ``position``; ``NotFound`` when there is none."""
        ...


_LEASE = check.duration(timedelta(milliseconds=1), LONGEST_LEASE)


def _position_check(value: object, name: str) -> int:
    accepted = f"accepted: an integer from 0 to {MAX_POSITION}"
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidData(
            f"{name}: {shown(value)} is not an integer; {accepted}",
            problems=[(name, f"{shown(value)} is not an integer; {accepted}")],
        )
    if not 0 <= value <= MAX_POSITION:
        raise InvalidData(
            f"{name}: {value} is out of range; {accepted}",
            problems=[(name, f"{value} is out of range; {accepted}")],
        )
    return value


def check_claim(name: object, owner: object, lease: object, at: object) -> None:
    """The checks of ``claim``'s arguments (and ``advance``'s ``name``, ``owner``, ``at``).

    Example:
        >>> check_claim("notices", "w 1", timedelta(0), None)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: 2 invalid values:
          owner: 'w 1' is not a valid id; accepted: 1–64 of A–Z a–z 0–9 _ . : -
          lease: 0:00:00 is out of range; accepted: a timedelta from 0:00:00.001000 to 1 day, 0:00:00
    """
    check.run_checks_on(
        {
            "name": (name, check.identifier),
            "owner": (owner, check.identifier),
            "lease": (lease, _LEASE),
            "at": (at, check.optional(check.aware)),
        }
    )


def check_name_and_position(name: object, position: object, **more: object) -> None:
    """The checks of a subscription ``name`` and an event ``position`` (and ``owner``, ``attempts``).

    Example:
        >>> check_name_and_position("notices", -3)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: position: -3 is out of range; accepted: an integer from 0 to 9223372036854775807
    """
    checks: dict[str, tuple[object, check.Check]] = {
        "name": (name, check.identifier),
        "position": (position, _position_check),
    }
    if "owner" in more:
        checks["owner"] = (more["owner"], check.identifier)
    if "at" in more:
        checks["at"] = (more["at"], check.optional(check.aware))
    if "attempts" in more:
        checks["attempts"] = (more["attempts"], check.integer(1))
    if "error" in more:
        checks["error"] = (more["error"], check.instance_of(str))
    check.run_checks_on(checks)


def micros_at(at: datetime | None) -> int:
    """Microseconds since 1970 UTC of ``at`` (default: now), how leases are stored.

    Example:
        >>> micros_at(pendulum.datetime(1970, 1, 1, 0, 0, 1))
        1000000
    """
    if at is None:
        return time.time_ns() // 1000
    delta = at - pendulum.datetime(1970, 1, 1)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def error_text(error: str) -> str:
    """A dead letter's error as kept: at most 2,000 characters, a cut one marked.

    Example:
        >>> len(error_text("x" * 5000)), error_text("x" * 5000)[-8:]
        (2000, 'x… (cut)')
    """
    if len(error) <= _ERROR_TEXT:
        return error
    return error[: _ERROR_TEXT - 7] + "… (cut)"
