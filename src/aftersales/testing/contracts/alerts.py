"""The SLA alert index part of the storage contract: ``find_alerts_due`` on a store and in a unit.

:class:`SlaAlertContract` is the suite of a
:class:`~aftersales.storage.SlaAlertStore`: the instants written with each
save's projection are what the index reads, in ``(instant, id)`` order, open
tickets only, with keyset paging; a unit of work reads its own writes; bad
arguments are refused before anything is read. Its hypothesis test holds
random stores and queries to a reference worked out here from what was
written. The expected instants are set by hand in the projections, so the
suite needs no SLA policy.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryAlerts(SlaAlertContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemoryAlerts().make_store().find_alerts_due(BASE)
    []
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pendulum
import pytest
from hypothesis import strategies as st

from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData
from aftersales.model.events import Cancelled, NoteAdded
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.storage.ports import Save
from aftersales.storage.ports.alerts import SlaAlertStore, SlaAlertUnit
from aftersales.testing.contracts.builders import BASE, advance, build_ticket
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test

__all__ = ["SlaAlertContract"]

_Instant = pendulum.DateTime | None


def _at(minutes: int) -> pendulum.DateTime:
    return BASE.add(minutes=minutes).in_timezone("UTC")


def _projected(ticket: Ticket, next_at: _Instant, first_at: _Instant = None) -> TicketProjection:
    return TicketProjection(
        key="contract", version=ticket.version, next_alert_at=next_at, first_alert_at=first_at
    )


def _pairs(found: list[tuple[pendulum.DateTime, Ticket]]) -> list[tuple[pendulum.DateTime, str]]:
    return [(instant, ticket.id) for instant, ticket in found]


class SlaAlertContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.SlaAlertStore` and its unit of work.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteAlerts(SlaAlertContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteAlerts().make_store(), SlaAlertStore)
        True
    """

    hypothesis_examples = 25

    def test_is_an_alert_store(self, store: Any) -> None:
        assert isinstance(store, SlaAlertStore)
        with store.unit_of_work() as uow:
            assert isinstance(uow, SlaAlertUnit)

    def test_reads_the_instants_of_the_projections_in_order(self, store: Any) -> None:
        tickets = [build_ticket(f"A{i}", minutes=i) for i in range(5)]
        nexts = [_at(30), _at(10), None, _at(10), _at(90)]
        firsts = [_at(5), _at(10), _at(1), None, _at(20)]
        for ticket, next_at, first_at in zip(tickets, nexts, firsts, strict=True):
            store.save(ticket, expected_version=0, projection=_projected(ticket, next_at, first_at))
        store.save(build_ticket("A9"), expected_version=0)  # no projection: not indexed
        assert _pairs(store.find_alerts_due(_at(30))) == [
            (_at(10), "A1"),
            (_at(10), "A3"),
            (_at(30), "A0"),
        ]
        assert _pairs(store.find_alerts_due(_at(9))) == []
        assert _pairs(store.find_alerts_due(_at(20), include_recorded=True)) == [
            (_at(1), "A2"),
            (_at(5), "A0"),
            (_at(10), "A1"),
            (_at(20), "A4"),
        ]
        found = store.find_alerts_due(_at(90))
        assert found[0][1] == tickets[1]
        assert all(instant.utcoffset() == timedelta(0) for instant, _ in found)

    def test_pages_by_key(self, store: Any) -> None:
        for i in range(7):
            ticket = build_ticket(f"P{i}")
            store.save(ticket, expected_version=0, projection=_projected(ticket, _at(i % 3)))
        everything = _pairs(store.find_alerts_due(_at(10)))
        assert [ticket_id for _, ticket_id in everything] == [
            "P0", "P3", "P6", "P1", "P4", "P2", "P5"
        ]  # fmt: skip
        pages, after = [], None
        while True:
            page = _pairs(store.find_alerts_due(_at(10), limit=3, after=after))
            pages.append(page)
            if len(page) < 3:
                break
            after = page[-1]
        assert [pair for page in pages for pair in page] == everything
        assert [len(page) for page in pages] == [3, 3, 1]
        assert store.find_alerts_due(_at(10), limit=0) == []

    def test_a_save_replaces_the_instants(self, store: Any) -> None:
        ticket = build_ticket("R1")
        store.save(ticket, expected_version=0, projection=_projected(ticket, _at(5), _at(5)))
        noted = advance(ticket, NoteAdded, text="已致电")
        store.save(noted, expected_version=1, projection=_projected(noted, _at(50), _at(5)))
        assert _pairs(store.find_alerts_due(_at(20))) == []
        assert _pairs(store.find_alerts_due(_at(50))) == [(_at(50), "R1")]
        again = advance(noted, NoteAdded, text="再次致电")
        store.save(again, expected_version=2)  # no projection: out of the index
        assert store.find_alerts_due(_at(50)) == []
        assert store.find_alerts_due(_at(50), include_recorded=True) == []

    def test_closed_tickets_are_never_due(self, store: Any) -> None:
        ticket = build_ticket("C1")
        store.save(ticket, expected_version=0, projection=_projected(ticket, _at(1), _at(1)))
        cancelled = advance(ticket, Cancelled, reason="客户撤回")
        # a projection that still names instants: the store's index keeps open tickets only
        store.save(cancelled, expected_version=1, projection=_projected(cancelled, _at(1), _at(1)))
        assert store.find_alerts_due(_at(60)) == []
        assert store.find_alerts_due(_at(60), include_recorded=True) == []

    def test_bulk_saves_write_the_index(self, store: Any) -> None:
        tickets = [build_ticket(f"B{i:03d}") for i in range(30)]
        store.save_many(
            [Save(t, 0, projection=_projected(t, _at(i), _at(i))) for i, t in enumerate(tickets)]
        )
        assert [t.id for _, t in store.find_alerts_due(_at(4))] == [f"B{i:03d}" for i in range(5)]

    def test_a_unit_reads_its_own_writes(self, store: Any) -> None:
        ticket = build_ticket("U1")
        store.save(ticket, expected_version=0, projection=_projected(ticket, _at(5)))
        with store.unit_of_work() as uow:
            assert _pairs(uow.find_alerts_due(_at(10))) == [(_at(5), "U1")]
            noted = advance(ticket, NoteAdded, text="x")
            uow.save(noted, expected_version=1, projection=_projected(noted, _at(70)))
            other = build_ticket("U2")
            uow.save(other, expected_version=0, projection=_projected(other, _at(7)))
            assert _pairs(uow.find_alerts_due(_at(10))) == [(_at(7), "U2")]
            assert uow.find_alerts_due(_at(10))[0][1] == other
        assert _pairs(store.find_alerts_due(_at(100))) == [(_at(7), "U2"), (_at(70), "U1")]

    def test_a_rolled_back_unit_leaves_the_index(self, store: Any) -> None:
        ticket = build_ticket("U1")
        store.save(ticket, expected_version=0, projection=_projected(ticket, _at(5)))
        noted = advance(ticket, NoteAdded, text="x")

        def unit() -> None:
            with store.unit_of_work() as uow:
                uow.save(noted, expected_version=1, projection=_projected(noted, _at(70)))
                raise KeyError("boom")

        with pytest.raises(KeyError):
            unit()
        assert _pairs(store.find_alerts_due(_at(10))) == [(_at(5), "U1")]

    def test_a_unit_saves_a_batch(self, store: Any) -> None:
        tickets = [build_ticket(f"M{i}") for i in range(3)]
        store.save_many(tickets)
        noted = [advance(t, NoteAdded, text="已致电") for t in tickets[:2]]
        fresh = build_ticket("M9")
        with store.unit_of_work() as uow:
            uow.save_many(
                [Save(t, 1, projection=_projected(t, _at(i))) for i, t in enumerate(noted)]
                + [Save(fresh, projection=_projected(fresh, _at(5)))]
            )
            assert uow.get("M1") == noted[1]
        assert [store.get(f"M{i}") for i in (0, 1, 2, 9)] == [*noted, tickets[2], fresh]
        assert _pairs(store.find_alerts_due(_at(10))) == [
            (_at(0), "M0"),
            (_at(1), "M1"),
            (_at(5), "M9"),
        ]
        twice = advance(noted[0], NoteAdded, text="再次致电")
        with store.unit_of_work() as uow:  # the same ticket twice in one batch
            uow.save_many([Save(advance(tickets[2], NoteAdded, text="x"), 1), Save(twice, 2)])
        assert store.get("M0") == twice

    def test_a_unit_saves_a_large_batch(self, store: Any) -> None:
        tickets = [build_ticket(f"L{i:04d}") for i in range(600)]
        store.save_many(tickets)
        noted = [advance(t, NoteAdded, text="已致电") for t in tickets]
        with store.unit_of_work() as uow:
            uow.save_many([Save(t, 1, projection=_projected(t, _at(1))) for t in noted])
        assert store.find(TicketQuery()) == noted
        assert len(store.find_alerts_due(_at(1))) == 600

    @pytest.mark.parametrize("broken", ["stale", "taken", "foreign"])
    def test_a_batch_is_all_or_nothing(self, store: Any, broken: str) -> None:
        tickets = [build_ticket(f"M{i}") for i in range(3)]
        store.save_many(tickets)
        batch = [Save(advance(t, NoteAdded, text="x"), 1) for t in tickets[:2]]
        if broken == "stale":
            batch.append(
                Save(advance(advance(tickets[2], NoteAdded, text="a"), NoteAdded, text="b"), 2)
            )
            error: type[Exception] = ConcurrencyError
        elif broken == "taken":
            batch.append(Save(build_ticket("M1")))
            error = DuplicateId
        else:  # a history that does not extend the stored one
            other = build_ticket("M2", description="另一台设备无法开机")
            batch.append(Save(advance(other, NoteAdded, text="x"), 1))
            error = InvalidData
        with store.unit_of_work() as uow:
            kept = advance(tickets[2], NoteAdded, text="kept") if broken != "stale" else None
            with pytest.raises(error):
                uow.save_many(batch)
            if kept is not None:
                uow.save(kept, expected_version=1)
        assert [store.get(t.id).version for t in tickets[:2]] == [1, 1]
        assert store.get("M2").version == (1 if kept is None else 2)

    @pytest.mark.parametrize(
        ("arguments", "named"),
        [
            ({"at": pendulum.naive(2026, 3, 2)}, "at"),
            ({"at": "2026-03-02"}, "at"),
            ({"at": BASE, "limit": -1}, "limit"),
            ({"at": BASE, "include_recorded": 1}, "include_recorded"),
            ({"at": BASE, "after": ("T1",)}, "after"),
            ({"at": BASE, "after": (pendulum.naive(2026, 3, 2), "T1")}, "after[0]"),
            ({"at": BASE, "after": (BASE, "no id")}, "after[1]"),
        ],
    )
    def test_bad_arguments_are_refused(self, store: Any, arguments: Any, named: str) -> None:
        with pytest.raises(InvalidData) as refused:
            store.find_alerts_due(**arguments)
        assert [name for name, _ in refused.value.problems] == [named]
        with pytest.raises(InvalidData), store.unit_of_work() as uow:
            uow.find_alerts_due(**arguments)

    # -- random stores against a reference -----------------------------------------------

    def check_index_against_reference(self, data: st.DataObject) -> None:
        """Random instants (some tied, some absent), closed tickets and queries vs. a reference."""
        minutes = st.none() | st.integers(0, 20)
        rows = data.draw(
            st.lists(st.tuples(minutes, minutes, st.booleans()), min_size=0, max_size=12)
        )
        store = self.make_store()
        try:
            written: list[tuple[str, _Instant, _Instant]] = []
            for index, (next_m, first_m, closed) in enumerate(rows):
                ticket = build_ticket(f"H{index:02d}")
                if closed:
                    ticket = advance(ticket, Cancelled, reason="撤回")
                next_at = None if next_m is None else _at(next_m)
                first_at = None if first_m is None else _at(first_m)
                store.save(
                    ticket, expected_version=0, projection=_projected(ticket, next_at, first_at)
                )
                if not closed:
                    written.append((ticket.id, next_at, first_at))
            at = _at(data.draw(st.integers(0, 20)))
            recorded = data.draw(st.booleans())
            limit = data.draw(st.none() | st.integers(0, 5))
            keyed = sorted(
                (instant, ticket_id)
                for ticket_id, next_at, first_at in written
                if (instant := first_at if recorded else next_at) is not None and instant <= at
            )
            after = data.draw(st.none() | st.sampled_from(keyed)) if keyed else None
            expected = [key for key in keyed if after is None or key > after]
            expected = expected if limit is None else expected[:limit]
            found = store.find_alerts_due(at, include_recorded=recorded, limit=limit, after=after)
            assert _pairs(found) == expected
        finally:
            self.dispose_store(store)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        add_hypothesis_test(
            cls, "test_index_agrees_with_reference", "check_index_against_reference"
        )
