"""The facts projection part of the storage contract: ``find_facts``, ``save_projections``, ``read_facts``.

:class:`FactsContract` is the suite of a :class:`~aftersales.storage.FactsStore`.
Its examples check that the facts a save carries are what ``find_facts``
lists (filters, order, removal by a save without facts), that
``save_projections`` rewrites only tickets still at the projected version,
and that bad arguments are refused. Its hypothesis test draws random worlds
(:func:`facts_worlds`: tickets of a few customers around a month start,
random histories with reopenings and cancellations, complaints and other
ticket types, visits scored by dimension, company terms, random
SLA policies and calendars, tickets saved without facts or with facts of
another configuration) and holds the KPI figures a store's ``read_facts``
gives, at instants inside and outside the periods and at their ends, to the
figures of replaying every ticket, and its answer to the reference
(:func:`~aftersales.readmodel.reading.read_from_projections`).

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryFacts(FactsContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> list(TestMemoryFacts().make_store().find_facts())
    []
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import strategies as st

from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.kpi.options import KpiOptions
from aftersales.kpi.periods import Period
from aftersales.kpi.service import ServiceKpis
from aftersales.lifecycle import TRANSITIONS
from aftersales.model.events import EVENTS_BY_COMMAND, NoteAdded, TicketOpened
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import Projector, TicketProjection
from aftersales.readmodel.reading import FactsReading, FactsRequest, read_from_projections
from aftersales.sla import SlaPolicy
from aftersales.storage.ports import Save
from aftersales.storage.ports.facts import FactsStore
from aftersales.testing.contracts.builders import BASE, advance, build_ticket
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test
from aftersales.testing.strategies import (
    CALENDAR_ANCHORS,
    command_applies,
    command_arguments,
    sla_policies,
    texts,
    work_calendars,
)
from aftersales.vocab import Channel, Priority, ProblemCategory, TicketType

__all__ = ["FactsContract", "FactsWorld", "facts_worlds", "figures_by_replay", "figures_from"]


@attrs.frozen
class FactsWorld:
    """A drawn world: a configuration, tickets with their projections, instants to read at.

    ``projections`` holds, per ticket, the projection saved with it (``None``:
    saved without); ``month`` is the month whose start the tickets surround.

    Example:
        >>> FactsWorld(None, WorkCalendar.always("UTC"), (), {}, (), Period.parse("2026-10", "UTC")).tickets
        ()
    """

    policy: SlaPolicy | None
    calendar: WorkCalendar
    tickets: tuple[Ticket, ...]
    projections: dict[str, TicketProjection | None]
    instants: tuple[pendulum.DateTime, ...]
    month: Period

    def saves(self) -> list[Save]:
        """The saves that store the world."""
        return [Save(t, 0, projection=self.projections[t.id]) for t in self.tickets]

    def periods(self) -> list[Period]:
        """The month, its first week and its first day, and the month before."""
        tz = self.month.tz
        return [
            self.month,
            self.month.previous(),
            Period.of_date("week", self.month.first, tz),
            Period.of_date("day", self.month.first, tz),
        ]


_GAPS = st.one_of(
    st.just(0),
    st.integers(1, 180).map(lambda m: m * 60),
    st.integers(1, 96).map(lambda h: h * 3600 + 17),
    st.integers(1, 25).map(lambda d: d * 86400 + 311),
)


def _ticket(
    data: Any,
    ticket_id: str,
    opened_at: pendulum.DateTime,
    customers: list[str],
    terms: tuple[Channel, ProblemCategory],
) -> Ticket:
    draw = data.draw
    opening = TicketOpened(
        ticket_id=ticket_id,
        seq=1,
        at=opened_at,
        by="李工",
        customer_id=draw(st.sampled_from(customers)),
        customer_name=draw(st.sampled_from(["XX科技", "YY贸易"])),
        channel=draw(st.sampled_from([Channel.PHONE, Channel.EMAIL, terms[0]])),
        category=draw(
            st.sampled_from(
                [ProblemCategory.PRODUCT_QUALITY, ProblemCategory.CONSULTATION, terms[1]]
            )
        ),
        ticket_type=draw(st.none() | st.sampled_from(TicketType.members())),
        occurred_at=opened_at - timedelta(hours=1),
        description=draw(texts(12)),
        priority=draw(st.sampled_from(list(Priority))),
    )
    ticket = Ticket.replay([opening])
    for _ in range(draw(st.integers(0, 9))):
        allowed = [c for c in TRANSITIONS.allowed(ticket.status) if command_applies(c, ticket)]
        if not allowed:
            break
        command = draw(st.sampled_from(allowed))
        at = ticket.updated_at + timedelta(seconds=draw(_GAPS))
        payload = draw(command_arguments(command, ticket, at))
        event = ticket.new_event(EVENTS_BY_COMMAND[command], by="李工", at=at, **payload)
        ticket = ticket.apply(event)
    return ticket


def facts_worlds(
    data: Any, terms: tuple[Channel, ProblemCategory], *, max_tickets: int = 8
) -> FactsWorld:
    """Draw a :class:`FactsWorld` with ``data`` (a hypothesis ``st.data()``).

    ``terms`` are a company channel and category the tickets may use besides
    built-in ones (the vocabulary active while drawing must know them).
    """
    draw = data.draw
    calendar = draw(work_calendars())
    policy = draw(st.none() | sla_policies(st.just(calendar)))
    zone = calendar.tz.name
    month = Period.of_date("month", CALENDAR_ANCHORS[zone][1], zone)
    start = month.start
    customers = ["C1", "C2", "C3"][: draw(st.integers(1, 3))]
    tickets = []
    for index in range(draw(st.integers(1, max_tickets))):
        offset = draw(st.integers(-40 * 24, 30 * 24)) * 3600 + draw(st.integers(0, 3599))
        opened = start + timedelta(seconds=offset)
        tickets.append(_ticket(data, f"T{index}", opened, customers, terms))
    keep = draw(st.sampled_from([("month",), ("week", "month")]))
    projector = Projector(policy, calendar, keep=keep)
    foreign = Projector(policy, calendar, callback_within=timedelta(hours=7), keep=keep)
    projections: dict[str, TicketProjection | None] = {}
    for ticket in tickets:
        kind = draw(st.sampled_from(["facts", "facts", "facts", "none", "foreign"]))
        chosen = {"facts": projector, "foreign": foreign}.get(kind)
        projections[ticket.id] = None if chosen is None else chosen.project(ticket)
    events = [e.at for t in tickets for e in t.history]
    fixed = [
        month.start,
        month.end,
        month.previous().start,
        Period.of_date("week", month.first, zone).end,
    ]
    instants = [*fixed, draw(st.sampled_from(events)), draw(st.sampled_from(events)).add(seconds=1)]
    instants.append(start.add(seconds=draw(st.integers(-30 * 86400, 40 * 86400))))
    breaches = sorted(
        {
            cycle.breach_us
            for projection in projections.values()
            if projection is not None and projection.facts
            for cycle in projection.facts[-1].cycles
            if cycle.breach_us is not None
        }
    )
    if breaches:  # a running clock read at the very microsecond it breaches, and just before
        breach = calendar.from_epoch_us(draw(st.sampled_from(breaches)))
        instants += [breach, breach.subtract(microseconds=1)]
    return FactsWorld(policy, calendar, tuple(tickets), projections, tuple(instants), month)


def _kpis(world: FactsWorld, period: Period, at: pendulum.DateTime) -> ServiceKpis:
    return ServiceKpis(
        period,
        world.calendar,
        policy=world.policy,
        at=at,
        options=KpiOptions(batch_threshold=2, repeat_window=timedelta(days=20)),
        key_customers={"C2"},
    )


def figures_by_replay(world: FactsWorld, period: Period, at: pendulum.DateTime) -> dict[str, Any]:
    """The figures of ``period`` read at ``at``, every ticket of the world replayed."""
    kpis = _kpis(world, period, at)
    for ticket in world.tickets:
        kpis.add(ticket)
    return kpis.result().to_dict()


def figures_from(
    reading: FactsReading, world: FactsWorld, period: Period, at: pendulum.DateTime
) -> dict[str, Any]:
    """The figures a reader makes of ``reading``: the summary, and its tickets replayed."""
    kpis = _kpis(world, period, at)
    assert reading.summary is not None
    kpis.absorb(reading.summary)
    by_id = {t.id: t for t in world.tickets}
    for ticket_id in reading.fallback:
        facts = kpis.facts(by_id[ticket_id])
        if facts is not None:
            kpis.add_facts(facts, arrival=False)
    for ticket_id in reading.missing:
        kpis.add(by_id[ticket_id])
    return kpis.result().to_dict()


def _register(store: Any) -> tuple[Channel, ProblemCategory]:
    return (
        store.register_term(Channel, "feishu", "Feishu", "飞书"),
        store.register_term(ProblemCategory, "packaging", "Packaging", "包装破损"),
    )


class FactsContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.FactsStore` (and its agreement with replaying).

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteFacts(FactsContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteFacts().make_store(), FactsStore)
        True
    """

    hypothesis_examples = 25

    def _projector(self) -> Projector:
        calendar = WorkCalendar.always("Asia/Shanghai")
        return Projector(SlaPolicy.default(calendar), calendar)

    def test_is_a_facts_store(self, store: Any) -> None:
        assert isinstance(store, FactsStore)

    def test_lists_the_facts_each_save_carried(self, store: Any) -> None:
        projector = self._projector()
        tickets = [build_ticket(f"F{i}", minutes=10 - i) for i in range(4)]
        tickets[1] = advance(tickets[1], NoteAdded, text="已致电")
        store.save_many([Save(t, 0, projection=projector.project(t)) for t in tickets])
        found = list(store.find_facts())
        assert [f.ticket_id for f in found] == ["F3", "F2", "F1", "F0"]  # by receipt
        assert found == [projector.project(t).facts[-1] for t in reversed(tickets)]
        window = list(
            store.find_facts(
                received_from=BASE.add(minutes=8), received_before=BASE.add(minutes=10)
            )
        )
        assert [f.ticket_id for f in window] == ["F2", "F1"]
        assert [f.ticket_id for f in store.find_facts(ticket_ids=["F0", "F9"])] == ["F0"]
        assert list(store.find_facts(key="another")) == []
        assert len(list(store.find_facts(key=projector.key))) == 4

    def test_a_save_without_facts_removes_the_earlier_ones(self, store: Any) -> None:
        projector = self._projector()
        ticket = build_ticket("F1")
        store.save(ticket, expected_version=0, projection=projector.project(ticket))
        later = advance(ticket, NoteAdded, text="已致电")
        store.save(later, expected_version=1)
        assert list(store.find_facts()) == []
        store.save(
            advance(later, NoteAdded, text="再次致电"),
            expected_version=2,
            projection=projector.project(advance(later, NoteAdded, text="再次致电")),
        )
        assert [f.version for f in store.find_facts()] == [3]

    def test_save_projections_rewrites_only_tickets_at_the_projected_version(
        self, store: Any
    ) -> None:
        projector = self._projector()
        first, second = build_ticket("F1"), build_ticket("F2", minutes=1)
        store.save_many([first, second])
        moved = advance(second, NoteAdded, text="已致电")
        store.save(moved, expected_version=1)
        written = store.save_projections(
            [
                ("F1", projector.project(first)),
                ("F2", projector.project(second)),  # F2 moved on to version 2
                ("F3", projector.project(build_ticket("F3"))),  # not stored
            ]
        )
        assert written == 1
        assert [f.ticket_id for f in store.find_facts()] == ["F1"]

    @pytest.mark.parametrize(
        "items",
        [
            [("F1", "not a projection")],
            [("bad id!", TicketProjection(key="k", version=1))],
            ["F1"],
            5,
        ],
    )
    def test_save_projections_refuses_bad_items_and_writes_nothing(
        self, store: Any, items: Any
    ) -> None:
        projector = self._projector()
        ticket = build_ticket("F1")
        store.save(ticket, expected_version=0)
        with pytest.raises(InvalidData):
            store.save_projections(
                [("F1", projector.project(ticket)), *items] if isinstance(items, list) else items
            )
        assert list(store.find_facts()) == []

    def test_save_projections_refuses_another_tickets_facts(self, store: Any) -> None:
        projector = self._projector()
        first, second = build_ticket("F1"), build_ticket("F2")
        store.save_many([first, second])
        with pytest.raises(InvalidData) as raised:
            store.save_projections([("F2", projector.project(first))])
        assert "'F1'" in str(raised.value)
        assert "'F2'" in str(raised.value)
        assert list(store.find_facts()) == []

    @pytest.mark.parametrize(
        ("arguments", "named"),
        [
            ({"received_from": "2026-10-01"}, "received_from"),
            ({"received_before": pendulum.naive(2026, 10, 1)}, "received_before"),
            ({"ticket_ids": "T1"}, "ticket_ids"),
            ({"ticket_ids": ["bad id!"]}, "ticket_ids[0]"),
            ({"key": 5}, "key"),
        ],
    )
    def test_find_facts_refuses_bad_arguments(
        self, store: Any, arguments: dict[str, Any], named: str
    ) -> None:
        with pytest.raises(InvalidData) as raised:
            list(store.find_facts(**arguments))
        assert named in str(raised.value)

    def test_read_facts_without_facts_under_the_key(self, store: Any) -> None:
        calendar = WorkCalendar.always("Asia/Shanghai")
        ticket = build_ticket("F1")
        store.save(ticket, expected_version=0, projection=Projector(None, calendar).project(ticket))
        kpis = ServiceKpis(
            Period.parse("2024-05", "Asia/Shanghai"), calendar, policy=SlaPolicy.default(calendar)
        )
        reading = store.read_facts(FactsRequest.of(kpis))
        assert reading.summary is None
        assert reading.foreign == 1

    def check_read_facts_agrees_with_replay(self, data: Any) -> None:
        store = self.make_store()
        try:
            terms = _register(store)
            with store.vocabulary.active():
                world = facts_worlds(data, terms)
            store.save_many(world.saves())
            tickets = {t.id: t for t in world.tickets}
            projections = {i: p for i, p in world.projections.items() if p is not None}
            for period in world.periods():
                for at in world.instants:
                    request = FactsRequest.of(_kpis(world, period, at), lines=True, feedback=True)
                    reading = store.read_facts(request)
                    reference = read_from_projections(tickets, projections, request)
                    assert (reading.summary is None) == (reference.summary is None)
                    assert reading.foreign == reference.foreign
                    if reading.summary is None:
                        continue
                    assert sorted(reading.fallback) == sorted(reference.fallback)
                    assert sorted(reading.missing) == sorted(reference.missing)
                    assert sorted(reading.lines) == sorted(reference.lines)
                    assert sorted(reading.feedback) == sorted(reference.feedback)
                    expected = figures_by_replay(world, period, at)
                    assert figures_from(reading, world, period, at) == expected
                    assert figures_from(reference, world, period, at) == expected
        finally:
            self.dispose_store(store)


add_hypothesis_test(
    FactsContract, "test_read_facts_agrees_with_replay", "check_read_facts_agrees_with_replay"
)
