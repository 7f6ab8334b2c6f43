"""DjangoStore on MariaDB: concurrent writers (threads, processes) and writers killed mid-write.

The same checks as ``tests/storage/test_mariadb.py`` runs on MySQLStore: every
accepted command is stored exactly once and no refused one is; a killed
writer's batch is all there or not at all.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections

from aftersales import ConcurrencyError
from aftersales.contrib.django import DjangoStore
from aftersales.model.events import NoteAdded
from aftersales.storage import TicketQuery
from aftersales.testing.contracts import advance, build_ticket
from tests.contrib_django import databases
from tests.contrib_django.conftest import need
from tests.storage import reliability

_ALIAS = "mariadb"


@pytest.fixture
def store(django_databases: dict[str, str], unblocked: None) -> DjangoStore:
    """A store on the MariaDB test database, its tables empty."""
    need(django_databases, "mariadb")
    databases.reset_unless_current(_ALIAS)
    databases.empty(_ALIAS)
    return DjangoStore(_ALIAS)


def _closing(work: Any) -> Any:
    """``work`` run in a thread that closes its own Django connections when done."""

    def run(*args: Any) -> Any:
        try:
            return work(*args)
        finally:
            connections.close_all()

    return run


def test_eight_threads_lose_nothing(store: DjangoStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.storage import _writer

    monkeypatch.setattr(_writer, "desk_worker", _closing(_writer.desk_worker))
    reliability.seed(store)
    results = reliability.run_threads(store, threads=8, commands=30)
    reliability.check_nothing_lost(store, results, commands=30)
    assert store.check_integrity() == []


def test_several_processes_lose_nothing(store: DjangoStore) -> None:
    reliability.seed(store)
    url = databases.target(_ALIAS)
    results = reliability.run_processes("django-mysql", url, processes=3, commands=25)
    reliability.check_nothing_lost(store, results, commands=25)
    assert store.check_integrity() == []


def test_writer_killed_inside_a_bulk_write(store: DjangoStore) -> None:
    lines = reliability.kill_mid_batch(
        "django-mysql", databases.target(_ALIAS), size=300, hang_at=1
    )
    assert lines == ["COMMITTED 0", "MIDDLE 1"]
    reliability.check_batches(store, size=300, committed=1)
    assert store.count(TicketQuery()) == 300
    assert store.check_integrity() == []


def test_writer_killed_at_a_random_moment(store: DjangoStore) -> None:
    lines = reliability.kill_after("django-mysql", databases.target(_ALIAS), size=200, delay=0.7)
    committed = sum(1 for line in lines if line.startswith("COMMITTED"))
    reliability.check_batches(store, size=200, committed=committed)
    assert store.check_integrity() == []


def _race(store: DjangoStore, ticket: Any) -> dict[str, str]:
    """Two threads (two Django connections) save a note on ``ticket`` from version 1 at once."""
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    @_closing
    def write(name: str) -> None:
        start.wait()
        try:
            store.save(advance(ticket, NoteAdded, text=name), expected_version=1)
            outcomes[name] = "saved"
        except ConcurrencyError as error:
            outcomes[name] = f"refused at {error.expected}, found {error.actual}"

    threads = [threading.Thread(target=write, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_writers_at_the_same_version_one_wins(store: DjangoStore) -> None:
    """Two connections save the same ticket from version 1 at once, 20 times: one wins each time."""
    for round_number in range(20):
        ticket = build_ticket(f"R{round_number}")
        store.save(ticket, expected_version=0)
        outcomes = _race(store, ticket)
        assert sorted(outcomes.values()) == ["refused at 1, found 2", "saved"]
        winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
        stored = store.get(ticket.id)
        assert stored.version == 2
        assert [e.text for e in stored.history if isinstance(e, NoteAdded)] == [winner]


def test_the_stores_own_transactions_read_committed_in_utc_utf8mb4(store: DjangoStore) -> None:
    with store._reading() as cur:
        cur.execute(
            "SELECT @@session.tx_isolation, @@session.time_zone, @@session.character_set_client,"
            " @@session.collation_connection"
        )
        assert cur.fetchone() == ("READ-COMMITTED", "+00:00", "utf8mb4", "utf8mb4_bin")
