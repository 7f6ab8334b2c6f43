"""A ticket store that holds an import's new tickets in memory until the whole file is good.

The import runs the service desk's commands against a :class:`StagingStore`:
the desk reads and writes its tickets there, under the target store's
vocabulary (so a company's own channels and categories are accepted) and
custom attribute declarations, and
nothing reaches the target store until every row has become a ticket. Then
:meth:`StagingStore.tickets` hands them over for one bulk write. It
stores new tickets only: an import never changes a stored ticket. Imports:
the domain only.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> staging = StagingStore()
    >>> staging.save(sample_ticket("T1"), expected_version=0)
    >>> "T1" in staging, [ticket.id for ticket in staging.tickets()]
    (True, ['T1'])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from aftersales.errors import ConcurrencyError, InvalidData, NotFound
from aftersales.model.attributes import AttributeDefinition, AttributeDefinitions
from aftersales.model.events import TicketEvent
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.vocabulary import Vocabulary

__all__ = ["StagingStore"]


class StagingStore:
    """The tickets of an import in progress, by id, with the vocabulary they are read under.

    ``find`` and ``stream`` see nothing (the import asks no queries); a
    ticket's latest save replaces its earlier ones.

    Example:
        >>> StagingStore().vocabulary is None
        True
    """

    def __init__(
        self, vocabulary: Vocabulary | None = None, attributes: AttributeDefinitions | None = None
    ) -> None:
        self.vocabulary = vocabulary
        self._attributes = AttributeDefinitions() if attributes is None else attributes
        self._tickets: dict[str, Ticket] = {}

    def attribute_definitions(self) -> AttributeDefinitions:
        """The target store's custom attribute declarations, which the staged tickets follow."""
        return self._attributes

    def declare_attribute(self, definition: AttributeDefinition) -> None:
        """Refused: an import declares no attribute (the target store's are used)."""
        message = "an import declares no attribute; accepted: declare it in the target store"
        raise InvalidData(f"definition: {message}", problems=[("definition", message)])

    def save(
        self,
        ticket: Ticket,
        *,
        expected_version: int,
        due_at: datetime | None = None,
        projection: TicketProjection | None = None,
    ) -> None:
        """Keep ``ticket`` (its held version must be ``expected_version``); read models are not kept."""
        held = self._tickets.get(ticket.id)
        actual = 0 if held is None else held.version
        if actual != expected_version:
            raise ConcurrencyError("ticket", ticket.id, expected=expected_version, actual=actual)
        self._tickets[ticket.id] = ticket

    def get(self, ticket_id: str) -> Ticket:
        """The held ticket; ``NotFound`` when there is none."""
        try:
            return self._tickets[ticket_id]
        except KeyError:
            raise NotFound("ticket", ticket_id) from None

    def history(self, ticket_id: str) -> Sequence[TicketEvent]:
        """The held ticket's events."""
        return self.get(ticket_id).history

    def find(self, query: TicketQuery) -> list[Ticket]:
        """Nothing: the import asks no queries."""
        return []

    def stream(self, query: TicketQuery, *, batch: int = 1000) -> Iterator[Ticket]:
        """Nothing: the import asks no queries."""
        return iter(())

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self._tickets

    def discard(self, ticket_id: str) -> None:
        """Forget a ticket (its row turned out bad)."""
        self._tickets.pop(ticket_id, None)

    def tickets(self) -> list[Ticket]:
        """Every held ticket, in the order they were first saved."""
        return list(self._tickets.values())
