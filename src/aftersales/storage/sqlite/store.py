"""The embedded default store: one SQLite file, standard library only.

The database is created and migrated by the store itself (table
``aftersales_schema`` records every migration applied; the steps are
:data:`~aftersales.storage.sqlite.migrations.MIGRATIONS`). It runs in WAL mode,
so readers never wait for a writer; every write is one ``BEGIN IMMEDIATE``
transaction that waits up to ``timeout`` seconds for another writer (thread or
process) to finish. Each thread gets its own connection.

Events are rows ``(ticket_id, seq, data)`` holding the JSON of
:func:`aftersales.serialization.to_json`; the ``tickets`` row holds the
queryable columns and the ticket's snapshot. Reading a ticket builds it from
its snapshot and its events, decoded on the trusted path, without replaying
them (:mod:`aftersales.storage._sql.ticket_reads`); a row that cannot be read
raises :class:`~aftersales.StorageError` naming the table and the row.

Example:
    >>> from aftersales.storage import SQLiteStore, TicketQuery
    >>> from aftersales.testing.samples import sample_ticket
    >>> store = SQLiteStore(":memory:")
    >>> store.save(sample_ticket(), expected_version=0)
    >>> [t.id for t in store.find(TicketQuery(product_model="A型智能办公设备"))]
    ['T202405001']
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from aftersales import _checks as check
from aftersales.errors import StorageError
from aftersales.storage.sqlite.dialect import SQLiteDialect, micros

__all__ = ["SQLiteStore"]

#: The name older modules import from here.
_micros = micros


class SQLiteStore(SQLiteDialect):
    """A :class:`~aftersales.storage.Store` in one SQLite file.

    Args:
        path: the database file (created when missing), or ``":memory:"`` for a
            private in-memory database (one connection shared behind a lock).
        timeout: seconds a write waits for another writer before giving up
            with :class:`~aftersales.StorageError`.
        synchronous: SQLite's ``synchronous`` setting; ``"NORMAL"`` (default)
            never corrupts the file and, in WAL mode, keeps every commit across
            a process crash; ``"FULL"`` also keeps the last commits across a
            power loss.

    Raises :class:`~aftersales.UnsupportedSchemaVersion` for a database
    written by a newer version of the library, and
    :class:`~aftersales.StorageError` for a file that is not a database.

    Example:
        >>> import tempfile, os
        >>> from aftersales.testing.samples import sample_ticket
        >>> path = os.path.join(tempfile.mkdtemp(), "desk.db")
        >>> with SQLiteStore(path) as store:
        ...     store.save(sample_ticket(), expected_version=0)
        >>> SQLiteStore(path).get("T202405001").satisfaction
        5
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        timeout: float = 30.0,
        synchronous: str = "NORMAL",
        _target_version: int | None = None,
    ) -> None:
        super().__init__()
        modes = ("OFF", "NORMAL", "FULL", "EXTRA")
        check.run_checks_on(
            {
                "path": (path, lambda value, _: check.database_path(value)),
                "timeout": (timeout, check.seconds(0, 3600)),
                "synchronous": (synchronous, check.member_of(modes, str.upper)),
            }
        )
        self.path = os.fspath(path)
        self.where = f"database {self.path!r}"
        self.timeout = timeout
        self.synchronous = synchronous.upper()
        self._memory = self.path == ":memory:"
        self._lock = threading.RLock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        with self._writing() as cur:
            version = self._migrate(cur, self.migrations, _target_version)
        self._open_vocabulary(version)

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    # -- the dialect ---------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self._closed:
            raise StorageError(f"{self.where}: the store is closed")
        conn = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        try:
            if not self._memory:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {self.synchronous}")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error:
            conn.close()
            raise
        with self._lock:
            self._connections.append(conn)
        return conn

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if self._memory:
            with self._lock:
                if not self._connections:
                    self._open()
                yield self._connections[0]
            return
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._open()
        yield conn

    @contextmanager
    def _begin(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
        cur = conn.cursor()
        if conn.in_transaction:
            depth = getattr(self._local, "depth", 0) + 1
            self._local.depth = depth
            cur.execute(f"SAVEPOINT s{depth}")
            try:
                yield cur
            except BaseException:
                cur.execute(f"ROLLBACK TO s{depth}")
                cur.execute(f"RELEASE s{depth}")
                raise
            else:
                cur.execute(f"RELEASE s{depth}")
            finally:
                self._local.depth = depth - 1
            return
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards.

        Example:
            >>> store = SQLiteStore(":memory:")
            >>> store.close()
        """
        with self._lock:
            self._closed = True
            for conn in self._connections:
                conn.close()
            self._connections.clear()
