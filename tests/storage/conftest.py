"""Fixtures of the storage tests: a throwaway PostgreSQL cluster for the session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A DSN of a fresh database on a throwaway cluster; skips when none can start."""
    try:
        from aftersales.testing.postgres import PostgresUnavailable, temporary_cluster
    except ImportError as error:  # psycopg not installed
        pytest.skip(f"PostgreSQL tests need the 'postgres' extra: {error}")
    try:
        cluster = temporary_cluster()
        dsn = cluster.__enter__()
    except PostgresUnavailable as error:
        pytest.skip(f"no PostgreSQL server can be started here: {error}")
    try:
        yield dsn
    finally:
        cluster.__exit__(None, None, None)
