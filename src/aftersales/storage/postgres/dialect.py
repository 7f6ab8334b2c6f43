"""What is PostgreSQL's in the PostgreSQL stores: times, bulk copies, feed positions, locks, checks.

Private to the PostgreSQL adapters: :class:`PostgresDialect` is mixed into
:class:`~aftersales.storage.postgres.PostgresStore` (a psycopg pool of its
own) and into the PostgreSQL variant of
:class:`~aftersales.storage.sqlalchemy.SqlAlchemyStore` (an application's
engine); each provides ``_connect``, ``_begin`` and ``close``, this class the rest.

Example:
    >>> FEED_CHANNEL
    'aftersales_events'
"""

from __future__ import annotations

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

__all__ = ["EVENTS_OF_TICKETS", "FEED_CHANNEL", "PostgresDialect"]

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


class PostgresDialect(SQLStore):
    """The PostgreSQL dialect of the shared SQL; a subclass provides the connections.

    Example:
        >>> from aftersales.storage.postgres import PostgresStore
        >>> issubclass(PostgresStore, PostgresDialect)
        True
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
