"""Storage port for root causes and improvement actions, and its in-memory adapter.

Root causes are saved by replacing (their ticket links grow over time);
actions are saved with optimistic concurrency like tickets: the caller says
which version it read (0 for a new action) and a store whose action moved on
raises :class:`~aftersales.ConcurrencyError`, writing nothing.

Example:
    >>> store = MemoryImprovementStore()
    >>> isinstance(store, ImprovementStore)
    True
    >>> store.root_causes_for_ticket("T1")
    []
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

from aftersales import _checks as check
from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData, NotFound
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.improvement.lifecycle import ActionStatus

__all__ = ["ImprovementStore", "MemoryImprovementStore"]


@runtime_checkable
class ImprovementStore(Protocol):
    """Root causes and improvement actions.

    Example:
        >>> isinstance(MemoryImprovementStore(), ImprovementStore)
        True
    """

    def save_root_cause(self, cause: RootCause) -> None:
        """Insert or replace ``cause``."""
        ...

    def get_root_cause(self, cause_id: str) -> RootCause:
        """The stored root cause; ``NotFound`` when there is none."""
        ...

    def root_causes(self, *, department: str | None = None) -> list[RootCause]:
        """Stored root causes (of one department when given), by id."""
        ...

    def root_causes_for_ticket(self, ticket_id: str) -> list[RootCause]:
        """The root causes that explain ``ticket_id``, by id."""
        ...

    def save_action(self, action: ImprovementAction, *, expected_version: int) -> None:
        """Store ``action``, whose stored version must be ``expected_version`` (0: new).

        ``DuplicateId`` for a new action whose id is taken, ``ConcurrencyError``
        when the stored version differs, ``InvalidData`` when ``action.version``
        is not newer than ``expected_version``; nothing is written then.
        """
        ...

    def get_action(self, action_id: str) -> ImprovementAction:
        """The stored action; ``NotFound`` when there is none."""
        ...

    def actions(
        self,
        *,
        status: ActionStatus | None = None,
        cause_id: str | None = None,
        owner: str | None = None,
        open_only: bool = False,
    ) -> list[ImprovementAction]:
        """Stored actions matching every filter given, by ``(due_at, id)``."""
        ...


class MemoryImprovementStore:
    """:class:`ImprovementStore` in a dictionary; thread-safe.

    Example:
        >>> import pendulum
        >>> store = MemoryImprovementStore()
        >>> store.save_root_cause(RootCause(id="RC-1", summary="电容不良", category="supplier",
        ...     department="采购部", identified_at=pendulum.datetime(2024, 5, 1, tz="UTC"),
        ...     identified_by="王", ticket_ids=("T1",)))
        >>> [c.id for c in store.root_causes_for_ticket("T1")]
        ['RC-1']
    """

    def __init__(self) -> None:
        self._causes: dict[str, RootCause] = {}
        self._actions: dict[str, ImprovementAction] = {}
        self._lock = threading.Lock()

    def save_root_cause(self, cause: RootCause) -> None:
        """Insert or replace ``cause``."""
        check.instance_of(RootCause)(cause, "cause")
        with self._lock:
            self._causes[cause.id] = cause

    def get_root_cause(self, cause_id: str) -> RootCause:
        """The stored root cause; ``NotFound`` when there is none."""
        try:
            return self._causes[cause_id]
        except KeyError:
            raise NotFound("root cause", cause_id) from None

    def root_causes(self, *, department: str | None = None) -> list[RootCause]:
        """Stored root causes (of one department when given), by id."""
        with self._lock:
            found = [c for c in self._causes.values() if department in (None, c.department)]
        return sorted(found, key=lambda c: c.id)

    def root_causes_for_ticket(self, ticket_id: str) -> list[RootCause]:
        """The root causes that explain ``ticket_id``, by id."""
        with self._lock:
            found = [c for c in self._causes.values() if c.explains(ticket_id)]
        return sorted(found, key=lambda c: c.id)

    def save_action(self, action: ImprovementAction, *, expected_version: int) -> None:
        """Store ``action`` with optimistic concurrency (see :class:`ImprovementStore`)."""
        check.instance_of(ImprovementAction)(action, "action")
        expected = check.integer(0)(expected_version, "expected_version")
        if action.version <= expected:
            message = (
                f"{action.version} is not newer than expected_version {expected};"
                f" accepted: a version above {expected}"
            )
            raise InvalidData(f"action.version: {message}", problems=[("action.version", message)])
        with self._lock:
            stored = self._actions.get(action.id)
            if expected == 0 and stored is not None:
                raise DuplicateId("improvement action", action.id)
            actual = None if stored is None else stored.version
            if expected != 0 and actual != expected:
                raise ConcurrencyError(
                    "improvement action", action.id, expected=expected, actual=actual
                )
            self._actions[action.id] = action

    def get_action(self, action_id: str) -> ImprovementAction:
        """The stored action; ``NotFound`` when there is none."""
        try:
            return self._actions[action_id]
        except KeyError:
            raise NotFound("improvement action", action_id) from None

    def actions(
        self,
        *,
        status: ActionStatus | None = None,
        cause_id: str | None = None,
        owner: str | None = None,
        open_only: bool = False,
    ) -> list[ImprovementAction]:
        """Stored actions matching every filter given, by ``(due_at, id)``."""
        wanted = None if status is None else check.member(ActionStatus)(status, "status")
        with self._lock:
            found = [
                a
                for a in self._actions.values()
                if (wanted is None or a.status is wanted)
                and (cause_id is None or a.cause_id == cause_id)
                and (owner is None or a.owner == owner)
                and (not open_only or a.status.is_open)
            ]
        return sorted(found, key=lambda a: (a.due_at, a.id))
