"""A store in PostgreSQL (psycopg 3 and its connection pool), shared by several app servers.

Same tables and semantics as :class:`~aftersales.storage.SQLiteStore`:
events are rows ``(ticket_id, seq, data)`` of JSON text, the ``tickets`` row
holds the queryable columns. Optimistic concurrency needs no ``SELECT … FOR
UPDATE``: a save is ``UPDATE tickets … WHERE id = $1 AND version = $2``; when
two servers race, PostgreSQL makes the second ``UPDATE`` wait for the first
and then find the version moved on, so it matches no row and the save raises
:class:`~aftersales.ConcurrencyError`, writing nothing. New tickets use
``INSERT … ON CONFLICT DO NOTHING``. Migrations run under a transaction-level
advisory lock, so servers starting together migrate once.

Needs the ``postgres`` extra: ``pip install "aftersales[postgres]"``.

Example (needs a running PostgreSQL server, so it is shown, not run)::

    from aftersales.storage.postgres import PostgresStore
    store = PostgresStore("postgresql://app@db.internal/aftersales")
    store.find(TicketQuery(open_only=True, limit=50))
    # → []
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, ClassVar, Final

import psycopg
import psycopg_pool

from aftersales.errors import DuplicateId, StorageError
from aftersales.model.ticket import Ticket
from aftersales.storage._integrity import ColumnProblem
from aftersales.storage._schema import TypedColumn
from aftersales.storage._sql import TICKET_COLUMNS, Migration, SQLStore
from aftersales.storage.protocols import TicketQuery

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "PostgresStore", "TicketQuery"]

_MIGRATION_LOCK: Final = 0x61667465  # "afte": the advisory lock key of migrations

#: The events of a page of tickets (``find``): an index scan of the primary key.
EVENTS_OF_TICKETS: Final = (
    "SELECT ticket_id, seq, data FROM ticket_events WHERE ticket_id = ANY(%s)"
    " ORDER BY ticket_id, seq"
)

#: The schema, one step per version. A later step is appended, never edited.
MIGRATIONS: Final = (
    Migration(
        1,
        "tickets and their events",
        (
            "CREATE TABLE tickets ("
            " id TEXT PRIMARY KEY, version INTEGER NOT NULL, status TEXT NOT NULL,"
            " priority TEXT NOT NULL, customer_id TEXT NOT NULL, assignee TEXT,"
            " channel TEXT NOT NULL, category TEXT NOT NULL, is_open BOOLEAN NOT NULL,"
            " received_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)",
            "CREATE TABLE ticket_events ("
            " ticket_id TEXT NOT NULL REFERENCES tickets (id), seq INTEGER NOT NULL,"
            " data TEXT NOT NULL, PRIMARY KEY (ticket_id, seq))",
            "CREATE INDEX tickets_received ON tickets (received_at, id)",
        ),
    ),
    Migration(
        2,
        "customers; product model and SLA due time on tickets; an index per query",
        (
            "CREATE TABLE customers ( id TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL)",
            "ALTER TABLE tickets ADD COLUMN product_model TEXT",
            "ALTER TABLE tickets ADD COLUMN due_at TIMESTAMPTZ",
            "UPDATE tickets SET product_model = e.data::jsonb #>> '{purchase,product,model}'"
            " FROM ticket_events AS e WHERE e.ticket_id = tickets.id AND e.seq = 1",
            "CREATE INDEX tickets_status ON tickets (status)",
            "CREATE INDEX tickets_priority ON tickets (priority)",
            "CREATE INDEX tickets_customer ON tickets (customer_id)",
            "CREATE INDEX tickets_assignee ON tickets (assignee)",
            "CREATE INDEX tickets_channel ON tickets (channel)",
            "CREATE INDEX tickets_category ON tickets (category)",
            "CREATE INDEX tickets_product_model ON tickets (product_model)",
            "CREATE INDEX tickets_updated ON tickets (updated_at)",
            "CREATE INDEX tickets_open_due ON tickets (due_at)"
            " WHERE is_open = TRUE AND due_at IS NOT NULL",
        ),
    ),
    Migration(
        3,
        "the due-time index also orders by id: the SLA worklist in (due_at, id) order",
        (
            "DROP INDEX tickets_open_due",
            "CREATE INDEX tickets_open_due ON tickets (due_at, id)"
            " WHERE is_open = TRUE AND due_at IS NOT NULL",
        ),
    ),
    Migration(
        4,
        "root causes and their tickets, improvement actions, knowledge articles with their"
        " versions and uses, follow-ups",
        (
            # ids collate as "C" (code point order), so "by id" is the same in every locale
            'CREATE TABLE root_causes (id TEXT COLLATE "C" PRIMARY KEY, department TEXT NOT NULL,'
            " category TEXT NOT NULL, data TEXT NOT NULL)",
            "CREATE INDEX root_causes_department ON root_causes (department, id)",
            "CREATE TABLE root_cause_tickets ("
            ' root_cause_id TEXT COLLATE "C" NOT NULL REFERENCES root_causes (id),'
            " ticket_id TEXT NOT NULL, PRIMARY KEY (root_cause_id, ticket_id))",
            "CREATE INDEX root_cause_tickets_ticket ON root_cause_tickets (ticket_id, root_cause_id)",
            'CREATE TABLE improvement_actions (id TEXT COLLATE "C" PRIMARY KEY,'
            " version INTEGER NOT NULL, status TEXT NOT NULL, cause_id TEXT NOT NULL,"
            " owner TEXT NOT NULL, due_at TIMESTAMPTZ NOT NULL, data TEXT NOT NULL)",
            "CREATE INDEX improvement_actions_due ON improvement_actions (due_at, id)",
            "CREATE INDEX improvement_actions_status ON improvement_actions (status)",
            "CREATE INDEX improvement_actions_cause ON improvement_actions (cause_id)",
            "CREATE INDEX improvement_actions_owner ON improvement_actions (owner)",
            'CREATE TABLE knowledge_articles (id TEXT COLLATE "C" PRIMARY KEY,'
            " version INTEGER NOT NULL, status TEXT NOT NULL, product TEXT,"
            " category TEXT NOT NULL, data TEXT NOT NULL)",
            "CREATE INDEX knowledge_articles_status ON knowledge_articles (status)",
            "CREATE INDEX knowledge_articles_product ON knowledge_articles (product)",
            "CREATE INDEX knowledge_articles_category ON knowledge_articles (category)",
            "CREATE TABLE knowledge_article_versions ("
            ' id TEXT COLLATE "C" NOT NULL REFERENCES knowledge_articles (id),'
            " version INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (id, version))",
            "CREATE TABLE knowledge_uses (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            ' article_id TEXT COLLATE "C" NOT NULL REFERENCES knowledge_articles (id),'
            " ticket_id TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, data TEXT NOT NULL)",
            "CREATE INDEX knowledge_uses_article ON knowledge_uses (article_id, at)",
            "CREATE INDEX knowledge_uses_at ON knowledge_uses (at, article_id)",
            'CREATE TABLE followups (id TEXT COLLATE "C" PRIMARY KEY, version INTEGER NOT NULL,'
            " customer_id TEXT NOT NULL, due_at TIMESTAMPTZ NOT NULL, done BOOLEAN NOT NULL,"
            " data TEXT NOT NULL)",
            "CREATE INDEX followups_due ON followups (due_at, id)",
            "CREATE INDEX followups_open_due ON followups (due_at, id) WHERE done = FALSE",
            "CREATE INDEX followups_customer ON followups (customer_id, due_at)",
        ),
    ),
    Migration(
        5,
        "the company vocabulary: its own terms and their aliases, in registration order",
        (
            "CREATE TABLE vocabulary_terms (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " kind TEXT NOT NULL, code TEXT NOT NULL, label_en TEXT NOT NULL,"
            " label_zh TEXT NOT NULL, UNIQUE (kind, code))",
            "CREATE TABLE vocabulary_aliases (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " kind TEXT NOT NULL, alias TEXT NOT NULL, code TEXT NOT NULL, UNIQUE (kind, alias),"
            " FOREIGN KEY (kind, code) REFERENCES vocabulary_terms (kind, code))",
        ),
    ),
)

#: The column types of ``check_integrity``, by kind (``information_schema`` names).
_COLUMN_TYPES: Final = {
    "time": ("timestamp with time zone",),
    "integer": ("integer", "bigint", "smallint"),
    "boolean": ("boolean",),
}
#: The schema version this library writes.
SCHEMA_VERSION: Final = MIGRATIONS[-1].version


class PostgresStore(SQLStore):
    """A :class:`~aftersales.storage.Store` in a PostgreSQL database.

    Args:
        dsn: a libpq connection string or URL.
        min_size, max_size: bounds of the connection pool.
        timeout: seconds to wait for a connection from the pool.

    The schema is created or upgraded when the store opens. Raises
    :class:`~aftersales.UnsupportedSchemaVersion` for a database written by a
    newer version of the library and :class:`~aftersales.StorageError` when the
    database cannot be reached.

    Example (needs a running PostgreSQL server, so it is shown, not run)::

        store = PostgresStore("host=127.0.0.1 dbname=aftersales", max_size=8)
        store.schema_version()
        # → 5
    """

    placeholder: ClassVar[str] = "%s"
    open_literal: ClassVar[str] = "TRUE"
    false_literal: ClassVar[str] = "FALSE"
    migrations: ClassVar[tuple[Migration, ...]] = MIGRATIONS

    def __init__(
        self,
        dsn: str,
        *,
        min_size: int = 1,
        max_size: int = 8,
        timeout: float = 30.0,
        _target_version: int | None = None,
    ) -> None:
        super().__init__()
        self.dsn = dsn
        self.where = "PostgreSQL database"
        self._local = threading.local()
        self._pool = psycopg_pool.ConnectionPool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            kwargs={"autocommit": True},
            open=False,
            name="aftersales",
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
        except psycopg_pool.PoolTimeout as error:
            self._pool.close()
            raise StorageError(f"{self.where}: cannot connect: {error}") from error
        try:
            with self._writing() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                version = self._migrate(cur, self.migrations, _target_version)
            self._open_vocabulary(version)
        except BaseException:
            self._pool.close()
            raise

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostgresStore(<{self._pool.max_size} connections>)"

    # -- the dialect ---------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[psycopg.Connection[Any]]:
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self._pool.connection() as conn:
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

    @contextmanager
    def _begin(self, conn: psycopg.Connection[Any]) -> Iterator[psycopg.Cursor[Any]]:
        with conn.transaction(), conn.cursor() as cur:
            yield cur

    def _ts(self, value: datetime | None) -> Any:
        return value

    def _insert_new(self, cur: Any, fresh: list[tuple[Ticket, datetime | None]]) -> None:
        """New tickets of a bulk write through ``COPY`` (after the duplicate check)."""
        if not fresh:
            return
        ids = [ticket.id for ticket, _ in fresh]
        cur.execute("SELECT id FROM tickets WHERE id = ANY(%s)", (ids,))
        taken = {row[0] for row in cur.fetchall()}
        if taken:
            raise DuplicateId("ticket", next(i for i in ids if i in taken))
        with cur.copy(f"COPY tickets ({', '.join(TICKET_COLUMNS)}) FROM STDIN") as copy:
            for ticket, due in fresh:
                copy.write_row(self._ticket_row(ticket, due))
        with cur.copy("COPY ticket_events (ticket_id, seq, data) FROM STDIN") as copy:
            for ticket, _ in fresh:
                for row in self._event_rows(ticket, 0):
                    copy.write_row(row)

    def find(self, query: TicketQuery) -> list[Ticket]:
        """See :meth:`~aftersales.storage.TicketStore.find`.

        Two statements in one ``REPEATABLE READ`` read-only snapshot: the page
        of ``tickets`` rows (ordered and limited by an index when one fits,
        e.g. ``tickets_open_due`` for ``order="due"`` with ``due_before``),
        then the events of exactly those tickets with ``ticket_id = ANY(%s)``,
        an index scan of the events' primary key whatever the size of
        ``ticket_events``. Inside a caller's transaction on this thread it is
        one statement joining the two.
        """
        if getattr(self._local, "conn", None) is not None:  # in a unit of work
            return super().find(query)
        with self._writing() as cur:  # a transaction, here only reading
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            page, params = self._page_sql(cur, query, "id, version, status")
            cur.execute(self._sql(page), params)
            heads: list[tuple[str, int, str]] = cur.fetchall()
            if not heads:
                return []
            cur.execute(EVENTS_OF_TICKETS, ([ticket_id for ticket_id, _, _ in heads],))
            events: dict[str, list[tuple[Any, Any]]] = {}
            for ticket_id, seq, data in cur.fetchall():
                events.setdefault(ticket_id, []).append((seq, data))
        return [
            self._decode_ticket(ticket_id, version, status, events.get(ticket_id, []))
            for ticket_id, version, status in heads
        ]

    def _lock_vocabulary(self, cur: Any) -> None:
        cur.execute("LOCK TABLE vocabulary_terms, vocabulary_aliases IN SHARE ROW EXCLUSIVE MODE")

    def _table_names(self, cur: Any) -> set[str]:
        cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return {str(row[0]) for row in cur.fetchall()}

    def _column_problems(self, column: TypedColumn) -> list[ColumnProblem]:
        """The column itself when its type was changed (PostgreSQL enforces it on every value)."""
        with self._reading() as cur:
            cur.execute(
                "SELECT data_type FROM information_schema.columns WHERE table_schema ="
                " current_schema() AND table_name = %s AND column_name = %s",
                (column.table, column.column),
            )
            found = cur.fetchone()
        accepted = _COLUMN_TYPES[column.kind]
        if found is not None and found[0] in accepted:
            return []
        shown = "missing" if found is None else f"of type {found[0]}"
        return [
            (None, f"{column.table}.{column.column} is {shown}; accepted: {' or '.join(accepted)}")
        ]

    def _translate(self, error: Exception) -> Exception | None:
        if isinstance(error, psycopg.Error | psycopg_pool.PoolTimeout):
            return StorageError(f"{self.where}: {error}")
        return None

    def close(self) -> None:
        """Close the connection pool; the store cannot be used afterwards.

        Example (needs a running PostgreSQL server, so it is shown, not run)::

            PostgresStore("dbname=aftersales").close()
        """
        self._pool.close()
