"""The official schedules contract on MemoryStore, SQLiteStore (file and memory) and PostgresStore,
and what only the SQL stores do: keep schedules across processes, and name an unreadable row."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from aftersales.errors import StorageError
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import ScheduleStoreContract, fictional_schedule
from tests.storage.contract_stores import SharedPostgresStores, SQLiteFileStores


class TestMemorySchedules(ScheduleStoreContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLiteSchedules(SQLiteFileStores, ScheduleStoreContract):
    hypothesis_examples = 10


class TestSQLiteInMemorySchedules(ScheduleStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


class TestPostgresSchedules(SharedPostgresStores, ScheduleStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> Any:
        from tests.storage.test_postgres import _execute

        store = super().make_store()
        _execute(self.dsn, "TRUNCATE calendar_schedules")
        return store


def test_two_memory_stores_keep_their_own_schedules() -> None:
    first, second = MemoryStore(), MemoryStore()
    first.save_schedule(fictional_schedule(2031))
    assert second.find_schedules() == []


def test_a_schedule_outlives_the_sqlite_store_object(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    schedule = fictional_schedule(2031)
    with SQLiteStore(path) as store:
        store.save_schedule(schedule)
    with SQLiteStore(path) as reopened:
        assert reopened.find_schedules("CN") == [schedule]


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        (
            "UPDATE calendar_schedules SET data = '{not json'",
            "calendar_schedules row (country='CN', year=2031): data is not a schedule: not JSON",
        ),
        (
            "UPDATE calendar_schedules SET year = 2032",
            "calendar_schedules row (country='CN', year=2032): holds the schedule of CN 2031",
        ),
        (
            """UPDATE calendar_schedules SET data = '{"year": 2031, "days_off": {}}'""",
            "calendar_schedules row (country='CN', year=2031): data is not a schedule:"
            " days_off: is empty",
        ),
    ],
)
def test_check_integrity_names_an_unreadable_schedule_row(
    tmp_path: Path, statement: str, problem: str
) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_schedule(fictional_schedule(2031))
        assert store.check_integrity() == []
        with sqlite3.connect(path) as conn:
            conn.execute(statement)
        problems = store.check_integrity()
        assert len(problems) == 1, problems
        assert problems[0].startswith(problem), problems
        with pytest.raises(StorageError, match="calendar_schedules row"):
            store.find_schedules()


def test_check_integrity_names_a_mistyped_loaded_at(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_schedule(fictional_schedule(2031))
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE calendar_schedules SET loaded_at = 'today'")
        assert store.check_integrity() == [
            "calendar_schedules row (country='CN', year=2031): loaded_at holds text 'today';"
            " accepted: an integer (microseconds since 1970-01-01 UTC)"
        ]
