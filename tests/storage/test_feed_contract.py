"""The event feed and subscriptions contracts on MemoryStore, SQLiteStore and PostgresStore;
concurrent writers never make a polling reader skip an event; the feed after an upgrade."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from aftersales.model.events import TicketEvent
from aftersales.serialization import to_json
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import (
    EventFeedContract,
    SubscriptionStoreContract,
    build_ticket,
)
from aftersales.testing.contracts.feed import noted
from tests.storage.contract_stores import SharedPostgresStores, SQLiteFileStores
from tests.storage.reliability import writer_env

FEED_WRITER = Path(__file__).with_name("_feed_writer.py")


class TestMemoryFeed(EventFeedContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLiteFeed(SQLiteFileStores, EventFeedContract):
    hypothesis_examples = 15


class TestSQLiteInMemoryFeed(EventFeedContract):
    hypothesis_examples = 10

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


class _EmptiedPostgres(SharedPostgresStores):
    """The shared PostgreSQL store with its feed counter and subscriptions emptied too."""

    def make_store(self) -> Any:
        from tests.storage.test_postgres import _execute

        store = super().make_store()
        _execute(self.dsn, "UPDATE event_feed_head SET position = 0")
        _execute(self.dsn, "TRUNCATE subscriptions, subscription_dead_letters")
        return store


class TestPostgresFeed(_EmptiedPostgres, EventFeedContract):
    hypothesis_examples = 10


class TestMemorySubscriptions(SubscriptionStoreContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLiteSubscriptions(SQLiteFileStores, SubscriptionStoreContract):
    hypothesis_examples = 15


class TestPostgresSubscriptions(_EmptiedPostgres, SubscriptionStoreContract):
    hypothesis_examples = 10


# -- concurrent writers, one polling reader ----------------------------------------------------


def _poll_while(store: Any, running: Any, seed: int) -> list[tuple[int, TicketEvent]]:
    """Read the feed from the last position seen, in small random pages, until writers end."""
    rng = random.Random(seed)
    seen: list[tuple[int, TicketEvent]] = []
    while True:
        finished = not running()
        while page := store.events_since(seen[-1][0] if seen else 0, limit=rng.randint(1, 7)):
            seen += page
        if finished:
            return seen


def _check_read_everything(store: Any, seen: list[tuple[int, TicketEvent]], written: int) -> None:
    positions = [position for position, _ in seen]
    assert positions == list(range(1, written + 1)), "a gap or a repeat in what the reader saw"
    assert seen == store.events_since(0, limit=10_000)
    assert store.feed_head() == written
    stored = {(e.ticket_id, e.seq) for _, e in seen}
    assert len(stored) == written
    assert store.check_integrity() == []


def test_four_sqlite_processes_never_make_a_reader_skip_an_event(tmp_path: Path) -> None:
    path = tmp_path / "feed.db"
    SQLiteStore(path).close()  # migrated before the writers start
    writers = [
        subprocess.Popen(
            [sys.executable, str(FEED_WRITER), "sqlite", str(path), f"p{i}", "40"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=writer_env(),
        )
        for i in range(4)
    ]
    with SQLiteStore(path) as store:
        seen = _poll_while(store, lambda: any(w.poll() is None for w in writers), seed=4)
        outputs = [w.communicate(timeout=120) for w in writers]
        assert all(w.returncode == 0 for w in writers), [err for _, err in outputs]
        written = sum(int(out) for out, _ in outputs)
        assert written > 200
        _check_read_everything(store, seen, written)


def test_eight_postgres_connections_never_make_a_reader_skip_an_event(postgres_dsn: str) -> None:
    from aftersales.storage.postgres import PostgresStore
    from tests.storage._feed_writer import write_rounds
    from tests.storage.test_postgres import _reset

    _reset(postgres_dsn)
    written: list[int] = []
    failures: list[BaseException] = []
    with PostgresStore(postgres_dsn, max_size=9) as store:

        def work(worker: str) -> None:
            try:
                written.append(write_rounds(store, worker, 30))
            except BaseException as error:  # reported by the main thread
                failures.append(error)

        threads = [threading.Thread(target=work, args=(f"c{i}",)) for i in range(8)]
        for thread in threads:
            thread.start()
        seen = _poll_while(store, lambda: any(t.is_alive() for t in threads), seed=8)
        for thread in threads:
            thread.join()
        assert failures == []
        assert sum(written) > 300
        _check_read_everything(store, seen, sum(written))


# -- an upgraded database ------------------------------------------------------------------------


def test_an_upgrade_numbers_the_stored_events_by_time_then_ticket(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    SQLiteStore(path, _target_version=10).close()
    late, early = noted(build_ticket("U2", minutes=30), 1), noted(build_ticket("U1"), 2)
    # U1's events are at minutes 0, 1, 2; U2's at 30, 31; a third at minute 1, like U1's second
    tie = build_ticket("U0", minutes=1)
    with sqlite3.connect(path) as conn:
        for ticket in (late, early, tie):
            conn.execute(
                "INSERT INTO tickets (id, version, status, priority, customer_id, channel,"
                " category, is_open, received_at, updated_at) VALUES (?, ?, 'received', 'general',"
                " 'C1', 'phone', 'product_quality', 1, 0, 0)",
                (ticket.id, ticket.version),
            )
            conn.executemany(
                "INSERT INTO ticket_events (ticket_id, seq, data) VALUES (?, ?, ?)",
                [(ticket.id, e.seq, to_json(e)) for e in ticket.history],
            )
    conn.close()
    with SQLiteStore(path) as store:
        order = [(e.ticket_id, e.seq) for _, e in store.events_since(0)]
        assert order == [("U1", 1), ("U0", 1), ("U1", 2), ("U1", 3), ("U2", 1), ("U2", 2)]
        assert store.feed_head() == 6
        store.save(noted(store.get("U0"), 1), expected_version=1)
        assert [(p, e.ticket_id) for p, e in store.events_since(6)] == [(7, "U0")]
        feed_problems = [
            problem
            for problem in store.check_integrity()
            if problem.startswith(("ticket_events:", "event_feed_head:"))
        ]
        assert feed_problems == []


def test_check_integrity_names_a_gap_and_a_stale_head(tmp_path: Path) -> None:
    path = tmp_path / "feed.db"
    with SQLiteStore(path) as store:
        store.save(noted(build_ticket("G1"), 2), expected_version=0)
        assert store.check_integrity() == []
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE ticket_events SET position = 5 WHERE seq = 3")
            conn.execute("UPDATE event_feed_head SET position = 4")
        conn.close()
        assert store.check_integrity() == [
            "ticket_events: 3 positions from 1 to 5; accepted: positions 1 to the number of"
            " events, without gaps",
            "event_feed_head: position 4 but the last event is at 5",
        ]
