"""PostgresStore on a throwaway cluster: the contract, concurrent servers, corruption, schemas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from aftersales import StorageError, UnsupportedSchemaVersion
from aftersales.model.events import Acknowledged, NoteAdded
from aftersales.storage import Save, TicketQuery
from aftersales.testing.contracts import (
    DurableVocabularyContract,
    IntegrityContract,
    StoreContract,
    advance,
    build_ticket,
    populate,
)
from aftersales.testing.samples import sample_ticket
from tests.storage import reliability
from tests.storage.records import check_records_after_upgrade
from tests.storage.vocabulary_checks import RACES, check_racing_registrations

psycopg = pytest.importorskip("psycopg", reason="PostgreSQL tests need the 'postgres' extra")

from aftersales.storage.postgres import (  # noqa: E402
    EVENTS_OF_TICKETS,
    SCHEMA_VERSION,
    PostgresStore,
)

#: Every table of the schema (records first: they reference nothing of the tickets).
RECORD_TABLES = (
    "root_cause_tickets, root_causes, improvement_actions, knowledge_uses,"
    " knowledge_article_versions, knowledge_articles, followups"
)
VOCABULARY_TABLES = "vocabulary_aliases, vocabulary_terms"
#: The facts projection (schemas 7 and 12): rows of tickets, and the keys they were computed under.
FACTS_TABLES = (
    "ticket_substatus_spans, ticket_visits, ticket_sla_cycles, ticket_facts_past, ticket_facts,"
    " projection_keys"
)
#: A ticket's own rows: its tags and attributes (schemas 15 and 16), its events, the ticket.
TICKET_TABLES = "ticket_tags, ticket_attributes, ticket_events, tickets"
_TABLES = (
    f"{RECORD_TABLES}, {VOCABULARY_TABLES}, {FACTS_TABLES}, aftersales_schema, customers,"
    " ticket_events, tickets, calendar_schedules, event_feed_head, subscriptions,"
    " subscription_dead_letters, reply_templates, calendars, teams"
)


def _reset(dsn: str) -> None:
    """Drop the schema's tables, and any other table a newer step made in the test database."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {_TABLES} CASCADE")
        others = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
        for (name,) in others:
            conn.execute(f'DROP TABLE IF EXISTS "{name}" CASCADE')


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


def _other_database(dsn: str) -> str:
    """The DSN of a second, empty database on the cluster of ``dsn`` (another company's)."""
    other = psycopg.conninfo.make_conninfo(dsn, dbname="aftersales_other")
    with psycopg.connect(dsn, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = 'aftersales_other'").fetchone():
            _reset(other)
        else:
            conn.execute("CREATE DATABASE aftersales_other")
    return other


class TestPostgresStore(StoreContract, DurableVocabularyContract, IntegrityContract):
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
            conn.execute(
                f"TRUNCATE {RECORD_TABLES}, {VOCABULARY_TABLES}, {FACTS_TABLES}, customers,"
                f" {TICKET_TABLES}"
            )
        self._shared.vocabulary.refresh()
        return self._shared

    def make_separate_store(self) -> PostgresStore:
        return PostgresStore(_other_database(self.dsn), max_size=2)

    def dispose_separate_store(self, store: Any) -> None:
        store.close()

    def reopen_store(self, store: Any) -> PostgresStore:
        return PostgresStore(self.dsn, max_size=2)

    def run_sql(self, store: Any, statement: str, *params: Any) -> None:
        _execute(self.dsn, statement.replace("?", "%s"), *params)

    def drop_table(self, store: Any, table: str) -> None:
        self.run_sql(store, f"DROP TABLE {table} CASCADE")

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
    ticket, columns, row = reliability.row_as_written_by(start, is_open=True, time=lambda t: t)
    if start >= 1:  # rows as that version wrote them
        from aftersales.serialization import to_json

        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(
                f"INSERT INTO tickets ({columns}) VALUES ({', '.join(['%s'] * len(row))})", row
            )
            for event in ticket.history:
                if start >= 11:  # every event has its feed position
                    conn.execute(
                        "INSERT INTO ticket_events VALUES (%s, %s, %s, %s)",
                        (ticket.id, event.seq, to_json(event), event.seq),
                    )
                else:
                    conn.execute(
                        "INSERT INTO ticket_events VALUES (%s, %s, %s)",
                        (ticket.id, event.seq, to_json(event)),
                    )
            if start >= 11:
                conn.execute("UPDATE event_feed_head SET position = %s", (ticket.version,))
    with PostgresStore(dsn) as store:
        assert store.schema_version() == SCHEMA_VERSION
        if start >= 1:
            assert store.find_ids(TicketQuery(product_model="A型")) == ["M1"]
            store.save(
                advance(store.get("M1"), NoteAdded, text="升级后"),
                expected_version=2,
                due_at=ticket.updated_at.add(hours=1),
            )
            worklist = TicketQuery(due_before=ticket.updated_at.add(hours=2), order="due")
            assert [t.id for t in store.find(worklist)] == ["M1"]
        check_records_after_upgrade(store)
        assert store.check_integrity() == []


def test_upgrade_to_12_fills_each_tickets_substatus_from_its_snapshot(dsn: str) -> None:
    PostgresStore(dsn, _target_version=11).close()
    ticket, columns, row, events = reliability.substatus_rows_before_12(
        is_open=True, time=lambda t: t
    )
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            f"INSERT INTO tickets ({columns}) VALUES ({', '.join(['%s'] * len(row))})", row
        )
        for event_row in events:
            conn.execute("INSERT INTO ticket_events VALUES (%s, %s, %s, %s)", event_row)
        conn.execute("UPDATE event_feed_head SET position = %s", (len(events),))
    with PostgresStore(dsn) as store:
        assert store.find_ids(TicketQuery(substatus="waiting_manufacturer")) == ["S1"]
        assert store.find_ids(TicketQuery(substatus="waiting_parts")) == []
        assert store.get("S1") == ticket
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


def _explain(store: PostgresStore, sql: str, params: Any) -> str:
    with store._reading() as cur:
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


def test_due_order_page_and_its_events_use_indexes(store: PostgresStore, dsn: str) -> None:
    """On a realistic spread, the worklist page walks ``tickets_open_due`` (no sort of the
    matches) and its events come from the primary key of ``ticket_events``."""
    tickets = [build_ticket(f"W{i:04d}", minutes=i) for i in range(3000)]
    tickets = [advance(t, Acknowledged) for t in tickets]
    due = tickets[0].received_at
    store.save_many(
        Save(t, 0, None if i % 3 == 0 else due.add(minutes=(i * 37) % 3000))
        for i, t in enumerate(tickets)
    )
    _execute(dsn, "VACUUM ANALYZE")
    worklist = TicketQuery(due_before=due.add(minutes=1500), order="due", limit=50)
    for query in (worklist, attrs.evolve(worklist, after_id="W0007")):
        with store._reading() as cur:
            sql, params = store._page_sql(cur, query, "id, version, status")
        plan = _explain(store, store._sql(sql), params)
        assert "Index Scan using tickets_open_due" in plan, plan
        assert "Sort" not in plan, plan
    ids = store.find_ids(worklist)
    assert len(ids) == 50
    plan = _explain(store, EVENTS_OF_TICKETS, (ids,))
    assert "ticket_events_pkey" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert [t.id for t in store.find(worklist)] == ids
    assert all(t.version == 2 for t in store.find(worklist))


def test_find_inside_a_unit_of_work_sees_its_writes(store: PostgresStore) -> None:
    """On the unit's thread, ``find`` runs in the unit's transaction (one joined statement)."""
    due = build_ticket("U1").received_at.add(hours=1)
    with store.unit_of_work() as uow:
        uow.save(build_ticket("U1"), expected_version=0, due_at=due)
        uow.save(build_ticket("U2", minutes=1), expected_version=0, due_at=due.subtract(hours=1))
        worklist = TicketQuery(due_before=due.add(hours=1), order="due")
        assert [t.id for t in store.find(worklist)] == ["U2", "U1"]
    assert [t.id for t in store.find(worklist)] == ["U2", "U1"]


# -- the company vocabulary and the integrity check ----------------------------------------


@pytest.mark.parametrize("race", sorted(RACES))
def test_racing_registrations_on_two_servers_one_wins(
    store: PostgresStore, dsn: str, race: str
) -> None:
    with PostgresStore(dsn, max_size=2) as other:
        check_racing_registrations([store, other], race)


def test_a_changed_column_type_is_named(store: PostgresStore, dsn: str) -> None:
    populate(store)
    assert store.check_integrity() == []
    _execute(dsn, "ALTER TABLE tickets ALTER COLUMN received_at TYPE text")
    _execute(dsn, "ALTER TABLE knowledge_uses ALTER COLUMN at TYPE text")
    _execute(dsn, "ALTER TABLE improvement_actions ALTER COLUMN version TYPE bigint")  # fine
    assert store.check_integrity() == [
        "tickets.received_at is of type text; accepted: timestamp with time zone",
        "knowledge_uses.at is of type text; accepted: timestamp with time zone",
    ]


def test_a_table_broken_beyond_reading_is_named_and_the_rest_checked(
    store: PostgresStore, dsn: str
) -> None:
    populate(store)
    _execute(dsn, "ALTER TABLE knowledge_article_versions ALTER COLUMN version TYPE text")
    _execute(dsn, "UPDATE customers SET name = '别名' WHERE id = 'C1'")
    first, second, third = store.check_integrity()
    assert first == (
        "knowledge_article_versions.version is of type text;"
        " accepted: integer or bigint or smallint"
    )
    assert second.startswith("the record tables could not be checked: PostgreSQL database:")
    assert third == "customers row 'C1': name '别名' but its data gives 'XX科技有限公司'"
