"""SQLiteStore as an ImprovementStore, ArticleStore and FollowUpStore: contracts, checks, indexes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aftersales.storage import SQLiteStore
from aftersales.testing.contracts import RecordsContract
from tests.storage.records import RecordTablesChecks


class _FileStores:
    """A new SQLite file per ``make_store()``, closed after the test."""

    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: Path) -> Iterator[None]:
        self._tmp = tmp_path
        self._stores: list[SQLiteStore] = []
        yield
        for store in self._stores:
            store.close()

    def make_store(self) -> SQLiteStore:
        store = SQLiteStore(self._tmp / f"store{len(self._stores)}.db")
        self._stores.append(store)
        return store

    def execute(self, store: SQLiteStore, sql: str, *params: Any) -> None:
        conn = sqlite3.connect(store.path)
        with conn:
            conn.execute(sql, params)
        conn.close()


class TestSQLiteRecords(_FileStores, RecordsContract, RecordTablesChecks):
    """The improvement, article and follow-up contracts and the record checks, one file each."""


class TestSQLiteInMemoryRecords(RecordsContract):
    """The same contracts on ``SQLiteStore(":memory:")`` (one shared connection)."""

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


def _plan(store: SQLiteStore, sql: str, *params: Any) -> str:
    with store._reading() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[3]) for row in cur.fetchall())


def test_record_queries_use_their_indexes(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "store.db") as store:
        for sql, index in [
            (
                "SELECT c.id, c.data FROM root_cause_tickets AS l JOIN root_causes AS c"
                " ON c.id = l.root_cause_id WHERE l.ticket_id = ? ORDER BY c.id",
                "root_cause_tickets_ticket",
            ),
            (
                "SELECT id FROM root_causes WHERE department = ? ORDER BY id",
                "root_causes_department",
            ),
            ("SELECT id FROM improvement_actions ORDER BY due_at, id", "improvement_actions_due"),
            ("SELECT id FROM improvement_actions WHERE cause_id = ?", "improvement_actions_cause"),
            ("SELECT id FROM improvement_actions WHERE owner = ?", "improvement_actions_owner"),
            ("SELECT id FROM knowledge_articles WHERE product = ?", "knowledge_articles_product"),
            ("SELECT id FROM knowledge_articles WHERE category = ?", "knowledge_articles_category"),
            ("SELECT seq FROM knowledge_uses WHERE article_id = ?", "knowledge_uses_article"),
            ("SELECT seq FROM knowledge_uses ORDER BY at, article_id", "knowledge_uses_at"),
            (
                "SELECT id FROM followups WHERE done = 0 AND due_at <= ? ORDER BY due_at, id",
                "followups_open_due",
            ),
            ("SELECT id FROM followups WHERE customer_id = ?", "followups_customer"),
        ]:
            plan = _plan(store, sql, *(["x"] * sql.count("?")))
            assert index in plan, (sql, plan)
        plan = _plan(store, "SELECT id FROM followups WHERE done = 0 ORDER BY due_at, id")
        assert "TEMP B-TREE" not in plan, plan
