"""Upgrade a database to the library's schema with Alembic, and tell where it stands.

:func:`upgrade` runs the library's Alembic environment
(:mod:`aftersales.storage.sqlalchemy.alembic_steps`) on a database given by
URL or ``Engine``: each missing schema step in a transaction of its own
(SQLite, PostgreSQL; MySQL and MariaDB commit each DDL statement at once),
recorded in ``aftersales_schema`` as a store records it and the Alembic
revision in ``aftersales_alembic_version``. :func:`schema_state` reads both
without changing anything; :func:`schema_history` lists the revisions.
``aftersales db upgrade | current | history`` are these three.

A URL is shown with its password hidden (``postgresql+psycopg://app:***@db/x``),
in results and in errors alike. A URL that cannot be read, or of another
dialect or driver, raises :class:`~aftersales.InvalidData`; a server that
cannot be reached, :class:`~aftersales.StorageError`.

Example:
    >>> import os, tempfile
    >>> url = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "desk.db")
    >>> upgrade(url, to=3).version
    3
    >>> state = upgrade(url)
    >>> state.version, state.revision
    (19, 'aftersales_0019')
    >>> from aftersales.storage.sqlalchemy import SqlAlchemyStore
    >>> import sqlalchemy
    >>> SqlAlchemyStore(sqlalchemy.create_engine(url), upgrade=False).schema_version()
    19
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import attrs
import sqlalchemy
from sqlalchemy.engine import URL, Connection, Engine

from aftersales.errors import InvalidData, StorageError, UnsupportedSchemaVersion
from aftersales.storage._sql.schema import SCHEMA_TABLE, STEPS
from aftersales.storage.sqlalchemy.alembic_steps import (
    SCRIPT_LOCATION,
    VERSION_TABLE,
    revision_id,
    version_of,
)
from aftersales.storage.sqlalchemy.store import _ACCEPTED, _VARIANTS

__all__ = ["SchemaRevision", "SchemaState", "schema_history", "schema_state", "upgrade"]

#: The schema version this library writes.
LATEST: Final = max(STEPS)
#: The table of a host's own Alembic revisions, where the library's branch may be recorded too.
_HOST_VERSION_TABLE: Final = "alembic_version"
_SPACES = re.compile(r"\s+")


@attrs.frozen(slots=True)
class SchemaState:
    """Where a database stands: its schema version and the Alembic revisions that record it.

    ``database`` is its URL with the password hidden; ``revision`` the
    revision ``aftersales db`` recorded (``None`` when it never ran there),
    ``host_revision`` the library's revision in a host's ``alembic_version``;
    ``upgraded_from`` the version before, in the state :func:`upgrade` returns.

    Example:
        >>> state = SchemaState("sqlite:///desk.db", version=12, revision=None)
        >>> print(state)
        database: sqlite:///desk.db
        schema version: 12 (this library's: 19; `aftersales db upgrade` applies 7 steps)
        alembic revision: none (`aftersales db upgrade` adopts the database, no stamp needed)
    """

    database: str
    version: int
    revision: str | None
    host_revision: str | None = None
    latest: int = LATEST
    upgraded_from: int | None = None

    def __str__(self) -> str:
        behind = self.latest - self.version
        if behind > 0:
            status = f"`aftersales db upgrade` applies {behind} step{'s' * (behind != 1)}"
        elif behind == 0:
            status = "up to date"
        else:
            status = "written by a newer aftersales"
        lines = [
            f"database: {self.database}",
            f"schema version: {self.version} (this library's: {self.latest}; {status})",
        ]
        if self.revision is None:
            lines.append(
                "alembic revision: none (`aftersales db upgrade` adopts the database,"
                " no stamp needed)"
            )
        else:
            lines.append(f"alembic revision: {self.revision} (in {VERSION_TABLE})")
        if self.host_revision is not None:
            lines.append(f"host's alembic revision: {self.host_revision} (in alembic_version)")
        return "\n".join(lines)


@attrs.frozen(slots=True)
class SchemaRevision:
    """One Alembic revision of the library's branch: its id, the one before and its step.

    Example:
        >>> print(schema_history()[0])
        aftersales_0001 (base): step 1, tickets and their events
    """

    revision: str
    down_revision: str | None
    version: int
    description: str

    def __str__(self) -> str:
        return (
            f"{self.revision} ({self.down_revision or 'base'}): step {self.version},"
            f" {self.description}"
        )


def upgrade(database: str | URL | Engine, *, to: int | None = None) -> SchemaState:
    """Apply the missing schema steps (up to step ``to``, default: all) with Alembic.

    Args:
        database: a SQLAlchemy URL (``sqlite:///desk.db``,
            ``postgresql+psycopg://…``, ``mysql+pymysql://…?charset=utf8mb4``)
            or an ``Engine`` (left open).
        to: the schema version to reach, from the database's own to the latest.

    Returns the database's :class:`SchemaState` afterwards. A step already
    recorded in ``aftersales_schema`` (a store upgraded the database itself)
    is skipped, so no ``alembic stamp`` is ever needed.

    Example:
        >>> import sqlalchemy
        >>> engine = sqlalchemy.create_engine("sqlite://")
        >>> upgrade(engine, to=2).version
        2
        >>> state = upgrade(engine)
        >>> state.upgraded_from, state.version
        (2, 19)
        >>> upgrade(engine, to=5)
        Traceback (most recent call last):
        aftersales.errors.InvalidData: to: 5 is below the database's schema version 19; accepted: 19 (the steps are forward-only)
    """
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    target = _target(to)
    with _connected(database) as (conn, shown, password):
        before = _read_state(conn, shown)
        conn.rollback()  # Alembic begins each step's own transaction on a connection outside one
        if before.version > LATEST:
            raise UnsupportedSchemaVersion(
                f"{shown}: written by a newer aftersales",
                before.version,
                supported=range(LATEST + 1),
            )
        if target < before.version:
            raise InvalidData(
                f"to: {target} is below the database's schema version {before.version};"
                f" accepted: {_span(before.version, LATEST)} (the steps are forward-only)"
            )
        config = Config()
        config.set_main_option("script_location", SCRIPT_LOCATION)
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, revision_id(target))
        except CommandError as error:
            raise StorageError(f"{shown}: {_one_line(error, password)}") from None
        except sqlalchemy.exc.SQLAlchemyError as error:
            raise StorageError(f"{shown}: {_one_line(error, password)}") from None
        finally:
            if conn.in_transaction():
                conn.rollback()
        return attrs.evolve(_read_state(conn, shown), upgraded_from=before.version)


def schema_state(database: str | URL | Engine) -> SchemaState:
    """The database's schema version and Alembic revisions; nothing is changed.

    Example:
        >>> import sqlalchemy
        >>> engine = sqlalchemy.create_engine("sqlite://")
        >>> schema_state(engine).version
        0
    """
    with _connected(database, create=False) as (conn, shown, _):
        try:
            return _read_state(conn, shown)
        finally:
            conn.rollback()


def schema_history() -> list[SchemaRevision]:
    """The library's Alembic revisions, oldest first, as Alembic's script directory reads them.

    Example:
        >>> [(r.revision, r.version) for r in schema_history()][-2:]
        [('aftersales_0018', 18), ('aftersales_0019', 19)]
    """
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(SCRIPT_LOCATION)
    revisions = []
    for script in reversed(list(scripts.walk_revisions())):
        version = version_of(script.revision)
        down = script.down_revision
        if version is None or not (down is None or isinstance(down, str)):
            raise StorageError(
                f"{SCRIPT_LOCATION}: revision {script.revision!r} is not one of the library's"
                " chain; accepted: aftersales_NNNN revisions, each after the one before"
            )
        revisions.append(SchemaRevision(script.revision, down, version, STEPS[version]))
    return revisions


# -- connections ----------------------------------------------------------------------


@contextmanager
def _connected(
    database: object, *, create: bool = True
) -> Iterator[tuple[Connection, str, str | None]]:
    """A connection to ``database``, its URL shown with the password hidden, and the password.

    Unless ``create``, a SQLite file that does not exist is refused (connecting would make it).
    """
    from aftersales.storage.sqlalchemy.store import _variant

    owned = not isinstance(database, Engine)
    if isinstance(database, Engine):
        engine = database
        _variant(engine)
    elif isinstance(database, str | URL):
        url = _parsed(database)
        engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    else:
        raise InvalidData(
            f"database: {type(database).__name__} is not a URL or an Engine; accepted: a"
            " SQLAlchemy URL (str or sqlalchemy.URL) or a sqlalchemy.Engine"
        )
    shown = engine.url.render_as_string(hide_password=True)
    password = engine.url.password
    if not create and owned and _missing_sqlite_file(engine.url):
        engine.dispose()
        raise StorageError(
            f"{shown}: no such SQLite file; accepted: the path of an existing database"
            " (`aftersales db upgrade` creates one)"
        )
    try:
        try:
            conn = engine.connect()
        except sqlalchemy.exc.SQLAlchemyError as error:
            raise StorageError(
                f"{shown}: cannot connect: {_one_line(getattr(error, 'orig', None) or error, password)}"
            ) from None
        with conn:
            yield conn, shown, None if password is None else str(password)
    finally:
        if owned:
            engine.dispose()


def _missing_sqlite_file(url: URL) -> bool:
    path = url.database or ""
    return (
        url.get_backend_name() == "sqlite"
        and path not in ("", ":memory:")
        and not path.startswith("file:")
        and not Path(path).exists()
    )


def _parsed(database: str | URL) -> URL:
    """The URL, of a dialect and driver the stores run on."""
    try:
        url = sqlalchemy.engine.make_url(database)
    except (sqlalchemy.exc.ArgumentError, ValueError, TypeError):
        raise InvalidData(
            "url: the URL given cannot be read as a database URL (it is not shown: it may hold"
            " a password); accepted: dialect+driver://user:password@host:port/database, e.g."
            " sqlite:///desk.db or postgresql+psycopg://app@db.example.com/aftersales"
        ) from None
    backend = url.get_backend_name()
    driver = url.drivername.partition("+")[2] or ("pysqlite" if backend == "sqlite" else "")
    found = _VARIANTS.get(backend)
    if found is None or found[0] != driver:
        shown = url.render_as_string(hide_password=True)
        raise InvalidData(f"url {shown}: dialect {url.drivername} is not supported; {_ACCEPTED}")
    return url


def _read_state(conn: Connection, shown: str) -> SchemaState:
    tables = set(sqlalchemy.inspect(conn).get_table_names())
    version = 0
    if SCHEMA_TABLE in tables:
        found = conn.execute(sqlalchemy.text(f"SELECT max(version) FROM {SCHEMA_TABLE}")).scalar()
        version = 0 if found is None else int(found)
    revision = _our_revision(conn, VERSION_TABLE) if VERSION_TABLE in tables else None
    host = _our_revision(conn, _HOST_VERSION_TABLE) if _HOST_VERSION_TABLE in tables else None
    return SchemaState(shown, version=version, revision=revision, host_revision=host)


def _our_revision(conn: Connection, table: str) -> str | None:
    """The library's revision among those recorded in ``table`` (a host may record its own)."""
    rows = conn.execute(sqlalchemy.text(f"SELECT version_num FROM {table}")).scalars()
    ours = [str(row) for row in rows if version_of(str(row)) is not None]
    return max(ours, default=None)


# -- checks and messages ----------------------------------------------------------------


def _target(to: object) -> int:
    if to is None:
        return LATEST
    if isinstance(to, bool) or not isinstance(to, int) or not 1 <= to <= LATEST:
        raise InvalidData(f"to: {to!r} is not a schema version; accepted: {_span(1, LATEST)}")
    return to


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low} to {high}"


def _one_line(error: Any, password: str | None) -> str:
    """An error's message on one line, the password (if any) hidden."""
    text = _SPACES.sub(" ", str(error)).strip()
    if password:
        text = text.replace(password, "***")
    return text
