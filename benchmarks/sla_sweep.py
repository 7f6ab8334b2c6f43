"""The SLA sweep through the alert index, against check_sla over every open ticket.

A store of N open tickets (the lifecycle walks of ``benchmarks/sla.py``: 5–15
events each, none closed, China office hours) is written with ``save_many``
and the tickets' projections, then swept once at its last event, so that
every crossing due then is recorded: the steady state of a desk swept every
few minutes. Two sweeps are timed, each on its own copy of that store:

* **nothing due**: at the instant of that sweep;
* **1 % due**: at the instant by which 1 % of the tickets have a crossing due
  (read from the index), the writes of their notices included;

against the baseline doing the same work without the index, the way a host
did it before: every open ticket's id read, and ``check_sla`` called on each
(one evaluation per ticket, a save per ticket with notices), on a copy of its
own. Wall time in ms, and the open tickets swept per second (N over the
wall time: how large a store each side keeps up with).

Both sides must agree: the notices returned, and afterwards each ticket's
stored version and the histories of the tickets with notices; the script
prints one ``agreement:`` line and exits with status 1 when any differs.
SQLite always; PostgreSQL too with ``--dsn`` (scratch databases on that server,
dropped after).

Usage:
    python benchmarks/sla_sweep.py --tickets 100000
    python benchmarks/sla_sweep.py --tickets 170000 --dsn postgresql://localhost/postgres
    python benchmarks/sla_sweep.py --tickets 300           # quick check
"""

from __future__ import annotations

import os
import sys

# benchmarks/calendar.py is named like the stdlib module: keep this folder off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pendulum  # noqa: E402

from aftersales import FixedClock, ServiceDesk, Ticket  # noqa: E402
from aftersales.calendar import WorkCalendar  # noqa: E402
from aftersales.model.query import TicketQuery  # noqa: E402
from aftersales.sla import SlaNotice, SlaPolicy  # noqa: E402
from aftersales.storage import Save, SQLiteStore  # noqa: E402

sys.path.insert(0, _HERE)
from sla import open_tickets  # noqa: E402

#: Tickets per transaction of the sweep.
BATCH = 500

NoticeKey = tuple[str, str, int, int, bool, str, str]


def policy() -> SlaPolicy:
    """The default SLA on China office hours; 2027 declared complete (the last clocks run into it)."""
    return SlaPolicy.default(WorkCalendar.china(complete_years=(2027,)))


def sweep(desk: ServiceDesk, at: pendulum.DateTime) -> list[SlaNotice]:
    """Ours: the sweep through the alert index."""
    return desk.sweep_sla(at=at, batch=BATCH)


def check_every_open_ticket(desk: ServiceDesk, at: pendulum.DateTime) -> list[SlaNotice]:
    """The baseline: every open ticket's id, then ``check_sla`` on each."""
    ids = desk.store.find_ids(TicketQuery(open_only=True))  # type: ignore[attr-defined]
    return [notice for ticket_id in ids for notice in desk.check_sla(ticket_id, at=at)]


def keyed(notices: list[SlaNotice]) -> list[NoticeKey]:
    return sorted(
        (
            n.ticket_id,
            n.metric,
            n.cycle,
            n.level,
            n.breach,
            n.crossed_at.isoformat(),
            n.due_at.isoformat(),
        )
        for n in notices
    )


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


# -- where the stores live --------------------------------------------------------------------


class SQLiteCopies:
    """The prepared store in a file, and copies of it for each timed run."""

    name = "SQLite"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.prepared = directory / "prepared.db"

    def open_prepared(self) -> Any:
        return SQLiteStore(self.prepared)

    @contextmanager
    def copy(self, label: str) -> Iterator[Any]:
        path = self.directory / f"{label}.db"
        shutil.copyfile(self.prepared, path)
        store = SQLiteStore(path)
        try:
            yield store
        finally:
            store.close()

    def versions(self, store: Any) -> dict[str, int]:
        with sqlite3.connect(store.path) as conn:
            return dict(conn.execute("SELECT id, version FROM tickets").fetchall())


class PostgresCopies:
    """The prepared store in a scratch database, copied with ``CREATE DATABASE … TEMPLATE``."""

    name = "PostgreSQL"

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.prefix = f"aftersales_bench_{os.getpid()}"
        self.made: list[str] = []
        self.prepared = self._create(f"{self.prefix}_prepared")

    def _create(self, name: str, template: str | None = None) -> str:
        import psycopg
        from psycopg import sql
        from psycopg.conninfo import make_conninfo

        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(statement)
        self.made.append(name)
        return make_conninfo(self.dsn, dbname=name)

    def open_prepared(self) -> Any:
        from aftersales.storage.postgres import PostgresStore

        return PostgresStore(self.prepared)

    @contextmanager
    def copy(self, label: str) -> Iterator[Any]:
        import psycopg

        from aftersales.storage.postgres import PostgresStore

        dsn = self._create(f"{self.prefix}_{label}", template=f"{self.prefix}_prepared")
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE tickets")
        store = PostgresStore(dsn, max_size=2)
        try:
            yield store
        finally:
            store.close()

    def versions(self, store: Any) -> dict[str, int]:
        import psycopg

        with psycopg.connect(store.dsn) as conn:
            return dict(conn.execute("SELECT id, version FROM tickets").fetchall())

    def drop(self) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            for name in reversed(self.made):
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


# -- the runs ---------------------------------------------------------------------------------


def prepare(copies: Any, tickets: list[Ticket], sla: SlaPolicy) -> tuple[Any, Any]:
    """Write the tickets, sweep them once; the instants of the two timed sweeps."""
    projector = ServiceDesk(sla=sla).projector
    last = max(ticket.updated_at for ticket in tickets).add(minutes=1)
    with copies.open_prepared() as store:
        took, _ = timed(
            lambda: store.save_many(Save(t, 0, projection=projector.project(t)) for t in tickets)
        )
        print(f"  build: {len(tickets):,} tickets with their projections in {took:.1f} s")
        desk = ServiceDesk(store, clock=FixedClock(last), sla=sla)
        took, caught_up = timed(lambda: desk.sweep_sla(at=last, batch=BATCH))
        print(f"  catch-up sweep at the last event: {len(caught_up):,} notices in {took:.1f} s")
        assert store.find_alerts_due(last, limit=1) == []
        due = store.find_alerts_due(
            pendulum.datetime(2399, 1, 1), limit=max(1, len(tickets) // 100)
        )
        one_percent = due[-1][0]
    return last, one_percent


def compare(
    copies: Any, ours: Any, theirs: Any, notices: tuple[list[SlaNotice], list[SlaNotice]]
) -> int:
    """How many tickets differ between the two sides: notices, stored versions, histories."""
    mine, baseline = keyed(notices[0]), keyed(notices[1])
    differ = {key[0] for key in set(mine) ^ set(baseline)}
    if len(mine) != len(set(mine)):
        differ.add("(a notice returned twice)")
    versions, their_versions = copies.versions(ours), copies.versions(theirs)
    differ |= {
        i
        for i in versions.keys() | their_versions.keys()
        if versions.get(i) != their_versions.get(i)
    }
    for ticket_id in {key[0] for key in mine + baseline} - differ:
        if ours.get(ticket_id).history != theirs.get(ticket_id).history:
            differ.add(ticket_id)
    return len(differ)


def run(copies: Any, tickets: list[Ticket], sla: SlaPolicy) -> tuple[int, int]:
    """Both scenarios on ``copies``: (tickets that differ, tickets compared)."""
    print(f"{copies.name}:")
    nothing_due, one_percent = prepare(copies, tickets, sla)
    differ = compared = 0
    for label, at in (("nothing due", nothing_due), ("1 % due", one_percent)):
        with copies.copy(f"ours_{label[0]}") as ours, copies.copy(f"base_{label[0]}") as theirs:
            mine_desk = ServiceDesk(ours, clock=FixedClock(at), sla=sla)
            base_desk = ServiceDesk(theirs, clock=FixedClock(at), sla=sla)
            due = len({t.id for _, t in ours.find_alerts_due(at)})
            ours_s, mine = timed(lambda d=mine_desk, a=at: sweep(d, a))
            base_s, baseline = timed(lambda d=base_desk, a=at: check_every_open_ticket(d, a))
            swept = len(tickets)
            print(
                f"  {label}: {due:,} of {swept:,} open tickets due, {len(mine):,} notices"
                f" | sweep_sla {ours_s * 1000:,.1f} ms ({swept / ours_s:,.0f} open tickets/s)"
                f" | baseline check_sla over every open ticket {base_s * 1000:,.1f} ms"
                f" ({swept / base_s:,.0f} open tickets/s) | {base_s / ours_s:,.1f}× faster"
            )
            differ += compare(copies, ours, theirs, (mine, baseline))
            compared += len(tickets)
    return differ, compared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="open tickets in the store")
    parser.add_argument("--dsn", help="a PostgreSQL server to run on as well (scratch databases)")
    args = parser.parse_args(argv)
    sla = policy()
    began = time.perf_counter()
    tickets = open_tickets(args.tickets)
    print(f"{len(tickets):,} open tickets generated in {time.perf_counter() - began:.1f} s")
    differ = compared = 0
    with tempfile.TemporaryDirectory(prefix="aftersales-sweep-") as directory:
        found, seen = run(SQLiteCopies(Path(directory)), tickets, sla)
        differ, compared = differ + found, compared + seen
    if args.dsn:
        copies = PostgresCopies(args.dsn)
        try:
            found, seen = run(copies, tickets, sla)
            differ, compared = differ + found, compared + seen
        finally:
            copies.drop()
    print(
        "agreement: notices returned and SLA events stored, sweep_sla vs check_sla over every"
        f" open ticket, {differ} of {compared:,} tickets differ"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
