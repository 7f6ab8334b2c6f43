"""DjangoStore inside ``transaction.atomic``: savepoints, rollbacks, on_commit hooks, session settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from typing import Any

import pytest
from django.db import connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import Customer, DuplicateId, InvalidData, SchemaUpgradeNeeded
from aftersales.contrib.django import DjangoStore
from aftersales.storage import TicketQuery
from aftersales.testing.contracts import build_ticket
from tests.contrib_django import databases
from tests.contrib_django.conftest import BACKENDS, need

_HOST_TABLE = "host_notes"
#: Per backend: a session setting the host chooses, its probe, and the value it chose.
_SETTINGS = {
    "sqlite": ("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys", 0),
    "postgres": ("SET TIME ZONE 'Asia/Kolkata'", "SHOW TimeZone", "Asia/Kolkata"),
    "mariadb": (
        "SET SESSION sql_mode = 'TRADITIONAL', time_zone = '+08:00'",
        "SELECT @@SESSION.time_zone",
        "+08:00",
    ),
}


@pytest.fixture(params=sorted(BACKENDS))
def alias(
    request: pytest.FixtureRequest, django_databases: dict[str, str], unblocked: None
) -> Iterator[str]:
    """A backend's alias: the store's tables empty, the host's own table beside them."""
    backend = request.param
    need(django_databases, backend)
    name = BACKENDS[backend][0][0]
    databases.reset_unless_current(name)
    databases.empty(name)
    with connections[name].cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {_HOST_TABLE}")
        cur.execute(f"CREATE TABLE {_HOST_TABLE} (note VARCHAR(20))")
    try:
        yield name
    finally:
        with connections[name].cursor() as cur:
            cur.execute(f"DROP TABLE {_HOST_TABLE}")


def _note(alias: str, text: str) -> None:
    with connections[alias].cursor() as cur:
        cur.execute(f"INSERT INTO {_HOST_TABLE} (note) VALUES (%s)", [text])


def _notes(alias: str) -> list[str]:
    return [row[0] for row in databases.execute(alias, f"SELECT note FROM {_HOST_TABLE}")]


@pytest.mark.parametrize("host_commits", [False, True])
def test_the_stores_writes_join_the_callers_atomic_block(alias: str, host_commits: bool) -> None:
    store = DjangoStore(alias)
    fired: list[str] = []
    expected = nullcontext() if host_commits else pytest.raises(_RolledBack)
    with expected, transaction.atomic(using=alias):
        _note(alias, "host")
        store.save(build_ticket("H1"), expected_version=0)
        with store.unit_of_work() as uow:
            uow.save_customer(Customer(id="C1", name="XX科技有限公司"))
        transaction.on_commit(lambda: fired.append("committed"), using=alias)
        assert store.find_ids(TicketQuery()) == ["H1"]  # seen inside the block
        assert databases.execute(alias, "SELECT id FROM tickets") == []  # unseen outside
        if not host_commits:
            raise _RolledBack
    outside = DjangoStore(alias)
    assert outside.find_ids(TicketQuery()) == (["H1"] if host_commits else [])
    assert outside.find_customer_ids() == (["C1"] if host_commits else [])
    assert _notes(alias) == (["host"] if host_commits else [])
    assert fired == (["committed"] if host_commits else [])


def test_a_refused_save_undoes_only_its_savepoint(alias: str) -> None:
    store = DjangoStore(alias)
    with transaction.atomic(using=alias):
        _note(alias, "kept")
        store.save(build_ticket("H1"), expected_version=0)
        with pytest.raises(DuplicateId):
            store.save(build_ticket("H1"), expected_version=0)
        store.save(build_ticket("H2"), expected_version=0)
        assert not transaction.get_rollback(using=alias)
    assert DjangoStore(alias).find_ids(TicketQuery()) == ["H1", "H2"]
    assert _notes(alias) == ["kept"]


def test_outside_a_block_each_write_commits_and_autocommit_stays_on(alias: str) -> None:
    store = DjangoStore(alias)
    store.save(build_ticket("H1"), expected_version=0)
    assert connections[alias].get_autocommit()
    assert not connections[alias].in_atomic_block
    assert [row[0] for row in databases.execute(alias, "SELECT id FROM tickets")] == ["H1"]


def test_the_hosts_session_settings_are_set_back(alias: str) -> None:
    backend = next(name for name, (aliases, _) in BACKENDS.items() if alias in aliases)
    choose, probe, chosen = _SETTINGS[backend]
    with connections[alias].cursor() as cur:
        cur.execute(choose)
        cur.execute(probe)
        assert cur.fetchone()[0] == chosen
    store = DjangoStore(alias)
    store.save(build_ticket("H1"), expected_version=0)
    with transaction.atomic(using=alias):
        store.save(build_ticket("H2"), expected_version=0)
        assert store.get("H1").id == "H1"
    with connections[alias].cursor() as cur:
        cur.execute(probe)
        assert cur.fetchone()[0] == chosen
    connections[alias].close()  # the next test's connection has Django's own settings


@pytest.mark.parametrize("using", ["nowhere", None, 3])
def test_an_unknown_alias_is_refused_by_name(django_databases: Any, using: object) -> None:
    with pytest.raises(InvalidData, match=rf"using: {using!r} is not a database alias.*'default'"):
        DjangoStore(using)  # type: ignore[arg-type]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    decisions=st.lists(
        st.tuples(st.integers(min_value=1, max_value=3), st.booleans()), min_size=1, max_size=4
    )
)
def test_exactly_the_committed_blocks_are_kept(
    django_databases: Any, unblocked: None, decisions: list[tuple[int, bool]]
) -> None:
    databases.reset_unless_current("default")
    databases.empty("default")
    store = DjangoStore("default")
    kept: list[str] = []
    for number, (count, commits) in enumerate(decisions):
        ids = [f"T{number}-{i}" for i in range(count)]
        try:
            with transaction.atomic():
                store.save_many(build_ticket(ticket_id) for ticket_id in ids)
                if not commits:
                    raise _RolledBack
        except _RolledBack:
            continue
        kept += ids
    assert DjangoStore("default").find_ids(TicketQuery()) == sorted(kept)


class _RolledBack(Exception):
    """Raised inside an atomic block to roll it back."""


def test_a_store_opened_inside_a_block_works_in_it(alias: str) -> None:
    with transaction.atomic(using=alias):
        store = DjangoStore(alias)  # on MySQL: the schema is checked, not migrated
        store.save(build_ticket("H1"), expected_version=0)
    assert DjangoStore(alias).find_ids(TicketQuery()) == ["H1"]


def test_without_upgrade_a_database_behind_is_refused_and_left_alone(alias: str) -> None:
    assert DjangoStore(alias, upgrade=False).find_ids(TicketQuery()) == []
    [(latest,)] = databases.execute(alias, "SELECT max(version) FROM aftersales_schema")
    databases.changed.add(alias)  # made afresh for the next test
    databases.execute(alias, f"DELETE FROM aftersales_schema WHERE version = {latest}")
    with pytest.raises(
        SchemaUpgradeNeeded,
        match=rf"version {latest - 1} is behind .*\(run `manage.py migrate` first\)",
    ):
        DjangoStore(alias, upgrade=False)
    assert databases.execute(alias, "SELECT max(version) FROM aftersales_schema") == [(latest - 1,)]


def test_upgrade_must_be_a_bool(django_databases: Any, unblocked: None) -> None:
    with pytest.raises(InvalidData, match=r"upgrade: 'yes' is not a bool; accepted: True or False"):
        DjangoStore("default", upgrade="yes")  # type: ignore[arg-type]
