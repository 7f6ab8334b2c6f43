"""The base of the SQL stores: tickets and customers in rows, saved in transactions.

Private: :class:`~aftersales.storage.SQLiteStore` and
:class:`~aftersales.storage.PostgresStore` subclass :class:`SQLStore`, which
writes its SQL with ``?`` placeholders and lets the dialect translate them,
and :class:`SQLUnit` is their unit of work.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any, ClassVar

import pendulum

from aftersales import _checks as check
from aftersales.errors import (
    AftersalesError,
    ConcurrencyError,
    DuplicateId,
    InvalidData,
    NotFound,
    StorageError,
)
from aftersales.followup.tasks import FollowUpTask
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.knowledge.article import ArticleUse, KnowledgeArticle
from aftersales.model.customer import Customer
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.serialization import from_dict, parse_json, to_json
from aftersales.storage._renamed_verbs import RenamedStoreVerbs
from aftersales.storage._sql.alerts import AlertQueries, alert_columns
from aftersales.storage._sql.attributes import AttributeTables
from aftersales.storage._sql.batched_saves import BatchedSaves
from aftersales.storage._sql.feed import EVENT_INSERT, FeedTables
from aftersales.storage._sql.installed_base import InstalledBaseTables
from aftersales.storage._sql.integrity import IntegrityChecks
from aftersales.storage._sql.policies import PolicyTables
from aftersales.storage._sql.projections import ProjectionTables
from aftersales.storage._sql.records import RecordTables
from aftersales.storage._sql.schedules import ScheduleTables
from aftersales.storage._sql.schema import KEY_ACCOUNT_TEST, TICKET_COLUMNS, SchemaSteps, insert_sql
from aftersales.storage._sql.subscriptions import SubscriptionTables
from aftersales.storage._sql.surveys import SurveyTables
from aftersales.storage._sql.tag_rows import TicketTagRows
from aftersales.storage._sql.teams import TeamTables
from aftersales.storage._sql.templates import ReplyTemplateTables
from aftersales.storage._sql.ticket_queries import TicketQueries
from aftersales.storage._sql.ticket_reads import TicketReads, event_problem
from aftersales.storage._sql.vocabulary import VocabularyTables
from aftersales.storage.ports import Save
from aftersales.storage.save_checks import (
    check_paging,
    check_projection,
    check_save,
    not_extending,
)
from aftersales.ticket_snapshot import snapshot_json
from aftersales.trusted_text import event_text

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


class SQLStore(
    TicketQueries,
    TicketReads,
    AlertQueries,
    ProjectionTables,
    RecordTables,
    VocabularyTables,
    ScheduleTables,
    ReplyTemplateTables,
    TicketTagRows,
    AttributeTables,
    TeamTables,
    SurveyTables,
    InstalledBaseTables,
    PolicyTables,
    FeedTables,
    SubscriptionTables,
    SchemaSteps,
    IntegrityChecks,
    BatchedSaves,
    RenamedStoreVerbs,
):
    """Base of the SQL adapters; see :class:`~aftersales.storage.SQLiteStore`.

    Tickets and customers here; their queries in
    :class:`~aftersales.storage._sql.ticket_queries.TicketQueries` and their reads
    in :class:`~aftersales.storage._sql.ticket_reads.TicketReads`; root
    causes, improvement actions, knowledge articles and follow-ups in
    :class:`~aftersales.storage._sql.records.RecordTables`;
    the company vocabulary in :class:`~aftersales.storage._sql.vocabulary.VocabularyTables`;
    official holiday schedules in :class:`~aftersales.storage._sql.schedules.ScheduleTables`;
    reply templates in :class:`~aftersales.storage._sql.templates.ReplyTemplateTables`;
    the tickets' tags in :class:`~aftersales.storage._sql.tag_rows.TicketTagRows`;
    custom attribute declarations and the tickets' values in
    :class:`~aftersales.storage._sql.attributes.AttributeTables`;
    named calendars and teams in :class:`~aftersales.storage._sql.teams.TeamTables`;
    answered surveys in :class:`~aftersales.storage._sql.surveys.SurveyTables`; the
    installed base in :class:`~aftersales.storage._sql.installed_base.InstalledBaseTables`;
    the event feed in :class:`~aftersales.storage._sql.feed.FeedTables` and subscriptions'
    checkpoints in :class:`~aftersales.storage._sql.subscriptions.SubscriptionTables`;
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
    #: The dialect's test of a customers row's ``key_account`` flag in its JSON.
    key_account_test: ClassVar[str] = KEY_ACCOUNT_TEST["sqlite"]
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

    def _ticket_row(
        self, ticket: Ticket, due_at: datetime | None, projection: TicketProjection | None = None
    ) -> tuple[Any, ...]:
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
            snapshot_json(ticket),
            *map(self._ts, alert_columns(projection)),
            ticket.substatus,
            None if ticket.ticket_type is None else ticket.ticket_type.code,
        )

    @staticmethod
    def _event_rows(ticket: Ticket, after: int) -> list[tuple[str, int, str]]:
        return [(ticket.id, event.seq, event_text(event)) for event in ticket.history[after:]]

    # -- queries -------------------------------------------------------------------------

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
        row = self._ticket_row(ticket, due, projection)
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
                raise event_problem("ticket_events", ticket.id, expected_version, "missing")
            with self.vocabulary.active():
                stored = self._decode_event(ticket.id, expected_version, found[0])
            if stored != ticket.history[expected_version - 1]:
                raise not_extending(ticket.id)
        cur.executemany(
            self._sql(EVENT_INSERT),
            self._positioned(cur, self._event_rows(ticket, expected_version)),
        )
        self._keep_terms(cur, ticket.history[expected_version:])
        self._write_projections(cur, [(ticket, projection)])
        self._write_tags(cur, [(ticket, expected_version)])
        self._write_attributes(cur, [(ticket, expected_version)])

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
            (self._ticket_row(ticket, due, projection) for ticket, due, projection in fresh),
        )
        cur.executemany(
            self._sql(EVENT_INSERT),
            self._positioned(
                cur, [row for ticket, _, _ in fresh for row in self._event_rows(ticket, 0)]
            ),
        )
        self._keep_terms(cur, (event for ticket, _, _ in fresh for event in ticket.history))
        self._write_projections(cur, [(ticket, projection) for ticket, _, projection in fresh])
        self._write_tags(cur, [(ticket, 0) for ticket, _, _ in fresh])
        self._write_attributes(cur, [(ticket, 0) for ticket, _, _ in fresh])

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
        self,
        *,
        limit: int | None = None,
        after_id: str | None = None,
        key_account: bool | None = None,
    ) -> list[Customer]:
        """See :meth:`~aftersales.storage.CustomerStore.find_customers`."""
        check_paging(limit, after_id)
        check.run_checks_on({"key_account": (key_account, check.optional(check.flag))})
        sql = "SELECT id, data FROM customers"
        params: list[Any] = []
        tests = []
        if after_id is not None:
            tests.append("id > ?")
            params.append(after_id)
        if key_account is not None:
            # the JSON test only narrows the rows read; the decoded flag decides
            tests.append(self.key_account_test if key_account else f"NOT {self.key_account_test}")
        if tests:
            sql += " WHERE " + " AND ".join(tests)
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._reading() as cur:
            cur.execute(self._sql(sql), params)
            rows = cur.fetchall()
        found = [self._decode_customer(customer_id, data) for customer_id, data in rows]
        if key_account is None:
            return found
        return [customer for customer in found if customer.key_account is key_account]

    def find_customer_ids(self, *, key_account: bool | None = None) -> list[str]:
        """See :meth:`~aftersales.storage.CustomerStore.find_customer_ids`."""
        check.run_checks_on({"key_account": (key_account, check.optional(check.flag))})
        sql = "SELECT id FROM customers"
        if key_account is not None:  # the key-account index answers it (schema 10)
            sql += (
                f" WHERE {self.key_account_test}"
                if key_account
                else f" WHERE NOT {self.key_account_test}"
            )
        with self._reading() as cur:
            cur.execute(self._sql(sql + " ORDER BY id"))
            return [customer_id for (customer_id,) in cur.fetchall()]

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

    def save_many(self, items: Iterable[Ticket | Save]) -> None:
        """See :meth:`~aftersales.storage.SlaAlertUnit.save_many` (a statement per table)."""
        self._store._write(self._store._save_many_in, items)

    def save_customer(self, customer: Customer) -> None:
        """See :meth:`~aftersales.storage.UnitOfWork.save_customer`."""
        self._store._write(self._store._save_customer, customer)

    def get(self, ticket_id: str) -> Ticket:
        """See :meth:`~aftersales.storage.UnitOfWork.get`."""
        return self._store._get(self._cur, ticket_id)

    def find_alerts_due(
        self,
        at: datetime,
        *,
        include_recorded: bool = False,
        limit: int | None = None,
        after: tuple[datetime, str] | None = None,
    ) -> list[tuple[pendulum.DateTime, Ticket]]:
        """See :meth:`~aftersales.storage.SlaAlertUnit.find_alerts_due`."""
        return self._store._unit_alerts_due(self._cur, at, include_recorded, limit, after)

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
