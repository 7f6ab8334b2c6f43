"""The store part of the storage contract: customers, bulk writes and units of work.

:class:`StoreContract` is the suite of a :class:`~aftersales.storage.Store`:
the ticket suite (:class:`~aftersales.testing.contracts.TicketStoreContract`),
the company vocabulary
(:class:`~aftersales.testing.contracts.VocabularyContract`) and the tests
here.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryStore(StoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemoryStore().make_store().count(TicketQuery())
    0
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st

from aftersales.errors import ConcurrencyError, DuplicateId, NotFound
from aftersales.model.customer import Contact, Customer
from aftersales.model.events import Acknowledged, NoteAdded, TagsRemoved
from aftersales.model.query import TicketQuery
from aftersales.storage.ports import Save, Store
from aftersales.testing.contracts.builders import (
    BASE,
    HOSTILE_TEXTS,
    advance,
    build_ticket,
    ids_of,
)
from aftersales.testing.contracts.fixtures import add_hypothesis_test
from aftersales.testing.contracts.ticket_details import tagged
from aftersales.testing.contracts.tickets import TicketStoreContract
from aftersales.testing.contracts.vocabulary import VocabularyContract

__all__ = ["StoreContract"]


class StoreContract(TicketStoreContract, VocabularyContract):
    """The full contract of :class:`~aftersales.storage.Store`: the ticket contract,
    customers, bulk writes, units of work and the company vocabulary
    (:class:`~aftersales.testing.contracts.VocabularyContract`: the
    store is also a :class:`~aftersales.storage.VocabularyStore`).

    An adapter whose data outlive the process also runs
    :class:`~aftersales.testing.contracts.DurableVocabularyContract`,
    and a SQL adapter
    :class:`~aftersales.testing.contracts.IntegrityContract`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteInMemory(StoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteInMemory().make_store(), Store)
        True
    """

    def test_is_a_store(self, store: Any) -> None:
        assert isinstance(store, Store)

    # -- customers -------------------------------------------------------------------------

    def test_customers(self, store: Store) -> None:
        customer = Customer(
            id="C1",
            name="XX科技有限公司",
            industry="制造业",
            contacts=(Contact(name="张先生", phone="13812345678"),),
            key_account=True,
        )
        store.save_customer(customer)
        assert store.get_customer("C1") == customer
        renamed = Customer(id="C1", name="XX科技集团")
        store.save_customer(renamed)
        assert store.get_customer("C1") == renamed
        with pytest.raises(NotFound):
            store.get_customer("C404")

    def test_customer_paging(self, store: Store) -> None:
        for index in (3, 1, 2, 5, 4):
            store.save_customer(Customer(id=f"C{index}", name=f"客户{index}"))
        assert [c.id for c in store.find_customers()] == ["C1", "C2", "C3", "C4", "C5"]
        assert [c.id for c in store.find_customers(limit=2, after_id="C2")] == ["C3", "C4"]

    def check_customers_filtered_by_key_account(self, data: st.DataObject) -> None:
        """``find_customers(key_account=…)`` keeps exactly the customers with that flag."""
        flags = data.draw(st.lists(st.booleans(), max_size=8), label="flags")
        after = data.draw(st.none() | st.integers(0, 8), label="after")
        limit = data.draw(st.none() | st.integers(1, 4), label="limit")
        # a name quoting the flag's JSON changes nothing
        names = ("甲", '", "key_account": true, "x": "', "乙")
        after_id = None if after is None else f"C{after}"
        store = self.make_store()
        try:
            for index, flag in enumerate(flags):
                name = names[index % 3]
                store.save_customer(Customer(id=f"C{index}", name=name, key_account=flag))
            for wanted in (True, False):
                found = store.find_customers(key_account=wanted, after_id=after_id, limit=limit)
                expected = sorted(
                    f"C{i}"
                    for i, flag in enumerate(flags)
                    if flag is wanted and (after_id is None or f"C{i}" > after_id)
                )
                assert [c.id for c in found] == expected[:limit]
                every = [f"C{i}" for i, flag in enumerate(flags) if flag is wanted]
                assert store.find_customer_ids(key_account=wanted) == sorted(every)
            assert store.find_customer_ids() == sorted(f"C{i}" for i in range(len(flags)))
        finally:
            self.dispose_store(store)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        add_hypothesis_test(
            cls,
            "test_customers_filtered_by_key_account",
            "check_customers_filtered_by_key_account",
        )

    @pytest.mark.parametrize("text", HOSTILE_TEXTS[:6], ids=range(6))
    def test_hostile_customer_round_trips(self, store: Store, text: str) -> None:
        customer = Customer(id="C1", name=text, industry=text, contacts=(Contact(name=text),))
        store.save_customer(customer)
        assert store.get_customer("C1") == customer

    # -- bulk ----------------------------------------------------------------------------------

    def test_save_many(self, store: Store) -> None:
        tickets = [build_ticket(f"B{i:03d}", minutes=i % 7) for i in range(120)]
        store.save_many(tickets)
        assert store.count(TicketQuery()) == 120
        assert store.get("B077") == tickets[77]
        updated = advance(tickets[5], NoteAdded, text="x")
        store.save_many([Save(updated, 1, BASE.add(hours=1)), build_ticket("B999")])
        assert store.get("B005") == updated
        assert ids_of(store.find(TicketQuery(due_before=BASE.add(hours=2)))) == ["B005"]

    @pytest.mark.parametrize("position", [0, 60, 119])
    def test_save_many_is_all_or_nothing(self, store: Store, position: int) -> None:
        store.save(build_ticket("B-taken"), expected_version=0)
        tickets = [build_ticket(f"B{i:03d}") for i in range(120)]
        tickets[position] = build_ticket("B-taken")
        with pytest.raises(DuplicateId):
            store.save_many(tickets)
        assert store.count(TicketQuery()) == 1

    def test_save_many_duplicate_within_batch(self, store: Store) -> None:
        with pytest.raises(DuplicateId):
            store.save_many([build_ticket("B1"), build_ticket("B2"), build_ticket("B1")])
        assert store.count(TicketQuery()) == 0

    def test_save_many_stale_update_writes_nothing(self, store: Store) -> None:
        store.save(build_ticket("B1"), expected_version=0)
        stale = advance(advance(build_ticket("B1"), NoteAdded, text="a"), NoteAdded, text="b")
        with pytest.raises(ConcurrencyError):
            store.save_many([build_ticket("B2"), Save(stale, 2)])
        assert store.count(TicketQuery()) == 1
        assert store.get("B1").version == 1

    def test_tags_are_kept_by_save_many_and_a_unit_of_work(self, store: Store) -> None:
        fresh = [tagged(f"M{n}", [f"批次{n}", "vip"], minutes=n) for n in range(3)]
        store.save_many(fresh)
        retagged = advance(fresh[0], TagsRemoved, tags=["vip"])
        with store.unit_of_work() as uow:
            uow.save(retagged, expected_version=fresh[0].version)
            uow.save(tagged("M9", ["vip"], minutes=9), expected_version=0)
        assert ids_of(store.find(TicketQuery(tags=["vip"]))) == ["M1", "M2", "M9"]
        assert ids_of(store.find(TicketQuery(tags=["批次0"]))) == ["M0"]
        assert store.get("M0") == retagged

    def test_count(self, store: Store) -> None:
        self._populate(store)
        assert store.count(TicketQuery()) == 5
        assert store.count(TicketQuery(open_only=True)) == 4
        assert store.count(TicketQuery(open_only=True, limit=2)) == 2

    # -- units of work ---------------------------------------------------------------------

    def test_unit_of_work_commits_together(self, store: Store) -> None:
        store.save(build_ticket("U1"), expected_version=0)
        with store.unit_of_work() as uow:
            uow.save_customer(Customer(id="C1", name="XX科技有限公司"))
            ticket = advance(uow.get("U1"), Acknowledged)
            uow.save(ticket, expected_version=1)
            uow.save(build_ticket("U2"), expected_version=0, due_at=BASE.add(hours=1))
            assert uow.get("U2").id == "U2"
        assert store.get("U1") == ticket
        assert "U2" in store
        assert store.get_customer("C1").name == "XX科技有限公司"

    def test_unit_of_work_rolls_back_on_error(self, store: Store) -> None:
        store.save(build_ticket("U1"), expected_version=0)

        def unit() -> None:
            with store.unit_of_work() as uow:
                uow.save_customer(Customer(id="C1", name="XX科技有限公司"))
                uow.save(build_ticket("U2"), expected_version=0)
                uow.save(advance(build_ticket("U1"), Acknowledged), expected_version=1)
                uow.save(advance(build_ticket("U1"), NoteAdded, text="late"), expected_version=1)

        with pytest.raises(ConcurrencyError):
            unit()
        assert "U2" not in store
        assert store.get("U1").version == 1
        with pytest.raises(NotFound):
            store.get_customer("C1")

    def test_unit_of_work_rolls_back_on_any_exception(self, store: Store) -> None:

        def unit() -> None:
            with store.unit_of_work() as uow:
                uow.save(build_ticket("U1"), expected_version=0)
                raise KeyError("boom")

        with pytest.raises(KeyError):
            unit()
        assert "U1" not in store

    def test_refused_save_in_unit_keeps_the_others(self, store: Store) -> None:
        store.save(build_ticket("U1"), expected_version=0)
        with store.unit_of_work() as uow:
            uow.save(build_ticket("U2"), expected_version=0)
            with pytest.raises(DuplicateId):
                uow.save(build_ticket("U1"), expected_version=0)
            with pytest.raises(ConcurrencyError):
                uow.save(
                    advance(advance(build_ticket("U1"), Acknowledged), NoteAdded, text="x"),
                    expected_version=2,
                )
        assert "U2" in store
        assert store.get("U1").version == 1
