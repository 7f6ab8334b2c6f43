"""SqlAlchemyStore under the contracts: one store per test on SQLite (a file), PostgreSQL and MariaDB.

Each mixin is mixed into a contract class as ``SharedPostgresStores`` is:
PostgreSQL and MariaDB share one store per test, emptied before each store is
handed out (with the helpers of their own suites); SQLite opens a new file per
store. Every engine made is disposed of when the test ends.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sqlalchemy = pytest.importorskip(
    "sqlalchemy", reason="SqlAlchemyStore tests need the 'sqlalchemy' extra"
)

from aftersales.storage.sqlalchemy import SqlAlchemyStore  # noqa: E402


def postgres_url(dsn: str) -> str:
    """The SQLAlchemy URL of a ``host=… port=… user=… dbname=…`` DSN (psycopg 3)."""
    parts = dict(item.split("=", 1) for item in dsn.split())
    return f"postgresql+psycopg://{parts['user']}@{parts['host']}:{parts['port']}/{parts['dbname']}"


def mariadb_url(url: str) -> str:
    """The SQLAlchemy URL (PyMySQL, ``utf8mb4``) of the test server's ``mysql://`` URL."""
    return url.replace("mysql://", "mysql+pymysql://", 1) + "&charset=utf8mb4"


class _Engines:
    """Keeps the engines a test makes, and disposes of them when it ends."""

    @pytest.fixture(autouse=True)
    def _dispose_engines(self) -> Iterator[None]:
        self._engines: list[Any] = []
        yield
        for engine in self._engines:
            engine.dispose()

    def engine(self, url: str) -> Any:
        made = sqlalchemy.create_engine(url)
        self._engines.append(made)
        return made


class SqlAlchemyOnSQLiteFile(_Engines):
    """A new SQLite file per store, through an engine of its own."""

    def make_store(self) -> SqlAlchemyStore:
        path = Path(tempfile.mkdtemp(prefix="aftersales-sqla-")) / "store.db"
        store = SqlAlchemyStore(self.engine(f"sqlite:///{path}"))
        store.path = str(path)  # type: ignore[attr-defined]
        return store

    def dispose_store(self, store: Any) -> None:
        shutil.rmtree(Path(store.path).parent, ignore_errors=True)

    def reopen_store(self, store: Any) -> SqlAlchemyStore:
        return SqlAlchemyStore(self.engine(f"sqlite:///{store.path}"))

    def run_sql(self, store: Any, statement: str, *params: Any) -> None:
        conn = sqlite3.connect(store.path)
        try:
            with conn:
                conn.execute(statement, params)
        finally:
            conn.close()

    def execute(self, store: Any, sql: str, *params: Any) -> None:
        self.run_sql(store, sql, *params)


def _empty_postgres(dsn: str) -> None:
    """Delete every row but the schema's history, numbering from 1 again; the feed counter to 0.

    Only the tables holding rows are emptied and only the sequences that moved
    restarted, in one transaction with foreign keys not enforced: a few statements per store.
    """
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                " current_schema() AND table_name NOT IN ('aftersales_schema', 'event_feed_head')"
            )
        ]
        probe = ", ".join(f'(SELECT 1 FROM "{name}" LIMIT 1)' for name in names)
        found = conn.execute(f"SELECT {probe}").fetchone()
        assert found is not None
        full = [name for name, row in zip(names, found, strict=True) if row is not None]
        moved = [
            row[0]
            for row in conn.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
                " AND last_value IS NOT NULL"
            )
        ]
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
            for name in full:
                conn.execute(f'DELETE FROM "{name}"')
            for name in moved:
                conn.execute(f'ALTER SEQUENCE "{name}" RESTART')
            conn.execute("UPDATE event_feed_head SET position = 0")


class SqlAlchemyOnPostgres(_Engines):
    """One store per test on the test cluster, emptied for every store made."""

    @pytest.fixture(autouse=True)
    def _cluster(self, postgres_dsn: str) -> None:
        from tests.storage.test_postgres import _reset

        _reset(postgres_dsn)
        self.dsn = postgres_dsn
        self._shared: Any = None

    def make_store(self) -> SqlAlchemyStore:
        if self._shared is None:
            self._shared = SqlAlchemyStore(self.engine(postgres_url(self.dsn)))
        _empty_postgres(self.dsn)
        self._shared.vocabulary.refresh()
        return self._shared

    def dispose_store(self, store: Any) -> None:
        """Kept for the next store of the test."""

    def make_separate_store(self) -> SqlAlchemyStore:
        from tests.storage.test_postgres import _other_database

        dsn = _other_database(self.dsn)
        return SqlAlchemyStore(self.engine(postgres_url(dsn)))

    def dispose_separate_store(self, store: Any) -> None:
        """Its engine is disposed of when the test ends."""

    def reopen_store(self, store: Any) -> SqlAlchemyStore:
        return SqlAlchemyStore(self.engine(postgres_url(self.dsn)))

    def run_sql(self, store: Any, statement: str, *params: Any) -> None:
        from tests.storage.test_postgres import _execute

        _execute(self.dsn, statement.replace("?", "%s"), *params)

    def drop_table(self, store: Any, table: str) -> None:
        self.run_sql(store, f"DROP TABLE {table} CASCADE")

    def execute(self, store: Any, sql: str, *params: Any) -> None:
        self.run_sql(store, sql, *params)


class SqlAlchemyOnMariaDB(_Engines):
    """One store per test on the test server, emptied for every store made."""

    @pytest.fixture(autouse=True)
    def _server(self, mariadb_url: str) -> None:
        from tests.storage.mariadb_stores import reset_unless_current

        reset_unless_current(mariadb_url)
        self.url = mariadb_url
        self._shared: Any = None

    def make_store(self) -> SqlAlchemyStore:
        from tests.storage.mariadb_stores import empty

        if self._shared is None:
            self._shared = SqlAlchemyStore(self.engine(mariadb_url(self.url)))
        empty(self.url)
        self._shared.vocabulary.refresh()
        return self._shared

    def dispose_store(self, store: Any) -> None:
        """Kept for the next store of the test."""

    def make_separate_store(self) -> SqlAlchemyStore:
        from tests.storage.test_mariadb_contracts import _other_database

        return SqlAlchemyStore(self.engine(mariadb_url(_other_database(self.url))))

    def dispose_separate_store(self, store: Any) -> None:
        """Its engine is disposed of when the test ends."""

    def reopen_store(self, store: Any) -> SqlAlchemyStore:
        return SqlAlchemyStore(self.engine(mariadb_url(self.url)))

    def run_sql(self, store: Any, statement: str, *params: Any) -> None:
        from tests.storage.mariadb_stores import execute

        execute(self.url, statement, *params)

    def drop_table(self, store: Any, table: str) -> None:
        self.run_sql(store, "SET FOREIGN_KEY_CHECKS = 0")
        try:
            self.run_sql(store, f"DROP TABLE {table}")
        finally:
            self.run_sql(store, "SET FOREIGN_KEY_CHECKS = 1")

    def execute(self, store: Any, sql: str, *params: Any) -> None:
        self.run_sql(store, sql, *params)
