"""The improvement action's own small lifecycle, declared once and compiled.

:class:`ActionLifecycle` is the declaration of record (a ``python-statemachine``
machine whose states are :class:`ActionStatus` members); :data:`ACTION_TRANSITIONS`
is compiled from it at import time, the same way :mod:`aftersales.lifecycle`
compiles the ticket lifecycle, so an action never builds a state machine.

Example:
    >>> ACTION_TRANSITIONS.allowed(ActionStatus.PLANNED)
    ('drop', 'note_progress', 'start')
    >>> ACTION_TRANSITIONS.target(ActionStatus.DONE, "verify", "A1")
    <ActionStatus.VERIFIED: 'verified'>
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
from statemachine import State, StateMachine

from aftersales.errors import InvalidActionTransition
from aftersales.vocab import _Labelled

__all__ = [
    "ACTION_TRANSITIONS",
    "ActionLifecycle",
    "ActionStatus",
    "ActionTransition",
    "ActionTransitionTable",
    "InvalidActionTransition",
]


class ActionStatus(_Labelled):
    """Where an improvement action stands (计划中 → 进行中 → 已完成 → 已验证, or 已放弃).

    Example:
        >>> ActionStatus.VERIFIED.label_zh
        '已验证'
        >>> ActionStatus.DONE.is_open, ActionStatus.DROPPED.is_final
        (False, True)
    """

    PLANNED = ("planned", "计划中")
    IN_PROGRESS = ("in_progress", "进行中")
    DONE = ("done", "已完成")
    VERIFIED = ("verified", "已验证")
    DROPPED = ("dropped", "已放弃")

    @property
    def is_open(self) -> bool:
        """True while the work itself is still to be done (planned or in progress)."""
        return self in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)

    @property
    def is_final(self) -> bool:
        """True for verified and dropped: nothing can happen any more."""
        return self in (ActionStatus.VERIFIED, ActionStatus.DROPPED)


class ActionLifecycle(StateMachine):
    """The improvement action lifecycle (the declaration of record).

    ``reject`` sends a finished action back to work when its acceptance
    criterion is not met; ``drop`` (with a reason) ends an action that will not
    be done; ``note_progress`` is the weekly progress note, status unchanged.

    Example:
        >>> machine = ActionLifecycle()
        >>> machine.send("start"); machine.send("complete"); machine.send("verify")
        >>> machine.current_state_value
        <ActionStatus.VERIFIED: 'verified'>
    """

    planned = State("计划中", value=ActionStatus.PLANNED, initial=True)
    in_progress = State("进行中", value=ActionStatus.IN_PROGRESS)
    done = State("已完成", value=ActionStatus.DONE)
    verified = State("已验证", value=ActionStatus.VERIFIED, final=True)
    dropped = State("已放弃", value=ActionStatus.DROPPED, final=True)

    start = planned.to(in_progress)
    complete = in_progress.to(done)
    verify = done.to(verified)
    reject = done.to(in_progress)
    drop = planned.to(dropped) | in_progress.to(dropped) | done.to(dropped)
    note_progress = (
        planned.to.itself(internal=True)  # type: ignore[no-untyped-call]
        | in_progress.to.itself(internal=True)  # type: ignore[no-untyped-call]
        | done.to.itself(internal=True)  # type: ignore[no-untyped-call]
    )


@attrs.frozen(slots=True)
class ActionTransition:
    """One compiled transition of the action lifecycle.

    Example:
        >>> next(iter(ACTION_TRANSITIONS)).source
        <ActionStatus.PLANNED: 'planned'>
    """

    source: ActionStatus
    command: str
    target: ActionStatus


class ActionTransitionTable:
    """The action lifecycle compiled to a dictionary.

    Example:
        >>> ACTION_TRANSITIONS.target(ActionStatus.VERIFIED, "drop", "A1")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidActionTransition: improvement action 'A1' is verified; 'drop' is not allowed there; allowed: nothing (final status)
    """

    def __init__(self, transitions: list[ActionTransition]) -> None:
        self._transitions = tuple(transitions)
        self._table = {(t.source, t.command): t.target for t in transitions}
        allowed: dict[ActionStatus, set[str]] = {status: set() for status in ActionStatus}
        for source, command in self._table:
            allowed[source].add(command)
        self._allowed = {status: tuple(sorted(names)) for status, names in allowed.items()}
        self.commands: tuple[str, ...] = tuple(sorted({t.command for t in transitions}))

    @classmethod
    def from_machine(cls, machine: type[StateMachine]) -> ActionTransitionTable:
        """Compile a machine whose state values are :class:`ActionStatus` members."""
        compiled = []
        for state in machine.states:
            for transition in state.transitions:
                for event in transition.events:
                    compiled.append(
                        ActionTransition(
                            source=ActionStatus.parse(transition.source.value),
                            command=str(event),
                            target=ActionStatus.parse(transition.target.value),
                        )
                    )
        return cls(compiled)

    def __iter__(self) -> Iterator[ActionTransition]:
        return iter(self._transitions)

    def allowed(self, status: ActionStatus) -> tuple[str, ...]:
        """The commands allowed in ``status``, sorted."""
        return self._allowed[status]

    def target(self, status: ActionStatus, command: str, action_id: str) -> ActionStatus:
        """The status after ``command``; :class:`InvalidActionTransition` when refused."""
        found = self._table.get((status, command))
        if found is None:
            raise InvalidActionTransition(action_id, status, command, self._allowed[status])
        return found

    def to_mermaid(self) -> str:
        """A Mermaid ``stateDiagram-v2`` of the status changes.

        Example:
            >>> print(ACTION_TRANSITIONS.to_mermaid().splitlines()[2])
                planned --> in_progress: start
        """
        lines = ["stateDiagram-v2", "    [*] --> planned"]
        for t in self._transitions:
            if t.source is not t.target:
                lines.append(f"    {t.source.value} --> {t.target.value}: {t.command}")
        lines += ["    verified --> [*]", "    dropped --> [*]"]
        return "\n".join(lines)


#: The compiled action lifecycle (see :class:`ActionTransitionTable`).
ACTION_TRANSITIONS = ActionTransitionTable.from_machine(ActionLifecycle)
