"""The test databases of the Django tests: set up by Django's test runner, reached by the helpers.

``setup(aliases)`` is what ``django_databases`` runs: Django's
``setup_databases`` (as ``manage.py test`` does), which creates ``test_*``
databases and runs every migration, the app's ``0001`` making the store's
tables. The helpers below run SQL outside the store, on a connection of
their own, as the other storage suites do.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote

from django.db import connections

#: Aliases whose tables a test changed by hand: made afresh before their next use.
changed: set[str] = set()
_SCHEMA_CHANGES = ("ALTER", "DROP", "CREATE", "RENAME", "TRUNCATE")
_NUMBERED = ("knowledge_uses", "vocabulary_terms", "vocabulary_aliases", "projection_keys")


def point_at_postgres(alias: str, dsn: str) -> None:
    """Fill in the alias's server from the test cluster's ``key=value`` DSN."""
    parts = dict(item.split("=", 1) for item in dsn.split())
    connections.settings[alias].update(
        HOST=parts["host"], PORT=parts.get("port", ""), USER=parts["user"]
    )


def point_at_mariadb(alias: str, url: str) -> None:
    """Fill in the alias's server from the test server's ``mysql://root@localhost/db?unix_socket=…``."""
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    socket = unquote(parse_qs(parts.query)["unix_socket"][0])
    connections.settings[alias].update(HOST=socket, USER=parts.username or "root")


def vendor(alias: str) -> str:
    return str(connections[alias].vendor)


def target(alias: str) -> str:
    """The test database of ``alias`` as the storage helpers name it (path, DSN or URL)."""
    found = connections.settings[alias]
    if vendor(alias) == "sqlite":
        return str(found["NAME"])
    if vendor(alias) == "postgresql":
        return (
            f"host={found['HOST']} port={found['PORT']} user={found['USER']} dbname={found['NAME']}"
        )
    socket = quote(str(found["HOST"]), safe="")
    return f"mysql://{found['USER']}@localhost/{found['NAME']}?unix_socket={socket}"


def execute(alias: str, sql: str, *params: Any) -> list[Any]:
    """Run ``sql`` (``?`` placeholders) on the alias's test database, outside Django and the store."""
    if sql.lstrip().upper().startswith(_SCHEMA_CHANGES):
        changed.add(alias)
    kind = vendor(alias)
    if kind == "mysql":
        from tests.storage.mariadb_stores import execute as on_mariadb

        return on_mariadb(target(alias), sql, *params)
    if kind == "postgresql":
        cur = _postgres(alias).execute(sql.replace("?", "%s"), params or None)
        return list(cur.fetchall()) if cur.description else []
    conn = sqlite3.connect(target(alias))
    try:
        with conn:
            return list(conn.execute(sql, params).fetchall())
    finally:
        conn.close()


_postgres_connections: dict[str, Any] = {}


def _postgres(alias: str) -> Any:
    """An autocommit connection to the alias's test database (kept for the session)."""
    import psycopg

    conn = _postgres_connections.get(alias)
    if conn is None or conn.closed:
        conn = _postgres_connections[alias] = psycopg.connect(target(alias), autocommit=True)
    return conn


def close_connections() -> None:
    """Close the helpers' connections (Django drops the test databases after)."""
    for conn in _postgres_connections.values():
        conn.close()
    _postgres_connections.clear()


def our_tables(alias: str) -> list[str]:
    """The store's tables (the schema's history first)."""
    from aftersales.contrib.django import DjangoStore

    variant = DjangoStore.__new__(DjangoStore, alias)
    return ["aftersales_schema", *sorted(variant._tables_of(variant.migrations))]


def empty(alias: str) -> None:
    """Delete every row of the store's tables but the schema's history; the feed counter to 0.

    Only the tables holding rows are emptied, and only the numbering that moved
    is set back to 1 (as a new database numbers rows): a few statements per store.
    """
    tables = [t for t in our_tables(alias) if t not in ("aftersales_schema", "event_feed_head")]
    probe = ", ".join(f'(SELECT 1 FROM "{name}" LIMIT 1)' for name in tables)
    [found] = execute(alias, f"SELECT {probe}")
    full = [name for name, row in zip(tables, found, strict=True) if row is not None]
    deletes = [f'DELETE FROM "{name}"' for name in full]
    kind = vendor(alias)
    if kind == "postgresql":
        moved = execute(
            alias,
            "SELECT s.relname FROM pg_class AS s JOIN pg_sequences AS q ON q.sequencename ="
            " s.relname WHERE s.relkind = 'S' AND q.schemaname = current_schema()"
            " AND q.last_value IS NOT NULL",
        )
        restarts = [f'ALTER SEQUENCE "{name}" RESTART' for (name,) in moved]
        _run_all(alias, ["SET LOCAL session_replication_role = replica", *deletes, *restarts])
    elif kind == "mysql":
        numbered = ", ".join(f"'{name}'" for name in _NUMBERED)
        moved = execute(
            alias,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
            f" AND table_name IN ({numbered}) AND auto_increment > 1",
        )
        restarts = [f"ALTER TABLE {name} AUTO_INCREMENT = 1" for (name,) in moved]
        _run_all(alias, ["SET FOREIGN_KEY_CHECKS = 0", *deletes, "SET FOREIGN_KEY_CHECKS = 1"])
        _run_all(alias, restarts)
    else:
        _run_all(alias, [*deletes, "DELETE FROM sqlite_sequence"])
    execute(alias, "UPDATE event_feed_head SET position = 0")


def _run_all(alias: str, statements: list[str]) -> None:
    """The statements on one connection of its own (session settings hold for the next ones)."""
    if not statements:
        return
    if vendor(alias) == "mysql":
        from tests.storage.mariadb_stores import connection

        with connection(target(alias)).cursor() as cur:
            for statement in statements:
                cur.execute(statement)
        return
    if vendor(alias) == "postgresql":
        conn = _postgres(alias)
        with conn.transaction():
            for statement in statements:
                conn.execute(statement)
        return
    conn = sqlite3.connect(target(alias), isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
        conn.execute("BEGIN")
        for statement in statements:
            conn.execute(statement)
        conn.execute("COMMIT")
    finally:
        conn.close()


def reset_unless_current(alias: str) -> None:
    """Drop the store's tables and make them again through a store, when a test changed them."""
    if alias not in changed:
        return
    kind = vendor(alias)
    present = {
        name
        for (name,) in execute(
            alias,
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            if kind == "sqlite"
            else "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            + (" DATABASE()" if kind == "mysql" else " current_schema()"),
        )
    }
    ours = [name for name in present if not name.startswith(("django_", "auth_", "sqlite_"))]
    if kind == "postgresql":
        statements = [f'DROP TABLE IF EXISTS "{name}" CASCADE' for name in ours]
        for statement in statements:
            execute(alias, statement)
    elif kind == "mysql":
        drops = [f'DROP TABLE IF EXISTS "{name}"' for name in ours]
        _run_all(alias, ["SET FOREIGN_KEY_CHECKS = 0", *drops, "SET FOREIGN_KEY_CHECKS = 1"])
    else:
        drops = [f'DROP TABLE IF EXISTS "{name}"' for name in ours]
        _run_all(alias, drops)
    from aftersales.contrib.django import DjangoStore

    DjangoStore(alias).close()
    changed.discard(alias)
