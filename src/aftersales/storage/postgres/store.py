"""A store in PostgreSQL (psycopg 3 and its connection pool), shared by several app servers.

Same tables and semantics as :class:`~aftersales.storage.SQLiteStore`:
events are rows ``(ticket_id, seq, data)`` of JSON text, the ``tickets`` row
holds the queryable columns and the ticket's snapshot, from which reads build
the ticket without replaying its events. Optimistic concurrency needs no ``SELECT … FOR
UPDATE``: a save is ``UPDATE tickets … WHERE id = $1 AND version = $2``; when
two servers race, PostgreSQL makes the second ``UPDATE`` wait for the first
and then find the version moved on, so it matches no row and the save raises
:class:`~aftersales.ConcurrencyError`, writing nothing. New tickets use
``INSERT … ON CONFLICT DO NOTHING``. Migrations
(:data:`~aftersales.storage.postgres.migrations.MIGRATIONS`) run under a
transaction-level advisory lock, so servers starting together migrate once.

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
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.storage._sql.integrity import ColumnProblem
from aftersales.storage._sql.schema import KEY_ACCOUNT_TEST, TICKET_COLUMNS, Migration, TypedColumn
from aftersales.storage._sql.store import SQLStore
from aftersales.storage.postgres.migrations import BOOLEANS, MIGRATIONS

__all__ = ["EVENTS_OF_TICKETS", "FEED_CHANNEL", "PostgresStore"]

_MIGRATION_LOCK: Final = 0x61667465  # "afte": the advisory lock key of migrations

#: The events of a page of tickets (``find``, ``stream``), one text per ticket (see
#: ``TicketReads.events_of_ticket``): an index scan of the primary key.
EVENTS_OF_TICKETS: Final = (
    "SELECT ticket_id, string_agg(seq || chr(31) || data, chr(30) ORDER BY seq)"
    " FROM ticket_events WHERE ticket_id = ANY(%s) GROUP BY ticket_id"
)

#: The channel a transaction that stores events notifies (``LISTEN aftersales_events``).
FEED_CHANNEL: Final = "aftersales_events"

#: The column types of ``check_integrity``, by kind (``information_schema`` names).
_COLUMN_TYPES: Final = {
    "time": ("timestamp with time zone",),
    "integer": ("integer", "bigint", "smallint"),
    "boolean": ("boolean",),
}


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
        # → 8
    """

    placeholder: ClassVar[str] = "%s"
    open_literal: ClassVar[str] = BOOLEANS.true
    key_account_test: ClassVar[str] = KEY_ACCOUNT_TEST["postgres"]
    false_literal: ClassVar[str] = BOOLEANS.false
    migrations: ClassVar[tuple[Migration, ...]] = MIGRATIONS
    events_of_ticket: ClassVar[str] = (
        "(SELECT string_agg(e.seq || chr(31) || e.data, chr(30) ORDER BY e.seq)"
        " FROM ticket_events AS e WHERE e.ticket_id = t.id)"
    )
    claim_rows: ClassVar[str] = " FOR UPDATE SKIP LOCKED"

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
        self._listening = threading.Lock()
        self._listener: psycopg.Connection[Any] | None = None
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

    def _insert_new(
        self, cur: Any, fresh: list[tuple[Ticket, datetime | None, TicketProjection | None]]
    ) -> None:
        """New tickets of a bulk write through ``COPY`` (after the duplicate check)."""
        if not fresh:
            return
        ids = [ticket.id for ticket, _, _ in fresh]
        cur.execute("SELECT id FROM tickets WHERE id = ANY(%s)", (ids,))
        taken = {row[0] for row in cur.fetchall()}
        if taken:
            raise DuplicateId("ticket", next(i for i in ids if i in taken))
        with cur.copy(f"COPY tickets ({', '.join(TICKET_COLUMNS)}) FROM STDIN") as copy:
            for ticket, due, projection in fresh:
                copy.write_row(self._ticket_row(ticket, due, projection))
        rows = self._positioned(
            cur, [row for ticket, _, _ in fresh for row in self._event_rows(ticket, 0)]
        )
        with cur.copy("COPY ticket_events (ticket_id, seq, data, position) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self._keep_terms(cur, (event for ticket, _, _ in fresh for event in ticket.history))
        self._write_projections(cur, [(ticket, projection) for ticket, _, projection in fresh])
        self._write_tags(cur, [(ticket, 0) for ticket, _, _ in fresh])
        self._write_attributes(cur, [(ticket, 0) for ticket, _, _ in fresh])

    def _reserve_positions(self, cur: Any, count: int) -> int:
        """Reserve ``count`` feed positions (the row lock is held to the commit), and ``NOTIFY``.

        The notification on :data:`FEED_CHANNEL` reaches the listeners when the
        transaction commits (never when it rolls back), waking subscriptions at once.
        """
        cur.execute(
            "UPDATE event_feed_head SET position = position + %s WHERE id = 1 RETURNING position",
            (count,),
        )
        last = int(cur.fetchone()[0])
        cur.execute(f"NOTIFY {FEED_CHANNEL}")
        return last

    def wait_for_events(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a commit that stored events; whether one came.

        The first call starts listening (``LISTEN aftersales_events`` on a
        connection of its own); notifications that arrive between calls are kept,
        so a subscription that reads the feed and then waits misses none.
        See :class:`~aftersales.storage.ports.feed.FeedSignal`.
        """
        with self._listening:
            if self._listener is None:
                try:
                    self._listener = psycopg.connect(self.dsn, autocommit=True)
                    self._listener.execute(f"LISTEN {FEED_CHANNEL}")
                except psycopg.Error as error:
                    raise StorageError(f"{self.where}: cannot listen: {error}") from error
            try:
                return any(True for _ in self._listener.notifies(timeout=timeout, stop_after=1))
            except psycopg.Error as error:
                self._listener.close()
                self._listener = None
                raise StorageError(f"{self.where}: {error}") from error

    def _read_page(self, query: TicketQuery, *, lazy: bool) -> list[Ticket]:
        """The tickets of one page of ``query`` (``find``, and each page of ``stream``).

        Two statements in one ``REPEATABLE READ`` read-only snapshot: the page
        of ``tickets`` rows with their snapshots (ordered and limited by an
        index when one fits, e.g. ``tickets_open_due`` for ``order="due"``
        with ``due_before``), then the events of exactly those tickets with
        ``ticket_id = ANY(%s)``, an index scan of the events' primary key
        whatever the size of ``ticket_events``. Inside a caller's transaction
        on this thread it is one statement joining the two.
        """
        if getattr(self._local, "conn", None) is not None:  # in a unit of work
            return super()._read_page(query, lazy=lazy)
        with self._writing() as cur:  # a transaction, here only reading
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            page, params = self._page_sql(cur, query, "id, version, status, snapshot")
            cur.execute(self._sql(page), params)
            heads: list[tuple[str, int, str, Any]] = cur.fetchall()
            if not heads:
                return []
            cur.execute(EVENTS_OF_TICKETS, ([head[0] for head in heads],))
            events = dict(cur.fetchall())
        return self._decode_rows(((*head, events.get(head[0])) for head in heads), lazy=lazy)

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
        with self._listening:
            if self._listener is not None:
                self._listener.close()
                self._listener = None
        self._pool.close()
