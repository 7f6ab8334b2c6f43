"""The JSON Schemas, checked with ``jsonschema`` against real payloads, events and views."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from aftersales import TRANSITIONS, InvalidData, ServiceDesk, SlaPolicy, TicketStatus, WorkCalendar
from aftersales.cli import main
from aftersales.reports import monthly
from aftersales.schemas import schema_catalog
from aftersales.serialization import converter, to_dict
from aftersales.service.commands import COMMANDS
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import (
    SAMPLE_ATTRIBUTES,
    command_arguments,
    event_histories,
    tickets,
)
from aftersales.views import event_view, history_view, report_view, ticket_view
from tests.helpers import START, SUBSTATUSES, payload_of, ticket_in

CATALOG = schema_catalog(COMMANDS)
FORMATS = FormatChecker()
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(CATALOG[name], format_checker=FORMATS)


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))


def test_every_schema_is_a_valid_self_contained_draft_2020_12_document() -> None:
    assert FORMATS.conforms("2024-05-10T14:30:00+08:00", "date-time")
    assert not FORMATS.conforms("2024-05-10T14:30:00", "date-time")  # the format check is on
    ids = [schema["$id"] for schema in CATALOG.values()]
    assert len(set(ids)) == len(ids) == len(CATALOG)
    for name, schema in CATALOG.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        refs = json.dumps(schema).split('"$ref": "')[1:]
        assert all(ref.startswith("#/$defs/") for ref in refs), name
    assert {n.split("/")[0] for n in CATALOG} == {"commands", "events", "views", "files"}
    assert {n for n in CATALOG if n.startswith("commands/")} == {f"commands/{c}" for c in COMMANDS}


@SETTINGS
@given(history=event_histories(max_events=15))
def test_every_event_of_a_history_validates_against_its_schema(history: list[Any]) -> None:
    for event in history:
        _validator(f"events/{event.type}").validate(_json(to_dict(event)))
        _validator("views/event_view").validate(event_view(event))


@SETTINGS
@given(ticket=tickets(max_events=15))
def test_every_view_of_a_ticket_validates(ticket: Any) -> None:
    _validator("views/ticket_view").validate(ticket_view(ticket))
    _validator("views/history_view").validate(history_view(ticket))


def test_a_report_view_validates_and_a_wrong_kind_does_not() -> None:
    view = report_view(monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china()))
    _validator("views/report_view").validate(view)
    assert not _validator("views/report_view").is_valid({**view, "kind": "yearly"})


def test_a_wrongly_typed_event_is_refused_by_its_schema() -> None:
    data = _json(to_dict(sample_ticket().history[-1]))
    assert _validator(f"events/{data['type']}").is_valid(data)
    assert not _validator(f"events/{data['type']}").is_valid({**data, "score": "5"})
    assert not _validator(f"events/{data['type']}").is_valid({**data, "at": "2024-05-13 10:00"})
    assert not _validator(f"events/{data['type']}").is_valid({**data, "colour": "red"})


def _statuses(command: str) -> list[TicketStatus]:
    return [s for s in TicketStatus if TRANSITIONS.is_allowed(s, command)]


#: One value of each JSON type; a type mutation puts one of another type in place.
_OF_TYPE = {
    "string": "x",
    "integer": 7,
    "number": 0.5,
    "boolean": True,
    "null": None,
    "array": ["x"],
    "object": {"x": 1},
}


def _json_type(value: Any) -> str:
    return {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null",
            list: "array", dict: "object"}[type(value)]  # fmt: skip


#: A desk whose policy declares sub-statuses: their codes are strings of the schema that
#: only the desk knows (as a store knows its vocabulary's codes).
_DESK = ServiceDesk(
    sla=SlaPolicy.default(WorkCalendar.always()).with_options(substatuses=SUBSTATUSES)
)
#: Its store declares custom attributes: which names and values it takes only it knows.
for _definition in SAMPLE_ATTRIBUTES:
    _DESK.store.declare_attribute(_definition)  # type: ignore[attr-defined]


def _accepted_by_execute(command: str, payload: Any) -> bool:
    try:
        COMMANDS[command].arguments_from(_DESK, payload)
    except InvalidData:
        return False
    return True


@pytest.mark.parametrize("command", sorted(COMMANDS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_schema_and_execute_agree_on_valid_and_mutated_payloads(
    command: str, data: st.DataObject
) -> None:
    status = data.draw(st.sampled_from(_statuses(command)))
    ticket = ticket_in(ServiceDesk(clock=_clock()), status)
    arguments = data.draw(command_arguments(command, ticket, ticket.updated_at.add(hours=1)))
    arguments = payload_of(command, arguments)
    payload = _json(converter.unstructure(
        {k: v for k, v in arguments.items() if k in COMMANDS[command].arguments}
    ))  # fmt: skip
    validator = _validator(f"commands/{command}")
    assert validator.is_valid(payload), list(validator.iter_errors(payload))
    assert _accepted_by_execute(command, payload)

    mutation = data.draw(st.sampled_from(["type", "missing", "unknown"]))
    mutated = dict(payload)
    if mutation == "type":
        # a value of a JSON type the argument's schema does not allow (a text where an
        # open vocabulary's code goes is of the right type: only the store knows its codes)
        name = data.draw(st.sampled_from(sorted(payload)))
        kinds = [
            kind
            for kind in sorted(set(_OF_TYPE) - {_json_type(payload[name])})
            if not validator.is_valid({**payload, name: _OF_TYPE[kind]})
        ]
        assume(kinds)
        mutated[name] = _OF_TYPE[data.draw(st.sampled_from(kinds))]
    elif mutation == "missing":
        name = data.draw(st.sampled_from(sorted(payload)))
        del mutated[name]
    else:
        mutated[data.draw(st.sampled_from(["colour", "ticket_id", "by", "Summary"]))] = "x"
    assert validator.is_valid(mutated) == _accepted_by_execute(command, mutated), (
        mutation, mutated, [e.message for e in validator.iter_errors(mutated)]
    )  # fmt: skip


def _clock() -> Any:
    from aftersales import FixedClock

    return FixedClock(START)


def test_the_cli_writes_one_file_per_schema_and_an_index(tmp_path: Path, capsys: Any) -> None:
    assert main(["schema", "--out", str(tmp_path / "schemas")]) == 0
    index = json.loads((tmp_path / "schemas" / "index.json").read_text(encoding="utf-8"))
    assert set(index) == set(CATALOG)
    for name, entry in index.items():
        written = json.loads((tmp_path / "schemas" / entry["file"]).read_text(encoding="utf-8"))
        assert written == CATALOG[name]
        assert written["$id"] == entry["$id"]
    assert "schemas" in capsys.readouterr().out
