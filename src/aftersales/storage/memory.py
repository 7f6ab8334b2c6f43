"""An in-process store: for tests, demos and short-lived tools.

Thread-safe; nothing survives the process. It is also the reference the
contract suite (:mod:`aftersales.testing.contract`) holds the other adapters to.
Its company vocabulary (:attr:`MemoryStore.vocabulary`) is its own: another
``MemoryStore`` in the process does not see the terms registered here.

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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData, NotFound
from aftersales.model.customer import Customer
from aftersales.model.events import TicketEvent
from aftersales.model.ticket import Ticket
from aftersales.storage.protocols import Save, TicketQuery
from aftersales.vocab import _KINDS, Term
from aftersales.vocabulary import Vocabulary

__all__ = ["MemoryStore", "check_paging", "check_save"]

T = TypeVar("T", bound=Term)


class MemoryStore:
    """Tickets, customers and the company's vocabulary kept in memory, behind a lock.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> store = MemoryStore()
        >>> store.save(sample_ticket(), expected_version=0)
        >>> len(store.find(TicketQuery()))
        1
    """

    def __init__(self) -> None:
        self._tickets: dict[str, Ticket] = {}
        self._due: dict[str, datetime | None] = {}
        self._customers: dict[str, Customer] = {}
        self._lock = threading.RLock()
        self.vocabulary = Vocabulary()

    # -- tickets ------------------------------------------------------------------------

    def save(
        self, ticket: Ticket, *, expected_version: int, due_at: datetime | None = None
    ) -> None:
        """See :meth:`~aftersales.storage.TicketStore.save`."""
        with self.unit_of_work() as uow:
            uow.save(ticket, expected_version=expected_version, due_at=due_at)

    def save_many(self, items: Iterable[Ticket | Save]) -> None:
        """See :meth:`~aftersales.storage.Store.save_many`."""
        with self.unit_of_work() as uow:
            for item in items:
                entry = item if isinstance(item, Save) else Save(item)
                uow.save(entry.ticket, expected_version=entry.expected_version, due_at=entry.due_at)

    def get(self, ticket_id: str) -> Ticket:
        """See :meth:`~aftersales.storage.TicketStore.get`."""
        check.identifier(ticket_id, "ticket_id")
        try:
            return self._tickets[ticket_id]
        except KeyError:
            raise NotFound("ticket", ticket_id) from None

    def history(self, ticket_id: str) -> Sequence[TicketEvent]:
        """See :meth:`~aftersales.storage.TicketStore.history`."""
        return self.get(ticket_id).history

    def find(self, query: TicketQuery) -> list[Ticket]:
        """See :meth:`~aftersales.storage.TicketStore.find`."""
        check.instance_of(TicketQuery)(query, "query")
        with self.vocabulary.active():
            resolved = query.resolved()
            with self._lock:
                stored = {i: (t, self._due.get(i)) for i, t in self._tickets.items()}
            return resolved.select(stored)

    def count(self, query: TicketQuery) -> int:
        """See :meth:`~aftersales.storage.Store.count`."""
        return len(self.find(query))

    def __contains__(self, ticket_id: object) -> bool:
        return isinstance(ticket_id, str) and ticket_id in self._tickets

    def __len__(self) -> int:
        return len(self._tickets)

    # -- vocabulary ---------------------------------------------------------------------

    def register_term(
        self,
        kind: type[T],
        code: str,
        label_en: str,
        label_zh: str,
        *,
        aliases: Iterable[str] = (),
    ) -> T:
        """See :meth:`~aftersales.storage.VocabularyStore.register_term` (kept in memory)."""
        return self.vocabulary.register(kind, code, label_en, label_zh, aliases=aliases)

    # -- customers ----------------------------------------------------------------------

    def save_customer(self, customer: Customer) -> None:
        """See :meth:`~aftersales.storage.CustomerStore.save_customer`."""
        with self.unit_of_work() as uow:
            uow.save_customer(customer)

    def get_customer(self, customer_id: str) -> Customer:
        """See :meth:`~aftersales.storage.CustomerStore.get_customer`."""
        check.identifier(customer_id, "customer_id")
        try:
            return self._customers[customer_id]
        except KeyError:
            raise NotFound("customer", customer_id) from None

    def customers(self, *, limit: int | None = None, after_id: str | None = None) -> list[Customer]:
        """See :meth:`~aftersales.storage.CustomerStore.customers`."""
        check_paging(limit, after_id)
        with self._lock:
            ids = sorted(i for i in self._customers if after_id is None or i > after_id)
            if limit is not None:
                ids = ids[:limit]
            return [self._customers[i] for i in ids]

    # -- units of work ------------------------------------------------------------------

    @contextmanager
    def unit_of_work(self) -> Iterator[_MemoryUnit]:
        """See :meth:`~aftersales.storage.Store.unit_of_work`.

        The store is locked for the duration of the ``with`` block.
        """
        with self._lock:
            unit = _MemoryUnit(self)
            yield unit
            self._tickets.update(unit.tickets)
            self._due.update(unit.due)
            self._customers.update(unit.customers)

    def close(self) -> None:
        """Nothing to release; present for the :class:`~aftersales.storage.Store` protocol."""


class _MemoryUnit:
    """The staged writes of one :meth:`MemoryStore.unit_of_work`."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self.tickets: dict[str, Ticket] = {}
        self.due: dict[str, datetime | None] = {}
        self.customers: dict[str, Customer] = {}

    def get(self, ticket_id: str) -> Ticket:
        staged = self.tickets.get(ticket_id)
        return staged if staged is not None else self.store.get(ticket_id)

    def save(
        self, ticket: Ticket, *, expected_version: int, due_at: datetime | None = None
    ) -> None:
        due = check_save(ticket, expected_version, due_at)
        try:
            stored: Ticket | None = self.get(ticket.id)
        except NotFound:
            stored = None
        actual = 0 if stored is None else stored.version
        if expected_version == 0 and stored is not None:
            raise DuplicateId("ticket", ticket.id)
        if actual != expected_version:
            raise ConcurrencyError(
                "ticket", ticket.id, expected=expected_version, actual=actual or None
            )
        if stored is not None and ticket.history[: stored.version] != stored.history:
            raise _not_extending(ticket.id)
        vocabulary = self.store.vocabulary
        for record in vocabulary.unkept(ticket.history[actual:]):
            vocabulary.register(
                _KINDS[record.kind],
                record.code,
                record.label_en,
                record.label_zh,
                aliases=record.aliases,
            )
        self.tickets[ticket.id] = ticket
        self.due[ticket.id] = due

    def save_customer(self, customer: Customer) -> None:
        self.customers[customer.id] = check.instance_of(Customer)(customer, "customer")


def _not_extending(ticket_id: str) -> InvalidData:
    message = (
        f"the history of ticket {ticket_id!r} does not extend the stored one;"
        " accepted: the stored history followed by new events"
    )
    return InvalidData(f"history: {message}", problems=[("history", message)])


def check_paging(limit: object, after_id: object) -> None:
    """Check the keyset paging arguments of ``customers()`` before anything is read.

    Example:
        >>> check_paging(-1, None)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: limit: -1 is out of range; accepted: an integer from 0 to 2147483647
    """
    check.run_checks_on(
        {
            "limit": (limit, check.optional(check.integer(0))),
            "after_id": (after_id, check.optional(check.identifier)),
        }
    )


def check_save(ticket: Ticket, expected_version: object, due_at: object) -> datetime | None:
    """Check the arguments of a ``save`` before anything is read or written.

    Returns ``due_at`` normalised to UTC. Raises ``InvalidData`` for a value that
    is not a ticket, an ``expected_version`` not below the ticket's version, or
    a naive ``due_at``.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> check_save(sample_ticket(), 0, None) is None
        True
        >>> check_save(sample_ticket(), 9, None)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: expected_version: 9 is not below the ticket's version 9; accepted: 0 to 8
    """
    check.instance_of(Ticket)(ticket, "ticket")
    if (
        not isinstance(expected_version, int)
        or isinstance(expected_version, bool)
        or not 0 <= expected_version < ticket.version
    ):
        message = (
            f"{shown(expected_version)} is not below the ticket's version {ticket.version};"
            f" accepted: 0 to {ticket.version - 1}"
        )
        raise InvalidData(f"expected_version: {message}", problems=[("expected_version", message)])
    return check.optional_aware(due_at, "due_at")
