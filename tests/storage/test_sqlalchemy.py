"""SqlAlchemyStore inside a host's transaction, its session settings, its errors, its times."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import Customer, DuplicateId, InvalidData
from aftersales.storage import TicketQuery
from aftersales.testing.contracts import build_ticket
from tests.storage.sqlalchemy_stores import (
    SqlAlchemyStore,
    mariadb_url,
    postgres_url,
    sqlalchemy,
)

_HOST_TABLE = "host_notes"
#: Per backend: a session setting the host chooses, the statement that sets it, and its probe.
_SETTINGS = {
    "sqlite": ("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys", 0),
    "postgres": ("SET TIME ZONE 'Asia/Shanghai'", "SHOW TimeZone", "Asia/Shanghai"),
    "mariadb": ("SET SESSION sql_mode = 'TRADITIONAL'", "SELECT @@SESSION.sql_mode", None),
}


@pytest.fixture(params=["sqlite", "postgres", "mariadb"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """A backend's name and an engine on an empty, migrated database with the host's own table."""
    name = request.param
    if name == "sqlite":
        url = f"sqlite:///{tmp_path / 'host.db'}"
    elif name == "postgres":
        from tests.storage.test_postgres import _reset

        dsn = request.getfixturevalue("postgres_dsn")
        _reset(dsn)
        url = postgres_url(dsn)
    else:
        from tests.storage.mariadb_stores import empty, reset_unless_current

        server = request.getfixturevalue("mariadb_url")
        reset_unless_current(server)
        empty(server)
        url = mariadb_url(server)
    engine = sqlalchemy.create_engine(url)
    SqlAlchemyStore(engine)  # the schema, made through the engine
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_HOST_TABLE}")
        conn.exec_driver_sql(f"CREATE TABLE {_HOST_TABLE} (note VARCHAR(20))")
    try:
        yield name, engine
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP TABLE {_HOST_TABLE}")
        engine.dispose()


def _notes(engine: Any) -> list[str]:
    with engine.connect() as conn:
        return [row[0] for row in conn.exec_driver_sql(f"SELECT note FROM {_HOST_TABLE}")]


@pytest.mark.parametrize("host_commits", [False, True])
def test_the_stores_writes_join_the_hosts_transaction(
    backend: tuple[str, Any], host_commits: bool
) -> None:
    _, engine = backend
    with engine.connect() as conn:
        store = SqlAlchemyStore(conn)
        with conn.begin() as host:
            conn.exec_driver_sql(f"INSERT INTO {_HOST_TABLE} (note) VALUES ('host')")
            store.save(build_ticket("H1"), expected_version=0)
            with store.unit_of_work() as uow:
                uow.save_customer(Customer(id="C1", name="XX科技有限公司"))
            assert store.find_ids(TicketQuery()) == ["H1"]  # seen inside the host's transaction
            if host_commits:
                host.commit()
            else:
                host.rollback()
    outside = SqlAlchemyStore(engine)
    expected_ids = ["H1"] if host_commits else []
    assert outside.find_ids(TicketQuery()) == expected_ids
    assert outside.find_customer_ids() == (["C1"] if host_commits else [])
    assert _notes(engine) == (["host"] if host_commits else [])


def test_a_refused_save_undoes_only_its_savepoint(backend: tuple[str, Any]) -> None:
    _, engine = backend
    with engine.connect() as conn:
        store = SqlAlchemyStore(conn)
        with conn.begin():
            conn.exec_driver_sql(f"INSERT INTO {_HOST_TABLE} (note) VALUES ('kept')")
            store.save(build_ticket("H1"), expected_version=0)
            with pytest.raises(DuplicateId):
                store.save(build_ticket("H1"), expected_version=0)
            store.save(build_ticket("H2"), expected_version=0)
    assert SqlAlchemyStore(engine).find_ids(TicketQuery()) == ["H1", "H2"]
    assert _notes(engine) == ["kept"]


def test_a_connection_outside_a_transaction_commits_each_unit(backend: tuple[str, Any]) -> None:
    _, engine = backend
    with engine.connect() as conn:
        store = SqlAlchemyStore(conn)
        store.save(build_ticket("H1"), expected_version=0)
        assert not conn.in_transaction()
    assert SqlAlchemyStore(engine).find_ids(TicketQuery()) == ["H1"]


def test_the_hosts_session_settings_are_set_back(backend: tuple[str, Any]) -> None:
    name, engine = backend
    choose, probe, chosen = _SETTINGS[name]
    with engine.connect() as conn:
        conn.exec_driver_sql(choose)
        before = conn.exec_driver_sql(probe).scalar()
        if chosen is not None:
            assert before == chosen
        store = SqlAlchemyStore(conn)
        store.save(build_ticket("H1"), expected_version=0)
        assert store.get("H1").id == "H1"
        assert conn.exec_driver_sql(probe).scalar() == before
        conn.commit()
    single = sqlalchemy.create_engine(engine.url, poolclass=sqlalchemy.pool.StaticPool)
    try:
        with single.connect() as conn:
            conn.exec_driver_sql(choose)
            before = conn.exec_driver_sql(probe).scalar()
            conn.commit()
        assert SqlAlchemyStore(single).find_ids(TicketQuery()) == ["H1"]
        with single.connect() as conn:  # the same connection, back from the store
            assert conn.exec_driver_sql(probe).scalar() == before
    finally:
        single.dispose()


@pytest.mark.parametrize("bind", ["sqlite://", None, 3])
def test_a_bind_that_is_no_engine_is_refused_by_name(bind: object) -> None:
    with pytest.raises(
        InvalidData, match=rf"bind: {type(bind).__name__} is not a SQLAlchemy.*accepted"
    ):
        SqlAlchemyStore(bind)  # type: ignore[arg-type]


def test_an_engine_of_another_driver_is_refused_by_name() -> None:
    import sqlite3

    engine = sqlalchemy.create_engine("mysql+mysqldb://app@db.internal/desk", module=sqlite3)
    with pytest.raises(InvalidData, match=r"dialect mysql\+mysqldb is not supported; accepted: "):
        SqlAlchemyStore(engine)


@settings(max_examples=20, deadline=None)
@given(
    decisions=st.lists(
        st.tuples(st.integers(min_value=1, max_value=3), st.booleans()), min_size=1, max_size=4
    )
)
def test_on_sqlite_exactly_the_committed_host_transactions_are_kept(
    decisions: list[tuple[int, bool]],
) -> None:
    path = Path(tempfile.mkdtemp(prefix="aftersales-sqla-host-")) / "host.db"
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    try:
        kept: list[str] = []
        with engine.connect() as conn:
            store = SqlAlchemyStore(conn)
            for number, (count, commits) in enumerate(decisions):
                ids = [f"T{number}-{i}" for i in range(count)]
                with conn.begin() as host:
                    store.save_many(build_ticket(ticket_id) for ticket_id in ids)
                    if commits:
                        host.commit()
                        kept += ids
                    else:
                        host.rollback()
        assert SqlAlchemyStore(engine).find_ids(TicketQuery()) == sorted(kept)
    finally:
        engine.dispose()
        path.unlink()
        path.parent.rmdir()


@pytest.fixture(scope="module")
def mariadb_engine(mariadb_url: str) -> Iterator[Any]:
    from tests.storage.mariadb_stores import reset_unless_current

    reset_unless_current(mariadb_url)
    engine = sqlalchemy.create_engine(globals()["mariadb_url"](mariadb_url))
    yield engine
    engine.dispose()


@settings(max_examples=10, deadline=None)
@given(
    at=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(["Asia/Shanghai", "America/Los_Angeles", "Asia/Kolkata", "UTC"]),
)
def test_on_mariadb_times_are_written_and_read_in_utc(
    mariadb_engine: Any, mariadb_url: str, at: datetime, zone: str
) -> None:
    from tests.storage.mariadb_stores import empty, execute

    empty(mariadb_url)
    store = SqlAlchemyStore(mariadb_engine)
    due = pendulum.instance(at).in_timezone(zone)
    store.save(build_ticket("M1"), expected_version=0, due_at=due)
    [(stored,)] = execute(
        mariadb_url, "SELECT DATE_FORMAT(due_at, '%Y-%m-%d %H:%i:%s.%f') FROM tickets"
    )
    assert stored == at.strftime("%Y-%m-%d %H:%M:%S.%f")
    assert store.find_ids(TicketQuery(due_before=due.add(microseconds=1), order="due")) == ["M1"]
    assert store.find_ids(TicketQuery(due_before=due, order="due")) == []
