"""Reports read from stored facts are the reports of replaying every ticket.

For random worlds (:func:`aftersales.testing.contracts.facts_worlds`: random
histories around a month start, random SLA policies and calendars, tickets
straddling the periods' ends, reopened and cancelled ones, company terms,
tickets saved without facts or with facts of another configuration), the
daily, weekly and monthly reports of a store that keeps facts have the same
``to_dict()`` as those of a store that keeps none (the replay path), at
instants inside and outside the periods and at their ends; on the memory
store and on SQLite (PostgreSQL: ``tests/storage/test_facts_reports_postgres.py``).
Then the demo quarter, both ways, and the note a report carries for facts
computed under another configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import Channel, ProblemCategory
from aftersales.calendar import WorkCalendar
from aftersales.demo.quarter import INSTALLED_BASE, QUARTER_END, plan_quarter, replay
from aftersales.kpi import KpiOptions
from aftersales.readmodel.projection import Projector
from aftersales.reports import daily, monthly, weekly
from aftersales.sla import SlaPolicy
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.storage.ports import Save
from aftersales.testing.contracts.facts import FactsWorld, facts_worlds

_OPTIONS = KpiOptions(batch_threshold=2, repeat_window=timedelta(days=20))
_TERMS = (
    (Channel, "feishu", "Feishu", "飞书"),
    (ProblemCategory, "packaging", "Packaging", "包装破损"),
)


def _reports(world: FactsWorld, at: pendulum.DateTime) -> list[Callable[[Any], Any]]:
    arguments = {
        "calendar": world.calendar,
        "policy": world.policy,
        "options": _OPTIONS,
        "key_customers": {"C2"},
        "at": at,
    }
    month, day = world.month, world.month.first
    return [
        lambda source: daily(source, day.isoformat(), **arguments),
        lambda source: weekly(source, day.isoformat(), **arguments),
        lambda source: monthly(source, month, **arguments),
    ]


def _stored(
    make: Callable[[], Any], world_of: Callable[[Any], FactsWorld]
) -> tuple[Any, Any, FactsWorld]:
    """A store of the world with its facts, and one without (the replay path)."""
    with_facts, without = make(), MemoryStore()
    terms = [
        store.register_term(kind, code, en, zh)
        for store in (with_facts, without)
        for kind, code, en, zh in _TERMS
    ]
    with with_facts.vocabulary.active():
        world = world_of(tuple(terms[:2]))
    with_facts.save_many(world.saves())
    with without.vocabulary.active():
        without.save_many(world.tickets)
    return with_facts, without, world


def _check(make: Callable[[], Any], data: Any) -> None:
    with_facts, without, world = _stored(make, lambda terms: facts_worlds(data, terms))
    try:
        for at in world.instants:
            for report in _reports(world, at):
                assert report(with_facts).to_dict() == report(without).to_dict()
    finally:
        close = getattr(with_facts, "close", None)
        if close is not None:
            close()


_PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@_PROPERTY
@given(data=st.data())
def test_reports_from_the_memory_stores_facts_are_the_replayed_reports(data: Any) -> None:
    _check(MemoryStore, data)


@_PROPERTY
@given(data=st.data())
def test_reports_from_sqlite_facts_are_the_replayed_reports(data: Any) -> None:
    _check(lambda: SQLiteStore(":memory:"), data)


# -- the demo quarter --------------------------------------------------------------------------

_CALENDAR = WorkCalendar.china(complete_years=(2027,))
_POLICY = SlaPolicy.default(_CALENDAR)


@pytest.fixture(scope="module")
def quarter() -> tuple[SQLiteStore, MemoryStore]:
    tickets = [replay(planned) for planned in plan_quarter(seed=5, scale=0.4)]
    projector = Projector(_POLICY)
    with_facts = SQLiteStore(":memory:")
    with_facts.save_many([Save(t, 0, projection=projector.project(t)) for t in tickets])
    without = MemoryStore()
    without.save_many(tickets)
    return with_facts, without


@pytest.mark.parametrize(
    "at",
    [
        QUARTER_END,  # past every event: the previous months read at their ends
        pendulum.datetime(2026, 12, 15, 13, 5, tz="Asia/Shanghai"),  # mid-month: replays straddlers
        pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai"),  # a month start: kept versions
    ],
)
def test_the_demo_quarter_reads_the_same_both_ways(quarter: Any, at: pendulum.DateTime) -> None:
    with_facts, without = quarter
    arguments: dict[str, Any] = {"calendar": _CALENDAR, "policy": _POLICY, "at": at}
    for build, period in ((daily, "2026-11-30"), (weekly, "2026-W48"), (monthly, "2026-12")):
        extra = {"installed_base": INSTALLED_BASE} if build is monthly else {}
        facts_report = build(with_facts, period, **arguments, **extra)
        assert facts_report.to_dict() == build(without, period, **arguments, **extra).to_dict()
        assert facts_report.notes == ()


def test_a_report_says_how_many_facts_were_computed_under_another_configuration() -> None:
    tickets = [replay(planned) for planned in plan_quarter(seed=5, scale=0.2)]
    store = MemoryStore()
    other = Projector(_POLICY, callback_within=timedelta(hours=24))
    first = [
        t
        for t in tickets
        if t.received_at.in_timezone("Asia/Shanghai").date().isoformat() == "2026-12-01"
    ]
    stale = {t.id for t in first[:3]}
    assert len(stale) == 3
    store.save_many(
        [
            Save(t, 0, projection=(other if t.id in stale else Projector(_POLICY)).project(t))
            for t in tickets
        ]
    )
    report = daily(store, "2026-12-01", calendar=_CALENDAR, policy=_POLICY, at=QUARTER_END)
    assert report.notes == (
        "facts of 3 tickets were computed under another policy or calendar;"
        " run `aftersales projections rebuild`",
    )
    plain = MemoryStore()
    plain.save_many(tickets)
    assert (
        report.to_dict()
        == daily(plain, "2026-12-01", calendar=_CALENDAR, policy=_POLICY, at=QUARTER_END).to_dict()
    )


def test_a_batch_made_by_replayed_tickets_is_named_by_the_customers_latest_ticket() -> None:
    """Two product-quality complaints of C1 saved without facts (replayed when read) make a batch;
    a later consultation of C1 under another name is stored with its facts. The batch is
    named by the customer's latest ticket, YY贸易, on both paths (a regression: the facts
    path read names only for customers whose batches it had counted itself)."""
    from aftersales import Customer, FixedClock, ServiceDesk

    calendar = WorkCalendar.china()
    policy = SlaPolicy.default(calendar)
    desk = ServiceDesk(clock=FixedClock(pendulum.datetime(2026, 9, 9, 10, tz="Asia/Shanghai")))
    opened = []
    for ticket_id, day, name, category in (
        ("T4", 9, "YY贸易", ProblemCategory.PRODUCT_QUALITY),
        ("T2", 10, "XX科技", ProblemCategory.PRODUCT_QUALITY),
        ("T1", 16, "YY贸易", ProblemCategory.CONSULTATION),
    ):
        desk.clock.set(pendulum.datetime(2026, 9, day, 10, tz="Asia/Shanghai"))  # type: ignore[attr-defined]
        opened.append(
            desk.open_ticket(
                customer=Customer(id="C1", name=name),
                channel=Channel.PHONE,
                category=category,
                description="开机黑屏" if category is ProblemCategory.PRODUCT_QUALITY else "咨询",
                occurred_at=desk.clock.now(),
                by="李工",
                ticket_id=ticket_id,
            )
        )
    with_facts = SQLiteStore(":memory:")
    projector = Projector(policy)
    with_facts.save_many([Save(t, 0) for t in opened[:2]])  # no facts: replayed when read
    with_facts.save_many([Save(opened[2], 0, projection=projector.project(opened[2]))])
    without = MemoryStore()
    without.save_many(opened)
    at = pendulum.datetime(2026, 9, 30, 12, tz="Asia/Shanghai")
    options = KpiOptions(batch_threshold=2)
    reports = [
        monthly(store, "2026-09", calendar=calendar, policy=policy, options=options, at=at)
        for store in (with_facts, without)
    ]
    events = [[(e.kind, e.name, e.count) for e in r.figures.events] for r in reports]
    assert events[0] == events[1] == [("customer_batch", "YY贸易", 2)]
    with_facts.close()
