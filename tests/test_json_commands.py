"""``ServiceDesk.execute`` with JSON payloads: the JSON form of every argument, strictly checked.

The JSON forms are written here from the converter's documented conventions
(ISO 8601 instants, codes, objects for solution steps), and the expected
paths from the payloads' own shape, not read from the code under test.
"""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import (
    TRANSITIONS,
    FixedClock,
    InvalidData,
    MemoryStore,
    ServiceDesk,
    SlaPolicy,
    Ticket,
    TicketStatus,
    WorkCalendar,
)
from aftersales.errors import AftersalesError
from aftersales.serialization import converter
from aftersales.service.commands import COMMANDS
from aftersales.testing.strategies import SAMPLE_ATTRIBUTES, command_arguments, ready_for
from tests.helpers import START, SUBSTATUSES, payload_of, ticket_in

SLOW = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


#: The built-in clocks, and a sub-status declared under every open status.
POLICY = SlaPolicy.default(WorkCalendar.always("Asia/Shanghai")).with_options(
    substatuses=SUBSTATUSES
)


def _desk_with(ticket: Ticket, now: pendulum.DateTime) -> ServiceDesk:
    store = MemoryStore()
    store.save(ticket, expected_version=0)
    for definition in SAMPLE_ATTRIBUTES:  # the custom attributes set_attributes sets
        store.declare_attribute(definition)
    return ServiceDesk(store, clock=FixedClock(now), sla=POLICY)


def _outcome(desk: ServiceDesk, command: str, ticket_id: str, payload: Any) -> tuple[str, Any]:
    try:
        return "ticket", desk.execute(command, ticket_id, payload, by="李工")
    except AftersalesError as error:
        return type(error).__name__, str(error)


def _json_form(arguments: dict[str, Any]) -> Any:
    return json.loads(json.dumps(converter.unstructure(arguments), ensure_ascii=False))


def _statuses(command: str) -> list[TicketStatus]:
    return [s for s in TicketStatus if TRANSITIONS.is_allowed(s, command)]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@SLOW
@given(data=st.data())
def test_a_json_payload_runs_to_the_same_ticket_as_the_domain_values(
    command: str, data: st.DataObject
) -> None:
    status = data.draw(st.sampled_from(_statuses(command)))
    ticket = ticket_in(ServiceDesk(clock=FixedClock(START)), status)
    ticket = data.draw(ready_for(command, ticket))  # a tag or an attachment to take off
    now = ticket.updated_at.add(hours=1)
    arguments = payload_of(
        command, data.draw(command_arguments(command, ticket, now, substatuses=SUBSTATUSES))
    )
    domain = {k: v for k, v in arguments.items() if k in COMMANDS[command].arguments}
    payload = _json_form(domain)
    assert all(not isinstance(v, pendulum.DateTime) for v in payload.values())
    by_domain = _outcome(_desk_with(ticket, now), command, ticket.id, domain)
    by_json = _outcome(_desk_with(ticket, now), command, ticket.id, payload)
    assert by_domain[0] == "ticket", by_domain
    assert by_json == by_domain


@pytest.fixture
def analysing() -> ServiceDesk:
    desk = ServiceDesk(clock=FixedClock(START))
    ticket_in(desk, TicketStatus.ANALYSING)
    return desk


def _refused(desk: ServiceDesk, command: str, payload: Any) -> InvalidData:
    before = desk.get("T1")
    with pytest.raises(InvalidData) as raised:
        desk.execute(command, "T1", payload, by="李工")
    assert desk.get("T1") == before
    assert desk.history("T1") == before.history
    return raised.value


def test_a_solution_with_its_steps_as_objects_is_proposed(analysing: ServiceDesk) -> None:
    payload = {
        "summary": "上门更换电源模块",
        "steps": [
            {"action": "寄送备件", "executor": "仓库小王", "deadline": "2026-10-10T12:00:00+08:00"},
            {"action": "上门更换", "executor": "王工程师", "deadline": "2026-10-11T18:00:00+08:00"},
        ],
    }
    ticket = analysing.execute("propose_solution", "T1", payload, by="李工")
    steps = ticket.history[-1].steps
    assert [s.executor for s in steps] == ["仓库小王", "王工程师"]
    assert steps[1].deadline == pendulum.datetime(2026, 10, 11, 10, tz="UTC")
    assert ticket.status is TicketStatus.AWAITING_CONFIRMATION


def test_every_bad_path_of_a_nested_payload_is_listed_at_once(analysing: ServiceDesk) -> None:
    payload = {
        "summary": 42,
        "steps": [
            {"action": "寄送备件", "executor": "仓库小王", "deadline": "2026-10-10T12:00:00+08:00"},
            {"action": ["x"], "executor": "王工", "deadline": "2026-10-11T18:00:00", "extra": 1},
        ],
    }
    error = _refused(analysing, "propose_solution", payload)
    paths = [path for path, _ in error.problems]
    assert set(paths) == {
        "payload['summary']",
        "payload['steps'][1]['action']",
        "payload['steps'][1]['deadline']",
        "payload['steps'][1]['extra']",
    }
    assert "payload['steps'][1]['deadline']" in str(error)
    messages = dict(error.problems)
    assert "time zone" in messages["payload['steps'][1]['deadline']"]


@pytest.mark.parametrize(
    ("command", "payload", "path"),
    [
        (
            "record_analysis",
            {"finding": "f", "resolution_deadline": "next week"},
            "resolution_deadline",
        ),
        (
            "record_analysis",
            {"finding": "f", "resolution_deadline": 1760000000},
            "resolution_deadline",
        ),
        ("record_analysis", {"finding": "f", "root_cause": {"code": "x"}}, "root_cause"),
        ("change_priority", {"priority": "紧急!", "reason": "r"}, "priority"),
        ("change_priority", {"priority": 1, "reason": "r"}, "priority"),
        ("escalate", {"reason": "r", "level": "2"}, "level"),
        ("record_contact", {"channel": ["phone"], "summary": "s"}, "channel"),
        ("propose_solution", {"summary": "s", "steps": []}, "steps"),
        ("propose_solution", {"summary": "s", "steps": {"action": "a"}}, "steps"),
        ("propose_solution", {"summary": "s", "steps": ["上门"]}, "steps"),
        ("add_note", {"text": "x" * 100_001}, "text"),
        ("add_note", {"text": {"a": [{"b": [{}]}]}}, "text"),
    ],
)
def test_hostile_json_values_name_their_path(
    analysing: ServiceDesk, command: str, payload: dict[str, Any], path: str
) -> None:
    error = _refused(analysing, command, payload)
    assert any(_names(p, path) for p, _ in error.problems), error.problems


def _names(problem_path: str, argument: str) -> bool:
    """The problem is at ``argument`` (a single bad argument keeps its specific error and path)."""
    return problem_path == argument or problem_path.startswith(
        (f"payload[{argument!r}]", f"{argument}[", f"{argument}.")
    )


def test_a_payload_nested_far_too_deep_is_refused_without_recursing(
    analysing: ServiceDesk,
) -> None:
    deep: Any = {"action": "a", "executor": "e", "deadline": "2026-10-10T12:00:00+08:00"}
    for _ in range(100_000):
        deep = [deep]
    error = _refused(analysing, "propose_solution", {"summary": "s", "steps": deep})
    assert _names(error.problems[0][0], "steps"), error.problems


_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
).filter(lambda v: isinstance(v, list | dict) and v not in ([], {}))


@pytest.mark.parametrize("command", sorted(COMMANDS))
@SLOW
@given(data=st.data(), junk=_JUNK)
def test_nested_junk_in_any_argument_is_refused_by_path_and_changes_nothing(
    command: str, data: st.DataObject, junk: Any
) -> None:
    desk = ServiceDesk(clock=FixedClock(START))
    status = data.draw(st.sampled_from(_statuses(command)))
    before = ticket_in(desk, status)
    arguments = data.draw(command_arguments(command, before, before.updated_at))
    payload = _json_form({k: v for k, v in arguments.items() if k in COMMANDS[command].arguments})
    name = data.draw(st.sampled_from(sorted(payload)))
    payload[name] = junk
    with pytest.raises(InvalidData) as raised:
        desk.execute(command, before.id, payload, by="李工")
    assert any(_names(path, name) for path, _ in raised.value.problems), raised.value.problems
    assert desk.get(before.id) == before
