"""The SQL stores read back what they wrote from its snapshot, on the trusted path, replaying nothing.

On SQLite and on PostgreSQL (a throwaway server; each test in a schema of its
own): ``get``, ``find`` and ``stream`` give exactly the tickets that
``Ticket.replay`` makes of the stored events decoded strictly (the reference),
field by field, for random histories under a company vocabulary; ``stream``
leaves each history undecoded until it is first read. A row without a usable
snapshot (written before schema version 6, of another format or version,
unreadable) is read by replaying its events; ``check_integrity()`` names a
snapshot that disagrees with its events.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import Channel, Demand, InvalidData, ProblemCategory, RootCauseCategory
from aftersales.errors import StorageError
from aftersales.model.events import ImprovementSuggested, TicketEvent
from aftersales.model.pending_history import PendingHistory
from aftersales.model.ticket import Ticket
from aftersales.serialization import from_json
from aftersales.storage import SQLiteStore, TicketQuery
from aftersales.testing.contracts import advance
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import event_histories
from tests.test_trusted_decode import same

#: A store under test and how to run SQL on its database by hand.
Opened = tuple[Any, Callable[..., list[tuple[Any, ...]]]]


def _open_sqlite(directory: Path) -> Opened:
    path = directory / f"{uuid.uuid4().hex}.db"
    store = SQLiteStore(path)

    def run(statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(path) as conn:
            return conn.execute(statement, params).fetchall()

    return store, run


def _open_postgres(dsn: str) -> Opened:
    import psycopg
    from psycopg.conninfo import make_conninfo

    from aftersales.storage.postgres import PostgresStore

    schema = f"fastread_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    scoped = make_conninfo(dsn, options=f"-csearch_path={schema}")

    def run(statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(scoped, autocommit=True) as conn:
            cur = conn.execute(statement.replace("?", "%s"), params or None)
            return cur.fetchall() if cur.description else []

    return PostgresStore(scoped, max_size=2), run


@pytest.fixture(params=["sqlite", "postgres"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Opened]]:
    """Opens fresh stores of the parameter's backend (closed after the test)."""
    opened: list[Any] = []
    if request.param == "sqlite":
        make: Callable[[], Opened] = lambda: _open_sqlite(tmp_path)  # noqa: E731
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        make = lambda: _open_postgres(dsn)  # noqa: E731

    def fresh() -> Opened:
        store, run = make()
        opened.append(store)
        return store, run

    yield fresh
    for store in opened:
        store.close()


@pytest.fixture
def store_and_sql(opener: Callable[[], Opened]) -> Opened:
    return opener()


def _company_terms(store: Any) -> None:
    store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
    store.register_term(ProblemCategory, "installation", "Installation", "安装问题")
    store.register_term(Demand, "loaner", "Loaner unit", "备用机")
    store.register_term(RootCauseCategory, "courier", "Courier", "快递员")


def _reference(store: Any, run: Callable[..., list[tuple[Any, ...]]]) -> dict[str, Ticket]:
    """The tickets of the stored events, each row decoded strictly, replayed."""
    rows = run("SELECT ticket_id, seq, data FROM ticket_events ORDER BY ticket_id, seq")
    histories: dict[str, list[TicketEvent]] = {}
    with store.vocabulary.active():
        for ticket_id, _, data in rows:
            histories.setdefault(ticket_id, []).append(from_json(TicketEvent, data))
    return {ticket_id: Ticket.replay(events) for ticket_id, events in histories.items()}


def _pending(ticket: Ticket) -> bool:
    slot = vars(Ticket)["history"]
    return isinstance(slot._get(ticket, Ticket), PendingHistory)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_reads_give_the_replay_of_the_strictly_decoded_events(
    opener: Callable[[], Opened], data: st.DataObject
) -> None:
    store, run = opener()
    _company_terms(store)
    with store.vocabulary.active():
        histories = data.draw(st.lists(event_histories(max_events=20), min_size=1, max_size=5))
    written = {h[0].ticket_id: Ticket.replay(h) for h in histories}
    store.save_many(written.values())
    reference = _reference(store, run)
    assert set(reference) == set(written)
    for ticket_id, expected in reference.items():
        same(store.get(ticket_id), expected)
        assert store.get(ticket_id).statuses == expected.statuses == written[ticket_id].statuses
    in_order = sorted(reference.values(), key=lambda t: (t.received_at, t.id))
    found = store.find(TicketQuery())
    assert [t.id for t in found] == [t.id for t in in_order]
    for read, expected in zip(found, in_order, strict=True):
        same(read, expected)
    batch = data.draw(st.integers(1, 4), label="batch")
    streamed = list(store.stream(TicketQuery(), batch=batch))
    assert all(_pending(ticket) for ticket in streamed)
    assert [t.id for t in streamed] == [t.id for t in in_order]
    for read, expected in zip(streamed, in_order, strict=True):
        same(read, expected)
        assert read.history == expected.history
        assert not _pending(read)


def test_the_stream_pages_as_find_does(store_and_sql: Opened) -> None:
    store, _ = store_and_sql
    store.save_many(sample_ticket(f"S{n}") for n in range(7))
    for query in (TicketQuery(), TicketQuery(limit=5), TicketQuery(after_id="S2", limit=3)):
        expected = [t.id for t in store.find(query)]
        for batch in (1, 2, 3, 100):
            assert [t.id for t in store.stream(query, batch=batch)] == expected


@pytest.mark.parametrize("batch", [0, -1, 100_001, 2.5, "10", None])
def test_a_bad_batch_is_refused_at_the_call(store_and_sql: Opened, batch: Any) -> None:
    store, _ = store_and_sql
    with pytest.raises(InvalidData, match="batch"):
        store.stream(TicketQuery(), batch=batch)


def _written(store: Any) -> Ticket:
    ticket = advance(sample_ticket("T1"), ImprovementSuggested, text="来电时先确认固件版本")
    store.save(ticket, expected_version=0)
    return ticket


@pytest.mark.parametrize(
    "snapshot",
    [
        None,  # written before schema version 6
        '{"snapshot_version": 2, "id": "T1"}',  # a later format
        "not json",
        "[1, 2]",
        "STALE",  # the snapshot of an earlier version of the ticket
    ],
)
def test_a_row_without_a_usable_snapshot_is_read_by_replaying(
    store_and_sql: Opened, snapshot: str | None
) -> None:
    store, run = store_and_sql
    ticket = _written(store)
    if snapshot == "STALE":
        from aftersales.ticket_snapshot import snapshot_json

        snapshot = snapshot_json(sample_ticket("T1"))
    run("UPDATE tickets SET snapshot = ? WHERE id = 'T1'", snapshot)
    for read in (store.get("T1"), *store.find(TicketQuery()), *store.stream(TicketQuery())):
        same(read, ticket)
        assert read.statuses == ticket.statuses
    problems = store.check_integrity()
    if snapshot is None or snapshot.startswith('{"snapshot_version": 2'):
        assert problems == []
    else:
        assert [p.split(":")[0] for p in problems] == ["tickets row 'T1'"], problems


def test_a_snapshot_disagreeing_with_its_events_is_named_field_by_field(
    store_and_sql: Opened,
) -> None:
    store, run = store_and_sql
    ticket = _written(store)
    [(text,)] = run("SELECT snapshot FROM tickets WHERE id = 'T1'")
    data = json.loads(text)
    other = "general" if ticket.priority.value != "general" else "urgent"
    data["priority"] = other
    data["contact"]["phone"] = "13900001111"
    run("UPDATE tickets SET snapshot = ? WHERE id = 'T1'", json.dumps(data, ensure_ascii=False))
    assert store.get("T1").priority.value == other  # read on trust
    problems = store.check_integrity()
    assert problems == [
        "tickets row 'T1': snapshot: contact disagrees with its events'",
        f"tickets row 'T1': snapshot: priority '{other}' but its events give"
        f" '{ticket.priority.value}'",
    ]
    assert not any("1390000" in p or "1381234" in p for p in problems)


def test_a_streamed_history_that_cannot_be_read_fails_when_read(store_and_sql: Opened) -> None:
    store, run = store_and_sql
    _written(store)
    run("UPDATE ticket_events SET data = 'not json' WHERE ticket_id = 'T1' AND seq = 3")
    [streamed] = store.stream(TicketQuery())
    assert streamed.id == "T1"
    for _ in range(2):  # and again: the slot keeps the pending history
        with pytest.raises(StorageError, match=r"ticket_events row \(ticket_id='T1', seq=3\)"):
            streamed.history  # noqa: B018
    with pytest.raises(StorageError, match=r"ticket_events row \(ticket_id='T1', seq=3\)"):
        store.get("T1")
    with pytest.raises(StorageError, match=r"ticket_events row \(ticket_id='T1', seq=3\)"):
        store.find(TicketQuery())


def test_a_streamed_history_with_a_row_missing_fails_at_once(store_and_sql: Opened) -> None:
    store, run = store_and_sql
    _written(store)
    run("DELETE FROM ticket_events WHERE ticket_id = 'T1' AND seq = 4")
    with pytest.raises(StorageError, match="tickets row 'T1': version 10 but 9 events"):
        list(store.stream(TicketQuery()))


def test_the_row_s_status_is_checked_against_its_snapshot(store_and_sql: Opened) -> None:
    store, run = store_and_sql
    _written(store)
    run("UPDATE tickets SET status = 'received' WHERE id = 'T1'")
    for read in (lambda: store.get("T1"), lambda: list(store.stream(TicketQuery()))):
        with pytest.raises(
            StorageError, match="tickets row 'T1': status 'received' but its snapshot"
        ):
            read()


def test_every_save_writes_the_snapshot_of_the_saved_version(store_and_sql: Opened) -> None:
    store, run = store_and_sql
    first = sample_ticket("T1")
    store.save(first, expected_version=0)
    later = advance(first, ImprovementSuggested, text="补记")
    store.save(later, expected_version=first.version)
    [(text,)] = run("SELECT snapshot FROM tickets WHERE id = 'T1'")
    data = json.loads(text)
    assert (data["snapshot_version"], data["version"]) == (1, later.version)
    assert data["statuses"].split(" ") == [s.value for s in later.statuses]
