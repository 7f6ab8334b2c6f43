"""The SLA alert index contract on MemoryStore, SQLiteStore (file and memory) and PostgresStore."""

from __future__ import annotations

from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import SlaAlertContract
from tests.storage.contract_stores import SharedPostgresStores, SQLiteFileStores


class TestMemoryAlerts(SlaAlertContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLiteAlerts(SQLiteFileStores, SlaAlertContract):
    pass


class TestSQLiteInMemoryAlerts(SlaAlertContract):
    hypothesis_examples = 10

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


class TestPostgresAlerts(SharedPostgresStores, SlaAlertContract):
    hypothesis_examples = 15
