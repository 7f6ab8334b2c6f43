"""DjangoStore under the contracts: one store per test on each backend's test database.

Each mixin is mixed into a contract class as ``SqlAlchemyOnPostgres`` is: one
store per test, the store's tables emptied before each store is handed out
(and made afresh when a test changed them by hand); the separate store is
the backend's second alias, another company's database.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from aftersales.contrib.django import DjangoStore
from tests.contrib_django import databases
from tests.contrib_django.conftest import BACKENDS, need


class _OnDjango:
    backend: ClassVar[str]

    @pytest.fixture(autouse=True)
    def _database(self, django_databases: dict[str, str], unblocked: None) -> None:
        need(django_databases, self.backend)
        self.alias, self.other = BACKENDS[self.backend][0]
        databases.reset_unless_current(self.alias)
        self._shared: Any = None

    def make_store(self) -> DjangoStore:
        if self._shared is None:
            self._shared = DjangoStore(self.alias)
        databases.empty(self.alias)
        self._shared.vocabulary.refresh()
        return self._shared

    def dispose_store(self, store: Any) -> None:
        """Kept for the next store of the test."""

    def make_separate_store(self) -> DjangoStore:
        databases.reset_unless_current(self.other)
        databases.empty(self.other)
        return DjangoStore(self.other)

    def dispose_separate_store(self, store: Any) -> None:
        """Nothing to close: the connection is Django's."""

    def reopen_store(self, store: Any) -> DjangoStore:
        return DjangoStore(self.alias)

    def run_sql(self, store: Any, statement: str, *params: Any) -> None:
        databases.execute(store.using, statement, *params)

    def execute(self, store: Any, sql: str, *params: Any) -> None:
        self.run_sql(store, sql, *params)


class DjangoOnSQLite(_OnDjango):
    backend = "sqlite"


class DjangoOnPostgres(_OnDjango):
    backend = "postgres"

    def drop_table(self, store: Any, table: str) -> None:
        self.run_sql(store, f"DROP TABLE {table} CASCADE")


class DjangoOnMariaDB(_OnDjango):
    backend = "mariadb"

    def drop_table(self, store: Any, table: str) -> None:
        from tests.storage.mariadb_stores import connection

        databases.changed.add(store.using)
        with connection(databases.target(store.using)).cursor() as cur:
            cur.execute("SET FOREIGN_KEY_CHECKS = 0")
            try:
                cur.execute(f"DROP TABLE {table}")
            finally:
                cur.execute("SET FOREIGN_KEY_CHECKS = 1")
