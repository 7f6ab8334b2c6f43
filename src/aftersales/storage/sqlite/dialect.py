"""What is SQLite's in the SQLite stores: times as integers, errors and the integrity checks.

Private to the SQLite adapters: :class:`SQLiteDialect` is mixed into
:class:`~aftersales.storage.SQLiteStore` (connections of its own) and into the
SQLite variant of :class:`~aftersales.storage.sqlalchemy.SqlAlchemyStore` (an
application's engine); each provides ``_connect``, ``_begin`` and ``close``,
this class the rest.

Example:
    >>> from datetime import UTC, datetime
    >>> micros(datetime(1970, 1, 1, 0, 0, 1, 5, tzinfo=UTC))
    1000005
"""

from __future__ import annotations

import calendar
import sqlite3
from datetime import datetime
from typing import Any, ClassVar, Final

from aftersales.errors import StorageError
from aftersales.storage._sql.integrity import ColumnProblem, row_name
from aftersales.storage._sql.schema import KEY_ACCOUNT_TEST, Migration, TypedColumn
from aftersales.storage._sql.store import SQLStore
from aftersales.storage.sqlite.migrations import BOOLEANS, MIGRATIONS

__all__ = ["SQLiteDialect", "micros"]

#: What a typed column holds in SQLite, by kind (see ``check_integrity``).
_ACCEPTED: Final = {
    "time": "an integer (microseconds since 1970-01-01 UTC)",
    "integer": "an integer",
    "boolean": "0 or 1",
}


def micros(value: datetime) -> int:
    """Microseconds since 1970-01-01 UTC: how SQLite holds a time."""
    return calendar.timegm(value.utctimetuple()) * 1_000_000 + value.microsecond


class SQLiteDialect(SQLStore):
    """The SQLite dialect of the shared SQL; a subclass provides the connections.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> issubclass(SQLiteStore, SQLiteDialect)
        True
    """

    migrations: ClassVar[tuple[Migration, ...]] = MIGRATIONS
    open_literal: ClassVar[str] = BOOLEANS.true
    key_account_test: ClassVar[str] = KEY_ACCOUNT_TEST["sqlite"]
    false_literal: ClassVar[str] = BOOLEANS.false

    def _ts(self, value: datetime | None) -> Any:
        return None if value is None else micros(value)

    def _translate(self, error: Exception) -> Exception | None:
        if isinstance(error, sqlite3.Error):
            return StorageError(f"{self.where}: {error}")
        return None

    def _database_check(self) -> list[str]:
        with self._reading() as cur:
            cur.execute("PRAGMA integrity_check")
            found = [str(row[0]) for row in cur.fetchall() if row[0] != "ok"]
            cur.execute("PRAGMA foreign_key_check")
            found += [f"foreign key: {tuple(row)}" for row in cur.fetchall()]
        return found

    def _table_names(self, cur: Any) -> set[str]:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {str(row[0]) for row in cur.fetchall()}

    def _column_problems(self, column: TypedColumn) -> list[ColumnProblem]:
        """The rows whose value SQLite kept with another type (it does not enforce column types)."""
        name = column.column
        sound = f"typeof({name}) = 'integer'"
        if column.kind == "boolean":
            sound += f" AND {name} IN (0, 1)"
        if column.nullable:
            sound = f"{name} IS NULL OR ({sound})"
        with self._reading() as cur:
            cur.execute(
                f"SELECT {column.key}, typeof({name}), {name} FROM {column.table}"
                f" WHERE NOT ({sound}) ORDER BY {column.key}"
            )
            rows = cur.fetchall()
        accepted = _ACCEPTED[column.kind] + (" or NULL" if column.nullable else "")
        return [
            (
                key := tuple(row[:-2]),
                f"{row_name(column.table, key, column.key)}: {name} holds {row[-2]} {row[-1]!r};"
                f" accepted: {accepted}",
            )
            for row in rows
        ]
