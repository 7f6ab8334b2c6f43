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

from typing import Any

from aftersales.storage.mysql.hosted import (
    HostedMySQL,
    as_utc,
    give_back_session,
    take_session,
)
from aftersales.storage.sqlalchemy.store import SqlAlchemyStore

__all__ = ["MySQLOnSqlAlchemy", "as_utc"]


class MySQLOnSqlAlchemy(SqlAlchemyStore, HostedMySQL):
    """The MySQL and MariaDB variant (see the module).

    Example:
        >>> issubclass(MySQLOnSqlAlchemy, HostedMySQL)
        True
    """

    def _cursor(self, raw: Any) -> Any:
        return self.cursor_type(raw.cursor())

    def _in_host_transaction(self) -> bool:
        return self._host is not None and self._host.in_transaction()

    def _open_schema(self, target: int | None) -> int:
        return self._open_hosted_schema(target)

    def _steps_in_savepoint(self, cur: Any, target: int) -> int:
        """No savepoint: MySQL's DDL commits at once and ends it (see ``interrupted_steps``)."""
        return self._locked_steps(cur, target)

    def _steps_locked(self, cur: Any, target: int) -> int:
        return self._locked_steps(cur, target)

    def _take(self, raw: Any) -> Any:
        previous = take_session(raw, "bind")
        autocommit = raw.get_autocommit()
        if self._host is None:
            raw.autocommit(True)
        return previous, autocommit

    def _give_back(self, raw: Any, previous: Any) -> None:
        settings, autocommit = previous
        if not raw.open:
            return
        give_back_session(raw, settings)
        if self._host is None:
            raw.autocommit(autocommit)

    def _start(self, cur: Any) -> None:
        cur.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        cur.execute("START TRANSACTION")
