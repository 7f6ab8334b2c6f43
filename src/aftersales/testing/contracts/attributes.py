"""The custom attributes part of the storage contract: declarations kept, values stored and queried.

:class:`AttributeStoreContract` is the suite of a store that is both a
:class:`~aftersales.storage.TicketStore` and an
:class:`~aftersales.storage.AttributeDefinitionStore`: declarations come back
in declaration order, a redeclaration replaces its name in place, a clash of
names or labels writes nothing; tickets keep their attribute values through
``save``, ``save_many`` and a unit of work, and ``find``/``count`` with
``TicketQuery(attributes=...)`` agree with the query's reference semantics
(:meth:`TicketQuery.select <aftersales.model.query.TicketQuery.select>`),
also after values are changed and cleared. Its hypothesis tests round-trip
values of every kind and compare random queries over random tickets with
the reference.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryAttributes(AttributeStoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> len(TestMemoryAttributes().make_store().attribute_definitions())
    0
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import strategies as st

from aftersales.errors import InvalidData
from aftersales.model.attribute_values import value_texts
from aftersales.model.attributes import AttributeDefinition
from aftersales.model.events import AttributesSet, NoteAdded, TicketOpened
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.storage.ports import AttributeDefinitionStore, Save, TicketStore
from aftersales.testing.contracts.builders import advance, build_ticket, ids_of
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test
from aftersales.testing.strategies.attributes import SAMPLE_ATTRIBUTES, attribute_values

__all__ = ["AttributeStoreContract", "with_attributes"]


def with_attributes(ticket_id: str, values: Any, *, minutes: int = 0) -> Ticket:
    """A ticket opened (like :func:`build_ticket`) with the attribute ``values``.

    Example:
        >>> dict(with_attributes("T1", {"onsite": True}).attributes)
        {'onsite': True}
    """
    opened = build_ticket(ticket_id, minutes=minutes).history[0]
    assert isinstance(opened, TicketOpened)
    return Ticket.replay([attrs.evolve(opened, attributes=values)])


_NAMES = st.sampled_from(["serial_number", "warranty_type", "parts", "onsite", "cost"])


class AttributeStoreContract(StoreUnderTest):
    """Contract for a ticket store that keeps custom attribute declarations and values."""

    hypothesis_examples = 20

    def test_is_an_attribute_definition_store(self, store: Any) -> None:
        assert isinstance(store, AttributeDefinitionStore)
        assert isinstance(store, TicketStore)
        assert list(store.attribute_definitions()) == []

    def test_declarations_keep_their_order_and_a_redeclaration_its_place(self, store: Any) -> None:
        for definition in SAMPLE_ATTRIBUTES:
            store.declare_attribute(definition)
        assert store.attribute_definitions() == SAMPLE_ATTRIBUTES
        warranty = SAMPLE_ATTRIBUTES.get("warranty_type")
        narrowed = AttributeDefinition(
            "warranty_type",
            "保修方式",
            "Warranty",
            kind="choice",
            required=True,
            choices=warranty.choices[:1],
        )
        store.declare_attribute(narrowed)
        found = store.attribute_definitions()
        assert found.names == SAMPLE_ATTRIBUTES.names
        assert found.get("warranty_type") == narrowed

    def test_a_clash_of_names_or_labels_writes_nothing(self, store: Any) -> None:
        for definition in SAMPLE_ATTRIBUTES:
            store.declare_attribute(definition)
        clash = AttributeDefinition("colour", "需上门", "Colour", kind="text")
        with pytest.raises(InvalidData, match="需上门"):
            store.declare_attribute(clash)
        with pytest.raises(InvalidData, match="definition"):
            store.declare_attribute({"name": "colour"})
        assert store.attribute_definitions() == SAMPLE_ATTRIBUTES

    def test_values_round_trip_and_are_found_by_value(self, store: Any) -> None:
        tickets = [
            with_attributes("A1", {"serial_number": "SN-0158", "onsite": True}),
            with_attributes("A2", {"parts": ["fan", "board"], "cost": 12.5}, minutes=1),
            with_attributes(
                "A3", {"onsite": False, "cost": 12, "bought_on": "2024-03-15"}, minutes=2
            ),
            build_ticket("A4", minutes=3),
        ]
        store.save_many(tickets)
        for ticket in tickets:
            assert store.get(ticket.id) == ticket
            assert store.get(ticket.id).attributes == ticket.attributes

        def found(**attributes: Any) -> list[str]:
            query = TicketQuery(attributes=attributes)
            assert store.count(query) == len(store.find(query))
            return ids_of(store.find(query))

        assert found(onsite=True) == ["A1"]
        assert found(onsite=False) == ["A3"]
        assert found(parts="board") == found(parts="fan") == ["A2"]
        assert found(parts="power") == []
        assert found(cost=12.5) == ["A2"]
        assert found(cost=12.0) == found(cost=12) == ["A3"]
        assert found(serial_number="SN-0158", onsite=True) == ["A1"]
        assert found(serial_number="SN-0158", onsite=False) == []
        assert found(bought_on="2024-03-15") == ["A3"]

    def test_changed_and_cleared_values_are_found_as_they_are_now(self, store: Any) -> None:
        first = with_attributes("B1", {"parts": ["fan"], "onsite": True})
        second = with_attributes("B2", {"onsite": True}, minutes=1)
        store.save(first, expected_version=0)
        store.save(second, expected_version=0)
        changed = advance(
            first, AttributesSet, attributes={"parts": ["board", "power"]}, cleared=["onsite"]
        )
        store.save(changed, expected_version=1)
        noted = advance(second, NoteAdded, text="已致电")
        with store.unit_of_work() as uow:
            uow.save(noted, expected_version=1)
        assert store.get("B1") == changed
        assert dict(store.get("B1").attributes) == {"parts": ("board", "power")}
        assert ids_of(store.find(TicketQuery(attributes={"onsite": True}))) == ["B2"]
        assert ids_of(store.find(TicketQuery(attributes={"parts": "fan"}))) == []
        assert ids_of(store.find(TicketQuery(attributes={"parts": "power"}))) == ["B1"]
        emptied = advance(changed, AttributesSet, attributes={}, cleared=["parts"])
        store.save_many([Save(emptied, expected_version=2)])
        assert store.get("B1").attributes == {}
        assert store.find(TicketQuery(attributes={"parts": "power"})) == []

    def check_values_round_trip(self, data: Any) -> None:
        """Values of every kind come back equal, each found by its own texts."""
        store = self.make_store()
        try:
            values = data.draw(attribute_values(), label="values")
            ticket = with_attributes("R1", values)
            store.save(ticket, expected_version=0)
            assert store.get("R1") == ticket
            back = store.get("R1").attributes
            assert {k: (type(v), v) for k, v in back.items()} == {
                k: (type(v), v) for k, v in values.items()
            }
            for name, value in values.items():
                for text in value_texts(value):
                    assert ids_of(store.find(TicketQuery(attributes={name: text}))) == ["R1"]
        finally:
            self.dispose_store(store)

    def check_queries_agree_with_the_reference(self, data: Any) -> None:
        """Random tickets, changed at random, queried at random: what ``TicketQuery.select`` says."""
        store = self.make_store()
        try:
            pool = st.sampled_from(["a", "b", "12", "true", "2024-03-15"])
            values = st.one_of(
                pool,
                st.sampled_from([True, False, 12, 12.5]),
                st.lists(pool, min_size=1, max_size=3).map(lambda c: tuple(sorted(set(c)))),
            )
            stored: dict[str, Ticket] = {}
            for n in range(data.draw(st.integers(1, 6), label="tickets")):
                drawn = data.draw(st.dictionaries(_NAMES, values, max_size=3), label="opened")
                ticket = with_attributes(f"Q{n}", drawn, minutes=n)
                store.save(ticket, expected_version=0)
                stored[ticket.id] = ticket
            for ticket_id in data.draw(st.lists(st.sampled_from(sorted(stored))), label="changed"):
                before = stored[ticket_id]
                change = data.draw(st.dictionaries(_NAMES, values, min_size=1, max_size=2))
                cleared = [name for name in before.attributes if name not in change][:1]
                try:
                    after = advance(before, AttributesSet, attributes=change, cleared=cleared)
                except InvalidData:  # the change would change nothing
                    continue
                store.save(after, expected_version=before.version)
                stored[ticket_id] = after
            wanted = data.draw(
                st.dictionaries(_NAMES, st.one_of(pool, st.sampled_from([True, 12.5])), max_size=2),
                label="query",
            )
            query = TicketQuery(attributes=wanted)
            expected = query.select({t.id: (t, None) for t in stored.values()})
            assert ids_of(store.find(query)) == ids_of(expected)
            assert store.count(query) == len(expected)
            if hasattr(store, "find_ids"):
                assert store.find_ids(query) == ids_of(expected)
        finally:
            self.dispose_store(store)


add_hypothesis_test(AttributeStoreContract, "test_values_round_trip", "check_values_round_trip")
add_hypothesis_test(
    AttributeStoreContract,
    "test_queries_agree_with_the_reference",
    "check_queries_agree_with_the_reference",
)
