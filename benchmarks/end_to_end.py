"""End to end: a realistic store of N tickets, timed where the user waits.

For each size N (default 10k, 100k and 1M tickets) the script

1. **builds** a store through the public API: the demo's generator
   (``aftersales.demo.plan_quarter``) laid over three years ending on
   2026-10-01 at the volume that gives N tickets (about 900 a day at 1M),
   from N/3 customers drawn by a Zipf-like law (key accounts among the large
   ones), each ticket folded with ``replay``; open tickets get the SLA notices
   a sweep at the end of the build would have recorded (so that a sweep then
   finds nothing due); then, per chunk of 5,000, ``store.save_many`` of
   ``Save(ticket, 0, projection=desk.projector.project(ticket))`` and the
   chunk's new customers in one unit of work. Generation, projections and
   writes are timed apart; memory stays bounded (one chunk at a time) and a
   progress line goes to stderr;
2. runs what users type, **as subprocesses** (wall time and the child's peak
   RSS, from ``os.wait4``): ``aftersales --version`` (the interpreter's and
   the imports' share of every command), ``aftersales report daily|weekly|monthly
   --db … --as-of …`` on the last day, full week and month, and an SLA sweep
   with nothing due and with 1 % of the open tickets due (``aftersales sla
   sweep`` once it exists; until then what exists, marked as such: open
   tickets read page by page and ``ServiceDesk.check_sla`` on each one that
   has a notice);
3. times library calls in a fresh process each (forked from this small one,
   so that each peak RSS is the call's own): the worklist's first
   page (``find(TicketQuery(due_before=…, order="due", limit=50))``, median
   of warm runs), ``get`` of random ids and a streaming read in received
   order (``store.stream`` where the store has it, else ``find`` pages of
   1,000 by ``after_id``; at most ``--stream`` tickets);
4. the **anchors**: the month's facts rows (the tickets the monthly report
   reads, reduced by ``ServiceKpis.facts``: the per-ticket step that the
   facts projection is to make cheap; timed) written to Parquet; then the
   month's KPIs computed from that same file by ours (Parquet → ``TicketFacts``
   → ``ServiceKpis.add_facts`` → ``result``), DuckDB (SQL on
   ``read_parquet``) and Polars (lazy ``scan_parquet``), and again from each
   one's in-memory form of the same rows (our ``TicketFacts`` list, a DuckDB
   table, a Polars frame): best of ``--repeat``. The ratios ours / DuckDB and
   ours / Polars are printed for both starting points.

All three sides must agree on every figure they both compute (volumes by
dimension, the rates, mean/median/p90 durations, satisfaction, SLA cycles,
repeat complaints, the daily trend): the script prints one ``agreement:``
line and exits with status 1 when any differs.

PostgreSQL: ``--backend postgres`` (a throwaway cluster, or ``--dsn`` for a
server where scratch databases are created and dropped). The CLI reads SQLite
only, so there the reports and the sweep run as library calls in a fresh
process (marked).

Usage:
    python benchmarks/end_to_end.py                          # 10k, 100k, 1M on SQLite
    python benchmarks/end_to_end.py --sizes 10000 100000 --json before.json
    python benchmarks/end_to_end.py --merge before.json big.json   # one table of saved runs
    python benchmarks/end_to_end.py --tiny                   # seconds: the test suite's run
"""

from __future__ import annotations

import os
import sys

# benchmarks/calendar.py is named like the stdlib module: keep this folder off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from itertools import islice  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pendulum  # noqa: E402

from aftersales.calendar import WorkCalendar  # noqa: E402
from aftersales.demo import INSTALLED_BASE  # noqa: E402
from aftersales.kpi import Period, ServiceKpis  # noqa: E402
from aftersales.model.query import TicketQuery  # noqa: E402
from aftersales.reports import daily, monthly, weekly  # noqa: E402
from aftersales.reports.facts_reading import read_period  # noqa: E402
from aftersales.reports.reading import tickets_for  # noqa: E402
from aftersales.service.desk import ServiceDesk  # noqa: E402
from aftersales.time import FixedClock  # noqa: E402

sys.path.insert(0, _HERE)
from _anchors import (  # noqa: E402
    Bounds,
    differences,
    duckdb_figures,
    ours,
    polars_figures,
    read_facts,
    write_facts,
)
from _processes import MB, StageFailed, aftersales_command, in_child, run_command  # noqa: E402
from _realistic_store import (  # noqa: E402
    COMPLETE_YEARS,
    SPAN_END,
    TZ,
    build,
    is_sqlite,
    open_store,
    policy_and_calendar,
)

del sys.path[0]

PAGE = 1_000
#: The calendar options of every command (``--calendar china`` is the default).
CALENDAR = ("--complete-years", *map(str, COMPLETE_YEARS))


# -- 2. the commands -------------------------------------------------------------------------------


def periods() -> dict[str, tuple[str, str, pendulum.DateTime]]:
    """Per report kind: its flag, the last full period before the span's end, and that period's end."""
    last_day = SPAN_END.subtract(days=2).start_of("day")
    monday = SPAN_END.subtract(days=7).start_of("week")
    month = SPAN_END.subtract(days=1).start_of("month")
    return {
        "daily": ("--day", last_day.format("YYYY-MM-DD"), last_day.add(days=1)),
        "weekly": (
            "--week",
            f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}",
            monday.add(weeks=1),
        ),
        "monthly": ("--month", month.format("YYYY-MM"), month.add(months=1)),
    }


def report_in_process(target: str, kind: str) -> dict[str, Any]:
    """A report built by the library (the CLI reads SQLite only): what ``run_report`` does."""
    policy, calendar = policy_and_calendar()
    _, period, end = periods()[kind]
    builder = {"daily": daily, "weekly": weekly, "monthly": monthly}[kind]
    began = time.perf_counter()
    store = open_store(target)
    report = builder(
        store, period, calendar=calendar, policy=policy, key_customers=key_customers(store), at=end
    )
    text = report.to_markdown(lang="zh")
    store.close()
    return {"wall": time.perf_counter() - began, "chars": len(text)}


def key_customers(store: Any) -> set[str]:
    return set(store.find_customer_ids(key_account=True))


def sweep_fallback(target: str, at_iso: str) -> dict[str, Any]:
    """The sweep with what exists before ``ServiceDesk.sweep_sla``: open tickets page by page, ``check_sla``."""
    policy, _ = policy_and_calendar()
    at = pendulum.parse(at_iso)
    assert isinstance(at, pendulum.DateTime)
    began = time.perf_counter()
    store = open_store(target)
    desk = ServiceDesk(store, clock=FixedClock(at), sla=policy)
    if hasattr(desk, "sweep_sla"):
        notices = desk.sweep_sla(at=at)
        store.close()
        return {"wall": time.perf_counter() - began, "notices": len(notices)}
    notices = 0
    after = None
    while True:
        page = store.find(TicketQuery(open_only=True, limit=PAGE, after_id=after))
        for ticket in page:
            if policy.evaluate(ticket, at).notifications:
                notices += len(desk.check_sla(ticket.id, at=at))
        if len(page) < PAGE:
            break
        after = page[-1].id
    store.close()
    return {"wall": time.perf_counter() - began, "notices": notices}


def sweep_call(target: str, at_iso: str) -> dict[str, Any]:
    """``ServiceDesk.sweep_sla`` timed alone, as a long-running sweeper calls it."""
    policy, _ = policy_and_calendar()
    store = open_store(target)
    desk = ServiceDesk(store=store, sla=policy, clock=FixedClock(pendulum.parse(at_iso)))
    began = time.perf_counter()
    notices = desk.sweep_sla()
    wall = time.perf_counter() - began
    store.close()
    return {"wall": wall, "notices": len(notices)}


def store_kpis(target: str, repeat: int) -> dict[str, Any]:
    """The month's KPIs read from the store's facts projection (what the monthly report reads)."""
    store = open_store(target)

    def read() -> Any:
        kpis = month_kpis(store)
        stored = read_period(store, kpis)
        if stored is None or not stored.filled:
            raise StageFailed("the store's facts could not answer the month")
        return kpis.result(), len(stored.replayed)

    wall, (figures, replayed) = best(repeat, read)
    store.close()
    return {"wall": wall, "figures": ours(figures), "replayed": replayed}


def sweep_how() -> str:
    """``cli``: ``aftersales sla sweep`` exists; ``desk``: only ``ServiceDesk.sweep_sla``; else ``fallback``."""
    probe = subprocess.run(
        aftersales_command("sla", "sweep", "--help"), capture_output=True, check=False
    )
    if probe.returncode == 0:
        return "cli"
    return "desk" if hasattr(ServiceDesk, "sweep_sla") else "fallback"


# -- 3. library calls --------------------------------------------------------------------------------


def worklist(target: str, repeat: int) -> dict[str, Any]:
    store = open_store(target)
    query = TicketQuery(due_before=SPAN_END, order="due", limit=50)
    began = time.perf_counter()
    page = store.find(query)
    cold = time.perf_counter() - began
    runs = []
    for _ in range(max(5, 10 * repeat)):
        began = time.perf_counter()
        store.find(query)
        runs.append(time.perf_counter() - began)
    store.close()
    return {"wall": statistics.median(runs), "cold": cold, "tickets": len(page)}


def gets(target: str, count: int) -> dict[str, Any]:
    store = open_store(target)
    ids = store.find_ids(TicketQuery())
    sample = random.Random(5).sample(ids, min(count, len(ids)))
    del ids
    store.get(sample[0])
    began = time.perf_counter()
    for ticket_id in sample:
        store.get(ticket_id)
    wall = time.perf_counter() - began
    store.close()
    return {"wall": wall, "tickets": len(sample)}


def stream(target: str, cap: int) -> dict[str, Any]:
    """Up to ``cap`` tickets in received order: ``store.stream`` where it exists, else pages of ``find``."""
    store = open_store(target)
    total, after = 0, None
    began = time.perf_counter()
    if hasattr(store, "stream"):
        how = f"store.stream, batch {PAGE:,}"
        for _ in islice(store.stream(TicketQuery(), batch=PAGE), cap):
            total += 1
    else:
        how = f"find pages of {PAGE:,} by after_id"
        while total < cap:
            page = store.find(TicketQuery(limit=PAGE, after_id=after))
            total += len(page)
            if len(page) < PAGE:
                break
            after = page[-1].id
    wall = time.perf_counter() - began
    store.close()
    return {"wall": wall, "tickets": total, "how": how}


# -- 4. the anchors ---------------------------------------------------------------------------------


def month_kpis(store: Any = None) -> ServiceKpis:
    policy, calendar = policy_and_calendar()
    _, month, _ = periods()["monthly"]
    keys = set() if store is None else key_customers(store)
    return ServiceKpis(
        Period.parse(month, TZ),
        calendar,
        policy=policy,
        key_customers=keys,
        installed_base=INSTALLED_BASE,
    )


def export_facts(target: str, parquet: str) -> dict[str, Any]:
    """The month's facts rows (as the monthly report reads them) written to Parquet; timed."""
    began = time.perf_counter()
    store = open_store(target)
    kpis = month_kpis(store)
    tickets = tickets_for(store, kpis)
    read = time.perf_counter()
    rows = [f for f in map(kpis.facts, tickets) if f is not None]
    reduced = time.perf_counter()
    write_facts(rows, Path(parquet))
    store.close()
    return {
        "read": read - began,
        "facts": reduced - read,
        "write": time.perf_counter() - reduced,
        "wall": time.perf_counter() - began,
        "rows": len(rows),
    }


def best(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - began)
    return min(times), result


def anchors(parquet: str, repeat: int) -> dict[str, Any]:
    """The month's KPIs by ours, DuckDB and Polars, from the Parquet file and from memory."""
    import duckdb
    import polars as pl

    kpis = month_kpis()
    bounds = Bounds(
        start_us=WorkCalendar.epoch_us(kpis.period.start),
        end_us=WorkCalendar.epoch_us(kpis.period.end),
        window_us=int(kpis.options.repeat_window.total_seconds()) * 1_000_000,
        csat_threshold=kpis.options.csat_threshold,
    )

    def aggregate(rows: list[Any]) -> dict[str, Any]:
        acc = kpis.empty()
        add = acc.add_facts
        for row in rows:
            add(row)
        return ours(acc.result())

    timings: dict[str, float] = {}
    figures: dict[str, dict[str, Any]] = {}
    timings["ours_parquet"], figures["ours"] = best(
        repeat, lambda: aggregate(read_facts(Path(parquet)))
    )
    rows = read_facts(Path(parquet))
    timings["ours_memory"], _ = best(repeat, lambda: aggregate(rows))
    con = duckdb.connect()
    source = f"read_parquet('{parquet}')"
    timings["duckdb_parquet"], figures["DuckDB from Parquet"] = best(
        repeat, lambda: duckdb_figures(con, source, bounds)
    )
    con.execute(f"CREATE TABLE facts AS SELECT * FROM {source}")
    timings["duckdb_memory"], figures["DuckDB in memory"] = best(
        repeat, lambda: duckdb_figures(con, "facts", bounds)
    )
    timings["polars_parquet"], figures["Polars from Parquet"] = best(
        repeat, lambda: polars_figures(pl.scan_parquet(parquet), bounds)
    )
    frame = pl.read_parquet(parquet)
    timings["polars_memory"], figures["Polars in memory"] = best(
        repeat, lambda: polars_figures(frame.lazy(), bounds)
    )
    return {
        "timings": timings,
        "figures": figures,
        "rows": len(rows),
        "versions": {"duckdb": duckdb.__version__, "polars": pl.__version__},
    }


# -- one size ------------------------------------------------------------------------------------------

#: The rows of the table, in order: (key, label, unit of the rate).
WORK = (
    ("generate", "build: generate (plan, replay, SLA catch-up)", "tickets/s"),
    ("project", "build: projections (desk.projector)", "tickets/s"),
    ("save", "build: save_many + customers", "tickets/s"),
    ("build", "build: total (peak RSS of the build)", "tickets/s"),
    ("startup", "aftersales --version (start-up)", ""),
    ("daily", "report daily", ""),
    ("weekly", "report weekly", ""),
    ("monthly", "report monthly", ""),
    ("sweep_none", "sla sweep, nothing due", "tickets/s"),
    ("sweep_due", "sla sweep, 1 % of open due", "notices/s"),
    ("sweep_lib_none", "ServiceDesk.sweep_sla, nothing due (the call)", "tickets/s"),
    ("sweep_lib_due", "ServiceDesk.sweep_sla, next 1 % due (the call)", "notices/s"),
    ("worklist", "worklist: first page of 50 (median)", ""),
    ("get", "get: random ids", "tickets/s"),
    ("find", "find: streaming, received order", "tickets/s"),
    ("facts", "month's facts rows → Parquet", "rows/s"),
    ("ours_store", "month's KPIs: ours from the store's facts projection", "rows/s"),
    ("ours_parquet", "month's KPIs: ours from Parquet", "rows/s"),
    ("duckdb_parquet", "month's KPIs: DuckDB from Parquet", "rows/s"),
    ("polars_parquet", "month's KPIs: Polars from Parquet", "rows/s"),
    ("ours_memory", "month's KPIs: ours from rows in memory", "rows/s"),
    ("duckdb_memory", "month's KPIs: DuckDB from its table", "rows/s"),
    ("polars_memory", "month's KPIs: Polars from its frame", "rows/s"),
)


def row(wall: float, count: float | None, rss: float | None, note: str = "") -> dict[str, Any]:
    return {"wall": wall, "rate": None if count is None else count / wall, "rss": rss, "note": note}


def run_size(n: int, args: argparse.Namespace, target: str, folder: Path) -> dict[str, Any]:
    """Every measurement on one store of about ``n`` tickets."""
    print(f"\n== {n:,} tickets ({'SQLite' if is_sqlite(target) else 'PostgreSQL'}) ==")
    out: dict[str, Any] = {"n": n, "rows": {}, "notes": []}
    rows = out["rows"]
    built = in_child(build, target, n, args.years)
    t = built["timings"]
    total = built["tickets"]
    rows["generate"] = row(t["generate"], total, None)
    rows["project"] = row(t["project"], total, None)
    rows["save"] = row(t["save"], total, None)
    rows["build"] = row(built["total"], total, built["rss_mb"])
    size = built["bytes"]
    out["meta"] = {k: built[k] for k in ("tickets", "events", "customers", "open")}
    out["notes"].append(
        f"build: {t['bookkeeping']:.1f} s of the benchmark's own bookkeeping (the next alert of"
        " each open ticket, to find when 1 % are due) left out of every build row"
    )
    print(
        f"built {total:,} tickets ({built['events']:,} events, {built['customers']:,} customers,"
        f" {built['open']:,} open) in {built['total']:.1f} s; save_many"
        f" {total / t['save']:,.0f} tickets/s"
        + ("" if size is None else f"; {size / 2**20:,.0f} MB, {size / total:,.0f} bytes/ticket")
    )
    sqlite = is_sqlite(target)
    done = run_command(aftersales_command("--version"), folder)
    rows["startup"] = row(done["wall"], None, done["rss_mb"])
    for kind, (flag, period, end) in periods().items():
        if sqlite:
            md = str(folder / "report.md")
            argv = ["report", kind, flag, period, "--db", target, "--as-of", end.isoformat()]
            done = run_command(aftersales_command(*argv, *CALENDAR, "--md", md), folder)
            note = "" if done["status"] == 0 else f"FAILED: {done['stderr']}"
            rows[kind] = row(done["wall"], None, done["rss_mb"], note)
        else:
            done = in_child(report_in_process, target, kind)
            rows[kind] = row(done["wall"], None, done["rss_mb"], "library (CLI: SQLite only)")
        print(f"report {kind} {period}: {rows[kind]['wall']:.2f} s {rows[kind]['note']}")
    done = in_child(worklist, target, args.repeat)
    rows["worklist"] = row(done["wall"], None, done["rss_mb"], f"cold {done['cold'] * 1e3:.1f} ms")
    done = in_child(gets, target, args.gets)
    rows["get"] = row(done["wall"], done["tickets"], done["rss_mb"])
    done = in_child(stream, target, args.stream)
    note = f"{done['tickets']:,} read, {done['how']}"
    rows["find"] = row(done["wall"], done["tickets"], done["rss_mb"], note)
    parquet = str(folder / "facts.parquet")
    done = in_child(export_facts, target, parquet)
    rows["facts"] = row(
        done["wall"],
        done["rows"],
        done["rss_mb"],
        f"read {done['read']:.2f} s, facts {done['facts']:.2f} s, write {done['write']:.2f} s",
    )
    done = in_child(anchors, parquet, args.repeat)
    for key, seconds in done["timings"].items():
        rows[key] = row(seconds, done["rows"], None)
    stored = in_child(store_kpis, target, args.repeat)
    rows["ours_store"] = row(
        stored["wall"], done["rows"], stored["rss_mb"], f"{stored['replayed']:,} tickets replayed"
    )
    _, where = differences(done["figures"]["ours"], stored["figures"], "the store")
    if where:
        raise StageFailed(f"the store's facts and the Parquet rows differ: {where[:5]}")
    out["notes"].append(f"anchors' process (all six KPI runs): peak RSS {done['rss_mb']:,.0f} MB")
    out["figures"] = done["figures"]
    out["versions"] = done["versions"]
    out["ratios"] = {
        f"ours / {side} ({start})": rows[f"ours_{start}"]["wall"] / rows[f"{side}_{start}"]["wall"]
        for side in ("duckdb", "polars")
        for start in ("parquet", "memory")
    }
    for side in ("duckdb", "polars"):
        out["ratios"][f"ours from the store / {side} (parquet)"] = (
            rows["ours_store"]["wall"] / rows[f"{side}_parquet"]["wall"]
        )
    repeat_rate = done["figures"]["ours"]["repeat"]
    out["notes"].append(
        f"month {periods()['monthly'][1]}: {done['figures']['ours']['received']:,} received,"
        f" {done['rows']:,} facts rows read (cohort, look-back, backlog);"
        f" repeat complaints {repeat_rate[0]:,} of {repeat_rate[1]:,}"
    )
    sweeps(out, target, built, folder)
    return out


def sweeps(out: dict[str, Any], target: str, built: dict[str, Any], folder: Path) -> None:
    """The SLA sweep at the build's end (nothing due), then when 1 % of the open tickets are due."""
    how = (
        sweep_how()
        if is_sqlite(target)
        else ("desk" if hasattr(ServiceDesk, "sweep_sla") else "fallback")
    )
    label = {
        "cli": "aftersales sla sweep",
        "desk": "ServiceDesk.sweep_sla (the CLI reads SQLite only)",
        "fallback": "BEFORE: no sweep yet; open tickets page by page + check_sla",
    }[how]
    at_due = pendulum.from_timestamp(built["at_due"], tz=TZ)
    for key, at in (("sweep_none", SPAN_END), ("sweep_due", at_due)):
        if how == "cli":
            argv = ["sla", "sweep", "--db", target, "--at", at.isoformat(), *CALENDAR]
            done = run_command(aftersales_command(*argv), folder)
            said = re.search(r"([\d,]+) SLA notices? recorded", done["stdout"])
            count = None if said is None else int(said.group(1).replace(",", ""))
            note = f"{label}; {count:,} notices" if count is not None else label
            if done["status"] != 0:
                note = f"{label}: FAILED {done['stderr']}"
        elif is_sqlite(target):
            done = run_command(
                [sys.executable, __file__, "--sweep-fallback", target, at.isoformat()], folder
            )
            if done["status"] != 0:
                raise StageFailed(done["stderr"])
            result = json.loads(done["stdout"])
            note = f"{label}; {result['notices']:,} notices"
            count = result["notices"]
        else:
            result = in_child(sweep_fallback, target, at.isoformat())
            done = {"wall": result["wall"], "rss_mb": result["rss_mb"]}
            note = f"{label} (library); {result['notices']:,} notices"
            count = result["notices"]
        open_ = built["open"]
        rate = open_ if key == "sweep_none" else count
        out["rows"][key] = row(done["wall"], rate, done["rss_mb"], note)
        print(f"{key}: {done['wall']:.2f} s, {note}")
    if hasattr(ServiceDesk, "sweep_sla"):
        at_next = pendulum.from_timestamp(built["at_due_next"], tz=TZ)
        for key, at in (("sweep_lib_none", at_due), ("sweep_lib_due", at_next)):
            done = in_child(sweep_call, target, at.isoformat())
            rate = built["open"] if key == "sweep_lib_none" else done["notices"]
            note = f"store opened first; {done['notices']:,} notices"
            out["rows"][key] = row(done["wall"], rate, done["rss_mb"], note)
            print(f"{key}: {done['wall'] * 1e3:.1f} ms, {note}")
        out["notes"].append(
            f"library sweep at {at_next.format('YYYY-MM-DD HH:mm')}:"
            f" {built['due_next_expected']:,} more open tickets expected due"
        )
    out["notes"].append(
        f"sweep at {at_due.format('YYYY-MM-DD HH:mm')}: {built['due_expected']:,} of"
        f" {built['open']:,} open tickets expected due"
    )


# -- the table --------------------------------------------------------------------------------------


def short(n: int) -> str:
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size and n % (size // 10) == 0:
            return f"{n / size:g}{suffix}"
    return f"{n:,}"


def cell_wall(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def table(results: list[dict[str, Any]]) -> list[str]:
    head = "| work |" + "".join(f" {short(r['n'])} wall | rate | peak RSS |" for r in results)
    lines = [head, "|---|" + "---:|---:|---:|" * len(results)]
    for key, label, unit in WORK:
        cells = []
        for result in results:
            cell = result["rows"].get(key)
            if cell is None:
                cells.append(" – | – | – |")
                continue
            rate = "" if cell["rate"] is None else f"{cell['rate']:,.0f} {unit}"
            rss = "" if cell["rss"] is None else f"{cell['rss']:,.0f} MB"
            cells.append(f" {cell_wall(cell['wall'])} | {rate} | {rss} |")
        lines.append(f"| {label} |" + "".join(cells))
    for name in results[0]["ratios"] if results else ():
        ratios = "".join(f" {r['ratios'][name]:.2f}× | | |" for r in results)
        lines.append(f"| ratio {name} |{ratios}")
    return lines


def print_table(results: list[dict[str, Any]], floor_mb: float) -> None:
    print("\n" + "\n".join(table(results)))
    print(
        f"\npeak RSS: of the command's own process (CLI), or of a process forked from this one"
        f" (whose imports take {floor_mb:,.0f} MB)"
    )
    for result in results:
        for key, _, _ in WORK:
            note = result["rows"].get(key, {}).get("note")
            if note:
                print(f"  {short(result['n'])} {key}: {note}")
        for note in result["notes"]:
            print(f"  {short(result['n'])} {note}")


# -- main -------------------------------------------------------------------------------------------


def stores(args: argparse.Namespace, folder: Path) -> Iterator[Callable[[int], Any]]:
    """Yields ``scratch(n)``: a context manager giving the target of a new, empty store."""
    from contextlib import contextmanager

    if args.backend == "sqlite":

        @contextmanager
        def sqlite_scratch(n: int) -> Iterator[str]:
            path = folder / f"store-{n}.db"
            yield str(path)
            if not args.keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)

        yield sqlite_scratch
        return
    sys.path.insert(0, _HERE)
    from storage import postgres_server, scratch_database  # benchmarks/storage.py (drops _HERE)

    with postgres_server(args.dsn) as server:
        if server is None:
            raise SystemExit("PostgreSQL: no server (see above)")
        dsn, description = server
        print(f"PostgreSQL ({description})")

        @contextmanager
        def postgres_scratch(n: int) -> Iterator[str]:
            with scratch_database(dsn, f"aftersales_e2e_{os.getpid()}_{n}") as database:
                yield database

        yield postgres_scratch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--years", type=float, default=3.0, help="span of the generated tickets")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--dsn", help="a PostgreSQL server for scratch databases (else throwaway)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of in-process timings (best)")
    parser.add_argument("--gets", type=int, default=2_000, help="random ids read with get")
    parser.add_argument("--stream", type=int, default=100_000, help="tickets read by find pages")
    parser.add_argument("--keep", metavar="DIR", help="keep the SQLite stores in DIR")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--merge", nargs="+", metavar="FILE", help="print one table of saved runs")
    parser.add_argument("--tiny", action="store_true", help="a run of seconds (the test suite's)")
    parser.add_argument("--sweep-fallback", nargs=2, metavar=("DB", "AT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sweep_fallback:
        print(json.dumps(sweep_fallback(*args.sweep_fallback)))
        return 0
    if args.merge:
        results = [r for name in args.merge for r in json.loads(Path(name).read_text())["results"]]
        print("\n".join(table(sorted(results, key=lambda r: r["n"]))))
        return 0
    if args.tiny:
        args.sizes, args.years, args.repeat, args.gets, args.stream = [500], 0.25, 1, 100, 1_000
    floor_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MB
    results = []
    compared, problems = 0, []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for new_store in stores(args, folder):
            for n in args.sizes:
                with new_store(n) as target:
                    result = run_size(n, args, target, folder)
                results.append(result)
                mine = result["figures"]["ours"]
                for side, theirs in result["figures"].items():
                    if side == "ours":
                        continue
                    count, found = differences(mine, theirs, side)
                    compared += count
                    problems += [f"{short(n)}: {p}" for p in found]
    print_table(results, floor_mb)
    if results:
        versions = results[0]["versions"]
        print(
            f"DuckDB {versions['duckdb']}, Polars {versions['polars']}, Python {sys.version.split()[0]}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results}, indent=1, default=str))
    print(
        f"agreement: the month's KPIs, ours vs DuckDB and Polars on the same facts rows,"
        f" {len(problems):,} of {compared:,} figures differ"
    )
    for problem in problems[:20]:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
