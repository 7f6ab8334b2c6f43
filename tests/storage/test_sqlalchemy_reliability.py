"""SqlAlchemyStore on a throwaway MariaDB server: concurrent desks, several processes, killed writers.

The same checks ``test_mariadb.py`` runs on ``MySQLStore``, through an
application's SQLAlchemy engine (PyMySQL): eight threads sharing one engine's
pool, three processes each with an engine of its own, a writer killed inside a
bulk write and one killed at a random moment, and two engines racing for one
ticket version.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aftersales.model.events import NoteAdded
from aftersales.storage import TicketQuery
from aftersales.testing.contracts import build_ticket
from tests.storage import reliability
from tests.storage.mariadb_stores import empty, reset_unless_current
from tests.storage.sqlalchemy_stores import mariadb_url as sqlalchemy_url

sqlalchemy = pytest.importorskip("sqlalchemy", reason="needs the 'sqlalchemy' extra")

from aftersales.storage.sqlalchemy import SqlAlchemyStore  # noqa: E402


@pytest.fixture
def url(mariadb_url: str) -> str:
    """The SQLAlchemy URL of the test database, holding the current schema and no rows."""
    reset_unless_current(mariadb_url)
    empty(mariadb_url)
    return sqlalchemy_url(mariadb_url)


@pytest.fixture
def engine(url: str) -> Iterator[Any]:
    made = sqlalchemy.create_engine(url, pool_size=8)
    yield made
    made.dispose()


@pytest.fixture
def store(engine: Any) -> SqlAlchemyStore:
    return SqlAlchemyStore(engine)


def test_eight_threads_on_one_engine_lose_nothing(store: SqlAlchemyStore) -> None:
    reliability.seed(store)
    results = reliability.run_threads(store, threads=8, commands=30)
    reliability.check_nothing_lost(store, results, commands=30)
    assert store.check_integrity() == []


def test_three_processes_lose_nothing(store: SqlAlchemyStore, url: str) -> None:
    reliability.seed(store)
    results = reliability.run_processes("sqlalchemy", url, processes=3, commands=25)
    reliability.check_nothing_lost(store, results, commands=25)
    assert store.check_integrity() == []


def test_writer_killed_inside_a_bulk_write(store: SqlAlchemyStore, url: str) -> None:
    lines = reliability.kill_mid_batch("sqlalchemy", url, size=300, hang_at=1)
    assert lines == ["COMMITTED 0", "MIDDLE 1"]
    reliability.check_batches(store, size=300, committed=1)
    assert store.count(TicketQuery()) == 300
    assert store.check_integrity() == []


def test_writer_killed_at_a_random_moment(store: SqlAlchemyStore, url: str) -> None:
    lines = reliability.kill_after("sqlalchemy", url, size=200, delay=0.7)
    committed = sum(1 for line in lines if line.startswith("COMMITTED"))
    reliability.check_batches(store, size=200, committed=committed)
    assert store.check_integrity() == []


def test_two_engines_at_the_same_version_one_wins(url: str) -> None:
    """Two engines save the same ticket from version 1 at once, 20 times: one wins each time."""
    first_engine = sqlalchemy.create_engine(url, pool_size=2)
    second_engine = sqlalchemy.create_engine(url, pool_size=2)
    try:
        first, second = SqlAlchemyStore(first_engine), SqlAlchemyStore(second_engine)
        for round_number in range(20):
            ticket = build_ticket(f"R{round_number}")
            first.save(ticket, expected_version=0)
            outcomes = reliability.race(ticket, [("first", first), ("second", second)])
            assert sorted(outcomes.values()) == ["refused at 1, found 2", "saved"]
            winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
            stored = first.get(ticket.id)
            assert stored.version == 2
            assert [e.text for e in stored.history if isinstance(e, NoteAdded)] == [winner]
    finally:
        first_engine.dispose()
        second_engine.dispose()
