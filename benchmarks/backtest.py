"""SLA backtest: a month of N tickets judged under the policy in force and a stricter one.

The store is a SQLite file holding a month (November 2026) of N tickets from
the demo's generator (``aftersales.demo.plan_quarter``, several seeds made in
a process pool, ids prefixed per seed), saved with their projections under
the default policy on the China calendar, as a desk saves them (untimed;
``--db`` keeps it for the next run). The question asked: what would
November have looked like with urgent first responses due in 20 minutes
instead of 30?

* **ours**: ``aftersales.backtest.backtest(store, November, proposed,
  current=policy, workers=W)`` — the tickets judged from their stored facts
  where those can tell, the rest replayed once, spread over W processes;
* **baseline, the naive loop**: the same store, the same month, in one
  process: read every ticket of the month (``stream``, 1,000 a page), each
  as it stood at the month's end, ``evaluate`` under both policies, pair the
  cycles and count — the same work, the same data.

Each side runs in a fresh process forked from this one; printed: its wall
time, tickets/s, and its peak RSS (ours: the parent's and the largest
worker's). Both must agree on every count per metric (cycles, met and
breached under each policy) and on the set of flipped cycles; the script
exits with status 1 when any differs.

Run: ``python benchmarks/backtest.py`` (default 10,000 and 100,000 tickets;
``--tickets 1000000`` for a million, ``--baseline-max`` caps the naive loop,
which is then run on the first tickets of the month only and extrapolated,
as printed); ``--tickets 300 --workers 2`` is a quick check.
"""

from __future__ import annotations

import os
import sys

# benchmarks/calendar.py is named like the stdlib module: keep this folder off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import attrs  # noqa: E402

from aftersales.backtest import backtest, with_target  # noqa: E402
from aftersales.calendar import WorkCalendar  # noqa: E402
from aftersales.demo import plan_quarter, replay  # noqa: E402
from aftersales.kpi import Period  # noqa: E402
from aftersales.kpi.facts import as_of  # noqa: E402
from aftersales.model.query import TicketQuery  # noqa: E402
from aftersales.readmodel import Projector  # noqa: E402
from aftersales.sla import SlaPolicy, SlaState, WorkingTime  # noqa: E402
from aftersales.storage import Save, SQLiteStore  # noqa: E402

sys.path.insert(0, _HERE)
from _processes import MB, in_child  # noqa: E402

TZ = "Asia/Shanghai"
MONTH = Period.parse("2026-11", TZ)
#: Tickets the generator gives for November at scale 1 (about; measured: 425).
PER_SCALE = 425
CHUNK = 5_000


def policies() -> tuple[SlaPolicy, SlaPolicy]:
    calendar = WorkCalendar.china(tz=TZ, complete_years=(2027,))
    current = SlaPolicy.default(calendar)
    proposed = with_target(current, "first_response", "urgent", WorkingTime(timedelta(minutes=20)))
    return current, proposed


def _plans(seed: int, scale: float) -> list[Save]:
    current, _ = policies()
    projector = Projector(current)
    saves = []
    for planned in plan_quarter(seed=seed, start=MONTH.start, end=MONTH.end, scale=scale):
        ticket = replay(attrs.evolve(planned, ticket_id=f"{planned.ticket_id}-{seed:03d}"))
        saves.append(Save(ticket, projection=projector.project(ticket)))
    return saves


def build(path: Path, n: int, workers: int) -> int:
    """A SQLite store of about ``n`` November tickets at ``path`` (kept when it exists)."""
    marker = path.with_suffix(".count")
    if path.exists() and marker.exists():
        return int(marker.read_text())
    seeds = max(1, round(n / CHUNK))
    scale = n / seeds / PER_SCALE
    began, total = time.perf_counter(), 0
    with SQLiteStore(path) as store, ProcessPoolExecutor(workers) as pool:
        for saves in pool.map(_plans, range(seeds), [scale] * seeds):
            store.save_many(saves)
            total += len(saves)
    marker.write_text(str(total))
    print(f"  built {total:,} tickets in {time.perf_counter() - began:.0f} s (untimed)")
    return total


Figures = tuple[dict[str, int], list[tuple[str, str, int, str, str]]]


def naive_backtest(path: str, limit: int | None) -> Figures:
    """The baseline: every ticket of the month evaluated under both policies, cycles paired."""
    current, proposed = policies()
    at = MONTH.end
    counts: Counter[str] = Counter()
    flips = []
    query = TicketQuery(received_from=MONTH.start, received_before=MONTH.end, limit=limit)
    with SQLiteStore(path) as store:
        for ticket in store.stream(query):
            seen = as_of(ticket, at)
            assert seen is not None
            mine = {(r.metric, r.cycle): r for r in current.evaluate(seen, at)}
            theirs = {(r.metric, r.cycle): r for r in proposed.evaluate(seen, at)}
            for key in sorted(mine.keys() | theirs.keys()):
                a, b = mine.get(key), theirs.get(key)
                if not ((a is not None and a.counts) or (b is not None and b.counts)):
                    continue
                before = SlaState.NOT_APPLICABLE if a is None else a.state
                after = SlaState.NOT_APPLICABLE if b is None else b.state
                counts[f"{key[0]} cycles"] += 1
                counts[f"{key[0]} current {before.value}"] += 1
                counts[f"{key[0]} proposed {after.value}"] += 1
                if (before is SlaState.BREACHED) != (after is SlaState.BREACHED):
                    flips.append((seen.id, key[0], key[1], before.value, after.value))
    return dict(counts), sorted(flips)


def ours(path: str, workers: int) -> dict[str, Any]:
    current, proposed = policies()
    began = time.perf_counter()
    with SQLiteStore(path) as store:
        result = backtest(store, MONTH, proposed, current=current, workers=workers)
    wall = time.perf_counter() - began
    counts: dict[str, int] = {}
    for row in result.metrics:
        counts[f"{row.metric} cycles"] = row.cycles
        for side, met, breached in (
            ("current", row.current_met, row.current_breached),
            ("proposed", row.proposed_met, row.proposed_breached),
        ):
            counts[f"{row.metric} {side} met"] = met
            counts[f"{row.metric} {side} breached"] = breached
    flips = sorted((f.ticket_id, f.metric, f.cycle, f.current, f.proposed) for f in result.flips)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / MB
    return {
        "wall": wall,
        "tickets": result.tickets,
        "from_facts": result.from_facts,
        "same_policy_flips": result.same_policy_flips,
        "counts": counts,
        "flips": flips,
        "worker_rss_mb": children,
    }


def baseline(path: str, limit: int | None) -> dict[str, Any]:
    began = time.perf_counter()
    counts, flips = naive_backtest(path, limit)
    return {"wall": time.perf_counter() - began, "counts": counts, "flips": flips}


def disagreements(mine: dict[str, Any], theirs: dict[str, Any]) -> tuple[int, int]:
    """How many compared figures differ, of how many: counts (met, breached, cycles) and flips."""
    wanted = {
        k: v for k, v in theirs["counts"].items() if k.endswith(("met", "breached", "cycles"))
    }
    keys = set(wanted) | {k for k, v in mine["counts"].items() if v}
    differ = sum(1 for k in keys if mine["counts"].get(k, 0) != wanted.get(k, 0))
    flips_a = {tuple(f) for f in mine["flips"]}
    flips_b = {tuple(f) for f in theirs["flips"]}
    return differ + len(flips_a ^ flips_b), len(keys) + len(flips_a | flips_b)


def _build_in_child(path: str, n: int, workers: int) -> dict[str, Any]:
    return {"tickets": build(Path(path), n, workers)}


def run_size(n: int, args: argparse.Namespace, folder: Path) -> tuple[int, int]:
    path = Path(args.db or folder) / f"backtest-{n}.db"
    # built in a process of its own: the sides, forked from this one, start small
    made = int(in_child(_build_in_child, str(path), n, args.workers)["tickets"])
    mine = in_child(ours, str(path), args.workers)
    limit = None if args.baseline_max is None or made <= args.baseline_max else args.baseline_max
    theirs = in_child(baseline, str(path), limit)
    print(
        f"{made:,} tickets received in {MONTH.label} (SQLite, projections under the default policy)"
    )
    print(
        f"  ours, backtest(workers={args.workers}): {mine['wall']:.2f} s"
        f" → {mine['tickets'] / mine['wall']:,.0f} tickets/s; {mine['from_facts']:,} of"
        f" {mine['tickets']:,} judged from stored facts; peak RSS {mine['rss_mb']:.0f} MB"
        f" (largest worker {mine['worker_rss_mb']:.0f} MB); same policy:"
        f" {mine['same_policy_flips']} flips; {len(mine['flips']):,} flips"
    )
    if limit is None:
        print(
            f"  baseline, the naive loop (stream, evaluate both, compare; one process):"
            f" {theirs['wall']:.2f} s → {made / theirs['wall']:,.0f} tickets/s;"
            f" peak RSS {theirs['rss_mb']:.0f} MB"
        )
        print(f"  ratio: ours {theirs['wall'] / mine['wall']:.1f}× as fast")
        return disagreements(mine, theirs)
    per_ticket = theirs["wall"] / limit
    print(
        f"  baseline, the naive loop on the month's first {limit:,} tickets only:"
        f" {theirs['wall']:.2f} s → {1 / per_ticket:,.0f} tickets/s, extrapolated to"
        f" {made:,}: {per_ticket * made:.0f} s; peak RSS {theirs['rss_mb']:.0f} MB"
    )
    print(f"  ratio (extrapolated): ours {per_ticket * made / mine['wall']:.1f}× as fast")
    return 0, 0  # not the same tickets: not compared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", default="10000,100000", help="sizes, comma-separated")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-max", type=int, default=None, metavar="N")
    parser.add_argument("--db", default=None, metavar="FOLDER", help="keep the stores here")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.tickets.split(",")]
    differ = compared = 0
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            d, c = run_size(n, args, Path(folder))
            differ, compared = differ + d, compared + c
    print(
        f"agreement: per-metric counts and flipped cycles, ours vs the naive loop,"
        f" {differ:,} of {compared:,} figures differ"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
