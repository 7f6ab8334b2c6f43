"""PyMySQL connections for :class:`~aftersales.storage.mysql.MySQLStore`: their settings and a pool.

Private to the MySQL adapter. :func:`connect_arguments` reads a
``mysql://`` URL; every connection then runs in ``utf8mb4`` with the
binary collation, in UTC, in ``READ COMMITTED``, with ``FOUND_ROWS`` and the
SQL modes the shared SQL needs (:data:`SESSION_SETTINGS`), and converts
times both ways: an aware ``datetime`` (or a pendulum one) is written as
its UTC wall-clock time, and a ``DATETIME`` is read back as an aware UTC
``datetime``, as psycopg reads a ``timestamptz``.

Example:
    >>> arguments = connect_arguments("mysql://app:s3cret@db.internal:3307/desk", 5.0)
    >>> arguments["host"], arguments["port"], arguments["database"], arguments["user"]
    ('db.internal', 3307, 'desk', 'app')
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, Final
from urllib.parse import parse_qs, unquote, urlsplit

import pymysql
import pymysql.converters
from pymysql.constants import CLIENT, FIELD_TYPE, SERVER_STATUS

from aftersales.errors import InvalidData, StorageError

__all__ = ["SESSION_SETTINGS", "ConnectionPool", "connect_arguments"]

#: What each connection sets when it opens.
SESSION_SETTINGS: Final = (
    "SET SESSION sql_mode = 'ANSI_QUOTES,PIPES_AS_CONCAT,STRICT_ALL_TABLES,NO_ZERO_DATE,"
    "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
    "SET SESSION time_zone = '+00:00'",
    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
    "SET SESSION group_concat_max_len = 1073741824",
)


def _utc_literal(value: datetime, mapping: Any = None) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    plain = datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )
    return str(pymysql.converters.escape_datetime(plain, mapping))


def _date_literal(value: date, mapping: Any = None) -> str:
    return str(pymysql.converters.escape_date(date(value.year, value.month, value.day), mapping))


def _aware(text: Any) -> Any:
    found = pymysql.converters.convert_datetime(text)
    return found.replace(tzinfo=UTC) if isinstance(found, datetime) else found


def _conversions() -> dict[Any, Any]:
    import pendulum

    conversions = dict(pymysql.converters.conversions)
    conversions[datetime] = _utc_literal
    conversions[pendulum.DateTime] = _utc_literal
    conversions[pendulum.Date] = _date_literal
    conversions[FIELD_TYPE.DATETIME] = _aware
    return conversions


def connect_arguments(url: str, timeout: float) -> dict[str, Any]:
    """The ``pymysql.connect`` arguments of a ``mysql://`` URL (``mysql+pymysql://`` too).

    Raises :class:`~aftersales.InvalidData` for another scheme or a URL without
    a database; the message never shows the password.

    Example:
        >>> connect_arguments("postgresql://x/y", 1.0)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: url: 'postgresql://…' is not a MySQL URL; accepted: mysql://user:password@host:port/database
    """
    accepted = "accepted: mysql://user:password@host:port/database"
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("mysql", "mysql+pymysql", "mariadb"):
        shown = f"'{parts.scheme}://…'" if parts is not None else type(url).__name__
        raise InvalidData(f"url: {shown} is not a MySQL URL; {accepted}")
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise InvalidData(f"url: names no database; {accepted}")
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    arguments: dict[str, Any] = {
        "host": parts.hostname or "localhost",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "database": database,
        "charset": "utf8mb4",
        "collation": "utf8mb4_bin",
        "autocommit": True,
        "client_flag": CLIENT.FOUND_ROWS,
        "connect_timeout": max(1, int(timeout)),
        "conv": _conversions(),
    }
    if "unix_socket" in options:
        arguments["unix_socket"] = options["unix_socket"]
    return arguments


class ConnectionPool:
    """At most ``max_size`` open connections, kept for reuse; a caller waits up to ``timeout``.

    Example (needs a running server, so it is shown, not run)::

        pool = ConnectionPool(connect_arguments(url, 5.0), max_size=4, timeout=5.0)
        with pool.connection() as conn:
            conn.ping()
    """

    def __init__(self, arguments: dict[str, Any], *, max_size: int, timeout: float) -> None:
        self._arguments = arguments
        self.max_size = max_size
        self._timeout = timeout
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(max_size)
        self._closed = False
        self._where = f"MySQL database {arguments['database']!r}"

    def _open(self) -> Any:
        conn = pymysql.connect(**self._arguments)
        try:
            with conn.cursor() as cur:
                for setting in SESSION_SETTINGS:
                    cur.execute(setting)
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A connection for the ``with`` block (opened when none is idle); returned after."""
        if self._closed:
            raise StorageError(f"{self._where}: the store is closed")
        if not self._slots.acquire(timeout=self._timeout):
            raise StorageError(
                f"{self._where}: no free connection within {self._timeout} s"
                f" (all {self.max_size} in use)"
            )
        conn: Any = None
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._open()
            yield conn
        finally:
            if conn is not None:
                if self._closed or not _reusable(conn):
                    _discard(conn)
                else:
                    self._idle.put(conn)
            self._slots.release()

    def close(self) -> None:
        """Close the idle connections; those in use are closed when given back."""
        self._closed = True
        while True:
            try:
                _discard(self._idle.get_nowait())
            except queue.Empty:
                return


def _reusable(conn: Any) -> bool:
    """Open, in autocommit mode and in no transaction (a broken one is not handed out again)."""
    return bool(
        conn.open
        and conn.get_autocommit()
        and not conn.server_status & SERVER_STATUS.SERVER_STATUS_IN_TRANS
    )


def _discard(conn: Any) -> None:
    with contextlib.suppress(pymysql.Error):
        conn.close()
