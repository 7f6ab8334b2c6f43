""":class:`~aftersales.contrib.django.DjangoStore` on Django's MySQL backend (MySQL 8, MariaDB).

The driver is PyMySQL installed as ``MySQLdb`` (``pymysql.install_as_MySQLdb()``
before Django loads its backend), which Django 5.2 accepts: it asks for
``mysqlclient`` 1.4.3 or later and PyMySQL reports 1.4.6. Django's backend
connects with ``utf8mb4`` and ``CLIENT.FOUND_ROWS``, as the shared SQL needs.
While the store holds the connection it has the session settings of
:class:`~aftersales.storage.mysql.MySQLStore` (UTC, ``utf8mb4_bin``, the SQL
modes), and ``READ COMMITTED`` for the store's own transactions, all set
back after. MySQL commits every DDL statement at once, so the schema is
migrated only outside an atomic block.

Example:
    >>> issubclass(MySQLOnDjango, HostedMySQL)
    True
"""

from __future__ import annotations

from typing import Any, Final

import pymysql
from django.db import connections

from aftersales.contrib.django.store import DjangoStore
from aftersales.errors import InvalidData
from aftersales.storage.mysql.hosted import HostedMySQL, give_back_session, take_session

__all__ = ["MySQLOnDjango"]

_UNKNOWN_VARIABLE: Final = 1193


class MySQLOnDjango(DjangoStore, HostedMySQL):
    """The MySQL and MariaDB variant (see the module).

    Example:
        >>> issubclass(MySQLOnDjango, HostedMySQL)
        True
    """

    _isolation_variable: str | None = None

    @classmethod
    def check_driver(cls, using: str) -> None:
        """Refuse mysqlclient: the shared SQL's cursor is PyMySQL's."""
        driver = getattr(getattr(connections[using], "Database", None), "__name__", "?")
        if driver != "pymysql":
            raise InvalidData(
                f"using: {using!r} runs on {driver}; accepted: PyMySQL installed as MySQLdb"
                " (import pymysql; pymysql.install_as_MySQLdb() before Django loads its backend)"
            )

    def _cursor(self, raw: Any) -> Any:
        return self.cursor_type(raw.cursor())

    def _in_host_transaction(self) -> bool:
        return self.in_atomic_block()

    def _open_schema(self, target: int | None) -> int:
        return self._open_hosted_schema(target)

    def _take(self, raw: Any, *, own: bool) -> Any:
        extra = [(self._isolation(raw), "READ-COMMITTED")] if own else []
        return take_session(raw, f"using {self.using!r}", extra=extra)

    def _give_back(self, raw: Any, previous: Any) -> None:
        give_back_session(raw, previous)

    def _isolation(self, raw: Any) -> str:
        """The session variable of the isolation level (MySQL 8 and MariaDB 11.1 renamed it)."""
        if self._isolation_variable is None:
            cur = raw.cursor()
            try:
                cur.execute("SELECT @@SESSION.transaction_isolation")
                self._isolation_variable = "transaction_isolation"
            except pymysql.MySQLError as error:  # the top-level name: MySQLdb rebinds pymysql.err
                if error.args[0] != _UNKNOWN_VARIABLE:
                    raise
                self._isolation_variable = "tx_isolation"
            finally:
                cur.close()
        return self._isolation_variable
