"""The ticket lifecycle, declared once, and the transition table derived from it.

:class:`TicketLifecycle` is the single source of truth: a
``python-statemachine`` declaration whose states are the
:class:`~aftersales.vocab.TicketStatus` members and whose events are the
commands of the service desk.  Building a state machine per ticket is far too
slow for replaying millions of events, so :data:`TRANSITIONS` is compiled from
the declaration at import time: a plain dictionary from ``(status, command)`` to
the candidate transitions with their guards.  The docs' diagram and the
hypothesis state machine are derived from the same declaration.

Example:
    >>> from aftersales.vocab import TicketStatus
    >>> TRANSITIONS.allowed(TicketStatus.AWAITING_CONFIRMATION)
    ('add_note', 'add_tags', 'assign', 'attach', 'book_onsite_visit', 'cancel', 'change_priority', 'change_sla_policy', 'detach', 'escalate', 'record_agreement', 'record_contact', 'record_dispute', 'record_sla_breach', 'record_sla_warning', 'remove_tags', 'reveal_contact', 'set_attributes', 'set_location', 'set_substatus', 'suggest_improvement')
    >>> TRANSITIONS.targets(TicketStatus.AWAITING_VISIT, "record_visit")
    (<TicketStatus.CLOSED: 'closed'>, <TicketStatus.ANALYSING: 'analysing'>)
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable, Iterator, Mapping
from functools import reduce
from types import MappingProxyType
from typing import Any

import attrs
from statemachine import State, StateMachine
from statemachine.transition_list import TransitionList

from aftersales._shown import shown
from aftersales.errors import InvalidData, InvalidTransition
from aftersales.vocab import TicketStatus

__all__ = [
    "OPEN_COMMAND",
    "RENAMED_COMMANDS",
    "TRANSITIONS",
    "TicketLifecycle",
    "Transition",
    "TransitionTable",
    "current_command",
]

#: The command that creates a ticket; it has no source status.
OPEN_COMMAND = "open_ticket"

#: Old command names and their names now (commands are imperative); an old one
#: is accepted for one release, with a :class:`DeprecationWarning`.
RENAMED_COMMANDS: Mapping[str, str] = MappingProxyType(
    {"customer_agrees": "record_agreement", "customer_disputes": "record_dispute"}
)


def current_command(name: str, *, stacklevel: int = 1) -> str:
    """``name``, or its new name when it is an old one of :data:`RENAMED_COMMANDS`.

    An old name warns with :class:`DeprecationWarning`, attributed to the
    caller (``stacklevel`` 1) or to the frame ``stacklevel - 1`` above it.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     current_command("reopen"), current_command("customer_agrees")
        ('reopen', 'record_agreement')
        >>> print(caught[0].message)
        command 'customer_agrees' is deprecated and will be removed in the next release; use 'record_agreement'
    """
    new = RENAMED_COMMANDS.get(name)
    if new is None:
        return name
    warnings.warn(
        f"command {name!r} is deprecated and will be removed in the next release; use {new!r}",
        DeprecationWarning,
        stacklevel=stacklevel + 1,
    )
    return new


def _stay(*states: State) -> TransitionList:
    """Internal self-transitions on each of ``states`` (status unchanged)."""
    transitions: list[TransitionList] = [
        state.to.itself(internal=True)  # type: ignore[no-untyped-call]
        for state in states
    ]
    return reduce(operator.or_, transitions)


class TicketLifecycle(StateMachine):
    """The after-sales lifecycle as a state machine (the declaration of record).

    States are the ticket statuses; events are service-desk commands. Guards
    name properties of the event being applied (``visit_closes`` is true when a
    return visit found the problem resolved with a score at or above the
    threshold). Use :data:`TRANSITIONS` to validate in bulk; instantiate this
    class only to drive one ticket interactively or to draw the diagram.

    Example:
        >>> machine = TicketLifecycle()
        >>> machine.send("acknowledge")
        >>> machine.current_state_value
        <TicketStatus.ANALYSING: 'analysing'>
        >>> machine.send("resolve_on_first_contact")
        >>> machine.send("record_visit", visit_closes=True)
        >>> machine.current_state_value
        <TicketStatus.CLOSED: 'closed'>
    """

    received = State("已受理", value=TicketStatus.RECEIVED, initial=True)
    analysing = State("分析中", value=TicketStatus.ANALYSING)
    awaiting_confirmation = State("待客户确认", value=TicketStatus.AWAITING_CONFIRMATION)
    in_progress = State("执行中", value=TicketStatus.IN_PROGRESS)
    awaiting_visit = State("待回访", value=TicketStatus.AWAITING_VISIT)
    closed = State("已关闭", value=TicketStatus.CLOSED)
    cancelled = State("已取消", value=TicketStatus.CANCELLED, final=True)

    acknowledge = received.to(analysing)
    resolve_on_first_contact = received.to(awaiting_visit) | analysing.to(awaiting_visit)
    record_analysis = _stay(analysing)
    propose_solution = analysing.to(awaiting_confirmation)
    record_agreement = awaiting_confirmation.to(in_progress)
    record_dispute = awaiting_confirmation.to(analysing)
    book_onsite_visit = _stay(analysing, awaiting_confirmation, in_progress)
    record_progress = _stay(in_progress)
    report_new_problem = in_progress.to(analysing)
    finish_execution = in_progress.to(awaiting_visit)
    record_visit = awaiting_visit.to(closed, cond="visit_closes") | awaiting_visit.to(
        analysing, unless="visit_closes"
    )
    reopen = closed.to(analysing)
    cancel = (
        received.to(cancelled)
        | analysing.to(cancelled)
        | awaiting_confirmation.to(cancelled)
        | in_progress.to(cancelled)
        | awaiting_visit.to(cancelled)
    )

    escalate = _stay(received, analysing, awaiting_confirmation, in_progress, awaiting_visit)
    assign = _stay(received, analysing, awaiting_confirmation, in_progress, awaiting_visit)
    change_priority = _stay(received, analysing, awaiting_confirmation, in_progress, awaiting_visit)
    add_note = _stay(received, analysing, awaiting_confirmation, in_progress, awaiting_visit)
    record_contact = _stay(received, analysing, awaiting_confirmation, in_progress, awaiting_visit)
    set_substatus = _stay(received, analysing, awaiting_confirmation, in_progress, awaiting_visit)
    change_sla_policy = _stay(
        received, analysing, awaiting_confirmation, in_progress, awaiting_visit
    )
    suggest_improvement = _stay(
        received, analysing, awaiting_confirmation, in_progress, awaiting_visit, closed
    )

    record_sla_warning = _stay(
        received, analysing, awaiting_confirmation, in_progress, awaiting_visit, closed
    )
    record_sla_breach = _stay(
        received, analysing, awaiting_confirmation, in_progress, awaiting_visit, closed
    )
    # A ticket's details: tags on closed tickets too (teams tag them when analysing),
    # attachments until it is closed and after, its on-site location while it is open.
    add_tags = _stay(
        received, analysing, awaiting_confirmation, in_progress, awaiting_visit, closed
    )
    remove_tags = _stay(
        received, analysing, awaiting_confirmation, in_progress, awaiting_visit, closed
    )
    attach = _stay(received, analysing, awaiting_confirmation, in_progress, awaiting_visit, closed)
    detach = _stay(received, analysing, awaiting_confirmation, in_progress, awaiting_visit, closed)
    set_location = _stay(received, analysing, awaiting_confirmation, in_progress, awaiting_visit)
    # The company's own fields: corrected on a closed ticket too (a serial number found later).
    set_attributes = _stay(
        received, analysing, awaiting_confirmation, in_progress, awaiting_visit, closed
    )
    # An audit record; a final state takes no transition, so not on a cancelled ticket.
    reveal_contact = _stay(
        received, analysing, awaiting_confirmation, in_progress, awaiting_visit, closed
    )

    def visit_closes(self, visit_closes: bool = False, **_: Any) -> bool:
        """Guard: the return visit closes the ticket (passed as an event argument)."""
        return visit_closes


@attrs.frozen(slots=True)
class Transition:
    """One compiled transition: target status and the guards that must hold.

    Example:
        >>> TRANSITIONS.candidates(TicketStatus.RECEIVED, "acknowledge")[0].target
        <TicketStatus.ANALYSING: 'analysing'>
    """

    source: TicketStatus
    command: str
    target: TicketStatus
    conds: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()

    def admits(self, guard: Callable[[str], bool]) -> bool:
        """True when every ``cond`` holds and no ``unless`` does, asking ``guard(name)``."""
        return all(guard(name) for name in self.conds) and not any(
            guard(name) for name in self.unless
        )


class TransitionTable:
    """The lifecycle compiled to dictionaries, for validation without a state machine.

    Example:
        >>> TRANSITIONS.target(TicketStatus.RECEIVED, "acknowledge", "T1")
        <TicketStatus.ANALYSING: 'analysing'>
        >>> TRANSITIONS.target(TicketStatus.CLOSED, "acknowledge", "T1")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidTransition: ticket 'T1' is closed; 'acknowledge' is not allowed there; allowed: 'add_tags', 'attach', 'detach', 'record_sla_breach', 'record_sla_warning', 'remove_tags', 'reopen', 'reveal_contact', 'set_attributes', 'suggest_improvement'
    """

    def __init__(self, transitions: list[Transition]) -> None:
        self._transitions = tuple(transitions)
        table: dict[tuple[TicketStatus, str], list[Transition]] = {}
        for transition in transitions:
            table.setdefault((transition.source, transition.command), []).append(transition)
        self._table = {key: tuple(value) for key, value in table.items()}
        allowed: dict[TicketStatus, set[str]] = {status: set() for status in TicketStatus}
        for status, command in self._table:
            allowed[status].add(command)
        self._allowed = {status: tuple(sorted(names)) for status, names in allowed.items()}
        self.commands: tuple[str, ...] = tuple(sorted({t.command for t in transitions}))

    @classmethod
    def from_machine(cls, machine: type[StateMachine]) -> TransitionTable:
        """Compile a ``python-statemachine`` class whose state values are statuses.

        A state whose value is not a :class:`~aftersales.vocab.TicketStatus` is
        refused with :class:`~aftersales.errors.InvalidData` naming it.

        Example:
            >>> class Door(StateMachine):
            ...     shut = State(initial=True, value="shut")
            ...     ajar = State(value="ajar", final=True)
            ...     push = shut.to(ajar)
            >>> TransitionTable.from_machine(Door)
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: machine: state value 'shut' is not a TicketStatus; accepted: a StateMachine whose state values are TicketStatus members
        """
        compiled = []
        for state in machine.states:
            for transition in state.transitions:
                for event in transition.events:
                    compiled.append(
                        Transition(
                            source=_status(transition.source.value),
                            command=str(event),
                            target=_status(transition.target.value),
                            conds=_guard_names(transition.cond, expected=True),
                            unless=_guard_names(transition.cond, expected=False),
                        )
                    )
        return cls(compiled)

    def __iter__(self) -> Iterator[Transition]:
        return iter(self._transitions)

    def to_mermaid(self) -> str:
        """A Mermaid ``stateDiagram-v2`` of the lifecycle, status changes only.

        Commands that leave the status unchanged are listed in a note per status.

        Example:
            >>> print(TRANSITIONS.to_mermaid().splitlines()[2])
                received --> analysing: acknowledge
        """
        lines = ["stateDiagram-v2", "    [*] --> received"]
        stays: dict[TicketStatus, list[str]] = {}
        for t in self._transitions:
            if t.source is t.target:
                stays.setdefault(t.source, []).append(t.command)
                continue
            guard = "".join(f" [{c}]" for c in t.conds) + "".join(f" [not {u}]" for u in t.unless)
            lines.append(f"    {t.source.value} --> {t.target.value}: {t.command}{guard}")
        lines.append("    cancelled --> [*]")
        for status, commands in stays.items():
            lines.append(f"    note right of {status.value}: {', '.join(sorted(commands))}")
        return "\n".join(lines)

    def allowed(self, status: TicketStatus) -> tuple[str, ...]:
        """The commands allowed in ``status``, sorted."""
        return self._allowed[status]

    def is_allowed(self, status: TicketStatus, command: str) -> bool:
        """True when ``command`` has at least one transition out of ``status``."""
        return (status, command) in self._table

    def candidates(self, status: TicketStatus, command: str) -> tuple[Transition, ...]:
        """The transitions ``command`` may take out of ``status`` (empty when refused)."""
        return self._table.get((status, command), ())

    def targets(self, status: TicketStatus, command: str) -> tuple[TicketStatus, ...]:
        """Every status ``command`` may lead to from ``status``, in declaration order."""
        return tuple(t.target for t in self.candidates(status, command))

    def target(
        self,
        status: TicketStatus,
        command: str,
        ticket_id: str,
        guard: Callable[[str], bool] | None = None,
    ) -> TicketStatus:
        """The status after ``command``; raises :class:`InvalidTransition` when refused.

        ``guard(name)`` answers the guards; without it a guarded transition never fires.
        """
        for transition in self._table.get((status, command), ()):
            if not transition.conds and not transition.unless:
                return transition.target
            if transition.admits(guard or _no_guard):
                return transition.target
        raise InvalidTransition(ticket_id, status, command, self._allowed[status])


def _status(value: object) -> TicketStatus:
    if not isinstance(value, TicketStatus):
        message = (
            f"state value {shown(value)} is not a TicketStatus;"
            " accepted: a StateMachine whose state values are TicketStatus members"
        )
        raise InvalidData(f"machine: {message}", problems=[("machine", message)])
    return value


def _no_guard(_name: str) -> bool:
    return False


def _guard_names(specs: Any, *, expected: bool) -> tuple[str, ...]:
    names = []
    for spec in specs:
        if spec.expected_value is not expected:
            continue
        func = spec.func
        names.append(func if isinstance(func, str) else func.__name__)
    return tuple(names)


#: The compiled lifecycle (see :class:`TransitionTable`).
TRANSITIONS = TransitionTable.from_machine(TicketLifecycle)
