"""Storage ports of the SLA alert index: a store, and its unit of work, that read due alerts.

Part of :mod:`aftersales.storage.ports` (imports the domain only). A store
that keeps each ticket's alert instants (:mod:`aftersales.readmodel.alerts`)
answers :meth:`SlaAlertStore.find_alerts_due`, and so does its unit of work,
which holds the tickets it read until it ends and saves them back in one
batch (:meth:`SlaAlertUnit.save_many`): what
:meth:`ServiceDesk.sweep_sla <aftersales.ServiceDesk.sweep_sla>` and the
watchlist read. Every shipped store provides both.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> isinstance(MemoryStore(), SlaAlertStore)
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol, runtime_checkable

import pendulum

from aftersales.model.ticket import Ticket
from aftersales.storage.ports.records import Save, UnitOfWork

__all__ = ["AlertKey", "SlaAlertStore", "SlaAlertUnit"]

#: A keyset position in the SLA alert index: the last ``(instant, ticket id)`` read.
AlertKey = tuple[datetime, str]


@runtime_checkable
class SlaAlertUnit(UnitOfWork, Protocol):
    """A :class:`UnitOfWork` that also reads the SLA alert index (see :class:`SlaAlertStore`).

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> with SQLiteStore(":memory:").unit_of_work() as uow:
        ...     isinstance(uow, SlaAlertUnit)
        True
    """

    def find_alerts_due(
        self,
        at: datetime,
        *,
        include_recorded: bool = False,
        limit: int | None = None,
        after: AlertKey | None = None,
    ) -> list[tuple[pendulum.DateTime, Ticket]]:
        """As :meth:`SlaAlertStore.find_alerts_due`, in the unit; its tickets are the unit's.

        Another unit asking meanwhile does not get them (PostgreSQL locks their
        rows and skips those another unit locked; the embedded stores run one
        unit at a time), so concurrent sweepers split the due tickets.
        """
        ...

    def save_many(self, items: Iterable[Ticket | Save]) -> None:
        """As :meth:`Store.save_many <aftersales.storage.Store.save_many>`, inside the unit.

        All the items or none: the error of the first that cannot be saved
        (``ConcurrencyError``, ``DuplicateId``, ``InvalidData``) leaves the
        unit's other writes in place and none of these. The SQL stores write
        the batch with a statement per table.
        """
        ...


@runtime_checkable
class SlaAlertStore(Protocol):
    """Tickets indexed by their SLA alert instants (:mod:`aftersales.readmodel.alerts`).

    The instants come with the projection a save gives; a ticket saved without
    one is not indexed until the read models are rebuilt.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> isinstance(MemoryStore(), SlaAlertStore)
        True
    """

    def find_alerts_due(
        self,
        at: datetime,
        *,
        include_recorded: bool = False,
        limit: int | None = None,
        after: AlertKey | None = None,
    ) -> list[tuple[pendulum.DateTime, Ticket]]:
        """Open tickets with an SLA alert at or before ``at``, as ``(instant, ticket)`` pairs.

        The instant is the projection's ``next_alert_at`` (not yet recorded:
        what a sweep at ``at`` notifies) or, with ``include_recorded``, its
        ``first_alert_at`` (recorded or not: what a watchlist may list).
        Ordered by ``(instant, id)``, at most ``limit``, after the key
        ``after`` (keyset paging). ``InvalidData`` for a naive ``at``, a
        negative ``limit`` or a malformed ``after``, having read nothing.
        """
        ...

    def unit_of_work(self) -> AbstractContextManager[SlaAlertUnit]:
        """A :class:`SlaAlertUnit` for a ``with`` block."""
        ...
