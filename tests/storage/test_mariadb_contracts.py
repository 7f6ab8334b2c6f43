"""Every contract the PostgreSQL store passes, on MySQLStore over the session's MariaDB server."""

from __future__ import annotations

from typing import Any

from aftersales.testing.contracts import (
    AttributeStoreContract,
    DurableVocabularyContract,
    EventFeedContract,
    FactsContract,
    InstalledBaseStoreContract,
    IntegrityContract,
    PolicyStoreContract,
    RecordsContract,
    ReplyTemplateStoreContract,
    ScheduleStoreContract,
    SlaAlertContract,
    StoreContract,
    SubscriptionStoreContract,
    SurveyStoreContract,
    TeamStoreContract,
)
from tests.storage.mariadb_stores import MySQLStore, SharedMariaDBStores, execute, reset
from tests.storage.records import RecordTablesChecks


def _other_database(url: str) -> str:
    """The URL of a second, empty database on the server of ``url`` (another company's)."""
    execute(
        url,
        "CREATE DATABASE IF NOT EXISTS aftersales_other CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
    )
    other = url.replace("/aftersales?", "/aftersales_other?", 1)
    reset(other)
    return other


class TestMariaDBStore(
    SharedMariaDBStores, StoreContract, DurableVocabularyContract, IntegrityContract
):
    hypothesis_examples = 15

    def make_separate_store(self) -> MySQLStore:
        return MySQLStore(_other_database(self.url), max_size=2)

    def dispose_separate_store(self, store: Any) -> None:
        store.close()

    def reopen_store(self, store: Any) -> MySQLStore:
        return MySQLStore(self.url, max_size=2)

    def run_sql(self, store: Any, statement: str, *params: Any) -> None:
        execute(self.url, statement, *params)

    def drop_table(self, store: Any, table: str) -> None:
        execute(self.url, "SET FOREIGN_KEY_CHECKS = 0")
        try:
            execute(self.url, f"DROP TABLE {table}")
        finally:
            execute(self.url, "SET FOREIGN_KEY_CHECKS = 1")


class TestMariaDBAlerts(SharedMariaDBStores, SlaAlertContract):
    hypothesis_examples = 10


class TestMariaDBFeed(SharedMariaDBStores, EventFeedContract):
    hypothesis_examples = 10


class TestMariaDBSubscriptions(SharedMariaDBStores, SubscriptionStoreContract):
    hypothesis_examples = 10


class TestMariaDBFacts(SharedMariaDBStores, FactsContract):
    hypothesis_examples = 10


class TestMariaDBRecords(SharedMariaDBStores, RecordsContract, RecordTablesChecks):
    """The improvement, article and follow-up contracts and the record checks."""

    def execute(self, store: Any, sql: str, *params: Any) -> None:
        execute(self.url, sql, *params)


class TestMariaDBSchedules(SharedMariaDBStores, ScheduleStoreContract):
    hypothesis_examples = 10


class TestMariaDBTemplates(SharedMariaDBStores, ReplyTemplateStoreContract):
    hypothesis_examples = 10


class TestMariaDBAttributes(SharedMariaDBStores, AttributeStoreContract):
    hypothesis_examples = 10


class TestMariaDBTeams(SharedMariaDBStores, TeamStoreContract):
    hypothesis_examples = 10


class TestMariaDBSurveys(SharedMariaDBStores, SurveyStoreContract):
    hypothesis_examples = 10


class TestMariaDBInstalledBase(SharedMariaDBStores, InstalledBaseStoreContract):
    hypothesis_examples = 10


class TestMariaDBPolicies(SharedMariaDBStores, PolicyStoreContract):
    hypothesis_examples = 5
