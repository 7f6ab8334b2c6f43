"""The SLA policy store contract on MemoryStore, SQLiteStore (file and memory) and PostgresStore,
and what only the SQL stores do: keep the versions across processes, name a broken row, upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pendulum

from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import PolicyStoreContract
from aftersales.testing.samples import sample_policy_document
from tests.storage.contract_stores import SharedPostgresStores, SQLiteFileStores

DEC_1 = pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai")


class TestMemoryPolicies(PolicyStoreContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLitePolicies(SQLiteFileStores, PolicyStoreContract):
    hypothesis_examples = 8


class TestSQLiteInMemoryPolicies(PolicyStoreContract):
    hypothesis_examples = 8

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


class TestPostgresPolicies(SharedPostgresStores, PolicyStoreContract):
    hypothesis_examples = 5

    def make_store(self) -> Any:
        from tests.storage.test_postgres import _execute

        store = super().make_store()
        _execute(self.dsn, "TRUNCATE sla_policies")
        return store


def test_two_memory_stores_keep_their_own_policies() -> None:
    first, second = MemoryStore(), MemoryStore()
    first.adopt_policy(sample_policy_document(), DEC_1)
    assert second.policy_versions() == []


def test_the_policies_outlive_the_sqlite_store_object(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.adopt_policy(sample_policy_document(), DEC_1, note="v1")
    with SQLiteStore(path) as reopened:
        [version] = reopened.policy_versions()
        assert (version.version, version.document, version.note) == (
            1,
            sample_policy_document(),
            "v1",
        )
        assert reopened.check_integrity() == []


def test_check_integrity_names_a_policy_row_that_does_not_read(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.adopt_policy(sample_policy_document(), DEC_1)
        store.adopt_policy(sample_policy_document(), DEC_1)
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE sla_policies SET document = 'format = 2' WHERE version = 2")
            conn.execute("UPDATE sla_policies SET effective_us = 'soon' WHERE version = 1")
        conn.close()
        problems = store.check_integrity()
        assert len(problems) == 2
        assert problems[0].startswith("sla_policies row 1: effective_us holds text 'soon'")
        assert problems[1].startswith("sla_policies row 2: document is not a policy file")


def test_a_sqlite_database_of_schema_18_upgrades_to_hold_policies(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    SQLiteStore(path, _target_version=18).close()
    with SQLiteStore(path) as store:
        assert store.schema_version() == 19
        assert store.adopt_policy(sample_policy_document(), DEC_1) == 1
        assert store.policy_in_force(DEC_1).version == 1
        assert store.check_integrity() == []


def test_a_postgres_database_of_schema_18_upgrades_to_hold_policies(postgres_dsn: str) -> None:
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    _reset(postgres_dsn)
    PostgresStore(postgres_dsn, _target_version=18).close()
    with PostgresStore(postgres_dsn) as store:
        assert store.schema_version() == 19
        assert store.adopt_policy(sample_policy_document(), DEC_1) == 1
        assert store.policy_in_force(DEC_1.add(days=1)).version == 1
        assert store.check_integrity() == []
