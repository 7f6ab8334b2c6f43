"""The named calendars and teams contract on MemoryStore, SQLiteStore (file and memory) and
PostgresStore, and what only the SQL stores do: keep them across processes, name an unreadable row."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from aftersales.errors import StorageError
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import TeamStoreContract, head_office_calendar, outlet_team
from tests.storage.contract_stores import SharedPostgresStores, SQLiteFileStores


class TestMemoryTeams(TeamStoreContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLiteTeams(SQLiteFileStores, TeamStoreContract):
    hypothesis_examples = 10


class TestSQLiteInMemoryTeams(TeamStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


class TestPostgresTeams(SharedPostgresStores, TeamStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> Any:
        from tests.storage.test_postgres import _execute

        store = super().make_store()
        _execute(self.dsn, "TRUNCATE teams, calendars")
        return store


def test_two_memory_stores_keep_their_own_teams() -> None:
    first, second = MemoryStore(), MemoryStore()
    first.save_calendar("广州网点", head_office_calendar())
    first.save_team(outlet_team())
    assert second.find_calendars() == {}
    assert second.find_teams() == []


def test_calendars_and_teams_outlive_the_sqlite_store_object(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_calendar("广州网点", head_office_calendar(saturday=True))
        store.save_team(outlet_team(members=3))
    with SQLiteStore(path) as reopened:
        assert reopened.get_calendar("广州网点") == head_office_calendar(saturday=True)
        assert reopened.get_team("广州网点") == outlet_team(members=3)
        assert reopened.check_integrity() == []


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        (
            "UPDATE calendars SET data = '{not json'",
            "calendars row '广州网点': data is not a calendar definition: not JSON",
        ),
        (
            """UPDATE calendars SET data = '{"tz": "Mars/Olympus", "week": {}}'""",
            "calendars row '广州网点': data is not a calendar definition: tz: 'Mars/Olympus'",
        ),
        (
            "UPDATE teams SET data = '[]'",
            "teams row '广州网点': data is not a team: list is not a table",
        ),
        (
            "UPDATE teams SET name = '上海总部'",
            "teams row '上海总部': holds team '广州网点' on calendar '广州网点'",
        ),
        (
            "UPDATE calendars SET name = '上海总部'",
            "teams row '广州网点': team.calendar: '广州网点' is not a known value; accepted: '上海总部'",
        ),
    ],
)
def test_check_integrity_names_an_unreadable_row(
    tmp_path: Path, statement: str, problem: str
) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_calendar("广州网点", head_office_calendar())
        store.save_team(outlet_team())
        assert store.check_integrity() == []
        with sqlite3.connect(path) as conn:
            conn.execute(statement)
        problems = store.check_integrity()
        assert len(problems) == 1, problems
        assert problems[0].startswith(problem), problems


def test_an_unreadable_team_row_fails_the_read_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_calendar("广州网点", head_office_calendar())
        store.save_team(outlet_team())
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE teams SET data = 'x'")
        with pytest.raises(StorageError, match="teams row '广州网点'"):
            store.find_teams()
        with pytest.raises(StorageError, match="teams row '广州网点'"):
            store.get_team("广州网点")


def test_check_integrity_names_a_mistyped_updated_at(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_calendar("广州网点", head_office_calendar())
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE calendars SET updated_at = 'today'")
        assert store.check_integrity() == [
            "calendars row '广州网点': updated_at holds text 'today';"
            " accepted: an integer (microseconds since 1970-01-01 UTC)"
        ]


def test_a_sqlite_database_of_schema_16_upgrades_to_hold_calendars_and_teams(
    tmp_path: Path,
) -> None:
    path = tmp_path / "desk.db"
    SQLiteStore(path, _target_version=16).close()
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert not {"calendars", "teams"} & tables
    with SQLiteStore(path) as store:
        assert store.schema_version() >= 17
        store.save_calendar("广州网点", head_office_calendar(saturday=True))
        store.save_team(outlet_team())
        assert store.get_team("广州网点") == outlet_team()
        assert store.check_integrity() == []


def test_a_postgres_database_of_schema_16_upgrades_to_hold_calendars_and_teams(
    postgres_dsn: str,
) -> None:
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    _reset(postgres_dsn)
    PostgresStore(postgres_dsn, _target_version=16).close()
    with PostgresStore(postgres_dsn) as store:
        assert store.schema_version() >= 17
        store.save_calendar("广州网点", head_office_calendar(saturday=True))
        store.save_team(outlet_team())
        assert store.find_teams() == [outlet_team()]
        assert store.check_integrity() == []
