"""The answered surveys contract on MemoryStore, SQLiteStore (file and memory) and PostgresStore,
and what only the SQL stores do: keep them across processes, name an unreadable row, upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from aftersales.errors import StorageError
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import SurveyStoreContract, make_survey
from aftersales.vocab import Channel
from tests.storage.contract_stores import SharedPostgresStores, SQLiteFileStores


class TestMemorySurveys(SurveyStoreContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestSQLiteSurveys(SQLiteFileStores, SurveyStoreContract):
    hypothesis_examples = 10


class TestSQLiteInMemorySurveys(SurveyStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


class TestPostgresSurveys(SharedPostgresStores, SurveyStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> Any:
        from tests.storage.test_postgres import _execute

        store = super().make_store()
        _execute(self.dsn, "TRUNCATE surveys")
        return store


def test_two_memory_stores_keep_their_own_surveys() -> None:
    first, second = MemoryStore(), MemoryStore()
    first.save_survey(make_survey())
    assert second.find_surveys() == []


def test_surveys_outlive_the_sqlite_store_object(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_survey(make_survey(dimensions={"解决效果": 2}, comment="没修好"))
    with SQLiteStore(path) as reopened:
        assert reopened.get_survey("S-1") == make_survey(
            dimensions={"解决效果": 2}, comment="没修好"
        )
        assert reopened.check_integrity() == []


def test_a_survey_on_a_company_channel_is_read_back_under_the_store_vocabulary(
    tmp_path: Path,
) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.register_term(Channel, "douyin_shop", "Douyin shop", "抖店")
        with store.vocabulary.active():
            survey = make_survey(channel="douyin_shop")
        store.save_survey(survey)
    with SQLiteStore(path) as reopened:
        assert reopened.get_survey("S-1").channel.code == "douyin_shop"


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("UPDATE surveys SET data = '{not json'", "surveys row 'S-1': data is not a survey"),
        (
            """UPDATE surveys SET data = replace(data, '"nps": 9', '"nps": 11')""",
            "surveys row 'S-1': data is not a survey: nps: 11 is out of range",
        ),
        (
            "UPDATE surveys SET ticket_id = 'T9'",
            "surveys row 'S-1': its columns (id, at, ticket_id, customer_id) disagree",
        ),
        (
            "UPDATE surveys SET at = at + 1",
            "surveys row 'S-1': its columns (id, at, ticket_id, customer_id) disagree",
        ),
    ],
)
def test_check_integrity_names_an_unreadable_survey_row(
    tmp_path: Path, statement: str, problem: str
) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_survey(make_survey(ticket_id="T1"))
        assert store.check_integrity() == []
        with sqlite3.connect(path) as conn:
            conn.execute(statement)
        conn.close()
        problems = store.check_integrity()
        assert len(problems) == 1, problems
        assert problems[0].startswith(problem), problems
        with pytest.raises(StorageError, match="surveys row 'S-1'"):
            store.find_surveys()


def test_check_integrity_names_a_mistyped_answer_time(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_survey(make_survey())
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE surveys SET at = 'today'")
        conn.close()
        problems = store.check_integrity()
        assert problems[0] == (
            "surveys row 'S-1': at holds text 'today';"
            " accepted: an integer (microseconds since 1970-01-01 UTC)"
        ), problems


def test_a_sqlite_database_of_schema_17_upgrades_to_hold_surveys(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    SQLiteStore(path, _target_version=17).close()
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "surveys" not in tables
    with SQLiteStore(path) as store:
        assert store.schema_version() == 19
        store.save_survey(make_survey(ticket_id="T1"))
        assert store.find_surveys(ticket_id="T1") == [make_survey(ticket_id="T1")]
        assert store.check_integrity() == []


def test_a_postgres_database_of_schema_17_upgrades_to_hold_surveys(postgres_dsn: str) -> None:
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    _reset(postgres_dsn)
    PostgresStore(postgres_dsn, _target_version=17).close()
    with PostgresStore(postgres_dsn) as store:
        assert store.schema_version() == 19
        store.save_survey(make_survey(customer_id="C2"))
        assert store.find_surveys(customer_id="C2") == [make_survey(customer_id="C2")]
        assert store.check_integrity() == []
