"""Migrating with Alembic: the library's revisions, ``aftersales db`` and ``upgrade=False``.

On a SQLite file, PostgreSQL and MariaDB, each test on a database of its own:
the CLI upgrades an empty database (in a subprocess) and a store opens on it
without DDL; every older version a store left is upgraded to the same schema
a store makes; a host's Alembic environment runs its own revision beside the
library's branch; a step that fails is rolled back on SQLite and PostgreSQL and
refused clearly when re-run on MariaDB (whose DDL commits at once).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

sqlalchemy = pytest.importorskip("sqlalchemy", reason="Alembic tests need the 'sqlalchemy' extra")
pytest.importorskip("alembic", reason="Alembic tests need the 'sqlalchemy' extra")

import aftersales  # noqa: E402
from aftersales import InvalidData, SchemaUpgradeNeeded, StorageError  # noqa: E402
from aftersales.storage._sql.schema import STEPS  # noqa: E402
from aftersales.storage.mysql.interrupted_steps import first_effect  # noqa: E402
from aftersales.storage.mysql.migrations import MIGRATIONS as MYSQL_MIGRATIONS  # noqa: E402
from aftersales.storage.sqlalchemy import (  # noqa: E402
    SqlAlchemyStore,
    schema_history,
    schema_state,
    upgrade,
)
from aftersales.storage.sqlalchemy.alembic_steps import (  # noqa: E402
    VERSIONS_LOCATION,
    revision_id,
    version_of,
)
from aftersales.testing.contracts import build_ticket  # noqa: E402
from tests.storage.sqlalchemy_stores import mariadb_url as sqlalchemy_mariadb_url  # noqa: E402
from tests.storage.sqlalchemy_stores import postgres_url  # noqa: E402

LATEST = max(STEPS)
SOURCE = str(Path(aftersales.__file__).parents[1])
ENVIRONMENT = {**os.environ, "PYTHONPATH": SOURCE}


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``aftersales ARGS`` in a subprocess, on the library under test."""
    return subprocess.run(
        [sys.executable, "-m", "aftersales", *args],
        capture_output=True,
        text=True,
        env=env or ENVIRONMENT,
        timeout=120,
        check=False,
    )


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``aftersales ARGS`` in this process: the status, stdout and stderr."""
    from aftersales.cli import main

    capsys.readouterr()
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


# -- databases ----------------------------------------------------------------------------


#: A test on an empty database of each kind (the ``database`` fixture's parameter).
on_every_backend = pytest.mark.parametrize(
    "database", ["sqlite", "postgres", "mariadb"], indirect=True
)
#: Those whose DDL is transactional.
on_transactional_ddl = pytest.mark.parametrize("database", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The SQLAlchemy URL of an empty database of this test's own (parametrized: which kind)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.db'}"
    elif request.param == "postgres":
        yield postgres_url(request.getfixturevalue("fresh_postgres"))
    else:
        yield from _fresh_mariadb(request.getfixturevalue("mariadb_url"))


def _fresh_mariadb(server: str) -> Iterator[str]:
    base = sqlalchemy.engine.make_url(sqlalchemy_mariadb_url(server))
    name = f"fresh_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(base, poolclass=sqlalchemy.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        admin.dispose()


@pytest.fixture
def engines() -> Iterator[Any]:
    made: list[Any] = []

    def engine(url: str) -> Any:
        made.append(sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool))
        return made[-1]

    yield engine
    for one in made:
        one.dispose()


def tables(url: str) -> dict[str, set[str]]:
    """Each table of the database with its columns' names."""
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    try:
        inspector = sqlalchemy.inspect(engine)
        return {
            name: {column["name"] for column in inspector.get_columns(name)}
            for name in inspector.get_table_names()
        }
    finally:
        engine.dispose()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def run_sql(url: str, *statements: str) -> None:
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def no_ddl_at_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any schema step at open fail the test."""

    def refuse(*args: Any) -> None:
        raise AssertionError("the store ran its migrations at open")

    monkeypatch.setattr(SqlAlchemyStore, "_migrate", refuse)


# -- the revisions --------------------------------------------------------------------------


def test_the_revision_chain_is_the_schema_steps() -> None:
    from alembic.script import ScriptDirectory

    history = schema_history()
    expected = [
        (f"aftersales_{version:04d}", None if version == 1 else f"aftersales_{version - 1:04d}")
        for version in sorted(STEPS)
    ]
    assert [(r.revision, r.down_revision) for r in history] == expected
    assert [(r.version, r.description) for r in history] == sorted(STEPS.items())
    scripts = ScriptDirectory(str(Path(VERSIONS_LOCATION).parent))
    assert scripts.get_heads() == [f"aftersales_{LATEST:04d}"]
    assert scripts.get_revision("aftersales@head").revision == f"aftersales_{LATEST:04d}"
    assert scripts.get_revision("aftersales_0001").branch_labels == {"aftersales"}
    assert len(list(Path(VERSIONS_LOCATION).glob("*.py"))) == len(STEPS)


@given(st.integers(min_value=1, max_value=9999))
def test_a_revision_names_its_step(version: int) -> None:
    assert version_of(revision_id(version)) == version


_DIGITS = st.text(st.characters(categories=["Nd"]), min_size=3, max_size=5)  # any script's


@given(
    st.text()
    | st.builds("aftersales_{}".format, st.text(max_size=6) | _DIGITS)
    | st.builds("aftersales_{}\n".format, _DIGITS)
)
def test_only_the_library_revisions_name_a_step(revision: str) -> None:
    assert (version_of(revision) is not None) == (
        revision.startswith("aftersales_")
        and len(revision) == 15
        and revision[11:].isascii()
        and revision[11:].isdigit()
    )


@given(st.integers().filter(lambda n: not 1 <= n <= LATEST))
def test_upgrade_refuses_a_version_outside_the_steps(to: int) -> None:
    with pytest.raises(InvalidData, match=rf"to: {to} is not a schema version; accepted: 1 to"):
        upgrade("sqlite://", to=to)


def test_every_mysql_step_begins_with_a_statement_whose_effect_can_be_looked_up() -> None:
    for migration in MYSQL_MIGRATIONS:
        kind, table, _name, _present = first_effect(migration.statements[0])
        assert kind in ("table", "column", "index")
        assert table in migration.statements[0]


# -- upgrading --------------------------------------------------------------------------------


@on_every_backend
def test_the_cli_upgrades_an_empty_database_and_a_store_opens_without_ddl(
    database: str, engines: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = cli("db", "upgrade", "--url", database)
    assert done.returncode == 0, done.stderr
    assert f"schema version 0 → {LATEST} (alembic revision aftersales_{LATEST:04d})" in done.stdout
    recorded = rows(database, "SELECT version, description FROM aftersales_schema ORDER BY version")
    assert recorded == sorted(STEPS.items())
    no_ddl_at_open(monkeypatch)
    store = SqlAlchemyStore(engines(database), upgrade=False)
    ticket = build_ticket("T1")
    store.save(ticket, expected_version=0)
    assert store.get("T1") == ticket
    assert store.schema_version() == LATEST


def test_a_store_with_upgrade_false_runs_no_ddl_on_a_read_only_postgres_session(
    fresh_postgres: str, engines: Any
) -> None:
    url = postgres_url(fresh_postgres)
    upgrade(url)
    read_only = sqlalchemy.create_engine(
        url, connect_args={"options": "-c default_transaction_read_only=on"}
    )
    try:
        assert SqlAlchemyStore(read_only, upgrade=False).find_customer_ids() == []
        with pytest.raises(StorageError, match="read-only transaction"):
            SqlAlchemyStore(read_only)  # the default store migrates: DDL even with nothing to do
    finally:
        read_only.dispose()


@on_every_backend
def test_every_older_version_is_upgraded_to_the_schema_a_store_makes(
    database: str, engines: Any, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    made_by_store = _schema_made_by_a_store(database, request)
    engine = engines(database)  # upgrade() takes an Engine too, and leaves it open
    for old in _older_versions(database):
        _drop_everything(database)
        if old:
            SqlAlchemyStore(engine, _target_version=old)
        assert schema_state(database).version == old
        if old in (0, LATEST - 1):  # the command twice, the function for the others
            status, out, err = run_cli(capsys, "db", "upgrade", "--url", database)
            assert status == 0, err
            assert f"schema version {old} → {LATEST}" in out
        else:
            assert upgrade(engine).version == LATEST
        assert tables(database) == made_by_store, f"from version {old}"
        state = schema_state(database)
        assert (state.version, state.revision) == (LATEST, f"aftersales_{LATEST:04d}")


def _older_versions(database: str) -> range | tuple[int, ...]:
    """Every older version on SQLite; on a server (a MariaDB schema takes seconds) two, unless
    HYPOTHESIS_PROFILE=thorough (0 is the CLI test's, on every backend)."""
    if database.startswith("sqlite") or os.environ.get("HYPOTHESIS_PROFILE") == "thorough":
        return range(LATEST)
    return (10, LATEST - 1)


def _schema_made_by_a_store(database: str, request: pytest.FixtureRequest) -> dict[str, set[str]]:
    if database.startswith("sqlite"):
        other = database.replace("desk.db", "by-store.db")
    elif database.startswith("postgresql"):
        other = postgres_url(request.getfixturevalue("fresh_postgres"))
        return {**_made(other), "aftersales_alembic_version": {"version_num"}}
    else:
        other = database  # dropped by the caller before every upgrade
    return {**_made(other), "aftersales_alembic_version": {"version_num"}}


def _made(url: str) -> dict[str, set[str]]:
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    try:
        SqlAlchemyStore(engine)
    finally:
        engine.dispose()
    return tables(url)


def _drop_everything(url: str) -> None:
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    try:
        with engine.begin() as conn:
            names = sqlalchemy.inspect(conn).get_table_names()
            if not names:
                return
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
                for name in names:
                    conn.exec_driver_sql(f'DROP TABLE "{name}"')
            elif engine.dialect.name == "postgresql":
                conn.exec_driver_sql("DROP TABLE " + ", ".join(names) + " CASCADE")
            else:
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
                conn.exec_driver_sql("DROP TABLE " + ", ".join(f"`{n}`" for n in names))
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
    finally:
        engine.dispose()


@on_every_backend
def test_db_current_tells_the_version_and_the_revision(
    database: str, engines: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    SqlAlchemyStore(engines(database), _target_version=3)
    status, before, _ = run_cli(capsys, "db", "current", "--url", database)
    assert status == 0
    assert before.splitlines()[1:] == [
        f"schema version: 3 (this library's: {LATEST}; `aftersales db upgrade` applies"
        f" {LATEST - 3} steps)",
        "alembic revision: none (`aftersales db upgrade` adopts the database, no stamp needed)",
    ]
    assert run_cli(capsys, "db", "upgrade", "--url", database, "--to", "5")[0] == 0
    _, after, _ = run_cli(capsys, "db", "current", "--url", database)
    assert after.splitlines()[1:] == [
        f"schema version: 5 (this library's: {LATEST}; `aftersales db upgrade` applies"
        f" {LATEST - 5} steps)",
        "alembic revision: aftersales_0005 (in aftersales_alembic_version)",
    ]
    status, _, below = run_cli(capsys, "db", "upgrade", "--url", database, "--to", "4")
    assert status == 2
    assert below.strip().splitlines() == [
        f"aftersales: to: 4 is below the database's schema version 5; accepted: 5 to {LATEST}"
        " (the steps are forward-only)"
    ]
    assert schema_state(database).version == 5


@on_every_backend
def test_a_store_with_upgrade_false_refuses_an_older_database_and_changes_nothing(
    database: str, engines: Any
) -> None:
    SqlAlchemyStore(engines(database), _target_version=3)
    before = tables(database)
    with pytest.raises(SchemaUpgradeNeeded, match="`aftersales db upgrade --url URL`") as raised:
        SqlAlchemyStore(engines(database), upgrade=False)
    assert (raised.value.version, raised.value.supported) == (3, (LATEST,))
    assert tables(database) == before
    assert schema_state(database).version == 3


def test_a_store_with_upgrade_false_creates_nothing_in_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = sqlalchemy.create_engine(url)
    try:
        with pytest.raises(SchemaUpgradeNeeded, match="schema version 0 is behind"):
            SqlAlchemyStore(engine, upgrade=False)
        with pytest.raises(InvalidData, match="upgrade: 'no' is not a bool"):
            SqlAlchemyStore(engine, upgrade="no")  # type: ignore[arg-type]
    finally:
        engine.dispose()
    assert tables(url) == {}


# -- a step that fails ---------------------------------------------------------------------------

_IN_THE_WAY = "CREATE TABLE knowledge_uses (x INTEGER)"  # step 4 creates it after root_causes


@on_transactional_ddl
def test_a_failing_step_is_rolled_back_where_ddl_is_transactional(
    database: str, engines: Any
) -> None:
    SqlAlchemyStore(engines(database), _target_version=2)
    run_sql(database, _IN_THE_WAY)
    with pytest.raises(StorageError, match="knowledge_uses"):
        upgrade(database)
    state = schema_state(database)
    assert (state.version, state.revision) == (3, "aftersales_0003")  # step 3 kept, 4 undone
    assert "root_causes" not in tables(database)
    run_sql(database, "DROP TABLE knowledge_uses")
    assert upgrade(database).version == LATEST


def test_a_step_mariadb_left_half_done_is_refused_with_what_to_do(
    mariadb_url: str, engines: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    for database in _fresh_mariadb(mariadb_url):
        SqlAlchemyStore(engines(database), _target_version=3)
        run_sql(database, _IN_THE_WAY)
        at_3 = set(tables(database))
        with pytest.raises(StorageError, match="knowledge_uses"):
            upgrade(database)
        half_done = set(tables(database)) - at_3
        assert "root_causes" in half_done  # committed at once, not rolled back
        run_sql(database, "DROP TABLE knowledge_uses")
        status, _, err = run_cli(capsys, "db", "upgrade", "--url", database)
        assert status == 2
        [line] = err.strip().splitlines()
        assert "schema step 4 was begun and not finished (table root_causes exists" in line
        assert "`aftersales db upgrade` again" in line
        with pytest.raises(StorageError, match="schema step 4 was begun and not finished"):
            SqlAlchemyStore(engines(database))
        assert schema_state(database).version == 3
        run_sql(database, "DROP TABLE " + ", ".join(sorted(half_done)))
        assert upgrade(database).version == LATEST


# -- a host's own Alembic --------------------------------------------------------------------------

_HOST_ENV = """
from alembic import context
from sqlalchemy import create_engine, pool

engine = create_engine(context.config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""

_HOST_REVISION = '''
"""The host's own table."""
import sqlalchemy as sa
from alembic import op

revision = "crm_0001"
down_revision = None
branch_labels = ("crm",)
depends_on = None


def upgrade() -> None:
    op.create_table("crm_orders", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("crm_orders")
'''


def _host_project(folder: Path, url: str) -> Path:
    (folder / "migrations" / "versions").mkdir(parents=True)
    (folder / "migrations" / "env.py").write_text(_HOST_ENV)
    (folder / "migrations" / "versions" / "crm_0001.py").write_text(_HOST_REVISION)
    ini = folder / "alembic.ini"
    ini.write_text(
        textwrap.dedent(
            f"""\
            [alembic]
            path_separator = space
            script_location = %(here)s/migrations
            version_locations = %(here)s/migrations/versions aftersales.storage.sqlalchemy:alembic/versions
            sqlalchemy.url = {url.replace("%", "%%")}
            """
        )
    )
    return ini


def alembic(ini: Path, verb: str, target: str) -> None:
    """``alembic -c INI VERB TARGET``, run by Alembic's own commands in this process."""
    from alembic import command
    from alembic.config import Config

    getattr(command, verb)(Config(str(ini)), target)


@pytest.mark.parametrize(
    ("database", "adopted"),
    [("sqlite", False), ("sqlite", True), ("postgres", False), ("postgres", True)]
    + [("mariadb", True)],  # a MariaDB schema takes seconds: the case with both paths
    indirect=["database"],
    ids=["sqlite-new", "sqlite-adopted", "postgres-new", "postgres-adopted", "mariadb-adopted"],
)
def test_a_host_runs_its_own_revision_beside_the_library_branch(
    database: str, engines: Any, tmp_path: Path, adopted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if adopted:
        SqlAlchemyStore(engines(database), _target_version=9)
    ini = _host_project(tmp_path, database)
    alembic(ini, "upgrade", "heads")
    heads = {row[0] for row in rows(database, "SELECT version_num FROM alembic_version")}
    assert heads == {"crm_0001", f"aftersales_{LATEST:04d}"}
    assert "crm_orders" in tables(database)
    recorded = rows(database, "SELECT version FROM aftersales_schema ORDER BY version")
    assert recorded == [(version,) for version in sorted(STEPS)]
    state = schema_state(database)
    assert (state.host_revision, state.revision) == (f"aftersales_{LATEST:04d}", None)
    with pytest.raises(StorageError, match=f"aftersales schema step {LATEST} cannot be undone"):
        alembic(ini, "downgrade", "aftersales@-1")
    assert schema_state(database).host_revision == f"aftersales_{LATEST:04d}"
    no_ddl_at_open(monkeypatch)
    assert SqlAlchemyStore(engines(database), upgrade=False).schema_version() == LATEST


# -- URLs and passwords ---------------------------------------------------------------------------


def test_the_password_is_hidden_in_output_and_errors(
    fresh_postgres: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = sqlalchemy.engine.make_url(postgres_url(fresh_postgres)).set(password="s3cret-Pw")
    with_password = parsed.render_as_string(hide_password=False)
    assert "s3cret-Pw" in with_password
    monkeypatch.setenv("AFTERSALES_DATABASE_URL", with_password)
    upgraded = run_cli(capsys, "db", "upgrade")  # trust authentication: the password is unchecked
    monkeypatch.delenv("AFTERSALES_DATABASE_URL")
    current = run_cli(capsys, "db", "current", "--url", with_password)
    unreachable = run_cli(
        capsys, "db", "current", "--url", parsed.set(port=1).render_as_string(False)
    )
    unreadable = run_cli(
        capsys, "db", "current", "--url", "postgresql+psycopg://a:s3cret-Pw@db:x/y"
    )
    other = run_cli(capsys, "db", "upgrade", "--url", "oracle://app:s3cret-Pw@db/x")
    assert (upgraded[0], current[0]) == (0, 0), upgraded[2] + current[2]
    assert ":***@" in upgraded[1]
    assert ":***@" in current[1]
    for (status, _, err), reason in (
        (unreachable, "cannot connect"),
        (unreadable, "cannot be read as a database URL"),
        (other, "dialect oracle is not supported"),
    ):
        assert status == 2
        [line] = err.strip().splitlines()
        assert line.startswith("aftersales: ")
        assert reason in line
    for _, out, err in (upgraded, current, unreachable, unreadable, other):
        assert "s3cret-Pw" not in out + err


def test_a_wrong_database_gets_a_specific_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AFTERSALES_DATABASE_URL", raising=False)
    with pytest.raises(InvalidData, match="dialect postgresql is not supported"):
        schema_state("postgresql://app:pw@db/x")  # psycopg2, the default driver
    with pytest.raises(InvalidData, match="database: int is not a URL or an Engine"):
        schema_state(5)  # type: ignore[arg-type]
    with pytest.raises(StorageError, match="cannot connect: unable to open database file"):
        upgrade("sqlite:////no/such/folder/desk.db")
    typo = tmp_path / "dsek.db"
    with pytest.raises(StorageError, match="no such SQLite file"):
        schema_state(f"sqlite:///{typo}")
    assert not typo.exists()
    status, _, err = run_cli(capsys, "db", "current")
    assert status == 2
    assert "no database given; accepted: --url URL" in err


def test_the_alembic_command_runs_the_library_environment_alone(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    ini = tmp_path / "alembic.ini"
    ini.write_text(
        "[alembic]\nscript_location = aftersales.storage.sqlalchemy:alembic\n"
        f"sqlalchemy.url = {url}\n"
    )
    with pytest.raises(StorageError, match="offline \\(--sql\\) mode is not supported"):
        command.upgrade(Config(str(ini)), "aftersales@head", sql=True)
    command.upgrade(Config(str(ini)), "aftersales_0007")
    state = schema_state(url)
    assert (state.version, state.revision, state.host_revision) == (7, "aftersales_0007", None)
    command.upgrade(Config(str(ini)), "heads")
    assert schema_state(url).version == LATEST
