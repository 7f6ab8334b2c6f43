"""Shared fixtures: hypothesis profiles and a service desk on a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from aftersales import FixedClock, ServiceDesk
from tests.helpers import START

#: 50 examples per property keeps the whole suite under 10 minutes on 2 cores;
#: HYPOTHESIS_PROFILE=thorough runs 1,000 (before a release, or on a change to a core rule).
settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=50
)
settings.register_profile(
    "thorough", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=1000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def desk(clock: FixedClock) -> ServiceDesk:
    return ServiceDesk(clock=clock)


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


@pytest.fixture(scope="session")
def mariadb_url() -> Iterator[str]:
    """The URL of a database on a throwaway MariaDB server; skips when none can start."""
    try:
        from aftersales.testing.mariadb import MariaDBUnavailable, temporary_server
    except ImportError as error:  # PyMySQL not installed
        pytest.skip(f"MariaDB tests need the 'mysql' extra: {error}")
    try:
        server = temporary_server()
        url = server.__enter__()
    except MariaDBUnavailable as error:
        pytest.skip(f"no MariaDB server can be started here: {error}")
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


@pytest.fixture
def fresh_postgres(postgres_dsn: str) -> Iterator[str]:
    """The DSN of an empty database of its own on the test cluster, dropped after the test."""
    import uuid

    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"fresh_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    params = conninfo_to_dict(postgres_dsn)
    params["dbname"] = name
    try:
        yield make_conninfo(**params)  # type: ignore[arg-type]
    finally:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
