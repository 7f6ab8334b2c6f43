"""MySQLStore upgrades a MariaDB database written by every earlier schema version, its rows kept.

As ``test_postgres.py`` does for PostgreSQL: the database is brought to
version ``start`` by the store itself, a ticket's rows are written as that
version wrote them, and opening the store brings it to the current version
with the ticket found, queryable, writable and on the SLA worklist.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aftersales.model.events import NoteAdded
from aftersales.serialization import to_json
from aftersales.storage import TicketQuery
from aftersales.storage.mysql import SCHEMA_VERSION
from aftersales.testing.contracts import advance
from tests.storage import reliability
from tests.storage.mariadb_stores import MySQLStore, execute, reset
from tests.storage.records import check_records_after_upgrade


def _utc(instant: datetime) -> datetime:
    """A time as a ``DATETIME(6)`` column of the MySQL schema holds it: its UTC wall-clock time."""
    return instant.astimezone(UTC).replace(tzinfo=None)


@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
def test_upgrade_from_every_earlier_version(mariadb_url: str, start: int) -> None:
    url = mariadb_url
    reset(url)
    MySQLStore(url, max_size=1, _target_version=start).close()
    assert execute(url, "SELECT max(version) FROM aftersales_schema") == [(start or None,)]
    ticket, columns, row = reliability.row_as_written_by(start, is_open=1, time=_utc)
    if start >= 1:  # rows as that version wrote them
        execute(url, f"INSERT INTO tickets ({columns}) VALUES ({', '.join('?' * len(row))})", *row)
        for event in ticket.history:
            values: tuple[object, ...] = (ticket.id, event.seq, to_json(event))
            if start >= 11:  # every event has its feed position
                values += (event.seq,)
            execute(
                url, f"INSERT INTO ticket_events VALUES ({', '.join('?' * len(values))})", *values
            )
        if start >= 11:
            execute(url, "UPDATE event_feed_head SET position = ?", ticket.version)
    with MySQLStore(url, max_size=2) as store:
        assert store.schema_version() == SCHEMA_VERSION
        if start >= 1:
            assert store.get("M1") == ticket
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
    reset(url)


def test_upgrade_to_12_fills_each_tickets_substatus_from_its_snapshot(mariadb_url: str) -> None:
    url = mariadb_url
    reset(url)
    MySQLStore(url, max_size=1, _target_version=11).close()
    ticket, columns, row, events = reliability.substatus_rows_before_12(is_open=1, time=_utc)
    execute(url, f"INSERT INTO tickets ({columns}) VALUES ({', '.join('?' * len(row))})", *row)
    for event_row in events:
        execute(url, "INSERT INTO ticket_events VALUES (?, ?, ?, ?)", *event_row)
    execute(url, "UPDATE event_feed_head SET position = ?", len(events))
    with MySQLStore(url, max_size=2) as store:
        assert store.find_ids(TicketQuery(substatus="waiting_manufacturer")) == ["S1"]
        assert store.find_ids(TicketQuery(substatus="waiting_parts")) == []
        assert store.get("S1") == ticket
        assert store.check_integrity() == []
    reset(url)
