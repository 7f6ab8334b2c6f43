"""SLA evaluation throughput: every built-in clock of many open tickets, read from a store.

The default policy (five metrics, China calendar with a lunch break) on open
tickets with histories of 5–15 events, timed as a sweep or a watch list meets
them: the tickets are saved in a SQLite store first (untimed), then read back
page by page (``find`` with ``open_only``, 1,000 at a time) and evaluated, in
an ordinary process (no ``gc.freeze``, the cyclic collector running as it
does in a service). Printed apart: the reads alone, and the evaluation of the
same tickets once in memory.

The baseline, run in the same process on the same tickets in memory, is the
naive approach: the first-response clock alone, computed with the calendar's
datetime-level API (``WorkCalendar.working_time`` and ``WorkCalendar.add`` on
pendulum datetimes) once per ticket, where ours computes all five clocks.

Both sides must agree: for every ticket, the first-response clock of the policy
(working time used, due time) equals the naive computation with the same
target; the script exits with status 1 when any differs.

Run: ``python benchmarks/sla.py`` (default 100,000 tickets; goal ≥ 20,000 tickets/s);
``--tickets 200 --repeat 1`` is a quick check.
"""

from __future__ import annotations

import os
import sys

# benchmarks/calendar.py is named like the stdlib module: keep this folder off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import gc  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import pendulum  # noqa: E402

from aftersales import TRANSITIONS, Ticket  # noqa: E402
from aftersales.calendar import WorkCalendar  # noqa: E402
from aftersales.model.events import EVENTS_BY_COMMAND  # noqa: E402
from aftersales.model.query import TicketQuery  # noqa: E402
from aftersales.service.commands import DESK_ONLY  # noqa: E402
from aftersales.sla import SlaPolicy, WorkingTime  # noqa: E402
from aftersales.storage import SQLiteStore  # noqa: E402

sys.path.insert(0, _HERE)
from lifecycle import applies, opening, payload  # noqa: E402

STEP_MINUTES = (5, 240)
PAGE = 1_000


def open_tickets(count: int, seed: int = 11) -> list[Ticket]:
    """Open tickets with 5–15 events, walking the lifecycle without closing or cancelling."""
    rng = random.Random(seed)
    tickets = []
    for n in range(count):
        ticket = Ticket.replay([opening(f"S{n:07d}", rng)])
        length = rng.randint(5, 15)
        while ticket.version < length:
            allowed = [
                c
                for c in TRANSITIONS.allowed(ticket.status)
                if c not in ("cancel", "record_visit")
                and c not in DESK_ONLY
                and not c.startswith("record_sla")
                and applies(c, ticket)
            ]
            command = rng.choice(allowed)
            step = pendulum.duration(minutes=rng.randint(*STEP_MINUTES))
            ticket = ticket.apply(
                ticket.new_event(
                    EVENTS_BY_COMMAND[command],
                    by="李工",
                    at=ticket.updated_at + step,
                    **payload(command, ticket, rng),
                )
            )
        tickets.append(ticket)
    return tickets


def naive_first_response(
    calendar: WorkCalendar, ticket: Ticket, now: pendulum.DateTime, target: WorkingTime
) -> tuple[pendulum.DateTime, object]:
    """Baseline: one clock computed with the datetime-level calendar API: (due, used)."""
    end = ticket.first_response_at or now
    used = calendar.working_time(ticket.received_at, end)
    return calendar.add(ticket.received_at, target.duration), used


def disagreements(
    policy: SlaPolicy, calendar: WorkCalendar, tickets: list[Ticket], now: pendulum.DateTime
) -> list[str]:
    """Tickets whose first-response clock differs between the policy and the naive baseline."""
    metric = next(m for m in policy.metrics if m.name == "first_response")
    out = []
    for ticket in tickets:
        target = metric.target_for(ticket.priority)
        if not isinstance(target, WorkingTime):
            continue
        ours = policy.evaluate(ticket, now).first("first_response")
        due, used = naive_first_response(calendar, ticket, now, target)
        if (ours.due_at, ours.elapsed) != (due, used):
            out.append(f"{ticket.id}: ours {ours.due_at}, {ours.elapsed}; naive {due}, {used}")
    return out


def read_back(store: SQLiteStore, evaluate: Callable[[Ticket], object] | None) -> list[Ticket]:
    """Read every open ticket from ``store`` page by page, evaluating each; the last page."""
    after = None
    while True:
        page = store.find(TicketQuery(open_only=True, limit=PAGE, after_id=after))
        if evaluate is not None:
            for ticket in page:
                evaluate(ticket)
        if len(page) < PAGE:
            return page
        after = page[-1].id


def read_all(store: SQLiteStore) -> list[Ticket]:
    """Every open ticket of ``store``."""
    found: list[Ticket] = []
    read_back(store, found.append)
    return found


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best counts")
    args = parser.parse_args(argv)
    calendar = WorkCalendar.china()
    policy = SlaPolicy.default(calendar)
    print(f"generating {args.tickets:,} open tickets …")
    began = time.perf_counter()
    tickets = open_tickets(args.tickets)
    events = sum(t.version for t in tickets)
    print(f"  {events:,} events in {time.perf_counter() - began:.1f} s (untimed)")
    now = max(t.updated_at for t in tickets).add(hours=1)
    n = len(tickets)
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "sla.db")
        began = time.perf_counter()
        store.save_many(tickets)
        print(f"  saved in a SQLite store in {time.perf_counter() - began:.1f} s (untimed)")
        del tickets  # a sweep holds one page at a time, not the whole fixture
        gc.collect()

        def evaluate(ticket: Ticket) -> object:
            return policy.evaluate(ticket, now)

        read = best_of(args.repeat, lambda: read_back(store, None))
        served = best_of(args.repeat, lambda: read_back(store, evaluate))
        tickets = read_all(store)
        store.close()
    print(
        f"  read from the store and evaluated (five clocks), as a sweep meets them, best of"
        f" {args.repeat}: {served:.2f} s → {n / served:,.0f} tickets/s (goal ≥ 20,000)"
    )
    print(f"    of which reading ({PAGE:,} a page): {read:.2f} s → {n / read:,.0f} tickets/s")

    def evaluate_all() -> None:
        for ticket in tickets:
            policy.evaluate(ticket, now)

    clocks = sum(len(policy.evaluate(t, now).results) for t in tickets)
    rate = n / best_of(args.repeat, evaluate_all)
    print(
        f"  SlaPolicy.evaluate on the same tickets in memory: {n:,} tickets, {clocks:,} clocks,"
        f" {rate:,.0f} tickets/s"
    )
    metric = next(m for m in policy.metrics if m.name == "first_response")
    targets = [metric.target_for(t.priority) for t in tickets]

    def baseline() -> None:
        for ticket, target in zip(tickets, targets, strict=True):
            naive_first_response(calendar, ticket, now, target)

    naive = n / best_of(args.repeat, baseline)
    print(
        f"  baseline, the first-response clock alone via WorkCalendar.working_time/add"
        f" on datetimes, in memory: {naive:,.0f} tickets/s"
    )
    print(f"  ratio: five clocks at {rate / naive:.2f}× the speed of the baseline's one clock")
    differ = disagreements(policy, calendar, tickets, now)
    print(
        f"agreement: first-response clock (used, due) of the policy vs the naive baseline,"
        f" {len(differ)} of {n:,} tickets differ"
    )
    for line in differ[:10]:
        print(f"  {line}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
