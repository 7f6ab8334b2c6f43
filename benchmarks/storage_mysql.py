"""Storage benchmark on MySQL/MariaDB: ``benchmarks/storage.py``'s measures on MySQLStore.

The same bulk insert (against the same JSON-blob floor, here an
``executemany`` into a ``LONGTEXT`` table), single-command transactions and
due-before query as ``benchmarks/storage.py`` runs on SQLite and PostgreSQL,
with the same checks of what is read back, on a throwaway MariaDB server
(:mod:`aftersales.testing.mariadb`, the log flushed at every commit) or on the
server of ``--url``, where it creates scratch databases and drops them after.

``--via`` chooses the stores measured on that server: ``MySQLStore`` on its
own connections (``mysql``), ``SqlAlchemyStore`` on an engine of PyMySQL
connections (``sqlalchemy``), or both, one after the other, on the same tickets.

Usage:
    python benchmarks/storage_mysql.py --tickets 5000 --query-tickets 20000 --commands 300
    python benchmarks/storage_mysql.py --via sqlalchemy --tickets 100000 --query-tickets 100000
    python benchmarks/storage_mysql.py --url 'mysql://root@localhost/x?unix_socket=%2Frun%2Fmysqld%2Fmysqld.sock'
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this directory comes first on sys.path, where sibling benchmark
# files (calendar.py) would shadow standard-library modules.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import argparse
import importlib.util
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pendulum

from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("storage_benchmark", HERE / "storage.py")
if _spec is None or _spec.loader is None:
    raise ImportError(f"cannot load {HERE / 'storage.py'}")
shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shared)


def _connect(url: str) -> Any:
    import pymysql

    from aftersales.storage.mysql.connections import connect_arguments

    arguments = connect_arguments(url, 10.0)
    arguments.pop("conv")
    return pymysql.connect(**arguments)


def mysql_floor(url: str) -> Callable[[list[Ticket]], None]:
    """The floor's write (its table created now, untimed)."""
    with _connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE blobs (id VARCHAR(64) PRIMARY KEY, data LONGTEXT NOT NULL)"
            " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
        )

    def floor(tickets: list[Ticket]) -> None:
        with _connect(url) as conn, conn.cursor() as cur:
            conn.begin()
            cur.executemany(
                "INSERT INTO blobs VALUES (%s, %s)", [(t.id, shared.floor_text(t)) for t in tickets]
            )
            conn.commit()

    return floor


def mysql_blobs(url: str) -> Callable[[list[str]], dict[str, str]]:
    def blobs(ids: list[str]) -> dict[str, str]:
        with _connect(url) as conn, conn.cursor() as cur:
            cur.execute(
                f"SELECT id, data FROM blobs WHERE id IN ({', '.join(['%s'] * len(ids))})", ids
            )
            return {row[0]: row[1] for row in cur.fetchall()}

    return blobs


def explain(store: Any, query: TicketQuery) -> list[str]:
    """MariaDB's plan of the page statement of ``find(query)`` (``ANALYZE FORMAT=JSON`` would be longer)."""
    from aftersales.storage.mysql import mysql_statement

    with store._reading() as cur:
        sql, params = store._page_sql(cur, query, "id, version, status")
        statement, _ = mysql_statement(sql)
        raw = cur._cursor
        raw.execute("EXPLAIN " + statement, tuple(params))
        return [" | ".join(str(value) for value in row) for row in raw.fetchall()]


@contextmanager
def scratch_database(url: str, name: str) -> Iterator[str]:
    with _connect(url) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    try:
        yield url.replace(f"/{url.split('/')[3].split('?')[0]}", f"/{name}", 1)
    finally:
        with _connect(url) as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE `{name}`")


@contextmanager
def mysql_server(url: str | None) -> Iterator[tuple[str, str] | None]:
    if url is not None:
        yield url, "the server of --url"
        return
    from aftersales.testing.mariadb import MariaDBUnavailable, temporary_server

    try:
        server = temporary_server(durable=True)
        started = server.__enter__()
    except MariaDBUnavailable as error:
        print(f"MariaDB: skipped ({error})")
        yield None
        return
    try:
        yield started, "throwaway server, log flushed at every commit"
    finally:
        server.__exit__(None, None, None)


@contextmanager
def open_store(via: str, url: str) -> Iterator[Any]:
    """The store measured: ``MySQLStore(url)``, or ``SqlAlchemyStore`` on an engine of ``url``."""
    if via == "mysql":
        from aftersales.storage.mysql import MySQLStore

        with MySQLStore(url) as store:
            yield store
        return
    import sqlalchemy

    from aftersales.storage.sqlalchemy import SqlAlchemyStore

    engine = sqlalchemy.create_engine(
        url.replace("mysql://", "mysql+pymysql://", 1) + "&charset=utf8mb4"
    )
    try:
        yield SqlAlchemyStore(engine)
    finally:
        engine.dispose()


def run_mysql(args: argparse.Namespace, tickets: list[Ticket]) -> None:
    shared.explain = explain  # bench_due_query prints this dialect's plan
    with mysql_server(args.url) as server:
        if server is None:
            return
        url, description = server
        with _connect(url) as conn, conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            print(f"MySQL/MariaDB {cur.fetchone()[0]} ({description})")
        for via in ("mysql", "sqlalchemy") if args.via == "both" else (args.via,):
            print(f"-- {'MySQLStore' if via == 'mysql' else 'SqlAlchemyStore (PyMySQL engine)'}")
            prefix = f"aftersales_bench_{os.getpid()}_{via}"
            with scratch_database(url, f"{prefix}_bulk") as bulk, open_store(via, bulk) as store:
                shared.bench_bulk(store, tickets, mysql_floor(bulk), mysql_blobs(bulk))
                shared.bench_commands(store, [t.id for t in tickets if t.is_open], args.commands)
            with (
                scratch_database(url, f"{prefix}_large") as large,
                open_store(via, large) as store,
            ):
                dues: dict[str, pendulum.DateTime] = {}
                due_before = shared.build_large(store, args.query_tickets, args.events, dues)
                with _connect(large) as conn, conn.cursor() as cur:
                    cur.execute("ANALYZE TABLE tickets, ticket_events")
                shared.bench_due_query(store, due_before, dues)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="bulk insert size")
    parser.add_argument("--events", type=int, default=3, help="events per ticket of the query set")
    parser.add_argument("--commands", type=int, default=2_000, help="single commands")
    parser.add_argument(
        "--query-tickets", type=int, default=1_000_000, help="tickets for the query"
    )
    parser.add_argument("--url", help="a MySQL/MariaDB server to use (scratch databases)")
    parser.add_argument(
        "--via", choices=("mysql", "sqlalchemy", "both"), default="both", help="the stores measured"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    tickets = shared.realistic_tickets(args.tickets)
    print(f"generated {len(tickets):,} realistic tickets in {time.perf_counter() - start:.1f} s")
    run_mysql(args, tickets)
    print(f"agreement: {len(shared.PROBLEMS)} differ")
    for problem in shared.PROBLEMS[:10]:
        print(f"  {problem}")
    if shared.PROBLEMS:
        sys.exit(1)


if __name__ == "__main__":
    main()
