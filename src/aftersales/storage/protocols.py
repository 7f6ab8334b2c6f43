"""Storage ports: what the service layer needs from a database.

A ticket store keeps each ticket's append-only event history and its current
snapshot. Saving is optimistic: the caller says which version it read, and a
store whose ticket moved on raises :class:`~aftersales.ConcurrencyError` and
writes nothing.

Example:
    >>> from aftersales.storage import MemoryStore, TicketStore
    >>> isinstance(MemoryStore(), TicketStore)
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import attrs

from aftersales.model.events import TicketEvent
from aftersales.model.ticket import Ticket
from aftersales.vocab import Priority, TicketStatus

__all__ = ["TicketQuery", "TicketStore"]


@attrs.frozen(slots=True, kw_only=True)
class TicketQuery:
    """A filter over stored tickets; every given field must match.

    Results are ordered by ``(received_at, id)``, a stable order for paging:
    pass the last ticket's id as ``after_id`` for the next page.

    Example:
        >>> TicketQuery(status=TicketStatus.ANALYSING, limit=50).limit
        50
    """

    status: TicketStatus | None = None
    priority: Priority | None = None
    customer_id: str | None = None
    assignee: str | None = None
    open_only: bool = False
    limit: int | None = None
    after_id: str | None = None

    def matches(self, ticket: Ticket) -> bool:
        """True when ``ticket`` passes every filter of this query (paging aside)."""
        return (
            (self.status is None or ticket.status is self.status)
            and (self.priority is None or ticket.priority is self.priority)
            and (self.customer_id is None or ticket.customer_id == self.customer_id)
            and (self.assignee is None or ticket.assignee == self.assignee)
            and (not self.open_only or ticket.is_open)
        )


@runtime_checkable
class TicketStore(Protocol):
    """Tickets with their event history, saved with optimistic concurrency.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> store: TicketStore = MemoryStore()
        >>> "T1" in store
        False
    """

    def save(self, ticket: Ticket, *, expected_version: int) -> None:
        """Store ``ticket``, whose stored version must be ``expected_version`` (0: new).

        The events after ``expected_version`` are appended to the history.
        Raises ``DuplicateId`` for a new ticket whose id is taken and
        ``ConcurrencyError`` when the stored version differs; writes nothing then.
        """
        ...

    def get(self, ticket_id: str) -> Ticket:
        """The stored ticket; ``NotFound`` when there is none."""
        ...

    def history(self, ticket_id: str) -> Sequence[TicketEvent]:
        """The ticket's events, oldest first; ``NotFound`` when there is none."""
        ...

    def find(self, query: TicketQuery) -> list[Ticket]:
        """The tickets matching ``query`` in ``(received_at, id)`` order."""
        ...

    def __contains__(self, ticket_id: object) -> bool:
        """True when a ticket with this id is stored."""
        ...
