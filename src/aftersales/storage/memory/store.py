"""The in-process ticket store: tickets, customers and a company vocabulary in memory.

For tests, demos and short-lived tools. Thread-safe; nothing survives the
process. It is also the reference the contract suite
(:mod:`aftersales.testing.contracts`) holds the other adapters to.
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
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

import pendulum

from aftersales import _checks as check
from aftersales.errors import ConcurrencyError, DuplicateId, NotFound
from aftersales.model.customer import Customer
from aftersales.model.events import TicketEvent
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.readmodel.facts import ProjectedFacts
from aftersales.readmodel.projection import TicketProjection
from aftersales.readmodel.reading import FactsReading, FactsRequest, read_from_projections
from aftersales.storage._renamed_verbs import RenamedStoreVerbs
from aftersales.storage.memory.alerts import alerts_due
from aftersales.storage.memory.attributes import MemoryAttributeDefinitions
from aftersales.storage.memory.facts import current_facts, replace_projections
from aftersales.storage.memory.feed import MemoryFeed
from aftersales.storage.memory.installed_base import MemoryInstalledBase
from aftersales.storage.memory.policies import MemoryPolicies
from aftersales.storage.memory.schedules import MemorySchedules
from aftersales.storage.memory.subscriptions import MemorySubscriptions
from aftersales.storage.memory.surveys import MemorySurveys
from aftersales.storage.memory.teams import MemoryTeams
from aftersales.storage.memory.templates import MemoryReplyTemplateStore
from aftersales.storage.ports import Save
from aftersales.storage.save_checks import (
    check_paging,
    check_projection,
    check_save,
    check_stream,
    not_extending,
)
from aftersales.vocab import _KINDS, Term
from aftersales.vocabulary import Vocabulary

__all__ = ["MemoryStore"]

T = TypeVar("T", bound=Term)


class MemoryStore(
    MemorySchedules,
    MemoryFeed,
    MemorySubscriptions,
    MemoryReplyTemplateStore,
    MemoryAttributeDefinitions,
    MemoryTeams,
    MemorySurveys,
    MemoryInstalledBase,
    MemoryPolicies,
    RenamedStoreVerbs,
):
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
        self._projections: dict[str, TicketProjection] = {}
        self._customers: dict[str, Customer] = {}
        self._lock = threading.RLock()
        self.vocabulary = Vocabulary()

    # -- tickets ------------------------------------------------------------------------

    def save(
        self,
        ticket: Ticket,
        *,
        expected_version: int,
        due_at: datetime | None = None,
        projection: TicketProjection | None = None,
    ) -> None:
        """See :meth:`~aftersales.storage.TicketStore.save`."""
        with self.unit_of_work() as uow:
            uow.save(
                ticket, expected_version=expected_version, due_at=due_at, projection=projection
            )

    def save_many(self, items: Iterable[Ticket | Save]) -> None:
        """See :meth:`~aftersales.storage.Store.save_many`."""
        with self.unit_of_work() as uow:
            for item in items:
                entry = item if isinstance(item, Save) else Save(item)
                uow.save(
                    entry.ticket,
                    expected_version=entry.expected_version,
                    due_at=entry.due_at,
                    projection=entry.projection,
                )

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

    def stream(self, query: TicketQuery, *, batch: int = 1000) -> Iterator[Ticket]:
        """See :meth:`~aftersales.storage.TicketStore.stream` (the tickets are in memory already)."""
        check_stream(query, batch)
        return iter(self.find(query))

    def count(self, query: TicketQuery) -> int:
        """See :meth:`~aftersales.storage.Store.count`."""
        return len(self.find(query))

    def find_alerts_due(
        self,
        at: datetime,
        *,
        include_recorded: bool = False,
        limit: int | None = None,
        after: tuple[datetime, str] | None = None,
    ) -> list[tuple[pendulum.DateTime, Ticket]]:
        """See :meth:`~aftersales.storage.SlaAlertStore.find_alerts_due`."""
        with self._lock:
            tickets, projections = dict(self._tickets), dict(self._projections)
        return alerts_due(
            tickets, projections, at, include_recorded=include_recorded, limit=limit, after=after
        )

    # -- facts (see aftersales.storage.memory.facts) ----------------------------------------

    def read_facts(self, request: FactsRequest) -> FactsReading:
        """See :meth:`~aftersales.storage.FactsStore.read_facts`."""
        with self._lock:
            tickets, projections = dict(self._tickets), dict(self._projections)
        return read_from_projections(tickets, projections, request)

    def find_facts(
        self,
        *,
        received_from: datetime | None = None,
        received_before: datetime | None = None,
        ticket_ids: Collection[str] | None = None,
        key: str | None = None,
    ) -> Iterator[ProjectedFacts]:
        """See :meth:`~aftersales.storage.FactsStore.find_facts`."""
        with self._lock:
            tickets, projections = dict(self._tickets), dict(self._projections)
        return current_facts(tickets, projections, received_from, received_before, ticket_ids, key)

    def save_projections(self, items: Iterable[tuple[str, TicketProjection]]) -> int:
        """See :meth:`~aftersales.storage.FactsStore.save_projections`."""
        with self._lock:
            return replace_projections(self._tickets, self._projections, self._due, items)

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

    def find_customers(
        self,
        *,
        limit: int | None = None,
        after_id: str | None = None,
        key_account: bool | None = None,
    ) -> list[Customer]:
        """See :meth:`~aftersales.storage.CustomerStore.find_customers`."""
        check_paging(limit, after_id)
        check.run_checks_on({"key_account": (key_account, check.optional(check.flag))})
        with self._lock:
            ids = sorted(
                i
                for i, customer in self._customers.items()
                if (after_id is None or i > after_id)
                and (key_account is None or customer.key_account is key_account)
            )
            if limit is not None:
                ids = ids[:limit]
            return [self._customers[i] for i in ids]

    def find_customer_ids(self, *, key_account: bool | None = None) -> list[str]:
        """See :meth:`~aftersales.storage.CustomerStore.find_customer_ids`."""
        check.run_checks_on({"key_account": (key_account, check.optional(check.flag))})
        with self._lock:
            return sorted(
                i
                for i, customer in self._customers.items()
                if key_account is None or customer.key_account is key_account
            )

    # -- units of work ------------------------------------------------------------------

    @contextmanager
    def unit_of_work(self) -> Iterator[_MemoryUnit]:
        """See :meth:`~aftersales.storage.Store.unit_of_work`.

        The store is locked for the duration of the ``with`` block.
        """
        with self._lock:
            unit = _MemoryUnit(self)
            yield unit
            self._append_to_feed(unit.tickets)
            self._tickets.update(unit.tickets)
            self._due.update(unit.due)
            for ticket_id, projection in unit.projections.items():
                if projection is None:
                    self._projections.pop(ticket_id, None)
                else:
                    self._projections[ticket_id] = projection
            self._customers.update(unit.customers)

    def close(self) -> None:
        """Nothing to release; present for the :class:`~aftersales.storage.Store` protocol."""


class _MemoryUnit:
    """The staged writes of one :meth:`MemoryStore.unit_of_work`."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self.tickets: dict[str, Ticket] = {}
        self.due: dict[str, datetime | None] = {}
        self.projections: dict[str, TicketProjection | None] = {}
        self.customers: dict[str, Customer] = {}

    def get(self, ticket_id: str) -> Ticket:
        staged = self.tickets.get(ticket_id)
        return staged if staged is not None else self.store.get(ticket_id)

    def save(
        self,
        ticket: Ticket,
        *,
        expected_version: int,
        due_at: datetime | None = None,
        projection: TicketProjection | None = None,
    ) -> None:
        due = check_save(ticket, expected_version, due_at)
        due, projection = check_projection(ticket, due, projection)
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
            raise not_extending(ticket.id)
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
        self.projections[ticket.id] = projection

    def save_customer(self, customer: Customer) -> None:
        self.customers[customer.id] = check.instance_of(Customer)(customer, "customer")

    def save_many(self, items: Iterable[Ticket | Save]) -> None:
        staged = (dict(self.tickets), dict(self.due), dict(self.projections))
        try:
            for item in items:
                entry = item if isinstance(item, Save) else Save(item)
                self.save(
                    entry.ticket,
                    expected_version=entry.expected_version,
                    due_at=entry.due_at,
                    projection=entry.projection,
                )
        except BaseException:
            self.tickets, self.due, self.projections = staged
            raise

    def find_alerts_due(
        self,
        at: datetime,
        *,
        include_recorded: bool = False,
        limit: int | None = None,
        after: tuple[datetime, str] | None = None,
    ) -> list[tuple[pendulum.DateTime, Ticket]]:
        tickets = {**self.store._tickets, **self.tickets}
        projections = {**self.store._projections, **self.projections}
        return alerts_due(
            tickets, projections, at, include_recorded=include_recorded, limit=limit, after=after
        )
