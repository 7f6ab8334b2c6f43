"""The lifecycle state machine from aftersales.testing, on each store the library ships."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from aftersales.storage import SQLiteStore, TicketStore
from aftersales.testing.stateful import LifecycleStateMachine

SETTINGS = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


class MemoryLifecycle(LifecycleStateMachine):
    """The default: MemoryStore and the built-in SLA policy."""


class SQLiteLifecycle(LifecycleStateMachine):
    """The embedded default store, in a private in-memory database per run."""

    def make_store(self) -> TicketStore:
        return SQLiteStore(":memory:")

    def teardown(self) -> None:
        self.store.close()  # type: ignore[attr-defined]


TestMemoryLifecycle = MemoryLifecycle.TestCase
TestMemoryLifecycle.settings = SETTINGS
TestSQLiteLifecycle = SQLiteLifecycle.TestCase
TestSQLiteLifecycle.settings = SETTINGS
