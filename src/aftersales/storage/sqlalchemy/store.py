"""The store inside an application's SQLAlchemy engine or connection (SQLAlchemy 2).

:class:`SqlAlchemyStore` runs the same SQL as the other SQL stores, in the
dialect of the engine (``sqlite``, ``postgresql`` with psycopg 3, ``mysql`` or
``mariadb`` with PyMySQL), on the DB-API connection beneath SQLAlchemy's
(``Connection.connection.driver_connection``):

* given an ``Engine``, each read or unit of work checks a connection out of
  the engine's pool, runs in a transaction of its own and gives it back;
* given a ``Connection``, the store works on it: when the host has begun a
  transaction, every write joins it in a ``SAVEPOINT``, so the host's
  ``rollback()`` undoes it and its ``commit()`` keeps it; when none is open,
  each unit of work is a transaction of its own on that connection.

The store's session settings (MySQL: UTC, ``utf8mb4_bin``, ``ANSI_QUOTES``,
``PIPES_AS_CONCAT``, strict modes; PostgreSQL: UTC; SQLite: foreign keys) are
set when a connection is taken and set back to the host's when it is given
back, so the application's own statements on that connection mean what they
meant. On MySQL a unit of work started on the engine runs in ``READ COMMITTED``
and ``DATETIME`` values are read back as aware UTC times.

Example:
    >>> import sqlalchemy
    >>> from aftersales.testing.samples import sample_ticket
    >>> engine = sqlalchemy.create_engine("sqlite://")
    >>> store = SqlAlchemyStore(engine)
    >>> store.save(sample_ticket(), expected_version=0)
    >>> [ticket.id for ticket in store.find(TicketQuery())]
    ['T202405001']
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy
from sqlalchemy.engine import Connection, Engine

from aftersales.errors import (
    AftersalesError,
    InvalidData,
    SchemaUpgradeNeeded,
    StorageError,
    UnsupportedSchemaVersion,
)
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.storage._sql.store import SQLStore

__all__ = ["SqlAlchemyStore"]

#: The engines the store runs on: dialect name → (DB-API driver, module of the variant).
_VARIANTS = {
    "sqlite": ("pysqlite", "aftersales.storage.sqlalchemy.on_sqlite:SQLiteOnSqlAlchemy"),
    "postgresql": ("psycopg", "aftersales.storage.sqlalchemy.on_postgres:PostgresOnSqlAlchemy"),
    "mysql": ("pymysql", "aftersales.storage.sqlalchemy.on_mysql:MySQLOnSqlAlchemy"),
    "mariadb": ("pymysql", "aftersales.storage.sqlalchemy.on_mysql:MySQLOnSqlAlchemy"),
}
_ACCEPTED = "accepted: sqlite (pysqlite), postgresql+psycopg, mysql+pymysql or mariadb+pymysql"


def _variant(bind: object) -> type[SqlAlchemyStore]:
    import importlib

    if not isinstance(bind, Engine | Connection):
        raise InvalidData(
            f"bind: {type(bind).__name__} is not a SQLAlchemy Engine or Connection;"
            " accepted: sqlalchemy.Engine or sqlalchemy.Connection"
        )
    dialect = bind.dialect
    found = _VARIANTS.get(dialect.name)
    if found is None or found[0] != dialect.driver:
        raise InvalidData(
            f"bind: dialect {dialect.name}+{dialect.driver!s} is not supported; {_ACCEPTED}"
        )
    module, name = found[1].split(":")
    variant: type[SqlAlchemyStore] = getattr(importlib.import_module(module), name)
    return variant


class SqlAlchemyStore(SQLStore):
    """A :class:`~aftersales.storage.FullStore` on a SQLAlchemy ``Engine`` or ``Connection``.

    Args:
        bind: the application's ``Engine`` (the store takes connections from its
            pool) or a ``Connection`` (the store works on it, joining the host's
            transaction when one is open).
        upgrade: when true (the default), the schema is created or upgraded
            when the store opens (on MySQL, whose DDL commits at once, only
            through an ``Engine`` or a ``Connection`` outside a transaction);
            when false the store runs no DDL and refuses a database behind
            the library's schema with :class:`~aftersales.SchemaUpgradeNeeded`
            (for a host that migrates with Alembic or ``aftersales db upgrade``).

    Raises :class:`~aftersales.InvalidData` for another object
    or an unsupported dialect or driver,
    :class:`~aftersales.UnsupportedSchemaVersion` for a database written by a
    newer version of the library and :class:`~aftersales.StorageError` when the
    database cannot be reached. The URL never appears in a repr or an error.

    Example:
        >>> import sqlalchemy
        >>> from aftersales.model import Customer
        >>> engine = sqlalchemy.create_engine("sqlite://")
        >>> with engine.connect() as conn:
        ...     store = SqlAlchemyStore(conn)
        ...     with conn.begin() as host:
        ...         store.save_customer(Customer(id="C1", name="XX科技有限公司"))
        ...         host.rollback()
        ...     "C1" in store.find_customer_ids()
        False
    """

    def __new__(cls, bind: Engine | Connection, **options: Any) -> SqlAlchemyStore:
        chosen = _variant(bind) if cls is SqlAlchemyStore else cls
        return super().__new__(chosen)

    def __init__(
        self,
        bind: Engine | Connection,
        *,
        upgrade: bool = True,
        _target_version: int | None = None,
    ) -> None:
        super().__init__()
        if not isinstance(upgrade, bool):
            raise InvalidData(f"upgrade: {upgrade!r} is not a bool; accepted: True or False")
        self._bind(bind)
        version = self._open_schema(_target_version) if upgrade else self._checked_version()
        self._open_vocabulary(version)

    def _bind(self, bind: Engine | Connection) -> None:
        self._engine = bind if isinstance(bind, Engine) else None
        self._host = bind if isinstance(bind, Connection) else None
        self._host_lock = threading.RLock()
        self.where = f"{bind.dialect.name} database (SQLAlchemy)"

    @classmethod
    def _upgrade_on(cls, connection: Connection, target: int) -> int:
        """Apply the schema steps up to ``target`` on ``connection`` inside its transaction.

        What each Alembic revision runs (see
        :mod:`aftersales.storage.sqlalchemy.alembic_steps`): the steps the
        database lacks, recorded in ``aftersales_schema`` as when a store opens,
        and none when it has them. Returns the version reached.
        """
        variant = _variant(connection)
        steps: SqlAlchemyStore = variant.__new__(variant, connection)
        SQLStore.__init__(steps)
        steps._bind(connection)
        try:
            with steps._checked_out() as raw:
                cur = steps._cursor(raw)
                steps._join(raw, cur)
                return steps._steps_in_savepoint(cur, target)
        except AftersalesError:
            raise
        except Exception as error:
            translated = steps._translate(error)
            if translated is None:
                raise
            raise translated from error

    def _steps_in_savepoint(self, cur: Any, target: int) -> int:
        """The steps in a savepoint of the host's transaction, undone when one fails.

        The transaction stays usable (PostgreSQL refuses every statement in an
        aborted one), so the failing statement's error is the one reported and
        the host (Alembic) rolls back.
        """
        cur.execute("SAVEPOINT aftersales_steps")
        try:
            version = self._steps_locked(cur, target)
        except BaseException:
            cur.execute("ROLLBACK TO SAVEPOINT aftersales_steps")
            raise
        cur.execute("RELEASE SAVEPOINT aftersales_steps")
        return version

    def _steps_locked(self, cur: Any, target: int) -> int:
        """Apply the steps up to ``target`` under the dialect's migration lock."""
        return self._migrate(cur, self.migrations, target)

    def _checked_version(self) -> int:
        """The database's version, which must be the latest (the store may run no DDL)."""
        latest = self.migrations[-1].version
        with self._reading() as cur:
            version = self._recorded_version(cur)
        if version < latest:
            raise SchemaUpgradeNeeded(self.where, version, latest=latest)
        if version > latest:
            raise UnsupportedSchemaVersion(
                f"{self.where}: written by a newer aftersales", version, supported=range(latest + 1)
            )
        return version

    def __enter__(self) -> SqlAlchemyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        bind = "engine" if self._engine is not None else "connection"
        return f"SqlAlchemyStore(<{self.where.split()[0]} {bind}>)"

    def close(self) -> None:
        """Nothing to close: the engine and the connection are the application's.

        Example:
            >>> import sqlalchemy
            >>> SqlAlchemyStore(sqlalchemy.create_engine("sqlite://")).close()
        """

    # -- what a variant provides -------------------------------------------------------

    def _open_schema(self, target: int | None) -> int:
        """Create or upgrade the schema; the version reached."""
        with self._writing() as cur:
            return self._steps_locked(
                cur, self.migrations[-1].version if target is None else target
            )

    def _take(self, raw: Any) -> Any:
        """Put a checked-out connection in the store's settings; what to set back."""
        raise NotImplementedError

    def _give_back(self, raw: Any, previous: Any) -> None:
        """Set back the settings ``_take`` changed."""
        raise NotImplementedError

    def _start(self, cur: Any) -> None:
        """Begin a transaction of the store's own (the connection is in autocommit mode)."""
        cur.execute("BEGIN")

    def _join(self, raw: Any, cur: Any) -> None:
        """Make sure the host's transaction is open on the server before a savepoint."""

    def _cursor(self, raw: Any) -> Any:
        return raw.cursor()

    # -- connections -------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self._checked_out() as raw:
            self._local.conn = raw
            self._local.depth = 0
            try:
                yield raw
            finally:
                self._local.conn = None

    @contextmanager
    def _checked_out(self) -> Iterator[Any]:
        if self._host is None:
            assert self._engine is not None
            with self._engine.connect() as sa_conn:
                raw = sa_conn.connection.driver_connection
                previous = self._take(raw)
                try:
                    yield raw
                finally:
                    self._give_back(raw, previous)
            return
        with self._host_lock:
            raw = self._host.connection.driver_connection
            previous = self._take(raw)
            try:
                if self._host.in_transaction():
                    yield raw
                else:
                    with self._host.begin():
                        yield raw
            finally:
                self._give_back(raw, previous)

    @contextmanager
    def _begin(self, conn: Any) -> Iterator[Any]:
        cur = self._cursor(conn)
        depth = getattr(self._local, "depth", 0)
        self._local.depth = depth + 1
        try:
            if depth or self._host is not None:
                if not depth:
                    self._join(conn, cur)
                name = f"aftersales_s{depth}"
                cur.execute(f"SAVEPOINT {name}")
                try:
                    yield cur
                except BaseException:
                    cur.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    cur.execute(f"RELEASE SAVEPOINT {name}")
                    raise
                cur.execute(f"RELEASE SAVEPOINT {name}")
                return
            self._start(cur)
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
        finally:
            self._local.depth = depth

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """On a host's connection, plain reads (a transaction of our own would end the host's)."""
        if self._host is not None:
            with self._reading() as cur:
                yield cur
            return
        with super()._snapshot() as cur:
            yield cur

    def _read_page(self, query: TicketQuery, *, lazy: bool) -> list[Ticket]:
        if self._host is not None:
            return SQLStore._read_page(self, query, lazy=lazy)
        return super()._read_page(query, lazy=lazy)

    def _translate(self, error: Exception) -> Exception | None:
        if isinstance(error, sqlalchemy.exc.SQLAlchemyError):
            cause = getattr(error, "orig", None)  # the driver's error, without the statement
            shown = f": {cause}" if cause is not None else ""
            return StorageError(f"{self.where}: {type(error).__name__}{shown}")
        translated: Exception | None = super()._translate(error)
        return translated
