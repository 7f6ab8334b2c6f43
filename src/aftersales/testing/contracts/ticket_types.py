"""The ticket-type part of the ticket contract: types queried, scores by dimension kept.

:class:`TicketTypeContract` is a base of
:class:`~aftersales.testing.contracts.TicketStoreContract`, so every ticket
store runs it: a ticket's type (recorded at intake) and its return visits'
scores by satisfaction dimension come back equal, and ``find``
with ``TicketQuery(ticket_type=...)`` give the tickets recorded with that
type (by code, label or alias) and none without a type.

Like every contract module, it is imported by test suites only.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMine(TicketTypeContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMine().make_store().find(TicketQuery(ticket_type="投诉"))
    []
"""

from __future__ import annotations

from typing import Any

import attrs

from aftersales.model.events import ResolvedOnFirstContact, TicketOpened, VisitRecorded
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.testing.contracts.builders import advance, build_ticket, ids_of
from aftersales.testing.contracts.fixtures import StoreUnderTest
from aftersales.vocab import TicketStatus, TicketType

__all__ = ["TicketTypeContract", "typed"]


def typed(ticket_id: str, ticket_type: str | None, *, minutes: int = 0) -> Ticket:
    """A freshly opened ticket (see ``build_ticket``) recorded with ``ticket_type``.

    Example:
        >>> typed("T1", "报修").ticket_type
        TicketType('repair')
    """
    opening = build_ticket(ticket_id, minutes=minutes).history[0]
    assert isinstance(opening, TicketOpened)
    kind = None if ticket_type is None else TicketType.get(ticket_type)
    return Ticket.replay([attrs.evolve(opening, ticket_type=kind)])


class TicketTypeContract(StoreUnderTest):
    """Contract for a ticket store's ticket types and scores by dimension."""

    def test_a_type_and_scores_by_dimension_round_trip(self, store: Any) -> None:
        answered = advance(typed("Y1", "complaint"), ResolvedOnFirstContact, answer="已处理")
        visited = advance(
            answered,
            VisitRecorded,
            resolved=True,
            score=4,
            dimensions={"服务态度": 5, "response_speed": 3},
        )
        store.save(visited, expected_version=0)
        back = store.get("Y1")
        assert back == visited
        assert back.ticket_type is TicketType.COMPLAINT
        assert [(d.dimension.code, d.score) for d in back.visits[-1].dimensions or ()] == [
            ("response_speed", 3),
            ("service_attitude", 5),
        ]
        assert list(store.history("Y1")) == list(visited.history)

    def test_tickets_are_found_by_their_type(self, store: Any) -> None:
        tickets = [
            typed("Y1", "complaint"),
            typed("Y2", "repair", minutes=1),
            typed("Y3", None, minutes=2),
            advance(typed("Y4", "投诉", minutes=3), ResolvedOnFirstContact, answer="已处理"),
        ]
        for ticket in tickets:
            store.save(ticket, expected_version=0)
        assert ids_of(store.find(TicketQuery(ticket_type="complaint"))) == ["Y1", "Y4"]
        assert ids_of(store.find(TicketQuery(ticket_type=TicketType.COMPLAINT, limit=1))) == ["Y1"]
        received = TicketQuery(ticket_type="客诉", status=TicketStatus.RECEIVED)
        assert ids_of(store.find(received)) == ["Y1"]
        assert ids_of(store.find(TicketQuery(ticket_type="报修"))) == ["Y2"]
        assert store.find(TicketQuery(ticket_type="consultation")) == []
