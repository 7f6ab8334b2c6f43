"""Subscriptions' checkpoints, leases and dead letters in the SQL adapters (schema version 11).

Private: :class:`SubscriptionTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. Table ``subscriptions``
holds a row per name: its checkpoint ``position``, the ``owner`` holding
its lease and ``lease_until``; ``subscription_dead_letters`` a row per
parked event, keyed ``(name, position)``. Times are integers, microseconds
since 1970 UTC, in both dialects. A claim is one conditional ``UPDATE``: when
two owners race, PostgreSQL makes the second wait for the first and then
find the lease taken, so it matches no row (SQLite runs one write at a time).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

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

__all__ = ["SubscriptionTables"]


def _micros(duration: timedelta) -> int:
    return (duration.days * 86_400 + duration.seconds) * 1_000_000 + duration.microseconds


class SubscriptionTables:
    """:class:`~aftersales.storage.ports.subscriptions.SubscriptionStore` in SQL tables.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> store = SQLiteStore(":memory:")
        >>> store.claim("export", "w1", lease=timedelta(seconds=5))
        0
        >>> store.advance("export", "w1", 4)
        >>> store.checkpoint("export")
        4
    """

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    # -- leases and checkpoints -----------------------------------------------------------

    def claim(
        self, name: str, owner: str, *, lease: timedelta, at: datetime | None = None
    ) -> int | None:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.claim`."""
        check_claim(name, owner, lease, at)
        now = micros_at(at)
        with self._writing() as cur:
            cur.execute(
                self._sql(
                    "INSERT INTO subscriptions (name, position, owner, lease_until)"
                    " VALUES (?, 0, NULL, 0) ON CONFLICT (name) DO NOTHING"
                ),
                (name,),
            )
            cur.execute(
                self._sql(
                    "UPDATE subscriptions SET owner = ?, lease_until = ? WHERE name = ?"
                    " AND (owner IS NULL OR owner = ? OR lease_until <= ?)"
                ),
                (owner, now + _micros(lease), name, owner, now),
            )
            if cur.rowcount != 1:
                return None
            cur.execute(self._sql("SELECT position FROM subscriptions WHERE name = ?"), (name,))
            return int(cur.fetchone()[0])

    def advance(self, name: str, owner: str, position: int, *, at: datetime | None = None) -> None:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.advance`."""
        check_name_and_position(name, position, owner=owner, at=at)
        now = micros_at(at)
        with self._writing() as cur:
            cur.execute(
                self._sql(
                    "UPDATE subscriptions SET position = ? WHERE name = ? AND owner = ?"
                    " AND lease_until > ? AND position <= ?"
                ),
                (position, name, owner, now, position),
            )
            if cur.rowcount == 1:
                return
            cur.execute(
                self._sql("SELECT position, owner, lease_until FROM subscriptions WHERE name = ?"),
                (name,),
            )
            found = cur.fetchone()
        if found is None or found[1] != owner or int(found[2]) <= now:
            raise LeaseLost(name, owner)
        message = (
            f"{position} is before the checkpoint {int(found[0])} of subscription {name!r};"
            " accepted: the checkpoint or a later position"
        )
        raise InvalidData(f"position: {message}", problems=[("position", message)])

    def release(self, name: str, owner: str) -> None:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.release`."""
        check_claim(name, owner, timedelta(seconds=1), None)
        with self._writing() as cur:
            cur.execute(
                self._sql(
                    "UPDATE subscriptions SET owner = NULL, lease_until = 0"
                    " WHERE name = ? AND owner = ?"
                ),
                (name, owner),
            )

    def checkpoint(self, name: str) -> int:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.checkpoint`."""
        check_name_and_position(name, 0)
        with self._reading() as cur:
            cur.execute(self._sql("SELECT position FROM subscriptions WHERE name = ?"), (name,))
            found = cur.fetchone()
        return 0 if found is None else int(found[0])

    # -- dead letters ---------------------------------------------------------------------

    def park(self, name: str, position: int, error: str, attempts: int) -> None:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.park`."""
        check_name_and_position(name, position, error=error, attempts=attempts)
        with self._writing() as cur:
            cur.execute(
                self._sql(
                    "INSERT INTO subscription_dead_letters"
                    " (name, position, error, attempts, parked_at) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (name, position) DO UPDATE SET error = excluded.error,"
                    " attempts = excluded.attempts, parked_at = excluded.parked_at"
                ),
                (name, position, error_text(error), attempts, micros_at(None)),
            )

    def dead_letters(self, name: str) -> list[DeadLetter]:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.dead_letters`."""
        check_name_and_position(name, 0)
        with self._reading() as cur:
            cur.execute(
                self._sql(
                    "SELECT position, error, attempts, parked_at FROM subscription_dead_letters"
                    " WHERE name = ? ORDER BY position"
                ),
                (name,),
            )
            rows = cur.fetchall()
        return [
            DeadLetter(
                name,
                int(position),
                str(error),
                int(attempts),
                pendulum.from_timestamp(int(parked_at) / 1_000_000),
            )
            for position, error, attempts, parked_at in rows
        ]

    def discard(self, name: str, position: int) -> None:
        """See :meth:`~aftersales.storage.ports.subscriptions.SubscriptionStore.discard`."""
        check_name_and_position(name, position)
        with self._writing() as cur:
            cur.execute(
                self._sql("DELETE FROM subscription_dead_letters WHERE name = ? AND position = ?"),
                (name, position),
            )
            if cur.rowcount != 1:
                raise NotFound(f"dead letter of subscription {name!r}", position)
