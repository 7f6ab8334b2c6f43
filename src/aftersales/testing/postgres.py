"""A throwaway PostgreSQL cluster for tests and benchmarks.

:func:`temporary_cluster` runs ``initdb`` and ``pg_ctl start`` in a temporary
directory, on a free loopback port with its unix socket in that directory,
creates a database and yields its DSN; on exit the server is stopped and the
directory removed. PostgreSQL refuses to run as root, so under root the
cluster runs as the OS user ``postgres`` (or ``aftersales-pg``, created when
neither exists) through ``runuser``.

The server binaries are looked up in ``$AFTERSALES_PG_BINDIR``, then
``/usr/lib/postgresql/<newest>/bin``, then ``pg_config --bindir``, then the
``PATH``. :class:`PostgresUnavailable` says why no server could be started.

Example (needs a running PostgreSQL server, so it is shown, not run)::

    with temporary_cluster() as dsn:
        store = PostgresStore(dsn)
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aftersales.testing.server_user import as_user, server_user

__all__ = ["PostgresUnavailable", "find_bindir", "temporary_cluster"]


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why.

    Example:
        >>> str(PostgresUnavailable("initdb not found"))
        'initdb not found'
    """


def find_bindir() -> Path:
    """The directory of ``initdb`` and ``pg_ctl``.

    Example (needs a running PostgreSQL server, so it is shown, not run)::

        find_bindir()
        # → PosixPath('/usr/lib/postgresql/15/bin')
    """
    candidates: list[str] = []
    if os.environ.get("AFTERSALES_PG_BINDIR"):
        candidates.append(os.environ["AFTERSALES_PG_BINDIR"])
    found = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(found, key=lambda p: int(Path(p).parent.name or 0), reverse=True)
    if shutil.which("pg_config"):
        result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(result.stdout.strip())
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for candidate in candidates:
        if (
            candidate
            and (Path(candidate) / "initdb").exists()
            and (Path(candidate) / "pg_ctl").exists()
        ):
            return Path(candidate)
    raise PostgresUnavailable(
        "initdb/pg_ctl not found (looked in $AFTERSALES_PG_BINDIR, /usr/lib/postgresql/*/bin,"
        " pg_config --bindir, PATH); install the PostgreSQL server, e.g. apt-get install postgresql"
    )


def _run(command: list[str], user: pwd.struct_passwd | None) -> None:
    command = as_user(command, user)
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)
    except subprocess.CalledProcessError as error:
        raise PostgresUnavailable(
            f"{' '.join(command)} failed ({error.returncode}): {error.stderr.strip() or error.stdout.strip()}"
        ) from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PostgresUnavailable(f"{' '.join(command)}: {error}") from None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def temporary_cluster(*, fsync: bool = False, database: str = "aftersales") -> Iterator[str]:
    """Start a throwaway PostgreSQL cluster; yield the DSN of a new database in it.

    ``fsync=False`` (the default) trades durability for speed, which suits
    tests; benchmarks pass ``fsync=True``.

    Example (needs a running PostgreSQL server, so it is shown, not run)::

        with temporary_cluster() as dsn:
            print(dsn)
        # → host=127.0.0.1 port=39145 user=postgres dbname=aftersales
    """
    import psycopg

    bindir = find_bindir()
    user = server_user(("postgres", "aftersales-pg"), PostgresUnavailable, "PostgreSQL")
    base = Path(tempfile.mkdtemp(prefix="aftersales-pg-"))
    data = base / "data"
    try:
        if user is not None:
            os.chown(base, user.pw_uid, user.pw_gid)
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            user,
        )
        settings = (
            f"-k {base} -c listen_addresses=127.0.0.1 -c fsync={'on' if fsync else 'off'}"
            f" -c synchronous_commit={'on' if fsync else 'off'} -c full_page_writes={'on' if fsync else 'off'}"
            " -c max_connections=60 -c shared_buffers=256MB"
        )
        port = 0
        for attempt in range(3):
            port = _free_port()
            try:
                _run(
                    [
                        str(bindir / "pg_ctl"),
                        "-D",
                        str(data),
                        "-l",
                        str(base / "server.log"),
                        "-w",
                        "-t",
                        "60",
                        "-o",
                        f"-p {port} {settings}",
                        "start",
                    ],
                    user,
                )
                break
            except PostgresUnavailable:
                if attempt == 2:
                    log = (base / "server.log").read_text(errors="replace")[-2000:]
                    raise PostgresUnavailable(f"pg_ctl start failed; server log:\n{log}") from None
        try:
            admin = f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{database}"')
            yield f"host=127.0.0.1 port={port} user=postgres dbname={database}"
        finally:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], user)
    finally:
        shutil.rmtree(base, ignore_errors=True)
