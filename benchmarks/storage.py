"""Storage benchmark: SQLiteStore and PostgresStore against a plain JSON-blob floor.

Measures, per backend:

1. bulk insert of ``--tickets`` realistic tickets (the demo's generator laid
   over three years, about 7 events each, as ``end_to_end.py`` builds them)
   with their events through ``save_many`` (tickets/s), beside the floor: the
   same tickets stored as the same event JSON (``to_json(event)`` per event,
   one per line: one text per ticket) with a plain ``executemany`` into a
   two-column table, in one transaction. The bytes of event JSON per ticket on
   each side and the size of each database per ticket are printed;
2. single-command transactions through ``ServiceDesk.add_note`` (commands/s);
3. the "open tickets due before T" query on ``--query-tickets`` stored tickets
   (ms), in the default order (``(received_at, id)``: the database sorts every
   match) and in due order (``order="due"``: ``(due_at, id)``, read from the
   ``tickets_open_due`` index): the first page (``limit=50``) with its tickets
   replayed, its ids only, the next page (``after_id``), the ids of every
   match, and the count; then the plan of the due-order page. The large data
   set (synthetic tickets of ``--events`` events, whose due times the
   generator knows) is written with ``save_many``; its build time is printed.

Ticket generation is not timed. PostgreSQL runs on a throwaway cluster (see
``aftersales.testing.postgres``) with fsync on, or on the server of ``--dsn``,
where the benchmark creates scratch databases of its own and drops them after.

Each backend is checked against what was written: every ticket read back
equals the one saved, and so does its JSON blob on the floor's side; the
due-before query returns exactly the open tickets whose due time (known from
the generator) is earlier, in due order. The script exits with status 1 when
any of this disagrees.

Usage:
    python benchmarks/storage.py                      # full run (100k, 1M)
    python benchmarks/storage.py --tickets 5000 --query-tickets 20000 --commands 300
    python benchmarks/storage.py --backend sqlite
    python benchmarks/storage.py --tickets 50 --query-tickets 300 --commands 20   # quick check
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this directory comes first on sys.path, where sibling benchmark
# files (calendar.py) would shadow standard-library modules.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs
import pendulum

from aftersales import ServiceDesk
from aftersales.demo import replay
from aftersales.model.events import Acknowledged, Cancelled, NoteAdded, TicketEvent, TicketOpened
from aftersales.model.ticket import Ticket
from aftersales.serialization import from_json, to_json
from aftersales.storage import Save, SQLiteStore, TicketQuery
from aftersales.vocab import Channel, Priority, ProblemCategory

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _realistic_store import realistic_plans

del sys.path[0]

BASE = pendulum.datetime(2024, 1, 1, 8, tz="Asia/Shanghai")
CHANNELS = [Channel.PHONE, Channel.EMAIL, Channel.WECHAT, Channel.ONLINE_CHAT]
CATEGORIES = [ProblemCategory.PRODUCT_QUALITY, ProblemCategory.LOGISTICS_DELAY]


def make_ticket(index: int, rng: random.Random, *, events: int) -> Ticket:
    """A ticket with ``events`` events (1: opened; 2: + acknowledged; 3+: notes; closed ones cancelled)."""
    at = BASE.add(seconds=index * 7)
    opened = TicketOpened(
        ticket_id=f"B{index:08d}",
        seq=1,
        at=at,
        by="李工",
        customer_id=f"C{rng.randrange(20_000):06d}",
        customer_name="XX科技有限公司",
        channel=rng.choice(CHANNELS),
        category=rng.choice(CATEGORIES),
        occurred_at=at.subtract(minutes=20),
        description="设备开机后频繁死机,约每小时一次,重启后可短暂恢复",
        priority=rng.choice(list(Priority)),
        handler=f"工程师{rng.randrange(50)}",
    )
    ticket = Ticket.replay([opened])
    for step in range(1, events):
        when = at.add(minutes=step)
        if step == 1:
            event: Any = ticket.new_event(Acknowledged, by="李工", at=when)
        elif step == events - 1 and rng.random() < 0.7:
            event = ticket.new_event(Cancelled, by="李工", at=when, reason="客户撤回")
        else:
            event = ticket.new_event(NoteAdded, by="李工", at=when, text="已电话联系客户")
        ticket = ticket.apply(event)
    return ticket


def realistic_tickets(count: int) -> list[Ticket]:
    """About ``count`` tickets with realistic histories: the demo's generator over three years."""
    return [replay(planned) for planned in realistic_plans(count, 3.0, seed=3)]


def floor_text(ticket: Ticket) -> str:
    """What the floor stores of a ticket: the JSON of its events as we store them, one per line."""
    return "\n".join(to_json(event) for event in ticket.history)


def floor_ticket(text: str) -> Ticket | None:
    """The ticket the floor's text folds to (``None`` when it holds no events)."""
    events = [from_json(TicketEvent, line) for line in text.splitlines()]
    if not events or not all(isinstance(event, TicketEvent) for event in events):
        return None
    return Ticket.replay(events)


def file_bytes(path: Path) -> int:
    """The size of a SQLite database with its write-ahead log."""
    return sum(
        Path(f"{path}{end}").stat().st_size for end in ("", "-wal") if Path(f"{path}{end}").exists()
    )


def due_for(ticket: Ticket, rng: random.Random) -> pendulum.DateTime | None:
    return ticket.received_at.add(hours=rng.randrange(1, 72)) if ticket.is_open else None


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


#: Disagreements between what was written and what was read back, per backend.
PROBLEMS: list[str] = []


def bench_bulk(
    store: Any,
    tickets: list[Ticket],
    floor: Callable[[list[Ticket]], None],
    floor_blobs: Callable[[list[str]], dict[str, str]],
    sizes: Callable[[], tuple[int, int]] | None = None,
) -> None:
    seconds = timed(lambda: store.save_many(tickets))
    events = sum(t.version for t in tickets)
    floor_seconds = timed(lambda: floor(tickets))
    sample = tickets[:: max(1, len(tickets) // 200)]
    blobs = floor_blobs([t.id for t in sample])
    for ticket in sample:
        if store.get(ticket.id) != ticket:
            PROBLEMS.append(f"{ticket.id}: read back from the store differs from the one saved")
        if floor_ticket(blobs.get(ticket.id, "")) != ticket:
            PROBLEMS.append(f"{ticket.id}: the floor's event JSON differs from the ticket's")
    if store.count(TicketQuery()) != len(tickets):
        PROBLEMS.append(
            f"the store counts {store.count(TicketQuery())} tickets, not {len(tickets)}"
        )
    print(
        f"  bulk insert {len(tickets):,} tickets ({events:,} events): {seconds:.2f} s,"
        f" {len(tickets) / seconds:,.0f} tickets/s"
    )
    print(
        f"  floor (executemany of each ticket's event JSON): {floor_seconds:.2f} s,"
        f" {len(tickets) / floor_seconds:,.0f} tickets/s; ratio {seconds / floor_seconds:.2f}x"
    )
    ours = sum(len(to_json(event).encode()) for t in tickets for event in t.history)
    theirs = sum(len(floor_text(t).encode()) for t in tickets)
    line = (
        f"  bytes of event JSON per ticket: ours {ours / len(tickets):,.0f},"
        f" the floor's {theirs / len(tickets):,.0f}"
    )
    if sizes is not None:
        ours_file, floor_file = sizes()
        line += (
            f"; database per ticket: ours {ours_file / len(tickets):,.0f} bytes (event rows, ticket"
            f" row, indexes), the floor's {floor_file / len(tickets):,.0f}"
        )
    print(line)


def bench_commands(store: Any, open_ids: list[str], count: int) -> None:
    """``count`` notes added through the desk, each in its own transaction, on open tickets."""
    desk = ServiceDesk(store)
    rng = random.Random(7)
    targets = [rng.choice(open_ids) for _ in range(count)] if open_ids else []

    def run() -> None:
        for ticket_id in targets:
            desk.add_note(ticket_id, by="李工", text="已电话联系客户")

    seconds = timed(run)
    print(
        f"  single-command transactions (get + replay + save): {len(targets):,} in"
        f" {seconds:.2f} s, {len(targets) / max(seconds, 1e-9):,.0f} commands/s"
    )


def build_large(
    store: Any, size: int, events: int, dues: dict[str, pendulum.DateTime]
) -> pendulum.DateTime:
    """Write ``size`` tickets; ``dues`` receives the due time of each open one."""
    rng = random.Random(11)

    def items() -> Iterator[Save]:
        for index in range(size):
            ticket = make_ticket(index, rng, events=events)
            due = due_for(ticket, rng)
            if due is not None:
                dues[ticket.id] = due
            yield Save(ticket, 0, due)

    seconds = timed(lambda: store.save_many(items()))
    print(
        f"  built {size:,} tickets with save_many in {seconds:.1f} s"
        f" ({size / seconds:,.0f} tickets/s, generation included)"
    )
    # halfway through the receptions, plus half the longest due delay (72 h)
    return BASE.add(seconds=size * 7 // 2, hours=36)


def bench_due_query(
    store: Any,
    due_before: pendulum.DateTime,
    dues: dict[str, pendulum.DateTime],
    repeat: int = 15,
) -> None:
    query = TicketQuery(due_before=due_before)
    page = TicketQuery(due_before=due_before, limit=50)
    worklist = TicketQuery(due_before=due_before, order="due", limit=50)
    first_page = store.find_ids(worklist)
    after = first_page[-1] if first_page else None
    matching = store.count(query)
    print(f"  due-before query: {matching:,} open tickets due")
    expected = sorted((due, tid) for tid, due in dues.items() if due < due_before)
    if matching != len(expected) or sorted(store.find_ids(query)) != sorted(t for _, t in expected):
        PROBLEMS.append(f"due-before query: {matching} tickets, expected {len(expected)}")
    if first_page != [tid for _, tid in expected[:50]]:
        PROBLEMS.append("due-order first page differs from the generator's due times")
    for label, action in [
        ("received order, first page (50, replayed)", lambda: store.find(page)),
        ("due order, first page (50, replayed)", lambda: store.find(worklist)),
        ("due order, first page (50 ids)", lambda: store.find_ids(worklist)),
        (
            "due order, next page (50, replayed)",
            lambda: store.find(attrs.evolve(worklist, after_id=after)),
        ),
        ("ids of every match", lambda: store.find_ids(query)),
        ("count", lambda: store.count(query)),
    ]:
        action()
        runs = [timed(action) * 1000 for _ in range(repeat)]
        print(f"    {label}: median {statistics.median(runs):.2f} ms, min {min(runs):.2f} ms")
    print("    plan of the due-order page:")
    for line in explain(store, worklist):
        print(f"      {line if len(line) < 150 else line[:146] + ' …'}")


def explain(store: Any, query: TicketQuery) -> list[str]:
    """The database's plan of the statement ``find(query)`` selects its page with."""
    with store._reading() as cur:
        sql, params = store._page_sql(cur, query, "id, version, status")
        if store.placeholder == "?":
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [str(row[3]) for row in cur.fetchall()]
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + store._sql(sql), params)
        lines = [row[0] for row in cur.fetchall()]
        ids = store.find_ids(query)
        from aftersales.storage.postgres import EVENTS_OF_TICKETS

        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + EVENTS_OF_TICKETS, (ids,))
        return [*lines, "then its events:", *(row[0] for row in cur.fetchall())]


def sqlite_floor(directory: Path) -> Callable[[list[Ticket]], None]:
    """The floor's write on SQLite (its table created now, untimed, as our store's schema is)."""
    import sqlite3

    conn = sqlite3.connect(directory / "floor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE blobs (id TEXT PRIMARY KEY, data TEXT NOT NULL)")

    def floor(tickets: list[Ticket]) -> None:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO blobs VALUES (?, ?)", [(t.id, floor_text(t)) for t in tickets]
        )
        conn.execute("COMMIT")
        conn.close()

    return floor


def postgres_floor(dsn: str) -> Callable[[list[Ticket]], None]:
    """The floor's write on PostgreSQL (its table created now, untimed)."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TABLE blobs (id TEXT PRIMARY KEY, data TEXT NOT NULL)")

    def floor(tickets: list[Ticket]) -> None:
        with psycopg.connect(dsn) as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO blobs VALUES (%s, %s)", [(t.id, floor_text(t)) for t in tickets]
            )

    return floor


def sqlite_blobs(directory: Path) -> Callable[[list[str]], dict[str, str]]:
    import sqlite3

    def blobs(ids: list[str]) -> dict[str, str]:
        conn = sqlite3.connect(directory / "floor.db")
        try:
            rows = conn.execute("SELECT id, data FROM blobs").fetchall()
        finally:
            conn.close()
        wanted = set(ids)
        return {row[0]: row[1] for row in rows if row[0] in wanted}

    return blobs


def postgres_blobs(dsn: str) -> Callable[[list[str]], dict[str, str]]:
    import psycopg

    def blobs(ids: list[str]) -> dict[str, str]:
        with psycopg.connect(dsn) as conn:
            rows = conn.execute("SELECT id, data FROM blobs WHERE id = ANY(%s)", (ids,)).fetchall()
        return {row[0]: row[1] for row in rows}

    return blobs


def run_sqlite(args: argparse.Namespace, tickets: list[Ticket]) -> None:
    print(f"SQLite {__import__('sqlite3').sqlite_version} (WAL, synchronous=NORMAL)")
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        with SQLiteStore(folder / "bulk.db") as store:
            sizes = lambda: (file_bytes(folder / "bulk.db"), file_bytes(folder / "floor.db"))  # noqa: E731
            bench_bulk(store, tickets, sqlite_floor(folder), sqlite_blobs(folder), sizes)
            bench_commands(store, [t.id for t in tickets if t.is_open], args.commands)
        with SQLiteStore(Path(directory) / "large.db") as store:
            dues: dict[str, pendulum.DateTime] = {}
            due_before = build_large(store, args.query_tickets, args.events, dues)
            bench_due_query(store, due_before, dues)


@contextmanager
def scratch_database(dsn: str, name: str) -> Iterator[str]:
    """A new database ``name`` on the server of ``dsn`` (dropped after); yields its DSN."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield make_conninfo(dsn, dbname=name)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def postgres_server(dsn: str | None) -> Iterator[tuple[str, str] | None]:
    """``(dsn, description)`` of the server to use, or ``None`` when none can start."""
    if dsn is not None:
        yield dsn, "the server of --dsn"
        return
    from aftersales.testing.postgres import PostgresUnavailable, temporary_cluster

    try:
        cluster = temporary_cluster(fsync=True)
        started = cluster.__enter__()
    except PostgresUnavailable as error:
        print(f"PostgreSQL: skipped ({error})")
        yield None
        return
    try:
        yield started, "throwaway cluster, fsync on"
    finally:
        cluster.__exit__(None, None, None)


def run_postgres(args: argparse.Namespace, tickets: list[Ticket]) -> None:
    import psycopg

    from aftersales.storage.postgres import PostgresStore

    with postgres_server(args.dsn) as server:
        if server is None:
            return
        dsn, description = server
        with psycopg.connect(dsn) as conn:
            version = conn.execute("SHOW server_version").fetchone()
        print(f"PostgreSQL {version[0] if version else '?'} ({description})")
        prefix = f"aftersales_bench_{os.getpid()}"
        with scratch_database(dsn, f"{prefix}_bulk") as bulk, PostgresStore(bulk) as store:
            bench_bulk(store, tickets, postgres_floor(bulk), postgres_blobs(bulk))
            bench_commands(store, [t.id for t in tickets if t.is_open], args.commands)
        with scratch_database(dsn, f"{prefix}_large") as large, PostgresStore(large) as store:
            dues: dict[str, pendulum.DateTime] = {}
            due_before = build_large(store, args.query_tickets, args.events, dues)
            with psycopg.connect(large, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE tickets")
                conn.execute("ANALYZE ticket_events")
            bench_due_query(store, due_before, dues)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="bulk insert size")
    parser.add_argument(
        "--events", type=int, default=3, help="events per ticket of the query's synthetic set"
    )
    parser.add_argument("--commands", type=int, default=2_000, help="single commands")
    parser.add_argument(
        "--query-tickets", type=int, default=1_000_000, help="tickets stored for the query"
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--dsn",
        help="a PostgreSQL server to use instead of a throwaway cluster (scratch databases)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    tickets = realistic_tickets(args.tickets)
    events = sum(t.version for t in tickets)
    print(
        f"generated {len(tickets):,} realistic tickets ({events / len(tickets):.1f} events each,"
        f" {sum(t.is_open for t in tickets) / len(tickets):.0%} open) in"
        f" {time.perf_counter() - start:.1f} s (not timed)"
    )
    if args.backend in ("sqlite", "both"):
        run_sqlite(args, tickets)
    if args.backend in ("postgres", "both"):
        run_postgres(args, tickets)
    print(
        f"agreement: stored tickets and query results vs what was written, {len(PROBLEMS)} differ"
    )
    for problem in PROBLEMS[:10]:
        print(f"  {problem}")
    if PROBLEMS:
        sys.exit(1)


if __name__ == "__main__":
    main()
