"""An in-process ticket store: for tests, demos and short-lived tools.

Thread-safe; nothing survives the process.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> store = MemoryStore()
    >>> ticket = sample_ticket()
    >>> store.save(ticket, expected_version=0)
    >>> store.get(ticket.id) == ticket
    True
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData, NotFound
from aftersales.model.events import TicketEvent
from aftersales.model.ticket import Ticket
from aftersales.storage.protocols import TicketQuery

__all__ = ["MemoryStore"]


class MemoryStore:
    """Tickets kept in a dictionary, behind a lock.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> store = MemoryStore()
        >>> store.save(sample_ticket(), expected_version=0)
        >>> len(store.find(TicketQuery()))
        1
    """

    def __init__(self) -> None:
        self._tickets: dict[str, Ticket] = {}
        self._lock = threading.Lock()

    def save(self, ticket: Ticket, *, expected_version: int) -> None:
        """See :meth:`TicketStore.save`."""
        _check_extends(ticket, expected_version)
        with self._lock:
            stored = self._tickets.get(ticket.id)
            actual = 0 if stored is None else stored.version
            if expected_version == 0 and stored is not None:
                raise DuplicateId("ticket", ticket.id)
            if actual != expected_version:
                raise ConcurrencyError(
                    "ticket", ticket.id, expected=expected_version, actual=actual or None
                )
            if stored is not None and ticket.history[: stored.version] != stored.history:
                message = "its history does not extend the stored one; accepted: the stored history"
                raise InvalidData(f"history: {message}", problems=[("history", message)])
            self._tickets[ticket.id] = ticket

    def get(self, ticket_id: str) -> Ticket:
        """See :meth:`TicketStore.get`."""
        try:
            return self._tickets[ticket_id]
        except KeyError:
            raise NotFound("ticket", ticket_id) from None

    def history(self, ticket_id: str) -> Sequence[TicketEvent]:
        """See :meth:`TicketStore.history`."""
        return self.get(ticket_id).history

    def find(self, query: TicketQuery) -> list[Ticket]:
        """See :meth:`TicketStore.find`."""
        with self._lock:
            tickets = list(self._tickets.values())
        matching = sorted(
            (ticket for ticket in tickets if query.matches(ticket)),
            key=lambda ticket: (ticket.received_at, ticket.id),
        )
        if query.after_id is not None:
            anchor = self.get(query.after_id)
            key = (anchor.received_at, anchor.id)
            matching = [t for t in matching if (t.received_at, t.id) > key]
        return matching if query.limit is None else matching[: query.limit]

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self._tickets

    def __len__(self) -> int:
        return len(self._tickets)


def _check_extends(ticket: Ticket, expected_version: int) -> None:
    if not isinstance(expected_version, int) or not 0 <= expected_version < ticket.version:
        message = (
            f"{expected_version!r} is not below the ticket's version {ticket.version};"
            f" accepted: 0 to {ticket.version - 1}"
        )
        raise InvalidData(f"expected_version: {message}", problems=[("expected_version", message)])
