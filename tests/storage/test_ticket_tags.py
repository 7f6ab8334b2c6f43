"""The ``ticket_tags`` table of the SQL stores: schema step 15, its index, its integrity check.

The upgrade to 15 fills the table from the tickets' snapshots (a snapshot that
is not JSON does not stop it); a tag query is served by ``ticket_tags_tag``; a
tag row that disagrees with the ticket's events, or names no ticket, is
reported by ``check_integrity()``. The contract (tags round-trip and are
queried on the three backends) is in ``aftersales.testing.contracts.ticket_details``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from aftersales import TicketQuery
from aftersales.serialization import to_json
from aftersales.storage import SQLiteStore
from aftersales.storage._sql.schema import TICKET_COLUMNS
from aftersales.testing.contracts import build_ticket, tagged
from aftersales.ticket_snapshot import snapshot_json

#: Tickets as a store of schema 14 holds them: tagged, untagged, and one with a broken snapshot.
TAGGED = tagged("G1", ["VIP", "返修", "o'brien"])
PLAIN = build_ticket("G2", minutes=1)
BROKEN = tagged("G3", ["vip"], minutes=2)


def _rows_at_14(
    columns: list[str], row_of: Callable[[Any], tuple[Any, ...]]
) -> tuple[str, list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The ``tickets`` rows (only the ``columns`` schema 14 has) and the event rows of the three."""
    kept = [name for name in TICKET_COLUMNS if name in columns]
    rows = []
    for ticket in (TAGGED, PLAIN, BROKEN):
        values = dict(zip(TICKET_COLUMNS, row_of(ticket), strict=True))
        if ticket is BROKEN:
            values["snapshot"] = snapshot_json(ticket)[:-20]  # cut short: not JSON
        rows.append(tuple(values[name] for name in kept))
    events = []
    position = 0
    for ticket in (TAGGED, PLAIN, BROKEN):
        for event in ticket.history:
            position += 1
            events.append((ticket.id, event.seq, to_json(event), position))
    return ", ".join(kept), rows, events


def test_upgrade_to_15_fills_the_tags_from_the_snapshots(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    SQLiteStore(path, _target_version=14).close()
    with sqlite3.connect(path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(tickets)")]
    assert "ticket_tags" not in _tables(path)
    with SQLiteStore(":memory:") as writer:
        names, rows, events = _rows_at_14(columns, lambda t: writer._ticket_row(t, None))
    with sqlite3.connect(path) as conn:
        conn.executemany(
            f"INSERT INTO tickets ({names}) VALUES ({', '.join('?' * len(rows[0]))})", rows
        )
        conn.executemany("INSERT INTO ticket_events VALUES (?, ?, ?, ?)", events)
        conn.execute("UPDATE event_feed_head SET position = ?", (len(events),))
    with SQLiteStore(path) as store:
        with sqlite3.connect(path) as conn:
            found = sorted(conn.execute("SELECT ticket_id, tag FROM ticket_tags"))
        assert found == [("G1", "o'brien"), ("G1", "vip"), ("G1", "返修")]
        assert store.find_ids(TicketQuery(tags=["返修"])) == ["G1"]
        assert store.get("G1") == TAGGED
        problems = store.check_integrity()
        assert problems, "G3's broken snapshot and its missing tag rows are reported"
        assert all("'G3'" in problem for problem in problems), problems
        assert any(problem.startswith("ticket_tags rows of ticket 'G3'") for problem in problems)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "desk.db") as store:
        yield store


def test_a_tag_query_is_served_by_the_tag_index(sqlite_store: SQLiteStore) -> None:
    with sqlite_store._reading() as cur:
        page, params = sqlite_store._page_sql(cur, TicketQuery(tags=["vip", "返修"]), "id")
        cur.execute("EXPLAIN QUERY PLAN " + page, params)
        plan = " ".join(str(row) for row in cur.fetchall())
    assert plan.count("ticket_tags_tag") == 2, plan


def test_check_integrity_names_a_tag_row_the_events_do_not_give(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_many([TAGGED, PLAIN])
        assert store.check_integrity() == []
        with sqlite3.connect(path) as conn:
            conn.execute("DELETE FROM ticket_tags WHERE tag = 'vip'")
            conn.execute("INSERT INTO ticket_tags VALUES ('G2', 'vip')")
        assert store.check_integrity() == [
            """ticket_tags rows of ticket 'G1': ["o'brien", '返修'] but its events give"""
            """ ["o'brien", 'vip', '返修']""",
            "ticket_tags rows of ticket 'G2': ['vip'] but its events give []",
        ]
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("INSERT INTO ticket_tags VALUES ('G9', 'vip')")
        assert "ticket_tags rows of missing ticket 'G9'" in store.check_integrity()


# -- PostgreSQL -----------------------------------------------------------------------------


def test_upgrade_to_15_fills_the_tags_from_the_snapshots_on_postgres(postgres_dsn: str) -> None:
    psycopg = pytest.importorskip("psycopg")
    from aftersales.storage import PostgresStore
    from tests.storage.test_postgres import _reset

    _reset(postgres_dsn)
    PostgresStore(postgres_dsn, _target_version=14).close()
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        columns = [
            row[0]
            for row in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'tickets'"
            )
        ]
        tables = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables")}
    assert "ticket_tags" not in tables
    with PostgresStore(postgres_dsn, _target_version=14) as writer:
        names, rows, events = _rows_at_14(columns, lambda t: writer._ticket_row(t, None))
    marks = ", ".join(["%s"] * len(rows[0]))
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        for row in rows:
            conn.execute(f"INSERT INTO tickets ({names}) VALUES ({marks})", row)
        for event_row in events:
            conn.execute("INSERT INTO ticket_events VALUES (%s, %s, %s, %s)", event_row)
        conn.execute("UPDATE event_feed_head SET position = %s", (len(events),))
    with PostgresStore(postgres_dsn) as store:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            found = sorted(conn.execute("SELECT ticket_id, tag FROM ticket_tags").fetchall())
        assert found == [("G1", "o'brien"), ("G1", "vip"), ("G1", "返修")]
        assert store.find_ids(TicketQuery(tags=["VIP", "返修"])) == ["G1"]
        problems = store.check_integrity()
        assert problems
        assert all("'G3'" in problem for problem in problems), problems
    _reset(postgres_dsn)


def test_a_unit_of_work_saving_many_keeps_the_tags_of_new_and_updated_tickets(
    sqlite_store: SQLiteStore,
) -> None:
    """The batched path of ``uow.save_many`` (one statement per table) writes the tag rows too."""
    from aftersales.model.events import NoteAdded, TagsRemoved
    from aftersales.storage import Save
    from aftersales.testing.contracts import advance

    sqlite_store.save_many([TAGGED, PLAIN])
    untagged = advance(TAGGED, TagsRemoved, tags=["vip"])
    noted = advance(PLAIN, NoteAdded, text="不改标签")
    with sqlite_store.unit_of_work() as uow:
        uow.save_many([Save(untagged, TAGGED.version), Save(noted, PLAIN.version), BROKEN])
    assert sqlite_store.find_ids(TicketQuery(tags=["vip"])) == ["G3"]
    assert sqlite_store.find_ids(TicketQuery(tags=["返修"])) == ["G1"]
    assert sqlite_store.check_integrity() == []
