"""Custom attributes declared per store: what the desk takes and refuses, how declarations change.

The expectations are written from the issue and docs/custom-attributes.md
(the kinds, their stored forms, the change rule), not read from the code:
a refusal table per kind; the values each kind stores; every refused
attribute named at once, nothing written; declaration changes that never make
a stored ticket unreadable (a removed choice and a changed kind are legacy
values, a required attribute added later binds new tickets only); texts stored
before attributes existed read back as they were; views, the import/export
round trip, the CLI and the JSON Schemas; properties for all declarations and
inputs.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from aftersales import (
    AttributeDefinition,
    AttributeDefinitions,
    AttributesRefused,
    AttributeValues,
    FixedClock,
    InvalidData,
    ServiceDesk,
    Ticket,
    TicketQuery,
    TicketStatus,
)
from aftersales.cli import main
from aftersales.model import AttributesSet, TicketEvent
from aftersales.schemas import attributes_schema
from aftersales.serialization import from_dict, from_json, to_dict, to_json
from aftersales.serialization_trusted import trusted_event
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import (
    SAMPLE_ATTRIBUTES,
    attribute_definitions,
    attribute_inputs,
    attribute_values,
)
from aftersales.ticket_snapshot import snapshot_json
from aftersales.transfer import ImportRejected, export_records, import_records
from aftersales.trusted_text import event_text
from aftersales.views import history_view, ticket_view
from tests.helpers import START, examples, open_sample, run_command, ticket_in


@pytest.fixture(params=["memory", "sqlite"])
def desk(request: Any, tmp_path: Path) -> Any:
    store = MemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "desk.db")
    for definition in SAMPLE_ATTRIBUTES:
        store.declare_attribute(definition)
    yield ServiceDesk(store, clock=FixedClock(START))
    if isinstance(store, SQLiteStore):
        store.close()


def _stored(desk: ServiceDesk) -> list[str]:
    return [to_json(ticket) for ticket in desk.store.find(TicketQuery())]


# -- what each kind stores -----------------------------------------------------------------

ACCEPTED = [
    ("serial_number", "  SN-0158 ", "SN-0158"),
    ("serial_number", "x" * 500, "x" * 500),
    ("warranty_type", "in_warranty", "in_warranty"),
    ("warranty_type", "保内", "in_warranty"),
    ("warranty_type", "Paid repair", "paid"),
    ("parts", ["风扇", "board", "fan"], ("board", "fan")),
    ("parts", ("power",), ("power",)),
    ("onsite", True, True),
    ("onsite", False, False),
    ("bought_on", date(2024, 3, 15), "2024-03-15"),
    ("bought_on", "2024-03-15", "2024-03-15"),
    ("repair_cost", 12, 12),
    ("repair_cost", 12.0, 12),
    ("repair_cost", 12.5, 12.5),
    ("repair_cost", Decimal("2.50"), 2.5),
    ("repair_cost", -0.0, 0),
    ("repair_cost", 2**53 - 1, 2**53 - 1),
]


@pytest.mark.parametrize(("name", "given", "stored"), ACCEPTED)
def test_each_kind_stores_its_normal_form(
    desk: ServiceDesk, name: str, given: Any, stored: Any
) -> None:
    open_sample(desk)
    after = desk.set_attributes("T1", by="李工", attributes={name: given})
    assert after.attributes[name] == stored
    assert type(after.attributes[name]) is type(stored)
    assert desk.get("T1") == after
    assert desk.find(attributes={name: stored if not isinstance(stored, tuple) else stored[0]})


# -- what each kind refuses ------------------------------------------------------------------

REFUSED = [
    ("serial_number", 158, "158 is not a text; accepted: a text of 1–500 characters"),
    ("serial_number", "   ", "'' is empty; accepted: a non-blank text"),
    ("serial_number", "x" * 501, "501 characters is too long; accepted: up to 500"),
    ("serial_number", "a\x00b", "has a NUL character"),
    ("warranty_type", "free", "'free' is not a choice of 保修类型; accepted: 'in_warranty' (保内)"),
    ("warranty_type", ["paid"], "['paid'] is not a choice of 保修类型"),
    ("parts", "fan", "'fan' is not a choice of 更换部件; accepted: a list of 'power' (电源)"),
    ("parts", ["fan", "wheel"], "attributes.parts[1]: 'wheel' is not a choice of 更换部件"),
    ("onsite", "yes", "'yes' is not a boolean; accepted: true or false"),
    ("onsite", 1, "1 is not a boolean; accepted: true or false"),
    ("bought_on", "2024/03/15", "'2024/03/15' is not a date; accepted: a date YYYY-MM-DD"),
    ("bought_on", "2024-02-30", "'2024-02-30' is not a date"),
    ("bought_on", pendulum.datetime(2024, 3, 15), "is not a date; accepted: a date YYYY-MM-DD"),
    ("repair_cost", "12.5", "'12.5' is not a number; accepted: a number (an integer or a decimal)"),
    ("repair_cost", True, "True is not a number"),
    ("repair_cost", float("nan"), "nan is not a number"),
    ("repair_cost", float("inf"), "inf is not a number"),
    ("repair_cost", 2**53, "9007199254740992 is too large; accepted: a number from"),
    ("colour", "red", "attributes.colour: is not a declared attribute; accepted: serial_number,"),
]


@pytest.mark.parametrize(("name", "given", "message"), REFUSED)
def test_each_kind_refuses_other_values_by_name_and_writes_nothing(
    desk: ServiceDesk, name: str, given: Any, message: str
) -> None:
    open_sample(desk)
    before = _stored(desk)
    with pytest.raises(AttributesRefused) as raised:
        desk.set_attributes("T1", by="李工", attributes={name: given})
    assert message in str(raised.value)
    assert all(path.startswith(f"attributes.{name}") for path, _ in raised.value.problems)
    assert isinstance(raised.value, ValueError)
    assert _stored(desk) == before
    with pytest.raises(AttributesRefused):
        open_sample(desk, "T2", attributes={name: given})
    assert "T2" not in desk.store


def test_every_refused_attribute_is_named_at_once_with_contacts_masked(desk: ServiceDesk) -> None:
    open_sample(desk)
    with pytest.raises(AttributesRefused) as raised:
        desk.execute(
            "set_attributes",
            "T1",
            {"attributes": {"onsite": "请回电 13812345678", "warranty_type": "free", "x": 1}},
            by="李工",
        )
    paths = [path for path, _ in raised.value.problems]
    assert paths == ["attributes.onsite", "attributes.warranty_type", "attributes.x"]
    assert "13812345678" not in str(raised.value)
    assert "138****5678" in str(raised.value)


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({}, "attributes: {} names no attribute"),
        (["onsite"], "attributes: list is not a mapping"),
        ({"onsite": True}, "every value is the ticket's already"),
    ],
)
def test_a_command_that_sets_nothing_is_refused(
    desk: ServiceDesk, attributes: Any, message: str
) -> None:
    open_sample(desk, attributes={"onsite": True})
    before = _stored(desk)
    with pytest.raises(InvalidData, match=message):
        desk.set_attributes("T1", by="李工", attributes=attributes)
    assert _stored(desk) == before


def test_none_clears_and_a_cleared_attribute_is_no_longer_found(desk: ServiceDesk) -> None:
    open_sample(desk, attributes={"onsite": True, "parts": ["fan"]})
    after = desk.set_attributes("T1", by="李工", attributes={"onsite": None, "parts": []})
    assert dict(after.attributes) == {}
    assert after.history[-1].cleared == ("onsite", "parts")  # type: ignore[attr-defined]
    assert desk.find(attributes={"onsite": True}) == []


def test_set_attributes_is_a_self_loop_in_every_status_but_cancelled(desk: ServiceDesk) -> None:
    for n, status in enumerate(TicketStatus):
        ticket_id = f"T{n}"
        if status is TicketStatus.CANCELLED:
            ticket_in(desk, TicketStatus.RECEIVED, ticket_id)
            run_command(desk, ticket_id, "cancel")
            with pytest.raises(Exception, match="not allowed"):
                desk.set_attributes(ticket_id, by="李工", attributes={"onsite": True})
            continue
        ticket_in(desk, status, ticket_id)
        after = desk.set_attributes(ticket_id, by="李工", attributes={"onsite": True})
        assert after.status is status


# -- required attributes ---------------------------------------------------------------------

SERIAL_REQUIRED = AttributeDefinition(
    "serial_number", "设备序列号", "Serial number", kind="text", required=True
)


def test_a_required_attribute_binds_new_tickets_only(desk: ServiceDesk) -> None:
    old = open_sample(desk, "T1")
    desk.store.declare_attribute(SERIAL_REQUIRED)  # type: ignore[attr-defined]
    with pytest.raises(AttributesRefused) as raised:
        open_sample(desk, "T2", attributes={"onsite": True})
    assert raised.value.problems == (
        (
            "attributes.serial_number",
            "missing; accepted: a text of 1–500 characters (required on new tickets)",
        ),
    )
    assert "T2" not in desk.store
    assert desk.get("T1") == old  # the old ticket reads back, and takes commands
    assert desk.set_attributes("T1", by="李工", attributes={"onsite": True}).version == 2
    run_command(desk, "T1", "acknowledge")
    opened = open_sample(desk, "T3", attributes={"serial_number": "SN-1"})
    with pytest.raises(AttributesRefused, match="is required and cannot be cleared"):
        desk.set_attributes("T3", by="李工", attributes={"serial_number": None})
    assert desk.get("T3") == opened


# -- declarations change; stored tickets stay readable --------------------------------------


def test_a_removed_choice_is_a_legacy_value_still_read_and_found(desk: ServiceDesk) -> None:
    open_sample(desk, attributes={"warranty_type": "paid", "parts": ["fan", "board"]})
    warranty = SAMPLE_ATTRIBUTES.get("warranty_type")
    parts = SAMPLE_ATTRIBUTES.get("parts")
    store: Any = desk.store
    store.declare_attribute(attrs.evolve(warranty, choices=warranty.choices[:2]))
    store.declare_attribute(attrs.evolve(parts, choices=parts.choices[:2]))
    ticket = desk.get("T1")
    assert ticket.attributes["warranty_type"] == "paid"
    assert [t.id for t in desk.find(attributes={"warranty_type": "paid"})] == ["T1"]
    shown = {
        s["name"]: s
        for s in ticket_view(ticket, attribute_definitions=store.attribute_definitions())[
            "attributes_shown"
        ]
    }
    assert (shown["warranty_type"]["shown_zh"], shown["warranty_type"]["legacy"]) == ("paid", True)
    assert (shown["parts"]["shown_zh"], shown["parts"]["legacy"]) == ("主板、fan", True)
    with pytest.raises(AttributesRefused, match="'paid' is not a choice"):
        desk.set_attributes("T1", by="李工", attributes={"warranty_type": "paid"})
    after = desk.set_attributes("T1", by="李工", attributes={"warranty_type": "保内"})
    assert after.attributes["warranty_type"] == "in_warranty"


def test_a_changed_kind_keeps_the_stored_values_as_legacy(desk: ServiceDesk) -> None:
    open_sample(desk, attributes={"serial_number": "0158", "repair_cost": 12.5})
    store: Any = desk.store
    store.declare_attribute(AttributeDefinition("serial_number", "设备序列号", "SN", kind="number"))
    store.declare_attribute(
        AttributeDefinition("repair_cost", "维修费用", "Repair cost", kind="text")
    )
    ticket = desk.get("T1")
    assert dict(ticket.attributes) == {"serial_number": "0158", "repair_cost": 12.5}
    assert [t.id for t in desk.find(attributes={"serial_number": "0158"})] == ["T1"]
    assert [t.id for t in desk.find(attributes={"repair_cost": 12.5})] == ["T1"]
    view = ticket_view(ticket, attribute_definitions=store.attribute_definitions())
    legacy = {
        s["name"]: (s["label_en"], s["shown_en"], s["legacy"]) for s in view["attributes_shown"]
    }
    assert legacy == {
        "serial_number": ("SN", "0158", True),
        "repair_cost": ("Repair cost", "12.5", True),
    }
    if isinstance(store, SQLiteStore):
        assert store.check_integrity() == []


def test_an_attribute_no_longer_declared_is_shown_by_name_and_can_be_cleared(
    desk: ServiceDesk,
) -> None:
    """The ticket is moved to a store that declares less (no command retires a declaration)."""
    open_sample(desk, attributes={"onsite": True, "serial_number": "SN-1"})
    ticket = desk.get("T1")
    fewer = MemoryStore()
    fewer.declare_attribute(SAMPLE_ATTRIBUTES.get("serial_number"))
    fewer.save(ticket, expected_version=0)
    other = ServiceDesk(fewer, clock=FixedClock(START))
    view = ticket_view(ticket, attribute_definitions=fewer.attribute_definitions())
    shown = [(s["name"], s["label_zh"], s["legacy"]) for s in view["attributes_shown"]]
    assert shown == [("serial_number", "设备序列号", False), ("onsite", "onsite", True)]
    with pytest.raises(AttributesRefused, match="is not a declared attribute"):
        other.set_attributes("T1", by="李工", attributes={"onsite": False})
    assert dict(other.set_attributes("T1", by="李工", attributes={"onsite": None}).attributes) == {
        "serial_number": "SN-1"
    }


def test_relabelling_changes_the_views_not_the_tickets(desk: ServiceDesk) -> None:
    opened = open_sample(desk, attributes={"warranty_type": "extended"})
    store: Any = desk.store
    warranty = SAMPLE_ATTRIBUTES.get("warranty_type")
    renamed = [
        attrs.evolve(c, label_zh="延长保修") if c.code == "extended" else c
        for c in warranty.choices
    ]
    store.declare_attribute(attrs.evolve(warranty, label_zh="保修方式", choices=renamed))
    assert desk.get("T1") == opened
    shown = ticket_view(opened, attribute_definitions=store.attribute_definitions())[
        "attributes_shown"
    ]
    assert (shown[0]["label_zh"], shown[0]["shown_zh"], shown[0]["legacy"]) == (
        "保修方式",
        "延长保修",
        False,
    )
    assert store.attribute_definitions().names == SAMPLE_ATTRIBUTES.names


# -- texts stored before attributes existed -------------------------------------------------

#: A ticket's opening event as the library wrote it before custom attributes existed.
OLD_OPENING = (
    '{"schema_version": 1, "ticket_id": "T1", "seq": 1, "at": "2024-05-10T06:45:00+00:00",'
    ' "by": "李工", "customer_id": "C202405001", "customer_name": "XX科技有限公司",'
    ' "channel": "phone", "category": "product_quality",'
    ' "occurred_at": "2024-05-10T06:30:00+00:00", "description": "开机后黑屏",'
    ' "priority": "urgent", "contact": null, "purchase": null, "demands": [], "impact": "",'
    ' "customer_words": "", "priority_reason": "", "handler": "李工", "type": "ticket_opened"}'
)


def test_a_text_stored_before_attributes_reads_back_and_is_written_the_same() -> None:
    opened = from_json(TicketEvent, OLD_OPENING)
    assert opened.attributes == {}  # type: ignore[attr-defined]
    assert to_json(opened) == OLD_OPENING
    assert event_text(opened) == OLD_OPENING
    assert trusted_event(json.loads(OLD_OPENING)) == opened
    ticket = Ticket.replay([opened])
    assert "attributes" not in to_dict(ticket)
    assert '"attributes"' not in snapshot_json(ticket)
    assert from_dict(Ticket, to_dict(ticket)) == ticket


def test_values_are_written_sorted_by_name_in_the_stored_form() -> None:
    ticket = sample_ticket("T1")
    event = ticket.new_event(
        AttributesSet,
        by="李工",
        at=ticket.updated_at,
        attributes={"parts": ["fan", "board"], "onsite": True, "cost": 2.5},
    )
    text = to_json(event)
    assert '"attributes": {"cost": 2.5, "onsite": true, "parts": ["board", "fan"]}' in text
    assert event_text(event) == text
    assert from_json(AttributesSet, text) == event


# -- views, the import and export, the CLI, the schema ---------------------------------------


def test_a_view_labels_each_value_and_masks_contacts_in_texts(desk: ServiceDesk) -> None:
    opened = open_sample(
        desk,
        attributes={"serial_number": "联系 13812345678", "onsite": True, "parts": ["fan"]},
    )
    view = ticket_view(opened, attribute_definitions=desk.store.attribute_definitions())  # type: ignore[attr-defined]
    shown = [(s["label_zh"], s["shown_zh"], s["shown_en"]) for s in view["attributes_shown"]]
    assert shown == [
        ("设备序列号", "联系 138****5678", "联系 138****5678"),
        ("更换部件", "风扇", "Fan"),
        ("需上门", "是", "yes"),
    ]
    assert view["attributes"]["serial_number"] == "联系 138****5678"
    assert "13812345678" not in json.dumps(history_view(opened), ensure_ascii=False)
    assert "13812345678" not in repr(opened.attributes)


def test_export_appends_the_attributes_and_import_reads_them_back(tmp_path: Path) -> None:
    clock = FixedClock(START)
    old = ServiceDesk(clock=clock)
    new = ServiceDesk(clock=clock)
    for definition in SAMPLE_ATTRIBUTES:
        old.store.declare_attribute(definition)  # type: ignore[attr-defined]
        new.store.declare_attribute(definition)  # type: ignore[attr-defined]
    values = {
        "serial_number": "SN-0158",
        "warranty_type": "保外付费",
        "parts": ["fan", "power"],
        "onsite": False,
        "bought_on": "2024-03-15",
        "repair_cost": 480.5,
    }
    opened = open_sample(old, "T1", attributes=values)
    file = tmp_path / "records.csv"
    export_records(old, file, lang="en")
    heading = file.read_text(encoding="utf-8-sig").splitlines()[0]
    assert heading.endswith(
        "Serial number,Warranty type,Parts replaced,On-site service,Bought on,Repair cost"
    )
    assert "Paid repair" in file.read_text(encoding="utf-8-sig")
    assert import_records(new, file).created == ("T1",)
    assert new.get("T1").attributes == opened.attributes
    bare = import_records(ServiceDesk(MemoryStore(), clock=clock), file, dry_run=True)
    assert "Warranty type" in bare.ignored_headings  # a store that does not declare it
    broken = file.read_text(encoding="utf-8-sig").replace("Paid repair", "Free")
    file.write_text(broken, encoding="utf-8-sig")
    strict = MemoryStore()
    for definition in SAMPLE_ATTRIBUTES:
        strict.declare_attribute(definition)
    with pytest.raises(ImportRejected) as rejected:
        import_records(ServiceDesk(strict, clock=clock), file)
    cells = [(p.heading, p.value, p.reason) for p in rejected.value.cells]
    assert cells == [("Warranty type", "'Free'", "'Free' is not a choice of 保修类型")]
    assert len(strict) == 0


def test_the_cli_declares_lists_and_prints_the_schema(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "desk.db"
    SQLiteStore(db).close()
    declare = ["attributes", "declare", "warranty_type", "--kind", "choice", "--zh", "保修类型",
               "--en", "Warranty type", "--required", "--choice", "in_warranty", "保内",
               "In warranty", "--choice", "paid", "保外付费", "Paid repair", "--db", str(db)]  # fmt: skip
    assert main(declare) == 0
    bad = ["attributes", "declare", "Bad", "--kind", "text", "--zh", "x", "--en", "y",
           "--db", str(db)]  # fmt: skip
    assert main(bad) == 2
    assert main(["attributes", "list", "--db", str(db)]) == 0
    assert main(["attributes", "schema", "--db", str(db), "--opening"]) == 0
    out, err = capsys.readouterr()
    assert "declared warranty_type  choice  保修类型 / Warranty type  required" in out
    assert "'Bad' is not an attribute name" in err
    schema = json.loads(out[out.index("{") :])
    assert schema["required"] == ["warranty_type"]
    with SQLiteStore(db) as store:
        assert store.attribute_definitions().get("warranty_type").codes == ("in_warranty", "paid")


# -- properties -------------------------------------------------------------------------------


@settings(max_examples=examples(2.0), deadline=None)
@given(data=st.data())
def test_for_every_declaration_an_accepted_input_is_stored_in_a_form_it_accepts_again(
    data: st.DataObject,
) -> None:
    definition = data.draw(attribute_definitions())
    given_value = data.draw(attribute_inputs(definition))
    stored = definition.normalised(given_value, "attributes.x")
    assert definition.fits(stored)
    assert definition.normalised(stored, "attributes.x") == stored  # a normal form
    # the store's schema takes what the desk stores, as its JSON
    schema = attributes_schema(AttributeDefinitions([definition]))
    plain = json.loads(json.dumps(AttributeValues({definition.name: stored}).plain()))
    assert Draft202012Validator(schema, format_checker=FormatChecker()).is_valid(plain), plain


@settings(max_examples=examples(2.0), deadline=None)
@given(values=attribute_values())
def test_any_stored_values_round_trip_through_every_stored_form(values: AttributeValues) -> None:
    if not values:  # an event sets something
        return
    ticket = sample_ticket("T1")
    event = ticket.new_event(AttributesSet, by="李工", at=ticket.updated_at, attributes=values)
    text = to_json(event)
    assert event_text(event) == text
    back = from_json(AttributesSet, text)
    assert back == event
    assert trusted_event(json.loads(text)) == event
    after = ticket.apply(event)
    assert from_dict(Ticket, to_dict(after)) == after
    assert {k: type(v) for k, v in back.attributes.items()} == {
        k: type(v) for k, v in values.items()
    }


_PHONE = "13812345678"


@pytest.mark.parametrize(
    "call",
    [
        lambda desk: desk.set_attributes("T1", by="李工", attributes={_PHONE: "x"}),
        lambda desk: desk.set_attributes("T1", by="李工", attributes={"repair_cost": _PHONE}),
        lambda desk: desk.set_attributes("T1", by="李工", attributes={"parts": [_PHONE]}),
        lambda desk: desk.set_attributes("T1", by="李工", attributes={"bought_on": _PHONE}),
        lambda desk: TicketQuery(attributes={"parts": [_PHONE]}),
        lambda desk: AttributeValues({_PHONE: 1}),
        lambda desk: AttributeValues({"x": {_PHONE: 1}}),
        lambda desk: AttributeDefinition("x", f"回电 {_PHONE}" * 9, "X", kind="text"),
    ],
)
def test_no_refusal_shows_a_phone_number_unmasked(desk: ServiceDesk, call: Any) -> None:
    open_sample(desk)
    with pytest.raises(InvalidData) as raised:
        call(desk)
    text = str(raised.value) + repr(raised.value.problems)
    assert _PHONE not in text
    assert "138****5678" in text
