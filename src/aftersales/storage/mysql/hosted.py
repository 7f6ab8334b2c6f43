"""The MySQL store on an application's own connection: its session settings and UTC cursor.

Private to the stores that run on a host's PyMySQL connection
(:class:`~aftersales.storage.sqlalchemy.SqlAlchemyStore`'s MySQL variant and
:class:`~aftersales.contrib.django.DjangoStore`'s): :func:`take_session` puts
the connection in the settings of :class:`~aftersales.storage.mysql.MySQLStore`
(UTC, ``utf8mb4_bin``, the SQL modes the shared SQL needs), returning the
host's, which :func:`give_back_session` sets back; :class:`UtcCursor` writes
times as their UTC wall-clock time and reads ``DATETIME`` values back as aware
UTC times, so the host's own conversions are untouched.

Example:
    >>> from datetime import timedelta, timezone
    >>> as_utc([datetime(2024, 5, 1, 9, tzinfo=timezone(timedelta(hours=8)))])
    (datetime.datetime(2024, 5, 1, 1, 0),)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Final

from pymysql.constants import CLIENT

from aftersales.errors import InvalidData, StorageError
from aftersales.storage.mysql.dialect import MySQLDialect, _Cursor

__all__ = [
    "MIGRATION_LOCK",
    "HostedMySQL",
    "UtcCursor",
    "as_utc",
    "give_back_session",
    "take_session",
]

#: The named lock under which the schema is migrated (as ``MySQLStore``'s).
MIGRATION_LOCK: Final = "aftersales_migrations"
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


class UtcCursor(_Cursor):
    """The MySQL cursor, writing and reading times in UTC.

    Example:
        >>> issubclass(UtcCursor, _Cursor)
        True
    """

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


def take_session(raw: Any, where: str, *, extra: Sequence[tuple[str, Any]] = ()) -> tuple[Any, ...]:
    """Put the PyMySQL connection ``raw`` in the store's session settings; the host's, to set back.

    ``extra`` are more ``(variable, value)`` pairs to set the same way. Raises
    :class:`~aftersales.InvalidData` naming ``where`` for a connection whose
    charset is not ``utf8mb4`` or that counts only the rows an ``UPDATE``
    changed (no ``CLIENT.FOUND_ROWS``): the shared SQL relies on both.
    """
    if raw.charset != "utf8mb4":
        raise InvalidData(f"{where}: connection charset {raw.charset!r}; accepted: utf8mb4")
    if not raw.client_flag & CLIENT.FOUND_ROWS:
        raise InvalidData(
            f"{where}: connections without FOUND_ROWS; accepted: client_flag with CLIENT.FOUND_ROWS"
        )
    names = (*_SETTINGS, *(name for name, _ in extra))
    values = (*_OURS, *(value for _, value in extra))
    cur = raw.cursor()
    try:
        cur.execute("SELECT " + ", ".join(f"@@SESSION.{name}" for name in names))
        previous = tuple(cur.fetchone())
        cur.execute("SET SESSION " + ", ".join(f"{name} = %s" for name in names), values)
    finally:
        cur.close()
    return tuple(zip(names, previous, strict=True))


def give_back_session(raw: Any, previous: tuple[Any, ...]) -> None:
    """Set back the settings :func:`take_session` returned (nothing when the connection is gone)."""
    if not raw.open:
        return
    cur = raw.cursor()
    try:
        cur.execute(
            "SET SESSION " + ", ".join(f"{name} = %s" for name, _ in previous),
            tuple(value for _, value in previous),
        )
    finally:
        cur.close()


class HostedMySQL(MySQLDialect):
    """The MySQL dialect on a host's connections: times in UTC, the schema migrated outside its transactions.

    A subclass says whether the host's transaction is open
    (``_in_host_transaction``) and calls :meth:`_open_hosted_schema` when it opens.

    Example:
        >>> from aftersales.storage.sqlalchemy.on_mysql import MySQLOnSqlAlchemy
        >>> issubclass(MySQLOnSqlAlchemy, HostedMySQL)
        True
    """

    cursor_type: ClassVar[type[_Cursor]] = UtcCursor

    def _in_host_transaction(self) -> bool:
        raise NotImplementedError

    def _open_hosted_schema(self, target: int | None) -> int:
        """Migrate under the named lock; inside the host's transaction, only check the version."""
        if self._in_host_transaction():
            return self._current_version()
        with self._reading() as cur:
            return self._locked_steps(
                cur, self.migrations[-1].version if target is None else target
            )

    def _locked_steps(self, cur: Any, target: int) -> int:
        """The schema steps up to ``target`` under the named lock ``MySQLStore`` takes too."""
        cur.execute(f"SELECT GET_LOCK('{MIGRATION_LOCK}', 30)")
        if cur.fetchone()[0] != 1:
            raise StorageError(f"{self.where}: another process is migrating the schema")
        try:
            return self._migrate(cur, self.migrations, target)
        finally:
            cur.execute(f"SELECT RELEASE_LOCK('{MIGRATION_LOCK}')")

    def _current_version(self) -> int:
        """The schema's version, which must be the latest (DDL would commit the host's transaction)."""
        latest = self.migrations[-1].version
        with self._reading() as cur:
            version = self._recorded_version(cur)
        if version != latest:
            raise StorageError(
                f"{self.where}: schema version {version} inside the host's transaction;"
                f" accepted: version {latest} (open the store once outside a transaction to"
                " migrate: MySQL commits every DDL statement at once)"
            )
        return version
