"""PostgresStore as an ImprovementStore, ArticleStore and FollowUpStore: contracts and checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aftersales.testing.contracts import RecordsContract
from tests.storage.records import RecordTablesChecks

psycopg = pytest.importorskip("psycopg", reason="PostgreSQL tests need the 'postgres' extra")

from aftersales.storage.postgres import PostgresStore  # noqa: E402
from tests.storage.test_postgres import RECORD_TABLES, _reset  # noqa: E402


class _SharedStore:
    """One pool per test on the session's cluster; every ``make_store()`` empties the tables."""

    @pytest.fixture(autouse=True)
    def _cluster(self, postgres_dsn: str) -> Iterator[None]:
        self.dsn = postgres_dsn
        _reset(postgres_dsn)
        self._shared: PostgresStore | None = None
        yield
        if self._shared is not None:
            self._shared.close()

    def make_store(self) -> PostgresStore:
        if self._shared is None:
            self._shared = PostgresStore(self.dsn, max_size=8)
        self.execute(self._shared, f"TRUNCATE {RECORD_TABLES} RESTART IDENTITY")
        return self._shared

    def dispose_store(self, store: Any) -> None:
        """The pool is kept for the next ``make_store()``; closed at the end of the test."""

    def execute(self, store: PostgresStore, sql: str, *params: Any) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), params or None)


class TestPostgresRecords(_SharedStore, RecordsContract, RecordTablesChecks):
    """The improvement, article and follow-up contracts and the record checks."""


def test_ids_order_by_code_point_whatever_the_locale(postgres_dsn: str) -> None:
    """Record ids collate as "C", so "by id" is Python's order even in a non-C database."""
    _reset(postgres_dsn)
    with PostgresStore(postgres_dsn) as store, store._reading() as cur:
        cur.execute(
            "SELECT table_name, column_name, collation_name FROM information_schema.columns"
            " WHERE column_name IN ('id', 'article_id', 'root_cause_id')"
            " AND table_name = ANY(%s) AND table_schema = current_schema()",
            (RECORD_TABLES.replace(" ", "").split(","),),
        )
        columns = cur.fetchall()
    assert len(columns) == 7, columns
    assert {collation for _, _, collation in columns} == {"C"}, columns
