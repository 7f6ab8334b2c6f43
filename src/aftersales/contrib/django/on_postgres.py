""":class:`~aftersales.contrib.django.DjangoStore` on Django's PostgreSQL backend (psycopg 3).

While the store holds the connection its session is in UTC (set back after);
its cursors are psycopg's own, with psycopg's loaders for JSON and times
(Django's read ``jsonb`` as text, and times naive when ``USE_TZ = False``).
Migrations run under the advisory lock of :class:`~aftersales.storage.PostgresStore`.

Example:
    >>> issubclass(PostgresOnDjango, PostgresDialect)
    True
"""

from __future__ import annotations

from typing import Any, Final

import psycopg
from psycopg.pq import Format, TransactionStatus

from aftersales.contrib.django.store import DjangoStore
from aftersales.errors import InvalidData
from aftersales.storage.postgres.dialect import PostgresDialect

__all__ = ["PostgresOnDjango"]

_MIGRATION_LOCK: Final = 0x61667465  # as PostgresStore's: both never migrate at once
#: The types whose loaders Django replaces on its psycopg connections.
_OWN_LOADERS: Final = ("json", "jsonb", "timestamptz", "inet", "cidr")


class PostgresOnDjango(DjangoStore, PostgresDialect):
    """The PostgreSQL variant (see the module).

    Example:
        >>> issubclass(PostgresOnDjango, PostgresDialect)
        True
    """

    @classmethod
    def check_driver(cls, using: str) -> None:
        """Refuse psycopg2: the shared SQL runs on psycopg 3."""
        from django.db.backends.postgresql.psycopg_any import is_psycopg3

        if not is_psycopg3:
            raise InvalidData(
                f"using: {using!r} runs on psycopg2; accepted: psycopg 3 (pip install psycopg)"
            )

    def _open_schema(self, target: int | None) -> int:
        with self._writing() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            return self._migrate(cur, self.migrations, target)

    def _take(self, raw: Any, *, own: bool) -> Any:
        zone = raw.info.parameter_status("TimeZone")
        if zone != "UTC":
            raw.execute("SET TIME ZONE 'UTC'")
        return zone

    def _give_back(self, raw: Any, previous: Any) -> None:
        if previous == "UTC" or raw.closed:
            return
        if raw.info.transaction_status != TransactionStatus.INERROR:
            raw.execute("SELECT set_config('TimeZone', %s, false)", (previous,))

    def _cursor(self, raw: Any) -> Any:
        cur = psycopg.Cursor(raw)
        for name in _OWN_LOADERS:
            info = psycopg.adapters.types[name]
            loader = psycopg.adapters.get_loader(info.oid, Format.TEXT)
            if loader is not None:
                cur.adapters.register_loader(info.oid, loader)
        return cur
