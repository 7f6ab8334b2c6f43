"""The month's KPIs three ways over the same facts rows: ours, DuckDB and Polars.

Helpers of ``end_to_end.py`` (a file starting with ``_`` is not a benchmark of
its own). The facts rows (:class:`~aftersales.kpi.TicketFacts`, one per ticket
the monthly report reads: the month's cohort, its 30-day look-back and the
open backlog) are written to Parquet once; then each side computes the
figures both can compute (volumes, rates, duration statistics, satisfaction,
SLA cycles, repeat complaints, the daily trend) from that file or from its
own in-memory form of it. :func:`flatten` puts each side's answer in one
shape, name → value, and :func:`differences` lists where two disagree.

DuckDB and Polars come with the ``bench`` extra.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs

from aftersales.kpi import KpiFigures, TicketFacts

#: Dimensions whose volumes (tickets received and not cancelled) are compared.
DIMENSIONS = ("channel", "category", "priority", "agent", "product")
#: Rates compared as (numerator, denominator).
RATES = ("closure", "first_line", "escalation", "second_line", "reopen", "one_touch", "repeat")
_US = timedelta(microseconds=1)
_FIELDS = [field.name for field in attrs.fields(TicketFacts)]
#: Columns that may be null throughout a small month, typed for Parquet.
_INTEGERS = ("received_us", "first_response_us", "first_response_work_us", "resolution_us",
             "resolution_work_us", "age_us", "score")  # fmt: skip


@attrs.frozen
class Bounds:
    """The month in epoch microseconds (half-open), the repeat window and the CSAT threshold."""

    start_us: int
    end_us: int
    window_us: int
    csat_threshold: int


# -- Parquet ------------------------------------------------------------------------------


def write_facts(rows: list[TicketFacts], path: Path) -> None:
    """Write the facts rows to a Parquet file (SLA cycles as a list of structs)."""
    import polars as pl

    columns: dict[str, list[Any]] = {name: [] for name in _FIELDS}
    for row in rows:
        for name in _FIELDS:
            columns[name].append(getattr(row, name))
    columns["sla"] = [
        [{"metric": m, "met": a, "breached": b} for m, a, b in s] for s in columns["sla"]
    ]
    columns["sla_in_progress"] = [
        [{"metric": m, "running": n} for m, n in s] for s in columns["sla_in_progress"]
    ]
    columns["dimensions"] = [
        [{"dimension": d, "score": n} for d, n in s] for s in columns["dimensions"]
    ]
    cycles = pl.List(pl.Struct({"metric": pl.String, "met": pl.Int64, "breached": pl.Int64}))
    running = pl.List(pl.Struct({"metric": pl.String, "running": pl.Int64}))
    dimensions = pl.List(pl.Struct({"dimension": pl.String, "score": pl.Int64}))
    frame = pl.DataFrame(
        columns,
        schema_overrides={
            "sla": cycles,
            "sla_in_progress": running,
            "dimensions": dimensions,
            "ticket_type": pl.String,
            "local_date": pl.Date,
            "product": pl.String,
            "root_cause": pl.String,
            **dict.fromkeys(_INTEGERS, pl.Int64),
        },
    )
    frame.write_parquet(path)


def read_facts(path: Path) -> list[TicketFacts]:
    """The facts rows of a Parquet file written by :func:`write_facts`, as ``TicketFacts``."""
    import polars as pl

    frame = pl.read_parquet(path)
    sla = frame.columns.index("sla")
    running = frame.columns.index("sla_in_progress")
    scored = frame.columns.index("dimensions")
    rows = []
    for values in frame.iter_rows():
        fields = dict(zip(frame.columns, values, strict=True))
        fields["sla"] = tuple((c["metric"], c["met"], c["breached"]) for c in values[sla])
        fields["sla_in_progress"] = tuple((c["metric"], c["running"]) for c in values[running])
        fields["dimensions"] = tuple((c["dimension"], c["score"]) for c in values[scored])
        rows.append(TicketFacts(**fields))
    return rows


# -- the three sides ------------------------------------------------------------------------


def ours(figures: KpiFigures) -> dict[str, Any]:
    """Our figures (from ``ServiceKpis.result()``) in the compared shape."""
    out: dict[str, Any] = {"received": figures.received, "cancelled": figures.cancelled}
    for name in RATES:
        rate = getattr(figures, name)
        out[name] = (rate.numerator, rate.denominator)
    out["backlog"] = figures.backlog
    for name, stats in (("fr", figures.first_response), ("res", figures.resolution)):
        out[name] = tuple(
            None if value is None else value / _US
            for value in (stats.mean, stats.median, stats.p90)
        )
    out["satisfaction"] = (figures.satisfaction.mean, figures.satisfaction.csat)
    for dimension in DIMENSIONS:
        out[dimension] = dict(figures.volumes[dimension])
    out["channel_fr"] = {c.channel: c.mean / _US for c in figures.channel_response}
    out["sla"] = {s.metric: (s.achieved, s.breached) for s in figures.sla}
    out["daily"] = {day.isoformat(): (n, closed) for day, n, closed in figures.daily}
    return out


def _scalars_sql(source: str, b: Bounds) -> str:
    valid = "NOT cancelled"
    stats = []
    for name, column in (("fr", "first_response_work_us"), ("res", "resolution_work_us")):
        where = f"FILTER (WHERE {valid} AND {column} IS NOT NULL)"
        stats += [
            f"avg({column}) {where} AS {name}_mean",
            f"quantile_cont({column}, 0.5) {where} AS {name}_median",
            f"quantile_cont({column}, 0.9) {where} AS {name}_p90",
        ]
    return f"""
        SELECT
          count(*) AS received,
          count(*) FILTER (WHERE cancelled) AS cancelled,
          count(*) FILTER (WHERE {valid}) AS valid,
          count(*) FILTER (WHERE {valid} AND closed) AS closed,
          count(*) FILTER (WHERE {valid} AND complaint) AS complaints,
          count(*) FILTER (WHERE {valid} AND complaint AND closed) AS closed_complaints,
          count(*) FILTER (WHERE {valid} AND first_contact) AS first_contact,
          count(*) FILTER (WHERE {valid} AND escalated) AS escalated,
          count(*) FILTER (WHERE {valid} AND escalated AND closed) AS escalated_closed,
          count(*) FILTER (WHERE {valid} AND ever_closed AND reopened) AS reopened,
          count(*) FILTER (WHERE {valid} AND ever_closed) AS ever_closed,
          count(*) FILTER (WHERE {valid} AND closed AND one_touch) AS one_touch,
          {", ".join(stats)},
          avg(score) FILTER (WHERE {valid}) AS score_mean,
          count(score) FILTER (WHERE {valid}) AS scored,
          count(*) FILTER (WHERE {valid} AND score >= {b.csat_threshold}) AS satisfied
        FROM {source}
        WHERE received_us >= {b.start_us} AND received_us < {b.end_us}
    """


def duckdb_figures(con: Any, source: str, b: Bounds) -> dict[str, Any]:
    """The figures by DuckDB over ``source`` (a table, or ``read_parquet('…')``)."""
    cohort = (
        f"(SELECT * FROM {source} WHERE received_us >= {b.start_us} AND received_us < {b.end_us})"
    )
    valid = f"(SELECT * FROM {cohort} WHERE NOT cancelled)"
    row = con.execute(_scalars_sql(source, b)).fetchone()
    s = dict(zip([d[0] for d in con.description], row, strict=True))
    out: dict[str, Any] = {"received": s["received"], "cancelled": s["cancelled"]}
    n = s["valid"]
    out["closure"] = (s["closed_complaints"], s["complaints"])
    out["first_line"] = (s["first_contact"], n)
    out["escalation"] = (s["escalated"], n)
    out["second_line"] = (s["escalated_closed"], s["escalated"])
    out["reopen"] = (s["reopened"], s["ever_closed"])
    out["one_touch"] = (s["one_touch"], s["closed"])
    (backlog,) = con.execute(f"SELECT count(*) FILTER (WHERE open) FROM {source}").fetchone()
    out["backlog"] = backlog
    for name in ("fr", "res"):
        out[name] = (s[f"{name}_mean"], s[f"{name}_median"], s[f"{name}_p90"])
    csat = None if not s["scored"] else 100 * s["satisfied"] / s["scored"]
    out["satisfaction"] = (s["score_mean"], csat)
    for dimension in DIMENSIONS:
        out[dimension] = dict(
            con.execute(
                f"SELECT {dimension}, count(*) FROM {valid}"
                f" WHERE {dimension} IS NOT NULL GROUP BY 1"
            ).fetchall()
        )
    out["channel_fr"] = dict(
        con.execute(
            f"SELECT channel, avg(first_response_work_us) FROM {valid}"
            " WHERE first_response_work_us IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    out["sla"] = {
        metric: (int(met), int(breached))
        for metric, met, breached in con.execute(
            f"SELECT c.metric, sum(c.met), sum(c.breached)"
            f" FROM (SELECT unnest(sla) AS c FROM {valid}) GROUP BY 1"
        ).fetchall()
    }
    out["repeat"] = tuple(
        con.execute(
            f"""
            SELECT count(*) FILTER (WHERE gap <= {b.window_us}), count(*) FROM (
              SELECT received_us, received_us - lag(received_us) OVER (
                PARTITION BY customer_id, category ORDER BY received_us) AS gap
              FROM {source} WHERE NOT cancelled AND complaint)
            WHERE received_us >= {b.start_us} AND received_us < {b.end_us}
            """
        ).fetchone()
    )
    out["daily"] = {
        day.isoformat(): (n, closed)
        for day, n, closed in con.execute(
            f"SELECT local_date, count(*), count(*) FILTER (WHERE closed AND NOT cancelled)"
            f" FROM {cohort} GROUP BY 1"
        ).fetchall()
    }
    return out


def polars_figures(frame: Any, b: Bounds) -> dict[str, Any]:
    """The figures by Polars over a ``LazyFrame`` (of the Parquet file or of a frame in memory)."""
    import polars as pl

    c = pl.col
    cohort = frame.filter((c("received_us") >= b.start_us) & (c("received_us") < b.end_us))
    valid = cohort.filter(~c("cancelled"))
    stats = []
    for name, column in (("fr", "first_response_work_us"), ("res", "resolution_work_us")):
        values = c(column).drop_nulls()
        stats += [
            values.mean().alias(f"{name}_mean"),
            values.quantile(0.5, "linear").alias(f"{name}_median"),
            values.quantile(0.9, "linear").alias(f"{name}_p90"),
        ]
    scalars = valid.select(
        pl.len().alias("valid"),
        c("closed").sum().alias("closed"),
        c("complaint").sum().alias("complaints"),
        (c("complaint") & c("closed")).sum().alias("closed_complaints"),
        c("first_contact").sum().alias("first_contact"),
        c("escalated").sum().alias("escalated"),
        (c("escalated") & c("closed")).sum().alias("escalated_closed"),
        (c("ever_closed") & c("reopened")).sum().alias("reopened"),
        c("ever_closed").sum().alias("ever_closed"),
        (c("closed") & c("one_touch")).sum().alias("one_touch"),
        *stats,
        c("score").mean().alias("score_mean"),
        c("score").count().alias("scored"),
        (c("score") >= b.csat_threshold).sum().alias("satisfied"),
    )
    totals = cohort.select(pl.len().alias("received"), c("cancelled").sum().alias("cancelled"))
    backlog = frame.select(c("open").sum().alias("backlog"))
    volumes = [
        valid.filter(c(d).is_not_null()).group_by(d).agg(pl.len().alias("n")) for d in DIMENSIONS
    ]
    channel_fr = (
        valid.filter(c("first_response_work_us").is_not_null())
        .group_by("channel")
        .agg(c("first_response_work_us").mean())
    )
    sla = (
        valid.select("sla")
        .explode("sla")
        .drop_nulls()
        .unnest("sla")
        .group_by("metric")
        .agg(c("met").sum(), c("breached").sum())
    )
    gaps = (
        frame.filter(~c("cancelled") & c("complaint"))
        .sort("received_us")
        .with_columns(gap=c("received_us").diff().over("customer_id", "category"))
        .filter((c("received_us") >= b.start_us) & (c("received_us") < b.end_us))
        .select((c("gap") <= b.window_us).sum().alias("hits"), pl.len().alias("total"))
    )
    daily = cohort.group_by("local_date").agg(
        pl.len().alias("n"), (c("closed") & ~c("cancelled")).sum().alias("closed")
    )
    s_frame, t_frame, k_frame, *v_frames, cf_frame, sla_frame, gap_frame, daily_frame = (
        pl.collect_all([scalars, totals, backlog, *volumes, channel_fr, sla, gaps, daily])
    )
    s = s_frame.row(0, named=True)
    t = t_frame.row(0, named=True)
    out: dict[str, Any] = {"received": t["received"], "cancelled": t["cancelled"]}
    n = s["valid"]
    out["closure"] = (s["closed_complaints"], s["complaints"])
    out["first_line"] = (s["first_contact"], n)
    out["escalation"] = (s["escalated"], n)
    out["second_line"] = (s["escalated_closed"], s["escalated"])
    out["reopen"] = (s["reopened"], s["ever_closed"])
    out["one_touch"] = (s["one_touch"], s["closed"])
    out["backlog"] = k_frame.item()
    for name in ("fr", "res"):
        out[name] = (s[f"{name}_mean"], s[f"{name}_median"], s[f"{name}_p90"])
    csat = None if not s["scored"] else 100 * s["satisfied"] / s["scored"]
    out["satisfaction"] = (s["score_mean"], csat)
    for dimension, counts in zip(DIMENSIONS, v_frames, strict=True):
        out[dimension] = dict(counts.iter_rows())
    out["channel_fr"] = dict(cf_frame.iter_rows())
    out["sla"] = {m: (int(met), int(breached)) for m, met, breached in sla_frame.iter_rows()}
    g = gap_frame.row(0, named=True)
    out["repeat"] = (g["hits"], g["total"])
    out["daily"] = {day.isoformat(): (n, closed) for day, n, closed in daily_frame.iter_rows()}
    return out


# -- comparing --------------------------------------------------------------------------------


def flatten(figures: dict[str, Any]) -> dict[str, Any]:
    """One value per name: ``closure.0``, ``channel.phone``, ``sla.resolution.1``…"""
    out: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                put(f"{name}.{key}", item)
        elif isinstance(value, tuple | list):
            for index, item in enumerate(value):
                put(f"{name}.{index}", item)
        else:
            out[name] = value.isoformat() if isinstance(value, date) else value

    for name, value in figures.items():
        put(name, value)
    return out


def differences(ours_: dict[str, Any], theirs: dict[str, Any], side: str) -> tuple[int, list[str]]:
    """How many figures were compared, and the ones ``side`` gives otherwise (1 µs tolerance)."""
    a, b = flatten(ours_), flatten(theirs)
    problems = []
    for name in sorted(set(a) | set(b)):
        x, y = a.get(name, "missing"), b.get(name, "missing")
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y))
        microseconds = name.startswith(("fr.", "res.", "channel_fr."))  # ours rounds to 1 µs
        tolerance = 1.0 if microseconds else 1e-9
        if numbers and math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=tolerance):
            continue
        if x != y:
            problems.append(f"{name}: ours {x!r}, {side} {y!r}")
    return len(a), problems
