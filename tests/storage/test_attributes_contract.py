"""Custom attributes on every store: the contract on memory, SQLite and PostgreSQL, then the SQL rest.

The contract (declarations, values round-tripped, queries agreeing with the
reference ``TicketQuery.select``, two hypothesis tests) runs on the memory
store, a SQLite file, SQLite ``:memory:`` and PostgreSQL. Then what only the
SQL stores do: declarations outlive the store object and every process sees
them; a database of schema 15 upgrades to hold them; an attribute query reads
the ``ticket_attributes_value`` index; ``check_integrity()`` names a broken
declaration and rows that disagree with their ticket; memory and SQLite
answer random queries over tickets opened and changed through a desk alike.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pendulum
import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import Customer, FixedClock, ServiceDesk, TicketQuery
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import AttributeStoreContract, build_ticket, with_attributes
from aftersales.testing.strategies import SAMPLE_ATTRIBUTES, attribute_inputs
from tests.storage.contract_stores import SharedPostgresStores, SQLiteFileStores


class TestMemoryAttributes(AttributeStoreContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLiteAttributes(SQLiteFileStores, AttributeStoreContract):
    hypothesis_examples = 15


class TestSQLiteInMemoryAttributes(AttributeStoreContract):
    hypothesis_examples = 15

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


class TestPostgresAttributes(SharedPostgresStores, AttributeStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> Any:
        from tests.storage.test_postgres import _execute

        store = super().make_store()
        _execute(self.dsn, "TRUNCATE attribute_definitions, ticket_attributes")
        return store


def test_two_memory_stores_keep_their_own_declarations() -> None:
    first = MemoryStore()
    first.declare_attribute(SAMPLE_ATTRIBUTES.get("onsite"))
    assert len(MemoryStore().attribute_definitions()) == 0
    assert first.attribute_definitions().names == ("onsite",)


def test_declarations_outlive_the_store_and_every_process_sees_them(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as writer, SQLiteStore(path) as other_process:
        writer.declare_attribute(SAMPLE_ATTRIBUTES.get("serial_number"))
        assert other_process.attribute_definitions().names == ("serial_number",)
    with SQLiteStore(path) as reopened:
        assert list(reopened.attribute_definitions()) == [SAMPLE_ATTRIBUTES.get("serial_number")]
        assert reopened.check_integrity() == []


def _upgraded_from_15(store_at_15: Any, reopen: Any) -> None:
    """A ticket stored by schema 15 reads back after the upgrade; attributes work on it."""
    ticket = build_ticket("M1")
    store_at_15.save(ticket, expected_version=0)
    store_at_15.close()
    with reopen() as store:
        assert store.schema_version() >= 16
        assert store.get("M1") == ticket
        store.declare_attribute(SAMPLE_ATTRIBUTES.get("onsite"))
        desk = ServiceDesk(store, clock=FixedClock(ticket.updated_at.add(minutes=5)))
        desk.set_attributes("M1", by="李工", attributes={"onsite": True})
        assert store.find_ids(TicketQuery(attributes={"onsite": True})) == ["M1"]
        assert store.check_integrity() == []


def test_a_sqlite_database_of_schema_15_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    _upgraded_from_15(SQLiteStore(path, _target_version=15), lambda: SQLiteStore(path))


def test_a_postgres_database_of_schema_15_upgrades(postgres_dsn: str) -> None:
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    _reset(postgres_dsn)
    _upgraded_from_15(
        PostgresStore(postgres_dsn, _target_version=15), lambda: PostgresStore(postgres_dsn)
    )


def test_an_attribute_query_reads_its_index(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save(with_attributes("A1", {"onsite": True}), expected_version=0)
        sql, params = store._page_sql(None, TicketQuery(attributes={"onsite": True}), "id")
    with sqlite3.connect(path) as conn:
        plan = " ".join(str(row) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "ticket_attributes_value" in plan


def test_an_attribute_query_reads_its_index_on_postgres(postgres_dsn: str) -> None:
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    _reset(postgres_dsn)
    with PostgresStore(postgres_dsn) as store:
        store.save(with_attributes("A1", {"onsite": True}), expected_version=0)
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = " ".join(
            row[0]
            for row in conn.execute(
                "EXPLAIN SELECT ticket_id FROM ticket_attributes"
                " WHERE name = 'onsite' AND value_text = 'true'"
            )
        )
    assert "ticket_attributes_value" in plan


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        (
            "UPDATE attribute_definitions SET data = '{not json'",
            "attribute_definitions row 'onsite': unreadable",
        ),
        (
            "UPDATE attribute_definitions SET name = 'on_site'",
            "attribute_definitions row 'on_site': holds the attribute 'onsite'",
        ),
        (
            "DELETE FROM ticket_attributes WHERE value_text = 'fan'",
            "ticket_attributes rows of ticket 'A1': [('onsite', 'true'), ('parts', 'board')]"
            " but its attributes give [('onsite', 'true'), ('parts', 'board'), ('parts', 'fan')]",
        ),
        (
            "UPDATE ticket_attributes SET value_text = 'false' WHERE name = 'onsite'",
            "ticket_attributes rows of ticket 'A1': [('onsite', 'false'),",
        ),
        (
            "INSERT INTO ticket_attributes VALUES ('A9', 'onsite', 'true')",
            "ticket_attributes rows of missing ticket 'A9'",
        ),
    ],
)
def test_check_integrity_names_broken_attribute_rows(
    tmp_path: Path, statement: str, problem: str
) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.declare_attribute(SAMPLE_ATTRIBUTES.get("onsite"))
        store.save(
            with_attributes("A1", {"onsite": True, "parts": ["fan", "board"]}), expected_version=0
        )
        assert store.check_integrity() == []
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute(statement)
        problems = [p for p in store.check_integrity() if not p.startswith("foreign key")]
        assert len(problems) == 1, problems
        assert problems[0].startswith(problem), problems


_START = pendulum.datetime(2024, 5, 10, 9, tz="Asia/Shanghai")


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_memory_and_sqlite_answer_every_attribute_query_alike(data: st.DataObject) -> None:
    """Tickets opened and changed through desks on both stores; random queries; same answers."""
    stores = [MemoryStore(), SQLiteStore(":memory:")]
    desks = []
    for store in stores:
        for definition in SAMPLE_ATTRIBUTES:
            store.declare_attribute(definition)
        desks.append(ServiceDesk(store, clock=FixedClock(_START.add(hours=1))))
    definitions = list(SAMPLE_ATTRIBUTES)

    def drawn_values(min_size: int) -> dict[str, Any]:
        chosen = data.draw(
            st.lists(st.sampled_from(definitions), min_size=min_size, max_size=3, unique=True)
        )
        return {item.name: data.draw(attribute_inputs(item)) for item in chosen}

    try:
        count = data.draw(st.integers(1, 5), label="tickets")
        for n in range(count):
            values = drawn_values(0)
            for desk in desks:
                desk.open_ticket(
                    customer=Customer(id="C1", name="XX科技"),
                    channel="phone",
                    category="consultation",
                    description="咨询",
                    occurred_at=_START,
                    by="李工",
                    ticket_id=f"Q{n}",
                    at=_START.add(minutes=n),
                    attributes=values,
                )
        for ticket_id in data.draw(st.lists(st.sampled_from([f"Q{n}" for n in range(count)]))):
            change = drawn_values(1)
            outcomes = []
            for desk in desks:
                try:
                    desk.set_attributes(ticket_id, by="李工", attributes=change)
                    outcomes.append("set")
                except ValueError as error:  # a change to nothing
                    outcomes.append(str(error))
            assert outcomes[0] == outcomes[1]
        wanted = drawn_values(1)
        picked = {}
        for name, value in wanted.items():
            normal = SAMPLE_ATTRIBUTES.get(name).normalised(value, name)
            picked[name] = normal[0] if isinstance(normal, tuple) else normal
        query = TicketQuery(attributes=picked)
        memory, sql = stores
        assert [t.id for t in memory.find(query)] == sql.find_ids(query)
        assert memory.count(query) == sql.count(query)
        assert [memory.get(t.id) for t in memory.find(query)] == sql.find(query)
    finally:
        stores[1].close()
