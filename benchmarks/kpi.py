"""KPI aggregation: ServiceKpis beside pandas ``groupby``, both from the same starting point.

Tickets come from the demo generator (``aftersales.demo.plan_quarter``), built
with ``replay`` (events straight into ``Ticket.replay``: driving them through
the desk and a store would measure the store, not the KPIs). Two comparisons,
each side doing the same work from the same data:

1. **From tickets** (``--sample`` tickets, in memory): ours is
   ``ServiceKpis.add(ticket)`` for each (the per-ticket facts step — working
   time on the China calendar, the five SLA clocks — then the accumulators)
   and ``result``; pandas gets the same facts rows from the same
   ``FactsReader``, builds its DataFrame and computes the figures
   (``groupby``, vectorised). The facts step is the same code on both sides
   and dominates both.
2. **From facts rows** (``--tickets`` rows: ``--distinct`` tickets reduced to
   :class:`~aftersales.kpi.TicketFacts` as of the end of December in a
   process pool, untimed, then repeated): ours adds the rows and takes the
   result; pandas builds its DataFrame from the same rows and computes the
   figures. Printed apart: pandas' DataFrame construction, and the figures
   from a DataFrame already built (each side from its own in-memory form of
   the rows).

Both sides must agree on every figure compared, in both comparisons.

Run: ``python benchmarks/kpi.py`` (defaults: 1,000,000 rows from 50,000 distinct
tickets; 10,000 tickets from tickets); ``--tickets 2000 --distinct 300
--workers 1`` is a quick check. The script exits with status 1 when the two
sides disagree on any figure.
"""

from __future__ import annotations

import os
import sys

# benchmarks/calendar.py is named like the stdlib module: keep this folder off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.getcwd()) != _HERE]

import argparse  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from datetime import timedelta  # noqa: E402
from operator import attrgetter  # noqa: E402
from typing import TypeVar  # noqa: E402

import attrs  # noqa: E402
import pandas as pd  # noqa: E402

from aftersales.calendar import WorkCalendar  # noqa: E402
from aftersales.demo import INSTALLED_BASE, plan_quarter, replay  # noqa: E402
from aftersales.kpi import KpiFigures, Period, ServiceKpis, TicketFacts  # noqa: E402
from aftersales.model.ticket import Ticket  # noqa: E402
from aftersales.sla import SlaPolicy  # noqa: E402

MONTH = "2026-12"
T = TypeVar("T")
TZ = "Asia/Shanghai"


def _kpis() -> ServiceKpis:
    calendar = WorkCalendar.china(complete_years=(2027,))
    return ServiceKpis(
        Period.parse(MONTH, TZ),
        calendar,
        policy=SlaPolicy.default(calendar),
        installed_base=INSTALLED_BASE,
    )


def _facts_chunk(args: tuple[int, float]) -> list[TicketFacts]:
    seed, scale = args
    kpis = _kpis()
    out = []
    for planned in plan_quarter(seed=seed, scale=scale):
        facts = kpis.facts(replay(planned))
        if facts is not None:
            out.append(facts)
    return out


def generate(distinct: int, workers: int) -> list[TicketFacts]:
    per_quarter = 1260  # tickets of plan_quarter at scale 1
    chunks = max(workers, math.ceil(distinct / 20_000))
    scale = distinct / per_quarter / chunks
    with ProcessPoolExecutor(workers) as pool:
        parts = pool.map(_facts_chunk, [(1000 + i, scale) for i in range(chunks)])
        return [f for part in parts for f in part]


def with_library(rows: list[TicketFacts]) -> KpiFigures:
    kpis = _kpis()
    add = kpis.add_facts
    for row in rows:
        add(row)
    return kpis.result()


def frame(records: list[tuple[object, ...]], columns: list[str]) -> pd.DataFrame:
    """pandas' form of the facts rows."""
    return pd.DataFrame.from_records(records, columns=columns)


def with_pandas(records: list[tuple[object, ...]], columns: list[str]) -> dict[str, object]:
    """The figures by pandas from the facts rows: the DataFrame, then the figures."""
    return pandas_figures(frame(records, columns))


def pandas_figures(df: pd.DataFrame) -> dict[str, object]:
    """The figures by pandas from a DataFrame of facts rows."""
    kpis = _kpis()
    start_us, end_us = kpis._start_us, kpis._end_us
    cohort = df[(df.received_us >= start_us) & (df.received_us < end_us)]
    valid = cohort[~cohort.cancelled]
    complaints = valid[valid.complaint]
    out: dict[str, object] = {
        "received": len(cohort),
        "closure": (int(complaints.closed.sum()), len(complaints)),
        "first_line": (int(valid.first_contact.sum()), len(valid)),
        "escalation": (int(valid.escalated.sum()), len(valid)),
        "second_line": (int(valid[valid.escalated].closed.sum()), int(valid.escalated.sum())),
        "reopen": (int(valid[valid.ever_closed].reopened.sum()), int(valid.ever_closed.sum())),
        "one_touch": (int(valid[valid.closed].one_touch.sum()), int(valid.closed.sum())),
        "backlog": int(df.open.sum()),
    }
    fr = valid.first_response_work_us.dropna()
    res = valid.resolution_work_us.dropna()
    for name, series in (("fr", fr), ("res", res)):
        out[name] = (series.mean(), series.median(), series.quantile(0.9))
    scores = valid.score.dropna()
    out["satisfaction"] = (scores.mean(), 100 * (scores >= 4).mean())
    for dimension in ("channel", "category", "priority", "agent", "product"):
        out[dimension] = valid.groupby(dimension).size().to_dict()
    out["channel_fr"] = (
        valid.dropna(subset=["first_response_work_us"])
        .groupby("channel")["first_response_work_us"]
        .mean()
        .to_dict()
    )
    sla = valid[["sla"]].explode("sla").dropna()
    sla = pd.DataFrame(sla.sla.tolist(), columns=["metric", "met", "breached"])
    out["sla"] = sla.groupby("metric")[["met", "breached"]].sum().to_dict("index")
    # repeat complaints: a complaint of the same customer and category within 30 days
    # before a cohort complaint
    live = df[~df.cancelled & df.complaint].sort_values(["customer_id", "category", "received_us"])
    gap = live.groupby(["customer_id", "category"]).received_us.diff()
    in_cohort = (live.received_us >= start_us) & (live.received_us < end_us)
    window = timedelta(days=30) // timedelta(microseconds=1)
    out["repeat"] = (int((in_cohort & (gap <= window)).sum()), int(in_cohort.sum()))
    return out


def agree(figures: KpiFigures, frame: dict[str, object]) -> list[str]:
    problems = []

    def same(name: str, ours: object, theirs: object) -> None:
        if isinstance(ours, float) or isinstance(theirs, float):
            if not math.isclose(float(ours), float(theirs), rel_tol=1e-9, abs_tol=1.0):  # type: ignore[arg-type]
                problems.append(f"{name}: {ours} != {theirs}")
        elif ours != theirs:
            problems.append(f"{name}: {ours} != {theirs}")

    same("received", figures.received, frame["received"])
    for name in (
        "closure",
        "first_line",
        "escalation",
        "second_line",
        "reopen",
        "one_touch",
        "repeat",
    ):
        rate = getattr(figures, name)
        same(name, (rate.numerator, rate.denominator), frame[name])
    same("backlog", figures.backlog, frame["backlog"])
    us = timedelta(microseconds=1)
    for name, stats in (("fr", figures.first_response), ("res", figures.resolution)):
        mean, median, p90 = frame[name]  # type: ignore[misc]
        same(f"{name}.mean", stats.mean / us, mean)
        same(f"{name}.median", stats.median / us, median)
        same(f"{name}.p90", stats.p90 / us, p90)
    mean, csat = frame["satisfaction"]  # type: ignore[misc]
    same("satisfaction.mean", figures.satisfaction.mean, mean)
    same("csat", figures.satisfaction.csat, csat)
    for dimension in ("channel", "category", "priority", "agent", "product"):
        same(dimension, dict(figures.volumes[dimension]), frame[dimension])
    channel_fr = {c.channel: c.mean / us for c in figures.channel_response}
    for channel, value in frame["channel_fr"].items():  # type: ignore[attr-defined]
        same(f"channel_fr.{channel}", channel_fr[channel], value)
    sla = {s.metric: {"met": s.achieved, "breached": s.breached} for s in figures.sla}
    same(
        "sla",
        sla,
        {
            k: {"met": int(v["met"]), "breached": int(v["breached"])}
            for k, v in frame["sla"].items()
        },
    )  # type: ignore[attr-defined]
    return problems


def sample_tickets(count: int) -> list[Ticket]:
    """About ``count`` tickets of the demo's quarter (seed 7), replayed."""
    return [replay(planned) for planned in plan_quarter(seed=7, scale=count / 1260)]


def records_of(rows: list[TicketFacts]) -> list[tuple[object, ...]]:
    """The facts rows as plain tuples, in the order of ``TicketFacts``' fields."""
    fields = attrgetter(*(f.name for f in attrs.fields(TicketFacts)))
    return [fields(row) for row in rows]


def from_tickets(tickets: list[Ticket], columns: list[str]) -> list[str]:
    """Comparison 1: both sides start from the same tickets in memory (best of 2); the disagreements."""

    def ours() -> KpiFigures:
        kpis = _kpis()
        for ticket in tickets:
            kpis.add(ticket)
        return kpis.result()

    def theirs() -> dict[str, object]:
        reader = _kpis()
        rows = [f for f in map(reader.facts, tickets) if f is not None]
        return with_pandas(records_of(rows), columns)

    ours_time, figures = best_of(2, ours)
    theirs_time, out = best_of(2, theirs)
    print(f"1. from {len(tickets):,} tickets in memory (both: the facts step, then the figures)")
    print(f"   aftersales ServiceKpis.add + result        : {ours_time:7.2f} s")
    print(f"   facts rows → pandas DataFrame → figures    : {theirs_time:7.2f} s")
    print(f"   ratio                                      : {ours_time / theirs_time:7.2f}× pandas")
    return agree(figures, out)


def best_of(runs: int, action: Callable[[], T]) -> tuple[float, T]:
    """The shortest of ``runs`` timings of ``action``, and its result."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def from_rows(rows: list[TicketFacts], columns: list[str]) -> list[str]:
    """Comparison 2: both sides start from the same facts rows in memory; the disagreements."""
    records = records_of(rows)  # the same rows as plain tuples, for pandas; untimed
    started = time.perf_counter()
    figures = with_library(rows)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    out = with_pandas(records, columns)
    theirs = time.perf_counter() - started
    started = time.perf_counter()
    df = frame(records, columns)
    built = time.perf_counter() - started
    started = time.perf_counter()
    pandas_figures(df)
    figures_only = time.perf_counter() - started
    print(f"2. from {len(rows):,} facts rows in memory (TicketFacts for ours, tuples for pandas)")
    print(f"   aftersales ServiceKpis.add_facts + result  : {ours:7.2f} s")
    print(f"   pandas: rows → DataFrame → figures         : {theirs:7.2f} s")
    print(f"     of which the DataFrame from the rows     : {built:7.2f} s")
    print(f"     and the figures from the DataFrame       : {figures_only:7.2f} s")
    print(f"   ratio, both from the rows                  : {ours / theirs:7.2f}× pandas")
    print(f"   ratio, each from its own form of the rows  : {ours / figures_only:7.2f}× pandas")
    print(
        f"   {MONTH}: {figures.received:,} rows in the month's cohort, backlog {figures.backlog:,}"
    )
    return agree(figures, out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000, help="facts rows (2.)")
    parser.add_argument("--distinct", type=int, default=50_000, help="distinct tickets (2.)")
    parser.add_argument(
        "--sample", type=int, help="tickets (1.); default: --distinct, at most 10,000"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    columns = [f.name for f in attrs.fields(TicketFacts)]

    tickets = sample_tickets(args.sample or min(args.distinct, 10_000))
    problems = from_tickets(tickets, columns)
    del tickets

    started = time.perf_counter()
    distinct = generate(args.distinct, args.workers)
    made = time.perf_counter() - started
    rows = (distinct * math.ceil(args.tickets / len(distinct)))[: args.tickets]
    print(
        f"   ({len(distinct):,} distinct tickets generated, replayed and reduced to facts in "
        f"{made:.1f} s on {args.workers} processes, untimed; repeated to {len(rows):,} rows)"
    )
    problems += from_rows(rows, columns)
    if problems:
        print(f"agreement: {len(problems)} figures DISAGREE:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("agreement: both agree on every figure compared, in both comparisons")


if __name__ == "__main__":
    main()
