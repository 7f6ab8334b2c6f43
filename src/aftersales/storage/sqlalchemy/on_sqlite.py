""":class:`~aftersales.storage.sqlalchemy.SqlAlchemyStore` on a SQLite engine (pysqlite).

A checked-out connection is put in autocommit mode (``isolation_level =
None``) so the store's ``BEGIN IMMEDIATE`` waits for other writers as
:class:`~aftersales.storage.SQLiteStore`'s does, with foreign keys on; both
are set back when it is given back. On a host's connection its settings are
left alone (changing ``isolation_level`` would commit its transaction) and the
store first makes sure SQLite's ``BEGIN`` was sent (pysqlite sends it
lazily), so a savepoint never commits on release.

Example:
    >>> import sqlalchemy
    >>> from aftersales.storage.sqlalchemy import SqlAlchemyStore
    >>> isinstance(SqlAlchemyStore(sqlalchemy.create_engine("sqlite://")), SQLiteOnSqlAlchemy)
    True
"""

from __future__ import annotations

import sqlite3
from typing import Any

from aftersales.storage.sqlalchemy.store import SqlAlchemyStore
from aftersales.storage.sqlite.dialect import SQLiteDialect

__all__ = ["SQLiteOnSqlAlchemy"]


class SQLiteOnSqlAlchemy(SqlAlchemyStore, SQLiteDialect):
    """The SQLite variant (see the module).

    Example:
        >>> issubclass(SQLiteOnSqlAlchemy, SqlAlchemyStore)
        True
    """

    def _take(self, raw: sqlite3.Connection) -> Any:
        if self._host is not None:  # the host's settings: changing them could end its transaction
            return None
        previous = (raw.isolation_level, raw.execute("PRAGMA foreign_keys").fetchone()[0])
        raw.isolation_level = None
        raw.execute("PRAGMA foreign_keys = ON")
        return previous

    def _give_back(self, raw: sqlite3.Connection, previous: Any) -> None:
        if previous is None:
            return
        level, foreign_keys = previous
        raw.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        raw.isolation_level = level

    def _start(self, cur: Any) -> None:
        cur.execute("BEGIN IMMEDIATE")

    def _join(self, raw: sqlite3.Connection, cur: Any) -> None:
        if not raw.in_transaction:
            cur.execute("BEGIN")
