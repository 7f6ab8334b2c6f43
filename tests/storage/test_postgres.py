"""PostgresStore on a throwaway cluster: the contract, concurrent servers, corruption, schemas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aftersales import StorageError, UnsupportedSchemaVersion
from aftersales.model.events import Acknowledged, NoteAdded
from aftersales.storage import TicketQuery
from aftersales.testing.contract import StoreContract, advance, build_ticket
from aftersales.testing.samples import sample_ticket
from tests.storage import reliability

psycopg = pytest.importorskip("psycopg", reason="PostgreSQL tests need the 'postgres' extra")

from aftersales.storage.postgres import SCHEMA_VERSION, PostgresStore  # noqa: E402

_TABLES = "aftersales_schema, customers, ticket_events, tickets"


def _reset(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {_TABLES} CASCADE")


def _execute(dsn: str, sql: str, *params: Any) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql, params or None)


@pytest.fixture
def dsn(postgres_dsn: str) -> str:
    _reset(postgres_dsn)
    return postgres_dsn


@pytest.fixture
def store(dsn: str) -> Iterator[PostgresStore]:
    with PostgresStore(dsn, max_size=8) as store:
        yield store


class TestPostgresStore(StoreContract):
    hypothesis_examples = 15

    @pytest.fixture(autouse=True)
    def _cluster(self, postgres_dsn: str) -> None:
        self.dsn = postgres_dsn
        _reset(postgres_dsn)
        self._shared: PostgresStore | None = None

    def make_store(self) -> PostgresStore:
        if self._shared is None:
            self._shared = PostgresStore(self.dsn, max_size=4)
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute("TRUNCATE customers, ticket_events, tickets")
        return self._shared

    def dispose_store(self, store: Any) -> None:
        """The pool is kept for the next example; closed at the end of the test."""

    @pytest.fixture(autouse=True)
    def _close_shared(self) -> Iterator[None]:
        yield
        if getattr(self, "_shared", None) is not None:
            self._shared.close()  # type: ignore[union-attr]


def test_eight_connections_lose_nothing(store: PostgresStore) -> None:
    reliability.seed(store)
    results = reliability.run_threads(store, threads=8, commands=30)
    reliability.check_nothing_lost(store, results, commands=30)
    assert store.check_integrity() == []


def test_several_servers_lose_nothing(store: PostgresStore, dsn: str) -> None:
    reliability.seed(store)
    results = reliability.run_processes("postgres", dsn, processes=3, commands=25)
    reliability.check_nothing_lost(store, results, commands=25)


def test_writer_killed_inside_a_bulk_write(store: PostgresStore, dsn: str) -> None:
    lines = reliability.kill_mid_batch("postgres", dsn, size=300, hang_at=1)
    assert lines == ["COMMITTED 0", "MIDDLE 1"]
    reliability.check_batches(store, size=300, committed=1)
    assert store.count(TicketQuery()) == 300


def test_corrupted_event_row_is_named(store: PostgresStore, dsn: str) -> None:
    store.save(sample_ticket("T1"), expected_version=0)
    _execute(dsn, "UPDATE ticket_events SET data = '{\"schema_version\": 7}' WHERE seq = 4")
    with pytest.raises(StorageError) as raised:
        store.get("T1")
    assert "ticket_events row (ticket_id='T1', seq=4)" in str(raised.value)
    assert "schema version 7" in str(raised.value)
    _execute(dsn, "UPDATE ticket_events SET data = 'not json' WHERE seq = 4")
    with pytest.raises(StorageError, match=r"seq=4\): unreadable"):
        store.find(TicketQuery())


def test_newer_schema_is_refused(store: PostgresStore, dsn: str) -> None:
    _execute(dsn, "INSERT INTO aftersales_schema VALUES (%s, 'future', 'x')", SCHEMA_VERSION + 1)
    with pytest.raises(UnsupportedSchemaVersion, match=f"schema version {SCHEMA_VERSION + 1}"):
        PostgresStore(dsn)


def test_unreachable_database_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match="cannot connect"):
        PostgresStore("host=127.0.0.1 port=1 user=nobody dbname=none connect_timeout=1", timeout=2)


@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
def test_upgrade_from_every_earlier_version(dsn: str, start: int) -> None:
    PostgresStore(dsn, _target_version=start).close()
    ticket = advance(build_ticket("M1", product_model="A型"), Acknowledged)
    if start >= 1:
        from aftersales.serialization import to_json

        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO tickets (id, version, status, priority, customer_id, assignee,"
                " channel, category, is_open, received_at, updated_at)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                (
                    ticket.id,
                    ticket.version,
                    ticket.status.value,
                    ticket.priority.value,
                    ticket.customer_id,
                    ticket.assignee,
                    ticket.channel.code,
                    ticket.category.code,
                    True,
                    ticket.received_at,
                    ticket.updated_at,
                ),
            )
            for event in ticket.history:
                conn.execute(
                    "INSERT INTO ticket_events VALUES (%s, %s, %s)",
                    (ticket.id, event.seq, to_json(event)),
                )
    with PostgresStore(dsn) as store:
        assert store.schema_version() == SCHEMA_VERSION
        if start >= 1:
            assert store.find_ids(TicketQuery(product_model="A型")) == ["M1"]
            store.save(advance(store.get("M1"), NoteAdded, text="升级后"), expected_version=2)
        assert store.check_integrity() == []


def test_due_query_uses_the_partial_index(store: PostgresStore, dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = " ".join(
            row[0]
            for row in conn.execute(
                "EXPLAIN SELECT id FROM tickets WHERE is_open = TRUE AND due_at IS NOT NULL"
                " AND due_at < now()"
            )
        )
    assert "tickets_open_due" in plan
