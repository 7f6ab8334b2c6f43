"""How the contract suites' test classes make their stores: a SQLite file each, or one shared PostgreSQL pool.

Mix one of these into a contract class (``class TestX(SQLiteFileStores,
SomeContract)``) instead of writing ``make_store`` again: each SQLite store is a
new file in a new folder, removed after; the PostgreSQL stores are one pool
per test, on the session's throwaway cluster, its ticket tables emptied
before each store is handed out.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aftersales.storage import SQLiteStore


class SQLiteFileStores:
    """A new SQLite file per store, its folder removed when the store is disposed of."""

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(Path(tempfile.mkdtemp(prefix="aftersales-test-")) / "store.db")

    def dispose_store(self, store: Any) -> None:
        store.close()
        shutil.rmtree(Path(store.path).parent, ignore_errors=True)


class SharedPostgresStores:
    """One ``PostgresStore`` per test on the test cluster, emptied for every store made."""

    @pytest.fixture(autouse=True)
    def _cluster(self, postgres_dsn: str) -> Iterator[None]:
        from tests.storage.test_postgres import _reset

        _reset(postgres_dsn)
        self.dsn = postgres_dsn
        self._shared: Any = None
        yield
        if self._shared is not None:
            self._shared.close()

    def make_store(self) -> Any:
        from aftersales.storage.postgres import PostgresStore
        from tests.storage.test_postgres import TICKET_TABLES, VOCABULARY_TABLES, _execute

        if self._shared is None:
            self._shared = PostgresStore(self.dsn, max_size=4)
        _execute(self.dsn, f"TRUNCATE {VOCABULARY_TABLES}, {TICKET_TABLES} CASCADE")
        self._shared.vocabulary.refresh()
        return self._shared

    def dispose_store(self, store: Any) -> None:
        """The pool is kept for the next store of the test; closed when the test ends."""
