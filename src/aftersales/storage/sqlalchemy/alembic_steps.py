"""The library's schema steps as an Alembic branch: what each revision runs, and the environment.

The folder ``aftersales/storage/sqlalchemy/alembic`` is an Alembic script
directory: ``env.py`` (which calls :func:`run_environment`),
``script.py.mako`` and ``versions/`` with one revision per schema step of
:data:`~aftersales.storage._sql.schema.STEPS`, ``aftersales_0001`` …, on the
branch labelled ``aftersales``. Each revision calls :func:`apply_step`: through
the dialect of Alembic's connection it applies the steps up to its own that
the database lacks and records them in ``aftersales_schema`` exactly as a
store does when it opens, or does nothing when the table already records
them. So a database a store upgraded itself is adopted without
``alembic stamp``, and a host that runs Alembic for its own tables adds
:data:`VERSIONS_LOCATION` to its ``version_locations`` and runs
``alembic upgrade heads`` (or ``aftersales@head``).

The steps are forward-only: a revision's ``downgrade`` raises
:class:`~aftersales.StorageError` (:func:`refuse_downgrade`).

Example:
    >>> revision_id(4), BRANCH
    ('aftersales_0004', 'aftersales')
    >>> version_of("aftersales_0018"), version_of("3f2a9c1d")
    (18, None)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final, NoReturn

from aftersales.errors import StorageError

__all__ = [
    "BRANCH",
    "SCRIPT_LOCATION",
    "VERSIONS_LOCATION",
    "VERSION_TABLE",
    "apply_step",
    "refuse_downgrade",
    "revision_id",
    "run_environment",
    "version_of",
]

#: The Alembic branch label of the library's revisions: ``alembic upgrade aftersales@head``.
BRANCH: Final = "aftersales"
#: The folder of the library's Alembic environment (``script_location``).
SCRIPT_LOCATION: Final = str(Path(__file__).with_name("alembic"))
#: The folder of its revisions, for a host's ``version_locations``.
VERSIONS_LOCATION: Final = str(Path(SCRIPT_LOCATION) / "versions")
#: The table in which ``aftersales db`` (this environment) records its Alembic
#: revision, apart from a host's ``alembic_version``.
VERSION_TABLE: Final = "aftersales_alembic_version"

_REVISION = re.compile(r"aftersales_([0-9]{4})")


def revision_id(version: int) -> str:
    """The Alembic revision of schema step ``version``.

    Example:
        >>> revision_id(12)
        'aftersales_0012'
    """
    return f"{BRANCH}_{version:04d}"


def version_of(revision: str) -> int | None:
    """The schema step of an Alembic revision of the library's branch, or ``None`` for another.

    Example:
        >>> version_of("aftersales_0007"), version_of("aftersales_7")
        (7, None)
    """
    found = _REVISION.fullmatch(revision)
    return None if found is None else int(found.group(1))


def apply_step(version: int) -> None:
    """What the revision of step ``version`` runs: the missing steps up to it, on Alembic's bind.

    Raises :class:`~aftersales.StorageError` in Alembic's offline (``--sql``)
    mode: whether a step is applied depends on what the database records.

    Example (inside a revision's ``upgrade()``, so shown, not run)::

        def upgrade() -> None:
            apply_step(4)
    """
    from alembic import op

    from aftersales.storage.sqlalchemy.store import SqlAlchemyStore

    if op.get_context().as_sql:
        raise StorageError(
            f"aftersales schema step {version}: offline (--sql) mode is not supported, since a"
            " step is applied only when the database does not record it; accepted: a database"
            " connection (`alembic upgrade` without --sql, or `aftersales db upgrade --url URL`)"
        )
    SqlAlchemyStore._upgrade_on(op.get_bind(), version)


def refuse_downgrade(version: int) -> NoReturn:
    """What the revision of step ``version`` runs on ``alembic downgrade``: a refusal.

    Example:
        >>> refuse_downgrade(5)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        aftersales.errors.StorageError: aftersales schema step 5 cannot be undone: ...
    """
    raise StorageError(
        f"aftersales schema step {version} cannot be undone: the library's schema steps are"
        " forward-only (a step may drop or rewrite data); accepted: restore the backup taken"
        " before the upgrade"
    )


def run_environment(context: Any) -> None:
    """Run the migrations Alembic asks for, from ``env.py`` of :data:`SCRIPT_LOCATION`.

    The connection is ``config.attributes["connection"]`` (how
    :func:`~aftersales.storage.sqlalchemy.upgrade` runs it) or one made from
    ``sqlalchemy.url`` (the ``alembic`` command with ``script_location =
    aftersales.storage.sqlalchemy:alembic``). The revision is recorded in
    :data:`VERSION_TABLE`, each step in a transaction of its own (a real one
    on SQLite and PostgreSQL; MySQL commits each DDL statement at once).

    Example (Alembic runs it, so shown, not run)::

        from alembic import context
        run_environment(context)
    """
    import sqlalchemy

    config = context.config
    if context.is_offline_mode():
        raise StorageError(
            "aftersales migrations: offline (--sql) mode is not supported; accepted: a database"
            " connection"
        )
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(context, connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise StorageError(
            "aftersales migrations: no database; accepted: sqlalchemy.url in the Alembic"
            " configuration, or `aftersales db upgrade --url URL`"
        )
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    try:
        with engine.connect() as connection:
            _run_on(context, connection)
    finally:
        engine.dispose()


def _run_on(context: Any, connection: Any) -> None:
    context.configure(
        connection=connection,
        version_table=VERSION_TABLE,
        transaction_per_migration=True,
        transactional_ddl=connection.dialect.name in ("sqlite", "postgresql"),
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.in_transaction():
        connection.commit()
