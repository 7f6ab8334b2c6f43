"""The MariaDB side of the storage tests: one ``MySQLStore`` per test on the session's server.

``SharedMariaDBStores`` is mixed into a contract class as ``SharedPostgresStores``
is: the store is opened once per test and every table is emptied (and the
feed counter set back to 0) before each store is handed out. The schema is
made once and kept from test to test (``reset_unless_current``) unless a test
changed it by hand; ``reset`` drops every table, for tests that start from an
empty database.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pymysql = pytest.importorskip("pymysql", reason="MariaDB tests need the 'mysql' extra")

from aftersales.storage.mysql import MySQLStore  # noqa: E402
from aftersales.storage.mysql.connections import connect_arguments  # noqa: E402

_connections: dict[str, Any] = {}
#: The databases whose tables a test changed by hand (``ALTER``, ``DROP``…): reset before reuse.
_changed: set[str] = set()
#: The tables whose rows are numbered by ``AUTO_INCREMENT``.
_NUMBERED = ("knowledge_uses", "vocabulary_terms", "vocabulary_aliases", "projection_keys")
_SCHEMA_CHANGES = ("ALTER", "DROP", "CREATE", "RENAME", "TRUNCATE")


def connection(url: str) -> Any:
    """An autocommit connection to the test database (one per URL, kept for the session).

    Not strict, as an operator's session may be: a wrong value is kept (converted), not refused.
    """
    conn = _connections.get(url)
    if conn is None or not conn.open:
        arguments = connect_arguments(url, 10.0)
        arguments.pop("conv")
        conn = _connections[url] = pymysql.connect(**arguments)
        with conn.cursor() as cur:
            cur.execute("SET SESSION sql_mode = 'ANSI_QUOTES'")
    return conn


def execute(url: str, sql: str, *params: Any) -> list[Any]:
    """Run ``sql`` (``?`` placeholders) outside any store; the rows it returns."""
    if sql.lstrip().upper().startswith(_SCHEMA_CHANGES):
        _changed.add(url)
    with connection(url).cursor() as cur:
        if params:
            cur.execute(sql.replace("?", "%s"), params)
        else:
            cur.execute(sql)
        return list(cur.fetchall())


def _tables(url: str) -> list[str]:
    rows = execute(
        url, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
    )
    return [str(name) for (name,) in rows]


def reset(url: str) -> None:
    """Drop every table of the test database (the database is then as new: not changed by hand)."""
    tables = _tables(url)
    if tables:
        execute(url, "SET FOREIGN_KEY_CHECKS = 0")
        try:
            execute(url, "DROP TABLE " + ", ".join(f'"{name}"' for name in tables))
        finally:
            execute(url, "SET FOREIGN_KEY_CHECKS = 1")
    _changed.discard(url)


def reset_unless_current(url: str) -> None:
    """Make the current schema afresh unless the database holds it, unchanged by hand."""
    expected = {"aftersales_schema", *MySQLStore._tables_of(MySQLStore.migrations)}
    if url not in _changed and set(_tables(url)) == expected:
        [(version,)] = execute(url, "SELECT max(version) FROM aftersales_schema")
        if version == MySQLStore.migrations[-1].version:
            return
    reset(url)
    MySQLStore(url, max_size=1).close()


def empty(url: str) -> None:
    """Delete every row but the schema's history; the feed counter back to 0.

    Only the tables holding rows are emptied, and only the numbering that moved
    is set back to 1 (as a new database numbers rows): a few statements per store.
    """
    tables = [name for name in _tables(url) if name not in ("aftersales_schema", "event_feed_head")]
    probe = ", ".join(f'(SELECT 1 FROM "{name}" LIMIT 1)' for name in tables)
    [found] = execute(url, f"SELECT {probe}")
    full = [name for name, row in zip(tables, found, strict=True) if row is not None]
    numbered = ", ".join(f"'{name}'" for name in _NUMBERED)
    moved = execute(
        url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
        f" AND table_name IN ({numbered}) AND auto_increment > 1",
    )
    execute(url, "SET FOREIGN_KEY_CHECKS = 0")
    try:
        for name in full:
            execute(url, f'DELETE FROM "{name}"')
        for (name,) in moved:  # numbered from 1 again, as a new database numbers them
            with connection(url).cursor() as cur:
                cur.execute(f"ALTER TABLE {name} AUTO_INCREMENT = 1")
        execute(url, "UPDATE event_feed_head SET position = 0")
    finally:
        execute(url, "SET FOREIGN_KEY_CHECKS = 1")


class SharedMariaDBStores:
    """One ``MySQLStore`` per test on the test server, emptied for every store made."""

    @pytest.fixture(autouse=True)
    def _server(self, mariadb_url: str) -> Iterator[None]:
        reset_unless_current(mariadb_url)
        self.url = mariadb_url
        self._shared: Any = None
        yield
        if self._shared is not None:
            self._shared.close()

    def make_store(self) -> Any:
        if self._shared is None:
            self._shared = MySQLStore(self.url, max_size=4)
        empty(self.url)
        self._shared.vocabulary.refresh()
        return self._shared

    def dispose_store(self, store: Any) -> None:
        """The store is kept for the next one of the test; closed when the test ends."""
