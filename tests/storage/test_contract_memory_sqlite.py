"""MemoryStore and SQLiteStore against the shared storage contract."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import (
    DurableVocabularyContract,
    IntegrityContract,
    StoreContract,
)


class TestMemoryStore(StoreContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLiteStore(StoreContract, DurableVocabularyContract, IntegrityContract):
    def make_store(self) -> SQLiteStore:
        return SQLiteStore(Path(tempfile.mkdtemp(prefix="aftersales-test-")) / "store.db")

    def dispose_store(self, store: Any) -> None:
        store.close()
        shutil.rmtree(Path(store.path).parent, ignore_errors=True)

    def reopen_store(self, store: Any) -> SQLiteStore:
        return SQLiteStore(store.path)

    def run_sql(self, store: Any, statement: str, *params: Any) -> None:
        conn = sqlite3.connect(store.path)
        try:
            with conn:
                conn.execute(statement, params)
        finally:
            conn.close()


class TestSQLiteInMemory(StoreContract):
    hypothesis_examples = 10

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")
