"""The installed base contract on MemoryStore, SQLiteStore (file and memory) and PostgresStore,
and what only the SQL stores do: keep it across processes, name a broken row, upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import InstalledBaseStoreContract
from tests.storage.contract_stores import SharedPostgresStores, SQLiteFileStores


class TestMemoryInstalledBase(InstalledBaseStoreContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLiteInstalledBase(SQLiteFileStores, InstalledBaseStoreContract):
    hypothesis_examples = 10


class TestSQLiteInMemoryInstalledBase(InstalledBaseStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


class TestPostgresInstalledBase(SharedPostgresStores, InstalledBaseStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> Any:
        from tests.storage.test_postgres import _execute

        store = super().make_store()
        _execute(self.dsn, "TRUNCATE installed_base")
        return store


def test_two_memory_stores_keep_their_own_installed_base() -> None:
    first, second = MemoryStore(), MemoryStore()
    first.save_installed_base({"B型扫地机器人": 1500})
    assert second.find_installed_base() == {}


def test_the_installed_base_outlives_the_sqlite_store_object(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_installed_base({"B型扫地机器人": 1500})
    with SQLiteStore(path) as reopened:
        assert reopened.find_installed_base() == {"B型扫地机器人": 1500}
        assert reopened.check_integrity() == []


def test_check_integrity_names_a_broken_installed_base_row(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_installed_base({"B-1": 10, "C-1": 20})
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE installed_base SET units = -3 WHERE product_model = 'B-1'")
            conn.execute("UPDATE installed_base SET units = 'many' WHERE product_model = 'C-1'")
        conn.close()
        assert store.check_integrity() == [
            "installed_base row 'C-1': units holds text 'many'; accepted: an integer",
            "installed_base row 'B-1': units -3 is negative; accepted: 0 or more"
            " (save_installed_base again)",
        ]


def test_a_sqlite_database_of_schema_17_upgrades_to_hold_the_installed_base(
    tmp_path: Path,
) -> None:
    path = tmp_path / "desk.db"
    SQLiteStore(path, _target_version=17).close()
    with SQLiteStore(path) as store:
        store.save_installed_base({"B型扫地机器人": 1500})
        assert store.find_installed_base() == {"B型扫地机器人": 1500}
        assert store.check_integrity() == []


def test_a_postgres_database_of_schema_17_upgrades_to_hold_the_installed_base(
    postgres_dsn: str,
) -> None:
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    _reset(postgres_dsn)
    PostgresStore(postgres_dsn, _target_version=17).close()
    with PostgresStore(postgres_dsn) as store:
        store.save_installed_base({"B型扫地机器人": 1500, "A型智能办公设备": 6000})
        assert store.find_installed_base() == {"A型智能办公设备": 6000, "B型扫地机器人": 1500}
        assert store.check_integrity() == []
