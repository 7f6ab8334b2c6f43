"""Strict serialization: round trips for every value type, every bad path reported."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    Contact,
    Customer,
    InvalidData,
    Product,
    Purchase,
    SolutionStep,
    Ticket,
    TicketEvent,
    UnsupportedSchemaVersion,
)
from aftersales.priority import IntakeFacts, PriorityAssessment
from aftersales.serialization import SCHEMA_VERSION, from_dict, from_json, to_dict, to_json
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import (
    aware_datetimes,
    contacts,
    customers,
    event_histories,
    purchases,
    texts,
)

VALUES = st.one_of(
    contacts(),
    customers(),
    purchases(),
    st.builds(SolutionStep, texts(), texts(8), aware_datetimes()),
    st.builds(
        IntakeFacts,
        safety_hazard=st.booleans(),
        consultation=st.booleans(),
        prior_unresolved_complaints=st.integers(0, 9),
    ),
)


@given(VALUES)
def test_value_types_round_trip_through_dicts_and_json(value: Any) -> None:
    cls = type(value)
    assert from_dict(cls, to_dict(value)) == value
    assert from_json(cls, to_json(value)) == value


@given(event_histories())
def test_every_event_and_the_ticket_round_trip(history: list[TicketEvent]) -> None:
    for event in history:
        assert from_dict(TicketEvent, to_dict(event)) == event
        assert from_json(type(event), to_json(event)) == event
    ticket = Ticket.replay(history)
    data = json.loads(to_json(ticket))
    assert data["schema_version"] == SCHEMA_VERSION
    assert from_dict(Ticket, data) == ticket


def test_stored_form_is_plain_json_in_utc_with_codes() -> None:
    data = to_dict(sample_ticket())
    assert data["received_at"] == "2024-05-10T06:45:00+00:00"
    assert data["channel"] == "phone"
    assert data["priority"] == "urgent"
    assert data["history"][0]["type"] == "ticket_opened"
    assert data["history"][-1]["score"] == 5
    assert json.loads(json.dumps(data)) == data


def test_unknown_keys_wrong_types_scores_and_naive_datetimes_are_all_listed() -> None:
    data = to_dict(sample_ticket())
    history = data["history"]
    history[0]["channel"] = "phne"
    history[1]["at"] = "2024-05-10T14:50:00"
    history[2]["surprise"] = True
    history[6]["onsite"] = "yes"
    history[8]["score"] = 9
    history[8]["resolved"] = 1
    with pytest.raises(InvalidData) as raised:
        from_dict(Ticket, data)
    paths = dict(raised.value.problems)
    assert set(paths) == {
        "history[0].channel",
        "history[1].at",
        "history[2].surprise",
        "history[6].onsite",
        "history[8].score",
        "history[8].resolved",
    }
    assert "no time zone" in paths["history[1].at"]
    assert "unknown key" in paths["history[2].surprise"]
    assert "from 1 to 5" in paths["history[8].score"]
    assert "boolean" in paths["history[6].onsite"]


def test_nested_value_errors_carry_their_full_path() -> None:
    data = to_dict(Customer(id="C1", name="甲公司", contacts=(Contact(name="张"),)))
    data["contacts"][0]["phone"] = "not a phone"
    data["contacts"][0]["email"] = 5
    data["key_account"] = "no"
    with pytest.raises(InvalidData) as raised:
        from_dict(Customer, data)
    assert {path for path, _ in raised.value.problems} == {
        "contacts[0].phone",
        "contacts[0].email",
        "key_account",
    }


def test_value_checks_inside_nested_objects_are_reported_with_their_path() -> None:
    data = to_dict(Customer(id="C1", name="甲公司", contacts=(Contact(name="张"),)))
    data["contacts"][0]["phone"] = "not a phone"
    with pytest.raises(InvalidData) as raised:
        from_dict(Customer, data)
    assert [path for path, _ in raised.value.problems] == ["contacts[0].phone"]


def test_a_snapshot_that_disagrees_with_its_history_is_refused() -> None:
    data = to_dict(sample_ticket())
    data["status"] = "analysing"
    data["escalation_level"] = 2
    with pytest.raises(InvalidData) as raised:
        from_dict(Ticket, data)
    assert {path for path, _ in raised.value.problems} == {"status", "escalation_level"}


def test_a_history_the_lifecycle_refuses_is_invalid_data() -> None:
    data = to_dict(sample_ticket())
    data["history"][1], data["history"][2] = data["history"][2], data["history"][1]
    with pytest.raises(InvalidData):
        from_dict(Ticket, data)


@pytest.mark.parametrize("version", [None, 0, 2, "1", 1.0])
def test_schema_version_is_required_and_checked(version: object) -> None:
    data = to_dict(Product(model="A型"))
    if version is None:
        del data["schema_version"]
        with pytest.raises(InvalidData, match="schema_version"):
            from_dict(Product, data)
    else:
        data["schema_version"] = version
        with pytest.raises(UnsupportedSchemaVersion) as raised:
            from_dict(Product, data)
        assert raised.value.supported == (1,)


def test_malformed_json_and_non_objects_are_invalid_data() -> None:
    with pytest.raises(InvalidData, match="not valid JSON"):
        from_json(Product, "{not json")
    with pytest.raises(InvalidData, match="not an object"):
        from_dict(Product, ["A型"])


def test_only_value_types_serialize() -> None:
    with pytest.raises(InvalidData):
        to_dict({"plain": "dict"})


def test_missing_required_field_is_reported() -> None:
    data = to_dict(
        Purchase(product=Product("A型"), purchased_on=sample_ticket().purchase.purchased_on)
    )
    del data["purchased_on"]
    with pytest.raises(InvalidData) as raised:
        from_dict(Purchase, data)
    assert [path for path, _ in raised.value.problems] == ["purchased_on"]


def test_assessment_round_trips() -> None:
    value = PriorityAssessment(priority=sample_ticket().priority, reason="product unusable")
    assert from_dict(PriorityAssessment, to_dict(value)) == value
