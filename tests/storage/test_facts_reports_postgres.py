"""Reports read from PostgreSQL's stored facts are the reports of replaying every ticket (a smaller run)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_facts_agreement import _check


@pytest.fixture
def postgres(postgres_dsn: str) -> Any:
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import (
        FACTS_TABLES,
        TICKET_TABLES,
        VOCABULARY_TABLES,
        _execute,
        _reset,
    )

    _reset(postgres_dsn)
    store = PostgresStore(postgres_dsn, max_size=2)
    yield (
        store,
        lambda: _execute(
            postgres_dsn,
            f"TRUNCATE {FACTS_TABLES}, {VOCABULARY_TABLES}, {TICKET_TABLES}",
        ),
    )
    store.close()


def test_reports_from_postgres_facts_are_the_replayed_reports(postgres: Any) -> None:
    store, truncate = postgres

    def fresh() -> Any:
        truncate()
        store.vocabulary.refresh()
        return _Unclosed(store)

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def check(data: Any) -> None:
        _check(fresh, data)

    check()


class _Unclosed:
    """The shared store, whose pool the property's examples must not close."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name == "close":
            raise AttributeError(name)
        return getattr(self._store, name)
