"""SQLiteStore under stress: concurrent desks, killed writers, corrupted rows, old and new schemas."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import attrs
import pytest

from aftersales import StorageError, UnsupportedSchemaVersion
from aftersales.model.events import NoteAdded
from aftersales.storage import Save, SQLiteStore, TicketQuery
from aftersales.storage.sqlite import MIGRATIONS, SCHEMA_VERSION
from aftersales.storage.sqlite.store import _micros
from aftersales.testing.contracts import HOSTILE_TEXTS, advance, build_ticket
from aftersales.testing.samples import sample_ticket
from tests.storage import reliability
from tests.storage.records import check_records_after_upgrade


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


# -- concurrent writers -------------------------------------------------------------------


def test_eight_threads_lose_nothing(path: Path) -> None:
    store = SQLiteStore(path)
    reliability.seed(store)
    results = reliability.run_threads(store, threads=8, commands=40)
    reliability.check_nothing_lost(store, results, commands=40)
    assert store.check_integrity() == []


def test_four_processes_lose_nothing(path: Path) -> None:
    with SQLiteStore(path) as store:
        reliability.seed(store)
    results = reliability.run_processes("sqlite", str(path), processes=4, commands=40)
    with SQLiteStore(path) as store:
        reliability.check_nothing_lost(store, results, commands=40)
        assert store.check_integrity() == []


def test_concurrent_first_open_migrates_once(path: Path) -> None:
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            SQLiteStore(path).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite3.connect(path) as conn:
        versions = [row[0] for row in conn.execute("SELECT version FROM aftersales_schema")]
    assert versions == [m.version for m in MIGRATIONS]


# -- killed writers ---------------------------------------------------------------------


def test_writer_killed_inside_a_bulk_write(path: Path) -> None:
    SQLiteStore(path).close()
    lines = reliability.kill_mid_batch("sqlite", str(path), size=400, hang_at=2)
    assert lines == ["COMMITTED 0", "COMMITTED 1", "MIDDLE 2"]
    with SQLiteStore(path) as store:
        reliability.check_batches(store, size=400, committed=2)
        assert store.count(TicketQuery()) == 800
        assert "K0002-0000" not in store


@pytest.mark.parametrize("delay", [0.05, 0.3])
def test_writer_killed_at_a_random_moment(path: Path, delay: float) -> None:
    SQLiteStore(path).close()
    lines = reliability.kill_after("sqlite", str(path), size=300, delay=delay)
    committed = sum(1 for line in lines if line.startswith("COMMITTED"))
    assert committed >= 1
    with SQLiteStore(path) as store:
        reliability.check_batches(store, size=300, committed=committed)


# -- corrupted rows -----------------------------------------------------------------------


def _corrupt(path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql, params)
    conn.close()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ('{"schema_version": 1, "ticket_id": "T1", "seq": 2', "unreadable"),
        ('{"schema_version": 99, "ticket_id": "T1", "seq": 2}', "schema version 99"),
        ('{"schema_version": 1, "type": "nonsense"}', "unreadable"),
        ("[1, 2, 3]", "unreadable"),
    ],
)
def test_corrupted_event_row_is_named(path: Path, data: str, words: str) -> None:
    store = SQLiteStore(path)
    store.save(sample_ticket("T1"), expected_version=0)
    store.save(sample_ticket("T2"), expected_version=0)
    _corrupt(path, "UPDATE ticket_events SET data = ? WHERE ticket_id = 'T1' AND seq = 2", data)
    for read in (lambda: store.get("T1"), lambda: store.find(TicketQuery())):
        with pytest.raises(StorageError) as raised:
            read()
        message = str(raised.value)
        assert "ticket_events row (ticket_id='T1', seq=2)" in message
        assert words in message
    assert store.get("T2") == sample_ticket("T2")
    assert store.find_ids(TicketQuery()) == ["T1", "T2"]
    problems = store.check_integrity()
    assert len(problems) == 1
    assert "'T1'" in problems[0]


def test_event_of_another_ticket_is_refused(path: Path) -> None:
    store = SQLiteStore(path)
    store.save(sample_ticket("T1"), expected_version=0)
    store.save(sample_ticket("T2"), expected_version=0)
    _corrupt(
        path,
        "UPDATE ticket_events SET data = (SELECT data FROM ticket_events"
        " WHERE ticket_id = 'T2' AND seq = 3) WHERE ticket_id = 'T1' AND seq = 3",
    )
    with pytest.raises(StorageError, match=r"seq=3\): holds event 3 of ticket 'T2'"):
        store.get("T1")


def test_missing_event_is_refused(path: Path) -> None:
    store = SQLiteStore(path)
    store.save(sample_ticket("T1"), expected_version=0)
    _corrupt(path, "DELETE FROM ticket_events WHERE ticket_id = 'T1' AND seq = 9")
    with pytest.raises(StorageError, match="tickets row 'T1': version 9 but 8 events"):
        store.get("T1")


def test_snapshot_disagreeing_with_events_is_refused(path: Path) -> None:
    store = SQLiteStore(path)
    store.save(sample_ticket("T1"), expected_version=0)
    _corrupt(path, "UPDATE tickets SET status = 'received' WHERE id = 'T1'")
    with pytest.raises(StorageError, match="tickets row 'T1': status 'received'"):
        store.get("T1")


def test_corrupted_customer_row_is_named(path: Path) -> None:
    from aftersales.model import Customer

    store = SQLiteStore(path)
    store.save_customer(Customer(id="C1", name="XX科技有限公司"))
    _corrupt(path, "UPDATE customers SET data = '{\"schema_version\": 1}' WHERE id = 'C1'")
    with pytest.raises(StorageError, match="customers row 'C1'"):
        store.get_customer("C1")


# -- schema versions ------------------------------------------------------------------------


def test_newer_schema_is_refused(path: Path) -> None:
    SQLiteStore(path).close()
    _corrupt(
        path,
        "INSERT INTO aftersales_schema VALUES (?, 'from the future', '2099-01-01')",
        SCHEMA_VERSION + 1,
    )
    with pytest.raises(UnsupportedSchemaVersion) as raised:
        SQLiteStore(path)
    assert isinstance(raised.value, StorageError)
    assert f"schema version {SCHEMA_VERSION + 1} is not supported" in str(raised.value)
    assert str(path) in str(raised.value)


def test_not_a_database_is_refused(path: Path) -> None:
    path.write_bytes(b"this is not a database, just some text" * 100)
    with pytest.raises(StorageError):
        SQLiteStore(path)


def _write_rows(path: Path, version: int) -> None:
    """Rows as schema ``version`` wrote them: version 1 had no product_model, no due_at."""
    from aftersales.serialization import to_json

    ticket, columns, row = reliability.row_as_written_by(version, is_open=1, time=_micros)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(f"INSERT INTO tickets ({columns}) VALUES ({', '.join('?' * len(row))})", row)
        if version >= 11:  # every event has its feed position
            conn.executemany(
                "INSERT INTO ticket_events (ticket_id, seq, data, position) VALUES (?, ?, ?, ?)",
                [(ticket.id, e.seq, to_json(e), e.seq) for e in ticket.history],
            )
            conn.execute("UPDATE event_feed_head SET position = ?", (ticket.version,))
        else:
            conn.executemany(
                "INSERT INTO ticket_events (ticket_id, seq, data) VALUES (?, ?, ?)",
                [(ticket.id, e.seq, to_json(e)) for e in ticket.history],
            )
    conn.close()


@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
def test_upgrade_from_every_earlier_version(path: Path, start: int) -> None:
    SQLiteStore(path, _target_version=start).close()
    with sqlite3.connect(path) as conn:
        found = conn.execute("SELECT max(version) FROM aftersales_schema").fetchone()[0]
    assert (found or 0) == start
    if start >= 1:
        _write_rows(path, start)
    with SQLiteStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.check_integrity() == []
        if start >= 1:
            assert [t.id for t in store.find(TicketQuery(product_model="A型"))] == ["M1"]
            ticket = store.get("M1")
            store.save(
                advance(ticket, NoteAdded, text="升级后"),
                expected_version=2,
                due_at=ticket.updated_at.add(hours=1),
            )
            due_before = ticket.updated_at.add(hours=2)
            assert store.find_ids(TicketQuery(due_before=due_before)) == ["M1"]
            assert store.find_ids(TicketQuery(due_before=due_before, order="due")) == ["M1"]
        from aftersales.model import Customer

        store.save_customer(Customer(id="C1", name="客户"))
        assert store.get_customer("C1").name == "客户"
        check_records_after_upgrade(store)
        assert store.check_integrity() == []


def test_upgrade_to_12_fills_each_tickets_substatus_from_its_snapshot(path: Path) -> None:
    SQLiteStore(path, _target_version=11).close()
    ticket, columns, row, events = reliability.substatus_rows_before_12(is_open=1, time=_micros)
    with sqlite3.connect(path) as conn:
        conn.execute(f"INSERT INTO tickets ({columns}) VALUES ({', '.join('?' * len(row))})", row)
        conn.executemany(
            "INSERT INTO ticket_events (ticket_id, seq, data, position) VALUES (?, ?, ?, ?)", events
        )
        conn.execute("UPDATE event_feed_head SET position = ?", (len(events),))
    with SQLiteStore(path) as store:
        assert store.find_ids(TicketQuery(substatus="waiting_manufacturer")) == ["S1"]
        assert store.find_ids(TicketQuery(substatus="waiting_parts")) == []
        assert store.get("S1") == ticket
        assert store.check_integrity() == []


def test_every_query_uses_an_index(path: Path) -> None:
    store = SQLiteStore(path)
    conn = sqlite3.connect(path)
    for column, value in [
        ("status", "'received'"),
        ("priority", "'urgent'"),
        ("customer_id", "'C1'"),
        ("assignee", "'x'"),
        ("channel", "'phone'"),
        ("category", "'x'"),
        ("product_model", "'x'"),
        ("substatus", "'waiting_parts'"),
        ("updated_at", "1"),
        ("received_at", "1"),
    ]:
        plan = " ".join(
            str(row)
            for row in conn.execute(
                f"EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE {column} = {value}"
            )
        )
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (column, plan)
    plan = " ".join(
        str(row)
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE is_open = 1 AND due_at IS NOT NULL"
            " AND due_at < 5"
        )
    )
    assert "USING INDEX tickets_open_due" in plan
    conn.close()
    store.close()


def test_hostile_text_in_a_file_database(path: Path) -> None:
    ticket = build_ticket("H1", handler=HOSTILE_TEXTS[0], description=HOSTILE_TEXTS[6])
    with SQLiteStore(path) as store:
        store.save(ticket, expected_version=0)
    with SQLiteStore(path) as store:
        assert store.get("H1") == ticket
        assert store.check_integrity() == []


def _plan(store: SQLiteStore, query: TicketQuery) -> str:
    """SQLite's plan of the statement that selects (and orders, and limits) a page of ``query``."""
    with store._reading() as cur:
        sql, params = store._page_sql(cur, query, "id, version, status")
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[3]) for row in cur.fetchall())


def test_due_order_walks_the_due_index(path: Path) -> None:
    """The worklist page reads ``tickets_open_due`` in order: no sort of the matches."""
    with SQLiteStore(path) as store:
        due = build_ticket("W1").received_at.add(hours=1)
        store.save_many([Save(build_ticket(f"W{i}", minutes=i), 0, due) for i in range(3)])
        worklist = TicketQuery(due_before=due.add(hours=1), order="due", limit=50)
        for query in (worklist, attrs.evolve(worklist, after_id="W1")):
            plan = _plan(store, query)
            assert "USING INDEX tickets_open_due" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
        assert "(due_at,id)>(?,?)" in _plan(store, attrs.evolve(worklist, after_id="W1"))
        assert store.find_ids(attrs.evolve(worklist, after_id="W0")) == ["W1", "W2"]
        # the default order has to sort the matches, which is why order="due" exists
        assert "TEMP B-TREE" in _plan(store, attrs.evolve(worklist, order="received"))
