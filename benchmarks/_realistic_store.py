"""A realistic store of N tickets for the benchmarks, built through the public API.

Helpers of ``end_to_end.py`` and ``storage.py`` (a file starting with ``_``
is not a benchmark of its own). :func:`realistic_plans` lays the demo's
generator (``aftersales.demo.plan_quarter``) over several years ending on
2026-10-01 at the volume that gives about N tickets, from N/3 customers drawn
by a Zipf-like law; :func:`build` folds and saves them chunk by chunk with
their projections, as a host loading its history would.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pendulum

from aftersales.calendar import WorkCalendar
from aftersales.demo import PlannedTicket, plan_quarter, replay
from aftersales.model.events import SlaBreached, SlaWarned
from aftersales.model.ticket import Ticket
from aftersales.service.desk import ServiceDesk
from aftersales.sla import SlaPolicy, SlaState
from aftersales.storage import Save, SQLiteStore

TZ = "Asia/Shanghai"
#: The generated years end here; the reports read the last day, week and month before it.
SPAN_END = pendulum.datetime(2026, 10, 1, tz=TZ)
#: Clocks of the last tickets run into 2027, which the official calendar data may lack.
COMPLETE_YEARS = (2027,)
#: Tickets generated and saved at a time (one ``save_many`` each).
CHUNK = 5_000
SEED = 2026


def policy_and_calendar() -> tuple[SlaPolicy, WorkCalendar]:
    """What ``aftersales report --complete-years 2027`` uses: the China calendar, the default SLA."""
    calendar = WorkCalendar.china(tz=TZ, complete_years=COMPLETE_YEARS)
    return SlaPolicy.default(calendar), calendar


# -- where the store lives ---------------------------------------------------------------------


def open_store(target: str) -> Any:
    """A SQLite file path, or a PostgreSQL conninfo (``postgresql://…`` or ``key=value …``)."""
    if not is_sqlite(target):
        from aftersales.storage.postgres import PostgresStore

        return PostgresStore(target)
    return SQLiteStore(Path(target))


def is_sqlite(target: str) -> bool:
    """Whether ``target`` names a SQLite file (else a PostgreSQL database)."""
    return not (target.startswith(("postgresql:", "postgres:")) or "=" in target)


def expected_volume(start: pendulum.DateTime, end: pendulum.DateTime) -> float:
    """Tickets ``plan_quarter`` lays between ``start`` and ``end`` at scale 1 (its volume rule)."""
    total, day = 0.0, start
    while day < end:
        local = day.in_timezone(TZ)
        volume = 7.0 if local.day_of_week in (pendulum.SATURDAY, pendulum.SUNDAY) else 15.0
        if local.month == 11 and 11 <= local.day <= 20:
            volume *= 1.35
        elif local.month == 12 and 1 <= local.day <= 12:
            volume *= 1.25
        total += volume
        day = day.add(days=1)
    return total


def realistic_plans(n: int, years: float, seed: int = SEED) -> Iterator[PlannedTicket]:
    """About ``n`` planned tickets over ``years`` ending at :data:`SPAN_END`, from ``n // 3`` customers."""
    start = SPAN_END.subtract(days=round(365.25 * years))
    scale = n / expected_volume(start, SPAN_END)
    return plan_quarter(seed=seed, start=start, end=SPAN_END, scale=scale, customers=max(1, n // 3))


def caught_up(ticket: Ticket, policy: SlaPolicy, at: pendulum.DateTime) -> Ticket:
    """``ticket`` with the SLA notices due at ``at`` recorded, as ``check_sla`` records them."""
    if not ticket.is_open:
        return ticket
    for notice in policy.evaluate(ticket, at).notifications:
        kind = SlaBreached if notice.breach else SlaWarned
        event = ticket.new_event(
            kind,
            by="sla",
            at=at,
            metric=notice.metric,
            cycle=notice.cycle,
            level=notice.level,
            crossed_at=notice.crossed_at,
            due_at=notice.due_at,
        )
        ticket = ticket.apply(event)
    return ticket


def next_alert(ticket: Ticket, policy: SlaPolicy, at: pendulum.DateTime) -> float | None:
    """When a running clock of ``ticket`` next crosses a level not yet recorded (epoch seconds)."""
    report = policy.evaluate(ticket, at)
    running = {(r.metric, r.cycle) for r in report.results if r.state is SlaState.RUNNING}
    recorded = report.recorded
    ahead = [
        alert.at.timestamp()
        for alert in report.alerts_before(at.add(days=90))
        if (alert.metric, alert.cycle) in running
        and (alert.metric, alert.cycle, alert.level) not in recorded
        and alert.at > at
    ]
    return min(ahead) if ahead else None


def chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(items, size)):
        yield chunk


def build(target: str, n: int, years: float) -> dict[str, Any]:
    """Generate about ``n`` tickets over ``years`` and save them; the timings and the sweep instants."""
    policy, _ = policy_and_calendar()
    plans = realistic_plans(n, years)
    store = open_store(target)
    desk = ServiceDesk(store, sla=policy)
    seen: set[str] = set()
    alerts: list[float] = []
    timings = {"generate": 0.0, "project": 0.0, "save": 0.0, "bookkeeping": 0.0}
    tickets = events = open_count = 0
    report_every = max(CHUNK, n // 20)
    began = t0 = time.perf_counter()
    for planned in chunks(plans, CHUNK):
        batch = [caught_up(replay(p), policy, SPAN_END) for p in planned]
        t1 = time.perf_counter()
        timings["generate"] += t1 - t0  # planning this chunk included
        for ticket in batch:  # the benchmark's own bookkeeping: when is 1 % due?
            if ticket.is_open:
                open_count += 1
                when = next_alert(ticket, policy, SPAN_END)
                if when is not None:
                    alerts.append(when)
        timings["bookkeeping"] += time.perf_counter() - t1
        t1 = time.perf_counter()
        saves = [Save(ticket, 0, projection=desk.projector.project(ticket)) for ticket in batch]
        t2 = time.perf_counter()
        store.save_many(saves)
        fresh = {p.customer.id: p.customer for p in planned if p.customer.id not in seen}
        with store.unit_of_work() as unit:
            for customer in fresh.values():
                unit.save_customer(customer)
        seen.update(fresh)
        t3 = time.perf_counter()
        timings["project"] += t2 - t1
        timings["save"] += t3 - t2
        t0 = time.perf_counter()
        done_before, tickets = tickets, tickets + len(batch)
        events += sum(t.version for t in batch)
        if tickets // report_every != done_before // report_every:
            elapsed = time.perf_counter() - began
            print(
                f"  build: {tickets:,} of ~{n:,} tickets, {elapsed:.0f} s"
                f" ({tickets / elapsed:,.0f} tickets/s)",
                file=sys.stderr,
                flush=True,
            )
    store.close()
    alerts.sort()
    due = max(1, round(0.01 * open_count))
    at_due = alerts[min(due, len(alerts)) - 1] if alerts else SPAN_END.timestamp()
    # the library's sweep takes the next 1 % (the command's took the first)
    at_due_next = alerts[min(2 * due, len(alerts)) - 1] if alerts else SPAN_END.timestamp()
    return {
        "tickets": tickets,
        "events": events,
        "customers": len(seen),
        "open": open_count,
        "timings": timings,
        "total": time.perf_counter() - began - timings["bookkeeping"],
        "at_due": at_due,
        "due_expected": sum(1 for a in alerts if a <= at_due),
        "at_due_next": at_due_next,
        "due_next_expected": sum(1 for a in alerts if at_due < a <= at_due_next),
        "bytes": store_bytes(target),
    }


def store_bytes(target: str) -> int | None:
    if is_sqlite(target):
        return sum(
            Path(f"{target}{suffix}").stat().st_size
            for suffix in ("", "-wal")
            if Path(f"{target}{suffix}").exists()
        )
    import psycopg

    with psycopg.connect(target) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return None if row is None else int(row[0])
