"""The lifecycle: every allowed and every refused transition, replay, and the loops."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    TRANSITIONS,
    CloseStatus,
    FixedClock,
    InvalidData,
    InvalidTransition,
    ServiceDesk,
    SlaPolicy,
    Ticket,
    TicketLifecycle,
    TicketStatus,
    WorkCalendar,
)
from aftersales.model.events import EVENTS_BY_COMMAND, TicketEvent, VisitRecorded
from aftersales.testing.strategies import SAMPLE_ATTRIBUTES, event_histories
from tests.helpers import PATHS, SUBSTATUSES, command_kwargs, run_command, ticket_in

R = TicketStatus.RECEIVED
A = TicketStatus.ANALYSING
C = TicketStatus.AWAITING_CONFIRMATION
P = TicketStatus.IN_PROGRESS
V = TicketStatus.AWAITING_VISIT
X = TicketStatus.CLOSED
N = TicketStatus.CANCELLED
OPEN = (R, A, C, P, V)

# Written by hand from the command table of DESIGN.md ("Lifecycle commands"),
# plus book_onsite_visit (预约上门, DOMAIN §3), suggest_improvement (优化建议), the
# sub-status (issue 18: what an open ticket waits on) and the SLA notices recorded
# by the desk (open tickets, and closed ones noticed late).
EXPECTED: dict[str, dict[TicketStatus, TicketStatus]] = {
    "acknowledge": {R: A},
    "resolve_on_first_contact": {R: V, A: V},
    "record_analysis": {A: A},
    "propose_solution": {A: C},
    "record_agreement": {C: P},
    "record_dispute": {C: A},
    "book_onsite_visit": {A: A, C: C, P: P},
    "record_progress": {P: P},
    "report_new_problem": {P: A},
    "finish_execution": {P: V},
    "record_visit": {V: X},
    "reopen": {X: A},
    "escalate": {s: s for s in OPEN},
    "assign": {s: s for s in OPEN},
    "change_priority": {s: s for s in OPEN},
    "add_note": {s: s for s in OPEN},
    "record_contact": {s: s for s in OPEN},
    "set_substatus": {s: s for s in OPEN},
    "change_sla_policy": {s: s for s in OPEN},
    # issue 14: tags and attachments on open and closed tickets, the location on open ones
    "add_tags": {**{s: s for s in OPEN}, X: X},
    "remove_tags": {**{s: s for s in OPEN}, X: X},
    "attach": {**{s: s for s in OPEN}, X: X},
    "detach": {**{s: s for s in OPEN}, X: X},
    "set_location": {s: s for s in OPEN},
    # issue 14: custom attributes, corrected on a closed ticket too
    "set_attributes": {**{s: s for s in OPEN}, X: X},
    "suggest_improvement": {**{s: s for s in OPEN}, X: X},
    "cancel": dict.fromkeys(OPEN, N),
    "record_sla_warning": {**{s: s for s in OPEN}, X: X},
    "record_sla_breach": {**{s: s for s in OPEN}, X: X},
    "reveal_contact": {**{s: s for s in OPEN}, X: X},
}

ALL_PAIRS = [(status, command) for status in TicketStatus for command in sorted(EXPECTED)]
#: The command that gives a ticket what each of these commands takes off.
GIVEN_FIRST = {"remove_tags": "add_tags", "detach": "attach"}


@pytest.fixture
def desk(clock: FixedClock) -> ServiceDesk:
    """A desk whose policy declares a sub-status under every open status, its store the
    sample attributes."""
    policy = SlaPolicy.default(WorkCalendar.always("Asia/Shanghai"))
    desk = ServiceDesk(clock=clock, sla=policy.with_options(substatuses=SUBSTATUSES))
    for definition in SAMPLE_ATTRIBUTES:  # the custom attributes set_attributes sets
        desk.store.declare_attribute(definition)  # type: ignore[attr-defined]
    return desk


def test_the_compiled_table_has_exactly_the_documented_commands() -> None:
    assert set(TRANSITIONS.commands) == set(EXPECTED)


@pytest.mark.parametrize(("status", "command"), ALL_PAIRS)
def test_table_agrees_with_the_documented_matrix(status: TicketStatus, command: str) -> None:
    expected = EXPECTED[command].get(status)
    assert TRANSITIONS.is_allowed(status, command) == (expected is not None)
    if expected is not None:
        assert expected in TRANSITIONS.targets(status, command)


@pytest.mark.parametrize("status", list(TicketStatus))
def test_table_agrees_with_a_real_state_machine(status: TicketStatus) -> None:
    machine = TicketLifecycle(start_value=status)
    allowed_by_machine = {str(event) for event in machine.allowed_events}
    assert allowed_by_machine == set(TRANSITIONS.allowed(status))


@pytest.mark.parametrize(
    ("status", "command"),
    [(status, command) for status, command in ALL_PAIRS if command != "reveal_contact"],
)
def test_every_command_in_every_status_through_the_desk(
    desk: ServiceDesk, status: TicketStatus, command: str
) -> None:
    before = ticket_in(desk, status)
    expected = EXPECTED[command].get(status)
    if expected is not None and command in GIVEN_FIRST:  # a tag or a file to take off
        before = run_command(desk, "T1", GIVEN_FIRST[command])
    if expected is None:
        with pytest.raises(InvalidTransition) as raised:
            run_command(desk, "T1", command)
        error = raised.value
        assert error.ticket_id == "T1"
        assert error.status is status
        assert error.command == command
        assert set(error.allowed) == {c for c, m in EXPECTED.items() if status in m}
        assert command in str(error)
        assert status.value.replace("_", " ") in str(error)
        assert desk.get("T1") == before
    else:
        after = run_command(desk, "T1", command)
        assert after.status is expected
        assert after.version == before.version + 1
        assert after.history[:-1] == before.history
        assert after.history[-1].command == command
        assert desk.get("T1") == after
        assert Ticket.replay(after.history) == after


def test_opening_event_cannot_appear_twice(desk: ServiceDesk) -> None:
    ticket = ticket_in(desk, TicketStatus.ANALYSING)
    again = attrs.evolve(ticket.history[0], seq=ticket.version + 1, at=ticket.updated_at)
    with pytest.raises(InvalidTransition):
        ticket.apply(again)


@pytest.mark.parametrize(
    ("score", "resolved", "threshold", "expected"),
    [
        (5, True, 3, X),
        (3, True, 3, X),
        (2, True, 3, A),
        (5, False, 3, A),
        (4, True, 5, A),
        (1, True, 1, X),
    ],
)
def test_return_visit_closes_only_when_resolved_and_scored_at_threshold(
    clock, score: int, resolved: bool, threshold: int, expected: TicketStatus
) -> None:
    desk = ServiceDesk(clock=clock, visit_threshold=threshold)
    ticket_in(desk, V)
    after = desk.record_visit("T1", by="回访员", resolved=resolved, score=score)
    assert after.status is expected
    assert after.visits[-1].threshold == threshold
    assert (after.closed_at is not None) == (expected is X)


def test_loops_back_to_analysis_keep_first_resolution(desk: ServiceDesk, clock) -> None:
    ticket_in(desk, V)
    first_resolution = desk.get("T1").first_resolved_at
    clock.advance(hours=30)
    desk.record_visit("T1", by="回访员", resolved=False, score=2, comment="仍然黑屏")
    for command in PATHS[V][1:]:
        clock.advance(hours=1)
        run_command(desk, "T1", command)
    clock.advance(hours=1)
    closed = desk.record_visit("T1", by="回访员", resolved=True, score=5)
    assert closed.status is X
    assert closed.first_resolved_at == first_resolution
    assert closed.resolved_at is not None
    assert closed.resolved_at > first_resolution
    clock.advance(days=3)
    reopened = desk.reopen("T1", by="李工", reason="又黑屏了")
    assert reopened.status is A
    assert reopened.reopen_count == 1
    assert reopened.closed_at is None
    assert reopened.first_resolved_at == first_resolution


def test_escalation_raises_the_level_and_shows_needs_escalation(desk: ServiceDesk) -> None:
    ticket = ticket_in(desk, A)
    assert ticket.close_status is CloseStatus.IN_PROGRESS
    once = desk.escalate("T1", by="李工", reason="客户投诉升级", to="二线")
    assert once.escalation_level == 1
    assert once.close_status is CloseStatus.NEEDS_ESCALATION
    assert once.close_status.label_zh == "需升级"
    twice = desk.escalate("T1", by="李工", reason="经理介入", level=3)
    assert twice.escalation_level == 3
    with pytest.raises(InvalidData, match="level") as raised:
        desk.escalate("T1", by="李工", reason="降级", level=2)
    assert raised.value.problems[0][0] == "level"
    assert desk.get("T1") == twice


def test_first_contact_resolution_marks_the_ticket(desk: ServiceDesk) -> None:
    ticket_in(desk, R)
    solved = run_command(desk, "T1", "resolve_on_first_contact")
    assert solved.resolved_on_first_contact
    assert solved.first_response_at == solved.first_resolved_at == solved.updated_at


@given(event_histories())
def test_replay_equals_applying_one_event_at_a_time(history: list[TicketEvent]) -> None:
    ticket = Ticket.replay(history[:1])
    for event in history[1:]:
        ticket = ticket.apply(event)
    replayed = Ticket.replay(history)
    assert replayed == ticket
    assert replayed.history == tuple(history)
    assert replayed.version == len(history) == history[-1].seq
    assert replayed.updated_at == history[-1].at


@given(event_histories())
def test_replay_agrees_with_driving_the_declared_state_machine(
    history: list[TicketEvent],
) -> None:
    machine = TicketLifecycle()
    ticket = Ticket.replay(history[:1])
    for event in history[1:]:
        closes = isinstance(event, VisitRecorded) and event.visit_closes
        machine.send(event.command, visit_closes=closes)
        ticket = ticket.apply(event)
        assert machine.current_state_value is ticket.status


@given(event_histories())
def test_escalation_level_never_decreases_and_history_only_grows(
    history: list[TicketEvent],
) -> None:
    ticket = Ticket.replay(history[:1])
    for event in history[1:]:
        after = ticket.apply(event)
        assert after.escalation_level >= ticket.escalation_level
        assert after.history[: ticket.version] == ticket.history
        assert after.reopen_count >= ticket.reopen_count
        ticket = after


@given(event_histories(valid=False))
def test_a_broken_history_is_refused(history: list[TicketEvent]) -> None:
    with pytest.raises((InvalidData, InvalidTransition)):
        Ticket.replay(history)


@given(event_histories(), st.data())
def test_a_refused_event_leaves_the_ticket_as_it_was(
    history: list[TicketEvent], data: st.DataObject
) -> None:
    ticket = Ticket.replay(history)
    snapshot = attrs.asdict(ticket, recurse=False)
    refused = [c for c in TRANSITIONS.commands if not TRANSITIONS.is_allowed(ticket.status, c)]
    if not refused:
        return
    command = data.draw(st.sampled_from(refused))
    event = ticket.new_event(
        EVENTS_BY_COMMAND[command],
        by="李工",
        at=ticket.updated_at,
        **command_kwargs(command, ticket),
    )
    with pytest.raises(InvalidTransition) as raised:
        ticket.apply(event)
    assert raised.value.allowed == ticket.allowed_commands()
    assert attrs.asdict(ticket, recurse=False) == snapshot


def test_a_machine_whose_states_are_not_statuses_is_refused_by_name() -> None:
    from statemachine import State, StateMachine

    from aftersales import InvalidData
    from aftersales.lifecycle import TransitionTable

    class Door(StateMachine):
        shut = State(initial=True, value="shut")
        ajar = State(value="ajar", final=True)
        push = shut.to(ajar)

    with pytest.raises(InvalidData) as refused:
        TransitionTable.from_machine(Door)
    assert refused.value.problems == (
        (
            "machine",
            "state value 'shut' is not a TicketStatus;"
            " accepted: a StateMachine whose state values are TicketStatus members",
        ),
    )
