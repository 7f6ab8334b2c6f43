""":class:`~aftersales.storage.sqlalchemy.SqlAlchemyStore` on a PostgreSQL engine (psycopg 3).

A checked-out connection is put in autocommit mode, so the store's own
``BEGIN`` and ``COMMIT`` are the transaction, and in the UTC time zone; both
are set back when it is given back. Migrations run under the same advisory
lock as :class:`~aftersales.storage.PostgresStore`'s.

Example:
    >>> issubclass(PostgresOnSqlAlchemy, SqlAlchemyStore)
    True
"""

from __future__ import annotations

from typing import Any, Final

from aftersales.storage.postgres.dialect import PostgresDialect
from aftersales.storage.sqlalchemy.store import SqlAlchemyStore

__all__ = ["PostgresOnSqlAlchemy"]

_MIGRATION_LOCK: Final = 0x61667465  # as PostgresStore's: both never migrate at once


class PostgresOnSqlAlchemy(SqlAlchemyStore, PostgresDialect):
    """The PostgreSQL variant (see the module).

    Example:
        >>> issubclass(PostgresOnSqlAlchemy, PostgresDialect)
        True
    """

    def _steps_locked(self, cur: Any, target: int) -> int:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        return self._migrate(cur, self.migrations, target)

    def _take(self, raw: Any) -> Any:
        previous = (raw.autocommit, raw.info.parameter_status("TimeZone"))
        if self._host is None:
            raw.autocommit = True
        if previous[1] != "UTC":
            raw.execute("SET TIME ZONE 'UTC'")
        return previous

    def _give_back(self, raw: Any, previous: Any) -> None:
        autocommit, zone = previous
        if zone != "UTC" and not raw.closed:
            raw.execute("SELECT set_config('TimeZone', %s, false)", (zone,))
        if self._host is None and not raw.closed:
            raw.autocommit = autocommit
