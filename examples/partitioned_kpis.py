"""KPIs over partitions in Dask: one ``ServiceKpis`` per partition, merged, equal to one pass.

``ServiceKpis`` is a mergeable accumulator: ``add`` tickets to one per
partition, ``merge`` them in any order and grouping, and ``result()`` gives the
same figures as a single pass over every ticket (its state is integers only).
So a month of tickets spread over many workers, files or database shards is
aggregated exactly, without collecting the tickets in one place.

Run it with ``python examples/partitioned_kpis.py`` (needs the ``examples``
extra for dask).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import dask.bag as db

from aftersales import SlaPolicy, Ticket, WorkCalendar
from aftersales.demo import QUARTER_START, plan_quarter, replay
from aftersales.kpi import KpiFigures, KpiGroups, Period, ServiceKpis

CALENDAR = WorkCalendar.china()
POLICY = SlaPolicy.default(CALENDAR)
NOVEMBER = Period.parse("2026-11", "Asia/Shanghai")


def empty() -> ServiceKpis:
    """A fresh accumulator; every partition's must share this configuration."""
    return ServiceKpis(NOVEMBER, CALENDAR, policy=POLICY)


def accumulate(tickets: Iterable[Ticket]) -> ServiceKpis:
    """The per-partition step."""
    kpis = empty()
    for ticket in tickets:
        kpis.add(ticket)
    return kpis


def merge_all(parts: Iterable[ServiceKpis]) -> ServiceKpis:
    """The aggregation step: merges are associative and commutative."""
    return functools.reduce(ServiceKpis.merge, parts, empty())


def by_channel(tickets: Iterable[Ticket]) -> KpiGroups:
    groups = KpiGroups(empty(), "channel")
    for ticket in tickets:
        groups.add(ticket)
    return groups


def main(scale: float = 0.5, partitions: int = 6) -> KpiFigures:
    # A deterministic quarter of realistic tickets (October–December 2026),
    # built straight from their events; November's report reads the ones
    # around it too (backlog, repeat complaints).
    tickets = [replay(planned) for planned in plan_quarter(seed=11, scale=scale)]
    assert tickets[0].received_at >= QUARTER_START

    single = accumulate(tickets).result()

    bag = db.from_sequence(tickets, npartitions=partitions)
    merged = bag.reduction(accumulate, merge_all).compute(scheduler="threads").result()
    assert merged == single, "partitioned KPIs differ from the single pass"

    # Any order and grouping: the partitions' accumulators merged as a tree, in reverse.
    level = [accumulate(part.compute()) for part in bag.to_delayed()][::-1]
    while len(level) > 1:
        level = [
            level[i].merge(level[i + 1]) if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
    assert level[0].result() == single

    # Groups merge the same way.
    channels = bag.reduction(
        by_channel, lambda groups: functools.reduce(KpiGroups.merge, groups)
    ).compute(scheduler="threads")
    assert channels.result() == by_channel(tickets).result()

    print(
        f"{len(tickets)} tickets in {bag.npartitions} partitions; November: "
        f"received {single.received}, closure {single.closure.percent:.1f} %, "
        f"first-line {single.first_line.percent:.1f} %, "
        f"median first response {single.first_response.median}"
    )
    print("channels:", ", ".join(sorted(channels.result())))
    print("partitioned result == single pass: True")
    return single


if __name__ == "__main__":
    main()
