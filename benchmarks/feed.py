"""Event feed throughput: events per second read through ``events_since``, in pages.

A store of N events (tickets of 5 events each: opened and 4 notes, written
with ``save_many``) is read from position 0 to its head, a page of
``--page`` events per ``events_since`` call, as a subscription reads it. The
baseline is the way a host read every event before the feed: every ticket
streamed (``store.stream``) and its history walked. Both are timed (wall time,
events per second); the feed's read must equal what was written: positions 1
to N without gaps, every event once, each ticket's events in ``seq`` order;
the script prints one ``agreement:`` line and exits with status 1 when any
differs. SQLite always; PostgreSQL with ``--dsn`` (a scratch database on that
server, dropped after) or ``--temporary-postgres`` (a throwaway cluster).

Usage:
    python benchmarks/feed.py --events 100000
    python benchmarks/feed.py --events 200000 --temporary-postgres
    python benchmarks/feed.py --tiny            # quick check
"""

from __future__ import annotations

import os
import sys

# benchmarks/calendar.py is named like the stdlib module: keep this folder off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from aftersales.model.events import TicketEvent  # noqa: E402
from aftersales.model.query import TicketQuery  # noqa: E402
from aftersales.storage import Save, SQLiteStore  # noqa: E402
from aftersales.testing.contracts.builders import build_ticket  # noqa: E402
from aftersales.testing.contracts.feed import noted  # noqa: E402

#: Events per ticket: opened and 4 notes.
PER_TICKET = 5
#: Disagreements found, per backend.
DIFFER: dict[str, int] = {}


def tickets(events: int) -> Iterator[Any]:
    for number in range(events // PER_TICKET):
        yield Save(noted(build_ticket(f"F{number:07d}", minutes=number % 600), PER_TICKET - 1))


def read_feed(store: Any, page: int) -> list[tuple[int, TicketEvent]]:
    read: list[tuple[int, TicketEvent]] = []
    while found := store.events_since(read[-1][0] if read else 0, limit=page):
        read += found
    return read


def read_histories(store: Any) -> int:
    return sum(len(ticket.history) for ticket in store.stream(TicketQuery(), batch=1000))


def differences(read: list[tuple[int, TicketEvent]], events: int) -> int:
    """Positions out of place, events missing or repeated, tickets out of seq order."""
    wrong = sum(1 for index, (position, _) in enumerate(read) if position != index + 1)
    keys = [(event.ticket_id, event.seq) for _, event in read]
    expected = {
        (f"F{n:07d}", seq) for n in range(events // PER_TICKET) for seq in range(1, PER_TICKET + 1)
    }
    wrong += len(expected ^ set(keys)) + (len(keys) - len(set(keys)))
    last: dict[str, int] = {}
    for ticket_id, seq in keys:
        wrong += seq != last.get(ticket_id, 0) + 1
        last[ticket_id] = seq
    return wrong


def measure(name: str, store: Any, events: int, page: int) -> None:
    started = time.perf_counter()
    store.save_many(tickets(events))
    written = time.perf_counter() - started
    started = time.perf_counter()
    read = read_feed(store, page)
    feed_time = time.perf_counter() - started
    started = time.perf_counter()
    walked = read_histories(store)
    walk_time = time.perf_counter() - started
    DIFFER[name] = differences(read, events)
    total = len(read)
    print(
        f"{name:<10} {events:>8} events written in {written:6.2f} s;"
        f" feed {feed_time:6.2f} s = {total / feed_time:>9,.0f} events/s (pages of {page});"
        f" histories of every ticket {walk_time:6.2f} s = {walked / walk_time:>9,.0f} events/s"
    )


@contextmanager
def postgres(args: argparse.Namespace) -> Iterator[str | None]:
    """A DSN of a scratch database (dropped after), or ``None`` when none was asked for."""
    if args.dsn is None and not args.temporary_postgres:
        yield None
        return
    import psycopg

    if args.dsn is None:
        from aftersales.testing.postgres import temporary_cluster

        with temporary_cluster(fsync=True) as dsn:
            yield dsn
        return
    name = f"aftersales_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield psycopg.conninfo.make_conninfo(args.dsn, dbname=name)
    finally:
        with psycopg.connect(args.dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="events in the store")
    parser.add_argument("--page", type=int, default=1000, help="events per events_since call")
    parser.add_argument("--tiny", action="store_true", help="500 events, pages of 37")
    parser.add_argument("--dsn", help="a PostgreSQL server to run on as well (scratch database)")
    parser.add_argument(
        "--temporary-postgres", action="store_true", help="run on a throwaway cluster as well"
    )
    args = parser.parse_args(argv)
    if args.tiny:
        args.events, args.page = 500, 37
    folder = Path(tempfile.mkdtemp(prefix="aftersales-feed-"))
    try:
        with SQLiteStore(folder / "feed.db") as store:
            measure("SQLite", store, args.events, args.page)
        with postgres(args) as dsn:
            if dsn is not None:
                from aftersales.storage.postgres import PostgresStore

                with PostgresStore(dsn) as store:
                    measure("PostgreSQL", store, args.events, args.page)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    differ = sum(DIFFER.values())
    print(
        f"agreement: the feed read vs the events written ({', '.join(DIFFER)}),"
        f" {differ} of {args.events * len(DIFFER)} differ"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
