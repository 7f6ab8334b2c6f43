"""The facts projection contract on MemoryStore, SQLiteStore (file and memory) and PostgresStore."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import FactsContract


class TestMemoryFacts(FactsContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLiteFacts(FactsContract):
    def make_store(self) -> SQLiteStore:
        return SQLiteStore(Path(tempfile.mkdtemp(prefix="aftersales-test-")) / "store.db")

    def dispose_store(self, store: Any) -> None:
        store.close()
        shutil.rmtree(Path(store.path).parent, ignore_errors=True)


class TestSQLiteInMemoryFacts(FactsContract):
    hypothesis_examples = 10

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


class TestPostgresFacts(FactsContract):
    hypothesis_examples = 10

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
        from tests.storage.test_postgres import (
            FACTS_TABLES,
            TICKET_TABLES,
            VOCABULARY_TABLES,
            _execute,
        )

        if self._shared is None:
            self._shared = PostgresStore(self.dsn, max_size=4)
        _execute(
            self.dsn,
            f"TRUNCATE {FACTS_TABLES}, {VOCABULARY_TABLES}, {TICKET_TABLES}",
        )
        self._shared.vocabulary.refresh()
        return self._shared

    def dispose_store(self, store: Any) -> None:
        """The pool is kept for the next example; closed at the end of the test."""
