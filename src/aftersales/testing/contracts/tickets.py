"""The ticket part of the storage contract: saving, reading, querying, paging, hostile text.

:class:`TicketStoreContract` is the suite of a
:class:`~aftersales.storage.TicketStore`; every adapter runs it (within
:class:`~aftersales.testing.contracts.StoreContract`). Its hypothesis test
runs random operations against a model
(:mod:`aftersales.testing.contracts.model_run`); its tags, attachments and
locations part is :class:`~aftersales.testing.contracts.ticket_details.TicketDetailsContract`,
its ticket types and scores by dimension part
:class:`~aftersales.testing.contracts.ticket_types.TicketTypeContract`.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMine(TicketStoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMine().make_store().find(TicketQuery())
    []
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import attrs
import pendulum
import pytest
from hypothesis import strategies as st

from aftersales.errors import (
    ConcurrencyError,
    DuplicateId,
    InvalidData,
    NaiveDatetimeError,
    NotFound,
    UnknownValue,
)
from aftersales.model.events import (
    Acknowledged,
    Assigned,
    Cancelled,
    NoteAdded,
    PriorityChanged,
    SubstatusSet,
)
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.storage.ports import TicketStore
from aftersales.testing.contracts.builders import (
    BASE,
    HOSTILE_TEXTS,
    advance,
    build_ticket,
    ids_of,
)
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test
from aftersales.testing.contracts.model_run import run_model
from aftersales.testing.contracts.ticket_details import TicketDetailsContract
from aftersales.testing.contracts.ticket_types import TicketTypeContract
from aftersales.vocab import Channel, Priority, ProblemCategory, TicketStatus

__all__ = ["TicketStoreContract"]


class TicketStoreContract(TicketDetailsContract, TicketTypeContract, StoreUnderTest):
    """The contract of :class:`~aftersales.storage.TicketStore`: saving, reading, querying.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> class TestMine(TicketStoreContract):
        ...     def make_store(self):
        ...         return MemoryStore()
        >>> "T1" in TestMine().make_store()
        False
    """

    #: Examples per hypothesis test; raise it for a thorough run.
    hypothesis_examples: ClassVar[int] = 25

    # -- saving and reading ----------------------------------------------------------------

    def test_is_a_ticket_store(self, store: Any) -> None:
        assert isinstance(store, TicketStore)

    def test_round_trip(self, store: TicketStore) -> None:
        ticket = advance(
            advance(build_ticket("T1", product_model="A型"), Acknowledged), NoteAdded, text="x"
        )
        store.save(ticket, expected_version=0)
        assert "T1" in store
        assert "T2" not in store
        assert store.get("T1") == ticket
        assert list(store.history("T1")) == list(ticket.history)

    def test_append_events(self, store: TicketStore) -> None:
        ticket = build_ticket("T1")
        store.save(ticket, expected_version=0)
        later = advance(advance(ticket, Acknowledged), Assigned, assignee="王工")
        store.save(later, expected_version=1)
        assert store.get("T1") == later
        assert [e.seq for e in store.history("T1")] == [1, 2, 3]

    def test_missing_ticket(self, store: TicketStore) -> None:
        with pytest.raises(NotFound):
            store.get("T404")
        with pytest.raises(NotFound):
            store.history("T404")

    def test_duplicate_id_writes_nothing(self, store: TicketStore) -> None:
        first = build_ticket("T1", description="第一")
        store.save(first, expected_version=0)
        with pytest.raises(DuplicateId):
            store.save(build_ticket("T1", description="第二"), expected_version=0)
        assert store.get("T1") == first

    def test_stale_version_writes_nothing(self, store: TicketStore) -> None:
        ticket = build_ticket("T1")
        store.save(ticket, expected_version=0)
        mine = advance(ticket, NoteAdded, text="mine")
        theirs = advance(ticket, NoteAdded, text="theirs")
        store.save(theirs, expected_version=1)
        with pytest.raises(ConcurrencyError) as raised:
            store.save(mine, expected_version=1)
        assert raised.value.actual == 2
        assert store.get("T1") == theirs

    def test_version_ahead_of_store_is_refused(self, store: TicketStore) -> None:
        ticket = advance(advance(build_ticket("T1"), Acknowledged), NoteAdded, text="x")
        store.save(build_ticket("T1"), expected_version=0)
        with pytest.raises(ConcurrencyError):
            store.save(ticket, expected_version=2)
        with pytest.raises(ConcurrencyError):
            store.save(advance(build_ticket("T9"), Acknowledged), expected_version=1)
        assert store.get("T1").version == 1
        assert "T9" not in store

    def test_foreign_history_is_refused(self, store: TicketStore) -> None:
        store.save(advance(build_ticket("T1"), NoteAdded, text="stored"), expected_version=0)
        other = advance(advance(build_ticket("T1"), NoteAdded, text="other"), NoteAdded, text="x")
        with pytest.raises(InvalidData):
            store.save(other, expected_version=2)
        assert store.get("T1").history[1].text == "stored"  # type: ignore[attr-defined]
        assert store.get("T1").version == 2

    @pytest.mark.parametrize("expected", [-1, 1, 5, True, "0", None])
    def test_bad_expected_version(self, store: TicketStore, expected: Any) -> None:
        with pytest.raises(InvalidData):
            store.save(build_ticket("T1"), expected_version=expected)
        assert "T1" not in store

    def test_naive_due_at_is_refused(self, store: TicketStore) -> None:
        with pytest.raises(NaiveDatetimeError):
            store.save(build_ticket("T1"), expected_version=0, due_at=datetime(2024, 5, 11, 9))
        assert "T1" not in store

    # -- queries -----------------------------------------------------------------------------

    def _populate(self, store: TicketStore) -> dict[str, Ticket]:
        tickets = {
            "A1": build_ticket("A1", minutes=1, customer_id="C1", product_model="A型"),
            "A2": advance(
                build_ticket("A2", minutes=2, priority=Priority.URGENT, channel=Channel.EMAIL),
                Acknowledged,
            ),
            "A3": advance(
                build_ticket(
                    "A3", minutes=3, category=ProblemCategory.LOGISTICS_DELAY, customer_id="C1"
                ),
                Assigned,
                assignee="王工",
            ),
            "A4": advance(
                build_ticket("A4", minutes=4, product_model="B型"), Cancelled, reason="撤回"
            ),
            "A5": build_ticket("A5", minutes=2, priority=Priority.IMPORTANT, product_model="A型"),
        }
        for ticket in tickets.values():
            store.save(ticket, expected_version=0)
        return tickets

    def test_order_is_received_at_then_id(self, store: TicketStore) -> None:
        self._populate(store)
        assert ids_of(store.find(TicketQuery())) == ["A1", "A2", "A5", "A3", "A4"]

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            ({"status": TicketStatus.ANALYSING}, ["A2"]),
            ({"status": TicketStatus.CANCELLED}, ["A4"]),
            ({"priority": Priority.URGENT}, ["A2"]),
            ({"priority": Priority.IMPORTANT}, ["A5"]),
            ({"customer_id": "C1"}, ["A1", "A3"]),
            ({"assignee": "王工"}, ["A3"]),
            ({"assignee": "李工"}, ["A1", "A2", "A5", "A4"]),
            ({"channel": Channel.EMAIL}, ["A2"]),
            ({"category": ProblemCategory.LOGISTICS_DELAY}, ["A3"]),
            ({"product_model": "A型"}, ["A1", "A5"]),
            ({"product_model": "C型"}, []),
            ({"open_only": True}, ["A1", "A2", "A5", "A3"]),
            ({"received_from": BASE.add(minutes=2)}, ["A2", "A5", "A3", "A4"]),
            ({"received_before": BASE.add(minutes=2)}, ["A1"]),
            ({"updated_from": BASE.add(minutes=4)}, ["A3", "A4"]),
            ({"updated_before": BASE.add(minutes=3)}, ["A1", "A5"]),
            ({"customer_id": "C1", "open_only": True, "product_model": "A型"}, ["A1"]),
            ({"limit": 2}, ["A1", "A2"]),
            ({"limit": 0}, []),
            ({"after_id": "A2", "limit": 2}, ["A5", "A3"]),
            ({"after_id": "A4"}, []),
        ],
    )
    def test_filters(
        self, store: TicketStore, filters: dict[str, Any], expected: list[str]
    ) -> None:
        tickets = self._populate(store)
        query = TicketQuery(**filters)
        assert ids_of(store.find(query)) == expected
        for ticket in store.find(query):
            assert ticket == tickets[ticket.id]

    def test_paging_is_stable(self, store: TicketStore) -> None:
        for index in range(23):
            store.save(build_ticket(f"P{index:02d}", minutes=index // 4), expected_version=0)
        everything = ids_of(store.find(TicketQuery()))
        pages: list[str] = []
        after: str | None = None
        while True:
            page = ids_of(store.find(TicketQuery(limit=5, after_id=after)))
            if not page:
                break
            pages += page
            after = page[-1]
        assert pages == everything
        assert len(set(pages)) == 23

    def test_after_unknown_id(self, store: TicketStore) -> None:
        with pytest.raises(NotFound):
            store.find(TicketQuery(after_id="nope"))

    def test_due_before(self, store: TicketStore) -> None:
        soon, later = BASE.add(hours=2), BASE.add(hours=8)
        store.save(build_ticket("D1"), expected_version=0, due_at=soon)
        store.save(build_ticket("D2", minutes=1), expected_version=0, due_at=later)
        store.save(build_ticket("D3", minutes=2), expected_version=0)
        closed = build_ticket("D4", minutes=3)
        store.save(closed, expected_version=0, due_at=soon)
        store.save(advance(closed, Cancelled, reason="撤回"), expected_version=1, due_at=soon)
        assert ids_of(store.find(TicketQuery(due_before=BASE.add(hours=3)))) == ["D1"]
        assert ids_of(store.find(TicketQuery(due_before=BASE.add(hours=9)))) == ["D1", "D2"]
        assert ids_of(store.find(TicketQuery(due_before=soon))) == []
        d1 = store.get("D1")
        store.save(advance(d1, NoteAdded, text="x"), expected_version=1, due_at=BASE.add(days=2))
        assert ids_of(store.find(TicketQuery(due_before=BASE.add(hours=9)))) == ["D2"]
        d2 = store.get("D2")
        store.save(advance(d2, NoteAdded, text="x"), expected_version=1)
        assert ids_of(store.find(TicketQuery(due_before=BASE.add(days=9)))) == ["D1"]

    def test_substatus_round_trips_and_is_queried(self, store: TicketStore) -> None:
        def waiting(ticket_id: str, minutes: int, code: str) -> Ticket:
            return advance(build_ticket(ticket_id, minutes=minutes), SubstatusSet, substatus=code)

        tickets = [
            advance(waiting("S1", 0, "s.a"), NoteAdded, text="等待中"),
            waiting("S2", 1, "s:b"),
            advance(waiting("S3", 2, "s.a"), SubstatusSet, substatus=None),
            advance(waiting("S4", 3, "s.a"), Acknowledged),  # a change of status clears it
        ]
        for ticket in tickets:
            store.save(ticket, expected_version=0)
            assert store.get(ticket.id) == ticket
        found = [store.get(ticket.id).substatus for ticket in tickets]
        assert found == ["s.a", "s:b", None, None]
        assert ids_of(store.find(TicketQuery(substatus="s.a"))) == ["S1"]
        query = TicketQuery(substatus="s:b", status=TicketStatus.RECEIVED)
        assert ids_of(store.find(query)) == ["S2"]
        assert store.find(TicketQuery(substatus="s.b")) == []
        store.save(advance(tickets[0], SubstatusSet, substatus="s:b"), expected_version=3)
        assert ids_of(store.find(TicketQuery(substatus="s:b"))) == ["S1", "S2"]
        assert store.find(TicketQuery(substatus="s.a")) == []
        with pytest.raises(InvalidData, match="substatus"):
            TicketQuery(substatus="待 备件")

    def test_a_priority_level_round_trips_and_is_found_by_its_seed(
        self, store: TicketStore
    ) -> None:
        high = build_ticket("P1", priority=Priority.IMPORTANT, priority_level="high")
        low = advance(
            build_ticket("P2", minutes=1, priority_level="medium"),
            PriorityChanged,
            priority=Priority.GENERAL,
            priority_level="low",
            reason="影响很小",
        )
        seed = build_ticket("P3", minutes=2, priority=Priority.IMPORTANT)
        for ticket in (high, low, seed):
            store.save(ticket, expected_version=0)
            assert store.get(ticket.id) == ticket
            assert list(store.history(ticket.id)) == list(ticket.history)
        assert [store.get(t).priority_level for t in ("P1", "P2", "P3")] == ["high", "low", None]
        assert store.history("P2")[1].priority_level == "low"  # type: ignore[attr-defined]
        important = store.find(TicketQuery(priority=Priority.IMPORTANT))
        assert ids_of(important) == ["P1", "P3"]
        assert ids_of(store.find(TicketQuery(priority=Priority.GENERAL))) == ["P2"]
        raised = advance(
            store.get("P2"),
            PriorityChanged,
            priority=Priority.IMPORTANT,
            priority_level="high",
            reason="客户再次投诉",
        )
        store.save(raised, expected_version=2)
        assert store.get("P2") == raised
        assert ids_of(store.find(TicketQuery(priority=Priority.GENERAL))) == []

    def test_due_at_other_time_zone(self, store: TicketStore) -> None:
        due = pendulum.datetime(2024, 5, 10, 12, 0, tz="America/New_York")
        store.save(build_ticket("Z1"), expected_version=0, due_at=due)
        assert ids_of(store.find(TicketQuery(due_before=due.add(seconds=1)))) == ["Z1"]
        assert ids_of(store.find(TicketQuery(due_before=due.in_tz("UTC")))) == []

    # -- due order: the SLA worklist ----------------------------------------------------------

    def _populate_due(self, store: TicketStore) -> None:
        """Tickets whose due order differs from their received order, with ties and gaps.

        Due order: E5 (+1h), E2 (+2h), E4 (+2h, tie: by id), E1 (+5h), then
        without a due time E3, E6 (closed with a due time: open filters drop it).
        """
        store.save(build_ticket("E1", minutes=1), expected_version=0, due_at=BASE.add(hours=5))
        store.save(
            build_ticket("E2", minutes=2, priority=Priority.URGENT),
            expected_version=0,
            due_at=BASE.add(hours=2),
        )
        store.save(build_ticket("E3", minutes=3), expected_version=0)
        store.save(build_ticket("E4", minutes=4), expected_version=0, due_at=BASE.add(hours=2))
        store.save(
            build_ticket("E5", minutes=5, priority=Priority.URGENT),
            expected_version=0,
            due_at=BASE.add(hours=1),
        )
        closed = build_ticket("E6", minutes=0)
        store.save(closed, expected_version=0, due_at=BASE.add(minutes=30))
        store.save(
            advance(closed, Cancelled, reason="撤回"),
            expected_version=1,
            due_at=BASE.add(minutes=30),
        )

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            ({}, ["E6", "E5", "E2", "E4", "E1", "E3"]),
            ({"open_only": True}, ["E5", "E2", "E4", "E1", "E3"]),
            ({"due_before": BASE.add(hours=9)}, ["E5", "E2", "E4", "E1"]),
            ({"due_before": BASE.add(hours=2)}, ["E5"]),
            ({"due_before": BASE.add(hours=9), "priority": Priority.URGENT}, ["E5", "E2"]),
            ({"due_before": BASE.add(hours=9), "limit": 2}, ["E5", "E2"]),
            ({"due_before": BASE.add(hours=9), "after_id": "E2"}, ["E4", "E1"]),
            ({"due_before": BASE.add(hours=9), "after_id": "E4", "limit": 1}, ["E1"]),
            ({"due_before": BASE.add(hours=9), "after_id": "E1"}, []),
            ({"due_before": BASE.add(hours=9), "after_id": "E3"}, []),
            ({"due_before": BASE.add(hours=9), "after_id": "E6"}, ["E5", "E2", "E4", "E1"]),
            ({"after_id": "E1"}, ["E3"]),
            ({"after_id": "E3"}, []),
            ({"open_only": True, "after_id": "E6", "limit": 3}, ["E5", "E2", "E4"]),
            ({"limit": 0}, []),
        ],
    )
    def test_due_order(
        self, store: TicketStore, filters: dict[str, Any], expected: list[str]
    ) -> None:
        self._populate_due(store)
        assert ids_of(store.find(TicketQuery(order="due", **filters))) == expected
        if "after_id" not in filters and "limit" not in filters:  # ordering filters nothing
            assert sorted(expected) == sorted(ids_of(store.find(TicketQuery(**filters))))

    def test_received_order_is_the_default(self, store: TicketStore) -> None:
        self._populate_due(store)
        everything = ["E6", "E1", "E2", "E3", "E4", "E5"]
        assert ids_of(store.find(TicketQuery())) == everything
        assert ids_of(store.find(TicketQuery(order="received"))) == everything
        assert ids_of(store.find(TicketQuery(order="received", after_id="E5"))) == []

    def test_unknown_order_is_refused(self) -> None:
        with pytest.raises(UnknownValue) as raised:
            TicketQuery(order="due_at")  # type: ignore[arg-type]
        assert raised.value.accepted == ("received", "due")
        assert "'received', 'due'" in str(raised.value)

    def test_due_order_follows_saves(self, store: TicketStore) -> None:
        self._populate_due(store)
        worklist = TicketQuery(due_before=BASE.add(hours=9), order="due")
        e5 = store.get("E5")
        store.save(advance(e5, NoteAdded, text="x"), expected_version=1, due_at=BASE.add(hours=6))
        assert ids_of(store.find(worklist)) == ["E2", "E4", "E1", "E5"]
        e3 = store.get("E3")
        store.save(advance(e3, NoteAdded, text="x"), expected_version=1, due_at=BASE.add(hours=2))
        assert ids_of(store.find(worklist)) == ["E2", "E3", "E4", "E1", "E5"]
        e2 = store.get("E2")
        store.save(advance(e2, Cancelled, reason="撤回"), expected_version=1, due_at=BASE)
        assert ids_of(store.find(worklist)) == ["E3", "E4", "E1", "E5"]
        assert ids_of(store.find(TicketQuery(order="due")))[:2] == ["E2", "E6"]

    @pytest.mark.parametrize("worklist", [True, False], ids=["due_before", "everything"])
    def test_due_order_paging_is_stable(self, store: TicketStore, worklist: bool) -> None:
        for index in range(29):
            due = None if index % 5 == 4 else BASE.add(hours=(index * 7) % 4)
            store.save(build_ticket(f"P{index:02d}", minutes=index), expected_version=0, due_at=due)
        query = TicketQuery(order="due", due_before=BASE.add(days=1) if worklist else None)
        everything = ids_of(store.find(query))
        assert len(everything) == (24 if worklist else 29)
        pages: list[str] = []
        after: str | None = None
        while True:
            page = ids_of(store.find(attrs.evolve(query, limit=4, after_id=after)))
            if not page:
                break
            assert len(page) <= 4
            pages += page
            after = page[-1]
        assert pages == everything
        assert len(set(pages)) == len(everything)
        first = pages[:4]
        assert first == ["P00", "P08", "P12", "P16"]  # due at +0h, by id

    # -- hostile input ---------------------------------------------------------------------

    @pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
    def test_hostile_text_round_trips(self, store: TicketStore, text: str) -> None:
        ticket = build_ticket(
            "H1",
            handler=text,
            product_model=text,
            description=text,
            customer_name=text,
        )
        ticket = advance(ticket, NoteAdded, text=text, by=text)
        ticket = advance(ticket, Assigned, assignee=text)
        store.save(ticket, expected_version=0)
        stored = store.get("H1")
        assert stored == ticket
        assert stored.description == text
        assert stored.assignee == text
        assert ids_of(store.find(TicketQuery(assignee=text))) == ["H1"]
        assert ids_of(store.find(TicketQuery(product_model=text))) == ["H1"]
        assert ids_of(store.find(TicketQuery(assignee=text[:-1] + "¤"))) == []

    # -- hypothesis: random sequences against a model ---------------------------------------

    def check_random_operations(self, data: st.DataObject) -> None:
        """Random opens, commands (some stale), and queries on a new store, against a model."""
        store = self.make_store()
        try:
            run_model(store, data)
        finally:
            self.dispose_store(store)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        add_hypothesis_test(cls, "test_random_operations_match_model", "check_random_operations")
