"""The fixtures every contract suite shares: the store under test, a second one, a reopened one.

A test class of a suite gives ``make_store()`` (a new, *empty* store each
call) and, where the suite needs them, ``make_separate_store()`` (a store of
another company in the same process), ``reopen_store(store)`` and
``run_sql(store, statement, *params)``. :class:`StoreUnderTest` turns them
into the pytest fixtures ``store`` and ``separate_store``;
:class:`StoredDataHooks` into ``reopened``. :func:`add_hypothesis_test`
is how a suite adds its model-based test to each subclass.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class Mine(StoreUnderTest):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> len(Mine().make_store()), len(Mine().make_separate_store())
    (0, 0)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

__all__ = ["StoreUnderTest", "StoredDataHooks", "add_hypothesis_test"]


class StoreUnderTest:
    """The store fixtures of the contract suites: ``make_store()`` per test, disposed after.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> class Mine(StoreUnderTest):
        ...     def make_store(self):
        ...         return MemoryStore()
        >>> len(Mine().make_store())
        0
    """

    def make_store(self) -> Any:
        """A new, empty store; subclasses must override this."""
        raise NotImplementedError("define make_store() returning a new, empty store")

    def dispose_store(self, store: Any) -> None:
        """Release a store made by :meth:`make_store` (default: ``close()`` when it has one)."""
        close = getattr(store, "close", None)
        if close is not None:
            close()

    def make_separate_store(self) -> Any:
        """An empty store of another company, in the same process (default: ``make_store()``).

        Override it when ``make_store()`` returns stores sharing one database.
        """
        return self.make_store()

    def dispose_separate_store(self, store: Any) -> None:
        """Release a store of :meth:`make_separate_store` (default: ``dispose_store``)."""
        self.dispose_store(store)

    @pytest.fixture
    def store(self) -> Iterator[Any]:
        """The store under test."""
        store = self.make_store()
        try:
            yield store
        finally:
            self.dispose_store(store)

    @pytest.fixture
    def separate_store(self) -> Iterator[Any]:
        """A store of another company."""
        store = self.make_separate_store()
        try:
            yield store
        finally:
            self.dispose_separate_store(store)


class StoredDataHooks:
    """Hooks of the contracts for stores whose data outlive the store object.

    Example:
        >>> StoredDataHooks().run_sql(None, "SELECT 1")
        Traceback (most recent call last):
        ...
        NotImplementedError: define run_sql(store, statement, *params) for this adapter
    """

    def reopen_store(self, store: Any) -> Any:
        """Another store object on ``store``'s data, as another process would open it.

        The contract closes it (``close()``) when the test ends.
        """
        raise NotImplementedError("define reopen_store(store) for this adapter")

    def run_sql(self, store: Any, statement: str, *params: Any) -> None:
        """Run ``statement`` (``?`` placeholders) on ``store``'s database, outside the store."""
        raise NotImplementedError("define run_sql(store, statement, *params) for this adapter")

    def drop_table(self, store: Any, table: str) -> None:
        """Drop ``table`` from ``store``'s database, outside the store, as an operator might.

        PostgreSQL refuses to drop a table that other tables reference;
        its adapters drop with ``CASCADE`` (the references go, the tables stay).
        """
        self.run_sql(store, f"DROP TABLE {table}")

    @pytest.fixture
    def reopened(self) -> Iterator[list[Any]]:
        """Collects the stores a test reopens, and closes them when it ends."""
        stores: list[Any] = []
        try:
            yield stores
        finally:
            for store in stores:
                store.close()

    def _reopen(self, store: Any, reopened: list[Any]) -> Any:
        other = self.reopen_store(store)
        reopened.append(other)
        return other


def add_hypothesis_test(cls: type, name: str, check: str) -> None:
    """Give ``cls`` a hypothesis test ``name`` that calls ``self.<check>(data)``.

    It runs as many examples as the ``hypothesis_examples`` of the class the
    test runs on (25 when it has none), read when the test runs, so a
    subclass that sets its own count gets it; without deadline or health
    checks (a store may be slow to make).

    Example:
        >>> class Suite:
        ...     hypothesis_examples = 25
        ...     def check_it(self, data):
        ...         self.runs += 1
        ...         assert data.draw(st.integers(0, 9)) < 10
        >>> add_hypothesis_test(Suite, "test_it", "check_it")
        >>> class Quick(Suite):
        ...     hypothesis_examples = 3
        >>> quick = Quick()
        >>> quick.runs = 0
        >>> quick.test_it()
        >>> quick.runs
        3
    """

    def test(self: Any) -> None:
        def example(data: Any) -> None:
            getattr(self, check)(data)

        # hypothesis keys its example database on the test's module and name
        example.__name__ = name
        example.__qualname__ = f"{type(self).__qualname__}.{name}"
        example.__module__ = type(self).__module__
        runs = settings(
            max_examples=getattr(self, "hypothesis_examples", 25),
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        runs(given(data=st.data())(example))()

    test.__name__ = name
    test.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, test)
