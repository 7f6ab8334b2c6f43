""":class:`~aftersales.storage.sqlalchemy.SqlAlchemyStore` on a MySQL or MariaDB engine (PyMySQL).

A checked-out connection gets the session settings of
:class:`~aftersales.storage.mysql.MySQLStore` (UTC, ``utf8mb4_bin``, the SQL
modes the shared SQL needs), set back to the host's when it is given back;
the store's own transactions run in ``READ COMMITTED``. Times are written as
their UTC wall-clock time and ``DATETIME`` values read back as aware UTC
times by the store's cursor, so the engine's own conversions are untouched.
MySQL commits each DDL statement at once, so the schema is migrated only
outside a host's transaction.

Example:
    >>> from datetime import UTC, datetime, timedelta, timezone
    >>> as_utc([datetime(2024, 5, 1, 9, tzinfo=timezone(timedelta(hours=8)))])
    (datetime.datetime(2024, 5, 1, 1, 0),)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Final

from pymysql.constants import CLIENT

from aftersales.errors import InvalidData, StorageError
from aftersales.storage._sql.schema import SCHEMA_TABLE
from aftersales.storage.mysql.dialect import MySQLDialect, _Cursor
from aftersales.storage.sqlalchemy.store import SqlAlchemyStore

__all__ = ["MySQLOnSqlAlchemy", "as_utc"]

_MIGRATION_LOCK: Final = "aftersales_migrations"  # as MySQLStore's
_SETTINGS: Final = ("sql_mode", "time_zone", "collation_connection", "group_concat_max_len")
_OURS: Final = (
    "ANSI_QUOTES,PIPES_AS_CONCAT,STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
    "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION",
    "+00:00",
    "utf8mb4_bin",
    1073741824,
)


def as_utc(params: Sequence[Any]) -> tuple[Any, ...]:
    """Parameters as PyMySQL writes them: times as naive UTC ``datetime``, dates as plain ``date``.

    Example:
        >>> import pendulum
        >>> as_utc([pendulum.date(2024, 5, 1), 3])
        (datetime.date(2024, 5, 1), 3)
    """
    shown: list[Any] = []
    for value in params:
        if isinstance(value, datetime):
            utc = value.astimezone(UTC) if value.tzinfo is not None else value
            value = datetime(*utc.timetuple()[:6], utc.microsecond)
        elif isinstance(value, date):
            value = date(value.year, value.month, value.day)
        shown.append(value)
    return tuple(shown)


def _aware(row: Any) -> Any:
    if row is None:
        return None
    return tuple(
        value.replace(tzinfo=UTC) if isinstance(value, datetime) and value.tzinfo is None else value
        for value in row
    )


class _UtcCursor(_Cursor):
    """The MySQL cursor, writing and reading times in UTC."""

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        super().execute(sql, None if params is None else as_utc(params))

    def executemany(self, sql: str, rows: Any) -> None:
        super().executemany(sql, [as_utc(row) for row in rows])

    def fetchone(self) -> Any:
        return _aware(super().fetchone())

    def fetchall(self) -> list[Any]:
        return [_aware(row) for row in super().fetchall()]

    def fetchmany(self, size: int) -> list[Any]:
        return [_aware(row) for row in super().fetchmany(size)]

    def __iter__(self) -> Iterator[Any]:
        return (_aware(row) for row in super().__iter__())


class MySQLOnSqlAlchemy(SqlAlchemyStore, MySQLDialect):
    """The MySQL and MariaDB variant (see the module).

    Example:
        >>> issubclass(MySQLOnSqlAlchemy, MySQLDialect)
        True
    """

    cursor_type: ClassVar[type[_Cursor]] = _UtcCursor

    def _cursor(self, raw: Any) -> Any:
        return self.cursor_type(raw.cursor())

    def _open_schema(self, target: int | None) -> int:
        if self._host is not None and self._host.in_transaction():
            return self._current_version()
        with self._reading() as cur:
            return self._steps_locked(
                cur, self.migrations[-1].version if target is None else target
            )

    def _steps_in_savepoint(self, cur: Any, target: int) -> int:
        """No savepoint: MySQL's DDL commits at once and ends it (see ``interrupted_steps``)."""
        return self._steps_locked(cur, target)

    def _steps_locked(self, cur: Any, target: int) -> int:
        cur.execute(f"SELECT GET_LOCK('{_MIGRATION_LOCK}', 30)")
        if cur.fetchone()[0] != 1:
            raise StorageError(f"{self.where}: another process is migrating the schema")
        try:
            return self._migrate(cur, self.migrations, target)
        finally:
            cur.execute(f"SELECT RELEASE_LOCK('{_MIGRATION_LOCK}')")

    def _current_version(self) -> int:
        """The schema's version, which must be the latest (DDL would commit the host's transaction)."""
        latest = self.migrations[-1].version
        with self._reading() as cur:
            version = 0
            if SCHEMA_TABLE in self._table_names(cur):
                cur.execute(f"SELECT max(version) FROM {SCHEMA_TABLE}")
                version = int(cur.fetchone()[0] or 0)
        if version != latest:
            raise StorageError(
                f"{self.where}: schema version {version} inside the host's transaction;"
                f" accepted: version {latest} (open the store once on the Engine to migrate:"
                " MySQL commits every DDL statement at once)"
            )
        return version

    def _take(self, raw: Any) -> Any:
        if raw.charset != "utf8mb4":
            raise InvalidData(
                f"bind: connection charset {raw.charset!r}; accepted: utf8mb4 (?charset=utf8mb4)"
            )
        if not raw.client_flag & CLIENT.FOUND_ROWS:
            raise InvalidData(
                "bind: connections without FOUND_ROWS; accepted: client_flag_found_rows=True"
            )
        cur = raw.cursor()
        try:
            cur.execute("SELECT " + ", ".join(f"@@SESSION.{name}" for name in _SETTINGS))
            previous = tuple(cur.fetchone())
            cur.execute("SET SESSION " + ", ".join(f"{name} = %s" for name in _SETTINGS), _OURS)
        finally:
            cur.close()
        autocommit = raw.get_autocommit()
        if self._host is None:
            raw.autocommit(True)
        return previous, autocommit

    def _give_back(self, raw: Any, previous: Any) -> None:
        settings, autocommit = previous
        if not raw.open:
            return
        cur = raw.cursor()
        try:
            cur.execute("SET SESSION " + ", ".join(f"{name} = %s" for name in _SETTINGS), settings)
        finally:
            cur.close()
        if self._host is None:
            raw.autocommit(autocommit)

    def _start(self, cur: Any) -> None:
        cur.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        cur.execute("START TRANSACTION")
