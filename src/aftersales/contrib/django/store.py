"""The store on Django's database connection: our writes join the caller's ``transaction.atomic``.

:class:`DjangoStore` runs the same SQL as the other SQL stores, in the
dialect of the alias's backend (``connection.vendor``: ``sqlite``,
``postgresql`` with psycopg 3, ``mysql`` with PyMySQL installed as
``MySQLdb``), on the DB-API connection beneath Django's
(``connections[using].connection``, one per thread as Django keeps them):

* each unit of work is a ``transaction.atomic(using=...)`` block: outside a
  caller's block it is a transaction of its own, committed at its end; inside
  one it is a savepoint, so the caller's rollback undoes it, its commit keeps
  it, its ``transaction.on_commit`` hooks fire as usual, and a refused save
  undoes only its own savepoint;
* the store's session settings (MySQL: UTC, ``utf8mb4_bin``, ``ANSI_QUOTES``,
  ``PIPES_AS_CONCAT``, strict modes, and ``READ COMMITTED`` for its own
  transactions; PostgreSQL: UTC) are set when it takes the connection and
  set back to the application's when it gives it back; on PostgreSQL its
  cursors read JSON and times with psycopg's own loaders, not Django's.

Statements go to the driver's cursor, not Django's ``CursorWrapper``: they
are not in ``connection.queries`` and ``execute_wrapper`` does not see them.

Example (the app's settings are needed, so it is shown, not run; see ``docs/django.md``)::

    from django.db import transaction
    from aftersales.contrib.django import DjangoStore

    store = DjangoStore()                      # the "default" alias
    with transaction.atomic():
        store.save(ticket, expected_version=0)  # a savepoint of this block
        Order.objects.filter(pk=order_id).update(has_ticket=True)
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db import Error as DjangoDatabaseError

from aftersales.errors import AftersalesError, InvalidData, StorageError
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.storage._sql.store import SQLStore

__all__ = ["DjangoStore"]

#: The backends the store runs on: ``connection.vendor`` → the variant.
_VARIANTS = {
    "sqlite": "aftersales.contrib.django.on_sqlite:SQLiteOnDjango",
    "postgresql": "aftersales.contrib.django.on_postgres:PostgresOnDjango",
    "mysql": "aftersales.contrib.django.on_mysql:MySQLOnDjango",
}
_ACCEPTED = "accepted: sqlite, postgresql (psycopg 3) or mysql (PyMySQL as MySQLdb)"


def _variant(using: object) -> type[DjangoStore]:
    if not isinstance(using, str) or using not in connections.settings:
        aliases = ", ".join(repr(alias) for alias in connections.settings)
        raise InvalidData(
            f"using: {using!r} is not a database alias of settings.DATABASES; accepted: {aliases}"
        )
    vendor = connections[using].vendor
    found = _VARIANTS.get(vendor)
    if found is None:
        raise InvalidData(f"using: {using!r} is a {vendor} database; {_ACCEPTED}")
    module, name = found.split(":")
    variant: type[DjangoStore] = getattr(importlib.import_module(module), name)
    variant.check_driver(using)
    return variant


class DjangoStore(SQLStore):
    """A :class:`~aftersales.storage.FullStore` on the Django database ``using``.

    Args:
        using: an alias of ``settings.DATABASES`` (``"default"`` unless given).
        upgrade: when true (the default), the schema is created or upgraded
            when the store opens, as ``manage.py migrate`` does (the app's
            migration opens a store); on MySQL, whose DDL commits at once,
            only outside an atomic block (inside one a schema that is not the
            latest raises :class:`~aftersales.StorageError`). When false the
            store runs no DDL and refuses a database behind the library's
            schema with :class:`~aftersales.SchemaUpgradeNeeded` (web workers
            of a project that runs ``migrate`` when it deploys).

    Raises :class:`~aftersales.InvalidData`
    for an unknown alias or an unsupported backend or driver,
    :class:`~aftersales.UnsupportedSchemaVersion` for a database written by a
    newer version of the library and :class:`~aftersales.StorageError` when
    the database cannot be reached. The settings' password never appears in a
    repr or an error.

    Example (needs Django settings; ``tests/contrib_django`` runs it)::

        store = DjangoStore("default")
        repr(store)
        # → "DjangoStore(using='default')"
    """

    upgrade_remedy: ClassVar[str | None] = "`manage.py migrate`"

    def __new__(cls, using: str = DEFAULT_DB_ALIAS, **options: Any) -> DjangoStore:
        chosen = _variant(using) if cls is DjangoStore else cls
        return super().__new__(chosen)

    def __init__(
        self,
        using: str = DEFAULT_DB_ALIAS,
        *,
        upgrade: bool = True,
        _target_version: int | None = None,
    ) -> None:
        super().__init__()
        if not isinstance(upgrade, bool):
            raise InvalidData(f"upgrade: {upgrade!r} is not a bool; accepted: True or False")
        self.using = using
        self.where = f"{connections[using].vendor} database {using!r} (Django)"
        version = self._open_schema(_target_version) if upgrade else self._checked_version()
        self._open_vocabulary(version)

    def __enter__(self) -> DjangoStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DjangoStore(using={self.using!r})"

    def close(self) -> None:
        """Nothing to close: the connections are Django's (closed at the end of each request)."""

    # -- what a variant provides -------------------------------------------------------

    @classmethod
    def check_driver(cls, using: str) -> None:
        """Raise :class:`~aftersales.InvalidData` when the alias's driver is not the one supported."""

    def _open_schema(self, target: int | None) -> int:
        """Create or upgrade the schema; the version reached."""
        with self._writing() as cur:
            return self._migrate(cur, self.migrations, target)

    def _take(self, raw: Any, *, own: bool) -> Any:
        """Put the connection in the store's settings (``own``: no atomic block is open); what to set back."""
        return None

    def _give_back(self, raw: Any, previous: Any) -> None:
        """Set back the settings ``_take`` changed."""

    def _cursor(self, raw: Any) -> Any:
        return raw.cursor()

    # -- connections -------------------------------------------------------------------

    def in_atomic_block(self) -> bool:
        """Whether this thread's connection for the alias is inside ``transaction.atomic``.

        Then the store's writes are savepoints of the caller's transaction.
        """
        return bool(connections[self.using].in_atomic_block)

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        wrapper = connections[self.using]
        wrapper.ensure_connection()
        raw = wrapper.connection
        previous = self._take(raw, own=not wrapper.in_atomic_block)
        self._local.conn = raw
        try:
            yield raw
        finally:
            self._local.conn = None
            self._give_back(raw, previous)

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        try:
            with self._connect() as conn:
                yield self._cursor(conn)
        except AftersalesError:
            raise
        except Exception as error:
            translated = self._translate(error)
            if translated is None:
                raise
            raise translated from error

    @contextmanager
    def _begin(self, conn: Any) -> Iterator[Any]:
        with transaction.atomic(using=self.using):
            yield self._cursor(conn)

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """Inside an atomic block, plain reads (a transaction of our own would end the caller's)."""
        if self.in_atomic_block():
            with self._reading() as cur:
                yield cur
            return
        with super()._snapshot() as cur:
            yield cur

    def _read_page(self, query: TicketQuery, *, lazy: bool) -> list[Ticket]:
        if self.in_atomic_block():
            return SQLStore._read_page(self, query, lazy=lazy)
        return super()._read_page(query, lazy=lazy)

    def _translate(self, error: Exception) -> Exception | None:
        if isinstance(error, DjangoDatabaseError):
            cause = error.__cause__  # the driver's error
            shown = f": {cause}" if cause is not None else f": {error}"
            return StorageError(f"{self.where}: {type(error).__name__}{shown}")
        translated: Exception | None = super()._translate(error)
        return translated
