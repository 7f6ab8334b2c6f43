"""MySQLStore on a throwaway MariaDB server: concurrency, killed writers, and MySQL's own pitfalls.

The contracts are in ``test_mariadb_contracts.py``; here, what is particular
to a MySQL server: ``utf8mb4`` (4-byte characters in every text), times in
UTC with microseconds, ids compared byte for byte (a binary collation), and
the isolation optimistic concurrency relies on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import Customer, StorageError, UnsupportedSchemaVersion
from aftersales.model.events import NoteAdded, TagsAdded
from aftersales.storage import TicketQuery
from aftersales.storage.mysql import SCHEMA_VERSION
from aftersales.testing.contracts import advance, build_ticket
from aftersales.testing.samples import sample_ticket
from tests.storage import reliability
from tests.storage.mariadb_stores import (
    MySQLStore,
    empty,
    execute,
    reset,
    reset_unless_current,
)
from tests.storage.vocabulary_checks import RACES, check_racing_registrations


@pytest.fixture
def url(mariadb_url: str) -> str:
    """The test database, holding the current schema and no rows."""
    reset_unless_current(mariadb_url)
    empty(mariadb_url)
    return mariadb_url


@pytest.fixture(scope="module")
def kept_store(mariadb_url: str) -> Iterator[MySQLStore]:
    """One store for the examples of a property; each example empties it first."""
    reset_unless_current(mariadb_url)
    with MySQLStore(mariadb_url, max_size=2) as store:
        yield store


@pytest.fixture
def store(url: str) -> Iterator[MySQLStore]:
    with MySQLStore(url, max_size=8) as store:
        yield store


# -- concurrent writers and killed ones ---------------------------------------------------------


def test_eight_connections_lose_nothing(store: MySQLStore) -> None:
    reliability.seed(store)
    results = reliability.run_threads(store, threads=8, commands=30)
    reliability.check_nothing_lost(store, results, commands=30)
    assert store.check_integrity() == []


def test_several_servers_lose_nothing(store: MySQLStore, url: str) -> None:
    reliability.seed(store)
    results = reliability.run_processes("mysql", url, processes=3, commands=25)
    reliability.check_nothing_lost(store, results, commands=25)
    assert store.check_integrity() == []


def test_servers_opening_a_new_database_together_migrate_once(url: str) -> None:
    reset(url)
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            MySQLStore(url, max_size=1).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = execute(url, "SELECT version FROM aftersales_schema ORDER BY version")
    assert [version for (version,) in rows] == list(range(1, SCHEMA_VERSION + 1))


def test_writer_killed_inside_a_bulk_write(store: MySQLStore, url: str) -> None:
    lines = reliability.kill_mid_batch("mysql", url, size=300, hang_at=1)
    assert lines == ["COMMITTED 0", "MIDDLE 1"]
    reliability.check_batches(store, size=300, committed=1)
    assert store.count(TicketQuery()) == 300
    assert store.check_integrity() == []


def test_writer_killed_at_a_random_moment(store: MySQLStore, url: str) -> None:
    lines = reliability.kill_after("mysql", url, size=200, delay=0.7)
    committed = sum(1 for line in lines if line.startswith("COMMITTED"))
    reliability.check_batches(store, size=200, committed=committed)
    assert store.check_integrity() == []


def test_two_writers_at_the_same_version_one_wins(url: str) -> None:
    """Two servers save the same ticket from version 1 at once, 20 times: one wins each time."""
    with MySQLStore(url, max_size=2) as first, MySQLStore(url, max_size=2) as second:
        for round_number in range(20):
            ticket = build_ticket(f"R{round_number}")
            first.save(ticket, expected_version=0)
            outcomes = reliability.race(ticket, [("first", first), ("second", second)])
            assert sorted(outcomes.values()) == ["refused at 1, found 2", "saved"]
            winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
            stored = first.get(ticket.id)
            assert stored.version == 2
            assert [e.text for e in stored.history if isinstance(e, NoteAdded)] == [winner]


def test_connections_read_committed_in_utc_utf8mb4(store: MySQLStore) -> None:
    with store._reading() as cur:
        cur.execute(
            "SELECT @@session.tx_isolation, @@session.time_zone, @@session.character_set_client,"
            " @@session.collation_connection"
        )
        assert cur.fetchone() == ("READ-COMMITTED", "+00:00", "utf8mb4", "utf8mb4_bin")


@pytest.mark.parametrize("race", sorted(RACES))
def test_racing_registrations_on_two_servers_one_wins(
    store: MySQLStore, url: str, race: str
) -> None:
    with MySQLStore(url, max_size=2) as other:
        check_racing_registrations([store, other], race)


# -- utf8mb4, UTC microseconds, binary ids --------------------------------------------------------

#: Four-byte characters (emoji, CJK extension B) beside ordinary ones.
_WIDE = (
    st.lists(
        st.sampled_from(["😀", "🧯", "👩🏽", "🇨🇳", "𠀀", "𠀁", "𪚥", "𩸽", "中文", "é", "A", "1"]),
        min_size=1,
        max_size=12,
    )
    .map("".join)
    .filter(lambda text: len(text) <= 40)
)


@settings(max_examples=15, deadline=None)
@given(description=_WIDE, note=_WIDE, name=_WIDE, model=_WIDE, handler=_WIDE, tag=_WIDE)
def test_four_byte_characters_round_trip_in_every_text(
    kept_store: MySQLStore,
    mariadb_url: str,
    description: str,
    note: str,
    name: str,
    model: str,
    handler: str,
    tag: str,
) -> None:
    empty(mariadb_url)
    store = kept_store
    ticket = build_ticket(
        "W1", description=description, customer_name=name, product_model=model, handler=handler
    )
    ticket = advance(advance(ticket, NoteAdded, text=note), TagsAdded, tags=[tag])
    store.save(ticket, expected_version=0)
    store.save_customer(Customer(id="C1", name=name))
    store.save_installed_base({model: 3})
    assert store.get("W1") == ticket
    assert store.find(TicketQuery(product_model=model)) == [ticket]
    assert store.find_ids(TicketQuery(assignee=handler)) == ["W1"]
    assert store.find_ids(TicketQuery(tags=frozenset(ticket.tags))) == ["W1"]
    assert store.get_customer("C1").name == name
    assert store.find_installed_base() == {model: 3}
    assert store.check_integrity() == []


@settings(max_examples=15, deadline=None)
@given(
    at=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(["Asia/Shanghai", "America/Los_Angeles", "Asia/Kolkata", "UTC"]),
)
def test_times_are_kept_in_utc_with_their_microseconds(
    kept_store: MySQLStore, mariadb_url: str, at: datetime, zone: str
) -> None:
    empty(mariadb_url)
    due = pendulum.instance(at).in_timezone(zone)
    store = kept_store
    store.save(build_ticket("M1"), expected_version=0, due_at=due)
    [(stored,)] = execute(
        mariadb_url, "SELECT DATE_FORMAT(due_at, '%Y-%m-%d %H:%i:%s.%f') FROM tickets"
    )
    assert stored == at.strftime("%Y-%m-%d %H:%M:%S.%f")
    before = TicketQuery(due_before=due.add(microseconds=1), order="due")
    assert store.find_ids(before) == ["M1"]
    assert store.find_ids(TicketQuery(due_before=due, order="due")) == []


def test_ids_differ_by_case_and_accent(store: MySQLStore) -> None:
    for ticket_id in ("T1", "t1", "T1-b"):
        store.save(build_ticket(ticket_id), expected_version=0)
    assert store.find_ids(TicketQuery()) == sorted(["T1", "t1", "T1-b"])  # code point order
    assert store.get("t1").id == "t1"
    store.save_customer(Customer(id="C1", name="大写"))
    store.save_customer(Customer(id="c1", name="小写"))
    assert [store.get_customer(i).name for i in ("C1", "c1")] == ["大写", "小写"]
    tagged = advance(build_ticket("E1"), TagsAdded, tags=["é", "e", "ü", "u"])
    store.save(tagged, expected_version=0)
    assert store.get("E1").tags == frozenset({"é", "e", "ü", "u"})
    assert store.find_ids(TicketQuery(tags=frozenset({"é"}))) == ["E1"]
    store.save_installed_base({"Ä型": 1, "A型": 2, "a型": 3})
    assert store.find_installed_base() == {"Ä型": 1, "A型": 2, "a型": 3}
    assert store.find_ids(TicketQuery(product_model="a型")) == []
    assert store.check_integrity() == []


# -- broken rows, schemas, the server ------------------------------------------------------------


def test_corrupted_event_row_is_named(store: MySQLStore, url: str) -> None:
    store.save(sample_ticket("T1"), expected_version=0)
    execute(url, "UPDATE ticket_events SET data = '{\"schema_version\": 7}' WHERE seq = 4")
    with pytest.raises(StorageError) as raised:
        store.get("T1")
    assert "ticket_events row (ticket_id='T1', seq=4)" in str(raised.value)
    execute(url, "UPDATE ticket_events SET data = 'not json' WHERE seq = 4")
    with pytest.raises(StorageError, match=r"seq=4\): unreadable"):
        store.find(TicketQuery())


def test_newer_schema_is_refused(store: MySQLStore, url: str) -> None:
    execute(url, "INSERT INTO aftersales_schema VALUES (?, 'future', 'x')", SCHEMA_VERSION + 1)
    with pytest.raises(UnsupportedSchemaVersion, match=f"schema version {SCHEMA_VERSION + 1}"):
        MySQLStore(url)


def test_unreachable_server_is_a_storage_error_without_the_password() -> None:
    with pytest.raises(StorageError) as raised:
        MySQLStore(
            "mysql://app:s3cret-pw@localhost/desk?unix_socket=%2Fnonexistent.sock", timeout=2
        )
    assert "s3cret-pw" not in str(raised.value)
    assert "MySQL database 'desk'" in str(raised.value)


def test_a_changed_column_type_is_named(store: MySQLStore, url: str) -> None:
    store.save(sample_ticket("T1"), expected_version=0)
    assert store.check_integrity() == []
    execute(url, "ALTER TABLE knowledge_uses MODIFY at VARCHAR(40) NOT NULL")
    execute(url, "ALTER TABLE followups MODIFY version BIGINT NOT NULL")  # fine
    assert store.check_integrity() == ["knowledge_uses.at is of type varchar; accepted: datetime"]
