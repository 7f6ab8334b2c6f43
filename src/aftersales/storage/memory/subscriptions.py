"""The memory adapter's subscriptions: checkpoints and leases, dead letters, in dictionaries.

Private: :class:`MemorySubscriptions` is a base of
:class:`~aftersales.storage.memory.MemoryStore`, the reference the SQL stores
are held to by the contract suite (:mod:`aftersales.testing.contracts.subscriptions`).
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import attrs
import pendulum

from aftersales.errors import InvalidData, NotFound
from aftersales.storage.ports.subscriptions import (
    DeadLetter,
    LeaseLost,
    check_claim,
    check_name_and_position,
    error_text,
    micros_at,
)

__all__ = ["MemorySubscriptions"]


@attrs.define(slots=True)
class _Lease:
    """A subscription's row: its checkpoint, the owner of its lease and until when (µs)."""

    position: int = 0
    owner: str | None = None
    until: int = 0


#: The leases by name, and the dead letters by ``(name, position)``.
_Tables = tuple[dict[str, _Lease], dict[tuple[str, int], DeadLetter]]


class MemorySubscriptions:
    """:class:`~aftersales.storage.ports.subscriptions.SubscriptionStore` in dictionaries.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> store = MemoryStore()
        >>> store.claim("export", "w1", lease=timedelta(seconds=5))
        0
        >>> store.claim("export", "w2", lease=timedelta(seconds=5)) is None
        True
    """

    _lock: threading.RLock

    def _subscriptions(self) -> _Tables:
        with self._lock:
            tables: _Tables | None = getattr(self, "_subscription_tables", None)
            if tables is None:
                tables = ({}, {})
                self._subscription_tables = tables
            return tables

    def claim(
        self, name: str, owner: str, *, lease: timedelta, at: datetime | None = None
    ) -> int | None:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.claim`."""
        check_claim(name, owner, lease, at)
        now = micros_at(at)
        rows, _ = self._subscriptions()
        with self._lock:
            row = rows.setdefault(name, _Lease())
            if row.owner is not None and row.owner != owner and row.until > now:
                return None
            row.owner = owner
            row.until = now + lease // timedelta(microseconds=1)
            return row.position

    def advance(self, name: str, owner: str, position: int, *, at: datetime | None = None) -> None:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.advance`."""
        check_name_and_position(name, position, owner=owner, at=at)
        now = micros_at(at)
        rows, _ = self._subscriptions()
        with self._lock:
            row = rows.get(name)
            if row is None or row.owner != owner or row.until <= now:
                raise LeaseLost(name, owner)
            if position < row.position:
                message = (
                    f"{position} is before the checkpoint {row.position} of subscription {name!r};"
                    " accepted: the checkpoint or a later position"
                )
                raise InvalidData(f"position: {message}", problems=[("position", message)])
            row.position = position

    def release(self, name: str, owner: str) -> None:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.release`."""
        check_claim(name, owner, timedelta(seconds=1), None)
        rows, _ = self._subscriptions()
        with self._lock:
            row = rows.get(name)
            if row is not None and row.owner == owner:
                row.owner, row.until = None, 0

    def checkpoint(self, name: str) -> int:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.checkpoint`."""
        check_name_and_position(name, 0)
        rows, _ = self._subscriptions()
        with self._lock:
            row = rows.get(name)
            return 0 if row is None else row.position

    def park(self, name: str, position: int, error: str, attempts: int) -> None:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.park`."""
        check_name_and_position(name, position, error=error, attempts=attempts)
        _, letters = self._subscriptions()
        parked_at = pendulum.from_timestamp(micros_at(None) / 1_000_000)
        with self._lock:
            letters[(name, position)] = DeadLetter(
                name, position, error_text(error), attempts, parked_at
            )

    def dead_letters(self, name: str) -> list[DeadLetter]:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.dead_letters`."""
        check_name_and_position(name, 0)
        _, letters = self._subscriptions()
        with self._lock:
            return [letters[key] for key in sorted(letters) if key[0] == name]

    def discard(self, name: str, position: int) -> None:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.discard`."""
        check_name_and_position(name, position)
        _, letters = self._subscriptions()
        with self._lock:
            if letters.pop((name, position), None) is None:
                raise NotFound(f"dead letter of subscription {name!r}", position)
