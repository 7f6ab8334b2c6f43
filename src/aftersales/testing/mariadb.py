"""A throwaway MariaDB (or MySQL) server for tests and benchmarks.

:func:`temporary_server` initialises a data directory in a temporary
directory (``mariadb-install-db``, or ``mysql_install_db``), starts
``mariadbd`` (or ``mysqld``) on a unix socket in that directory with
networking off, creates a database in ``utf8mb4`` and yields its URL; on exit
the server is stopped and the directory removed. The server never runs as
root: under root it runs as the OS user ``mysql`` (or ``aftersales-db``,
created when neither exists), as the PostgreSQL fixture of
:mod:`aftersales.testing.postgres` does.

The binaries are looked up in ``$AFTERSALES_MARIADB_BINDIR``, then on the
``PATH`` and in ``/usr/sbin`` and ``/usr/bin``. :class:`MariaDBUnavailable`
says why no server could be started.

Example (needs the MariaDB server binaries, so it is shown, not run)::

    with temporary_server() as url:
        store = MySQLStore(url)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from aftersales.testing.server_user import as_user, server_user

__all__ = ["MariaDBUnavailable", "find_server", "temporary_server"]

_SEARCHED = ("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")


class MariaDBUnavailable(RuntimeError):
    """No MariaDB/MySQL server can be started here; the message says why.

    Example:
        >>> str(MariaDBUnavailable("mariadbd not found"))
        'mariadbd not found'
    """


def _which(names: tuple[str, ...]) -> Path | None:
    places = [os.environ.get("AFTERSALES_MARIADB_BINDIR", ""), *_SEARCHED]
    for name in names:
        for place in places:
            if place and (Path(place) / name).exists():
                return Path(place) / name
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def find_server() -> tuple[Path, Path]:
    """The server binary and the data directory initialiser.

    Example (needs the MariaDB server binaries, so it is shown, not run)::

        find_server()
        # → (PosixPath('/usr/sbin/mariadbd'), PosixPath('/usr/bin/mariadb-install-db'))
    """
    server = _which(("mariadbd", "mysqld"))
    installer = _which(("mariadb-install-db", "mysql_install_db"))
    if server is None or installer is None:
        raise MariaDBUnavailable(
            "mariadbd/mysqld or mariadb-install-db not found (looked in"
            " $AFTERSALES_MARIADB_BINDIR, /usr/sbin, /usr/bin, PATH); install the server,"
            " e.g. apt-get install mariadb-server"
        )
    return server, installer


def _options(base: Path, *, durable: bool) -> list[str]:
    """The server's options: everything in ``base``, no network, ``utf8mb4`` with a binary collation."""
    return [
        "--no-defaults",
        f"--datadir={base / 'data'}",
        f"--socket={base / 'mysqld.sock'}",
        f"--pid-file={base / 'mysqld.pid'}",
        f"--log-error={base / 'server.log'}",
        f"--tmpdir={base}",
        "--skip-networking",
        "--character-set-server=utf8mb4",
        "--collation-server=utf8mb4_bin",
        "--default-time-zone=+00:00",
        "--transaction-isolation=READ-COMMITTED",
        "--max-connections=100",
        "--innodb-buffer-pool-size=128M",
        "--innodb-log-file-size=64M",
        f"--innodb-flush-log-at-trx-commit={1 if durable else 2}",
        f"--innodb-doublewrite={1 if durable else 0}",
        "--skip-log-bin",
    ]


@contextmanager
def temporary_server(*, durable: bool = False, database: str = "aftersales") -> Iterator[str]:
    """Start a throwaway server; yield the URL of a new ``utf8mb4`` database on it.

    ``durable=False`` (the default) does not flush the log at every commit,
    which suits tests (a killed client still loses nothing the server
    acknowledged); benchmarks pass ``durable=True``. The URL is the form
    :class:`~aftersales.storage.mysql.MySQLStore` takes.

    Example (needs the MariaDB server binaries, so it is shown, not run)::

        with temporary_server() as url:
            print(url)
        # → mysql://root@localhost/aftersales?unix_socket=%2Ftmp%2Faftersales-db-x1%2Fmysqld.sock
    """
    import pymysql

    server, installer = find_server()
    user = server_user(("mysql", "aftersales-db"), MariaDBUnavailable, "MariaDB")
    base = Path(tempfile.mkdtemp(prefix="aftersales-db-"))
    socket_path = base / "mysqld.sock"
    process: subprocess.Popen[bytes] | None = None
    try:
        if user is not None:
            os.chown(base, user.pw_uid, user.pw_gid)
        setup = [
            str(installer),
            "--no-defaults",
            f"--datadir={base / 'data'}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ]
        if user is not None:
            setup.append(f"--user={user.pw_name}")
        try:
            subprocess.run(
                as_user(setup, user), check=True, capture_output=True, text=True, timeout=180
            )
        except subprocess.CalledProcessError as error:
            raise MariaDBUnavailable(
                f"{installer.name} failed ({error.returncode}):"
                f" {(error.stderr or error.stdout).strip()[-2000:]}"
            ) from None
        except (OSError, subprocess.TimeoutExpired) as error:
            raise MariaDBUnavailable(f"{installer.name}: {error}") from None
        try:
            process = subprocess.Popen(
                as_user([str(server), *_options(base, durable=durable)], user),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            raise MariaDBUnavailable(f"{server.name}: {error}") from None
        admin = None
        deadline = time.monotonic() + 60
        while admin is None:
            try:
                admin = pymysql.connect(unix_socket=str(socket_path), user="root", autocommit=True)
            except pymysql.err.OperationalError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (base / "server.log").read_text(errors="replace")[-2000:]
                    raise MariaDBUnavailable(f"{server.name} did not start; log:\n{log}") from None
                time.sleep(0.1)
        with admin, admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        yield f"mysql://root@localhost/{database}?unix_socket={quote(str(socket_path), safe='')}"
    finally:
        if process is not None:
            _stop(process, base / "mysqld.pid")
        shutil.rmtree(base, ignore_errors=True)


def _stop(process: subprocess.Popen[bytes], pid_file: Path) -> None:
    """Stop the server: SIGTERM (a clean shutdown), SIGKILL if it takes over 30 seconds.

    The signal goes to the server's own process (its pid file), not to
    ``runuser`` in front of it.
    """
    try:
        server_pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        server_pid = process.pid
    for signal_number, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 30)):
        try:
            os.kill(server_pid, signal_number)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
    process.wait(timeout=30)
