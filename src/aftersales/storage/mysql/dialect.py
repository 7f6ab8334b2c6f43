"""What is MySQL's in the MySQL stores: the statement translation, times, locks and checks.

Private to the MySQL adapters: :class:`MySQLDialect` is mixed into
:class:`~aftersales.storage.mysql.MySQLStore` (PyMySQL connections of its own
pool) and into the MySQL variant of
:class:`~aftersales.storage.sqlalchemy.SqlAlchemyStore` (an application's
engine); each provides ``_connect``, ``_begin`` and ``close``, this class the rest.

Example:
    >>> mysql_statement("SELECT id FROM tickets WHERE id = ?")
    ('SELECT id FROM tickets WHERE id = %s', False)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar, Final

import pymysql

from aftersales.errors import StorageError
from aftersales.storage._sql.integrity import ColumnProblem
from aftersales.storage._sql.schema import Migration, TypedColumn
from aftersales.storage._sql.store import SQLStore
from aftersales.storage.mysql.interrupted_steps import begun_step_problem
from aftersales.storage.mysql.migrations import BOOLEANS, MIGRATIONS

__all__ = ["MySQLDialect", "mysql_statement"]

_DUPLICATE_KEY: Final = 1062

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


class MySQLDialect(SQLStore):
    """The MySQL dialect of the shared SQL; a subclass provides the connections.

    Example:
        >>> from aftersales.storage.mysql import MySQLStore
        >>> issubclass(MySQLStore, MySQLDialect)
        True
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

    #: The cursor that runs the shared SQL on a PyMySQL cursor.
    cursor_type: ClassVar[type[_Cursor]] = _Cursor

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        with super()._reading() as raw:
            yield self.cursor_type(raw)

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

    def _refuse_interrupted(self, cur: Any, migration: Migration) -> None:
        """Refuse a step begun and not finished (MySQL's DDL cannot be rolled back)."""
        problem = begun_step_problem(cur, self.where, migration)
        if problem is not None:
            raise StorageError(problem)

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
