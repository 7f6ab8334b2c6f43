"""A ticket whose history is decoded on first read behaves exactly as one built with its events.

``stream`` hands out tickets built from their snapshot with the history
pending (:mod:`aftersales.model.pending_history`). Nothing may tell them from
the ticket ``Ticket.replay`` makes: equality both ways, hashing, ``history``
(a tuple), replaying that history, the stored form, pickling, copies,
``attrs.evolve``, the repr and the views. Each check runs on a fresh pending
ticket, since the first read decodes the history.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given

from aftersales.errors import StorageError
from aftersales.model.events import TicketEvent
from aftersales.model.fields import sorted_set_repr
from aftersales.model.pending_history import PendingHistory
from aftersales.model.ticket import Ticket
from aftersales.serialization import to_dict, to_json
from aftersales.testing.strategies import tickets
from aftersales.ticket_snapshot import snapshot_of, ticket_from_snapshot

#: What a caller may do with a ticket, and what it gives (compared with the eager ticket's).
USES: dict[str, Callable[[Ticket], Any]] = {
    "equal": lambda t: t,
    "hash": hash,
    "history": lambda t: (type(t.history), t.history),
    "replay": lambda t: Ticket.replay(t.history),
    "to_dict": to_dict,
    "to_json": to_json,
    "pickle": lambda t: pickle.loads(pickle.dumps(t)),
    "pickled history": lambda t: type(pickle.loads(pickle.dumps(t)).history),
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
    "evolve": lambda t: attrs.evolve(t, assignee="赵工"),
    "repr": repr,
    "views": lambda t: (t.visits, t.solution, t.root_cause, t.satisfaction, t.escalations),
    "statuses": lambda t: t.statuses,
    "apply": lambda t: t.allowed_commands(),
}


def _pending(ticket: Ticket, calls: list[int] | None = None) -> Ticket:
    def load() -> tuple[TicketEvent, ...]:
        if calls is not None:
            calls.append(1)
        return tuple(ticket.history)

    return ticket_from_snapshot(snapshot_of(ticket), load)


def _slot(ticket: Ticket) -> Any:
    return vars(Ticket)["history"]._get(ticket, Ticket)


@given(tickets(max_events=20))
def test_nothing_tells_a_pending_history_from_a_decoded_one(ticket: Ticket) -> None:
    eager = Ticket.replay(ticket.history)
    for name, use in USES.items():
        lazy = _pending(ticket)
        assert isinstance(_slot(lazy), PendingHistory), name
        assert use(lazy) == use(eager), name
        lazy = _pending(ticket)
        assert eager == lazy, name  # the other way round
        assert hash(eager) == hash(lazy), name


@given(tickets(max_events=20))
def test_the_history_is_decoded_once_and_kept(ticket: Ticket) -> None:
    calls: list[int] = []
    lazy = _pending(ticket, calls)
    assert calls == []
    first = lazy.history
    assert lazy.history is first
    assert lazy == ticket
    assert hash(lazy) == hash(ticket)
    assert calls == [1]
    assert type(_slot(lazy)) is tuple


def test_a_history_that_cannot_be_decoded_fails_on_every_read() -> None:
    from aftersales.testing.samples import sample_ticket

    ticket = sample_ticket()
    calls: list[int] = []

    def broken() -> tuple[TicketEvent, ...]:
        calls.append(1)
        raise StorageError("ticket_events row (ticket_id='T202405001', seq=3): unreadable")

    lazy = ticket_from_snapshot(snapshot_of(ticket), broken)
    assert lazy.status is ticket.status
    assert lazy.id == ticket.id
    for use in (
        lambda: lazy.history,
        lambda: lazy == ticket,
        lambda: hash(lazy),
        lambda: lazy.visits,
    ):
        with pytest.raises(StorageError, match="seq=3"):
            use()
    assert len(calls) == 4
    assert isinstance(_slot(lazy), PendingHistory)
    assert "PendingHistory" not in repr(lazy)  # the history is not in the repr


@given(tickets(max_events=20))
def test_a_tickets_repr_lists_its_tags_sorted(ticket: Ticket) -> None:
    """Equal tag sets may iterate in different orders (one read from a snapshot, one replayed):
    the repr sorts them, so equal tickets read the same."""
    assert f"tags={sorted_set_repr(ticket.tags)}," in repr(ticket)
    assert repr(_pending(ticket)) == repr(Ticket.replay(ticket.history))
