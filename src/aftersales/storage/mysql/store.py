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

import functools
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar, Final

import pymysql

from aftersales.errors import StorageError
from aftersales.storage._sql.integrity import ColumnProblem
from aftersales.storage._sql.schema import Migration, TypedColumn
from aftersales.storage._sql.store import SQLStore
from aftersales.storage.mysql.connections import ConnectionPool, connect_arguments
from aftersales.storage.mysql.migrations import BOOLEANS, MIGRATIONS

__all__ = ["MySQLStore", "mysql_statement"]

_DUPLICATE_KEY: Final = 1062
_MIGRATION_LOCK: Final = "aftersales_migrations"

_DO_NOTHING = re.compile(r"\s+ON CONFLICT \([^)]*\) DO NOTHING\s*$")
_DO_UPDATE = re.compile(r"\s+ON CONFLICT \([^)]*\) DO UPDATE SET ")
_EXCLUDED = re.compile(r"\bexcluded\.(\w+)", re.IGNORECASE)
_KEY_COLUMN = re.compile(r"(?<![\w.\"])key(?![\w\"])")
_MINUS_SPAN = re.compile(r"(\w+\.\w+_at) - \?")


@functools.lru_cache(maxsize=512)
def mysql_statement(sql: str) -> tuple[str, bool]:
    """The shared SQL (``?`` placeholders, PostgreSQL's upserts) as MySQL runs it.

    Returns the statement and whether it was ``ON CONFLICT … DO NOTHING``
    (then a duplicate key means "no row inserted"). ``excluded.c`` becomes
    ``VALUES(c)``, the column ``key`` (a reserved word) is quoted, a time minus
    a span becomes ``- INTERVAL ? MICROSECOND`` and ``?`` becomes ``%s``.

    Example:
        >>> mysql_statement("INSERT INTO s (name) VALUES (?) ON CONFLICT (name) DO NOTHING")
        ('INSERT INTO s (name) VALUES (%s)', True)
        >>> mysql_statement("INSERT INTO c (id, n) VALUES (?, ?)"
        ...                 " ON CONFLICT (id) DO UPDATE SET n = excluded.n")[0]
        'INSERT INTO c (id, n) VALUES (%s, %s) ON DUPLICATE KEY UPDATE n = VALUES(n)'
        >>> mysql_statement("SELECT id FROM projection_keys WHERE key = ?")[0]
        'SELECT id FROM projection_keys WHERE "key" = %s'
    """
    ignoring = _DO_NOTHING.search(sql) is not None
    if ignoring:
        sql = _DO_NOTHING.sub("", sql)
    elif _DO_UPDATE.search(sql):
        sql = _EXCLUDED.sub(r"VALUES(\1)", _DO_UPDATE.sub(" ON DUPLICATE KEY UPDATE ", sql))
    if "projection_keys" in sql:
        sql = _KEY_COLUMN.sub('"key"', sql)
    sql = _MINUS_SPAN.sub(r"\1 - INTERVAL ? MICROSECOND", sql)
    return sql.replace("%", "%%").replace("?", "%s"), ignoring


class _Cursor:
    """A PyMySQL cursor that runs the shared SQL (see :func:`mysql_statement`)."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        self._rowcount = -1

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def description(self) -> Any:
        return self._cursor.description

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        if params is None:  # no parameters: no %-formatting by PyMySQL, run as written
            self._cursor.execute(sql)
            self._rowcount = self._cursor.rowcount
            return
        statement, ignoring = mysql_statement(sql)
        try:
            self._cursor.execute(statement, tuple(params))
            self._rowcount = self._cursor.rowcount
        except pymysql.err.IntegrityError as error:
            if not (ignoring and error.args[0] == _DUPLICATE_KEY):
                raise
            self._rowcount = 0

    def executemany(self, sql: str, rows: Any) -> None:
        statement, ignoring = mysql_statement(sql)
        rows = [tuple(row) for row in rows]
        if not ignoring:
            if rows:
                self._cursor.executemany(statement, rows)
            self._rowcount = self._cursor.rowcount if rows else 0
            return
        total = 0
        for row in rows:
            self.execute(sql, row)
            total += self._rowcount
        self._rowcount = total

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())

    def fetchmany(self, size: int) -> list[Any]:
        return list(self._cursor.fetchmany(size))

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def close(self) -> None:
        self._cursor.close()


#: The column types of ``check_integrity``, by kind (``information_schema`` names).
_COLUMN_TYPES: Final = {
    "time": ("datetime",),
    "integer": ("int", "bigint", "smallint"),
    "boolean": ("tinyint",),
}


class MySQLStore(SQLStore):
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

    placeholder: ClassVar[str] = "?"  # the cursor translates (see ``mysql_statement``)
    open_literal: ClassVar[str] = BOOLEANS.true
    false_literal: ClassVar[str] = BOOLEANS.false
    key_account_test: ClassVar[str] = (
        "COALESCE(JSON_CONTAINS(data, 'true', '$.key_account'), 0) = 1"  # MySQL and MariaDB alike
    )
    migrations: ClassVar[tuple[Migration, ...]] = MIGRATIONS
    events_of_ticket: ClassVar[str] = (
        "(SELECT GROUP_CONCAT(e.seq, CHAR(31 USING utf8mb4), e.data ORDER BY e.seq"
        " SEPARATOR '\x1e') FROM ticket_events AS e WHERE e.ticket_id = t.id)"
    )
    claim_rows: ClassVar[str] = " FOR UPDATE SKIP LOCKED"

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
        cur = _Cursor(conn.cursor())
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

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with super()._reading() as raw:
            yield _Cursor(raw)

    def _ts(self, value: datetime | None) -> Any:
        """A time as an aware UTC ``datetime`` (a ``DATETIME(6)`` column holds its wall-clock time)."""
        if value is None:
            return None
        utc = value.astimezone(UTC)
        return datetime(*utc.timetuple()[:6], utc.microsecond, tzinfo=UTC)

    def _span(self, us: int) -> Any:
        return us  # ``- INTERVAL ? MICROSECOND`` (see ``mysql_statement``)

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """A cursor whose statements read one consistent snapshot (``REPEATABLE READ``)."""
        if getattr(self._local, "conn", None) is not None:  # inside a unit of work
            with self._reading() as cur:
                yield cur
            return
        with self._reading() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cur.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
            try:
                yield cur
            finally:
                cur.execute("COMMIT")

    def _among(self, column: str, values: frozenset[str]) -> tuple[str, Any]:
        import json

        return (
            f"{column} IN (SELECT j.v FROM JSON_TABLE(?, '$[*]' COLUMNS (v VARCHAR(191)"
            " PATH '$')) AS j)",
            json.dumps(sorted(values)),
        )

    def _concat(self, expression: str) -> str:
        return f"GROUP_CONCAT({expression})"

    def _reserve_positions(self, cur: Any, count: int) -> int:
        cur.execute("UPDATE event_feed_head SET position = position + ? WHERE id = 1", (count,))
        cur.execute("SELECT position FROM event_feed_head WHERE id = 1", ())
        return int(cur.fetchone()[0])

    def _lock_vocabulary(self, cur: Any) -> None:
        """Registrations wait for each other on the feed counter's row (held to the commit)."""
        cur.execute("SELECT position FROM event_feed_head WHERE id = 1 FOR UPDATE")
        cur.fetchall()

    def _table_names(self, cur: Any) -> set[str]:
        cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
        )
        return {str(row[0]) for row in cur.fetchall()}

    def _column_problems(self, column: TypedColumn) -> list[ColumnProblem]:
        """The column itself when its type was changed (MySQL enforces it on every value)."""
        with self._reading() as cur:
            cur.execute(
                "SELECT data_type FROM information_schema.columns WHERE table_schema ="
                " DATABASE() AND table_name = ? AND column_name = ?",
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
        if isinstance(error, pymysql.Error):
            return StorageError(f"{self.where}: {error}")
        return None

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards.

        Example (needs a running server, so it is shown, not run)::

            MySQLStore("mysql://app@127.0.0.1/aftersales").close()
        """
        self._pool.close()
