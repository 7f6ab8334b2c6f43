"""The base of the SQL stores: tickets and customers in rows, saved in transactions.

Private: :class:`~aftersales.storage.SQLiteStore` and
:class:`~aftersales.storage.PostgresStore` subclass :class:`SQLStore`, which
writes its SQL with ``?`` placeholders and lets the dialect translate them,
and :class:`SQLUnit` is their unit of work.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any, ClassVar

from aftersales import _checks as check
from aftersales.errors import (
    AftersalesError,
    ConcurrencyError,
    DuplicateId,
    InvalidData,
    NotFound,
    StorageError,
    UnsupportedSchemaVersion,
)
from aftersales.followup.tasks import FollowUpTask
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.knowledge.article import ArticleUse, KnowledgeArticle
from aftersales.model.customer import Customer
from aftersales.model.events import TicketEvent
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.serialization import from_dict, parse_json, to_json
from aftersales.storage._renamed_verbs import RenamedStoreVerbs
from aftersales.storage._sql.integrity import IntegrityChecks
from aftersales.storage._sql.projections import ProjectionTables
from aftersales.storage._sql.records import RecordTables
from aftersales.storage._sql.schema import TICKET_COLUMNS, SchemaSteps, insert_sql
from aftersales.storage._sql.ticket_queries import TicketQueries
from aftersales.storage._sql.vocabulary import VocabularyTables
from aftersales.storage.ports import Save
from aftersales.storage.save_checks import (
    check_paging,
    check_projection,
    check_save,
    not_extending,
)

__all__ = ["SQLStore", "SQLUnit"]

_BATCH = 500


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _event_problem(table: str, ticket_id: str, seq: object, problem: str) -> StorageError:
    return StorageError(f"{table} row (ticket_id={ticket_id!r}, seq={seq}): {problem}")


class SQLStore(
    TicketQueries,
    ProjectionTables,
    RecordTables,
    VocabularyTables,
    SchemaSteps,
    IntegrityChecks,
    RenamedStoreVerbs,
):
    """Base of the SQL adapters; see :class:`~aftersales.storage.SQLiteStore`.

    Tickets and customers here; their queries in
    :class:`~aftersales.storage._sql.ticket_queries.TicketQueries`; root
    causes, improvement actions, knowledge articles and follow-ups in
    :class:`~aftersales.storage._sql.records.RecordTables`;
    the company vocabulary in :class:`~aftersales.storage._sql.vocabulary.VocabularyTables`;
    migrations in :class:`~aftersales.storage._sql.schema.SchemaSteps`; the
    integrity check in :class:`~aftersales.storage._sql.integrity.IntegrityChecks`.
    Rows are decoded under the store's vocabulary.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> issubclass(SQLiteStore, SQLStore)
        True
    """

    #: Placeholder of the driver (``?`` or ``%s``).
    placeholder: ClassVar[str] = "?"
    #: Where errors name the store.
    where: str = "store"

    def __init__(self) -> None:
        self._local = threading.local()

    # -- what a dialect provides ------------------------------------------------------

    def _connect(self) -> AbstractContextManager[Any]:
        """A connection for this thread (not in a transaction unless one is open)."""
        raise NotImplementedError

    def _begin(self, conn: Any) -> AbstractContextManager[Any]:
        """A transaction (or a savepoint when one is open) on ``conn``, yielding a cursor."""
        raise NotImplementedError

    def _ts(self, value: datetime | None) -> Any:
        """A timestamp as the dialect stores it."""
        raise NotImplementedError

    def _translate(self, error: Exception) -> Exception | None:
        """The ``StorageError`` for a driver error, or ``None`` when it is not one."""
        raise NotImplementedError

    # -- plumbing ----------------------------------------------------------------------

    def _sql(self, text: str) -> str:
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        try:
            with self._connect() as conn:
                yield conn.cursor()
        except AftersalesError:
            raise
        except Exception as error:
            translated = self._translate(error)
            if translated is None:
                raise
            raise translated from error

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        try:
            with self._connect() as conn, self._begin(conn) as cur:
                yield cur
        except AftersalesError:
            raise
        except Exception as error:
            translated = self._translate(error)
            if translated is None:
                raise
            raise translated from error

    # -- rows ----------------------------------------------------------------------------

    def _ticket_row(self, ticket: Ticket, due_at: datetime | None) -> tuple[Any, ...]:
        return (
            ticket.id,
            ticket.version,
            ticket.status.value,
            ticket.priority.value,
            ticket.customer_id,
            ticket.assignee,
            ticket.channel.code,
            ticket.category.code,
            ticket.product_model,
            ticket.is_open,
            self._ts(ticket.received_at),
            self._ts(ticket.updated_at),
            self._ts(due_at),
        )

    @staticmethod
    def _event_rows(ticket: Ticket, after: int) -> list[tuple[str, int, str]]:
        return [(ticket.id, event.seq, to_json(event)) for event in ticket.history[after:]]

    def _decode_event(self, ticket_id: str, seq: object, data: object) -> TicketEvent:
        try:
            parsed = parse_json(data) if isinstance(data, str | bytes) else data
            event = from_dict(TicketEvent, parsed)
        except UnsupportedSchemaVersion as error:
            raise _event_problem("ticket_events", ticket_id, seq, str(error)) from error
        except (ValueError, TypeError, InvalidData) as error:
            raise _event_problem("ticket_events", ticket_id, seq, f"unreadable: {error}") from error
        if event.ticket_id != ticket_id or event.seq != seq:
            problem = f"holds event {event.seq} of ticket {event.ticket_id!r}"
            raise _event_problem("ticket_events", ticket_id, seq, problem)
        return event

    def _decode_ticket(
        self, ticket_id: str, version: int, status: str, rows: Sequence[tuple[Any, Any]]
    ) -> Ticket:
        """The ticket of a ``tickets`` row and its events, read under the store's vocabulary."""
        with self.vocabulary.active():
            events = [
                self._decode_event(ticket_id, seq, data) for seq, data in rows if seq is not None
            ]
        where = f"tickets row {ticket_id!r}"
        if len(events) != version:
            raise StorageError(
                f"{where}: version {version} but {len(events)} events in ticket_events;"
                " the history is incomplete"
            )
        try:
            ticket = Ticket.replay(events)
        except AftersalesError as error:
            raise StorageError(f"{where}: its events do not replay: {error}") from error
        if ticket.status.value != status:
            raise StorageError(
                f"{where}: status {status!r} but its events give {ticket.status.value!r}"
            )
        return ticket

    def _decode_tickets(self, rows: Iterable[Sequence[Any]]) -> list[Ticket]:
        tickets: list[Ticket] = []
        current: tuple[str, int, str] | None = None
        events: list[tuple[Any, Any]] = []
        for ticket_id, version, status, seq, data in rows:
            if current is None or current[0] != ticket_id:
                if current is not None:
                    tickets.append(self._decode_ticket(*current, events))
                current, events = (ticket_id, version, status), []
            events.append((seq, data))
        if current is not None:
            tickets.append(self._decode_ticket(*current, events))
        return tickets

    # -- queries -------------------------------------------------------------------------

    def find(self, query: TicketQuery) -> list[Ticket]:
        """See :meth:`~aftersales.storage.TicketStore.find`."""
        check.instance_of(TicketQuery)(query, "query")
        with self._reading() as cur:
            page, params = self._page_sql(cur, query, "id, version, status, received_at, due_at")
            cur.execute(
                self._sql(
                    f"SELECT t.id, t.version, t.status, e.seq, e.data FROM ({page}) AS t"
                    " LEFT JOIN ticket_events AS e ON e.ticket_id = t.id"
                    f" ORDER BY {self._order_by(query, 't.')}, e.seq"
                ),
                params,
            )
            rows = cur.fetchall()
        return self._decode_tickets(rows)

    def find_ids(self, query: TicketQuery) -> list[str]:
        """The ids of the tickets ``find(query)`` would return, in the same order.

        Cheaper than :meth:`find`: no history is read or replayed.

        Example:
            >>> from aftersales.storage import SQLiteStore
            >>> from aftersales.testing.samples import sample_ticket
            >>> store = SQLiteStore(":memory:")
            >>> store.save_many([sample_ticket("T2"), sample_ticket("T1")])
            >>> store.find_ids(TicketQuery(limit=1))
            ['T1']
        """
        check.instance_of(TicketQuery)(query, "query")
        with self._reading() as cur:
            page, params = self._page_sql(cur, query, "id")
            cur.execute(self._sql(page), params)
            return [row[0] for row in cur.fetchall()]

    def count(self, query: TicketQuery) -> int:
        """See :meth:`~aftersales.storage.Store.count`."""
        check.instance_of(TicketQuery)(query, "query")
        with self._reading() as cur:
            where, params = self._where(cur, query)
            cur.execute(self._sql(f"SELECT count(*) FROM tickets{where}"), params)
            total = int(cur.fetchone()[0])
        return total if query.limit is None else min(total, query.limit)

    def get(self, ticket_id: str) -> Ticket:
        """See :meth:`~aftersales.storage.TicketStore.get`."""
        check.identifier(ticket_id, "ticket_id")
        with self._reading() as cur:
            return self._get(cur, ticket_id)

    def _get(self, cur: Any, ticket_id: str) -> Ticket:
        cur.execute(
            self._sql(
                "SELECT t.id, t.version, t.status, e.seq, e.data FROM tickets AS t"
                " LEFT JOIN ticket_events AS e ON e.ticket_id = t.id"
                " WHERE t.id = ? ORDER BY e.seq"
            ),
            (ticket_id,),
        )
        tickets = self._decode_tickets(cur.fetchall())
        if not tickets:
            raise NotFound("ticket", ticket_id)
        return tickets[0]

    def history(self, ticket_id: str) -> Sequence[TicketEvent]:
        """See :meth:`~aftersales.storage.TicketStore.history`."""
        return self.get(ticket_id).history

    def __contains__(self, ticket_id: object) -> bool:
        if not isinstance(ticket_id, str):
            return False
        with self._reading() as cur:
            cur.execute(self._sql("SELECT 1 FROM tickets WHERE id = ?"), (ticket_id,))
            return cur.fetchone() is not None

    def __len__(self) -> int:
        return self.count(TicketQuery())

    # -- writes --------------------------------------------------------------------------

    def save(
        self,
        ticket: Ticket,
        *,
        expected_version: int,
        due_at: datetime | None = None,
        projection: TicketProjection | None = None,
    ) -> None:
        """See :meth:`~aftersales.storage.TicketStore.save`."""
        due = check_save(ticket, expected_version, due_at)
        due, checked = check_projection(ticket, due, projection)
        try:
            with self._writing() as cur:
                self._save(cur, ticket, expected_version, due, checked)
        finally:
            self._after_write()

    def _save(
        self,
        cur: Any,
        ticket: Ticket,
        expected_version: int,
        due: datetime | None,
        projection: TicketProjection | None = None,
    ) -> None:
        row = self._ticket_row(ticket, due)
        if expected_version == 0:
            cur.execute(
                self._sql(f"{insert_sql('tickets', TICKET_COLUMNS)} ON CONFLICT (id) DO NOTHING"),
                row,
            )
            if cur.rowcount != 1:
                raise DuplicateId("ticket", ticket.id)
        else:
            assignments = ", ".join(f"{name} = ?" for name in TICKET_COLUMNS[1:])
            cur.execute(
                self._sql(f"UPDATE tickets SET {assignments} WHERE id = ? AND version = ?"),
                (*row[1:], ticket.id, expected_version),
            )
            if cur.rowcount != 1:
                cur.execute(self._sql("SELECT version FROM tickets WHERE id = ?"), (ticket.id,))
                found = cur.fetchone()
                raise ConcurrencyError(
                    "ticket",
                    ticket.id,
                    expected=expected_version,
                    actual=None if found is None else int(found[0]),
                )
            cur.execute(
                self._sql("SELECT data FROM ticket_events WHERE ticket_id = ? AND seq = ?"),
                (ticket.id, expected_version),
            )
            found = cur.fetchone()
            if found is None:
                raise _event_problem("ticket_events", ticket.id, expected_version, "missing")
            with self.vocabulary.active():
                stored = self._decode_event(ticket.id, expected_version, found[0])
            if stored != ticket.history[expected_version - 1]:
                raise not_extending(ticket.id)
        cur.executemany(
            self._sql("INSERT INTO ticket_events (ticket_id, seq, data) VALUES (?, ?, ?)"),
            self._event_rows(ticket, expected_version),
        )
        self._keep_terms(cur, ticket.history[expected_version:])
        self._write_projections(cur, [(ticket, projection)])

    def save_many(self, items: Iterable[Ticket | Save]) -> None:
        """See :meth:`~aftersales.storage.Store.save_many`.

        New tickets go in batches of multi-row inserts; items are consumed
        inside the transaction, so an interrupted writer leaves nothing behind.
        """
        try:
            self._save_batches(items)
        finally:
            self._after_write()

    def _save_batches(self, items: Iterable[Ticket | Save]) -> None:
        with self._writing() as cur:
            seen: set[str] = set()
            for batch in _batched(items, _BATCH):
                entries = [item if isinstance(item, Save) else Save(item) for item in batch]
                fresh: list[tuple[Ticket, datetime | None, TicketProjection | None]] = []
                for entry in entries:
                    due = check_save(entry.ticket, entry.expected_version, entry.due_at)
                    due, projection = check_projection(entry.ticket, due, entry.projection)
                    if entry.expected_version == 0 and entry.ticket.id not in seen:
                        seen.add(entry.ticket.id)
                        fresh.append((entry.ticket, due, projection))
                        continue
                    if entry.expected_version == 0:
                        raise DuplicateId("ticket", entry.ticket.id)
                    self._insert_new(cur, fresh)
                    fresh = []
                    self._save(cur, entry.ticket, entry.expected_version, due, projection)
                self._insert_new(cur, fresh)

    def _insert_new(
        self, cur: Any, fresh: list[tuple[Ticket, datetime | None, TicketProjection | None]]
    ) -> None:
        if not fresh:
            return
        ids = [ticket.id for ticket, _, _ in fresh]
        cur.execute(
            self._sql(f"SELECT id FROM tickets WHERE id IN ({', '.join('?' * len(ids))})"), ids
        )
        taken = {row[0] for row in cur.fetchall()}
        if taken:
            raise DuplicateId("ticket", next(i for i in ids if i in taken))
        cur.executemany(
            self._sql(insert_sql("tickets", TICKET_COLUMNS)),
            [self._ticket_row(ticket, due) for ticket, due, _ in fresh],
        )
        cur.executemany(
            self._sql("INSERT INTO ticket_events (ticket_id, seq, data) VALUES (?, ?, ?)"),
            [row for ticket, _, _ in fresh for row in self._event_rows(ticket, 0)],
        )
        self._keep_terms(cur, (event for ticket, _, _ in fresh for event in ticket.history))
        self._write_projections(cur, [(ticket, projection) for ticket, _, projection in fresh])

    # -- customers -----------------------------------------------------------------------

    def save_customer(self, customer: Customer) -> None:
        """See :meth:`~aftersales.storage.CustomerStore.save_customer`."""
        self._write(self._save_customer, customer)

    def _save_customer(self, cur: Any, customer: Customer) -> None:
        check.instance_of(Customer)(customer, "customer")
        row = (customer.id, customer.name, to_json(customer))
        self._upsert(cur, "customers", ("id", "name", "data"), row)

    def _decode_customer(self, customer_id: str, data: Any) -> Customer:
        try:
            return from_dict(Customer, parse_json(data))
        except (ValueError, TypeError, InvalidData) as error:
            raise StorageError(f"customers row {customer_id!r}: unreadable: {error}") from error

    def get_customer(self, customer_id: str) -> Customer:
        """See :meth:`~aftersales.storage.CustomerStore.get_customer`."""
        check.identifier(customer_id, "customer_id")
        with self._reading() as cur:
            cur.execute(self._sql("SELECT data FROM customers WHERE id = ?"), (customer_id,))
            found = cur.fetchone()
        if found is None:
            raise NotFound("customer", customer_id)
        return self._decode_customer(customer_id, found[0])

    def find_customers(
        self, *, limit: int | None = None, after_id: str | None = None
    ) -> list[Customer]:
        """See :meth:`~aftersales.storage.CustomerStore.find_customers`."""
        check_paging(limit, after_id)
        sql = "SELECT id, data FROM customers"
        params: list[Any] = []
        if after_id is not None:
            sql += " WHERE id > ?"
            params.append(after_id)
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._reading() as cur:
            cur.execute(self._sql(sql), params)
            rows = cur.fetchall()
        return [self._decode_customer(customer_id, data) for customer_id, data in rows]

    # -- units of work -------------------------------------------------------------------

    @contextmanager
    def unit_of_work(self) -> Iterator[SQLUnit]:
        """See :meth:`~aftersales.storage.Store.unit_of_work`.

        One database transaction; each call inside runs in a savepoint, so a
        refused save leaves the unit's other writes in place.
        """
        try:
            with self._writing() as cur:
                yield SQLUnit(self, cur)
        finally:
            self._after_write()


class SQLUnit(RenamedStoreVerbs):
    """The :class:`~aftersales.storage.UnitOfWork` of the SQL adapters.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.model import Customer
        >>> store = SQLiteStore(":memory:")
        >>> with store.unit_of_work() as uow:
        ...     uow.save_customer(Customer(id="C1", name="XX科技有限公司"))
        >>> store.get_customer("C1").name
        'XX科技有限公司'
    """

    def __init__(self, store: SQLStore, cur: Any) -> None:
        self._store = store
        self._cur = cur

    def save(
        self,
        ticket: Ticket,
        *,
        expected_version: int,
        due_at: datetime | None = None,
        projection: TicketProjection | None = None,
    ) -> None:
        """See :meth:`~aftersales.storage.UnitOfWork.save`."""
        due = check_save(ticket, expected_version, due_at)
        due, checked = check_projection(ticket, due, projection)
        self._store._write(self._store._save, ticket, expected_version, due, checked)

    def save_customer(self, customer: Customer) -> None:
        """See :meth:`~aftersales.storage.UnitOfWork.save_customer`."""
        self._store._write(self._store._save_customer, customer)

    def get(self, ticket_id: str) -> Ticket:
        """See :meth:`~aftersales.storage.UnitOfWork.get`."""
        return self._store._get(self._cur, ticket_id)

    # each write below runs in a savepoint of the unit's transaction (see ``save``)

    def save_root_cause(self, cause: RootCause) -> None:
        """See :meth:`~aftersales.storage.FullUnitOfWork.save_root_cause`."""
        self._store._write(self._store._save_root_cause, cause)

    def save_action(self, action: ImprovementAction, *, expected_version: int) -> None:
        """See :meth:`~aftersales.storage.FullUnitOfWork.save_action`."""
        self._store._write(self._store._save_action, action, expected_version)

    def save_article(self, article: KnowledgeArticle, *, expected_version: int) -> None:
        """See :meth:`~aftersales.storage.FullUnitOfWork.save_article`."""
        self._store._write(self._store._save_article, article, expected_version)

    def save_use(self, use: ArticleUse) -> None:
        """See :meth:`~aftersales.storage.FullUnitOfWork.save_use`."""
        self._store._write(self._store._save_use, use)

    def save_followup(self, task: FollowUpTask, *, expected_version: int) -> None:
        """See :meth:`~aftersales.storage.FullUnitOfWork.save_followup`."""
        self._store._write(self._store._save_followup, task, expected_version)
