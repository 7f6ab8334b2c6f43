"""``ServiceDesk.execute`` and the named commands: one command table, one path for every command.

The expectations here are written from DESIGN.md's lifecycle table and the
desk's documented additions (the visit threshold, the next escalation level, a
``channel`` of ``None``), not read from the command table under test.
"""

from __future__ import annotations

import inspect
from datetime import timedelta
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aftersales import (
    TRANSITIONS,
    Channel,
    ConcurrencyError,
    FixedClock,
    InvalidData,
    InvalidTransition,
    MemoryStore,
    ServiceDesk,
    SlaPolicy,
    Ticket,
    TicketStatus,
    UnknownValue,
    WorkCalendar,
)
from aftersales.errors import AftersalesError
from aftersales.model.events import EVENTS_BY_COMMAND
from aftersales.service.commands import COMMANDS
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import (
    SAMPLE_ATTRIBUTES,
    command_arguments,
    ready_for,
    tickets,
)
from tests.helpers import SUBSTATUSES, payload_of

#: The fields every event has; the desk passes them as ``ticket_id`` (and ``seq``), ``by``, ``at``.
EVENT_BASE = {"ticket_id", "seq", "at", "by"}
#: What the desk records itself, never a caller's argument: the visit threshold it was built with.
DESK_FILLED = {"record_visit": {"threshold"}, "change_sla_policy": {"policy_version"}}
#: Event fields the desk derives from an argument, never a caller's argument: the level of
#: the desk's priority scale that ``priority`` names, the attributes that ``attributes``
#: clears (with ``None``).
DERIVED = {"change_priority": {"priority_level"}, "set_attributes": {"cleared"}}
#: Arguments whose ``None`` (the wrapper's default) lets the desk decide: the next
#: escalation level, the event's default channel (a return-visit call).
NONE_LETS_THE_DESK_DECIDE = {"escalate": {"level"}, "record_visit": {"channel"}}
#: Every command keyword beside the command's own arguments.
COMMAND_KEYWORDS = {"by", "at", "expected_version"}
#: The commands on an existing ticket: every lifecycle command but the one that opens and
#: the contact reveal, which only ``ServiceDesk.reveal_contact`` records (tests/test_contact_access.py).
TICKET_COMMANDS = sorted(set(TRANSITIONS.commands) - {"open_ticket", "reveal_contact"})
START = pendulum.datetime(2026, 10, 9, 9, 0, tz="Asia/Shanghai")
#: The desks' policy: the built-in clocks, and a sub-status declared under every open status.
POLICY = SlaPolicy.default(WorkCalendar.always("Asia/Shanghai")).with_options(
    substatuses=SUBSTATUSES
)


def _payload_fields(command: str) -> dict[str, attrs.Attribute[Any]]:
    event = EVENTS_BY_COMMAND[command]
    return {
        field.name: field
        for field in attrs.fields(event)
        if field.init
        and field.name not in EVENT_BASE
        and field.name not in DESK_FILLED.get(command, set())
        and field.name not in DERIVED.get(command, set())
    }


def test_the_lifecycle_the_event_table_and_the_command_table_name_the_same_commands() -> None:
    assert set(EVENTS_BY_COMMAND) == {*TRANSITIONS.commands, "open_ticket"}
    assert sorted(COMMANDS) == TICKET_COMMANDS
    assert all(COMMANDS[name].event is EVENTS_BY_COMMAND[name] for name in TICKET_COMMANDS)


@pytest.mark.parametrize("command", TICKET_COMMANDS)
def test_each_command_has_a_typed_wrapper_taking_exactly_its_events_fields(command: str) -> None:
    wrapper = getattr(ServiceDesk, command)
    parameters = inspect.signature(wrapper).parameters
    positional = [n for n, p in parameters.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    keywords = {n: p for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
    fields = _payload_fields(command)
    assert positional == ["self", "ticket_id"]
    assert set(keywords) == set(fields) | COMMAND_KEYWORDS
    assert keywords["by"].default is inspect.Parameter.empty
    assert keywords["at"].default is None
    assert keywords["expected_version"].default is None
    for name, field in fields.items():
        default = keywords[name].default
        if name in NONE_LETS_THE_DESK_DECIDE.get(command, set()):
            assert default is None, name
        elif field.default is attrs.NOTHING:
            assert default is inspect.Parameter.empty, name
        else:
            assert default == field.default, name
    assert wrapper.__doc__, command
    assert wrapper.__annotations__["return"] in (Ticket, "Ticket")


@pytest.mark.parametrize("command", TICKET_COMMANDS)
def test_the_command_table_declares_what_the_desk_adds(command: str) -> None:
    declared = COMMANDS[command]
    assert set(declared.arguments) == set(_payload_fields(command))
    assert set(declared.desk_fills) == DESK_FILLED.get(command, set())
    assert {n for d in declared.derived.values() for n in d.fields} == DERIVED.get(command, set())
    decides = set(declared.computed) | set(declared.optional)
    assert decides == NONE_LETS_THE_DESK_DECIDE.get(command, set())


# -- execute and the wrappers give the same ticket -----------------------------------------


def _two_desks(ticket: Ticket, at: pendulum.DateTime, threshold: int) -> list[ServiceDesk]:
    desks = []
    for _ in range(2):
        store = MemoryStore()
        store.save(ticket, expected_version=0)
        for definition in SAMPLE_ATTRIBUTES:
            store.declare_attribute(definition)
        desks.append(
            ServiceDesk(store, clock=FixedClock(at), visit_threshold=threshold, sla=POLICY)
        )
    return desks


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return "ticket", call()
    except AftersalesError as error:
        return type(error).__name__, str(error)


def _expected(ticket: Ticket, command: str, at: Any, threshold: int, arguments: dict[str, Any]):
    """The ticket the command should give, built from the event class by hand."""
    fields = {k: v for k, v in arguments.items() if v is not None or k not in ("channel", "level")}
    if command == "record_visit":
        fields["threshold"] = threshold
    if command == "escalate" and "level" not in fields:
        fields["level"] = ticket.escalation_level + 1
    if command == "propose_solution":
        fields["steps"] = tuple(fields["steps"])
    if command == "set_attributes":  # a None in the payload clears the attribute
        given = fields["attributes"]
        fields = {
            "attributes": {k: v for k, v in given.items() if v is not None},
            "cleared": sorted(k for k, v in given.items() if v is None),
        }
    event = ticket.new_event(EVENTS_BY_COMMAND[command], by="李工", at=at, **fields)
    return ticket.apply(event)


@pytest.mark.parametrize("command", TICKET_COMMANDS)
@settings(
    max_examples=12,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data(), threshold=st.integers(1, 5), allowed=st.booleans())
def test_execute_and_the_named_method_give_identical_tickets(
    command: str, data: st.DataObject, threshold: int, allowed: bool
) -> None:
    statuses = [s for s in TicketStatus if TRANSITIONS.is_allowed(s, command) == allowed]
    assume(statuses)
    ticket = data.draw(tickets(status=data.draw(st.sampled_from(statuses)), max_events=12))
    ticket = data.draw(ready_for(command, ticket))  # a tag or an attachment to take off
    at = ticket.updated_at + timedelta(minutes=data.draw(st.integers(0, 600)))
    arguments = data.draw(command_arguments(command, ticket, at, substatuses=SUBSTATUSES))
    for name in DESK_FILLED.get(command, ()):
        arguments.pop(name, None)  # a field left out while None is not drawn
    arguments = payload_of(command, arguments)
    for name in DERIVED.get(command, ()):
        arguments.pop(name, None)
    if command in NONE_LETS_THE_DESK_DECIDE and data.draw(st.booleans()):
        for name in NONE_LETS_THE_DESK_DECIDE[command]:
            arguments[name] = None
    if command == "propose_solution":
        arguments["steps"] = list(arguments["steps"])
    by_name, by_method = _two_desks(ticket, at, threshold)

    executed = _outcome(lambda: by_name.execute(command, ticket.id, arguments, by="李工"))
    called = _outcome(lambda: getattr(by_method, command)(ticket.id, by="李工", **arguments))

    assert executed == called
    assert by_name.get(ticket.id) == by_method.get(ticket.id)
    if allowed:
        expected = _expected(ticket, command, at, threshold, arguments)
        assert executed == ("ticket", expected)
        assert by_name.get(ticket.id) == expected
    else:
        assert executed[0] == InvalidTransition.__name__
        assert by_name.get(ticket.id) == ticket


def test_execute_passes_at_and_expected_version_like_the_named_methods(desk: ServiceDesk) -> None:
    desk.store.save(sample_ticket("T1"), expected_version=0)
    earlier = desk.clock.now().subtract(minutes=1)
    with pytest.raises(ConcurrencyError):
        desk.execute("reopen", "T1", {"reason": "复发"}, by="李工", expected_version=3)
    reopened = desk.execute("reopen", "T1", {"reason": "复发"}, by="李工", at=earlier)
    assert reopened.updated_at == earlier
    assert reopened.history[-1].by == "李工"


# -- what execute refuses, before anything is read or written ----------------------------


@pytest.fixture
def stored(desk: ServiceDesk) -> ServiceDesk:
    desk.store.save(sample_ticket("T1"), expected_version=0)
    return desk


def _unchanged(desk: ServiceDesk, call: Any, error: type[Exception]) -> Exception:
    before = desk.get("T1")
    with pytest.raises(error) as raised:
        call()
    assert desk.get("T1") == before
    assert isinstance(raised.value, AftersalesError)
    return raised.value


@given(name=st.text(max_size=30).filter(lambda n: n not in EVENTS_BY_COMMAND))
def test_an_unknown_command_is_refused_listing_the_commands(name: str) -> None:
    desk = ServiceDesk(clock=FixedClock(START))
    desk.store.save(sample_ticket("T1"), expected_version=0)
    call = lambda: desk.execute(name, "T1", {"reason": "复发"}, by="李工")  # noqa: E731
    error = _unchanged(desk, call, UnknownValue)
    assert str(error).startswith("command: ")
    assert all(repr(command) in str(error) for command in TICKET_COMMANDS)


@pytest.mark.parametrize("name", [None, 3, ["reopen"], {"reopen": 1}, b"reopen"])
def test_a_command_that_is_not_a_name_is_refused(stored: ServiceDesk, name: Any) -> None:
    call = lambda: stored.execute(name, "T1", {"reason": "复发"}, by="李工")  # noqa: E731
    assert isinstance(_unchanged(stored, call, UnknownValue), InvalidData)


def test_opening_goes_through_open_ticket(stored: ServiceDesk) -> None:
    call = lambda: stored.execute("open_ticket", "T1", {}, by="李工")  # noqa: E731
    error = _unchanged(stored, call, InvalidData)
    assert "ServiceDesk.open_ticket(" in str(error)
    assert error.problems[0][0] == "command"


@given(
    command=st.sampled_from(TICKET_COMMANDS),
    key=st.text(st.characters(categories=("L", "N", "Pc")), min_size=1, max_size=12),
)
def test_a_key_that_is_not_an_argument_is_refused_by_name(command: str, key: str) -> None:
    fields = set(_payload_fields(command))
    assume(key not in fields)
    desk = ServiceDesk(clock=FixedClock(START))
    desk.store.save(sample_ticket("T1"), expected_version=0)
    payload = dict.fromkeys(fields, "x") | {key: "value"}
    call = lambda: desk.execute(command, "T1", payload, by="李工")  # noqa: E731
    error = _unchanged(desk, call, InvalidData)
    assert list(error.problems) == [
        (f"payload[{key!r}]", f"is not an argument of {command}; accepted: {_listed(command)}")
    ]


def _listed(command: str) -> str:
    return ", ".join(_payload_fields(command))


@pytest.mark.parametrize("key", ["by", "at", "ticket_id", "seq", "expected_version", "threshold"])
def test_the_command_keywords_and_desk_fields_are_not_payload_keys(
    stored: ServiceDesk, key: str
) -> None:
    payload = {"resolved": True, "score": 5, key: "x"}
    call = lambda: stored.execute("record_visit", "T1", payload, by="李工")  # noqa: E731
    error = _unchanged(stored, call, InvalidData)
    assert [path for path, _ in error.problems] == [f"payload[{key!r}]"]


def test_every_missing_argument_is_named_at_once(stored: ServiceDesk) -> None:
    call = lambda: stored.execute("record_sla_warning", "T1", {"cycle": 0}, by="李工")  # noqa: E731
    error = _unchanged(stored, call, InvalidData)
    assert [path for path, _ in error.problems] == [
        "payload['metric']",
        "payload['level']",
        "payload['crossed_at']",
        "payload['due_at']",
    ]
    assert all("is missing" in message for _, message in error.problems)


@pytest.mark.parametrize("payload", [None, "reason=复发", [("reason", "复发")], 3])
def test_a_payload_that_is_not_a_mapping_is_refused(stored: ServiceDesk, payload: Any) -> None:
    call = lambda: stored.execute("reopen", "T1", payload, by="李工")  # noqa: E731
    error = _unchanged(stored, call, InvalidData)
    assert error.problems[0][0] == "payload"
    assert "accepted: a mapping of reason" in str(error)


def test_the_desk_additions_apply_through_execute(stored: ServiceDesk) -> None:
    strict = ServiceDesk(stored.store, clock=stored.clock, visit_threshold=5)
    reopened = strict.execute("reopen", "T1", {"reason": "复发"}, by="李工")
    strict.execute("resolve_on_first_contact", "T1", {"answer": "重新配置"}, by="李工")
    visited = strict.execute("record_visit", "T1", {"resolved": True, "score": 4}, by="回访")
    assert visited.status.value == "analysing"  # 4 is under this desk's threshold of 5
    assert visited.history[-1].threshold == 5
    assert visited.history[-1].channel is Channel.RETURN_VISIT_CALL
    escalated = strict.execute("escalate", "T1", {"reason": "主管介入"}, by="李工")
    assert escalated.escalation_level == reopened.escalation_level + 1
    with pytest.raises(UnknownValue, match="metric"):
        strict.execute(
            "record_sla_warning",
            "T1",
            {
                "metric": "no_such_clock",
                "cycle": 0,
                "level": 1,
                "crossed_at": START,
                "due_at": START,
            },
            by="sla",
        )
    assert strict.get("T1") == escalated
