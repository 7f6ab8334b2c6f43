"""A store in MySQL 8 or MariaDB (10.6 and later) through PyMySQL, shared by several app servers.

Same tables and semantics as :class:`~aftersales.storage.PostgresStore`, in
the MySQL dialect of :mod:`aftersales.storage.mysql.migrations`. Each
connection runs in ``READ COMMITTED`` (as PostgreSQL's default), in UTC, in
``utf8mb4`` with the binary collation, with the SQL modes that make the
shared SQL mean the same thing here (``ANSI_QUOTES``, ``PIPES_AS_CONCAT``,
``STRICT_ALL_TABLES``); ``rowcount`` counts the rows an ``UPDATE`` matched
(``CLIENT.FOUND_ROWS``), not only those it changed.

Optimistic concurrency needs no ``SELECT … FOR UPDATE``: a save is
``UPDATE tickets … WHERE id = ? AND version = ?``; InnoDB makes a second
writer's ``UPDATE`` wait for the first one's row lock and then read the
committed row (an ``UPDATE`` always reads the latest version, whatever the
isolation level), so it matches no row and the save raises
:class:`~aftersales.ConcurrencyError`, writing nothing. The shared SQL's
``INSERT … ON CONFLICT`` is run as MySQL says it (:func:`mysql_statement`);
``DO NOTHING`` is a plain ``INSERT`` whose duplicate-key error counts as no
row (InnoDB rolls back only that statement), so other errors are never
hidden as ``INSERT IGNORE`` would hide them. Migrations run under the named
lock ``aftersales_migrations``, so servers starting together migrate once;
MySQL commits each DDL statement at once, so a step is not atomic.

Needs the ``mysql`` extra: ``pip install "aftersales[mysql]"``.

Example (needs a running server, so it is shown, not run)::

    from aftersales.storage.mysql import MySQLStore
    store = MySQLStore("mysql://app:secret@db.internal/aftersales")
    store.find(TicketQuery(open_only=True, limit=50))
    # → []
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from aftersales.errors import StorageError
from aftersales.storage.mysql.connections import ConnectionPool, connect_arguments
from aftersales.storage.mysql.dialect import MySQLDialect, _Cursor, mysql_statement

__all__ = ["MySQLStore", "mysql_statement"]

_MIGRATION_LOCK: Final = "aftersales_migrations"


class MySQLStore(MySQLDialect):
    """A :class:`~aftersales.storage.Store` in a MySQL 8 or MariaDB database.

    Args:
        url: ``mysql://user:password@host:port/database``; a unix socket is
            given as ``?unix_socket=/path`` (URL-encoded), e.g.
            ``mysql://app@localhost/aftersales?unix_socket=%2Frun%2Fmysqld%2Fmysqld.sock``.
        max_size: the most connections the store opens at once.
        timeout: seconds to wait for a free connection, and to connect.

    The schema is created or upgraded when the store opens. Raises
    :class:`~aftersales.UnsupportedSchemaVersion` for a database written by a
    newer version of the library and :class:`~aftersales.StorageError` when the
    database cannot be reached. The password never appears in a repr or an error.

    Example (needs a running server, so it is shown, not run)::

        store = MySQLStore("mysql://app:secret@127.0.0.1/aftersales", max_size=8)
        store.schema_version()
        # → 18
    """

    def __init__(
        self,
        url: str,
        *,
        max_size: int = 8,
        timeout: float = 30.0,
        _target_version: int | None = None,
    ) -> None:
        super().__init__()
        arguments = connect_arguments(url, timeout)
        self.where = f"MySQL database {arguments['database']!r}"
        self._pool = ConnectionPool(arguments, max_size=max_size, timeout=timeout)
        self._local = threading.local()
        try:
            with self._reading() as cur:
                cur.execute(f"SELECT GET_LOCK('{_MIGRATION_LOCK}', {int(timeout)})")
                if cur.fetchone()[0] != 1:
                    raise StorageError(f"{self.where}: another process is migrating the schema")
                try:
                    version = self._migrate(cur, self.migrations, _target_version)
                finally:
                    cur.execute(f"SELECT RELEASE_LOCK('{_MIGRATION_LOCK}')")
            self._open_vocabulary(version)
        except BaseException:
            self._pool.close()
            raise

    def __enter__(self) -> MySQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MySQLStore(<{self._pool.max_size} connections>)"

    # -- the dialect ---------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self._pool.connection() as conn:
            self._local.conn = conn
            self._local.depth = 0
            try:
                yield conn
            finally:
                self._local.conn = None

    @contextmanager
    def _begin(self, conn: Any) -> Iterator[_Cursor]:
        cur = self.cursor_type(conn.cursor())
        depth = getattr(self._local, "depth", 0)
        self._local.depth = depth + 1
        try:
            if depth:
                cur.execute(f"SAVEPOINT s{depth}")
                try:
                    yield cur
                except BaseException:
                    cur.execute(f"ROLLBACK TO SAVEPOINT s{depth}")
                    cur.execute(f"RELEASE SAVEPOINT s{depth}")
                    raise
                cur.execute(f"RELEASE SAVEPOINT s{depth}")
                return
            conn.begin()
            try:
                yield cur
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
        finally:
            self._local.depth = depth

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards.

        Example (needs a running server, so it is shown, not run)::

            MySQLStore("mysql://app@127.0.0.1/aftersales").close()
        """
        self._pool.close()
