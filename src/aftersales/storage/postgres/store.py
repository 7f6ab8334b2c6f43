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
from typing import Any, Final

import psycopg
import psycopg_pool

from aftersales.errors import StorageError
from aftersales.storage.postgres.dialect import EVENTS_OF_TICKETS, FEED_CHANNEL, PostgresDialect

__all__ = ["EVENTS_OF_TICKETS", "FEED_CHANNEL", "PostgresStore"]

_MIGRATION_LOCK: Final = 0x61667465  # "afte": the advisory lock key of migrations


class PostgresStore(PostgresDialect):
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
